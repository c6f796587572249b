"""A damaged news.duckdb is named as such (never 'transient'), and `newswire restore` rebuilds
it from the newest complete Parquet snapshot, losing nothing that snapshot holds."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from production_support import database_contents

from flows import faults
from flows.commands import cli
from flows.schemas import ALL_TABLES
from flows.settings import DEFAULT_INPUT as SEEDS
from flows.settings import WarehouseLayout
from flows.store.publish import parquet_in_sync

pytestmark = pytest.mark.usefixtures("prefect_server")


def every_table(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, run records included."""
    with duckdb.connect(str(database), read_only=True) as connection:
        # Table names come from the schema module.
        return {
            table: connection.execute(f"select * from {table} order by all").fetchall()
            for table in ALL_TABLES
        }


def truncate_to_half(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def test_a_truncated_warehouse_is_named_damaged_and_restore_brings_every_table_back(
    seed_reference: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(faults.FAIL_ENV, raising=False)
    warehouse = tmp_path / "warehouse"
    shutil.copytree(seed_reference, warehouse, symlinks=True)
    layout = WarehouseLayout(warehouse)
    before = every_table(layout.database)
    truncate_to_half(layout.database)

    code = cli.main(["run", "--input", str(SEEDS), "--warehouse", str(warehouse)])

    _, err = capsys.readouterr()
    assert code == cli.EXIT_FAILED
    (line,) = err.splitlines()  # one line, no traceback
    assert "is damaged (truncated" in line and "newswire restore" in line
    assert "transient" not in line

    assert cli.main(["restore", "--warehouse", str(warehouse)]) == cli.EXIT_OK
    out, _ = capsys.readouterr()
    assert "restored" in out and "articles" in out
    assert every_table(layout.database) == before
    assert parquet_in_sync(layout) is True
    assert list(warehouse.glob("news.damaged-*.duckdb"))  # kept for inspection

    assert cli.main(["run", "--input", str(SEEDS), "--warehouse", str(warehouse)]) == 0
    assert database_contents(layout.database) == database_contents(seed_reference / "news.duckdb")


def test_restore_without_a_snapshot_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["restore", "--warehouse", str(tmp_path)]) == cli.EXIT_FAILED
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("newswire: cannot restore: no complete Parquet snapshot")
