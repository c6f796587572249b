"""The parser evaluation (``make eval``): its figures for a small invented corpus and gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.evaluation import evaluate_parse, load_gold, main

STORIES = {
    "a.txt": (
        " date 2021-05-04 Quarry Reopens After Flood\n\n"
        "(Bloomberg) -- A limestone quarry reopened on Tuesday.\n\n"
        "Pumps cleared the pit in nine days.\n\n"
        "Output will recover by June, the owner said.\n\n"
        "(Updates with output forecast in third paragraph.)\n\n"
        "©2021 Bloomberg L.P."
    ),
    "b.txt": (
        " date 2021-05-05 Glass Maker Cuts Jobs\n\n"
        "(Corrects plant name in second paragraph)\n\n"
        "LYON, May 5 (Reuters) - A glass maker cut 200 jobs.\n\n"
        "The Vaulx plant will close in July.\n\n"
        "(Reporting by Lou Marchand; Editing by Ed Vance)"
    ),
    "sub/c.txt": (
        " date 2021-05-06 Ferry Strike Ends\n\n"
        "(Bloomberg) -- Ferry crews ended their strike.\n\n"
        "(Buy, PT $9)\n\n"
        "Services resume Friday."
    ),
    "empty.txt": "",
    "no-header.txt": "(Bloomberg) -- A story body without its header line.",
}
GOLD = [
    {
        "file": "a.txt",
        "date": "2021-05-04",
        "headline": "Quarry Reopens After Flood",
        "update_notes": [
            {
                "paragraph": 4,
                "text": "(Updates with output forecast in third paragraph.)",
                "actions": ["update"],
                "paragraph_refs": [3],
            }
        ],
    },
    {
        # The gold disagrees with the file on the headline and on the note's actions and refs.
        "file": "b.txt",
        "date": "2021-05-05",
        "headline": "Glassmaker Cuts Jobs",
        "update_notes": [
            {
                "paragraph": 1,
                "text": "(Corrects plant name in second paragraph)",
                "actions": ["correct", "update"],
                "paragraph_refs": [3],
            }
        ],
    },
    {
        # The gold calls the rating a note: a false negative for the parser.
        "file": "sub/c.txt",
        "date": "2021-05-07",
        "headline": "Ferry Strike Ends",
        "update_notes": [
            {"paragraph": 2, "text": "(Buy, PT $9)", "actions": ["update"], "paragraph_refs": None}
        ],
    },
]


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "corpus"
    for name, text in STORIES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(row) + "\n" for row in GOLD), encoding="utf-8")
    return folder, gold


def test_figures_against_the_gold_file(corpus: tuple[Path, Path]) -> None:
    folder, gold = corpus
    result = evaluate_parse(folder, load_gold(gold), rounds=1)
    assert (result.files, result.parsed) == (5, 3)
    assert dict(result.rejected) == {"empty": 1, "no_header": 1}
    assert (result.headline.hits, result.headline.total) == (2, 3)
    assert (result.date.hits, result.date.total) == (2, 3)
    assert (result.notes_true_positive, result.notes_false_positive) == (2, 0)
    assert result.notes_false_negative == 1
    assert (result.precision, round(result.recall, 4)) == (1.0, 0.6667)
    assert (result.actions.hits, result.actions.total) == (1, 2)
    assert (result.refs.hits, result.refs.total) == (1, 2)
    assert result.articles_per_second > 0
    assert any(line.startswith("HEADLINE b.txt") for line in result.problems)
    assert any(line.startswith("MISSED sub/c.txt:2") for line in result.problems)


def test_notes_found_where_the_gold_has_none_lower_precision(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, _ = corpus
    gold = tmp_path / "no-notes.jsonl"
    rows = [{**row, "update_notes": []} for row in GOLD]
    gold.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = evaluate_parse(folder, load_gold(gold), rounds=1)
    assert (result.notes_false_positive, result.precision, result.recall) == (2, 0.0, 1.0)


def test_command_prints_every_figure(
    corpus: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, gold = corpus
    assert main(["--corpus", str(folder), "--gold", str(gold)]) == 0
    out = capsys.readouterr().out
    assert "files: 5  parsed: 3  rejected: 2 (empty 1, no_header 1)" in out
    assert "headline exact: 0.6667 (2/3)" in out
    assert "date exact: 0.6667 (2/3)" in out
    assert "precision 1.0000  recall 0.6667" in out
    assert "actions exact: 0.5000 (1/2)" in out
    assert "paragraph refs exact (gold notes naming paragraphs): 0.5000 (1/2)" in out
    assert "articles/s" in out


def test_command_without_gold_and_with_a_missing_corpus(
    corpus: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = corpus
    assert main(["--corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "files: 5  parsed: 3" in out and "headline" not in out
    assert main(["--corpus", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err
