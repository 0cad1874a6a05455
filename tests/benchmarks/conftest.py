"""Benchmark scripts are not part of the installed package; tests load them from the checkout."""
import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # a dataclass looks its module up there
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


# Three fictional stories, each with agreeing, discussing and (for two) refuting bodies, and unrelated pairs
_BODIES = {
    1: "Mila Reyes is leaving Hollow Pines to record a solo album in Lisbon.",
    2: "Mila Reyes denied that she is leaving Hollow Pines for a solo album in Lisbon. It is a hoax, her label said.",
    3: "A fire destroyed a warehouse at the Port Calder docks on Tuesday night.",
    4: "The Port Calder warehouse fire was reportedly started by faulty wiring, investigators said.",
    5: "The Kestrel Bay bridge will close for repairs next spring, the council said.",
    6: "Engineers say the Kestrel Bay bridge needs new cables; it closes in the spring.",
    7: "Reports that the Port Calder warehouse fire destroyed the docks are false, the harbor master said.",
    8: "Mila Reyes may be leaving Hollow Pines, according to unconfirmed reports.",
}
_HEADS = {"reyes": "Mila Reyes leaving Hollow Pines for solo album in Lisbon",
          "fire": "Fire destroys Port Calder warehouse", "bridge": "Kestrel Bay bridge to close for repairs"}
THREE_STORIES = [(_HEADS["reyes"], 1, "agree"), (_HEADS["reyes"], 2, "disagree"), (_HEADS["reyes"], 3, "unrelated"),
                 (_HEADS["fire"], 3, "agree"), (_HEADS["fire"], 4, "discuss"), (_HEADS["fire"], 5, "unrelated"),
                 (_HEADS["bridge"], 5, "agree"), (_HEADS["bridge"], 6, "discuss"), (_HEADS["bridge"], 1, "unrelated"),
                 (_HEADS["fire"], 7, "disagree"), (_HEADS["reyes"], 8, "discuss")]


@pytest.fixture
def three_stories(tiny_fnc) -> Path:
    """FNC-1 files of THREE_STORIES (see three_stories_pairs); returns the data folder."""
    return tiny_fnc(_BODIES, THREE_STORIES)


@pytest.fixture
def three_stories_pairs() -> list[tuple[str, int, str]]:
    """The (headline, body id, stance) rows of the three_stories files."""
    return THREE_STORIES
