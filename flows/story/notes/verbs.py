"""The verbs of update notes: every form editors write, mapped to its action in ``ACTIONS``.

Present forms ('Updates'), past forms ('corrected'), intro words ('Correction: ...') and typos
of the long forms ('Corrrects'), without letting real words one edit away ('refined') in.
``_verb`` looks one word up; where in a note a verb counts is decided by ``grammar._actions``.
A new verb goes in ``_FORMS`` (or ``_RARE_FORMS``, read only as spelled):
``grammar.UNBRACKETED_OPENERS`` follows from it.
"""

from __future__ import annotations

from functools import lru_cache

# Kinds decide where a form counts: present forms at any clause start, past forms only after
# punctuation, intro words ('Update adds ...', 'Story corrects ...', 'Correction: ...') only
# as the note's first word.
_PRES, _PAST, _INTRO = "pres", "past", "intro"

_FORMS: dict[str, tuple[str, str]] = {
    "updates": ("update", _PRES),
    "updated": ("update", _PAST),
    "adds": ("add", _PRES),
    "added": ("add", _PAST),
    "corrects": ("correct", _PRES),
    "corrected": ("correct", _PAST),
    "removes": ("remove", _PRES),
    "removed": ("remove", _PAST),
    "rewrites": ("rewrite", _PRES),
    "rewrote": ("rewrite", _PAST),
    "rewritten": ("rewrite", _PAST),
    "recasts": ("recast", _PRES),
    "recast": ("recast", _PAST),
    "recasted": ("recast", _PAST),
    "refiles": ("refile", _PRES),
    "refiled": ("refile", _PAST),
    "deletes": ("delete", _PRES),
    "deleted": ("delete", _PAST),
    "inserts": ("insert", _PRES),
    "inserted": ("insert", _PAST),
    "fixes": ("fix", _PRES),
    "fixed": ("fix", _PAST),
    "includes": ("add", _PRES),
    "included": ("add", _PAST),
    "specifies": ("clarify", _PRES),
    "specified": ("clarify", _PAST),
    "clarifies": ("clarify", _PRES),
    "clarified": ("clarify", _PAST),
    "changes": ("change", _PRES),
    "changed": ("change", _PAST),
    "repeats": ("refile", _PRES),
    "repeated": ("refile", _PAST),
    "writethrough": ("rewrite", _PRES),
    "writethru": ("rewrite", _PRES),
    "update": ("update", _INTRO),
    "correction": ("correct", _INTRO),
    "corrections": ("correct", _INTRO),
    "clarification": ("clarify", _INTRO),
    "refile": ("refile", _INTRO),
    "repeat": ("refile", _INTRO),
    "story": ("", _INTRO),
}
# Verbs editors write less often, each read as the nearest action of the contract: moving,
# replacing, revising or rewording text changes it; expanding adds; amending corrects;
# restoring or reinstating a dropped passage inserts it; resending or retransmitting refiles;
# restructuring recasts. Only present forms: their past forms are mostly adjectives ('revised
# guidance', 'expanded program'), and none is read as a typo, as their neighbours one edit
# away are ordinary words ('expand', 'removes').
_RARE_FORMS: dict[str, tuple[str, str]] = {
    "moves": ("change", _PRES),
    "replaces": ("change", _PRES),
    "revises": ("change", _PRES),
    "rewords": ("change", _PRES),
    "rephrases": ("change", _PRES),
    "expands": ("add", _PRES),
    "amends": ("correct", _PRES),
    "restores": ("insert", _PRES),
    "reinstates": ("insert", _PRES),
    "resends": ("refile", _PRES),
    "retransmits": ("refile", _PRES),
    "restructures": ("recast", _PRES),
}
_FORMS.update(_RARE_FORMS)

# These double as ordinary words in tables and asides ('(Includes dividends)', '(Changes in
# percent)'), so a note opening with one needs editorial evidence as well.
_WEAK_FORMS = frozenset(
    {
        *("includes", "included", "changes", "changed", "specifies", "specified", "repeated"),
        *("moves", "replaces", "revises", "expands", "amends", "restores", "reinstates"),
        "restructures",
    }
)
# Past forms that open notes ('Updated with shares.') but not asides; others ('Fixed
# income', 'Added value') open a note only with editorial evidence.
_STRONG_PAST_ACTIONS = frozenset({"update", "correct", "refile", "clarify", "rewrite", "recast"})

# Typos are matched only against long forms of the strong verbs, and never against these
# real words one edit away from such a form.
_TYPO_TARGETS = tuple(
    form
    for form, (_, kind) in _FORMS.items()
    if kind != _INTRO
    and len(form) >= 6
    and form not in _WEAK_FORMS
    and form not in _RARE_FORMS
    and not form.startswith(("repeat", "writethr"))
)
_REAL_WORDS = frozenset(
    {
        *("updater", "updaters", "updating", "undated", "uprated", "upgrades", "upgraded"),
        *("correct", "corrector", "corrupted", "corrupts", "connects", "collected", "unpacks"),
        *("recants", "recanted", "repasts", "recasting", "receded", "recused"),
        *("refills", "refilled", "refines", "refined", "reviles", "reviled", "refiler"),
        *("refuted", "refused", "refuses", "refutes"),
        *("rewires", "rewired", "rewriter", "rewrite"),
        *("remotes", "remover", "removers", "remoter", "remove"),
        *("depletes", "depleted", "delete", "inverts", "inverted", "insects", "insets"),
        *("inserter", "insert", "clarifier", "clarify"),
    }
)


def _collapse(word: str) -> str:
    """Squeeze runs of one letter, so 'Corrrects' and 'Addds' meet their verb."""
    out: list[str] = []
    for ch in word:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


_COLLAPSED: dict[str, str] = {}
for _form, (_, _kind) in _FORMS.items():
    if _kind != _INTRO and _form not in _WEAK_FORMS and _form not in _RARE_FORMS:
        _COLLAPSED.setdefault(_collapse(_form), _form)


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau distance <= 1: one insertion, deletion, substitution or swap of neighbours."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) <= 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    if la > lb:
        a, b = b, a
    # a is one letter shorter: b without one letter must equal a.
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


@lru_cache(maxsize=8192)
def _verb(word: str) -> tuple[str, str] | None:
    """Map a lower-cased word to (action, kind), forgiving small typos in long verbs."""
    word = word.replace("-", "")
    hit = _FORMS.get(word)
    if hit is not None:
        return hit
    if len(word) < 5 or not word.isalpha() or word in _REAL_WORDS:
        return None
    # Only extra letters ('Corrrects'); a missing double ('Ads') is another word.
    form = _COLLAPSED.get(_collapse(word))
    if form is not None and len(word) > len(form):
        return _FORMS[form]
    # Typists rarely get the first letter wrong; requiring it keeps more ordinary words out.
    for form in _TYPO_TARGETS:
        if form[0] == word[0] and _within_one_edit(word, form):
            return _FORMS[form]
    return None
