"""Progress: the pass-through counting step, the stderr filter, and the running totals."""
import io
import os
import subprocess
import sys
import threading
import time

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from pipelines.progress import ProgressBoard, ReportProgress, _pipes, quiet_stderr, take_line, watch_closed_pipes


def test_report_progress_passes_every_element_through(pipeline):
    with pipeline as p:
        counted = p | beam.Create(range(25)) | ReportProgress("split", "claim mentions")
        assert_that(counted, equal_to(list(range(25))))


@pytest.mark.parametrize("line, verbose, kept, counted", [
    pytest.param("claimbeam-progress split 12 claim mentions\n", False, None, {"split": 12},
                 id="progress line is counted"),
    pytest.param("claimbeam-progress read 3 articles", False, None, {"read": 3}, id="without its newline"),
    pytest.param("INFO:apache_beam.runners.worker.sdk_worker:Control channel established.\n", False, None, {},
                 id="Beam worker INFO dropped"),
    pytest.param("WARNING:root:apitools not found\n", False, None, {}, id="Beam worker WARNING dropped"),
    pytest.param("2026-11-22 07:51:06,123 - distributed.worker - INFO - Start worker\n", False, None, {},
                 id="Dask log line dropped"),
    pytest.param("INFO:apache_beam.io.filebasedsink:Renamed 1 shards\n", True,
                 "INFO:apache_beam.io.filebasedsink:Renamed 1 shards\n", {}, id="verbose keeps log lines"),
    pytest.param("ERROR:apache_beam.runners.worker.sdk_worker:Error processing instruction\n", False,
                 "ERROR:apache_beam.runners.worker.sdk_worker:Error processing instruction\n", {}, id="errors kept"),
    pytest.param("Traceback (most recent call last):\n", False, "Traceback (most recent call last):\n", {},
                 id="tracebacks kept"),
    pytest.param("claimbeam: error: something\n", False, "claimbeam: error: something\n", {}, id="our messages kept"),
])
def test_take_line(line, verbose, kept, counted):
    board = ProgressBoard()
    assert take_line(line, board, verbose) == kept
    assert board.totals == counted


def test_board_adds_up_increments_from_several_workers_and_prints_the_final_totals():
    out = io.StringIO()
    board = ProgressBoard(out, min_interval=3600)  # print the first total per stage, then only at the end
    for stage, n in [("read", 5), ("read", 7), ("split", 40), ("read", 2)]:
        board.add(stage, n, "items")
    board.finish()
    lines = [line.split("] ")[1].split() for line in out.getvalue().splitlines()]
    assert lines == [["read", "5", "items"], ["split", "40", "items"], ["read", "14", "items"]]
    assert board.totals == {"read": 14, "split": 40}


_CHILD = """
import sys
print("INFO:apache_beam.runners.worker.sdk_worker:Control channel established.", file=sys.stderr)
print("claimbeam-progress split 30 claim mentions", file=sys.stderr)
print("something went wrong", file=sys.stderr)
"""


def test_quiet_stderr_filters_what_child_processes_write(capfd):
    with quiet_stderr() as board:
        subprocess.run([sys.executable, "-c", _CHILD], check=True)  # inherits file descriptor 2, as workers do
        subprocess.run([sys.executable, "-c", _CHILD], check=True)
    err = capfd.readouterr().err
    assert board.totals == {"split": 60}
    assert err.count("something went wrong") == 2 and "Control channel" not in err
    assert err.splitlines()[-1].endswith("split            60 claim mentions")


def test_counting_steps_write_nothing_unless_the_cli_asked(pipeline, capfd, monkeypatch):
    monkeypatch.delenv("CLAIMBEAM_PROGRESS", raising=False)
    with pipeline as p:
        _ = p | beam.Create(range(5)) | ReportProgress("read", "articles")
    assert "claimbeam-progress" not in capfd.readouterr().err


def test_progress_from_this_process_is_counted_too(pipeline, capfd):
    with quiet_stderr() as board:
        with pipeline as p:
            _ = p | beam.Create(range(7)) | ReportProgress("read", "articles")
    assert board.totals == {"read": 7}
    assert "claimbeam-progress" not in capfd.readouterr().err


def test_a_process_that_outlives_the_run_does_not_hold_it_up(capfd):
    started = time.monotonic()
    with quiet_stderr():
        lingering = subprocess.Popen([sys.executable, "-c", "import sys, time; sys.stderr.write('half a line');"
                                      "sys.stderr.flush(); time.sleep(30)"])
        time.sleep(1)
    took = time.monotonic() - started
    lingering.kill()
    lingering.wait()
    assert took < 5 and "half a line" in capfd.readouterr().err


def test_stderr_is_restored_when_the_run_fails(capfd):
    with pytest.raises(RuntimeError, match="boom"):
        with quiet_stderr():
            raise RuntimeError("boom")
    print("after", file=sys.stderr)
    assert capfd.readouterr().err.endswith("after\n")


class _ClosedPipe(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


def test_board_on_a_closed_pipe_goes_quiet_and_tells_the_run_once():
    calls = []
    board = ProgressBoard(_ClosedPipe(), min_interval=0, on_closed=lambda: calls.append(1))
    board.add("read", 5, "articles")  # the first print finds the pipe closed
    board.write("an error line\n")
    board.add("read", 5, "articles")
    board.finish()
    assert board.closed and calls == [1] and board.totals == {"read": 10}


def test_a_pipe_whose_reader_closed_it_is_seen_without_writing_to_it():
    read_end, write_end = os.pipe()
    seen, stop = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch_closed_pipes, args=([write_end], seen.set, stop, 0.05))
    watcher.start()
    assert not seen.wait(0.3)  # an open pipe, with nothing written to it, wakes nothing
    os.close(read_end)
    assert seen.wait(5)
    watcher.join(5)
    assert not watcher.is_alive()  # and the watcher closed the descriptor it was given
    with pytest.raises(OSError):
        os.fstat(write_end)


def test_a_file_or_terminal_is_not_watched(tmp_path):
    with open(tmp_path / "log", "w") as f:
        assert _pipes([f.fileno()]) == []
    read_end, write_end = os.pipe()
    assert _pipes([write_end]) == [write_end]
    os.close(read_end)
    os.close(write_end)
