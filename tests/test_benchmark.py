"""A small benchmark run completes and prints every figure (no timing is asserted)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench.benchmark import main, use_prefect

FIGURES = (
    "discover",
    "read+hash",
    "parse",
    "entities",
    "tables + Parquet",
    "validate (GX)",
    "load (what validate left) + publish",
    "(load statements, beside validate)",
    "flow total",
    "command wall",
    "Prefect API: http",
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
    "command wall / plain spaCy",
    "outside entities / extractor alone",
    "parse + Parquet + validate + load",
    "rerun, no new files",
    "new files (1%) dated across the archive",
    "new files (1%) of the archive's last 7 days",
    "flow body",
    "full load, process tree",
    "peak RSS by stage",
    "news.duckdb",
    "Parquet snapshot",
    "entities stage, full load",
    "entities stage, full refresh",
    "full load / full refresh (entities)",
)


def test_small_benchmark_prints_every_figure(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    prefect_api_url: str,
) -> None:
    # Every command talks to one real Prefect server, as newswire run does with the local one.
    monkeypatch.setenv("PREFECT_API_URL", prefect_api_url)
    out = tmp_path / "bench"
    # Entities of one story in ten (scaled up in the figures): spaCy would take minutes here.
    arguments = ["--count", "200", "--seed", "3", "--out", str(out), "--repeat", "2"]
    arguments.append("--full-refresh-check")
    assert main([*arguments, "--entities", "sample", "--sample-every", "10"]) == 0
    printed = capsys.readouterr().out
    for figure in FIGURES:
        assert figure in printed, figure
    assert "full load: 200 files, " in printed
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["full"]["result"]["accounting"]["files_rejected"] == 2
    assert results["rerun"]["result"]["accounting"]["files_new"] == 0
    assert results["increment"]["result"]["accounting"]["files_new"] == 2
    # The refresh rebuilt every data table as it was, from the span cache.
    assert results["refresh"]["result"]["status"] == "success"
    assert results["checksums_after"] == results["checksums_before"]
    assert set(results["checksums_after"]) >= {"entity_mentions", "entity_aliases", "ner_spans"}
    assert "data tables before / after the refresh" in printed and "identical" in printed
    assert results["daily"]["result"]["accounting"]["files_seen"] == 204
    assert results["full"]["peak_tree_rss"] > 0
    assert results["full"]["result"]["background_seconds"]["load"] > 0
    peaks = results["full"]["result"]["stage_peak_rss"]
    assert {"discover", "parse", "validate", "load"} <= set(peaks), peaks
    # Sampled, so at most the kernel's high-water mark (whose per-thread counters lag a little).
    assert max(peaks.values()) <= results["full"]["peak_main_rss"] * 1.01
    # The empty flow and the rerun ran twice each; the lower of the two is reported.
    assert "median of 2 commands" in printed
    assert len(results["rerun_walls"]) == len(results["prefect_noop_walls"]) == 2
    assert results["rerun"]["wall_seconds"] == min(results["rerun_walls"])


def test_a_child_reports_its_own_peak_not_its_parents(tmp_path: Path) -> None:
    """Linux carries ``ru_maxrss`` over fork and exec; the benchmark's figure must not."""
    import subprocess
    import sys

    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(range(0, len(ballast), 4096))  # touch every page
    script = (
        "import resource\n"
        "from bench.benchmark import own_peak_rss\n"
        "print(own_peak_rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    own, inherited = (int(value) for value in output.split())
    assert inherited >= len(ballast)  # what the old figure said
    assert own < 200 * 1024 * 1024
    del ballast


def test_repeat_must_be_at_least_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--count", "10", "--out", str(tmp_path / "bench"), "--repeat", "0"]) == 1
    assert "--repeat must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "bench").exists()  # refused before anything ran


def test_prefect_modes_name_the_api_every_command_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert use_prefect("server").startswith("http://127.0.0.1:9/api")
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"
    assert use_prefect("ephemeral").startswith("ephemeral")
    assert "PREFECT_API_URL" not in os.environ
