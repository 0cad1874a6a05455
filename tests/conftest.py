"""Shared fixtures: a pinned local runner for TestPipelines and one CLI run over the sample corpus."""
from __future__ import annotations

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


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The CLI run once on the bundled corpus, in verify mode with the bundled targets; tests read its tables."""
    out = tmp_path_factory.mktemp("sample") / "out"
    assert run(["run", "--output", str(out), "--claims", sample_targets_path(), "--quiet"]) == 0
    return out


def pytest_unconfigure(config):
    """Release Arrow objects while Arrow is still loaded: a reader thread alive at interpreter exit can abort
    the process after every test passed (apache/arrow#34314)."""
    import gc

    gc.collect()
