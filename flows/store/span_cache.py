"""The span cache in the warehouse: the NER model's raw spans of every distinct text it has read.

Rows of ``ner_spans`` (``flows.schemas.NER_SPANS``) are keyed by the text's hash
(``text_hash``) and the model's package name and version. The entity stage looks up the texts
of a chunk of stories here (read-only, only those texts' keys), runs the model on the others
and stages their spans as the chunk's ``ner_spans`` rows, which the load adds to the table. A
full refresh keeps the table, so re-resolving the archive runs the model on no text it has read.

Spans are plain ``(start_char, end_char, label)`` tuples here: this layer knows nothing of
entity resolution.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from flows.schemas import NER_SPANS
from flows.store.sql import sql_text
from flows.store.warehouse import connect_read_only

# One span: its characters [start, end) in the text and the model's label.
Span = tuple[int, int, str]
TEXT_HASH_CHARS = 32


def text_hash(text: str) -> str:
    """The cache key of a text: the first 32 hex digits of the SHA-256 of its UTF-8 bytes (as
    ``article_id`` is of a story's text). In DuckDB: ``left(sha256(text), 32)``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:TEXT_HASH_CHARS]


def lookup(
    database: Path, model: str, model_version: str, hashes: Sequence[str]
) -> dict[str, tuple[Span, ...]]:
    """The cached spans of the texts with these hashes by one model version; a text the cache
    does not hold has no entry. Reads only the keys asked for, so memory follows the chunk,
    not the archive. A warehouse file that does not exist yet is an empty cache."""
    if not hashes or not database.exists():
        return {}
    wanted = pa.table({"text_hash": pa.array(hashes, pa.string())})
    with connect_read_only(database) as connection:
        connection.register("batch_text_hashes", wanted)
        found = connection.sql(
            sql_text("queries/cached_spans.sql"),
            params={"model": model, "model_version": model_version},
        ).to_arrow_table()
    return spans_by_hash(found)


def spans_by_hash(table: pa.Table) -> dict[str, tuple[Span, ...]]:
    """``text_hash`` -> spans of a table with those two columns (of ``NER_SPANS``).

    Flattened in Arrow and sliced by the list offsets: a Python dict per span took several
    times as long for a chunk's tens of thousands of spans.
    """
    if table.num_rows == 0:
        return {}
    spans = table.column("spans").combine_chunks()
    flat = pc.list_flatten(spans)
    starts = flat.field("start_char").to_pylist()
    ends = flat.field("end_char").to_pylist()
    labels = flat.field("label").to_pylist()
    offsets = pc.list_value_length(spans).to_pylist()
    out: dict[str, tuple[Span, ...]] = {}
    position = 0
    for key, length in zip(table.column("text_hash").to_pylist(), offsets, strict=True):
        stop = position + length
        out[key] = tuple(
            zip(starts[position:stop], ends[position:stop], labels[position:stop], strict=True)
        )
        position = stop
    return out


def spans_table(
    model: str, model_version: str, spans: Mapping[str, Iterable[Span]] | None = None
) -> pa.Table:
    """``ner_spans`` rows of a model version: ``spans`` maps a text hash to its spans (an empty
    sequence for a text without any: that is cached too)."""
    spans = spans or {}
    keys = list(spans)
    values = [
        [{"start_char": a, "end_char": b, "label": label} for a, b, label in spans[key]]
        for key in keys
    ]
    return pa.Table.from_pydict(
        {
            "text_hash": keys,
            "model": [model] * len(keys),
            "model_version": [model_version] * len(keys),
            "spans": values,
        },
        schema=NER_SPANS,
    )
