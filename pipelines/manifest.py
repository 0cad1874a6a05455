"""manifest.json: what went in, what came out, and proof that the counts balance.

The counts are taken from what was actually written (Parquet footers and the
`input` columns), not from what the pipeline meant to write, so a record lost
anywhere makes `balanced` false.
"""
from __future__ import annotations

import json
import platform
from collections import Counter
from datetime import datetime, timezone
from importlib import metadata

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from claims.mentions import OVER_MENTION_LIMIT, TOO_LONG
from claims.records import OVER_SIZE_LIMIT, READ_STAGE
from pipelines.match import BLOCKS_SKIPPED
from pipelines.split import ARTICLES_FAILED, ARTICLES_SPLIT, FILTERED, MENTIONS_SPLIT, SENTENCES
from schemas import SCHEMA_VERSION, TABLES, VERIFY_TABLES

VERSIONED_PACKAGES = ("claimbeam", "apache-beam", "pyarrow", "pandas", "rapidfuzz", "numpy")


def table_files(output: str, table: str) -> list[str]:
    pattern = FileSystems.join(output, table, "*.parquet")
    return sorted(m.path for result in FileSystems.match([pattern]) for m in result.metadata_list)


def read_table(output: str, table: str, columns: list[str] | None = None) -> pa.Table:
    """Reads every shard of one output table from any Beam filesystem."""
    parts = []
    for path in table_files(output, table):
        with FileSystems.open(path, compression_type="uncompressed") as f:
            # One thread: these tables are small, and an Arrow reader thread still alive at interpreter exit
            # can abort the process ("terminate called without an active exception", apache/arrow#34314).
            parts.append(pq.read_table(pa.BufferReader(f.read()), columns=columns, use_threads=False))
    if not parts:
        schema = TABLES[table].schema
        return schema.empty_table() if columns is None else pa.schema([schema.field(c) for c in columns]).empty_table()
    return pa.concat_tables(parts)


def _versions() -> dict:
    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _counters(result) -> dict:
    try:
        counters = result.metrics().query()["counters"]
    except Exception:  # some runners report no metrics; the manifest's counts do not rely on them
        return {}
    totals: Counter = Counter()
    for c in counters:
        totals[f"{c.key.metric.namespace}.{c.key.metric.name}"] += c.committed or 0
    return dict(sorted(totals.items()))


def _claims_accounting(tallies: dict[str, int], accepted: int, claims_written: int, n_claims_in_articles: int,
                       failed_articles: int) -> dict:
    """Every sentence of every accepted article is a written claim or is counted as filtered, with its reason."""
    filtered = {key.removeprefix(FILTERED): n for key, n in sorted(tallies.items()) if key.startswith(FILTERED)}
    sentences, split = tallies.get(SENTENCES, 0), tallies.get(MENTIONS_SPLIT, 0)
    return {
        "articles_split": tallies.get(ARTICLES_SPLIT, 0),
        "articles_failed": failed_articles,  # a rejects row with stage "split" each; they have no claims
        "sentences": sentences,
        "written": claims_written,
        "filtered": filtered,
        # every accepted article split or failed; the written rows (Parquet footers) against what the splitter
        # emitted and against the articles' n_claims; and each sentence a written claim or a filtered one
        "balanced": (tallies.get(ARTICLES_SPLIT, 0) + failed_articles == accepted
                     and tallies.get(ARTICLES_FAILED, 0) == failed_articles
                     and split == claims_written == n_claims_in_articles
                     and sentences == claims_written + sum(filtered.values())),
    }


def _limits(parameters: dict, tallies: dict[str, int], over_size_rejects: int) -> dict:
    """Each limit's value and how often this run hit it (README: Limits)."""
    split = parameters["split"]
    return {
        "max_article_chars": {"limit": parameters["read"]["max_chars"], "articles_rejected": over_size_rejects},
        "max_mentions_per_article": {"limit": split["max_mentions"],
                                     "sentences_dropped": tallies.get(FILTERED + OVER_MENTION_LIMIT, 0)},
        "max_sentence_chars": {"limit": split["max_sentence_chars"],
                               "sentences_dropped": tallies.get(FILTERED + TOO_LONG, 0)},
        "max_block_size": {"limit": parameters["match"]["max_block_size"],
                           "blocks_skipped": tallies.get(BLOCKS_SKIPPED, 0)},
    }


def build_manifest(output: str, file_counts: dict[str, int], parameters: dict, pipeline_options: dict,
                   result=None, wall_seconds: float | None = None, argv: list[str] | None = None,
                   tallies: dict[str, int] | None = None) -> dict:
    tallies = tallies or {}
    tables = {}
    for name in TABLES:
        files = table_files(output, name)
        if name in VERIFY_TABLES and not files:
            continue  # not a verify-mode run
        rows = 0
        for path in files:
            with FileSystems.open(path, compression_type="uncompressed") as f:
                rows += pq.ParquetFile(f).metadata.num_rows  # the footer only
        tables[name] = {"rows": rows, "files": len(files)}
    articles = read_table(output, "articles", ["input", "n_claims"])
    rejects = read_table(output, "rejects", ["input", "stage", "reason"]).to_pylist()
    accepted = Counter(articles.column("input").to_pylist())
    rejected = Counter(r["input"] for r in rejects if r["stage"] == READ_STAGE)  # later stages keep the article
    inputs = []
    for path in sorted(set(file_counts) | set(accepted) | set(rejected)):
        read = file_counts.get(path, 0)
        inputs.append({"path": path, "records_read": read, "accepted": accepted[path], "rejected": rejected[path],
                       "balanced": read == accepted[path] + rejected[path]})
    totals = {"records_read": sum(i["records_read"] for i in inputs),
              "accepted": sum(i["accepted"] for i in inputs),
              "rejected": sum(i["rejected"] for i in inputs)}
    failures = dict(sorted(Counter(r["stage"] for r in rejects if r["stage"] != READ_STAGE).items()))
    claims = _claims_accounting(tallies, tables["articles"]["rows"], tables["claims"]["rows"],
                                sum(articles.column("n_claims").to_pylist()), failures.get("split", 0))
    over_size = sum(1 for r in rejects if r["stage"] == READ_STAGE and r["reason"].startswith(OVER_SIZE_LIMIT))
    balanced = (all(i["balanced"] for i in inputs) and totals["accepted"] == tables["articles"]["rows"]
                and claims["balanced"])
    if "verify" in parameters:  # every target gets a verdict, addressed or not
        balanced = balanced and tables.get("verdicts", {}).get("rows") == parameters["verify"]["n_targets"]
    return {
        "tool": "claimbeam",
        "complete": True,  # False from the start of a run until this manifest replaces it (see write_incomplete)
        "schema_version": SCHEMA_VERSION,  # of every table below (schemas/tables.py)
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": argv,
        "balanced": balanced,
        "totals": totals,
        "inputs": inputs,
        "claims": claims,
        "failures": failures,  # rejects rows of accepted records that one later step failed on, by stage
        "limits": _limits(parameters, tallies, over_size),
        "tables": tables,
        "parameters": parameters,
        "pipeline_options": pipeline_options,
        "metrics": _counters(result) if result is not None else {},
        "wall_seconds": round(wall_seconds, 2) if wall_seconds is not None else None,
        "versions": _versions(),
    }


def incomplete_manifest(argv: list[str] | None = None) -> dict:
    """Written before a run starts: the output is claimbeam's (so --overwrite may replace it) but not usable;
    claims.analysis.load refuses it until the finished run's manifest replaces this one."""
    return {"tool": "claimbeam", "complete": False, "schema_version": SCHEMA_VERSION,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "command": argv}


def write_manifest(output: str, manifest: dict) -> None:
    with FileSystems.create(FileSystems.join(output, "manifest.json")) as f:
        f.write(json.dumps(manifest, indent=2, sort_keys=False, default=str).encode("utf-8"))
