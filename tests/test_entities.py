"""Entity extraction: canonical names, types, counts and stable ids.

The model-backed tests share one extractor (loading spaCy small takes ~0.8 s). Stories are
invented, except the reference story, which is the user's own sample.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.story import entities
from flows.story.entities import (
    EntityExtractor,
    EntityMention,
    StoryText,
    entity_id_for,
    entity_id_for_key,
    entity_key,
    gazetteer,
    is_headline_like,
    model,
    records,
    resolve_story,
)

# The reference story (seeds/000_8e3982eb7e136d06.txt), kept here so the test stands alone.
SEED = """\
 date 2022-09-14 Xi Lands in Kazakhstan for First Foreign Trip in Over Two Years

(Bloomberg) -- President Xi Jinping on Wednesday traveled to Kazakhstan for a state visit, in \
his first foreign trip in nearly 1,000 days as he shores up alliances to counter US influence \
on the world order.

The Chinese leader, who wore a mask bearing a Chinese flag, was greeted on the tarmac by a \
marching band and President Kassym-Jomart Tokayev, after landing in the capital city \
Nur-Sultan.

The trip marks Xi’s return to the world stage after being the only Group of 20 leader to \
avoid leaving his country since the first Covid lockdown began in January 2020.

On Tuesday, the Chinese leader published an article in a local newspaper calling for deeper \
China-Kazakhstan ties on security and defense, including counter-terrorism efforts. He also \
advocated for bolstering cooperation on the Belt and Road Initiative that Xi launched in \
Kazakhstan in 2013.

“Having stood the test of the changing circumstances and the passage of time, \
China-Kazakhstan relations have long become rock-solid,” he wrote. “We should cherish this \
hard-won achievement, and work harder to carry on the cause of friendship between our two \
countries.”

Xi, who later held talks with Tokayev, said the fact he had chosen Kazakhstan for his first \
foreign trip since the Covid-19 pandemic shows “the high level and uniqueness of \
China-Kazakhstan relations and our profound friendship.”

Late in the day, Xi traveled to neighboring Uzbekistan, where he’s expected to meet Russian \
President Vladimir Putin on the sidelines of the Shanghai Cooperation Organization summit, \
which runs from Sept. 15-16. That sit-down would be the two leaders’ first in-person \
conversation since Moscow invaded Ukraine in February.

Xi’s sweep through Central Asia is a chance to promote his vision of a world where China can \
expand its interests without fearing the threat of economic or military pressure from the \
US. It comes a month before a twice-in-a-decade party congress where he’s expected to clinch \
a precedent-busting third term, and push his agenda for a multipolar world.

Read: Xi Returns to World Stage With Putin to Counter US Dominance

Beijing’s relationship with the US has become increasingly tense following House Speaker \
Nancy Pelosi’s trip to Taipei last month, with China launching unprecedented military \
exercises around the democratically ruled island that it considers a breakaway province.

Kazakhstan is a strategic choice for Xi’s first foreign trip. The Central Asian country is \
home to 40% of the world’s uranium, an increasingly important resource as developed nations \
turn to atomic energy as a longer-term source of power. It also borders Xinjiang, where \
Beijing has been accused of aggressive policies to suppress its ethnic minority populations, \
including millions of mostly Muslim Uyghurs.

In July, China’s Foreign Minister Wang Yi also traveled to Kazakhstan, the country where Xi \
launched what would become his flagship Belt and Road initiative in 2013. The Chinese leader \
said in January that he firmly opposed forces that undermine Kazakhstan’s stability, after \
mass protests broke out there over spikes in fuel prices.

(Updates with Xi comments from sixth paragraph)

©2022 Bloomberg L.P."""


def story_from_text(key: str, text: str) -> StoryText:
    """What the parser hands over: headline and story paragraphs, wire tag stripped."""
    header, _, body = text.partition("\n")
    headline = re.sub(r"^\s*date\s+\S+\s+", "", header)
    paragraphs: list[str] = []
    for para in re.split(r"\n\s*\n", body.strip()):
        if re.match(r"^(Read:|\(Updates|©)", para):
            continue
        paragraphs.append(re.sub(r"^\(Bloomberg\) -- ", "", para) if not paragraphs else para)
    return StoryText(key, headline, tuple(paragraphs))


def by_name(mentions: Sequence[EntityMention]) -> dict[str, EntityMention]:
    return {m.name: m for m in mentions}


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor()


@pytest.fixture(scope="module")
def seed_entities(extractor: EntityExtractor) -> dict[str, EntityMention]:
    return by_name(extractor.extract([story_from_text("seed", SEED)])[0])


# --------------------------------------------------------------------------------------------
# The reference story
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "entity_type"),
    [
        ("Xi Jinping", "PERSON"),
        ("Kassym-Jomart Tokayev", "PERSON"),  # spaCy small says ORG
        ("Vladimir Putin", "PERSON"),
        ("Nancy Pelosi", "PERSON"),  # spaCy small keeps 'Nancy Pelosi’s'
        ("Wang Yi", "PERSON"),
        ("Kazakhstan", "GPE"),
        ("China", "GPE"),
        ("Uzbekistan", "GPE"),
        ("United States", "GPE"),
        ("Shanghai Cooperation Organization", "ORG"),
    ],
)
def test_seed_story_entities(
    seed_entities: dict[str, EntityMention], name: str, entity_type: str
) -> None:
    assert name in seed_entities, sorted(seed_entities)
    assert seed_entities[name].entity_type == entity_type


def test_seed_story_xi_mentions_count_toward_xi_jinping(
    seed_entities: dict[str, EntityMention],
) -> None:
    xi = seed_entities["Xi Jinping"]
    assert "Xi" not in seed_entities
    assert set(xi.surface_forms) == {"Xi", "Xi Jinping"}
    # Story paragraphs 1, 3, 4, 6, 7, 8, 10 and 11 name him; the headline does not count.
    assert xi.first_paragraph_no == 1
    assert xi.mention_count == 8


def test_seed_story_no_wire_possessives_or_short_duplicates(
    seed_entities: dict[str, EntityMention],
) -> None:
    names = set(seed_entities)
    assert not {n for n in names if "’" in n or "'" in n}
    assert "Bloomberg" not in names and "Tokayev" not in names
    assert seed_entities["Kassym-Jomart Tokayev"].mention_count == 2
    assert seed_entities["United States"].surface_forms == ("US",)
    assert seed_entities["United States"].mention_count == 3
    # 'China-Kazakhstan ties' is two places, first named in paragraph 4.
    assert seed_entities["China"].first_paragraph_no == 4
    assert seed_entities["Uzbekistan"].first_paragraph_no == 7


# --------------------------------------------------------------------------------------------
# Invented stories
# --------------------------------------------------------------------------------------------


def test_surname_and_possessive_resolve_to_the_full_name(extractor: EntityExtractor) -> None:
    story = StoryText(
        "surname",
        "Regulator Delays Rule",
        (
            "Federal Reserve Governor Maria Delgado said on Tuesday the bank would delay the "
            "new capital rule until next year.",
            "Delgado’s comments came after lenders complained about the cost.",
            "“We need more time,” Delgado told reporters in Washington.",
        ),
    )
    found = by_name(extractor.extract([story])[0])
    delgado = found["Maria Delgado"]
    assert delgado.entity_type == "PERSON"
    assert delgado.mention_count == 3
    assert delgado.first_paragraph_no == 1
    assert set(delgado.surface_forms) == {"Delgado", "Maria Delgado"}
    assert "Delgado" not in found
    assert found["Federal Reserve"].entity_type == "ORG"


def test_country_aliases_are_one_entity(extractor: EntityExtractor) -> None:
    story = StoryText(
        "aliases",
        "Trade Talks Resume",
        (
            "Negotiators from the U.S. and Mexico met in Geneva on Monday.",
            "The United States wants lower tariffs on steel, officials said.",
            "Mexico said the US proposal was a start, while America’s allies watched.",
        ),
    )
    found = by_name(extractor.extract([story])[0])
    us = found["United States"]
    assert us.entity_type == "GPE"
    assert {"U.S.", "United States", "US", "America"} <= set(us.surface_forms)
    assert us.mention_count == 4
    assert not {"U.S.", "US", "America"} & set(found)
    assert found["Mexico"].mention_count == 2


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Bloomberg TV", "Bloomberg Television"),
        ("BofA", "Bank of America Corp."),
        ("Nifty", "NSE Nifty 50 Index"),
        ("Congress", "U.S. Congress"),
        ("Senate", "US Senate"),
        ("House of Representatives", "U.S. House"),
    ],
)
def test_fixed_short_names_share_the_full_name_id_in_other_stories(short: str, full: str) -> None:
    """One story says 'Bloomberg TV', another 'Bloomberg Television': one id across stories."""
    assert entity_id_for(short) == entity_id_for(full)


def test_company_suffix_variants_are_one_entity(extractor: EntityExtractor) -> None:
    story = StoryText(
        "suffixes",
        "Bank Hires Adviser",
        (
            "Goldman Sachs Group Inc. was hired to advise Pellham Lighting Holdings Ltd. on "
            "the sale of its European unit, people familiar with the matter said.",
            "Goldman Sachs declined to comment. Pellham shares rose 4% in London.",
            "A spokesman for Goldman said the bank does not comment on client matters.",
        ),
    )
    found = by_name(extractor.extract([story])[0])
    goldman = found["Goldman Sachs Group Inc."]
    assert goldman.entity_type == "ORG"
    assert set(goldman.surface_forms) == {"Goldman", "Goldman Sachs", "Goldman Sachs Group Inc."}
    assert goldman.mention_count == 3
    assert "Goldman Sachs" not in found and "Goldman" not in found
    assert "Pellham" in found["Pellham Lighting Holdings Ltd."].surface_forms


def test_lists_of_companies_are_split(extractor: EntityExtractor) -> None:
    story = StoryText(
        "lists",
        "Bank Stocks Fall",
        (
            "Shares of Morgan Stanley, Citigroup Inc. and Wells Fargo & Co. fell on Friday "
            "after the results.",
        ),
    )
    names = {m.name: m.entity_type for m in extractor.extract([story])[0]}
    assert names.get("Morgan Stanley") == "ORG"
    assert names.get("Citigroup Inc.") == "ORG"
    assert names.get("Wells Fargo & Co.") == "ORG"
    assert not [n for n in names if "," in n or " and " in n]


def test_title_case_headline_words_are_not_entities(extractor: EntityExtractor) -> None:
    story = StoryText(
        "headline",
        "Oil Slips as Traders Eye Vantor Deal With Quorra Energy",
        ("Crude prices fell on Monday as investors weighed supply data from Norway.",),
    )
    names = {m.name for m in extractor.extract([story])[0]}
    # Only the story's own entity survives; nothing comes from the headline alone.
    assert names == {"Norway"}


def test_headline_entity_confirmed_by_the_story_counts_story_mentions_only(
    extractor: EntityExtractor,
) -> None:
    story = StoryText(
        "confirmed",
        "Norway Oil Fund Sells Bonds",
        (
            "The sovereign fund sold bonds on Monday, according to people familiar.",
            "Norway’s central bank manages the fund from Oslo.",
        ),
    )
    norway = by_name(extractor.extract([story])[0])["Norway"]
    assert norway.first_paragraph_no == 2
    assert norway.mention_count == 1


def test_wire_tag_staff_lines_and_boilerplate_give_no_entities(
    extractor: EntityExtractor,
) -> None:
    story = StoryText(
        "boilerplate",
        "Miner Raises Forecast",
        (
            "(Bloomberg) -- Kestrel Mining Corp. raised its copper forecast on Tuesday.",
            "Chief Executive Officer Ana Ruiz said demand from China was strong.",
            "--With assistance from Peter Holm.",
            "To contact the reporter on this story: Jane Roe in London at jroe@bloomberg.net",
            "For more articles like this, please visit us at bloomberg.com",
        ),
    )
    found = by_name(extractor.extract([story])[0])
    assert {"Kestrel Mining Corp.", "Ana Ruiz", "China"} <= set(found)
    assert not {"Bloomberg", "Peter Holm", "Jane Roe", "London"} & set(found)
    assert found["Ana Ruiz"].entity_type == "PERSON"


# --------------------------------------------------------------------------------------------
# Ids, determinism, batching
# --------------------------------------------------------------------------------------------

STORY_A = StoryText(
    "a",
    "Chipmaker Wins Order",
    (
        "Orvane Semiconductor Corp. won an order from Toyota Motor Corp., Chief Executive "
        "Officer Lena Fischer said in Tokyo.",
        "Fischer said Orvane would add a factory in Germany.",
    ),
)
STORY_B = StoryText(
    "b",
    "Automaker Buys Chips",
    (
        "Toyota Motor Corp. agreed to buy chips from Orvane Semiconductor Corp., the companies "
        "said on Monday.",
        "Lena Fischer, Orvane’s chief executive, called the deal a milestone.",
    ),
)


def test_ids_are_stable_and_shared_across_stories(extractor: EntityExtractor) -> None:
    first = extractor.extract([STORY_A, STORY_B])
    second = extractor.extract([STORY_A, STORY_B])
    assert first == second
    for mentions in first:
        for m in mentions:
            assert m.entity_id == entity_id_for(m.name)
            assert m.entity_id == entity_id_for_key(entity_key(m.name))
            assert re.fullmatch(r"[0-9a-f]{16}", m.entity_id)
    ids_a = {m.name: m.entity_id for m in first[0]}
    ids_b = {m.name: m.entity_id for m in first[1]}
    assert ids_a["Lena Fischer"] == ids_b["Lena Fischer"]
    assert ids_a["Toyota Motor Corp."] == ids_b["Toyota Motor Corp."]


def test_output_does_not_depend_on_batch_composition(extractor: EntityExtractor) -> None:
    alone = extractor.extract([STORY_B])[0]
    assert extractor.extract([STORY_A, STORY_B])[1] == alone
    assert extractor.extract([STORY_B, STORY_A])[0] == alone


def test_order_inside_a_story_is_by_first_paragraph_then_name(
    extractor: EntityExtractor,
) -> None:
    mentions = extractor.extract([STORY_A])[0]
    keys = [(m.first_paragraph_no, m.name, m.entity_type) for m in mentions]
    assert keys == sorted(keys)


def test_identical_paragraphs_go_through_the_model_once(
    extractor: EntityExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = extractor.ner_spans

    def spy(texts: Sequence[str]) -> dict[str, tuple[entities.RawSpan, ...]]:
        seen.extend(texts)
        return original(texts)

    monkeypatch.setattr(extractor, "ner_spans", spy)
    update = StoryText("a-update", STORY_A.headline, (*STORY_A.paragraphs, "Shares rose 3%."))
    extractor.extract([STORY_A, update])
    assert len(seen) == len(set(seen))
    assert seen.count(STORY_A.paragraphs[0]) == 1
    assert STORY_A.headline in seen


def test_two_processes_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    single = EntityExtractor(n_process=1).extract([STORY_A, STORY_B])
    monkeypatch.setattr(model, "MULTIPROCESS_MIN_WORDS", 0)
    double = EntityExtractor(n_process=2, batch_size=1).extract([STORY_A, STORY_B])
    assert double == single


def test_empty_input_and_empty_stories(extractor: EntityExtractor) -> None:
    assert extractor.extract([]) == []
    assert extractor.extract([StoryText("empty", "", ())]) == [[]]


# --------------------------------------------------------------------------------------------
# Post-processing without the model
# --------------------------------------------------------------------------------------------


def spans_for(paragraph: str, *items: tuple[str, str]) -> list[entities.RawSpan]:
    """Raw spans as the model would give them, located by their text."""
    out = []
    for text, label in items:
        start = paragraph.index(text)
        out.append((start, start + len(text), label))
    return out


def test_title_cue_fixes_a_person_typed_org_and_its_surname() -> None:
    para1 = "The leader was greeted by President Kassym-Jomart Tokayev in the capital."
    para2 = "Tokayev’s office said talks went well."
    story = StoryText("t", "", (para1, para2))
    result = resolve_story(
        story,
        [
            spans_for(para1, ("Kassym-Jomart Tokayev", "ORG")),
            spans_for(para2, ("Tokayev’s", "ORG")),
        ],
    )
    assert [(m.name, m.entity_type, m.mention_count) for m in result] == [
        ("Kassym-Jomart Tokayev", "PERSON", 2)
    ]


def test_glued_list_span_is_split_into_companies() -> None:
    para = "Lenders Morgan Stanley, Citigroup Inc. and Nomura Holdings Inc. declined to comment."
    story = StoryText("l", "", (para,))
    spans = spans_for(para, ("Morgan Stanley, Citigroup Inc. and Nomura Holdings Inc.", "ORG"))
    names = [m.name for m in resolve_story(story, [spans])]
    assert sorted(names) == ["Citigroup Inc.", "Morgan Stanley", "Nomura Holdings Inc."]


def test_subheads_are_headline_like_but_sentences_are_not() -> None:
    assert is_headline_like("Key Insights")
    assert is_headline_like("Bezos Blackmail Charge Intensifies Proxy War With Trump")
    assert not is_headline_like("Cuadrilla had no immediate comment.")
    assert not is_headline_like("Shares of the company rose 4% in early trading in New York")


_WORDS = ["Orvane", "Corp.", "Lena", "Fischer", "Tokyo", "said", "the", "U.S.", "and", "’s", ","]


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14),
    cuts=st.lists(
        st.tuples(st.integers(0, 13), st.integers(1, 4), st.sampled_from(["ORG", "PERSON"])),
        max_size=4,
    ),
)
def test_resolve_story_is_total_and_consistent(
    words: list[str], cuts: list[tuple[int, int, str]]
) -> None:
    """Any spans over any paragraph: no crash, counts and paragraph numbers in range."""
    para = " ".join(words)
    starts = [m.start() for m in re.finditer(r"\S+", para)]
    ends = [m.end() for m in re.finditer(r"\S+", para)]
    spans: list[entities.RawSpan] = []
    for first, length, label in cuts:
        if first < len(starts):
            last = min(first + length, len(ends)) - 1
            spans.append((starts[first], ends[last], label))
    story = StoryText("h", "", (para,))
    result = resolve_story(story, [spans])
    assert result == resolve_story(story, [spans])
    for m in result:
        assert m.mention_count >= 1
        assert m.first_paragraph_no == 1
        assert m.entity_type in entities.ENTITY_TYPES
        assert m.name and m.surface_forms == tuple(sorted(set(m.surface_forms)))


# --------------------------------------------------------------------------------------------
# Identity across stories: one key, one id, no type in it
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ("Apple Inc.", "Apple", "APPLE INC", "Apple Inc"),
        ("JD.com Inc.", "JD.Com Inc.", "JD.com"),
        ("ByteDance", "Bytedance", "ByteDance Ltd."),
        ("Mastercard", "MasterCard", "Mastercard Inc."),
        ("Kestrel Mining Corp.", "Kestrel Mining Corporation", "Kestrel Mining"),
        ("Orvane & Co.", "Orvane and Co", "Orvane"),
        ("Nestlé SA", "Nestle S.A.", "NESTLE"),
        ("Quorra Holdings Pte. Ltd.", "Quorra Holdings Pte Ltd", "Quorra Holdings"),
        ("U.S.", "US", "U.S", "America", "United States", "the United States"),
        ("Macy’s Inc.", "Macy's", "Macy"),
        ("Veldmark 40 Index", "Veldmark 40", "VELDMARK 40 INDEX"),
        ("Orvane Composite Index", "Orvane Composite"),
    ],
)
def test_spellings_of_one_name_share_one_key(spellings: tuple[str, ...]) -> None:
    keys = {entity_key(s) for s in spellings}
    assert len(keys) == 1, keys
    assert len({entity_id_for(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("SoftBank Group Corp.", "SoftBank Corp."),  # parent and unit
        ("Merck KGaA", "Merck & Co."),  # the legal form tells them apart
        ("Bloomberg News", "Bloomberg"),
        ("Kestrel Mining", "Kestrel Minerals"),
        ("Index Ventures", "Ventures"),  # only a last word 'Index' goes
    ],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert entity_key(one) != entity_key(other)


def test_the_id_is_the_key_hashed_and_holds_no_type() -> None:
    key = entity_key("Lena Fischer")
    assert entity_id_for("Lena Fischer") == entity_id_for_key(key)
    assert re.fullmatch(r"[0-9a-f]{16}", entity_id_for_key(key))
    # The same name typed two ways in two stories is one id.
    as_person = resolve_story(
        StoryText("p", "", (p1 := "Chief Executive Officer Lena Fischer said sales rose.",)),
        [spans_for(p1, ("Lena Fischer", "PERSON"))],
    )
    as_org = resolve_story(
        StoryText("o", "", (p2 := "Shares of Lena Fischer fell 3% in Frankfurt.",)),
        [spans_for(p2, ("Lena Fischer", "ORG"), ("Frankfurt", "GPE"))],
    )
    person = by_name(as_person)["Lena Fischer"]
    org = by_name(as_org)["Lena Fischer"]
    assert (person.entity_type, org.entity_type) == ("PERSON", "ORG")
    assert person.entity_id == org.entity_id


def test_suffix_case_and_punctuation_variants_give_one_id_across_stories(
    extractor: EntityExtractor,
) -> None:
    stories = [
        StoryText("1", "", ("Quorvex Inc. said on Monday it would cut 300 jobs in Ohio.",)),
        StoryText("2", "", ("Shares of Quorvex rose 4% after the company raised its forecast.",)),
        StoryText("3", "", ("Analysts at QUORVEX INC said demand for chips was strong.",)),
    ]
    ids = set()
    for mentions in extractor.extract(stories):
        found = [m for m in mentions if entity_key(m.name) == "quorvex"]
        assert len(found) == 1, mentions
        ids.add(found[0].entity_id)
    assert len(ids) == 1


def test_variants_inside_one_story_are_one_entity() -> None:
    para = "Vantor Corp. and VANTOR CORP. are the same company, as is Vantor-Corp."
    story = StoryText("v", "", (para,))
    spans = [(0, 12, "ORG"), (17, 29, "ORG")]
    result = resolve_story(story, [spans])
    assert len([m for m in result if entity_key(m.name) == "vantor"]) == 1
    assert {"Vantor Corp.", "VANTOR CORP."} <= set(result[0].surface_forms)


# --------------------------------------------------------------------------------------------
# The wire's own name and market indexes are ORG mentions
# --------------------------------------------------------------------------------------------


def test_the_wires_name_inside_the_story_is_an_org_but_the_wire_tag_is_not(
    extractor: EntityExtractor,
) -> None:
    tag_only = StoryText(
        "tag", "Miner Cuts Output", ("(Bloomberg) -- Kestrel Mining Corp. cut output in Peru.",)
    )
    cited = StoryText(
        "cited",
        "Miner Cuts Output",
        (
            "(Bloomberg) -- Kestrel Mining Corp. cut output in Peru, its chief executive "
            "told Bloomberg News on Tuesday.",
            "Bloomberg Intelligence analyst Ana Ruiz said the cut was overdue.",
            "The company’s founder ranks 212th on the Bloomberg Billionaires Index.",
        ),
    )
    first, second = extractor.extract([tag_only, cited])
    assert not [m for m in first if m.name.startswith("Bloomberg")]
    found = by_name(second)
    for name in ("Bloomberg News", "Bloomberg Intelligence", "Bloomberg Billionaires Index"):
        assert found[name].entity_type == "ORG", sorted(found)
    assert found["Ana Ruiz"].entity_type == "PERSON"


def test_market_indexes_named_as_such_are_orgs(extractor: EntityExtractor) -> None:
    story = StoryText(
        "indexes",
        "Stocks Slide",
        (
            "The Stoxx Europe 600 Index fell 1.2% and the FTSE 100 slid, while Hong Kong’s "
            "Hang Seng Index dropped and South Korea’s Kospi lost 0.8%.",
        ),
    )
    found = by_name(extractor.extract([story])[0])
    for name in ("Stoxx Europe 600 Index", "FTSE 100", "Hang Seng Index", "Kospi"):
        assert found[name].entity_type == "ORG", sorted(found)
    assert found["Hong Kong"].entity_type == "GPE"


def test_an_index_name_before_a_weekday_is_found_when_the_model_misses_it() -> None:
    para = "The stock, the best performer in the S&P 500 Index Wednesday, soared 68% this year."
    names = {m.name: m.entity_type for m in resolve_story(StoryText("w", "", (para,)), [()])}
    assert names == {"S&P 500 Index": "ORG"}


def test_a_list_of_listed_companies_joined_by_and_is_split() -> None:
    para = "Shares of Amazon, Alphabet and Facebook declined in late trading."
    spans = spans_for(para, ("Amazon", "ORG"), ("Alphabet and Facebook", "ORG"))
    names = {m.name: m.entity_type for m in resolve_story(StoryText("a", "", (para,)), [spans])}
    assert names == {"Amazon": "ORG", "Alphabet": "ORG", "Facebook": "ORG"}


def test_a_title_adjective_glued_to_a_listed_institution_is_dropped() -> None:
    para = "New European Central Bank President Marta Kovac struck a firmer tone in New Mexico."
    spans = spans_for(
        para, ("New European Central Bank", "ORG"), ("Marta Kovac", "PERSON"), ("New Mexico", "GPE")
    )
    names = {m.name for m in resolve_story(StoryText("n", "", (para,)), [spans])}
    assert names == {"European Central Bank", "Marta Kovac", "New Mexico"}


def test_a_person_after_an_employers_possessive_is_found_when_the_model_misses_him() -> None:
    para = "Regulators wrote to Tesla Inc.’s Elon Musk and to Walmart’s Grocery Unit last year."
    spans = spans_for(para, ("Tesla Inc.’s", "ORG"))
    names = {m.name: m.entity_type for m in resolve_story(StoryText("p", "", (para,)), [spans])}
    assert names["Elon Musk"] == "PERSON"
    assert "Grocery Unit" not in names  # no given name: not taken for a person


def test_a_bare_house_is_the_legislature_not_a_committee_named_after_it() -> None:
    """A bare 'Senate' or 'House' in this wire is the U.S. one, never a committee named after
    it; the country in front counts as a place of its own, as in 'U.S. Treasury'."""
    paras = (
        "Two members of the U.S. House of Representatives wrote to the regulator on Friday.",
        "The House may vote next week, after the House Energy and Commerce Committee's hearing.",
        "House prices rose 3% in March, and the Senate and Congress were in recess.",
    )
    spans = [
        spans_for(paras[0], ("U.S. House of Representatives", "ORG")),
        spans_for(paras[1], ("House", "ORG"), ("the House Energy and Commerce Committee", "ORG")),
        spans_for(paras[2], ("Senate", "ORG"), ("Congress", "ORG")),
    ]
    found = by_name(resolve_story(StoryText("h", "", paras), spans))
    assert set(found) == {
        "U.S. House of Representatives",
        "House Energy and Commerce Committee",
        "U.S. Senate",
        "U.S. Congress",
        "United States",
    }
    house = found["U.S. House of Representatives"]
    assert house.mention_count == 2  # 'House prices' at a sentence start is no mention
    assert set(house.surface_forms) == {"House of Representatives", "House"}


def test_an_index_name_cut_short_is_made_whole() -> None:
    para = "The MSCI Asia Pacific Index rose while the Bloomberg Dollar Spot Index fell."
    spans = spans_for(para, ("Asia Pacific", "LOC"), ("Bloomberg Dollar Spot", "ORG"))
    names = {m.name: m.entity_type for m in resolve_story(StoryText("i", "", (para,)), [spans])}
    assert names == {"MSCI Asia Pacific Index": "ORG", "Bloomberg Dollar Spot Index": "ORG"}


def test_long_institution_names_cut_short_are_made_whole() -> None:
    para = (
        "The Reserve Bank of India cut rates, and Industrial & Commercial Bank of China Ltd. "
        "followed."
    )
    spans = spans_for(para, ("Bank of India", "ORG"), ("Industrial & Commercial", "ORG"))
    names = {m.name for m in resolve_story(StoryText("l", "", (para,)), [spans])}
    assert names == {"Reserve Bank of India", "Industrial & Commercial Bank of China Ltd."}


# --------------------------------------------------------------------------------------------
# Junk stays out
# --------------------------------------------------------------------------------------------


def resolved(para: str, *items: tuple[str, str]) -> dict[str, str]:
    """Names and types `resolve_story` keeps from spans given as the model would give them."""
    story = StoryText("j", "", (para,))
    return {m.name: m.entity_type for m in resolve_story(story, [spans_for(para, *items)])}


def test_fragments_glued_by_punctuation_are_not_entities() -> None:
    para = "Margins shrank in the second half“We will fix it,” Vantor’s chief said."
    assert "half“We" not in resolved(para, ("half“We", "ORG"))
    glued = "Orders fell on TuesdayOn Wednesday, Vantor Corp. said."
    assert resolved(glued, ("TuesdayOn Wednesday", "PERSON"), ("Vantor Corp.", "ORG")) == {
        "Vantor Corp.": "ORG"
    }


def test_quarter_labels_are_not_places() -> None:
    para = "Sales rose in 4Q and fell in 1Q, while Q3 and 2H19 were flat at Vantor Corp."
    found = resolved(
        para, ("4Q", "GPE"), ("1Q", "GPE"), ("Q3", "GPE"), ("2H19", "ORG"), ("Vantor Corp.", "ORG")
    )
    assert found == {"Vantor Corp.": "ORG"}


def test_dates_are_not_events() -> None:
    para = "Talks resume on March 12 after the Sept. 15-16 round and the Tuesday vote in Oslo."
    found = resolved(
        para, ("March 12", "EVENT"), ("Sept. 15-16", "EVENT"), ("Tuesday", "EVENT"), ("Oslo", "GPE")
    )
    assert found == {"Oslo": "GPE"}


def test_abbreviations_and_common_words_are_not_people() -> None:
    para = "PT said the XS model was the best seller, as Algorithms ran the Club in Oslo."
    found = resolved(
        para,
        ("PT", "PERSON"),
        ("XS", "PERSON"),
        ("Algorithms", "PERSON"),
        ("Club", "PERSON"),
        ("Oslo", "GPE"),
    )
    assert found == {"Oslo": "GPE"}


def test_companies_the_model_calls_people_are_not_people() -> None:
    para = "Profit at Altria rose, Celgene fell and Deliveroo said it would hire 200 riders."
    found = resolved(para, ("Altria", "PERSON"), ("Celgene", "PERSON"), ("Deliveroo", "PERSON"))
    assert "PERSON" not in found.values()
    listed = "Uber Eats faces rivals Zorvane and Just Eat Plc, and shares of Quillon rose."
    found = resolved(listed, ("Zorvane", "PERSON"), ("Just Eat Plc", "ORG"), ("Quillon", "PERSON"))
    assert found["Zorvane"] == "ORG" and found["Quillon"] == "ORG"


def test_single_word_people_need_evidence_of_a_person() -> None:
    para = "President Okafor met Trump on Monday, and Vantor said Borno was calm."
    found = resolved(
        para, ("Okafor", "PERSON"), ("Trump", "PERSON"), ("Vantor", "PERSON"), ("Borno", "PERSON")
    )
    assert found == {"Okafor": "PERSON", "Trump": "PERSON"}


def test_junk_stays_out_with_the_model(extractor: EntityExtractor) -> None:
    story = StoryText(
        "junk",
        "",
        (
            "Margins shrank in the second half“We will fix it,” the chief said.",
            "PT Bank Mandiri said the XS model sold well, and Algorithms ran the Club.",
            "Profit at Altria rose, and Celgene fell. Deliveroo said it would hire.",
        ),
    )
    found = {m.name: m.entity_type for m in extractor.extract([story])[0]}
    assert not {"half“We", "XS", "Algorithms", "PT"} & set(found), found
    assert not [n for n, t in found.items() if t == "PERSON" and " " not in n], found


def test_alias_resolution_says_how_a_form_names_its_entity() -> None:
    from flows.story.entities import alias_resolution

    assert alias_resolution("Apple Inc.", "Apple Inc.") == "name"
    assert alias_resolution("APPLE INC", "Apple Inc.") == "spelling"
    assert alias_resolution("U.S.", "United States") == "alias_list"
    assert alias_resolution("Xi", "Xi Jinping") == "short_form"


def test_an_entity_takes_the_type_most_of_its_articles_give_it() -> None:
    """'Warren Buffett' typed ORG by one story and PERSON by two is one PERSON
    (sql/load/05_entity_types.sql, run by every load for the batch's entities)."""
    import duckdb
    import pyarrow as pa

    from flows.store.sql import sql_text
    from flows.store.warehouse import apply_schema

    with duckdb.connect() as connection:
        apply_schema(connection)
        connection.execute("insert into entities values ('e1', 'Warren Buffett', 'ORG', [])")
        for article, entity_type in (("a1", "PERSON"), ("a2", "ORG"), ("a3", "PERSON")):
            connection.execute(
                "insert into entity_mentions values (?, 'e1', 1, 1, ['Warren Buffett'], ?)",
                [article, entity_type],
            )
        connection.register("batch_entities", pa.table({"entity_id": ["e1"]}))
        # What sql/load/05_entity_merges_01_found.sql leaves when the batch merges nothing.
        connection.register(
            "pending_entity_merges", pa.table({"entity_id": pa.array([], "string")})
        )
        connection.execute(sql_text("load/05_entity_types.sql"))
        assert connection.execute("select entity_type from entities").fetchall() == [("PERSON",)]


# --------------------------------------------------------------------------------------------
# Resolution apart from the model (the span cache's pass over spans)
# --------------------------------------------------------------------------------------------


def test_forked_resolution_gives_the_same_result(
    extractor: EntityExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    stories = [
        StoryText(f"{story.key}-{copy}", story.headline, story.paragraphs)
        for copy in range(3)
        for story in (STORY_A, STORY_B)
    ]
    prepared, texts = model.prepare_stories(stories)
    spans = extractor.ner_spans(texts)
    single = model.resolve_stories(prepared, spans, 1)
    monkeypatch.setattr(model, "MULTIPROCESS_MIN_STORIES", 0)
    monkeypatch.setattr(model, "_usable_cores", lambda: 2)
    assert model.resolve_stories(prepared, spans, 2) == single
    assert single == extractor.extract(stories)


def test_resolution_reads_only_the_labels_it_knows(extractor: EntityExtractor) -> None:
    """The model's raw spans (kept whole in the span cache) hold dates and numbers too;
    resolution ignores them, as if the model had never returned them."""
    prepared, texts = model.prepare_stories([STORY_A, STORY_B])
    raw = extractor.ner_spans(texts)
    assert any(label == "DATE" for found in raw.values() for _, _, label in found)
    known = {
        text: tuple(span for span in found if span[2] in records._LABEL_MAP)
        for text, found in raw.items()
    }
    assert model.resolve_stories(prepared, raw) == model.resolve_stories(prepared, known)


def test_the_grouped_name_scan_finds_what_one_flat_alternation_finds() -> None:
    names = gazetteer._scan_name_list()
    flat = re.compile(r"(?<![\w&])(?:" + "|".join(map(re.escape, names)) + r")(?![\w&])")
    texts = [
        SEED,
        STORY_A.headline,
        *STORY_A.paragraphs,
        *STORY_B.paragraphs,
        ", ".join(names),
        " ".join(names),
        "-".join(names[::7]),
        "".join(names[::11]),
        "U.S.-China talks in New York City and Hong Kong, with the S&P 500 and Japan’s Topix.",
    ]
    for text in texts:
        expected = [(m.start(), m.end()) for m in flat.finditer(text)]
        assert [(m.start(), m.end()) for m in gazetteer._SCAN.finditer(text)] == expected
    assert all(bool(gazetteer._SCAN.fullmatch(name)) for name in names)


@pytest.mark.parametrize(
    ("text", "spaced"),
    [
        ("rose in Velmora.Castrine’s index fell", "rose in Velmora. Castrine’s index fell"),
        ("up 0.4%Ostrava’s gauge slipped", "up 0.4% Ostrava’s gauge slipped"),
        ("down 1.2%.Lindqvist said", "down 1.2%. Lindqvist said"),
        ("at 9 a.m.Trade resumed", "at 9 a.m. Trade resumed"),
        ("Composite little changedOstrava’s gauge", "Composite little changed Ostrava’s gauge"),
        ("unchangedVelmora’s index rose", "unchanged Velmora’s index rose"),
        ("the U.S. and JD.Com and Quill.com", "the U.S. and JD.Com and Quill.com"),  # untouched
    ],
)
def test_glued_sentences_are_read_apart(text: str, spaced: str) -> None:
    out, inserted = model.unglue(text)
    assert out == spaced
    # Every character of the given text keeps its place through the offset map.
    kept = [i for i in range(len(out)) if i not in inserted]
    assert [model.original_offset(i, inserted) for i in kept] == list(range(len(text)))


def test_a_name_glued_to_the_sentence_before_is_found_at_its_place(
    extractor: EntityExtractor,
) -> None:
    text = "Japan’s Topix index fell 0.3%.Australia’s benchmark rose 0.4%Germany’s DAX slipped."
    spans = extractor.ner_spans([text])[text]
    places = {text[start:end].removesuffix("’s") for start, end, label in spans if label == "GPE"}
    assert {"Japan", "Australia", "Germany"} <= places
    assert extractor.identity.version.endswith("+" + model.TEXT_PREPARATION)
