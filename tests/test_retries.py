"""Transient I/O errors are retried, and every retried task is safe to run twice.

The errors are injected by the test hook ``flows.faults`` at the worst moments: while reading
the input, after the load transaction committed, and after news.duckdb was swapped in.
"""

from __future__ import annotations

import errno
from pathlib import Path

import duckdb
import pytest
from production_support import database_contents, leftovers, parquet_contents

from flows import faults
from flows.commands import cli
from flows.orchestration.retry import is_transient
from flows.settings import DEFAULT_INPUT as SEEDS
from flows.settings import WarehouseLayout
from flows.store.publish import parquet_in_sync

pytestmark = pytest.mark.usefixtures("prefect_server")

RETRIED_POINTS = ("read_hash", "load.committed", "publish.database")


@pytest.fixture(autouse=True)
def fresh_fault_counters() -> None:
    faults._failures.clear()


def test_transient_errors_are_retried_and_the_run_equals_an_uninterrupted_one(
    seed_reference: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(faults.FAIL_ENV, ",".join(f"{point}:1" for point in RETRIED_POINTS))
    warehouse = tmp_path / "warehouse"

    code = cli.main(["run", "--input", str(SEEDS), "--warehouse", str(warehouse), "--progress"])

    out, err = capsys.readouterr()
    assert code == 0, err
    assert {point: faults.failures(point) for point in RETRIED_POINTS} == dict.fromkeys(
        RETRIED_POINTS, 1
    )
    reference = database_contents(seed_reference / "news.duckdb")
    assert database_contents(warehouse / "news.duckdb") == reference  # nothing loaded twice
    assert parquet_contents(warehouse) == reference
    assert leftovers(warehouse) == []
    # Operator comforts: --progress prints one line per stage on stderr, and the summary table.
    for stage in ("discover", "read_hash", "parse", "entities", "validate", "load"):
        assert f"newswire: {stage}" in err
    assert "newswire: parse      12 files, 8 new articles, 3 rejected" in err
    assert "stage" in out and "seconds" in out and "total" in out


def test_a_lasting_io_error_fails_the_run_with_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(faults.FAIL_ENV, "read_hash:99")
    warehouse = tmp_path / "warehouse"

    code = cli.main(["run", "--input", str(SEEDS), "--warehouse", str(warehouse)])

    _, err = capsys.readouterr()
    assert code == cli.EXIT_FAILED
    assert err.splitlines() == [
        "newswire: run failed: read_hash failed: OSError: [Errno 5] injected transient I/O "
        "error at read_hash (transient I/O error; gave up after 3 attempts)"
    ]
    assert faults.failures("read_hash") == 3
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from articles").fetchall() == [(0,)]
        runs = connection.execute("select status, message from pipeline_runs").fetchall()
    assert runs == [("failed", "OSError: [Errno 5] injected transient I/O error at read_hash")]
    assert parquet_in_sync(WarehouseLayout(warehouse)) is True
    assert leftovers(warehouse) == []


def test_only_transient_errors_count_as_transient() -> None:
    assert is_transient(OSError(errno.EIO, "Input/output error"))
    assert is_transient(OSError(errno.ESTALE, "Stale file handle"))
    assert is_transient(TimeoutError())
    assert is_transient(duckdb.IOException("could not read"))
    assert not is_transient(FileNotFoundError(errno.ENOENT, "No such file"))
    assert not is_transient(PermissionError(errno.EACCES, "Permission denied"))
    assert not is_transient(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_transient(ValueError("a bug"))
