"""``newswire eval``: how well the warehouse keeps one id per real-world entity.

The check folds names by its own rule, apart from the resolver's key (``entity_key``), so it
audits the resolver rather than repeating it: two ids of one type whose names differ only by
case, punctuation, a possessive or a legal suffix ('Apple Inc.' / 'apple') are one entity under
two ids, which analysts counting "stories that mention Apple" would miss. The count is what
issue-level targets call the merged-names count (0 is the goal). Two real companies such as
'Merck & Co.' and 'Merck KGaA' rightly stay apart: a group whose names the resolver lists as
distinct companies is shown as kept apart on purpose and not counted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

_LEGAL = (
    "inc|incorporated|corp|corporation|co|cos|company|ltd|limited|plc|llc|llp|lp|l\\.p|l\\.l\\.c"
    "|ag|sa|s\\.a|se|nv|n\\.v|bv|b\\.v|ab|asa|oyj|spa|s\\.p\\.a|gmbh|kgaa|bhd|tbk|pte|pty|pjsc"
    "|ojsc|jsc|pao|oao|kk|k\\.k|sab de cv|sa de cv"
)
_LEGAL_TAIL = re.compile(rf"(?:\s*,)?\s+(?:{_LEGAL})\.?$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019])$|['\u2019]$", re.IGNORECASE)
_PUNCT = re.compile(r"[^\w\s]|_")


def fold_name(text: str) -> str:
    """A name without what does not tell entities apart: case, punctuation, a trailing
    possessive, legal suffixes (repeated: 'Co., Ltd.'); whitespace collapsed."""
    text = " ".join(text.split())
    text = _POSSESSIVE.sub(lambda m: "s" if m.group(0)[0] in "sS" else "", text)
    while True:
        cut = _LEGAL_TAIL.sub("", text)
        if cut == text or not cut.strip():
            break
        text = cut
    return " ".join(_PUNCT.sub("", text).lower().split())


@dataclass(frozen=True)
class SplitName:
    """Ids of one type whose names fold to the same text."""

    entity_type: str
    names: tuple[str, ...]
    entity_ids: tuple[str, ...]


@dataclass
class EntityAudit:
    """What ``newswire eval`` prints."""

    entities: int = 0
    split_names: list[SplitName] = field(default_factory=list)
    # Groups the resolver keeps apart on purpose (names listed as distinct companies).
    kept_apart: list[SplitName] = field(default_factory=list)
    # Ids retired into another entity (entity_id_merges), by resolution.
    retired_ids: dict[str, int] = field(default_factory=dict)

    @property
    def merged_names_count(self) -> int:
        """Ids that share a folded name and a type with another id."""
        return sum(len(split.entity_ids) for split in self.split_names)


def kept_apart(splits: Iterable[SplitName], distinct: frozenset[str]) -> list[SplitName]:
    """The groups in which every name but one is listed in ``distinct``: companies the
    resolver keeps apart by their legal form ('Merck KGaA' beside 'Merck & Co.')."""
    return [s for s in splits if sum(name not in distinct for name in s.names) <= 1]


def split_names(entities: Iterable[tuple[str, str, str]]) -> list[SplitName]:
    """Groups of two or more ids of one type whose names fold alike, largest first.

    ``entities``: (entity_id, name, entity_type) rows.
    """
    groups: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for entity_id, name, entity_type in entities:
        folded = fold_name(name)
        if folded:
            groups[(entity_type, folded)][entity_id] = name
    found = [
        SplitName(entity_type, tuple(sorted(ids.values())), tuple(sorted(ids)))
        for (entity_type, _), ids in groups.items()
        if len(ids) > 1
    ]
    return sorted(found, key=lambda split: (-len(split.entity_ids), split.entity_type, split.names))


def write_audit(audit: EntityAudit, output: TextIO, show: int = 20) -> None:
    """The audit as a few plain lines, with up to ``show`` of the split names."""
    groups = len(audit.split_names)
    output.write(f"entities            {audit.entities:,}\n")
    retired = sum(audit.retired_ids.values())
    how = ", ".join(f"{name} {count:,}" for name, count in sorted(audit.retired_ids.items()))
    output.write(
        f"ids retired into another entity  {retired:,}" + (f" ({how})" if how else "") + "\n"
    )
    output.write(
        f"merged-names count  {audit.merged_names_count:,} ids in {groups:,} "
        f"group{'' if groups == 1 else 's'}: one type, names that differ only by case, "
        "punctuation or legal suffix\n"
    )
    for split in audit.split_names[:show]:
        output.write(f"  {split.entity_type:<8}{' | '.join(split.names)}\n")
    if groups > show:
        output.write(f"  ... and {groups - show:,} more groups (--show N lists more)\n")
    if audit.kept_apart:
        ids = sum(len(split.entity_ids) for split in audit.kept_apart)
        output.write(
            f"kept apart on purpose  {ids:,} ids in {len(audit.kept_apart):,} "
            f"group{'' if len(audit.kept_apart) == 1 else 's'}: companies that the resolver "
            "lists as distinct by their legal form, not counted above\n"
        )
        for split in audit.kept_apart:
            output.write(f"  {split.entity_type:<8}{' | '.join(split.names)}\n")
