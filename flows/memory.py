"""Handing memory a stage freed back to the operating system before the next stage grows.

Python, Arrow and glibc keep freed memory for reuse. After a 100,000-file batch was staged,
what its chunks had freed (150-180 MB more than after a 10,000-file batch) stayed in the
process, and validation and the load peaked on top of it: the run's memory grew with its batch.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pyarrow as pa


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        library = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return library if library is not None and hasattr(library, "malloc_trim") else None


def give_back() -> None:
    """Collect garbage, then return free pages of Arrow's pool and of glibc's heap.

    About 0.2 s, nearly all of it the garbage collection: called between stages and between
    validation groups, never per file.
    """
    gc.collect()
    pa.default_memory_pool().release_unused()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def freeze_existing_objects() -> None:
    """Keep the cyclic GC off the objects that exist before the files are read (Prefect's).

    Python's full collections walk every tracked object; parsing a chunk triggers several,
    and with the flow process's start-up objects in the walk, parsing took twice as long as
    the parser alone. Only for runs that read files: the collection before the freeze took
    0.23 s of every run, a rerun with no new files included. The run unfreezes them at its
    end (``gc.unfreeze``), so a long-running ``serve`` process still collects them.
    """
    gc.collect()
    gc.freeze()


@contextmanager
def collections_paused() -> Iterator[None]:
    """Keep the cyclic GC from running while one chunk is staged; it runs again after.

    A chunk's parsed stories are kept until its tables are written, and freed by reference
    counting with the chunk; they hold no cycles. With the GC on, each full collection walked
    every story parsed so far: parsing 10,000 stories in two chunks took 1.2-1.3 s, against
    1.0-1.2 s without. What little cyclic garbage a chunk leaves (Prefect's task records)
    waits for the first collection after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
