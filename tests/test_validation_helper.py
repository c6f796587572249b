"""Validation in the helper process: the same results as in the flow's own process, Data Docs
from its context, and a helper that died replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from batches import build

from flows.batch.staging import StagedBatch
from flows.quality import helper_process
from flows.quality.suites import validate_batch
from flows.settings import DEFAULT_INPUT, EXPECTATIONS_DIR

TODAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> tuple[StagedBatch, dict[str, int]]:
    folder = tmp_path_factory.mktemp("helper-batch")
    batch = build(DEFAULT_INPUT, folder)
    return StagedBatch(folder), dict(batch.accounting)


def test_the_helper_validates_a_staged_batch_as_this_process_does(
    staged: tuple[StagedBatch, dict[str, int]], tmp_path: Path
) -> None:
    batch, accounting = staged
    here = validate_batch(batch, accounting, EXPECTATIONS_DIR, TODAY).results
    helper_process.warm_up(EXPECTATIONS_DIR)
    there = helper_process.validate(batch, accounting, EXPECTATIONS_DIR, TODAY)
    assert there == here
    assert len(there) > 50 and all(r.success for r in there if r.severity == "error")
    # The Data Docs come from the helper's own GX context, which holds the last validation.
    index = helper_process.data_docs(there, tmp_path / "data_docs", "run-helper")
    assert index.is_file() and "run-helper" in index.read_text(encoding="utf-8")


def test_a_helper_that_died_is_replaced(staged: tuple[StagedBatch, dict[str, int]]) -> None:
    batch, accounting = staged
    helper_process.warm_up(EXPECTATIONS_DIR)
    (pid,) = helper_process._HELPER[0]._processes  # the helper's one process
    os.kill(pid, signal.SIGKILL)
    results = helper_process.validate(batch, accounting, EXPECTATIONS_DIR, TODAY)
    assert results and all(r.success for r in results if r.severity == "error")
    (new_pid,) = helper_process._HELPER[0]._processes
    assert new_pid != pid


def test_a_helper_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    """A flow killed outright leaves no helper behind: the helper was blocked reading its work
    from a pipe that it holds open itself."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, time\n"
        "from flows.quality import helper_process\n"
        "from flows.settings import EXPECTATIONS_DIR\n"
        "if __name__ == '__main__':\n"
        "    helper_process.warm_up(EXPECTATIONS_DIR)\n"
        "    (pid,) = helper_process._HELPER[0]._processes\n"
        "    print(pid, flush=True)\n"
        "    time.sleep(600)\n",
        encoding="utf-8",
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    helper = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(helper)


def _alive(pid: int) -> bool:
    """The process runs (a zombie waiting for its new parent to reap it has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
