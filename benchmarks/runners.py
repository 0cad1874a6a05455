"""Runner benchmark: the same claimbeam run in one process, on two local worker processes, and on a local Dask cluster.

    python benchmarks/runners.py DATA_DIR [--tier 10000] [--repeats 2] [--work DIR] [--modes ...] [--json FILE]

DATA_DIR holds `fnc-1/`; the tier's corpus is built by
benchmarks/scale_corpus.py, as for scale.py, and kept in --work. Each run is
`claimbeam run` in its own process: `--workers 1`, `--workers 2`, and
`--dask-local 2` (a scheduler and two single-threaded worker processes on
loopback, started and stopped by the run). The modes take turns within each
repeat, so that a slow spell of the shared machine falls on all of them.
Reported per mode: the median wall time, its ratio to the one-process median
of the same benchmark, the peak memory of the whole process tree (Dask's
workers included), and whether every table equals the one-process output
row for row.
"""
from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from benchmarks.scale import RunStopped, run_measured  # noqa: E402
from benchmarks.scale_corpus import write_corpus  # noqa: E402

MODES = {
    "1 process": ["--workers", "1"],
    "2 local workers": ["--workers", "2"],
    "Dask, 2 workers": ["--dask-local", "2"],
}
BASELINE = "1 process"


def table_rows(output: Path) -> dict[str, list[str]]:
    """Every table of an output as sorted JSON rows, for an order-free comparison."""
    manifest = json.loads((output / "manifest.json").read_text())
    return {name: sorted(json.dumps(row, sort_keys=True, default=str) for row in pq.read_table(output / name).to_pylist())
            for name in manifest["tables"]}


def differences(a: dict[str, list[str]], b: dict[str, list[str]]) -> list[str]:
    """Names of the tables that differ between two outputs (a missing table differs)."""
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def main(argv=None) -> dict:
    def extra(parser):
        parser.add_argument("--tier", type=int, default=10000, help="articles in the corpus (default: 10000)")
        parser.add_argument("--repeats", type=int, default=2)
        parser.add_argument("--work", type=Path, default=Path("benchmark-work"),
                            help="where the corpus is built (shared with scale.py) and the outputs written")
        parser.add_argument("--modes", nargs="+", choices=list(MODES), default=list(MODES),
                            help=f"which runs to compare; the first must be {BASELINE!r}")
        parser.add_argument("--timeout", type=float, default=None, help="stop a run after this many seconds")

    args = parse_args(__doc__, "folder holding fnc-1/", argv, extra)
    if args.modes[0] != BASELINE:
        raise SystemExit(f"--modes must start with {BASELINE!r}: the others are checked against it")
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.work / f"corpus-{args.tier}.jsonl"
    if not corpus.exists():
        write_corpus(args.data_dir, args.tier, corpus)

    runs: dict[str, list[tuple[float, int]]] = {mode: [] for mode in args.modes}
    stopped: dict[str, str] = {}
    outputs: dict[str, Path] = {}  # each mode's last output that finished
    for repeat in range(args.repeats):
        for i, mode in enumerate(args.modes):
            if mode in stopped:
                continue
            output = args.work / f"runners-{args.tier}-{i}-{repeat}"
            shutil.rmtree(output, ignore_errors=True)
            cmd = [sys.executable, "-m", "pipelines.cli", "run", "--input", str(corpus), "--output",
                   str(output), "--quiet", *MODES[mode]]
            try:
                runs[mode].append(run_measured(cmd, args.timeout))
            except RunStopped as stop:
                stopped[mode] = str(stop)
                shutil.rmtree(output, ignore_errors=True)
                continue
            if mode in outputs:
                shutil.rmtree(outputs[mode], ignore_errors=True)
            outputs[mode] = output

    baseline = table_rows(outputs[BASELINE]) if runs[BASELINE] else None
    base_wall = statistics.median(w for w, _ in runs[BASELINE]) if runs[BASELINE] else None
    rows = []
    for mode in args.modes:
        if not runs[mode]:
            rows.append({"mode": mode, "stopped": stopped.get(mode, "no run")})
            continue
        wall = statistics.median(w for w, _ in runs[mode])
        diff = differences(baseline, table_rows(outputs[mode])) if baseline is not None else ["no baseline"]
        rows.append({"mode": mode, "articles": args.tier, "runs": len(runs[mode]),
                     "median seconds": round(wall, 1), "speedup vs 1 process": round(base_wall / wall, 2),
                     "articles per second": round(args.tier / wall, 1),
                     "peak memory GiB": round(max(p for _, p in runs[mode]) / 2**30, 2),
                     "output equal to 1 process": "yes" if not diff else "NO: " + ", ".join(diff),
                     **({"stopped": stopped[mode]} if mode in stopped else {})})
    print_table(f"claimbeam on {args.tier:,} articles: one process, two local workers, a two-worker Dask cluster", rows)
    results = {"runners": rows}
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
