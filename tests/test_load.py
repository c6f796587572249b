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
from batches import load_folder
from prefect import flow
from production_support import database_contents, leftovers, parquet_contents

from flows.pipeline import RunSummary, run_pipeline
from flows.settings import DEFAULT_INPUT as SEEDS
from flows.settings import Settings, WarehouseLayout
from flows.store import warehouse
from flows.story.parse import ParsedStory, parse_story


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


FERRY_STORY = """ date 2031-04-02 Harbor Ferry Line Adds Night Crossings

(Bloomberg) -- Tidewater Ferries will run crossings after midnight from May, the company said.

More Boats

The operator is leasing two vessels from a shipyard in Gdynia for the summer.

Read: Tidewater Ferries Wins Harbor Contract

(Updates with vessel lease in third paragraph)

©2031 Bloomberg L.P.
"""

QUARRY_STORY = """ date 2031-04-03 Quarry Reopens After Flood

The pit closed for nine days while pumps drained the lower benches.

Stone deliveries resume on Monday, the owner said.
"""


def test_the_load_joins_each_body_back_from_its_staged_paragraphs(tmp_path: Path) -> None:
    """Staged articles carry no body: the warehouse's is the parser's, lede without its tag,
    subheads in, notes and links out, however the stories' paragraphs interleave."""
    folder = tmp_path / "input"
    folder.mkdir()
    stories = {"ferry.txt": FERRY_STORY, "quarry.txt": QUARRY_STORY}
    for name, text in stories.items():
        (folder / name).write_text(text, encoding="utf-8")
    layout = WarehouseLayout(tmp_path / "warehouse")
    load_folder(folder, layout, "run-bodies")

    with duckdb.connect(str(layout.database), read_only=True) as connection:
        bodies = dict(connection.execute("select source_file, body from articles").fetchall())
    expected = {}
    for name, text in stories.items():
        story = parse_story(text)
        assert isinstance(story, ParsedStory)
        expected[name] = story.body
    assert bodies == expected
    assert expected["ferry.txt"].startswith("Tidewater Ferries will run")
    assert "More Boats" in expected["ferry.txt"] and "Read:" not in expected["ferry.txt"]
