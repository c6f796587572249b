"""Golden cases and properties of the update-note grammar (flows/story/notes/).

Every note here is invented for the test; none is taken from a licensed corpus.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from flows.story.notes import ACTIONS, UpdateNote, parse_update_note

PUB = date(2021, 3, 10)


def parse(text: str, published: date | None = PUB) -> UpdateNote:
    """Parse a paragraph that must be a note."""
    note = parse_update_note(text, published)
    assert note is not None, text
    return note


# --- actions --------------------------------------------------------------------------------

VERBS = [
    ("(Updates with port traffic figures)", ("update",)),
    ("(Updated with closing bid)", ("update",)),
    ("(Adds mayor's remarks)", ("add",)),
    ("(Corrects spelling of lender's name)", ("correct",)),
    ("(Removes duplicated sentence in ninth paragraph)", ("remove",)),
    ("(Rewrites throughout with vote tally)", ("rewrite",)),
    ("(Recasts with court ruling)", ("recast",)),
    ("(Refiles to fix formatting)", ("refile",)),
    ("(Deletes stray word in headline)", ("delete",)),
    ("(Inserts missing 'not' in fourth paragraph)", ("insert",)),
    ("(Fixes typo in byline)", ("fix",)),
    ("(Clarifies timing of payout in third paragraph)", ("clarify",)),
    ("(Changes dateline to OSLO, adds quotes)", ("change", "add")),
    # Mapped verbs, documented in the module docstring.
    ("(Includes rival bid details in sixth paragraph)", ("add",)),
    ("(Specifies currency of the fine in second paragraph)", ("clarify",)),
    ("(Repeats to reach more subscribers)", ("refile",)),
    ("(Writethrough, adds reaction from unions)", ("rewrite", "add")),
    # Rarer verbs, each read as the nearest action of the contract.
    ("(Moves regulator's quote to seventh paragraph)", ("change",)),
    ("(Replaces chart of port volumes)", ("change",)),
    ("(Revises wording of the third paragraph)", ("change",)),
    ("(Rewords headline)", ("change",)),
    ("(Rephrases second sentence of the lede)", ("change",)),
    ("(Expands story with details of the ferry schedule)", ("add",)),
    ("(Amends spelling of the mayor's surname in 5th paragraph)", ("correct",)),
    ("(Restores dropped sentence in ninth paragraph)", ("insert",)),
    ("(Reinstates quote from union leader in eighth paragraph)", ("insert",)),
    ("(Resends to fix garbled characters)", ("refile",)),
    ("(Retransmits for wider distribution)", ("refile",)),
    ("(Restructures story to lead with the verdict)", ("recast",)),
    ("(Updates with tolls, moves airport comment to ninth paragraph)", ("update", "change")),
]


@pytest.mark.parametrize(("text", "actions"), VERBS)
def test_each_verb_normalizes_to_the_contract(text: str, actions: tuple[str, ...]) -> None:
    note = parse(text)
    assert note.actions == actions
    assert set(note.actions) <= set(ACTIONS)


TYPOS = [
    ("(Corrrects name of ministry in third paragraph)", ("correct",)),
    ("(Upates with harvest estimate in fifth paragraph)", ("update",)),
    ("(Udpates with harvest estimate)", ("update",)),
    ("(Corects date of hearing)", ("correct",)),
    ("(Updatess prices, Addds chart)", ("update", "add")),
    ("(Refils to restore dropped paragraph)", ("refile",)),
]


@pytest.mark.parametrize(("text", "actions"), TYPOS)
def test_typos_in_verbs_are_forgiven(text: str, actions: tuple[str, ...]) -> None:
    assert parse(text).actions == actions


SEVERAL = [
    ("(Recasts, adds comment from regulator)", ("recast", "add")),
    ("(Updates rates throughout, adds strategist view in 3rd paragraph)", ("update", "add")),
    ("(Adds chart, updates prices)", ("add", "update")),
    ("(Updates yields and adds auction result in second paragraph)", ("update", "add")),
    ("(Update adds union statement in seventh paragraph)", ("update", "add")),
    ("(Updates prices in second paragraph. Corrects title of minister in first.)", None),
    ("(Updates with tally; also adds turnout figures)", ("update", "add")),
    ("(Updates with bids, added 12th paragraph on timing)", ("update", "add")),
]


@pytest.mark.parametrize(("text", "actions"), SEVERAL)
def test_several_actions_in_order_without_duplicates(
    text: str, actions: tuple[str, ...] | None
) -> None:
    note = parse(text)
    assert note.actions == (actions or ("update", "correct"))
    assert len(set(note.actions)) == len(note.actions)


def test_verb_after_to_is_a_purpose_not_an_action() -> None:
    assert parse("(Updates to add index levels in fourth paragraph)").actions == ("update",)
    assert parse("(Refiles to fix typo in headline)").actions == ("refile",)
    note = parse("(Updates to include bond prices in sixth paragraph, adds poll in ninth)")
    assert note.actions == ("update", "add")


def test_hyphenated_word_after_a_verb_is_its_object() -> None:
    note = parse(
        "(Updates to add poll numbers in sixth paragraph, adds by-election tally in ninth)"
    )
    assert note.actions == ("update", "add")
    assert note.paragraph_refs == (6, 9)


def test_verb_inside_a_clause_is_part_of_the_subject() -> None:
    note = parse("(Updates with price changes and fixes in the tariff schedule)")
    assert note.actions == ("update",)
    assert parse("(Updates with shares, updated forecasts)").actions == ("update",)


def test_earlier_version_sentences_are_corrections() -> None:
    for text in (
        "An earlier version of this story corrected the bank's ticker.",
        "An earlier version of this story misstated the size of the bond sale.",
        "An earlier version of this article misspelled the governor's name.",
        "A previous version of the story was corrected to show the vote was delayed.",
        "(An earlier version of this story gave the wrong date for the auction.)",
    ):
        assert parse(text).actions == ("correct",), text
    note = parse(
        "(Updates with harbor closure in fifth paragraph. An earlier version of this story "
        "corrected the name of the port operator in the second paragraph.)"
    )
    assert note.actions == ("update", "correct")
    assert note.paragraph_refs == (5, 2)
    assert note.subject == "harbor closure"


@pytest.mark.parametrize(
    ("text", "actions"),
    [
        ("Earlier versions of this story misstated the toll rate.", ("correct",)),
        ("(A previous version of this article wrongly named the ferry.)", ("correct",)),
        ("An earlier version of this headline misstated the loss.", ("correct",)),
        ("An earlier version of this story and headline misspelled the town.", ("correct",)),
        ("The previous version of this story misidentified the pilot.", ("correct",)),
        ("(An earlier version of this story didn't include the airline's reply.)", ("correct",)),
        ("(A prior version of this story was updated to add the final tally.)", ("update",)),
        ("(An earlier version of this story was published in error.)", ("correct",)),
        ("An earlier version of this story originally gave the wrong date.", ("correct",)),
        ("(Previous version corrected the toll rate in fourth paragraph)", ("correct",)),
    ],
)
def test_more_earlier_version_sentences(text: str, actions: tuple[str, ...]) -> None:
    assert parse(text).actions == actions


def test_earlier_version_subject_skips_the_adverb() -> None:
    note = parse("An earlier version of this story incorrectly stated the ferry's capacity.")
    assert note.subject == "ferry's capacity"
    note = parse("(An earlier version of this story didn't include the airline's reply.)")
    assert note.subject == "airline's reply"


def test_earlier_version_without_story_needs_a_wrong_verb() -> None:
    note = parse("(Updates with sales. An earlier version misspelled the chain's name.)")
    assert note.actions == ("update", "correct")
    note = parse("(Updates with sales. An earlier version of the phone cost less.)")
    assert note.actions == ("update",)


def test_story_sentences_about_corrections() -> None:
    assert parse("This story has been corrected to show the plant reopened.").actions == (
        "correct",
    )
    assert parse("(Correction: fixes the spelling of the chief's name)").actions == (
        "correct",
        "fix",
    )
    assert parse("(Story corrects surname of mayor in paragraph 4)").paragraph_refs == (4,)
    note = parse("Correction: An earlier version of this story misstated the fee.")
    assert note.actions == ("correct",)
    assert note.subject == "fee"
    assert parse("Clarification: specifies the currency of the fine.").actions == ("clarify",)


# --- paragraph references and scope ---------------------------------------------------------

REFS = [
    ("(Updates with Xi comments from sixth paragraph)", (6,), None),
    ("(Adds quote in the first paragraph)", (1,), None),
    ("(Adds quote in twelfth paragraph)", (12,), None),
    ("(Adds quote in twentieth paragraph)", (20,), None),
    ("(Adds quote in twenty-first paragraph)", (21,), None),
    ("(Adds quote in thirty second paragraph)", (32,), None),
    ("(Adds quote in 5th paragraph)", (5,), None),
    ("(Adds quote in 11th paragraph)", (11,), None),
    ("(Adds quote in 2nd paragraph)", (2,), None),
    ("(Adds quote in 23rd paragraph)", (23,), None),
    ("(Adds quote in paragraph 13)", (13,), None),
    ("(Adds quote in para. 7)", (7,), None),
    ("(Adds quote in paragraph three)", (3,), None),
    ("(Adds quote in 9th par)", (9,), None),
    ("(Adds quote in fourth graf)", (4,), None),
    ("(Adds quote in sixth graph)", (6,), None),
    ("(Adds quote in 7th paragraphwith a typo)", (7,), None),
    ("(Adds quote in the eighth paragrah)", (8,), None),
    ("(Adds quote in third and 12th paragraphs)", (3, 12), None),
    ("(Adds quotes in the second, fifth and ninth paragraphs)", (2, 5, 9), None),
    ("(Adds quotes in paragraphs 3 and 4)", (3, 4), None),
    ("(Adds quotes in paras 6, 8)", (6, 8), None),
    ("(Updates rates in fourth paragraph, spreads in fifth)", (4, 5), None),
    ("(Updates rates in seventh paragraph and a forecast in the eighth.)", (7, 8), None),
    ("(Updates with closing bell in first two paragraphs)", (1,), None),
    ("(Adds map after tenth paragraph)", (10,), None),
    ("(Updates with deal value starting in paragraph 9)", (9,), None),
    ("(Updates fifth paragraph with revised guidance)", (5,), None),
    ("(Corrects ninth paragraph; adds comment in second)", (9, 2), None),
    ("(Adds quote in 6th pararaph)", (6,), None),
    ("(Adds quote in forth paragraph)", (4,), None),
    ("(Adds quotes in eigth and nineth paragraphs)", (8, 9), None),
    # Only end-relative places, ranges or bullets: no numbers, a scope instead.
    ("(Adds analyst view in last paragraph)", (), "last_paragraph"),
    ("(Adds analyst view in the final paragraph)", (), "last_paragraph"),
    ("(Adds analyst view in last two paragraphs)", (), "last_paragraph"),
    ("(Adds analyst view in penultimate paragraph)", (), "penultimate_paragraph"),
    ("(Adds analyst view in second-to-last paragraph)", (), "penultimate_paragraph"),
    ("(Adds analyst view in third-to-last paragraph)", (), "from_end"),
    ("(Adds analyst view in paragraphs 8-11)", (), "range"),
    ("(Adds analyst view in paragraphs 8 to 11)", (), "range"),
    ("(Adds analyst view in fourth through sixth paragraphs)", (), "range"),
    ("(Adds analyst view in 4th-6th grafs)", (), "range"),
    ("(Adds analyst view in second bullet point)", (), "bullet"),
    ("(Adds bullet on refinery outages)", (), "bullet"),
    ("(Updates prices throughout)", (), "throughout"),
    ("(Updates headline, adds details)", (), "headline"),
    ("(Corrects headline to show loss, not profit)", (), "headline"),
    ("(Changes dateline to SEOUL)", (), "dateline"),
    ("(Adds byline)", (), "byline"),
    ("(Updates with second chart)", (), "chart"),
    ("(Updates with new figures in table)", (), "table"),
    ("(Recasts lead with ruling)", (), "top"),
    ("(Adds reaction at end of story)", (), "last_paragraph"),
    # Numbers and a scope together: the numbers stay, the scope says where else.
    ("(Updates prices throughout, adds index drop in 2nd paragraph)", (2,), "throughout"),
    ("(Adds comment in fifth and final paragraphs)", (5,), "last_paragraph"),
]


@pytest.mark.parametrize(("text", "refs", "scope"), REFS)
def test_paragraph_refs_and_scope(text: str, refs: tuple[int, ...], scope: str | None) -> None:
    note = parse(text)
    assert note.paragraph_refs == refs
    assert note.scope == scope


def test_ordinals_that_are_not_paragraphs_are_ignored() -> None:
    note = parse("(Updates with first-quarter sales and third straight loss in 4th paragraph)")
    assert note.paragraph_refs == (4,)
    assert parse("(Adds second chart)").paragraph_refs == ()
    assert parse("(Updates with fourth-quarter results)").paragraph_refs == ()
    assert parse("(Updates with second parade route)").paragraph_refs == ()
    assert parse("(Adds third-party audit in fifth paragraph)").paragraph_refs == (5,)


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        ("(Updates with tolls in the third paragraph, quotes in fifth and 12th.)", (3, 5, 12)),
        ("(Adds pilot's account in second paragraph, crew's in fourth, sixth and 10th)", None),
        ("(Adds ferry times in fourth paragraph and seventh)", (4, 7)),
        ("(Adds ferry times in fourth paragraph, seventh and 9th.)", (4, 7, 9)),
        ("(Adds ferry times in the fourth paragraph, the seventh and the 9th)", (4, 7, 9)),
        ("(Updates tolls in third paragraph, quotes in fifth and adds map)", (3, 5)),
    ],
)
def test_ordinals_sharing_a_left_out_noun_are_all_paragraphs(
    text: str, refs: tuple[int, ...] | None
) -> None:
    assert parse(text).paragraph_refs == (refs or (2, 4, 6, 10))


@pytest.mark.parametrize(
    ("text", "refs", "scope"),
    [
        ("(Updates second chart)", (), "chart"),
        ("(Corrects label in third table)", (), "table"),
        ("(Updates fourth bullet)", (), "bullet"),
        ("(Updates fourth bullet point, adds quote in sixth paragraph)", (6,), "bullet"),
        ("(Adds quote in sixth paragraph, data in fourth and fifth tables)", (6,), "table"),
        ("(Adds quote in sixth paragraph, updates figures in second table)", (6,), "table"),
        ("(Adds quote in sixth paragraph and third chart)", (6,), "chart"),
        ("(Adds quote in sixth paragraph, second chart)", (6,), "chart"),
        ("(Adds quote in sixth paragraph and second bullet)", (6,), "bullet"),
        ("(Adds quote in sixth paragraph and first-half forecast)", (6,), None),
        # A chart placed after a paragraph names that paragraph.
        ("(Adds chart after fifth paragraph)", (5,), "chart"),
        ("(Adds table below seventh paragraph)", (7,), "table"),
    ],
)
def test_ordinals_of_charts_tables_and_bullets_are_not_paragraphs(
    text: str, refs: tuple[int, ...], scope: str | None
) -> None:
    note = parse(text)
    assert note.paragraph_refs == refs
    assert note.scope == scope


def test_refs_keep_order_of_appearance_and_drop_repeats() -> None:
    note = parse("(Updates 9th paragraph, corrects first paragraph, adds detail in ninth)")
    assert note.paragraph_refs == (9, 1)


# --- dates of the story a note refers to ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("(Corrects age in third paragraph of story published Feb. 25)", PUB, date(2021, 2, 25)),
        ("(Corrects age in last paragraph of story published on March 9)", PUB, date(2021, 3, 9)),
        (
            "(Removes quote in seventh paragraph of story originally published Jan 4)",
            PUB,
            date(2021, 1, 4),
        ),
        ("(Corrects figure in Feb. 28 story)", PUB, date(2021, 2, 28)),
        # A month after the article's own month is last year's.
        ("(Corrects name in story published Sept. 13)", PUB, date(2020, 9, 13)),
        ("(Corrects name in story published Dec. 30)", date(2021, 1, 2), date(2020, 12, 30)),
        ("(Corrects name in story published Dec. 30, 2019)", PUB, date(2019, 12, 30)),
        # Without the article's date the year is unknown; an impossible day is no date.
        ("(Corrects name in story published Sept. 13)", None, None),
        ("(Corrects name in story published Feb. 30)", PUB, None),
        ("(Updates with prices in fifth paragraph)", PUB, None),
    ],
)
def test_refers_to_date(text: str, published: date | None, expected: date | None) -> None:
    assert parse(text, published).refers_to_date == expected


def test_earlier_story_paragraph_is_still_a_ref() -> None:
    note = parse("(Corrects CEO's name in third paragraph of story published Sept. 13)")
    assert note.actions == ("correct",)
    assert note.paragraph_refs == (3,)
    assert note.subject == "CEO's name"
    assert note.refers_to_date == date(2020, 9, 13)


# --- subject --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("(Updates with Xi comments from sixth paragraph)", "Xi comments"),
        ("(Recasts, adds analyst comment)", "analyst comment"),
        ("(Updates to add wheat futures in fifth paragraph.)", "wheat futures"),
        ("(Updates fifth paragraph with revised guidance)", "revised guidance"),
        ("(Adds trader quotes starting in the eighth paragraph.)", "trader quotes"),
        ("(Updates shares throughout)", "shares"),
        ("(Updates story with closing auction.)", "closing auction"),
        (
            "(Updates with reaction from Acme Inc. CEO in fifth paragraph)",
            "reaction from Acme Inc. CEO",
        ),
        ("(Rewrites throughout)", None),
        ("(Corrected)", None),
    ],
)
def test_subject(text: str, subject: str | None) -> None:
    assert parse(text).subject == subject


def test_text_is_the_stripped_paragraph() -> None:
    note = parse("  (Adds comment in fifth paragraph)\n")
    assert note.text == "(Adds comment in fifth paragraph)"


# --- what is not a note ---------------------------------------------------------------------

NOT_NOTES = [
    "(Buy, PT $9)",
    "(Sell; price target cut to $12)",
    "(Note: The author holds shares of the company.)",
    "(Disclosure: the reporter owns a bike.)",
    "(Bloomberg) -- Copper rose to a record as mines in Chile shut.",
    "(Reporting by Ann Lee; Editing by Tom Ray)",
    "(Additional reporting by Ann Lee)",
    "($1 = 0.92 euros)",
    "(Includes reinvested dividends)",
    "(Changes in percent from a year earlier)",
    "(Fixed income: yields fell across the curve)",
    "(Undated file photo)",
    "(Charges against the trader were dropped in June.)",
    "(Chances of a cut rose, traders said.)",
    "(Specifics of the plan were not disclosed.)",
    "(Ads ran on three networks.)",
    "Software Update",
    "Updates to the app will arrive in the third quarter, the company said.",
    "Adds to concerns that growth is slowing, economists said in a fifth paragraph of notes.",
    "The company updated its forecast in the second paragraph of its statement.",
    "An earlier version of the phone sold poorly.",
    "Corrections in the stock market are normal, she said.",
    "Corrections in the stock market are normal.",
    "Update: the company will report on Tuesday.",
    "The story was first reported by a local paper.",
    # Rarer verbs open a note only with editorial evidence.
    "(Moves to cap ferry fares were rejected in May.)",
    "(Replaces the 2018 rule on harbor dues.)",
    "(Revises its toll forecast to 3%)",
    "(Expands on the airline's plan)",
    "(Amends the 1995 treaty)",
    "(Changes in table are from a year earlier)",
    "Moves quote to fifth paragraph.",
    "Expands coverage to the fourth region in the fifth year.",
    # Sentences about an earlier version that are story text.
    "The original version of the story, written in 1950, ended happily.",
    "The earlier version of the ferry carried 300 people.",
    "Earlier versions of the app crashed often.",
    "An earlier version of this story appeared in the weekend magazine.",
    "An earlier version of this story was first published on Jan. 3.",
    "An earlier version of the report found emissions rose.",
    "An earlier version of the story, he said, was kinder to the mayor.",
    "An earlier version of this story misstated the fares, the ferry company said.",
    "An earlier version said the port had 40 berths.",
    "",
    "   ",
    "(",
    "()",
    "[]",
]


@pytest.mark.parametrize("text", NOT_NOTES)
def test_not_notes(text: str) -> None:
    assert parse_update_note(text, PUB) is None


def test_unbracketed_verb_sentence_needs_a_place() -> None:
    assert parse("Updates with analyst comment in fourth paragraph.").paragraph_refs == (4,)
    assert parse_update_note("Updates with analyst comment.", PUB) is None
    # A typo is forgiven only inside brackets, where a note is expected.
    assert parse_update_note("Upates with analyst comment in fourth paragraph.", PUB) is None


def test_text_after_the_closing_bracket_is_not_part_of_the_note() -> None:
    note = parse("(Updates with ceasefire terms (draft) in third paragraph) ")
    assert note.paragraph_refs == (3,)
    assert note.subject == "ceasefire terms (draft)"


def test_square_brackets_and_capitals() -> None:
    assert parse("[Updates with shares in fifth paragraph]").paragraph_refs == (5,)
    note = parse("(UPDATES WITH CLOSING PRICES IN SECOND PARAGRAPH)")
    assert note.actions == ("update",)
    assert note.paragraph_refs == (2,)


def test_very_long_bracketed_paragraph_is_story_text() -> None:
    assert parse_update_note("(Updates " + "word " * 400 + ")", PUB) is None


# --- properties -----------------------------------------------------------------------------

_NOTE_WORDS = st.sampled_from(
    [
        "(",
        ")",
        "[",
        "]",
        "Updates",
        "adds",
        "Corrrects",
        "with",
        "in",
        "the",
        "fifth",
        "twenty-first",
        "paragraph",
        "paragraphs",
        "8-11",
        "11th",
        "last",
        "final",
        "and",
        ",",
        ".",
        "to",
        "add",
        "story",
        "published",
        "Sept.",
        "13",
        "Feb.",
        "30",
        "An",
        "earlier",
        "version",
        "of",
        "this",
        "misstated",
        "throughout",
        "headline",
        "bullet",
        "graf",
        "par",
        "third-to-last",
        "through",
        "Update",
        "Story",
        "Correction:",
        "é",
        "İ",
        "ﬁ",
        "\u00a0",
    ]
)


def _check(note: UpdateNote | None, text: str) -> None:
    """Invariants every parse result must keep."""
    if note is None:
        return
    assert note.text == text.strip()
    assert note.actions
    assert set(note.actions) <= set(ACTIONS)
    assert len(set(note.actions)) == len(note.actions)
    assert all(isinstance(n, int) and n > 0 for n in note.paragraph_refs)
    assert len(set(note.paragraph_refs)) == len(note.paragraph_refs)
    assert note.subject is None or note.subject.strip() == note.subject != ""


@settings(max_examples=500, deadline=None)
@given(st.text(), st.one_of(st.none(), st.dates()))
def test_never_raises_on_any_text(text: str, published: date | None) -> None:
    _check(parse_update_note(text, published), text)


@settings(max_examples=500, deadline=None)
@given(st.lists(_NOTE_WORDS, max_size=25).map(" ".join), st.one_of(st.none(), st.dates()))
@example("Updates , \xa0 headline", None)  # a subject that began with a no-break space
def test_never_raises_on_note_like_text(text: str, published: date | None) -> None:
    _check(parse_update_note(text, published), text)


@given(st.sampled_from([text for text, _ in VERBS]), st.sampled_from(["", " ", "\n", "\t "]))
def test_surrounding_whitespace_does_not_matter(text: str, pad: str) -> None:
    assert parse_update_note(pad + text + pad, PUB) == parse_update_note(text, PUB)
