"""Step 1: the raw NER spans of one paragraph as cleaned mentions.

Strips leading 'the', titles, possessives, quotes and glued sentence words; repairs names the
model cut in two or short ('Jamal' + 'Khashoggi', 'Reserve' + 'Bank of India', 'S&P' + ' 500
Index'); splits lists ('Morgan Stanley, Citigroup Inc.'), 'X’s Y' pairs, 'China-Kazakhstan',
text glued without a space ('Societe GeneraleTrump') and spans joined by a lowercase word;
drops junk (no letters, market jargon, '10-year Treasuries', quarters, dates, pronouns,
capitalized common words the story also uses lowercase). Each mention gets its evidence cues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flows.story.entities.evidence import _cued, _looks_like_name
from flows.story.entities.lexicon import (
    _FIXED,
    _STATE_ABBREVIATIONS,
    _fixed_type,
    _index_span,
    _tokens,
    _words_before,
)
from flows.story.entities.records import _LABEL_MAP, RawSpan, _Mention
from flows.story.entities.word_lists import (
    CALENDAR_WORDS,
    COMPANY_SUFFIXES,
    GIVEN_NAMES,
    GOVERNMENT_WORDS,
    INSTITUTION_WORDS,
    KNOWN_ORGS,
    LEADING_WORDS,
    LEGAL_SUFFIXES,
    NAME_CONNECTORS,
    NAME_HEADS,
    NOT_ENTITIES,
    ORG_WORDS,
    PERSON_TITLES,
    POSSESSIVE_NAMES,
    PRONOUNS,
    SECURITY_WORDS,
    SPAN_TITLES,
    US_STATES,
    WELL_KNOWN_PEOPLE,
    WIRE_NAMES,
)

_LEADING_JUNK = re.compile(r"^(?:[\"“”'‘’(\[\-–—•*@#]+\s*|(?:the|The|THE)\s+)+")
_TRAILING_JUNK = re.compile(r"(?:\s*[\"“”‘)\]\-–—,;:!?]+|['’]s|['’](?=$))+$")
_HAS_UPPER = re.compile(r"[A-Z]")
_LOWER_TAIL = re.compile(r"\s+[a-z][a-z-]*$")
_NEXT_CAPITALIZED = re.compile(r" ([A-Z][\w’'-]+)")
_HYPHEN_PAIR = re.compile(r"[-\u2013](?=[A-Z])")
_PREFIXED_ADJECTIVE = re.compile(r"^(?:un|non|anti|pro|ex|post|pre|mid)-")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_LIST_SPLIT = re.compile(r",\s+(?:and\s+|&\s+)?|;\s+")
_AND_SPLIT = re.compile(r"\s+and\s+")
# 'Caterpillar Inc. Corporate executives': without the parser, spans can cross sentences.
_SENTENCE_SPLIT = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Plc|LLC|Cos|Bhd|Tbk)\.(\s+)(?=[A-Z])")
# 'Seth Klarman’s Baupost Group': an owner and what it owns, glued into one span.
_POSSESSIVE_SPLIT = re.compile(r"['’]s?\s+(?=\S)")
# 'rose.HDFC Bank' style gluing in scraped copy: 'roseHDFC' -> 'HDFC'.
_GLUED_LOWER = re.compile(r"^[a-z]{3,}(?=[A-Z])")
_MEASURE_TAIL = re.compile(r"\s+(?:PMI|CPI|PPI|GDP|EPS)$")
_INNER_POSSESSIVE = re.compile(r"\w['’]s\s+[A-Z]")
_LAW_FIRM = re.compile(r"^[A-Z][\w.]+(?:, [A-Z][\w.]+)+,? & [A-Z][\w.]+$")


def _clean_spans(
    para: str, para_no: int, spans: Iterable[RawSpan], known: frozenset[str]
) -> list[_Mention]:
    """Turn raw NER spans of one paragraph into cleaned mentions with context cues."""
    out: list[_Mention] = []
    for s_start, s_end, label, name_cue in _merge_name_spans(para, spans):
        etype = _LABEL_MAP.get(label)
        if etype is None:
            continue
        if label == "PERSON" and _INNER_POSSESSIVE.search(para[s_start:s_end]):
            label = etype = "ORG"  # 'Sam’s Club', 'Trader Joe’s Co.': people's names hold none
        start, end = _trim(para, s_start, s_end)
        start, end = _strip_leading_words(para, start, end)
        if label == "ORG":
            start, end = _whole_org_name(para, start, end)
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
            if etype != "PERSON":
                a, b = _index_span(para, a, b)
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
# Trimming a span
# --------------------------------------------------------------------------------------------


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
        measure = _MEASURE_TAIL.search(text)
        if measure and measure.start() > 0:
            end = start + measure.start()  # 'IHS Markit PMI', 'Philippines CPI'
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
        fixed = _fixed_type(rest) if sep and first in _HEAD_ADJECTIVES else None
        if fixed is not None and fixed[1] == "ORG":
            start += len(first) + 1  # 'New European Central Bank President', not 'New Mexico'
            continue
        return start, end


# Words that open a person's title ahead of the institution's name, which the model then takes
# into the name: 'New European Central Bank President Christine Lagarde'.
_HEAD_ADJECTIVES = frozenset(("New", "Former", "Acting", "Incoming", "Outgoing", "Interim"))


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


def _whole_org_name(para: str, start: int, end: int) -> tuple[int, int]:
    """An institution's whole name where the model cut it short: 'Reserve' + 'Bank of India',
    'Industrial & Commercial' + ' Bank of China Ltd.'."""
    toks = _tokens(para[start:end])
    if not toks:
        return start, end
    if toks[0] in ORG_WORDS or toks[0] in INSTITUTION_WORDS:
        for _ in range(3):
            before = _NAME_BEFORE.search(para, 0, start)
            if before is None or not all(
                w in INSTITUTION_WORDS or w == "&"
                for w in re.split(r"[\s-]+", before.group(1))
                if w
            ):
                break
            start = before.start(1)
    if toks[-1] in ORG_WORDS or toks[-1] in COMPANY_SUFFIXES:
        return start, end
    pos, new_end = end, end
    for _ in range(6):
        word = _NAME_WORD_AT.match(para, pos)
        if word is None or word.group(1) in SPAN_TITLES or word.group(1) in PERSON_TITLES:
            break
        pos = word.end()
        if word.group(1) in COMPANY_SUFFIXES:
            new_end = pos
        elif word.group(1).rstrip(".") in ORG_WORDS:
            new_end = pos - (1 if word.group(1).endswith(".") else 0)
    return start, new_end


_NAME_BEFORE = re.compile(r"(?<![\w&])([A-Z][\w’'-]*\s+(?:&\s+)?)$")
_NAME_WORD_AT = re.compile(r"\s+(?:(?:of|&|for|and|de)\s+)?([A-Z][\w.&’'-]*)")


# --------------------------------------------------------------------------------------------
# Splitting glued spans
# --------------------------------------------------------------------------------------------


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
        owned = text[m.end() :]
        if _is_brand(owner, owned, known):
            continue  # 'Sam’s Club', though the story also says 'Sam’s'
        if _is_known_owner(owner, known) or _is_known_surname(owned, known):
            cuts.append((m.start(), m.end(), "owner"))
    cuts.extend(_glue_cuts(text))
    # 'WeWork to Uber Technologies Inc.': a lowercase word names never hold joins two names.
    cuts.extend(
        (m.start(), m.end(), "")
        for m in _LOWER_WORD.finditer(text)
        if m.group(1) not in NAME_CONNECTORS and text[m.end() : m.end() + 1].isupper()
    )
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


_LOWER_WORD = re.compile(r" ([a-z][a-z’'-]*) (?=\S)")


_CAMEL_GLUE = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")
_QUOTE_GLUE = re.compile(r"(?<=\w)[“”\"‘](?=\w)")


def _glue_cuts(text: str) -> list[tuple[int, int, str]]:
    """Sentences scraped without their space: 'Societe GeneraleTrump delivers', 'TuesdayOn
    Wednesday', 'half“We'. A name spelled in camel case stays whole ('PetroChina', 'BlackRock')
    unless one side is a listed name, a weekday or month, or a sentence word."""
    cuts = [(m.start(), m.end(), "") for m in _QUOTE_GLUE.finditer(text)]
    for m in _CAMEL_GLUE.finditer(text):
        left = text[: m.start()]
        word = left.rsplit(" ", 1)[-1]
        right = text[m.start() :].split(" ", 1)[0]
        if (
            left in KNOWN_ORGS
            or word in CALENDAR_WORDS
            or right in LEADING_WORDS
            or right in PRONOUNS
            or right in CALENDAR_WORDS
            or right in WELL_KNOWN_PEOPLE
        ):
            cuts.append((m.start(), m.start(), ""))
    return cuts


def _is_brand(owner: str, owned: str, known: frozenset[str]) -> bool:
    """'Sam’s Club': one word, a possessive and one word that is no name of its own."""
    return (
        " " not in owner
        and owner not in WELL_KNOWN_PEOPLE
        and not _is_known_surname(owner, known)
        and " " not in owned
        and owned[:1].isupper()
        and owned not in known
        and owned not in KNOWN_ORGS
        and owned not in NOT_ENTITIES
        and _fixed_type(owned) is None
    )


def _is_known_surname(rest: str, known: frozenset[str]) -> bool:
    """'Kirkland’s Henes' when the story names 'Jon Henes': the owned is a person."""
    if " " in rest or not rest[:1].isupper():
        return False
    return any(
        len(k.split()) >= 2
        and k.split()[-1] == rest
        and not _INNER_POSSESSIVE.search(k)
        and _looks_like_name(k)
        for k in known
    )


def _is_known_owner(owner: str, known: frozenset[str]) -> bool:
    """An owner in 'X’s Y' that is a name of its own: listed, named alone, or a person."""
    if not owner or not owner[:1].isupper():
        return False
    return (
        owner in known
        or owner in KNOWN_ORGS
        or owner in WIRE_NAMES
        or _fixed_type(owner) is not None
        or (" " in owner and owner.split()[0] in GIVEN_NAMES)  # not 'Sam’s Club'
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
    if side_tokens[-1] and side_tokens[-1][-1] in NAME_HEADS:
        return False  # 'Health Insurance Portability and Accountability Act'
    if n_parts > 1:
        return True
    if all(side.strip() in KNOWN_ORGS or _fixed_type(side.strip()) for side in sides):
        return True  # 'Alphabet and Facebook'
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


def _country_prefix(text: str) -> str:
    """The country in front of a government body's name ('U.S.' in 'U.S. Treasury'); a court
    keeps its whole name ('U.S. Bankruptcy Court')."""
    first, _, rest = text.partition(" ")
    is_country = first in _FIXED and _FIXED[first][1] == "GPE"
    government = any(t in GOVERNMENT_WORDS for t in _tokens(rest))
    return first if rest and is_country and rest[:1].isupper() and government else ""


# --------------------------------------------------------------------------------------------
# Junk
# --------------------------------------------------------------------------------------------


def _is_security(text: str, para: str, end: int) -> bool:
    """'10-year Treasuries', 'Bund yields': a security, not an issuer.

    The singular 'Treasury' is the U.S. Treasury, also as the issuer in 'Treasury yields'
    (the guidelines' ORG, as OntoNotes tags names that modify nouns).
    """
    if text not in ("Treasuries", "Treasurys", "Bund", "Bunds", "Gilt", "Gilts"):
        return False
    following = para[end:].split(None, 1)
    return text.endswith("s") or (bool(following) and following[0].strip(",.") in SECURITY_WORDS)


_QUARTER = re.compile(
    r"^(?:[1-4]Q|Q[1-4]|[12]H|H[12]|FY|CY)(?:\s?[’']?\d{2,4})?$|^FY\s?[’']?\d{2,4}$"
)
_GLUED = re.compile(r"\w[“”\"‘’]\w(?<!['’]s)|[a-z][.!?][A-Z]")


def _is_junk(text: str) -> bool:
    """Not a name: no capital letter, no letters at all, a jargon word, a prefixed adjective,
    a quarter ('1Q', '4Q19'), a date ('March 2019'), a pronoun, text glued by punctuation."""
    if len(text) < 2 or not _HAS_UPPER.search(text) or not _HAS_LETTER.search(text):
        return True
    if text in NOT_ENTITIES or "%" in text or text in LEGAL_SUFFIXES or text in LEADING_WORDS:
        return True
    if text in PRONOUNS or _QUARTER.match(text) or _GLUED.search(text) or _is_date(text):
        return True
    first = text.split()[0]
    if _PREFIXED_ADJECTIVE.match(first):
        return True  # 'un-JPMorgan-like', 'non-Hodgkin': adjectives built on a name
    return text.isupper() and len(text) > 6 and " " not in text  # shouted words


def _is_date(text: str) -> bool:
    """Months, weekdays and numbers only: 'March 2019', 'Sept. 15-16', 'Tuesday'."""
    toks = text.replace(",", " ").split()
    return any(t in CALENDAR_WORDS for t in toks) and all(
        t in CALENDAR_WORDS or not _HAS_LETTER.search(t) or t in ("of", "the", "and") for t in toks
    )
