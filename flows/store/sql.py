"""The one way SQL reaches DuckDB: every statement lives in a file under ``sql/``.

Values are bound as parameters by the caller, never formatted into the text. Files are read
once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flows.settings import SQL_DIR


@cache
def sql_text(relative: str) -> str:
    """The text of ``sql/<relative>``, e.g. ``sql_text("queries/plan_reads.sql")``."""
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def sql_folder(folder: str) -> list[str]:
    """The statements of every ``*.sql`` file in ``sql/<folder>``, in the sorted order they run."""
    return [sql_text(f"{folder}/{path.name}") for path in sql_paths(folder)]


def sql_paths(folder: str) -> list[Path]:
    """The ``*.sql`` files of ``sql/<folder>`` in sorted order (their stems name what they hold)."""
    return sorted((SQL_DIR / folder).glob("*.sql"))
