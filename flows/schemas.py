"""Arrow schemas of every warehouse table: the one place a column is defined.

The Parquet writer, the DuckDB DDL check, the validation suites' column checks and the tests all
derive from these schemas, so adding a column starts here (and in ``sql/ddl/``, which a test
compares against this module).
"""

from __future__ import annotations

import pyarrow as pa

STRING = pa.string()
STRING_LIST = pa.list_(pa.string())
INT_LIST = pa.list_(pa.int32())
TIMESTAMP = pa.timestamp("us")

ARTICLES = pa.schema(
    [
        pa.field("article_id", STRING, nullable=False),
        pa.field("story_id", STRING, nullable=False),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("is_latest", pa.bool_(), nullable=False),
        pa.field("source_file", STRING, nullable=False),
        pa.field("content_sha256", STRING, nullable=False),
        pa.field("published_date", pa.date32(), nullable=False),
        pa.field("headline", STRING, nullable=False),
        pa.field("wire", STRING, nullable=False),
        pa.field("dateline", STRING),
        pa.field("lede", STRING, nullable=False),
        pa.field("body", STRING, nullable=False),
        pa.field("paragraph_count", pa.int32(), nullable=False),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("copyright", STRING),
        pa.field("ingested_at", TIMESTAMP, nullable=False),
        pa.field("run_id", STRING, nullable=False),
        # Not in the contract: keys that group story versions, kept so later runs can match.
        pa.field("headline_key", STRING, nullable=False),
        pa.field("lede_key", STRING, nullable=False),
    ]
)

PARAGRAPHS = pa.schema(
    [
        pa.field("article_id", STRING, nullable=False),
        pa.field("paragraph_no", pa.int32()),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("kind", STRING, nullable=False),
        pa.field("text", STRING, nullable=False),
    ]
)

ENTITIES = pa.schema(
    [
        pa.field("entity_id", STRING, nullable=False),
        pa.field("name", STRING, nullable=False),
        pa.field("entity_type", STRING, nullable=False),
        pa.field("aliases", STRING_LIST, nullable=False),
    ]
)

# Every surface form an entity was seen under, and how it was resolved to the entity: the
# name itself, a spelling of it (case, punctuation, possessive or legal suffix), a fixed alias
# ('U.S.' for United States) or a short form a story gave in full ('Xi' for Xi Jinping).
ENTITY_ALIASES = pa.schema(
    [
        pa.field("alias", STRING, nullable=False),
        pa.field("entity_id", STRING, nullable=False),
        pa.field("resolution", STRING, nullable=False),
        # The id the alias has on its own (``entity_id_for(alias)``): for a short form, the id of
        # a story that names the entity only by it, which the load merges into ``entity_id``
        # (sql/load/05_entity_merges_*.sql). Null on rows loaded before it was kept.
        pa.field("alias_entity_id", STRING),
    ]
)

# Ids an archive-level merge retired, and the entity each names now (see ENTITY_ALIASES).
ENTITY_ID_MERGES = pa.schema(
    [
        pa.field("merged_id", STRING, nullable=False),
        pa.field("entity_id", STRING, nullable=False),
        pa.field("alias", STRING, nullable=False),
        pa.field("resolution", STRING, nullable=False),
    ]
)

ENTITY_MENTIONS = pa.schema(
    [
        pa.field("article_id", STRING, nullable=False),
        pa.field("entity_id", STRING, nullable=False),
        pa.field("mention_count", pa.int32(), nullable=False),
        pa.field("first_paragraph_no", pa.int32(), nullable=False),
        pa.field("surface_forms", STRING_LIST, nullable=False),
        # Not in the contract: the type this story gave the entity; entities.entity_type is
        # the type most of an entity's mentions give it (null on rows loaded before).
        pa.field("entity_type", STRING),
    ]
)

UPDATE_NOTES = pa.schema(
    [
        pa.field("article_id", STRING, nullable=False),
        pa.field("note_no", pa.int32(), nullable=False),
        pa.field("text", STRING, nullable=False),
        pa.field("actions", STRING_LIST, nullable=False),
        pa.field("subject", STRING),
        pa.field("paragraph_refs", INT_LIST, nullable=False),
        pa.field("scope", STRING),
        pa.field("refers_to_date", pa.date32()),
        pa.field("placement", STRING, nullable=False),
        # Not in the contract: where the note sits among all parts, to join with paragraphs.
        pa.field("position", pa.int32(), nullable=False),
    ]
)

RELATED_LINKS = pa.schema(
    [
        pa.field("article_id", STRING, nullable=False),
        pa.field("link_no", pa.int32(), nullable=False),
        pa.field("title", STRING, nullable=False),
    ]
)

SOURCE_FILES = pa.schema(
    [
        pa.field("source_file", STRING, nullable=False),
        pa.field("content_sha256", STRING),
        pa.field("size_bytes", pa.int64(), nullable=False),
        pa.field("status", STRING, nullable=False),
        pa.field("article_id", STRING),
        pa.field("first_seen_run", STRING, nullable=False),
        pa.field("last_seen_run", STRING, nullable=False),
        # Not in the contract: lets a rerun skip unchanged files without reading them.
        pa.field("mtime_ns", pa.int64()),
    ]
)

REJECTED_FILES = pa.schema(
    [
        pa.field("source_file", STRING, nullable=False),
        pa.field("content_sha256", STRING),
        pa.field("reason", STRING, nullable=False),
        pa.field("detail", STRING, nullable=False),
        pa.field("run_id", STRING, nullable=False),
        pa.field("rejected_at", TIMESTAMP, nullable=False),
    ]
)

PIPELINE_RUNS = pa.schema(
    [
        pa.field("run_id", STRING, nullable=False),
        pa.field("flow_run_id", STRING),
        pa.field("started_at", TIMESTAMP, nullable=False),
        pa.field("finished_at", TIMESTAMP, nullable=False),
        pa.field("status", STRING, nullable=False),
        pa.field("files_seen", pa.int32(), nullable=False),
        pa.field("files_new", pa.int32(), nullable=False),
        pa.field("files_skipped", pa.int32(), nullable=False),
        pa.field("files_rejected", pa.int32(), nullable=False),
        pa.field("articles_loaded", pa.int32(), nullable=False),
        # Not in the contract: files_skipped in its two parts, a duplicate (content already
        # loaded under another name, met for the first time) and an unchanged file (seen
        # before as it is); null on runs recorded before they were counted apart.
        pa.field("files_duplicate", pa.int32()),
        pa.field("files_unchanged", pa.int32()),
        # Not in the contract: the input root and the one-line reason of a failed run.
        pa.field("input_root", STRING),
        pa.field("message", STRING),
    ]
)

DQ_RESULTS = pa.schema(
    [
        pa.field("run_id", STRING, nullable=False),
        pa.field("table_name", STRING, nullable=False),
        pa.field("expectation", STRING, nullable=False),
        pa.field("success", pa.bool_(), nullable=False),
        pa.field("unexpected_count", pa.int64()),
        pa.field("details", STRING),
        # Not in the contract: 'error' blocks the load, 'warning' is reported only.
        pa.field("severity", STRING, nullable=False),
    ]
)

# One span the NER model found in a text: its characters [start_char, end_char) and spaCy's label.
NER_SPAN = pa.struct(
    [
        pa.field("start_char", pa.int32(), nullable=False),
        pa.field("end_char", pa.int32(), nullable=False),
        pa.field("label", STRING, nullable=False),
    ]
)

# The span cache: the model's raw spans (every label, in the model's order) of each distinct text
# it read, keyed by the text's hash and the model's package name and version. Entity resolution
# is a pass over these spans, so re-resolving the archive runs the model only on texts it has
# not seen. An empty list is a text with no entity (cached too).
NER_SPANS = pa.schema(
    [
        pa.field("text_hash", STRING, nullable=False),
        pa.field("model", STRING, nullable=False),
        pa.field("model_version", STRING, nullable=False),
        pa.field("spans", pa.list_(NER_SPAN), nullable=False),
    ]
)

RUN_STAGES = pa.schema(
    [
        pa.field("run_id", STRING, nullable=False),
        pa.field("stage", STRING, nullable=False),
        pa.field("seconds", pa.float64(), nullable=False),
        pa.field("rows", pa.int64(), nullable=False),
    ]
)

# Not a warehouse table: the new story_id / version / is_latest of articles already loaded.
VERSION_CHANGES = pa.schema(
    [
        pa.field("article_id", STRING, nullable=False),
        pa.field("story_id", STRING, nullable=False),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("is_latest", pa.bool_(), nullable=False),
    ]
)

# Not a warehouse table: every version of each story this run touches, as the warehouse will hold
# them after the load (versions already loaded and the batch's new ones), so validation can check
# that each story keeps versions 1..n with exactly one latest.
STORY_VERSIONS = pa.schema(
    [
        pa.field("story_id", STRING, nullable=False),
        pa.field("article_id", STRING, nullable=False),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("is_latest", pa.bool_(), nullable=False),
        pa.field("published_date", pa.date32(), nullable=False),
        pa.field("in_batch", pa.bool_(), nullable=False),
    ]
)

# Not a warehouse table: the versioning keys of a chunk's new articles (``versions.VersionKey``,
# field for field), which a run keeps until every chunk is parsed. In Arrow, not as Python
# objects: 100,000 of those, made between each chunk's short-lived ones, kept 60-70 MB of
# Python's heap in use after they were freed (half-empty arenas), and validation peaked on top.
VERSION_KEYS = pa.schema(
    [
        pa.field("article_id", STRING, nullable=False),
        pa.field("published_date", pa.date32(), nullable=False),
        pa.field("headline_key", STRING, nullable=False),
        pa.field("lede_key", STRING, nullable=False),
        pa.field("note_count", pa.int32(), nullable=False),
        pa.field("paragraph_count", pa.int32(), nullable=False),
        pa.field("paragraph_prints", pa.binary(), nullable=False),
    ]
)

# Not a warehouse table: every input file a run found, from a stat (nothing read yet).
DISCOVERED_FILES = pa.schema(
    [
        pa.field("source_file", STRING, nullable=False),
        pa.field("size_bytes", pa.int64(), nullable=False),
        pa.field("mtime_ns", pa.int64(), nullable=False),
        # Its name is not UTF-8: source_file holds it with \x escapes; it is rejected unread.
        pa.field("undecodable_name", pa.bool_(), nullable=False),
        # Not a story file discovery may open (a link out of the input folder, a loop, a FIFO,
        # a folder it could not list): the reason code it is rejected with, unread, and why.
        # Its size and mtime are then the entry's own (lstat), so a rerun sees it unchanged.
        pa.field("problem", STRING),
        pa.field("problem_detail", STRING),
    ]
)

# Not a warehouse table: files a rerun found unchanged (same size and mtime), so it only records
# that it saw them (``source_files.last_seen_run``) without reading or re-validating them.
UNCHANGED_FILES = pa.schema(
    [
        pa.field("source_file", STRING, nullable=False),
        pa.field("content_sha256", STRING),
        pa.field("last_seen_run", STRING, nullable=False),
    ]
)

# Tables a run builds from its new input files, in load order (parents before children).
BATCH_TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "paragraphs": PARAGRAPHS,
    "entities": ENTITIES,
    "entity_aliases": ENTITY_ALIASES,
    "entity_mentions": ENTITY_MENTIONS,
    "update_notes": UPDATE_NOTES,
    "related_links": RELATED_LINKS,
    "source_files": SOURCE_FILES,
    "rejected_files": REJECTED_FILES,
    # The span cache: a run adds the spans of texts the model read for the first time; a full
    # refresh keeps it (sql/queries/truncate_batch_tables.sql leaves it out).
    "ner_spans": NER_SPANS,
}

# Every table of the warehouse.
ALL_TABLES: dict[str, pa.Schema] = {
    **BATCH_TABLES,
    # Written by the load's archive merges, never staged; kept through a full refresh.
    "entity_id_merges": ENTITY_ID_MERGES,
    "pipeline_runs": PIPELINE_RUNS,
    "dq_results": DQ_RESULTS,
    "run_stages": RUN_STAGES,
}

PARAGRAPH_KINDS = (
    "story",
    "related_link",
    "update_note",
    "editor_note",
    "byline",
    "contact",
    "boilerplate",
    "copyright",
)
ALIAS_RESOLUTIONS = ("name", "spelling", "alias_list", "short_form", "archive_short_form")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "PRODUCT", "OTHER")
REJECT_REASONS = (
    "empty",
    "not_utf8",
    "no_header",
    "bad_date",
    "no_body",
    "too_large",
    "unreadable",
    "bad_name",
    "outside_input",
    "symlink_loop",
    "dangling_link",
    "not_a_file",
    "unreadable_folder",
)
FILE_STATUSES = ("loaded", "duplicate", "rejected")
RUN_STATUSES = ("success", "failed_validation", "failed")


def duckdb_type(data_type: pa.DataType) -> str:
    """Name the DuckDB type that an Arrow type loads as, for the DDL consistency check."""
    if pa.types.is_list(data_type):
        return f"{duckdb_type(data_type.value_type)}[]"
    if pa.types.is_struct(data_type):
        fields = ", ".join(f"{field.name} {duckdb_type(field.type)}" for field in data_type)
        return f"STRUCT({fields})"
    names = {
        pa.string(): "VARCHAR",
        pa.int32(): "INTEGER",
        pa.int64(): "BIGINT",
        pa.bool_(): "BOOLEAN",
        pa.float64(): "DOUBLE",
        pa.date32(): "DATE",
        TIMESTAMP: "TIMESTAMP",
    }
    return names[data_type]


def empty_table(schema: pa.Schema) -> pa.Table:
    """An empty table of the schema, so every stage hands on every table even with no rows."""
    return schema.empty_table()
