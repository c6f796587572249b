"""Helpers for the production tests: warehouse contents, Parquet checks, runs in subprocesses."""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import multiprocessing.process
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from flows import faults
from flows.schemas import BATCH_TABLES

DATA_TABLES = list(BATCH_TABLES)
# Columns that say when or by which run a row was written (or when an input file was last
# touched): they differ between loads that are otherwise equal.
VOLATILE_COLUMNS = {
    "run_id",
    "ingested_at",
    "rejected_at",
    "first_seen_run",
    "last_seen_run",
    "mtime_ns",
}
PARTITION_COLUMN = "published_month"

Contents = dict[str, list[tuple[object, ...]]]


def _rows(connection: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> list:
    kept = [c for c in columns if c not in VOLATILE_COLUMNS and c != PARTITION_COLUMN]
    select = ", ".join(f'"{c}"' for c in kept)
    return connection.execute(f"select {select} from {relation} order by all").fetchall()


def database_contents(database: Path) -> Contents:
    """Every data table's rows (without run ids and timestamps), sorted."""
    with duckdb.connect(str(database), read_only=True) as connection:
        out = {}
        for table in DATA_TABLES:
            columns = [
                d[0] for d in connection.execute(f"select * from {table} limit 0").description
            ]
            out[table] = _rows(connection, table, columns)
        return out


def parquet_files(warehouse: Path) -> list[Path]:
    """Every file under the published Parquet store, checked to be whole and readable."""
    link = warehouse / "parquet"
    assert link.is_symlink(), "the Parquet store must be a snapshot link"
    root = link.resolve()
    files = sorted(path for path in root.rglob("*") if path.is_file())
    for path in files:
        hidden = [part for part in path.relative_to(root).parts if part.startswith(".")]
        assert not hidden and not path.name.endswith(".tmp"), f"unfinished file published: {path}"
        if path.suffix == ".parquet":
            pq.read_table(path)  # raises on a truncated or half-written file
    return files


def parquet_contents(warehouse: Path) -> Contents:
    """The published Parquet store read back, normalised like ``database_contents``."""
    parquet_files(warehouse)
    root = (warehouse / "parquet").resolve()
    with duckdb.connect() as connection:
        out = {}
        for table in DATA_TABLES:
            pattern = str(root / table / "**" / "*.parquet")
            relation = f"read_parquet('{pattern}', hive_partitioning = true)"
            columns = [
                d[0] for d in connection.execute(f"select * from {relation} limit 0").description
            ]
            out[table] = _rows(connection, relation, columns)
        return out


def file_digest(path: Path) -> str:
    """SHA-256 of a file: 'unchanged' means byte-identical."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(warehouse: Path) -> list[str]:
    """What an unfinished run leaves behind; empty after a finished run."""
    found = [p.name for p in warehouse.glob("news.next.duckdb*")]
    found += [p.name for p in (warehouse / "staging").glob("*")]
    found += [p.name for p in (warehouse / ".parquet-snapshots").glob(".*")]
    found += [p.name for p in warehouse.glob(".parquet.link")]
    return found


@dataclass
class Run:
    """A ``newswire`` command in its own process and process group, with its output in files."""

    process: multiprocessing.process.BaseProcess
    signal_dir: Path
    stdout: Path
    stderr: Path

    def wait_for(self, marker: str, timeout: float = 300.0) -> None:
        """Wait until the run writes ``marker``; fail with its output if it ends first."""
        deadline = time.monotonic() + timeout
        while not (self.signal_dir / marker).exists():
            if not self.process.is_alive():
                self.process.join()
                raise AssertionError(
                    f"run ended (exit {self.process.exitcode}) before {marker}:\n{self.errors()}"
                )
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"run did not reach {marker} in {timeout:.0f}s")
            time.sleep(0.05)

    def release(self, point: str) -> None:
        """Let a run paused at ``point`` carry on."""
        (self.signal_dir / f"{point}.release").touch()

    def kill(self) -> None:
        """SIGKILL the whole process group, as an OOM killer or a power cut would."""
        assert self.process.pid is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.join()

    def finish(self, timeout: float = 300.0) -> int | None:
        """Wait for the command to end and return its exit code."""
        self.process.join(timeout)
        if self.process.is_alive():
            self.kill()
            raise AssertionError(f"run did not finish in {timeout:.0f}s:\n{self.errors()}")
        return self.process.exitcode

    def output(self) -> str:
        """What the command printed on stdout."""
        return self.stdout.read_text(encoding="utf-8") if self.stdout.exists() else ""

    def errors(self) -> str:
        """What the command printed on stderr."""
        return self.stderr.read_text(encoding="utf-8") if self.stderr.exists() else ""


def _command(argv: list[str], env: dict[str, str], stdout: str, stderr: str) -> None:
    """In the forked child: own process group, own output files, then the real command line."""
    os.setsid()
    for descriptor, path in ((1, stdout), (2, stderr)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, descriptor)
        os.close(target)
    os.environ.update(env)
    from flows.commands.cli import main

    sys.exit(main(argv))


class Launcher:
    """Starts ``newswire`` commands as processes forked from a warm forkserver."""

    def __init__(self, api_url: str) -> None:
        self.context = multiprocessing.get_context("forkserver")
        self.api_url = api_url

    def start(self, argv: list[str], signal_dir: Path, **env: str) -> Run:
        """Start ``newswire ARGV`` with the test hooks' environment (see ``flows.faults``)."""
        signal_dir.mkdir(parents=True, exist_ok=True)
        variables = {faults.SIGNAL_ENV: str(signal_dir), **env}
        stdout, stderr = signal_dir / "stdout.txt", signal_dir / "stderr.txt"
        process = self.context.Process(
            target=_command, args=(argv, variables, str(stdout), str(stderr))
        )
        process.start()
        return Run(process, signal_dir, stdout, stderr)

    def run(
        self, input_dir: Path, warehouse: Path, signal_dir: Path, *options: str, **env: str
    ) -> Run:
        """Start ``newswire run --input INPUT --warehouse WAREHOUSE OPTIONS``."""
        argv = ["run", "--input", str(input_dir), "--warehouse", str(warehouse), *options]
        return self.start(argv, signal_dir, **env)


def start_launcher(api_url: str) -> Launcher:
    """Boot the forkserver once, with the test API's address and warm imports."""
    launcher = Launcher(api_url)
    launcher.context.set_forkserver_preload(["forkserver_preload"])
    # The forkserver keeps the environment it starts with, and Prefect reads its settings at
    # import: give it the test server's address (not a server of its own per run).
    names = ("PREFECT_API_URL", "OPENBLAS_NUM_THREADS", "PYTHONPATH")
    saved = {name: os.environ.get(name) for name in names}
    os.environ["PREFECT_API_URL"] = api_url
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # no BLAS threads in a process that forks
    # Python 3.11's forkserver ignores sys.path when it imports the preload: use PYTHONPATH.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(__file__).parent), saved["PYTHONPATH"]) if p
    )
    try:
        warm_up = launcher.context.Process(target=_check_warm)
        warm_up.start()
        warm_up.join()
        assert warm_up.exitcode == 0, "the forkserver did not import forkserver_preload"
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return launcher


def _check_warm() -> None:
    """Started once: boots the forkserver, and fails unless the preload was imported."""
    sys.exit(0 if "forkserver_preload" in sys.modules else 1)
