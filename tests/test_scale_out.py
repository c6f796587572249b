"""Scale-out: parse and entities on a Dask LocalCluster give the default runner's tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from production_support import database_contents, parquet_contents

from flows import faults
from flows.orchestration.runners import ChunkRunner, split_evenly
from flows.pipeline import newswire_run
from flows.settings import DEFAULT_INPUT as SEEDS

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_chunks_are_contiguous_cover_everything_and_none_is_empty() -> None:
    items = list(range(11))
    for count in (1, 2, 3, 4, 11, 50):
        pieces = split_evenly(items, count)
        assert [x for piece in pieces for x in piece] == items
        assert all(pieces) and len(pieces) <= count
    assert split_evenly([], 4) == []
    with pytest.raises(ValueError, match="unknown runner"):
        ChunkRunner("spark")


def test_dask_local_cluster_gives_the_default_runners_tables(
    seed_reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every process that passes a hook point writes '<point>.passed' with its pid: the parse
    # and entities chunks must have been run by the cluster's worker processes, not this one.
    signals = tmp_path / "signals"
    monkeypatch.setenv(faults.SIGNAL_ENV, str(signals))
    warehouse = tmp_path / "warehouse"

    newswire_run(input_dir=str(SEEDS), warehouse_dir=str(warehouse), runner="dask", dask_workers=2)

    for point in ("parse", "entities"):
        pid = int((signals / f"{point}.passed").read_text())
        assert pid != os.getpid(), f"{point} ran in the flow's process, not on a Dask worker"
    assert int((signals / "discover.passed").read_text()) == os.getpid()
    reference = database_contents(seed_reference / "news.duckdb")
    assert database_contents(warehouse / "news.duckdb") == reference
    assert parquet_contents(warehouse) == reference
