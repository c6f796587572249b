"""Every error-level row expectation rejects only the stories that break it, on the production
path: a batch broken in one story (the broken cases of tests/test_dq_suites.py) is staged as
Parquet, validated (GX), its rejected stories are taken out (``remove_stories``), versions and
run-wide tables are staged again (``finish_batch``), and the rest passes a second validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from batches import Batch, staged_tables
from test_dq_suites import CASES, SUITES, Case, good, later  # noqa: F401 - fixtures

from flows.batch.incremental import Accounting, Manifest
from flows.batch.staging import (
    CHUNK_TABLES,
    RUN_FILE,
    RUN_TABLES,
    BatchCollector,
    StagedBatch,
    finish_batch,
    remove_stories,
)
from flows.batch.tables import BatchContext
from flows.batch.versions import LoadedVersions, version_key, version_keys_table
from flows.quality.results import story_rejections
from flows.quality.suites import describe, validate_batch
from flows.settings import EXPECTATIONS_DIR
from flows.store.parquet import write_table_atomic

pytestmark = pytest.mark.slow

TODAY = date(2024, 6, 1)
ROW = {
    (frame, describe(e)): e["meta"]["reason"]
    for frame, suite in SUITES.items()
    for e in suite["expectations"]
    if e["meta"].get("scope") == "row"
}
ROW_CASES = [c for c in CASES if (c.frame, c.expectation) in ROW]


def stage(batch: Batch, folder: Path) -> tuple[StagedBatch, BatchCollector]:
    """The batch as a run leaves it after its last chunk: one staged chunk, its run tables,
    and the collector's keys, entities and counts."""
    staged = StagedBatch(folder)
    for name in CHUNK_TABLES:
        write_table_atomic(batch.tables[name], folder / name / "00001.parquet")
    for name in RUN_TABLES:
        write_table_atomic(batch.tables[name], folder / name / RUN_FILE)
    collector = BatchCollector(
        Manifest(), BatchContext("run-test", __import__("datetime").datetime(2024, 1, 2))
    )
    collector.version_key_chunks = [version_keys_table([version_key(s) for s in batch.stories])]
    entities = batch.tables["entities"].to_pylist()
    collector.entities = {
        e["entity_id"]: (e["name"], e["entity_type"], set(e["aliases"])) for e in entities
    }
    counts = batch.accounting
    collector.accounting = Accounting(
        counts["files_seen"],
        counts["files_new"],
        counts.get("files_duplicate", counts["files_skipped"]),
        counts.get("files_unchanged", 0),
        counts["files_rejected"],
    )
    collector.articles = batch.tables["articles"].num_rows
    return staged, collector


def test_every_row_expectation_has_a_case() -> None:
    covered = {(c.frame, c.expectation) for c in ROW_CASES}
    assert set(ROW) - covered == set()


@pytest.mark.parametrize("case", ROW_CASES, ids=[c.id for c in ROW_CASES])
def test_a_story_that_breaks_a_row_expectation_is_rejected_and_the_rest_passes(
    case: Case, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    batch: Batch = case.edit(request.getfixturevalue(case.base))
    try:
        staged, collector = stage(batch, tmp_path / "staged")
    except pa.ArrowInvalid as error:  # a null the staged schema refuses never reaches GX
        pytest.skip(f"cannot be staged as Parquet: {error}")

    first = validate_batch(staged, collector.accounting.as_dict(), EXPECTATIONS_DIR, TODAY)
    rejections = story_rejections(first.results)
    assert rejections, [r for r in first.results if not r.success]
    reasons_found = {r.reason for r in first.results if r.rejects_stories}
    assert ROW[(case.frame, case.expectation)] in reasons_found
    reasons = {a: (str(r.reason), r.expectation) for a, r in rejections.items()}
    files = remove_stories(staged, collector, reasons)
    finish_batch(
        staged,
        collector,
        collector.version_keys(),
        LoadedVersions(),
        staged.read_run_table("unchanged_files"),
    )

    second = validate_batch(staged, collector.accounting.as_dict(), EXPECTATIONS_DIR, TODAY)
    assert [r for r in second.results if r.blocks_load] == []
    tables = staged_tables(staged)
    kept = set(tables["articles"].column("article_id").to_pylist())
    assert not kept & set(rejections)
    rejected = tables["rejected_files"].filter(
        pa.compute.starts_with(tables["rejected_files"].column("reason"), "dq_")
    )
    assert rejected.num_rows == files >= len(rejections)
