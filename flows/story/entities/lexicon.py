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
