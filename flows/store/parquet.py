"""Parquet files that are never seen half-written.

Batches are staged per run (temporary name, then ``os.replace``). The published store is a
snapshot folder per run, and ``<warehouse>/parquet`` is a symlink swapped atomically to the
newest one, so a reader resolving ``parquet/articles/`` sees one whole snapshot or the previous.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from flows import faults
from flows.settings import WarehouseLayout
from flows.store.sql import sql_paths, sql_text

PARTITION_COLUMN = "published_month"
KEEP_SNAPSHOTS = 2
# The one partitioned table whose existing rows a load changes: an earlier version of a story
# gets a new version / is_latest (``sql/load/02_article_versions.sql``). The other partitioned
# tables only gain the rows of new articles.
UPDATED_IN_PLACE = "articles"
# The partitioned table whose rows of earlier articles an archive-level entity merge changes
# (``sql/load/05_entity_merges_*.sql``).
REMAPPED_IN_PLACE = "entity_mentions"


@dataclass(frozen=True)
class ChangedMonths:
    """The publication months (partitions) of the Parquet store where a load changed rows.

    An export rewrites only these partitions of a changed table and hard-links the others
    from the previous snapshot: a daily increment touches a month or two, and rewriting every
    article and paragraph of the archive took 12 s at 100,000 stories.
    """

    new_rows: frozenset[str]  # months of the batch's new articles
    renumbered: frozenset[str]  # months of earlier versions the batch renumbered
    remapped: frozenset[str] = frozenset()  # months of articles whose mentions a merge moved

    def of(self, table: str) -> frozenset[str]:
        """The months of ``table`` whose rows changed."""
        if table == UPDATED_IN_PLACE:
            return self.new_rows | self.renumbered
        if table == REMAPPED_IN_PLACE:
            return self.new_rows | self.remapped
        return self.new_rows


def write_table_atomic(table: pa.Table, path: Path) -> None:
    """Write one Parquet file under a temporary name and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, path)


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
    warehouse: WarehouseLayout,
    run_id: str,
    marker: Mapping[str, Any] | None = None,
    reuse_from: Path | None = None,
    unchanged: Collection[str] = frozenset(),
    changed_months: ChangedMonths | None = None,
) -> Path:
    """Export every table from the loaded warehouse into a new snapshot folder.

    The folder is built under a hidden name, flushed to disk, then renamed: a snapshot folder
    that exists is complete. ``marker`` files (name -> JSON value) are written last.

    Tables in ``unchanged`` are hard-linked from the snapshot ``reuse_from`` instead: a rerun
    that adds nothing would otherwise rewrite every article and paragraph (seconds at 100,000
    stories). Parquet files are never modified after they are written, so sharing is safe.
    With ``changed_months``, a partitioned table is rewritten only in those months and its
    other partitions are linked from ``reuse_from`` too.
    """
    snapshot = warehouse.snapshots / run_id
    if snapshot.exists():
        shutil.rmtree(snapshot)
    building = snapshot.with_name(f".{run_id}.building")
    if building.exists():
        shutil.rmtree(building)
    for number, path in enumerate(sql_paths("export")):
        if number == 1:
            faults.reached("export")
        table = path.stem
        if reuse_from is not None and table in unchanged and (reuse_from / table).is_dir():
            shutil.copytree(reuse_from / table, building / table, copy_function=os.link)
            continue
        # DuckDB writes the Parquet itself: twice as fast as streaming Arrow batches into
        # pyarrow's dataset writer, and within the connection's memory limit.
        relation = connection.sql(sql_text(f"export/{path.name}"))
        target = building / table
        building.mkdir(parents=True, exist_ok=True)
        previous = reuse_from / table if reuse_from is not None else None
        if PARTITION_COLUMN not in relation.columns:
            target.mkdir()
            relation.write_parquet(str(target / "part-0.parquet"))
        elif changed_months is not None and previous is not None and previous.is_dir():
            _export_changed_months(connection, relation, previous, target, changed_months.of(table))
        else:
            relation.write_parquet(str(target), partition_by=[PARTITION_COLUMN])
    building.mkdir(parents=True, exist_ok=True)
    for name, value in (marker or {}).items():
        (building / name).write_text(json.dumps(value), encoding="utf-8")
    fsync_tree(building)
    os.replace(building, snapshot)
    fsync_directory(snapshot.parent)
    return snapshot


def _export_changed_months(
    connection: duckdb.DuckDBPyConnection,
    relation: duckdb.DuckDBPyRelation,
    previous: Path,
    target: Path,
    months: Collection[str],
) -> None:
    """Write a partitioned table's ``months`` and hard-link its other partitions from
    ``previous``, the same table in the snapshot this export starts from."""
    prefix = f"{PARTITION_COLUMN}="
    kept = [
        folder
        for folder in sorted(previous.iterdir())
        if folder.name.startswith(prefix) and folder.name[len(prefix) :] not in months
    ]
    if not kept:  # every partition changed: no filter needed
        relation.write_parquet(str(target), partition_by=[PARTITION_COLUMN])
        return
    target.mkdir()
    for folder in kept:
        shutil.copytree(folder, target / folder.name, copy_function=os.link)
    if not months:
        return
    # DuckDB writes partitions only into an empty folder: the changed months go to a side
    # folder first, then move in beside the linked ones.
    written = target.with_name(f".{target.name}.months")
    connection.register("export_months", pa.table({"month": sorted(months)}))
    try:
        relation.filter(f"{PARTITION_COLUMN} in (select month from export_months)").write_parquet(
            str(written), partition_by=[PARTITION_COLUMN]
        )
    finally:
        connection.unregister("export_months")
    if written.is_dir():  # an empty result may leave no folder at all
        for folder in written.iterdir():
            os.replace(folder, target / folder.name)
        written.rmdir()


def published_snapshot(warehouse: WarehouseLayout) -> Path | None:
    """The snapshot folder ``<warehouse>/parquet`` points at, if it is a snapshot link."""
    link = warehouse.parquet
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def publish_snapshot(warehouse: WarehouseLayout, snapshot: Path) -> None:
    """Point ``<warehouse>/parquet`` at the snapshot and drop all but the newest few."""
    link = warehouse.parquet
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a store from before snapshots existed
    temporary = warehouse.parquet_swap
    temporary.unlink(missing_ok=True)
    os.symlink(os.path.relpath(snapshot, warehouse.root), temporary)
    os.replace(temporary, link)
    fsync_directory(warehouse.root)
    snapshots = sorted(
        (p for p in warehouse.snapshots.iterdir() if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in snapshots[:-KEEP_SNAPSHOTS]:
        if old.resolve() != snapshot.resolve():
            shutil.rmtree(old, ignore_errors=True)
    for leftover in warehouse.snapshots.glob(".*.building"):
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
