"""Benchmark scripts are not part of the installed package; tests load them from the checkout."""
import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def run_benchmark():
    """run_benchmark("copy_detection", [data_dir, "--json", path]) runs that script's main() and returns its results."""
    def run(name: str, argv: list[str]) -> dict:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.main(argv)
    return run
