"""The grammar of editors' update and correction notes on wire stories.

Editors mark a re-sent story with a short note in its own paragraph: Bloomberg at the bottom
('(Updates with Xi comments from sixth paragraph.)'), Reuters at the top ('(Recasts, adds
analyst comment)'), sometimes as a sentence ('An earlier version of this story misstated ...').
This module recognises such a paragraph and reads what was done (actions), to what (subject),
where (paragraph_refs, scope) and, for a correction of an older copy, that copy's date.

Action normalization (only the contract vocabulary ``ACTIONS`` is ever emitted):

* 'includes' -> 'add': it announces new material, like 'adds';
* 'specifies' -> 'clarify': it makes an existing statement more precise;
* 'repeats' -> 'refile': Reuters re-sends a story unchanged, a refile without edits;
* 'writethrough' -> 'rewrite': Reuters' name for a rewrite of the whole story;
* 'An earlier/previous version of this story misstated/corrected/...' -> 'correct'.

A verb counts only where a clause starts (the note's start, after a comma, semicolon or full
stop, after 'and'/'also'): after 'to' it is a purpose ('Updates to add prices' is only
'update'), and inside a clause it is part of the subject. Past forms count only at a clause
start after punctuation, as 'and updated prices' is more often an adjective than a verb.

Paragraph references: ordinals and numerals name story paragraphs, in order of appearance;
'first two paragraphs' names the first; 'last', 'final', 'penultimate', 'third-to-last',
ranges ('paragraphs 8-11') and bullets name no number and only set ``scope``, while numbers
named beside them are kept ('fifth and final paragraphs' -> (5,)); a bare ordinal ('short
interest in fifth') counts when the note speaks of paragraphs elsewhere. ``scope`` is the
earliest non-numbered place named: 'throughout', 'headline', 'last_paragraph',
'penultimate_paragraph', 'from_end', 'range', 'bullet', 'top', 'dateline', 'byline', 'chart',
'table' or 'section'.

Pure and stdlib-only. ``parse_update_note`` never raises on a string and rejects ordinary
paragraphs after a few cheap checks, as it runs on every paragraph of every story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

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


# --- verbs ----------------------------------------------------------------------------------

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

# These double as ordinary words in tables and asides ('(Includes dividends)', '(Changes in
# percent)'), so a note opening with one needs editorial evidence as well.
_WEAK_FORMS = frozenset(
    {"includes", "included", "changes", "changed", "specifies", "specified", "repeated"}
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
    if _kind != _INTRO and _form not in _WEAK_FORMS:
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


# --- where ----------------------------------------------------------------------------------
# All patterns below run on lower-cased text, without re.IGNORECASE, which is several times
# faster in Python's re for the long alternations of ordinal words.

_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_ORDINAL_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS, start=1)}
_ORDINAL_WORDS.update(
    {
        w: i
        for i, w in enumerate(
            (
                *("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"),
                *("sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"),
            ),
            start=10,
        )
    }
)
_ORDINAL_WORDS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50})
# Common misspellings; they only count before a paragraph word, where they cannot mislead.
_ORDINAL_WORDS.update({"forth": 4, "fith": 5, "eigth": 8, "nineth": 9, "twelveth": 12})
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_CARDINALS = {
    w: i
    for i, w in enumerate(
        (
            *("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
            *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
            *("eighteen", "nineteen", "twenty"),
        ),
        start=1,
    )
}

_END_ORD = (
    r"(?:(?:second|third|fourth|fifth|next)[\s-]+(?:to|from)[\s-]+(?:the[\s-]+)?last"
    r"|second[\s-]+last|penultimate|last|final)"
)
_ORD = (
    rf"(?:{_END_ORD}"
    rf"|(?:twenty|thirty|forty|fifty)[\s-]+(?:{'|'.join(_UNITS)})"
    rf"|{'|'.join(sorted(_ORDINAL_WORDS, key=len, reverse=True))}"
    r"|\d{1,3}(?:st|nd|rd|th|d))"
)
# Typos ('paragrah', 'pararaph') and a missing space ('paragraphwith') still name one.
_PARA_WORD = r"(?:par(?:ag|ar|ap|g)[a-z]*|paras?\b|pars?\b|graff?s?\b|graphs?\b)"
_COUNT = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d)"
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*&\s*)"
_RANGE_SEP = r"(?:\s*[-\u2013\u2014]\s*|\s+(?:to|through|thru|until)\s+)"
_NUM = rf"(?:\d{{1,3}}|{'|'.join(sorted(_CARDINALS, key=len, reverse=True))})"

_ORD_TOKEN = re.compile(rf"\b{_ORD}\b")
_NUM_TOKEN = re.compile(rf"\b{_NUM}\b")
_IS_RANGE_SEP = re.compile(_RANGE_SEP)
# 'fourth, sixth and seventh paragraphs', 'first two paragraphs', '9th par', '4th-6th grafs'
_ORD_LIST = re.compile(
    rf"\b(?:the\s+)?{_ORD}(?:(?:{_SEP}|{_RANGE_SEP})(?:the\s+)?{_ORD})*"
    rf"\s+(?:{_COUNT}\s+)?{_PARA_WORD}"
)
# 'paragraph 13', 'paras 3 and 4', 'paragraphs 8-11', 'par. 9'
_PARA_NUM = re.compile(
    r"\b(?:par(?:ag|ar|ap|g)[a-z]*|paras?|pars?|graff?s?|graphs?)\.?\s*(?:no\.?\s*|#\s*)?"
    rf"(?P<nums>{_NUM}(?:(?:{_SEP}|{_RANGE_SEP}){_NUM})*)\b"
)
# '..., short interest in fifth.'
_BARE_ORD = re.compile(
    rf"\b(?:in|from|into|after|before)\s+(?:the\s+)?(?P<ord>{_ORD})"
    r"(?=\s*(?:[.,;:)\]]|$)|\s+(?:and|or)\b)"
)
_HAS_PARA_WORD = re.compile(rf"\b{_PARA_WORD}")

# Where a change is when it is not a numbered paragraph: (name, cheap keywords, pattern).
# The earliest in the note wins.
_SCOPES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (name, keys, re.compile(pattern))
    for name, keys, pattern in (
        ("throughout", ("throughout",), r"\bthroughout\b"),
        (
            "headline",
            ("headline", "hed"),
            r"\b(?:headlines?|hed)\b(?!\s+(?:inflation|cpi|rate|number|figure|index))",
        ),
        ("bullet", ("bullet",), rf"\b(?:(?:the\s+)?{_ORD}\s+)?bullet(?:\s+points?)?"),
        (
            "top",
            ("lede", "top", "lead", "opening"),
            r"\b(?:ledes?|top of (?:the\s+)?story|at (?:the\s+)?top)\b|\b(?:recasts?|rewrites?|"
            r"updates?|changes?|in|to)\s+(?:the\s+)?lead\b(?=\s*(?:[.,;:)]|$|with\b|to\b|and\b))"
            rf"|\b(?:top|opening)\s+(?:{_COUNT}\s+)?{_PARA_WORD}",
        ),
        ("last_paragraph", ("end", "bottom"), r"\b(?:at|to) (?:the\s+)?(?:end|bottom)\b"),
        ("dateline", ("dateline",), r"\bdatelines?\b"),
        ("byline", ("byline",), r"\bbylines?\b"),
        ("chart", ("chart", "graphic"), r"\b(?:info)?(?:charts?|graphics?)\b"),
        ("table", ("table",), r"\btables?\b"),
        (
            "section",
            ("section", "subhead", "sub-head", "below", "under", "above"),
            r"\b(?:section|sub-?head\w*|paragraphs?\s+(?:below|under|above))\b",
        ),
    )
)

# Every cheap keyword of the scopes, looked for once per note.
_SCOPE_KEYS = tuple(sorted({key for _, keys, _ in _SCOPES for key in keys}))

# --- when -----------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


def _month_day(suffix: str) -> str:
    """A 'sept. 13[, 2019]' pattern, group names made unique by ``suffix``."""
    return (
        rf"(?P<month{suffix}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
        r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+"
        rf"(?P<day{suffix}>\d{{1,2}})(?:st|nd|rd|th)?\b"
        rf"(?:,?\s*(?P<year{suffix}>(?:19|20)\d\d)\b)?"
    )


# 'of story published on Jan. 16', 'originally published July 8', 'in Sept. 13 story'
_STORY_DATE = re.compile(
    r"\b(?:published|filed|issued|transmitted|moved|sent|dated|posted|released)"
    rf"\s+(?:on\s+)?{_month_day('')}"
    rf"|{_month_day('2')}\s+(?:story|article|report|item|version)\b"
)
_DIGIT = re.compile(r"\d")

# --- whole notes ----------------------------------------------------------------------------

# 'An earlier version of this story misstated ...' is a correction whatever its verb.
_EARLIER = re.compile(
    r"\b(?:an?\s+)?(?:earlier|previous|prior|original)\s+version"
    r"(?P<story>\s+of\s+(?:this\s+|the\s+)?(?:story|article|report|item))?\b"
    r"(?:\s+(?:was|has\s+been|had\s+been|is)\b)?\s*(?P<verb>[a-z]+)?"
)
# Inside a note, 'An earlier version misspelled ...' needs no 'of this story', but then its
# verb must say what was wrong, as 'earlier version' alone may be any product's.
_WRONG = re.compile(
    r"mis[a-z]+|incorrectly|erroneously|wrongly|inaccurately|omitted|gave|said|stated|"
    r"referred|reported|described|contained|failed|should"
)
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
# Longer bracketed paragraphs are story text, not notes.
_MAX_NOTE = 1000

_Span = tuple[int, int, str]  # (start, end, kind) of a place, date or action in the note


def _trim(text: str) -> str:
    """Drop trailing punctuation and dangling prepositions from a subject."""
    while True:
        text = text.rstrip(" \t\n,;:.-\u2013\u2014")
        parts = text.rsplit(None, 1)
        if not parts or parts[-1].lower() not in _TRAILING_STOP:
            return text
        text = parts[0] if len(parts) == 2 else ""


def _fold(text: str) -> str:
    """Lower-case without changing length, so offsets in the folded text fit the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _end_scope(word: str) -> str:
    """Name the scope of an ordinal counted from the end of the story."""
    if word in ("last", "final"):
        return "last_paragraph"
    if word == "penultimate" or word.startswith(("second", "next")):
        return "penultimate_paragraph"
    return "from_end"


def _is_end_relative(word: str) -> bool:
    """Whether an ordinal counts from the end ('last', 'third-to-last', 'penultimate')."""
    return word.endswith(("last", "final")) or word == "penultimate"


def _ordinal_value(word: str) -> int | None:
    """The number of an ordinal word or numeral ('twenty-first' -> 21, '11th' -> 11)."""
    if word[0].isdigit():
        digits = word.rstrip("stndrh")
        return int(digits) if digits.isdigit() and int(digits) > 0 else None
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[word]
    parts = re.split(r"[\s-]+", word)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ORDINAL_WORDS:
        return _TENS[parts[0]] + _ORDINAL_WORDS[parts[1]]
    return None


def _ranged(tokens: list[re.Match[str]], text: str) -> set[int]:
    """Indexes of tokens joined by a range separator ('8-11', 'fourth through sixth')."""
    out: set[int] = set()
    for i in range(len(tokens) - 1):
        if _IS_RANGE_SEP.fullmatch(text, tokens[i].end(), tokens[i + 1].start()):
            out.update((i, i + 1))
    return out


def _locate(low: str) -> tuple[list[int], str | None, list[_Span]]:
    """Find the paragraph numbers, the scope and the spans of every place expression."""
    found: list[tuple[int, int]] = []  # (position, paragraph number)
    spans: list[_Span] = []
    scopes: list[tuple[int, str]] = []

    if "par" in low or "gra" in low:
        for m in _ORD_LIST.finditer(low):
            spans.append((m.start(), m.end(), "ref"))
            tokens = list(_ORD_TOKEN.finditer(low, m.start(), m.end()))
            ranged = _ranged(tokens, low)
            if ranged:
                scopes.append((m.start(), "range"))
            for i, t in enumerate(tokens):
                word = t.group()
                if _is_end_relative(word):
                    scopes.append((t.start(), _end_scope(word)))
                elif i not in ranged:
                    value = _ordinal_value(word)
                    if value is not None:
                        found.append((t.start(), value))

        for m in _PARA_NUM.finditer(low):
            if any(s <= m.start() < e for s, e, _ in spans):
                continue
            spans.append((m.start(), m.end(), "ref"))
            numbers = list(_NUM_TOKEN.finditer(low, m.start("nums"), m.end("nums")))
            ranged = _ranged(numbers, low)
            if ranged:
                scopes.append((m.start(), "range"))
            for i, n in enumerate(numbers):
                raw = n.group()
                value = int(raw) if raw.isdigit() else _CARDINALS.get(raw, 0)
                if i not in ranged and value > 0:
                    found.append((n.start(), value))

        if _HAS_PARA_WORD.search(low):
            for m in _BARE_ORD.finditer(low):
                start = m.start("ord")
                if any(s <= start < e for s, e, _ in spans):
                    continue
                spans.append((start, m.end("ord"), "ref"))
                word = m.group("ord")
                if _is_end_relative(word):
                    scopes.append((start, _end_scope(word)))
                else:
                    value = _ordinal_value(word)
                    if value is not None:
                        found.append((start, value))

    present = frozenset(key for key in _SCOPE_KEYS if key in low)
    for name, keys, pattern in _SCOPES:
        if not present.isdisjoint(keys):
            hit = pattern.search(low)
            if hit is not None:
                scopes.append((hit.start(), name))
                spans.append((hit.start(), hit.end(), name))
    if _DIGIT.search(low):
        spans.extend((m.start(), m.end(), "date") for m in _STORY_DATE.finditer(low))
    if "story" in low or "article" in low or "version" in low:
        spans.extend((m.start(), m.end(), "date") for m in _STORY_REF.finditer(low))

    refs: list[int] = []
    for _, value in sorted(found):
        if value not in refs:
            refs.append(value)
    scope = min(scopes)[1] if scopes else None
    return refs, scope, sorted(spans)


def _story_date(low: str, published: date | None) -> date | None:
    """Date of the earlier story a note names; the year comes from the article's own date."""
    if not _DIGIT.search(low):
        return None
    m = _STORY_DATE.search(low)
    if m is None:
        return None
    suffix = "" if m.group("month") else "2"
    month_word, day_raw, year_raw = m.group("month" + suffix, "day" + suffix, "year" + suffix)
    month = _MONTHS.get((month_word or "")[:3])
    if month is None or day_raw is None:
        return None
    if year_raw is not None:
        year = int(year_raw)
    elif published is not None:
        # A note looks back: a month after the article's own month is last year's.
        year = published.year - 1 if month > published.month else published.year
    else:
        return None
    try:
        return date(year, month, int(day_raw))
    except ValueError:
        return None


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
            verb = m.group("verb") or ""
            hit = _verb(verb)
            if hit is not None and hit[0]:
                found.append((m.start(), m.end(), hit[0]))
            elif m.group("story") or _WRONG.fullmatch(verb):
                found.append((m.start(), m.end(), "correct"))
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
    earlier = _EARLIER.match(low)
    sentence = (earlier if earlier and earlier.group("story") else None) or _THIS_STORY.match(low)
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
        if weak and len(actions) == 1 and not _EDITORIAL.search(low):
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
