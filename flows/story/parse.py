"""Parse one wire-story text into its parts: header, wire tag, story paragraphs, notes, links.

Pure functions with no I/O: the input is decoded text, the output a ``ParsedStory`` or a
``Rejection`` with a stable reason code. Nothing here raises on bad input.

A story file is a header line (`` date YYYY-MM-DD Headline``) and paragraphs separated by blank
lines (or one per line when the file has no blank line at all). Each paragraph gets a kind from
the warehouse contract. Story paragraphs are numbered the way editors number them in update
notes: from the lede (the paragraph with the wire tag, ``BERLIN (Reuters) - ...``), skipping
subheads ('Market Reaction', ‘Too Small’), which editors do not count: those stay ``story``
parts with no number. Lines before the lede (Reuters' top bullets, 'By ...') are unnumbered too.

The parser is split by what the code does; each module imports only those listed above it
(and ``flows.story.notes``, the update-note grammar):

- ``text``: normalising text, splitting paragraphs, counting words, ``content_key``.
- ``records``: rejection codes, paragraph kinds, ``Part``, ``Rejection``, ``PlacedNote``,
  ``ParsedStory``.
- ``wires``: wire tags and datelines (``match_wire_tag``).
- ``kinds``: the kind of every paragraph, the lede and the editors' paragraph numbers.
- ``parse`` (this module): ``decode`` and ``parse_story`` (the header line, the wire named
  without a tag). It re-exports the public names of the others (``__all__``): import them from
  here.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from flows.story.kinds import _classify
from flows.story.records import (
    BAD_DATE,
    BAD_NAME,
    BOILERPLATE,
    BYLINE,
    CONTACT,
    COPYRIGHT,
    EDITOR_NOTE,
    EMPTY,
    KINDS,
    LINK_HEADING,
    NO_BODY,
    NO_HEADER,
    NOT_UTF8,
    REJECTION_CODES,
    RELATED_LINK,
    STORY,
    TOO_LARGE,
    UNREADABLE,
    UPDATE_NOTE,
    ParsedStory,
    Part,
    PlacedNote,
    Rejection,
)
from flows.story.text import (
    _WORD,
    _normalized_lines,
    _paragraphs,
    content_key,
    count_words,
    normalize_text,
    split_paragraphs,
)
from flows.story.wires import match_wire_tag

# The parser's public names, wherever they are defined.
__all__ = [
    "BAD_DATE",
    "BAD_NAME",
    "BOILERPLATE",
    "BYLINE",
    "CONTACT",
    "COPYRIGHT",
    "EDITOR_NOTE",
    "EMPTY",
    "KINDS",
    "LINK_HEADING",
    "NOT_UTF8",
    "NO_BODY",
    "NO_HEADER",
    "REJECTION_CODES",
    "RELATED_LINK",
    "STORY",
    "TOO_LARGE",
    "UNREADABLE",
    "UPDATE_NOTE",
    "ParsedStory",
    "Part",
    "PlacedNote",
    "Rejection",
    "content_key",
    "count_words",
    "decode",
    "match_wire_tag",
    "normalize_text",
    "parse_story",
    "split_paragraphs",
]

_HEADER = re.compile(r"date:?[ \t]+(\S+)[ \t]*(.*)", re.IGNORECASE)
# An ISO date, maybe with a time ('2020-01-05T08:00:00Z'); the time is not kept.
_ISO_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:T\d{1,2}(?::\d\d){0,2}(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)?"
)


def decode(data: bytes) -> str | Rejection:
    """Decode strict UTF-8 (a BOM is dropped); undecodable bytes are a rejection, not a guess."""
    if not data.strip():
        return Rejection(EMPTY, "file is empty or whitespace only")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Rejection(
            NOT_UTF8,
            f"invalid UTF-8 at byte {error.start}: {data[error.start : error.start + 4]!r}",
        )


def parse_story(text: str) -> ParsedStory | Rejection:
    """Parse decoded story text into a ``ParsedStory`` or say why it cannot be one."""
    normalized, lines, data = _normalized_lines(text)
    if not normalized:
        return Rejection(EMPTY, "file is empty or whitespace only")
    first = 0
    while not lines[first]:
        first += 1  # blank lines before the header
    header = lines[first]
    paragraphs = _paragraphs(lines[first + 1 :])
    match = _HEADER.fullmatch(header)
    if match is None:
        return Rejection(
            NO_HEADER, f"first line is not ' date YYYY-MM-DD Headline': {header[:80]!r}"
        )
    published = _parse_iso_date(match.group(1))
    if published is None:
        return Rejection(
            BAD_DATE, f"header date is not a valid YYYY-MM-DD date: {match.group(1)[:40]!r}"
        )
    headline = match.group(2).strip()
    if (
        not headline
        and len(lines) > first + 1
        and lines[first + 1]
        and _HEADER.match(lines[first + 1]) is None
    ):
        # The headline on the line under the date, with no blank line between.
        headline, paragraphs = lines[first + 1], _paragraphs(lines[first + 2 :])
    if not headline:
        return Rejection(NO_HEADER, "header line has a date but no headline")
    classified = _classify(paragraphs, published)
    if classified is None:
        return Rejection(NO_BODY, "no story paragraphs after the header")
    parts, notes, links, copyright_line, tag = classified
    wire, dateline, lede = tag
    if _WORD.search(lede) is None and not any(
        _WORD.search(part.text) for part in parts if part.kind == STORY and part.paragraph_no != 1
    ):
        return Rejection(NO_BODY, "the story paragraphs hold no words")
    if wire is None:
        wire = _wire_from(parts)
    return ParsedStory(
        article_id=hashlib.sha256(data).hexdigest()[:32],
        published_date=published,
        headline=headline,
        wire=wire,
        dateline=dateline,
        lede=lede,
        parts=tuple(parts),
        notes=tuple(notes),
        links=tuple(links),
        copyright=copyright_line,
    )


def _parse_iso_date(value: str) -> date | None:
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _wire_from(parts: list[Part]) -> str:
    """Name the wire from the copyright or staff lines when the lede carries no tag."""
    for part in parts:
        if part.kind in (COPYRIGHT, BOILERPLATE, CONTACT):
            low = part.text.lower()
            for key, wire in (
                ("bloomberg", "Bloomberg"),
                ("reuters", "Reuters"),
                ("associated press", "AP"),
                ("afp", "AFP"),
                ("dow jones", "Dow Jones"),
            ):
                if key in low:
                    return wire
    return "unknown"
