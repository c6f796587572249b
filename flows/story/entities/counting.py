"""Step 5: mentions per story paragraph, including missed occurrences of known forms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from flows.story.entities.identity import entity_id_for
from flows.story.entities.records import EntityMention, StoryText, _Mention
from flows.story.entities.word_lists import AMBIGUOUS_WORDS


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
                entity_id=entity_id_for(name),
                name=name,
                entity_type=etype,
                mention_count=counts[name],
                first_paragraph_no=first[name],
                surface_forms=forms,
            )
        )
    out.sort(key=lambda e: (e.first_paragraph_no, e.name, e.entity_type))
    return out


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
