"""Verify mode on real news: FNC-1 headline-body stance and Emergent claim veracity, end to end through the CLI.

    python benchmarks/verify_quality.py DATA_DIR [--only fnc|emergent] [--workers N] [--repeats N] [--json FILE]

DATA_DIR holds `fnc-1/train_{bodies,stances}.csv` and `emergent/edata_all.csv`.

- FNC-1 (train split): every distinct headline is a target and every body an
  article. `claimbeam run --claims` writes the evidence table; a headline-body
  pair without an evidence row is "unrelated", and support, refute and
  discuss stand for agree, disagree and discuss. Reported: the official
  FNC-1 weighted score relative to its maximum (0.25 for getting related or
  unrelated right, 0.75 more for the exact stance of a related pair),
  macro-F1 over the four classes, each class's recall, the related/unrelated
  F1 (of the "related" class, and the mean over both classes), and the
  median wall time of --repeats runs (the outputs are identical).
- Emergent: the claims joined to FNC-1 bodies by headline (as
  fnc-1/SOURCE.md describes) are the targets, and the bodies so joined are
  the corpus. Reported: the AUROC of the verdict score for claims that turned
  out true against those that turned out false, and the same for the gold
  stances scored directly (articles for minus against).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402

FNC_CLASSES = ("agree", "disagree", "discuss", "unrelated")
STANCE_TO_FNC = {"support": "agree", "refute": "disagree", "discuss": "discuss"}


def read_fnc(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    bodies = pd.read_csv(data_dir / "fnc-1" / "train_bodies.csv", dtype={"Body ID": str})
    stances = pd.read_csv(data_dir / "fnc-1" / "train_stances.csv", dtype={"Body ID": str})
    return bodies, stances


def headline_ids(headlines) -> dict[str, str]:
    """Headline -> target id, numbered in sorted order so that ids do not depend on file order."""
    return {h: f"h{i:05d}" for i, h in enumerate(sorted(set(headlines)))}


def run_claimbeam(articles: list[dict], targets: list[dict], work: Path, workers: int,
                  repeats: int = 1) -> tuple[Path, float]:
    """Writes the inputs, runs the CLI in its own process `repeats` times, returns (output dir, median seconds)."""
    corpus, claims, output = work / "articles.jsonl", work / "targets.jsonl", work / "output"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    claims.write_text("".join(json.dumps(t) + "\n" for t in targets), encoding="utf-8")
    cmd = [sys.executable, "-m", "pipelines.cli", "run", "--input", str(corpus), "--claims", str(claims),
           "--output", str(output), "--overwrite", "--quiet", "--workers", str(workers)]
    walls = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        if done.returncode:
            raise RuntimeError(f"claimbeam failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return output, statistics.median(walls)


def fnc_scores(gold: pd.Series, predicted: pd.Series) -> dict:
    """The FNC-1 official weighted score (relative to the best possible), macro-F1, per-class recall, related F1."""
    related_gold, related_pred = gold != "unrelated", predicted != "unrelated"
    score = (0.25 * (related_gold == related_pred)
             + 0.75 * (related_gold & (gold == predicted))).sum()
    best = (0.25 + 0.75 * related_gold).sum()
    results = {"pairs": len(gold), "relative FNC score": float(score / best)}
    f1s = []
    for cls in FNC_CLASSES:
        tp = int(((gold == cls) & (predicted == cls)).sum())
        n_gold, n_pred = int((gold == cls).sum()), int((predicted == cls).sum())
        f1s.append(2 * tp / (n_gold + n_pred) if n_gold + n_pred else 0.0)
        results[f"{cls} recall"] = tp / n_gold if n_gold else 0.0
    results["macro-F1"] = sum(f1s) / len(f1s)
    tp = int((related_gold & related_pred).sum())
    related_f1 = 2 * tp / (related_gold.sum() + related_pred.sum())
    tn = int((~related_gold & ~related_pred).sum())
    unrelated_f1 = 2 * tn / ((~related_gold).sum() + (~related_pred).sum())
    results["related F1"] = float(related_f1)
    results["related/unrelated mean F1"] = float((related_f1 + unrelated_f1) / 2)
    return results


def evaluate_fnc(data_dir: Path, work: Path, workers: int, repeats: int = 1) -> tuple[dict, pd.DataFrame]:
    bodies, stances = read_fnc(data_dir)
    ids = headline_ids(stances.Headline)
    articles = [{"id": b, "text": t} for b, t in zip(bodies["Body ID"], bodies.articleBody)]
    targets = [{"id": i, "text": h} for h, i in ids.items()]
    output, wall = run_claimbeam(articles, targets, work, workers, repeats)
    evidence = pd.read_parquet(output / "evidence", columns=["target_id", "article_id", "stance"])
    predicted_of = {(t, a): STANCE_TO_FNC[s] for t, a, s in evidence.itertuples(index=False)}
    predicted = pd.Series([predicted_of.get((ids[h], b), "unrelated")
                           for h, b in zip(stances.Headline, stances["Body ID"])])
    results = {"articles": len(articles), "targets": len(targets), "evidence rows": len(evidence),
               **fnc_scores(stances.Stance.reset_index(drop=True), predicted), "runs": repeats,
               "median wall seconds": round(wall, 1)}
    confusion = pd.crosstab(stances.Stance.reset_index(drop=True).rename("gold"), predicted.rename("predicted"))
    return results, confusion


def auroc(positive: list[float], negative: list[float]) -> float:
    """Probability that a positive outscores a negative, ties counting half (Mann-Whitney U)."""
    if not positive or not negative:
        return float("nan")
    ranks = pd.Series(list(positive) + list(negative)).rank()
    u = ranks[:len(positive)].sum() - len(positive) * (len(positive) + 1) / 2
    return float(u / (len(positive) * len(negative)))


def emergent_join(data_dir: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """(claims: claimId, claimHeadline, claimTruth), body id -> claimId, as fnc-1/SOURCE.md describes the join."""
    edata = pd.read_csv(data_dir / "emergent" / "edata_all.csv", dtype=str)
    norm = lambda s: " ".join(str(s).lower().split())  # noqa: E731
    claim_of_headline = {}
    for headline, claim in zip(edata.articleHeadline.map(norm), edata.claimId):
        claim_of_headline.setdefault(headline, set()).add(claim)
    _, stances = read_fnc(data_dir)
    related = stances[stances.Stance != "unrelated"]
    claims_of_body: dict[str, set] = {}
    for headline, body in zip(related.Headline.map(norm), related["Body ID"]):
        for claim in claim_of_headline.get(headline, ()):
            claims_of_body.setdefault(body, set()).add(claim)
    body_claim = {b: next(iter(c)) for b, c in claims_of_body.items() if len(c) == 1}
    claims = (edata[edata.claimId.isin(set(body_claim.values()))]
              .drop_duplicates("claimId")[["claimId", "claimHeadline", "claimTruth"]])
    return claims, body_claim


def evaluate_emergent(data_dir: Path, work: Path, workers: int) -> dict:
    claims, body_claim = emergent_join(data_dir)
    bodies, _ = read_fnc(data_dir)
    bodies = bodies[bodies["Body ID"].isin(body_claim)]
    articles = [{"id": b, "text": t} for b, t in zip(bodies["Body ID"], bodies.articleBody)]
    targets = [{"id": c, "text": h} for c, h in zip(claims.claimId, claims.claimHeadline)]
    output, wall = run_claimbeam(articles, targets, work, workers)
    verdicts = pd.read_parquet(output / "verdicts").set_index("target_id")
    truth = claims.set_index("claimId").claimTruth
    score = verdicts.score.reindex(truth.index)
    edata = pd.read_csv(data_dir / "emergent" / "edata_all.csv", dtype=str)
    gold = edata[edata.claimId.isin(truth.index)].groupby("claimId").articleHeadlineStance.agg(
        lambda s: (s == "for").sum() - (s == "against").sum()).reindex(truth.index)
    return {"claims": len(claims), "true": int((truth == "true").sum()), "false": int((truth == "false").sum()),
            "articles": len(articles),
            "verdict score AUROC (true vs false)": auroc(list(score[truth == "true"]), list(score[truth == "false"])),
            "gold stances AUROC (for - against)": auroc(list(gold[truth == "true"]), list(gold[truth == "false"])),
            "wall seconds": round(wall, 1)}


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--only", choices=("fnc", "emergent"), help="run one of the two evaluations")
        parser.add_argument("--workers", type=int, default=1,
                            help="passed to claimbeam run --workers (default 1: one process)")
        parser.add_argument("--repeats", type=int, default=1, help="FNC-1 runs to take the median wall time of")

    args = parse_args(__doc__, "folder with fnc-1/ and emergent/", argv, extra)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "fnc"):
            (Path(tmp) / "fnc").mkdir()
            fnc, confusion = evaluate_fnc(args.data_dir, Path(tmp) / "fnc", args.workers, args.repeats)
            results["fnc1_train"] = [fnc]
            results["fnc1_confusion"] = confusion.reset_index().to_dict("records")
            print_table("FNC-1 train: verify mode, headlines as targets, bodies as articles", [fnc])
            print_table("FNC-1 train: confusion (rows gold, columns predicted)",
                        confusion.reset_index().to_dict("records"))
        if args.only in (None, "emergent"):
            (Path(tmp) / "emergent").mkdir()
            results["emergent"] = [evaluate_emergent(args.data_dir, Path(tmp) / "emergent", args.workers)]
            print_table("Emergent claims on their FNC-1 bodies: verdict score, true vs false", results["emergent"])
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
