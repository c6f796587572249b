"""The DuckDB warehouse file: its schema, connections, the atomic load and the run's records.

A run never writes ``news.duckdb`` in place. It copies the file to ``news.next.duckdb``, loads
the batch there in one transaction and its records in another, checkpoints, and swaps the copy
in with ``os.replace`` (a batch that fails validation goes with its copy: nothing published).
Analysts holding the warehouse open read-only keep reading the old file and never block the
run; a run killed at any point leaves the old file untouched and a stale copy that the next
run deletes.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from flows import faults
from flows.schemas import ALL_TABLES
from flows.settings import WarehouseLayout
from flows.store.parquet import ChangedMonths
from flows.store.sql import sql_folder, sql_text

log = logging.getLogger("newswire")

# Every connection the pipeline opens: DuckDB otherwise caches up to 80% of the machine's memory
# while it loads and exports (1.4 GB for 100,000 stories), and any limit it is given fills up
# at 100,000 stories but not at 10,000, so the limit is what keeps a run's memory flat.
# Loading and exporting 100,000 stories with 256 MB: 17 s and 10 s, with 512 MB 15 s and 7 s,
# peak 380 MB against 630 MB (/tmp scripts over a 100,000-story warehouse, not in the project).
CONNECTION_CONFIG: dict[str, str | bool | int | float | list[str]] = {"memory_limit": "256MB"}
# The export of a large batch, once the GX helper has stopped (``Settings.large_batch_articles``):
# at 100,000 stories, load + publish took 15.4-16.5 s with 256 MB and 12.5-13.3 s with this,
# and the process tree's peak stayed where it was (1,203 MB; ``bench.benchmark``).
LARGE_EXPORT_MEMORY = "512MB"


# DuckDB's file: a header of three 4 KiB pages, then blocks of ``block_size``, at least
# ``used_blocks`` of them (free blocks at the end may have been cut off by DuckDB itself).
FILE_HEADER_BYTES = 3 * 4096
# What DuckDB says when a database file cannot be read whole (truncated, overwritten, bad
# checksums): a later attempt reads the same bytes, so it is damage, not a passing I/O error.
DAMAGE_SIGNS = (
    "could not read enough bytes",
    "not a valid duckdb database file",
    "corrupt",
    "checksum",
    "invalid database",
)


class WarehouseDamagedError(RuntimeError):
    """``news.duckdb`` cannot be read whole; ``newswire restore`` rebuilds it from Parquet."""


def is_damage(error: BaseException) -> bool:
    """Whether a DuckDB error says its database file is damaged."""
    text = str(error).lower()
    return isinstance(error, duckdb.Error) and any(sign in text for sign in DAMAGE_SIGNS)


def check_whole(database: Path) -> None:
    """Raise ``WarehouseDamagedError`` when the DuckDB file is not whole: not a DuckDB file, or
    shorter than the blocks in use its header counts (a truncated copy). Cheap: no table is
    read, so damage it cannot see is named when a read fails (``is_damage``)."""
    if not database.exists():
        return
    try:
        with connect_read_only(database) as connection:
            rows = connection.execute(sql_text("queries/database_size.sql")).fetchall()
    except duckdb.Error as error:
        if is_damage(error):
            raise WarehouseDamagedError(damaged_message(database, error)) from error
        raise
    block_size, used_blocks = rows[0]
    expected = FILE_HEADER_BYTES + int(block_size) * int(used_blocks)
    size = database.stat().st_size
    if size < expected:
        reason = f"truncated: {size:,} of {expected:,} bytes"
        raise WarehouseDamagedError(damaged_message(database, reason))


def damaged_message(database: Path, reason: object) -> str:
    """One line naming the damaged file and the way back."""
    first = str(reason).splitlines()[0] if str(reason) else type(reason).__name__
    return (
        f"{database} is damaged ({first}); run 'newswire restore --warehouse "
        f"{database.parent}' to rebuild it from the newest Parquet snapshot"
    )


def apply_schema(connection: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and (re)create the analyst views; safe to run every time."""
    for folder in ("ddl", "views"):
        for statement in sql_folder(folder):
            connection.execute(statement)


def discard_next(warehouse: WarehouseLayout) -> None:
    """Delete a copy left behind by a run that crashed or failed."""
    candidate = warehouse.next_database
    for path in (candidate, candidate.with_name(candidate.name + ".wal")):
        path.unlink(missing_ok=True)


def prepare_next(warehouse: WarehouseLayout) -> Path:
    """Copy the warehouse to its ``.next`` file and bring its schema up to date."""
    warehouse.root.mkdir(parents=True, exist_ok=True)
    discard_next(warehouse)
    check_whole(warehouse.database)
    target = warehouse.next_database
    if warehouse.database.exists():
        shutil.copyfile(warehouse.database, target)
    with duckdb.connect(str(target), config=CONNECTION_CONFIG) as connection:
        apply_schema(connection)
    return target


def publish_next(warehouse: WarehouseLayout) -> None:
    """Swap the loaded copy in; readers of the old file keep their snapshot."""
    source = warehouse.next_database
    with open(source, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(source, warehouse.database)
    directory = os.open(warehouse.root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextmanager
def transaction(
    database: Path, limits: Mapping[str, str | int] | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """One explicit transaction: DuckDB would otherwise auto-commit statement by statement.

    ``limits`` overrides the connection's settings (threads, memory_limit) for this one.
    """
    connection = duckdb.connect(str(database), config={**CONNECTION_CONFIG, **(limits or {})})
    try:
        connection.execute("begin transaction")
        try:
            yield connection
        except BaseException:
            connection.execute("rollback")
            raise
        connection.execute("commit")
        faults.reached("load.committed")
        connection.execute("checkpoint")
    finally:
        connection.close()


@contextmanager
def connect_read_only(
    database: Path, limits: Mapping[str, str | int] | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, closed on exit; ``limits`` as for ``transaction``."""
    connection = duckdb.connect(
        str(database), read_only=True, config={**CONNECTION_CONFIG, **(limits or {})}
    )
    try:
        yield connection
    finally:
        connection.close()


def run_check(connection: duckdb.DuckDBPyConnection, query: str, *parameters: object) -> bool:
    """The one boolean a ``sql/queries`` check returns."""
    # fetchall, not fetchone: DuckDB 2.0 refuses further work while a result is unfinished.
    rows = connection.execute(sql_text(query), list(parameters)).fetchall()
    return bool(rows[0][0])


def run_sql_folder(
    connection: duckdb.DuckDBPyConnection, folder: str, tables: Mapping[str, pa.Table]
) -> None:
    """Expose each Arrow table as ``batch_<name>`` and run ``sql/<folder>``'s files in order."""
    for name, table in tables.items():
        connection.register(f"batch_{name}", table)
    try:
        for statement in sql_folder(folder):
            connection.execute(statement)
    finally:
        for name in tables:
            connection.unregister(f"batch_{name}")


@contextmanager
def parquet_views(
    connection: duckdb.DuckDBPyConnection, files: Mapping[str, Sequence[Path]]
) -> Iterator[None]:
    """Expose staged Parquet files as ``batch_<name>`` views: DuckDB streams them into the load.

    Inside a transaction: after an error the caller's rollback removes the views. Dropping them
    here would fail in the aborted transaction and hide the error that aborted it (a load that
    ran out of memory said only 'Current transaction is aborted').
    """
    for name, paths in files.items():
        relation = connection.read_parquet([str(path) for path in paths])
        relation.create_view(f"batch_{name}", replace=True)
    yield
    for name in files:
        # Names come from our own schema module, never from input.
        connection.execute(f"drop view if exists batch_{name}")


@dataclass(frozen=True)
class BatchLoad:
    """What loading a batch into the warehouse copy did, for the run's records and export."""

    # The Parquet partitions the load changed; None when not known (the export then rewrites
    # whole tables).
    changed_months: ChangedMonths | None
    seconds: float
    rows: int


NOTHING_LOADED = BatchLoad(ChangedMonths(frozenset(), frozenset(), frozenset()), 0.0, 0)


def load_batch(
    warehouse: WarehouseLayout,
    run_id: str,
    files: Mapping[str, Sequence[Path]],
    full_refresh: bool,
    limits: Mapping[str, str | int] | None = None,
) -> BatchLoad:
    """Load a staged batch (Parquet ``files`` per table) into the copy, in one transaction.

    A retry after the commit finds the run in ``source_files`` and loads nothing twice. A full
    refresh empties the data tables first (run history stays) and changes every partition.
    """
    changed: ChangedMonths | None = None
    with transaction(warehouse.next_database, limits) as connection:
        if run_check(connection, "queries/batch_loaded.sql", run_id):
            return BatchLoad(None, 0.0, 0)
        started = time.perf_counter()
        if full_refresh:
            connection.execute(sql_text("queries/truncate_batch_tables.sql"))
        with parquet_views(connection, files):
            run_sql_folder(connection, "load", {})
            if not full_refresh:
                changed = changed_months(connection)
        faults.reached("load")
        seconds = time.perf_counter() - started
    rows = sum(_parquet_rows(path) for paths in files.values() for path in paths)
    return BatchLoad(changed, seconds, rows)


def load_batch_within(
    warehouse: WarehouseLayout,
    run_id: str,
    files: Mapping[str, Sequence[Path]],
    full_refresh: bool,
    limits: Mapping[str, str | int],
) -> BatchLoad | None:
    """``load_batch`` within ``limits``; None when their memory was not enough (the rollback
    leaves the copy as it was), so the caller loads again without them."""
    try:
        return load_batch(warehouse, run_id, files, full_refresh, limits)
    except duckdb.OutOfMemoryException as error:
        log.warning(
            "loading within %s needed more memory (%s); loading again without that limit",
            dict(limits),
            str(error).splitlines()[0],
        )
        return None


def _parquet_rows(path: Path) -> int:
    return int(pq.ParquetFile(path).metadata.num_rows)


def changed_months(connection: duckdb.DuckDBPyConnection) -> ChangedMonths:
    """The Parquet partitions a load changed; run after the load, while its views exist."""
    rows = connection.execute(sql_text("queries/changed_months.sql")).fetchall()
    return ChangedMonths(
        new_rows=frozenset(month for month, change in rows if change == "new"),
        renumbered=frozenset(month for month, change in rows if change == "renumbered"),
        remapped=frozenset(month for month, change in rows if change == "remapped"),
    )


def record_run(warehouse: WarehouseLayout, records: Mapping[str, pa.Table]) -> None:
    """Insert a run's own rows (``sql/record``) into the copy; a retry after the commit stops."""
    run_id = records["pipeline_runs"].column("run_id")[0].as_py()
    with transaction(warehouse.next_database) as connection:
        if run_check(connection, "queries/run_recorded.sql", run_id):
            return
        run_sql_folder(connection, "record", records)
        faults.reached("record")


def table_counts(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per warehouse table."""
    counts: dict[str, int] = {}
    for name in ALL_TABLES:
        # Table names come from our own schema module, never from input.
        counts[name] = connection.execute(f"select count(*) from {name}").fetchall()[0][0]
    return counts
