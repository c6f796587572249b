"""The command line sets Prefect's defaults before Prefect reads them (once, at import)."""

from __future__ import annotations

import os
import subprocess
import sys

from flows.prefect_env import DEFAULTS
from flows.settings import PROJECT_ROOT

SHOW = (
    "import flows.cli\n"
    "from prefect.settings import PREFECT_HOME, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS\n"
    "print(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value(), PREFECT_HOME.value())\n"
)


def test_importing_the_cli_applies_the_prefect_defaults() -> None:
    environment = {name: value for name, value in os.environ.items() if name not in DEFAULTS}
    shown = subprocess.run(
        [sys.executable, "-c", SHOW],
        env=environment,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert shown == [
        DEFAULTS["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"],
        DEFAULTS["PREFECT_HOME"],
    ]
