"""What a validation produced, importable without pandas or GX.

The flow handles results on every run, but only a run that read files imports the validation
stack (``flows.quality.suites``: pandas and Great Expectations, several seconds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class DqResult:
    """One expectation's outcome on one frame."""

    table_name: str
    expectation: str
    success: bool
    unexpected_count: int | None
    details: str | None
    severity: str

    @property
    def blocks_load(self) -> bool:
        """A failed error-level expectation: any one of them stops the load."""
        return not self.success and self.severity == ERROR


def gate_message(failures: Sequence[DqResult]) -> str:
    """The one line that says why the gate stopped the load: the first failure, and how many."""
    first = failures[0]
    return (
        f"data-quality gate failed: {first.table_name}: {first.expectation}"
        + (f" ({first.unexpected_count} unexpected)" if first.unexpected_count else "")
        + (f"; {len(failures) - 1} more failed" if len(failures) > 1 else "")
    )
