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
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

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
