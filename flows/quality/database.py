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
    """Write a new database at ``path`` with a batch's tables and derived frames; returns the
    rows of every table. A table with no source is empty; only the ``columns`` named for a
    table are copied (all of them when it is not named)."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    with duckdb.connect(str(path), config=dict(CONNECTION_CONFIG)) as connection:
        for name, schema in VALIDATED_TABLES.items():
            relation = _relation(connection, sources.get(name), schema)
            _narrowed(relation, columns.get(name, schema.names), COMPUTED.get(name, {})).create(
                name
            )
        _derive(connection, accounting)
        return {
            name: _row_count(connection, name) for name in (*VALIDATED_TABLES, *derived_frames())
        }


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


def _relation(connection: Any, source: TableSource | None, schema: pa.Schema) -> Any:
    if isinstance(source, pa.Table):
        return connection.from_arrow(source)
    paths = [str(path) for path in source or ()]
    if not paths:
        return connection.from_arrow(schema.empty_table())
    return connection.read_parquet(paths)


def _row_count(connection: Any, name: str) -> int:
    ((count,),) = connection.table(name).aggregate("count(*)").fetchall()
    return int(count)
