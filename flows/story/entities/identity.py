"""One real-world entity, one id, however a story spells its name.

`entity_key(name)` folds a name to the key its `entity_id` hashes: case, punctuation,
possessives, whitespace, accents on Latin letters, a leading 'the', 'and'/'&' and trailing
legal forms do not count, and fixed aliases fold into their canonical name::

    'Apple Inc.', 'Apple', 'APPLE INC'         -> 'apple'
    'JD.com Inc.', 'JD.Com Inc.'               -> 'jdcom'
    'Macy’s Inc.', 'Macy’s', 'Macy'           -> 'macy'
    'ByteDance', 'Bytedance Ltd.'              -> 'bytedance'
    'Wal-Mart Stores', 'Walmart Stores'        -> 'walmartstores'
    'U.S.', 'US', 'America', 'United States'   -> 'unitedstates'

The key is a function of the name alone: it does not change as the archive grows, and it does
not hold the type (an entity has one type, decided from all its mentions; 'Warren Buffett' is
the same id in a story that typed him ORG). Short forms ('Alibaba' for 'Alibaba Group Holding
Ltd.') are resolved inside a story, not here; a story that names an entity only by a short
form is merged into the full name's entity across the archive by the load
(sql/load/05_entity_merges_*.sql), which keeps the retired id resolvable.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from flows.story.entities.word_lists import (
    COUNTRY_ALIASES,
    DISTINCT_LEGAL_FORMS,
    LEGAL_SUFFIXES,
    ORG_ALIASES,
)

# Apostrophes and periods join ('U.S.' -> 'us', 'McDonald’s' -> 'mcdonalds'); any other
# punctuation separates words before the words are joined.
_JOINERS = frozenset("'\u2019\u2018`\u00b4.")
# A word's possessive: 'Macy’s' and 'Macy' are one name, as the guidelines match them.
_POSSESSIVE = re.compile(r"['\u2019]s\b", re.IGNORECASE)


def _words(name: str) -> list[str]:
    """Lowercase words of a name: accents dropped from Latin letters, punctuation and
    possessives removed."""
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFKC", name))
    chars: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if chars and chars[-1].isascii():
                continue  # 'é' -> 'e'; marks on other scripts change the letter: kept
            chars.append(ch)
        elif ch in _JOINERS:
            continue
        elif ch.isalnum():
            chars.append(ch)
        else:
            chars.append(" ")
    folded = unicodedata.normalize("NFC", "".join(chars)).casefold()
    return [w for w in folded.split() if w != "and"]


_LEGAL_WORDS = frozenset(
    w for suffix in LEGAL_SUFFIXES for w in _words(suffix) if len(_words(suffix)) == 1
) | {"company", "incorporated", "sab", "cv"}
# Words a name may end with or without and stay the same entity: legal forms, and 'Index'
# (stories write 'S&P/ASX 200 Index' and 'S&P/ASX 200', 'Nasdaq Composite Index' and 'Nasdaq
# Composite' for one benchmark).
_TAIL_WORDS = _LEGAL_WORDS | {"index"}


def _strip(words: list[str]) -> list[str]:
    """Without a leading 'the' and trailing legal forms ('Cowen & Co.', 'Temasek Pte. Ltd.')
    or 'Index' ('Hang Seng Index')."""
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _TAIL_WORDS:
        words = words[:-1]
        if len(words) > 1 and words[-1] == "de":  # 'SAB de CV', 'SA de CV'
            words = words[:-1]
    return words


def _alias_keys() -> dict[str, str]:
    table: dict[str, str] = {}
    for aliases in (COUNTRY_ALIASES, ORG_ALIASES):
        for canonical, forms in aliases.items():
            target = "".join(_strip(_words(canonical)))
            for form in (canonical, *forms):
                table["".join(_strip(_words(form)))] = target
    return table


_ALIAS_KEYS = _alias_keys()
_DISTINCT = frozenset("".join(_words(name)) for name in DISTINCT_LEGAL_FORMS)


# Resolution asks for the key of the same names over and over (every mention of a name, story
# after story): a pure function of the name, so remembered.
@functools.lru_cache(maxsize=1 << 16)
def entity_key(name: str) -> str:
    """The canonical key of a name: what stays when spelling, case and legal form go."""
    words = _words(name)
    whole = "".join(words)
    if whole in _DISTINCT:
        return whole  # 'Merck KGaA' is not 'Merck & Co.'
    key = "".join(_strip(words))
    if not key:
        return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return _ALIAS_KEYS.get(key, key)


def entity_id_for_key(key: str) -> str:
    """The 16-hex-digit id of a key: the same in every story, run and archive."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def entity_id_for(name: str) -> str:
    """The id of a name: `entity_id_for_key(entity_key(name))`."""
    return entity_id_for_key(entity_key(name))


def alias_resolution(alias: str, name: str) -> str:
    """How a surface form was resolved to the entity named ``name`` (``ALIAS_RESOLUTIONS``):
    the name itself, a spelling of it (same key), a fixed alias from the word lists, or a
    short form a story gave in full."""
    if alias == name:
        return "name"
    if entity_key(alias) != entity_key(name):
        return "short_form"
    listed = any(
        alias in forms for table in (COUNTRY_ALIASES, ORG_ALIASES) for forms in table.values()
    )
    return "alias_list" if listed else "spelling"
