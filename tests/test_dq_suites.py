"""Paired fixtures for every suite in ``expectations/``: good batches pass, a broken one fails.

The good batches are what the pipeline's own stages build from seeds/ (a first load, and a later
batch whose story has versions in the warehouse already). Each broken case changes one thing in
a good batch and asserts that exactly the intended expectation fails (plus any listed in
``also`` that the same change may legitimately break). Real GX, no Prefect run; one GX context
for the module.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from batches import Batch, Row, build

from flows import schemas
from flows.quality import suites as validate
from flows.settings import EXPECTATIONS_DIR, PROJECT_ROOT
from flows.story.notes import ACTIONS

SEEDS = PROJECT_ROOT / "seeds"
TODAY = date(2024, 6, 1)
MISSING_ID = "f" * 32
SUITES = validate.load_suites(EXPECTATIONS_DIR)


# --------------------------------------------------------------------------------------------
# Good batches
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runner(suite_runner: validate.SuiteRunner) -> validate.SuiteRunner:
    return suite_runner


@pytest.fixture(scope="module")
def good(seed_batch: Batch) -> Batch:
    """seeds/ loaded into an empty warehouse: 8 articles, 3 rejections, 1 duplicate."""
    return seed_batch


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """The correction of the Lisbon story arriving after its first two versions were loaded."""
    first_input = tmp_path_factory.mktemp("first")
    second_input = tmp_path_factory.mktemp("second")
    shutil.copytree(SEEDS, first_input, dirs_exist_ok=True)
    correction = "012_lisbon-dockworkers-correction.txt"
    shutil.move(first_input / correction, second_input / correction)
    first = build(first_input, tmp_path_factory.mktemp("first-batch"))
    return build(second_input, tmp_path_factory.mktemp("second-batch"), earlier=first)


@pytest.fixture(scope="module")
def medium(good: Batch) -> Batch:
    """The seed articles twice over (16 articles): big enough for the warning-level means."""
    return enlarge(good, 2)


@pytest.fixture(scope="module")
def large(good: Batch) -> Batch:
    """The seed articles seven times over (56 articles): big enough for the error-level means."""
    return enlarge(good, 7)


def enlarge(batch: Batch, times: int) -> Batch:
    """Copies of every article (with its rows in every table) under new ids and file names."""

    def new_id(value: str, copy: int, length: int = 32) -> str:
        return hashlib.sha256(f"{value}/{copy}".encode()).hexdigest()[:length]

    def copies(table: str, keep: Callable[[Row], bool], columns: dict[str, int]) -> list[Row]:
        rows: list[Row] = []
        for copy in range(times):
            for row in batch.rows(table):
                if keep(row):
                    rows.append(
                        {**row, **{c: new_id(str(row[c]), copy, n) for c, n in columns.items()}}
                    )
        return rows

    def table(name: str, rows: list[Row]) -> pa.Table:
        return pa.Table.from_pylist(rows, batch.tables[name].schema)

    def every(row: Row) -> bool:
        return True

    tables = dict(batch.tables)
    key = {"article_id": 32, "content_sha256": 64, "source_file": 24}
    tables["articles"] = table("articles", copies("articles", every, key))
    for name in ("paragraphs", "entity_mentions", "update_notes", "related_links"):
        tables[name] = table(name, copies(name, every, {"article_id": 32}))
    loaded = copies("source_files", lambda r: r["status"] == "loaded", key)
    others = [r for r in batch.rows("source_files") if r["status"] != "loaded"]
    tables["source_files"] = table("source_files", loaded + others)
    counts = {
        **batch.accounting,
        "files_seen": len(loaded) + len(others),
        "files_new": len(loaded),
    }
    return dc_replace(batch, tables=tables, accounting=counts)


def failures(
    runner: validate.SuiteRunner, batch: Batch, only: list[str] | None = None
) -> set[tuple[str, str]]:
    results = batch.validate(runner, TODAY, only or sorted(SUITES))
    return {(r.table_name, r.expectation) for r in results if not r.success}


@pytest.mark.parametrize("name", ["good", "later", "medium", "large"])
def test_good_batches_pass_every_expectation(
    name: str, request: pytest.FixtureRequest, runner: validate.SuiteRunner
) -> None:
    batch: Batch = request.getfixturevalue(name)
    assert failures(runner, batch) == set()


def test_later_batch_checks_versions_across_warehouse_and_batch(later: Batch) -> None:
    """The control for the story suites: the story's loaded versions are in the frame too."""
    versions = later.tables["story_versions"].to_pylist()
    assert [(v["version"], v["is_latest"], v["in_batch"]) for v in versions] == [
        (1, False, False),
        (2, False, False),
        (3, True, True),
    ]
    assert later.tables["version_changes"].num_rows == 1  # version 2 is no longer the latest


# --------------------------------------------------------------------------------------------
# Broken batches: one case per expectation
# --------------------------------------------------------------------------------------------

Edit = Callable[[Batch], Batch]


@dataclass(frozen=True)
class Case:
    """Break ``base`` with ``edit``; expect ``expectation`` of ``frame`` to fail."""

    frame: str
    expectation: str
    edit: Edit
    base: str = "good"
    also: frozenset[str] = field(default_factory=frozenset)

    @property
    def id(self) -> str:
        return f"{self.frame}: {self.expectation}"


def where(**match: Any) -> Callable[[Row], bool]:
    """Select rows whose columns equal the given values."""
    return lambda row: all(row[k] == v for k, v in match.items())


def set_cell(
    table: str, column: str, value: Any, row: int = 0, when: Callable[[Row], bool] | None = None
) -> Edit:
    """Set one cell: the ``row``-th row (of those matching ``when``)."""

    def change(rows: list[Row]) -> None:
        chosen = [r for r in rows if when is None or when(r)]
        chosen[row][column] = value

    return lambda batch: batch.edit(table, change)


def set_all(table: str, column: str, value: Callable[[Row], Any]) -> Edit:
    def change(rows: list[Row]) -> None:
        for r in rows:
            r[column] = value(r)

    return lambda batch: batch.edit(table, change)


def copy_cell(table: str, column: str, source: int = 0, target: int = 1) -> Edit:
    """Give row ``target`` the value row ``source`` has (a duplicate key)."""

    def change(rows: list[Row]) -> None:
        rows[target][column] = rows[source][column]

    return lambda batch: batch.edit(table, change)


def drop_rows(table: str, when: Callable[[Row], bool]) -> Edit:
    return lambda batch: batch.edit(table, lambda rows: [r for r in rows if not when(r)])


def duplicate_row(table: str, row: int = 0) -> Edit:
    return lambda batch: batch.edit(table, lambda rows: [*rows, dict(rows[row])])


def chain(*edits: Edit) -> Edit:
    def apply(batch: Batch) -> Batch:
        for edit in edits:
            batch = edit(batch)
        return batch

    return apply


def first_article(batch: Batch) -> str:
    return str(batch.rows("articles")[0]["article_id"])


def on_first_article(table: str, change: Callable[[list[Row], str], None]) -> Edit:
    """Edit a table's rows knowing the first article's id."""

    def apply(batch: Batch) -> Batch:
        article_id = first_article(batch)

        def edit_rows(rows: list[Row]) -> None:
            change(rows, article_id)

        return batch.edit(table, edit_rows)

    return apply


def keep_mentions(per_article: int) -> Edit:
    """Keep only the first ``per_article`` mentions of every article."""

    def change(rows: list[Row]) -> list[Row]:
        seen: dict[str, int] = {}
        kept = []
        for r in rows:
            seen[r["article_id"]] = seen.get(r["article_id"], 0) + 1
            if seen[r["article_id"]] <= per_article:
                kept.append(r)
        return kept

    return lambda batch: batch.edit("entity_mentions", change)


def drop_mentions_of_share(share: float) -> Edit:
    """Remove every mention of the first ``share`` of the articles."""

    def apply(batch: Batch) -> Batch:
        ids = [r["article_id"] for r in batch.rows("articles")]
        gone = set(ids[: round(len(ids) * share)])
        return drop_rows("entity_mentions", lambda r: r["article_id"] in gone)(batch)

    return apply


def lisbon_versions(change: Callable[[list[Row]], None]) -> Edit:
    """Edit the versions of the story with three versions (the Lisbon dockworkers)."""

    def apply(rows: list[Row]) -> None:
        counts: dict[str, int] = {}
        for r in rows:
            counts[r["story_id"]] = counts.get(r["story_id"], 0) + 1
        story = next(s for s, n in counts.items() if n == 3)
        change(sorted((r for r in rows if r["story_id"] == story), key=lambda r: r["version"]))

    return lambda batch: batch.edit("story_versions", apply)


def set_versions(numbers: tuple[int, ...], latest: tuple[bool, ...]) -> Edit:
    def change(rows: list[Row]) -> None:
        for row, number, is_latest in zip(rows, numbers, latest, strict=True):
            row["version"] = number
            row["is_latest"] = is_latest

    return lisbon_versions(change)


def orphan(table: str, column: str) -> Edit:
    """Point one child row at a parent that is not in the batch."""
    return set_cell(table, column, MISSING_ID if column == "article_id" else "0" * 16)


def with_paragraph_refs(refs: list[int]) -> Edit:
    def change(rows: list[Row]) -> None:
        rows[0]["paragraph_refs"] = refs

    return lambda batch: batch.edit("update_notes", change)


HEADLINE_WARNING = "expect_column_value_lengths_to_be_between(headline) 20..150"
MEDIUM = "where articles >= 10"
LARGE = "where articles >= 50"
SHARE_WARNING = f"expect_column_values_to_be_between(share_without_entity) 0..0.1 {MEDIUM}"
MEAN_WARNING = f"expect_column_values_to_be_between(mean_entities_per_article) 3..45 {MEDIUM}"
HEADLINE_MEAN_WARNING = f"expect_column_values_to_be_between(mean_headline_length) 40..90 {MEDIUM}"
WORDS_WARNING = f"expect_column_values_to_be_between(mean_word_count) 100..1200 {MEDIUM}"


def fk(reference: str) -> str:
    return f'expect_column_values_to_be_null(missing_key) where reference == "{reference}"'


CASES: list[Case] = [
    # articles
    Case("articles", "expect_column_values_to_not_be_null(article_id)",
         set_cell("articles", "article_id", None)),
    Case("articles", "expect_column_values_to_be_unique(article_id)",
         copy_cell("articles", "article_id")),
    Case("articles", "expect_column_values_to_match_regex(article_id)",
         set_cell("articles", "article_id", "ARTICLE-1")),
    Case("articles", "expect_column_values_to_not_be_null(story_id)",
         set_cell("articles", "story_id", None)),
    Case("articles", "expect_column_values_to_be_unique(source_file)",
         copy_cell("articles", "source_file")),
    Case("articles", "expect_column_values_to_be_unique(content_sha256)",
         copy_cell("articles", "content_sha256")),
    Case("articles", "expect_column_values_to_match_regex(content_sha256)",
         set_cell("articles", "content_sha256", "not-a-digest")),
    Case("articles", "expect_column_values_to_not_be_null(published_date)",
         set_cell("articles", "published_date", None)),
    Case("articles",
         "expect_column_values_to_be_between(published_date)"
         " min_published_date..max_published_date",
         set_cell("articles", "published_date", date(2999, 1, 1))),
    Case("articles",
         "expect_column_values_to_be_between(published_date)"
         " min_published_date..max_published_date",
         set_cell("articles", "published_date", date(1975, 5, 5))),
    Case("articles", "expect_column_values_to_be_between(version) 1..",
         set_cell("articles", "version", 0)),
    Case("articles", "expect_column_values_to_be_between(word_count) 1..",
         set_cell("articles", "word_count", 0)),
    Case("articles", "expect_column_values_to_be_between(paragraph_count) 1..",
         set_cell("articles", "paragraph_count", 0)),
    Case("articles", "expect_column_value_lengths_to_be_between(headline) 1..",
         set_cell("articles", "headline", ""), also=frozenset({HEADLINE_WARNING})),
    Case("articles", HEADLINE_WARNING, set_cell("articles", "headline", "Ports Shut")),
    # paragraphs
    Case("paragraphs", "expect_column_values_to_not_be_null(article_id)",
         set_cell("paragraphs", "article_id", None)),
    Case("paragraphs", "expect_column_values_to_be_in_set(kind)",
         set_cell("paragraphs", "kind", "caption", when=where(kind="byline"))),
    Case("paragraphs", "expect_column_values_to_be_between(position) 1..",
         set_cell("paragraphs", "position", 0)),
    Case("paragraphs", "expect_compound_columns_to_be_unique(article_id, position)",
         copy_cell("paragraphs", "position")),
    Case("paragraphs", "expect_column_values_to_be_between(paragraph_no) 1..",
         set_cell("paragraphs", "paragraph_no", 0, when=where(kind="story"))),
    Case("paragraphs", "expect_compound_columns_to_be_unique(article_id, paragraph_no)",
         copy_cell("paragraphs", "paragraph_no")),
    Case("paragraphs", "expect_column_values_to_be_null(paragraph_no) where kind != \"story\"",
         set_cell("paragraphs", "paragraph_no", 99, when=where(kind="byline"))),
    Case("paragraphs", "expect_column_values_to_be_between(text_length) 1..",
         set_cell("paragraphs", "text", "")),
    # entities
    Case("entities", "expect_column_values_to_not_be_null(entity_id)",
         set_cell("entities", "entity_id", None)),
    Case("entities", "expect_column_values_to_be_unique(entity_id)",
         copy_cell("entities", "entity_id")),
    Case("entities", "expect_column_values_to_match_regex(entity_id)",
         set_cell("entities", "entity_id", "Xi Jinping")),
    Case("entities", "expect_column_value_lengths_to_be_between(name) 1..",
         set_cell("entities", "name", "")),
    Case("entities", "expect_column_values_to_be_in_set(entity_type)",
         set_cell("entities", "entity_type", "COMPANY")),
    Case("entities", "expect_column_most_common_value_to_be_in_set(entity_type)",
         set_all("entities", "entity_type", lambda r: "OTHER")),
    # entity_mentions
    Case("entity_mentions", "expect_column_values_to_not_be_null(article_id)",
         set_cell("entity_mentions", "article_id", None)),
    Case("entity_mentions", "expect_column_values_to_not_be_null(entity_id)",
         set_cell("entity_mentions", "entity_id", None)),
    Case("entity_mentions", "expect_compound_columns_to_be_unique(article_id, entity_id)",
         duplicate_row("entity_mentions")),
    Case("entity_mentions", "expect_column_values_to_be_between(mention_count) 1..",
         set_cell("entity_mentions", "mention_count", 0)),
    Case("entity_mentions", "expect_column_values_to_be_between(first_paragraph_no) 1..",
         set_cell("entity_mentions", "first_paragraph_no", 0)),
    # update_notes and the frames of their lists
    Case("update_notes", "expect_column_values_to_not_be_null(article_id)",
         set_cell("update_notes", "article_id", None)),
    Case("update_notes", "expect_column_values_to_be_between(note_no) 1..",
         set_cell("update_notes", "note_no", 0)),
    Case("update_notes", "expect_compound_columns_to_be_unique(article_id, note_no)",
         duplicate_row("update_notes")),
    Case("update_notes", "expect_column_value_lengths_to_be_between(text) 1..",
         set_cell("update_notes", "text", "")),
    Case("update_notes", "expect_column_values_to_be_in_set(placement)",
         set_cell("update_notes", "placement", "middle")),
    Case("update_notes",
         "expect_column_values_to_be_between(refers_to_date)"
         " min_published_date..max_published_date",
         set_cell("update_notes", "refers_to_date", date(2999, 10, 8))),
    Case("update_note_actions", "expect_column_values_to_be_in_set(action)",
         set_cell("update_notes", "actions", ["overhauls"])),
    Case("update_note_refs", "expect_column_values_to_be_between(paragraph_ref) 1..",
         with_paragraph_refs([0])),
    Case("update_note_refs",
         "expect_column_pair_values_a_to_be_greater_than_b(paragraph_count, paragraph_ref)",
         with_paragraph_refs([99])),
    # related_links
    Case("related_links", "expect_column_values_to_not_be_null(article_id)",
         set_cell("related_links", "article_id", None)),
    Case("related_links", "expect_column_values_to_be_between(link_no) 1..",
         set_cell("related_links", "link_no", 0)),
    Case("related_links", "expect_compound_columns_to_be_unique(article_id, link_no)",
         duplicate_row("related_links")),
    Case("related_links", "expect_column_value_lengths_to_be_between(title) 1..",
         set_cell("related_links", "title", "")),
    # source_files
    Case("source_files", "expect_column_values_to_not_be_null(source_file)",
         set_cell("source_files", "source_file", None)),
    Case("source_files", "expect_column_values_to_be_unique(source_file)",
         copy_cell("source_files", "source_file")),
    Case("source_files", "expect_column_values_to_be_in_set(status)",
         set_cell("source_files", "status", "skipped")),
    Case("source_files", "expect_column_values_to_be_between(size_bytes) 0..",
         set_cell("source_files", "size_bytes", -1)),
    Case("source_files", "expect_column_values_to_match_regex(content_sha256)",
         set_cell("source_files", "content_sha256", "xyz")),
    Case("source_files",
         "expect_column_values_to_not_be_null(article_id) where status != \"rejected\"",
         set_cell("source_files", "article_id", None, when=where(status="duplicate"))),
    Case("source_files",
         "expect_column_values_to_be_null(article_id) where status == \"rejected\"",
         set_cell("source_files", "article_id", MISSING_ID, when=where(status="rejected"))),
    # rejected_files
    Case("rejected_files", "expect_column_values_to_not_be_null(source_file)",
         set_cell("rejected_files", "source_file", None)),
    Case("rejected_files", "expect_column_values_to_be_unique(source_file)",
         copy_cell("rejected_files", "source_file")),
    Case("rejected_files", "expect_column_values_to_be_in_set(reason)",
         set_cell("rejected_files", "reason", "too_old")),
    Case("rejected_files", "expect_column_value_lengths_to_be_between(detail) 1..",
         set_cell("rejected_files", "detail", "")),
    # story_versions and story_checks
    Case("story_versions", "expect_column_values_to_be_unique(article_id)",
         copy_cell("story_versions", "article_id")),
    Case("story_versions", "expect_compound_columns_to_be_unique(story_id, version)",
         set_versions((1, 1, 3), (False, False, True))),
    Case("story_versions", "expect_column_values_to_be_between(version) 1..",
         set_versions((0, 1, 2), (False, False, True)), base="later"),
    Case("story_versions", "expect_column_values_to_not_be_null(version)",
         set_cell("story_versions", "version", None)),
    Case("story_versions", "expect_column_values_to_not_be_null(is_latest)",
         set_cell("story_versions", "is_latest", None)),
    Case("story_checks", "expect_column_values_to_be_between(latest_count) 1..1",
         set_versions((1, 2, 3), (False, True, True)), base="later"),
    Case("story_checks", "expect_column_values_to_be_between(latest_count) 1..1",
         set_versions((1, 2, 3), (False, False, False))),
    Case("story_checks", "expect_column_values_to_be_between(min_version) 1..1",
         set_versions((2, 3, 4), (False, False, True)),
         also=frozenset({"expect_column_pair_values_to_be_equal(max_version, versions)"})),
    Case("story_checks", "expect_column_pair_values_to_be_equal(distinct_versions, versions)",
         set_versions((1, 1, 3), (False, False, True)), base="later"),
    Case("story_checks", "expect_column_pair_values_to_be_equal(max_version, versions)",
         set_versions((1, 2, 4), (False, False, True)), base="later"),
    Case("story_checks", "expect_column_pair_values_to_be_equal(latest_version, max_version)",
         set_versions((1, 2, 3), (False, True, False)), base="later"),
    # article_checks
    Case("article_checks", "expect_column_values_to_be_between(story_paragraphs) 1..",
         on_first_article("paragraphs", lambda rows, a: [
             r.update(kind="boilerplate", paragraph_no=None)
             for r in rows if r["article_id"] == a and r["kind"] == "story"
         ]),
         also=frozenset({"expect_column_values_to_be_between(paragraph_count_gap) 0..0"})),
    Case("article_checks", "expect_column_values_to_be_between(paragraph_count_gap) 0..0",
         set_all("articles", "paragraph_count", lambda r: r["paragraph_count"] + 1)),
    Case("article_checks",
         "expect_column_pair_values_to_be_equal(max_paragraph_no, numbered_paragraphs)",
         on_first_article("paragraphs", lambda rows, a: [
             r.update(paragraph_no=r["paragraph_no"] + 1)
             for r in rows if r["article_id"] == a and r["paragraph_no"] and r["paragraph_no"] > 1
         ])),
    Case("article_checks", "expect_column_pair_values_to_be_equal(max_position, parts)",
         on_first_article("paragraphs", lambda rows, a: [
             r.update(position=r["position"] + 5)
             for r in rows if r["article_id"] == a and r["position"] > 1
         ])),
    Case("article_checks",
         "expect_column_pair_values_a_to_be_greater_than_b"
         "(paragraph_count, max_mention_paragraph)",
         set_cell("entity_mentions", "first_paragraph_no", 99)),
    # entity_aliases
    Case("entity_aliases", "expect_column_values_to_not_be_null(alias)",
         set_cell("entity_aliases", "alias", None)),
    Case("entity_aliases", "expect_column_values_to_not_be_null(entity_id)",
         set_cell("entity_aliases", "entity_id", None)),
    Case("entity_aliases", "expect_column_values_to_be_in_set(resolution)",
         set_cell("entity_aliases", "resolution", "guess")),
    Case("entity_aliases", "expect_column_values_to_not_be_null(alias_entity_id)",
         set_cell("entity_aliases", "alias_entity_id", None)),
    # foreign_keys: every child points at a parent of the batch
    Case("foreign_keys", fk("paragraphs.article_id"), orphan("paragraphs", "article_id")),
    Case("foreign_keys", fk("entity_mentions.article_id"),
         orphan("entity_mentions", "article_id")),
    Case("foreign_keys", fk("entity_mentions.entity_id"), orphan("entity_mentions", "entity_id")),
    Case("foreign_keys", fk("update_notes.article_id"), orphan("update_notes", "article_id")),
    Case("foreign_keys", fk("related_links.article_id"), orphan("related_links", "article_id")),
    # batch_profile: warnings on batches of 10+ articles
    Case("batch_profile", MEAN_WARNING, keep_mentions(1), base="medium"),
    Case("batch_profile", SHARE_WARNING, drop_mentions_of_share(0.25), base="medium"),
    Case("batch_profile", HEADLINE_MEAN_WARNING,
         set_all("articles", "headline", lambda r: "Ports Shut Again"), base="medium"),
    Case("batch_profile", WORDS_WARNING,
         set_all("articles", "word_count", lambda r: 40), base="medium"),
    # batch_profile: errors on batches of 50+ articles (the warnings fire with them)
    Case("batch_profile",
         f"expect_column_values_to_be_between(mean_entities_per_article) 1..40 {LARGE}",
         lambda b: drop_mentions_of_share(0.4)(keep_mentions(1)(b)), base="large",
         also=frozenset({MEAN_WARNING, SHARE_WARNING})),
    Case("batch_profile",
         f"expect_column_values_to_be_between(share_without_entity) 0..0.5 {LARGE}",
         drop_mentions_of_share(0.8), base="large",
         also=frozenset({
             SHARE_WARNING,
             MEAN_WARNING,
             f"expect_column_values_to_be_between(mean_entities_per_article) 1..40 {LARGE}",
         })),
    Case("batch_profile",
         f"expect_column_values_to_be_between(mean_headline_length) 15..120 {LARGE}",
         set_all("articles", "headline", lambda r: "Ports " * 30), base="large",
         also=frozenset({HEADLINE_MEAN_WARNING})),
    Case("batch_profile",
         f"expect_column_values_to_be_between(mean_word_count) 15..5000 {LARGE}",
         set_all("articles", "word_count", lambda r: 12), base="large",
         also=frozenset({WORDS_WARNING})),
    # run_accounting
    Case("run_accounting", "expect_column_values_to_be_between(unaccounted) 0..0",
         lambda b: b.recount(files_skipped=b.accounting["files_skipped"] + 1)),
    Case("run_accounting", "expect_column_pair_values_to_be_equal(files_seen, source_file_rows)",
         drop_rows("source_files", where(status="duplicate"))),
    Case("run_accounting",
         "expect_column_pair_values_to_be_equal(files_rejected, rejected_file_rows)",
         drop_rows("rejected_files", where(reason="empty"))),
    Case("run_accounting", "expect_column_pair_values_to_be_equal(files_new, batch_articles)",
         lambda b: drop_rows("articles", where(article_id=first_article(b)))(b)),
    # ner_spans: the span cache rows of the texts the model read
    Case("ner_spans", "expect_column_values_to_not_be_null(text_hash)",
         set_cell("ner_spans", "text_hash", None)),
    Case("ner_spans", "expect_column_values_to_match_regex(text_hash)",
         set_cell("ner_spans", "text_hash", "Harbour Board Approves Tide Gauge")),
    Case("ner_spans", "expect_column_values_to_not_be_null(model)",
         set_cell("ner_spans", "model", None)),
    Case("ner_spans", "expect_column_values_to_not_be_null(model_version)",
         set_cell("ner_spans", "model_version", None)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_batch_fails_the_intended_expectation(
    case: Case, request: pytest.FixtureRequest, runner: validate.SuiteRunner
) -> None:
    base: Batch = request.getfixturevalue(case.base)
    failed = failures(runner, case.edit(base), only=[case.frame])
    assert (case.frame, case.expectation) in failed
    assert failed <= {(case.frame, case.expectation)} | {(case.frame, e) for e in case.also}


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("good", set()),
        ("medium", {MEAN_WARNING}),
        ("large", {MEAN_WARNING}),
    ],
)  # fmt: skip
def test_batch_means_are_judged_only_on_batches_big_enough(
    base: str, expected: set[str], request: pytest.FixtureRequest, runner: validate.SuiteRunner
) -> None:
    """One entity an article: 8 articles say nothing, 16 or 56 warn; thin is not broken (a
    batch of short briefs), so only a mean under one entity blocks the load."""
    batch: Batch = request.getfixturevalue(base)
    failed = failures(runner, keep_mentions(1)(batch), only=["batch_profile"])
    assert failed == {("batch_profile", e) for e in expected}


def test_details_show_the_bad_values_plainly(good: Batch, runner: validate.SuiteRunner) -> None:
    results = with_paragraph_refs([99])(good).validate(runner, TODAY, ["update_note_refs"])
    (failed,) = [r for r in results if not r.success]
    noted = good.rows("update_notes")[0]["article_id"]
    (count,) = [a["paragraph_count"] for a in good.rows("articles") if a["article_id"] == noted]
    assert failed.details == f'sample: ["({count}, 99)"]'


# --------------------------------------------------------------------------------------------
# The suites themselves
# --------------------------------------------------------------------------------------------


def all_expectations() -> list[tuple[str, dict[str, Any]]]:
    return [(name, e) for name, suite in SUITES.items() for e in suite["expectations"]]


def test_every_expectation_has_a_broken_case() -> None:
    covered = {(case.frame, case.expectation) for case in CASES}
    named = {(name, validate.describe(e)) for name, e in all_expectations()}
    assert named - covered == set()
    assert covered - named == set(), "a case names an expectation no suite has"


def test_every_expectation_says_why_and_how_severe() -> None:
    for name, suite in SUITES.items():
        assert suite["name"] == name
        assert suite["meta"]["notes"]
    for name, expectation in all_expectations():
        meta = expectation["meta"]
        assert meta["severity"] in validate.SEVERITIES, (name, expectation)
        assert len(meta["notes"]) > 20, (name, expectation)


def test_expectation_names_are_unique_within_a_suite() -> None:
    names = [(name, validate.describe(e), e["meta"]["severity"]) for name, e in all_expectations()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("frame", "column", "allowed"),
    [
        ("paragraphs", "kind", schemas.PARAGRAPH_KINDS),
        ("entities", "entity_type", schemas.ENTITY_TYPES),
        ("entity_aliases", "resolution", schemas.ALIAS_RESOLUTIONS),
        ("source_files", "status", schemas.FILE_STATUSES),
        ("update_note_actions", "action", ACTIONS),
        ("update_notes", "placement", ("top", "bottom")),
    ],
)
def test_accepted_values_match_the_code(frame: str, column: str, allowed: tuple[str, ...]) -> None:
    sets = [
        e["kwargs"]["value_set"]
        for e in SUITES[frame]["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column
    ]
    assert sets == [list(allowed)]


def test_rejection_reasons_are_the_codes_and_one_per_row_expectation() -> None:
    """rejected_files.reason takes the parser's and discovery's codes, and the dq_ reason of
    every row-level expectation (the stories it rejects are recorded with it)."""
    (value_set,) = [
        e["kwargs"]["value_set"]
        for e in SUITES["rejected_files"]["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == "reason"
    ]
    assert value_set == {"$PARAMETER": "reject_reasons"}
    reasons = validate.validation_parameters(TODAY)["reject_reasons"]
    assert reasons[: len(schemas.REJECT_REASONS)] == list(schemas.REJECT_REASONS)
    row = [e for s in SUITES.values() for e in s["expectations"] if e["meta"].get("scope") == "row"]
    assert row and {e["meta"]["reason"] for e in row} == set(reasons[len(schemas.REJECT_REASONS) :])
    assert all(e["meta"]["reason"].startswith("dq_") for e in row)


def test_unknown_severity_is_refused(tmp_path: Path) -> None:
    (tmp_path / "articles.json").write_text(
        '{"name": "articles", "expectations": [{"type": "expect_column_to_exist",'
        ' "kwargs": {"column": "article_id"}, "meta": {"severity": "eror"}}]}',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown severity 'eror'"):
        validate.load_suites(tmp_path)


def test_empty_batch_passes_without_evaluating(runner: validate.SuiteRunner) -> None:
    """Only the run's accounting has a row when nothing was read; every suite passes."""
    results = runner.validate({}, {}, validate.validation_parameters(TODAY))
    assert all(r.success for r in results)
    assert {r.table_name for r in results if r.details != validate.NO_ROWS} == {"run_accounting"}


def test_validation_copies_no_story_text(runner: validate.SuiteRunner) -> None:
    """The validation database holds the columns the suites and derived frames read: ids,
    numbers and headlines, not the article bodies that repeat the paragraphs."""
    assert "body" not in runner.table_columns["articles"]
    assert "headline" in runner.table_columns["articles"]
