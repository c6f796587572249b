"""The span cache (``ner_spans``): NER apart from resolution.

The model's raw spans of every distinct text are kept in the warehouse, keyed by the text's
hash and the model's package name and version; resolution is a pass over them. A full refresh
(or a better resolver) re-resolves the archive without running the model on any text it has
read. The model here is real spaCy; the tests only count the texts handed to it
(``EntityExtractor.ner_spans``), and simulate a new model version by the stage's ``model``
parameter.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from prefect import flow
from production_support import database_contents

from flows.orchestration.runners import EntityStage
from flows.pipeline import RunSummary, run_pipeline
from flows.settings import Settings
from flows.store import span_cache
from flows.store.sql import sql_text
from flows.store.warehouse import apply_schema
from flows.story.entities import (
    MODEL_NAME,
    EntityExtractor,
    ModelIdentity,
    RawSpan,
    installed_model,
)
from flows.story.entities.model import TEXT_PREPARATION
from flows.story.parse import ParsedStory, decode, parse_story

ENTITY_TABLES = ("entities", "entity_aliases", "entity_mentions")

FUTURE = (
    "date {date} Harbour Board Approves Tide Gauge Upgrade for Quay Nine\n\n"
    "(Bloomberg) -- The Tarnmouth harbour board approved a new tide gauge for Quay Nine on "
    "Thursday, after a storm surge last winter left the old one under water for a week.\n\n"
    "The gauge will cost about 40,000 pounds and should be working before the autumn gales, "
    "the board's engineer, Orla Penhallow, said.\n"
)


@pytest.fixture
def model_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text handed to the model (real spaCy) while the test runs."""
    seen: list[str] = []
    original = EntityExtractor.ner_spans

    def counting(self: EntityExtractor, texts: Sequence[str]) -> dict[str, tuple[RawSpan, ...]]:
        seen.extend(texts)
        return original(self, texts)

    monkeypatch.setattr(EntityExtractor, "ner_spans", counting)
    return seen


@flow(name="newswire-test-span-cache", validate_parameters=False)
def run_with(settings: Settings, entities: EntityStage | None = None) -> RunSummary:
    return run_pipeline(settings, entities=entities)


def query(warehouse: Path, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def cache_rows(warehouse: Path) -> dict[str, int]:
    """Rows of the span cache per model version."""
    rows = query(warehouse, "select model_version, count(*) from ner_spans group by all")
    return dict(rows)


# --------------------------------------------------------------------------------------------
# The cache itself: keys, rows in and out
# --------------------------------------------------------------------------------------------


def test_the_key_names_the_installed_model_as_spacy_does(entity_extractor: EntityExtractor) -> None:
    """The stage keys the cache without loading spaCy; the loaded model says the same."""
    assert installed_model() == entity_extractor.identity
    assert entity_extractor.identity.name == MODEL_NAME
    # The model's own version, and how newswire prepares the text it reads.
    version = entity_extractor._nlp.meta["version"]
    assert entity_extractor.identity.version == f"{version}+{TEXT_PREPARATION}"


def test_a_text_hash_is_what_duckdb_computes_from_the_text() -> None:
    """docs/warehouse.md: ``left(sha256(text), 32)`` finds a paragraph's row."""
    text = "Zürich’s Börse — “quoted” text."
    with duckdb.connect() as connection:
        ((expected,),) = connection.execute("select left(sha256(?), 32)", [text]).fetchall()
    assert span_cache.text_hash(text) == expected


def load_rows(database: Path, rows: pa.Table) -> None:
    """``rows`` staged and loaded as a run loads them (sql/load/11_ner_spans.sql)."""
    with duckdb.connect(str(database)) as connection:
        apply_schema(connection)
        connection.register("batch_ner_spans", rows)
        connection.execute(sql_text("load/11_ner_spans.sql"))
        connection.unregister("batch_ner_spans")


def test_spans_stored_and_read_back_are_the_models(
    entity_extractor: EntityExtractor, tmp_path: Path
) -> None:
    texts = [
        "Xi Jinping met Joe Biden in San Francisco on Wednesday, and Apple Inc. rose 3%.",
        "Shares of Goldman Sachs Group Inc. fell 2.5% to $380.10 in New York.",
        "it was quiet.",
    ]
    spans = entity_extractor.ner_spans(texts)
    labels = {label for found in spans.values() for _, _, label in found}
    assert {"PERSON", "ORG", "GPE"} <= labels
    assert labels & {"DATE", "PERCENT", "MONEY"}, "raw spans: every label is kept"
    assert spans["it was quiet."] == (), "a text without spans is cached too"
    model = entity_extractor.identity
    keys = {span_cache.text_hash(text): found for text, found in spans.items()}
    database = tmp_path / "news.duckdb"
    rows = span_cache.spans_table(model.name, model.version, keys)
    load_rows(database, pa.concat_tables([rows, rows]))  # two chunks read the same texts
    load_rows(database, rows)  # and a later run, which found them cached: no row twice
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("select count(*) from ner_spans").fetchall() == [(3,)]

    unknown = "0" * 32
    found = span_cache.lookup(database, model.name, model.version, [*keys, unknown])
    assert found == keys
    assert span_cache.lookup(database, model.name, model.version + "-next", list(keys)) == {}
    assert span_cache.lookup(database, "another_model", model.version, list(keys)) == {}
    assert (
        span_cache.lookup(tmp_path / "missing.duckdb", model.name, model.version, [unknown]) == {}
    )


def seed_stories(seed_input: Path) -> list[ParsedStory]:
    texts = [decode(path.read_bytes()) for path in sorted(seed_input.rglob("*.txt"))]
    stories = [parse_story(text) for text in texts if isinstance(text, str)]
    return [story for story in stories if isinstance(story, ParsedStory)]


def test_the_stage_reads_cached_texts_without_the_model(
    seed_input: Path, tmp_path: Path, model_calls: list[str]
) -> None:
    stories = seed_stories(seed_input)
    database = tmp_path / "news.duckdb"
    stage = EntityStage(processes=1, span_cache=database)
    first = stage.run(stories)
    assert first.cached == 0 and first.texts == first.new_spans.num_rows == len(model_calls) > 0
    load_rows(database, first.new_spans)

    model_calls.clear()
    again = stage.run(stories)
    assert model_calls == []
    assert (again.cached, again.new_spans.num_rows) == (first.texts, 0)
    assert again.items == first.items == EntityStage(processes=1).extract(stories)


# --------------------------------------------------------------------------------------------
# Runs: a full refresh, a new model version, a rejected story
# --------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("prefect_server")
def test_a_full_refresh_runs_the_model_on_no_text_it_has_read(
    settings: Settings, model_calls: list[str]
) -> None:
    warehouse = settings.warehouse_dir
    run_with(settings)
    read = set(model_calls)
    assert read and len(read) == len(model_calls)
    assert cache_rows(warehouse) == {installed_model().version: len(read)}
    before = database_contents(warehouse / "news.duckdb")
    exported = (warehouse / "parquet").resolve() / "ner_spans" / "part-0.parquet"
    assert pq.read_table(exported).num_rows == len(read)

    model_calls.clear()
    summary = run_with(replace(settings, full_refresh=True))
    assert model_calls == [], "a full refresh must not run the model on a text it has read"
    assert summary.articles_loaded == 8
    assert database_contents(warehouse / "news.duckdb") == before  # every data table
    # The cache gained nothing: its Parquet file is linked into the new snapshot, not rewritten.
    refreshed = (warehouse / "parquet").resolve() / "ner_spans" / "part-0.parquet"
    assert refreshed != exported and refreshed.stat().st_ino == exported.stat().st_ino


@pytest.mark.usefixtures("prefect_server")
def test_a_new_model_version_reads_every_text_again(
    settings: Settings, model_calls: list[str]
) -> None:
    warehouse = settings.warehouse_dir
    run_with(settings)
    read = sorted(set(model_calls))
    installed = installed_model()
    entities = {
        table: query(warehouse, f"select * from {table} order by all") for table in ENTITY_TABLES
    }

    model_calls.clear()
    newer = ModelIdentity(installed.name, installed.version + ".post1")
    run_with(replace(settings, full_refresh=True), EntityStage(processes=1, model=newer))
    assert sorted(model_calls) == read, "another version finds none of the old one's spans"
    assert cache_rows(warehouse) == {installed.version: len(read), newer.version: len(read)}
    for table in ENTITY_TABLES:  # the same model under another name finds the same entities
        assert query(warehouse, f"select * from {table} order by all") == entities[table]

    model_calls.clear()
    run_with(replace(settings, full_refresh=True))
    assert model_calls == []


@pytest.mark.usefixtures("prefect_server")
def test_cache_rows_of_a_story_rejected_later_are_harmless(
    settings: Settings, tmp_path: Path, model_calls: list[str]
) -> None:
    """A story rejected by a row expectation after NER leaves its texts' spans in the cache:
    true spans of those texts. Nothing else of it loads, and once fixed it loads with the
    entities a warehouse that never saw it finds, without the model reading it again."""
    warehouse = settings.warehouse_dir
    bad = settings.input_dir / "zz_tide-gauge.txt"
    bad.write_text(FUTURE.format(date="2099-03-04"), encoding="utf-8")
    run_with(settings)
    assert query(
        warehouse, "select reason from rejected_files where source_file = ?", bad.name
    ) == [("dq_published_date",)]
    gauge = sorted({text for text in model_calls if "gauge" in text.lower()})
    assert len(gauge) == 3, "the model read the story (headline, two paragraphs) before validation"
    hashes = [span_cache.text_hash(text) for text in gauge]
    cached = query(warehouse, "select text_hash from ner_spans order by all")
    assert set(hashes) <= {key for (key,) in cached}

    # A warehouse that never saw the story has the same entities.
    clean = replace(settings, input_dir=tmp_path / "clean-input", warehouse_dir=tmp_path / "clean")
    shutil.copytree(settings.input_dir, clean.input_dir)
    (clean.input_dir / bad.name).unlink()
    run_with(clean)
    for table in ENTITY_TABLES:
        sql = f"select * from {table} order by all"
        assert query(warehouse, sql) == query(clean.warehouse_dir, sql), table

    # Fixed, the story loads from its cached spans, with the entities the model's own give.
    bad.write_text(FUTURE.format(date="2024-03-04"), encoding="utf-8")
    shutil.copy(bad, clean.input_dir / bad.name)
    model_calls.clear()
    assert run_with(settings).articles_loaded == 1
    assert model_calls == []
    model_calls.clear()
    assert run_with(clean).articles_loaded == 1
    assert sorted(model_calls) == gauge
    for table in ENTITY_TABLES:
        sql = f"select * from {table} order by all"
        assert query(warehouse, sql) == query(clean.warehouse_dir, sql), table
