"""Where a note says the story changed: paragraph references and scopes.

Ordinals and numerals naming story paragraphs ('sixth paragraph', 'paras 3 and 4', 'short
interest in fifth') and the places without a number (``_SCOPES``: 'throughout', 'headline',
'bullet', 'chart', ...). ``_locate`` finds them all, with the spans of places and dates that
``subject`` stops at. The rules are in the package docstring, under 'Paragraph references'.
"""

from __future__ import annotations

import re

from flows.story.notes.dates import _DIGIT, _STORY_DATE
from flows.story.notes.records import _Span
from flows.story.notes.subject import _STORY_REF

# All patterns below run on lower-cased text, without re.IGNORECASE, which is several times
# faster in Python's re for the long alternations of ordinal words.

_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_ORDINAL_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS, start=1)}
_ORDINAL_WORDS.update(
    {
        w: i
        for i, w in enumerate(
            (
                *("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"),
                *("sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"),
            ),
            start=10,
        )
    }
)
_ORDINAL_WORDS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50})
# Common misspellings; they only count before a paragraph word, where they cannot mislead.
_ORDINAL_WORDS.update({"forth": 4, "fith": 5, "eigth": 8, "nineth": 9, "twelveth": 12})
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_CARDINALS = {
    w: i
    for i, w in enumerate(
        (
            *("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
            *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
            *("eighteen", "nineteen", "twenty"),
        ),
        start=1,
    )
}

_END_ORD = (
    r"(?:(?:second|third|fourth|fifth|next)[\s-]+(?:to|from)[\s-]+(?:the[\s-]+)?last"
    r"|second[\s-]+last|penultimate|last|final)"
)
_ORD = (
    rf"(?:{_END_ORD}"
    rf"|(?:twenty|thirty|forty|fifty)[\s-]+(?:{'|'.join(_UNITS)})"
    rf"|{'|'.join(sorted(_ORDINAL_WORDS, key=len, reverse=True))}"
    r"|\d{1,3}(?:st|nd|rd|th|d))"
)
# Typos ('paragrah', 'pararaph') and a missing space ('paragraphwith') still name one.
_PARA_WORD = r"(?:par(?:ag|ar|ap|g)[a-z]*|paras?\b|pars?\b|graff?s?\b|graphs?\b)"
_COUNT = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d)"
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*&\s*)"
_RANGE_SEP = r"(?:\s*[-\u2013\u2014]\s*|\s+(?:to|through|thru|until)\s+)"
_NUM = rf"(?:\d{{1,3}}|{'|'.join(sorted(_CARDINALS, key=len, reverse=True))})"

_ORD_TOKEN = re.compile(rf"\b{_ORD}\b")
_NUM_TOKEN = re.compile(rf"\b{_NUM}\b")
_IS_RANGE_SEP = re.compile(_RANGE_SEP)
# 'fourth, sixth and seventh paragraphs', 'first two paragraphs', '9th par', '4th-6th grafs'
_ORD_LIST = re.compile(
    rf"\b(?:the\s+)?{_ORD}(?:(?:{_SEP}|{_RANGE_SEP})(?:the\s+)?{_ORD})*"
    rf"\s+(?:{_COUNT}\s+)?{_PARA_WORD}"
)
# 'paragraph 13', 'paras 3 and 4', 'paragraphs 8-11', 'par. 9'
_PARA_NUM = re.compile(
    r"\b(?:par(?:ag|ar|ap|g)[a-z]*|paras?|pars?|graff?s?|graphs?)\.?\s*(?:no\.?\s*|#\s*)?"
    rf"(?P<nums>{_NUM}(?:(?:{_SEP}|{_RANGE_SEP}){_NUM})*)\b"
)
# Ordinals whose noun is left out must end their clause: 'in second and third tables' names
# tables, and the atomic group keeps 'second' alone from counting there.
_CLAUSE_ENDS = r"(?=\s*(?:[.,;:)\]]|$)|\s+(?:and|or|also|then)\b)"
_ORD_SEQ = rf"(?P<ords>(?>{_ORD}(?:(?:{_SEP}|{_RANGE_SEP})(?:the\s+)?{_ORD})*))"
# '..., short interest in fifth.', '..., comments in sixth and 11th.'
_BARE_ORD = re.compile(rf"\b(?:in|from|into|after|before)\s+(?:the\s+)?{_ORD_SEQ}{_CLAUSE_ENDS}")
# Ordinals sharing the noun of the reference before them: 'fourth paragraph, sixth and 11th'.
_SHARED_ORD = re.compile(rf"{_SEP}(?:the\s+)?{_ORD_SEQ}{_CLAUSE_ENDS}")
_HAS_PARA_WORD = re.compile(rf"\b{_PARA_WORD}")

# Where a change is when it is not a numbered paragraph: (name, cheap keywords, pattern).
# The earliest in the note wins.
_SCOPES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (name, keys, re.compile(pattern))
    for name, keys, pattern in (
        ("throughout", ("throughout",), r"\bthroughout\b"),
        (
            "headline",
            ("headline", "hed"),
            r"\b(?:headlines?|hed)\b(?!\s+(?:inflation|cpi|rate|number|figure|index))",
        ),
        ("bullet", ("bullet",), rf"\b(?:(?:the\s+)?{_ORD}\s+)?bullet(?:\s+points?)?"),
        (
            "top",
            ("lede", "top", "lead", "opening"),
            r"\b(?:ledes?|top of (?:the\s+)?story|at (?:the\s+)?top)\b|\b(?:recasts?|rewrites?|"
            r"updates?|changes?|in|to)\s+(?:the\s+)?lead\b(?=\s*(?:[.,;:)]|$|with\b|to\b|and\b))"
            rf"|\b(?:top|opening)\s+(?:{_COUNT}\s+)?{_PARA_WORD}",
        ),
        ("last_paragraph", ("end", "bottom"), r"\b(?:at|to) (?:the\s+)?(?:end|bottom)\b"),
        ("dateline", ("dateline",), r"\bdatelines?\b"),
        ("byline", ("byline",), r"\bbylines?\b"),
        ("chart", ("chart", "graphic"), r"\b(?:info)?(?:charts?|graphics?)\b"),
        ("table", ("table",), r"\btables?\b"),
        (
            "section",
            ("section", "subhead", "sub-head", "below", "under", "above"),
            r"\b(?:section|sub-?head\w*|paragraphs?\s+(?:below|under|above))\b",
        ),
    )
)

# Every cheap keyword of the scopes, looked for once per note.
_SCOPE_KEYS = tuple(sorted({key for _, keys, _ in _SCOPES for key in keys}))


def _end_scope(word: str) -> str:
    """Name the scope of an ordinal counted from the end of the story."""
    if word in ("last", "final"):
        return "last_paragraph"
    if word == "penultimate" or word.startswith(("second", "next")):
        return "penultimate_paragraph"
    return "from_end"


def _is_end_relative(word: str) -> bool:
    """Whether an ordinal counts from the end ('last', 'third-to-last', 'penultimate')."""
    return word.endswith(("last", "final")) or word == "penultimate"


def _ordinal_value(word: str) -> int | None:
    """The number of an ordinal word or numeral ('twenty-first' -> 21, '11th' -> 11)."""
    if word[0].isdigit():
        digits = word.rstrip("stndrh")
        return int(digits) if digits.isdigit() and int(digits) > 0 else None
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[word]
    parts = re.split(r"[\s-]+", word)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ORDINAL_WORDS:
        return _TENS[parts[0]] + _ORDINAL_WORDS[parts[1]]
    return None


def _ranged(tokens: list[re.Match[str]], text: str) -> set[int]:
    """Indexes of tokens joined by a range separator ('8-11', 'fourth through sixth')."""
    out: set[int] = set()
    for i in range(len(tokens) - 1):
        if _IS_RANGE_SEP.fullmatch(text, tokens[i].end(), tokens[i + 1].start()):
            out.update((i, i + 1))
    return out


def _read_ordinals(
    low: str, start: int, end: int, found: list[tuple[int, int]], scopes: list[tuple[int, str]]
) -> None:
    """Add the paragraphs and scopes the ordinals between ``start`` and ``end`` name."""
    tokens = list(_ORD_TOKEN.finditer(low, start, end))
    ranged = _ranged(tokens, low)
    if ranged:
        scopes.append((start, "range"))
    for i, t in enumerate(tokens):
        word = t.group()
        if _is_end_relative(word):
            scopes.append((t.start(), _end_scope(word)))
        elif i not in ranged:
            value = _ordinal_value(word)
            if value is not None:
                found.append((t.start(), value))


def _locate(low: str) -> tuple[list[int], str | None, list[_Span]]:
    """Find the paragraph numbers, the scope and the spans of every place expression."""
    found: list[tuple[int, int]] = []  # (position, paragraph number)
    spans: list[_Span] = []
    scopes: list[tuple[int, str]] = []

    if "par" in low or "gra" in low:
        for m in _ORD_LIST.finditer(low):
            end = m.end()
            shared = _SHARED_ORD.match(low, end)
            if shared is not None:
                end = shared.end()
            spans.append((m.start(), end, "ref"))
            _read_ordinals(low, m.start(), end, found, scopes)

        for m in _PARA_NUM.finditer(low):
            if any(s <= m.start() < e for s, e, _ in spans):
                continue
            spans.append((m.start(), m.end(), "ref"))
            numbers = list(_NUM_TOKEN.finditer(low, m.start("nums"), m.end("nums")))
            ranged = _ranged(numbers, low)
            if ranged:
                scopes.append((m.start(), "range"))
            for i, n in enumerate(numbers):
                raw = n.group()
                value = int(raw) if raw.isdigit() else _CARDINALS.get(raw, 0)
                if i not in ranged and value > 0:
                    found.append((n.start(), value))

        if _HAS_PARA_WORD.search(low):
            for m in _BARE_ORD.finditer(low):
                start = m.start("ords")
                if any(s <= start < e for s, e, _ in spans):
                    continue
                spans.append((start, m.end("ords"), "ref"))
                _read_ordinals(low, start, m.end("ords"), found, scopes)

    present = frozenset(key for key in _SCOPE_KEYS if key in low)
    for name, keys, pattern in _SCOPES:
        if not present.isdisjoint(keys):
            hit = pattern.search(low)
            if hit is not None:
                scopes.append((hit.start(), name))
                spans.append((hit.start(), hit.end(), name))
    if _DIGIT.search(low):
        spans.extend((m.start(), m.end(), "date") for m in _STORY_DATE.finditer(low))
    if "story" in low or "article" in low or "version" in low:
        spans.extend((m.start(), m.end(), "date") for m in _STORY_REF.finditer(low))

    refs: list[int] = []
    for _, value in sorted(found):
        if value not in refs:
            refs.append(value)
    scope = min(scopes)[1] if scopes else None
    return refs, scope, sorted(spans)
