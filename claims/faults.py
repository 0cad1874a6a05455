"""One record's failure stays with that record: the reject it becomes, and the test-only fault hook.

A step that runs per article, per claim text, per block, per cluster or per
target (splitting and attribution, copy-detection features, match features
and block comparison, scoring one cluster, one article's stances, one
target's verdict) is wrapped by the pipeline so that an exception in it becomes a `rejects` row naming the
stage and the error, and the run goes on (pipelines/faults.py).

To prove that wrapping works, tests make a chosen step fail through the
environment variable CLAIMBEAM_TEST_FAULTS, a comma-separated list of
`stage:key` (`split:a3` fails splitting article a3; `score:*` fails scoring
every cluster). The key is what the stage runs on: an article id (split,
copies, stance), a claim text's id or a blocking word (match), a cluster id
(score) or a target id (verdict). Worker processes inherit the environment, so the hook reaches
every local runner. Production code never sets it; it is checked in the
wrapper, so no step's own code path changes.
"""
from __future__ import annotations

import os

from claims.records import Reject, shorten_record

FAULTS_ENV = "CLAIMBEAM_TEST_FAULTS"
# The per-record steps that are wrapped, in data-flow order; "read" rejects come from the readers themselves.
STAGES = ("split", "copies", "match", "score", "stance", "verdict")
ANY_KEY = "*"


class InjectedFault(RuntimeError):
    """Raised by the test-only hook in place of a real failure."""


def injected_faults(value: str | None = None) -> frozenset[tuple[str, str]]:
    """The (stage, key) pairs named in CLAIMBEAM_TEST_FAULTS (or in `value`); empty when it is not set."""
    value = os.environ.get(FAULTS_ENV, "") if value is None else value
    faults = set()
    for item in filter(None, (part.strip() for part in value.split(","))):
        stage, sep, key = item.partition(":")
        if not sep or stage not in STAGES or not key:
            raise ValueError(f"{FAULTS_ENV}: expected stage:key with a stage among {', '.join(STAGES)}, "
                             f"got {item!r}")
        faults.add((stage, key))
    return frozenset(faults)


def raise_if_injected(faults: frozenset[tuple[str, str]], stage: str, key: str) -> None:
    if (stage, key) in faults or (stage, ANY_KEY) in faults:
        raise InjectedFault(f"fault injected by {FAULTS_ENV} for {stage}:{key}")


def fault_reject(stage: str, key: str, err: BaseException, record: str, input_path: str | None = None,
                 record_number: int | None = None) -> Reject:
    """The rejects row for a step that failed on one record: which stage, which record, what error."""
    message = " ".join(str(err).split()) or "(no message)"
    # The reason's head, before the colon, is what rejects are counted by (records.reject_kind): stage and error type
    return Reject(input_path, record_number, f"{stage} failed ({type(err).__name__}): {message} [{key}]",
                  shorten_record(record), stage=stage)
