"""Story facts worked out ahead in a helper process: the same values the flow works out, given
only to the stories whose text they came from."""

from __future__ import annotations

from concurrent.futures import Future

from flows.batch.extract import discover_table, read_files, source_files
from flows.batch.prefetch import StoryFacts, chunk_facts, story_facts, take_facts
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
    assert here and set(here) == {story.article_id for story in stories}
    assert all(here[story.article_id] == story_facts(story) for story in stories)
    facts = FactsAhead(DEFAULT_INPUT, DEFAULT_MAX_FILE_BYTES)
    try:
        future = facts.ahead(files)
        assert future is not None
        future.result(timeout=120)
        assert FactsAhead.take(future) == here
    finally:
        facts.close()


def test_facts_not_ready_are_not_waited_for() -> None:
    pending: Future[dict[str, StoryFacts]] = Future()  # never done: waiting would hang
    assert FactsAhead.take(pending) == {} and FactsAhead.take(None) == {}
    assert pending.cancelled()
