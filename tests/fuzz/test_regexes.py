"""Every compiled regular expression in claims/ runs in linear time on inputs built to make regexes backtrack.

A pattern with two quantifiers that can both take the same characters (`\\s*,?\\s*`, a lazy group beside
`[ \\t]*`, an unbounded word beside a "-" separator) backtracks quadratically or worse on a long run of those
characters. Each pattern here is searched and matched on runs of up to 20,000 characters of the kinds that set such
traps off, after prefixes that reach the patterns' inner parts; a linear pattern takes well under a tenth of a
second on each, a quadratic one seconds. A pattern over the bound fails only if a quarter of the input takes less
than an eighth of its time, so that a slow machine does not fail a linear one. Patterns used on sentences or names are held to the same bound, so a
change of where a pattern is applied cannot open a trap.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest

import claims

LENGTHS = (500, 2_000, 5_000, 20_000)  # short first, so that a cubic pattern fails in seconds rather than hanging
BOUND_SECONDS = 0.25
GROWTH_BOUND = 8  # a linear pattern takes 4 times as long on 4 times the input, a quadratic one 16
RUNS = [" ", "\t", "\n", "-", ".", ",", '"', "'", "\u201c", "a", "A", "1", "a ", "A ", ", ", ". ", "Ab ", "of ",
        ".a", "x-", ", said he"]
PREFIXES = ["", "By Bo", ", police said", "was on", "In a", '"A', "according to A"]
SUFFIXES = ["", "x", ",", "\nx"]


def _patterns() -> dict[str, re.Pattern]:
    found = {}
    for info in pkgutil.iter_modules(claims.__path__):
        module = importlib.import_module(f"claims.{info.name}")
        found.update({f"{module.__name__}.{name}": value for name, value in vars(module).items()
                      if isinstance(value, re.Pattern)})
    return found


PATTERNS = _patterns()


def test_the_patterns_of_every_module_are_found():
    modules = {name.rsplit(".", 1)[0] for name in PATTERNS}
    assert {"claims.mentions", "claims.sentences", "claims.text", "claims.verify"} <= modules
    assert len(PATTERNS) >= 30


def _seconds(how, text: str, tries: int) -> float:
    """The fastest of `tries` timings, so that a busy machine does not fail a pattern."""
    times = []
    for _ in range(tries):
        started = time.perf_counter()
        how(text)
        times.append(time.perf_counter() - started)
        if times[-1] < BOUND_SECONDS:
            break
    return min(times)


def _first_slow(pattern: re.Pattern, length: int) -> str | None:
    """The first input on which `pattern` takes over the bound and also grows faster than linearly.

    A slow machine can take the bound on a linear pattern with a bounded inner repeat (40 tries at each start); a
    quarter of the input then takes about a quarter of the time, where a quadratic pattern takes a sixteenth.
    """
    for run in RUNS:
        for prefix in PREFIXES:
            for suffix in SUFFIXES:
                text = prefix + run * (length // len(run)) + suffix
                for how in (pattern.search, pattern.match):
                    took = _seconds(how, text, 2)
                    if took < BOUND_SECONDS:
                        continue
                    quarter = _seconds(how, prefix + run * (length // 4 // len(run)) + suffix, 3)
                    if took > GROWTH_BOUND * quarter:
                        return (f"{took:.2f} s on {how.__name__} {prefix!r} + {run!r} * N + {suffix!r}, N = {length:,}"
                                f" ({took / quarter:.0f} times N / 4)")
    return None


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_on_long_runs(name):
    for length in LENGTHS:
        slow = _first_slow(PATTERNS[name], length)
        assert slow is None, f"{name} took {slow}"


class _TimedPattern:
    """Stands in for a pattern whose cost on one trap input grows as `length ** power`, reaching 0.3 s at 20,000."""

    def __init__(self, power: int):
        self.power = power

    def search(self, text: str) -> None:
        if text.startswith("In aAAA"):
            time.sleep(0.3 * (len(text) / 20_000) ** self.power)

    match = search


@pytest.mark.parametrize("power, caught", [(1, False), (2, True)], ids=["linear but slow", "quadratic"])
def test_a_pattern_is_caught_only_when_it_grows_faster_than_linearly(power, caught):
    assert (_first_slow(_TimedPattern(power), 20_000) is not None) == caught
