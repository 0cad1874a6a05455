"""Dataflow, offline: the CLI translates the whole pipeline for the DataflowRunner, and Beam builds claimbeam's sdist.

Needs the gcp extra (pip install -e ".[gcp]"); CI installs it. Without it the
tests are skipped, saying so.
"""
import importlib.util
import tarfile
from pathlib import Path

import pytest

from pipelines.cli import run, sample_targets_path

REPO = Path(__file__).resolve().parents[2]


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False


_MISSING = [name for name in ("google.auth", "apitools", "build") if not _installed(name)]

pytestmark = [
    pytest.mark.dataflow,
    pytest.mark.skipif(bool(_MISSING), reason=f"the gcp extra is not installed (missing {', '.join(_MISSING)}): "
                                              "pip install -e '.[gcp]'"),
]

DATAFLOW_FLAGS = ["--runner=DataflowRunner", "--dry_run=True", "--project=claimbeam-dry-run",
                  "--region=us-central1", "--temp_location=gs://claimbeam-dry-run/tmp",
                  f"--setup_file={REPO / 'pyproject.toml'}"]


def test_the_pipeline_translates_for_dataflow_without_submitting(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["run", "--output", str(out), "--claims", sample_targets_path(), *DATAFLOW_FLAGS]) == 0
    err = capsys.readouterr().err
    assert "dry run: the pipeline translated for DataflowRunner" in err and "no job was submitted" in err
    assert not out.exists()  # a dry run writes nothing


def test_beam_builds_the_sdist_that_dataflow_workers_install(tmp_path):
    """The same build the stager runs for --setup_file (python -m build --sdist --no-isolation)."""
    from apache_beam.runners.portability.stager import Stager

    sdist = Stager._build_setup_package(str(REPO / "pyproject.toml"), str(tmp_path), None)
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("claims/sample_corpus/articles.jsonl", "claims/verify.py", "pipelines/cli.py",
                   "pipelines/dask_runner.py", "schemas/tables.py", "pyproject.toml"):
        assert needed in names, f"{needed} is missing from {Path(sdist).name}"
