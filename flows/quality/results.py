"""What a validation produced, importable without pandas or GX.

The flow handles results on every run, but only a run that read files imports the validation
stack (``flows.quality.suites``: pandas and Great Expectations, several seconds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)
ROW = "row"
BATCH = "batch"
SCOPES = (ROW, BATCH)


@dataclass(frozen=True)
class DqResult:
    """One expectation's outcome on one frame."""

    table_name: str
    expectation: str
    success: bool
    unexpected_count: int | None
    details: str | None
    severity: str
    # 'row': a failure names the articles that break it (``rejected_articles``), and only those
    # stories are taken out of the batch; 'batch': a failure stops the whole load.
    scope: str = BATCH
    reason: str | None = None  # the rejected_files.reason of a row-level failure
    rejected_articles: tuple[str, ...] = ()

    @property
    def blocks_load(self) -> bool:
        """A failed error-level expectation."""
        return not self.success and self.severity == ERROR

    @property
    def rejects_stories(self) -> bool:
        """A failed error-level row expectation that named its articles: they are rejected and
        the rest of the batch loads."""
        return self.blocks_load and self.scope == ROW and bool(self.rejected_articles)

    @property
    def stops_batch(self) -> bool:
        """A failure that stops the whole load (batch-level, or a row failure naming no row)."""
        return self.blocks_load and not self.rejects_stories


def gate_message(failures: Sequence[DqResult]) -> str:
    """The one line that says why the gate stopped the load: the first failure, and how many."""
    first = failures[0]
    return (
        f"data-quality gate failed: {first.table_name}: {first.expectation}"
        + (f" ({first.unexpected_count} unexpected)" if first.unexpected_count else "")
        + (f"; {len(failures) - 1} more failed" if len(failures) > 1 else "")
    )


def story_rejections(results: Sequence[DqResult]) -> dict[str, DqResult]:
    """The articles row-level failures reject, each with the first expectation it breaks."""
    rejected: dict[str, DqResult] = {}
    for result in results:
        if result.rejects_stories:
            for article_id in result.rejected_articles:
                rejected.setdefault(article_id, result)
    return rejected


def rejected_note(result: DqResult) -> DqResult:
    """A row-level failure as the run records it: which stories it took out of the batch."""
    count = len(result.rejected_articles)
    stories = "story" if count == 1 else "stories"
    details = f"rejected {count} {stories} ({result.reason})" + (
        f"; {result.details}" if result.details else ""
    )
    return replace(result, details=details)
