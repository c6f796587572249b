"""Batches for data-quality tests, built by the pipeline's own pure stages (no Prefect run).

``build`` runs discover -> read -> parse -> settle -> entities -> versions -> table builders on
an input folder, exactly as the flow does, so a suite test validates what a run would stage.
``Batch.edit`` returns a copy with one table changed: the way tests break one thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from flows import validate
from flows.entities import EntityExtractor, StoryText
from flows.extract import discover, read_files
from flows.incremental import (
    account,
    compute_versions,
    settle,
    story_versions_table,
    version_key,
)
from flows.parse import ParsedStory, parse_story
from flows.settings import DEFAULT_MAX_FILE_BYTES
from flows.staging import build_batch
from flows.tables import BatchContext, loaded_stories
from flows.versions import Version, VersionKey
from flows.warehouse import Manifest, empty_manifest

Row = dict[str, Any]


@dataclass(frozen=True)
class Batch:
    """The staged tables of one run and its file counts."""

    tables: Mapping[str, pa.Table]
    accounting: Mapping[str, int]
    stories: tuple[ParsedStory, ...] = ()
    versions: Mapping[str, Version] | None = None

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every frame the suites validate, derived as the validate task does."""
        return validate.batch_frames(self.tables, self.accounting)

    def rows(self, table: str) -> list[Row]:
        """A table's rows as dicts (a fresh copy to edit)."""
        return self.tables[table].to_pylist()

    def edit(self, table: str, change: Callable[[list[Row]], list[Row] | None]) -> Batch:
        """A copy with ``change`` applied to one table's rows (in place or returning new rows)."""
        rows = self.rows(table)
        changed = change(rows)
        rows = rows if changed is None else changed
        schema = self.tables[table].schema
        return replace(self, tables={**self.tables, table: pa.Table.from_pylist(rows, schema)})

    def recount(self, **counts: int) -> Batch:
        """A copy with some file counts changed."""
        return replace(self, accounting={**self.accounting, **counts})


def build(
    input_dir: Path,
    extractor: EntityExtractor,
    manifest: Manifest | None = None,
    run_id: str = "run-test",
) -> Batch:
    """Build a batch from the files under ``input_dir`` against ``manifest`` (default: empty)."""
    manifest = manifest or empty_manifest()
    sources = discover(input_dir)
    assert not manifest.files, "every file is read: a test manifest holds contents and versions"
    read = read_files(sources, DEFAULT_MAX_FILE_BYTES)
    parsed = [parse_story(item.text) if item.text is not None else None for item in read]
    outcomes = settle(read, parsed, manifest)
    loaded = loaded_stories(outcomes)
    stories = [outcome.story for outcome in loaded if outcome.story is not None]
    mentions = extractor.extract(
        [StoryText(s.article_id, s.headline, s.story_paragraphs) for s in stories]
    )
    versions, changes = compute_versions(stories, manifest)
    context = BatchContext(run_id, datetime(2024, 1, 2, 3, 4, 5))
    tables = build_batch(outcomes, mentions, versions, changes, context)
    tables["story_versions"] = story_versions_table(
        [version_key(s) for s in stories], versions, changes, manifest
    )
    return Batch(tables, account(outcomes).as_dict(), tuple(stories), versions)


def manifest_after(batch: Batch) -> Manifest:
    """What the warehouse would hold after loading ``batch`` (versions only), for a next batch."""
    assert batch.versions is not None
    versions: dict[str, tuple[VersionKey, Version]] = {
        story.article_id: (version_key(story), batch.versions[story.article_id])
        for story in batch.stories
    }
    contents = {
        row["content_sha256"]: row["article_id"] for row in batch.tables["articles"].to_pylist()
    }
    return Manifest({}, contents, frozenset(versions), versions)
