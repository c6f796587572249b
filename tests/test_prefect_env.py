"""The command line sets Prefect's defaults before Prefect reads them (once, at import)."""

from __future__ import annotations

import os
import subprocess
import sys

from flows.orchestration.prefect_env import DEFAULTS
from flows.settings import PROJECT_ROOT

SHOW = (
    "import flows.commands.cli\n"
    "from prefect.settings import PREFECT_HOME, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS\n"
    "print(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value(), PREFECT_HOME.value())\n"
)


def fresh_python(code: str) -> str:
    """What ``code`` prints in a new interpreter whose environment sets none of the defaults."""
    environment = {name: value for name, value in os.environ.items() if name not in DEFAULTS}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout


def test_importing_the_cli_applies_the_prefect_defaults() -> None:
    assert fresh_python(SHOW).split() == [
        DEFAULTS["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"],
        DEFAULTS["PREFECT_HOME"],
    ]


def test_every_run_logs_info_to_prefect_and_only_serve_prints_it() -> None:
    """Manual and served runs send their summary (INFO) to the Prefect API; the console of a
    manual run shows warnings only (the command prints its own summary)."""
    levels = []
    for command in ("serve", "run"):
        code = (
            f"import sys; sys.argv = ['newswire', '{command}']\n"
            "import flows.commands.cli\n"
            "from prefect.settings import PREFECT_LOGGING_LEVEL\n"
            "import os\n"
            "console = os.environ['PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL']\n"
            "print(PREFECT_LOGGING_LEVEL.value(), console)\n"
        )
        levels.append(fresh_python(code).strip())
    assert levels == ["INFO INFO", "INFO WARNING"]
