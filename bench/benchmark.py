"""Run the real flow on a corpus and say where the time goes, against floors (``make bench``).

One benchmark run, always in this order, so figures are measured the same way every time:

1. the corpus: N invented stories from ``bench.story_generator`` (or a copy of ``--corpus``)
   in ``<out>/input``; the warehouse ``<out>/warehouse`` starts empty;
2. Prefect's own start-up: a process that runs an empty flow (the floor of any command). Every
   command talks to the local Prefect server that ``newswire run`` starts once and reuses
   (started here when none runs, not measured); ``--prefect ephemeral`` gives each command
   Prefect's temporary in-process server instead, as a run with no server pays it;
3. the full load: ``newswire run`` (the real flow: Prefect, DuckDB, Parquet, GX) in a child
   process, timed from outside (wall) and per stage from inside, with the peak memory of its
   process tree sampled every 50 ms;
4. the floors, on the same files in this process: reading every file's bytes, DuckDB's
   ``read_text`` over them, the parser alone on one core, the entity extractor alone over the
   same story texts, and plain spaCy ``nlp.pipe`` (NER only) over the same texts;
5. a rerun with no new files, then a rerun after adding 1% new files;
6. with ``--full-refresh-check``: ``newswire run --full-refresh`` of the loaded warehouse, its
   entities stage timed beside the full load's (the model's spans come from the warehouse's
   span cache, ``ner_spans``, so only resolution runs again), and every data table's checksum
   compared before and after (they must be equal).

``--entities sample`` extracts entities of one story in ``--sample-every`` (by content id,
the same stories in the flow and in the floors) and scales the entity times up: the only way
to measure 100,000 stories in minutes rather than hours on two cores. Every other stage runs
on every file. The printed table says when entity figures are scaled.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.orchestration import progress
from flows.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from bench.story_generator import GeneratedFile

DEFAULT_OUT = PROJECT_ROOT / "bench-output"
DEFAULT_COUNT = 2000
DEFAULT_SEED = 7
DEFAULT_SAMPLE_EVERY = 20
DEFAULT_REPEAT = 3
INCREMENT_SHARE = 0.01
RESULT_PREFIX = "BENCH-RESULT "
FULL_REFRESH = "full-refresh"
# Checked by the full-refresh check beside bench.table_checksums' data tables.
MORE_CHECKED_TABLES = ("entity_aliases", "ner_spans")
STAGES = ("discover", "read_hash", "parse", "entities", "parquet", "validate", "load", "report")
STAGE_LABELS = {
    "discover": "discover (+ warehouse copy)",
    "read_hash": "read+hash",
    "parse": "parse (+ settle)",
    "entities": "entities",
    "parquet": "tables + Parquet",
    "validate": "validate (GX)",
    "load": "load (what validate left) + publish",
    "report": "report",
}
MB = 1024 * 1024


# ---------------------------------------------------------------------------------------------
# Child processes: the flow run and the empty flow, each as its own command
# ---------------------------------------------------------------------------------------------


def _child_run(
    input_dir: str,
    warehouse_dir: str,
    sample_every: int,
    expectations: str,
    full_refresh: bool = False,
) -> int:
    """What ``newswire run`` does, plus a machine-readable summary line for the parent.

    The flow is the production run (``run_locked``) with the entities of a sample of stories
    (``bench.sampling``) and, for a sampled run, suites that only warn on entity counts.
    """
    _prepare_child()
    from prefect import flow

    from bench.sampling import SampledEntities
    from flows.commands.console import print_summary
    from flows.orchestration.runners import ChunkRunner
    from flows.orchestration.summary import RunSummary
    from flows.pipeline import run_locked

    @flow(name="newswire-bench-run", log_prints=False, validate_parameters=False)
    def bench_run() -> RunSummary:
        settings = Settings(
            input_dir=Path(input_dir), warehouse_dir=Path(warehouse_dir), full_refresh=full_refresh
        )
        if expectations:
            settings = replace(settings, expectations_dir=Path(expectations))
        entities = SampledEntities(settings.entity_processes, every=sample_every)
        return run_locked(settings.resolved(), ChunkRunner(), entities=entities)

    stage_memory = StageMemory()
    progress.use(stage_memory)
    started = time.perf_counter()
    state = bench_run(return_state=True)
    flow_call = time.perf_counter() - started
    result = state.result(raise_on_failure=False)
    if not isinstance(result, RunSummary):
        print(f"bench: run failed: {result}", file=sys.stderr)
        return 1
    print_summary(result, Path(warehouse_dir))
    stage_peaks = stage_memory.stop()  # before the process's own peak, which must cover them
    summary = {
        **_process_times(_run_started(result.run_id)),
        "run_id": result.run_id,
        "status": result.status,
        "accounting": result.accounting.as_dict(),
        "articles_loaded": result.articles_loaded,
        "stage_seconds": result.stage_seconds,
        "background_seconds": result.background_seconds,
        "flow_call_seconds": flow_call,
        "self_max_rss": own_peak_rss(),
        "stage_peak_rss": stage_peaks,
    }
    print(RESULT_PREFIX + json.dumps(summary), flush=True)
    return 0


class StageMemory(progress.Progress):
    """A silent progress reporter that samples this process's RSS, peak per flow stage.

    The flow names its stages to the reporter, so the benchmark learns where the memory peaks
    without timing hooks in the flow.
    """

    def __init__(self, interval: float = 0.02) -> None:
        super().__init__()
        self.current = "start"
        self.peaks: dict[str, int] = {}
        self._interval = interval
        self._stopped = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread = threading.Thread(target=self._sample, name="stage-memory", daemon=True)
        self._thread.start()

    def stage(self, name: str, total: int | None = None, unit: str = "files") -> None:
        """Peaks from now on count for stage ``name``."""
        self._record()
        self.current = name
        super().stage(name, total, unit)

    def stop(self) -> dict[str, int]:
        """Stop sampling; the peak RSS in bytes of every stage seen, in order."""
        self._stopped.set()
        self._thread.join()
        self._record()
        return dict(self.peaks)

    def _record(self) -> None:
        try:
            with open("/proc/self/statm", encoding="ascii") as statm:
                rss = int(statm.read().split()[1]) * self._page
        except OSError:  # not Linux: no per-stage figure
            return
        self.peaks[self.current] = max(self.peaks.get(self.current, 0), rss)

    def _sample(self) -> None:
        while not self._stopped.wait(self._interval):
            self._record()


def own_peak_rss() -> int:
    """This process's peak RSS in bytes.

    From ``VmHWM``, not ``ru_maxrss``: Linux carries ``ru_maxrss`` over fork and exec, so a
    child of the benchmark process reported at least the parent's size (953 MB for a no-op
    rerun that peaked at 580 MB after the parent had measured the floors of 100,000 stories).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _prepare_child() -> None:
    """The set-up of a ``newswire`` command: Prefect's defaults before its import, no chatter."""
    from flows.orchestration.prefect_env import configure_prefect

    configure_prefect()
    from flows.commands.console import quiet_libraries

    quiet_libraries()


def _child_noop() -> int:
    """An empty flow: Python, Prefect's imports and its ephemeral API server, nothing else."""
    _prepare_child()
    from prefect import flow

    @flow(name="newswire-bench-noop")
    def noop() -> float:
        return time.time()

    started = noop()
    print(RESULT_PREFIX + json.dumps(_process_times(started)), flush=True)
    return 0


def _run_started(run_id: str) -> float:
    """When the flow's own code started: run ids begin with the UTC start time."""
    stamp = datetime.strptime(run_id.split("-")[0], "%Y%m%dT%H%M%S%fZ")
    return stamp.replace(tzinfo=UTC).timestamp()


def _process_times(body_started: float) -> dict[str, float]:
    """Seconds from this process's start to the flow body: Python, imports, Prefect's server."""
    import psutil

    return {
        "process_started": psutil.Process().create_time(),
        "body_started": body_started,
        "before_body_seconds": body_started - psutil.Process().create_time(),
    }


# ---------------------------------------------------------------------------------------------
# Measuring a child process
# ---------------------------------------------------------------------------------------------


@dataclass
class ProcessRun:
    """One child command: its wall time, what it reported and the memory of its process tree."""

    wall_seconds: float
    returncode: int
    result: dict[str, Any] = field(default_factory=dict)
    peak_tree_rss: int = 0  # sum over the process tree, sampled
    peak_tree_rss_without_prefect: int = 0  # the same without Prefect's API server
    peak_main_rss: int = 0  # the command's own process, from the kernel (VmHWM)


def _is_prefect_server(command_line: Sequence[str]) -> bool:
    text = " ".join(command_line)
    return "uvicorn" in text or "prefect.server" in text or "prefect server" in text


class _MemorySampler(threading.Thread):
    """Samples the RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.peak_without_prefect = 0
        self._done = threading.Event()
        self._server_pids: dict[int, bool] = {}

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._done.is_set():
            total = without = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for process in processes:
                try:
                    rss = process.memory_info().rss
                    if process.pid not in self._server_pids:
                        self._server_pids[process.pid] = _is_prefect_server(process.cmdline())
                except psutil.Error:
                    continue
                total += rss
                if not self._server_pids[process.pid]:
                    without += rss
            self.peak = max(self.peak, total)
            self.peak_without_prefect = max(self.peak_without_prefect, without)
            self._done.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self._done.set()
        self.join()


def run_child(arguments: Sequence[str], log_path: Path) -> ProcessRun:
    """Run ``python -m bench.benchmark <arguments>``, timing it and sampling its memory."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "bench.benchmark", *arguments]
    started = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=log, text=True, cwd=PROJECT_ROOT
        )
        sampler = _MemorySampler(process.pid)
        sampler.start()
        output, _ = process.communicate()
        wall = time.perf_counter() - started
        sampler.stop()
        log.write(output)
    result: dict[str, Any] = {}
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    return ProcessRun(
        wall_seconds=wall,
        returncode=process.returncode,
        result=result,
        peak_tree_rss=sampler.peak,
        peak_tree_rss_without_prefect=sampler.peak_without_prefect,
        peak_main_rss=int(result.get("self_max_rss", 0)),
    )


# Expectations on how many entities articles have: a sample leaves most articles without
# entities by design, so a sampled benchmark reports them as warnings instead of failing.
ENTITY_PROFILE_COLUMNS = frozenset({"mean_entities_per_article", "share_without_entity"})


def sampled_suites(out: Path) -> Path:
    """A copy of ``expectations/`` for sampled runs, entity-distribution checks as warnings.

    Every expectation is still evaluated (validation costs the same); only the gate differs.
    """
    folder = out / "expectations"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(Settings().expectations_dir, folder)
    profile = folder / "batch_profile.json"
    suite = json.loads(profile.read_text(encoding="utf-8"))
    for expectation in suite["expectations"]:
        if expectation.get("kwargs", {}).get("column") in ENTITY_PROFILE_COLUMNS:
            expectation.setdefault("meta", {})["severity"] = "warning"
    profile.write_text(json.dumps(suite, indent=2), encoding="utf-8")
    return folder


def run_flow(
    input_dir: Path,
    warehouse: Path,
    sample_every: int,
    log_path: Path,
    expectations: Path | None = None,
    full_refresh: bool = False,
) -> ProcessRun:
    """One real flow run as its own command; fails loudly if the run did not succeed."""
    run = run_child(
        [
            "flow-run",
            str(input_dir),
            str(warehouse),
            str(sample_every),
            str(expectations or ""),
            *([FULL_REFRESH] if full_refresh else []),
        ],
        log_path=log_path,
    )
    if run.returncode != 0 or run.result.get("status") != "success":
        raise RuntimeError(f"the flow run failed (exit {run.returncode}); see {log_path}")
    return run


# ---------------------------------------------------------------------------------------------
# Floors, measured in this process over the same files
# ---------------------------------------------------------------------------------------------


@dataclass
class Floors:
    """The cost of the unavoidable part of each stage, on the same input."""

    files: int
    bytes: int
    io_seconds: float
    duckdb_seconds: float
    duckdb_function: str
    parse_seconds: float
    stories: int  # distinct parsed stories (what the flow extracts entities from)
    entity_stories: int  # stories the extractor ran on (all, or the sample)
    entity_words: int
    extractor_seconds: float
    spacy_seconds: float
    entity_scale: float  # stories / entity_stories: multiply sampled times by this


def _story_files(input_dir: Path) -> list[str]:
    from flows.batch.extract import discover

    return [
        source.location
        for source in discover(input_dir)
        if not source.undecodable_name and source.problem is None
    ]


def measure_io(paths: Sequence[str]) -> tuple[float, int]:
    """Read every file's bytes once: what reading cannot beat (warm page cache)."""
    total = 0
    started = time.perf_counter()
    for path in paths:
        with open(path, "rb") as handle:
            total += len(handle.read())
    return time.perf_counter() - started, total


def measure_duckdb(input_dir: Path) -> tuple[float, str]:
    """DuckDB reading the same files in one query (``read_blob`` if ``read_text`` refuses)."""
    import duckdb

    pattern = str(input_dir / "**" / "*.txt")
    with duckdb.connect() as connection:
        for function in ("read_text", "read_blob"):
            started = time.perf_counter()
            try:
                # The function name is one of the two literals above, never input.
                connection.execute(
                    f"select count(*), sum(size) from {function}(?)", [pattern]
                ).fetchall()
            except duckdb.Error:
                continue  # read_text stops at the first file that is not valid UTF-8
            return time.perf_counter() - started, function
    raise RuntimeError("DuckDB could read neither text nor blobs from the corpus")


def measure_floors(input_dir: Path, settings: Settings, sample_every: int) -> Floors:
    """Every floor over the files of ``input_dir``."""
    from bench.sampling import sampled
    from flows.story.entities import MODEL_NAME, EntityExtractor, StoryText
    from flows.story.parse import ParsedStory, decode, parse_story

    paths = _story_files(input_dir)
    io_seconds, size = measure_io(paths)
    duckdb_seconds, function = measure_duckdb(input_dir)

    parse_seconds = 0.0
    stories: dict[str, StoryText] = {}
    for path in paths:
        with open(path, "rb") as handle:
            text = decode(handle.read())
        if not isinstance(text, str):
            continue
        started = time.perf_counter()
        parsed = parse_story(text)
        parse_seconds += time.perf_counter() - started
        if isinstance(parsed, ParsedStory) and parsed.article_id not in stories:
            stories[parsed.article_id] = StoryText(
                parsed.article_id,
                parsed.headline,
                tuple(text for _, text in parsed.numbered_paragraphs),
            )
    chosen = [story for key, story in stories.items() if sampled(key, sample_every)]
    words = sum(paragraph.count(" ") + 1 for story in chosen for paragraph in story.paragraphs)

    extractor = EntityExtractor(n_process=settings.entity_processes)
    started = time.perf_counter()
    extractor.extract(chosen)
    extractor_seconds = time.perf_counter() - started

    import spacy

    from flows.story.entities import _UNUSED_COMPONENTS

    nlp = spacy.load(MODEL_NAME, exclude=list(_UNUSED_COMPONENTS))
    texts = ["\n\n".join(story.paragraphs) for story in chosen]
    started = time.perf_counter()
    for document in nlp.pipe(texts, n_process=settings.entity_processes, batch_size=256):
        _ = document.ents
    spacy_seconds = time.perf_counter() - started
    return Floors(
        files=len(paths),
        bytes=size,
        io_seconds=io_seconds,
        duckdb_seconds=duckdb_seconds,
        duckdb_function=function,
        parse_seconds=parse_seconds,
        stories=len(stories),
        entity_stories=len(chosen),
        entity_words=words,
        extractor_seconds=extractor_seconds,
        spacy_seconds=spacy_seconds,
        entity_scale=len(stories) / len(chosen) if chosen else 1.0,
    )


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------


def prepare_corpus(arguments: argparse.Namespace, input_dir: Path) -> str:
    """Fill ``input_dir`` with the corpus; returns a one-line description of it."""
    from bench.story_generator import write_corpus

    if input_dir.exists():
        shutil.rmtree(input_dir)
    if arguments.corpus is not None:
        shutil.copytree(arguments.corpus, input_dir)
        return f"copy of {arguments.corpus}"
    summary = write_corpus(input_dir, arguments.count, arguments.seed)
    return (
        f"{summary.files:,} generated files (seed {arguments.seed}): {summary.good:,} good, "
        f"{sum(summary.rejected.values()):,} malformed, {summary.versions:,} later versions, "
        f"{summary.bytes / MB:,.0f} MB, written in {summary.seconds:.1f} s"
    )


# The daily increment: stories of the generator's last week, as a wire desk's day brings.
DAILY_DAYS = 7


def add_daily_files(input_dir: Path, count: int, seed: int) -> int:
    """Write ``count`` new stories dated within the archive's last week (a second stream).

    The other increment continues the archive's stream, so its stories are dated across all
    its years and touch every month; a day's feed is about the last few days, and shows what
    an increment costs when the Parquet store rewrites only the months that changed.
    """
    from datetime import timedelta

    from bench.story_generator import LAST_DAY, generate_stories

    days = (LAST_DAY - timedelta(days=DAILY_DAYS - 1), LAST_DAY)
    return _write_files(input_dir / "daily", generate_stories(count, seed + 1, days=days))


def add_new_files(input_dir: Path, existing: int, count: int, seed: int) -> int:
    """Write ``count`` more stories after the first ``existing`` of the same generated stream.

    Continuing the stream (rather than a new seed) makes some of them later versions of stories
    already loaded, as in a real daily increment. Existing files are not touched, so a rerun
    finds them unchanged.
    """
    from bench.story_generator import generate_stories

    stream = generate_stories(existing + count, seed)
    return _write_files(input_dir / "increment", itertools.islice(stream, existing, None))


def _write_files(folder: Path, items: Iterable[GeneratedFile]) -> int:
    """Write generated files under ``folder``; returns how many."""
    written = 0
    for item in items:
        path = folder / item.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(item.data)
        written += 1
    return written


# ---------------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------------


@dataclass
class BenchmarkResult:
    """Every figure of one benchmark run (also written as JSON next to the warehouse)."""

    corpus: str
    prefect_api: str
    entities_mode: str
    sample_every: int
    cpus: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    prefect_noop: ProcessRun
    full: ProcessRun
    floors: Floors
    rerun: ProcessRun
    increment_files: int
    increment: ProcessRun
    daily_files: int
    daily: ProcessRun
    database_bytes: int
    parquet_bytes: int
    # Every attempt's wall time; ``prefect_noop`` and ``rerun`` are the median attempts.
    prefect_noop_walls: list[float] = field(default_factory=list)
    rerun_walls: list[float] = field(default_factory=list)
    # --full-refresh-check: the refresh, and every data table's (rows, checksum) before and
    # after it.
    refresh: ProcessRun | None = None
    checksums_before: dict[str, tuple[int, str]] = field(default_factory=dict)
    checksums_after: dict[str, tuple[int, str]] = field(default_factory=dict)


def median_run(runs: Sequence[ProcessRun]) -> ProcessRun:
    """The run with the median wall time (the lower middle one of an even count)."""
    ordered = sorted(runs, key=lambda run: run.wall_seconds)
    return ordered[(len(ordered) - 1) // 2]


def use_prefect(mode: str) -> str:
    """Point the commands this benchmark starts at a Prefect API, and say which.

    ``server``: the one ``PREFECT_API_URL`` names, else the local server that ``newswire run``
    starts once and reuses (started here when none answers; its start is not measured).
    ``ephemeral``: each command starts Prefect's temporary server, as with no server at all.
    """
    if mode == "ephemeral":
        os.environ.pop("PREFECT_API_URL", None)
        return "ephemeral (each command starts Prefect's temporary server)"
    if os.environ.get("PREFECT_API_URL"):
        return f"{os.environ['PREFECT_API_URL']} (PREFECT_API_URL)"
    from flows.orchestration.prefect_env import configure_prefect
    from flows.orchestration.server import connect

    configure_prefect()  # the server's database in the project's .prefect/, as newswire run
    return f"{connect()} (the local server newswire run reuses)"


def _prefect_database() -> Path:
    """Prefect's SQLite file for the commands the benchmark starts (as ``newswire run``)."""
    from flows.orchestration.prefect_env import DEFAULTS

    return Path(os.environ.get("PREFECT_HOME", DEFAULTS["PREFECT_HOME"])) / "prefect.db"


def _folder_bytes(folder: Path) -> int:
    seen: set[int] = set()
    total = 0
    for root, _, files in os.walk(folder, followlinks=True):
        for name in files:
            stat = os.stat(os.path.join(root, name))
            if stat.st_ino not in seen:
                seen.add(stat.st_ino)
                total += stat.st_size
    return total


def warehouse_checksums(database: Path) -> dict[str, tuple[int, str]]:
    """Rows and a checksum of every data table: ``bench.table_checksums``' tables, and the
    entity aliases and span cache the same way (every column, rows in canonical order)."""
    import hashlib

    import duckdb

    from bench.table_checksums import table_checksums

    out = table_checksums(database)
    with duckdb.connect(str(database), read_only=True) as connection:
        for table in MORE_CHECKED_TABLES:
            # Table names come from the constant above, never from input.
            rows = connection.execute(f"select * from {table}").fetchall()
            digest = hashlib.sha256(table.encode())
            for line in sorted(repr(row) for row in rows):
                digest.update(line.encode("utf-8") + b"\n")
            out[table] = (len(rows), digest.hexdigest()[:16])
    return out


def run_benchmark(arguments: argparse.Namespace) -> BenchmarkResult:
    """Run every step and return the figures (printing progress to stderr)."""
    out: Path = arguments.out.resolve()
    input_dir, warehouse, logs = out / "input", out / "warehouse", out / "logs"
    sample_every = arguments.sample_every if arguments.entities == "sample" else 1
    for folder in (warehouse, logs):
        if folder.exists():
            shutil.rmtree(folder)
    load_before = os.getloadavg()

    def step(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    step("preparing the corpus")
    corpus = prepare_corpus(arguments, input_dir)
    step(corpus)
    prefect_api = use_prefect(arguments.prefect)
    step(f"Prefect API of every command: {prefect_api}")
    if not _prefect_database().exists():
        step("first start of Prefect (migrates its database: not measured)")
        run_child(["noop"], logs / "noop-first.log")
    suites = sampled_suites(out) if sample_every > 1 else None
    step(f"full load (entities: {arguments.entities})")
    full = run_flow(input_dir, warehouse, sample_every, logs / "full.log", suites)
    database = warehouse / "news.duckdb"
    database_bytes = database.stat().st_size
    parquet_bytes = _folder_bytes(warehouse / "parquet")
    step("floors")
    floors = measure_floors(input_dir, Settings(), sample_every)
    # Prefect's start-up varies by a second or two from one command to the next, as much as
    # the figure compared with it: both commands run several times, alternating.
    noops: list[ProcessRun] = []
    reruns: list[ProcessRun] = []
    for attempt in range(1, arguments.repeat + 1):
        step(f"Prefect start-up (a command running an empty flow), {attempt} of {arguments.repeat}")
        noops.append(run_child(["noop"], logs / f"noop-{attempt}.log"))
        step(f"rerun with no new files, {attempt} of {arguments.repeat}")
        reruns.append(
            run_flow(input_dir, warehouse, sample_every, logs / f"rerun-{attempt}.log", suites)
        )
    existing = floors.files
    count = max(1, round(existing * INCREMENT_SHARE))
    step(f"rerun with {count:,} new files")
    written = add_new_files(input_dir, existing, count, arguments.seed)
    increment = run_flow(input_dir, warehouse, sample_every, logs / "increment.log", suites)
    step(f"rerun with {count:,} new files of one week")
    daily_written = add_daily_files(input_dir, count, arguments.seed)
    daily = run_flow(input_dir, warehouse, sample_every, logs / "daily.log", suites)
    refresh, before, after = None, {}, {}
    if arguments.full_refresh_check:
        step("full refresh of the loaded warehouse (the span cache spares the model)")
        before = warehouse_checksums(database)
        refresh = run_flow(
            input_dir, warehouse, sample_every, logs / "refresh.log", suites, full_refresh=True
        )
        after = warehouse_checksums(database)
    result = BenchmarkResult(
        corpus=corpus,
        prefect_api=prefect_api,
        entities_mode=arguments.entities,
        sample_every=sample_every,
        cpus=os.cpu_count() or 1,
        load_before=load_before,
        load_after=os.getloadavg(),
        prefect_noop=median_run(noops),
        full=full,
        floors=floors,
        rerun=median_run(reruns),
        prefect_noop_walls=[run.wall_seconds for run in noops],
        rerun_walls=[run.wall_seconds for run in reruns],
        increment_files=written,
        increment=increment,
        daily_files=daily_written,
        daily=daily,
        database_bytes=database_bytes,
        parquet_bytes=parquet_bytes,
        refresh=refresh,
        checksums_before=before,
        checksums_after=after,
    )
    (out / "results.json").write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    return result


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}x" if floor > 0 else "-"


def _load(values: Sequence[float]) -> str:
    return " ".join(f"{value:.2f}" for value in values)


def _line(label: str, value: str, note: str = "") -> str:
    return f"  {label:<40}{value:>10}  {note}".rstrip()


def render(result: BenchmarkResult) -> str:
    """The figures as a plain-text table."""
    full = result.full.result
    floors = result.floors
    noop = result.prefect_noop
    stages: dict[str, float] = dict(full["stage_seconds"])
    articles = int(full["articles_loaded"])
    files = int(full["accounting"]["files_seen"])
    sampled = result.sample_every > 1
    scale = floors.entity_scale
    scaled = " (scaled)" if sampled else ""
    measured_entities = stages.get("entities", 0.0)
    stages["entities"] = measured_entities * scale
    outside = sum(seconds for name, seconds in stages.items() if name != "entities")
    total = outside + stages["entities"]
    extractor = floors.extractor_seconds * scale
    spacy_seconds = floors.spacy_seconds * scale
    core = sum(stages.get(name, 0.0) for name in ("parse", "parquet", "validate", "load"))
    entity_note = (
        f"SAMPLED: one story in {result.sample_every} ({floors.entity_stories:,} of "
        f"{floors.stories:,}); entity times are scaled x{scale:.1f}; the "
        "entity-distribution expectations only warn"
        if sampled
        else "every story"
    )
    lines = [
        f"newswire benchmark: {result.corpus}",
        f"machine: {result.cpus} CPUs; load average {_load(result.load_before)} before, "
        f"{_load(result.load_after)} after",
        f"entities: {entity_note}",
        f"Prefect API: {result.prefect_api}",
        "",
        f"full load: {files:,} files, {articles:,} articles loaded",
        f"  {'stage':<40}{'seconds':>10}{'files/s':>12}{'articles/s':>12}",
    ]
    for name in STAGES:
        seconds = stages.get(name, 0.0)
        label = STAGE_LABELS[name] + (scaled if name == "entities" else "")
        lines.append(
            f"  {label:<40}{seconds:>10.2f}{_rate(files, seconds):>12}"
            f"{_rate(articles, seconds):>12}"
        )
    wall = result.full.wall_seconds + stages["entities"] - measured_entities
    beside = full.get("background_seconds", {}).get("load", 0.0)
    lines += [
        f"  {'(load statements, beside validate)':<40}{beside:>10.2f}"
        f"{_rate(files, beside):>12}{_rate(articles, beside):>12}",
        f"  {'flow total':<40}{total:>10.2f}{_rate(files, total):>12}{_rate(articles, total):>12}",
        f"  {'command wall (incl. Prefect)' + scaled:<40}{wall:>10.2f}",
        "",
        "floors (same files, measured in the benchmark process, warm page cache)",
        _line(
            "I/O: read every file",
            f"{floors.io_seconds:.2f} s",
            f"{_rate(floors.files, floors.io_seconds)} files/s, "
            f"{floors.bytes / MB / max(floors.io_seconds, 1e-9):,.0f} MB/s",
        ),
        _line(
            f"DuckDB {floors.duckdb_function}",
            f"{floors.duckdb_seconds:.2f} s",
            f"{_rate(floors.files, floors.duckdb_seconds)} files/s"
            + ("" if floors.duckdb_function == "read_text" else " (read_text refuses bad UTF-8)"),
        ),
        _line(
            "parser alone, one core",
            f"{floors.parse_seconds:.2f} s",
            f"{_rate(floors.files, floors.parse_seconds)} files/s (target >= 5,000)",
        ),
        _line(
            "entity extractor alone" + scaled,
            f"{extractor:.2f} s",
            f"{_rate(floors.stories, extractor)} articles/s, "
            f"{_rate(floors.entity_words, floors.extractor_seconds)} words/s",
        ),
        _line(
            "plain spaCy nlp.pipe (NER only)" + scaled,
            f"{spacy_seconds:.2f} s",
            f"{_rate(floors.stories, spacy_seconds)} articles/s, "
            f"{_rate(floors.entity_words, floors.spacy_seconds)} words/s",
        ),
        _line(
            "Prefect: a command running an empty flow",
            f"{noop.wall_seconds:.2f} s",
            f"{noop.result.get('before_body_seconds', 0.0):.2f} s before its body"
            + _spread(result.prefect_noop_walls),
        ),
        "",
        "ratios",
        _line("read+hash / I/O floor", _ratio(stages.get("read_hash", 0.0), floors.io_seconds)),
        _line(
            f"read+hash / DuckDB {floors.duckdb_function}",
            _ratio(stages.get("read_hash", 0.0), floors.duckdb_seconds),
        ),
        _line("parse stage / parser alone", _ratio(stages.get("parse", 0.0), floors.parse_seconds)),
        _line("entities stage / extractor alone", _ratio(stages["entities"], extractor)),
        _line("extractor alone / plain spaCy", _ratio(extractor, spacy_seconds)),
        _line(
            "command wall / plain spaCy" + scaled,
            _ratio(wall, spacy_seconds),
            "the whole first run against the model alone (target <= 1.00)",
        ),
        _line(
            "outside entities / extractor alone",
            f"{outside / extractor:.3f}" if extractor else "-",
            f"{outside:.1f} s / {extractor:.1f} s (target <= 0.25)",
        ),
        _line(
            "parse + Parquet + validate + load",
            _rate(articles, core),
            f"articles/s in {core:.1f} s (target >= 2,000)",
        ),
        "",
        "incremental runs (wall: the whole command, incl. Python and Prefect start-up)",
        _rerun_line(
            "rerun, no new files (target: command <= empty flow + 3 s)"
            + _spread(result.rerun_walls),
            result.rerun,
            noop,
        ),
        _rerun_line(
            f"rerun, {result.increment_files:,} new files (1%) dated across the archive",
            result.increment,
            noop,
        ),
        _rerun_line(
            f"rerun, {result.daily_files:,} new files (1%) of the archive's last {DAILY_DAYS} days",
            result.daily,
            noop,
        ),
        *_refresh_lines(result, measured_entities, scale, scaled),
        "",
        "memory (peak RSS)",
        _line(
            "full load, process tree",
            f"{result.full.peak_tree_rss / MB:,.0f} MB",
            f"flow + spaCy workers + Prefect server; "
            f"{result.full.peak_tree_rss_without_prefect / MB:,.0f} MB without the server",
        ),
        _line("full load, flow process alone", f"{result.full.peak_main_rss / MB:,.0f} MB"),
        _line(
            "  peak RSS by stage (MB)",
            ", ".join(
                f"{stage} {peak / MB:,.0f}"
                for stage, peak in full.get("stage_peak_rss", {}).items()
            ),
        ),
        _line("no-new-files rerun, process tree", f"{result.rerun.peak_tree_rss / MB:,.0f} MB"),
        "",
        _line("warehouse: news.duckdb", f"{result.database_bytes / MB:,.1f} MB", "after full load"),
        _line("warehouse: Parquet snapshot", f"{result.parquet_bytes / MB:,.1f} MB"),
    ]
    return "\n".join(lines)


def _refresh_lines(
    result: BenchmarkResult, first_entities: float, scale: float, scaled: str
) -> list[str]:
    """The --full-refresh-check figures: entities stage of the full load and of the refresh,
    their ratio, and whether every data table came out the same."""
    if result.refresh is None:
        return []
    refresh = result.refresh.result
    stages: dict[str, float] = refresh["stage_seconds"]
    entities = stages.get("entities", 0.0)
    first_articles = int(result.full.result["articles_loaded"])
    refresh_articles = int(refresh["articles_loaded"])
    changed = sorted(
        table
        for table in {*result.checksums_before, *result.checksums_after}
        if result.checksums_before.get(table) != result.checksums_after.get(table)
    )
    same = "identical" if not changed else "DIFFERENT: " + ", ".join(changed)
    return [
        "",
        "full refresh of the loaded warehouse (newswire run --full-refresh; spans from ner_spans)",
        _line(
            "entities stage, full load" + scaled,
            f"{first_entities * scale:.2f} s",
            f"{first_articles:,} articles; the model reads every text",
        ),
        _line(
            "entities stage, full refresh" + scaled,
            f"{entities * scale:.2f} s",
            f"{refresh_articles:,} articles; resolution only",
        ),
        _line(
            "full load / full refresh (entities)",
            f"{first_entities / entities:.1f}x" if entities > 0 else "-",
            "target >= 10x",
        ),
        _line(
            "full refresh, command wall",
            f"{result.refresh.wall_seconds:.2f} s",
            f"flow body {sum(stages.values()):.2f} s; peak RSS "
            f"{result.refresh.peak_tree_rss / MB:,.0f} MB (process tree)",
        ),
        _line(
            "data tables before / after the refresh",
            f"{len(result.checksums_after)} tables",
            same + " (rows and checksums; run ids and times left out)",
        ),
    ]


def _spread(walls: Sequence[float]) -> str:
    if len(walls) < 2:
        return ""
    return f"; median of {len(walls)} commands, {min(walls):.2f}-{max(walls):.2f} s"


def _rerun_line(label: str, run: ProcessRun, noop: ProcessRun) -> str:
    stages: dict[str, float] = run.result["stage_seconds"]
    body = sum(stages.values())
    before = run.result.get("before_body_seconds", 0.0)
    top = sorted(stages.items(), key=lambda item: -item[1])[:4]
    return "\n".join(
        [
            f"  {label}: {run.result['accounting']['files_new']:,} new articles",
            _line(
                "    command wall",
                f"{run.wall_seconds:.2f} s",
                f"{run.wall_seconds - noop.wall_seconds:+.2f} s on the empty-flow command",
            ),
            _line(
                "    before the flow body",
                f"{before:.2f} s",
                "Python, imports, Prefect's API server and flow run "
                f"(empty flow: {noop.result.get('before_body_seconds', 0.0):.2f} s)",
            ),
            _line(
                "    flow body",
                f"{body:.2f} s",
                ", ".join(f"{name} {seconds:.2f}" for name, seconds in top),
            ),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the benchmark."""
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="folder of story files to benchmark on (copied); default: generate --count stories",
    )
    parser.add_argument(
        "--count",
        type=int,
        default=DEFAULT_COUNT,
        help=f"stories to generate when no --corpus is given (default {DEFAULT_COUNT:,})",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="working folder: input/, warehouse/, logs/, results.json (default: bench-output/)",
    )
    parser.add_argument(
        "--entities",
        choices=("full", "sample"),
        default="full",
        help="'sample': extract entities of one story in --sample-every and scale entity times "
        "up (for 100,000 stories; every other stage still runs on every file)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=DEFAULT_REPEAT,
        help="times the empty-flow command and the no-new-files rerun run, alternating; the "
        f"medians are reported (default {DEFAULT_REPEAT})",
    )
    parser.add_argument(
        "--full-refresh-check",
        action="store_true",
        help="at the end, run 'newswire run --full-refresh' on the loaded warehouse: print its "
        "entities stage beside the full load's (the span cache spares the model) and check that "
        "every data table is unchanged",
    )
    parser.add_argument(
        "--prefect",
        choices=("server", "ephemeral"),
        default="server",
        help="'server' (default): every command uses the local Prefect server, as newswire run "
        "does (PREFECT_API_URL if set); 'ephemeral': each command starts Prefect's temporary "
        "server, the cost of a run with no server",
    )
    parser.add_argument(
        "--sample-every",
        type=int,
        default=DEFAULT_SAMPLE_EVERY,
        help=f"with --entities sample: one story in this many (default {DEFAULT_SAMPLE_EVERY})",
    )


def command_bench(arguments: argparse.Namespace) -> int:
    """Run the benchmark and print the table."""
    if arguments.corpus is not None and not arguments.corpus.is_dir():
        print(f"bench: corpus folder does not exist: {arguments.corpus}", file=sys.stderr)
        return 1
    if arguments.repeat < 1:
        print("bench: --repeat must be at least 1", file=sys.stderr)
        return 1
    result = run_benchmark(arguments)
    print(render(result))
    if result.checksums_before != result.checksums_after:
        print("bench: the full refresh changed the data tables", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.benchmark``: the benchmark, or one of its child commands."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["flow-run"]:
        return _child_run(argv[1], argv[2], int(argv[3]), argv[4], argv[5:6] == [FULL_REFRESH])
    if argv[:1] == ["noop"]:
        return _child_noop()
    parser = argparse.ArgumentParser(
        prog="python -m bench.benchmark", description="Benchmark the newswire flow."
    )
    add_arguments(parser)
    return command_bench(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
