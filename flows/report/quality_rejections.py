"""The 'Rejected by quality checks' panel: what the row-level expectations took out of a batch.

A story that breaks an error-level row expectation (``meta.scope`` 'row') is taken out of the
batch and its file recorded in ``rejected_files`` with the expectation's ``dq_`` reason; the
rest of the batch loads. The panel shows, for the run whose results the data-quality section
shows, one row per such expectation: its result (severity, the note of what it rejected, GX's
sample) from ``dq_results``, and its files from ``rejected_files``. Rejections by discovery and
the parser (reasons without the ``dq_`` prefix) stay in the 'Rejected files' section.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.report.charts import AMBER, Bar, Chart, ChartCard, chart_card, hbar_chart
from flows.report.data import Row, Warehouse
from flows.report.formatting import View, detail, fmt_int

QUALITY_REASON_PREFIX = "dq_"
# The files listed per expectation; the rest are counted ("and 380 more").
FILES_SHOWN = 20
# Up to this many files the list is open; longer lists fold away behind <details>.
FILES_OPEN = 5


def is_quality_reason(reason: object) -> bool:
    """Whether a rejected_files reason names a data-quality expectation, not discovery or
    the parser."""
    return str(reason).startswith(QUALITY_REASON_PREFIX)


def plural(count: int, one: str, many: str) -> str:
    """'1 file', '2,345 files'."""
    return f"{fmt_int(count)} {one if count == 1 else many}"


def severity_badge(severity: object) -> View:
    """Severity as a badge: red error, amber warning, grey when unknown."""
    kind = {"error": "bad", "warning": "warn"}.get(str(severity), "muted")
    return {"text": severity if severity is not None else "—", "kind": kind}


def files_view(files: Sequence[object], count: int) -> View:
    """The first files of an expectation, folded away when there are many, and how many more."""
    shown = [str(f) for f in files][:FILES_SHOWN]
    more = max(count - len(shown), 0)
    return {
        "count": count,
        "summary": plural(count, "file", "files"),
        "list": shown,
        "open": count <= FILES_OPEN,
        "more": f"and {fmt_int(more)} more" if more else None,
    }


def panel_row(r: Row) -> View:
    """One expectation that rejected stories, with its result and its files."""
    table, expectation = r["table_name"], r["expectation"]
    if table is None:  # no result of that name in the run: the file's detail still names it
        table, _, expectation = str(r["detail"]).partition(": ")
    stories = r["stories"]
    return {
        "table": table,
        "expectation": expectation,
        "reason": r["reason"],
        "severity": severity_badge(r["severity"]),
        "stories": fmt_int(stories),
        "files": files_view(r["files"] or [], int(r["file_count"])),
        "detail": detail(r["details"]),
    }


def bar_labels(rows: Sequence[Row]) -> list[str]:
    """Each bar named by its reason; expectations sharing a reason are numbered in table order."""
    reasons = [str(r["reason"]) for r in rows]
    seen: dict[str, int] = {}
    labels = []
    for reason in reasons:
        seen[reason] = seen.get(reason, 0) + 1
        labels.append(reason if reasons.count(reason) == 1 else f"{reason} ({seen[reason]})")
    return labels


def rejections_card(rows: Sequence[Row]) -> ChartCard | None:
    """Stories rejected per expectation, when more than one expectation rejected any."""
    if len(rows) < 2:
        return None
    bars = []
    for label, r in zip(bar_labels(rows), rows, strict=True):
        stories = r["stories"] if r["stories"] is not None else r["file_count"]
        name = r["detail"] if r["table_name"] is None else f"{r['table_name']}: {r['expectation']}"
        bars.append(
            Bar(
                label=label,
                value=int(stories),
                tooltip=(
                    f"{name} ({r['reason']}): {plural(int(stories), 'story', 'stories')}, "
                    f"{plural(int(r['file_count']), 'file', 'files')} rejected"
                ),
                colour=AMBER,
                value_label=fmt_int(stories),
            )
        )
    chart = Chart(
        "chart-dq-rejections",
        "Stories rejected per expectation",
        "stories",
        "reason",
        "Stories each row-level expectation took out of the batch; hover a bar for the "
        "expectation.",
    )
    return chart_card(chart, bars, lambda: hbar_chart(chart, bars, width=1100), "")


def summary_text(run: Row, rows: Sequence[Row]) -> str:
    """What the run's row-level failures did to its batch, in one sentence."""
    files = sum(int(r["file_count"]) for r in rows)
    took = f"{plural(len(rows), 'expectation', 'expectations')} took "
    if run.get("status") != "failed_validation":
        return took + f"{plural(files, 'file', 'files')} out of the batch; the rest of it loaded."
    if not files:
        return took + (
            "stories out of the batch, but it failed validation as well and was quarantined: no "
            "file was recorded as rejected."
        )
    return (
        took + f"{plural(files, 'file', 'files')} out of the batch; it failed validation as well."
    )


def quality_rejections_view(wh: Warehouse, run: Row | None) -> View:
    """The stories ``run`` (the last run that validated a batch) rejected, per expectation.

    Files of other runs are only counted here: the 'Rejected files' section lists the latest
    rejected files of every run, whatever their reason.
    """
    run_id = run["run_id"] if run is not None else None
    rows = wh.rows("dq_rejections", {"run_id": run_id, "files": FILES_SHOWN}) if run else None
    rows = rows or []
    elsewhere = None
    other = wh.rows("dq_rejections_other_runs", {"run_id": run_id})
    if other and int(other[0]["files"]):
        elsewhere = (
            f"{plural(int(other[0]['files']), 'file was', 'files were')} rejected by quality "
            f"checks in {plural(int(other[0]['runs']), 'other run', 'other runs')}."
        )
    if run is None:
        empty = "No story was rejected by quality checks: no run has validated a batch yet."
    else:
        empty = f"No story was rejected by quality checks in run {run_id}."
    return {
        "run_id": run_id,
        "summary": summary_text(run, rows) if run is not None and rows else None,
        "rows": [panel_row(r) for r in rows],
        "chart": rejections_card(rows),
        # Said only where it can show: a story broke two expectations, or a duplicate went too.
        "first_only": any(r["file_count"] for r in rows)
        and (len(rows) > 1 or any(r["stories"] != r["file_count"] for r in rows)),
        "empty": empty,
        "elsewhere": elsewhere,
    }
