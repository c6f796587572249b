"""One story's raw NER spans -> its entities: `resolve_story`, steps 1 to 5 in order.

Step 3 lives here too: short mentions resolve to the full form the story gives ('Xi' ->
'Xi Jinping', 'Goldman' -> 'Goldman Sachs Group Inc.', 'SCO' -> 'Shanghai Cooperation
Organization'), and the group of mentions gets its canonical name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from flows.story.entities.counting import _count_mentions, _find_word
from flows.story.entities.evidence import (
    _assign_text_types,
    _entity_type,
    _looks_like_name,
    _settled_type,
)
from flows.story.entities.gazetteer import _SCAN, _scan_gazetteer
from flows.story.entities.identity import entity_key
from flows.story.entities.lexicon import _GENERIC_ORG_WORDS, _POSSESSIVE_TAIL, _fixed_type, _tokens
from flows.story.entities.paragraphs import _paragraph_kind
from flows.story.entities.records import EntityMention, RawSpan, StoryText, _Mention
from flows.story.entities.spans import _clean_spans, _drop_common_words
from flows.story.entities.word_lists import LEADING_WORDS, LEGAL_SUFFIXES, NOT_ENTITIES, WIRE_NAMES

_NAME_WORD = re.compile(r"[A-Za-z][\w-]*")
_LOWER_WORD = re.compile(r"\b[a-z][a-z-]+\b")
_WORD_SPLIT = re.compile(r"[\s\-]+")


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

    # Groups whose names share a key are one entity ('Apple Inc.' and 'APPLE', an alias and
    # the full name): one id per story, as the entity_mentions table needs.
    by_key: dict[str, list[tuple[str, str, list[_Mention]]]] = {}
    for root, members in groups.items():
        name = _canonical_name(members)
        if name not in NOT_ENTITIES:
            by_key.setdefault(entity_key(name), []).append((root, name, members))
    merged: dict[str, tuple[str, list[_Mention]]] = {}
    for parts in by_key.values():
        members = [m for _root, _name, ms in parts for m in ms]
        root, name, _ = max(parts, key=lambda p: _name_rank(p[1], p[2]))
        etype = _settled_type(name, _entity_type(root, members), members)
        if etype is not None:
            merged[name] = (etype, members)
    return _count_mentions(story, merged, kinds)


def _name_rank(name: str, members: list[_Mention]) -> tuple[bool, int, int]:
    """The display name among one key's names: a fixed name, else the fullest."""
    return (any(m.canonical == name for m in members), len(_tokens(name)), len(name))


def _is_label_line(m: _Mention, lower_words: set[str]) -> bool:
    """A subhead that is just a name ('Wells Fargo' above its forecast), not a phrase.

    Phrases like 'Bank Rally Overextended' reuse the story's ordinary words; names do not.
    """
    if m.cue or m.hint:
        return True
    return not any(w.lower() in lower_words for w in _NAME_WORD.findall(m.text))


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


# --------------------------------------------------------------------------------------------
# Short forms to full forms
# --------------------------------------------------------------------------------------------


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
    if m.text in WIRE_NAMES:
        return m.text  # 'Bloomberg' the data source is not 'Bloomberg News' the unit
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


def _pick(candidates: list[_Mention], m: _Mention) -> _Mention | None:
    """Choose among full forms: the only one, else the nearest one before the mention."""
    names = {c.text for c in candidates}
    if len(names) == 1:
        return candidates[0]
    before = [c for c in candidates if (c.para, c.start) < (m.para, m.start)]
    return before[-1] if before else None


def _is_part(short: list[str], full: list[str]) -> bool:
    """True when `short` is a proper leading or trailing run of `full` ('Xi' in 'Xi Jinping')."""
    n = len(short)
    return 0 < n < len(full) and (full[:n] == short or full[-n:] == short)


def _org_tokens(text: str) -> list[str]:
    """Tokens used to match short company names: legal suffixes, '.com' and possessives
    ('Sam’s Club' for 'Sam’s') do not count."""
    toks = [_POSSESSIVE_TAIL.sub("", t.removesuffix(".com")) for t in _WORD_SPLIT.split(text) if t]
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


def _canonical_name(members: list[_Mention]) -> str:
    """Fixed names for countries and institutions, else the longest form seen in the story."""
    fixed = [m.canonical for m in members if m.canonical]
    if fixed:
        return Counter(fixed).most_common(1)[0][0]
    forms = [m.text for m in members]
    return max(forms, key=lambda f: (len(_tokens(f)), len(f), -forms.index(f)))
