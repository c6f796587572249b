"""The DuckDB database a validation reads: the batch's tables and the frames derived from them.

Every suite in ``expectations/`` is named after a table of this database. The batch tables are
copied from the staged Parquet (only the columns validation reads: of paragraph text only its
length, ``COMPUTED``);
the derived frames (``sql/quality/*.sql``) turn cross-table rules into plain columns GX can
check: ``article_checks`` (paragraphs and mentions per article), ``story_checks`` (the versions
of each story the batch touches), ``batch_profile`` (batch-wide statistics), ``foreign_keys``
(child keys with no parent in the batch), ``run_accounting`` (the file counts) and
``update_note_actions`` / ``update_note_refs`` (a note's lists as rows). DuckDB does the work
and bounds the memory: nothing here holds a batch in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TypeAlias

import duckdb
import pyarrow as pa

from flows.batch.staging import CHUNK_TABLES, RUN_TABLES
from flows.store.sql import sql_paths, sql_text

# The run status a batch that passes the gate is recorded with (run_accounting.status).
PASSING_STATUS: Final = "success"
QUALITY_SQL: Final = "quality"
FRAMES_SQL: Final = "quality/frames"
COPIES_SQL: Final = "quality/copies"

# DuckDB's settings for a validation database, for the build and for GX's connections alike (a
# second connection to a file must match the first's). Memory as the warehouse's load; the
# order of rows means nothing to a check, and keeping it made copying 100,000 stories' paragraphs
# take 7.5 s instead of 4.6 s.
CONNECTION_CONFIG: Final[dict[str, str | int | bool]] = {
    "memory_limit": "256MB",
    "preserve_insertion_order": False,
}

# The batch tables a validation reads (run-wide ``version_changes`` is not checked).
VALIDATED_TABLES: dict[str, pa.Schema] = {
    **CHUNK_TABLES,
    **{name: schema for name, schema in RUN_TABLES.items() if name != "version_changes"},
}

# The table columns the derived frames read (with REFERENCES below): with the columns the
# suites name, all a validation copies from the staged Parquet.
DERIVED_INPUTS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "paragraph_count", "headline", "word_count"),
    "paragraphs": ("article_id", "kind", "paragraph_no", "position"),
    "entity_mentions": ("article_id", "first_paragraph_no"),
    "update_notes": ("article_id", "note_no", "actions", "paragraph_refs"),
}

# (table, column) of each child key, and the (table, column) it must name in the same batch
# (sql/quality/04_foreign_keys.sql checks them).
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("paragraphs", "article_id", "articles", "article_id"),
    ("entity_mentions", "article_id", "articles", "article_id"),
    ("entity_mentions", "entity_id", "entities", "entity_id"),
    ("update_notes", "article_id", "articles", "article_id"),
    ("related_links", "article_id", "articles", "article_id"),
)

# Columns a validation database computes from a batch table's instead of copying it: a check
# that reads only the length of paragraph text need not copy the text (most of a batch).
COMPUTED: dict[str, dict[str, str]] = {
    "paragraphs": {"text_length": "length(text)"},
}

# A table's rows come from staged Parquet files or, in tests, from an Arrow table.
TableSource: TypeAlias = Sequence[Path] | pa.Table

# The file counts run_accounting binds as parameters, each 0 when a caller has none.
ACCOUNTING_COUNTS: Final = (
    "files_seen",
    "files_new",
    "files_skipped",
    "files_rejected",
    "files_duplicate",
    "files_unchanged",
)


def derived_frames() -> list[str]:
    """The names of the derived frames, in the order their SQL runs (``NN_<name>.sql``)."""
    return [path.stem.split("_", 1)[1] for path in sql_paths(FRAMES_SQL)]


def build(
    path: Path,
    sources: Mapping[str, TableSource],
    accounting: Mapping[str, int],
    columns: Mapping[str, Sequence[str]],
) -> dict[str, int]:
    """Bring the database at ``path`` to a batch's tables and derive its frames; returns the
    rows of every table. A table with no source is empty; only the ``columns`` named for a
    table are copied (all of them when it is not named). Staged files already copied there by
    ``copy_ahead`` (the same files, unchanged) are not copied again."""
    try:
        return _build(path, sources, accounting, columns)
    except duckdb.Error:  # a database left broken (a helper killed mid-copy): start afresh
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        return _build(path, sources, accounting, columns)


def _build(
    path: Path,
    sources: Mapping[str, TableSource],
    accounting: Mapping[str, int],
    columns: Mapping[str, Sequence[str]],
) -> dict[str, int]:
    with duckdb.connect(str(path), config=dict(CONNECTION_CONFIG)) as connection:
        _copy_tables(connection, sources, columns, list(VALIDATED_TABLES))
        _derive(connection, accounting)
        return {
            name: _row_count(connection, name) for name in (*VALIDATED_TABLES, *derived_frames())
        }


def copy_ahead(
    path: Path, sources: Mapping[str, Sequence[Path]], columns: Mapping[str, Sequence[str]]
) -> None:
    """Copy the staged files of some tables into the database at ``path`` before its build, on
    one DuckDB thread: a run copies each chunk while it stages the next, so validation later
    copies only what came after (run-wide tables, rewritten articles)."""
    with duckdb.connect(str(path), config=dict(CONNECTION_CONFIG, threads=1)) as connection:
        _copy_tables(connection, sources, columns, list(sources))


def _copy_tables(
    connection: Any,
    sources: Mapping[str, TableSource],
    columns: Mapping[str, Sequence[str]],
    names: Sequence[str],
) -> None:
    """Make each named table hold its source's rows. Staged files listed in ``copied_files``
    as copied already, unchanged, are not read again; a table whose copied files changed or
    went away (stories rejected, articles versioned) is copied again whole."""
    connection.execute(sql_text(f"{COPIES_SQL}/create.sql"))
    for name in names:
        schema = VALIDATED_TABLES[name]
        source = sources.get(name)
        in_memory = isinstance(source, pa.Table)
        prints = [] if in_memory else [_file_print(path) for path in source or ()]
        copied = [
            tuple(row)
            for row in connection.execute(sql_text(f"{COPIES_SQL}/of_table.sql"), [name]).fetchall()
        ]
        exists = connection.execute(sql_text(f"{COPIES_SQL}/table_exists.sql"), [name]).fetchall()
        fresh = in_memory or not exists or copied != prints[: len(copied)]
        added = prints if fresh else prints[len(copied) :]
        if fresh:
            connection.execute(f'drop table if exists "{name}"')  # a name of VALIDATED_TABLES
            connection.execute(sql_text(f"{COPIES_SQL}/forget.sql"), [name])
        elif not added:
            continue
        relation = _relation(connection, source if in_memory else added, schema)
        narrowed = _narrowed(relation, columns.get(name, schema.names), COMPUTED.get(name, {}))
        if fresh:
            narrowed.create(name)
        else:
            narrowed.insert_into(name)
        # A table copied from memory is listed too, so a later build from files replaces it.
        listed = [_IN_MEMORY] if in_memory else added
        if listed:
            connection.executemany(
                sql_text(f"{COPIES_SQL}/add.sql"), [[name, *row] for row in listed]
            )


_IN_MEMORY: Final = ("<arrow table>", 0, 0, 0)


def _file_print(path: Path) -> tuple[str, int, int, int]:
    """A staged file as it is now: a file rewritten (renamed into place) has another inode."""
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _derive(connection: Any, accounting: Mapping[str, int]) -> None:
    parameters = {
        **{count: int(accounting.get(count, 0)) for count in ACCOUNTING_COUNTS},
        "status": PASSING_STATUS,
    }
    for path in sql_paths(FRAMES_SQL):
        text = sql_text(f"{FRAMES_SQL}/{path.name}")
        connection.execute(text, parameters if "$" in text else None)


def _narrowed(relation: Any, columns: Sequence[str], computed: Mapping[str, str]) -> Any:
    return relation.select(
        *[
            duckdb.SQLExpression(f"{computed[column]} AS {column}")
            if column in computed
            else duckdb.ColumnExpression(column)
            for column in columns
        ]
    )


def _relation(connection: Any, source: Any, schema: pa.Schema) -> Any:
    """A relation over an Arrow table, or over staged files (``_file_print`` rows or paths)."""
    if isinstance(source, pa.Table):
        return connection.from_arrow(source)
    paths = [str(item[0] if isinstance(item, tuple) else item) for item in source or ()]
    if not paths:
        return connection.from_arrow(schema.empty_table())
    return connection.read_parquet(paths)


def _row_count(connection: Any, name: str) -> int:
    ((count,),) = connection.table(name).aggregate("count(*)").fetchall()
    return int(count)
