"""Parquet files that are never seen half-written.

Batches are staged per run (temporary name, then ``os.replace``). The published store is a
snapshot folder per run, and ``<warehouse>/parquet`` is a symlink swapped atomically to the
newest one, so a reader resolving ``parquet/articles/`` sees one whole snapshot or the previous.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

PARTITION_COLUMN = "published_month"
SNAPSHOTS = ".parquet-snapshots"
KEEP_SNAPSHOTS = 2


def write_table_atomic(table: pa.Table, path: Path) -> None:
    """Write one Parquet file under a temporary name and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, path)


def stage_batch(tables: Mapping[str, pa.Table], staging_dir: Path) -> dict[str, Path]:
    """Write each batch table as ``<staging_dir>/<table>.parquet``."""
    paths = {}
    for name, table in tables.items():
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
    reuse_from: Path | None = None,
    unchanged: Collection[str] = frozenset(),
) -> Path:
    """Export every table from the loaded warehouse into a new snapshot folder.

    Tables in ``unchanged`` are hard-linked from the snapshot ``reuse_from`` instead: a rerun
    that adds nothing would otherwise rewrite every article and paragraph (seconds at 100,000
    stories). Parquet files are never modified after they are written, so sharing is safe.
    """
    snapshot = warehouse_dir / SNAPSHOTS / run_id
    if snapshot.exists():
        shutil.rmtree(snapshot)
    building = snapshot.with_name(f".{run_id}.building")
    if building.exists():
        shutil.rmtree(building)
    for path in sorted((sql_dir / "export").glob("*.sql")):
        table = path.stem
        if reuse_from is not None and table in unchanged and (reuse_from / table).is_dir():
            shutil.copytree(reuse_from / table, building / table, copy_function=os.link)
            continue
        # DuckDB writes the Parquet itself: twice as fast as streaming Arrow batches into
        # pyarrow's dataset writer, and within the connection's memory limit.
        relation = connection.sql(path.read_text(encoding="utf-8"))
        target = building / table
        building.mkdir(parents=True, exist_ok=True)
        if PARTITION_COLUMN in relation.columns:
            relation.write_parquet(str(target), partition_by=[PARTITION_COLUMN])
        else:
            target.mkdir()
            relation.write_parquet(str(target / "part-0.parquet"))
    building.mkdir(parents=True, exist_ok=True)
    os.replace(building, snapshot)
    return snapshot


def reusable_snapshot(
    connection: duckdb.DuckDBPyConnection, sql_dir: Path, warehouse_dir: Path, run_id: str
) -> Path | None:
    """The published snapshot, if it was exported from the warehouse this run started from.

    Every run that changes data publishes a snapshot named after itself, so the published one
    is current when it is named after the newest such run before this one. It is not after a
    run killed between swapping in the DuckDB file and swapping in its snapshot.
    """
    link = warehouse_dir / "parquet"
    if not link.is_symlink():
        return None
    snapshot = link.resolve()
    rows = connection.execute(
        (sql_dir / "queries" / "last_published_run.sql").read_text(encoding="utf-8"), [run_id]
    ).fetchall()
    if not rows or rows[0][0] != snapshot.name or not snapshot.is_dir():
        return None
    return snapshot


def publish_snapshot(warehouse_dir: Path, snapshot: Path) -> None:
    """Point ``<warehouse>/parquet`` at the snapshot and drop all but the newest few."""
    link = warehouse_dir / "parquet"
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a store from before snapshots existed
    temporary = warehouse_dir / ".parquet.link"
    temporary.unlink(missing_ok=True)
    os.symlink(os.path.relpath(snapshot, warehouse_dir), temporary)
    os.replace(temporary, link)
    snapshots = sorted(
        (p for p in (warehouse_dir / SNAPSHOTS).iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in snapshots[:-KEEP_SNAPSHOTS]:
        if old.resolve() != snapshot.resolve():
            shutil.rmtree(old, ignore_errors=True)
    for leftover in (warehouse_dir / SNAPSHOTS).glob(".*.building"):
        shutil.rmtree(leftover, ignore_errors=True)
