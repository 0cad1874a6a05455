"""Progress on the terminal while a run works, with Beam's and Dask's own log noise kept out of it.

Pass-through `ReportProgress` steps count elements where they flow and log the
increments on the `claimbeam.progress` logger, at most every two seconds per
bundle. Workers in other processes write those lines to the stderr they
inherited from the CLI, so `quiet_stderr` reads the CLI's stderr through a pipe:
it adds up the increments from every worker into one line per stage, and drops
the INFO and WARNING log lines of Beam's workers and of Dask (kept with
--verbose). Anything else, an error or a traceback, passes through untouched.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import threading
import time

import apache_beam as beam
from apache_beam.metrics import Metrics

PROGRESS_LOGGER = "claimbeam.progress"
_TAG = "claimbeam-progress"
_FLUSH_SECONDS = 2.0
# Our line as a worker's default log format writes it, or as the CLI's own handler passes it on.
_PROGRESS_LINE = re.compile(rf"^(?:WARNING:{re.escape(PROGRESS_LOGGER)}:)?{_TAG} (?P<stage>\S+) (?P<n>\d+) "
                            r"(?P<unit>.+)$")
_NOISE_LINE = re.compile(
    r"^(?:(?:DEBUG|INFO|WARNING):\S+:"                                     # Python's default format (Beam workers)
    r"|\d{4}-\d\d-\d\d[ T][\d:,.]+ - \S+ - (?:DEBUG|INFO|WARNING) - )")  # dask.distributed's format


class _CountElements(beam.DoFn):
    def __init__(self, stage: str, unit: str):
        self._stage, self._unit = stage, unit
        self._elements = Metrics.counter("progress", stage)

    def start_bundle(self):
        self._pending, self._last = 0, time.monotonic()

    def process(self, element):
        self._pending += 1
        if time.monotonic() - self._last >= _FLUSH_SECONDS:
            self._flush()
        yield element

    def finish_bundle(self):
        self._flush()

    def _flush(self):
        if self._pending:
            self._elements.inc(self._pending)
            logging.getLogger(PROGRESS_LOGGER).warning("%s %s %d %s", _TAG, self._stage, self._pending, self._unit)
        self._pending, self._last = 0, time.monotonic()


class ReportProgress(beam.PTransform):
    """Passes every element through unchanged, counting them for the progress display."""

    def __init__(self, stage: str, unit: str):
        super().__init__()
        self._stage, self._unit = stage, unit

    def expand(self, pcoll):
        return pcoll | f"Count {self._unit}" >> beam.ParDo(_CountElements(self._stage, self._unit))


class ProgressBoard:
    """Running totals per stage, printed as `claimbeam: [ 12 s] split  3,200 claim mentions` lines."""

    def __init__(self, out=None, min_interval: float = 1.0):
        self._out, self._min_interval = out, min_interval
        self._started = time.monotonic()
        self._totals: dict[str, list] = {}  # stage -> [total, unit, total last printed, time last printed]
        self._lock = threading.Lock()

    def add(self, stage: str, n: int, unit: str) -> None:
        with self._lock:
            entry = self._totals.setdefault(stage, [0, unit, None, 0.0])
            entry[0] += n
            if entry[2] is None or time.monotonic() - entry[3] >= self._min_interval:
                self._print(stage, entry)

    def finish(self) -> None:
        """Prints every stage whose final total has not been shown yet."""
        with self._lock:
            for stage, entry in self._totals.items():
                if entry[2] != entry[0]:
                    self._print(stage, entry)

    @property
    def totals(self) -> dict[str, int]:
        return {stage: entry[0] for stage, entry in self._totals.items()}

    def _print(self, stage: str, entry: list) -> None:
        if self._out is not None:  # None: keep the totals, print nothing (--quiet)
            elapsed = time.monotonic() - self._started
            self._out.write(f"claimbeam: [{elapsed:5.0f} s] {stage:<7} {entry[0]:>11,} {entry[1]}\n")
            self._out.flush()
        entry[2], entry[3] = entry[0], time.monotonic()


def take_line(line: str, board: ProgressBoard, verbose: bool) -> str | None:
    """What to do with one line of stderr: count it (None), drop it as noise (None), or pass it on."""
    match = _PROGRESS_LINE.match(line.rstrip("\r\n"))
    if match:
        board.add(match["stage"], int(match["n"]), match["unit"])
        return None
    if not verbose and _NOISE_LINE.match(line):
        return None
    return line


class _BoardHandler(logging.Handler):
    """Progress logged in this process (the one-worker runner) goes straight to the board."""

    def __init__(self, board: ProgressBoard, verbose: bool):
        super().__init__()
        self._board, self._verbose = board, verbose

    def emit(self, record):
        take_line(record.getMessage(), self._board, self._verbose)


@contextlib.contextmanager
def quiet_stderr(verbose: bool = False, show_progress: bool = True):
    """Filters this process's stderr (file descriptor 2, which worker processes inherit) for the duration."""
    sys.stderr.flush()
    saved = os.dup(2)
    out = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8", errors="replace")
    board = ProgressBoard(out if show_progress else None)
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)

    def pump():
        with os.fdopen(read_end, "r", encoding="utf-8", errors="replace") as lines:
            for line in lines:
                kept = take_line(line, board, verbose)
                if kept is not None:
                    out.write(kept)

    reader = threading.Thread(target=pump, name="claimbeam-stderr", daemon=True)
    reader.start()
    logger = logging.getLogger(PROGRESS_LOGGER)
    handler = _BoardHandler(board, verbose)
    logger.addHandler(handler)
    logger.propagate, logger.level = False, logging.INFO
    try:
        yield board
    finally:
        logger.removeHandler(handler)
        sys.stderr.flush()
        os.dup2(saved, 2)  # closes our end of the pipe; the reader ends once no worker holds it open
        os.close(saved)
        reader.join(timeout=10)
        board.finish()
        out.close()
