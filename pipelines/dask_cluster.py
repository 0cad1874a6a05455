"""A local Dask cluster for one run (`claimbeam run --dask-local N`).

This module imports no Beam, so that each worker can preload it at start-up,
before its first task unpickles Beam objects: `dask_setup` then quiets the
warnings that Beam logs when a process first imports it.
"""
from __future__ import annotations

import contextlib
import logging

import dask.distributed as ddist


def dask_setup(worker):
    """Run by each worker of a local cluster as it starts (dask's preload hook): keep its log to errors."""
    logging.getLogger().setLevel(logging.ERROR)


@contextlib.contextmanager
def local_cluster(n_workers: int):
    """A scheduler and `n_workers` single-threaded worker processes on loopback; yields its address, then closes."""
    logging.getLogger("distributed").setLevel(logging.ERROR)  # its INFO lines on start-up and shut-down
    cluster = ddist.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                 dashboard_address=":0", silence_logs=logging.ERROR, preload=[__name__])
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()
