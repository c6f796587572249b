"""Helper processes that end with the process that started them.

A flow killed outright (SIGKILL, the OOM killer) cannot tell its helper processes. A helper
blocked on a pipe to it (waiting for work, or writing a result nobody reads) would wait for
ever and keep its memory: each helper runs ``end_with_parent`` as it starts, given the pid
of the process that started it.
"""

from __future__ import annotations

import os
import threading
import time


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
