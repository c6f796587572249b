"""Which failures are worth retrying: transient I/O, not bugs or bad input.

Every task is idempotent (it rebuilds its output from its inputs, and the load recognises a
batch it already committed), so a retry after a flaky disk or network share is safe. A bug or a
missing folder fails at once with its own message instead of after a minute of backoff.
"""

from __future__ import annotations

import errno
from typing import Any

import duckdb

from flows.store.warehouse import WarehouseDamagedError, is_damage

# Errors a second attempt a few seconds later can cure: flaky disks, NFS/SMB shares, timeouts.
TRANSIENT_ERRNOS = frozenset(
    {
        errno.EIO,
        errno.EAGAIN,
        errno.EBUSY,
        errno.EINTR,
        errno.ETIMEDOUT,
        errno.ESTALE,
        errno.ENOLCK,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ENETDOWN,
    }
)

ATTEMPTS = 3
# Seconds before the 2nd and 3rd attempt: quick first, then give a share time to come back.
RETRY_DELAYS = [1.0, 5.0]


def is_transient(error: BaseException) -> bool:
    """True for I/O failures that may pass on a later attempt."""
    if isinstance(error, TimeoutError | ConnectionError):
        return True
    if isinstance(error, OSError):
        return error.errno in TRANSIENT_ERRNOS
    # DuckDB wraps the OS error of a failed read or write of its file in its own type; a
    # damaged file or another process's lock on it are not passing, whatever the type says.
    if isinstance(error, duckdb.IOException):
        text = str(error).lower()
        return not is_damage(error) and "lock" not in text
    return False


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry a failed task run only on a transient error."""
    error = state.data if isinstance(state.data, BaseException) else None
    if error is None:
        result = state.result(raise_on_failure=False)
        error = result if isinstance(result, BaseException) else None
    return error is not None and is_transient(error)


def describe_failure(stage: str, error: BaseException) -> str:
    """One line for operators: which stage broke, how, and whether it was retried."""
    if isinstance(error, WarehouseDamagedError):
        return f"{stage} failed: {error}"
    text = " ".join(f"{type(error).__name__}: {error}".split())[:400]
    if is_damage(error):
        return f"{stage} failed: the warehouse file is damaged ({text}); run 'newswire restore'"
    if is_transient(error):
        return f"{stage} failed: {text} (transient I/O error; gave up after {ATTEMPTS} attempts)"
    return f"{stage} failed: {text}"
