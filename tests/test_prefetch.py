"""Story facts worked out ahead in a helper process: the same values the flow works out, given
only to the stories whose text they came from."""

from __future__ import annotations

from concurrent.futures import Future

from flows.batch.extract import discover_table, read_files, source_files
from flows.batch.prefetch import (
    NO_FACTS,
    ChunkFacts,
    StoryFacts,
    chunk_facts,
    story_facts,
    take_facts,
    take_paragraphs,
)
from flows.batch.tables import paragraphs_table
from flows.batch.versions import version_key
from flows.orchestration.prefetch import FactsAhead
from flows.settings import DEFAULT_INPUT, DEFAULT_MAX_FILE_BYTES
from flows.story.parse import ParsedStory, parse_story

STORY = """ date 2024-05-06 Harbour Ferries Resume After Fog Lifts in Porto Vell

(Newswire) -- Ferries between Porto Vell and the outer islands sailed again on Monday after
fog kept them in harbour for two days, the operator said.

Operator Marisca Lines said about 4,000 travellers had waited at the terminals.

(Updates with the operator's figure in second paragraph)
"""


def parsed(text: str) -> ParsedStory:
    story = parse_story(text)
    assert isinstance(story, ParsedStory)
    return story


def test_facts_worked_out_ahead_are_what_the_flow_works_out() -> None:
    ahead = story_facts(parsed(STORY))
    story = parsed(STORY)
    prints = take_facts([story], {story.article_id: ahead})
    fresh = parsed(STORY)
    assert (story.word_count, story.headline_key, story.lede_key) == (
        fresh.word_count,
        fresh.headline_key,
        fresh.lede_key,
    )
    assert version_key(story, prints[story.article_id]) == version_key(fresh)
    assert fresh.word_count > 20 and fresh.headline_key and fresh.lede_key


def test_facts_of_another_text_are_not_taken() -> None:
    story = parsed(STORY)
    other = StoryFacts(999, "another headline", "another lede", b"\x00\x01\x02\x03")
    assert take_facts([story], {"not-this-article": other}) == {}
    assert story.word_count == parsed(STORY).word_count != 999


def test_a_chunk_s_facts_from_its_files_and_from_the_helper_process() -> None:
    files = discover_table(DEFAULT_INPUT)
    here = chunk_facts(files, DEFAULT_INPUT, DEFAULT_MAX_FILE_BYTES)
    read = read_files(source_files(files, DEFAULT_INPUT), DEFAULT_MAX_FILE_BYTES)
    stories = [
        story
        for item in read
        if item.text is not None and isinstance(story := parse_story(item.text), ParsedStory)
    ]
    assert here.stories and set(here.stories) == {story.article_id for story in stories}
    facts_here = {key: value[:4] for key, value in here.stories.items()}
    assert all(facts_here[story.article_id] == story_facts(story)[:4] for story in stories)
    # Paragraphs taken from the rows built ahead are the stories' own, in the order asked for.
    backwards = list({story.article_id: story for story in reversed(stories)}.values())
    taken = take_paragraphs(backwards, here)
    assert len(backwards) > 2 and taken is not None
    assert taken.equals(paragraphs_table(backwards))
    facts = FactsAhead(DEFAULT_INPUT, DEFAULT_MAX_FILE_BYTES)
    try:
        future = facts.ahead(files)
        assert future is not None
        future.result(timeout=120)
        from_helper = FactsAhead.take(future)
        assert from_helper.stories == here.stories
        assert from_helper.paragraphs.equals(here.paragraphs)
    finally:
        facts.close()


def test_paragraphs_are_taken_only_when_every_story_s_rows_were_built_ahead() -> None:
    story, other = parsed(STORY), parsed(STORY.replace("two days", "three days"))
    ahead = ChunkFacts({story.article_id: story_facts(story)}, paragraphs_table([story]))
    assert take_paragraphs([story, other], ahead) is None
    assert take_paragraphs([], ahead) is None and take_paragraphs([story], NO_FACTS) is None
    taken = take_paragraphs([story], ahead)
    assert taken is not None and taken.num_rows == len(story.parts) > 2


def test_facts_not_ready_are_not_waited_for() -> None:
    pending: Future[ChunkFacts] = Future()  # never done: waiting would hang
    assert FactsAhead.take(pending) is NO_FACTS and FactsAhead.take(None) is NO_FACTS
    assert pending.cancelled()
