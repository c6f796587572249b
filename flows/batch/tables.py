"""Build the batch's Arrow tables from parsed stories, entity mentions and file outcomes.

Pure: records in, ``pyarrow.Table`` out, each built against its schema in ``flows.schemas``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import pyarrow as pa

from flows import schemas
from flows.batch.extract import SourceFile
from flows.batch.versions import Version
from flows.story.entities import EntityMention
from flows.story.parse import ParsedStory, Rejection

LOADED = "loaded"
DUPLICATE = "duplicate"
REJECTED = "rejected"


class FileOutcome(NamedTuple):
    """What became of one input file in this run.

    A named tuple, not a dataclass: a rerun over 100,000 unchanged files makes one each, and a
    tuple is built in half the time.
    """

    source: SourceFile
    status: str  # loaded | duplicate | rejected, as the manifest records it
    # False when the manifest already had this file with the same size and mtime: not read.
    is_new: bool = True
    content_sha256: str | None = None
    article_id: str | None = None
    rejection: Rejection | None = None
    story: ParsedStory | None = None
    first_seen_run: str | None = None


@dataclass(frozen=True)
class BatchContext:
    """Run-wide values stamped on the rows."""

    run_id: str
    ingested_at: datetime


def _table(schema: pa.Schema, columns: dict[str, list[Any]]) -> pa.Table:
    return pa.Table.from_pydict(columns, schema=schema)


def _columns(schema: pa.Schema) -> dict[str, list[Any]]:
    return {name: [] for name in schema.names}


def loaded_stories(outcomes: Iterable[FileOutcome]) -> list[FileOutcome]:
    """The outcomes that become new articles, in input order."""
    return [outcome for outcome in outcomes if outcome.is_new and outcome.story is not None]


def build_articles(
    loaded: Sequence[FileOutcome], versions: dict[str, Version], context: BatchContext
) -> pa.Table:
    """One row per new story version."""
    columns = _columns(schemas.ARTICLES)
    for outcome in loaded:
        story = outcome.story
        assert story is not None
        version = versions[story.article_id]
        paragraphs = story.story_paragraphs
        row = {
            "article_id": story.article_id,
            "story_id": version.story_id,
            "version": version.version,
            "is_latest": version.is_latest,
            "source_file": outcome.source.relative_path,
            "content_sha256": outcome.content_sha256,
            "published_date": story.published_date,
            "headline": story.headline,
            "wire": story.wire,
            "dateline": story.dateline,
            "lede": story.lede,
            "body": story.body,
            "paragraph_count": len(paragraphs),
            "word_count": story.word_count,
            "copyright": story.copyright,
            "ingested_at": context.ingested_at,
            "run_id": context.run_id,
            "headline_key": story.headline_key,
            "lede_key": story.lede_key,
        }
        for name, value in row.items():
            columns[name].append(value)
    return _table(schemas.ARTICLES, columns)


def build_paragraphs(loaded: Sequence[FileOutcome]) -> pa.Table:
    """Every part of every new article, in file order."""
    columns = _columns(schemas.PARAGRAPHS)
    for outcome in loaded:
        story = outcome.story
        assert story is not None
        for part in story.parts:
            columns["article_id"].append(story.article_id)
            columns["paragraph_no"].append(part.paragraph_no)
            columns["position"].append(part.position)
            columns["kind"].append(part.kind)
            columns["text"].append(part.text)
    return _table(schemas.PARAGRAPHS, columns)


def build_update_notes(loaded: Sequence[FileOutcome]) -> pa.Table:
    """One row per editor's note of every new article."""
    columns = _columns(schemas.UPDATE_NOTES)
    for outcome in loaded:
        story = outcome.story
        assert story is not None
        for number, placed in enumerate(story.notes, start=1):
            note = placed.note
            columns["article_id"].append(story.article_id)
            columns["note_no"].append(number)
            columns["text"].append(note.text)
            columns["actions"].append(list(note.actions))
            columns["subject"].append(note.subject)
            columns["paragraph_refs"].append(list(note.paragraph_refs))
            columns["scope"].append(note.scope)
            columns["refers_to_date"].append(note.refers_to_date)
            columns["placement"].append(placed.placement)
            columns["position"].append(placed.position)
    return _table(schemas.UPDATE_NOTES, columns)


def build_related_links(loaded: Sequence[FileOutcome]) -> pa.Table:
    """The 'Read:' lines of every new article."""
    columns = _columns(schemas.RELATED_LINKS)
    for outcome in loaded:
        story = outcome.story
        assert story is not None
        for number, title in enumerate(story.links, start=1):
            columns["article_id"].append(story.article_id)
            columns["link_no"].append(number)
            columns["title"].append(title)
    return _table(schemas.RELATED_LINKS, columns)


def build_entity_tables(
    loaded: Sequence[FileOutcome], mentions: Sequence[Sequence[EntityMention]]
) -> tuple[pa.Table, pa.Table]:
    """The batch's entities (aliases merged) and one mention row per entity per article."""
    mention_columns = _columns(schemas.ENTITY_MENTIONS)
    entities: dict[str, tuple[str, str, set[str]]] = {}
    for outcome, article_mentions in zip(loaded, mentions, strict=True):
        assert outcome.story is not None
        for mention in article_mentions:
            mention_columns["article_id"].append(outcome.story.article_id)
            mention_columns["entity_id"].append(mention.entity_id)
            mention_columns["mention_count"].append(mention.mention_count)
            mention_columns["first_paragraph_no"].append(mention.first_paragraph_no)
            mention_columns["surface_forms"].append(list(mention.surface_forms))
            mention_columns["entity_type"].append(mention.entity_type)
            known = entities.setdefault(
                mention.entity_id, (mention.name, mention.entity_type, set())
            )
            known[2].update(mention.surface_forms)
    entity_columns = _columns(schemas.ENTITIES)
    for entity_id in sorted(entities):
        name, entity_type, aliases = entities[entity_id]
        entity_columns["entity_id"].append(entity_id)
        entity_columns["name"].append(name)
        entity_columns["entity_type"].append(entity_type)
        entity_columns["aliases"].append(sorted(aliases))
    return (
        _table(schemas.ENTITIES, entity_columns),
        _table(schemas.ENTITY_MENTIONS, mention_columns),
    )


def build_source_files(outcomes: Sequence[FileOutcome], context: BatchContext) -> pa.Table:
    """The manifest rows of every file seen in this run (unchanged ones refresh last_seen_run)."""
    columns = _columns(schemas.SOURCE_FILES)
    for outcome in outcomes:
        columns["source_file"].append(outcome.source.relative_path)
        columns["content_sha256"].append(outcome.content_sha256)
        columns["size_bytes"].append(outcome.source.size_bytes)
        columns["status"].append(outcome.status)
        columns["article_id"].append(outcome.article_id)
        columns["first_seen_run"].append(outcome.first_seen_run or context.run_id)
        columns["last_seen_run"].append(context.run_id)
        columns["mtime_ns"].append(outcome.source.mtime_ns)
    return _table(schemas.SOURCE_FILES, columns)


def build_rejected_files(outcomes: Sequence[FileOutcome], context: BatchContext) -> pa.Table:
    """Why each newly rejected file could not become an article."""
    columns = _columns(schemas.REJECTED_FILES)
    for outcome in outcomes:
        if not outcome.is_new or outcome.status != REJECTED or outcome.rejection is None:
            continue
        columns["source_file"].append(outcome.source.relative_path)
        columns["content_sha256"].append(outcome.content_sha256)
        columns["reason"].append(outcome.rejection.reason)
        columns["detail"].append(outcome.rejection.detail)
        columns["run_id"].append(context.run_id)
        columns["rejected_at"].append(context.ingested_at)
    return _table(schemas.REJECTED_FILES, columns)
