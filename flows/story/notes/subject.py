"""What changed: the subject of a note, cut where its place, its date or a sentence starts.

'(Updates with Xi comments from sixth paragraph.)' -> 'Xi comments'.
"""

from __future__ import annotations

import re

from flows.story.notes.records import _Span

# Subject boundaries.
_GAP = re.compile(r"[\s:]*")
_LEAD_IN = re.compile(
    r"(?:(?:the\s+)?story\s+)?(?:with|to\s+(?:add|include|show|say|reflect|clarify|correct|"
    r"fix|note|remove|delete|insert)|on|for|that)\b\s*"
)
_AFTER_PLACE = re.compile(r"\s*(?:with|to\s+(?:add|include|show|say|reflect))\b\s*")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|from|at|after|before|to|into|on|below|above|throughout)\s*$"
)
_OPENS_WITH_PREPOSITION = re.compile(r"(?:in|from|at|after|before|to|into|on|below|above|of)\b")
# 'of story published Jan. 16', 'in the earlier version': where a subject ends.
_STORY_REF = re.compile(
    r"\b(?:of|in)\s+(?:the\s+|this\s+|an?\s+)?(?:earlier\s+|previous\s+|original\s+)?"
    r"(?:story|article|version)\b"
)
_SENTENCE_END = re.compile(r"[.!?;]\s+(?=[A-Z])")
# Words left dangling at a subject's end once its place is cut off ('comments starting in').
_TRAILING_STOP = frozenset(
    {
        *("in", "from", "at", "after", "before", "to", "into", "on", "of", "with", "below"),
        *("above", "the", "and", "starting", "beginning"),
    }
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|and)\s+", re.IGNORECASE)


def _trim(text: str) -> str:
    """Drop trailing punctuation and dangling prepositions from a subject."""
    while True:
        text = text.rstrip(" \t\n,;:.-\u2013\u2014")
        parts = text.rsplit(None, 1)
        if not parts or parts[-1].lower() not in _TRAILING_STOP:
            return text
        text = parts[0] if len(parts) == 2 else ""


def _subject(body: str, low: str, acts: list[_Span], spans: list[_Span]) -> str | None:
    """What the note says changed: the object of its first action that has one."""
    for i, (_, end, _) in enumerate(acts):
        stop = acts[i + 1][0] if i + 1 < len(acts) else len(low)
        gap = _GAP.match(low, end, stop)
        if gap is None:
            continue
        start = gap.end()
        lead = _LEAD_IN.match(low, start, stop)
        if lead is not None:
            start = lead.end()
        # A note that opens with its place ('Updates fifth paragraph with X') names X after it.
        for s, e, kind in spans:
            if s == start and e <= stop:
                after = _AFTER_PLACE.match(low, e, stop)
                if after is not None:
                    start = after.end()
                elif kind in ("ref", "throughout", "date"):
                    start = e
                break
        cut = stop
        for s, _e, kind in spans:
            if start < s < cut and (
                kind == "throughout"
                or _PREPOSITION_BEFORE.search(low, start, s)
                or _OPENS_WITH_PREPOSITION.match(low, s)
            ):
                cut = s
                break
        for m in _SENTENCE_END.finditer(body, start, cut):
            # A full stop after a lower-case word ends a sentence; 'Inc. CEO' does not.
            before = body[start : m.start()].rsplit(None, 1)
            if before and (before[-1].islower() or before[-1].isdigit()):
                cut = m.start()
                break
        # strip(): any whitespace, a no-break space after 'Updates ,' included.
        text = _trim(body[start:cut]).lstrip(" ,;:.").strip()
        text = _LEADING_ARTICLE.sub("", text).strip()
        if any(ch.isalpha() for ch in text):
            return text
    return None
