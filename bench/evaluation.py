"""Measure the real parser against a corpus with a gold file: ``make eval`` (``python -m
bench.evaluation --corpus DIR --gold FILE``).

The gold file is JSON lines, one object per story file: ``file`` (path relative to the corpus),
``date``, ``headline`` and ``update_notes`` (each with ``paragraph``, its 1-based position among
all paragraphs after the header, ``text``, ``actions`` and ``paragraph_refs``, null where the note
names no numbered paragraph). Nothing read here is written anywhere: corpora may be licensed for
evaluation only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.story.parse import ParsedStory, Rejection, decode, parse_story

STORY_SUFFIX = ".txt"
# Parse the corpus this many times for the speed figure, and keep the best round: the
# machine is shared, and the best round is the one least disturbed by other processes.
SPEED_ROUNDS = 5


@dataclass
class Rate:
    """A count of hits out of a total, printed as a ratio."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        """Count one case."""
        self.total += 1
        self.hits += int(hit)

    @property
    def value(self) -> float:
        """The hit rate; 1.0 when there was nothing to count."""
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.value:.4f} ({self.hits}/{self.total})"


@dataclass
class ParseEvaluation:
    """Every figure of one evaluation run, and the disagreements behind them."""

    files: int = 0
    parsed: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    gold_files: int = 0
    missing_files: int = 0
    headline: Rate = field(default_factory=Rate)
    date: Rate = field(default_factory=Rate)
    notes_true_positive: int = 0
    notes_false_positive: int = 0
    notes_false_negative: int = 0
    actions: Rate = field(default_factory=Rate)
    refs: Rate = field(default_factory=Rate)
    articles_per_second: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Of the notes the parser found, the share the gold file has."""
        found = self.notes_true_positive + self.notes_false_positive
        return self.notes_true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        """Of the gold notes, the share the parser found."""
        gold = self.notes_true_positive + self.notes_false_negative
        return self.notes_true_positive / gold if gold else 1.0

    def lines(self) -> list[str]:
        """The report, one figure per line."""
        reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(self.rejected.items()))
        gold_notes = self.notes_true_positive + self.notes_false_negative
        found_notes = self.notes_true_positive + self.notes_false_positive
        out = [
            f"files: {self.files}  parsed: {self.parsed}  "
            f"rejected: {sum(self.rejected.values())}" + (f" ({reasons})" if reasons else ""),
        ]
        if self.gold_files:
            out += [
                f"gold rows: {self.gold_files}  missing from corpus: {self.missing_files}",
                f"headline exact: {self.headline}",
                f"date exact: {self.date}",
                f"update notes: gold {gold_notes}  found {found_notes}  "
                f"precision {self.precision:.4f}  recall {self.recall:.4f}",
                f"actions exact: {self.actions}",
                f"paragraph refs exact (gold notes naming paragraphs): {self.refs}",
            ]
        out.append(
            f"speed: {self.articles_per_second:,.0f} articles/s "
            f"(parser alone, one core: CPU time, best of {SPEED_ROUNDS} passes)"
        )
        return out


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The gold rows, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def corpus_files(corpus: Path) -> list[Path]:
    """Every story file under the corpus folder, sorted."""
    return sorted(p for p in corpus.rglob(f"*{STORY_SUFFIX}") if p.is_file())


def evaluate_parse(
    corpus: Path, gold: Sequence[dict[str, Any]] | None = None, rounds: int = SPEED_ROUNDS
) -> ParseEvaluation:
    """Parse every corpus file with the real parser and compare with the gold rows, if any."""
    result = ParseEvaluation()
    texts: list[str] = []
    stories: dict[str, ParsedStory] = {}
    for path in corpus_files(corpus):
        relative = path.relative_to(corpus).as_posix()
        result.files += 1
        decoded = decode(path.read_bytes())
        parsed = decoded if isinstance(decoded, Rejection) else parse_story(decoded)
        if isinstance(parsed, Rejection):
            result.rejected[parsed.reason] += 1
            result.problems.append(f"REJECTED {relative}: {parsed.reason}: {parsed.detail}")
            continue
        assert isinstance(decoded, str)
        result.parsed += 1
        texts.append(decoded)
        stories[relative] = parsed
    for row in gold or ():
        _compare(result, row, stories.get(row["file"]))
    result.articles_per_second = parse_speed(texts, rounds)
    return result


def parse_speed(texts: Sequence[str], rounds: int = SPEED_ROUNDS) -> float:
    """Articles per CPU second of ``parse_story`` alone, best of ``rounds`` passes."""
    if not texts or rounds < 1:
        return 0.0
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for text in texts:
            parse_story(text)
        best = min(best, time.process_time() - started)
    return len(texts) / best if best > 0 else float("inf")


def _compare(result: ParseEvaluation, row: dict[str, Any], story: ParsedStory | None) -> None:
    """Score one gold row against the parser's story (None: missing or rejected)."""
    result.gold_files += 1
    name = row["file"]
    gold_notes = row.get("update_notes") or []
    if story is None:
        result.missing_files += 1
        result.headline.add(False)
        result.date.add(False)
        result.notes_false_negative += len(gold_notes)
        return
    result.headline.add(story.headline == row["headline"])
    if story.headline != row["headline"]:
        result.problems.append(f"HEADLINE {name}: {story.headline!r} gold {row['headline']!r}")
    result.date.add(story.published_date.isoformat() == row["date"])
    if story.published_date.isoformat() != row["date"]:
        result.problems.append(f"DATE {name}: {story.published_date} gold {row['date']}")

    found = {placed.position: placed.note for placed in story.notes}
    by_text = {" ".join(placed.note.text.split()): placed.position for placed in story.notes}
    for gold in gold_notes:
        # Match by position; by text when the parser split paragraphs differently.
        position = gold["paragraph"]
        if position not in found:
            position = by_text.get(" ".join(str(gold.get("text", "")).split()), position)
        note = found.pop(position, None)
        if note is None:
            result.notes_false_negative += 1
            result.problems.append(f"MISSED {name}:{gold['paragraph']} {gold.get('text', '')}")
            continue
        result.notes_true_positive += 1
        result.actions.add(list(note.actions) == gold["actions"])
        if list(note.actions) != gold["actions"]:
            result.problems.append(
                f"ACTIONS {name}:{position} {list(note.actions)} gold {gold['actions']} "
                f"{note.text[:100]}"
            )
        if gold["paragraph_refs"] is not None:
            result.refs.add(list(note.paragraph_refs) == gold["paragraph_refs"])
            if list(note.paragraph_refs) != gold["paragraph_refs"]:
                result.problems.append(
                    f"REFS {name}:{position} {list(note.paragraph_refs)} "
                    f"gold {gold['paragraph_refs']} {note.text[:100]}"
                )
    for position, note in sorted(found.items()):
        result.notes_false_positive += 1
        result.problems.append(f"EXTRA {name}:{position} {note.text[:120]}")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse every ``*.txt`` under the corpus with the real parser and print the figures."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.evaluation",
        description=(
            "Parse every *.txt under CORPUS with the real parser and print files parsed and "
            "rejected by reason, headline and date exact-match rates, update-note precision and "
            "recall, action and paragraph-reference accuracy, and parser speed."
        ),
    )
    parser.add_argument("--corpus", type=Path, required=True, help="folder of story files")
    parser.add_argument(
        "--gold", type=Path, help="JSON-lines gold file (file, date, headline, update_notes)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="also list every disagreement")
    arguments = parser.parse_args(argv)
    if not arguments.corpus.is_dir():
        print(f"evaluation: corpus folder does not exist: {arguments.corpus}", file=sys.stderr)
        return 1
    if arguments.gold is not None and not arguments.gold.is_file():
        print(f"evaluation: gold file does not exist: {arguments.gold}", file=sys.stderr)
        return 1
    gold = load_gold(arguments.gold) if arguments.gold is not None else None
    result = evaluate_parse(arguments.corpus, gold)
    if arguments.verbose:
        print("\n".join(result.problems))
    print("\n".join(result.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
