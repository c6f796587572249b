"""Reading the warehouse for the report: read-only, tolerant of a young or broken warehouse.

A first run that failed validation leaves most tables missing, and a query can fail on a
warehouse from an older contract; either way the page must still be drawn, so a query whose
tables are missing is skipped and a failing query is recorded for the page instead of raised.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from flows.schemas import ALL_TABLES
from flows.store.sql import sql_text

Row = dict[str, Any]

# Tables each query of ``sql/report`` reads; a query whose tables are missing is skipped.
QUERY_TABLES: dict[str, tuple[str, ...]] = {
    "last_run": ("pipeline_runs",),
    "recent_runs": ("pipeline_runs",),
    "stage_times": ("run_stages",),
    "dq_last_run": ("dq_results",),
    "last_validated_run": ("pipeline_runs", "dq_results"),
    "dq_history": ("pipeline_runs", "dq_results"),
    "dq_failure_history": ("pipeline_runs", "dq_results"),
    "dq_rejections": ("rejected_files", "dq_results"),
    "dq_rejections_other_runs": ("rejected_files",),
    "story_totals": ("articles",),
    "source_file_status": ("source_files",),
    "stories_per_day": ("articles",),
    "entities_by_type": ("entities",),
    "top_entities": ("entity_mentions", "articles", "entities"),
    "update_actions": ("update_notes",),
    "rejections_by_reason": ("rejected_files",),
    "rejected_files": ("rejected_files",),
    "latest_stories": ("articles",),
}


class Warehouse:
    """Read-only view of the warehouse that tolerates missing tables and records query errors."""

    def __init__(self, con: duckdb.DuckDBPyConnection | None) -> None:
        self.con = con
        self.errors: list[str] = []
        self.tables: set[str] = set()
        if con is not None:
            self.tables = {str(r["table_name"]) for r in self._run("existing_tables", {}) or []}

    def has(self, *tables: str) -> bool:
        """Whether every named table exists (a first failed run leaves most of them missing)."""
        return all(t in self.tables for t in tables)

    def rows(self, name: str, params: Mapping[str, object] | None = None) -> list[Row] | None:
        """Run ``sql/report/<name>.sql`` with bound parameters; None when its tables are missing."""
        if self.con is None or not self.has(*QUERY_TABLES.get(name, ())):
            return None
        return self._run(name, params or {})

    def _run(self, name: str, params: Mapping[str, object]) -> list[Row] | None:
        """Execute a query; an error is shown on the page instead of losing the whole report."""
        assert self.con is not None
        try:
            cursor = self.con.execute(sql_text(f"report/{name}.sql"), dict(params))
            columns = [d[0] for d in cursor.description or []]
            return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
        except duckdb.Error as exc:
            self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            return None

    def table_count(self, table: str) -> int | None:
        """Current rows of one table; None when it does not exist yet or cannot be counted."""
        if not self.has(table):
            return None
        result = self.rows("table_count", {"table_name": table})
        return int(result[0]["row_count"]) if result else None

    def table_counts(self) -> list[tuple[str, int | None]]:
        """Rows of every contract table in contract order; None marks a table not created yet."""
        return [(table, self.table_count(table)) for table in ALL_TABLES]


@contextmanager
def open_warehouse(database: Path) -> Iterator[Warehouse]:
    """The warehouse opened read-only and closed afterwards, so a run can swap the file in later.

    A missing file gives an empty view (the 'no data yet' page): connecting would create an empty
    warehouse where the pipeline has not written one.
    """
    if not database.exists():
        yield Warehouse(None)
        return
    con = duckdb.connect(str(database), read_only=True)
    try:
        yield Warehouse(con)
    finally:
        con.close()
