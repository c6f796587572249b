"""The DuckDB warehouse: schema, reads for incremental runs, and the atomic load.

A run never writes ``news.duckdb`` in place. It copies the file to ``news.next.duckdb``, loads
the batch there in one transaction and its records in another, checkpoints, and swaps the copy
in with ``os.replace`` (a batch that fails validation goes with its copy: nothing published).
Analysts holding the warehouse open read-only keep reading the old file and never block the
run; a run killed at any point leaves the old file untouched and a stale copy that the next
run deletes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from flows import faults, parquet_store
from flows.schemas import ALL_TABLES, UNCHANGED_FILES, VERSION_CHANGES
from flows.versions import (
    BOILERPLATE_LEDE_HEADLINES,
    MAX_DAYS_BETWEEN_VERSIONS,
    Version,
    VersionKey,
    pack_prints,
)


class ManifestEntry(NamedTuple):
    """The warehouse's record of one input path (its newest content); a tuple, as a run reads
    one per file ever seen."""

    content_sha256: str | None
    size_bytes: int
    mtime_ns: int | None
    status: str
    article_id: str | None
    first_seen_run: str


@dataclass(frozen=True)
class Manifest:
    """What the warehouse already holds, so a run only reads and loads what is new."""

    files: dict[str, ManifestEntry]
    contents: dict[str, str]  # content_sha256 -> article_id
    article_ids: frozenset[str]
    # Loaded articles the new ones may be grouped with (``related_versions``), not all of them.
    versions: dict[str, tuple[VersionKey, Version]]
    # Headlines of each of those articles' ledes over the whole warehouse (up to the
    # boilerplate threshold), so the grouping tells boilerplate ledes as a full regroup would.
    lede_headlines: dict[str, frozenset[str]] = field(default_factory=dict)


# Every connection the pipeline opens: DuckDB otherwise caches up to 80% of the machine's memory
# while it loads and exports (1.4 GB for 100,000 stories), and any limit it is given fills up
# at 100,000 stories but not at 10,000, so the limit is what keeps a run's memory flat.
# Loading and exporting 100,000 stories with 256 MB: 17 s and 10 s, with 512 MB 15 s and 7 s,
# peak 380 MB against 630 MB (/tmp scripts over a 100,000-story warehouse, not in the project).
CONNECTION_CONFIG: dict[str, str | bool | int | float | list[str]] = {"memory_limit": "256MB"}


def sql_files(folder: Path) -> list[Path]:
    """The ``*.sql`` files of a folder in the sorted order they are applied."""
    return sorted(folder.glob("*.sql"))


def read_sql(sql_dir: Path, relative: str) -> str:
    """The text of one SQL file under ``sql/``."""
    return (sql_dir / relative).read_text(encoding="utf-8")


def apply_schema(connection: duckdb.DuckDBPyConnection, sql_dir: Path) -> None:
    """Create missing tables and (re)create the analyst views; safe to run every time."""
    for folder in ("ddl", "views"):
        for path in sql_files(sql_dir / folder):
            connection.execute(path.read_text(encoding="utf-8"))


def next_path(database: Path) -> Path:
    """Where a run builds the next version of the warehouse file."""
    return database.with_name(database.stem + ".next" + database.suffix)


def discard_next(database: Path) -> None:
    """Delete a copy left behind by a run that crashed or failed."""
    candidate = next_path(database)
    for path in (candidate, candidate.with_name(candidate.name + ".wal")):
        path.unlink(missing_ok=True)


def prepare_next(database: Path, sql_dir: Path) -> Path:
    """Copy the warehouse to its ``.next`` file and bring its schema up to date."""
    database.parent.mkdir(parents=True, exist_ok=True)
    discard_next(database)
    target = next_path(database)
    if database.exists():
        shutil.copyfile(database, target)
    with duckdb.connect(str(target), config=CONNECTION_CONFIG) as connection:
        apply_schema(connection, sql_dir)
    return target


def publish_next(database: Path) -> None:
    """Swap the loaded copy in; readers of the old file keep their snapshot."""
    source = next_path(database)
    with open(source, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(source, database)
    directory = os.open(database.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@dataclass(frozen=True)
class ReadPlan:
    """Which discovered files a run reads, and what the warehouse knows of them."""

    to_read: pa.Table  # DISCOVERED_FILES rows, in path order
    manifest: Manifest  # ``files`` holds the known paths among the files to read
    unchanged: pa.Table  # UNCHANGED_FILES rows: files seen again with the same size and mtime


def plan_reads(database: Path, sql_dir: Path, discovered: pa.Table, run_id: str) -> ReadPlan:
    """Split discovered files into unchanged ones and ones to read, in DuckDB.

    A rerun over 100,000 unchanged files used to build a Python object per manifest row and
    per file (1.5 s); the join runs in DuckDB and only the known paths among the files to read
    become objects.
    """
    positioned = discovered.append_column(
        "position", pa.array(range(discovered.num_rows), pa.int64())
    )
    with connect_read_only(database) as connection:
        connection.register("batch_discovered", positioned)
        planned: pa.Table = connection.sql(
            read_sql(sql_dir, "queries/plan_reads.sql")
        ).to_arrow_table()
    is_unchanged = planned.column("unchanged")
    unchanged = planned.filter(is_unchanged)
    changed = planned.filter(pc.invert(is_unchanged))
    # Python objects only for what ``settle`` needs: the known paths among the changed files
    # (none on a first load of 100,000 files, where a dict per row took 100 MB).
    known = changed.filter(pc.is_valid(changed.column("status"))).to_pylist()
    files = {
        row["source_file"]: ManifestEntry(
            row["content_sha256"],
            row["size_bytes"],
            row["mtime_ns"],
            row["status"],
            row["article_id"],
            row["first_seen_run"],
        )
        for row in known
    }
    return ReadPlan(
        to_read=discovered.take(changed.column("position")),
        manifest=Manifest(files, {}, frozenset(), {}),
        unchanged=pa.Table.from_arrays(
            [
                unchanged.column("source_file"),
                unchanged.column("content_sha256"),
                pa.repeat(pa.scalar(run_id), unchanged.num_rows),
            ],
            schema=UNCHANGED_FILES,
        ),
    )


def read_everything(discovered: pa.Table) -> ReadPlan:
    """The plan of a full refresh: every file is read, as into an empty warehouse."""
    return ReadPlan(discovered, empty_manifest(), UNCHANGED_FILES.empty_table())


def read_manifest(database: Path, sql_dir: Path) -> Manifest:
    """Read what a run needs before parsing from a warehouse file (the run's own copy)."""
    return complete_manifest(database, sql_dir, read_manifest_files(database, sql_dir))


def read_manifest_files(database: Path, sql_dir: Path) -> Manifest:
    """Only the files part of the manifest: all a rerun with nothing new to read needs.

    Known contents are read by ``complete_manifest`` once some file has to be read.
    """
    with connect_read_only(database) as connection:
        files = {
            row[0]: ManifestEntry._make(row[1:])
            for row in connection.execute(read_sql(sql_dir, "queries/manifest.sql")).fetchall()
        }
    return Manifest(files, {}, frozenset(), {})


def complete_manifest(database: Path, sql_dir: Path, manifest: Manifest) -> Manifest:
    """Add the known contents and article ids to a files-only manifest, for ``settle``."""
    with connect_read_only(database) as connection:
        contents = dict(
            connection.execute(read_sql(sql_dir, "queries/known_contents.sql")).fetchall()
        )
        article_ids = frozenset(
            row[0]
            for row in connection.execute(read_sql(sql_dir, "queries/article_ids.sql")).fetchall()
        )
    return replace(manifest, contents=contents, article_ids=article_ids)


def related_versions(
    database: Path, sql_dir: Path, manifest: Manifest, new_keys: Sequence[VersionKey]
) -> Manifest:
    """Add the version keys of the loaded articles that new articles may be grouped with.

    Only stories sharing a new article's headline (within the version window) or lede are
    read (``sql/queries/related_versions.sql``): a daily increment over 100,000 loaded articles
    used to fingerprint and regroup all of them (50 s).
    """
    with connect_read_only(database) as connection:
        return query_related_versions(connection, sql_dir, manifest, new_keys)


def query_related_versions(
    connection: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    manifest: Manifest,
    new_keys: Sequence[VersionKey],
) -> Manifest:
    """``related_versions`` on an open connection."""
    new = pa.table(
        {
            "headline_key": pa.array([key.headline_key for key in new_keys], pa.string()),
            "lede_key": pa.array([key.lede_key for key in new_keys], pa.string()),
            "published_date": pa.array([key.published_date for key in new_keys], pa.date32()),
        }
    )
    connection.register("batch_new_keys", new)
    try:
        rows = connection.execute(
            read_sql(sql_dir, "queries/related_versions.sql"),
            [MAX_DAYS_BETWEEN_VERSIONS, BOILERPLATE_LEDE_HEADLINES],
        ).fetchall()
    finally:
        connection.unregister("batch_new_keys")
    versions: dict[str, tuple[VersionKey, Version]] = {}
    for row in rows:
        key = VersionKey(row[0], row[1], row[2], row[3], row[4], row[5], pack_prints(row[9] or ()))
        versions[row[0]] = (key, Version(row[6], row[7], row[8]))
    ledes = {key.lede_key for key in new_keys} | {key.lede_key for key, _ in versions.values()}
    connection.register("batch_ledes", pa.table({"lede_key": pa.array(sorted(ledes), pa.string())}))
    try:
        lede_headlines = {
            lede: frozenset(headlines)
            for lede, headlines in connection.execute(
                read_sql(sql_dir, "queries/lede_headlines.sql"), [BOILERPLATE_LEDE_HEADLINES]
            ).fetchall()
        }
    finally:
        connection.unregister("batch_ledes")
    return replace(manifest, versions=versions, lede_headlines=lede_headlines)


def empty_manifest() -> Manifest:
    """The manifest of a warehouse with nothing in it (first run or full refresh)."""
    return Manifest({}, {}, frozenset(), {})


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


def batch_loaded(connection: duckdb.DuckDBPyConnection, sql_dir: Path, run_id: str) -> bool:
    """Whether a run's batch is already committed: a retried load must not load it twice."""
    return _run_check(connection, sql_dir, "queries/batch_loaded.sql", run_id)


def run_recorded(connection: duckdb.DuckDBPyConnection, sql_dir: Path, run_id: str) -> bool:
    """Whether a run's rows are already committed: a retried load must not insert them twice."""
    return _run_check(connection, sql_dir, "queries/run_recorded.sql", run_id)


def _run_check(
    connection: duckdb.DuckDBPyConnection, sql_dir: Path, query: str, run_id: str
) -> bool:
    # fetchall, not fetchone: DuckDB 2.0 refuses further work while a result is unfinished.
    rows = connection.execute(read_sql(sql_dir, query), [run_id]).fetchall()
    return bool(rows[0][0])


def run_sql_folder(
    connection: duckdb.DuckDBPyConnection, folder: Path, tables: Mapping[str, pa.Table]
) -> None:
    """Expose each Arrow table as ``batch_<name>`` and run the folder's SQL files in order."""
    for name, table in tables.items():
        connection.register(f"batch_{name}", table)
    try:
        for path in sql_files(folder):
            connection.execute(path.read_text(encoding="utf-8"))
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


def changed_months(
    connection: duckdb.DuckDBPyConnection, sql_dir: Path
) -> parquet_store.ChangedMonths:
    """The Parquet partitions a load changed; run after the load, while its views exist."""
    rows = connection.execute(read_sql(sql_dir, "queries/changed_months.sql")).fetchall()
    return parquet_store.ChangedMonths(
        new_rows=frozenset(month for month, new in rows if new),
        renumbered=frozenset(month for month, new in rows if not new),
    )


@contextmanager
def connect_read_only(database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, closed on exit."""
    connection = duckdb.connect(str(database), read_only=True, config=CONNECTION_CONFIG)
    try:
        yield connection
    finally:
        connection.close()


def version_changes_table(changes: Mapping[str, Version]) -> pa.Table:
    """New story_id / version / is_latest of articles already in the warehouse."""
    ids = sorted(changes)
    return pa.Table.from_pydict(
        {
            "article_id": ids,
            "story_id": [changes[i].story_id for i in ids],
            "version": [changes[i].version for i in ids],
            "is_latest": [changes[i].is_latest for i in ids],
        },
        schema=VERSION_CHANGES,
    )


def table_counts(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per warehouse table."""
    counts: dict[str, int] = {}
    for name in ALL_TABLES:
        # Table names come from our own schema module, never from input.
        counts[name] = connection.execute(f"select count(*) from {name}").fetchone()[0]  # type: ignore[index]
    return counts
