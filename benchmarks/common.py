"""Shared helpers for benchmark scripts: results tables printed and written as JSON."""
from __future__ import annotations

import argparse
import json
import platform
from datetime import datetime, timezone
from pathlib import Path


def machine() -> dict:
    import os

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}


def print_table(title: str, rows: list[dict]) -> None:
    """A plain fixed-width table of `rows` (dicts with the same keys)."""
    if not rows:
        return
    columns = list(rows[0])
    columns += [c for r in rows for c in r if c not in columns]
    cells = [[_cell(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    print(f"\n{title}")
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)))


def _cell(value) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def write_json(path: str | None, results: dict) -> None:
    if path:
        payload = {"created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
                   **results}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(payload, f, indent=2)


def parse_args(doc: str, data_help: str, argv: list[str] | None, extra=None) -> argparse.Namespace:
    """Every benchmark's command line: the data folder, --json FILE, and what `extra(parser)` adds."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("data_dir", type=Path, help=data_help)
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    if extra:
        extra(parser)
    return parser.parse_args(argv)
