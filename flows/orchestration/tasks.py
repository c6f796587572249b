"""The Prefect tasks of a run: each a thin wrapper over a library function, with retries.

Tasks work on batches of files, never one file: Prefect costs milliseconds per task run. Big
collections (100,000 files, a chunk's stories, the run's collector) reach tasks wrapped in
``quote``: Prefect otherwise walks every object of a parameter looking for futures, which cost
9 s for the 100,000 discovered files alone. Every task is safe to run twice, and transient I/O
errors are retried with backoff (``flows.orchestration.retry``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pyarrow as pa
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import faults
from flows.batch.extract import ReadFile, SourceFile, read_files
from flows.batch.incremental import ReadPlan, plan_run
from flows.batch.staging import (
    BatchCollector,
    StagedBatch,
    finish_batch,
    remove_stories,
    stage_chunk,
)
from flows.batch.versions import LoadedVersions, related_versions
from flows.orchestration.retry import RETRY_DELAYS, retry_transient
from flows.orchestration.runners import EntityStage, FoundEntities, Results, without_timeout
from flows.orchestration.stages import (
    DATA_DOCS,
    DISCOVER,
    ENTITIES,
    LOAD,
    PARQUET,
    PARSE,
    READ_HASH,
    REPORT,
    VALIDATE,
    Stage,
)
from flows.settings import Settings
from flows.store import publish, warehouse
from flows.store.parquet import ChangedMonths
from flows.story.parse import ParsedStory, Rejection, parse_story

log = logging.getLogger("newswire")

TASK_OPTIONS: dict[str, Any] = {
    "retries": len(RETRY_DELAYS),
    "retry_delay_seconds": RETRY_DELAYS,
    "retry_condition_fn": retry_transient,
    "cache_policy": NO_CACHE,
    "timeout_seconds": 6 * 3600,
}

P = ParamSpec("P")
R = TypeVar("R")


def stage_task(stage: Stage, name: str | None = None) -> Callable[[Callable[P, R]], Any]:
    """Make a function a Prefect task of ``stage``: named after it (or ``name``, for a stage of
    several tasks), retried on transient I/O, and passing the stage's fault point."""

    def decorate(function: Callable[P, R]) -> Any:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            result = function(*args, **kwargs)
            if stage.fault_at_end:
                faults.reached(stage.name)
            return result

        return task(name=name or stage.name, **TASK_OPTIONS)(run)

    return decorate


@stage_task(DISCOVER)
def discover_task(settings: Settings, run_id: str) -> tuple[list[str], ReadPlan]:
    """Clear what an interrupted run left, then plan the run's reads against a fresh copy of
    the warehouse. One task: Prefect walks a task's return value, and handing the list of
    every discovered file from one task to the next cost about 2 s of a rerun over 100,000."""
    recovered = publish.recover(settings.warehouse)
    for action in recovered:
        get_run_logger().warning("recovered from an interrupted run: %s", action)
    plan = plan_run(settings.input_dir, settings.warehouse, run_id, settings.full_refresh)
    return recovered, plan


@stage_task(READ_HASH)
def read_task(sources: Sequence[SourceFile], max_bytes: int) -> Results[ReadFile]:
    """Read and hash the files that are new or changed."""
    return Results(read_files(sources, max_bytes))


@stage_task(PARSE)
def parse_task(read: Sequence[ReadFile]) -> Results[ParsedStory | Rejection | None]:
    """Parse every readable file; unreadable ones stay None (their rejection is on the read)."""
    return Results([parse_story(item.text) if item.text is not None else None for item in read])


@stage_task(ENTITIES)
def entities_task(stories: Sequence[ParsedStory], entities: EntityStage) -> FoundEntities:
    """Find the entities of the new stories' story paragraphs, with the span cache rows of
    the texts the model read for the first time."""
    return entities.run(stories)


@stage_task(PARQUET, name="stage-parquet")
def stage_chunk_task(batch: StagedBatch, index: int, tables: Mapping[str, pa.Table]) -> int:
    """Write one chunk of the batch as Parquet files, atomically."""
    return stage_chunk(batch, index, tables)


@stage_task(PARQUET, name="finish-batch")
def finish_batch_task(
    settings: Settings, batch: StagedBatch, collector: BatchCollector, unchanged: pa.Table
) -> dict[str, int]:
    """Version the new articles against the loaded stories they relate to, and stage the
    run-wide tables."""
    keys = collector.version_keys()
    loaded = LoadedVersions()
    if keys and not settings.full_refresh:
        loaded = related_versions(settings.warehouse.next_database, keys)
    return finish_batch(batch, collector, keys, loaded, unchanged)


@stage_task(VALIDATE, name="reject-stories")
def reject_stories_task(
    settings: Settings,
    batch: StagedBatch,
    collector: BatchCollector,
    rejections: Mapping[str, tuple[str, str]],
) -> int:
    """Take the stories that broke a row-level expectation out of the staged batch and stage
    its versions and run-wide tables again without them; returns the files rejected."""
    files = remove_stories(batch, collector, rejections)
    keys = collector.version_keys()
    loaded = LoadedVersions()
    if keys and not settings.full_refresh:
        loaded = related_versions(settings.warehouse.next_database, keys)
    finish_batch(batch, collector, keys, loaded, batch.read_run_table("unchanged_files"))
    return files


@stage_task(VALIDATE)
def validate_task(
    batch: StagedBatch, accounting: Mapping[str, int], expectations_dir: Path, today: date
) -> Any:
    """Validate the staged batch with the suites in ``expectations/`` (a ``Validation``), in
    the helper process that imported GX while the run staged its files."""
    from flows.quality import helper_process
    from flows.quality.suites import Validation

    return Validation(helper_process.validate(batch, accounting, expectations_dir, today))


@stage_task(DATA_DOCS)
def data_docs_task(validation: Any, site_dir: Path, run_id: str) -> Path | None:
    """Render this run's validation as GX Data Docs (in the helper process that validated);
    a failure here never fails the run."""
    from flows.quality import helper_process

    try:
        return helper_process.data_docs(validation.results, site_dir, run_id)
    except Exception:
        log.warning("could not build GX Data Docs in %s", site_dir, exc_info=True)
        return None


@stage_task(LOAD)
def load_task(
    settings: Settings, run_id: str, batch: StagedBatch, beside_validation: bool = False
) -> warehouse.BatchLoad | None:
    """Load the staged batch into the warehouse copy, in one transaction.

    ``beside_validation``: GX works in Python on one core, so the load gets one DuckDB thread
    and ``settings.background_load_memory``. Measured on a staged batch of 100,000 stories:
    loading after validation peaked at 749 MB, validation took 27 s and the load 19 s; beside
    it with DuckDB's usual 256 MB and two threads, 946 MB and validation 36 s; with one thread
    and 64 MB, 749-756 MB, validation 26-29 s, the load hidden. Returns None when that memory
    was not enough: the flow then loads after validation.
    """
    files = batch.files_by_table()
    if not beside_validation:
        return warehouse.load_batch(settings.warehouse, run_id, files, settings.full_refresh)
    limits: dict[str, str | int] = {"threads": 1, "memory_limit": settings.background_load_memory}
    return warehouse.load_batch_within(
        settings.warehouse, run_id, files, settings.full_refresh, limits
    )


# Submitted to a thread beside validation.
LOAD_BESIDE_VALIDATION = without_timeout(load_task)


@stage_task(LOAD, name="restart-copy")
def restart_copy_task(settings: Settings) -> None:
    """Copy the published warehouse again: the batch loaded into the old copy failed the gate."""
    warehouse.prepare_next(settings.warehouse)


@stage_task(LOAD, name="record")
def record_task(settings: Settings, records: Mapping[str, pa.Table]) -> None:
    """Record the run's rows in the copy; a retry after the commit finds them and stops."""
    warehouse.record_run(settings.warehouse, records)


@stage_task(LOAD, name="publish")
def publish_task(
    settings: Settings,
    run_id: str,
    unchanged_tables: frozenset[str],
    changed_months: ChangedMonths | None,
    export_memory: str | None = None,
) -> None:
    """Export the Parquet snapshot from the loaded copy, then swap the copy and the snapshot in.

    Tables this run left unchanged, and the months it left unchanged of the others, are
    hard-linked from the published snapshot (see ``publish.publish``). ``export_memory``:
    DuckDB's limit for the export, when not the usual one.
    """
    publish.publish(settings.warehouse, run_id, unchanged_tables, changed_months, export_memory)


@stage_task(REPORT)
def report_task(settings: Settings) -> Path:
    """Regenerate the data-quality report from the published warehouse."""
    from flows.report import write_report

    faults.reached(REPORT.name)
    return write_report(settings.warehouse)
