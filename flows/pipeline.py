"""The Prefect flow: thin wiring of the pure stages, a few coarse tasks over batches of files.

extract (discover, read+hash) -> parse -> entities -> tables (staged Parquet) -> validate, with
the load into the DuckDB copy beside it -> record the run -> publish (copy swapped in, Parquet
snapshot, report). Each task wraps a library function and owns no logic; the flow decides what
a failed validation means.
"""

from __future__ import annotations

import gc
import logging
import secrets
import shutil
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows import faults, memory, parquet_store, progress, publish, schemas, staging, warehouse
from flows.dq_result import DqResult, Validation
from flows.entities import EntityMention, StoryText
from flows.extract import ReadFile, SourceFile, discover_table, read_files, source_files
from flows.incremental import Accounting, account, settle
from flows.parse import ParsedStory, Rejection, parse_story
from flows.retry import RETRY_DELAYS, describe_failure, retry_transient
from flows.run_lock import run_lock
from flows.runners import (
    DEFAULT_DASK_WORKERS,
    ChunkRunner,
    Results,
    extract_entities,
    without_timeout,
)
from flows.settings import DEFAULT_INPUT, DEFAULT_WAREHOUSE, EXPECTATIONS_DIR, Settings
from flows.staging import CHUNK_TABLES, BatchCollector, StagedBatch, chunked
from flows.tables import (
    BatchContext,
    loaded_stories,
)
from flows.warehouse import Manifest

log = logging.getLogger("newswire")

# Below this many stories, starting a second spaCy process costs more than it saves.
PARALLEL_ENTITY_THRESHOLD = 300
# Big collections (100,000 files, a chunk's stories, the run's collector) go to tasks wrapped
# in ``quote``: Prefect otherwise walks every object of a parameter looking for futures, which
# cost 9 s for the 100,000 discovered files alone. The task receives the value unwrapped.
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
    # Work that ran beside the stages above, so not in their sum (the batch load: validate).
    background_seconds: dict[str, float] = field(default_factory=dict)
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
def discover_task(settings: Settings, run_id: str) -> warehouse.ReadPlan:
    """List the input files (stat only), copy the warehouse for this run and find the files it
    has not seen as they are now.

    One task: Prefect walks a task's return value, and handing the list of every discovered
    file from one task to the next cost about 2 s of a rerun over 100,000 unchanged files. The
    copy (the kernel's, without the GIL) runs while the listing stats files: a rerun over
    100,000 files waited for both in turn.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="copy-warehouse") as pool:
        copying = pool.submit(warehouse.prepare_next, settings.database_path, settings.sql_dir)
        discovered = discover_table(settings.input_dir)
        faults.reached("discover")
        staged = copying.result()
    faults.reached("prepare")
    if settings.full_refresh:
        return warehouse.read_everything(discovered)
    return warehouse.plan_reads(staged, settings.sql_dir, discovered, run_id)


@task(name="read-manifest", **TASK_OPTIONS)  # type: ignore[call-overload]
def complete_manifest_task(settings: Settings, manifest: Manifest) -> Manifest:
    """Read the contents and articles already loaded, once there are files to read."""
    if settings.full_refresh:
        return manifest
    staged = warehouse.next_path(settings.database_path)
    return warehouse.complete_manifest(staged, settings.sql_dir, manifest)


@task(name="read-hash", **TASK_OPTIONS)  # type: ignore[call-overload]
def read_task(sources: Sequence[SourceFile], max_bytes: int) -> Results[ReadFile]:
    """Read and hash the files that are new or changed."""
    read = read_files(sources, max_bytes)
    faults.reached("read_hash")
    return Results(read)


@task(name="parse", **TASK_OPTIONS)  # type: ignore[call-overload]
def parse_task(read: Sequence[ReadFile]) -> Results[ParsedStory | Rejection | None]:
    """Parse every readable file; unreadable ones stay None (their rejection is on the read)."""
    parsed = [parse_story(item.text) if item.text is not None else None for item in read]
    faults.reached("parse")
    return Results(parsed)


def sampled(article_id: str, every: int) -> bool:
    """Whether a story is in the benchmark's entity sample (one in ``every``, by content id)."""
    return every <= 1 or int(article_id[:8], 16) % every == 0


@task(name="entities", **TASK_OPTIONS)  # type: ignore[call-overload]
def entities_task(
    stories: Sequence[ParsedStory], processes: int, sample_every: int = 1
) -> Results[list[EntityMention]]:
    """Find the entities of the new stories' story paragraphs.

    ``sample_every`` > 1 is for benchmarks only: entities of one story in that many, so a run
    over 100,000 stories measures every other stage in minutes instead of hours.
    """
    if not stories:
        return Results([])
    # Numbered paragraphs only, so first_paragraph_no is the paragraph_no update notes use.
    texts = [
        StoryText(s.article_id, s.headline, tuple(text for _, text in s.numbered_paragraphs))
        for s in stories
        if sampled(s.article_id, sample_every)
    ]
    workers = processes if len(texts) >= PARALLEL_ENTITY_THRESHOLD else 1
    faults.reached("entities")
    if not texts:
        return Results([[] for _ in stories])
    found = dict(zip((text.key for text in texts), extract_entities(texts, workers), strict=True))
    return Results([found.get(s.article_id, []) for s in stories])


@task(name="stage-parquet", **TASK_OPTIONS)  # type: ignore[call-overload]
def stage_chunk_task(batch: StagedBatch, index: int, tables: dict[str, pa.Table]) -> int:
    """Write one chunk of the batch as Parquet files, atomically."""
    return staging.stage_chunk(batch, index, tables)


@task(name="finish-batch", **TASK_OPTIONS)  # type: ignore[call-overload]
def finish_batch_task(
    settings: Settings,
    batch: StagedBatch,
    collector: BatchCollector,
    unchanged: pa.Table,
    chunks: int,
) -> dict[str, int]:
    """Version the new articles against the loaded stories they relate to, and stage the
    run-wide tables."""
    keys = collector.version_keys()
    if keys and not settings.full_refresh:
        staged = warehouse.next_path(settings.database_path)
        collector.manifest = warehouse.related_versions(
            staged, settings.sql_dir, collector.manifest, keys
        )
    return staging.finish_batch(batch, collector, keys, unchanged, chunks)


# Frames whose rows span the whole run: validated once, not with every group of chunks.
RUN_FRAMES = frozenset({"entities", "run_accounting", "story_versions", "story_checks"})
# Chunks validated together: GX costs about a second per batch of suites whatever its rows, and
# each chunk's frames take tens of MB. Two chunks are the 10,000 files of a smaller run, so a
# bigger run validates in groups no bigger than that run's whole batch (flat memory: four
# chunks per group took 1.08 GB at 100,000 stories, two 0.87 GB).
VALIDATE_CHUNKS = 2


@task(name="validate", **TASK_OPTIONS)  # type: ignore[call-overload]
def validate_task(
    batch: StagedBatch, accounting: Accounting, expectations_dir: Path, today: date
) -> Validation:
    """Validate the staged Parquet batch with the suites in ``expectations/``, a group of chunks
    at a time (see ``validate.merge_results`` for what that means for aggregate checks)."""
    from flows import validate

    runner = validate.SuiteRunner(validate.load_suites(expectations_dir))
    counts = accounting.as_dict()
    parameters = validate.validation_parameters(today)
    run_tables = {name: batch.read_run_table(name) for name in ("entities", "story_versions")}
    # Rows that span the run are validated once, on their own: their frames used to be built
    # again with every group of chunks, and added to each group's memory.
    frames = validate.run_frames(run_tables, batch.row_counts(), counts)
    parts = [runner.validate(frames, parameters, [n for n in runner.specs if n in RUN_FRAMES])]
    # The groups need only the entity ids, which their mentions must name.
    entity_ids = {"entities": run_tables["entities"].select(["entity_id"])}
    del run_tables, frames
    per_group = [name for name in runner.specs if name not in RUN_FRAMES]
    # Only the columns the suites and derived frames read: story text is most of a batch.
    columns = {name: runner.columns_to_read(name, schema) for name, schema in CHUNK_TABLES.items()}
    for indexes in chunked(range(batch.chunk_count()), VALIDATE_CHUNKS):
        # GX leaves reference cycles that hold the previous part's frames until the cyclic GC
        # runs: without a collection here, groups piled up (RSS 820 -> 1,017 MB at 100,000).
        memory.give_back()
        tables = {**batch.read_chunks(indexes, columns), **entity_ids}
        frames = validate.batch_frames(tables, counts)
        parts.append(runner.validate(frames, parameters, per_group, continuing=True))
        del tables, frames
    faults.reached("validate")
    return Validation(validate.merge_results(parts), runner)


@task(name="data-docs", **TASK_OPTIONS)  # type: ignore[call-overload]
def data_docs_task(validation: Validation, site_dir: Path, run_id: str) -> Path | None:
    """Render this run's validation as GX Data Docs; a failure here never fails the run."""
    from flows.data_docs import build_data_docs

    try:
        return build_data_docs(validation.runner, validation.results, site_dir, run_id)
    except Exception:
        log.warning("could not build GX Data Docs in %s", site_dir, exc_info=True)
        return None


@dataclass(frozen=True)
class BatchLoad:
    """What loading a batch into the warehouse copy did, for the run's records and export."""

    # The Parquet partitions the load changed; None when not known (the export then rewrites
    # whole tables).
    changed_months: parquet_store.ChangedMonths | None
    seconds: float
    rows: int


@task(name="load", **TASK_OPTIONS)  # type: ignore[call-overload]
def load_batch_task(
    settings: Settings, run_id: str, batch: StagedBatch, background: bool = False
) -> BatchLoad | None:
    """Load the staged batch into the copy, in one transaction.

    ``background``: beside the validate stage. GX works in Python on one core, so the load
    gets one DuckDB thread and ``settings.background_load_memory``. Measured on a staged
    batch of 100,000 stories: loading after validation peaked at 749 MB, validation took
    27 s and the load 19 s; beside it with DuckDB's usual 256 MB and two threads, 946 MB and
    validation 36 s; with one thread and 64 MB, 749-756 MB, validation 26-29 s, the load
    hidden. Returns None when that memory was not enough: the flow then loads after
    validation.
    The copy is not the published warehouse, so a batch that then fails the gate costs only a
    fresh copy (``restart_copy_task``). A retry after the commit finds the run in
    ``source_files`` and loads nothing twice.
    """
    staged = warehouse.next_path(settings.database_path)
    limits: dict[str, str | int] = {"threads": 1, "memory_limit": settings.background_load_memory}
    try:
        return _load_batch(settings, run_id, batch, staged, limits if background else None)
    except duckdb.OutOfMemoryException as error:
        if not background:
            raise
        get_run_logger().warning(
            "loading beside validation needed more than %s (%s); loading after it instead",
            settings.background_load_memory,
            str(error).splitlines()[0],
        )
        return None


def _load_batch(
    settings: Settings,
    run_id: str,
    batch: StagedBatch,
    staged: Path,
    limits: dict[str, str | int] | None,
) -> BatchLoad:
    """The load itself, with the connection ``limits`` of a load in the background."""
    changed: parquet_store.ChangedMonths | None = None
    with warehouse.transaction(staged, limits) as connection:
        if warehouse.batch_loaded(connection, settings.sql_dir, run_id):
            return BatchLoad(None, 0.0, 0)
        started = time.perf_counter()
        if settings.full_refresh:
            connection.execute(
                warehouse.read_sql(settings.sql_dir, "queries/truncate_batch_tables.sql")
            )
        with warehouse.parquet_views(connection, batch.files_by_table()):
            warehouse.run_sql_folder(connection, settings.sql_dir / "load", {})
            # A full refresh replaced every table: nothing of the old snapshot is reused.
            if not settings.full_refresh:
                changed = warehouse.changed_months(connection, settings.sql_dir)
        faults.reached("load")
        seconds = time.perf_counter() - started
    return BatchLoad(changed, seconds, batch.rows())


# Submitted to a thread beside validation.
BACKGROUND_LOAD = without_timeout(load_batch_task)


@task(name="restart-copy", **TASK_OPTIONS)  # type: ignore[call-overload]
def restart_copy_task(settings: Settings) -> None:
    """Copy the published warehouse again: the batch loaded into the old copy failed the gate."""
    warehouse.prepare_next(settings.database_path, settings.sql_dir)


@task(name="record", **TASK_OPTIONS)  # type: ignore[call-overload]
def record_task(settings: Settings, run_tables: dict[str, pa.Table], loaded: BatchLoad) -> None:
    """Record the run's rows in the copy; a retry after the commit finds them and stops.

    The records include the seconds the batch's load statements took, so the report's time
    per stage shows the load too (its commit is not in them).
    """
    staged = warehouse.next_path(settings.database_path)
    run_id = run_tables["pipeline_runs"].column("run_id")[0].as_py()
    with warehouse.transaction(staged) as connection:
        if warehouse.run_recorded(connection, settings.sql_dir, run_id):
            return
        load_stage = pa.Table.from_pylist(
            [{"run_id": run_id, "stage": "load", "seconds": loaded.seconds, "rows": loaded.rows}],
            schema=schemas.RUN_STAGES,
        )
        stages = pa.concat_tables([run_tables["run_stages"], load_stage])
        warehouse.run_sql_folder(
            connection, settings.sql_dir / "record", {**run_tables, "run_stages": stages}
        )
        faults.reached("record")


@task(name="publish", **TASK_OPTIONS)  # type: ignore[call-overload]
def publish_task(
    settings: Settings,
    run_id: str,
    unchanged_tables: frozenset[str],
    changed_months: parquet_store.ChangedMonths | None,
) -> None:
    """Export the Parquet snapshot from the loaded copy, then swap the copy and the snapshot in.

    Tables this run left unchanged, and the months it left unchanged of the others, are
    hard-linked from the published snapshot (see ``publish.publish``).
    """
    publish.publish(settings, run_id, unchanged_tables, changed_months)


@task(name="report", **TASK_OPTIONS)  # type: ignore[call-overload]
def report_task(settings: Settings) -> Path:
    """Regenerate the data-quality report from the published warehouse."""
    from flows.report import write_report

    faults.reached("report")
    return write_report(settings.database_path, settings.reports_dir)


def freeze_existing_objects() -> None:
    """Keep the cyclic GC off the objects that exist before the files are read (Prefect's).

    Python's full collections walk every tracked object; parsing a chunk triggers several,
    and with the flow process's start-up objects in the walk, parsing took twice as long as
    the parser alone. Only for runs that read files: the collection before the freeze took
    0.23 s of every run, a rerun with no new files included. The run unfreezes them at its
    end, so a long-running ``serve`` process still collects them.
    """
    gc.collect()
    gc.freeze()


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

    def add_rows(self, name: str, rows: int) -> None:
        """Count rows of a stage that runs once per chunk."""
        self.rows[name] = self.rows.get(name, 0) + rows

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
    """Run every stage over the input folder; the caller holds the run lock.

    New files go through read, parse, entities and staging a chunk at a time (see
    ``flows.staging``), so memory does not grow with the number of new files; the staged batch
    is then validated a few chunks at a time while it is loaded as one into the warehouse copy,
    in one transaction; the copy is kept only if the batch passes.
    """
    started_at = datetime.now(UTC).replace(tzinfo=None)
    run_id = new_run_id(datetime.now(UTC))
    context = BatchContext(run_id, started_at)
    clock = StageClock()
    batch = StagedBatch(settings.staging_dir / run_id)
    chunks = chunks or ChunkRunner()
    reporter = progress.current()
    frozen = False
    loading: PrefectFuture[BatchLoad | None] | None = None
    beside: BatchLoad | None = None  # the load that ran beside validation, if it was kept
    try:
        with clock.stage("discover"):
            reporter.stage("discover")
            recovered = recover_task(settings)
            plan = discover_task(settings, run_id)
            to_read, manifest = plan.to_read, plan.manifest
            files_seen = to_read.num_rows + plan.unchanged.num_rows
            # A run that reads no file has nothing to validate. GX (3-4 s to import) is imported
            # by the validate stage, whose time then shows it: a thread importing it meanwhile
            # did not shorten runs, it hid those seconds in the read and parse stages.
            read_any = to_read.num_rows > 0
            if read_any:
                manifest = complete_manifest_task(settings, quote(manifest))
            collector = BatchCollector(manifest, context)
            collector.add_unchanged(plan.unchanged.num_rows)
            if read_any:
                freeze_existing_objects()
                frozen = True
            reporter.finish(f"{files_seen:,} files, {to_read.num_rows:,} new or changed")
        clock.rows["discover"] = files_seen
        staged_chunks = 0
        processes = 1 if chunks.distributed else settings.entity_processes
        for start in range(0, to_read.num_rows, settings.chunk_files):
            # Objects for one chunk of files at a time: the run's list stays in Arrow.
            chunk = source_files(to_read.slice(start, settings.chunk_files), settings.input_dir)
            with clock.stage("read_hash"):
                reporter.stage("read_hash", len(chunk))
                read = read_task(quote(chunk), settings.max_file_bytes).items
                reporter.finish()
            clock.add_rows("read_hash", len(read))
            with clock.stage("parse"):
                parsed = chunks.map("parse", parse_task, read)
                outcomes = settle(read, parsed, manifest, collector.memory)
                stories = [o.story for o in loaded_stories(outcomes) if o.story is not None]
                counts = account(outcomes)
                new, rejected = counts.files_new, counts.files_rejected
                reporter.finish(f"{new:,} new articles, {rejected:,} rejected")
            clock.add_rows("parse", len(parsed))
            del read, parsed
            with clock.stage("entities"):
                mentions = chunks.map(
                    "entities",
                    entities_task,
                    stories,
                    processes=processes,
                    sample_every=settings.entity_sample_every,
                )
                reporter.finish()
            clock.add_rows("entities", len(stories))
            with clock.stage("parquet"):
                tables = collector.chunk_tables(outcomes, mentions)
                clock.add_rows("parquet", stage_chunk_task(batch, staged_chunks, tables))
            staged_chunks += 1
            del outcomes, stories, mentions, tables
        with clock.stage("parquet"):
            reporter.stage("parquet")
            run_rows = finish_batch_task(
                settings, batch, quote(collector), plan.unchanged, staged_chunks
            )
            # A run's file lists, manifest and keys take hundreds of MB at 100,000 files:
            # free them before validation and the load add theirs.
            collector.release()
            del plan, to_read, manifest
            if read_any:  # a run that read nothing freed nothing worth 0.2 s of collection
                memory.give_back()
            reporter.finish(f"{batch.rows():,} rows staged")
        clock.add_rows("parquet", sum(run_rows.values()))
        accounting = collector.accounting
        dq_results: list[DqResult] = []
        if read_any:
            with clock.stage("validate"):
                reporter.stage("validate")
                from flows.validate import import_gx

                import_gx()
                # The load runs beside validation (GX works in Python on one core, the load on
                # one DuckDB thread); the gate then decides whether the loaded copy is kept.
                loading = BACKGROUND_LOAD.submit(settings, run_id, quote(batch), background=True)
                validation = validate_task(
                    batch, accounting, settings.expectations_dir, date.today()
                )
                dq_results = validation.results
                reporter.finish(f"{len(dq_results):,} expectations")
            clock.rows["validate"] = len(dq_results)
            if settings.write_report:
                with clock.stage("data_docs"):
                    data_docs_task(quote(validation), settings.data_docs_dir, run_id)
            validation.runner = None  # let the GX context and the batch's frames go
            del validation
            memory.give_back()
        failures = [result for result in dq_results if result.blocks_load]
        summary = RunSummary(
            run_id,
            "success",
            None,
            accounting,
            collector.articles,
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
        with clock.stage("load"):
            reporter.stage("load")
            if failures:
                if loading is not None:
                    # The batch went into the copy: start again from the published file.
                    loading.wait()
                    restart_copy_task(settings)
                parquet_store.quarantine(batch.folder, settings.quarantine_dir)
                loaded = BatchLoad(parquet_store.ChangedMonths(frozenset(), frozenset()), 0.0, 0)
                unchanged_tables = frozenset(schemas.BATCH_TABLES)
            else:
                beside = loading.result() if loading is not None else None
                # Only a load in the background returns None (it ran out of its memory).
                loaded = beside or load_batch_task(settings, run_id, quote(batch))
                assert loaded is not None
                unchanged_tables = staging.unchanged_tables(
                    collector, run_rows, settings.full_refresh
                )
            records = run_records(settings, summary, started_at, dq_results, clock)
            record_task(settings, records, loaded)
            publish_task(settings, run_id, unchanged_tables, loaded.changed_months)
            reporter.finish(f"{summary.articles_loaded:,} articles published")
        if not failures:
            shutil.rmtree(batch.folder, ignore_errors=True)
        summary.stage_seconds = dict(clock.seconds)
        if beside is not None:
            summary.background_seconds = {"load": beside.seconds}
    except Exception as error:
        if loading is not None:
            loading.wait()  # it writes the copy about to be discarded
        warehouse.discard_next(settings.database_path)
        record_failed_run(settings, run_id, started_at, clock, error)
        if settings.write_report:
            refresh_report_quietly(settings)
        raise RunFailedError(describe_failure(clock.current, error)) from error
    finally:
        if frozen:
            gc.unfreeze()
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
        # Parquet too, so its pipeline_runs says the same as the DuckDB file; the batch tables
        # are as published (linked, not exported again).
        publish.publish(settings, f"{run_id}-failed", frozenset(schemas.BATCH_TABLES))
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
    entity_sample_every: int = 1,
    expectations_dir: str | None = None,
) -> RunSummary:
    """One run: new files under ``input_dir`` into the warehouse at ``warehouse_dir``.

    ``runner="dask"`` spreads parse and entity extraction over a local Dask cluster of
    ``dask_workers`` processes, or over the existing cluster at ``dask_address``.
    ``entity_sample_every`` is for benchmarks only (see ``entities_task``).
    ``expectations_dir`` is a folder of suites to validate with instead of ``expectations/``.
    """
    settings = Settings(
        input_dir=Path(input_dir),
        warehouse_dir=Path(warehouse_dir),
        full_refresh=full_refresh,
        entity_sample_every=entity_sample_every,
        expectations_dir=Path(expectations_dir) if expectations_dir else EXPECTATIONS_DIR,
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
