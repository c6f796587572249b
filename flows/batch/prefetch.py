"""Values derived from stories' text, worked out ahead in another process.

About half of building a chunk's tables goes into values that depend on a story's text only:
its word count, the headline and lede keys, and the paragraph fingerprints versioning compares.
While the flow works on one chunk, ``chunk_facts`` reads and parses the next chunk's files in
a helper process (``flows.orchestration.prefetch``) on the core the flow leaves idle and works
these out there, and builds the chunk's paragraphs table. The flow then gives the values to its
own parsed stories (``take_facts``) and takes its stories' paragraph rows (``take_paragraphs``),
matched by article id, which is a hash of the story's text: a file that changed in between has
another id, finds nothing, and has its values worked out in the flow as before. The other
tables are built from the flow's own parse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

from flows import schemas
from flows.batch.extract import read_files, source_files
from flows.batch.tables import paragraphs_table
from flows.batch.versions import story_paragraph_prints
from flows.story.parse import parse_story
from flows.story.records import ParsedStory


class StoryFacts(NamedTuple):
    """What one story's text gives, as ``ParsedStory`` and ``version_key`` work it out."""

    word_count: int
    headline_key: str
    lede_key: str
    paragraph_prints: bytes
    # Where the story's rows are in its chunk's paragraphs table: first row, number of rows.
    paragraph_rows: tuple[int, int] = (0, 0)


class ChunkFacts(NamedTuple):
    """A chunk's story facts by article id, and the paragraphs table of those stories."""

    stories: dict[str, StoryFacts]
    paragraphs: pa.Table


NO_FACTS = ChunkFacts({}, schemas.PARAGRAPHS.empty_table())


def story_facts(story: ParsedStory, first_row: int = 0) -> StoryFacts:
    """The derived values of one parsed story (its paragraph rows start at ``first_row``)."""
    return StoryFacts(
        story.word_count,
        story.headline_key,
        story.lede_key,
        story_paragraph_prints(story),
        (first_row, len(story.parts)),
    )


def chunk_facts(files: pa.Table, input_dir: Path, max_file_bytes: int) -> ChunkFacts:
    """Read and parse a chunk's files (rows of ``DISCOVERED_FILES``) as the run will, and work
    out each story's facts, by article id, and the paragraphs of every story (once each)."""
    facts: dict[str, StoryFacts] = {}
    stories: list[ParsedStory] = []
    rows = 0
    for item in read_files(source_files(files, input_dir), max_file_bytes):
        story = parse_story(item.text) if item.text is not None else None
        if isinstance(story, ParsedStory) and story.article_id not in facts:
            facts[story.article_id] = story_facts(story, rows)
            stories.append(story)
            rows += len(story.parts)
    return ChunkFacts(facts, paragraphs_table(stories))


def take_paragraphs(stories: Sequence[ParsedStory], facts: ChunkFacts) -> pa.Table | None:
    """The paragraphs table of ``stories``, in order, from the rows built ahead; None unless
    every story's text had its rows built there."""
    ranges = [facts.stories.get(story.article_id) for story in stories]
    if not stories or any(known is None for known in ranges):
        return None
    rows = [
        row
        for known in ranges
        if known is not None
        for row in range(known.paragraph_rows[0], sum(known.paragraph_rows))
    ]
    return facts.paragraphs.take(pa.array(rows, pa.int64()))


def take_facts(stories: Iterable[ParsedStory], facts: Mapping[str, StoryFacts]) -> dict[str, bytes]:
    """Give each story the facts worked out ahead for its text; returns their paragraph
    prints by article id (stories with none worked out ahead are left out)."""
    prints: dict[str, bytes] = {}
    for story in stories:
        known = facts.get(story.article_id)
        if known is not None:
            story.adopt_derived(known.word_count, known.headline_key, known.lede_key)
            prints[story.article_id] = known.paragraph_prints
    return prints
