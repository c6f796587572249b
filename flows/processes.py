"""Helper processes that end with the process that started them.

A flow killed outright (SIGKILL, the OOM killer) cannot tell its helper processes. A helper
blocked on a pipe to it (waiting for work, or writing a result nobody reads) would wait for
ever and keep its memory: each helper runs ``end_with_parent`` as it starts, given the pid
of the process that started it.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def end_with_parent(parent: int) -> None:
    """Start a thread that ends this process once its parent, the process ``parent``, is gone
    (checked every second; the parent may have died before this process got here).

    Not the parent's sentinel pipe: processes forked from the parent later hold it open too.
    """
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def spawned_helper(initializer: Callable[[int], None] = end_with_parent) -> ProcessPoolExecutor:
    """A pool of one helper process, started by ``spawn`` (the flow's process has threads,
    Prefect's and DuckDB's: a fork of it could hang). ``initializer`` gets this process's pid
    and must call ``end_with_parent`` with it."""
    context = multiprocessing.get_context("spawn")
    helper = ProcessPoolExecutor(
        1, mp_context=context, initializer=initializer, initargs=(os.getpid(),)
    )
    # A command run as a multiprocessing child (the tests' forkserver, a scheduler's worker)
    # ends by joining its child processes before anything shuts the helper down, and would
    # wait for ever; multiprocessing runs this first.
    multiprocessing.util.Finalize(None, end_helper, args=(helper,), exitpriority=100)
    return helper


def end_helper(helper: ProcessPoolExecutor) -> None:
    """Stop a helper at once, even in the middle of its work (nothing to keep)."""
    processes = list((helper._processes or {}).values())  # type: ignore[attr-defined]
    helper.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
