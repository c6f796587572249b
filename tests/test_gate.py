"""The data-quality gate, end to end: real Prefect flow, DuckDB, Parquet and GX.

A batch that fails an error-level expectation must not reach the analysts' tables: every data
table (in DuckDB and in the Parquet store) stays exactly as it was, the staged batch moves to
``quarantine/<run_id>/``, the run is recorded as ``failed_validation`` with every expectation
result, the report and Data Docs show it, and the command line exits 2 with one line naming the
table and the expectation.
"""

from __future__ import annotations

import hashlib
import re
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

RUN_TABLES = sorted(set(ALL_TABLES) - set(BATCH_TABLES))
EXPECTATION = (
    "expect_column_values_to_be_between(published_date) min_published_date..max_published_date"
)
BAD_STORIES = {
    "zz_future.txt": " date 2999-01-01 Ferry Timetable Printed a Millennium Early\n\n"
    "(Bloomberg) -- Ferries will run late next millennium, the operator said.\n",
    "zz_past.txt": " date 1975-05-05 Archive Story Mistaken for Today's News\n\n"
    "(Bloomberg) -- A 1975 story arrived in today's feed.\n",
}


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
    seed_input: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    newswire_run(input_dir=str(seed_input), warehouse_dir=str(warehouse))
    before = export(warehouse, tmp_path / "before")
    for name, text in BAD_STORIES.items():
        (seed_input / name).write_text(text, encoding="utf-8")

    with pytest.raises(DataQualityError) as raised:
        newswire_run(input_dir=str(seed_input), warehouse_dir=str(warehouse))

    run_id, status, message = last_run(warehouse)
    assert status == "failed_validation"
    assert str(raised.value) == message
    assert message == f"data-quality gate failed: articles: {EXPECTATION} (2 unexpected)"
    # Not one row of any table changed; the run only recorded itself.
    assert export(warehouse, tmp_path / "after", exclude_run=run_id) == before
    # The staged batch, bad stories included, waits in quarantine under the run's id.
    quarantined = warehouse / "quarantine" / run_id
    # One folder per table: a Parquet file per chunk of new files, or one for the whole run.
    staged = {p.parent.name for p in quarantined.glob("*/*.parquet")}
    assert staged == {*BATCH_TABLES, "story_versions", "version_changes", "unchanged_files"}
    headlines = pq.read_table(quarantined / "articles").column("headline").to_pylist()
    assert "Ferry Timetable Printed a Millennium Early" in headlines
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
    assert ("articles", EXPECTATION, False, "error", 2) in results
    assert sum(1 for r in results if r[2]) > expected // 2
    stages = {
        row[0] for row in query(warehouse, "select stage from run_stages where run_id = ?", run_id)
    }
    assert {"parse", "validate", "data_docs", "load"} <= stages
    # The report and the Data Docs were rebuilt for the failed run.
    page = (warehouse / "reports" / "index.html").read_text(encoding="utf-8")
    assert run_id in page and "failed_validation" in page
    assert re.search(r'<table id="dq-failures">.*?published_date', page, re.S)
    docs = (warehouse / "reports" / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert run_id in docs
    assert re.search(r"<code>articles</code>.*?blocked the load", docs)

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
    seed_input: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse"
    (seed_input / "zz_future.txt").write_text(BAD_STORIES["zz_future.txt"], encoding="utf-8")

    code = cli.main(["run", "--input", str(seed_input), "--warehouse", str(warehouse)])

    captured = capfd.readouterr()  # what reaches the terminal, Prefect's own logging included
    assert code == cli.EXIT_DATA_QUALITY
    assert captured.err.splitlines() == [
        f"newswire: data-quality gate failed: articles: {EXPECTATION} (1 unexpected)"
    ]
    assert captured.out == ""
    run_id, status, _ = last_run(warehouse)
    assert status == "failed_validation"
    assert (warehouse / "quarantine" / run_id / "articles" / "00001.parquet").is_file()
    for table in BATCH_TABLES:
        assert query(warehouse, f"select count(*) from {table}") == [(0,)], table
