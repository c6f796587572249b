"""How values read on the report page: counts grouped, times to the second, durations sized.

The page shows text only, so every number becomes its label here, once, for every section.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flows.report.charts import truncate

# Plain data a template draws: text, numbers already formatted, nested views.
View = dict[str, Any]

# Details longer than this fold away behind a summary of their start.
LONG_DETAIL = 120


def fmt_int(value: object) -> str:
    """Group thousands so counts read at a glance; a missing value shows as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{int(value):,}"
    return str(value)


def fmt_ts(value: object) -> str:
    """Show timestamps to the second; microseconds are noise on a summary page."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fmt_seconds(value: float | None) -> str:
    """Render a duration with a precision that fits its size."""
    if value is None or math.isnan(value):
        return "—"
    if value < 1:
        return f"{value:.2f} s"
    if value < 60:
        return f"{value:.1f} s"
    minutes, seconds = divmod(round(value), 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def duration_seconds(started: object, finished: object) -> float | None:
    """Seconds between two timestamps, or None when either end is unknown."""
    if isinstance(started, dt.datetime) and isinstance(finished, dt.datetime):
        return (finished - started).total_seconds()
    return None


def run_label(started: object, fallback: str) -> str:
    """A run as a short column or axis label: its start time, which orders runs visibly."""
    return started.strftime("%m-%d %H:%M") if isinstance(started, dt.datetime) else fallback


def detail(text: object) -> View:
    """Long expectation details fold away behind a summary, so the table stays scannable."""
    if text is None or text == "":
        return {"text": None, "summary": None}
    value = str(text)
    return {"text": value, "summary": truncate(value, 80) if len(value) > LONG_DETAIL else None}
