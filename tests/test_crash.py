"""Crash safety: real runs SIGKILLed in every stage, then a rerun, against an uninterrupted run.

Each run is a ``newswire run`` process (forked warm, see ``forkserver_preload``) over a few
hundred invented stories. A test hook (``flows.faults``, inert in production) makes it stop at
a named point and say so; the test then SIGKILLs its whole process group. After every kill
each store must be as before the run or as after it, the Parquet store must hold only whole
files, and the next run must finish the work so every table equals the uninterrupted run's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from production_support import (
    Contents,
    Launcher,
    database_contents,
    file_digest,
    leftovers,
    parquet_contents,
)

from bench.story_generator import write_corpus
from flows import faults
from flows.pipeline import newswire_run

pytestmark = [pytest.mark.usefixtures("prefect_server"), pytest.mark.slow]

CORPUS_FILES = 200
LATE_FILES = 24  # held back from the first load, so a killed run has real work to lose
# One kill per stage at least (discover, read_hash, parse, entities, parquet, validate, load
# and publish), in the order a run passes them; the last kills between the two swaps.
KILL_POINTS = (
    "discover",
    "read_hash",
    "parse",
    "entities",
    "parquet",
    "validate",
    "load",
    "record",
    "export",
    "publish.database",
)
BEFORE_DATABASE_SWAP = KILL_POINTS[: KILL_POINTS.index("publish.database")]


@pytest.fixture(scope="module")
def corpus_and_states(
    tmp_path_factory: pytest.TempPathFactory, prefect_server: None
) -> tuple[Path, Path, Path]:
    """The corpus, a warehouse holding its first files (before), and one holding all (after)."""
    root = tmp_path_factory.mktemp("crash")
    corpus = root / "corpus"
    write_corpus(corpus, CORPUS_FILES, seed=11)
    late = sorted(corpus.rglob("*.txt"))[-LATE_FILES:]
    held = root / "held"
    for path in late:  # os.replace keeps the modification time the runs compare
        target = held / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    after = root / "after"
    newswire_run(input_dir=str(corpus), warehouse_dir=str(after))
    before = root / "before"
    shutil.copytree(after, before, symlinks=True)
    for path in late:
        os.replace(held / path.relative_to(corpus), path)
    newswire_run(input_dir=str(corpus), warehouse_dir=str(after))
    return corpus, before, after


def test_killed_runs_leave_each_store_before_or_after_and_a_rerun_converges(
    corpus_and_states: tuple[Path, Path, Path], launcher: Launcher, tmp_path: Path
) -> None:
    corpus, before_warehouse, after_warehouse = corpus_and_states
    before: Contents = database_contents(before_warehouse / "news.duckdb")
    after: Contents = database_contents(after_warehouse / "news.duckdb")
    assert before != after
    assert parquet_contents(after_warehouse) == after
    warehouse = tmp_path / "warehouse"
    shutil.copytree(before_warehouse, warehouse, symlinks=True)

    for number, point in enumerate(KILL_POINTS):
        database_digest = file_digest(warehouse / "news.duckdb")
        parquet_before = parquet_contents(warehouse)
        signals = tmp_path / f"signals-{number}"
        run = launcher.run(corpus, warehouse, signals, **{faults.PAUSE_ENV: point})
        run.wait_for(f"{point}.reached")
        run.kill()
        if point != "discover":  # from here on the run has made a copy that it never published
            assert leftovers(warehouse), point

        parquet_now = parquet_contents(warehouse)  # also checks that every file is whole
        if point in BEFORE_DATABASE_SWAP:
            assert file_digest(warehouse / "news.duckdb") == database_digest, point
            assert parquet_now == parquet_before == before, point
        else:
            # Killed between the two swaps: each store is whole, DuckDB after, Parquet before.
            assert database_contents(warehouse / "news.duckdb") == after, point
            assert parquet_now == before, point

    newswire_run(input_dir=str(corpus), warehouse_dir=str(warehouse))

    assert database_contents(warehouse / "news.duckdb") == after
    assert parquet_contents(warehouse) == after
    assert leftovers(warehouse) == []
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        runs = connection.execute(
            "select status, files_seen, files_new, files_skipped, files_rejected, "
            "articles_loaded from pipeline_runs"
        ).fetchall()
        articles = connection.execute("select count(*) from articles").fetchall()[0][0]
    assert {status for status, *_ in runs} == {"success"}
    for _, seen, new, skipped, rejected, _ in runs:
        assert seen == new + skipped + rejected
    # Every article was counted by exactly one published run: none lost, none loaded twice.
    assert sum(row[5] for row in runs) == articles
