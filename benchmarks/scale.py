"""End-to-end scale benchmark: claimbeam on 1k, 10k and 100k syndicated articles built from FNC-1 bodies.

    python benchmarks/scale.py DATA_DIR [--tiers 1000 10000 100000] [--repeats 3] [--work DIR] [--json FILE]

DATA_DIR holds `fnc-1/train_bodies.csv` and `train_stances.csv`; each tier's
corpus is built by benchmarks/scale_corpus.py (kept in --work for re-runs).
Every run is `claimbeam run` in its own process, with two worker processes
(--direct_running_mode=multi_processing --direct_num_workers=2). Reported per
tier: the median wall time of the runs, articles per second, the peak memory
of the whole process tree (sampled every 0.1 s), and candidate pairs per
mention (the matcher's `candidate_pairs` counter over the mentions).

On the smallest tier, from that run's own output:
- blocking recall: every pair of distinct mention texts is decided by the
  matcher's own `compare` without blocking (pairs sharing fewer than
  `min_shared_tokens` content tokens are rejected by its first line, so they
  are skipped through an inverted index); recall is the share of the
  same-claim pairs found this way that the pipeline also matched;
- the field's brute force: rapidfuzz `process.cdist` over all pairs of
  distinct texts (token_set_ratio, both cores), its time against the
  blocking matcher's, and how many of each one's pairs the other finds.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from benchmarks.scale_corpus import write_corpus  # noqa: E402
from claims.matching import (IDENTICAL_TEXT, METHOD, SAME_CLAIM, MatchParams, block_pairs, compare,  # noqa: E402
                             prefix_tokens, weighted_features)

WORKER_FLAGS = ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]  # Beam's own, as runner_floor.py needs


def tree_rss(root: int) -> int:
    """Resident memory in bytes of a process and all its descendants (Linux /proc)."""
    children = defaultdict(list)
    rss = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


class RunStopped(Exception):
    """A run went over its time or memory limit and was stopped."""


def run_measured(cmd: list[str], timeout: float | None = None, memory_limit: int | None = None) -> tuple[float, int]:
    """(wall seconds, peak resident bytes of the process tree) of one command, which must succeed.

    The whole process tree is killed, and RunStopped raised, past `timeout`
    seconds or `memory_limit` bytes, so that a tier too big for the machine
    fails alone instead of exhausting it.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    peak, stopped = 0, []
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            elapsed = time.perf_counter() - started
            over = (f"over {memory_limit / 2**30:.1f} GiB" if memory_limit and peak > memory_limit else
                    f"over {timeout:.0f} s" if timeout and elapsed > timeout else None)
            if over and not stopped:
                stopped.append(f"stopped {over} after {elapsed:.0f} s")
                os.killpg(proc.pid, signal.SIGKILL)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if stopped:
        last = [line for line in err.decode(errors="replace").splitlines() if line.strip()][-1:]
        raise RunStopped(f"{stopped[0]}, peak {peak / 2**30:.2f} GiB; last log line: {last[0][:300] if last else '-'}")
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return wall, peak


def run_tier(data_dir: Path, work: Path, n_articles: int, repeats: int, timeout=None, memory_limit=None) -> dict:
    corpus = work / f"corpus-{n_articles}.jsonl"
    if not corpus.exists():
        write_corpus(data_dir, n_articles, corpus)
    output = work / f"output-{n_articles}"
    shutil.rmtree(output, ignore_errors=True)  # ours; a stopped run leaves one that claimbeam will not overwrite
    cmd = [sys.executable, "-m", "pipelines.cli", "run", "--input", str(corpus), "--output", str(output),
           "--overwrite", "--quiet", *WORKER_FLAGS]
    try:
        runs = [run_measured(cmd, timeout, memory_limit) for _ in range(repeats)]
    except RunStopped as stopped:
        return {"articles": n_articles, "runs": 0, "stopped": str(stopped)}
    manifest = json.loads((output / "manifest.json").read_text())
    mentions = pd.read_parquet(output / "claims", columns=["claim_id"]).shape[0]
    wall = statistics.median(w for w, _ in runs)
    candidates = manifest["metrics"].get("match.candidate_pairs", 0)
    return {"articles": n_articles, "mentions": mentions, "runs": repeats, "median seconds": round(wall, 1),
            "articles per second": round(n_articles / wall, 1),
            "peak memory GiB": round(max(p for _, p in runs) / 2**30, 2),
            "candidate pairs": candidates, "candidate pairs per mention": round(candidates / max(1, mentions), 2),
            "output": str(output)}


def distinct_texts(output: Path) -> dict[str, tuple[str, bool]]:
    """Text id (the smallest claim_id with that text) -> (claim_text, negated), as MatchClaims keeps them."""
    claims = pd.read_parquet(output / "claims", columns=["claim_id", "claim_text", "negated"])
    firsts = claims.sort_values("claim_id").drop_duplicates(["claim_text", "negated"])
    return {row.claim_id: (row.claim_text, bool(row.negated)) for row in firsts.itertuples()}


def brute_force_same_claims(features: dict, params: MatchParams) -> tuple[set, float]:
    """Every pair of texts decided by `compare` without blocking: (same-claim pairs, seconds)."""
    started = time.perf_counter()
    by_token = defaultdict(list)
    for text_id in sorted(features):
        for token in features[text_id].tokens:
            by_token[token].append(text_id)
    shared = defaultdict(int)
    for ids in by_token.values():
        for pair in itertools.combinations(ids, 2):
            shared[pair] += 1
    same = set()
    for (a, b), n in shared.items():
        if n >= params.min_shared_tokens:
            result = compare(features[a], features[b], params)
            if result and result[0] == SAME_CLAIM:
                same.add((a, b))
    return same, time.perf_counter() - started


def blocking_matcher(texts: dict[str, tuple[str, bool]], params: MatchParams) -> tuple[set, float]:
    """The pipeline's weighting, blocking and comparison, in one process: (same-claim pairs, seconds)."""
    started = time.perf_counter()
    features, doc_freq = weighted_features(texts)
    blocks = defaultdict(list)
    for text_id, f in features.items():
        prefix = prefix_tokens(f, doc_freq, params)
        for token in prefix:
            blocks[token].append((text_id, f, prefix))
    oversized = frozenset(token for token, members in blocks.items() if len(members) > params.max_block_size)
    same = {(a, b) for token, members in blocks.items() if token not in oversized
            for a, b, relation, _ in block_pairs(members, token, params, oversized) if relation == SAME_CLAIM}
    return same, time.perf_counter() - started


def cdist_pairs(texts: dict[str, tuple[str, bool]], cutoff: int) -> tuple[set, float]:
    """All pairs of texts whose rapidfuzz token_set_ratio reaches `cutoff`, by process.cdist: (pairs, seconds)."""
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    ids = sorted(texts)
    started = time.perf_counter()
    choices = [utils.default_process(texts[i][0]) for i in ids]
    scores = process.cdist(choices, choices, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, dtype=np.uint8,
                           workers=2)
    rows, cols = np.nonzero(np.triu(scores, k=1))
    return {(ids[r], ids[c]) for r, c in zip(rows, cols)}, time.perf_counter() - started


def recall_and_field(output: Path, params: MatchParams, cutoffs=(90, 80)) -> tuple[list[dict], list[dict]]:
    texts = distinct_texts(output)
    features, _ = weighted_features(texts)
    truth, brute_seconds = brute_force_same_claims(features, params)
    matches = pd.read_parquet(output / "matches")
    found = {(r.claim_id_a, r.claim_id_b) for r in matches.itertuples()
             if r.method == METHOD and r.relation == SAME_CLAIM}
    matched, blocking_seconds = blocking_matcher(texts, params)
    recall = [{"distinct texts": len(texts), "brute-force same-claim pairs": len(truth),
               "found by the pipeline": len(truth & found),
               "blocking recall": round(len(truth & found) / len(truth), 4) if truth else 1.0,
               "pipeline pairs not in brute force": len(found - truth),
               "identical-text pairs": int((matches.method == IDENTICAL_TEXT).sum()),
               "brute force seconds": round(brute_seconds, 1), "blocking matcher seconds": round(blocking_seconds, 1)}]
    field = []
    for cutoff in cutoffs:
        pairs, seconds = cdist_pairs(texts, cutoff)
        field.append({"rapidfuzz cdist token_set_ratio >=": cutoff, "cdist seconds": round(seconds, 1),
                      "blocking matcher seconds": round(blocking_seconds, 1), "cdist pairs": len(pairs),
                      "of them matched by claimbeam": len(pairs & matched),
                      "claimbeam pairs found by cdist": round(len(matched & pairs) / max(1, len(matched)), 4)})
    return recall, field


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--tiers", type=int, nargs="+", default=[1000, 10000, 100000], metavar="N")
        parser.add_argument("--repeats", type=int, default=1, help="runs per tier; the median time is reported")
        parser.add_argument("--work", type=Path, help="folder for corpora and outputs (default: a temporary one)")
        parser.add_argument("--skip-recall", action="store_true", help="no blocking recall or cdist comparison")
        parser.add_argument("--timeout", type=float, metavar="SECONDS", help="stop a run that takes longer")
        parser.add_argument("--memory-limit-gib", type=float, metavar="GIB",
                            help="stop a run whose process tree uses more memory")

    args = parse_args(__doc__, "folder with fnc-1/train_bodies.csv and train_stances.csv", argv, extra)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        limit = int(args.memory_limit_gib * 2**30) if args.memory_limit_gib else None
        tiers = [run_tier(args.data_dir, work, n, args.repeats, args.timeout, limit) for n in sorted(args.tiers)]
        results = {"tiers": [{k: v for k, v in t.items() if k != "output"} for t in tiers], "params": vars(MatchParams())}
        by_size = {t["articles"]: t["median seconds"] for t in tiers if t["runs"]}
        if 10000 in by_size and 100000 in by_size:
            results["time ratio 100k / 10k"] = round(by_size[100000] / by_size[10000], 2)
        if not args.skip_recall and tiers[0]["runs"]:
            results["blocking recall"], results["field comparison"] = recall_and_field(
                Path(tiers[0]["output"]), MatchParams())
    print_table("claimbeam run end to end, 2 worker processes", results["tiers"])
    if "time ratio 100k / 10k" in results:
        print(f"\ntime(100k) / time(10k) = {results['time ratio 100k / 10k']}")
    if "blocking recall" in results:
        print_table(f"Blocking recall on the {tiers[0]['articles']}-article tier", results["blocking recall"])
        print_table("Against rapidfuzz process.cdist over all pairs", results["field comparison"])
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
