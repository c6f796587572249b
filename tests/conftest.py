"""Shared fixtures: one Prefect test server per session, and throwaway copies of seeds/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from production_support import Launcher, start_launcher

from flows.orchestration.prefect_env import configure_prefect
from flows.settings import PROJECT_ROOT, Settings

configure_prefect()

SEEDS = PROJECT_ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """A real, temporary Prefect API (entering it costs ~18 s, so once per session)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def seed_input(tmp_path: Path) -> Path:
    """A private copy of the bundled sample feed."""
    target = tmp_path / "input"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, seed_input: Path) -> Settings:
    """Settings pointing at temporary input and warehouse folders."""
    return Settings(
        input_dir=seed_input, warehouse_dir=tmp_path / "warehouse", write_report=False
    ).resolved()


@pytest.fixture(scope="session")
def entity_extractor() -> Any:
    """spaCy's small English model, loaded once (about a second)."""
    from flows.story.entities import EntityExtractor

    return EntityExtractor()


@pytest.fixture(scope="session")
def suite_runner() -> Iterator[Any]:
    """One GX context with every suite of ``expectations/`` (GX import and set-up cost seconds)."""
    from flows.quality import suites as validate
    from flows.settings import EXPECTATIONS_DIR

    runner = validate.SuiteRunner(validate.load_suites(EXPECTATIONS_DIR))
    yield runner
    runner.close()


@pytest.fixture(scope="session")
def seed_batch(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The batch a first run stages from seeds/, built by the pipeline's own stages."""
    from batches import build

    return build(SEEDS, tmp_path_factory.mktemp("seed-batch"))


@pytest.fixture(scope="session")
def prefect_api_url(prefect_server: None) -> str:
    """The test server's API address, for runs started in subprocesses (no server of their own)."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url, "the Prefect test harness did not set an API URL"
    return str(url)


@pytest.fixture(scope="session")
def seed_reference(prefect_server: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse loaded from seeds/ by one uninterrupted default run: what others must equal.

    Read it only; copy it to change it.
    """
    from flows.pipeline import newswire_run

    warehouse = tmp_path_factory.mktemp("seed-reference") / "warehouse"
    newswire_run(input_dir=str(SEEDS), warehouse_dir=str(warehouse))
    return warehouse


@pytest.fixture(scope="session")
def launcher(prefect_api_url: str) -> Launcher:
    """Starts ``newswire`` commands as real processes, forked warm (see forkserver_preload)."""
    return start_launcher(prefect_api_url)
