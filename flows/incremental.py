"""Decide what each input file becomes, against what the warehouse already holds.

Pure: takes the discovered files, the manifest and the parse results, returns one
``FileOutcome`` per file, so the accounting rule (every file ends as exactly one manifest row)
holds by construction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from flows.extract import ReadFile
from flows.parse import ParsedStory, Rejection
from flows.schemas import STORY_VERSIONS
from flows.tables import DUPLICATE, LOADED, REJECTED, FileOutcome
from flows.versions import Version, VersionKey, assign_versions, paragraph_prints
from flows.warehouse import Manifest


@dataclass(frozen=True)
class Accounting:
    """The file counts of one run; seen = new + skipped + rejected."""

    files_seen: int
    files_new: int
    files_skipped: int
    files_rejected: int

    def __add__(self, other: Accounting) -> Accounting:
        """The counts of two parts of one run (chunks of files) together."""
        return Accounting(
            self.files_seen + other.files_seen,
            self.files_new + other.files_new,
            self.files_skipped + other.files_skipped,
            self.files_rejected + other.files_rejected,
        )

    def as_dict(self) -> dict[str, int]:
        """The counts by column name."""
        return {
            "files_seen": self.files_seen,
            "files_new": self.files_new,
            "files_skipped": self.files_skipped,
            "files_rejected": self.files_rejected,
        }


@dataclass
class RunMemory:
    """Contents and articles met earlier in this run, when a run settles its files in chunks."""

    contents: dict[str, str] = field(default_factory=dict)  # content_sha256 -> article_id
    article_ids: set[str] = field(default_factory=set)


def settle(
    read: Sequence[ReadFile],
    parsed: Sequence[ParsedStory | Rejection | None],
    manifest: Manifest,
    memory: RunMemory | None = None,
) -> list[FileOutcome]:
    """Turn read and parsed files into outcomes: new article, duplicate or rejection.

    ``memory`` carries what earlier chunks of the same run settled, so a file repeating one of
    them is a duplicate too; it is updated in place.
    """
    outcomes: list[FileOutcome] = []
    memory = memory if memory is not None else RunMemory()
    contents = memory.contents
    batch_articles = memory.article_ids
    for item, result in zip(read, parsed, strict=True):
        source = item.source
        known = manifest.files.get(source.relative_path)
        first_seen = (
            known.first_seen_run
            if known is not None and known.content_sha256 == item.content_sha256
            else None
        )
        rejection = item.rejection or (result if isinstance(result, Rejection) else None)
        if rejection is not None or not isinstance(result, ParsedStory):
            outcomes.append(
                FileOutcome(
                    source,
                    REJECTED,
                    content_sha256=item.content_sha256,
                    rejection=rejection,
                    first_seen_run=first_seen,
                )
            )
            continue
        sha = item.content_sha256
        assert sha is not None
        earlier = manifest.contents.get(sha) or contents.get(sha)
        if earlier is None and (
            result.article_id in manifest.article_ids or result.article_id in batch_articles
        ):
            earlier = result.article_id  # same story text with other bytes (CRLF, BOM)
        if earlier is not None:
            # The same path seen again with the same content is still the article it became.
            status = (
                LOADED if first_seen is not None and known and known.status == LOADED else DUPLICATE
            )
            outcomes.append(
                FileOutcome(
                    source,
                    status,
                    is_new=False,
                    content_sha256=sha,
                    article_id=earlier,
                    first_seen_run=first_seen,
                )
            )
            continue
        contents[sha] = result.article_id
        batch_articles.add(result.article_id)
        outcomes.append(
            FileOutcome(
                source,
                LOADED,
                content_sha256=sha,
                article_id=result.article_id,
                story=result,
                first_seen_run=first_seen,
            )
        )
    return outcomes


def account(outcomes: Sequence[FileOutcome]) -> Accounting:
    """Count the run's files: new articles, skipped (known or repeated content), rejected."""
    new = sum(1 for o in outcomes if o.is_new and o.status == LOADED)
    rejected = sum(1 for o in outcomes if o.is_new and o.status == REJECTED)
    return Accounting(len(outcomes), new, len(outcomes) - new - rejected, rejected)


def version_key(story: ParsedStory) -> VersionKey:
    """What versioning needs from a newly parsed story."""
    return VersionKey(
        story.article_id,
        story.published_date,
        story.headline_key,
        story.lede_key,
        len(story.notes),
        len(story.story_paragraphs),
        paragraph_prints([p.text for p in story.parts if p.paragraph_no is not None]),
    )


def compute_versions(
    new_stories: Sequence[ParsedStory], manifest: Manifest
) -> tuple[dict[str, Version], dict[str, Version]]:
    """Versions of the new articles, and the changed versions of articles already loaded."""
    return versions_for_keys([version_key(story) for story in new_stories], manifest)


def versions_for_keys(
    new_keys: Sequence[VersionKey], manifest: Manifest
) -> tuple[dict[str, Version], dict[str, Version]]:
    """``compute_versions`` from the new articles' keys (all a chunked run keeps of them).

    Versions are a function of the set of articles: a run that adds none changes none.
    ``manifest.versions`` need only hold the loaded articles related to the new ones
    (``warehouse.related_versions``): no other article's version can change.
    """
    if not new_keys:
        return {}, {}
    keys = [key for key, _ in manifest.versions.values()]
    keys.extend(new_keys)
    assigned = assign_versions(keys, manifest.lede_headlines)
    new_ids = {key.article_id for key in new_keys}
    new_versions = {article_id: assigned[article_id] for article_id in new_ids}
    changed = {
        article_id: assigned[article_id]
        for article_id, (_, current) in manifest.versions.items()
        if assigned[article_id] != current
    }
    return new_versions, changed


def story_versions_table(
    new_keys: Sequence[VersionKey],
    new_versions: Mapping[str, Version],
    changes: Mapping[str, Version],
    manifest: Manifest,
) -> pa.Table:
    """Every version of the stories this run touches, as they will stand after the load.

    A story is touched when it gains a new version or one of its loaded versions changes
    (renumbered, merged into another story); its untouched versions come from the manifest, so
    the rows of one story are all of its versions across the warehouse and the batch.
    """
    final: dict[str, tuple[Version, date, bool]] = {}
    touched: set[str] = set()
    for article_id, (key, current) in manifest.versions.items():
        changed = changes.get(article_id)
        final[article_id] = (changed or current, key.published_date, False)
        if changed is not None:
            touched.update((current.story_id, changed.story_id))
    for key in new_keys:
        version = new_versions[key.article_id]
        final[key.article_id] = (version, key.published_date, True)
        touched.add(version.story_id)
    rows = sorted(
        (version.story_id, version.version, article_id, published, in_batch, version.is_latest)
        for article_id, (version, published, in_batch) in final.items()
        if version.story_id in touched
    )
    return pa.Table.from_pydict(
        {
            "story_id": [row[0] for row in rows],
            "article_id": [row[2] for row in rows],
            "version": [row[1] for row in rows],
            "is_latest": [row[5] for row in rows],
            "published_date": [row[3] for row in rows],
            "in_batch": [row[4] for row in rows],
        },
        schema=STORY_VERSIONS,
    )
