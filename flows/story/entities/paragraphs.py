"""Which paragraphs are story sentences: the only text whose entities are taken as found.

Boilerplate and staff lines are skipped. Title-case lines (subheads, related-story links) go
through the model too, but their entities need a story sentence to confirm them (or must be the
whole line, a label such as 'Wells Fargo'). The model uses the same rules to choose the texts it
runs NER on, after stripping the wire tag from the lede.
"""

from __future__ import annotations

import re

# Staff lines and boilerplate, in case a caller passes them as story paragraphs.
_BOILERPLATE = re.compile(
    r"^(?:--\s*With assistance|To contact|For more articles|\u00a9|Subscribe now|Read(?: more)?:"
    r"|For more:|Click here|\((?:Updates|Adds|Corrects|Recasts|Changes|Removes|Rewrites)\b)",
    re.IGNORECASE,
)
_WIRE_TAG = re.compile(r"^(?:[A-Z][A-Z .,'-]*\s)?\((?:Bloomberg|Reuters)\)\s*[-\u2013\u2014]+\s*")

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


def _paragraph_kind(paragraph: str) -> str:
    """'body' for story sentences, 'title' for subheads and links, 'skip' for boilerplate."""
    if not paragraph.strip() or _BOILERPLATE.match(paragraph):
        return "skip"
    return "title" if is_headline_like(paragraph) else "body"


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


def _without_wire_tag(paragraph: str, index: int) -> str:
    """The lede without a wire tag the parser left in ('(Bloomberg) -- ')."""
    if index == 0:
        tag = _WIRE_TAG.match(paragraph)
        if tag:
            return paragraph[tag.end() :]
    return paragraph
