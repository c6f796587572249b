"""The helper process that works out the next chunk's story facts (``flows.batch.prefetch``)
while the flow works on the current one.

Started only for a run of two or more chunks, by the local runner (Dask workers split the work
already); stopped when the run ends. A chunk whose facts are not ready when the flow builds its
tables does not wait for them: the flow works them out itself, as it does for the first chunk.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pyarrow as pa

from flows.batch.prefetch import StoryFacts, chunk_facts
from flows.processes import end_helper, spawned_helper

NO_FACTS: dict[str, StoryFacts] = {}


class FactsAhead:
    """One run's facts helper: ``ahead`` hands it a chunk, ``take`` collects what it found."""

    def __init__(self, input_dir: Path, max_file_bytes: int) -> None:
        self.input_dir = input_dir
        self.max_file_bytes = max_file_bytes
        self._helper: ProcessPoolExecutor | None = None

    def ahead(self, files: pa.Table) -> Future[dict[str, StoryFacts]] | None:
        """Start working out the facts of a chunk's files (rows of ``DISCOVERED_FILES``); None
        when the helper cannot take it (the flow then works them out itself)."""
        try:
            if self._helper is None:
                self._helper = spawned_helper()
            return self._helper.submit(chunk_facts, files, self.input_dir, self.max_file_bytes)
        except Exception:  # no helper to be had (broken, or not started): the flow does it
            return None

    @staticmethod
    def take(future: Future[dict[str, StoryFacts]] | None) -> dict[str, StoryFacts]:
        """The facts of a chunk handed over earlier, if they are ready now; never waits."""
        if future is None:
            return NO_FACTS
        if not future.done():
            future.cancel()  # not started yet: the helper can skip it
            return NO_FACTS
        if future.cancelled() or future.exception() is not None:
            return NO_FACTS
        return future.result()

    def close(self) -> None:
        """Stop the helper (a run's last chunk has been taken, or the run failed)."""
        if self._helper is not None:
            end_helper(self._helper)
            self._helper = None
