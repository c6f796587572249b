"""Paragraph kinds and the lede: which paragraphs are story text, staff lines, links or notes.

``_classify`` gives every paragraph its kind (cheap first-word screens, then the openers of
staff lines, links and furniture, then the update-note grammar of ``flows.story.notes``), finds
the lede (``_find_lede``, with its wire tag from ``wires``) and numbers the story paragraphs from
it the way editors count them, skipping subheads (``_heading_like``) and trailing promotions.
"""

from __future__ import annotations

import re
from datetime import date

from flows.story.notes import UNBRACKETED_OPENERS, UpdateNote, parse_update_note
from flows.story.records import (
    BOILERPLATE,
    BYLINE,
    CONTACT,
    COPYRIGHT,
    EDITOR_NOTE,
    LINK_HEADING,
    RELATED_LINK,
    STORY,
    UPDATE_NOTE,
    Part,
    PlacedNote,
)
from flows.story.text import _BULLETS, _WORD
from flows.story.wires import match_wire_tag

# Staff lines, links and furniture by their opening words, matched on the lower-cased first
# characters of a paragraph; the group that matched is the kind. Order matters: boilerplate
# ('For more articles like this') before links ('For more: ...').
_OPENERS = re.compile(
    r"(?P<copyright>©|\(c\)\s*(?:copyright\b|\d{4})"
    r"|copyright\b[^.\n]{0,60}?(?:\d{4}|all rights reserved)|all rights reserved)"
    r"|(?P<contact>to contact\s+(?:the\s+)?(?:reporters?|editors?|authors?|writers?|bloomberg)\b"
    r"|to contact\b[^.]{0,80}?\b(?:reporters?|editors?|authors?|writers?|staff"
    r"|story|columnists?|correspondents?|newsroom|us)\b"
    r"|to reach the (?:reporters?|authors?|writers?|editors?)\b|-*\s*write to\b"
    r"|follow\s+(?:\S+\s+){1,4}on\s+(?:twitter|x|linkedin|facebook)\b"
    r"|(?:e-?mail|contact)\s+(?:the\s+)?(?:reporters?|authors?|writers?|editors?)\b)"
    r"|(?P<byline>-+\s*with assistance\b|\(?\s*(?:(?:additional|editing|writing|compiled|"
    r"reporting|graphics?|photos?|photography)\s+(?:and\s+\w+\s+)?)+by\b)"
    r"|(?P<boilerplate>for more articles like this|subscribe\s+(?:now|to|here|today)\b"
    r"|sign\s+up\s+(?:for|here|now|to)\b|like this story\?|get the latest\b|our standards\s*:"
    r"|the thomson reuters trust principles|more from bloomberg\b|\(end\) dow jones newswires"
    r"|_{3,}|-{3,}\s*$|\*{3,}\s*$|#{3,}"
    r"|this (?:article|story) (?:was|is) (?:provided|produced|published) by)"
    r"|(?P<link_heading>(?:(?:related|more|recommended)\s+(?:stories|story|coverage|reading"
    r"|links|articles|news)|(?:read|see)\s+(?:more|also)|related)\s*:?\s*$)"
    r"|(?P<editor_note>\(?\s*(?:note|editor[’']?s?[’']?\s+note|editors?[’']?\s*note|disclosure"
    r"|disclaimer)\s*:|\(?\(\s*\$1\s*=|this column does not necessarily reflect"
    r"|the views expressed (?:here|in this))"
    r"|(?P<related_link>(?:read(?:\s+more|\s+also)?|also\s+read|see\s+also|related"
    r"|related\s+(?:story|stories|coverage|articles?|reading|news)|for\s+more|more|watch|earlier"
    r"|listen|click\s+here)\s*:\s*(?=\S)|click\s+here\b|read\s+(?!together\b|on\b|out\b|by\b)"
    r"|listen\s+to\b|watch\s+(?:the|our|a|more)\b"
    r"|for\s+more\b[^.:]{0,120}\b(?:click|see|visit|go\s+to|check\s+out|read|here)\b)"
)
# Staff lines and furniture are short; a longer paragraph opening like one is story text.
_MAX_CHARS = {
    COPYRIGHT: 400,
    CONTACT: 600,
    BYLINE: 300,
    BOILERPLATE: 300,
    LINK_HEADING: 40,
    EDITOR_NOTE: 1000,
    RELATED_LINK: 300,
}
# A sentence about copyright, not a notice: 'Copyright' then a lower-case word.
_COPYRIGHT_SENTENCE = re.compile(r"(?i:copyright)\s+[a-z]")
_LINK_TITLE = re.compile(r"[^:]{0,40}:\s*(.+)", re.DOTALL)
_BYLINE_NAME = re.compile(
    r"(?:By|BY):?\s+[A-ZÀ-Þ][\w.'’-]*(?:(?:\s+|\s*,\s*|\s+(?:and|&|de|da|van|von|der|del|la|le|di"
    r"|bin|al|y)\s+)[A-ZÀ-Þ(][\w.'’()-]*){0,12}\.?"
)
# '--With assistance ...', '-- Jane Doe, chief economist', '- Jo Roe, analyst': a single hyphen
# only before a name and a title, as it also opens list items.
_ATTRIBUTION = re.compile(
    r"(?:--|—|–)\s*[A-Za-zÀ-ÿ].*|-\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},\s*[^,]{1,60}"
)
_SENTENCE_END = frozenset(".!?:;,")
_CLOSING = "”’\"')]»"
_MAX_HEADING_CHARS = 90
_MAX_HEADING_WORDS = 16
# A promotion where the lede should be ('(Bloomberg) -- Sign up for our newsletter.'): editors
# do not count it, and the story starts in the next paragraph.
_PROMOTION = re.compile(
    r"(?:sign up\b|\bin your inbox\b|\bfollow (?:bloomberg|us)\b|\bsubscrib(?:e|ing) (?:via|to our"
    r"|here|now|to bloomberg)\b)",
    re.IGNORECASE,
)
_MAX_PROMOTION = 300
# Promotions of a newsletter after the story, which readers of a syndicated copy still get;
# matched on lower-cased text, after a screen for any of the words they need.
_TRAILING_PROMOTION = re.compile(
    r"\bsign up (?:here|now|for (?:our|the|bloomberg)\b[^.]{0,60}\bnewsletter)"
    r"|\bsubscrib(?:e|ing) (?:to (?:our|bloomberg)|via|here|now)\b|\b(?:this|our) newsletter\b"
    r"|^how are we doing\?|keep it to yourself|^for even more\b"
)
_TRAILING_PROMOTION_WORDS = ("sign up", "subscrib", "newsletter", "how are", "keep it", "even more")
# Cheap screens for the pattern, in either case ('Sign up', 'sign up').
_PROMOTION_WORDS = ("ign up", "IGN UP", "nbox", "NBOX", "ollow", "OLLOW", "ubscrib", "UBSCRIB")
# How far down a file the lede may stand behind top bullets, bylines and notes, and how
# long such top matter may be (a longer paragraph is the story itself).
_LEDE_SEARCH = 8
_MAX_TOP_MATTER = 200


def _opener_kind(text: str) -> str | None:
    """The staff, link or furniture kind a paragraph's opening words give it, if any."""
    first = text[0]
    if first.isalpha() and first.islower():
        return None  # staff lines open with a capital, a symbol or a bracket
    match = _OPENERS.match(text[:160].lower())
    if match is not None:
        kind = match.lastgroup
        assert kind is not None
        if len(text) > _MAX_CHARS[kind]:
            return None
        if kind == COPYRIGHT and _COPYRIGHT_SENTENCE.match(text):
            return None  # 'Copyright disputes date back to 2011.' is story text
        return kind
    if first in "-—–" and len(text) <= 200 and _ATTRIBUTION.fullmatch(text):
        return BYLINE
    if first == "B" and len(text) <= 100 and text[-1] not in ".:;" and _BYLINE_NAME.fullmatch(text):
        return BYLINE  # 'By Jane Doe and John Roe'
    if len(text) <= 200 and text.endswith(_CONTRIBUTED):
        return BYLINE
    return None


def _heading_like(text: str) -> bool:
    """A subhead or a bare title: short, no closing punctuation, not a bullet or aside."""
    if len(text) > _MAX_HEADING_CHARS or text[0] in _BULLETS or text[0] == "(":
        return False
    end = text.rstrip(_CLOSING)
    if not end or end[-1] in _SENTENCE_END:
        return False
    return text.count(" ") < _MAX_HEADING_WORDS


def _link_title(text: str) -> str:
    """The title a related-link line names ('Read more: Title' -> 'Title')."""
    match = _LINK_TITLE.match(text)
    title = match.group(1).strip() if match is not None else ""
    return title or text


_Tag = tuple[str | None, str | None, str]

# Most paragraphs are story text, and their first word says so at once; only paragraphs that
# open with one of these words (or a symbol, bracket or lower-case letter) are looked at
# closely: staff lines, links and notes all open this way.
_SPECIAL_FIRST_WORDS = frozenset(
    {
        *("copyright", "all", "to", "follow", "e-mail", "email", "contact", "with"),
        *("additional", "editing", "writing", "compiled", "reporting", "graphic", "graphics"),
        *("photo", "photos", "photography", "for", "subscribe", "sign", "like", "get", "our"),
        *("more", "related", "recommended", "read", "see", "note", "editor", "editor's"),
        *("editor’s", "editors", "editors'", "editors’", "disclosure", "disclaimer", "also"),
        *("watch", "listen", "click", "earlier", "by", "by:"),
        *(opener.split()[0] for opener in UNBRACKETED_OPENERS if " " in opener or len(opener) < 12),
    }
    - {"the", "this", "a", "an"}
)
# Common words that open staff lines or notes only in these phrases.
_SPECIAL_PHRASES = (
    "the thomson",
    "the views",
    "this article",
    "this story",
    "this column",
    # Note openers that start with a common word, or are cut short ('clarificatio').
    *(
        o
        for o in UNBRACKETED_OPENERS
        if o.split()[0] in ("the", "this", "a", "an") or (" " not in o and len(o) >= 12)
    ),
)


def _three_letter_keys(words: frozenset[str], phrases: tuple[str, ...]) -> frozenset[str]:
    """The first three lower-case characters every special opening can have."""
    keys: set[str] = set()
    for word in (*words, *phrases, "the", "this", "a", "an"):
        if len(word) >= 3:
            keys.add(word[:3])
        else:
            keys.add(word)  # the whole paragraph is the word
            keys.update(word + tail for tail in " :;,.!?-'’")
    return frozenset(keys)


# A first, cheaper filter: paragraphs whose first three characters cannot start any of the
# above are story text without further checks.
_SPECIAL_KEYS = _three_letter_keys(_SPECIAL_FIRST_WORDS, _SPECIAL_PHRASES)
# A lede opening with a wire tag: a bracketed name and a dash ('(Bloomberg) --').
_TAGGED_LEDE = re.compile(r"\([A-Z][\w.&'’ -]{0,38}\)[ \t]*(?:--|—|–|-)")
_PLAIN_OPENING = frozenset("“”\"‘’'0123456789$£€")
_CONTRIBUTED = (
    "contributed to this report.",
    "contributed to this story.",
    "contributed reporting.",
)


def _classify(
    paragraphs: list[str], published: date
) -> tuple[list[Part], list[PlacedNote], list[str], str | None, _Tag] | None:
    """Give every paragraph its kind and number the story paragraphs as editors count them.

    Returns None when no paragraph is story text.
    """
    kinds: list[str] = []
    notes: dict[int, UpdateNote] = {}
    for index, text in enumerate(paragraphs):
        # Most paragraphs are story text by their first word: that check comes first.
        first = text[0]
        if first in _PLAIN_OPENING:
            kinds.append(STORY)
            continue
        if first.isupper():
            if text[:3].lower() not in _SPECIAL_KEYS and not text.endswith(_CONTRIBUTED):
                kinds.append(STORY)
                continue
            low = text[:16].lower()
            if (
                low.split(None, 1)[0].rstrip(":;,.!?") not in _SPECIAL_FIRST_WORDS
                and not low.startswith(_SPECIAL_PHRASES)
                and not text.endswith(_CONTRIBUTED)
            ):
                kinds.append(STORY)
                continue
        if first == "(" and _TAGGED_LEDE.match(text):
            kinds.append(STORY)  # '(Bloomberg) -- ...': neither a staff line nor a note
            continue
        kind = _opener_kind(text)
        if kind is None:
            note = parse_update_note(text, published)
            if note is not None:
                notes[index] = note
                kind = UPDATE_NOTE
            else:
                kind = STORY
        kinds.append(kind)

    lede_index, tag = _find_lede(paragraphs, kinds)
    if lede_index is None:
        return None

    parts: list[Part] = []
    placed: list[PlacedNote] = []
    links: list[str] = []
    copyright_line: str | None = None
    paragraph_no = 0
    in_link_block = False
    new_part = tuple.__new__  # much faster than the NamedTuple constructor
    for index, kind in enumerate(kinds):
        text = paragraphs[index]
        number: int | None = None
        if kind == STORY:
            if index > lede_index:
                if in_link_block and text.rstrip(_CLOSING)[-1:] not in _SENTENCE_END:
                    kind = RELATED_LINK  # titles listed under 'Related Stories'
                elif len(text) > _MAX_HEADING_CHARS or not _heading_like(text):
                    paragraph_no += 1
                    number = paragraph_no
            elif index == lede_index:
                paragraph_no = number = 1
            elif text[:3] in ("By ", "BY ") and _BYLINE_NAME.fullmatch(text):
                kind = BYLINE
            parts.append(new_part(Part, (index + 1, kind, text, number)))
            in_link_block = in_link_block and kind == RELATED_LINK
            if kind == RELATED_LINK:
                links.append(text)
            continue
        if kind == LINK_HEADING:
            kind = BOILERPLATE
            in_link_block = True
        else:
            in_link_block = in_link_block and kind == RELATED_LINK
        if kind == UPDATE_NOTE:
            placement = "top" if paragraph_no == 0 else "bottom"
            placed.append(PlacedNote(index + 1, placement, notes[index]))
        elif kind == RELATED_LINK:
            links.append(_link_title(text) if ":" in text[:40] else text)
        elif kind == COPYRIGHT and copyright_line is None:
            copyright_line = text
        parts.append(new_part(Part, (index + 1, kind, text, number)))
    _demote_trailing_promotions(parts)
    return parts, placed, links, copyright_line, tag


def _demote_trailing_promotions(parts: list[Part]) -> None:
    """Newsletter promotions after the story ('Like Terms of Trade?') are boilerplate.

    Only story parts after the last real story paragraph are looked at, from the end, so the
    numbers of the story paragraphs before them stay as they are.
    """
    for at in range(len(parts) - 1, -1, -1):
        part = parts[at]
        if part.kind != STORY:
            continue
        if part.paragraph_no == 1 or not _is_trailing_promotion(part.text):
            return
        parts[at] = Part(part.position, BOILERPLATE, part.text, None)


def _is_trailing_promotion(text: str) -> bool:
    """'Like Terms of Trade?', 'Colleagues can sign up here.' (cheap word checks first)."""
    if len(text) > _MAX_PROMOTION:
        return False
    low = text.lower()
    if low.startswith("like ") and low.endswith("?") and len(low) < 70:
        return True  # 'Like Terms of Trade?'
    return (
        any(word in low for word in _TRAILING_PROMOTION_WORDS)
        and _TRAILING_PROMOTION.search(low) is not None
    )


def _is_promotion(text: str) -> bool:
    """'Sign up for our newsletter' where a lede should be (cheap word checks first)."""
    if len(text) > _MAX_PROMOTION:
        return False
    return any(word in text for word in _PROMOTION_WORDS) and _PROMOTION.search(text) is not None


def _find_lede(paragraphs: list[str], kinds: list[str]) -> tuple[int | None, _Tag]:
    """Where the lede is and its wire tag; a tag standing alone becomes boilerplate.

    The lede is the first story paragraph with a wire tag among the first few; lines before it
    are top matter. Without any tag it is the first story paragraph that is not a subhead.
    """
    story = [i for i, kind in enumerate(kinds) if kind == STORY]
    if not story:
        return None, (None, None, "")
    for index in story[:_LEDE_SEARCH]:
        text = paragraphs[index]
        found = match_wire_tag(text) if text[:1].isupper() or "(" in text[:100] else None
        if found is None:
            if len(text) > _MAX_TOP_MATTER and text[0] not in _BULLETS:
                break  # story text: the lede was already passed, and it had no tag
            continue
        wire, dateline, rest = found
        rest = rest.strip()
        if _WORD.search(rest) is not None and not _is_promotion(rest):
            return index, (wire or None, dateline, rest)
        # A tag alone on its line ('(Bloomberg) --') or before a promotion: the next story
        # paragraph is the lede.
        kinds[index] = BOILERPLATE
        later = [i for i in story if i > index]
        if not later:
            return None, (None, None, "")
        return later[0], (wire or None, dateline, paragraphs[later[0]])
    for index in story:
        if not _heading_like(paragraphs[index]):
            return index, (None, None, paragraphs[index])
    return story[0], (None, None, paragraphs[story[0]])
