"""Story versions: grouping, numbering, and the ``story_changes`` view on a real warehouse.

Every story here is invented. The view tests load files through the real stages (discover,
read, parse, settle, versions, table building, the SQL in ``sql/load``) into a DuckDB file;
one test runs the real Prefect flow twice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import fields
from datetime import date
from pathlib import Path

import duckdb
import pytest
from batches import load_folder
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.batch.versions import (
    VersionKey,
    assign_versions,
    pack_prints,
    paragraph_print,
    paragraph_prints,
    query_related_versions,
    version_key,
    version_keys_from,
    version_keys_table,
    versions_for_keys,
)
from flows.pipeline import newswire_run
from flows.schemas import VERSION_KEYS
from flows.settings import WarehouseLayout
from flows.store import warehouse
from flows.story.parse import ParsedStory, parse_story

HEADLINE = "Alpine Cable Car Operator Halts Line After Cable Fault"
STAFF = (
    "To contact the reporter on this story: Lea Brandt in Zurich at lbrandt@example.net\n\n"
    "For more articles like this, please visit us at bloomberg.com\n\n"
    "©2023 Bloomberg L.P."
)
P1 = (
    "(Bloomberg) -- A Swiss cable car operator halted its busiest line on Monday after "
    "engineers found a frayed hauling cable."
)
P2 = "Seilbahn Arnold AG said 18 passengers were brought down safely by rescue teams."
P2_CORRECTED = "Seilbahn Arnold AG said 81 passengers were brought down safely by rescue teams."
P3 = "The line carries about 4,000 skiers a day in the peak season."
P4 = "The company's shares fell 3.2% in Zurich trading."
P5 = "Arnold said it would replace the cable within two weeks."
MINISTER = (
    "The regional transport minister, Anna Vogl, said inspectors would check every line the "
    "company runs before the Easter holidays."
)

VERSION_1 = f" date 2023-03-06 {HEADLINE}\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P4}\n\n{P5}\n\n{STAFF}"
VERSION_2 = (
    f" date 2023-03-06 {HEADLINE}\n\n{P1}\n\n{P2}\n\n{MINISTER}\n\n{P3}\n\n{P4}\n\n{P5}\n\n"
    "(Updates with minister’s comments in third paragraph.)\n\n" + STAFF
)
VERSION_3 = (
    f" date 2023-03-07 {HEADLINE}\n\n{P1}\n\n{P2_CORRECTED}\n\n{MINISTER}\n\n{P3}\n\n{P4}\n\n"
    f"{P5}\n\n(Corrects number of passengers in second paragraph of story published March 6.)"
    "\n\n" + STAFF
)


def digest(day: int, topic: str) -> str:
    """A daily column with the same headline every day and new text each time."""
    return (
        f" date 2023-03-{day:02d} Five Things to Know in Alpine Markets\n\n"
        f"(Bloomberg) -- Good morning. Today's first item is about {topic} and what it means.\n\n"
        f"Traders will watch {topic} closely, according to strategists in Geneva.\n\n"
        f"Another theme of the day: {topic} again, seen from the ski resorts.\n\n{STAFF}"
    )


def key(story: ParsedStory) -> VersionKey:
    return version_key(story)


def parsed(text: str) -> ParsedStory:
    story = parse_story(text)
    assert isinstance(story, ParsedStory), story
    return story


# --- grouping (pure) -------------------------------------------------------------------------


def plain_key(article_id: str, day: int, headline: str, lede: str, notes: int = 0) -> VersionKey:
    """A key with no paragraph fingerprints, as grouping by headline and lede alone sees it."""
    return VersionKey(article_id, date(2021, 3, day), headline, lede, notes, 5)


def test_same_headline_versions_are_numbered_by_date_then_notes() -> None:
    versions = assign_versions(
        [
            plain_key("c", 2, "port strike ends", "dockers return", notes=1),
            plain_key("a", 1, "port strike ends", "dockers vote"),
            plain_key("b", 1, "port strike ends", "dockers vote again", notes=1),
        ]
    )
    assert {v.story_id for v in versions.values()} == {versions["a"].story_id}
    assert [versions[i].version for i in "abc"] == [1, 2, 3]
    assert [versions[i].is_latest for i in "abc"] == [False, False, True]


def test_same_lede_links_a_changed_headline() -> None:
    versions = assign_versions(
        [
            plain_key("a", 1, "mill shuts", "the mill shut today"),
            plain_key("b", 1, "mill shuts for good", "the mill shut today", 1),
        ]
    )
    assert versions["a"].story_id == versions["b"].story_id


def test_generic_headline_weeks_apart_is_another_story() -> None:
    versions = assign_versions(
        [plain_key("a", 1, "stocks rise", "x"), plain_key("b", 20, "stocks rise", "y")]
    )
    assert versions["a"].story_id != versions["b"].story_id
    assert versions["a"].version == versions["b"].version == 1


def test_boilerplate_lede_does_not_merge_stories() -> None:
    promo = "sign up for our weekly letter"
    versions = assign_versions(
        [
            plain_key("a", 1, "ferry fares rise", promo),
            plain_key("b", 1, "bank cuts rates", promo),
            plain_key("c", 2, "mine reopens", promo),
        ]
    )
    assert len({v.story_id for v in versions.values()}) == 3


def test_ids_do_not_depend_on_input_order() -> None:
    rows = [
        plain_key("a", 1, "h", "l1"),
        plain_key("b", 2, "h", "l2"),
        plain_key("c", 3, "other", "l2"),
    ]
    assert assign_versions(rows) == assign_versions(list(reversed(rows)))


def test_three_versions_are_one_story_numbered_by_date_then_notes() -> None:
    stories = [parsed(VERSION_3), parsed(VERSION_1), parsed(VERSION_2)]
    versions = assign_versions(key(story) for story in stories)
    assert len({v.story_id for v in versions.values()}) == 1
    numbered = {versions[s.article_id].version: s for s in stories}
    assert numbered[1].published_date == date(2023, 3, 6) and not numbered[1].notes
    assert numbered[2].notes[0].note.paragraph_refs == (3,)
    assert numbered[3].published_date == date(2023, 3, 7)
    assert [versions[s.article_id].is_latest for s in (numbered[1], numbered[2], numbered[3])] == [
        False,
        False,
        True,
    ]


def test_recurring_headline_over_new_text_is_not_a_version() -> None:
    monday, tuesday = parsed(digest(6, "snow cover")), parsed(digest(7, "franc strength"))
    versions = assign_versions([key(monday), key(tuesday)])
    assert versions[monday.article_id].story_id != versions[tuesday.article_id].story_id
    assert {v.version for v in versions.values()} == {1}


def test_same_lede_under_a_new_headline_is_a_version() -> None:
    renamed = parsed(VERSION_2.replace(HEADLINE, "Cable Car Line Halted; Minister Orders Checks"))
    versions = assign_versions([key(parsed(VERSION_1)), key(renamed)])
    assert len({v.story_id for v in versions.values()}) == 1


def test_same_story_weeks_later_is_another_story() -> None:
    later = parsed(VERSION_2.replace("2023-03-06", "2023-03-27"))
    versions = assign_versions([key(parsed(VERSION_1)), key(later)])
    assert len({v.story_id for v in versions.values()}) == 2


def test_a_recurring_headline_between_versions_does_not_split_them() -> None:
    first = parsed(digest(6, "snow cover"))
    rerun = parsed(digest(6, "snow cover").replace("Good morning.", "Good morning again."))
    other = parsed(digest(7, "franc strength"))
    versions = assign_versions([key(first), key(other), key(rerun)])
    assert versions[first.article_id].story_id == versions[rerun.article_id].story_id
    assert versions[other.article_id].story_id != versions[first.article_id].story_id


def test_grouping_does_not_depend_on_input_order() -> None:
    keys = [key(parsed(text)) for text in (VERSION_1, VERSION_2, VERSION_3, digest(6, "snow"))]
    assert assign_versions(keys) == assign_versions(reversed(keys))


def test_version_keys_come_back_from_their_arrow_chunks_unchanged() -> None:
    """A chunked run keeps the keys in Arrow between chunks; versioning must get them back."""
    first = [
        key(parsed(VERSION_1)),
        VersionKey("b" * 64, date(2024, 2, 29), "", "", 0, 0, b""),
    ]
    second = [key(parsed(VERSION_2))]
    tables = [version_keys_table(first), version_keys_table([]), version_keys_table(second)]
    assert VERSION_KEYS.names == [field.name for field in fields(VersionKey)]
    assert all(table.schema == VERSION_KEYS for table in tables)
    assert version_keys_from(tables) == first + second
    assert version_keys_from([]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Seilbahn Arnold AG said 18 passengers were brought down.",
        "İstanbul’s ferry — “Ünïcödé” straße, ß and ﬁ ligatures",
        "   spaced   out\ttext  ",
        "x" * 300,
        "",
    ],
)
def test_paragraph_print_has_an_identical_sql_twin(text: str) -> None:
    """``sql/queries/related_versions.sql`` fingerprints loaded paragraphs the same way."""
    with duckdb.connect() as connection:
        warehouse.apply_schema(connection)
        connection.execute(
            "insert into articles (article_id, story_id, version, is_latest, source_file, "
            "content_sha256, published_date, headline, wire, lede, body, paragraph_count, "
            "word_count, ingested_at, run_id, headline_key, lede_key) values ('a', 's', 1, true, "
            "'a.txt', 'x', date '2023-03-06', 'h', 'w', 'l', 'b', 1, 1, now(), 'r', 'h', 'l')"
        )
        connection.execute(
            "insert into paragraphs values ('a', 1, 1, 'story', ?), ('a', null, 2, 'story', ?)",
            [text, "an unnumbered subhead"],
        )
        new = VersionKey("new", date(2023, 3, 7), "h", "", 0, 1)
        related = query_related_versions(connection, [new])
    assert related.versions["a"][0].paragraph_prints == pack_prints([paragraph_print(text)])


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_paragraph_print_is_the_documented_regex_recipe(text: str) -> None:
    """The byte-table implementation equals the recipe the SQL twin spells out."""
    key = re.sub(r"[^A-Za-z0-9]+", " ", text[:160]).strip().lower()[:120]
    expected = hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    assert paragraph_print(text) == expected


# --- grouping a batch against the related loaded stories only ------------------------------

LONG_LEDE = "a lede long enough to identify one story on its own, whatever its headline"
PARAGRAPH_TEXTS = ("Rescue teams reached the cabin.", "Shares fell 3%.", "Snow is forecast.")
random_article = st.tuples(
    st.integers(0, 9),  # day
    st.sampled_from(["", "h1", "h2", "h3"]),  # headline key
    st.sampled_from(["", "l1", "l2", LONG_LEDE]),  # lede key
    st.sets(st.sampled_from(PARAGRAPH_TEXTS), min_size=1),
    st.integers(0, 2),  # update notes
)


def insert_loaded(
    connection: duckdb.DuckDBPyConnection, keys: list[VersionKey], texts: dict[str, set[str]]
) -> None:
    """Loaded articles with the versions a full grouping of them gives (as a past run left)."""
    for article_id, version in assign_versions(keys).items():
        row = next(k for k in keys if k.article_id == article_id)
        connection.execute(
            "insert into articles (article_id, story_id, version, is_latest, source_file, "
            "content_sha256, published_date, headline, wire, lede, body, paragraph_count, "
            "word_count, ingested_at, run_id, headline_key, lede_key) values (?, ?, ?, ?, ?, "
            "'x', ?, 'h', 'w', 'l', 'b', ?, 1, now(), 'r', ?, ?)",
            [
                article_id,
                version.story_id,
                version.version,
                version.is_latest,
                article_id,
                row.published_date,
                row.paragraph_count,
                row.headline_key,
                row.lede_key,
            ],
        )
        for number, text in enumerate(sorted(texts[article_id]), start=1):
            connection.execute(
                "insert into paragraphs values (?, ?, ?, 'story', ?)",
                [article_id, number, number, text],
            )
        for number in range(1, row.note_count + 1):
            connection.execute(
                "insert into update_notes values (?, ?, 'n', [], null, [], null, null, 'end', ?)",
                [article_id, number, number],
            )


@given(st.lists(random_article, min_size=2, max_size=16), st.integers(1, 15))
@settings(max_examples=60, deadline=None)
def test_grouping_with_related_stories_equals_regrouping_everything(
    articles: list[tuple[int, str, str, set[str], int]], split: int
) -> None:
    """A run reads only the loaded stories its new articles relate to; every version it then
    assigns (new articles and changed loaded ones) is what grouping all articles gives."""
    keys, texts = [], {}
    for number, (day, headline, lede, paragraphs, notes) in enumerate(articles):
        article_id = f"{number:04d}"
        prints = paragraph_prints(paragraphs)
        keys.append(
            VersionKey(
                article_id, date(2021, 3, 1 + day), headline, lede, notes, len(paragraphs), prints
            )
        )
        texts[article_id] = paragraphs
    loaded, new = keys[: min(split, len(keys) - 1)], keys[min(split, len(keys) - 1) :]
    with duckdb.connect() as connection:
        warehouse.apply_schema(connection)
        insert_loaded(connection, loaded, texts)
        loaded_versions = query_related_versions(connection, new)
    new_versions, changes = versions_for_keys(new, loaded_versions)
    everything = assign_versions(keys)
    before = assign_versions(loaded)
    assert new_versions == {key.article_id: everything[key.article_id] for key in new}
    after = {**before, **changes, **new_versions}
    assert after == everything


# --- story_changes on a real warehouse -------------------------------------------------------


def load(database: Path, folder: Path, files: dict[str, str]) -> None:
    """Write files and load the new ones through the real stages, without Prefect or GX."""
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    layout = WarehouseLayout(database.parent)
    assert layout.database == database
    load_folder(folder, layout, f"run-{len(list(folder.iterdir()))}")


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


CHANGES = (
    "select version, change, paragraph_no, previous_paragraph_no, named_in_note, "
    "note_ref_confirmed from story_changes order by version, change, paragraph_no"
)


def test_story_changes_lists_added_and_corrected_paragraphs(tmp_path: Path) -> None:
    database = tmp_path / "news.duckdb"
    load(database, tmp_path / "in", {"v1.txt": VERSION_1, "v2.txt": VERSION_2})
    load(database, tmp_path / "in", {"v3.txt": VERSION_3})
    assert query(database, "select count(distinct story_id) from articles") == [(1,)]
    assert query(database, "select version, is_latest from articles order by version") == [
        (1, False),
        (2, False),
        (3, True),
    ]
    assert query(database, CHANGES) == [
        (2, "added", 3, None, True, True),
        (3, "changed", 2, 2, True, True),
    ]
    (row,) = query(
        database, "select text, previous_text, similarity from story_changes where version = 3"
    )
    assert row[:2] == (P2_CORRECTED, P2)
    assert 0.5 < row[2] < 1  # type: ignore[operator]


def test_story_changes_reports_removed_moved_unchanged_and_missing(tmp_path: Path) -> None:
    reordered = (
        f" date 2023-03-06 {HEADLINE}\n\n{P1}\n\n{P2}\n\n{P5}\n\n{P3}\n\n"
        "(Updates with repair timetable in third paragraph, adds detail in ninth paragraph.)"
        f"\n\n{STAFF}"
    )
    database = tmp_path / "news.duckdb"
    load(database, tmp_path / "in", {"v1.txt": VERSION_1, "v2.txt": reordered})
    # P5 moved up (same text: not a change), P4 was dropped, and the note names the moved
    # paragraph (unchanged) and a ninth paragraph the version does not have (missing).
    assert query(database, CHANGES) == [
        (2, "missing", 9, None, True, False),
        (2, "removed", None, 4, False, None),
        (2, "unchanged", 3, 5, True, False),
    ]


def test_incremental_run_renumbers_earlier_versions(tmp_path: Path) -> None:
    """A first version arriving after the second is loaded as version 1 (manifest path)."""
    database = tmp_path / "news.duckdb"
    load(database, tmp_path / "in", {"v2.txt": VERSION_2, "a.txt": digest(6, "snow cover")})
    assert query(database, "select version from articles where source_file = 'v2.txt'") == [(1,)]
    load(database, tmp_path / "in", {"v1.txt": VERSION_1, "b.txt": digest(7, "franc strength")})
    rows = query(database, "select source_file, story_id, version, is_latest from articles")
    by_file = {row[0]: row[1:] for row in rows}
    assert by_file["v1.txt"][1:] == (1, False)
    assert by_file["v2.txt"][1:] == (2, True)
    assert by_file["v1.txt"][0] == by_file["v2.txt"][0]
    assert by_file["a.txt"][0] != by_file["b.txt"][0]  # the recurring column stays apart
    assert query(database, "select count(*) from story_changes where version = 2") == [(1,)]


# --- the real flow ---------------------------------------------------------------------------


@pytest.mark.usefixtures("prefect_server")
def test_flow_loads_three_versions_as_one_story(tmp_path: Path) -> None:
    inputs, warehouse_dir = tmp_path / "input", tmp_path / "warehouse"
    inputs.mkdir()
    (inputs / "cable-a.txt").write_text(VERSION_3.replace("\n", "\r\n"), encoding="utf-8")
    (inputs / "cable-b.txt").write_text(VERSION_1, encoding="utf-8")
    (inputs / "cable-c.txt").write_text(VERSION_2, encoding="utf-8")
    newswire_run(input_dir=str(inputs), warehouse_dir=str(warehouse_dir))

    database = warehouse_dir / "news.duckdb"
    assert query(database, "select source_file, version from articles order by version") == [
        ("cable-b.txt", 1),
        ("cable-c.txt", 2),
        ("cable-a.txt", 3),
    ]
    assert query(database, "select count(distinct story_id) from articles") == [(1,)]
    assert query(database, CHANGES) == [
        (2, "added", 3, None, True, True),
        (3, "changed", 2, 2, True, True),
    ]
