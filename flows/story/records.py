"""What the story parser hands out: a ``ParsedStory`` or a ``Rejection``, and their vocabulary.

The stable rejection codes (the only values of ``rejected_files.reason``), the paragraph kinds of
the warehouse contract (``KINDS``) and the records a parsed story is made of: ``Part`` (one
paragraph with its kind and number) and ``PlacedNote`` (an update note and where it stands).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import NamedTuple

from flows.schemas import REJECT_REASONS
from flows.story.notes import UpdateNote
from flows.story.text import content_key, count_words

# Stable rejection codes; the `rejected_files.reason` column only holds these
# (``schemas.REJECT_REASONS`` lists them for the schema and the suites).
EMPTY = "empty"
NOT_UTF8 = "not_utf8"
NO_HEADER = "no_header"
BAD_DATE = "bad_date"
NO_BODY = "no_body"
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"
BAD_NAME = "bad_name"  # the file's name is not UTF-8 (it is recorded with escapes)
# Found by discovery, and rejected without opening anything (``batch/extract.py``):
OUTSIDE_INPUT = "outside_input"  # a symbolic link out of the input folder
SYMLINK_LOOP = "symlink_loop"  # a cycle of links, or a folder link back to its own ancestor
DANGLING_LINK = "dangling_link"  # a symbolic link whose target does not exist
NOT_A_FILE = "not_a_file"  # a story name on a FIFO, socket or device
UNREADABLE_FOLDER = "unreadable_folder"  # a folder that could not be listed
DISCOVERY_CODES = frozenset(
    (OUTSIDE_INPUT, SYMLINK_LOOP, DANGLING_LINK, NOT_A_FILE, UNREADABLE_FOLDER)
)
REJECTION_CODES = frozenset(REJECT_REASONS)

STORY = "story"
RELATED_LINK = "related_link"
UPDATE_NOTE = "update_note"
EDITOR_NOTE = "editor_note"
BYLINE = "byline"
CONTACT = "contact"
BOILERPLATE = "boilerplate"
COPYRIGHT = "copyright"
# Internal: a heading over a list of related stories ('Related Stories'); stored as boilerplate.
LINK_HEADING = "link_heading"
KINDS = (STORY, RELATED_LINK, UPDATE_NOTE, EDITOR_NOTE, BYLINE, CONTACT, BOILERPLATE, COPYRIGHT)


class Part(NamedTuple):
    """One paragraph of the file, in file order, with its kind.

    ``paragraph_no`` is the editors' number of a story paragraph (the lede is 1), None for
    other kinds and for story parts editors do not count (subheads, lines before the lede).
    """

    position: int
    kind: str
    text: str
    paragraph_no: int | None


@dataclass(frozen=True)
class Rejection:
    """Why a file could not become an article: a stable code and a human detail."""

    reason: str
    detail: str


@dataclass(frozen=True)
class PlacedNote:
    """An update note with where it stands in the file."""

    position: int
    placement: str
    note: UpdateNote


@dataclass(frozen=True)
class ParsedStory:
    """Everything the table builders need from one story file.

    The derived views (paragraph texts, word count) are computed once: the table builders,
    versioning and entity extraction each read them.
    """

    article_id: str
    published_date: date
    headline: str
    wire: str
    dateline: str | None
    lede: str
    parts: tuple[Part, ...]
    notes: tuple[PlacedNote, ...]
    links: tuple[str, ...]
    copyright: str | None

    @cached_property
    def story_paragraphs(self) -> tuple[str, ...]:
        """Story parts in order (subheads included), the lede without its wire tag."""
        return tuple(
            self.lede if part.paragraph_no == 1 else part.text
            for part in self.parts
            if part.kind == STORY
        )

    @cached_property
    def numbered_paragraphs(self) -> tuple[tuple[int, str], ...]:
        """(paragraph_no, text) of the paragraphs update notes count, the lede untagged."""
        return tuple(
            (part.paragraph_no, self.lede if part.paragraph_no == 1 else part.text)
            for part in self.parts
            if part.paragraph_no is not None
        )

    @cached_property
    def headline_key(self) -> str:
        """The headline as versions are matched on (versioning and the articles table read it)."""
        return content_key(self.headline)

    @cached_property
    def lede_key(self) -> str:
        """The lede as versions are matched on."""
        return content_key(self.lede)

    @property
    def body(self) -> str:
        """The story paragraphs joined by blank lines."""
        return "\n\n".join(self.story_paragraphs)

    @cached_property
    def word_count(self) -> int:
        """Words in the story paragraphs (whitespace never joins words: one call for all)."""
        return count_words("\n".join(self.story_paragraphs))

    def adopt_derived(self, word_count: int, headline_key: str, lede_key: str) -> None:
        """Take ``word_count``, ``headline_key`` and ``lede_key`` as worked out from this same
        text in another process (``flows.batch.prefetch``) instead of working them out again."""
        self.__dict__.update(word_count=word_count, headline_key=headline_key, lede_key=lede_key)
