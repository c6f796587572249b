"""Golden tests of the parser on the reference story and small invented stories."""

from __future__ import annotations

from datetime import date

import pytest

from flows.parse import (
    BAD_DATE,
    EMPTY,
    NO_BODY,
    NO_HEADER,
    NOT_UTF8,
    ParsedStory,
    Rejection,
    decode,
    parse_story,
    split_paragraphs,
)
from tests.conftest import SEEDS

REFERENCE = SEEDS / "000_8e3982eb7e136d06.txt"


def parsed(text: str) -> ParsedStory:
    result = parse_story(text)
    assert isinstance(result, ParsedStory), result
    return result


@pytest.fixture(scope="module")
def reference() -> ParsedStory:
    text = decode(REFERENCE.read_bytes())
    assert isinstance(text, str)
    return parsed(text)


def test_reference_header(reference: ParsedStory) -> None:
    assert reference.published_date == date(2022, 9, 14)
    assert reference.headline == "Xi Lands in Kazakhstan for First Foreign Trip in Over Two Years"
    assert reference.wire == "Bloomberg"
    assert reference.dateline is None
    assert reference.lede.startswith("President Xi Jinping on Wednesday")
    assert reference.copyright == "©2022 Bloomberg L.P."


def test_reference_links_and_note(reference: ParsedStory) -> None:
    assert reference.links == ("Xi Returns to World Stage With Putin to Counter US Dominance",)
    assert len(reference.notes) == 1
    placed = reference.notes[0]
    assert placed.placement == "bottom"
    assert placed.note.actions == ("update",)
    assert placed.note.subject == "Xi comments"
    assert placed.note.paragraph_refs == (6,)


def test_reference_paragraph_numbering(reference: ParsedStory) -> None:
    paragraphs = reference.story_paragraphs
    assert paragraphs[5].startswith("Xi, who later held talks")
    assert len(paragraphs) == 11
    kinds = [part.kind for part in reference.parts]
    assert kinds.count("related_link") == 1
    assert kinds[-2:] == ["update_note", "copyright"]
    numbered = [part.paragraph_no for part in reference.parts if part.kind == "story"]
    assert numbered == list(range(1, 12))


def test_reuters_layout_with_top_note() -> None:
    story = parsed(
        " date 2023-03-02 Harbor Crane Maker Lifts Outlook\n\n"
        "(Recasts, adds analyst comment in third paragraph)\n\n"
        "ROTTERDAM (Reuters) - Quaymark Systems raised its outlook on Thursday.\n\n"
        "The company said orders doubled.\n\n"
        "Analyst Pim Vos said the rise was overdue.\n\n"
        "(Reporting by Ada Kerr; Editing by Lou Fane)"
    )
    assert story.wire == "Reuters"
    assert story.dateline == "ROTTERDAM"
    assert story.lede == "Quaymark Systems raised its outlook on Thursday."
    assert story.notes[0].placement == "top"
    assert story.notes[0].note.actions == ("recast", "add")
    assert story.notes[0].note.paragraph_refs == (3,)
    assert [p.kind for p in story.parts] == ["update_note", "story", "story", "story", "byline"]


def test_staff_lines_and_boilerplate_are_not_story() -> None:
    story = parsed(
        " date 2021-01-05 Glassworks Reopen After Storm\n\n"
        "(Bloomberg) -- Three glassworks in Murano reopened on Tuesday.\n\n"
        "Owners said repairs cost millions.\n\n"
        "Read more: Lagoon Floods Return to Venice\n\n"
        "(Note: The author owns no shares in the companies named.)\n\n"
        "--With assistance from Rosa Bell.\n\n"
        "To contact the reporter on this story: Ivo Lenz in Rome at ilenz@example.net\n\n"
        "For more articles like this, please visit us at bloomberg.com\n\n"
        "©2021 Bloomberg L.P."
    )
    assert [p.kind for p in story.parts] == [
        "story",
        "story",
        "related_link",
        "editor_note",
        "byline",
        "contact",
        "boilerplate",
        "copyright",
    ]
    assert story.links == ("Lagoon Floods Return to Venice",)
    assert story.word_count == 7 + 5


def test_crlf_bom_and_nbsp_parse_like_plain_text() -> None:
    plain = (
        " date 2020-07-01 Ferry Line Adds Night Route\n\n"
        "(Bloomberg) -- A ferry line added a route.\n\nTickets go on sale Monday."
    )
    messy = "\ufeff" + plain.replace("\n", "\r\n").replace("A ferry", "A\u00a0ferry") + "\r\n"
    text = decode(messy.encode("utf-8"))
    assert isinstance(text, str)
    assert parsed(text).article_id == parsed(plain).article_id
    assert parsed(text).lede == "A ferry line added a route."


def test_single_newline_paragraphs_when_no_blank_lines() -> None:
    assert split_paragraphs("One.\nTwo.\nThree.") == ["One.", "Two.", "Three."]
    assert split_paragraphs("One\ncontinued.\n\nTwo.") == ["One continued.", "Two."]


def test_wire_tag_alone_on_its_line() -> None:
    story = parsed(
        " date 2020-04-17 Mill Output Falls\n\n(Bloomberg) --\n\n"
        "A paper mill cut output.\n\nIt blamed demand."
    )
    assert story.wire == "Bloomberg"
    assert story.lede == "A paper mill cut output."
    assert story.story_paragraphs == ("A paper mill cut output.", "It blamed demand.")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", EMPTY),
        (b"  \n\n ", EMPTY),
        (b"\xff\xfe date 2020", NOT_UTF8),
        (" date 2020-01-01 Headline\n\nOne.".encode("cp1252") + b"\x81", NOT_UTF8),
    ],
)
def test_decode_rejections(raw: bytes, reason: str) -> None:
    result = decode(raw)
    assert isinstance(result, Rejection)
    assert result.reason == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("(Bloomberg) -- A story with no header line.", NO_HEADER),
        (" date 2021-02-30 Impossible Date\n\nBody.", BAD_DATE),
        (" date yesterday Headline\n\nBody.", BAD_DATE),
        (" date 2021-02-03\n\nBody.", NO_HEADER),
        (" date 2021-02-03 Headline Only", NO_BODY),
        (" date 2021-02-03 Just Staff Lines\n\n©2021 Bloomberg L.P.", NO_BODY),
    ],
)
def test_parse_rejections(text: str, reason: str) -> None:
    result = parse_story(text)
    assert isinstance(result, Rejection)
    assert result.reason == reason
    assert result.detail
