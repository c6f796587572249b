"""Memory a stage freed goes back to the operating system before the next stage."""

from __future__ import annotations

import gc

import psutil
import pytest

from flows import memory
from flows.orchestration import progress
from flows.settings import Settings


@pytest.mark.skipif(memory._libc() is None, reason="needs glibc's malloc_trim")
def test_give_back_returns_a_fragmented_heap() -> None:
    process = psutil.Process()
    # Objects over 512 bytes come from malloc: freeing 49 in 50 of them leaves every page of
    # the heap in use by something, so glibc keeps ~200 MB until it is asked to trim.
    blocks = [bytes(1000) + number.to_bytes(8, "little") for number in range(200_000)]
    kept = blocks[::50]
    del blocks
    gc.collect()
    before = process.memory_info().rss
    memory.give_back()
    after = process.memory_info().rss
    assert before - after > 100 * 1024 * 1024, (before, after)
    assert len(kept) == 4_000


def test_a_task_result_of_many_items_is_linked_to_prefect_once(prefect_server: None) -> None:
    """Prefect keeps an entry per element of a returned list until the flow run ends."""
    from prefect import flow, task
    from prefect.context import FlowRunContext

    from flows.orchestration.runners import Results

    @task
    def as_list() -> list[str]:
        return [f"story {number}" for number in range(2_000)]

    @task
    def as_results() -> Results[str]:
        return Results([f"story {number}" for number in range(2_000)])

    @flow
    def entries_after(step: str) -> int:
        kept = as_list() if step == "list" else as_results().items
        context = FlowRunContext.get()
        assert context is not None and len(kept) == 2_000
        return len(context.run_results)

    assert entries_after("list") >= 2_000  # what read, parse and entities returned before
    assert entries_after("results") <= 5


class FreezeWatch(progress.Progress):
    """A silent reporter noting how many objects were frozen when each stage began, and
    whether the cyclic GC was on."""

    def __init__(self) -> None:
        super().__init__()
        self.frozen: dict[str, int] = {}
        self.collecting: dict[str, bool] = {}

    def stage(self, name: str, total: int | None = None, unit: str = "files") -> None:
        self.frozen.setdefault(name, gc.get_freeze_count())
        self.collecting.setdefault(name, gc.isenabled())
        super().stage(name, total, unit)


def test_start_up_objects_are_frozen_only_while_a_run_reads_files(
    settings: Settings, prefect_server: None
) -> None:
    from prefect import flow

    from flows.pipeline import run_pipeline

    @flow(validate_parameters=False)
    def run() -> None:
        run_pipeline(settings)

    previous = progress.current()
    watches = [FreezeWatch(), FreezeWatch()]
    try:
        for watch in watches:  # the seeds, then a rerun that reads nothing
            progress.use(watch)
            run()
    finally:
        progress.use(previous)
    loading, rerun = (watch.frozen for watch in watches)
    assert loading["discover"] == 0 and loading["validate"] > 0 and loading["load"] > 0
    assert "validate" not in rerun and rerun["load"] == 0  # no collection, no freeze
    assert gc.get_freeze_count() == 0  # unfrozen at the end of each run
    # Collections pause while a chunk is staged and run again for validation and the load.
    staged = ("read_hash", "parse", "entities")
    assert not any(watches[0].collecting[name] for name in staged)
    assert watches[0].collecting["validate"] and watches[0].collecting["load"]
    assert gc.isenabled()


def test_collections_pause_only_inside_and_resume_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), memory.collections_paused():
        assert not gc.isenabled()
        raise RuntimeError("a chunk failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with memory.collections_paused():
            pass
        assert not gc.isenabled()  # left off by whoever turned it off
    finally:
        gc.enable()
