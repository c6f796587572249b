"""The tables a run builds, every column of every row, stay what they are until a change means
to alter them.

Invented stories (``bench.story_generator``, fixed seed) and the bundled seeds are loaded in two
runs (the second adds held-back files, so versions are renumbered across runs), and each data
table's row count and content checksum (``bench.table_checksums``: volatile columns such as
run ids and timestamps left out) must equal ``tests/golden/tables.json``. That file was first
written by the code before the package was reorganised by role, so this test is the
before/after equality check of that change, and keeps guarding it. A change that alters the
tables on purpose rewrites the file and says why in its commit::

    NEWSWIRE_WRITE_GOLDEN=1 .venv/bin/pytest tests/test_same_tables.py
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.story_generator import write_corpus
from bench.table_checksums import table_checksums
from flows.pipeline import newswire_run
from flows.settings import DEFAULT_INPUT as SEEDS

pytestmark = pytest.mark.usefixtures("prefect_server")

GOLDEN = Path(__file__).parent / "golden" / "tables.json"
STORIES, SEED, HELD_BACK = 150, 23, 25


def build_twice(root: Path, run: Callable[[Path, Path], object]) -> Path:
    """The corpus in two runs: all but the last ``HELD_BACK`` files, then all of them."""
    corpus = root / "input"
    write_corpus(corpus / "generated", STORIES, seed=SEED)
    shutil.copytree(SEEDS, corpus / "seeds")
    held = root / "held"
    late = sorted(corpus.rglob("*.txt"))[-HELD_BACK:]
    for path in late:
        target = held / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    warehouse = root / "warehouse"
    run(corpus, warehouse)
    for path in late:
        os.replace(held / path.relative_to(corpus), path)
    run(corpus, warehouse)
    return warehouse


def test_every_table_equals_the_golden_checksums(tmp_path: Path) -> None:
    warehouse = build_twice(
        tmp_path, lambda i, w: newswire_run(input_dir=str(i), warehouse_dir=str(w))
    )
    found = {
        table: {"rows": rows, "checksum": digest}
        for table, (rows, digest) in table_checksums(warehouse / "news.duckdb").items()
    }
    if os.environ.get("NEWSWIRE_WRITE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))
