"""Shared fixtures: a pinned local runner for TestPipelines and one CLI run over the sample corpus."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline

from claims.records import Article
from pipelines.cli import run, sample_targets_path

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def pipeline():
    """A TestPipeline on the FnApiRunner: the DirectRunner would try to download Prism first."""
    return TestPipeline(options=PipelineOptions(["--runner=FnApiRunner"]))


def _make_article(article_id: str, text: str, source: str = "Harbor Times", published: str = "2026-03-04T10:00:00",
                 input_path: str = "in.jsonl", record_number: int = 1) -> Article:
    return Article(article_id, text, f"Title {article_id}", source, f"https://{source.lower().replace(' ', '')}.example/"
                   f"{article_id}", datetime.fromisoformat(published).replace(tzinfo=timezone.utc), published,
                   input_path, record_number)


@pytest.fixture
def make_article():
    """Builds an Article for pipeline tests: make_article("a1", "text", source="Daily Ledger")."""
    return _make_article


def _stance_model_bytes(baseline: dict[str, float], trees: list[dict] | None = None, /, **overrides) -> bytes:
    """A stance model file: `baseline` per stance, and trees (default: one leaf of value 0 per stance)."""
    import json

    from claims.stance_features import FEATURE_NAMES
    from claims.stance_model import FORMAT, FORMAT_VERSION

    classes = list(baseline)
    trees = trees if trees is not None else [
        {"class": k, "feature": [-1], "threshold": [0.0], "left": [0], "right": [0], "value": [0.0]}
        for k in range(len(classes))]
    spec = {"format": FORMAT, "format_version": FORMAT_VERSION, "trained_on": "a test", "features": list(FEATURE_NAMES),
            "classes": classes, "baseline": list(baseline.values()), "trees": trees, **overrides}
    return json.dumps(spec).encode()


@pytest.fixture
def stance_model_bytes():
    """stance_model_bytes({"discuss": 0, "refute": 2, "support": 1}, trees=None, **keys) is a model file's bytes."""
    return _stance_model_bytes


@pytest.fixture(scope="session")
def n_sample_articles() -> int:
    """How many articles the bundled corpus holds."""
    from pipelines.cli import sample_corpus_path

    return sum(1 for line in open(sample_corpus_path(), encoding="utf-8") if line.strip())


def _stage_finals(output: Path) -> dict[str, int]:
    rows = {name: t["rows"] for name, t in json.loads((output / "manifest.json").read_text())["tables"].items()}
    return {"read": rows["articles"], "split": rows["claims"], "match": rows["matches"], "score": rows["clusters"],
            "verify": rows["verdicts"]}


@pytest.fixture
def stage_finals():
    """stage_finals(output) is the final count each progress line should reach for a verify-mode output:
    its tables' row counts, as its manifest records them."""
    return _stage_finals


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The CLI run once on the bundled corpus, in verify mode with the bundled targets; tests read its tables."""
    out = tmp_path_factory.mktemp("sample") / "out"
    assert run(["run", "--output", str(out), "--claims", sample_targets_path(), "--quiet", "--workers", "1"]) == 0
    return out


@pytest.fixture(scope="session")
def dask_scheduler(tmp_path_factory):
    """A real dask.distributed scheduler and two worker processes of two threads each on loopback; yields the address.

    Started as `python -m distributed.cli.dask_scheduler` / `dask_worker` processes, as
    an operator would start a cluster, and stopped when the session ends.
    """
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    common = ["--no-dashboard", "--host", "127.0.0.1"]
    log = open(folder / "cluster.log", "wb")
    processes = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--port", "0",
                                   "--scheduler-file", str(scheduler_file), *common], env=env, stdout=log, stderr=log)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert scheduler_file.exists(), "the Dask scheduler did not start"
        for name in ("w1", "w2"):
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
                 "--nthreads", "2", "--nworkers", "1", "--name", name, *common], env=env, stdout=log, stderr=log))
        with distributed.Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
            address = client.scheduler.address
        yield address
    finally:
        for proc in reversed(processes):
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


def pytest_unconfigure(config):
    """Release Arrow objects while Arrow is still loaded: a reader thread alive at interpreter exit can abort
    the process after every test passed (apache/arrow#34314)."""
    import gc

    gc.collect()
