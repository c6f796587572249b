"""One entity, one id across the archive: short forms that other stories give in full.

Invented stories through real runs (real spaCy, DuckDB, Parquet, GX, Prefect). A follow-up story
names the governor only by her surname; stories that name her in full arrive in later runs.
Once two of them use the surname for her, the load merges the surname's id into hers
everywhere and keeps the retired id resolvable.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from prefect import flow

from flows.pipeline import RunSummary, run_pipeline
from flows.settings import Settings
from flows.story.entities import entity_id_for

FOLLOW_UP = (
    "date 2024-02-26 Okonkwo Defends Port Levy Before Marrowby Lawmakers\n\n"
    "(Bloomberg) -- Governor Okonkwo defended the cruise-ship levy on Thursday, telling "
    "lawmakers in Marrowby that the port could not wait.\n\n"
    "Brindlemoor Shipping said the levy was fair. Okonkwo, who took office last year, said she "
    "would present the final budget next month.\n"
)
IN_FULL = (
    "date 2024-03-04 Governor Adaeze Okonkwo Unveils Port Budget for Marrowby\n\n"
    "(Bloomberg) -- Governor Adaeze Okonkwo on Tuesday unveiled a budget for the port of "
    "Marrowby, promising new cranes and a deeper channel.\n\n"
    "Okonkwo said the plan would be paid for by a levy on cruise ships. Brindlemoor Shipping "
    "Ltd. said it welcomed the plan.\n"
)
IN_FULL_AGAIN = (
    "date 2024-03-11 Marrowby Port Budget Passes First Vote\n\n"
    "(Bloomberg) -- Lawmakers in Marrowby backed the port budget of Governor Adaeze Okonkwo in "
    "a first vote on Monday.\n\n"
    "Okonkwo said the new cranes would arrive by the summer. Brindlemoor Shipping Ltd. plans to "
    "add two weekly calls.\n"
)
FOLLOW_UP_HEADLINE = "Okonkwo Defends Port Levy Before Marrowby Lawmakers"
SURNAME_ID = entity_id_for("Okonkwo")
FULL_ID = entity_id_for("Adaeze Okonkwo")


@flow(name="newswire-test-entity-merges", validate_parameters=False)
def run_with(settings: Settings) -> RunSummary:
    return run_pipeline(settings)


def query(warehouse: Path, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def mentions_by_headline(warehouse: Path) -> dict[str, set[str]]:
    rows = query(
        warehouse,
        "select a.headline, m.entity_id from entity_mentions m join articles a using (article_id)",
    )
    out: dict[str, set[str]] = {}
    for headline, entity_id in rows:
        out.setdefault(headline, set()).add(entity_id)
    return out


def entity_tables(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(query(warehouse, f"select * from {table}"), key=repr)
        for table in ("entities", "entity_aliases", "entity_mentions", "entity_id_merges")
    }


def feed_settings(tmp_path: Path, feed: Path) -> Settings:
    """Runs over ``feed`` into a warehouse of the test's own."""
    return Settings(
        input_dir=feed, warehouse_dir=tmp_path / "warehouse", write_report=False
    ).resolved()


def run_feed(tmp_path: Path, feed: Path, stories: dict[str, str]) -> Path:
    """Write the stories into the feed, run once, return the warehouse."""
    settings = feed_settings(tmp_path, feed)
    for name, text in stories.items():
        (feed / name).write_text(text, encoding="utf-8")
    run_with(settings)
    return settings.warehouse_dir


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    folder = tmp_path / "feed"
    folder.mkdir()
    return folder


@pytest.mark.usefixtures("prefect_server")
def test_a_later_story_in_full_merges_the_short_form_id_and_keeps_it_resolvable(
    tmp_path: Path, feed: Path
) -> None:
    settings = feed_settings(tmp_path, feed)
    warehouse = settings.warehouse_dir
    (feed / "follow-up.txt").write_text(FOLLOW_UP, encoding="utf-8")
    run_with(settings)
    follow_up = FOLLOW_UP_HEADLINE
    assert SURNAME_ID in mentions_by_headline(warehouse)[follow_up]  # all the archive knows yet

    # One story in full is not enough: the archive must use the short form for her twice.
    (feed / "in-full.txt").write_text(IN_FULL, encoding="utf-8")
    run_with(settings)
    assert SURNAME_ID in mentions_by_headline(warehouse)[follow_up]
    (feed / "in-full-again.txt").write_text(IN_FULL_AGAIN, encoding="utf-8")
    run_with(settings)
    by_headline = mentions_by_headline(warehouse)
    assert FULL_ID in by_headline[follow_up] and SURNAME_ID not in by_headline[follow_up]
    assert FULL_ID in by_headline["Governor Adaeze Okonkwo Unveils Port Budget for Marrowby"]
    # Suffix variants were one id all along; the surname's id is retired, not dangling.
    brindlemoor = entity_id_for("Brindlemoor Shipping Ltd.")
    assert entity_id_for("Brindlemoor Shipping") == brindlemoor
    assert all(brindlemoor in ids for ids in by_headline.values())
    assert query(warehouse, "select count(*) from entities where entity_id = ?", SURNAME_ID) == [
        (0,)
    ]
    assert query(
        warehouse, "select entity_id, name, entity_type from entity_ids where id = ?", SURNAME_ID
    ) == [(FULL_ID, "Adaeze Okonkwo", "PERSON")]
    assert query(
        warehouse,
        "select resolution from entity_merges where entity_id = ? and alias = 'Okonkwo'",
        FULL_ID,
    ) == [("short_form",)]
    # One type per entity, and the moved mentions carry it.
    assert query(
        warehouse, "select distinct entity_type from entity_mentions where entity_id = ?", FULL_ID
    ) == [("PERSON",)]
    # The Parquet store holds the merge too, in the earlier month's partition it rewrote.
    mentions = pq.read_table(
        (warehouse / "parquet").resolve() / "entity_mentions", partitioning="hive"
    ).to_pylist()
    february = {m["entity_id"] for m in mentions if str(m["published_month"]) == "2024-02"}
    assert FULL_ID in february and SURNAME_ID not in february
    merges = pq.read_table((warehouse / "parquet").resolve() / "entity_id_merges").to_pylist()
    assert [(m["merged_id"], m["entity_id"]) for m in merges] == [(SURNAME_ID, FULL_ID)]

    # A full refresh, which reads both stories in one batch, builds the same entity tables.
    before = entity_tables(warehouse)
    run_with(replace(settings, full_refresh=True))
    assert entity_tables(warehouse) == before


@pytest.mark.usefixtures("prefect_server")
def test_a_short_form_two_entities_share_is_not_merged(tmp_path: Path, feed: Path) -> None:
    other = IN_FULL.replace("Adaeze Okonkwo", "Chidi Okonkwo").replace("Governor", "Minister")
    other = other.replace("2024-03-04", "2024-03-05").replace("port of", "harbour of")
    other_again = IN_FULL_AGAIN.replace("Adaeze Okonkwo", "Chidi Okonkwo")
    other_again = other_again.replace("2024-03-11", "2024-03-12").replace("Monday", "Tuesday")
    stories = {"follow-up.txt": FOLLOW_UP, "a.txt": IN_FULL, "a2.txt": IN_FULL_AGAIN}
    stories |= {"b.txt": other, "b2.txt": other_again}
    warehouse = run_feed(tmp_path, feed, stories)
    follow_up = mentions_by_headline(warehouse)[FOLLOW_UP_HEADLINE]
    assert SURNAME_ID in follow_up, "'Okonkwo' names two people in the archive: left alone"
    assert query(warehouse, "select count(*) from entity_id_merges") == [(0,)]
    short_forms = query(
        warehouse,
        "select entity_id from entity_aliases where alias = ? and resolution = 'short_form'",
        "Okonkwo",
    )
    assert sorted(short_forms) == sorted([(FULL_ID,), (entity_id_for("Chidi Okonkwo"),)])


@pytest.mark.usefixtures("prefect_server")
def test_a_short_form_the_archive_uses_mostly_for_one_entity_is_merged(
    tmp_path: Path, feed: Path
) -> None:
    """Three stories use 'Okonkwo' for the governor, one for the minister: the surname-only
    story is about the governor (three times as many stories as all others together)."""
    third = IN_FULL.replace("Unveils Port Budget", "Presents Port Budget")
    third = third.replace("2024-03-04", "2024-03-06").replace("Tuesday", "Wednesday")
    minister = IN_FULL_AGAIN.replace("Governor Adaeze Okonkwo", "Minister Chidi Okonkwo")
    minister = minister.replace("Port Budget Passes", "Harbour Plan Passes")
    minister = minister.replace("2024-03-11", "2024-03-12").replace("Monday", "Tuesday")
    stories = {"follow-up.txt": FOLLOW_UP, "a.txt": IN_FULL, "a2.txt": IN_FULL_AGAIN}
    stories |= {"a3.txt": third, "b.txt": minister}
    warehouse = run_feed(tmp_path, feed, stories)
    short_forms = query(
        warehouse,
        "select entity_id from entity_aliases where alias = ? and resolution = 'short_form'",
        "Okonkwo",
    )
    assert sorted(short_forms) == sorted([(FULL_ID,), (entity_id_for("Chidi Okonkwo"),)])
    follow_up = mentions_by_headline(warehouse)[FOLLOW_UP_HEADLINE]
    assert FULL_ID in follow_up and SURNAME_ID not in follow_up
    assert query(warehouse, "select merged_id, entity_id from entity_id_merges") == [
        (SURNAME_ID, FULL_ID)
    ]


def give_entity_an_earlier_id(warehouse: Path, entity_id: str, earlier_id: str) -> None:
    """Rewrite a loaded warehouse as an earlier resolver would have left it: the entity under
    another id (as before a fixed alias, 'BofA' is Bank of America, was added)."""
    with duckdb.connect(str(warehouse / "news.duckdb")) as connection:
        for table in ("entities", "entity_aliases", "entity_mentions"):
            connection.execute(
                f"update {table} set entity_id = ? where entity_id = ?", [earlier_id, entity_id]
            )


@pytest.mark.usefixtures("prefect_server")
def test_a_full_refresh_that_resolves_a_name_anew_keeps_its_earlier_id_resolvable(
    tmp_path: Path, feed: Path
) -> None:
    """The refresh hands the mentions to today's id; the id they had is retired into it."""
    settings = feed_settings(tmp_path, feed)
    warehouse = run_feed(tmp_path, feed, {"a.txt": IN_FULL, "a2.txt": IN_FULL_AGAIN})
    brindlemoor = entity_id_for("Brindlemoor Shipping Ltd.")
    earlier = "e-earlier-brindlemoor"
    give_entity_an_earlier_id(warehouse, brindlemoor, earlier)

    run_with(replace(settings, full_refresh=True))

    assert query(warehouse, "select count(*) from entities where entity_id = ?", earlier) == [(0,)]
    assert query(
        warehouse, "select merged_id, entity_id, alias, resolution from entity_id_merges"
    ) == [(earlier, brindlemoor, "Brindlemoor Shipping Ltd.", "re_resolved")]
    assert query(warehouse, "select entity_id, name from entity_ids where id = ?", earlier) == [
        (brindlemoor, "Brindlemoor Shipping Ltd.")
    ]
    # Ids the refresh hands out as before are not retired; a second refresh changes nothing.
    before = entity_tables(warehouse)
    run_with(replace(settings, full_refresh=True))
    assert entity_tables(warehouse) == before
