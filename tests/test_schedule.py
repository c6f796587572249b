"""Schedules: `newswire serve` registers the deployment with its cron; prefect.yaml declares it."""

from __future__ import annotations

import inspect
import time
from pathlib import Path

import pytest
import yaml
from production_support import Launcher

from flows.commands.serve import DEFAULT_CRON, deployment_parameters
from flows.settings import DEFAULT_INPUT as SEEDS
from flows.settings import PROJECT_ROOT

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_serve_registers_the_deployment_with_its_cron_and_the_run_options(
    launcher: Launcher, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client

    warehouse = tmp_path / "warehouse"
    cron = "*/15 6-22 * * 1-5"
    serving = launcher.start(
        [
            "serve",
            "--cron",
            cron,
            "--input",
            str(SEEDS),
            "--warehouse",
            str(warehouse),
            "--name",
            "schedule-test",
            "--wait",
            "30",
        ],
        tmp_path / "serve",
    )
    try:
        deadline = time.monotonic() + 180
        with get_client(sync_client=True) as client:
            while True:
                try:
                    deployment = client.read_deployment_by_name("newswire-run/schedule-test")
                    break
                except Exception:  # not registered yet
                    assert serving.process.is_alive(), serving.errors()
                    assert time.monotonic() < deadline, "serve did not register the deployment"
                    time.sleep(0.5)
    finally:
        serving.kill()

    assert [s.schedule.cron for s in deployment.schedules] == [cron]  # type: ignore[union-attr]
    assert all(s.active for s in deployment.schedules)
    assert deployment.parameters == deployment_parameters(SEEDS, warehouse, wait_seconds=30)
    assert deployment.entrypoint is not None
    assert deployment.entrypoint.endswith("pipeline.py:newswire_run")


def test_prefect_yaml_declares_the_flow_with_a_valid_schedule() -> None:
    from prefect.cli.deploy._models import PrefectYamlModel
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.flows import load_flow_from_entrypoint

    raw = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    config = PrefectYamlModel.model_validate(raw)
    (deployment,) = config.deployments
    assert deployment.entrypoint is not None
    flow = load_flow_from_entrypoint(str(PROJECT_ROOT / deployment.entrypoint))
    assert flow.name == "newswire-run"
    # Every flow parameter is declared, and nothing else: they are the `newswire run` options.
    assert set(deployment.parameters) == set(inspect.signature(flow.fn).parameters)
    (schedule,) = raw["deployments"][0]["schedules"]
    assert schedule["cron"] == DEFAULT_CRON
    CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])  # raises if invalid
