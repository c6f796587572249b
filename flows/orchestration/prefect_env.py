"""Prefect settings for a machine with no Prefect server: set before Prefect is imported."""

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
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
}


def configure_prefect() -> None:
    """Apply the defaults without overriding what the operator set."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
