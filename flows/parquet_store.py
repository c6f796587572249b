"""Parquet files that are never seen half-written.

Batches are staged per run (temporary name, then ``os.replace``). The published store is a
snapshot folder per run, and ``<warehouse>/parquet`` is a symlink swapped atomically to the
newest one, so a reader resolving ``parquet/articles/`` sees one whole snapshot or the previous.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from flows import faults

PARTITION_COLUMN = "published_month"
SNAPSHOTS = ".parquet-snapshots"
KEEP_SNAPSHOTS = 2
LINK = "parquet"
TEMPORARY_LINK = ".parquet.link"
_EXPORT_BATCH_ROWS = 50_000


def write_table_atomic(table: pa.Table, path: Path) -> None:
    """Write one Parquet file under a temporary name and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, path)


def stage_batch(tables: Mapping[str, pa.Table], staging_dir: Path) -> dict[str, Path]:
    """Write each batch table as ``<staging_dir>/<table>.parquet``."""
    paths: dict[str, Path] = {}
    for name, table in tables.items():
        if len(paths) == 1:
            faults.reached("parquet")
        path = staging_dir / f"{name}.parquet"
        write_table_atomic(table, path)
        paths[name] = path
    return paths


def read_staged(paths: Mapping[str, Path]) -> dict[str, pa.Table]:
    """Read a staged batch back (what validation and the load see is what was written)."""
    return {name: pq.read_table(path) for name, path in paths.items()}


def quarantine(staging_dir: Path, quarantine_dir: Path) -> Path:
    """Move a failed batch aside, named after its run, for reviewers to inspect."""
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    target = quarantine_dir / staging_dir.name
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging_dir, target)
    return target


def export_snapshot(
    connection: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    warehouse_dir: Path,
    run_id: str,
    marker: Mapping[str, Any] | None = None,
) -> Path:
    """Export every table from the loaded warehouse into a new snapshot folder.

    The folder is built under a hidden name, flushed to disk, then renamed: a snapshot folder
    that exists is complete. ``marker`` files (name -> JSON value) are written last.
    """
    snapshot = warehouse_dir / SNAPSHOTS / run_id
    if snapshot.exists():
        shutil.rmtree(snapshot)
    building = snapshot.with_name(f".{run_id}.building")
    if building.exists():
        shutil.rmtree(building)
    for number, path in enumerate(sorted((sql_dir / "export").glob("*.sql"))):
        if number == 1:
            faults.reached("export")
        table = path.stem
        reader = connection.sql(path.read_text(encoding="utf-8")).to_arrow_reader(
            _EXPORT_BATCH_ROWS
        )
        target = building / table
        if PARTITION_COLUMN in reader.schema.names:
            ds.write_dataset(
                reader,
                target,
                format="parquet",
                partitioning=[PARTITION_COLUMN],
                partitioning_flavor="hive",
                basename_template="part-{i}.parquet",
                existing_data_behavior="overwrite_or_ignore",
            )
        else:
            target.mkdir(parents=True, exist_ok=True)
            with pq.ParquetWriter(target / "part-0.parquet", reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
    for name, value in (marker or {}).items():
        (building / name).write_text(json.dumps(value), encoding="utf-8")
    fsync_tree(building)
    os.replace(building, snapshot)
    fsync_directory(snapshot.parent)
    return snapshot


def published_snapshot(warehouse_dir: Path) -> Path | None:
    """The snapshot folder ``<warehouse>/parquet`` points at, if it is a snapshot link."""
    link = warehouse_dir / LINK
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def publish_snapshot(warehouse_dir: Path, snapshot: Path) -> None:
    """Point ``<warehouse>/parquet`` at the snapshot and drop all but the newest few."""
    link = warehouse_dir / LINK
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a store from before snapshots existed
    temporary = warehouse_dir / TEMPORARY_LINK
    temporary.unlink(missing_ok=True)
    os.symlink(os.path.relpath(snapshot, warehouse_dir), temporary)
    os.replace(temporary, link)
    fsync_directory(warehouse_dir)
    snapshots = sorted(
        (p for p in (warehouse_dir / SNAPSHOTS).iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in snapshots[:-KEEP_SNAPSHOTS]:
        if old.resolve() != snapshot.resolve():
            shutil.rmtree(old, ignore_errors=True)
    for leftover in (warehouse_dir / SNAPSHOTS).glob(".*.building"):
        shutil.rmtree(leftover, ignore_errors=True)


def fsync_directory(folder: Path) -> None:
    """Flush a folder's entries, so a rename in it survives a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` before it is published."""
    for folder, _, files in os.walk(root):
        for name in files:
            descriptor = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        fsync_directory(Path(folder))
