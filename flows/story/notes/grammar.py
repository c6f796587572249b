"""The whole-note rules: what makes a paragraph a note, and ``parse_update_note``.

A cheap gate first (a bracket, a strong present verb or a sentence opener such as 'An earlier
version', ``UNBRACKETED_OPENERS``), the 'earlier version' and 'this story was ...' sentences,
where a verb counts as an action (``_actions``: at a clause start), the evidence a weak opening
verb needs, then the note put together from its verbs, places, date and subject.
"""

from __future__ import annotations

import re
from datetime import date

from flows.story.notes.dates import _story_date
from flows.story.notes.places import _ORD, _PARA_WORD, _locate
from flows.story.notes.records import UpdateNote, _Span
from flows.story.notes.subject import _subject
from flows.story.notes.verbs import (
    _FORMS,
    _INTRO,
    _PAST,
    _PRES,
    _STRONG_PAST_ACTIONS,
    _WEAK_FORMS,
    _verb,
)

# 'An earlier version of this story misstated ...' is a correction whatever its verb, but for
# a passive action ('... was updated to add ...') and where the story only ran elsewhere.
_EARLIER = re.compile(
    r"\b(?:an?\s+|the\s+)?(?:earlier|previous|prior|original)\s+versions?"
    r"(?P<story>\s+of\s+(?:(?:this\s+|the\s+)?(?:story|article|headline)|this\s+(?:report|item))"
    r"(?:\s+and\s+(?:its\s+|the\s+)?(?:headline|story))?)?\b"
    r"(?P<aux>\s+(?:was|were|is|(?:has|have|had)\s+been)\b)?\s*(?:(?:first|originally|also)\s+)?"
    r"(?:(?P<adv>(?:in(?:correctly|accurately)|erroneously|wrongly|mistakenly|did\s+not|"
    r"didn['\u2019]t|failed\s+to|should\s+have)\b)\s*)?(?P<verb>[a-z]+)?"
)
# Inside a note, 'An earlier version misspelled ...' needs no 'of this story', but then its
# verb must say what was wrong, as 'earlier version' alone may be any product's.
_WRONG = re.compile(
    r"mis[a-z]+|incorrectly|erroneously|wrongly|inaccurately|omitted|gave|said|stated|"
    r"referred|reported|described|contained|failed|should"
)
# 'An earlier version of this story appeared in the magazine': where it ran, not an error,
# unless it ran by mistake.
_RAN = re.compile(r"appeared|appears|ran|runs|published|available")
_BY_MISTAKE = re.compile(r"\b(?:in\s+error|by\s+mistake|mistakenly|prematurely)\b")
_THIS_STORY = re.compile(
    r"\b(?:this|the)\s+(?:story|article|report)\s+(?:was|has\s+been|had\s+been|is\s+being)"
    r"\s+(?P<verb>[a-z]+)"
)
# Sentence-like notes open with one of these (compared with the lower-cased first 12 chars).
_SENTENCE_OPENERS = (
    "an earlier",
    "a previous",
    "a prior",
    "an original",
    "the earlier",
    "the previous",
    "the prior ve",
    "the original",
    "earlier vers",
    "previous ver",
    "prior versio",
    "this story",
    "the story wa",
    "the story ha",
    "correction",
    "clarificatio",
)
# First letters of every unbracketed opener: most story paragraphs fail on this alone.
_OPENING_LETTERS = frozenset(
    "".join(w[0] + w[0].upper() for w in _SENTENCE_OPENERS)
    + "".join(f[0] + f[0].upper() for f, (_, k) in _FORMS.items() if k == _PRES)
)
# What an unbracketed note may open with (lower-cased): a strong present verb or a sentence
# opener. The parser uses it to skip ordinary paragraphs without calling ``parse_update_note``.
UNBRACKETED_OPENERS = tuple(
    sorted(
        {f for f, (_, k) in _FORMS.items() if k == _PRES and f not in _WEAK_FORMS}
        | set(_SENTENCE_OPENERS)
    )
)
_GATE_CHARS = 40
_REPORTED = re.compile(r"\b(?:said|says|told|according)\b")
# '..., he said': a sentence about an earlier version that reports speech is story text.
_SPEECH_TAG = re.compile(r",\s+(?:[a-z.'\u2019-]+\s+){0,3}(?:said|says|told|according)\b")
_FIRST_WORD = re.compile(r"\s*([A-Za-z]+(?:['\u2019-][A-Za-z]+)*)")
_TOKEN = re.compile(r"[a-z]+(?:['\u2019-][a-z]+)*|\d+[a-z]*|[^\sa-z\d]")
_CLAUSE_PUNCT = frozenset(".,;:!?")
_CONJ = frozenset({"and", "also", "then", "&", "plus"})
# A verb takes an object; 'price changes and fixes in the schedule' has nouns.
_NOUN_FOLLOWS = re.compile(r"\s+(?:in|of|for|on|at|from|by|are|were|was|is)(?=[\s.,;:]|$)")
# Evidence that a note opening with a weak verb ('Includes', 'Changes') is editorial.
_EDITORIAL = re.compile(
    rf"\b{_PARA_WORD}|\b(?:throughout|headline|dateline|byline|story|typo|spelling|"
    r"misspell\w*|quotes?|comments?|details?|reference|to\s+(?:add|show|say|reflect|clarify|"
    r"correct|fix|remove|include|update))\b"
)
# ... or whose object is a part of the story ('Replaces chart', 'Moves second bullet'); not
# after a preposition, as in an aside ('Changes in table are from a year earlier').
_EDITED_OBJECT = re.compile(
    rf"\s+(?:(?:the|a|an|new)\s+)?(?:{_ORD}\s+)?"
    r"(?:charts?|graphics?|tables?|bullets?|ledes?|sentences?|wording|photos?)\b"
)
# Longer bracketed paragraphs are story text, not notes.
_MAX_NOTE = 1000


def _fold(text: str) -> str:
    """Lower-case without changing length, so offsets in the folded text fit the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _editorial(low: str) -> bool:
    """Whether a note opening with a weak verb shows it is an editor's (``_EDITORIAL``)."""
    first = _FIRST_WORD.match(low)
    return bool(_EDITORIAL.search(low)) or (
        first is not None and _EDITED_OBJECT.match(low, first.end()) is not None
    )


def _earlier_action(m: re.Match[str], low: str) -> str | None:
    """The action of an 'earlier version' sentence: what was done to it, else a correction."""
    verb = m.group("verb") or ""
    hit = None if m.group("adv") else _verb(verb)
    if hit is not None and hit[0] and m.group("aux"):
        return hit[0]  # 'An earlier version of this story was updated ...'
    if m.group("adv") or _WRONG.fullmatch(verb) or (hit is not None and hit[0] == "correct"):
        return "correct"
    if not m.group("story") or (_RAN.fullmatch(verb) and not _BY_MISTAKE.search(low, m.end())):
        return None
    return "correct"


def _sentence(low: str, bracketed: bool) -> re.Match[str] | None:
    """The 'earlier version' or 'this story was ...' sentence a note opens with, if any.

    Without 'of this story' only a bracketed sentence or one saying what was wrong counts:
    '(Previous version misspelled ...)', but not 'An earlier version of the phone ...'; nor
    does an unbracketed one reporting speech ('..., he said').
    """
    if not bracketed and _SPEECH_TAG.search(low):
        return None
    earlier = _EARLIER.match(low)
    if earlier is not None and _earlier_action(earlier, low) is not None:
        verb = earlier.group("verb") or ""
        story = earlier.group("story") or ""
        # 'The original version of the story' may be a novel's: 'the' needs 'of this story'.
        if low.startswith("the") and "this" not in story:
            return None
        if story or bracketed or earlier.group("adv") or verb[:3] == "mis":
            return earlier
    return _THIS_STORY.match(low)


def _actions(low: str) -> list[_Span]:
    """Actions at clause starts and in 'earlier version' sentences, as spans in the note."""
    found: list[_Span] = []
    prev = ""
    words = 0
    intro_first = False
    for m in _TOKEN.finditer(low):
        tok = m.group()
        if not tok[0].isalpha():
            prev = tok
            continue
        at_start = words == 0 or (words == 1 and intro_first)
        after_punct = prev in _CLAUSE_PUNCT
        # Mid-clause words are never verbs here, so skip the (typo-tolerant) lookup.
        hit = _verb(tok) if at_start or after_punct or prev in _CONJ else None
        if hit is not None:
            action, kind = hit
            clause_start = (kind == _PRES or (kind == _PAST and after_punct)) and not (
                _NOUN_FOLLOWS.match(low, m.end())
            )
            if action and (at_start or clause_start):
                found.append((m.start(), m.end(), action))
            intro_first = intro_first or (words == 0 and kind == _INTRO)
        words += 1
        prev = tok
    if "version" in low:
        for m in _EARLIER.finditer(low):
            earlier = _earlier_action(m, low)
            if earlier is not None:
                found.append((m.start(), m.end(), earlier))
    if "story" in low or "article" in low or "report" in low:
        for m in _THIS_STORY.finditer(low):
            hit = _verb(m.group("verb"))
            if hit is not None and hit[0]:
                found.append((m.start(), m.end(), hit[0]))
    found.sort()
    # 'An earlier version of this story was updated' matches two patterns: keep the first.
    kept: list[_Span] = []
    for act in found:
        if not kept or act[0] >= kept[-1][1]:
            kept.append(act)
    return kept


def _inside_brackets(text: str) -> str:
    """The text inside the opening bracket, up to its matching close (nesting allowed)."""
    opening = text[0]
    close = ")" if opening == "(" else "]"
    end = text.find(close)
    nested = text.find(opening, 1)
    if end != -1 and (nested == -1 or nested > end):
        # Text after the closing bracket is not part of the note.
        return text[1:end].strip()
    depth = 0
    for i, ch in enumerate(text):
        if ch == opening:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                # Text after the closing bracket is not part of the note.
                return text[1:i].strip()
    return text[1:].strip()


def parse_update_note(text: str, published: date | None = None) -> UpdateNote | None:
    """Return the note if this paragraph is an editor's update/correction note, else None.

    Args:
        text: one paragraph of a story.
        published: the article's date; it gives the year of 'story published Sept. 13'.

    Returns:
        The parsed note, or None for any other paragraph: story text, ratings like
        '(Buy, PT $9)', '(Note: ...)' disclosures, asides. Never raises on a string.
    """
    # Cheap gate first, as nearly every paragraph is story text: a note opens with a bracket,
    # a strong present verb ('Updates ...') or an 'earlier version' sentence. Only the head of
    # the paragraph is looked at until then.
    head = text[:_GATE_CHARS].lstrip()
    if not head:
        if not text.strip():
            return None
        head = text.strip()[:_GATE_CHARS]
    if head[0] not in "([" and (
        head[0] not in _OPENING_LETTERS or not head.lower().startswith(UNBRACKETED_OPENERS)
    ):
        return None
    stripped = text.strip()
    bracketed = stripped[0] in "(["
    first = _FIRST_WORD.match(stripped, 1 if bracketed else 0)
    if first is None:
        return None
    first_low = first.group(1).lower()
    opener = _verb(first_low)
    head = stripped[first.start(1) : first.start(1) + 12].lower()
    sentence_like = head.startswith(_SENTENCE_OPENERS)
    if opener is None and not sentence_like:
        return None
    if (
        not bracketed
        and not sentence_like
        and (_FORMS.get(first_low, ("", ""))[1] != _PRES or first_low in _WEAK_FORMS)
    ):
        # Without brackets only an exact, strong present verb may open a note ('Updates with').
        return None
    if len(stripped) > _MAX_NOTE:
        return None

    body = _inside_brackets(stripped) if bracketed else stripped
    low = _fold(body)
    sentence = _sentence(low, bracketed)
    if opener is None and sentence is None:
        return None
    acts = _actions(low)
    actions: list[str] = []
    for _, _, action in acts:
        if action not in actions:
            actions.append(action)
    if not actions:
        return None
    refs, scope, spans = _locate(low)

    if sentence is None and opener is not None:
        weak = first_low in _WEAK_FORMS or (
            opener[1] == _PAST and opener[0] not in _STRONG_PAST_ACTIONS
        )
        if weak and len(actions) == 1 and not _editorial(low):
            return None
        # 'Correction: ...' labels itself as a note, with or without a place.
        labelled = opener[1] == _INTRO and stripped.startswith(":", first.end(1))
        if (
            not bracketed
            and not labelled
            and ((not refs and scope is None) or _REPORTED.search(low))
        ):
            # Unbracketed, a verb-first sentence is a note only if it says where it changed,
            # and never if it reports speech, as story fragments ('Adds to fears, he said') do.
            return None

    return UpdateNote(
        text=stripped,
        actions=tuple(actions),
        subject=_subject(body, low, acts, spans),
        paragraph_refs=tuple(refs),
        scope=scope,
        refers_to_date=_story_date(low, published),
    )
