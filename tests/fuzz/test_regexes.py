"""Every compiled regular expression in claims/ runs in linear time on inputs built to make regexes backtrack.

A pattern with two quantifiers that can both take the same characters (`\\s*,?\\s*`, a lazy group beside
`[ \\t]*`, an unbounded word beside a "-" separator) backtracks quadratically or worse on a long run of those
characters. Each pattern here is searched and matched on runs of up to 20,000 characters of the kinds that set such
traps off, after prefixes that reach the patterns' inner parts; a linear pattern takes well under a tenth of a
second on each, a quadratic one seconds. Patterns used on sentences or names are held to the same bound, so a
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


def _first_slow(pattern: re.Pattern, length: int) -> str | None:
    """The first input on which `pattern` takes over the bound (twice, so that a busy machine does not fail it)."""
    for run in RUNS:
        for prefix in PREFIXES:
            for suffix in SUFFIXES:
                text = prefix + run * (length // len(run)) + suffix
                for how in (pattern.search, pattern.match):
                    times = []
                    for _ in range(2):
                        started = time.perf_counter()
                        how(text)
                        times.append(time.perf_counter() - started)
                        if times[-1] < BOUND_SECONDS:
                            break
                    if min(times) >= BOUND_SECONDS:
                        return f"{min(times):.2f} s on {how.__name__} {prefix!r} + {run!r} * N + {suffix!r}, N = {length:,}"
    return None


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_on_long_runs(name):
    for length in LENGTHS:
        slow = _first_slow(PATTERNS[name], length)
        assert slow is None, f"{name} took {slow}"
