"""Named moments of a run where the crash and retry tests stop or break it on purpose.

A run calls ``reached(point)`` at each moment worth killing it at. In production the call only
looks up two environment variables and returns. The tests set them in a run's subprocess:

- ``NEWSWIRE_SIGNAL_DIR=dir``: at every point the run writes ``dir/<point>.passed``.
- ``NEWSWIRE_PAUSE_AT=point`` (with ``NEWSWIRE_SIGNAL_DIR``): at ``point`` the run writes
  ``dir/<point>.reached`` (its pid) and waits until ``dir/<point>.release`` exists, so a test
  can SIGKILL it exactly there instead of guessing with sleeps.
- ``NEWSWIRE_FAIL_AT=point:times[,point:times]``: the first ``times`` arrivals at ``point`` in
  this process raise a transient I/O error (``EIO``), so a test can watch retries absorb it.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

PAUSE_ENV = "NEWSWIRE_PAUSE_AT"
SIGNAL_ENV = "NEWSWIRE_SIGNAL_DIR"
FAIL_ENV = "NEWSWIRE_FAIL_AT"

# Every point a run passes, in order. A test killing the run at each one covers every stage.
POINTS: tuple[str, ...] = (
    "lock.waiting",  # another run holds the lock and this one waits for it
    "discover",  # input listed
    "prepare",  # warehouse copied to news.next.duckdb
    "read_hash",  # new files read and hashed
    "parse",  # a chunk of files parsed
    "entities",  # model loaded, before extraction of a chunk
    "parquet",  # first staged Parquet file written, the others not yet
    "validate",  # expectations evaluated, result not yet returned (the load runs meanwhile)
    "load",  # batch inserted into the copy, transaction not yet committed
    "load.committed",  # a transaction (the batch's, later the records') committed, no checkpoint
    "record",  # the run's records inserted into the copy, transaction not yet committed
    "export",  # first table of the Parquet snapshot written
    "publish.database",  # news.duckdb swapped, Parquet link not yet
    "publish.parquet",  # both swapped, the run's staged batch not yet removed
    "report",  # before the report page is written
)

# Safety net: a paused run nobody releases or kills carries on after this long.
_MAX_PAUSE_SECONDS = 900.0
_failures: dict[str, int] = {}


def reached(point: str) -> None:
    """Mark that the run is at ``point``; inert unless a test asked to watch, pause or fail."""
    signal_dir = os.environ.get(SIGNAL_ENV)
    fail_at = os.environ.get(FAIL_ENV)
    if signal_dir is None and fail_at is None:
        return
    if signal_dir is not None:
        _mark(Path(signal_dir), f"{point}.passed")
        if os.environ.get(PAUSE_ENV) == point:
            _pause(point, Path(signal_dir))
    for rule in (fail_at or "").split(","):
        name, _, times = rule.partition(":")
        if name == point and _failures.get(point, 0) < int(times or "1"):
            _failures[point] = _failures.get(point, 0) + 1
            raise OSError(errno.EIO, f"injected transient I/O error at {point}")


def failures(point: str) -> int:
    """How many errors were injected at ``point`` in this process."""
    return _failures.get(point, 0)


def _mark(signal_dir: Path, name: str) -> None:
    """Write a marker whole (temporary name, then rename): a test never reads half of one."""
    signal_dir.mkdir(parents=True, exist_ok=True)
    temporary = signal_dir / f".{name}.{os.getpid()}.tmp"
    temporary.write_text(str(os.getpid()), encoding="utf-8")
    os.replace(temporary, signal_dir / name)


def _pause(point: str, signal_dir: Path) -> None:
    _mark(signal_dir, f"{point}.reached")
    release = signal_dir / f"{point}.release"
    deadline = time.monotonic() + _MAX_PAUSE_SECONDS
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
