"""GuardedStep: a per-record step whose failure costs only that record, plus the run's tallies.

An exception in one article's splitting, one cluster's scoring or one
article's stance becomes a rejects row (the stage, the record, the error) on
the FAULTS output, the step's fallback output (if any) takes its place, and
the run goes on. Counts that manifest.json must report on every runner (what
was filtered, which limits were hit) travel as data on the TALLIES output,
(name, count) pairs summed by `WriteRunCounts`, because some runners (Dask)
report no Beam metrics.
"""
from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.metrics import Metrics

from claims.faults import fault_reject, injected_faults, raise_if_injected

FAULTS, TALLIES = "faults", "tallies"


class GuardedStep(beam.DoFn):
    """Subclasses set `stage` and define `run_step` (an iterable of outputs) and `fault_for`; `params` are
    the step's settings."""

    stage = ""

    def __init__(self, params=None):
        self._params = params
        self._faults = None  # read from the environment on the worker, at first use
        self._failed = Metrics.counter(self.stage, "records_failed")

    def key_of(self, element) -> str:
        """What the fault hook and the reject name the record by: the key of a (key, value) element."""
        return element[0]

    def run_step(self, element, *args, **kwargs):
        raise NotImplementedError

    def fault_for(self, element, key: str, err: Exception):
        """The Reject for a failure on `element` (claims.faults.fault_reject with its input and record)."""
        raise NotImplementedError

    def fallback(self, element, err: Exception):
        """Outputs that stand in for a failed step's (none by default)."""
        return ()

    def process(self, element, *args, **kwargs):
        if self._faults is None:
            self._faults = injected_faults()
        key = self.key_of(element)
        try:
            raise_if_injected(self._faults, self.stage, key)
            outputs = list(self.run_step(element, *args, **kwargs))  # all or nothing: no half-emitted record
        except Exception as err:  # noqa: BLE001 - any failure of this one record
            self._failed.inc()
            try:
                reject = self.fault_for(element, key, err)
            except Exception:  # noqa: BLE001 - an element odd enough to break its own description
                reject = fault_reject(self.stage, key, err, repr(element)[:2000])
            yield beam.pvalue.TaggedOutput(FAULTS, reject)
            outputs = list(self.fallback(element, err))
        yield from outputs


def tally(name: str, count: int = 1):
    return beam.pvalue.TaggedOutput(TALLIES, (name, count))


class WriteRunCounts(beam.PTransform):
    """(name, count) pairs -> one JSON object of their sums, written to `path` (a file the CLI reads back)."""

    def __init__(self, path: str):
        super().__init__()
        self._path = path

    def expand(self, counts):
        return (
            counts
            | "Sum each count" >> beam.CombinePerKey(sum)
            | "Collect the counts" >> beam.combiners.ToDict()
            | "Encode the counts" >> beam.Map(lambda totals: json.dumps(totals, sort_keys=True))
            | "Write the counts" >> beam.io.WriteToText(self._path, shard_name_template="", num_shards=1))


__all__ = ["FAULTS", "TALLIES", "GuardedStep", "WriteRunCounts", "fault_reject", "tally"]
