"""The stages of a run, each named once.

A stage's name is its row in ``run_stages``, its line of progress, its Prefect task and its
fault point (``flows.faults``). ``RunStages`` gives every stage what it needs around its work:
the clock, the progress line, and the name a failure reports.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyarrow as pa

from flows import schemas
from flows.orchestration.progress import Progress


@dataclass(frozen=True)
class Stage:
    """One stage of a run."""

    name: str
    unit: str = "files"  # what its progress counts
    # Its tasks pass the fault point when their work is done. False where the library marks
    # a more precise moment itself (the load, before its commit; the first staged file).
    fault_at_end: bool = True


DISCOVER = Stage("discover", fault_at_end=False)  # listed, warehouse not yet copied
READ_HASH = Stage("read_hash")
PARSE = Stage("parse")
ENTITIES = Stage("entities", unit="stories")
PARQUET = Stage("parquet", fault_at_end=False)  # first staged file written, the others not yet
VALIDATE = Stage("validate")
DATA_DOCS = Stage("data_docs")
LOAD = Stage("load", fault_at_end=False)  # batch inserted into the copy, not yet committed
REPORT = Stage("report", fault_at_end=False)  # before the page is written


@dataclass
class StageResult:
    """What a stage reports when it ends: rows for ``run_stages``, words for the progress."""

    rows: int = 0
    detail: str = ""


class RunStages:
    """Times, reports and names the stages of one run as they happen."""

    def __init__(self, reporter: Progress) -> None:
        self.reporter = reporter
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}
        self.current = "start"

    @contextmanager
    def run(
        self, stage: Stage, total: int | None = None, *, report: bool = True
    ) -> Iterator[StageResult]:
        """Time ``stage`` (adding up when it runs once per chunk) and report it when it ends.

        ``total``: the items to do, when known, for a progress bar; ``report=False`` times a
        part of a stage whose progress line comes later.
        """
        self.current = stage.name
        if report:
            self.reporter.stage(stage.name, total, stage.unit)
        result = StageResult()
        started = time.perf_counter()
        try:
            yield result
        finally:
            self.seconds[stage.name] = self.seconds.get(stage.name, 0.0) + (
                time.perf_counter() - started
            )
            self.rows[stage.name] = self.rows.get(stage.name, 0) + result.rows
        if report:
            self.reporter.finish(result.detail)

    def table(self, run_id: str, extra: dict[str, tuple[float, int]] | None = None) -> pa.Table:
        """The stage timings as a ``run_stages`` batch; ``extra`` adds stages timed elsewhere
        (name -> seconds, rows)."""
        rows = {name: (seconds, self.rows.get(name, 0)) for name, seconds in self.seconds.items()}
        rows.update(extra or {})
        names = list(rows)
        return pa.Table.from_pydict(
            {
                "run_id": [run_id] * len(names),
                "stage": names,
                "seconds": [rows[name][0] for name in names],
                "rows": [rows[name][1] for name in names],
            },
            schema=schemas.RUN_STAGES,
        )
