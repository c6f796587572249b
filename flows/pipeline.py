"""The Prefect flow: thin wiring of the pure stages, a few coarse tasks over batches of files.

extract (discover, read+hash) -> parse -> entities -> tables (staged Parquet) -> validate ->
load (DuckDB copy swapped in) -> publish (Parquet snapshot, report). Each task wraps a library
function and owns no logic; the flow decides what a failed validation means.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import faults, parquet_store, progress, publish, schemas, warehouse
from flows.entities import EntityMention, StoryText
from flows.extract import ReadFile, SourceFile, discover, read_files
from flows.incremental import (
    Accounting,
    account,
    compute_versions,
    plan_reads,
    settle,
    story_versions_table,
)
from flows.parse import ParsedStory, Rejection, parse_story
from flows.retry import RETRY_DELAYS, describe_failure, retry_transient
from flows.run_lock import run_lock
from flows.runners import DEFAULT_DASK_WORKERS, ChunkRunner, extract_entities
from flows.settings import DEFAULT_INPUT, DEFAULT_WAREHOUSE, Settings
from flows.tables import (
    BatchContext,
    FileOutcome,
    build_articles,
    build_entity_tables,
    build_paragraphs,
    build_rejected_files,
    build_related_links,
    build_source_files,
    build_update_notes,
    loaded_stories,
)
from flows.validate import DqResult, Validation, blocking_failures
from flows.versions import Version
from flows.warehouse import Manifest

log = logging.getLogger("newswire")

# Below this many stories, starting a second spaCy process costs more than it saves.
PARALLEL_ENTITY_THRESHOLD = 300
# Transient I/O errors are retried with backoff; every task is safe to run twice.
TASK_OPTIONS = {
    "retries": len(RETRY_DELAYS),
    "retry_delay_seconds": RETRY_DELAYS,
    "retry_condition_fn": retry_transient,
    "cache_policy": NO_CACHE,
    "timeout_seconds": 6 * 3600,
}


class DataQualityError(RuntimeError):
    """The batch failed an error-level expectation and was not loaded."""


class RunFailedError(RuntimeError):
    """A stage broke; the message names the stage and the cause (chained as ``__cause__``)."""


@dataclass
class RunSummary:
    """What a run did, for the command line and for tests."""

    run_id: str
    status: str
    message: str | None
    accounting: Accounting
    articles_loaded: int
    stage_seconds: dict[str, float] = field(default_factory=dict)
    dq_failures: list[DqResult] = field(default_factory=list)
    report_path: Path | None = None
    recovered: list[str] = field(default_factory=list)  # what an interrupted run left, cleared


def new_run_id(now: datetime) -> str:
    """Sortable by start time, unique across machines."""
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


@task(name="recover", **TASK_OPTIONS)  # type: ignore[call-overload]
def recover_task(settings: Settings) -> list[str]:
    """Clear what a killed run left behind and catch the Parquet store up with news.duckdb."""
    actions = publish.recover(settings)
    for action in actions:
        get_run_logger().warning("recovered from an interrupted run: %s", action)
    return actions


@task(name="discover", **TASK_OPTIONS)  # type: ignore[call-overload]
def discover_task(input_dir: Path) -> list[SourceFile]:
    """List the input files (stat only)."""
    found = discover(input_dir)
    faults.reached("discover")
    return found


@task(name="prepare-warehouse", **TASK_OPTIONS)  # type: ignore[call-overload]
def prepare_warehouse_task(settings: Settings) -> Manifest:
    """Copy the warehouse for this run and read what it already holds."""
    staged = warehouse.prepare_next(settings.database_path, settings.sql_dir)
    faults.reached("prepare")
    if settings.full_refresh:
        return warehouse.empty_manifest()
    return warehouse.read_manifest(staged, settings.sql_dir)


@task(name="read-hash", **TASK_OPTIONS)  # type: ignore[call-overload]
def read_task(sources: Sequence[SourceFile], max_bytes: int) -> list[ReadFile]:
    """Read and hash the files that are new or changed."""
    read = read_files(sources, max_bytes)
    faults.reached("read_hash")
    return read


@task(name="parse", **TASK_OPTIONS)  # type: ignore[call-overload]
def parse_task(read: Sequence[ReadFile]) -> list[ParsedStory | Rejection | None]:
    """Parse every readable file; unreadable ones stay None (their rejection is on the read)."""
    parsed = [parse_story(item.text) if item.text is not None else None for item in read]
    faults.reached("parse")
    return parsed


@task(name="entities", **TASK_OPTIONS)  # type: ignore[call-overload]
def entities_task(stories: Sequence[ParsedStory], processes: int) -> list[list[EntityMention]]:
    """Find the entities of the new stories' story paragraphs."""
    if not stories:
        return []
    # Numbered paragraphs only, so first_paragraph_no is the paragraph_no update notes use.
    texts = [
        StoryText(s.article_id, s.headline, tuple(text for _, text in s.numbered_paragraphs))
        for s in stories
    ]
    workers = processes if len(texts) >= PARALLEL_ENTITY_THRESHOLD else 1
    faults.reached("entities")
    return extract_entities(texts, workers)


@task(name="stage-parquet", **TASK_OPTIONS)  # type: ignore[call-overload]
def stage_task(tables: dict[str, pa.Table], staging_dir: Path) -> dict[str, Path]:
    """Write the batch as Parquet files, atomically."""
    return parquet_store.stage_batch(tables, staging_dir)


@task(name="validate", **TASK_OPTIONS)  # type: ignore[call-overload]
def validate_task(
    staged: dict[str, Path], accounting: Accounting, expectations_dir: Path, today: date
) -> Validation:
    """Validate the staged Parquet batch with the suites in ``expectations/``."""
    from flows import validate

    tables = parquet_store.read_staged(staged)
    validation = validate.validate_batch(tables, accounting.as_dict(), expectations_dir, today)
    faults.reached("validate")
    return validation


@task(name="data-docs", **TASK_OPTIONS)  # type: ignore[call-overload]
def data_docs_task(validation: Validation, site_dir: Path, run_id: str) -> Path | None:
    """Render this run's validation as GX Data Docs; a failure here never fails the run."""
    from flows.data_docs import build_data_docs

    try:
        return build_data_docs(validation.runner, validation.results, site_dir, run_id)
    except Exception:
        log.warning("could not build GX Data Docs in %s", site_dir, exc_info=True)
        return None


@task(name="load", **TASK_OPTIONS)  # type: ignore[call-overload]
def load_task(
    settings: Settings,
    batch: dict[str, pa.Table] | None,
    run_tables: dict[str, pa.Table],
) -> None:
    """Load the batch (if any) and the run's records into the copy in one transaction.

    A retry after the commit finds the run's row already there and loads nothing twice. The
    records include the seconds the batch's load statements took, so the report's time per
    stage shows the load too (the commit and the swap that follow are not in them).
    """
    staged = warehouse.next_path(settings.database_path)
    run_id = run_tables["pipeline_runs"].column("run_id")[0].as_py()
    with warehouse.transaction(staged) as connection:
        if warehouse.run_recorded(connection, settings.sql_dir, run_id):
            return
        started = time.perf_counter()
        if batch is not None:
            if settings.full_refresh:
                connection.execute(
                    warehouse.read_sql(settings.sql_dir, "queries/truncate_batch_tables.sql")
                )
            warehouse.run_sql_folder(connection, settings.sql_dir / "load", batch)
        load_stage = {
            "run_id": run_id,
            "stage": "load",
            "seconds": time.perf_counter() - started,
            "rows": sum(table.num_rows for table in (batch or {}).values()),
        }
        stages = pa.concat_tables(
            [
                run_tables["run_stages"],
                pa.Table.from_pylist([load_stage], schema=schemas.RUN_STAGES),
            ]
        )
        warehouse.run_sql_folder(
            connection, settings.sql_dir / "record", {**run_tables, "run_stages": stages}
        )
        faults.reached("load")


@task(name="publish", **TASK_OPTIONS)  # type: ignore[call-overload]
def publish_task(settings: Settings, run_id: str) -> None:
    """Export the Parquet snapshot from the loaded copy, then swap the copy and the snapshot in."""
    publish.publish(settings, run_id)


@task(name="report", **TASK_OPTIONS)  # type: ignore[call-overload]
def report_task(settings: Settings) -> Path:
    """Regenerate the data-quality report from the published warehouse."""
    from flows.report import write_report

    faults.reached("report")
    return write_report(settings.database_path, settings.reports_dir)


class StageClock:
    """Seconds and rows per stage, recorded in ``run_stages``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}
        self.current = "start"

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one stage (and remember it, so a failure can say where it happened)."""
        started = time.perf_counter()
        self.current = name
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def table(self, run_id: str) -> pa.Table:
        """The stage timings as a ``run_stages`` batch."""
        names = list(self.seconds)
        return pa.Table.from_pydict(
            {
                "run_id": [run_id] * len(names),
                "stage": names,
                "seconds": [self.seconds[n] for n in names],
                "rows": [self.rows.get(n, 0) for n in names],
            },
            schema=schemas.RUN_STAGES,
        )


def build_batch(
    outcomes: Sequence[FileOutcome],
    mentions: Sequence[Sequence[EntityMention]],
    versions: dict[str, Version],
    changes: dict[str, Version],
    context: BatchContext,
) -> dict[str, pa.Table]:
    """Every batch table, plus the version changes of articles already loaded."""
    loaded = loaded_stories(outcomes)
    entities, entity_mentions = build_entity_tables(loaded, mentions)
    return {
        "articles": build_articles(loaded, versions, context),
        "paragraphs": build_paragraphs(loaded),
        "entities": entities,
        "entity_mentions": entity_mentions,
        "update_notes": build_update_notes(loaded),
        "related_links": build_related_links(loaded),
        "source_files": build_source_files(outcomes, context),
        "rejected_files": build_rejected_files(outcomes, context),
        "version_changes": warehouse.version_changes_table(changes),
    }


def run_records(
    settings: Settings,
    summary: RunSummary,
    started_at: datetime,
    dq_results: Sequence[DqResult],
    clock: StageClock,
) -> dict[str, pa.Table]:
    """The run's own rows: ``pipeline_runs``, ``dq_results`` and ``run_stages``."""
    run_id = summary.run_id
    finished = datetime.now(UTC).replace(tzinfo=None)
    counts = summary.accounting.as_dict()
    runs = pa.Table.from_pylist(
        [
            {
                "run_id": run_id,
                "flow_run_id": flow_run.id,
                "started_at": started_at,
                "finished_at": finished,
                "status": summary.status,
                **counts,
                "articles_loaded": summary.articles_loaded,
                "input_root": str(settings.input_dir),
                "message": summary.message,
            }
        ],
        schema=schemas.PIPELINE_RUNS,
    )
    dq = pa.Table.from_pylist(
        [{"run_id": run_id, **vars(result)} for result in dq_results], schema=schemas.DQ_RESULTS
    )
    return {"pipeline_runs": runs, "dq_results": dq, "run_stages": clock.table(run_id)}


def run_pipeline(settings: Settings, chunks: ChunkRunner | None = None) -> RunSummary:
    """Run every stage once over the input folder; the caller holds the run lock."""
    started_at = datetime.now(UTC).replace(tzinfo=None)
    run_id = new_run_id(datetime.now(UTC))
    context = BatchContext(run_id, started_at)
    clock = StageClock()
    staging_dir = settings.staging_dir / run_id
    chunks = chunks or ChunkRunner()
    reporter = progress.current()
    try:
        with clock.stage("discover"):
            reporter.stage("discover")
            recovered = recover_task(settings)
            sources = discover_task(settings.input_dir)
            manifest = prepare_warehouse_task(settings)
            unchanged, to_read = plan_reads(sources, manifest)
            reporter.finish(f"{len(sources):,} files, {len(to_read):,} new or changed")
        clock.rows["discover"] = len(sources)
        with clock.stage("read_hash"):
            reporter.stage("read_hash", len(to_read))
            read = read_task(to_read, settings.max_file_bytes)
            reporter.finish()
        clock.rows["read_hash"] = len(read)
        with clock.stage("parse"):
            parsed = chunks.map("parse", parse_task, read)
            outcomes = unchanged + settle(read, parsed, manifest)
            accounting = account(outcomes)
            loaded = loaded_stories(outcomes)
            stories = [outcome.story for outcome in loaded if outcome.story is not None]
            rejected = accounting.files_rejected
            reporter.finish(f"{len(stories):,} new articles, {rejected:,} rejected")
        clock.rows["parse"] = len(parsed)
        with clock.stage("entities"):
            processes = 1 if chunks.distributed else settings.entity_processes
            mentions = chunks.map("entities", entities_task, stories, processes=processes)
            reporter.finish()
        clock.rows["entities"] = len(stories)
        with clock.stage("parquet"):
            reporter.stage("parquet")
            versions, changes = compute_versions(stories, manifest)
            batch = build_batch(outcomes, mentions, versions, changes, context)
            batch["story_versions"] = story_versions_table(stories, versions, changes, manifest)
            staged = stage_task(batch, staging_dir)
            reporter.finish(f"{sum(table.num_rows for table in batch.values()):,} rows staged")
        clock.rows["parquet"] = sum(table.num_rows for table in batch.values())
        with clock.stage("validate"):
            reporter.stage("validate")
            validation = validate_task(staged, accounting, settings.expectations_dir, date.today())
            dq_results = validation.results
            reporter.finish(f"{len(dq_results):,} expectations")
        clock.rows["validate"] = len(dq_results)
        if settings.write_report:
            with clock.stage("data_docs"):
                data_docs_task(validation, settings.data_docs_dir, run_id)
        validation.runner = None  # let the GX context and the batch's frames go
        failures = blocking_failures(dq_results)
        summary = RunSummary(
            run_id,
            "success",
            None,
            accounting,
            len(stories),
            dq_failures=failures,
            recovered=recovered,
        )
        if failures:
            first = failures[0]
            summary.status = "failed_validation"
            summary.articles_loaded = 0
            summary.message = (
                f"data-quality gate failed: {first.table_name}: {first.expectation}"
                + (f" ({first.unexpected_count} unexpected)" if first.unexpected_count else "")
                + (f"; {len(failures) - 1} more failed" if len(failures) > 1 else "")
            )
            parquet_store.quarantine(staging_dir, settings.quarantine_dir)
        with clock.stage("load"):
            reporter.stage("load")
            records = run_records(settings, summary, started_at, dq_results, clock)
            load_task(settings, None if failures else batch, records)
            publish_task(settings, run_id)
            reporter.finish(f"{summary.articles_loaded:,} articles published")
        if not failures:
            shutil.rmtree(staging_dir, ignore_errors=True)
        summary.stage_seconds = dict(clock.seconds)
    except Exception as error:
        warehouse.discard_next(settings.database_path)
        record_failed_run(settings, run_id, started_at, clock, error)
        if settings.write_report:
            refresh_report_quietly(settings)
        raise RunFailedError(describe_failure(clock.current, error)) from error
    if settings.write_report:
        with clock.stage("report"):
            reporter.stage("report")
            summary.report_path = report_task(settings)
            reporter.finish()
        summary.stage_seconds = dict(clock.seconds)
    if failures:
        raise DataQualityError(summary.message)
    return summary


def record_failed_run(
    settings: Settings, run_id: str, started_at: datetime, clock: StageClock, error: Exception
) -> None:
    """Best effort: a run that broke still leaves a ``pipeline_runs`` row saying why."""
    try:
        summary = RunSummary(
            run_id, "failed", f"{type(error).__name__}: {error}"[:500], Accounting(0, 0, 0, 0), 0
        )
        warehouse.prepare_next(settings.database_path, settings.sql_dir)
        with warehouse.transaction(warehouse.next_path(settings.database_path)) as connection:
            warehouse.run_sql_folder(
                connection,
                settings.sql_dir / "record",
                run_records(settings, summary, started_at, [], clock),
            )
        # Parquet too, so its pipeline_runs says the same as the DuckDB file.
        publish.publish(settings, f"{run_id}-failed")
    except Exception:  # the original error matters more than this one
        log.exception("could not record the failed run %s", run_id)
        warehouse.discard_next(settings.database_path)


def refresh_report_quietly(settings: Settings) -> None:
    """Best effort: the report shows a broken run too; the run's own error matters more."""
    from flows.report import write_report

    try:
        write_report(settings.database_path, settings.reports_dir)
    except Exception:
        log.exception("could not regenerate the report after the failed run")


@flow(name="newswire-run", log_prints=False, validate_parameters=False)
def newswire_run(
    input_dir: str = str(DEFAULT_INPUT),
    warehouse_dir: str = str(DEFAULT_WAREHOUSE),
    full_refresh: bool = False,
    wait_seconds: float = 0.0,
    runner: str = "default",
    dask_address: str | None = None,
    dask_workers: int = DEFAULT_DASK_WORKERS,
) -> RunSummary:
    """One run: new files under ``input_dir`` into the warehouse at ``warehouse_dir``.

    ``runner="dask"`` spreads parse and entity extraction over a local Dask cluster of
    ``dask_workers`` processes, or over the existing cluster at ``dask_address``.
    """
    settings = Settings(
        input_dir=Path(input_dir), warehouse_dir=Path(warehouse_dir), full_refresh=full_refresh
    ).resolved()
    chunks = ChunkRunner(runner, dask_address, dask_workers)  # checks the runner name first
    with run_lock(settings.lock_path, wait_seconds), chunks:
        summary = run_pipeline(settings, chunks)
    counts = summary.accounting
    # The line the Prefect UI shows for a scheduled run that nobody watched.
    get_run_logger().info(
        "run %s: %d files seen, %d new, %d skipped, %d rejected; %d articles loaded",
        summary.run_id,
        counts.files_seen,
        counts.files_new,
        counts.files_skipped,
        counts.files_rejected,
        summary.articles_loaded,
    )
    return summary
