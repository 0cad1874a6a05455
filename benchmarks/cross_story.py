"""Claim clusters on whole real articles (FNC-1 train bodies): do they stay within one story?

    python benchmarks/cross_story.py DATA_DIR [--claimbeam-output DIR] [--json results.json]

DATA_DIR holds `fnc-1/train_bodies.csv` and `fnc-1/train_stances.csv`. Stories are
the connected components of the related (not "unrelated") headline-body pairs.
The script runs `claimbeam run` on the bodies (or reads an existing output given
with --claimbeam-output) and reports:

- the cross-story cluster rate: the share of claim clusters with mentions in more
  than one article whose articles belong to different stories (target: <= 1%);
- the share of same-story body pairs that share at least one claim cluster;
- the largest cross-story clusters, to show what merges wrongly.
"""
from __future__ import annotations

import csv
import itertools
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from claims.unionfind import components  # noqa: E402


def story_of_bodies(stances_csv: Path) -> dict[str, str]:
    """Body id -> story label, from the related headline-body pairs."""
    with open(stances_csv, encoding="utf-8", newline="") as f:
        edges = [(f"h:{row['Headline'].strip().lower()}", f"b:{row['Body ID']}")
                 for row in csv.DictReader(f) if row["Stance"] != "unrelated"]
    labels = components(edges)
    return {node[2:]: root for node, root in labels.items() if node.startswith("b:")}


def evaluate(claims: pd.DataFrame, clusters: pd.DataFrame, story: dict[str, str]) -> dict:
    story_of = lambda article_id: story.get(str(article_id), f"alone:{article_id}")  # noqa: E731
    articles_in = claims.groupby("cluster_id").article_id.agg(lambda ids: sorted(set(ids)))
    multi = articles_in[articles_in.map(len) > 1]
    crossing = multi[multi.map(lambda ids: len({story_of(a) for a in ids}) > 1)]

    bodies_by_story = defaultdict(list)
    for article_id in sorted(set(claims.article_id) | set(story)):
        bodies_by_story[story_of(article_id)].append(str(article_id))
    same_story_pairs = {pair for bodies in bodies_by_story.values() for pair in itertools.combinations(sorted(bodies), 2)}
    sharing = set()
    for ids in multi:
        for a, b in itertools.combinations(sorted(map(str, ids)), 2):
            if (a, b) in same_story_pairs:
                sharing.add((a, b))

    canonical = clusters.set_index("cluster_id").canonical_text
    examples = [{"cluster_id": cid, "articles": len(ids), "stories": len({story_of(a) for a in ids}),
                 "canonical_text": canonical.get(cid, "")[:100]}
                for cid, ids in sorted(crossing.items(), key=lambda kv: -len(kv[1]))[:5]]
    summary = [{"multi-article clusters": len(multi), "cross-story clusters": len(crossing),
                "cross-story rate": len(crossing) / len(multi) if len(multi) else 0.0,
                "same-story body pairs": len(same_story_pairs), "pairs sharing a cluster": len(sharing),
                "share of same-story pairs sharing a cluster":
                    len(sharing) / len(same_story_pairs) if same_story_pairs else 0.0,
                "stories": len(bodies_by_story)}]
    return {"summary": summary, "cross_story_examples": examples}


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(__doc__, "folder with fnc-1/train_bodies.csv and fnc-1/train_stances.csv", argv,
                      extra=lambda parser: parser.add_argument(
                          "--claimbeam-output", metavar="DIR", help="read this claimbeam output instead of running"))
    given = args.claimbeam_output
    fnc = args.data_dir / "fnc-1"
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(given) if given else Path(tmp) / "out"
        seconds = None
        if not given:
            from pipelines.cli import run

            started = time.perf_counter()
            status = run(["run", "--input", str(fnc / "train_bodies.csv"), "--id-field", "Body ID",
                          "--text-field", "articleBody", "--output", str(output), "--quiet"])
            seconds = round(time.perf_counter() - started, 1)
            if status != 0:
                raise SystemExit(f"claimbeam run failed with status {status}")
        claims = pd.read_parquet(output / "claims", columns=["cluster_id", "article_id"])
        clusters = pd.read_parquet(output / "clusters", columns=["cluster_id", "canonical_text"])
    results = evaluate(claims, clusters, story_of_bodies(fnc / "train_stances.csv"))
    results["summary"][0]["claimbeam seconds"] = seconds if seconds is not None else "reused"
    print_table("Claim clusters on FNC-1 train bodies: story purity", results["summary"])
    print_table("Largest cross-story clusters", results["cross_story_examples"])
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
