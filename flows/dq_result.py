"""What a validation produced, importable without pandas or GX.

The flow handles results on every run, but only a run that read files imports the validation
stack (``flows.validate``: pandas and Great Expectations, several seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.validate import SuiteRunner

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


@dataclass
class Validation:
    """A batch's results, with the runner that produced them (Data Docs render from it)."""

    results: list[DqResult]
    runner: SuiteRunner | None = None
