"""Lookup tables derived from the word lists, and the word helpers every step shares."""

from __future__ import annotations

import re

from flows.story.entities.word_lists import (
    CITIES,
    COMPANY_SUFFIXES,
    COUNTRIES,
    COUNTRY_ALIASES,
    DEMONYMS,
    EVENTS,
    INDEX_NAMES,
    INDEX_TAILS,
    LEGAL_SUFFIXES,
    ORG_ALIASES,
    ORG_WORDS,
    REGIONS,
    US_STATES,
)


def _alias_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for canonical, aliases in COUNTRY_ALIASES.items():
        for alias in (canonical, *aliases):
            table[alias] = (canonical, "GPE")
    for canonical, aliases in ORG_ALIASES.items():
        for alias in (canonical, *aliases):
            table[alias] = (canonical, "ORG")
    return table


_FIXED: dict[str, tuple[str, str]] = _alias_table()
_GPE_NAMES = COUNTRIES | US_STATES | CITIES
_DEMONYM_FORMS = DEMONYMS | {d + "s" for d in DEMONYMS if not d.endswith(("s", "sh", "ese"))}
_STATE_ABBREVIATIONS = frozenset(
    [
        "Ala.",
        "Ariz.",
        "Ark.",
        "Calif.",
        "Colo.",
        "Conn.",
        "Del.",
        "Fla.",
        "Ga.",
        "Ill.",
        "Ind.",
        "Kan.",
        "Ky.",
        "La.",
        "Md.",
        "Mass.",
        "Mich.",
        "Minn.",
        "Miss.",
        "Mo.",
        "Mont.",
        "Neb.",
        "Nev.",
        "N.H.",
        "N.J.",
        "N.M.",
        "N.Y.",
        "N.C.",
        "N.D.",
        "Okla.",
        "Ore.",
        "Pa.",
        "Penn.",
        "R.I.",
        "S.C.",
        "S.D.",
        "Tenn.",
        "Tex.",
        "Vt.",
        "Va.",
        "Wash.",
        "W.Va.",
        "Wis.",
        "Wyo.",
        "D.C.",
    ]
)

_GENERIC_ORG_WORDS = ORG_WORDS | COMPANY_SUFFIXES | LEGAL_SUFFIXES


def _fixed_type(text: str) -> tuple[str, str] | None:
    """Canonical name and type for names whose meaning does not depend on the story."""
    if text in _FIXED:
        return _FIXED[text]
    if text in _GPE_NAMES:
        return text, "GPE"
    if text in REGIONS:
        return text, "LOC"
    if text in _DEMONYM_FORMS:
        return text, "NORP"
    if text in EVENTS:
        return text, "EVENT"
    return None


# --------------------------------------------------------------------------------------------
# Word helpers
# --------------------------------------------------------------------------------------------


_POSSESSIVE_TAIL = re.compile(r"['’]s?$")


def _tokens(text: str) -> list[str]:
    return text.split()


def _words_before(para: str, start: int, n: int) -> list[str]:
    """The n words before a span (possessive and punctuation kept on the words)."""
    return para[:start].split()[-n:]


# --------------------------------------------------------------------------------------------
# Market indexes
# --------------------------------------------------------------------------------------------

_INDEX_NUMBER_AT = re.compile(
    r"[ -](?:50|100|200|225|250|300|400|500|600|1000|2000|3000)\b(?![%.,]?\d)"
)
_TAIL_WORDS = "|".join(sorted(INDEX_TAILS))
_INDEX_TAIL_AT = re.compile(
    r" (?:(?:Stock|Composite|Price|Industrial) )?(?:" + _TAIL_WORDS + r")\b"
)
# 'MSCI' + ' China Index', 'S&P 500' + ' Information Technology Index'
_INDEX_WORDS_AT = re.compile(r"(?: [A-Z0-9][\w&/.-]*){1,4} (?:" + _TAIL_WORDS + r")\b")
_INDEX_ROOTS = frozenset(n.rsplit(" ", 1)[0] for n in INDEX_NAMES if n.split()[-1].isdigit()) | {
    "MSCI", "FTSE", "S&P", "Stoxx", "Euro Stoxx", "Russell", "Dow Jones", "Bloomberg", "Nikkei",
    "Hang Seng", "KBW", "CSI", "Solactive", "Bloomberg Barclays", "ICE BofA", "JPMorgan",
}  # fmt: skip
_ROOT_BEFORE = re.compile(
    "(?:" + "|".join(map(re.escape, sorted(_INDEX_ROOTS, key=len, reverse=True))) + r") $"
)


def _index_span(para: str, start: int, end: int) -> tuple[int, int]:
    """An index's whole name where the model or a list cut it short: 'S&P' + ' 500',
    'Bloomberg Dollar Spot' + ' Index', 'MSCI ' + 'China' + ' Index'."""
    text = para[start:end]
    if not text.strip():
        return start, end
    root = text in _INDEX_ROOTS or text in INDEX_NAMES or text.split()[0] in _INDEX_ROOTS
    number = _INDEX_NUMBER_AT.match(para, end)
    if number and (text in _INDEX_ROOTS or para[start : number.end()] in INDEX_NAMES):
        end = number.end()
    direct = _INDEX_TAIL_AT.match(para, end)
    tail = direct or _INDEX_WORDS_AT.match(para, end)
    if tail is None:
        return start, end
    if root or (direct and _fixed_type(text) is None):
        return start, tail.end()
    before = _ROOT_BEFORE.search(para, 0, start)
    if before:
        return before.start(), tail.end()
    if para[start : tail.end()] in INDEX_NAMES:
        return start, tail.end()
    return start, end
