"""Properties of the parser: whatever the input, a parsed story or a coded rejection, never an
exception; and a parsed story is always well formed.

The stories below are invented for the test.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.story.parse import (
    KINDS,
    REJECTION_CODES,
    STORY,
    UPDATE_NOTE,
    ParsedStory,
    Rejection,
    count_words,
    decode,
    parse_story,
)

BLOOMBERG = (
    " date 2021-09-14 Canal Tolls Rise for Container Ships\n\n"
    "(Bloomberg) -- The canal authority raised tolls for container ships by 6%.\n\n"
    "The increase takes effect in January, it said on Tuesday.\n\n"
    "Market Reaction\n\n"
    "Shipping stocks fell in Copenhagen.\n\n"
    "Read more: Canal Traffic Hits Record as Trade Rebounds\n\n"
    "(Updates with shipping stocks in third paragraph.)\n\n"
    "--With assistance from Lena Sorensen.\n\n"
    "To contact the reporter on this story: Omar Haddad in Cairo at ohaddad@example.net\n\n"
    "For more articles like this, please visit us at bloomberg.com\n\n"
    "©2021 Bloomberg L.P."
)
REUTERS = (
    " date 2022-02-08 Orchard Growers Seek Frost Aid\n\n"
    "(Recasts with minister's comments in second paragraph)\n\n"
    "* Growers lost a third of the crop\n* Ministry to decide next week\n\n"
    "VALENCIA, Feb 8 (Reuters) - Orchard growers asked for frost aid on Tuesday.\n\n"
    '"We will look at every request," the agriculture minister said.\n\n'
    "(Reporting by Pilar Ruiz; Editing by Hal Moss)"
)
STORIES = (BLOOMBERG, REUTERS)

# Fragments that steer random text towards the parser's branches.
FRAGMENTS = st.sampled_from(
    [
        " date 2020-01-02 Headline",
        "date 2020-02-30 Bad",
        "(Bloomberg) --",
        "(Bloomberg) -- Lede text.",
        "LONDON, Sept 14 (Reuters) - Lede.",
        "WASHINGTON (AP) — ",
        "(Updates with prices in third paragraph.)",
        "(Corrects name in 2nd, 5th paragraphs of story published Sept. 13)",
        "(Buy, PT $9)",
        "(Note: disclosure.)",
        "Read more: Title",
        "READ:",
        "Related Stories",
        "--With assistance from A B.",
        "To contact the reporter on this story: x@y",
        "For more articles like this, please visit us at bloomberg.com",
        "©2021 Bloomberg L.P.",
        "Market Reaction",
        "By Jane Doe",
        "• bullet",
        "\u00a0",
        "\ufeff",
        "\u200b",
        "\r\n",
        "\n\n",
        "\n",
        " ",
        "\t",
        "(",
        ")",
        "--",
        "—",
    ]
)


def check(result: ParsedStory | Rejection) -> None:
    """A rejection has a contract code and a detail; a parsed story is well formed."""
    if isinstance(result, Rejection):
        assert result.reason in REJECTION_CODES
        assert result.detail
        return
    assert isinstance(result, ParsedStory)
    parts = result.parts
    assert [part.position for part in parts] == list(range(1, len(parts) + 1))
    assert {part.kind for part in parts} <= set(KINDS)
    numbers = [part.paragraph_no for part in parts if part.paragraph_no is not None]
    assert numbers == list(range(1, len(numbers) + 1))
    assert numbers, "a parsed story has a lede"
    assert all(part.kind == STORY for part in parts if part.paragraph_no is not None)
    assert result.headline.strip() == result.headline and result.headline
    assert "\n" not in result.headline
    assert result.lede.strip() and result.story_paragraphs
    assert dict(result.numbered_paragraphs)[1] == result.lede
    note_positions = {part.position for part in parts if part.kind == UPDATE_NOTE}
    assert {placed.position for placed in result.notes} == note_positions
    assert all(placed.placement in ("top", "bottom") for placed in result.notes)
    assert len(result.links) == sum(part.kind == "related_link" for part in parts)
    assert len(result.article_id) == 32
    assert result.word_count >= 1


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text(text: str) -> None:
    check(parse_story(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=30).map("".join))
def test_story_like_text(text: str) -> None:
    check(parse_story(text))
    check(parse_story(" date 2021-03-04 Headline\n\n" + text))


@settings(max_examples=300, deadline=None)
@given(st.binary())
def test_any_bytes(data: bytes) -> None:
    decoded = decode(data)
    check(decoded if isinstance(decoded, Rejection) else parse_story(decoded))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(STORIES), st.binary(max_size=40), st.integers(min_value=0))
def test_bytes_spliced_into_a_story(story: str, junk: bytes, at: int) -> None:
    data = story.encode("utf-8")
    at %= len(data) + 1
    decoded = decode(data[:at] + junk + data[at:])
    check(decoded if isinstance(decoded, Rejection) else parse_story(decoded))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid story with lines deleted, duplicated, swapped, junk inserted or cut short."""
    lines = draw(st.sampled_from(STORIES)).split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "junk", "truncate"]))
        if not lines:
            break
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "junk":
            lines.insert(i, draw(st.one_of(FRAGMENTS, st.text(max_size=40))))
        else:
            cut = draw(st.integers(min_value=0, max_value=len(lines[i])))
            lines = [*lines[:i], lines[i][:cut]]
    return "\n".join(lines)


@settings(max_examples=400, deadline=None)
@given(mutated())
def test_mutated_stories(text: str) -> None:
    check(parse_story(text))


VARIANTS = {
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "cr": lambda text: text.replace("\n", "\r"),
    "spaces in blank lines": lambda text: text.replace("\n\n", "\n \t\n"),
    "nbsp blank lines": lambda text: text.replace("\n\n", "\n\u00a0\n"),
    "bom and final newline": lambda text: "\ufeff" + text + "\n",
    "trailing spaces": lambda text: text.replace("\n", "  \n"),
}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(STORIES), st.sampled_from(sorted(VARIANTS)))
def test_layout_variants_give_the_same_story(story: str, variant: str) -> None:
    plain = parse_story(story)
    varied = parse_story(VARIANTS[variant](story))
    assert isinstance(plain, ParsedStory) and isinstance(varied, ParsedStory)
    assert varied.parts == plain.parts
    assert varied.article_id == plain.article_id


def test_the_sample_stories_parse_as_expected() -> None:
    """The properties above start from these; they must themselves be stories."""
    bloomberg = parse_story(BLOOMBERG)
    reuters = parse_story(REUTERS)
    assert isinstance(bloomberg, ParsedStory) and isinstance(reuters, ParsedStory)
    assert [p.paragraph_no for p in bloomberg.parts if p.kind == STORY] == [1, 2, None, 3]
    assert bloomberg.notes[0].note.paragraph_refs == (3,)
    assert (reuters.wire, reuters.dateline, reuters.notes[0].placement) == (
        "Reuters",
        "VALENCIA",
        "top",
    )


# Letters, digits (also non-ASCII ones), the connectors, underscores, kinds of whitespace.
WORDY = st.sampled_from(list("ab1 .-'’—é_²٣,\n\t\xa0\u2028\x1c"))


@given(st.text(alphabet=WORDY, max_size=80) | st.text(max_size=80))
@settings(max_examples=600, deadline=None)
def test_word_count_equals_the_backtracking_pattern(text: str) -> None:
    """Counting plain tokens apart finds exactly the words of the plain pattern."""
    plain = re.compile(r"\w+(?:[’'.\-]\w+)*")
    assert count_words(text) == len(plain.findall(text))


@given(st.lists(st.text(alphabet=WORDY, min_size=1, max_size=40), min_size=1, max_size=5))
@settings(max_examples=200, deadline=None)
def test_a_storys_word_count_is_the_sum_over_its_paragraphs(paragraphs: list[str]) -> None:
    """Counting the joined paragraphs once equals counting each: no word spans two."""
    plain = re.compile(r"\w+(?:[’'.\-]\w+)*")
    joined = count_words("\n".join(paragraphs))
    assert joined == sum(len(plain.findall(text)) for text in paragraphs)


def test_every_rejection_code_is_one_the_warehouse_accepts() -> None:
    from flows.story import parse, records

    codes = {parse.EMPTY, parse.NOT_UTF8, parse.NO_HEADER, parse.BAD_DATE, parse.NO_BODY}
    codes |= {parse.TOO_LARGE, parse.UNREADABLE, parse.BAD_NAME}
    assert codes | records.DISCOVERY_CODES == REJECTION_CODES
