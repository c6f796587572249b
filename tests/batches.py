"""Batches for data-quality tests, built by the pipeline's own stages (no Prefect run).

``build`` runs what the flow runs for one chunk, without Prefect: discover -> read -> parse ->
settle (``BatchCollector``) -> entities (``EntityStage``) -> chunk tables -> staged Parquet ->
versions and run-wide tables (``finish_batch``), then reads the staged tables back. So a suite
test validates exactly what a run would stage. ``Batch.edit`` returns a copy with one table
changed: the way tests break one thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from flows.batch.extract import discover, read_files, source_files
from flows.batch.incremental import Manifest, plan_run
from flows.batch.staging import (
    RUN_TABLES,
    BatchCollector,
    StagedBatch,
    finish_batch,
    stage_chunk,
)
from flows.batch.tables import BatchContext, loaded_stories
from flows.batch.versions import LoadedVersions, Version, related_versions, version_key
from flows.orchestration.runners import EntityStage
from flows.quality import suites
from flows.quality.results import DqResult
from flows.schemas import UNCHANGED_FILES
from flows.settings import DEFAULT_MAX_FILE_BYTES, WarehouseLayout
from flows.store.warehouse import load_batch, publish_next
from flows.story.parse import ParsedStory, parse_story

Row = dict[str, Any]


@dataclass(frozen=True)
class Batch:
    """The staged tables of one run and its file counts."""

    tables: Mapping[str, pa.Table]
    accounting: Mapping[str, int]
    stories: tuple[ParsedStory, ...] = ()

    def validate(self, runner: Any, today: date, only: list[str] | None = None) -> list[DqResult]:
        """The batch validated by ``runner`` (a ``SuiteRunner``) as a run validates it."""
        parameters = suites.validation_parameters(today)
        return list(runner.validate(self.tables, self.accounting, parameters, only))

    def rows(self, table: str) -> list[Row]:
        """A table's rows as dicts (a fresh copy to edit)."""
        return self.tables[table].to_pylist()

    def edit(self, table: str, change: Callable[[list[Row]], list[Row] | None]) -> Batch:
        """A copy with ``change`` applied to one table's rows (in place or returning new rows)."""
        rows = self.rows(table)
        changed = change(rows)
        rows = rows if changed is None else changed
        schema = self.tables[table].schema
        return replace(self, tables={**self.tables, table: pa.Table.from_pylist(rows, schema)})

    def recount(self, **counts: int) -> Batch:
        """A copy with some file counts changed."""
        return replace(self, accounting={**self.accounting, **counts})


def build(
    input_dir: Path, staging: Path, earlier: Batch | None = None, run_id: str = "run-test"
) -> Batch:
    """Stage every file under ``input_dir`` into ``staging``, as if ``earlier`` (a batch built
    the same way) were already loaded."""
    manifest, loaded = loaded_after(earlier) if earlier else (Manifest(), LoadedVersions())
    read = read_files(discover(input_dir), DEFAULT_MAX_FILE_BYTES)
    parsed = [parse_story(item.text) if item.text is not None else None for item in read]
    collector = BatchCollector(manifest, BatchContext(run_id, datetime(2024, 1, 2, 3, 4, 5)))
    outcomes = collector.settle(read, parsed)
    stories = [o.story for o in loaded_stories(outcomes) if o.story is not None]
    found = EntityStage(processes=1).run(stories)
    batch = StagedBatch(staging)
    stage_chunk(batch, 0, collector.chunk_tables(outcomes, found.items, found.new_spans))
    finish_batch(batch, collector, collector.version_keys(), loaded, UNCHANGED_FILES.empty_table())
    return Batch(staged_tables(batch), collector.accounting.as_dict(), tuple(stories))


def staged_tables(batch: StagedBatch) -> dict[str, pa.Table]:
    """Every staged table whole, as the load would read it (small batches only)."""
    tables = batch.read_chunks(range(batch.chunk_count()))
    tables.update({name: batch.read_run_table(name) for name in RUN_TABLES})
    return tables


def loaded_after(batch: Batch) -> tuple[Manifest, LoadedVersions]:
    """What the warehouse would hold after loading ``batch``, for a next batch."""
    articles = batch.tables["articles"].to_pylist()
    contents = {row["content_sha256"]: row["article_id"] for row in articles}
    version_of = {
        row["article_id"]: Version(row["story_id"], row["version"], row["is_latest"])
        for row in articles
    }
    versions = {s.article_id: (version_key(s), version_of[s.article_id]) for s in batch.stories}
    return Manifest({}, contents, frozenset(version_of)), LoadedVersions(versions)


def load_folder(input_dir: Path, warehouse: WarehouseLayout, run_id: str) -> None:
    """Load the new files of ``input_dir`` into a real warehouse by the run's own stages, short of
    Prefect, entities and validation: plan, read, parse, settle, stage, version, load, swap."""
    plan = plan_run(input_dir, warehouse, run_id, full_refresh=False)
    collector = BatchCollector(plan.manifest, BatchContext(run_id, datetime(2024, 1, 2, 3, 4, 5)))
    batch = StagedBatch(warehouse.staging / run_id)
    read = read_files(source_files(plan.to_read, input_dir), DEFAULT_MAX_FILE_BYTES)
    outcomes = collector.settle(read, [parse_story(i.text) if i.text else None for i in read])
    mentions = [[] for _ in loaded_stories(outcomes)]
    stage_chunk(batch, 0, collector.chunk_tables(outcomes, mentions))
    keys = collector.version_keys()
    loaded = related_versions(warehouse.next_database, keys) if keys else LoadedVersions()
    finish_batch(batch, collector, keys, loaded, plan.unchanged)
    load_batch(warehouse, run_id, batch.files_by_table(), full_refresh=False)
    publish_next(warehouse)
