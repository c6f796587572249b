"""The validation database: chunks copied ahead (while a run stages later ones) are not copied
again, and a build still ends with exactly the batch's rows, whatever was copied before."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from batches import build

from flows.batch.staging import CHUNK_TABLES, StagedBatch
from flows.quality import database
from flows.quality.database import VALIDATED_TABLES
from flows.settings import DEFAULT_INPUT
from flows.store.parquet import write_table_atomic

COLUMNS: dict[str, list[str]] = {}  # every column of every table


@pytest.fixture
def staged(tmp_path: Path) -> tuple[StagedBatch, dict[str, int]]:
    folder = tmp_path / "batch"
    batch = build(DEFAULT_INPUT, folder)
    return StagedBatch(folder), dict(batch.accounting)


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every validated table and derived frame of a database, rows sorted."""
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            name: sorted(connection.table(name).fetchall(), key=repr)
            for name in (*VALIDATED_TABLES, *database.derived_frames())
        }


def chunk_sources(batch: StagedBatch) -> dict[str, list[Path]]:
    return {name: batch.files(name) for name in CHUNK_TABLES if name != "articles"}


def test_a_build_after_copying_ahead_equals_a_build_from_scratch(
    staged: tuple[StagedBatch, dict[str, int]], tmp_path: Path
) -> None:
    batch, accounting = staged
    scratch = tmp_path / "scratch.duckdb"
    scratch_rows = database.build(scratch, batch.files_by_table(), accounting, COLUMNS)
    ahead = tmp_path / "ahead.duckdb"
    database.copy_ahead(ahead, chunk_sources(batch), COLUMNS)
    database.copy_ahead(ahead, chunk_sources(batch), COLUMNS)  # nothing new: nothing added
    assert database.build(ahead, batch.files_by_table(), accounting, COLUMNS) == scratch_rows
    assert scratch_rows["paragraphs"] > 0
    assert contents(ahead) == contents(scratch)


def test_a_chunk_staged_later_is_added_and_a_rewritten_one_copied_again(
    staged: tuple[StagedBatch, dict[str, int]], tmp_path: Path
) -> None:
    batch, accounting = staged
    path = tmp_path / "validation.duckdb"
    database.copy_ahead(path, chunk_sources(batch), COLUMNS)
    # A second chunk: the first chunk's links again under another article id.
    first = batch.files("related_links")[0]
    links = pq.read_table(first)
    moved = links.set_column(0, "article_id", pa.array(["x" * 64] * links.num_rows))
    write_table_atomic(moved, first.with_name("00002.parquet"))
    database.copy_ahead(path, chunk_sources(batch), COLUMNS)
    rows = database.build(path, batch.files_by_table(), accounting, COLUMNS)
    assert rows["related_links"] == 2 * links.num_rows > 0
    # Stories taken out rewrite a chunk in place: the table is copied again, not appended to.
    kept = links.filter(pc.not_equal(links.column("link_no"), 1))
    write_table_atomic(kept, first)
    rows = database.build(path, batch.files_by_table(), accounting, COLUMNS)
    assert rows["related_links"] == kept.num_rows + links.num_rows


def test_a_table_given_in_memory_replaces_copied_files_and_back(
    staged: tuple[StagedBatch, dict[str, int]], tmp_path: Path
) -> None:
    batch, accounting = staged
    path = tmp_path / "validation.duckdb"
    files = batch.files_by_table()
    from_files = database.build(path, files, accounting, COLUMNS)
    empty = {**files, "paragraphs": VALIDATED_TABLES["paragraphs"].empty_table()}
    assert database.build(path, empty, accounting, COLUMNS)["paragraphs"] == 0
    assert database.build(path, files, accounting, COLUMNS) == from_files
    assert database.build(path, {}, accounting, COLUMNS)["paragraphs"] == 0


def test_a_broken_database_left_at_the_path_is_built_afresh(
    staged: tuple[StagedBatch, dict[str, int]], tmp_path: Path
) -> None:
    batch, accounting = staged
    path = tmp_path / "validation.duckdb"
    path.write_bytes(b"not a database, as a helper killed mid-copy might leave one")
    rows = database.build(path, batch.files_by_table(), accounting, COLUMNS)
    assert rows["articles"] == pq.read_table(batch.files("articles")[0]).num_rows > 0
