"""Parse one wire-story text into its parts: header, wire tag, story paragraphs, notes, links.

Pure functions with no I/O: the input is decoded text, the output a ``ParsedStory`` or a
``Rejection`` with a stable reason code. Nothing here raises on bad input.

A story file is a header line (`` date YYYY-MM-DD Headline``) and paragraphs separated by blank
lines (or one per line when the file has no blank line at all). Each paragraph gets a kind from
the warehouse contract. Story paragraphs are numbered the way editors number them in update
notes: from the lede (the paragraph with the wire tag, ``BERLIN (Reuters) - ...``), skipping
subheads ('Market Reaction', ‘Too Small’), which editors do not count: those stay ``story``
parts with no number. Lines before the lede (Reuters' top bullets, 'By ...') are unnumbered too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import filterfalse
from typing import NamedTuple

from flows.notes import UNBRACKETED_OPENERS, UpdateNote, parse_update_note
from flows.schemas import REJECT_REASONS

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

# --- text ------------------------------------------------------------------------------------

_HEADER = re.compile(r"date:?[ \t]+(\S+)[ \t]*(.*)", re.IGNORECASE)
# An ISO date, maybe with a time ('2020-01-05T08:00:00Z'); the time is not kept.
_ISO_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:T\d{1,2}(?::\d\d){0,2}(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)?"
)
# Invisible characters that only make equal stories differ (BOM, zero-width, soft hyphen).
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad]")
# Non-breaking and typographic spaces read as plain spaces.
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# Control characters: line-like ones become newlines, the others are dropped.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")
_LINE_LIKE = frozenset("\x0b\x0c\x85\u2028\u2029")
# Any of the above: one scan finds whether a text needs the others at all (rarely).
_SPECIAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u00a0\u00ad\u2000-\u200d\u2028\u2029\u202f\u205f"
    "\u2060\u3000\ufeff]"
)
# The same in UTF-8: a file needs full normalization only if its bytes hold one of these. To
# find them fast, every byte that cannot be part of one is deleted first (``bytes.translate``
# runs in C), and the pattern is searched in the few bytes left.
_SPECIAL_UTF8 = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x85\xa0\xad]|\xe2\x80[\x80-\x8d\xa8\xa9\xaf]"
    rb"|\xe2\x81[\x9f\xa0]|\xe3\x80\x80|\xef\xbb\xbf"
)
_SPECIAL_BYTES = bytes(
    sorted(
        {*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0x85, 0xA0, 0xAD}
        | {0xE2, 0x80, *range(0x80, 0x8E), 0xA8, 0xA9, 0xAF, 0x81, 0x9F, 0xE3, 0xEF, 0xBB, 0xBF}
    )
)
_NOT_SPECIAL_BYTES = bytes(b for b in range(256) if b not in _SPECIAL_BYTES)
# A line this long was not hard-wrapped: in a block of such lines each line is a paragraph.
_LONG_LINE = 120
# Possessive quantifiers (Python 3.11+): the same matches as r"\w+(?:[’'.\-]\w+)*" without
# backtracking, a third faster (word counts run over every paragraph of a run).
_WORD = re.compile(r"\w++(?:[’'.\-]\w++)*+")
_KEY_CHARS = re.compile(r"[^a-z0-9]+")

# --- wire tags and datelines -----------------------------------------------------------------

# Known wires by the start of their tag; 'Bloomberg Opinion' and 'Reuters Breakingviews' are
# the same wires. A known wire may follow a mixed-case dateline ('Paris (AFP) -').
_WIRES: tuple[tuple[str, str], ...] = (
    ("bloomberg", "Bloomberg"),
    ("reuters", "Reuters"),
    ("thomson reuters", "Reuters"),
    ("ap", "AP"),
    ("associated press", "AP"),
    ("the associated press", "AP"),
    ("afp", "AFP"),
    ("agence france-presse", "AFP"),
    ("agence france presse", "AFP"),
    ("dow jones", "Dow Jones"),
    ("dj", "Dow Jones"),
    ("marketwatch", "MarketWatch"),
    ("xinhua", "Xinhua"),
    ("kyodo", "Kyodo"),
    ("yonhap", "Yonhap"),
    ("upi", "UPI"),
    ("cnn", "CNN"),
    ("dpa", "dpa"),
    ("efe", "EFE"),
    ("ansa", "ANSA"),
    ("pti", "PTI"),
    ("ians", "IANS"),
    ("tass", "TASS"),
    ("interfax", "Interfax"),
    ("bernama", "Bernama"),
    ("anadolu", "Anadolu"),
    ("ria novosti", "RIA Novosti"),
    ("reuters health", "Reuters"),
    ("ifr", "IFR"),
)
_WIRE_BY_NAME = dict(_WIRES)
_WIRE_NAME = re.compile(r"[A-Z][\w.&'’ -]{0,38}")
_TITLE_WORDS = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}")
_DASH = re.compile(r"[ \t]*(--+|—|–|-|:)?[ \t]*")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WHEN = re.compile(
    rf"(?:(?:mon|tues?|wed|thu|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{_MONTH})(?:,?\s*\d{{4}})?"
)
# A city: upper-case words ('NEW YORK', 'SÃO PAULO', 'NEW YORK/LONDON', "ST. JOHN'S").
_CITY_CAPS = re.compile(r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’/&-]{0,40}")
# A city in title case, accepted before a known wire ('Paris (AFP)').
_CITY_TITLE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:[ /][A-ZÀ-ÖØ-Þ][\w.'’-]*){0,3}")
# A region after the city ('PORTLAND, Ore.', 'SPRINGFIELD, Ill.').
_REGION = re.compile(r"[A-Z][A-Za-z]{1,14}\.?(?: [A-Z][A-Za-z]{1,14}\.?)?")
# A dateline with no wire ('WASHINGTON — ...'): capitals and a long dash only.
_BARE_DATELINE = re.compile(
    r"([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’/-]{2,40}[A-ZÀ-ÖØ-Þ.])[ \t]*(?:--|—|–)[ \t]*"
)

# --- kinds -----------------------------------------------------------------------------------

# Staff lines, links and furniture by their opening words, matched on the lower-cased first
# characters of a paragraph; the group that matched is the kind. Order matters: boilerplate
# ('For more articles like this') before links ('For more: ...').
_OPENERS = re.compile(
    r"(?P<copyright>©|\(c\)\s*(?:copyright\b|\d{4})"
    r"|copyright\b[^.\n]{0,60}?(?:\d{4}|all rights reserved)|all rights reserved)"
    r"|(?P<contact>to contact\s+(?:the\s+)?(?:reporters?|editors?|authors?|writers?|bloomberg)\b"
    r"|to contact\b[^.]{0,80}?\b(?:reporters?|editors?|authors?|writers?|staff"
    r"|story|columnists?|correspondents?|newsroom|us)\b"
    r"|to reach the (?:reporters?|authors?|writers?|editors?)\b|-*\s*write to\b"
    r"|follow\s+(?:\S+\s+){1,4}on\s+(?:twitter|x|linkedin|facebook)\b"
    r"|(?:e-?mail|contact)\s+(?:the\s+)?(?:reporters?|authors?|writers?|editors?)\b)"
    r"|(?P<byline>-+\s*with assistance\b|\(?\s*(?:(?:additional|editing|writing|compiled|"
    r"reporting|graphics?|photos?|photography)\s+(?:and\s+\w+\s+)?)+by\b)"
    r"|(?P<boilerplate>for more articles like this|subscribe\s+(?:now|to|here|today)\b"
    r"|sign\s+up\s+(?:for|here|now|to)\b|like this story\?|get the latest\b|our standards\s*:"
    r"|the thomson reuters trust principles|more from bloomberg\b|\(end\) dow jones newswires"
    r"|_{3,}|-{3,}\s*$|\*{3,}\s*$|#{3,}"
    r"|this (?:article|story) (?:was|is) (?:provided|produced|published) by)"
    r"|(?P<link_heading>(?:(?:related|more|recommended)\s+(?:stories|story|coverage|reading"
    r"|links|articles|news)|(?:read|see)\s+(?:more|also)|related)\s*:?\s*$)"
    r"|(?P<editor_note>\(?\s*(?:note|editor[’']?s?[’']?\s+note|editors?[’']?\s*note|disclosure"
    r"|disclaimer)\s*:|\(?\(\s*\$1\s*=|this column does not necessarily reflect"
    r"|the views expressed (?:here|in this))"
    r"|(?P<related_link>(?:read(?:\s+more|\s+also)?|also\s+read|see\s+also|related"
    r"|related\s+(?:story|stories|coverage|articles?|reading|news)|for\s+more|more|watch|earlier"
    r"|listen|click\s+here)\s*:\s*(?=\S)|click\s+here\b|read\s+(?!together\b|on\b|out\b|by\b)"
    r"|listen\s+to\b|watch\s+(?:the|our|a|more)\b"
    r"|for\s+more\b[^.:]{0,120}\b(?:click|see|visit|go\s+to|check\s+out|read|here)\b)"
)
# Staff lines and furniture are short; a longer paragraph opening like one is story text.
_MAX_CHARS = {
    COPYRIGHT: 400,
    CONTACT: 600,
    BYLINE: 300,
    BOILERPLATE: 300,
    LINK_HEADING: 40,
    EDITOR_NOTE: 1000,
    RELATED_LINK: 300,
}
# A sentence about copyright, not a notice: 'Copyright' then a lower-case word.
_COPYRIGHT_SENTENCE = re.compile(r"(?i:copyright)\s+[a-z]")
_LINK_TITLE = re.compile(r"[^:]{0,40}:\s*(.+)", re.DOTALL)
_BYLINE_NAME = re.compile(
    r"(?:By|BY):?\s+[A-ZÀ-Þ][\w.'’-]*(?:(?:\s+|\s*,\s*|\s+(?:and|&|de|da|van|von|der|del|la|le|di"
    r"|bin|al|y)\s+)[A-ZÀ-Þ(][\w.'’()-]*){0,12}\.?"
)
# '--With assistance ...', '-- Jane Doe, chief economist', '- Jo Roe, analyst': a single hyphen
# only before a name and a title, as it also opens list items.
_ATTRIBUTION = re.compile(
    r"(?:--|—|–)\s*[A-Za-zÀ-ÿ].*|-\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},\s*[^,]{1,60}"
)
_BULLETS = frozenset("•·▪◦‣*-–—+>●■□")
_SENTENCE_END = frozenset(".!?:;,")
_CLOSING = "”’\"')]»"
_MAX_HEADING_CHARS = 90
_MAX_HEADING_WORDS = 16
# A promotion where the lede should be ('(Bloomberg) -- Sign up for our newsletter.'): editors
# do not count it, and the story starts in the next paragraph.
_PROMOTION = re.compile(
    r"(?:sign up\b|\bin your inbox\b|\bfollow (?:bloomberg|us)\b|\bsubscrib(?:e|ing) (?:via|to our"
    r"|here|now|to bloomberg)\b)",
    re.IGNORECASE,
)
_MAX_PROMOTION = 300
# Promotions of a newsletter after the story, which readers of a syndicated copy still get;
# matched on lower-cased text, after a screen for any of the words they need.
_TRAILING_PROMOTION = re.compile(
    r"\bsign up (?:here|now|for (?:our|the|bloomberg)\b[^.]{0,60}\bnewsletter)"
    r"|\bsubscrib(?:e|ing) (?:to (?:our|bloomberg)|via|here|now)\b|\b(?:this|our) newsletter\b"
    r"|^how are we doing\?|keep it to yourself|^for even more\b"
)
_TRAILING_PROMOTION_WORDS = ("sign up", "subscrib", "newsletter", "how are", "keep it", "even more")
# Cheap screens for the pattern, in either case ('Sign up', 'sign up').
_PROMOTION_WORDS = ("ign up", "IGN UP", "nbox", "NBOX", "ollow", "OLLOW", "ubscrib", "UBSCRIB")
# How far down a file the lede may stand behind top bullets, bylines and notes, and how
# long such top matter may be (a longer paragraph is the story itself).
_LEDE_SEARCH = 8
_MAX_TOP_MATTER = 200


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


def count_words(text: str) -> int:
    """Count words the way a reader would: runs of letters/digits, contractions kept whole.

    Word counts run over every paragraph of a run, and the pattern alone took 13-15 s of a
    100,000-story load. Most whitespace-separated tokens are all letters or digits (85% of a
    generated corpus's), and such a token is exactly one match: only the others go through the
    pattern, joined by spaces, which match nothing and join nothing. Half the time, same count.
    """
    tokens = text.split()
    others = list(filterfalse(str.isalnum, tokens))
    return len(tokens) - len(others) + len(_WORD.findall(" ".join(others)))


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
    """Unify line endings, odd spaces, invisible marks and spaces at line ends.

    Equal stories then compare equal: the article id is a hash of this text.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SPECIAL.search(text) is not None:
        text = _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text))
        text = _CONTROL.sub(lambda m: "\n" if m.group() in _LINE_LIKE else "", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _normalized_lines(text: str) -> tuple[str, list[str], bytes]:
    """The normalized text, its lines and its UTF-8 bytes, the usual case fast.

    Most files need only line endings unified and lines stripped; the rare one holding odd
    spaces, invisible or control characters inside its lines gets ``normalize_text``.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]
    normalized = "\n".join(lines).strip()
    data = normalized.encode("utf-8")
    if _SPECIAL_UTF8.search(data.translate(None, _NOT_SPECIAL_BYTES)) is not None:
        normalized = normalize_text(text)
        lines = normalized.split("\n")
        data = normalized.encode("utf-8")
    return normalized, lines, data


def content_key(text: str) -> str:
    """Normalize a headline or lede for matching versions of one story."""
    return _KEY_CHARS.sub(" ", text.lower()).strip()


def split_paragraphs(body: str) -> list[str]:
    """Split on blank lines; a body without any blank line is one paragraph per line."""
    return _paragraphs([line.strip() for line in body.split("\n")])


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from stripped lines, where an empty line is a blank line.

    Inside a blank-line block, short lines are a hard-wrapped paragraph and are joined; a
    block of long lines is several paragraphs that lost the blank lines between them.
    """
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    lines = lines[start:end]
    if "" not in lines:
        return lines  # no blank line at all: one paragraph per line
    out: list[str] = []
    block: list[str] = []
    for line in lines:
        if line:
            block.append(line)
        elif block:
            out.append(block[0]) if len(block) == 1 else _add_block(out, block)
            block = []
    if block:
        out.append(block[0]) if len(block) == 1 else _add_block(out, block)
    return out


def _add_block(out: list[str], block: list[str]) -> None:
    """Several lines without a blank line between them: one paragraph, or one per line.

    A block of long lines or of bullets ('* Shares fall') is a paragraph per line; short lines
    are a hard-wrapped paragraph.
    """
    if max(map(len, block)) > _LONG_LINE or all(line[0] in _BULLETS for line in block[1:]):
        out.extend(block)
    else:
        out.append(" ".join(block))


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


def _known_wire(name: str) -> str | None:
    """The canonical name of a known wire ('Bloomberg Opinion' -> 'Bloomberg')."""
    low = name.lower()
    hit = _WIRE_BY_NAME.get(low)
    if hit is not None:
        return hit
    for key, wire in _WIRES:
        if len(key) > 3 and low.startswith(key + " "):
            return wire
    return None


def _dateline(prefix: str, known: bool) -> str | None:
    """The dateline before a wire tag ('LONDON, Sept 14' -> 'LONDON'); None if it is none."""
    pieces = [piece.strip() for piece in prefix.split(",")]
    city = pieces[0]
    if not (
        _CITY_CAPS.fullmatch(city)
        or (known and _CITY_TITLE.fullmatch(city) and not city.isupper() and len(city) <= 40)
    ):
        return None
    kept = [city]
    for piece in pieces[1:]:
        if _WHEN.fullmatch(piece.lower()):
            break  # the date ends the dateline
        if len(kept) < 3 and _REGION.fullmatch(piece):
            kept.append(piece)
            continue
        return None
    return ", ".join(kept)


def match_wire_tag(text: str) -> tuple[str, str | None, str] | None:
    """Split '(Bloomberg) -- ...' or 'BERLIN, Sept 14 (Reuters) - ...' into wire, dateline, rest."""
    opening = text.find("(", 0, 100)
    if opening < 0:
        return _match_bare_dateline(text)
    closing = text.find(")", opening, opening + 42)
    if closing < 0:
        return None
    name = text[opening + 1 : closing].strip()
    if not _WIRE_NAME.fullmatch(name):
        return None
    wire = _known_wire(name)
    dash = _DASH.match(text, closing + 1)
    assert dash is not None  # every part of the pattern is optional
    if wire is None and not dash.group(1):
        return None
    prefix = text[:opening].strip()
    dateline: str | None = None
    if prefix:
        dateline = _dateline(prefix, wire is not None)
        if dateline is None:
            return None
    elif wire is None and dash.group(1) in ("-", ":") and not _TITLE_WORDS.fullmatch(name):
        # '(AAPL) - ...': an unknown wire needs a dateline, a long dash or a name in words.
        return None
    return wire or name, dateline, text[dash.end() :]


def _match_bare_dateline(text: str) -> tuple[str, str | None, str] | None:
    """'WASHINGTON — ...': a capitalized city and a long dash, with no wire named."""
    if not text[:1].isupper():
        return None
    match = _BARE_DATELINE.match(text)
    if match is None or not any(ch.isalpha() for ch in match.group(1)[:3]):
        return None
    city = match.group(1).strip()
    if sum(ch.isalpha() for ch in city) < 3 or "." in city.replace(". ", ""):
        return None  # 'U.S. -- ...' is a sentence, not a dateline
    return "", city, text[match.end() :]


def _opener_kind(text: str) -> str | None:
    """The staff, link or furniture kind a paragraph's opening words give it, if any."""
    first = text[0]
    if first.isalpha() and first.islower():
        return None  # staff lines open with a capital, a symbol or a bracket
    match = _OPENERS.match(text[:160].lower())
    if match is not None:
        kind = match.lastgroup
        assert kind is not None
        if len(text) > _MAX_CHARS[kind]:
            return None
        if kind == COPYRIGHT and _COPYRIGHT_SENTENCE.match(text):
            return None  # 'Copyright disputes date back to 2011.' is story text
        return kind
    if first in "-—–" and len(text) <= 200 and _ATTRIBUTION.fullmatch(text):
        return BYLINE
    if first == "B" and len(text) <= 100 and text[-1] not in ".:;" and _BYLINE_NAME.fullmatch(text):
        return BYLINE  # 'By Jane Doe and John Roe'
    if len(text) <= 200 and text.endswith(_CONTRIBUTED):
        return BYLINE
    return None


def _heading_like(text: str) -> bool:
    """A subhead or a bare title: short, no closing punctuation, not a bullet or aside."""
    if len(text) > _MAX_HEADING_CHARS or text[0] in _BULLETS or text[0] == "(":
        return False
    end = text.rstrip(_CLOSING)
    if not end or end[-1] in _SENTENCE_END:
        return False
    return text.count(" ") < _MAX_HEADING_WORDS


def _link_title(text: str) -> str:
    """The title a related-link line names ('Read more: Title' -> 'Title')."""
    match = _LINK_TITLE.match(text)
    title = match.group(1).strip() if match is not None else ""
    return title or text


_Tag = tuple[str | None, str | None, str]

# Most paragraphs are story text, and their first word says so at once; only paragraphs that
# open with one of these words (or a symbol, bracket or lower-case letter) are looked at
# closely: staff lines, links and notes all open this way.
_SPECIAL_FIRST_WORDS = frozenset(
    {
        *("copyright", "all", "to", "follow", "e-mail", "email", "contact", "with"),
        *("additional", "editing", "writing", "compiled", "reporting", "graphic", "graphics"),
        *("photo", "photos", "photography", "for", "subscribe", "sign", "like", "get", "our"),
        *("more", "related", "recommended", "read", "see", "note", "editor", "editor's"),
        *("editor’s", "editors", "editors'", "editors’", "disclosure", "disclaimer", "also"),
        *("watch", "listen", "click", "earlier", "by", "by:"),
        *(opener.split()[0] for opener in UNBRACKETED_OPENERS if " " in opener or len(opener) < 12),
    }
    - {"the", "this", "a", "an"}
)
# Common words that open staff lines or notes only in these phrases.
_SPECIAL_PHRASES = (
    "the thomson",
    "the views",
    "this article",
    "this story",
    "this column",
    # Note openers that start with a common word, or are cut short ('clarificatio').
    *(
        o
        for o in UNBRACKETED_OPENERS
        if o.split()[0] in ("the", "this", "a", "an") or (" " not in o and len(o) >= 12)
    ),
)


def _three_letter_keys(words: frozenset[str], phrases: tuple[str, ...]) -> frozenset[str]:
    """The first three lower-case characters every special opening can have."""
    keys: set[str] = set()
    for word in (*words, *phrases, "the", "this", "a", "an"):
        if len(word) >= 3:
            keys.add(word[:3])
        else:
            keys.add(word)  # the whole paragraph is the word
            keys.update(word + tail for tail in " :;,.!?-'’")
    return frozenset(keys)


# A first, cheaper filter: paragraphs whose first three characters cannot start any of the
# above are story text without further checks.
_SPECIAL_KEYS = _three_letter_keys(_SPECIAL_FIRST_WORDS, _SPECIAL_PHRASES)
# A lede opening with a wire tag: a bracketed name and a dash ('(Bloomberg) --').
_TAGGED_LEDE = re.compile(r"\([A-Z][\w.&'’ -]{0,38}\)[ \t]*(?:--|—|–|-)")
_PLAIN_OPENING = frozenset("“”\"‘’'0123456789$£€")
_CONTRIBUTED = (
    "contributed to this report.",
    "contributed to this story.",
    "contributed reporting.",
)


def _classify(
    paragraphs: list[str], published: date
) -> tuple[list[Part], list[PlacedNote], list[str], str | None, _Tag] | None:
    """Give every paragraph its kind and number the story paragraphs as editors count them.

    Returns None when no paragraph is story text.
    """
    kinds: list[str] = []
    notes: dict[int, UpdateNote] = {}
    for index, text in enumerate(paragraphs):
        # Most paragraphs are story text by their first word: that check comes first.
        first = text[0]
        if first in _PLAIN_OPENING:
            kinds.append(STORY)
            continue
        if first.isupper():
            if text[:3].lower() not in _SPECIAL_KEYS and not text.endswith(_CONTRIBUTED):
                kinds.append(STORY)
                continue
            low = text[:16].lower()
            if (
                low.split(None, 1)[0].rstrip(":;,.!?") not in _SPECIAL_FIRST_WORDS
                and not low.startswith(_SPECIAL_PHRASES)
                and not text.endswith(_CONTRIBUTED)
            ):
                kinds.append(STORY)
                continue
        if first == "(" and _TAGGED_LEDE.match(text):
            kinds.append(STORY)  # '(Bloomberg) -- ...': neither a staff line nor a note
            continue
        kind = _opener_kind(text)
        if kind is None:
            note = parse_update_note(text, published)
            if note is not None:
                notes[index] = note
                kind = UPDATE_NOTE
            else:
                kind = STORY
        kinds.append(kind)

    lede_index, tag = _find_lede(paragraphs, kinds)
    if lede_index is None:
        return None

    parts: list[Part] = []
    placed: list[PlacedNote] = []
    links: list[str] = []
    copyright_line: str | None = None
    paragraph_no = 0
    in_link_block = False
    new_part = tuple.__new__  # much faster than the NamedTuple constructor
    for index, kind in enumerate(kinds):
        text = paragraphs[index]
        number: int | None = None
        if kind == STORY:
            if index > lede_index:
                if in_link_block and text.rstrip(_CLOSING)[-1:] not in _SENTENCE_END:
                    kind = RELATED_LINK  # titles listed under 'Related Stories'
                elif len(text) > _MAX_HEADING_CHARS or not _heading_like(text):
                    paragraph_no += 1
                    number = paragraph_no
            elif index == lede_index:
                paragraph_no = number = 1
            elif text[:3] in ("By ", "BY ") and _BYLINE_NAME.fullmatch(text):
                kind = BYLINE
            parts.append(new_part(Part, (index + 1, kind, text, number)))
            in_link_block = in_link_block and kind == RELATED_LINK
            if kind == RELATED_LINK:
                links.append(text)
            continue
        if kind == LINK_HEADING:
            kind = BOILERPLATE
            in_link_block = True
        else:
            in_link_block = in_link_block and kind == RELATED_LINK
        if kind == UPDATE_NOTE:
            placement = "top" if paragraph_no == 0 else "bottom"
            placed.append(PlacedNote(index + 1, placement, notes[index]))
        elif kind == RELATED_LINK:
            links.append(_link_title(text) if ":" in text[:40] else text)
        elif kind == COPYRIGHT and copyright_line is None:
            copyright_line = text
        parts.append(new_part(Part, (index + 1, kind, text, number)))
    _demote_trailing_promotions(parts)
    return parts, placed, links, copyright_line, tag


def _demote_trailing_promotions(parts: list[Part]) -> None:
    """Newsletter promotions after the story ('Like Terms of Trade?') are boilerplate.

    Only story parts after the last real story paragraph are looked at, from the end, so the
    numbers of the story paragraphs before them stay as they are.
    """
    for at in range(len(parts) - 1, -1, -1):
        part = parts[at]
        if part.kind != STORY:
            continue
        if part.paragraph_no == 1 or not _is_trailing_promotion(part.text):
            return
        parts[at] = Part(part.position, BOILERPLATE, part.text, None)


def _is_trailing_promotion(text: str) -> bool:
    """'Like Terms of Trade?', 'Colleagues can sign up here.' (cheap word checks first)."""
    if len(text) > _MAX_PROMOTION:
        return False
    low = text.lower()
    if low.startswith("like ") and low.endswith("?") and len(low) < 70:
        return True  # 'Like Terms of Trade?'
    return (
        any(word in low for word in _TRAILING_PROMOTION_WORDS)
        and _TRAILING_PROMOTION.search(low) is not None
    )


def _is_promotion(text: str) -> bool:
    """'Sign up for our newsletter' where a lede should be (cheap word checks first)."""
    if len(text) > _MAX_PROMOTION:
        return False
    return any(word in text for word in _PROMOTION_WORDS) and _PROMOTION.search(text) is not None


def _find_lede(paragraphs: list[str], kinds: list[str]) -> tuple[int | None, _Tag]:
    """Where the lede is and its wire tag; a tag standing alone becomes boilerplate.

    The lede is the first story paragraph with a wire tag among the first few; lines before it
    are top matter. Without any tag it is the first story paragraph that is not a subhead.
    """
    story = [i for i, kind in enumerate(kinds) if kind == STORY]
    if not story:
        return None, (None, None, "")
    for index in story[:_LEDE_SEARCH]:
        text = paragraphs[index]
        found = match_wire_tag(text) if text[:1].isupper() or "(" in text[:100] else None
        if found is None:
            if len(text) > _MAX_TOP_MATTER and text[0] not in _BULLETS:
                break  # story text: the lede was already passed, and it had no tag
            continue
        wire, dateline, rest = found
        rest = rest.strip()
        if _WORD.search(rest) is not None and not _is_promotion(rest):
            return index, (wire or None, dateline, rest)
        # A tag alone on its line ('(Bloomberg) --') or before a promotion: the next story
        # paragraph is the lede.
        kinds[index] = BOILERPLATE
        later = [i for i in story if i > index]
        if not later:
            return None, (None, None, "")
        return later[0], (wire or None, dateline, paragraphs[later[0]])
    for index in story:
        if not _heading_like(paragraphs[index]):
            return index, (None, None, paragraphs[index])
    return story[0], (None, None, paragraphs[story[0]])
