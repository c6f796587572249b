"""End to end: the real Prefect flow on a copy of seeds/ into a temporary DuckDB warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from flows.pipeline import newswire_run
from flows.schemas import BATCH_TABLES

pytestmark = pytest.mark.usefixtures("prefect_server")

DATA_TABLES = list(BATCH_TABLES)


def query(warehouse: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def counts(warehouse: Path) -> dict[str, int]:
    return {t: query(warehouse, f"select count(*) from {t}")[0][0] for t in DATA_TABLES}  # type: ignore[misc]


def run(input_dir: Path, warehouse: Path, **options: object) -> object:
    return newswire_run(input_dir=str(input_dir), warehouse_dir=str(warehouse), **options)


def test_seed_run_loads_every_path_then_rerun_adds_nothing(
    seed_input: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse"
    run(seed_input, warehouse)

    statuses = dict(query(warehouse, "select status, count(*) from source_files group by all"))
    assert statuses == {"loaded": 8, "duplicate": 1, "rejected": 3}
    reasons = sorted(r[0] for r in query(warehouse, "select reason from rejected_files"))
    assert reasons == ["empty", "no_header", "not_utf8"]
    (duplicate,) = query(
        warehouse, "select source_file, article_id from source_files where status = 'duplicate'"
    )
    original = query(
        warehouse, "select source_file from articles where article_id = ?", duplicate[1]
    )
    assert duplicate[0] == "resend/090_kestrel-bulk-order-resend.txt"
    assert original == [("020_kestrel-bulk-order.txt",)]
    first = query(warehouse, "select * from pipeline_runs")
    assert len(first) == 1
    run_row = first[0]
    assert run_row[10] == str(seed_input)
    assert run_row[4] == "success"
    assert run_row[5:10] == (12, 8, 1, 3, 8)  # seen, new, skipped, rejected, loaded
    assert query(warehouse, "select count(distinct story_id) from articles") == [(6,)]
    assert query(
        warehouse,
        "select version, is_latest from articles where source_file like '01%' order by version",
    ) == [(1, False), (2, False), (3, True)]
    headline = query(
        warehouse,
        "select headline from articles where source_file = '000_8e3982eb7e136d06.txt'",
    )
    assert headline == [("Xi Lands in Kazakhstan for First Foreign Trip in Over Two Years",)]
    assert (warehouse / "parquet" / "articles").is_dir()
    before = counts(warehouse)
    article_ids = query(warehouse, "select article_id, story_id, version from articles order by 1")

    run(seed_input, warehouse)

    assert counts(warehouse) == before
    assert (
        query(warehouse, "select article_id, story_id, version from articles order by 1")
        == article_ids
    )
    runs = query(
        warehouse,
        "select status, files_seen, files_new, files_skipped, files_rejected "
        "from pipeline_runs order by started_at",
    )
    assert runs[1] == ("success", 12, 0, 12, 0)
    for _, seen, new, skipped, rejected in runs:
        assert seen == new + skipped + rejected
    # The rerun read no file, so it validated nothing; the report says so and shows the
    # results of the run that did validate.
    assert query(warehouse, "select count(distinct run_id) from dq_results") == [(1,)]
    report = (warehouse / "reports" / "index.html").read_text(encoding="utf-8")
    assert "validated nothing" in report
    assert f"results of run {first[0][0]}" in report
    parquet_rows = duckdb.sql(
        "select count(*) from read_parquet(?, hive_partitioning = true)",
        params=[str(warehouse / "parquet" / "articles" / "**" / "*.parquet")],
    ).fetchall()
    assert parquet_rows == [(8,)]


def test_new_file_in_later_run_is_loaded_incrementally(seed_input: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    late = seed_input / "late"
    late.mkdir()
    held_back = seed_input / "040_heliax-orders.txt"
    shutil.move(held_back, late / "040_heliax-orders.txt")
    shutil.rmtree(late)  # the first run does not see it
    run(seed_input, warehouse)
    assert query(warehouse, "select count(*) from articles") == [(7,)]
    shutil.copy(Path(__file__).parent.parent / "seeds" / "040_heliax-orders.txt", held_back)
    run(seed_input, warehouse)
    assert query(warehouse, "select count(*) from articles") == [(8,)]
    last = query(
        warehouse,
        "select files_new, files_skipped from pipeline_runs order by started_at desc limit 1",
    )
    assert last == [(1, 11)]


def test_full_refresh_rebuilds_the_same_tables(seed_input: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    stable = {
        "articles": "select article_id, story_id, version, is_latest from articles order by 1",
        "entities": "select * from entities order by entity_id",
        "entity_mentions": "select * from entity_mentions order by article_id, entity_id",
        "update_notes": "select * from update_notes order by article_id, note_no",
    }
    run(seed_input, warehouse)
    before = {name: query(warehouse, sql) for name, sql in stable.items()}
    assert len(before["entities"]) > 20
    run(seed_input, warehouse, full_refresh=True)
    after = {name: query(warehouse, sql) for name, sql in stable.items()}
    assert after == before
    assert counts(warehouse)["source_files"] == 12
    xi = query(
        warehouse,
        "select name, stories from entity_mentions_daily where name = 'Xi Jinping'",
    )
    assert xi == [("Xi Jinping", 1)]


def test_a_file_named_in_another_encoding_is_rejected_and_the_rest_loads(
    seed_input: Path, tmp_path: Path
) -> None:
    """A name that is not UTF-8 cannot be a source_file as it is: recorded escaped, rejected."""
    import os

    warehouse = tmp_path / "warehouse"
    story = (seed_input / "040_heliax-orders.txt").read_bytes()
    (seed_input / os.fsdecode(b"r\xe9sum\xe9.txt")).write_bytes(story)
    run(seed_input, warehouse)
    statuses = dict(query(warehouse, "select status, count(*) from source_files group by all"))
    assert statuses == {"loaded": 8, "duplicate": 1, "rejected": 4}
    (row,) = query(
        warehouse, "select source_file, reason from rejected_files where reason = ?", "bad_name"
    )
    assert row[0] == "r\\xe9sum\\xe9.txt"
    assert query(warehouse, "select files_seen, files_rejected from pipeline_runs") == [(13, 4)]

    run(seed_input, warehouse)  # seen again unchanged: not read, not rejected twice
    last = query(
        warehouse,
        "select files_new, files_skipped, files_rejected from pipeline_runs "
        "order by started_at desc limit 1",
    )
    assert last == [(0, 13, 0)]
    assert query(warehouse, "select count(*) from rejected_files") == [(4,)]


APPLE_1 = (
    " date 2023-04-03 Orchard Makers Cut Cider Prices as Apple Harvest Swells\n\n"
    "(Bloomberg) -- Juniper Orchards Inc. cut its cider prices on Monday, and Tomas Varga, "
    "its chief executive, said Juniper Orchards would buy more fruit from growers in Oregon.\n\n"
    "The company's shares rose 2% in New York.\n"
)
APPLE_2 = (
    " date 2023-04-05 Cider Maker Signs Supply Deal With Valley Growers\n\n"
    "(Bloomberg) -- JUNIPER ORCHARDS signed a supply deal with growers in the Hood River "
    "valley on Wednesday, Tomas Varga said in an interview.\n\n"
    "Juniper Orchards, based in Portland, expects the deal to lower its costs next year.\n"
)


def test_one_entity_one_id_across_stories_and_what_was_merged_is_shown(tmp_path: Path) -> None:
    """'Juniper Orchards Inc.', 'JUNIPER ORCHARDS' and 'Juniper Orchards' in two stories are one
    entity; entity_aliases and the entity_merges view say how each form was resolved."""
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_text(APPLE_1, encoding="utf-8")
    (feed / "b.txt").write_text(APPLE_2, encoding="utf-8")
    warehouse = tmp_path / "warehouse"
    run(feed, warehouse)

    ids = query(
        warehouse,
        "select distinct entity_id from entity_aliases where lower(alias) like 'juniper orchards%'",
    )
    assert len(ids) == 1
    (stories,) = query(
        warehouse,
        "select count(distinct article_id) from entity_mentions where entity_id = ?",
        ids[0][0],
    )
    assert stories == (2,)
    merged = dict(
        query(
            warehouse, "select alias, resolution from entity_merges where entity_id = ?", ids[0][0]
        )
    )
    assert merged and set(merged.values()) <= {"spelling", "alias_list", "short_form"}
    (names,) = query(warehouse, "select count(*) from entity_aliases where resolution = 'name'")
    assert names == query(warehouse, "select count(*) from entities")[0]
