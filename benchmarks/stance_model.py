"""Would a learned stance model beat verify mode's rules, and at what weight? Story-grouped CV on FNC-1 train.

    python benchmarks/stance_model.py DATA_DIR [--folds 5] [--weights 1 3 6] [--json FILE]

A quick, in-memory study for choosing the model's features and settings:
every labelled headline-body pair of FNC-1 train gets the features of
claims.stance_features (train_stance_model.pair_table, computed with the
pipeline's own functions). Relatedness is the pipeline's rule in every row
(the article meets the target through the blocking index and reaches
`related_threshold`); the rows differ in the stance of the related pairs:

- rules: verify mode's stance rules, as `claimbeam run --claims --stance
  rules` applies them (so its scores match verify_quality.py's);
- model, refute weight W: train_stance_model's model with each refuting
  example weighted W, trained without the pair's story fold (the folds of
  train_stance_model, so the shipped weight's row is what
  verify_quality.py --cross-validate measures end to end).

Every pair is scored by a model that never saw its story. The scores are
verify_quality.py's. Needs scikit-learn (pip install -e ".[bench]").
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from benchmarks.train_stance_model import (FNC_TO_STANCE, TrainParams, fit, held_out, pair_table,  # noqa: E402
                                           story_folds)
from benchmarks.verify_quality import fnc_scores  # noqa: E402
from claims.stance_features import FEATURE_NAMES  # noqa: E402
from claims.verify import VerifyParams, too_far_to_take_a_side  # noqa: E402

RULE_LABELS = {"rules_support": "agree", "rules_refute": "disagree"}
STANCE_TO_FNC = {s: f for f, s in FNC_TO_STANCE.items()}


def rules_prediction(table: pd.DataFrame) -> pd.Series:
    stance = np.select([table[c] > 0 for c in RULE_LABELS], list(RULE_LABELS.values()), "discuss")
    return pd.Series(np.where(table.related, stance, "unrelated"), index=table.index)


def model_prediction(table: pd.DataFrame, folds: int, refute_weight: float,
                     params: VerifyParams = VerifyParams()) -> pd.Series:
    """Each pair's stance from the model trained without its story's fold (train_stance_model's folds).

    As in verify mode (claims.stance_model.model_stance), a clear conflict in the closest sentence refutes,
    and otherwise a pair whose closest sentence is below `model_side_threshold` takes no side.
    """
    fold_of = story_folds(table.groupby("story").size().to_dict(), folds)
    fold = table.story.map(fold_of)
    stance = pd.Series("unrelated", index=table.index, dtype=object)
    for i in range(folds):
        model = fit(table[~held_out(table, fold_of, i)], TrainParams(refute_weight=refute_weight))
        test = table[(fold == i) & table.related]
        if len(test):
            read = model.predict(test[list(FEATURE_NAMES)].to_numpy(float))
            far = [too_far_to_take_a_side(similarity, params) for similarity in test.best_similarity]
            stance[test.index] = [STANCE_TO_FNC["refute" if clear else "discuss" if f else s]
                                  for s, f, clear in zip(read, far, test.clear_conflict)]
    return stance


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--folds", type=int, default=5, help="story-grouped folds (default 5)")
        parser.add_argument("--weights", type=float, nargs="+", default=[1.0, 3.0, 6.0],
                            help="weights of refuting examples to train a model with (default 1 3 6; the shipped "
                                 "model uses 3)")

    args = parse_args(__doc__, "folder with fnc-1/", argv, extra)
    table = pair_table(args.data_dir)
    gold = table.gold.reset_index(drop=True)
    rows = [{"stance of related pairs": "rules", **fnc_scores(gold, rules_prediction(table))}]
    for weight in args.weights:
        rows.append({"stance of related pairs": f"model, refute weight {weight:g}",
                     **fnc_scores(gold, model_prediction(table, args.folds, weight))})
    results = {"stories": int(table.story.nunique()), "folds": args.folds, "fnc1_train_cv": rows}
    print_table(f"FNC-1 train, {results['stories']} stories in {args.folds} story-grouped folds", rows)
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
