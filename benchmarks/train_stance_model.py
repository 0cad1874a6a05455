"""Train verify mode's stance model on FNC-1 train, reproducibly, and write it as the JSON that claims reads.

    python benchmarks/train_stance_model.py DATA_DIR [--output claims/models/stance.json]
    python benchmarks/train_stance_model.py DATA_DIR --folds 5 --fold-dir DIR   # one model per held-out fold

DATA_DIR holds `fnc-1/train_{bodies,stances}.csv` (and, for the folds,
optionally `emergent/edata_all.csv`). Every headline-body pair FNC-1 labels
agree, disagree or discuss becomes one training example: the features of
claims.stance_features, computed by the pipeline's own functions (splitter,
document frequencies, TF-IDF relatedness, the rules), and the stance it maps
to (support, refute, discuss). So does every unrelated pair that the
pipeline's TF-IDF rule relates, as discuss: the model reads exactly the
pairs that pass that rule.

The model is scikit-learn's HistGradientBoostingClassifier with the fixed
settings of TrainParams and a fixed seed, so the same data and scikit-learn
version give the same file. Before writing, the exported trees are run
through claims.stance_model and must give scikit-learn's probabilities.

With --folds K, FNC-1's stories (connected components of its related pairs,
joined also where two bodies belong to one Emergent claim) are dealt into K
folds, and model i is trained without fold i. verify_quality.py
--cross-validate runs each fold's targets with the model that never saw
their story. Needs scikit-learn (pip install -e ".[bench]").
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args  # noqa: E402
from benchmarks.verify_quality import emergent_join, headline_ids, read_fnc  # noqa: E402
from claims.mentions import split_article  # noqa: E402
from claims.stance_features import FEATURE_NAMES, article_cues, pair_features  # noqa: E402
from claims.stance_model import FORMAT, FORMAT_VERSION, parse_stance_model, tree_lists  # noqa: E402
from claims.unionfind import components  # noqa: E402
from claims.verify import (Target, TargetIndex, VerifyParams, article_norm, article_stance,  # noqa: E402
                           article_words, cosine, mention_similarities, target_features, words_of)

FNC_TO_STANCE = {"agree": "support", "disagree": "refute", "discuss": "discuss"}
SHIPPED = Path(__file__).resolve().parents[1] / "claims" / "models" / "stance.json"


@dataclass(frozen=True)
class TrainParams:
    """The model's settings, chosen by story-grouped cross-validation (benchmarks/stance_model.py)."""

    max_iter: int = 100  # boosting rounds (one tree per stance each)
    max_leaf_nodes: int = 15
    learning_rate: float = 0.1
    l2_regularization: float = 1.0
    refute_weight: float = 3.0  # refuting pairs are 6% of FNC-1's related pairs; weigh them up
    seed: int = 0

    def __post_init__(self):
        if self.max_iter < 1 or self.max_leaf_nodes < 2:
            raise ValueError("max_iter must be at least 1 and max_leaf_nodes at least 2")
        if not 0.0 < self.learning_rate <= 1.0:
            raise ValueError("learning_rate must be in (0, 1]")
        if self.l2_regularization < 0 or self.refute_weight <= 0:
            raise ValueError("l2_regularization must be at least 0 and refute_weight above 0")


def pair_table(data_dir: Path, params: VerifyParams = VerifyParams()) -> pd.DataFrame:
    """One row per labelled pair: headline, body, gold stance, their stories, whether the pipeline relates it,
    whether the rules read a clear conflict that no model overrules, and the features. The story is the
    headline's; an unrelated pair's body may belong to another."""
    bodies, stances = read_fnc(data_dir)
    texts = dict(zip(bodies["Body ID"], bodies.articleBody))
    mentions = {b: split_article(b, t).mentions for b, t in texts.items()}
    mention_words = {b: [words_of(m.text) for m in ms] for b, ms in mentions.items()}
    cues = {b: article_cues(mentions[b], mention_words[b]) for b in texts}
    counts = {b: article_words(t) for b, t in texts.items()}
    doc_freq = Counter(w for c in counts.values() for w in c)
    norms = {b: article_norm(c, doc_freq, len(texts)) for b, c in counts.items()}
    ids = headline_ids(stances.Headline)
    targets = {h: target_features(Target(i, h), doc_freq, len(texts), params) for h, i in ids.items()}
    index = TargetIndex(targets.values())
    met = {b: {t.target_id for t in index.candidates(c)} for b, c in counts.items()}
    story = stories(data_dir, stances)
    rows = []
    for headline, body, gold in zip(stances.Headline, stances["Body ID"], stances.Stance):
        target = targets[headline]
        relatedness = cosine(target, counts[body], norms[body])
        similarities = mention_similarities(target, mention_words[body])
        rules = article_stance(target, mentions[body], params, mention_words[body], similarities)
        rows.append((headline, body, gold, story[f"h:{headline}"], story[f"b:{body}"],
                     target.target_id in met[body] and relatedness >= params.related_threshold, rules.clear_conflict,
                     *pair_features(target, cues[body], relatedness, rules, params, similarities)))
    return pd.DataFrame(rows, columns=["headline", "body", "gold", "story", "body_story", "related", "clear_conflict",
                                       *FEATURE_NAMES])


def stories(data_dir: Path, stances: pd.DataFrame) -> dict[str, str]:
    """"h:<headline>", "b:<body id>", "c:<Emergent claim id>" -> story: components of related pairs and claims."""
    links = [(f"h:{h}", f"b:{b}") for h, b, s in zip(stances.Headline, stances["Body ID"], stances.Stance)
             if s != "unrelated"]
    keys = {f"h:{h}" for h in stances.Headline} | {f"b:{b}" for b in stances["Body ID"]}
    if (data_dir / "emergent" / "edata_all.csv").exists():
        _, body_claim = emergent_join(data_dir)
        links += [(f"b:{b}", f"c:{c}") for b, c in body_claim.items()]
        keys |= {f"c:{c}" for c in body_claim.values()}
    story = components(links)
    return {k: story.get(k, k) for k in keys}


def story_folds(story_sizes: dict[str, int], folds: int) -> dict[str, int]:
    """Story -> fold, dealing the largest stories first to the fold with the fewest pairs (deterministic)."""
    load, fold_of = [0] * folds, {}
    for name, size in sorted(story_sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        fold_of[name] = min(range(folds), key=lambda i: (load[i], i))
        load[fold_of[name]] += size
    return fold_of


def training_pairs(table: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(pairs, their stances): every gold-related pair, and every unrelated pair the pipeline relates, as discuss.

    The model reads the pairs the pipeline relates, so it learns from those:
    an article that only seems to address a claim takes no side on it.
    """
    pairs = table[(table.gold != "unrelated") | table.related]
    return pairs, pairs.gold.map({**FNC_TO_STANCE, "unrelated": "discuss"}).to_numpy()


def fit(table: pd.DataFrame, params: TrainParams = TrainParams()):
    """A HistGradientBoostingClassifier on the table's training_pairs."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    pairs, labels = training_pairs(table)
    model = HistGradientBoostingClassifier(
        max_iter=params.max_iter, max_leaf_nodes=params.max_leaf_nodes, learning_rate=params.learning_rate,
        l2_regularization=params.l2_regularization, early_stopping=False, random_state=params.seed)
    model.fit(pairs[list(FEATURE_NAMES)].to_numpy(float), labels,
              sample_weight=np.where(labels == "refute", params.refute_weight, 1.0))
    return model


def export(model, check: np.ndarray, trained_on: str, params: TrainParams) -> bytes:
    """The model file's bytes; raises if claims.stance_model does not reproduce scikit-learn on `check` rows."""
    import sklearn

    trees = []
    for round_trees in model._predictors:  # one tree per class per boosting round
        for k, tree in enumerate(round_trees):
            if tree.nodes["is_categorical"].any():  # (missing values need no direction: features are never NaN)
                raise ValueError("categorical splits cannot be exported")
            trees.append(tree_lists([(-1 if n["is_leaf"] else int(n["feature_idx"]), float(n["num_threshold"]),
                                      int(n["left"]), int(n["right"]), float(n["value"])) for n in tree.nodes], k))
    spec = {"format": FORMAT, "format_version": FORMAT_VERSION, "trained_on": trained_on,
            "trainer": {"scikit-learn": sklearn.__version__, **asdict(params)},
            "features": list(FEATURE_NAMES), "classes": [str(c) for c in model.classes_],
            "baseline": [float(b) for b in np.ravel(model._baseline_prediction)], "trees": trees}
    data = json.dumps(spec, separators=(",", ":")).encode()
    ours = parse_stance_model(data).probabilities(check)
    if not np.allclose(ours, model.predict_proba(check), rtol=0, atol=1e-9):
        raise AssertionError("the exported trees do not reproduce scikit-learn's probabilities")
    return data


def train(table: pd.DataFrame, trained_on: str, params: TrainParams = TrainParams()) -> bytes:
    model = fit(table, params)
    return export(model, table[list(FEATURE_NAMES)].to_numpy(float), trained_on, params)


def held_out(table: pd.DataFrame, fold_of: dict[str, int], fold: int) -> pd.Series:
    """The rows a model for `fold` must not train on: its stories' headlines, and its stories' bodies (an
    unrelated pair that the pipeline relates pairs one story's headline with another story's body)."""
    return (table.story.map(fold_of) == fold) | (table.body_story.map(fold_of) == fold)


def fold_models(table: pd.DataFrame, folds: int, params: TrainParams = TrainParams()) -> tuple[dict[str, int], list[bytes]]:
    """(story -> fold, model files): model i never saw a headline or a body of fold i's stories."""
    fold_of = story_folds(table.groupby("story").size().to_dict(), folds)
    models = [train(table[~held_out(table, fold_of, i)],
                    f"FNC-1 train, pairs of the stories outside fold {i} of {folds}", params) for i in range(folds)]
    return fold_of, models


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--output", type=Path, default=SHIPPED, help="model file to write (default: the shipped one)")
        parser.add_argument("--folds", type=int, help="instead, write one model per held-out story fold")
        parser.add_argument("--fold-dir", type=Path, help="with --folds: folder for stance-fold-<i>.json and folds.json")

    args = parse_args(__doc__, "folder with fnc-1/", argv, extra)
    table = pair_table(args.data_dir)
    if args.folds:
        if not args.fold_dir:
            raise SystemExit("--folds needs --fold-dir")
        fold_of, models = fold_models(table, args.folds)
        args.fold_dir.mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(models):
            (args.fold_dir / f"stance-fold-{i}.json").write_bytes(data)
        (args.fold_dir / "folds.json").write_text(json.dumps(fold_of, sort_keys=True))
        summary = {"folds": args.folds, "stories": len(fold_of), "fold_dir": str(args.fold_dir)}
    else:
        pairs, _ = training_pairs(table)
        labelled = int((pairs.gold != "unrelated").sum())
        data = train(table, f"FNC-1 train: the {labelled} headline-body pairs labelled agree, disagree or discuss, "
                            f"and the {len(pairs) - labelled} unrelated pairs verify mode relates, as discuss")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(data)
        summary = {"pairs": len(pairs), "output": str(args.output), "bytes": len(data)}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
