"""Parse one wire-story text into its parts: header, wire tag, story paragraphs, notes, links.

Pure functions with no I/O: the input is decoded text, the output a ``ParsedStory`` or a
``Rejection`` with a stable reason code. Nothing here raises on bad input.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from flows.notes import UpdateNote, parse_update_note

# Stable rejection codes; the `rejected_files.reason` column only holds these.
EMPTY = "empty"
NOT_UTF8 = "not_utf8"
NO_HEADER = "no_header"
BAD_DATE = "bad_date"
NO_BODY = "no_body"
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"

_HEADER = re.compile(r"date[ \t]+(\S+)[ \t]*(.*)", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A dateline is capitals (city, maybe with a date: 'BERLIN, Sept 14'), then the wire in brackets.
_WIRE_TAG = re.compile(
    r"(?:(?P<dateline>[A-Z][A-Z.'’\- ]*[A-Z.](?:/[A-Z][A-Z.'’\- ]*[A-Z.])*)"
    r"(?:,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?\s*)?"
    r"\((?P<wire>[A-Z][A-Za-z.&' ]{0,38}[A-Za-z.])\)\s*(?:--|—|–|-)\s*"
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)\s*copyright|copyright\s+(?:©\s*)?\d{4})", re.IGNORECASE)
_RELATED_LINK = re.compile(r"(?:read(?:\s+more|\s+also)?|also\s+read)\s*:\s*(?P<title>.+)", re.I)
_CONTACT = re.compile(r"to contact the (?:reporter|editor|author)", re.IGNORECASE)
_BYLINE = re.compile(
    r"(?:--+\s*with assistance|--+\s*[A-Z]|\((?:additional )?(?:reporting|writing|editing) by)",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"(?:for more articles like this|subscribe now|sign up for|follow us on|"
    r"get the latest|like this story\?|©?\s*\d{4} bloomberg l\.p\.$)",
    re.IGNORECASE,
)
_EDITOR_NOTE = re.compile(r"\(?\s*(?:note|editor[’']?s note|disclosure)\s*:", re.IGNORECASE)
# Non-breaking and typographic spaces read as plain spaces.
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_WORD = re.compile(r"\w+(?:[’'.\-]\w+)*")
_KEY_CHARS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Rejection:
    """Why a file could not become an article: a stable code and a human detail."""

    reason: str
    detail: str


@dataclass(frozen=True)
class Part:
    """One paragraph of the file, in file order, with its kind."""

    position: int
    kind: str
    text: str
    paragraph_no: int | None


@dataclass(frozen=True)
class PlacedNote:
    """An update note with where it stands in the file."""

    position: int
    placement: str
    note: UpdateNote


@dataclass(frozen=True)
class ParsedStory:
    """Everything the table builders need from one story file."""

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

    @property
    def story_paragraphs(self) -> tuple[str, ...]:
        """Story paragraphs in order, the lede without its wire tag."""
        texts = [p.text for p in self.parts if p.kind == "story"]
        if texts:
            texts[0] = self.lede
        return tuple(texts)

    @property
    def body(self) -> str:
        """The story paragraphs joined by blank lines."""
        return "\n\n".join(self.story_paragraphs)

    @property
    def word_count(self) -> int:
        """Words in the story paragraphs."""
        return sum(count_words(text) for text in self.story_paragraphs)


def count_words(text: str) -> int:
    """Count words the way a reader would: runs of letters/digits, contractions kept whole."""
    return len(_WORD.findall(text))


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


def normalize_text(text: str) -> str:
    """Unify line endings and odd spaces so equal stories compare equal."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = _ODD_SPACE.sub(" ", text)
    return text.strip()


def content_key(text: str) -> str:
    """Normalize a headline or lede for matching versions of one story."""
    return _KEY_CHARS.sub(" ", text.lower()).strip()


def split_paragraphs(body: str) -> list[str]:
    """Split on blank lines; a body without any blank line is one paragraph per line."""
    if not body:
        return []
    chunks = _BLANK_LINE.split(body) if "\n\n" in body else body.split("\n")
    return [
        " ".join(line.strip() for line in chunk.split("\n")).strip()
        for chunk in chunks
        if chunk.strip()
    ]


def parse_story(text: str) -> ParsedStory | Rejection:
    """Parse decoded story text into a ``ParsedStory`` or say why it cannot be one."""
    normalized = normalize_text(text)
    if not normalized:
        return Rejection(EMPTY, "file is empty or whitespace only")
    header, _, rest = normalized.partition("\n")
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
    if not headline:
        return Rejection(NO_HEADER, "header line has a date but no headline")
    parts, notes, links, copyright_line, tag = _classify(split_paragraphs(rest), published)
    story = [part for part in parts if part.kind == "story"]
    if not story:
        return Rejection(NO_BODY, "no story paragraphs after the header")
    wire, dateline, lede = (
        tag if tag is not None else (_wire_from(copyright_line), None, story[0].text)
    )
    if not lede:
        return Rejection(NO_BODY, "the first story paragraph is empty after its wire tag")
    return ParsedStory(
        article_id=hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:32],
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


def _wire_from(copyright_line: str | None) -> str:
    """Name the wire from the copyright line when the lede carries no tag."""
    if copyright_line:
        for wire in ("Bloomberg", "Reuters", "AP", "AFP", "Dow Jones"):
            if wire.lower() in copyright_line.lower():
                return wire
    return "unknown"


def _match_wire_tag(text: str) -> tuple[str, str | None, str] | None:
    """Split '(Bloomberg) -- ...' or 'BERLIN (Reuters) - ...' into wire, dateline and the rest."""
    if "(" not in text[:60]:
        return None
    match = _WIRE_TAG.match(text)
    if match is None:
        return None
    dateline = match.group("dateline")
    return match.group("wire").strip(), dateline.strip() if dateline else None, text[match.end() :]


def _kind_of(text: str) -> str:
    """Classify a non-note paragraph by its opening words."""
    first = text[:1]
    if first in "©(" or text[:9].lower() == "copyright":
        if _COPYRIGHT.match(text):
            return "copyright"
        if _EDITOR_NOTE.match(text):
            return "editor_note"
        if first == "(" and _BYLINE.match(text):
            return "byline"
    if first == "-" and _BYLINE.match(text):
        return "byline"
    lowered = text[:40].lower()
    if lowered.startswith("to contact") and _CONTACT.match(text):
        return "contact"
    if lowered.startswith(("read", "also read")) and _RELATED_LINK.match(text):
        return "related_link"
    if _BOILERPLATE.match(text):
        return "boilerplate"
    if lowered.startswith(("note:", "editor")) and _EDITOR_NOTE.match(text):
        return "editor_note"
    return "story"


def _classify(
    paragraphs: list[str], published: date
) -> tuple[list[Part], list[PlacedNote], list[str], str | None, tuple[str, str | None, str] | None]:
    """Give every paragraph its kind and number the story paragraphs as editors count them."""
    parts: list[Part] = []
    notes: list[PlacedNote] = []
    links: list[str] = []
    copyright_line: str | None = None
    tag: tuple[str, str | None, str] | None = None
    pending_tag: tuple[str, str | None] | None = None
    paragraph_no = 0
    for position, text in enumerate(paragraphs, start=1):
        kind = _kind_of(text)
        if kind == "story":
            note = parse_update_note(text, published)
            if note is not None:
                placement = "top" if paragraph_no == 0 else "bottom"
                notes.append(PlacedNote(position, placement, note))
                parts.append(Part(position, "update_note", text, None))
                continue
        if kind == "story" and paragraph_no == 0:
            found = _match_wire_tag(text)
            if found is not None and not found[2].strip():
                # A wire tag standing alone ('(Bloomberg) --'): the lede is the next paragraph.
                pending_tag = (found[0], found[1])
                parts.append(Part(position, "boilerplate", text, None))
                continue
            if found is not None:
                tag = found
            elif pending_tag is not None:
                tag = (pending_tag[0], pending_tag[1], text)
        if kind == "story":
            paragraph_no += 1
            parts.append(Part(position, kind, text, paragraph_no))
            continue
        if kind == "related_link":
            match = _RELATED_LINK.match(text)
            links.append(match.group("title").strip() if match else text)
        elif kind == "copyright" and copyright_line is None:
            copyright_line = text
        parts.append(Part(position, kind, text, None))
    return parts, notes, links, copyright_line, tag
