"""The batch load beside validation: its memory limit, its fallback, and its errors.

The load runs in a thread while GX validates, on one DuckDB thread within
``Settings.background_load_memory``; a load that needs more runs again after validation.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from prefect import flow
from production_support import database_contents, leftovers, parquet_contents

from flows.pipeline import RunSummary, run_pipeline
from flows.settings import DEFAULT_INPUT as SEEDS
from flows.settings import Settings
from flows.store import warehouse


@flow(name="newswire-test-load", validate_parameters=False)
def run_with(settings: Settings) -> RunSummary:
    return run_pipeline(settings)


def test_a_failed_statement_in_the_load_is_the_error_reported(tmp_path: Path) -> None:
    """Not 'Current transaction is aborted', which the views' clean-up used to raise over it."""
    staged = tmp_path / "articles.parquet"
    pq.write_table(pa.table({"article_id": ["a"]}), staged)
    with (
        pytest.raises(duckdb.CatalogException, match="no_such_table"),
        warehouse.transaction(tmp_path / "news.duckdb") as connection,
        warehouse.parquet_views(connection, {"articles": [staged]}),
    ):
        connection.execute("insert into no_such_table select * from batch_articles")
    with duckdb.connect(str(tmp_path / "news.duckdb"), read_only=True) as connection:
        views = connection.execute("select view_name from duckdb_views() where not internal")
        assert views.fetchall() == []  # the rollback took the view away


@pytest.mark.usefixtures("prefect_server")
@pytest.mark.parametrize("memory", ["64MB", "1MB"])
def test_the_load_beside_validation_equals_a_reference_run(
    memory: str, seed_reference: Path, tmp_path: Path
) -> None:
    """With room the load runs beside validation; with too little it runs after it."""
    settings = Settings(
        input_dir=SEEDS, warehouse_dir=tmp_path / "warehouse", background_load_memory=memory
    ).resolved()

    summary = run_with(settings)

    assert summary.status == "success" and summary.articles_loaded == 8
    # background_seconds holds a load that ran in the background and was kept.
    assert ("load" in summary.background_seconds) is (memory == "64MB")
    reference = database_contents(seed_reference / "news.duckdb")
    assert database_contents(settings.warehouse.database) == reference
    assert parquet_contents(settings.warehouse_dir) == reference
    assert leftovers(settings.warehouse_dir) == []
