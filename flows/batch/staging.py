"""Stage a run's new files in bounded chunks, so memory stays flat however many files arrive.

A run reads, parses, extracts and tabulates its new files a chunk at a time (``chunk_files``,
5,000 by default) and writes each chunk's tables as Parquet under the run's staging folder::

    staging/<run_id>/<table>/00001.parquet   one file per chunk (articles, paragraphs, ...)
    staging/<run_id>/<table>/run.parquet     run-wide tables (entities, version_changes, ...)

Only small per-article facts cross chunk boundaries: content hashes seen (duplicates), version
keys (story versions are numbered over the whole warehouse at the end of the run, and the
chunks' ``articles`` files are then rewritten with the final story_id / version / is_latest),
the merged entity aliases and the file counts. Validation reads the staged chunks back a few
at a time and the load streams them through DuckDB, so no stage holds the whole batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows import faults, schemas
from flows.batch.extract import ReadFile
from flows.batch.incremental import (
    NO_FILES,
    Accounting,
    Manifest,
    RunMemory,
    account,
    settle,
)
from flows.batch.prefetch import StoryFacts, take_facts
from flows.batch.tables import (
    BatchContext,
    FileOutcome,
    build_articles,
    build_entity_tables,
    build_paragraphs,
    build_rejected_files,
    build_related_links,
    build_source_files,
    build_update_notes,
    loaded_stories,
)
from flows.batch.versions import (
    LoadedVersions,
    Version,
    VersionKey,
    apply_versions,
    story_versions_table,
    version_changes_table,
    version_key,
    version_keys_from,
    version_keys_table,
    versions_for_keys,
)
from flows.store.parquet import write_table_atomic
from flows.story.entities import EntityMention, alias_resolution, entity_id_for
from flows.story.parse import ParsedStory, Rejection

# Tables written once per chunk, each row belonging to one file or article of that chunk.
CHUNK_TABLES: dict[str, pa.Schema] = {
    "articles": schemas.ARTICLES,
    "paragraphs": schemas.PARAGRAPHS,
    "entity_mentions": schemas.ENTITY_MENTIONS,
    "update_notes": schemas.UPDATE_NOTES,
    "related_links": schemas.RELATED_LINKS,
    "source_files": schemas.SOURCE_FILES,
    "rejected_files": schemas.REJECTED_FILES,
    # The span cache rows of the texts the chunk's entity stage ran the model on; keyed by
    # text, not by file, so a story rejected later leaves its rows (true spans of its texts).
    "ner_spans": schemas.NER_SPANS,
}
# Tables written once per run, after the last chunk.
RUN_TABLES: dict[str, pa.Schema] = {
    "entities": schemas.ENTITIES,
    "entity_aliases": schemas.ENTITY_ALIASES,
    "version_changes": schemas.VERSION_CHANGES,
    "unchanged_files": schemas.UNCHANGED_FILES,
    "story_versions": schemas.STORY_VERSIONS,
}
RUN_FILE = "run.parquet"


@dataclass(frozen=True)
class StagedBatch:
    """The Parquet files of one run's batch: where they are and how to read them back."""

    folder: Path

    def chunk_count(self) -> int:
        """How many chunks were staged."""
        return len(self.files("articles"))

    def files(self, table: str) -> list[Path]:
        """The files of one table, chunks in order (then the run-wide file)."""
        folder = self.folder / table
        if not folder.is_dir():
            return []
        return sorted(path for path in folder.glob("*.parquet"))

    def files_by_table(self) -> dict[str, list[Path]]:
        """Every staged table and its files, for the load."""
        return {name: self.files(name) for name in (*CHUNK_TABLES, *RUN_TABLES)}

    def read_chunks(
        self, indexes: Sequence[int], columns: Mapping[str, Sequence[str]] | None = None
    ) -> dict[str, pa.Table]:
        """The chunk tables of some chunks (0-based) as written, each table concatenated;
        only the ``columns`` named for a table when given."""
        return {
            name: pa.concat_tables(
                [
                    pq.read_table(
                        self.folder / name / _chunk_name(index),
                        columns=None if columns is None else list(columns[name]),
                    )
                    for index in indexes
                ]
            )
            for name in CHUNK_TABLES
        }

    def row_counts(self) -> dict[str, int]:
        """Rows staged per table, over every chunk (from the Parquet footers)."""
        return {
            name: sum(pq.ParquetFile(path).metadata.num_rows for path in files)
            for name, files in self.files_by_table().items()
        }

    def rows(self) -> int:
        """Rows staged over every table."""
        return sum(self.row_counts().values())

    def read_run_table(self, name: str) -> pa.Table:
        """One run-wide table."""
        return pq.read_table(self.folder / name / RUN_FILE)


def _chunk_name(index: int) -> str:
    return f"{index + 1:05d}.parquet"


def stage_chunk(batch: StagedBatch, index: int, tables: Mapping[str, pa.Table]) -> int:
    """Write one chunk's tables; returns the rows written."""
    for number, name in enumerate(CHUNK_TABLES):
        if number == 1 and index == 0:
            faults.reached("parquet")
        write_table_atomic(tables[name], batch.folder / name / _chunk_name(index))
    return sum(tables[name].num_rows for name in CHUNK_TABLES)


def file_tables(
    outcomes: Sequence[FileOutcome],
    mentions: Sequence[Sequence[EntityMention]],
    versions: Mapping[str, Version],
    context: BatchContext,
) -> tuple[pa.Table, dict[str, pa.Table]]:
    """The entities of some files' stories, and their ``CHUNK_TABLES`` but ``ner_spans`` (the
    entity stage's, not the files')."""
    loaded = loaded_stories(outcomes)
    entities, entity_mentions = build_entity_tables(loaded, mentions)
    return entities, {
        "articles": build_articles(loaded, dict(versions), context),
        "paragraphs": build_paragraphs(loaded),
        "entity_mentions": entity_mentions,
        "update_notes": build_update_notes(loaded),
        "related_links": build_related_links(loaded),
        "source_files": build_source_files(outcomes, context),
        "rejected_files": build_rejected_files(outcomes, context),
    }


# A provisional version: the real one is known only when every chunk has been parsed.
_UNVERSIONED = Version("", 1, True)


@dataclass
class BatchCollector:
    """What a chunked run keeps between chunks; everything else is dropped with its chunk."""

    manifest: Manifest
    context: BatchContext
    memory: RunMemory = field(default_factory=RunMemory)
    # One ``schemas.VERSION_KEYS`` table per chunk: see there why not ``VersionKey`` objects.
    version_key_chunks: list[pa.Table] = field(default_factory=list)
    entities: dict[str, tuple[str, str, set[str]]] = field(default_factory=dict)
    accounting: Accounting = NO_FILES
    articles: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHUNK_TABLES, 0))

    def add_unchanged(self, files: int) -> None:
        """Count the files a rerun skips without reading."""
        self.accounting = self.accounting + Accounting(files, 0, 0, files, 0)

    def settle(
        self,
        read: Sequence[ReadFile],
        parsed: Sequence[ParsedStory | Rejection | None],
    ) -> list[FileOutcome]:
        """One chunk's files settled against the warehouse and the run's earlier chunks."""
        return settle(read, parsed, self.manifest, self.memory)

    def chunk_tables(
        self,
        outcomes: Sequence[FileOutcome],
        mentions: Sequence[Sequence[EntityMention]],
        ner_spans: pa.Table | None = None,
        facts: Mapping[str, StoryFacts] | None = None,
    ) -> dict[str, pa.Table]:
        """One chunk's tables (articles not yet versioned); remembers what later steps need.

        ``ner_spans``: the span cache rows the chunk's entity stage made (none when omitted);
        ``facts``: values worked out ahead from the chunk's stories (``flows.batch.prefetch``).
        """
        loaded = loaded_stories(outcomes)
        self.accounting = self.accounting + account(outcomes)
        self.articles += len(loaded)
        stories = [outcome.story for outcome in loaded if outcome.story is not None]
        prints = take_facts(stories, facts or {})
        keys = [version_key(story, prints.get(story.article_id)) for story in stories]
        self.version_key_chunks.append(version_keys_table(keys))
        entities, tables = file_tables(
            outcomes,
            mentions,
            {outcome.article_id: _UNVERSIONED for outcome in loaded if outcome.article_id},
            self.context,
        )
        for entity_id, name, entity_type, aliases in zip(
            *(entities.column(c).to_pylist() for c in ("entity_id", "name", "entity_type")),
            entities.column("aliases").to_pylist(),
            strict=True,
        ):
            known = self.entities.setdefault(entity_id, (name, entity_type, set()))
            known[2].update(aliases)
        tables["ner_spans"] = schemas.NER_SPANS.empty_table() if ner_spans is None else ner_spans
        for name, table in tables.items():
            self.rows[name] += table.num_rows
        return tables

    def release(self) -> None:
        """Drop what only the chunks needed, before validation and the load."""
        self.manifest = Manifest()
        self.memory = RunMemory()

    def release_versioning(self) -> None:
        """Drop the keys and entities that versioning again (after rejections) would need."""
        self.version_key_chunks = []
        self.entities = {}

    def version_keys(self) -> list[VersionKey]:
        """Every new article's versioning key, made at once for the versioning step."""
        return version_keys_from(self.version_key_chunks)

    def entities_table(self) -> pa.Table:
        """The batch's entities, aliases merged over every chunk."""
        ids = sorted(self.entities)
        return pa.Table.from_pydict(
            {
                "entity_id": ids,
                "name": [self.entities[i][0] for i in ids],
                "entity_type": [self.entities[i][1] for i in ids],
                "aliases": [sorted(self.entities[i][2]) for i in ids],
            },
            schema=schemas.ENTITIES,
        )

    def entity_aliases_table(self) -> pa.Table:
        """Every surface form of the batch's entities, with how it was resolved to them."""
        rows = [
            (alias, entity_id, alias_resolution(alias, name), entity_id_for(alias))
            for entity_id, (name, _, aliases) in sorted(self.entities.items())
            for alias in sorted(aliases | {name})
        ]
        return pa.Table.from_pydict(
            {
                "alias": [row[0] for row in rows],
                "entity_id": [row[1] for row in rows],
                "resolution": [row[2] for row in rows],
                "alias_entity_id": [row[3] for row in rows],
            },
            schema=schemas.ENTITY_ALIASES,
        )


def finish_batch(
    batch: StagedBatch,
    collector: BatchCollector,
    keys: Sequence[VersionKey],
    loaded: LoadedVersions,
    unchanged: pa.Table,
) -> dict[str, int]:
    """Version the new articles (``keys``) against the ``loaded`` articles they relate to and
    stage the run-wide tables.

    Writes an empty chunk when no file was read, so every chunk table has at least one file.
    Returns the rows of the run-wide tables.
    """
    if batch.chunk_count() == 0:
        stage_chunk(batch, 0, {name: schema.empty_table() for name, schema in CHUNK_TABLES.items()})
    versions, changes = versions_for_keys(keys, loaded)
    if versions:
        for path in batch.files("articles"):
            apply_versions(path, versions)
    run_tables = {
        "entities": collector.entities_table(),
        "entity_aliases": collector.entity_aliases_table(),
        "version_changes": version_changes_table(changes),
        "unchanged_files": unchanged,
        "story_versions": story_versions_table(keys, versions, changes, loaded),
    }
    for name, table in run_tables.items():
        write_table_atomic(table, batch.folder / name / RUN_FILE)
    return {name: table.num_rows for name, table in run_tables.items()}


def unchanged_tables(
    collector: BatchCollector, run_rows: Mapping[str, int], full_refresh: bool
) -> frozenset[str]:
    """The warehouse tables a successful load of this batch leaves as they were."""
    if full_refresh:  # every data table is rebuilt, but the span cache is only added to
        return frozenset({"ner_spans"}) if collector.rows["ner_spans"] == 0 else frozenset()
    loaded = {name: rows for name, rows in collector.rows.items() if name in schemas.BATCH_TABLES}
    loaded["articles"] += run_rows["version_changes"]
    loaded["source_files"] += run_rows["unchanged_files"]
    loaded["entities"] = run_rows["entities"]
    loaded["entity_aliases"] = run_rows["entity_aliases"]
    return frozenset(name for name, rows in loaded.items() if rows == 0)


# Tables whose rows belong to one article, by its article_id.
ARTICLE_TABLES = ("articles", "paragraphs", "entity_mentions", "update_notes", "related_links")


def remove_stories(
    batch: StagedBatch, collector: BatchCollector, rejections: Mapping[str, tuple[str, str]]
) -> int:
    """Take rejected stories (article_id -> (reason, detail)) out of the staged chunks: their
    rows leave every article table, their files (and files duplicating them) become rejected
    files with the reason, and the run's counts, keys and entities follow. Returns the files
    rejected. Versions and run-wide tables are then staged again by ``finish_batch``."""
    rejected = pa.array(sorted(rejections), pa.string())
    files = 0
    for index in range(batch.chunk_count()):
        tables = batch.read_chunks([index])
        for name in ARTICLE_TABLES:
            keep = pc.invert(pc.is_in(tables[name].column("article_id"), value_set=rejected))
            tables[name] = tables[name].filter(keep)
        sources, newly, counts = _reject_sources(
            tables["source_files"], rejections, collector.context
        )
        tables["source_files"] = sources
        tables["rejected_files"] = pa.concat_tables([tables["rejected_files"], newly])
        collector.accounting = collector.accounting + counts
        files += newly.num_rows
        for name in CHUNK_TABLES:
            write_table_atomic(tables[name], batch.folder / name / _chunk_name(index))
    mentioned = {
        entity_id
        for path in batch.files("entity_mentions")
        for entity_id in pq.read_table(path, columns=["entity_id"]).column(0).to_pylist()
    }
    collector.entities = {k: v for k, v in collector.entities.items() if k in mentioned}
    collector.version_key_chunks = [
        chunk.filter(pc.invert(pc.is_in(chunk.column("article_id"), value_set=rejected)))
        for chunk in collector.version_key_chunks
    ]
    collector.articles -= len(rejections)
    collector.rows = {
        name: rows for name, rows in batch.row_counts().items() if name in CHUNK_TABLES
    }
    return files


def _reject_sources(
    sources: pa.Table, rejections: Mapping[str, tuple[str, str]], context: BatchContext
) -> tuple[pa.Table, pa.Table, Accounting]:
    """The chunk's manifest rows with the rejected stories' files marked rejected, their
    ``rejected_files`` rows, and the change to the run's counts (new or duplicate files
    become rejected ones)."""
    rows = sources.to_pylist()
    rejected_rows: list[dict[str, object]] = []
    new = duplicate = 0
    for row in rows:
        article_id = row["article_id"]
        if article_id not in rejections:
            continue
        reason, detail = rejections[article_id]
        if row["status"] == "loaded":
            new += 1
        else:
            duplicate += 1
        row["status"], row["article_id"] = "rejected", None
        rejected_rows.append(
            {
                "source_file": row["source_file"],
                "content_sha256": row["content_sha256"],
                "reason": reason,
                "detail": detail,
                "run_id": context.run_id,
                "rejected_at": context.ingested_at,
            }
        )
    return (
        pa.Table.from_pylist(rows, schema=schemas.SOURCE_FILES),
        pa.Table.from_pylist(rejected_rows, schema=schemas.REJECTED_FILES),
        Accounting(0, -new, -duplicate, 0, new + duplicate),
    )
