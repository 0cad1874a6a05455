"""The same input gives the same IDs and rows: on a re-run, and with two worker processes."""
import json

import pyarrow.parquet as pq
from pipelines.cli import run, sample_targets_path
from schemas import TABLES


def _rows(out, table):
    rows = pq.read_table(out / table).to_pylist()
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


def _same_tables(a, b):
    for table in TABLES:
        assert _rows(a, table) == _rows(b, table), f"{table} differs"


def test_rerun_gives_identical_rows(sample_output, tmp_path):
    out = tmp_path / "again"
    assert run(["run", "--output", str(out), "--claims", sample_targets_path(), "--quiet"]) == 0
    _same_tables(sample_output, out)


def test_multi_processing_gives_identical_rows(sample_output, tmp_path):
    out = tmp_path / "multi"
    assert run(["run", "--output", str(out), "--claims", sample_targets_path(), "--quiet",
                "--direct_running_mode=multi_processing", "--direct_num_workers=2"]) == 0
    _same_tables(sample_output, out)
