"""Step 4: names the model left untagged in a paragraph.

'China' in 'U.S.-China talks' and 'Japan’s Topix' (listed places, companies and indexes), a
name after a title or an appointment ('Chief Executive Officer Ana Ruiz said', 'appointed Ana
Ruiz as'), a company where the words say so ('IT company Mindtree', 'Jefferies analysts', a
bare name in a list of companies) and capitalized words ending in a legal form ('France’s
Total SA').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flows.story.entities.evidence import _cued, _looks_like_name
from flows.story.entities.lexicon import (
    _FIXED,
    _POSSESSIVE_TAIL,
    _fixed_type,
    _index_span,
    _tokens,
    _words_before,
)
from flows.story.entities.records import RawSpan, _Mention
from flows.story.entities.spans import _strip_leading_words, _trim
from flows.story.entities.word_lists import (
    AMBIGUOUS_WORDS,
    CALENDAR_WORDS,
    CITIES,
    COUNTRIES,
    GIVEN_NAMES,
    INDEX_NAMES,
    KNOWN_ORGS,
    LEADING_WORDS,
    LEGAL_SUFFIXES,
    NOT_ENTITIES,
    ORG_PREV_WORDS,
    PRONOUNS,
    SCAN_ORGS,
    SPAN_TITLES,
    US_STATES,
)

_NEXT_WORD = re.compile(r" ([\w.&]+)")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”]\s*|\s[-–—]+\s*)$")


def _scan_name_list() -> list[str]:
    """The names the scan looks for, longest first (then alphabetical): the order a flat
    alternation of them would try."""
    ambiguous = {"Chad", "Jordan", "Georgia", "Washington", "Niger", "Guinea", "Wall Street"}
    ambiguous |= {"Dow", "Nifty"} | AMBIGUOUS_WORDS  # 'House prices rose': no legislature
    listed = (COUNTRIES | US_STATES | CITIES | set(_FIXED) | SCAN_ORGS | INDEX_NAMES) - ambiguous
    names = {n for n in listed if not n.startswith("the ")}
    return sorted(names, key=lambda n: (-len(n), n))


def _scan_names() -> re.Pattern[str]:
    """One pattern for names the model sometimes misses ('China' in 'U.S.-China talks')."""
    # Grouped by first character, keeping the order of ``_scan_name_list``: the same matches as
    # one flat alternation (only names of one first character can match at a position), but
    # Python's regex engine then tries a few dozen branches per word instead of every name
    # (a fifth of the time; the scan was a quarter of resolving a story).
    by_first: dict[str, list[str]] = {}
    for name in _scan_name_list():
        by_first.setdefault(name[0], []).append(name[1:])
    alternation = "|".join(
        re.escape(first) + "(?:" + "|".join(map(re.escape, rests)) + ")"
        for first, rests in by_first.items()
    )
    return re.compile(r"(?<![\w&])(?:" + alternation + r")(?![\w&])")


_SCAN = _scan_names()


def _scan_gazetteer(para: str, para_no: int, spans: Sequence[RawSpan]) -> list[_Mention]:
    """Names the model left untagged in a paragraph: listed countries, cities and companies,
    and capitalized words ending in a legal form ('France’s Total SA')."""
    out: list[_Mention] = []
    taken = [(a, b) for a, b, _label in spans]
    hits = [*_TITLED_NAME.finditer(para), *_APPOINTED_NAME.finditer(para)]
    hits += [m for m in _OWNED_NAME.finditer(para) if m.group(1).split()[0] in GIVEN_NAMES]
    for hit in hits:
        # 'Chief Executive Officer Ana Ruiz said', 'appointed Ana Ruiz as', 'Tesla Inc.’s Elon
        # Musk': a name after a title, an appointment or an employer the model missed.
        a, b = _trim(para, hit.start(1), hit.end(1))
        name = para[a:b]
        if any(x < b and a < y for x, y in taken) or not _looks_like_name(name):
            continue
        if any(t in LEADING_WORDS or t in CALENDAR_WORDS for t in _tokens(name)):
            continue
        taken.append((a, b))
        out.append(_cued(_Mention(name, "PERSON", para_no, a, b), para, True))
    for hit in _SUFFIX_NAME.finditer(para):
        a, b = _strip_leading_words(para, *_trim(para, hit.start(), hit.end()))
        if len(_tokens(para[a:b])) < 2 or any(x < b and a < y for x, y in taken):
            continue
        taken.append((a, b))
        out.append(_cued(_Mention(para[a:b], "ORG", para_no, a, b), para))
    out.extend(_cued_orgs(para, para_no, taken))
    for hit in _SCAN.finditer(para):
        begin, end = _index_span(para, hit.start(), hit.end())
        if any(a < end and begin < b for a, b in taken):
            continue
        # Inside a longer name the model did not tag ('West Texas Intermediate'): leave it.
        # A possessive before the name ends the name before it ('Japan’s Topix').
        before = _words_before(para, begin, 1)
        following = para[end:].split(None, 1)[:1]
        if (
            (
                para[end : end + 1] == " "
                and following
                and following[0][:1].isupper()
                and following[0].rstrip(",;:") not in LEGAL_SUFFIXES
                and following[0].rstrip(",;:.") not in CALENDAR_WORDS  # 'S&P 500 Index Wednesday'
            )
            or (
                before
                and para[begin - 1 : begin] == " "
                and before[0][:1].isupper()
                and before[0][-1:] not in ",;:"
                and not _POSSESSIVE_TAIL.search(before[0])
                and before[0] not in LEADING_WORDS
                and before[0] not in CALENDAR_WORDS
                and before[0] not in ("The", "A", "An")
                and not _SENTENCE_END.search(para[:begin])
            )
        ):
            continue
        text = para[begin:end]
        fixed = _fixed_type(text)
        if fixed is None:
            # 'Natixis SA': take the legal form along, as the model would have.
            suffix = _NEXT_WORD.match(para, end)
            if suffix and suffix.group(1) in LEGAL_SUFFIXES - {"&", "and"}:
                end = suffix.end()
                text = para[begin:end]
        taken.append((begin, end))
        m = _Mention(text, fixed[1] if fixed else "ORG", para_no, begin, end)
        out.append(_cued(m, para))
    out.extend(_listed_orgs(para, para_no, spans, out, taken))
    return out


def _cued_orgs(para: str, para_no: int, taken: list[tuple[int, int]]) -> list[_Mention]:
    """Companies the model missed, named where the words say company: 'IT company Mindtree',
    'lender Banco Pine', and listed names that are also words ('Jefferies analysts')."""
    out: list[_Mention] = []
    found = [(m.start(1), m.end(1)) for m in _AFTER_ORG_WORD.finditer(para)]
    if any(word in para for word in _BEFORE_ORG_CUES):  # else no match: the scan costs more
        found += [
            (m.start(1), m.end(1))
            for m in _BEFORE_ORG_WORD.finditer(para)
            if m.group(1) in KNOWN_ORGS
        ]
    for start, end in found:
        a, b = _trim(para, start, end)
        name = para[a:b]
        if b <= a or any(x < b and a < y for x, y in taken) or not _plain_name(name):
            continue
        taken.append((a, b))
        out.append(_cued(_Mention(name, "ORG", para_no, a, b), para))
    return out


def _plain_name(name: str) -> bool:
    """Capitalized words that are no title, date, sentence word or listed place."""
    toks = _tokens(name)
    return (
        bool(toks)
        and all(t[:1].isupper() or t == "&" for t in toks)
        and _fixed_type(name) is None
        and name not in NOT_ENTITIES
        and name.removesuffix("s") not in NOT_ENTITIES
        and not any(
            t in LEADING_WORDS or t in CALENDAR_WORDS or t in SPAN_TITLES or t in PRONOUNS
            for t in toks
        )
    )


def _listed_orgs(
    para: str,
    para_no: int,
    spans: Sequence[RawSpan],
    found: list[_Mention],
    taken: list[tuple[int, int]],
) -> list[_Mention]:
    """'Alcoa, Indian IT company Mindtree, Netflix and BlackRock post results': a bare name in
    a list of three or more companies is a company, though the model left it untagged."""
    orgs = [(a, b) for a, b, label in spans if label == "ORG"]
    orgs += [(m.start, m.end) for m in found if m.label == "ORG"]
    out: list[_Mention] = []
    for sentence in _SENTENCE.finditer(para):
        items: list[tuple[int, int]] = []
        pos = sentence.start()
        for sep in _ITEM_SEPARATOR.finditer(para, sentence.start(), sentence.end()):
            items.append((pos, sep.start()))
            pos = sep.end()
        items.append((pos, sentence.end()))
        if len(items) < 3:
            continue
        is_org = [
            any(x < b and a < y for x, y in orgs) or para[a:b].strip(" .") in KNOWN_ORGS
            for a, b in items
        ]
        if sum(is_org) < 3:
            continue
        for (a, b), org in zip(items, is_org, strict=True):
            a += len(para[a:b]) - len(para[a:b].lstrip())
            a, b = _trim(para, a, b)
            name = para[a:b].rstrip(".")
            b = a + len(name)
            if org or not _LIST_NAME.fullmatch(name) or not _plain_name(name):
                continue
            if any(x < b and a < y for x, y in taken):
                continue
            taken.append((a, b))
            out.append(_cued(_Mention(name, "ORG", para_no, a, b), para))
    return out


_SENTENCE = re.compile(r"[^.!?]+(?:[.!?](?=\S)[^.!?]*)*[.!?]?")
_ITEM_SEPARATOR = re.compile(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_LIST_NAME = re.compile(r"[A-Z][\w&.’'-]*(?:\s+(?:&\s+)?[A-Z][\w&.’'-]*){0,3}")
_NAME_RUN = r"([A-Z][\w&.’'-]*(?:\s+(?:&\s+)?[A-Z][\w&.’'-]*){0,3})"
_STRONG_ORG_WORDS = "|".join(
    sorted(
        ORG_PREV_WORDS
        - {"rival", "rivals", "peer", "peers", "acquire", "acquired", "acquiring", "shopping"}
        - {"internet", "e-commerce", "fintech", "unicorn", "exchange", "platform", "specialist"}
    )
)
_AFTER_ORG_WORD = re.compile(r"(?<![\w-])(?:" + _STRONG_ORG_WORDS + r")\s+" + _NAME_RUN)
_BEFORE_ORG_CUES = ("analyst", "economist", "strategist", "shares", "stock", "spokes")
_BEFORE_ORG_WORD = re.compile(
    r"(?<![\w&.’'-])([A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*){0,2})"
    r"\s+(?:analysts?|economists?|strategists?|shares|stock|spokesman|spokeswoman)\b"
)

_APPOINTED_NAME = re.compile(
    r"\b(?:appointed|named|hired|promoted|nominated|tapped)\s+"
    r"((?:[A-Z][a-z][\w’'-]*\s+){1,2}[A-Z][a-z][\w-]*)(?=\s+(?:as|to)\b)"
)

# 'Tesla Inc.’s Elon Musk': a given name (checked by the caller) and a surname after a
# possessive.
_OWNED_NAME = re.compile(r"[\w.][’']s\s+([A-Z][a-z]+\s+[A-Z][a-z][\w-]*)\b(?![’'-]?\w)")

_TITLED_NAME = re.compile(
    r"\b(?:President|Minister|Officer|CEO|CFO|Chairman|Chairwoman|Governor|Senator|Secretary"
    r"|Speaker|Premier|Chancellor|analyst|economist|strategist|spokesman|spokeswoman|founder"
    r"|billionaire)\s+((?:[A-Z][a-z][\w’'-]*\s+){1,2}[A-Z][a-z][\w-]*)"
)

_SUFFIX_NAME = re.compile(
    r"(?<![\w&.’'-])(?:[A-Z][\w&.-]*\s+){1,4}"
    r"(?:Inc|Corp|Co|Ltd|Plc|PLC|SA|AG|NV|SE|LLC|LP|SpA|ASA|AB|Bhd|Tbk|Pte|Pty)\b\.?"
)
