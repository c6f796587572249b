"""A small benchmark run completes and prints every figure (no timing is asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.benchmark import main

FIGURES = (
    "discover",
    "read+hash",
    "parse",
    "entities",
    "tables + Parquet",
    "validate (GX)",
    "load (+ publish)",
    "flow total",
    "command wall",
    "I/O: read every file",
    "DuckDB read_",
    "parser alone, one core",
    "entity extractor alone",
    "plain spaCy nlp.pipe",
    "a command running an empty flow",
    "before the flow body",
    "read+hash / I/O floor",
    "entities stage / extractor alone",
    "extractor alone / plain spaCy",
    "outside entities / extractor alone",
    "parse + Parquet + validate + load",
    "rerun, no new files",
    "new files (1%)",
    "flow body",
    "full load, process tree",
    "news.duckdb",
    "Parquet snapshot",
)


def test_small_benchmark_prints_every_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench"
    # Entities of one story in ten (scaled up in the figures): spaCy would take minutes here.
    arguments = ["--count", "200", "--seed", "3", "--out", str(out)]
    assert main([*arguments, "--entities", "sample", "--sample-every", "10"]) == 0
    printed = capsys.readouterr().out
    for figure in FIGURES:
        assert figure in printed, figure
    assert "full load: 200 files, " in printed
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["full"]["result"]["accounting"]["files_rejected"] == 2
    assert results["rerun"]["result"]["accounting"]["files_new"] == 0
    assert results["increment"]["result"]["accounting"]["files_new"] == 2
    assert results["full"]["peak_tree_rss"] > 0
