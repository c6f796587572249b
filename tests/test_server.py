"""The local Prefect server newswire starts: schedules that run by default, and a server that
never outlives its welcome (every test stops the servers it started).

These run real ``prefect server start`` processes with their own PREFECT_HOME in a temporary
folder, and real ``newswire`` commands as processes, with no server named beforehand.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.orchestration import server
from flows.settings import DEFAULT_INPUT as SEEDS

NEWSWIRE = str(Path(sys.executable).with_name("newswire"))


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A PREFECT_HOME of its own; whatever server a test started there is stopped after it."""
    folder = tmp_path / "prefect-home"
    folder.mkdir()
    try:
        yield folder
    finally:
        server.stop_server(folder)
        assert server.running_server(folder) is None


def environment(home: Path) -> dict[str, str]:
    """The environment of a user's shell: no Prefect server named, Prefect's home given."""
    names = ("PREFECT_API_URL", "PREFECT_HOME", "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL")
    env = {name: value for name, value in os.environ.items() if name not in names}
    env["PREFECT_HOME"] = str(home)
    return env


def test_a_dead_server_is_replaced_and_a_live_one_reused(home: Path) -> None:
    first = server.ensure_server(home)
    assert server.healthy(first.api_url)
    assert server.ensure_server(home) == first  # reused while it answers

    os.killpg(first.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while server.healthy(first.api_url, timeout=0.5) and time.monotonic() < deadline:
        time.sleep(0.1)

    second = server.ensure_server(home)
    assert second.pid != first.pid and server.healthy(second.api_url)
    assert server.stop_server(home) == second
    assert not server.alive(second.pid)


def test_a_named_server_wins_and_none_is_started(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert server.connect(home) is None
    assert server.read_state(home) is None


def test_server_commands_start_show_and_stop(home: Path) -> None:
    def newswire(*argv: str) -> str:
        done = subprocess.run(
            [NEWSWIRE, "server", *argv],
            env=environment(home),
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "no server running" in newswire("status")
    started = newswire("start")
    assert "Prefect server (pid" in started and "http://127.0.0.1:" in started
    assert newswire("status") == started
    assert "stopped the Prefect server" in newswire("stop")
    assert "no server running" in newswire("status")


@pytest.mark.slow
def test_serve_with_a_one_minute_cron_lands_a_run_with_no_server_started_by_hand(
    home: Path, tmp_path: Path
) -> None:
    """`newswire serve` on a fresh machine starts a real server, and its scheduler runs the
    flow: within two minutes the warehouse holds the seed articles."""
    feed = tmp_path / "feed"
    shutil.copytree(SEEDS, feed)
    warehouse = tmp_path / "warehouse"
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:
        serving = subprocess.Popen(
            [
                NEWSWIRE,
                "serve",
                "--cron",
                "* * * * *",
                "--input",
                str(feed),
                "--warehouse",
                str(warehouse),
                "--name",
                "minutely",
            ],
            env=environment(home),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        runs = wait_for_run(warehouse / "news.duckdb", serving, log, seconds=180)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serving.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            serving.wait(30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serving.pid, signal.SIGKILL)
    assert runs[0][0] == "success"
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from articles").fetchall() == [(8,)]
        (flow_run_id,) = connection.execute("select flow_run_id from pipeline_runs").fetchone() or (
            None,
        )
    assert flow_run_id  # the run was a Prefect flow run of the server's scheduler
    assert server.running_server(home) is not None  # left up for the next command...


def wait_for_run(
    database: Path, serving: subprocess.Popen[bytes], log: Path, seconds: float
) -> list[tuple[object, ...]]:
    """The warehouse's run rows once a run has landed; fails with serve's output if none does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert serving.poll() is None, log.read_text(errors="replace")
        if database.exists():
            try:
                with duckdb.connect(str(database), read_only=True) as connection:
                    rows = connection.execute("select status from pipeline_runs").fetchall()
            except duckdb.Error:
                rows = []  # being swapped in
            if rows:
                return rows
        time.sleep(2)
    raise AssertionError(f"no run landed in {seconds:.0f} s:\n{log.read_text(errors='replace')}")
