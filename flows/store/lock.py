"""One writer at a time: an advisory file lock held for the whole run."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows import faults


class WarehouseBusyError(RuntimeError):
    """Another run holds the warehouse."""


@contextmanager
def run_lock(lock_path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's run lock, waiting up to ``wait_seconds`` for another run to end.

    The kernel releases an flock when its process dies, so a killed run never leaves a stale lock.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
    try:
        deadline = time.monotonic() + wait_seconds
        waiting = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting and wait_seconds > 0:
                    waiting = True
                    faults.reached("lock.waiting")
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise WarehouseBusyError(
                        f"another newswire run (pid {holder}) is writing {lock_path.parent}; "
                        "try again when it finishes or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def lock_holder(lock_path: Path) -> int | None:
    """The pid of the run holding the lock, or None; never takes the lock, so never blocks one.

    Reads the kernel's lock table (Linux ``/proc/locks``); elsewhere it reports None.
    """
    try:
        inode = lock_path.stat().st_ino
        table = Path("/proc/locks").read_text(encoding="ascii")
    except OSError:
        return None
    for line in table.splitlines():
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 1234 fe:00:5678 0 EOF"; waiters read "1: -> FLOCK ...".
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode):
            return int(fields[4])
    return None
