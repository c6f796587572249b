"""The scheduled deployment: the flow, its cron schedule and its parameters, served by Prefect.

``newswire serve`` registers the deployment with the Prefect API (a real server when
``PREFECT_API_URL`` is set) and then keeps polling it, starting each scheduled run as a
subprocess. The same deployment is declared in ``prefect.yaml`` for ``prefect deploy`` with a
work pool. The deployment's parameters are the ``newswire run`` options.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.settings import DEFAULT_DASK_WORKERS

DEPLOYMENT_NAME = "scheduled"
DEFAULT_CRON = "0 2 * * *"  # every night at 02:00 UTC
DESCRIPTION = "New story files into the newswire warehouse, on a schedule."


def deployment_parameters(
    input_dir: Path,
    warehouse_dir: Path,
    full_refresh: bool = False,
    wait_seconds: float = 0.0,
    runner: str = "default",
    dask_address: str | None = None,
    dask_workers: int = DEFAULT_DASK_WORKERS,
) -> dict[str, Any]:
    """The flow's parameters for every scheduled run (absolute paths: runs start elsewhere)."""
    return {
        "input_dir": str(input_dir.resolve()),
        "warehouse_dir": str(warehouse_dir.resolve()),
        "full_refresh": full_refresh,
        "wait_seconds": wait_seconds,
        "runner": runner,
        "dask_address": dask_address,
        "dask_workers": dask_workers,
    }


def serve(cron: str, parameters: dict[str, Any], name: str = DEPLOYMENT_NAME) -> None:
    """Register the deployment with its schedule and run its flow runs until interrupted.

    ``limit=1``: a run that outlasts the interval delays the next instead of overlapping it.
    """
    from flows.pipeline import newswire_run

    newswire_run.serve(
        name=name, cron=cron, parameters=parameters, description=DESCRIPTION, limit=1
    )
