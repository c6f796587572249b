"""Group story versions: files with the same headline or the same lede are one story.

The grouping is a pure function of all articles' keys, so a full refresh and any sequence of
incremental runs give the same ``story_id``, ``version`` and ``is_latest``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

# A lede shared by this many differently headlined articles is boilerplate (a newsletter
# promotion standing where the lede should be), not evidence of one story.
BOILERPLATE_LEDE_HEADLINES = 3
# Versions of one story are published within days; an identical generic headline
# ('Stocks Rise') weeks apart is another story.
MAX_DAYS_BETWEEN_VERSIONS = 3


@dataclass(frozen=True)
class VersionKey:
    """What versioning needs to know about one article."""

    article_id: str
    published_date: date
    headline_key: str
    lede_key: str
    note_count: int
    paragraph_count: int


@dataclass(frozen=True)
class Version:
    """Where one article stands among the versions of its story."""

    story_id: str
    version: int
    is_latest: bool


def assign_versions(articles: Iterable[VersionKey]) -> dict[str, Version]:
    """Group articles into stories and number each story's versions by publication order."""
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

    for key_of in (lambda row: row.headline_key, lambda row: row.lede_key):
        by_key: dict[str, list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            key = key_of(row)
            if key:
                by_key[key].append(index)
        for indexes in by_key.values():
            headlines = {rows[index].headline_key for index in indexes}
            if len(headlines) >= BOILERPLATE_LEDE_HEADLINES:
                continue
            indexes.sort(key=lambda index: rows[index].published_date)
            for previous, current in pairwise(indexes):
                gap = (rows[current].published_date - rows[previous].published_date).days
                if gap <= MAX_DAYS_BETWEEN_VERSIONS:
                    union(previous, current)

    groups: dict[int, list[VersionKey]] = defaultdict(list)
    for index, row in enumerate(rows):
        groups[find(index)].append(row)

    result: dict[str, Version] = {}
    for members in groups.values():
        # Later versions carry more update notes and usually more paragraphs.
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
