"""Values derived from stories' text, worked out ahead in another process.

About half of building a chunk's tables goes into values that depend on a story's text only:
its word count, the headline and lede keys, and the paragraph fingerprints versioning compares.
While the flow works on one chunk, ``chunk_facts`` reads and parses the next chunk's files in
a helper process (``flows.orchestration.prefetch``) on the core the flow leaves idle and works
these out there. The flow then gives them to its own parsed stories (``take_facts``), matched
by article id, which is a hash of the story's text: a file that changed in between has another
id, finds nothing, and has its values worked out in the flow as before. Only these values
cross; the tables are built from the flow's own parse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

from flows.batch.extract import read_files, source_files
from flows.batch.versions import story_paragraph_prints
from flows.story.parse import parse_story
from flows.story.records import ParsedStory


class StoryFacts(NamedTuple):
    """What one story's text gives, as ``ParsedStory`` and ``version_key`` work it out."""

    word_count: int
    headline_key: str
    lede_key: str
    paragraph_prints: bytes


def story_facts(story: ParsedStory) -> StoryFacts:
    """The derived values of one parsed story."""
    return StoryFacts(
        story.word_count,
        story.headline_key,
        story.lede_key,
        story_paragraph_prints(story),
    )


def chunk_facts(files: pa.Table, input_dir: Path, max_file_bytes: int) -> dict[str, StoryFacts]:
    """Read and parse a chunk's files (rows of ``DISCOVERED_FILES``) as the run will, and work
    out each story's facts, by article id."""
    facts: dict[str, StoryFacts] = {}
    for item in read_files(source_files(files, input_dir), max_file_bytes):
        story = parse_story(item.text) if item.text is not None else None
        if isinstance(story, ParsedStory):
            facts[story.article_id] = story_facts(story)
    return facts


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
