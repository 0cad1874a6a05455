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

The cue model is scikit-learn's LogisticRegression, the head model a conditional logit fitted by scipy's
L-BFGS, both with the fixed settings of TrainParams, so the same data and library versions give the same file.
The two thresholds (the cue's probability, and the cue's times its head's) are chosen by K-fold
cross-validation over articles: each fold is split by claimbeam with a model trained on the other folds and
judged as benchmarks/attribution_quality.py judges, and the pair with the best sum of the detection and
who-said-it F1s among those whose detection precision reaches `target_precision` wins. The table of every pair
is printed, and the winner's figures are kept in the file. Needs scikit-learn (pip install -e ".[bench]").
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass, replace
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.attribution_quality import GoldArticle, GoldEvent, judge, read_events, read_split  # noqa: E402
from benchmarks.common import parse_args, print_table  # noqa: E402
from claims.attribution import (DETERMINERS, CueContext, FORMAT, FORMAT_VERSION, FUNCTION_WORDS, TITLES, Token,  # noqa: E402
                                candidate_cues, candidate_heads, cue_features, head_features, phrase_heads,
                                parse_attribution_model, token_spans, tokenize)
from claims.mentions import split_article  # noqa: E402
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
    target_precision: float = 0.915
    cue_thresholds: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7)
    head_thresholds: tuple[float, ...] = (0.0, 0.3, 0.5)  # on the cue's probability times its head's
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


def predicted_mentions(model, gold: list[GoldArticle]) -> pd.DataFrame:
    """What the claimbeam splitter says of the articles with this model: the columns judge() reads."""
    rows = []
    for article in gold:
        for m in split_article(article.article_id, article.text, model=model).mentions:
            rows.append({"article_id": article.article_id, "char_start": m.char_start, "char_end": m.char_end,
                         "speaker": m.speaker, "speaker_as_written": m.speaker_as_written,
                         "attributed_to": m.attributed_to})
    return pd.DataFrame(rows, columns=["article_id", "char_start", "char_end", "speaker", "speaker_as_written",
                                       "attributed_to"])


def cross_validate(sentences: list[Sentence], gold: list[GoldArticle], params: TrainParams) -> list[dict]:
    """Detection and who-said-it figures of each threshold pair, over `params.folds` folds of articles:
    each fold's articles are split with a model trained on the other folds."""
    predicted = {pair: [] for pair in product(params.cue_thresholds, params.head_thresholds)}
    for k in range(params.folds):
        held = [a for n, a in enumerate(gold) if n % params.folds == k]
        if not held:
            continue
        parts = train([s for s in sentences if s.article % params.folds != k], params)
        base = parse_attribution_model(model_bytes(parts, {"cue_threshold": 0.0, "head_threshold": 0.0}, params, 0))
        for cue_t, head_t in predicted:
            model = replace(base, cue_threshold=cue_t, head_threshold=head_t)
            predicted[cue_t, head_t].append(predicted_mentions(model, held))
    rows = []
    for (cue_t, head_t), frames in predicted.items():
        result = judge(pd.concat(frames, ignore_index=True), gold)
        rows.append({"cue_threshold": cue_t, "head_threshold": head_t,
                     **{f"detection {k}": v for k, v in result["detection"].items()},
                     **{f"who {k}": v for k, v in result["who_said_it"].items()}})
    return rows


def choose(rows: list[dict], params: TrainParams) -> dict:
    """The threshold pair with the best sum of the two F1s among those whose detection precision reaches
    params.target_precision (the most precise one if none does)."""
    eligible = [r for r in rows if r["detection precision"] >= params.target_precision]
    if not eligible:
        return max(rows, key=lambda r: r["detection precision"])
    return max(eligible, key=lambda r: (r["detection f1"] + r["who f1"], r["cue_threshold"]))


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
    rows = cross_validate(sentences, gold, params)
    print_table(f"Thresholds by {params.folds}-fold cross-validation over PolNeAR train's articles", rows)
    best = choose(rows, params)
    thresholds = {"cue_threshold": best["cue_threshold"], "head_threshold": best["head_threshold"]}
    parts = train(sentences, params)
    data = model_bytes(parts, thresholds, params, len(articles), {"cross_validation": best})
    parse_attribution_model(data)  # what claims reads must accept what was written
    args.output.write_bytes(data)
    print(f"wrote {args.output}: {len(parts['cue']['weights'])} + {len(parts['head']['weights'])} weights, "
          f"{len(parts['cues'])} cue words, thresholds {thresholds}")
    return json.loads(data)


if __name__ == "__main__":
    main()
