"""The newswire Prefect flow: one run, as the list of its stages.

    discover                      list the input, copy the warehouse, plan what to read
    for each chunk of new files:  read_hash -> parse -> entities -> parquet (staged)
    parquet                       version the batch, stage the run-wide tables
    validate                      GX suites over the staged batch; the load into the
                                  warehouse copy runs beside it
    load                          the gate: record and publish the copy, or quarantine
    report                        the data-quality page

Each stage is a Prefect task over a batch of files (``flows.orchestration.tasks``) wrapping a
library function; this module only wires them and decides what a failed validation means.
"""

from __future__ import annotations

import contextlib
import gc
import shutil
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
from prefect import flow, get_run_logger
from prefect.futures import PrefectFuture
from prefect.utilities.annotations import quote

from flows import memory, schemas
from flows.batch.extract import source_files
from flows.batch.incremental import Manifest, ReadPlan, account
from flows.batch.prefetch import StoryFacts
from flows.batch.staging import BatchCollector, StagedBatch, unchanged_tables
from flows.batch.tables import BatchContext, loaded_stories
from flows.orchestration import progress
from flows.orchestration.prefetch import FactsAhead
from flows.orchestration.retry import describe_failure
from flows.orchestration.runners import ChunkRunner, EntityStage, FoundEntities
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
    RunStages,
)
from flows.orchestration.summary import (
    FAILED_VALIDATION,
    SUCCESS,
    RunSummary,
    failed_summary,
    new_run_id,
    run_records,
)
from flows.orchestration.tasks import (
    LOAD_BESIDE_VALIDATION,
    data_docs_task,
    discover_task,
    entities_task,
    finish_batch_task,
    load_task,
    parse_task,
    publish_task,
    read_task,
    record_task,
    reject_stories_task,
    report_task,
    restart_copy_task,
    stage_chunk_task,
    validate_task,
)
from flows.quality import helper_process
from flows.quality.results import DqResult, gate_message, rejected_note, story_rejections
from flows.settings import (
    DEFAULT_DASK_WORKERS,
    DEFAULT_INPUT,
    DEFAULT_WAREHOUSE,
    EXPECTATIONS_DIR,
    Settings,
)
from flows.store import publish, warehouse
from flows.store.lock import run_lock
from flows.store.parquet import quarantine
from flows.store.warehouse import NOTHING_LOADED, BatchLoad

if TYPE_CHECKING:
    from flows.quality.suites import Validation


class DataQualityError(RuntimeError):
    """The batch failed an error-level expectation and was not loaded."""


class RunFailedError(RuntimeError):
    """A stage broke; the message names the stage and the cause (chained as ``__cause__``)."""


@dataclass
class PipelineRun:
    """One run as it moves through the stages: what every stage of it shares."""

    settings: Settings
    run_id: str
    started_at: datetime
    stages: RunStages
    chunks: ChunkRunner
    entities: EntityStage
    batch: StagedBatch
    collector: BatchCollector  # what the run keeps between chunks
    dq_results: list[DqResult] = field(default_factory=list)
    # The load that runs beside validation; kept when the batch passes the gate.
    loading: PrefectFuture[BatchLoad | None] | None = None


def run_pipeline(
    settings: Settings, chunks: ChunkRunner | None = None, entities: EntityStage | None = None
) -> RunSummary:
    """Run every stage over the input folder; the caller holds the run lock.

    New files go through read, parse, entities and staging a chunk at a time (see
    ``flows.batch.staging``), so memory does not grow with the number of new files; the staged
    batch is then validated while it is loaded into the warehouse copy, in one transaction;
    the copy is kept only if the batch passes.
    """
    run = start(settings, chunks, entities or EntityStage(settings.entity_processes))
    frozen = False
    try:
        recovered, plan = discover(run)
        reads_files = plan.to_read.num_rows > 0
        if reads_files:
            helper_process.warm_up(settings.expectations_dir)  # imports GX while we stage
            memory.freeze_existing_objects()
            frozen = True
        stage_chunks(run, plan)
        unchanged = plan.unchanged
        del plan  # a run's file lists take hundreds of MB at 100,000 files
        run_rows = finish_batch(run, unchanged, reads_files)
        if reads_files:  # a run that reads no file has no batch to validate
            validate(run)
        summary = gate(run, recovered)
        load(run, summary, run_rows)
    except Exception as error:
        raise fail(run, error) from error
    finally:
        if frozen:
            gc.unfreeze()
    report(run, summary)
    if summary.status == FAILED_VALIDATION:
        raise DataQualityError(summary.message)
    return summary


def start(settings: Settings, chunks: ChunkRunner | None, entities: EntityStage) -> PipelineRun:
    """A new run: its id, its clock and its staging folder."""
    started_at = datetime.now(UTC).replace(tzinfo=None)
    run_id = new_run_id(datetime.now(UTC))
    chunks = chunks or ChunkRunner()
    if chunks.distributed:  # each Dask worker is one process already
        entities = replace(entities, processes=1)
    # The span cache is read from the run's copy of the warehouse (made by discover).
    entities = replace(entities, span_cache=settings.warehouse.next_database)
    return PipelineRun(
        settings,
        run_id,
        started_at,
        RunStages(progress.current()),
        chunks,
        entities,
        StagedBatch(settings.warehouse.staging / run_id),
        BatchCollector(Manifest(), BatchContext(run_id, started_at)),
    )


def discover(run: PipelineRun) -> tuple[list[str], ReadPlan]:
    """Recover from an interrupted run, list the input and plan what to read."""
    with run.stages.run(DISCOVER) as done:
        recovered, plan = discover_task(run.settings, run.run_id)
        run.collector.manifest = plan.manifest
        run.collector.add_unchanged(plan.unchanged.num_rows)
        done.rows = plan.files_seen
        done.detail = f"{plan.files_seen:,} files, {plan.to_read.num_rows:,} new or changed"
    return recovered, plan


def chunk_plan(plan: ReadPlan, settings: Settings) -> Iterator[pa.Table]:
    """The files to read, ``settings.chunk_files`` at a time (as Arrow rows until then)."""
    for start_row in range(0, plan.to_read.num_rows, settings.chunk_files):
        yield plan.to_read.slice(start_row, settings.chunk_files)


def stage_chunks(run: PipelineRun, plan: ReadPlan) -> None:
    """Stage the new files a chunk at a time. While the flow stages one chunk, a helper process
    works out the next chunk's story facts (``flows.batch.prefetch``) on the other core."""
    chunks = list(chunk_plan(plan, run.settings))
    facts = FactsAhead(run.settings.input_dir, run.settings.max_file_bytes)
    try:
        ahead: Future[dict[str, StoryFacts]] | None = None
        for index, chunk in enumerate(chunks):
            following = chunks[index + 1] if index + 1 < len(chunks) else None
            upcoming = None
            if following is not None and not run.chunks.distributed:
                upcoming = facts.ahead(following)
            with memory.collections_paused():
                stage_files(run, chunk, ahead)
            ahead = upcoming
    finally:
        facts.close()


def stage_files(
    run: PipelineRun, files: pa.Table, facts: Future[dict[str, StoryFacts]] | None = None
) -> None:
    """Read, parse, extract and stage one chunk of new files; ``facts``: its story facts,
    being worked out ahead."""
    settings, collector = run.settings, run.collector
    chunk = source_files(files, settings.input_dir)
    with run.stages.run(READ_HASH, len(chunk)) as done:
        read = read_task(quote(chunk), settings.max_file_bytes).items
        done.rows = len(read)
    with run.stages.run(PARSE, len(read)) as done:
        parsed = run.chunks.map("parse", parse_task, read)
        outcomes = collector.settle(read, parsed)
        stories = [o.story for o in loaded_stories(outcomes) if o.story is not None]
        counts = account(outcomes)
        done.rows = len(parsed)
        done.detail = f"{counts.files_new:,} new articles, {counts.files_rejected:,} rejected"
    del read, parsed
    with run.stages.run(ENTITIES, len(stories)) as done:
        found = FoundEntities.combine(
            run.chunks.map_parts("entities", entities_task, stories, entities=run.entities)
        )
        done.rows = len(stories)
        done.detail = found.detail()
    with run.stages.run(PARQUET, report=False) as done:
        tables = collector.chunk_tables(
            outcomes, found.items, found.new_spans, FactsAhead.take(facts)
        )
        done.rows = stage_chunk_task(run.batch, run.batch.chunk_count(), tables)
    # The helper copies the chunk into the validation database while we stage the next.
    helper_process.copy_ahead(run.batch, settings.expectations_dir)


def finish_batch(run: PipelineRun, unchanged: pa.Table, reads_files: bool) -> dict[str, int]:
    """Version the batch and stage its run-wide tables (``unchanged``: the files a rerun found
    as they were); returns their rows."""
    collector = run.collector
    with run.stages.run(PARQUET) as done:
        run_rows = finish_batch_task(run.settings, run.batch, quote(collector), unchanged)
        # A run's file lists, manifest and keys take hundreds of MB at 100,000 files: free
        # them before validation and the load add theirs.
        collector.release()
        if reads_files:  # a run that read nothing freed nothing worth 0.2 s
            memory.give_back()
        done.rows = sum(run_rows.values())
        done.detail = f"{run.batch.rows():,} rows staged"
    return run_rows


def validate(run: PipelineRun) -> None:
    """Validate the staged batch while it loads into the warehouse copy beside it.

    GX works in a helper process on one core (it imported GX while the run staged its
    files), the load on one DuckDB thread here; the gate then decides whether the loaded copy
    is kept. Stories that break a row-level expectation are taken out and the rest validated
    again.
    """
    settings, collector = run.settings, run.collector
    with run.stages.run(VALIDATE) as done:
        run.loading = LOAD_BESIDE_VALIDATION.submit(
            settings, run.run_id, quote(run.batch), beside_validation=True
        )
        validation = validate_task(
            run.batch, collector.accounting.as_dict(), settings.expectations_dir, date.today()
        )
        run.dq_results = validation.results
        rejections = story_rejections(run.dq_results)
        if rejections:  # a batch-level failure they caused goes with them; others remain
            validation = reject_stories(run, rejections)
        done.rows = len(run.dq_results)
        done.detail = f"{len(run.dq_results):,} expectations" + (
            f", {len(rejections):,} stories rejected" if rejections else ""
        )
    collector.release_versioning()
    if settings.write_report:
        with run.stages.run(DATA_DOCS, report=False):
            data_docs_task(quote(validation), settings.warehouse.data_docs, run.run_id)
    del validation
    memory.give_back()


def reject_stories(run: PipelineRun, rejections: dict[str, DqResult]) -> Validation:
    """Take the rejected stories out of the batch (their files recorded with the expectation
    they broke) and validate what is left; the load then runs after validation."""
    settings = run.settings
    if run.loading is not None:  # it loaded the batch as it was: start again from the file
        run.loading.wait()
        run.loading = None
        restart_copy_task(settings)
    reasons = {
        article_id: (str(result.reason), f"{result.table_name}: {result.expectation}")
        for article_id, result in rejections.items()
    }
    reject_stories_task(settings, run.batch, quote(run.collector), reasons)
    first = {(r.table_name, r.expectation): r for r in run.dq_results if r.rejects_stories}
    validation = validate_task(
        run.batch, run.collector.accounting.as_dict(), settings.expectations_dir, date.today()
    )
    # The record keeps the failures that rejected stories, with how many; the rest is the
    # batch that loads.
    run.dq_results = [
        rejected_note(first[key]) if (key := (r.table_name, r.expectation)) in first else r
        for r in validation.results
    ]
    return validation


def gate(run: PipelineRun, recovered: list[str]) -> RunSummary:
    """The run's outcome so far: loaded, or stopped by an error-level expectation."""
    collector = run.collector
    failures = [result for result in run.dq_results if result.stops_batch]
    summary = RunSummary(
        run.run_id,
        SUCCESS,
        None,
        collector.accounting,
        collector.articles,
        dq_failures=failures,
        recovered=recovered,
        quality_rejections={
            str(r.reason): len(r.rejected_articles) for r in run.dq_results if r.rejects_stories
        },
    )
    if failures:
        summary.status = FAILED_VALIDATION
        summary.articles_loaded = 0
        summary.message = gate_message(failures)
    return summary


def load(run: PipelineRun, summary: RunSummary, run_rows: dict[str, int]) -> None:
    """Record the run and publish the loaded copy, or quarantine a batch that failed the gate."""
    settings, collector = run.settings, run.collector
    beside: BatchLoad | None = None
    export_memory = None
    if summary.articles_loaded >= settings.large_batch_articles:
        # Validation and its Data Docs are done: the GX helper's memory goes to the export.
        helper_process.stop()
        export_memory = warehouse.LARGE_EXPORT_MEMORY
    with run.stages.run(LOAD) as done:
        if summary.dq_failures:
            if run.loading is not None:
                run.loading.wait()  # the batch went into the copy: start again from the file
                restart_copy_task(settings)
            quarantine(run.batch.folder, settings.warehouse.quarantine)
            loaded = NOTHING_LOADED
            unchanged = frozenset(schemas.BATCH_TABLES)
        else:
            beside = run.loading.result() if run.loading is not None else None
            # Only a load beside validation returns None (it ran out of its memory).
            loaded = beside or load_task(settings, run.run_id, quote(run.batch))
            assert loaded is not None
            unchanged = unchanged_tables(collector, run_rows, settings.full_refresh)
        records = run_records(settings, summary, run.started_at, run.dq_results, run.stages, loaded)
        record_task(settings, records)
        publish_task(settings, run.run_id, unchanged, loaded.changed_months, export_memory)
        done.detail = f"{summary.articles_loaded:,} articles published"
    if not summary.dq_failures:
        shutil.rmtree(run.batch.folder, ignore_errors=True)
    summary.stage_seconds = dict(run.stages.seconds)
    if beside is not None:
        summary.background_seconds = {"load": beside.seconds}


def report(run: PipelineRun, summary: RunSummary) -> None:
    """Redraw the data-quality page from the published warehouse."""
    if not run.settings.write_report:
        return
    with run.stages.run(REPORT):
        summary.report_path = report_task(run.settings)
    summary.stage_seconds = dict(run.stages.seconds)


def fail(run: PipelineRun, error: Exception) -> RunFailedError:
    """Leave the published warehouse as it was, record why the run broke, say it in one line
    (which also says when recording the failure failed: nothing is printed beside it)."""
    if run.loading is not None:
        run.loading.wait()  # it writes the copy about to be discarded
    layout = run.settings.warehouse
    warehouse.discard_next(layout)
    message = describe_failure(run.stages.current, error)
    try:
        records = run_records(
            run.settings, failed_summary(run.run_id, error), run.started_at, [], run.stages
        )
        warehouse.prepare_next(layout)
        warehouse.record_run(layout, records)
        # Parquet too, so its pipeline_runs says the same as the DuckDB file; the batch tables
        # are as published (linked, not exported again).
        publish.publish(layout, f"{run.run_id}-failed", frozenset(schemas.BATCH_TABLES))
    except Exception as recording:  # the original error matters more than this one
        warehouse.discard_next(layout)
        if not isinstance(recording, warehouse.WarehouseDamagedError):
            cause = " ".join(f"{type(recording).__name__}: {recording}".split())[:200]
            message += f" (the failed run could not be recorded: {cause})"
    if run.settings.write_report:
        refresh_report_quietly(run.settings)
    return RunFailedError(message)


def refresh_report_quietly(settings: Settings) -> None:
    """Best effort: the report shows a broken run too; the run's own error matters more."""
    from flows.report import write_report

    with contextlib.suppress(Exception):
        write_report(settings.warehouse)


def run_locked(
    settings: Settings,
    chunks: ChunkRunner,
    wait_seconds: float = 0.0,
    entities: EntityStage | None = None,
) -> RunSummary:
    """One run under the warehouse's run lock, its outcome logged to Prefect."""
    with run_lock(settings.warehouse.lock, wait_seconds), chunks:
        summary = run_pipeline(settings, chunks, entities)
    counts = summary.accounting
    # The line the Prefect UI shows for a scheduled run that nobody watched.
    get_run_logger().info(
        "run %s: %d files seen: %d new, %d duplicate, %d unchanged, %d rejected; "
        "%d articles loaded",
        summary.run_id,
        counts.files_seen,
        counts.files_new,
        counts.files_duplicate,
        counts.files_unchanged,
        counts.files_rejected,
        summary.articles_loaded,
    )
    return summary


@flow(name="newswire-run", log_prints=False, validate_parameters=False)
def newswire_run(
    input_dir: str = str(DEFAULT_INPUT),
    warehouse_dir: str = str(DEFAULT_WAREHOUSE),
    full_refresh: bool = False,
    wait_seconds: float = 0.0,
    runner: str = "default",
    dask_address: str | None = None,
    dask_workers: int = DEFAULT_DASK_WORKERS,
    expectations_dir: str | None = None,
) -> RunSummary:
    """One run: new files under ``input_dir`` into the warehouse at ``warehouse_dir``.

    ``runner="dask"`` spreads parse and entity extraction over a local Dask cluster of
    ``dask_workers`` processes, or over the existing cluster at ``dask_address``.
    ``expectations_dir``: suites to validate with instead of the project's ``expectations/``.
    """
    settings = Settings(
        input_dir=Path(input_dir),
        warehouse_dir=Path(warehouse_dir),
        full_refresh=full_refresh,
        expectations_dir=Path(expectations_dir) if expectations_dir else EXPECTATIONS_DIR,
    ).resolved()
    chunks = ChunkRunner(runner, dask_address, dask_workers)  # checks the runner name first
    return run_locked(settings, chunks, wait_seconds)
