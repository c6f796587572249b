"""Prefect settings for newswire's commands: set before Prefect is imported (it reads them once)."""

from __future__ import annotations

import os

from flows.settings import PROJECT_ROOT

DEFAULTS = {
    # Keep Prefect's SQLite database in the project, not the user's home.
    "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
    # The first start of the ephemeral API server migrates its database: ~20 s on 2 cores.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # No analytics calls from a machine that cannot reach the internet.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # Every run's INFO lines (its summary) go to the Prefect API, where the UI shows them;
    # the console shows warnings only, and the command prints its own summary.
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    # Prefect's own services at exit ("Service 'APILogWorker' failed with 0 pending items"):
    # about its bookkeeping, never the data; they print outside the handlers above.
    "PREFECT_INTERNAL_LOGGING_LEVEL": "CRITICAL",
}


def configure_prefect() -> None:
    """Apply the defaults without overriding what the operator set."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
