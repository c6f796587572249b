"""Tests for the invented-story generator used by benchmarks and pipeline tests.

The generator is only useful if it is exactly reproducible and if what it says about each file
(good, or rejected with a given code; which story and version) is true of the bytes. These
tests check the bytes directly rather than trusting the generator's own bookkeeping.
"""

from __future__ import annotations

import re
import statistics
import string
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import story_generator as sg
from bench.story_generator import (
    MAX_WORDS,
    MIN_WORDS,
    REJECT_CODES,
    GeneratedFile,
    generate_stories,
    main,
    summarize,
    write_corpus,
)

HEADER = re.compile(r" date (\d{4})-(\d{2})-(\d{2}) (\S.*)")
ANY_DATE_HEADER = re.compile(r"\s*date[ \t]+(\S+)[ \t]*(.*)", re.IGNORECASE)
NOTE = re.compile(r"\((?:Updat|Upat|Adds|Correct|Corrrect|Recast)")
# Paragraphs that are not story text: update notes, staff lines, copyright lines.
NOT_STORY = re.compile(
    r"\((?:Updat|Upat|Adds|Correct|Corrrect|Recast|Reporting by|c\) Copyright)"
    r"|--With assistance|To contact the|For more articles|©\d{4}"
)
NAME = re.compile(r"(\d{3})/(\d{6})_[a-z0-9-]+\.txt")


def text_of(item: GeneratedFile) -> str:
    """Decode a good file the way a reader would: BOM dropped, CRLF as LF."""
    return item.data.decode("utf-8-sig").replace("\r\n", "\n")


def paragraphs(item: GeneratedFile) -> list[str]:
    return [p for p in text_of(item).rstrip("\n").split("\n\n")[1:] if p]


def story_words(item: GeneratedFile) -> int:
    return sum(len(p.split()) for p in paragraphs(item) if not NOT_STORY.match(p))


def is_reuters(item: GeneratedFile) -> bool:
    """Reuters files open with the dateline paragraph, or with a note and then the dateline."""
    first, second = paragraphs(item)[:2]
    return "(Reuters) - " in first or (NOTE.match(first) is not None and "(Reuters) - " in second)


def headline(item: GeneratedFile) -> str:
    match = HEADER.match(text_of(item).split("\n", 1)[0])
    assert match is not None, item.name
    return match.group(4)


@pytest.fixture(scope="module")
def corpus() -> list[GeneratedFile]:
    """One mid-sized corpus shared by the tests that only read it."""
    return list(generate_stories(6000, seed=11))


@pytest.fixture(scope="module")
def good(corpus: list[GeneratedFile]) -> list[GeneratedFile]:
    return [item for item in corpus if item.expected_reject is None]


def test_same_seed_gives_identical_bytes() -> None:
    first = list(generate_stories(500, seed=7))
    second = list(generate_stories(500, seed=7))
    assert first == second
    assert [f.data for f in first] == [f.data for f in second]


def test_other_seed_gives_other_stories() -> None:
    first = [f.data for f in generate_stories(50, seed=1)]
    second = [f.data for f in generate_stories(50, seed=2)]
    assert not set(first) & set(second)


def test_short_run_is_prefix_of_long_run() -> None:
    """A 200-file smoke run reproduces the start of a 200,000-file benchmark exactly."""
    short = list(generate_stories(200, seed=3))
    long = list(generate_stories(700, seed=3))
    assert long[:200] == short


def test_malformed_count_and_codes_match_share(corpus: list[GeneratedFile]) -> None:
    codes = Counter(item.expected_reject for item in corpus if item.expected_reject)
    assert sum(codes.values()) == round(6000 * 0.01)
    assert set(codes) == set(REJECT_CODES)
    assert all(count == 12 for count in codes.values()), codes


@pytest.mark.parametrize(("count", "share"), [(1000, 0.05), (777, 0.2), (300, 0.0), (40, 1.0)])
def test_malformed_share_is_respected(count: int, share: float) -> None:
    files = list(generate_stories(count, seed=5, malformed_share=share))
    rejected = sum(1 for item in files if item.expected_reject)
    assert len(files) == count
    assert abs(rejected - count * share) <= 1


def test_every_malformed_file_really_is_malformed(corpus: list[GeneratedFile]) -> None:
    for item in corpus:
        code = item.expected_reject
        if code is None:
            continue
        if code == "empty":
            assert item.data.strip() == b"", item.name
            continue
        if code == "not_utf8":
            with pytest.raises(UnicodeDecodeError):
                item.data.decode("utf-8")
            assert item.data.decode("cp1252", errors="replace").startswith(" date ")
            continue
        text = item.data.decode("utf-8")
        first_line, _, rest = text.partition("\n")
        match = ANY_DATE_HEADER.fullmatch(first_line.strip())
        if code == "no_header":
            assert match is None or not match.group(2).strip(), first_line
            assert len(text.split()) >= MIN_WORDS // 2
        elif code == "bad_date":
            assert match is not None and match.group(2).strip(), first_line
            with pytest.raises(ValueError):
                date.fromisoformat(match.group(1))
        elif code == "no_body":
            assert HEADER.fullmatch(first_line)
            leftover = [p.strip() for p in rest.split("\n\n") if p.strip()]
            assert all(p.startswith(("©", "(Bloomberg) --")) for p in leftover), leftover
            assert len(rest.split()) <= 3


def test_every_good_file_starts_with_a_valid_header(good: list[GeneratedFile]) -> None:
    for item in good:
        first_line = text_of(item).split("\n", 1)[0]
        match = HEADER.fullmatch(first_line)
        assert match is not None, (item.name, first_line)
        published = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        assert date(2018, 1, 1) <= published <= date(2024, 12, 31)
        assert text_of(item).split("\n", 2)[1] == ""  # a blank line after the header


def test_a_date_range_makes_a_days_feed_with_its_own_versions() -> None:
    """The benchmark's daily increment: every good file dated within the range, some of them
    later versions (dated at most the range's last day)."""
    first, last = date(2024, 12, 25), date(2024, 12, 31)
    files = list(generate_stories(400, seed=4, days=(first, last)))
    good = [item for item in files if item.expected_reject is None]
    published = set()
    for item in good:
        match = HEADER.fullmatch(text_of(item).split("\n", 1)[0])
        assert match is not None, item.name
        published.add(date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    assert published <= {date(2024, 12, day) for day in range(25, 32)}
    assert len(published) >= 5  # spread over the week, not one day
    assert any(item.version > 1 for item in good)
    # The default range is the archive's.
    assert list(generate_stories(50, seed=4)) == list(
        generate_stories(50, seed=4, days=(sg.FIRST_DAY, sg.LAST_DAY))
    )


def test_word_counts_are_within_bounds_and_skewed_like_news(good: list[GeneratedFile]) -> None:
    words = [story_words(item) for item in good if item.version == 1]
    assert min(words) >= MIN_WORDS
    assert max(words) <= MAX_WORDS
    median = statistics.median(words)
    assert 430 <= median <= 580, median
    deciles = statistics.quantiles(words, n=10)
    # Right-skewed: the long tail above the median is longer than the short one below it.
    assert deciles[-1] - median > 1.4 * (median - deciles[0])
    later = [story_words(item) for item in good if item.version > 1]
    assert later and min(later) >= MIN_WORDS and max(later) <= MAX_WORDS


def test_versions_share_headline_and_count_up(good: list[GeneratedFile]) -> None:
    stories: dict[str, list[GeneratedFile]] = defaultdict(list)
    for item in good:
        stories[item.story_key].append(item)
    multi = [versions for versions in stories.values() if len(versions) > 1]
    assert len(multi) > 100
    assert any(len(versions) >= 4 for versions in multi)
    for versions in stories.values():
        assert [v.version for v in versions] == list(range(1, len(versions) + 1))
        assert len({headline(v) for v in versions}) == 1
        assert len({v.data for v in versions}) == len(versions)  # each version differs
        lengths = [len([p for p in paragraphs(v) if not NOT_STORY.match(p)]) for v in versions]
        assert lengths == sorted(lengths)  # updates add paragraphs, never drop them
        for later in versions[1:]:
            assert any(NOTE.match(p) for p in paragraphs(later)), later.name
        published = [text_of(v)[6:16] for v in versions]  # ' date YYYY-MM-DD'
        assert published == sorted(published)


def test_versions_share_is_respected(good: list[GeneratedFile]) -> None:
    later = sum(1 for item in good if item.version > 1)
    assert abs(later / len(good) - 0.1) < 0.005


def test_layouts_mix_bloomberg_and_reuters(good: list[GeneratedFile]) -> None:
    reuters = [item for item in good if is_reuters(item)]
    assert 0.11 < len(reuters) / len(good) < 0.19
    for item in good:
        parts = paragraphs(item)
        year = int(text_of(item)[6:10])
        if is_reuters(item):
            assert not any(p.startswith("©") for p in parts)
            assert not any(NOTE.match(p) for p in parts[2:])  # Reuters notes sit on top
        else:
            assert parts[-1] == f"©{year} Bloomberg L.P.", item.name
            assert any(p.startswith("(Bloomberg) -- ") for p in parts[:2])


def test_feed_variations_are_present(good: list[GeneratedFile]) -> None:
    texts = [item.data for item in good]
    crlf = [data for data in texts if b"\r\n" in data]
    assert 0.02 < len(crlf) / len(texts) < 0.07
    assert all(b"\n" not in data.replace(b"\r\n", b"") for data in crlf)
    assert any(data.startswith(b"\xef\xbb\xbf") for data in texts)
    assert sum(not data.endswith(b"\n") for data in texts) > len(texts) * 0.7
    joined = "\n".join(text_of(item) for item in good)
    for marker in (
        "\n\nRead: ",
        "\n\nRead more: ",
        "--With assistance from ",
        "To contact the reporter on this story: ",
        "To contact the editors responsible for this story: ",
        "For more articles like this, please visit us at bloomberg.com",
        "(Reporting by ",
        "(c) Copyright Thomson Reuters ",
        ", PT $",
        "\n\n• ",
        "(Recasts, adds ",
        "of story published ",
        "throughout.)",
    ):
        assert marker in joined, marker
    assert re.search(r"in (?:the )?1\dth paragraph", joined)
    assert re.search(r"\n\n\(Updates with [^\n]+ in (?:the )?(?:second|third|fourth|fifth)", joined)


def test_sizes_and_names_are_reasonable(corpus: list[GeneratedFile]) -> None:
    sizes = [len(item.data) for item in corpus if item.expected_reject is None]
    assert min(sizes) > 700
    assert max(sizes) < 14_000
    assert 2_500 < statistics.mean(sizes) < 5_500
    assert len({item.name for item in corpus}) == len(corpus)
    for index, item in enumerate(corpus):
        match = NAME.fullmatch(item.name)
        assert match is not None, item.name
        assert int(match.group(2)) == index
        assert int(match.group(1)) == index // 1000


def test_summary_counts_match_files(corpus: list[GeneratedFile]) -> None:
    summary = summarize(corpus)
    assert summary.files == 6000
    assert summary.good + sum(summary.rejected.values()) == summary.files
    assert summary.stories == len({f.story_key for f in corpus if f.expected_reject is None})
    assert summary.stories + summary.versions == summary.good
    assert summary.bytes == sum(len(f.data) for f in corpus)


def test_write_corpus_writes_what_it_reports(tmp_path: Path) -> None:
    summary = write_corpus(tmp_path / "out", 1500, seed=4)
    written = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert len(written) == 1500
    assert {p.parent.name for p in written} == {"000", "001"}
    expected = list(generate_stories(1500, seed=4))
    directory = str(tmp_path / "out")
    assert summary == replace(summarize(expected), seconds=summary.seconds, directory=directory)
    for item in expected[::97]:
        assert (tmp_path / "out" / item.name).read_bytes() == item.data
    assert summary.files_per_second > 0


def test_cli_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "cli"), "--count", "120", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "files      120" in out
    assert "rejected   1 (" in out
    assert len(list((tmp_path / "cli").rglob("*.txt"))) == 120


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        list(generate_stories(-1))
    with pytest.raises(ValueError):
        list(generate_stories(10, malformed_share=1.5))
    with pytest.raises(ValueError):
        list(generate_stories(10, versions_share=-0.1))
    with pytest.raises(ValueError, match="forwards"):
        list(generate_stories(10, days=(date(2024, 2, 2), date(2024, 2, 1))))


def test_every_template_slot_is_filled_by_the_context() -> None:
    """A typo in a rarely drawn template would otherwise only fail deep into a big run."""
    ctx, _ = sg._Writer(sg.random.Random(0))._context(date(2020, 3, 4))
    templates = [
        text for topic in sg._TOPICS for text in (*topic.headlines, *topic.leads, *topic.details)
    ]
    templates += [text for pool in sg._POOLS.values() for text, _ in pool]
    templates += [*sg._RATING_COMMENTS, *(t for things in sg._NOTE_THINGS.values() for t in things)]
    formatter = string.Formatter()
    for text in templates:
        for _, name, _, _ in formatter.parse(text):
            assert name is None or name in ctx, (name, text)
    assert len(templates) >= 250


def test_invented_lists_are_big_enough() -> None:
    assert len(sg.PEOPLE) == 300 == len(set(sg.PEOPLE))
    assert len(sg.COMPANIES) == 200 == len({c.short for c in sg.COMPANIES})


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**40), count=st.integers(min_value=1, max_value=90))
def test_invariants_hold_for_any_seed(seed: int, count: int) -> None:
    files = list(generate_stories(count, seed=seed, malformed_share=0.1))
    assert len(files) == count
    assert abs(sum(1 for f in files if f.expected_reject) - count * 0.1) <= 1
    for item in files:
        if item.expected_reject is None:
            assert HEADER.fullmatch(text_of(item).split("\n", 1)[0])
            assert MIN_WORDS <= story_words(item) <= MAX_WORDS
        elif item.expected_reject == "not_utf8":
            with pytest.raises(UnicodeDecodeError):
                item.data.decode("utf-8")


def test_the_parser_accepts_good_files_and_rejects_malformed_ones_for_their_reason() -> None:
    """Through ``flows.parse`` itself, so benchmark figures count what the pipeline would load."""
    from flows.story.parse import ParsedStory, Rejection, decode, parse_story

    files = list(generate_stories(3000, seed=23, malformed_share=0.02))
    outcomes: Counter[tuple[str | None, str]] = Counter()
    for item in files:
        decoded = decode(item.data)
        result = parse_story(decoded) if isinstance(decoded, str) else decoded
        if item.expected_reject is None:
            assert isinstance(result, ParsedStory), (item.name, result)
            assert result.story_paragraphs and result.headline == headline(item)
            # Notes cite paragraphs as the parser numbers them (plugs, links and the
            # 'Firm, Analyst' lines of rating blocks are not numbered).
            numbered = len(result.numbered_paragraphs)
            refs = [ref for placed in result.notes for ref in placed.note.paragraph_refs]
            assert all(1 <= ref <= numbered for ref in refs), (item.name, refs, numbered)
        else:
            assert isinstance(result, Rejection), item.name
            assert result.reason == item.expected_reject, (item.name, result)
        outcomes[(item.expected_reject, type(result).__name__)] += 1
    assert outcomes[(None, "ParsedStory")] == 3000 - 60
    assert {code for code, _ in outcomes if code} == set(REJECT_CODES)
