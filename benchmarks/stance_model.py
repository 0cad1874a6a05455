"""Would a learned stance model beat verify mode's rules? Story-grouped cross-validation on FNC-1 train.

    python benchmarks/stance_model.py DATA_DIR [--folds 5] [--weights 1 3 6] [--json FILE]

Every labelled headline-body pair of FNC-1 train gets the features of
claims.stance_features, computed with the pipeline's own pure functions: the
splitter, the corpus's document frequencies, the targets' blocking index and
the TF-IDF relatedness. Relatedness is the pipeline's rule in every row (the
article meets the target through the blocking index and reaches
`related_threshold`); the rows differ in the stance of the related pairs:

- rules: verify mode's stance rules, as `claimbeam run --claims` applies them
  (so its scores should match verify_quality.py's);
- model, disagree weight W: scikit-learn's HistGradientBoostingClassifier over
  the features, trained on the gold-related pairs of the other folds, with
  each disagree example weighted W (disagree is 6% of the related pairs).

The folds are FNC-1's stories (connected components of the related
headline-body pairs), so no story is in both a model's training part and its
test part; every pair is scored by a model that never saw its story. The
scores are verify_quality.py's. Nothing here changes the pipeline: it measures
whether wiring such a model into verify mode is worth it. Needs scikit-learn
(pip install -e ".[bench]").
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from benchmarks.verify_quality import fnc_scores, headline_ids, read_fnc  # noqa: E402
from claims.mentions import split_article  # noqa: E402
from claims.stance_features import FEATURE_NAMES, pair_features  # noqa: E402
from claims.unionfind import components  # noqa: E402
from claims.verify import (Target, TargetIndex, VerifyParams, article_norm, article_words, cosine,  # noqa: E402
                           target_features, words_of)

RULE_LABELS = {"rules_support": "agree", "rules_refute": "disagree"}


def pair_table(data_dir: Path, params: VerifyParams = VerifyParams()) -> pd.DataFrame:
    """One row per labelled pair: gold stance, story, whether the pipeline relates it, and the features."""
    bodies, stances = read_fnc(data_dir)
    texts = dict(zip(bodies["Body ID"], bodies.articleBody))
    mentions = {b: split_article(b, t).mentions for b, t in texts.items()}
    mention_words = {b: [words_of(m.text) for m in ms] for b, ms in mentions.items()}
    counts = {b: article_words(None, t) for b, t in texts.items()}
    doc_freq = Counter(w for c in counts.values() for w in c)
    norms = {b: article_norm(c, doc_freq, len(texts)) for b, c in counts.items()}
    ids = headline_ids(stances.Headline)
    targets = {h: target_features(Target(i, h), doc_freq, len(texts), params) for h, i in ids.items()}
    index = TargetIndex(targets.values())
    met = {b: {t.target_id for t in index.candidates(c)} for b, c in counts.items()}
    story = components((f"h:{h}", f"b:{b}") for h, b, s in zip(stances.Headline, stances["Body ID"], stances.Stance)
                       if s != "unrelated")
    rows = []
    for headline, body, gold in zip(stances.Headline, stances["Body ID"], stances.Stance):
        target = targets[headline]
        relatedness = cosine(target, counts[body], norms[body])
        rows.append((gold, story.get(f"b:{body}", f"b:{body}"),
                     target.target_id in met[body] and relatedness >= params.related_threshold,
                     *pair_features(target, mentions[body], mention_words[body], relatedness, params)))
    return pd.DataFrame(rows, columns=["gold", "story", "related", *FEATURE_NAMES])


def rules_prediction(table: pd.DataFrame) -> pd.Series:
    stance = np.select([table[c] > 0 for c in RULE_LABELS], list(RULE_LABELS.values()), "discuss")
    return pd.Series(np.where(table.related, stance, "unrelated"), index=table.index)


def model_prediction(table: pd.DataFrame, folds: int, disagree_weight: float) -> pd.Series:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    features = table[list(FEATURE_NAMES)].to_numpy(float)
    gold = table.gold.to_numpy()
    stance = np.empty(len(table), dtype=object)
    for train, test in GroupKFold(n_splits=folds).split(features, gold, table.story):
        train = train[gold[train] != "unrelated"]
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, l2_regularization=1.0,
                                               random_state=0)
        model.fit(features[train], gold[train],
                  sample_weight=np.where(gold[train] == "disagree", disagree_weight, 1.0))
        stance[test] = model.predict(features[test])
    return pd.Series(np.where(table.related, stance, "unrelated"), index=table.index)


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--folds", type=int, default=5, help="story-grouped folds (default 5)")
        parser.add_argument("--weights", type=float, nargs="+", default=[1.0, 3.0, 6.0],
                            help="disagree example weights to train a model with (default 1 3 6)")

    args = parse_args(__doc__, "folder with fnc-1/", argv, extra)
    table = pair_table(args.data_dir)
    gold = table.gold.reset_index(drop=True)
    rows = [{"stance of related pairs": "rules", **fnc_scores(gold, rules_prediction(table))}]
    for weight in args.weights:
        rows.append({"stance of related pairs": f"model, disagree weight {weight:g}",
                     **fnc_scores(gold, model_prediction(table, args.folds, weight))})
    results = {"stories": int(table.story.nunique()), "folds": args.folds, "fnc1_train_cv": rows}
    print_table(f"FNC-1 train, {results['stories']} stories in {args.folds} story-grouped folds", rows)
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
