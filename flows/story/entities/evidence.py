"""Step 2: the type of a name, from evidence, strongest first.

A mention's `cue` is strong evidence: a fixed list (countries, states, cities, regions,
demonyms, institutions) or the words around it ('President X', 'X Inc.', 'analysts at X',
'X shares', ', an analyst at'). Its `hint` is weaker: a list of well-known companies or given
names. One type per distinct text in a story then comes from fixed lists, cues and hints, and
spaCy's votes over all mentions of that text; one type per entity from its members.
"""

from __future__ import annotations

import re
from collections import Counter

from flows.story.entities.lexicon import (
    _POSSESSIVE_TAIL,
    _STATE_ABBREVIATIONS,
    _fixed_type,
    _tokens,
    _words_before,
)
from flows.story.entities.records import ENTITY_TYPES, _Mention
from flows.story.entities.word_lists import (
    COMPANY_SUFFIXES,
    COUNTRIES,
    GIVEN_NAMES,
    INDEX_NAMES,
    KNOWN_ORGS,
    ORG_NEXT_WORDS,
    ORG_PREV_BIGRAMS,
    ORG_PREV_WORDS,
    ORG_WORDS,
    PERSON_ROLE_WORDS,
    PERSON_TITLES,
    PRODUCTS,
    US_STATES,
)

_TYPE_PREFERENCE = {t: i for i, t in enumerate(ENTITY_TYPES)}

# 'Nasdaq 100', 'S&P 500': a name followed by an index size is an index, not the company.
_INDEX_NUMBER = re.compile(r"^[ -](?:50|100|200|225|250|300|400|500|600|1000|2000|3000)\b(?!%)")
_FACILITY_WORDS = frozenset(
    [
        "Building",
        "Tower",
        "Towers",
        "Airport",
        "Station",
        "Stadium",
        "Bridge",
        "Square",
        "Plaza",
        "Mall",
        "Port",
        "Canal",
    ]
)
_INDEX_TAIL = frozenset(
    ("Index", "index", "Average", "Composite", "Benchmark", "Act", "Treaty", "Accord", "Bill")
)

_AT_ORG = re.compile(r" at [A-Z]")
_PRODUCT_FAMILY = re.compile(r"^(?:i[A-Z]|(?:iPhone|iPad|Galaxy|Pixel|Model) )")
_CLAUSE_END = re.compile(r"[,.;:()“”\"]")
_APPOSITION_WHO = re.compile(r"^,\s+who\b")


def _cued(m: _Mention, para: str, person_cue: bool = False) -> _Mention:
    _apply_cues(m, para, person_cue)
    return m


def _apply_cues(m: _Mention, para: str, person_cue: bool) -> None:
    """Set a mention's cue type from lists and from the words around it."""
    fixed = _fixed_type(m.text)
    if fixed is not None:
        m.canonical, m.cue = fixed
        m.fixed = True
        return
    m.cue = _context_cue(m, para, person_cue)
    if m.cue is None:
        m.hint = _list_hint(m) or _person_at_hint(m, para)


def _list_hint(m: _Mention) -> str | None:
    """A type suggested by lists alone; context in the story outweighs it."""
    text, toks = m.text, _tokens(m.text)
    if text in KNOWN_ORGS or (toks[0] in KNOWN_ORGS and m.label == "PERSON"):
        return "ORG"
    if (
        toks[0] in GIVEN_NAMES
        and 2 <= len(toks) <= 3
        and _looks_like_name(text)
        and (m.label != "ORG" or m.weak)
    ):
        return "PERSON"
    return None


def _person_at_hint(m: _Mention, para: str) -> str | None:
    """'Nikolas Soulopoulos at BloombergNEF': a two- or three-word name at an organization."""
    toks = _tokens(m.text)
    if 2 <= len(toks) <= 3 and _looks_like_name(m.text) and _AT_ORG.match(para, m.end):
        return "PERSON"
    return None


def _context_cue(m: _Mention, para: str, person_cue: bool) -> str | None:
    text, toks = m.text, _tokens(m.text)
    after = para[m.end :]
    before = [w.strip(",;:") for w in _words_before(para, m.start, 2)]
    prev = before[-1] if before else ""
    if len(toks) > 1 and toks[-1] in COMPANY_SUFFIXES:
        return "ORG"
    if text in INDEX_NAMES or toks[-1] in _INDEX_TAIL or _INDEX_NUMBER.match(after):
        return "OTHER"
    if text in PRODUCTS or _PRODUCT_FAMILY.match(text) or (text.endswith("+")):
        return "PRODUCT"
    # An apposition (', who', ', an analyst at') may belong to the name before a short one:
    # 'Sonal Shah, formerly with Goldman Sachs and Google, who ...'.
    apposition = (len(toks) >= 2 or m.label == "PERSON") and (
        _APPOSITION_WHO.match(after) is not None or _is_role_apposition(after)
    )
    if _looks_like_name(text) and (person_cue or prev in PERSON_TITLES or apposition):
        return "PERSON"
    if after.startswith("-based") or _place_follows(after):
        return "GPE"
    next_word = after.split(None, 1)[0] if after[:1] == " " and after.strip() else ""
    if (
        prev in ORG_PREV_WORDS
        or " ".join(before) in ORG_PREV_BIGRAMS
        or next_word in ORG_NEXT_WORDS
        or after.startswith(("-backed", "-owned", "’s shares", "'s shares"))
        or prev.endswith("-based")
    ):
        return "ORG"
    if toks[-1] in _FACILITY_WORDS and len(toks) > 1:
        return "LOC"
    if any(t in ORG_WORDS for t in toks) and m.label in ("PERSON", "GPE", "LOC", "NORP", "EVENT"):
        return "ORG"
    return None


# ', Penn.' or ', Germany-based Bayer' after a town; not ', Singapore-based strategist'.
_PLACE_AFTER = re.compile(
    r"^,\s+([A-Z][\w.]*)(?:\s([A-Z][\w.]*))?(?:-based\s+(?=[A-Z])|(?![\w’'-]))"
)


def _place_follows(after: str) -> bool:
    """'Lancaster, Penn.', 'Leverkusen, Germany-based': a town named before its state/country."""
    match = _PLACE_AFTER.match(after)
    if not match:
        return False
    one = match.group(1)
    two = f"{one} {match.group(2)}" if match.group(2) else one
    places = _STATE_ABBREVIATIONS | US_STATES | COUNTRIES
    return one in places or two in places


def _is_role_apposition(after: str) -> bool:
    """', an analyst at ...', ', Singapore-based market strategist': a person's role follows."""
    if not after.startswith(", "):
        return False
    clause = _CLAUSE_END.split(after[2:], maxsplit=1)[0]
    words = clause.split()[:6]
    return any(_POSSESSIVE_TAIL.sub("", w).lower() in PERSON_ROLE_WORDS for w in words)


def _looks_like_name(text: str) -> bool:
    """Capitalized words only, no organization words: what a person's name looks like."""
    toks = _tokens(text)
    if not 1 <= len(toks) <= 4 or _fixed_type(text) is not None:
        return False
    if any(t in ORG_WORDS or t in COMPANY_SUFFIXES for t in toks):
        return False
    particles = {"de", "van", "von", "bin", "al", "der", "da", "del", "di", "la", "le"}
    return all(t[:1].isupper() or t in particles for t in toks)


# --------------------------------------------------------------------------------------------
# One type per text, one per entity
# --------------------------------------------------------------------------------------------


def _vote(counts: dict[str, float]) -> str:
    return min(counts, key=lambda t: (-counts[t], _TYPE_PREFERENCE[t]))


def _assign_text_types(mentions: list[_Mention]) -> dict[str, str]:
    """One type per distinct text in the story: fixed lists, then cues, then spaCy's votes."""
    votes: dict[str, dict[str, float]] = {}
    fixed: dict[str, str] = {}
    for m in mentions:
        if m.fixed and m.cue:
            fixed[m.text] = m.cue
        v = votes.setdefault(m.text, {})
        if m.cue:
            v[m.cue] = v.get(m.cue, 0.0) + 3.0
        if m.hint:
            v[m.hint] = v.get(m.hint, 0.0) + 2.0
        v[m.label] = v.get(m.label, 0.0) + (0.25 if m.weak else 1.0)
    types = {text: fixed.get(text) or _vote(v) for text, v in votes.items()}
    for m in mentions:
        m.etype = types[m.text]
    return types


def _entity_type(root: str, members: list[_Mention]) -> str:
    """One type per entity: fixed lists win, then the full form's type, then cues of others."""
    fixed = Counter(m.cue for m in members if m.fixed and m.cue)
    if fixed:
        return fixed.most_common(1)[0][0]
    full = [m for m in members if m.text == root]
    if full and any(m.cue or m.hint for m in full):
        return full[0].etype
    cues: dict[str, float] = {}
    for m in members:
        if m.cue or m.hint:
            c = m.cue or m.hint or ""
            cues[c] = cues.get(c, 0.0) + (1.0 if m.cue else 0.5)
    if cues:
        return _vote(cues)
    if full:
        return full[0].etype
    return _vote(dict(Counter(m.etype for m in members)))
