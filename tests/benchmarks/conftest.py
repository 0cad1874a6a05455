"""Benchmark scripts are not part of the installed package; tests load them from the checkout."""
import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def load_benchmark():
    """load_benchmark("scale_corpus") is that benchmark script as a module."""
    return _load


@pytest.fixture
def run_benchmark():
    """run_benchmark("copy_detection", [data_dir, "--json", path]) runs that script's main() and returns its results."""
    return lambda name, argv: _load(name).main(argv)


@pytest.fixture
def tiny_fnc(tmp_path):
    """tiny_fnc(bodies, stances) writes FNC-format CSVs under tmp_path/fnc-1 and returns tmp_path."""
    import csv

    def write(bodies: dict[int, str], stances: list[tuple[str, int, str]]) -> Path:
        fnc = tmp_path / "fnc-1"
        fnc.mkdir(exist_ok=True)
        with open(fnc / "train_bodies.csv", "w", newline="") as f:
            csv.writer(f).writerows([["Body ID", "articleBody"], *bodies.items()])
        with open(fnc / "train_stances.csv", "w", newline="") as f:
            csv.writer(f).writerows([["Headline", "Body ID", "Stance"], *stances])
        return tmp_path
    return write
