"""Step 4: listed names the model left untagged in a paragraph.

'China' in 'U.S.-China talks', a name after a title ('Chief Executive Officer Ana Ruiz said')
and capitalized words ending in a legal form ('France’s Total SA').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flows.story.entities.evidence import _cued, _looks_like_name
from flows.story.entities.lexicon import _FIXED, _fixed_type, _tokens, _words_before
from flows.story.entities.records import RawSpan, _Mention
from flows.story.entities.spans import _strip_leading_words, _trim
from flows.story.entities.word_lists import (
    CITIES,
    COUNTRIES,
    LEADING_WORDS,
    LEGAL_SUFFIXES,
    SCAN_ORGS,
    US_STATES,
)

_NEXT_WORD = re.compile(r" ([\w.&]+)")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”]\s*|\s[-–—]+\s*)$")


def _scan_names() -> re.Pattern[str]:
    """One pattern for names the model sometimes misses ('China' in 'U.S.-China talks')."""
    ambiguous = {"Chad", "Jordan", "Georgia", "Washington", "Niger", "Guinea", "Wall Street"}
    listed = (COUNTRIES | US_STATES | CITIES | set(_FIXED) | SCAN_ORGS) - ambiguous
    names = {n for n in listed if not n.startswith("the ")}
    alternation = "|".join(map(re.escape, sorted(names, key=lambda n: (-len(n), n))))
    return re.compile(r"(?<![\w&])(?:" + alternation + r")(?![\w&])")


_SCAN = _scan_names()


def _scan_gazetteer(para: str, para_no: int, spans: Sequence[RawSpan]) -> list[_Mention]:
    """Names the model left untagged in a paragraph: listed countries, cities and companies,
    and capitalized words ending in a legal form ('France’s Total SA')."""
    out: list[_Mention] = []
    taken = [(a, b) for a, b, _label in spans]
    for hit in _TITLED_NAME.finditer(para):
        # 'Chief Executive Officer Ana Ruiz said': a name after a title the model missed.
        a, b = _trim(para, hit.start(1), hit.end(1))
        name = para[a:b]
        if any(x < b and a < y for x, y in taken) or not _looks_like_name(name):
            continue
        if any(t in LEADING_WORDS or t in _CALENDAR_WORDS for t in _tokens(name)):
            continue
        taken.append((a, b))
        out.append(_cued(_Mention(name, "PERSON", para_no, a, b), para, True))
    for hit in _SUFFIX_NAME.finditer(para):
        a, b = _strip_leading_words(para, *_trim(para, hit.start(), hit.end()))
        if len(_tokens(para[a:b])) < 2 or any(x < b and a < y for x, y in taken):
            continue
        taken.append((a, b))
        out.append(_cued(_Mention(para[a:b], "ORG", para_no, a, b), para))
    for hit in _SCAN.finditer(para):
        if any(a < hit.end() and hit.start() < b for a, b in taken):
            continue
        # Inside a longer name the model did not tag ('West Texas Intermediate'): leave it.
        before = _words_before(para, hit.start(), 1)
        following = para[hit.end() :].split(None, 1)[:1]
        if (
            para[hit.end() : hit.end() + 1] == " "
            and following
            and following[0][:1].isupper()
            and following[0].rstrip(",;:") not in LEGAL_SUFFIXES
        ) or (
            before
            and para[hit.start() - 1 : hit.start()] == " "
            and before[0][:1].isupper()
            and before[0][-1:] not in ",;:"
            and before[0] not in LEADING_WORDS
            and before[0] not in _CALENDAR_WORDS
            and not _SENTENCE_END.search(para[: hit.start()])
        ):
            continue
        text, end = hit.group(0), hit.end()
        fixed = _fixed_type(text)
        if fixed is None:
            # 'Natixis SA': take the legal form along, as the model would have.
            suffix = _NEXT_WORD.match(para, end)
            if suffix and suffix.group(1) in LEGAL_SUFFIXES - {"&", "and"}:
                end = suffix.end()
                text = para[hit.start() : end]
        taken.append((hit.start(), end))
        m = _Mention(text, fixed[1] if fixed else "ORG", para_no, hit.start(), end)
        out.append(_cued(m, para))
    return out


_CALENDAR_WORDS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan.",
        "Feb.",
        "Mar.",
        "Apr.",
        "Jun.",
        "Jul.",
        "Aug.",
        "Sept.",
        "Sep.",
        "Oct.",
        "Nov.",
        "Dec.",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
)

_TITLED_NAME = re.compile(
    r"\b(?:President|Minister|Officer|CEO|CFO|Chairman|Chairwoman|Governor|Senator|Secretary"
    r"|Speaker|Premier|Chancellor|analyst|economist|strategist|spokesman|spokeswoman|founder"
    r"|billionaire)\s+((?:[A-Z][a-z][\w’'-]*\s+){1,2}[A-Z][a-z][\w-]*)"
)

_SUFFIX_NAME = re.compile(
    r"(?<![\w&.’'-])(?:[A-Z][\w&.-]*\s+){1,4}"
    r"(?:Inc|Corp|Co|Ltd|Plc|PLC|SA|AG|NV|SE|LLC|LP|SpA|ASA|AB|Bhd|Tbk|Pte|Pty)\b\.?"
)
