"""The data-quality gate, end to end: real Prefect flow, DuckDB, Parquet and GX.

A batch that fails an error-level batch expectation must not reach the analysts' tables: every data
table (in DuckDB and in the Parquet store) stays exactly as it was, the staged batch moves to
``quarantine/<run_id>/``, the run is recorded as ``failed_validation`` with every expectation
result, the report and Data Docs show it, and the command line exits 2 with one line naming the
table and the expectation.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from flows.commands import cli
from flows.pipeline import DataQualityError, newswire_run
from flows.quality.suites import load_suites
from flows.schemas import ALL_TABLES, BATCH_TABLES
from flows.settings import EXPECTATIONS_DIR

pytestmark = pytest.mark.usefixtures("prefect_server")

# Run history, where a failed gate adds its own rows (entity_id_merges has no run_id: unchanged).
RUN_TABLES = sorted(
    t for t in set(ALL_TABLES) - set(BATCH_TABLES) if "run_id" in ALL_TABLES[t].names
)
# A batch-level expectation (the entities suite), made strict enough for these stories to fail:
# row-level failures reject only the stories that break them (tests/test_row_rejects.py).
EXPECTATION = "expect_column_value_lengths_to_be_between(name) 1..5"
BAD_STORIES = {
    "zz_future.txt": " date 2021-01-01 Ferry Timetable Printed a Year Early\n\n"
    "(Bloomberg) -- Ferries of Nordlys Linjer will run late next year, the operator said.\n",
    "zz_past.txt": " date 2021-05-05 Archive Story Mistaken for Today's News\n\n"
    "(Bloomberg) -- A story from the Helmsdale Gazette arrived in today's feed.\n",
}


@pytest.fixture
def strict(tmp_path: Path) -> Path:
    """The project's suites with entity names of at most five characters: a batch failure."""
    folder = tmp_path / "strict-expectations"
    shutil.copytree(EXPECTATIONS_DIR, folder)
    suite = json.loads((folder / "entities.json").read_text(encoding="utf-8"))
    for expectation in suite["expectations"]:
        if expectation["type"] == "expect_column_value_lengths_to_be_between":
            expectation["kwargs"]["max_value"] = 5
    (folder / "entities.json").write_text(json.dumps(suite), encoding="utf-8")
    return folder


def export(warehouse: Path, target: Path, exclude_run: str | None = None) -> dict[str, str]:
    """SHA-256 of each table's rows written as CSV in a total order (DuckDB and Parquet store).

    ``exclude_run`` leaves out the rows a run added to ``pipeline_runs``, ``dq_results`` and
    ``run_stages``: the only rows a failed gate may add.
    """
    target.mkdir(parents=True)
    digests = {}
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
        for table in ALL_TABLES:
            relation = con.table(table)
            if exclude_run is not None and table in RUN_TABLES:
                relation = relation.filter(duckdb.ColumnExpression("run_id") != exclude_run)
            digests[f"duckdb/{table}"] = _digest(relation.order("all"), target / f"{table}.csv")
    with duckdb.connect() as con:
        for table in BATCH_TABLES:
            files = str(warehouse / "parquet" / table / "**" / "*.parquet")
            relation = con.read_parquet(files, hive_partitioning=True).order("all")
            digests[f"parquet/{table}"] = _digest(relation, target / f"parquet-{table}.csv")
    return digests


def _digest(relation: duckdb.DuckDBPyRelation, path: Path) -> str:
    relation.write_csv(str(path), header=True)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(warehouse: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows of a query on the warehouse (connections stay out of the test functions' frames:
    the gate's traceback keeps those frames alive to the end of the session)."""
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def last_run(warehouse: Path) -> tuple[str, str, str | None]:
    (row,) = query(
        warehouse,
        "select run_id, status, message from pipeline_runs order by started_at desc limit 1",
    )
    return row[0], row[1], row[2]


def test_failing_batch_is_quarantined_and_leaves_every_table_as_it_was(
    seed_input: Path, tmp_path: Path, strict: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    newswire_run(input_dir=str(seed_input), warehouse_dir=str(warehouse))
    before = export(warehouse, tmp_path / "before")
    for name, text in BAD_STORIES.items():
        (seed_input / name).write_text(text, encoding="utf-8")

    with pytest.raises(DataQualityError) as raised:
        newswire_run(
            input_dir=str(seed_input), warehouse_dir=str(warehouse), expectations_dir=str(strict)
        )

    run_id, status, message = last_run(warehouse)
    assert status == "failed_validation"
    assert str(raised.value) == message
    assert re.fullmatch(
        rf"data-quality gate failed: entities: {re.escape(EXPECTATION)} \(\d+ unexpected\)",
        message or "",
    )
    # Not one row of any table changed; the run only recorded itself.
    assert export(warehouse, tmp_path / "after", exclude_run=run_id) == before
    # The staged batch, bad stories included, waits in quarantine under the run's id.
    quarantined = warehouse / "quarantine" / run_id
    # One folder per table: a Parquet file per chunk of new files, or one for the whole run.
    staged = {p.parent.name for p in quarantined.glob("*/*.parquet")}
    assert staged == {*BATCH_TABLES, "story_versions", "version_changes", "unchanged_files"}
    headlines = pq.read_table(quarantined / "articles").column("headline").to_pylist()
    assert "Ferry Timetable Printed a Year Early" in headlines
    assert not (warehouse / "staging" / run_id).exists()
    # dq_results keeps every result of the run, passed ones too, with their severity.
    results = query(
        warehouse,
        "select table_name, expectation, success, severity, unexpected_count "
        "from dq_results where run_id = ?",
        run_id,
    )
    expected = sum(len(suite["expectations"]) for suite in load_suites(EXPECTATIONS_DIR).values())
    assert len(results) == expected
    assert any(r[:4] == ("entities", EXPECTATION, False, "error") for r in results)
    assert sum(1 for r in results if r[2]) > expected // 2
    stages = {
        row[0] for row in query(warehouse, "select stage from run_stages where run_id = ?", run_id)
    }
    assert {"parse", "validate", "data_docs", "load"} <= stages
    # The report and the Data Docs were rebuilt for the failed run.
    page = (warehouse / "reports" / "index.html").read_text(encoding="utf-8")
    assert run_id in page and "failed_validation" in page
    assert re.search(r'<table id="dq-failures">.*?lengths_to_be_between\(name\)', page, re.S)
    docs = (warehouse / "reports" / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert run_id in docs
    assert re.search(r"<code>entities</code>.*?blocked the load", docs)

    # With the bad files gone the next run passes and finds nothing new: no trace was left.
    for name in BAD_STORIES:
        (seed_input / name).unlink()
    newswire_run(input_dir=str(seed_input), warehouse_dir=str(warehouse))
    newest = query(
        warehouse,
        "select status, files_seen, files_new, files_rejected from pipeline_runs "
        "order by started_at desc limit 1",
    )
    assert newest == [("success", 12, 0, 0)]


def test_cli_exits_2_with_one_line_naming_table_and_expectation(
    seed_input: Path, tmp_path: Path, strict: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse"
    (seed_input / "zz_future.txt").write_text(BAD_STORIES["zz_future.txt"], encoding="utf-8")

    options = ["--input", str(seed_input), "--warehouse", str(warehouse)]
    code = cli.main(["run", *options, "--expectations", str(strict)])

    captured = capfd.readouterr()  # what reaches the terminal, Prefect's own logging included
    assert code == cli.EXIT_DATA_QUALITY
    (line,) = captured.err.splitlines()
    assert re.fullmatch(
        rf"newswire: data-quality gate failed: entities: {re.escape(EXPECTATION)} "
        r"\(\d+ unexpected\)",
        line,
    )
    assert captured.out == ""
    run_id, status, _ = last_run(warehouse)
    assert status == "failed_validation"
    assert (warehouse / "quarantine" / run_id / "articles" / "00001.parquet").is_file()
    for table in BATCH_TABLES:
        assert query(warehouse, f"select count(*) from {table}") == [(0,)], table
