"""Group story versions: a story updated later arrives as another file with the same headline or
the same lede, and shares most of its paragraphs with the earlier version.

The grouping is a pure function of all articles' keys, so a full refresh and any sequence of
incremental runs give the same ``story_id``, ``version`` and ``is_latest``.

Two articles are versions of one story when they were published at most
``MAX_DAYS_BETWEEN_VERSIONS`` apart and either

* their ledes are the same (and long enough not to be a stock phrase, and not shared by
  ``BOILERPLATE_LEDE_HEADLINES`` differently headlined articles, as a promotion is), or
* their headlines are the same and they share paragraphs: at least ``MIN_SHARED_PARAGRAPHS``
  of the shorter one's paragraphs open the same way in the other. A recurring headline
  ('Five Things You Need to Know to Start Your Day') over new text each day is not a version.

Paragraphs are compared by a short fingerprint of their opening words (``paragraph_print``),
which ``sql/queries/related_versions.sql`` computes the same way for articles already loaded.

Everything a run does about versions lives here: the key kept per new article (in Arrow between
chunks), the loaded articles a batch may join (read from the warehouse copy), the grouping,
the new versions, the changes to loaded ones, the staged articles rewritten with their final
versions, and the ``story_versions`` rows validation checks.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from flows.schemas import STORY_VERSIONS, VERSION_CHANGES, VERSION_KEYS
from flows.store.parquet import write_table_atomic
from flows.store.sql import sql_text
from flows.store.warehouse import connect_read_only
from flows.story.parse import ParsedStory

# A lede shared by this many differently headlined articles is boilerplate (a newsletter
# promotion standing where the lede should be), not evidence of one story.
BOILERPLATE_LEDE_HEADLINES = 3
# Versions of one story are published within days; an identical generic headline
# ('Stocks Rise') weeks apart is another story.
MAX_DAYS_BETWEEN_VERSIONS = 3
# Share of the shorter version's paragraphs that must reappear in the other one.
MIN_SHARED_PARAGRAPHS = 0.3
# A lede key this short ('stocks rose') may open unrelated stories: it needs shared paragraphs.
MIN_LEDE_KEY_CHARS = 40
# A paragraph's fingerprint: the md5 of its first words (about twenty), in lower case without
# punctuation; a recurring column's stock opening ('Good morning. Here is ...') is shorter.
PRINT_SOURCE_CHARS = 160
PRINT_KEY_CHARS = 120
PRINT_HEX_CHARS = 8
_PRINT_BYTES_LENGTH = PRINT_HEX_CHARS // 2

# ASCII letters and digits only, so that Python and DuckDB, whose lower-casing of other
# letters differs ('İ'), compute the same fingerprint.
# Bytes kept by a paragraph fingerprint: ASCII letters and digits; every other byte -> space.
_PRINT_BYTES = bytes(b if chr(b).isascii() and chr(b).isalnum() else 32 for b in range(256))


@dataclass(frozen=True, slots=True)
class VersionKey:
    """What versioning needs to know about one article.

    A run keeps one per new article until every chunk is parsed (between chunks as rows of
    ``schemas.VERSION_KEYS``), so it is compact: the fingerprints packed in one ``bytes``
    (``pack_prints``), about 100 bytes where a set of strings took 2 KB (200 MB of a
    100,000-story run).
    """

    article_id: str
    published_date: date
    headline_key: str
    lede_key: str
    note_count: int
    paragraph_count: int
    # Fingerprints of its numbered story paragraphs (``paragraph_print``), packed.
    paragraph_prints: bytes = b""


@dataclass(frozen=True, slots=True)
class Version:
    """Where one article stands among the versions of its story."""

    story_id: str
    version: int
    is_latest: bool


def paragraph_print(text: str) -> str:
    """A short fingerprint of a paragraph's opening words, equal for equal openings.

    The SQL twin in ``sql/queries/related_versions.sql`` must compute the same value:
    ``left(md5(left(lower(trim(regexp_replace(left(text, 160), '[^A-Za-z0-9]+', ' ', 'g'))),
    120)), 8)``.
    """
    return _print_digest(text).hex()


def _print_digest(text: str) -> bytes:
    # The same as the regex, at a third of its cost (a run fingerprints every new paragraph):
    # non-ASCII characters become '?', every byte but a letter or digit a space, and ``split``
    # finds the runs in between.
    raw = text[:PRINT_SOURCE_CHARS].encode("ascii", "replace").translate(_PRINT_BYTES)
    key = b" ".join(raw.split()).lower()[:PRINT_KEY_CHARS]
    return hashlib.md5(key, usedforsecurity=False).digest()[:_PRINT_BYTES_LENGTH]


def paragraph_prints(texts: Iterable[str]) -> bytes:
    """The packed fingerprints of a story's numbered paragraphs."""
    return b"".join(sorted({_print_digest(text) for text in texts}))


def pack_prints(prints: Iterable[str]) -> bytes:
    """Fingerprints in ``paragraph_print``'s hex form, packed as ``paragraph_prints`` packs them."""
    return b"".join(sorted({bytes.fromhex(value) for value in prints}))


def unpack_prints(packed: bytes) -> frozenset[bytes]:
    """The distinct fingerprints in a packed value."""
    size = _PRINT_BYTES_LENGTH
    return frozenset(packed[start : start + size] for start in range(0, len(packed), size))


def shared_share(left: bytes, right: bytes) -> float:
    """Share of the smaller set of fingerprints found in the other; 1.0 when either is
    unknown (empty)."""
    if not left or not right:
        return 1.0
    left_set, right_set = unpack_prints(left), unpack_prints(right)
    return len(left_set & right_set) / min(len(left_set), len(right_set))


def same_story(
    left: VersionKey, right: VersionKey, boilerplate_ledes: frozenset[str] = frozenset()
) -> bool:
    """Whether two articles published within the window are versions of one story."""
    if left.lede_key and left.lede_key == right.lede_key and left.lede_key not in boilerplate_ledes:
        if len(left.lede_key) >= MIN_LEDE_KEY_CHARS:
            return True
        return shared_share(left.paragraph_prints, right.paragraph_prints) >= MIN_SHARED_PARAGRAPHS
    if left.headline_key and left.headline_key == right.headline_key:
        return shared_share(left.paragraph_prints, right.paragraph_prints) >= MIN_SHARED_PARAGRAPHS
    return False


def assign_versions(
    articles: Iterable[VersionKey], lede_headlines: Mapping[str, Iterable[str]] | None = None
) -> dict[str, Version]:
    """Group articles into stories and number each story's versions by publication order.

    ``lede_headlines`` adds headlines known to share a lede beyond ``articles`` (a run groups
    only the loaded articles related to its new ones), for the boilerplate-lede test.
    """
    rows = sorted(articles, key=lambda row: row.article_id)
    parent = list(range(len(rows)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def union(left: int, right: int) -> None:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            parent[max(root_left, root_right)] = min(root_left, root_right)

    headlines_by_lede: dict[str, set[str]] = defaultdict(set)
    for lede, headlines in (lede_headlines or {}).items():
        headlines_by_lede[lede].update(headlines)
    for row in rows:
        headlines_by_lede[row.lede_key].add(row.headline_key)
    boilerplate_ledes = frozenset(
        lede
        for lede, headlines in headlines_by_lede.items()
        if len(headlines) >= BOILERPLATE_LEDE_HEADLINES
    )

    passes: tuple[tuple[Callable[[VersionKey], str], frozenset[str]], ...] = (
        (lambda row: row.headline_key, frozenset()),
        (lambda row: row.lede_key, boilerplate_ledes),
    )
    for key_of, ignored in passes:
        by_key: dict[str, list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            key = key_of(row)
            if key and key not in ignored:
                by_key[key].append(index)
        for indexes in by_key.values():
            if len(indexes) < 2:
                continue
            indexes.sort(key=lambda index: (rows[index].published_date, rows[index].article_id))
            # Every pair inside the window, not only neighbours: a recurring headline between
            # two versions of one story must not keep them apart.
            for position, current in enumerate(indexes):
                for later in indexes[position + 1 :]:
                    gap = (rows[later].published_date - rows[current].published_date).days
                    if gap > MAX_DAYS_BETWEEN_VERSIONS:
                        break
                    if find(current) != find(later) and same_story(
                        rows[current], rows[later], boilerplate_ledes
                    ):
                        union(current, later)

    groups: dict[int, list[VersionKey]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[find(index)].append(row)

    result: dict[str, Version] = {}
    for members in groups.values():
        # Files carry a date, not a time: on one day, later versions carry more update notes
        # and usually more paragraphs.
        members.sort(
            key=lambda row: (
                row.published_date,
                row.note_count,
                row.paragraph_count,
                row.article_id,
            )
        )
        story_id = hashlib.sha256(members[0].article_id.encode()).hexdigest()[:32]
        for number, row in enumerate(members, start=1):
            result[row.article_id] = Version(story_id, number, number == len(members))
    return result


# --------------------------------------------------------------------------------------------
# A run's versioning: keys of the new articles against the loaded articles they relate to
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedVersions:
    """The loaded articles new ones may be grouped with (``related_versions``), not all."""

    versions: dict[str, tuple[VersionKey, Version]] = field(default_factory=dict)
    # Headlines of each of those articles' ledes over the whole warehouse (up to the
    # boilerplate threshold), so the grouping tells boilerplate ledes as a full regroup would.
    lede_headlines: dict[str, frozenset[str]] = field(default_factory=dict)


def story_paragraph_prints(story: ParsedStory) -> bytes:
    """The packed fingerprints of a story's numbered paragraphs."""
    return paragraph_prints([part.text for part in story.parts if part.paragraph_no is not None])


def version_key(story: ParsedStory, prints: bytes | None = None) -> VersionKey:
    """What versioning needs from a newly parsed story; ``prints``: its paragraph prints when
    they were worked out already (``flows.batch.prefetch``)."""
    if prints is None:
        prints = story_paragraph_prints(story)
    return VersionKey(
        story.article_id,
        story.published_date,
        story.headline_key,
        story.lede_key,
        len(story.notes),
        len(story.story_paragraphs),
        prints,
    )


def version_keys_table(keys: Sequence[VersionKey]) -> pa.Table:
    """Versioning keys as one ``schemas.VERSION_KEYS`` table."""
    return pa.table(
        [[getattr(key, name) for key in keys] for name in VERSION_KEYS.names],
        schema=VERSION_KEYS,
    )


def version_keys_from(tables: Sequence[pa.Table]) -> list[VersionKey]:
    """The ``VersionKey`` objects of ``version_keys_table`` tables, in order."""
    keys: list[VersionKey] = []
    for table in tables:
        columns = [table.column(name).to_pylist() for name in VERSION_KEYS.names]
        keys.extend(VersionKey(*values) for values in zip(*columns, strict=True))
    return keys


def related_versions(database: Path, new_keys: Sequence[VersionKey]) -> LoadedVersions:
    """The version keys of the loaded articles that new articles may be grouped with.

    Only stories sharing a new article's headline (within the version window) or lede are
    read (``sql/queries/related_versions.sql``): a daily increment over 100,000 loaded articles
    used to fingerprint and regroup all of them (50 s).
    """
    with connect_read_only(database) as connection:
        return query_related_versions(connection, new_keys)


def query_related_versions(
    connection: duckdb.DuckDBPyConnection, new_keys: Sequence[VersionKey]
) -> LoadedVersions:
    """``related_versions`` on an open connection."""
    new = pa.table(
        {
            "headline_key": pa.array([key.headline_key for key in new_keys], pa.string()),
            "lede_key": pa.array([key.lede_key for key in new_keys], pa.string()),
            "published_date": pa.array([key.published_date for key in new_keys], pa.date32()),
        }
    )
    connection.register("batch_new_keys", new)
    try:
        rows = connection.execute(
            sql_text("queries/related_versions.sql"),
            [MAX_DAYS_BETWEEN_VERSIONS, BOILERPLATE_LEDE_HEADLINES],
        ).fetchall()
    finally:
        connection.unregister("batch_new_keys")
    versions: dict[str, tuple[VersionKey, Version]] = {}
    for row in rows:
        key = VersionKey(row[0], row[1], row[2], row[3], row[4], row[5], pack_prints(row[9] or ()))
        versions[row[0]] = (key, Version(row[6], row[7], row[8]))
    ledes = {key.lede_key for key in new_keys} | {key.lede_key for key, _ in versions.values()}
    connection.register("batch_ledes", pa.table({"lede_key": pa.array(sorted(ledes), pa.string())}))
    try:
        lede_headlines = {
            lede: frozenset(headlines)
            for lede, headlines in connection.execute(
                sql_text("queries/lede_headlines.sql"), [BOILERPLATE_LEDE_HEADLINES]
            ).fetchall()
        }
    finally:
        connection.unregister("batch_ledes")
    return LoadedVersions(versions, lede_headlines)


def versions_for_keys(
    new_keys: Sequence[VersionKey], loaded: LoadedVersions
) -> tuple[dict[str, Version], dict[str, Version]]:
    """Versions of the new articles, and the changed versions of articles already loaded.

    Versions are a function of the set of articles: a run that adds none changes none.
    ``loaded`` need only hold the loaded articles related to the new ones
    (``related_versions``): no other article's version can change.
    """
    if not new_keys:
        return {}, {}
    keys = [key for key, _ in loaded.versions.values()]
    keys.extend(new_keys)
    assigned = assign_versions(keys, loaded.lede_headlines)
    new_ids = {key.article_id for key in new_keys}
    new_versions = {article_id: assigned[article_id] for article_id in new_ids}
    changed = {
        article_id: assigned[article_id]
        for article_id, (_, current) in loaded.versions.items()
        if assigned[article_id] != current
    }
    return new_versions, changed


def story_versions_table(
    new_keys: Sequence[VersionKey],
    new_versions: Mapping[str, Version],
    changes: Mapping[str, Version],
    loaded: LoadedVersions,
) -> pa.Table:
    """Every version of the stories this run touches, as they will stand after the load.

    A story is touched when it gains a new version or one of its loaded versions changes
    (renumbered, merged into another story); its untouched versions come from ``loaded``, so
    the rows of one story are all of its versions across the warehouse and the batch.
    """
    final: dict[str, tuple[Version, date, bool]] = {}
    touched: set[str] = set()
    for article_id, (key, current) in loaded.versions.items():
        changed = changes.get(article_id)
        final[article_id] = (changed or current, key.published_date, False)
        if changed is not None:
            touched.update((current.story_id, changed.story_id))
    for key in new_keys:
        version = new_versions[key.article_id]
        final[key.article_id] = (version, key.published_date, True)
        touched.add(version.story_id)
    rows = [
        (article_id, version, published, in_batch)
        for article_id, (version, published, in_batch) in final.items()
        if version.story_id in touched
    ]
    table = pa.Table.from_pydict(
        {
            "story_id": [row[1].story_id for row in rows],
            "article_id": [row[0] for row in rows],
            "version": [row[1].version for row in rows],
            "is_latest": [row[1].is_latest for row in rows],
            "published_date": [row[2] for row in rows],
            "in_batch": [row[3] for row in rows],
        },
        schema=STORY_VERSIONS,
    )
    # Sorted in Arrow, not as Python tuples (twice the time at 100,000 new articles); byte
    # order of UTF-8 is code point order, so the rows come out as a tuple sort ordered them.
    return table.sort_by([(name, "ascending") for name in _STORY_VERSIONS_ORDER])


# The order of ``story_versions`` rows: story, version, then every other column.
_STORY_VERSIONS_ORDER = (
    "story_id",
    "version",
    "article_id",
    "published_date",
    "in_batch",
    "is_latest",
)


def version_changes_table(changes: Mapping[str, Version]) -> pa.Table:
    """New story_id / version / is_latest of articles already in the warehouse."""
    ids = sorted(changes)
    return pa.Table.from_pydict(
        {
            "article_id": ids,
            "story_id": [changes[i].story_id for i in ids],
            "version": [changes[i].version for i in ids],
            "is_latest": [changes[i].is_latest for i in ids],
        },
        schema=VERSION_CHANGES,
    )


def apply_versions(path: Path, versions: Mapping[str, Version]) -> None:
    """Rewrite one staged articles file with the final story_id / version / is_latest."""
    table = pq.read_table(path)
    if table.num_rows == 0:
        return
    assigned = [versions[article_id] for article_id in table.column("article_id").to_pylist()]
    for name, values in (
        ("story_id", [version.story_id for version in assigned]),
        ("version", [version.version for version in assigned]),
        ("is_latest", [version.is_latest for version in assigned]),
    ):
        column = table.schema.field(name)
        index = table.schema.get_field_index(name)
        table = table.set_column(index, column, pa.array(values, column.type))
    write_table_atomic(table, path)
