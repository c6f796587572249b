"""Rebuild ``news.duckdb`` from the newest complete Parquet snapshot, when the file is damaged.

Every published run leaves a snapshot of every table beside the DuckDB file
(``.parquet-snapshots/<run>/``, marked complete by ``SOURCE.json``), so a damaged file loses
nothing the snapshot holds. The damaged file is kept beside the new one for inspection.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from flows.schemas import ALL_TABLES
from flows.settings import WarehouseLayout
from flows.store import parquet
from flows.store.publish import SOURCE_MARKER
from flows.store.warehouse import (
    CONNECTION_CONFIG,
    apply_schema,
    discard_next,
    publish_next,
)


class NothingToRestoreError(RuntimeError):
    """No complete Parquet snapshot to rebuild the warehouse from."""


def newest_snapshot(warehouse: WarehouseLayout) -> Path | None:
    """The published snapshot, else the newest complete one (its export marker written)."""
    published = parquet.published_snapshot(warehouse)
    if published is not None and (published / SOURCE_MARKER).is_file():
        return published
    if not warehouse.snapshots.is_dir():
        return None
    complete = [
        folder
        for folder in warehouse.snapshots.iterdir()
        if not folder.name.startswith(".") and (folder / SOURCE_MARKER).is_file()
    ]
    return max(complete, key=lambda folder: folder.stat().st_mtime_ns, default=None)


def restore(warehouse: WarehouseLayout) -> tuple[Path, dict[str, int]]:
    """Rebuild the DuckDB file from the newest snapshot; the caller holds the run lock.

    Returns the snapshot used and the rows restored per table. The old file is renamed
    ``news.damaged-<time>.duckdb``, never deleted.
    """
    snapshot = newest_snapshot(warehouse)
    if snapshot is None:
        raise NothingToRestoreError(f"no complete Parquet snapshot in {warehouse.snapshots}")
    discard_next(warehouse)
    target = warehouse.next_database
    rows: dict[str, int] = {}
    with duckdb.connect(str(target), config=CONNECTION_CONFIG) as connection:
        apply_schema(connection)
        connection.execute("begin transaction")
        for table in ALL_TABLES:
            files = sorted((snapshot / table).rglob("*.parquet"))
            if not files:
                rows[table] = 0
                continue
            relation = connection.read_parquet([str(f) for f in files], hive_partitioning=True)
            dropped = [c for c in relation.columns if c == parquet.PARTITION_COLUMN]
            columns = relation.select(*[c for c in relation.columns if c not in dropped])
            connection.register("restored", columns)
            # Table names come from our own schema module, never from input.
            connection.execute(f"insert into {table} by name select * from restored")
            connection.unregister("restored")
            rows[table] = connection.execute(f"select count(*) from {table}").fetchall()[0][0]
        connection.execute("commit")
        connection.execute("checkpoint")
    if warehouse.database.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        database = warehouse.database
        os.replace(
            database, database.with_name(f"{database.stem}.damaged-{stamp}{database.suffix}")
        )
    publish_next(warehouse)
    return snapshot, rows
