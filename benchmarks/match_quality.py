"""Claim-matching quality on real news sentence pairs: MRPC and STS Benchmark.

    python benchmarks/match_quality.py DATA_DIR [--json results.json]

DATA_DIR holds `mrpc/msr_paraphrase_train.txt` and `sts-benchmark/sts-{train,dev}.csv`
(the layout of the project's shared eval-data folder). Reported, in one run:

- MRPC train: accuracy and F1 of claimbeam's same-claim decision at its default
  settings, and of its score at the best threshold for this data (an upper bound:
  that threshold is chosen on the very pairs it is scored on); the majority-class
  baseline; and rapidfuzz's token_set_ratio at its best threshold.
- STS-B main-news (train and dev): Spearman correlation with the 0-5 gold score
  of claimbeam's match score and of token_set_ratio.
- With --learned-ceiling, how far lexical evidence can go on MRPC: a logistic
  regression over claimbeam's score and every other lexical signal at hand
  (unweighted overlap, four rapidfuzz ratios, length, number and polarity
  agreement), scored by 5-fold cross-validation. Not part of the matcher.
"""
from __future__ import annotations

import csv
import math
import sys
import time
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, utils

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from claims.matching import (MatchParams, compare, document_frequencies, quantities_conflict,  # noqa: E402
                             sentence_features, word_score)
from claims.text import is_year  # noqa: E402


def read_mrpc(path: Path) -> pd.DataFrame:
    """MRPC pairs: label (1 = paraphrase), a, b. TSV with a BOM and no quoting."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    header, body = rows[0], [r for r in rows[1:] if len(r) >= 5]
    if header[0] != "Quality":
        raise ValueError(f"{path}: not an MRPC pairs file (header {header[:3]})")
    return pd.DataFrame({"label": [int(r[0]) for r in body], "a": [r[3] for r in body], "b": [r[4] for r in body]})


def read_sts(path: Path) -> pd.DataFrame:
    """STS-B rows: genre, filename, score, a, b (the first 7 TSV columns, no quoting)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if len(r) >= 7]
    return pd.DataFrame({"genre": [r[0] for r in rows], "filename": [r[1] for r in rows],
                         "score": [float(r[4]) for r in rows], "a": [r[5] for r in rows], "b": [r[6] for r in rows]})


def accuracy_f1(predicted: pd.Series, label: pd.Series) -> tuple[float, float]:
    tp = int(((predicted == 1) & (label == 1)).sum())
    fp = int(((predicted == 1) & (label == 0)).sum())
    fn = int(((predicted == 0) & (label == 1)).sum())
    accuracy = float((predicted == label).mean())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return accuracy, f1


def best_threshold(scores: pd.Series, label: pd.Series) -> tuple[float, float, float]:
    """(threshold, accuracy, F1) of the threshold on `scores` that maximises accuracy."""
    best = (0.0, -1.0, 0.0)
    for threshold in sorted(set(scores.round(4))):
        accuracy, f1 = accuracy_f1((scores >= threshold).astype(int), label)
        if accuracy > best[1]:
            best = (float(threshold), accuracy, f1)
    return best


def spearman(x: pd.Series, y: pd.Series) -> float:
    """Spearman's rho: Pearson's correlation of average ranks (pandas' own needs scipy)."""
    return float(x.rank().corr(y.rank()))


def token_set(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100.0


def corpus_features(frame: pd.DataFrame) -> list[tuple]:
    """Each pair's features, weighted by word rarity over this data set's sentences, as the pipeline does
    over its corpus (unsupervised: no labels are used)."""
    doc_freq, n_docs = document_frequencies(list(frame.a) + list(frame.b))
    return [(sentence_features(a, doc_freq, n_docs), sentence_features(b, doc_freq, n_docs))
            for a, b in zip(frame.a, frame.b)]


def evaluate_mrpc(pairs: pd.DataFrame, params: MatchParams) -> list[dict]:
    started = time.perf_counter()
    feats = corpus_features(pairs)
    decided = pd.Series([int((r := compare(fa, fb, params)) is not None and r[0] == "same_claim") for fa, fb in feats])
    ours = pd.Series([word_score(fa, fb) for fa, fb in feats])
    seconds = time.perf_counter() - started
    baseline = pd.Series([token_set(a, b) for a, b in zip(pairs.a, pairs.b)])
    label = pairs.label
    majority = int(label.mean() >= 0.5)
    rows = []
    acc, f1 = accuracy_f1(decided, label)
    rows.append({"method": "claimbeam same_claim (defaults)", "threshold": params.threshold, "accuracy": acc,
                 "f1": f1})
    t, acc, f1 = best_threshold(ours, label)
    rows.append({"method": "claimbeam score, best threshold (tuned here)", "threshold": t, "accuracy": acc, "f1": f1})
    t, acc, f1 = best_threshold(baseline, label)
    rows.append({"method": "rapidfuzz token_set_ratio, best threshold", "threshold": t, "accuracy": acc, "f1": f1})
    acc, f1 = accuracy_f1(pd.Series([majority] * len(label)), label)
    rows.append({"method": "majority class", "threshold": "-", "accuracy": acc, "f1": f1})
    for row in rows:
        row["pairs"] = len(pairs)
    rows[0]["seconds"] = round(seconds, 2)
    return rows


def evaluate_sts(frames: dict[str, pd.DataFrame]) -> list[dict]:
    rows = []
    for name, frame in frames.items():
        ours = pd.Series([word_score(fa, fb) for fa, fb in corpus_features(frame)])
        baseline = pd.Series([token_set(a, b) for a, b in zip(frame.a, frame.b)])
        gold = frame.score.reset_index(drop=True)
        rows.append({"split": name, "pairs": len(frame),
                     "claimbeam spearman": spearman(ours, gold),
                     "token_set_ratio spearman": spearman(baseline, gold)})
    return rows


def lexical_signals(pairs: pd.DataFrame) -> pd.DataFrame:
    """One row of lexical similarity signals per pair."""
    rows = []
    for (fa, fb), a, b in zip(corpus_features(pairs), pairs.a, pairs.b):
        pa, pb = utils.default_process(a), utils.default_process(b)
        rows.append({
            "idf dice": word_score(fa, fb), "plain dice": word_score(sentence_features(a), sentence_features(b)),
            "token_set": fuzz.token_set_ratio(pa, pb) / 100, "token_sort": fuzz.token_sort_ratio(pa, pb) / 100,
            "ratio": fuzz.ratio(pa, pb) / 100, "partial": fuzz.partial_ratio(pa, pb) / 100,
            "length": abs(math.log((len(a) + 1) / (len(b) + 1))),
            "quantity conflict": float(quantities_conflict(fa.quantities, fb.quantities)),
            "polarity differs": float(fa.negative != fb.negative),
            "shared fact": float(any(not is_year(f) for f in fa.facts & fb.facts)),
            "facts differ": float(bool(fa.facts ^ fb.facts))})
    return pd.DataFrame(rows)


def cross_validated_accuracy(signals: pd.DataFrame, label: pd.Series, folds: int = 5, seed: int = 0) -> float:
    """Mean held-out accuracy of an L2 logistic regression (numpy gradient descent) over `folds` random folds."""
    import numpy as np

    x = signals.to_numpy(float)
    x = np.c_[np.ones(len(x)), (x - x.mean(0)) / (x.std(0) + 1e-9)]
    y = label.to_numpy(float)
    order = np.random.default_rng(seed).permutation(len(y))
    accuracies = []
    for held in np.array_split(order, folds):
        train = np.setdiff1d(order, held)
        w = np.zeros(x.shape[1])
        for _ in range(2000):
            p = 1 / (1 + np.exp(-x[train] @ w))
            w -= 0.5 * (x[train].T @ (p - y[train]) / len(train) + 1e-3 * np.r_[0, w[1:]])
        accuracies.append(float(((x[held] @ w >= 0) == y[held]).mean()))
    return float(np.mean(accuracies))


def evaluate_ceiling(pairs: pd.DataFrame) -> list[dict]:
    signals = lexical_signals(pairs)
    return [{"signals": "claimbeam score alone", "cv accuracy": cross_validated_accuracy(signals[["idf dice"]],
                                                                                         pairs.label)},
            {"signals": f"all {signals.shape[1]} lexical signals",
             "cv accuracy": cross_validated_accuracy(signals, pairs.label)}]


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--learned-ceiling", action="store_true",
                            help="also cross-validate a logistic regression over lexical signals on MRPC")

    args = parse_args(__doc__, "folder with mrpc/ and sts-benchmark/", argv, extra)
    params = MatchParams()
    mrpc = read_mrpc(args.data_dir / "mrpc" / "msr_paraphrase_train.txt")
    sts = {split: read_sts(args.data_dir / "sts-benchmark" / f"sts-{split}.csv") for split in ("train", "dev")}
    news = {f"{split} main-news": f[f.genre == "main-news"] for split, f in sts.items()}
    news["train+dev main-news"] = pd.concat(list(news.values()))
    results = {"mrpc_train": evaluate_mrpc(mrpc, params), "sts_main_news": evaluate_sts(news),
               "params": vars(params)}
    print_table("MRPC train: same-claim decision", results["mrpc_train"])
    print_table("STS Benchmark main-news: rank correlation with gold similarity", results["sts_main_news"])
    if args.learned_ceiling:
        results["mrpc_learned_ceiling"] = evaluate_ceiling(mrpc)
        print_table("MRPC train: 5-fold cross-validated logistic regression (a ceiling check, not the matcher)",
                    results["mrpc_learned_ceiling"])
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
