"""Plain text of a story file: normalising it, splitting it into paragraphs, counting words.

Also the key that versions of one story are matched on (``content_key``). Nothing here knows
about kinds or wires: the paragraph kinds (``kinds``), ``ParsedStory`` (``records``) and the
parser (``parse``) build on these helpers.
"""

from __future__ import annotations

import re
from itertools import filterfalse

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
_BULLETS = frozenset("•·▪◦‣*-–—+>●■□")


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
