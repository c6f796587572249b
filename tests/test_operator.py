"""Operator comforts: status, one-off SQL and the read-only shell, on a real warehouse."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.commands import cli
from flows.commands.operator import Shell
from flows.orchestration.progress import Progress
from flows.settings import WarehouseLayout
from flows.store.lock import lock_holder, run_lock


def test_status_shows_runs_tables_lock_and_parquet(
    seed_reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(seed_reference, warehouse, symlinks=True)
    lock = warehouse / ".newswire.lock"

    assert cli.main(["status", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "run        none" in out
    assert "in step with news.duckdb" in out
    assert "last 1 run\n" in out and "success" in out
    assert any(line.split() == ["articles", "8"] for line in out.splitlines())

    with run_lock(lock):
        assert lock_holder(lock) == os.getpid()
        assert cli.main(["status", "--warehouse", str(warehouse)]) == 0
        assert f"run        in progress (pid {os.getpid()})" in capsys.readouterr().out
    assert lock_holder(lock) is None


def test_sql_prints_results_and_refuses_writes(
    seed_reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = str(seed_reference)
    query = "select wire, count(*) as n from articles group by wire order by wire"
    assert cli.main(["sql", query, "--warehouse", warehouse]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wire       n",
        "---------  -",
        "Bloomberg  7",
        "Reuters    1",
        "(2 rows)",
    ]
    assert cli.main(["sql", query, "--warehouse", warehouse, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["wire,n", "Bloomberg,7", "Reuters,1"]

    assert cli.main(["sql", "delete from articles", "--warehouse", warehouse]) == 1
    assert capsys.readouterr().err == (
        "newswire: refused: DELETE statements can change the warehouse; newswire sql only reads\n"
    )
    assert cli.main(["sql", "select 1", "--warehouse", "/nonexistent"]) == 1
    assert "no warehouse at" in capsys.readouterr().err


def lines(*text: str) -> Iterator[str]:
    yield from text


def test_shell_runs_statements_and_reopens_after_a_run_publishes(
    seed_reference: Path, tmp_path: Path
) -> None:
    database = tmp_path / "news.duckdb"
    shutil.copyfile(seed_reference / "news.duckdb", database)
    output = io.StringIO()
    shell = Shell(WarehouseLayout(tmp_path), output)
    script = lines(".tables", "select count(*) as n", "from articles;", ".mode csv")

    def read_line(prompt: str) -> str:
        try:
            return next(script)
        except StopIteration:
            raise EOFError from None

    shell.loop(read_line)
    text = output.getvalue()
    assert "latest_articles" in text and "pipeline_runs" in text
    assert "n\n-\n8\n(1 row)" in text

    # A run publishes: a new file replaces the old one (what os.replace does in a run).
    shell = Shell(WarehouseLayout(tmp_path), output := io.StringIO())
    shell.execute("select count(*) from articles;")
    changed = tmp_path / "news.next.duckdb"
    shutil.copyfile(database, changed)
    with duckdb.connect(str(changed)) as connection:
        connection.execute("delete from articles where wire = 'Reuters'")
    os.replace(changed, database)
    shell.execute("select count(*) as n from articles;")
    shell.execute("insert into articles select * from articles;")
    shell.close()
    text = output.getvalue()
    assert "(a run published a new warehouse: reopened)" in text
    assert text.endswith(
        "error: refused: INSERT statements can change the warehouse; newswire shell only reads\n"
    )
    assert "n\n-\n7" in text


def test_progress_is_silent_unless_asked_and_plain_in_logs() -> None:
    Progress().stage("parse", 10)  # no stream: prints nothing, raises nothing
    log = io.StringIO()
    progress = Progress(log, live=False)
    progress.stage("parse", 3)
    progress.advance(3)
    progress.finish("2 new articles")
    assert log.getvalue().startswith("newswire: parse      3 files, 2 new articles, ")
    assert "\r" not in log.getvalue()


def test_a_reader_that_stops_reading_gets_no_traceback(seed_reference: Path) -> None:
    """`newswire sql ... | head -1`: the pipe closes early; the command exits quietly."""
    import subprocess
    import sys

    newswire = Path(sys.executable).with_name("newswire")
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c",
         f'"{newswire}" sql "select * from paragraphs" --warehouse "{seed_reference}" | head -1'],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout.startswith("article_id")


def test_eval_counts_one_entity_split_under_two_ids(
    seed_reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`newswire eval` finds ids of one type whose names differ only by case, punctuation or a
    legal suffix, and reads without changing the warehouse."""
    warehouse = tmp_path / "warehouse"
    shutil.copytree(seed_reference, warehouse, symlinks=True)
    database = warehouse / "news.duckdb"
    with duckdb.connect(str(database)) as connection:
        (entities,) = connection.execute("select count(*) from entities").fetchone() or (0,)
        # One real entity under a second id, as a resolver bug would leave it.
        connection.execute(
            "insert into entities by name select 'split-test-id' as entity_id, "
            "upper(name) || ', Ltd.' as name, * exclude (entity_id, name) "
            "from entities where entity_type = 'ORG' order by entity_id limit 1"
        )
        (name,) = connection.execute(
            "select name from entities where entity_id = 'split-test-id'"
        ).fetchone() or ("",)
    before = database.read_bytes()

    assert cli.main(["eval", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert f"entities            {entities + 1:,}\n" in out
    assert "merged-names count  2 ids in 1 group:" in out
    listed = [line for line in out.splitlines() if line.startswith("  ORG")]
    assert len(listed) == 1 and name in listed[0]
    assert database.read_bytes() == before  # read-only

    assert cli.main(["eval", "--warehouse", str(tmp_path / "none")]) == 1
    assert "no warehouse at" in capsys.readouterr().err
