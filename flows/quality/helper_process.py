"""Validation in a helper process that warms up while the run does other work.

Importing Great Expectations and adding the suites to a context costs 4-5 s of one core, every
command. In the flow's own process that time came after staging and before validation; the flow
keeps one core busy while it parses and stages (and the other is idle at first), so the helper
imports GX there and then, and the run later only waits for the validation itself. The helper
also renders the Data Docs, which read its GX context. One helper per process (tests and the
scheduler run many flows in one process), started again if it ever dies.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path

from flows.batch.staging import StagedBatch
from flows.processes import end_with_parent, spawned_helper
from flows.quality.results import DqResult

_LOCK = threading.Lock()
_HELPER: list[ProcessPoolExecutor] = []


def warm_up(expectations_dir: Path) -> None:
    """Start the helper, if none runs, and have it import GX and set up the suites; returns at
    once."""
    with _LOCK:
        if _HELPER:
            return
        helper = _new_helper()
        _HELPER.append(helper)
        helper.submit(_warm, expectations_dir)


def validate(
    batch: StagedBatch, accounting: Mapping[str, int], expectations_dir: Path, today: date
) -> list[DqResult]:
    """``validate_batch`` in the helper: one result per expectation."""
    return _call(_validate, batch, accounting, expectations_dir, today)


def copy_ahead(batch: StagedBatch, expectations_dir: Path) -> None:
    """Have a warm helper copy the chunks staged so far into the batch's validation database
    (``suites.copy_ahead``); returns at once. Nothing waits for it: a validation copies
    whatever this left undone, so a helper that is not running, or fails here, costs only
    time."""
    with _LOCK:
        if not _HELPER:
            return
        helper = _HELPER[0]
    with contextlib.suppress(RuntimeError):  # shut down or broken: validation copies it all
        helper.submit(_copy_ahead, batch, expectations_dir)


def data_docs(results: Sequence[DqResult], site_dir: Path, run_id: str) -> Path:
    """The Data Docs of the helper's last validation (``build_data_docs``)."""
    return _call(_data_docs, list(results), site_dir, run_id)


def running() -> bool:
    """Whether this process has a helper (warm or warming up)."""
    with _LOCK:
        return bool(_HELPER)


def stop() -> None:
    """Stop the helper (the next validation starts a new one)."""
    with _LOCK:
        for helper in _HELPER:
            helper.shutdown(wait=True, cancel_futures=True)
        _HELPER.clear()


def _new_helper() -> ProcessPoolExecutor:
    return spawned_helper(_start_helper)


def _call(function, *args):  # type: ignore[no-untyped-def]
    """Run ``function(*args)`` in the helper; a helper that died is replaced once, and the
    call made again (a validation only reads the staged batch and rewrites its own files)."""
    for attempt in (1, 2):
        with _LOCK:
            if not _HELPER:
                _HELPER.append(_new_helper())
            helper = _HELPER[0]
        try:
            return helper.submit(function, *args).result()
        except BrokenProcessPool:
            stop()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# In the helper process ----------------------------------------------------------------------

_LAST_RUNNER: list[object] = []


def _start_helper(parent: int) -> None:
    """The helper ends with the flow's process (``end_with_parent``), and quietly: at exit
    DuckDB's bindings report 'leaked' objects on stderr when GX and duckdb-engine were
    imported (about 40 lines nobody can act on); the helper's errors reach the flow as
    exceptions."""
    warnings.filterwarnings("ignore")
    atexit.register(os.dup2, os.open(os.devnull, os.O_WRONLY), 2)
    # Its warm-up and copies are background work: where they compete with the flow for a
    # core (a full refresh's short entity stage), the flow goes first.
    with contextlib.suppress(OSError):
        os.nice(10)
    end_with_parent(parent)


def _warm(expectations_dir: Path) -> None:
    from flows.quality.suites import load_suites, shared_runner

    shared_runner(load_suites(expectations_dir))


def _copy_ahead(batch: StagedBatch, expectations_dir: Path) -> None:
    from flows.quality.suites import copy_ahead

    with contextlib.suppress(Exception):  # the validation copies what this could not
        copy_ahead(batch, expectations_dir)


def _validate(
    batch: StagedBatch, accounting: Mapping[str, int], expectations_dir: Path, today: date
) -> list[DqResult]:
    from flows.quality.suites import validate_batch

    validation = validate_batch(batch, accounting, expectations_dir, today)
    _LAST_RUNNER[:] = [validation.runner]
    return validation.results


def _data_docs(results: list[DqResult], site_dir: Path, run_id: str) -> Path:
    from flows.quality.data_docs import build_data_docs

    if not _LAST_RUNNER:
        raise RuntimeError("no validation ran in this helper to render Data Docs from")
    return build_data_docs(_LAST_RUNNER[0], results, site_dir, run_id)
