"""Golden tests of the parser on the reference story and small invented stories."""

from __future__ import annotations

from datetime import date

import pytest

from flows.story.parse import (
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


# --- layout variations -----------------------------------------------------------------------

HARBOR = (
    " date 2022-05-03 Harbor Pilots Strike Over Night Shifts\n\n"
    "(Bloomberg) -- Harbor pilots in Valletta walked out on Tuesday over night shifts.\n\n"
    "The union said talks with the port authority broke down.\n\n"
    "Ships queued outside the breakwater by noon.\n\n"
    "©2022 Bloomberg L.P."
)


def test_surrounding_whitespace_and_final_newline_do_not_matter() -> None:
    padded = "\n\n   " + HARBOR.replace("\n\n", "  \n \t\n") + "\n\n  \n"
    assert parsed(padded).parts == parsed(HARBOR).parts
    assert parsed(padded).article_id == parsed(HARBOR).article_id
    assert parsed(HARBOR + "\n").article_id == parsed(HARBOR).article_id


@pytest.mark.parametrize(
    "variant",
    [
        HARBOR.replace("\n", "\r\n"),
        HARBOR.replace("\n", "\r"),
        "\ufeff" + HARBOR,
        HARBOR.replace("Harbor pilots", "Harbor\u00a0pilots").replace("the port", "the\u202fport"),
        HARBOR.replace("walked out", "walked\u200b out"),
        HARBOR.replace("Ships queued", "Ships\x07 queued"),
        HARBOR.replace("\n\n", "\n\u00a0\n"),
    ],
    ids=["crlf", "cr", "bom", "nbsp", "zero-width", "control", "nbsp-blank-line"],
)
def test_invisible_differences_give_the_same_article(variant: str) -> None:
    story = parsed(variant)
    assert story.article_id == parsed(HARBOR).article_id
    assert story.lede == "Harbor pilots in Valletta walked out on Tuesday over night shifts."
    assert [p.kind for p in story.parts] == ["story", "story", "story", "copyright"]


def test_file_without_blank_lines_has_a_paragraph_per_line() -> None:
    story = parsed(HARBOR.replace("\n\n", "\n"))
    assert story.story_paragraphs == parsed(HARBOR).story_paragraphs
    assert story.copyright == "©2022 Bloomberg L.P."


def test_hard_wrapped_paragraphs_are_joined() -> None:
    wrapped = HARBOR.replace("walked out on", "walked\nout on").replace("talks with", "talks\nwith")
    assert parsed(wrapped).story_paragraphs == parsed(HARBOR).story_paragraphs


def test_long_lines_without_blank_lines_between_them_are_separate_paragraphs() -> None:
    first = "Harbor pilots in Valletta walked out on Tuesday over night shifts, " * 2
    second = "The union said talks with the port authority broke down after a week, " * 2
    story = parsed(
        f" date 2022-05-03 Pilots Strike\n\n(Bloomberg) -- {first}\n{second}\n\n"
        "©2022 Bloomberg L.P."
    )
    assert story.story_paragraphs == (first.strip(), second.strip())


def test_headline_on_the_line_under_the_date() -> None:
    story = parsed(" date 2022-05-03\nHarbor Pilots Strike\n\n(Bloomberg) -- Pilots walked out.")
    assert story.headline == "Harbor Pilots Strike"
    assert story.lede == "Pilots walked out."


@pytest.mark.parametrize(
    "header",
    [
        " date 2022-05-03 Pilots Strike",
        "Date: 2022-05-03 Pilots Strike",
        "date\t2022-05-03\tPilots Strike",
        " date 2022-05-03T06:30:00Z Pilots Strike",
    ],
)
def test_header_variants(header: str) -> None:
    story = parsed(header + "\n\n(Bloomberg) -- Pilots walked out.")
    assert (story.published_date, story.headline) == (date(2022, 5, 3), "Pilots Strike")


# --- wire tags and datelines -----------------------------------------------------------------

LEDE = "The council approved the budget on Monday."


@pytest.mark.parametrize(
    ("opening", "wire", "dateline"),
    [
        ("(Bloomberg) -- ", "Bloomberg", None),
        ("(Bloomberg Opinion) -- ", "Bloomberg", None),
        ("BERLIN (Reuters) - ", "Reuters", "BERLIN"),
        ("LONDON, Sept 14 (Reuters) - ", "Reuters", "LONDON"),
        ("NEW YORK/LONDON, Jan. 3 (Reuters) - ", "Reuters", "NEW YORK/LONDON"),
        ("SÃO PAULO, March 2 (Reuters) - ", "Reuters", "SÃO PAULO"),
        ("(AP) -- ", "AP", None),
        ("WASHINGTON (AP) — ", "AP", "WASHINGTON"),
        ("PORTLAND, Ore. (AP) — ", "AP", "PORTLAND, Ore."),
        ("Paris (AFP) - ", "AFP", "Paris"),
        ("NEW YORK (Dow Jones)--", "Dow Jones", "NEW YORK"),
        ("BEIJING, Oct. 9 (Xinhua) -- ", "Xinhua", "BEIJING"),
        ("(Kitco News) - ", "Kitco News", None),
        ("WASHINGTON — ", "unknown", "WASHINGTON"),
    ],
)
def test_wire_tags_and_datelines(opening: str, wire: str, dateline: str | None) -> None:
    story = parsed(f" date 2021-06-07 Council Passes Budget\n\n{opening}{LEDE}\n\nMore later.")
    assert (story.wire, story.dateline, story.lede) == (wire, dateline, LEDE)
    assert story.parts[0].paragraph_no == 1


@pytest.mark.parametrize(
    "lede",
    [
        "Shares of Quillon Corp. (QLN) - a maker of valves - rose 4%.",
        "U.S. -- and European -- ports reopened on Monday.",
        "The council (which met late) -- approved the budget.",
        "(Buy, PT $9) was the broker's call on Tuesday, analysts said in a note to clients.",
    ],
)
def test_parentheses_and_dashes_in_an_untagged_lede_are_not_a_wire_tag(lede: str) -> None:
    story = parsed(f" date 2021-06-07 Valves\n\n{lede}\n\n©2021 Bloomberg L.P.")
    assert (story.lede, story.dateline) == (lede, None)
    assert story.wire == "Bloomberg"  # from the copyright line


def test_wire_tag_alone_or_before_a_newsletter_promotion() -> None:
    promotion = parsed(
        " date 2020-03-04 Ferry Fares Rise\n\n"
        "(Bloomberg) -- Sign up for our Ports Weekly newsletter, in your inbox every Monday.\n\n"
        "Ferry fares in the Aegean rose for a third year.\n\nOperators blamed fuel."
    )
    assert promotion.wire == "Bloomberg"
    assert promotion.lede == "Ferry fares in the Aegean rose for a third year."
    assert [(p.kind, p.paragraph_no) for p in promotion.parts] == [
        ("boilerplate", None),
        ("story", 1),
        ("story", 2),
    ]


# --- kinds -----------------------------------------------------------------------------------


def test_every_kind_in_a_bloomberg_story() -> None:
    story = parsed(
        " date 2019-11-20 Lisbon Tram Maker Wins Order\n\n"
        "(Bloomberg) -- A Lisbon tram maker won its largest order.\n\n"
        "The contract covers 40 trams for Porto.\n\n"
        "Read: Porto Plans Tram Line to Airport\n\n"
        "READ: Tram Makers Race for City Orders\n\n"
        "See also: Why Cities Are Buying Trams Again\n\n"
        "Click here for the company statement.\n\n"
        "Deliveries start in 2021, the company said.\n\n"
        "(Note: An earlier tram order was canceled in 2017.)\n\n"
        "(Updates with contract size in second paragraph.)\n\n"
        "--With assistance from Rita Sousa and Joel Marr.\n\n"
        "To contact the reporters on this story: Ana Lima in Lisbon at alima@example.net\n\n"
        "To contact the editor responsible for this story: Tom Reyes at treyes@example.net\n\n"
        "To contact Bloomberg News staff for this story: Ana Lima at alima@example.net\n\n"
        "For more articles like this, please visit us at bloomberg.com\n\n"
        "Subscribe now to stay ahead with the most trusted business news source.\n\n"
        "©2019 Bloomberg L.P."
    )
    assert [p.kind for p in story.parts] == [
        "story",
        "story",
        "related_link",
        "related_link",
        "related_link",
        "related_link",
        "story",
        "editor_note",
        "update_note",
        "byline",
        "contact",
        "contact",
        "contact",
        "boilerplate",
        "boilerplate",
        "copyright",
    ]
    assert story.links == (
        "Porto Plans Tram Line to Airport",
        "Tram Makers Race for City Orders",
        "Why Cities Are Buying Trams Again",
        "Click here for the company statement.",
    )
    assert [p.paragraph_no for p in story.parts if p.kind == "story"] == [1, 2, 3]
    assert story.notes[0].note.paragraph_refs == (2,)
    assert story.notes[0].placement == "bottom"


def test_every_kind_in_a_reuters_story_with_top_matter() -> None:
    story = parsed(
        " date 2023-01-12 Dairy Co-op Cuts Milk Price\n\n"
        "(Adds farmer reaction in fourth paragraph)\n\n"
        "* Co-op cuts price for second month\n"
        "* Farmers say costs still rising\n\n"
        "By Mara Holt\n\n"
        "DUBLIN, Jan 12 (Reuters) - An Irish dairy co-operative cut its milk price.\n\n"
        "The cut takes effect in February.\n\n"
        "Feed costs have fallen since the autumn.\n\n"
        '"We are still losing money," said farmer Ciaran Doyle.\n\n'
        "($1 = 0.9300 euros)\n\n"
        "(Reporting by Mara Holt; Editing by Sam Fisk)\n\n"
        "Our Standards: The Thomson Reuters Trust Principles.\n\n"
        "(c) Copyright Thomson Reuters 2023."
    )
    assert [(p.kind, p.paragraph_no) for p in story.parts] == [
        ("update_note", None),
        ("story", None),
        ("story", None),
        ("byline", None),
        ("story", 1),
        ("story", 2),
        ("story", 3),
        ("story", 4),
        ("editor_note", None),
        ("byline", None),
        ("boilerplate", None),
        ("copyright", None),
    ]
    assert (story.wire, story.dateline) == ("Reuters", "DUBLIN")
    assert story.lede == "An Irish dairy co-operative cut its milk price."
    assert story.notes[0].placement == "top"
    assert dict(story.numbered_paragraphs)[4].startswith('"We are still losing money')
    assert story.copyright == "(c) Copyright Thomson Reuters 2023."


def test_ap_story_staff_lines() -> None:
    story = parsed(
        " date 2020-08-19 Wildfire Closes Highway\n\n"
        "SACRAMENTO, Calif. (AP) — A wildfire closed a highway on Wednesday.\n\n"
        "Crews expect to reopen it by Friday.\n\n"
        "___\n\n"
        "Associated Press writer Lee Dunn in Fresno contributed to this report.\n\n"
        "Follow Lee Dunn on Twitter at https://example.net/leedunn\n\n"
        "Copyright 2020 The Associated Press. All rights reserved."
    )
    assert [p.kind for p in story.parts] == [
        "story",
        "story",
        "boilerplate",
        "byline",
        "contact",
        "copyright",
    ]
    assert (story.wire, story.dateline) == ("AP", "SACRAMENTO, Calif.")


def test_newsletter_promotions_after_the_story_are_boilerplate() -> None:
    story = parsed(
        " date 2019-11-14 Port Volumes Slip\n\n"
        "(Bloomberg) -- Container volumes at Baltic ports slipped in October.\n\n"
        "Customers can sign up for the new rail shuttle from Monday.\n\n"
        "Like Harbor Watch?\n\n"
        "Colleagues can sign up here. We want to hear what you think about this newsletter.\n\n"
        "©2019 Bloomberg L.P."
    )
    assert [(p.kind, p.paragraph_no) for p in story.parts] == [
        ("story", 1),
        ("story", 2),
        ("boilerplate", None),
        ("boilerplate", None),
        ("copyright", None),
    ]


def test_dow_jones_story_staff_lines() -> None:
    story = parsed(
        " date 2022-09-14 Pulp Prices Climb\n\n"
        "By Nils Aberg\n\n"
        "STOCKHOLM (Dow Jones)--Pulp prices rose for a fourth week.\n\n"
        "Mills blamed low water levels.\n\n"
        "-Write to Nils Aberg at nils.aberg@example.net\n\n"
        "(END) Dow Jones Newswires\n\n"
        "Copyright (c) 2022 Dow Jones & Company, Inc."
    )
    assert [(p.kind, p.paragraph_no) for p in story.parts] == [
        ("byline", None),
        ("story", 1),
        ("story", 2),
        ("contact", None),
        ("boilerplate", None),
        ("copyright", None),
    ]
    assert (story.wire, story.dateline) == ("Dow Jones", "STOCKHOLM")


def test_subheads_and_related_titles_are_not_numbered() -> None:
    story = parsed(
        " date 2019-04-02 Steelmaker Profit Beats Estimates\n\n"
        "(Bloomberg) -- A Finnish steelmaker beat profit estimates.\n\n"
        "Revenue rose 8% in the quarter.\n\n"
        "Market Reaction\n\n"
        "The shares rose 3% in Helsinki.\n\n"
        "‘Strong Demand’\n\n"
        "“Orders from carmakers held up,” the chief executive said.\n\n"
        "Related Stories\n\n"
        "Nordic Steel Output Climbs to Record\n\n"
        "Carmakers Cut Steel Orders as Sales Slow\n\n"
        "(Updates with chief executive's comment in fourth paragraph.)\n\n"
        "©2019 Bloomberg L.P."
    )
    numbered = dict(story.numbered_paragraphs)
    assert numbered[3] == "The shares rose 3% in Helsinki."
    assert numbered[4].startswith("“Orders from carmakers")
    assert story.notes[0].note.paragraph_refs == (4,)
    assert [p.kind for p in story.parts if p.text == "Market Reaction"] == ["story"]
    assert "Market Reaction" in story.body  # subheads stay story text
    assert story.links == (
        "Nordic Steel Output Climbs to Record",
        "Carmakers Cut Steel Orders as Sales Slow",
    )


def test_attribution_of_a_quoted_analyst_is_a_byline_not_a_list_item() -> None:
    story = parsed(
        " date 2019-04-02 Steelmaker\n\n(Bloomberg) -- Steel rose.\n\n"
        "“Demand is firm.”\n\n- Jo Park, analyst\n\n- Revenue rose 5%, beating estimates\n\n"
        "--Ada Reyes, chief economist"
    )
    kinds = [p.kind for p in story.parts]
    assert kinds == ["story", "story", "byline", "story", "byline"]


@pytest.mark.parametrize(
    "text",
    [
        "To be sure, the harbor has reopened before.",
        "With assistance from the European Union, the port rebuilt its quay.",
        "Read together, the filings show a plan to sell the ferry unit.",
        "Copyright disputes between the two studios date back to 2011.",
        "For more than a decade, the yard built only tugboats.",
        "Subscribers to the service rose 12% in the quarter.",
        "By Friday, the pilots had returned to work.",
        "Note that the figures exclude the ferry unit, the company said.",
        "Editors at the newspaper voted to join the union.",
        "Contact with the vessel was lost at 3 a.m., the coast guard said.",
        "Follow-up talks are scheduled for next week.",
        "Related party transactions rose last year, the filing shows.",
        "The story of the shipyard began in 1911.",
        "Updates to the timetable take effect in May, the operator said.",
    ],
)
def test_story_sentences_that_open_like_staff_lines_stay_story(text: str) -> None:
    story = parsed(f" date 2021-06-07 Shipyard\n\n(Bloomberg) -- The yard reopened.\n\n{text}")
    assert [(p.kind, p.paragraph_no) for p in story.parts] == [("story", 1), ("story", 2)]


def test_related_link_forms() -> None:
    story = parsed(
        " date 2021-06-07 Shipyard\n\n(Bloomberg) -- The yard reopened.\n\n"
        "Read more: Shipyards Struggle to Hire Welders\n\n"
        "Read More: Tugboat Orders Climb\n\n"
        "Also read: Ferry Makers Bet on Batteries\n\n"
        "Related: Dockworkers Win Pay Rise\n\n"
        "Read about the yard's history\n\n"
        "For more on the yard's results, click here.\n\n"
        "Listen to our podcast on shipbuilding.\n\n"
        "The yard employs 900 people."
    )
    assert story.links == (
        "Shipyards Struggle to Hire Welders",
        "Tugboat Orders Climb",
        "Ferry Makers Bet on Batteries",
        "Dockworkers Win Pay Rise",
        "Read about the yard's history",
        "For more on the yard's results, click here.",
        "Listen to our podcast on shipbuilding.",
    )
    assert [p.paragraph_no for p in story.parts if p.kind == "story"] == [1, 2]


def test_analyst_rating_is_a_numbered_story_paragraph_not_a_note() -> None:
    story = parsed(
        " date 2020-02-11 Chip Orders\n\n(Bloomberg) -- Orders rose.\n\n"
        "Analyst reactions:\n\n(Buy, PT $9)\n\nThe shares rose."
    )
    assert [(p.kind, p.paragraph_no) for p in story.parts] == [
        ("story", 1),
        ("story", 2),
        ("story", 3),
        ("story", 4),
    ]
    assert story.notes == ()


def test_entities_are_numbered_like_update_notes() -> None:
    """Subheads are not numbered, so entity paragraph numbers must skip them too."""
    from flows.orchestration.runners import EntityStage

    story = parsed(
        " date 2019-04-02 Steelmaker Profit Beats Estimates\n\n"
        "(Bloomberg) -- A steelmaker beat profit estimates on Tuesday.\n\n"
        "Market Reaction\n\n"
        "Revenue rose 8% in the quarter.\n\n"
        "Analysts Weigh In\n\n"
        "Shares rose 3% in Helsinki, and Angela Merkel praised the plant in Berlin."
    )
    (mentions,) = EntityStage(processes=1).extract([story])
    numbered = dict(story.numbered_paragraphs)
    assert numbered[3].startswith("Shares rose")
    later = [m for m in mentions if m.first_paragraph_no == 3]
    assert later, mentions
    for mention in mentions:
        text = numbered[mention.first_paragraph_no]
        assert any(form in text for form in mention.surface_forms), mention
