"""One bad story never stops the feed: a story that breaks an error-level row expectation is
taken out of the batch (with its paragraphs, mentions, notes and links), recorded in
rejected_files with a reason naming the expectation, and the rest loads; fixed, it loads on
the next run. Real Prefect flow, GX, DuckDB and Parquet."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import pytest
from production_support import parquet_contents

from flows.commands import cli

pytestmark = pytest.mark.usefixtures("prefect_server")

FUTURE = (
    " date 2099-03-04 Harbour Board Approves Tide Gauge Upgrade for Quay Nine\n\n"
    "(Bloomberg) -- The Tarnmouth harbour board approved a new tide gauge for Quay Nine on "
    "Thursday, after a storm surge last winter left the old one under water for a week.\n\n"
    "The gauge will cost about 40,000 pounds and should be working before the autumn gales, "
    "the board's engineer, Orla Penhallow, said.\n"
)


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_a_story_dated_2099_is_rejected_alone_and_loads_once_fixed(
    seed_input: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse"
    bad = seed_input / "zz_tide-gauge.txt"
    bad.write_text(FUTURE, encoding="utf-8")
    arguments = ["run", "--input", str(seed_input), "--warehouse", str(warehouse)]

    assert cli.main(arguments) == 0
    out = capsys.readouterr().out
    assert "stories rejected by data-quality checks: dq_published_date 1" in out
    assert query(warehouse, "select count(*) from articles") == [(8,)]
    assert query(
        warehouse,
        "select reason, detail from rejected_files where source_file = 'zz_tide-gauge.txt'",
    ) == [
        (
            "dq_published_date",
            "articles: expect_column_values_to_be_between(published_date) "
            "min_published_date..max_published_date",
        )
    ]
    assert query(
        warehouse,
        "select status, article_id from source_files where source_file = 'zz_tide-gauge.txt'",
    ) == [("rejected", None)]
    assert query(
        warehouse,
        "select status, files_seen, files_new, files_duplicate, files_unchanged, files_rejected, "
        "articles_loaded from pipeline_runs",
    ) == [("success", 13, 8, 1, 0, 4, 8)]
    # Nothing of the rejected story reached any table, in DuckDB or in Parquet.
    for table in ("paragraphs", "entity_mentions", "update_notes", "related_links"):
        assert query(
            warehouse,
            f"select count(*) from {table} where article_id not in "
            "(select article_id from articles)",
        ) == [(0,)], table
    assert "Tide Gauge" not in str(parquet_contents(warehouse)["articles"])
    (result,) = query(
        warehouse,
        "select success, details from dq_results where expectation like '%(published_date) min%'",
    )
    assert result[0] is False and result[1].startswith("rejected 1 story (dq_published_date)")

    # Unchanged, the file stays rejected and is not read again; fixed, it loads.
    assert cli.main(arguments) == 0
    assert query(
        warehouse, "select count(*) from rejected_files where source_file = 'zz_tide-gauge.txt'"
    ) == [(1,)]
    stat = bad.stat()
    bad.write_text(FUTURE.replace("2099-03-04", "2021-03-04"), encoding="utf-8")
    os.utime(bad, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert cli.main(arguments) == 0
    capsys.readouterr()
    assert query(warehouse, "select count(*) from articles") == [(9,)]
    # The manifest keeps the path's history: the rejected content, then the loaded one.
    assert query(
        warehouse,
        "select status from source_files where source_file = 'zz_tide-gauge.txt' order by all",
    ) == [("loaded",), ("rejected",)]
