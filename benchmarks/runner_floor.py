"""The local runner's floor: what the least any claim pipeline must do costs on a scale tier, before any matching.

    python benchmarks/runner_floor.py DATA_DIR [--tiers 10000 100000] [--repeats 1] [--work DIR] [--json FILE]

Each stage below runs as its own Beam pipeline, in its own process, on the
same runner and worker flags as benchmarks/scale.py (the FnApiRunner with
two worker processes). Every stage writes one count, so writing is not
measured; each adds one step to the one before:

- read: claimbeam's reader (parse the JSONL, drop duplicate ids);
- split: then claimbeam's splitter (sentences -> claim mentions);
- shuffle: then one GroupByKey of the mentions by claim text, the least
  any matcher needs to bring the same claim from different articles together.

The full pipeline does several more shuffles (copies, matching, scoring) and
writes eight tables, so its wall time and peak memory cannot be below the
`shuffle` stage's. The tiers' corpora are those of benchmarks/scale.py.
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from benchmarks.scale import WORKER_FLAGS, RunStopped, run_measured  # noqa: E402
from benchmarks.scale_corpus import write_corpus  # noqa: E402

STAGES = ("read", "split", "shuffle")


def build_stage(p, stage: str, corpus: str, output: str) -> None:
    """Adds the steps of `stage` (and of every stage before it) to `p`."""
    import apache_beam as beam

    from claims.matching import text_key
    from claims.records import ReadParams
    from pipelines.read import ReadArticles
    from pipelines.split import SplitClaims

    items = p | "Read articles" >> ReadArticles([corpus], ReadParams())
    items = items["articles"]
    if stage in ("split", "shuffle"):
        items = (items | "Split articles into claims" >> SplitClaims())["mentions"]
    if stage == "shuffle":
        items = (items
                 | "Key mentions by text" >> beam.Map(lambda m: (text_key(m.claim_text, m.negated), m.claim_id))
                 | "Group mentions by text" >> beam.GroupByKey())
    (items
     | "Count" >> beam.combiners.Count.Globally()
     | "Format" >> beam.Map(str)
     | "Write the count" >> beam.io.WriteToText(output, shard_name_template="", num_shards=1))


def run_child(stage: str, corpus: str, output: str) -> None:
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    options = PipelineOptions(["--runner=FnApiRunner", *WORKER_FLAGS, "--default_sdk_harness_log_level=WARNING"])
    with beam.Pipeline(options=options) as p:
        build_stage(p, stage, corpus, output)


def measure_tier(data_dir: Path, work: Path, n_articles: int, repeats: int, timeout, memory_limit) -> list[dict]:
    corpus = work / f"corpus-{n_articles}.jsonl"
    if not corpus.exists():
        write_corpus(data_dir, n_articles, corpus)
    rows = []
    for stage in STAGES:
        output = work / f"floor-{n_articles}-{stage}.txt"
        cmd = [sys.executable, __file__, "--child", stage, str(corpus), str(output)]
        try:
            runs = [run_measured(cmd, timeout, memory_limit) for _ in range(repeats)]
        except RunStopped as stopped:
            rows.append({"articles": n_articles, "stage": stage, "stopped": str(stopped)})
            continue
        wall = statistics.median(w for w, _ in runs)
        rows.append({"articles": n_articles, "stage": stage, "runs": repeats, "elements": output.read_text().strip(),
                     "median seconds": round(wall, 1), "articles per second": round(n_articles / wall, 1),
                     "peak memory GiB": round(max(p for _, p in runs) / 2**30, 2)})
    return rows


def main(argv=None) -> None:
    if argv is None and sys.argv[1:2] == ["--child"]:
        run_child(*sys.argv[2:5])
        return

    def extra(parser):
        parser.add_argument("--tiers", type=int, nargs="+", default=[10000, 100000])
        parser.add_argument("--repeats", type=int, default=1)
        parser.add_argument("--work", type=Path, default=Path("benchmark-work"),
                            help="where the corpora are built (shared with scale.py) and the counts written")
        parser.add_argument("--timeout", type=float, default=None, help="stop a stage's run after this many seconds")
        parser.add_argument("--memory-limit-gib", type=float, default=None,
                            help="stop a stage's run past this much memory")

    args = parse_args(__doc__, "folder holding fnc-1/", argv, extra)
    args.work.mkdir(parents=True, exist_ok=True)
    limit = int(args.memory_limit_gib * 2**30) if args.memory_limit_gib else None
    rows = [row for n in args.tiers for row in measure_tier(args.data_dir, args.work, n, args.repeats,
                                                            args.timeout, limit)]
    print_table("The local runner's floor (FnApiRunner, 2 worker processes)", rows)
    write_json(args.json, {"runner_floor": rows})


if __name__ == "__main__":
    main()
