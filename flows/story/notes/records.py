"""What the update-note grammar hands out, and what its steps pass between them.

``UpdateNote`` is one note read into actions, subject, places and date; its actions come only
from the contract vocabulary ``ACTIONS``. ``_Span`` marks where an action, place or date stands
in a note: ``places`` and ``grammar`` find them, ``subject`` cuts a subject short at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ACTIONS: tuple[str, ...] = (
    "update",
    "add",
    "correct",
    "remove",
    "rewrite",
    "recast",
    "refile",
    "delete",
    "insert",
    "fix",
    "clarify",
    "change",
)


@dataclass(frozen=True)
class UpdateNote:
    """One editor's note, read into what was done, to what and where."""

    text: str
    actions: tuple[str, ...]
    subject: str | None
    paragraph_refs: tuple[int, ...]
    scope: str | None
    refers_to_date: date | None


_Span = tuple[int, int, str]  # (start, end, kind) of a place, date or action in the note
