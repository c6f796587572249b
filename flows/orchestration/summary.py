"""What a run did: the summary the command line prints, and the rows the run records."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from flows import schemas
from flows.batch.incremental import NO_FILES, Accounting
from flows.orchestration.stages import RunStages
from flows.quality.results import DqResult
from flows.settings import Settings
from flows.store.warehouse import BatchLoad

SUCCESS = "success"
FAILED_VALIDATION = "failed_validation"
FAILED = "failed"


@dataclass
class RunSummary:
    """What a run did, for the command line and for tests."""

    run_id: str
    status: str
    message: str | None
    accounting: Accounting
    articles_loaded: int
    stage_seconds: dict[str, float] = field(default_factory=dict)
    # Work that ran beside the stages above, so not in their sum (the batch load: validate).
    background_seconds: dict[str, float] = field(default_factory=dict)
    dq_failures: list[DqResult] = field(default_factory=list)
    report_path: Path | None = None
    recovered: list[str] = field(default_factory=list)  # what an interrupted run left, cleared
    # Stories a row-level expectation took out of the batch: the expectation's rejection
    # reason and how many stories (their files are in rejected_files with that reason).
    quality_rejections: dict[str, int] = field(default_factory=dict)


def new_run_id(now: datetime) -> str:
    """Sortable by start time, unique across machines."""
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def failed_summary(run_id: str, error: BaseException) -> RunSummary:
    """The summary of a run that broke: no file accounted, the error as its message."""
    return RunSummary(run_id, FAILED, f"{type(error).__name__}: {error}"[:500], NO_FILES, 0)


def run_records(
    settings: Settings,
    summary: RunSummary,
    started_at: datetime,
    dq_results: Sequence[DqResult],
    stages: RunStages,
    loaded: BatchLoad | None = None,
) -> dict[str, pa.Table]:
    """The run's own rows: ``pipeline_runs``, ``dq_results`` and ``run_stages``.

    ``loaded``: the batch's load, whose statements' seconds ``run_stages`` records as the load
    stage (its commit is not in them), so the report's time per stage shows the load too.
    """
    from prefect.runtime import flow_run

    run_id = summary.run_id
    finished = datetime.now(UTC).replace(tzinfo=None)
    runs = pa.Table.from_pylist(
        [
            {
                "run_id": run_id,
                "flow_run_id": flow_run.id,
                "started_at": started_at,
                "finished_at": finished,
                "status": summary.status,
                **summary.accounting.as_dict(),
                "articles_loaded": summary.articles_loaded,
                "input_root": str(settings.input_dir),
                "message": summary.message,
            }
        ],
        schema=schemas.PIPELINE_RUNS,
    )
    dq = pa.Table.from_pylist(
        [{"run_id": run_id, **vars(result)} for result in dq_results], schema=schemas.DQ_RESULTS
    )
    extra = {"load": (loaded.seconds, loaded.rows)} if loaded is not None else None
    return {"pipeline_runs": runs, "dq_results": dq, "run_stages": stages.table(run_id, extra)}
