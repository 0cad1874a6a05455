"""Verify mode on real news: FNC-1 headline-body stance and Emergent claim veracity, end to end through the CLI.

    python benchmarks/verify_quality.py DATA_DIR [--only fnc|emergent] [--stance model|rules]
        [--cross-validate K] [--workers N] [--repeats N] [--json FILE]

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

The shipped stance model was trained on FNC-1 train, so scoring it there is
in-sample. --cross-validate K measures it honestly: train_stance_model.py
trains K models, each without one fold of FNC-1's stories, and each fold's
targets (FNC-1 headlines, Emergent claims) are run through the CLI with the
model that never saw their story; the tables join the K outputs. Every run
reads the whole corpus, so relatedness and blocking are those of one run.
--stance rules measures the rules alone (no model, nothing in-sample).
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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
                  repeats: int = 1, stance_args: tuple[str, ...] = ()) -> tuple[Path, float]:
    """Writes the inputs, runs the CLI in its own process `repeats` times, returns (output dir, median seconds)."""
    work.mkdir(parents=True, exist_ok=True)
    corpus, claims, output = work / "articles.jsonl", work / "targets.jsonl", work / "output"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    claims.write_text("".join(json.dumps(t) + "\n" for t in targets), encoding="utf-8")
    cmd = [sys.executable, "-m", "pipelines.cli", "run", "--input", str(corpus), "--claims", str(claims),
           "--output", str(output), "--overwrite", "--quiet", "--workers", str(workers), *stance_args]
    walls = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        if done.returncode:
            raise RuntimeError(f"claimbeam failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return output, statistics.median(walls)


@dataclass(frozen=True)
class StanceSetup:
    """How the runs get their stances: rules, the shipped model, or one model per held-out fold of stories."""

    method: str = "model"
    fold_of: dict | None = None  # "h:<headline>" / "c:<claim id>" -> fold, with --cross-validate
    fold_models: tuple[Path, ...] = ()

    def label(self) -> str:
        if self.method == "rules":
            return "rules"
        if self.fold_of is None:
            return "shipped model (in-sample on FNC-1 train)"
        return f"model, {len(self.fold_models)} story folds (out-of-story)"

    def runs(self, targets: list[dict], key_of) -> list[tuple[list[dict], tuple[str, ...]]]:
        """(targets, CLI stance flags) per run: one run, or one per fold with that fold's model."""
        if self.method == "rules":
            return [(targets, ("--stance", "rules"))]
        if self.fold_of is None:
            return [(targets, ("--stance", "model"))]
        missing = [key_of(t) for t in targets if key_of(t) not in self.fold_of]
        if missing:
            raise ValueError(f"{len(missing)} targets belong to no story fold, such as {missing[0]!r}")
        runs = [([t for t in targets if self.fold_of[key_of(t)] == i], ("--stance-model", str(model)))
                for i, model in enumerate(self.fold_models)]
        return [(subset, flags) for subset, flags in runs if subset]  # a fold may hold none of these targets


def run_setup(articles: list[dict], targets: list[dict], key_of, setup: StanceSetup, work: Path, workers: int,
              repeats: int = 1) -> tuple[list[Path], float]:
    """(the output dirs, the summed median wall time) of the setup's runs over the whole corpus."""
    outputs, wall = [], 0.0
    for i, (subset, stance_args) in enumerate(setup.runs(targets, key_of)):
        output, seconds = run_claimbeam(articles, subset, work / f"run-{i}", workers, repeats, stance_args)
        outputs.append(output)
        wall += seconds
    return outputs, wall


def peak_rss_mb() -> int:
    """The largest resident set of any CLI process (or worker) this script has run so far (Linux: KB)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def read_tables(outputs: list[Path], table: str, columns: list[str] | None = None) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(o / table, columns=columns) for o in outputs], ignore_index=True)


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


def evaluate_fnc(data_dir: Path, work: Path, workers: int, repeats: int = 1,
                 setup: StanceSetup = StanceSetup()) -> tuple[dict, pd.DataFrame]:
    bodies, stances = read_fnc(data_dir)
    ids = headline_ids(stances.Headline)
    articles = [{"id": b, "text": t} for b, t in zip(bodies["Body ID"], bodies.articleBody)]
    targets = [{"id": i, "text": h} for h, i in ids.items()]
    outputs, wall = run_setup(articles, targets, lambda t: f"h:{t['text']}", setup, work, workers, repeats)
    evidence = read_tables(outputs, "evidence", ["target_id", "article_id", "stance"])
    predicted_of = {(t, a): STANCE_TO_FNC[s] for t, a, s in evidence.itertuples(index=False)}
    predicted = pd.Series([predicted_of.get((ids[h], b), "unrelated")
                           for h, b in zip(stances.Headline, stances["Body ID"])])
    results = {"stance": setup.label(), "articles": len(articles), "targets": len(targets),
               "evidence rows": len(evidence), **fnc_scores(stances.Stance.reset_index(drop=True), predicted),
               "runs": len(outputs), "repeats": repeats, "median wall seconds": round(wall, 1),
               "peak RSS MB (largest process)": peak_rss_mb()}
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


def evaluate_emergent(data_dir: Path, work: Path, workers: int, setup: StanceSetup = StanceSetup()) -> dict:
    claims, body_claim = emergent_join(data_dir)
    bodies, _ = read_fnc(data_dir)
    bodies = bodies[bodies["Body ID"].isin(body_claim)]
    articles = [{"id": b, "text": t} for b, t in zip(bodies["Body ID"], bodies.articleBody)]
    targets = [{"id": c, "text": h} for c, h in zip(claims.claimId, claims.claimHeadline)]
    outputs, wall = run_setup(articles, targets, lambda t: f"c:{t['id']}", setup, work, workers)
    verdicts = read_tables(outputs, "verdicts").set_index("target_id")
    truth = claims.set_index("claimId").claimTruth
    score = verdicts.score.reindex(truth.index)
    edata = pd.read_csv(data_dir / "emergent" / "edata_all.csv", dtype=str)
    gold = edata[edata.claimId.isin(truth.index)].groupby("claimId").articleHeadlineStance.agg(
        lambda s: (s == "for").sum() - (s == "against").sum()).reindex(truth.index)
    return {"stance": setup.label(), "claims": len(claims), "true": int((truth == "true").sum()), "false": int((truth == "false").sum()),
            "articles": len(articles),
            "verdict score AUROC (true vs false)": auroc(list(score[truth == "true"]), list(score[truth == "false"])),
            "gold stances AUROC (for - against)": auroc(list(gold[truth == "true"]), list(gold[truth == "false"])),
            "wall seconds": round(wall, 1)}


def stance_setup(method: str, folds: int | None, data_dir: Path, work: Path) -> StanceSetup:
    """The runs' stance setup; with `folds`, trains one model per held-out fold of stories into `work`."""
    if method == "rules" or not folds:
        return StanceSetup(method)
    from benchmarks.train_stance_model import fold_models, pair_table, stories

    table = pair_table(data_dir)
    fold_of_story, models = fold_models(table, folds)
    paths = []
    for i, data in enumerate(models):
        paths.append(work / f"stance-fold-{i}.json")
        paths[-1].write_bytes(data)
    _, stances = read_fnc(data_dir)
    fold_of = {key: fold_of_story[story] for key, story in stories(data_dir, stances).items() if story in fold_of_story}
    return StanceSetup(method, fold_of, tuple(paths))


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--only", choices=("fnc", "emergent"), help="run one of the two evaluations")
        parser.add_argument("--stance", choices=("model", "rules"), default="model",
                            help="passed to claimbeam run --stance (default: model)")
        parser.add_argument("--cross-validate", type=int, metavar="K",
                            help="with --stance model: K models, each trained without one fold of stories, and "
                                 "each fold's targets run with its own (needs scikit-learn)")
        parser.add_argument("--workers", type=int, default=1,
                            help="passed to claimbeam run --workers (default 1: one process)")
        parser.add_argument("--repeats", type=int, default=1, help="FNC-1 runs to take the median wall time of")

    args = parse_args(__doc__, "folder with fnc-1/ and emergent/", argv, extra)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        setup = stance_setup(args.stance, args.cross_validate, args.data_dir, Path(tmp))
        if args.only in (None, "fnc"):
            fnc, confusion = evaluate_fnc(args.data_dir, Path(tmp) / "fnc", args.workers, args.repeats, setup)
            results["fnc1_train"] = [fnc]
            results["fnc1_confusion"] = confusion.reset_index().to_dict("records")
            print_table(f"FNC-1 train: verify mode, headlines as targets, bodies as articles; stance: {setup.label()}",
                        [fnc])
            print_table("FNC-1 train: confusion (rows gold, columns predicted)",
                        confusion.reset_index().to_dict("records"))
        if args.only in (None, "emergent"):
            results["emergent"] = [evaluate_emergent(args.data_dir, Path(tmp) / "emergent", args.workers, setup)]
            print_table(f"Emergent claims on their FNC-1 bodies: verdict score, true vs false; stance: {setup.label()}",
                        results["emergent"])
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
