"""Step 2: the type of a name, from evidence, strongest first.

A mention's `cue` is strong evidence: a fixed list (countries, states, cities, regions,
demonyms, institutions) or the words around it ('President X', 'X Inc.', 'analysts at X',
'X shares', ', an analyst at'). Its `hint` is weaker: a list of well-known companies or given
names, a company listed beside it. One type per distinct text in a story then comes from fixed
lists, cues and hints, and spaCy's votes over all mentions of that text; one type per entity
from its members; a last check (`_settled_type`) keeps a one-word PERSON only with evidence of
a person.
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
    BENCHMARKS,
    COMPANY_SUFFIXES,
    COUNTRIES,
    GIVEN_NAMES,
    INDEX_NAMES,
    INDEX_TAILS,
    KNOWN_ORGS,
    ORG_NEXT_WORDS,
    ORG_PREV_BIGRAMS,
    ORG_PREV_WORDS,
    ORG_WORDS,
    PERSON_ROLE_WORDS,
    PERSON_TITLES,
    PRODUCTS,
    US_STATES,
    WELL_KNOWN_PEOPLE,
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
_LAW_TAIL = frozenset(("Act", "Treaty", "Accord", "Bill"))

_AT_ORG = re.compile(r" at [A-Z]")
_MODEL_NUMBER = re.compile(r"^\d{3}(?:-\d+)?$")
# Words before a name that people have too ('rival Egan Orion, a candidate'): an apposition
# that gives a person's role outweighs them.
_WEAK_ORG_PREV = frozenset(
    ("rival", "rivals", "peer", "peers", "acquire", "acquired", "acquiring", "unicorn")
)
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
        m.hint = _list_hint(m) or _person_at_hint(m, para) or _listed_with_company(m, para)


def _list_hint(m: _Mention) -> str | None:
    """A type suggested by lists alone; context in the story outweighs it."""
    text, toks = m.text, _tokens(m.text)
    if text in KNOWN_ORGS or (toks[0] in KNOWN_ORGS and m.label == "PERSON"):
        return "ORG"
    if text in WELL_KNOWN_PEOPLE:
        return "PERSON"
    if (
        toks[0] in GIVEN_NAMES
        and 2 <= len(toks) <= 3
        and _looks_like_name(text)
        and (m.label != "ORG" or m.weak)
    ):
        return "PERSON"
    return None


_ITEM = r"[A-Z][\w&.\u2019'-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w&.\u2019'-]*){0,5}"
_NEXT_ITEM = re.compile(r"^(?:,\s+(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(" + _ITEM + ")")
_PREV_ITEM = re.compile("(" + _ITEM + r")(?:,\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")


def _listed_with_company(m: _Mention, para: str) -> str | None:
    """'rivals Deliveroo and Just Eat Plc', 'Halliburton Co., Baker Hughes and Weatherford
    International Plc': a short name listed beside a company is a company (spaCy small often
    calls these PERSON)."""
    toks = _tokens(m.text)
    if len(toks) > 3 or toks[0] in GIVEN_NAMES or _fixed_type(m.text) is not None:
        return None
    items: list[str] = []
    after, before = para[m.end :], para[: m.start]
    for _ in range(6):
        nxt = _NEXT_ITEM.match(after)
        if not nxt:
            break
        items.append(nxt.group(1))
        after = after[nxt.end() :]
    for _ in range(6):
        prev = _PREV_ITEM.search(before)
        if not prev:
            break
        items.append(prev.group(1))
        before = before[: prev.start()]
    for item in items:
        toks = _tokens(item.rstrip(".,"))
        if item in KNOWN_ORGS or (len(toks) > 1 and toks[-1] in COMPANY_SUFFIXES):
            return "ORG"
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
    if text in BENCHMARKS or (len(toks) > 1 and toks[-1] in _LAW_TAIL):
        return "OTHER"
    if (
        text in INDEX_NAMES
        or (len(toks) > 1 and toks[-1] in INDEX_TAILS)
        or _INDEX_NUMBER.match(after)
    ):
        return "ORG"  # a market index named as such ('Hang Seng Index', 'Nasdaq 100')
    if text in PRODUCTS or _PRODUCT_FAMILY.match(text) or (text.endswith("+")):
        return "PRODUCT"
    if _looks_like_name(text) and (person_cue or prev in PERSON_TITLES):
        return "PERSON"
    if after.startswith("-based") or _place_follows(after):
        return "GPE"
    # 'investment bank Houlihan Lokey, financial adviser to ...': the role is the bank's.
    if (prev in ORG_PREV_WORDS and prev not in _WEAK_ORG_PREV) or " ".join(
        before
    ) in ORG_PREV_BIGRAMS:
        return "ORG"
    # An apposition (', who', ', an analyst at') may belong to the name before a short one:
    # 'Sonal Shah, formerly with Goldman Sachs and Google, who ...'.
    apposition = (
        (len(toks) >= 2 or m.label == "PERSON")
        and text not in KNOWN_ORGS  # 'to Goldman Sachs, the trader spearheading ...'
        and (_APPOSITION_WHO.match(after) is not None or _is_role_apposition(after))
    )
    if _looks_like_name(text) and apposition:
        return "PERSON"
    next_word = after.split(None, 1)[0] if after[:1] == " " and after.strip() else ""
    backed = after.startswith(("-backed", "-owned")) and _list_hint(m) != "PERSON"
    if (
        prev in ORG_PREV_WORDS
        or " ".join(before) in ORG_PREV_BIGRAMS
        or next_word in ORG_NEXT_WORDS
        or backed  # 'Tencent-backed', not 'Warren Buffett-backed'
        or after.startswith(("’s shares", "'s shares"))
        or prev.endswith("-based")
    ):
        return "ORG"
    if _MODEL_NUMBER.match(prev) and len(toks) == 1 and text not in KNOWN_ORGS:
        return "PRODUCT"  # 'Boeing Co.’s 737 Max
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
    places = _STATE_ABBREVIATIONS | US_STATES | COUNTRIES
    if match.group(2):  # 'Netflix, Taiwan Semiconductor': a name, not 'Netflix, Taiwan'
        return f"{one} {match.group(2)}" in places
    return one in places


def _is_role_apposition(after: str) -> bool:
    """', an analyst at ...', ', Singapore-based market strategist': a person's role follows."""
    if not after.startswith(", "):
        return False
    clause = _CLAUSE_END.split(after[2:], maxsplit=1)[0]
    words = clause.split()[:6]
    if words and words[0].islower() and words[0] not in _APPOSITION_OPENERS:
        words = words[:3]  # ', signed by him and his wife': a clause, not his role
    return any(_POSSESSIVE_TAIL.sub("", w).lower() in PERSON_ROLE_WORDS for w in words)


_APPOSITION_OPENERS = frozenset(
    ("a", "an", "the", "its", "his", "her", "their", "former", "then", "now", "also", "currently")
)


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


def _settled_type(name: str, etype: str, members: list[_Mention]) -> str | None:
    """The entity's type after a last check; None when it is not an entity.

    A one-word PERSON that no full name in the story resolved needs evidence of a person: a
    title or role beside it, a list of people named by surname alone, or a given name. Without
    it, a one-word name with evidence of a company is an ORG ('Altria', 'Deliveroo'), and
    anything else is left out (an abbreviation, a common word, a place the model called a
    person: 'PT', 'XS', 'Algorithms', 'Borno').
    """
    if etype != "PERSON" or len(_tokens(name)) > 1:
        return etype
    if name in WELL_KNOWN_PEOPLE or name in GIVEN_NAMES:
        return etype
    if any(m.cue == "PERSON" for m in members):
        return etype
    if any("ORG" in (m.cue, m.hint, m.label) for m in members) or _company_shaped(name):
        return "ORG"
    return None


_CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z][a-z]")


def _company_shaped(name: str) -> bool:
    """'PayPal', 'InBev', 'Network18': spelled as brands are, not as people or words."""
    return bool(_CAMEL.match(name)) or (any(c.isdigit() for c in name) and name[:1].isalpha())
