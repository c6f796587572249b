"""What entity extraction takes in, hands out, and passes between its steps.

`StoryText` goes in and `EntityMention` comes out (its `entity_id` from `identity`). `RawSpan`
is what the model finds in one text and all that resolution needs from it: the seam between
running NER (`model`) and resolving a story (`resolution`). `_Mention` is a cleaned span while
one story is being resolved.
"""

from __future__ import annotations

from dataclasses import dataclass

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
