"""A local Dask cluster for one run (`claimbeam run --dask-local N`).

This module imports no Beam, so that each worker can preload it at start-up,
before its first task unpickles Beam objects: `dask_setup` then quiets the
warnings that Beam logs when a process first imports it.
"""
from __future__ import annotations

import contextlib
import logging
import os

import dask.distributed as ddist

VERBOSE_ENV = "CLAIMBEAM_VERBOSE"


def dask_setup(worker):
    """Run by each worker of a local cluster as it starts (dask's preload hook): keep its log to errors,
    unless the run is --verbose."""
    if os.environ.get(VERBOSE_ENV) != "1":
        logging.getLogger().setLevel(logging.ERROR)


def _quiet_shutdown() -> None:
    """Run in each worker once the run is over: a worker that is slow to stop may log that the scheduler, gone
    first, missed its heartbeat, which says nothing about the run."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


@contextlib.contextmanager
def local_cluster(n_workers: int, verbose: bool = False):
    """A scheduler and `n_workers` single-threaded worker processes on loopback; yields its address, then closes.

    Dask's own log lines (start-up, shut-down) are kept to errors unless `verbose`.
    """
    level = logging.INFO if verbose else logging.ERROR
    dask_logger = logging.getLogger("distributed")
    previous_level = dask_logger.level  # restored at the end: run_claimbeam may be one call of a longer session
    dask_logger.setLevel(level)
    previous = os.environ.get(VERBOSE_ENV)
    os.environ[VERBOSE_ENV] = "1" if verbose else "0"  # read by dask_setup in each worker, which inherits it
    cluster = ddist.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                 dashboard_address=":0", silence_logs=level, preload=[__name__])
    try:
        yield cluster.scheduler_address
    finally:
        if not verbose:
            with contextlib.suppress(Exception), ddist.Client(cluster, timeout=10) as client:
                client.run(_quiet_shutdown)
            dask_logger.setLevel(logging.CRITICAL)  # the scheduler and nannies, in this process
        cluster.close()
        dask_logger.setLevel(previous_level)
        if previous is None:
            os.environ.pop(VERBOSE_ENV, None)
        else:
            os.environ[VERBOSE_ENV] = previous
