"""Progress on the terminal while a run works, with Beam's and Dask's own log noise kept out of it.

Pass-through `ReportProgress` steps count elements where they flow and write
the increments, at most every two seconds per bundle, as one short line on file
descriptor 2, but only where the CLI asked for it (CLAIMBEAM_PROGRESS=1 in the
environment, which local worker processes inherit; a remote worker or a
pipeline built by other code stays silent). `quiet_stderr` reads the CLI's
stderr, which those workers share, through a pipe: it adds up the increments
from every process into one line per stage, and drops the INFO and WARNING log
lines of Beam's workers and of Dask (kept with --verbose). Anything else, an
error or a traceback, passes through untouched.

When stdout or the real stderr is a pipe whose reader went away (`claimbeam run
... 2>&1 | head -3`), the run ends at once: a watcher sees the closed pipe (or a
write to it fails) and interrupts the main thread, which runs the pipeline, so
its output stays marked incomplete. Meanwhile the reader thread keeps draining
the workers' pipe, so that no process blocks on a full one.
"""
from __future__ import annotations

import _thread
import contextlib
import os
import re
import select
import stat
import sys
import threading
import time
from typing import Callable

import apache_beam as beam
from apache_beam.metrics import Metrics

PROGRESS_ENV = "CLAIMBEAM_PROGRESS"
_TAG = "claimbeam-progress"
_END = f"{_TAG}-end\n"  # written by quiet_stderr itself: everything before it has been read
_FLUSH_SECONDS = 2.0
_PROGRESS_LINE = re.compile(rf"^{_TAG} (?P<stage>\S+) (?P<n>\d+) (?P<unit>.+)$")
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
            if os.environ.get(PROGRESS_ENV) == "1":
                # One write of a short line to the descriptor itself: atomic on a pipe, whichever process or
                # thread writes it, and never caught by a replaced sys.stderr.
                os.write(2, f"{_TAG} {self._stage} {self._pending} {self._unit}\n".encode())
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

    def __init__(self, out=None, min_interval: float = 1.0, show: bool = True,
                 on_closed: Callable[[], None] | None = None):
        self._out, self._min_interval, self._show = out, min_interval, show
        self._on_closed = on_closed  # called once, when `out` turns out to be a closed pipe
        self.closed = False
        self._state_lock = threading.Lock()  # not self._lock: mark_closed may be called while that is held
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

    def write(self, line: str) -> None:
        """Passes a line through, never in the middle of a progress line."""
        if self._out is not None:
            with self._lock:
                self._emit(line)

    def _print(self, stage: str, entry: list) -> None:
        if self._out is not None and self._show:  # otherwise keep the totals and print nothing (--quiet)
            elapsed = time.monotonic() - self._started
            self._emit(f"claimbeam: [{elapsed:5.0f} s] {stage:<7} {entry[0]:>11,} {entry[1]}\n")
        entry[2], entry[3] = entry[0], time.monotonic()

    def _emit(self, text: str) -> None:
        if self.closed:
            return
        try:
            self._out.write(text)
            self._out.flush()
        except (BrokenPipeError, ValueError):  # the reader went away (ValueError: the file was closed)
            self.mark_closed()

    def mark_closed(self) -> None:
        """The terminal output is a pipe that nobody reads any more: print nothing, and tell the run once."""
        with self._state_lock:
            first, self.closed = not self.closed, True
        if first and self._on_closed is not None:
            self._on_closed()


def take_line(line: str, board: ProgressBoard, verbose: bool) -> str | None:
    """What to do with one line of stderr: count it (None), drop it as noise (None), or pass it on."""
    match = _PROGRESS_LINE.match(line.rstrip("\r\n"))
    if match:
        board.add(match["stage"], int(match["n"]), match["unit"])
        return None
    if not verbose and _NOISE_LINE.match(line):
        return None
    return line


def _pipes(fds) -> list[int]:
    """The descriptors among `fds` that are pipes or sockets, the only outputs whose reader can go away."""
    found = []
    for fd in fds:
        with contextlib.suppress(OSError):
            if stat.S_ISFIFO(os.fstat(fd).st_mode) or stat.S_ISSOCK(os.fstat(fd).st_mode):
                found.append(fd)
    return found


def watch_closed_pipes(fds, on_closed: Callable[[], None], stop: threading.Event, interval: float = 0.2) -> None:
    """Calls `on_closed` once any of `fds` is a pipe whose reader closed it (poll's POLLERR), until `stop` is set.

    Needed besides catching BrokenPipeError: a run writes nothing to stdout until its summary, and nothing to
    stderr under --quiet, so a closed pipe would otherwise only be noticed when the run is over. Takes over
    `fds` (copies made for it, so that the caller may close or reuse its own) and closes them when it returns."""
    watched = list(fds)
    try:
        poller = select.poll()
        for fd in watched:
            poller.register(fd, select.POLLERR | select.POLLHUP)  # no POLLOUT: only the reader going away wakes it
        while watched and not stop.is_set():
            if poller.poll(interval * 1000):
                on_closed()
                return
    finally:
        for fd in watched:
            os.close(fd)


@contextlib.contextmanager
def quiet_stderr(verbose: bool = False, show_progress: bool = True, closed: threading.Event | None = None):
    """Filters this process's stderr (file descriptor 2, which worker processes inherit) for the duration.

    When stdout or stderr is a pipe whose reader goes away, sets `closed` and interrupts the main thread
    (KeyboardInterrupt). The caller checks `closed`, not the board: the interrupt may come before the board
    is bound to its name."""
    sys.stderr.flush()
    saved = os.dup(2)
    out = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8", errors="replace")
    running = threading.Event()  # set while the body runs: only then does a closed stderr interrupt it
    running.set()

    def interrupt_run():
        if running.is_set():
            if closed is not None:
                closed.set()
            _thread.interrupt_main()  # KeyboardInterrupt in the main thread, which runs the pipeline

    board = ProgressBoard(out, show=show_progress, on_closed=interrupt_run)  # errors show even with --quiet
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)

    def pump():
        with os.fdopen(read_end, "r", encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.endswith(_END):  # a process that outlives the run may hold the pipe open: stop here
                    if line != _END:
                        board.write(line[:-len(_END)] + "\n")  # the rest of a line left without its newline
                    return
                kept = take_line(line, board, verbose)
                if kept is not None:
                    board.write(kept)

    reader = threading.Thread(target=pump, name="claimbeam-stderr", daemon=True)
    reader.start()
    stop_watching = threading.Event()
    previous = os.environ.get(PROGRESS_ENV)
    os.environ[PROGRESS_ENV] = "1"
    try:  # the watcher starts inside: an interrupt that comes at once still restores stderr below
        threading.Thread(target=watch_closed_pipes, name="claimbeam-pipes", daemon=True,
                         args=([os.dup(fd) for fd in _pipes((1, saved))], board.mark_closed, stop_watching)).start()
        yield board
    finally:
        running.clear()
        stop_watching.set()
        if previous is None:
            del os.environ[PROGRESS_ENV]
        else:
            os.environ[PROGRESS_ENV] = previous
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.write(write_end, _END.encode())
        os.close(write_end)
        reader.join(timeout=30)
        board.finish()
        if not reader.is_alive():
            with contextlib.suppress(BrokenPipeError):
                out.close()
