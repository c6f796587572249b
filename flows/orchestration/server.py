"""A local Prefect server for newswire: started for the user when none runs, reused after.

Scheduled runs need a real Prefect server: its scheduler creates the runs, and Prefect's
temporary server (what a run starts when no server is named) schedules nothing, so
``newswire serve`` used to wait forever. ``ensure_server`` starts ``prefect server start`` in
the background, with its database in ``PREFECT_HOME`` (the project's ``.prefect/``), records
its address and pid in ``.prefect/newswire-server.json``, and every later command reuses it
while it answers; a dead or hung one is replaced. ``newswire server stop`` stops it. When
``PREFECT_API_URL`` is set, that server is used and none is started.

Nothing here imports Prefect: the server is a separate process, asked only over HTTP.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

STATE_FILE = "newswire-server.json"
LOCK_FILE = "newswire-server.lock"
LOG_FILE = "newswire-server.log"
HOST = "127.0.0.1"
PREFERRED_PORT = 4200
# A fresh database migrates on first start: 8-20 s on two cores, more when the machine is busy.
STARTUP_SECONDS = 120.0
STOP_SECONDS = 15.0
# Settings of the server process: no analytics calls from a machine without internet, and
# its own INFO lines stay in its log file.
SERVER_ENVIRONMENT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "true",
}


class ServerError(RuntimeError):
    """The local Prefect server could not be started or reached."""


@dataclass(frozen=True)
class ServerState:
    """What ``ensure_server`` recorded of the server it started."""

    pid: int
    api_url: str
    started_at: float

    @property
    def ui_url(self) -> str:
        """The Prefect UI, where every run and its logs show."""
        return self.api_url.removesuffix("/api")


def prefect_home() -> Path:
    """Prefect's home folder: the server's database, state file and log live there."""
    from flows.orchestration.prefect_env import DEFAULTS

    return Path(os.environ.get("PREFECT_HOME") or DEFAULTS["PREFECT_HOME"]).expanduser()


def read_state(home: Path) -> ServerState | None:
    """The recorded server, or None when there is none (or the record is unreadable)."""
    try:
        data = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
        return ServerState(int(data["pid"]), str(data["api_url"]), float(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return bool(response.status == 200)
    except (OSError, ValueError):
        return False


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running Prefect server (not another process that got its pid)."""
    import psutil

    try:
        command = " ".join(psutil.Process(pid).cmdline())
    except (psutil.Error, OSError):
        return False
    return "prefect" in command and "server" in command and "start" in command


def running_server(home: Path) -> ServerState | None:
    """The recorded server when it is running and answers."""
    state = read_state(home)
    if state is None or not alive(state.pid) or not healthy(state.api_url):
        return None
    return state


def ensure_server(home: Path, timeout: float = STARTUP_SECONDS) -> ServerState:
    """The running local server, started first when there is none (or only a dead one)."""
    home.mkdir(parents=True, exist_ok=True)
    with _locked(home):  # two commands at once start one server
        state = read_state(home)
        if state is not None and alive(state.pid):
            if healthy(state.api_url):
                return state
            _stop(state)  # hung: it holds the lock file's promise no longer
        return _start(home, timeout)


def stop_server(home: Path) -> ServerState | None:
    """Stop the recorded server; returns what was stopped (None: none was running)."""
    with _locked(home):
        state = read_state(home)
        (home / STATE_FILE).unlink(missing_ok=True)
        if state is None or not alive(state.pid):
            return None
        _stop(state)
        return state


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_FILE, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def _free_port() -> int:
    """The usual Prefect port when it is free, else any free port."""
    for port in (PREFERRED_PORT, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise ServerError("no free port on 127.0.0.1 for the Prefect server")


def _start(home: Path, timeout: float) -> ServerState:
    port = _free_port()
    environment = {**os.environ, **SERVER_ENVIRONMENT, "PREFECT_HOME": str(home)}
    environment.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).with_name("prefect")
    log_path = home / LOG_FILE
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # our own venv's prefect
            [str(prefect), "server", "start", "--host", HOST, "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=environment,
            start_new_session=True,  # outlives this command; stopped by `newswire server stop`
        )
    state = ServerState(process.pid, f"http://{HOST}:{port}/api", time.time())
    deadline = time.monotonic() + timeout
    while not healthy(state.api_url, timeout=1.0):
        if process.poll() is not None:
            raise ServerError(
                f"the Prefect server exited at start ({_last_line(log_path)}); see {log_path}"
            )
        if time.monotonic() > deadline:
            _stop(state)
            raise ServerError(
                f"the Prefect server did not answer in {timeout:.0f} s; see {log_path}"
            )
        time.sleep(0.2)
    (home / STATE_FILE).write_text(json.dumps(asdict(state)), encoding="utf-8")
    return state


def _stop(state: ServerState) -> None:
    """SIGTERM the server's process group, SIGKILL what is left after a while."""
    for signum, wait in ((signal.SIGTERM, STOP_SECONDS), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(state.pid, signum)
        deadline = time.monotonic() + wait
        while alive(state.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not alive(state.pid):
            return


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1][:200] if lines else "no output"


def connect(home: Path | None = None) -> str | None:
    """Point this process's Prefect at a real server before Prefect is imported: the one in
    ``PREFECT_API_URL`` (or the test harness's), else the local one, started when needed.

    Returns the API address newswire started or reused; None when another one was named.
    """
    if os.environ.get("PREFECT_API_URL"):
        return None
    if "prefect" in sys.modules:  # already configured in this process (a test harness)
        from prefect.settings import PREFECT_API_URL

        if PREFECT_API_URL.value():
            return None
    state = ensure_server(home or prefect_home())
    os.environ["PREFECT_API_URL"] = state.api_url
    return state.api_url
