"""Publish a loaded run, and bring a warehouse back to a clean state after a crash.

Two stores are published with one atomic swap each: ``news.duckdb`` (``os.replace`` of the
loaded copy) and then ``parquet`` (a symlink swapped to the run's snapshot). No filesystem call
swaps both at once, so a run killed between the two leaves each store whole, the DuckDB file as
after the run and the Parquet store as before it. Each snapshot records which DuckDB file it
was exported from (its number of runs and newest run id); before anything else, the next run
compares that with ``news.duckdb`` and, when the Parquet store is behind, points it at the
matching snapshot (already exported by the killed run) or exports one. So every store is
always "as before or as after" a run, and the next run makes them agree again.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from flows import faults
from flows.settings import WarehouseLayout
from flows.store import parquet
from flows.store.sql import sql_text
from flows.store.warehouse import check_whole, connect_read_only, discard_next, publish_next

SOURCE_MARKER = "SOURCE.json"


def database_key(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """What tells one published version of the warehouse from another.

    Every publish adds exactly one ``pipeline_runs`` row, so the number of runs and the newest
    run id name a version; unlike the file's inode they survive a copy or a restore.
    """
    rows = connection.execute(sql_text("queries/publish_key.sql")).fetchall()
    return {"runs": rows[0][0], "last_run": rows[0][1]}


def read_key(database: Path) -> dict[str, object] | None:
    """The key of a DuckDB file, or None when it cannot be read."""
    if not database.exists():
        return None
    try:
        with connect_read_only(database) as connection:
            return database_key(connection)
    except duckdb.Error:
        return None


def snapshot_matches(snapshot: Path, database: Path) -> bool:
    """Whether ``snapshot`` is a complete export of this version of the warehouse."""
    marker = snapshot / SOURCE_MARKER
    if not marker.is_file():
        return False
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    key = read_key(database)
    return key is not None and recorded.get("database") == key


def export(
    database: Path,
    warehouse: WarehouseLayout,
    snapshot_name: str,
    reuse_from: Path | None = None,
    unchanged: Collection[str] = frozenset(),
    changed_months: parquet.ChangedMonths | None = None,
    memory_limit: str | None = None,
) -> Path:
    """Export every table of ``database`` into a complete snapshot folder, marked with its key.

    Tables in ``unchanged``, and the partitions outside ``changed_months`` of the others, are
    hard-linked from the snapshot ``reuse_from`` (see ``parquet.export_snapshot``).
    ``memory_limit``: DuckDB's, instead of the pipeline's usual one.
    """
    limits = {"memory_limit": memory_limit} if memory_limit else None
    with connect_read_only(database, limits) as connection:
        # Rows of a Parquet file have no promised order; keeping it costs a quarter of the
        # export time within the memory limit.
        connection.execute("set preserve_insertion_order = false")
        key = database_key(connection)
        return parquet.export_snapshot(
            connection,
            warehouse,
            snapshot_name,
            marker={SOURCE_MARKER: {"database": key}},
            reuse_from=reuse_from,
            unchanged=unchanged,
            changed_months=changed_months,
        )


def reusable_snapshot(warehouse: WarehouseLayout) -> Path | None:
    """The published snapshot, when it is the export of the ``news.duckdb`` this run started from.

    The run's copy differs from that file only by what the run loaded, so the snapshot's files
    of tables the run left unchanged are the files a new export would write.
    """
    current = parquet.published_snapshot(warehouse)
    if current is None or not snapshot_matches(current, warehouse.database):
        return None
    return current


def publish(
    warehouse: WarehouseLayout,
    snapshot_name: str,
    unchanged: Collection[str] = frozenset(),
    changed_months: parquet.ChangedMonths | None = None,
    export_memory: str | None = None,
) -> None:
    """Swap the run's loaded copy in, then its Parquet snapshot; safe to call again on retry.

    A retry after the DuckDB swap finds no copy left but a snapshot that matches the published
    file, and only finishes the Parquet swap. ``snapshot_name`` is the run id (a failed run
    recording itself uses another name, so it never rebuilds a snapshot readers may be using).
    ``unchanged`` names the batch tables the run left as they were: a rerun that adds nothing
    links their Parquet files instead of rewriting every article and paragraph, and
    ``changed_months`` (the partitions the load changed, when known) does the same for the
    months of changed tables that the run left alone.
    """
    staged = warehouse.next_database
    snapshot = warehouse.snapshots / snapshot_name
    if staged.exists():
        if not snapshot_matches(snapshot, staged):
            # Without a snapshot to reuse, ``unchanged`` and ``changed_months`` link nothing.
            reuse = reusable_snapshot(warehouse) if unchanged or changed_months else None
            export(
                staged,
                warehouse,
                snapshot_name,
                reuse,
                unchanged,
                changed_months,
                memory_limit=export_memory,
            )
        publish_next(warehouse)
    elif not snapshot_matches(snapshot, warehouse.database):
        raise FileNotFoundError(f"no loaded copy to publish as {snapshot_name}: {staged}")
    faults.reached("publish.database")
    parquet.publish_snapshot(warehouse, snapshot)
    faults.reached("publish.parquet")


def recover(warehouse: WarehouseLayout) -> list[str]:
    """Clear what a killed run left and catch the Parquet store up; the caller holds the lock.

    Returns what was done, one phrase per action, for the run's log.
    """
    check_whole(warehouse.database)  # a damaged file is named, not exported or copied
    actions: list[str] = []
    staged = warehouse.next_database
    if staged.exists():
        actions.append(f"removed the unfinished copy {staged.name}")
    discard_next(warehouse)
    if warehouse.staging.is_dir():
        for leftover in sorted(warehouse.staging.iterdir()):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
            actions.append(f"removed staged batch {leftover.name}")
    if warehouse.snapshots.is_dir():
        for leftover in sorted(warehouse.snapshots.glob(".*.building")):
            shutil.rmtree(leftover)
            actions.append(f"removed unfinished snapshot {leftover.name}")
    warehouse.parquet_swap.unlink(missing_ok=True)
    if warehouse.database.exists() and not parquet_in_sync(warehouse):
        actions.append(_catch_up_parquet(warehouse))
    return actions


def _catch_up_parquet(warehouse: WarehouseLayout) -> str:
    if warehouse.snapshots.is_dir():
        for candidate in sorted(warehouse.snapshots.iterdir(), reverse=True):
            if not candidate.name.startswith(".") and snapshot_matches(
                candidate, warehouse.database
            ):
                parquet.publish_snapshot(warehouse, candidate)
                return f"pointed the Parquet store at snapshot {candidate.name}"
    name = "recovered-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    snapshot = export(warehouse.database, warehouse, name)
    parquet.publish_snapshot(warehouse, snapshot)
    return f"re-exported the Parquet store from {warehouse.database.name} as snapshot {name}"


def parquet_in_sync(warehouse: WarehouseLayout) -> bool | None:
    """Whether the published Parquet store is the export of ``news.duckdb`` (None: no data)."""
    if not warehouse.database.exists():
        return None
    current = parquet.published_snapshot(warehouse)
    return current is not None and snapshot_matches(current, warehouse.database)
