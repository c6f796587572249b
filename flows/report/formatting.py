"""How values read on the report page: counts grouped, times to the second, durations sized.

The page shows text only, so every number becomes its label here, once, for every section.
"""

from __future__ import annotations

import datetime as dt
import math


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
