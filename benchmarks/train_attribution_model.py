"""Train the attribution model on PolNeAR train, reproducibly, and write the JSON that claims.attribution reads.

    python benchmarks/train_attribution_model.py DATA_DIR [--output claims/models/attribution.json] [--folds K]

DATA_DIR holds `polnear/train/{text,attributions}` (the layout of the project's shared eval-data folder). Only
the training split is read, and of an article annotated twice, the first annotation file by name. Every
sentence of every article (claimbeam's own sentence splitter) gives examples, with claims.attribution's own
candidates and features, so that training and inference read the same numbers:

- the cue model: every candidate cue, labelled 1 when it lies in an annotated Cue span. The cue words are
  those annotated as cues at least `min_cue_count` times and in at least `min_cue_precision` of their
  occurrences;
- the head model: for every annotated cue, its candidate source heads, the head of the attribution's Source
  (the last word of the source's first noun phrase: "Friedman" in "Bob Friedman, a talk show host at ...")
  being the one to rank first. The noun-phrase modifiers are the lower-case words that stand in annotated
  sources before their head.

- the pair check: for the best cue and head that the two models find in a sentence, whether the attribution
  is right, its source included. Its examples are held-out predictions: each of K folds of articles is split
  by claimbeam with cue and head models trained on the other folds, and every mention whose source the
  learned model found is judged as benchmarks/attribution_quality.py judges (see check_label).

The cue model and the pair check are scikit-learn's LogisticRegression, the head model a conditional logit
fitted by scipy's L-BFGS, all with the fixed settings of TrainParams, so the same data and library versions
give the same file. The cue threshold and the pair check's two (for pronoun sources, and for the others) are
chosen on held-out scores as well (each fold's examples scored by a check trained on the other folds'
examples), by the issue's targets (see `choose`). The chosen pronoun threshold for each pair of the others is
printed, and the winner's figures are kept in the file. Needs scikit-learn (pip install -e ".[bench]").
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from itertools import product
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.attribution_quality import (GoldArticle, GoldEvent, mention_outcome,  # noqa: E402
                                            read_events, read_split, score_outcomes)
from benchmarks.common import parse_args, print_table  # noqa: E402
from claims.attribution import (DETERMINERS, CueContext, FORMAT, FORMAT_VERSION, FUNCTION_WORDS, TITLES, Token,  # noqa: E402
                                Candidate, LinearModel, best_pair, candidate_cues, candidate_heads, cue_features,
                                head_features, parse_attribution_model, phrase_heads, token_spans, tokenize)
from claims.mentions import attribute, split_article  # noqa: E402
from claims.sentences import split_sentences  # noqa: E402
from claims.text import fold  # noqa: E402

SHIPPED = Path(__file__).resolve().parents[1] / "claims" / "models" / "attribution.json"


@dataclass(frozen=True)
class TrainParams:
    min_cue_count: int = 3
    min_cue_precision: float = 0.1
    min_feature_count: int = 2
    c: float = 1.0  # inverse L2 regularisation strength
    min_weight: float = 0.02  # smaller weights are left out of the file (they change no decision on dev)
    folds: int = 5
    target_precision: float = 0.90  # held-out who-said-it precision the pair check's thresholds aim for ...
    min_detection_f1: float = 0.80  # ... keeping the detection F1 ...
    min_who_f1: float = 0.75  # ... and the who-said-it F1 at least these
    cue_thresholds: tuple[float, ...] = (0.3, 0.4, 0.5)  # a cue less probable is no candidate for the check
    pair_thresholds: tuple[float, ...] = tuple(round(0.05 * k, 2) for k in range(4, 20))
    seed: int = 0

    def __post_init__(self):
        if self.min_cue_count < 1 or self.min_feature_count < 1 or self.folds < 2:
            raise ValueError("counts must be positive and folds at least 2")
        if not 0 < self.min_cue_precision < 1 or not 0 < self.target_precision < 1 or self.c <= 0:
            raise ValueError("precisions must be in (0, 1) and c positive")


@dataclass
class Sentence:
    article: int
    start: int  # offset of the sentence in its article
    end: int
    tokens: list[Token]
    cue_events: dict[int, set[int]]  # token index -> events whose Cue holds it
    head_events: dict[int, set[int]]  # token index -> events whose source head it is
    sources: list[tuple[list[int], int | None]]  # each annotated Source's tokens here, and its head


def _inside(pieces, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in pieces)


def source_head(tokens: list[Token], inside: list[int]) -> int | None:
    """The head of an annotated source: the last word of its first noun phrase ("Bob Friedman, a talk show
    host" -> Friedman; "Mr. Trump" -> Trump; "the Clinton campaign" -> campaign)."""
    head = None
    for k in inside:
        t = tokens[k]
        if t.shape in ("C", "c", "N", "P") and (t.lower not in FUNCTION_WORDS or t.shape == "P"):
            head = k
        elif t.text == "." and head is not None and tokens[head].lower in TITLES:
            continue
        elif t.lower in DETERMINERS or (t.lower == "of" and head is not None and tokens[head].shape == "C"):
            continue
        elif head is not None:
            break
    return head


def article_sentences(number: int, text: str, events: tuple[GoldEvent, ...]) -> list[Sentence]:
    folded = fold(text)
    out = []
    for seg in split_sentences(text):
        if seg.heading:
            continue
        tokens = tokenize(folded[seg.start:seg.end])
        spans = [(seg.start + a, seg.start + b) for a, b in token_spans(folded[seg.start:seg.end])]
        cue_events, head_events, sources = {}, {}, []
        for e, event in enumerate(events):
            for cue in event.cues:
                for k, (a, b) in enumerate(spans):
                    if _inside(cue.pieces, a, b):
                        cue_events.setdefault(k, set()).add(e)
            for source in event.sources:
                inside = [k for k, (a, b) in enumerate(spans) if _inside(source.pieces, a, b)]
                head = source_head(tokens, inside)
                sources.append((inside, head))
                if head is not None:
                    head_events.setdefault(head, set()).add(e)
        out.append(Sentence(number, seg.start, seg.end, tokens, cue_events, head_events, sources))
    return out


def cue_lexicon(sentences: list[Sentence], params: TrainParams) -> frozenset[str]:
    """Words annotated as cues often enough, and in a large enough share of their occurrences."""
    as_cue, seen = Counter(), Counter()
    for s in sentences:
        for k, t in enumerate(s.tokens):
            seen[t.lower] += 1
            if k in s.cue_events:
                as_cue[t.lower] += 1
    keep = {w for w, n in as_cue.items() if n >= params.min_cue_count and n / seen[w] >= params.min_cue_precision
            and (w not in FUNCTION_WORDS or w == "according") and (w.isalpha() or w == ":")}
    return frozenset(keep)


def modifier_words(sentences: list[Sentence]) -> frozenset[str]:
    """Lower-case words that stand in annotated sources between the first word and the head, at least twice."""
    counts = Counter()
    for s in sentences:
        for inside, head in s.sources:
            for k in inside:
                t = s.tokens[k]
                if head is not None and k < head and t.shape == "c" and t.lower not in FUNCTION_WORDS:
                    counts[t.lower] += 1
    return frozenset(w for w, n in counts.items() if n >= 2)


def cue_examples(sentences: list[Sentence], cues: frozenset[str]):
    """(features, label) for every candidate cue: 1 when it lies in an annotated Cue span."""
    for s in sentences:
        for i in candidate_cues(s.tokens, cues):
            yield cue_features(s.tokens, i), int(i in s.cue_events)


def head_examples(sentences: list[Sentence], cues: frozenset[str], modifiers: frozenset[str]):
    """(group, features, label) for every candidate head of every annotated cue whose source's head is among
    the candidates (one group per cue): 1 for that head."""
    group = 0
    for s in sentences:
        heads = None
        for i in candidate_cues(s.tokens, cues):
            events = s.cue_events.get(i)
            if not events:
                continue
            heads = heads if heads is not None else phrase_heads(s.tokens, modifiers, cues)
            candidates = candidate_heads(s.tokens, i, heads)
            labels = [int(bool(events & s.head_events.get(j, set()))) for j in candidates]
            if not any(labels):
                continue
            ctx = CueContext.of(s.tokens, i, heads)
            for j, label in zip(candidates, labels):
                yield group, head_features(s.tokens, ctx, j), label
            group += 1


def _matrix(rows: list[list[str]], min_count: int):
    from scipy.sparse import csr_matrix

    counts = Counter(f for r in rows for f in set(r))
    index = {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    r_idx, c_idx = [], []
    for r, features in enumerate(rows):
        for f in set(features):
            if f in index:
                r_idx.append(r)
                c_idx.append(index[f])
    x = csr_matrix((np.ones(len(r_idx)), (r_idx, c_idx)), shape=(len(rows), len(index)))
    return x, sorted(index, key=index.get)


def fit_ranker(examples: list, params: TrainParams) -> dict:
    """A conditional logit: weights under which each group's labelled candidate scores highest, by
    L-BFGS on the softmax loss within groups plus an L2 penalty of 1 / (2 c)."""
    from scipy.optimize import minimize

    groups = np.array([ex[0] for ex in examples])
    y = np.array([ex[2] for ex in examples], dtype=float)
    x, names = _matrix([ex[1] for ex in examples], params.min_feature_count)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    size = np.diff(np.r_[starts, len(groups)])
    xt = x.T.tocsr()

    def loss(w):
        z = x @ w
        zmax = np.maximum.reduceat(z, starts)
        e = np.exp(z - np.repeat(zmax, size))
        total = np.add.reduceat(e, starts)
        gold = np.add.reduceat(e * y, starts)
        p = e / np.repeat(total, size)
        q = e * y / np.repeat(gold, size)
        value = float(np.sum(np.log(total) - np.log(gold))) + float(w @ w) / (2 * params.c)
        return value, xt @ (p - q) + w / params.c

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    weights = {f: round(float(w), 3) for f, w in zip(names, result.x) if abs(w) >= params.min_weight}
    return {"weights": weights, "bias": 0.0}


def fit(examples: list, params: TrainParams):
    """(weights by feature, bias) of a logistic regression over the examples' features."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for ex in examples for f in set(ex[0]))
    index = {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= params.min_feature_count))}
    rows, cols = [], []
    for r, ex in enumerate(examples):
        for f in set(ex[0]):
            if f in index:
                rows.append(r)
                cols.append(index[f])
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(index)))
    y = np.array([ex[1] for ex in examples])
    if len(set(y.tolist())) < 2:  # one class only (a tiny corpus): no feature tells anything apart
        return {"weights": {}, "bias": 4.0 if y.any() else -4.0}
    model = LogisticRegression(C=params.c, max_iter=2000, solver="liblinear", random_state=params.seed)
    model.fit(x, y)
    names = sorted(index, key=index.get)
    weights = {f: round(float(w), 3) for f, w in zip(names, model.coef_[0]) if abs(w) >= params.min_weight}
    return {"weights": weights, "bias": round(float(model.intercept_[0]), 3)}


def load_train(data_dir: Path) -> list[tuple[str, str, tuple[GoldEvent, ...]]]:
    root = data_dir / "polnear" / "train"
    annotations = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], path)
    return [(p.stem, p.read_text(encoding="utf-8"), read_events(annotations[p.stem]) if p.stem in annotations else ())
            for p in sorted((root / "text").glob("*.txt"))]


def train(sentences: list[Sentence], params: TrainParams) -> dict:
    """The model's parts learned from these sentences: cue words, modifiers, the cue and head models."""
    cues = cue_lexicon(sentences, params)
    if not cues:
        raise SystemExit(f"too few annotated cues to train on: no word is a cue {params.min_cue_count} times")
    modifiers = modifier_words(sentences) - cues
    return {"cues": sorted(cues), "modifiers": sorted(modifiers),
            "cue": fit(list(cue_examples(sentences, cues)), params),
            "head": fit_ranker(list(head_examples(sentences, cues, frozenset(modifiers))), params)}


def model_bytes(parts: dict, thresholds: dict, params: TrainParams, n_articles: int, extra: dict = ()) -> bytes:
    import sklearn

    spec = {"format": FORMAT, "format_version": FORMAT_VERSION,
            "trained_on": f"PolNeAR train: the {n_articles} articles' annotated attributions (first annotation "
                          f"file of each article)",
            "trainer": {"scikit-learn": sklearn.__version__, **asdict(params)}, **dict(extra), **thresholds, **parts}
    return json.dumps(spec, separators=(",", ":")).encode()


_UNCHECKED = {"pair": {"weights": {}, "bias": 0.0}, "pair_threshold": 0.0, "pronoun_pair_threshold": 0.0}


@dataclass
class HeldOut:
    """One fold's held-out mentions: each one's outcome, and, for those whose source the learned model found,
    the pair check's candidate (None for the others)."""

    outcomes: list[str]
    candidates: list[Candidate | None]


def held_out(parts: dict, params: TrainParams, gold: list[GoldArticle]) -> HeldOut:
    """The gold articles split by claimbeam with the parts' cue and head models and no pair check."""
    thresholds = {"cue_threshold": min(params.cue_thresholds), "head_threshold": 0.0}
    model = parse_attribution_model(model_bytes({**parts, **_UNCHECKED}, thresholds, params, 0))
    out = HeldOut([], [])
    for article in gold:
        for m in split_article(article.article_id, article.text, model=model).mentions:
            learned = m.speaker_as_written is not None and attribute(m.text, model=model).learned
            out.outcomes.append(mention_outcome(m, article))
            out.candidates.append(best_pair(fold(m.text), model) if learned else None)
    return out


def check_label(outcome: str, candidate: Candidate) -> int | None:
    """What the pair check learns of a learned mention: 1 for the right source, 0 for a wrong one or an
    attribution the gold does not have. Of a source the gold names only by a pronoun, the detection is right
    and the name not judged: 1 when claimbeam's source is a pronoun too, and no example otherwise."""
    if outcome == "not judged":
        return 1 if candidate.pronoun_source else None
    return int(outcome == "correct")


# A learned attribution that the check turns down: what its mention's outcome becomes.
_TURNED_DOWN = {"correct": "missed", "wrong source": "missed", "not judged": "missed, not judged",
                "false alarm": "rightly none"}


def cross_validate(sentences: list[Sentence], gold: list[GoldArticle], params: TrainParams):
    """The pair check's examples (features, label) from held-out predictions, and the detection and
    who-said-it figures of each set of thresholds (the cue's; the check's for other sources and for pronoun
    sources), with each fold's examples scored by a check trained on the other folds' examples."""
    folds = []
    for k in range(params.folds):
        held = [a for n, a in enumerate(gold) if n % params.folds == k]
        if held:
            folds.append(held_out(train([s for s in sentences if s.article % params.folds != k], params), params,
                                  held))
    examples = [[(c.features, label) for o, c in zip(h.outcomes, h.candidates)
                 if c is not None and (label := check_label(o, c)) is not None] for h in folds]
    scored = []  # (outcome, held-out pair probability or None, pronoun source, cue probability) of every mention
    for k, h in enumerate(folds):
        check = LinearModel(**fit([ex for m, exs in enumerate(examples) if m != k for ex in exs], params))
        scored += [(o, None, False, 1.0) if c is None
                   else (o, check.probability(c.features), c.pronoun_source, c.cue_probability)
                   for o, c in zip(h.outcomes, h.candidates)]
    rows = []
    for cue_t, t, t_pronoun in product(params.cue_thresholds, params.pair_thresholds, params.pair_thresholds):
        result = score_outcomes(_TURNED_DOWN.get(o, o) if p is not None and (cue_p < cue_t or
                                                                            p < (t_pronoun if pronoun else t)) else o
                                for o, p, pronoun, cue_p in scored)
        rows.append({"cue_threshold": cue_t, "pair_threshold": t, "pronoun_pair_threshold": t_pronoun,
                     **{f"detection {k}": v for k, v in result["detection"].items()},
                     **{f"who {k}": v for k, v in result["who_said_it"].items()}})
    return [ex for exs in examples for ex in exs], rows


def choose(rows: list[dict], params: TrainParams) -> dict:
    """The thresholds that meet the issue's targets (both F1s at their floors, who-said-it precision at
    params.target_precision) with the best sum of the two F1s; if none meets them all, the most precise of those
    that keep both F1s at their floors; if none does, the best sum of the F1s."""
    def key(r):
        return r["detection f1"] + r["who f1"], -r["cue_threshold"], -r["pair_threshold"], -r["pronoun_pair_threshold"]

    floors = [r for r in rows if r["detection f1"] >= params.min_detection_f1 and r["who f1"] >= params.min_who_f1]
    targets = [r for r in floors if r["who precision"] >= params.target_precision]
    if targets:
        return max(targets, key=key)
    if floors:
        return max(floors, key=lambda r: (r["who precision"], key(r)))
    return max(rows, key=key)


def best_by_threshold(rows: list[dict], params: TrainParams) -> list[dict]:
    """For each cue threshold and pair threshold of the other sources, the row that choose() would take among
    its pronoun thresholds."""
    return [choose([r for r in rows if r["cue_threshold"] == cue_t and r["pair_threshold"] == t], params)
            for cue_t, t in product(params.cue_thresholds, params.pair_thresholds)]


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--output", type=Path, default=SHIPPED)
        parser.add_argument("--folds", type=int, default=TrainParams.folds,
                            help="folds of articles for choosing the thresholds (default %(default)s)")

    args = parse_args(__doc__, "folder with polnear/train", argv, extra=extra)
    params = TrainParams(folds=args.folds)
    articles = load_train(args.data_dir)
    gold = read_split(args.data_dir / "polnear" / "train")
    sentences = [s for n, (_, text, events) in enumerate(articles) for s in article_sentences(n, text, events)]
    examples, rows = cross_validate(sentences, gold, params)
    print_table(f"Pair-check thresholds by {params.folds}-fold cross-validation over PolNeAR train's articles "
                f"(for each threshold, the best pronoun threshold)", best_by_threshold(rows, params))
    best = choose(rows, params)
    thresholds = {"cue_threshold": best["cue_threshold"], "head_threshold": 0.0,
                  "pair_threshold": best["pair_threshold"], "pronoun_pair_threshold": best["pronoun_pair_threshold"]}
    parts = {**train(sentences, params), "pair": fit(examples, params)}
    data = model_bytes(parts, thresholds, params, len(articles), {"cross_validation": best})
    parse_attribution_model(data)  # what claims reads must accept what was written
    args.output.write_bytes(data)
    print(f"wrote {args.output}: {len(parts['cue']['weights'])} + {len(parts['head']['weights'])} "
          f"+ {len(parts['pair']['weights'])} weights, {len(parts['cues'])} cue words, thresholds {thresholds}")
    return json.loads(data)


if __name__ == "__main__":
    main()
