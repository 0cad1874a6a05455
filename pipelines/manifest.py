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


def build_manifest(output: str, file_counts: dict[str, int], parameters: dict, pipeline_options: dict,
                   result=None, wall_seconds: float | None = None, argv: list[str] | None = None) -> dict:
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
    accepted = Counter(read_table(output, "articles", ["input"]).column("input").to_pylist())
    rejected = Counter(read_table(output, "rejects", ["input"]).column("input").to_pylist())
    inputs = []
    for path in sorted(set(file_counts) | set(accepted) | set(rejected)):
        read = file_counts.get(path, 0)
        inputs.append({"path": path, "records_read": read, "accepted": accepted[path], "rejected": rejected[path],
                       "balanced": read == accepted[path] + rejected[path]})
    totals = {"records_read": sum(i["records_read"] for i in inputs),
              "accepted": sum(i["accepted"] for i in inputs),
              "rejected": sum(i["rejected"] for i in inputs)}
    balanced = all(i["balanced"] for i in inputs) and totals["accepted"] == tables["articles"]["rows"]
    if "verify" in parameters:  # every target gets a verdict, addressed or not
        balanced = balanced and tables.get("verdicts", {}).get("rows") == parameters["verify"]["n_targets"]
    return {
        "tool": "claimbeam",
        "schema_version": SCHEMA_VERSION,  # of every table below (schemas/tables.py)
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": argv,
        "balanced": balanced,
        "totals": totals,
        "inputs": inputs,
        "tables": tables,
        "parameters": parameters,
        "pipeline_options": pipeline_options,
        "metrics": _counters(result) if result is not None else {},
        "wall_seconds": round(wall_seconds, 2) if wall_seconds is not None else None,
        "versions": _versions(),
    }


def write_manifest(output: str, manifest: dict) -> None:
    with FileSystems.create(FileSystems.join(output, "manifest.json")) as f:
        f.write(json.dumps(manifest, indent=2, sort_keys=False, default=str).encode("utf-8"))
