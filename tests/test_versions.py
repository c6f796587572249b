"""Story versioning: same headline or same lede within days is one story, numbered by date."""

from __future__ import annotations

from datetime import date

from flows.versions import VersionKey, assign_versions


def key(article_id: str, day: int, headline: str, lede: str, notes: int = 0) -> VersionKey:
    return VersionKey(article_id, date(2021, 3, day), headline, lede, notes, 5)


def test_same_headline_versions_are_numbered_by_date_then_notes() -> None:
    versions = assign_versions(
        [
            key("c", 2, "port strike ends", "dockers return", notes=1),
            key("a", 1, "port strike ends", "dockers vote"),
            key("b", 1, "port strike ends", "dockers vote again", notes=1),
        ]
    )
    assert {v.story_id for v in versions.values()} == {versions["a"].story_id}
    assert [versions[i].version for i in "abc"] == [1, 2, 3]
    assert [versions[i].is_latest for i in "abc"] == [False, False, True]


def test_same_lede_links_a_changed_headline() -> None:
    versions = assign_versions(
        [
            key("a", 1, "mill shuts", "the mill shut today"),
            key("b", 1, "mill shuts for good", "the mill shut today", 1),
        ]
    )
    assert versions["a"].story_id == versions["b"].story_id


def test_generic_headline_weeks_apart_is_another_story() -> None:
    versions = assign_versions([key("a", 1, "stocks rise", "x"), key("b", 20, "stocks rise", "y")])
    assert versions["a"].story_id != versions["b"].story_id
    assert versions["a"].version == versions["b"].version == 1


def test_boilerplate_lede_does_not_merge_stories() -> None:
    promo = "sign up for our weekly letter"
    versions = assign_versions(
        [
            key("a", 1, "ferry fares rise", promo),
            key("b", 1, "bank cuts rates", promo),
            key("c", 2, "mine reopens", promo),
        ]
    )
    assert len({v.story_id for v in versions.values()}) == 3


def test_ids_do_not_depend_on_input_order() -> None:
    rows = [key("a", 1, "h", "l1"), key("b", 2, "h", "l2"), key("c", 3, "other", "l2")]
    assert assign_versions(rows) == assign_versions(list(reversed(rows)))
