"""Render the newswire data-quality summary page from the DuckDB warehouse.

The page is one self-contained HTML file (inline CSS, inline SVG charts drawn here, no scripts and
no external assets) so it can be opened offline, attached to a ticket or served from any static
directory. Every value read from the warehouse is untrusted (headlines, file names and details come
straight from wire files) and is passed through ``html.escape`` before it reaches the page.

This module is pure: it opens the warehouse read-only, never imports Prefect and only writes the
report file, so the flow, the CLI and the tests can all call :func:`write_report`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql" / "report"
DATABASE_FILE = "news.duckdb"
REPORT_FILE = "index.html"
DATA_DOCS_INDEX = "data_docs/index.html"

# Every table of the warehouse contract, in the order the "rows per table" panel lists them.
WAREHOUSE_TABLES = (
    "articles",
    "paragraphs",
    "entities",
    "entity_mentions",
    "update_notes",
    "related_links",
    "source_files",
    "rejected_files",
    "pipeline_runs",
    "dq_results",
    "run_stages",
)

# Tables each query reads; a query whose tables are missing is skipped, not failed.
QUERY_TABLES: dict[str, tuple[str, ...]] = {
    "last_run": ("pipeline_runs",),
    "recent_runs": ("pipeline_runs",),
    "stage_times": ("run_stages",),
    "dq_last_run": ("dq_results",),
    "last_validated_run": ("pipeline_runs", "dq_results"),
    "dq_history": ("pipeline_runs", "dq_results"),
    "dq_failure_history": ("pipeline_runs", "dq_results"),
    "story_totals": ("articles",),
    "source_file_status": ("source_files",),
    "stories_per_day": ("articles",),
    "entities_by_type": ("entities",),
    "top_entities": ("entity_mentions", "articles", "entities"),
    "update_actions": ("update_notes",),
    "rejections_by_reason": ("rejected_files",),
    "rejected_files": ("rejected_files",),
    "latest_stories": ("articles",),
}

RECENT_RUNS = 20
DQ_HISTORY_RUNS = 30
DQ_FAILURE_RUNS = 10
# Up to this many results the full list is open; longer lists fold away behind <details>.
OPEN_RESULTS = 20
TOP_ENTITIES = 20
STORY_DAYS = 90  # up to this span stories are drawn per day, beyond it per month
STORY_HISTORY_DAYS = 100 * 366
REJECTED_ROWS = 100
LATEST_STORIES = 10
LONG_DETAIL = 120

# A restrained palette: one accent, status colours, and muted categorical hues for entity types.
ACCENT = "#3b6ea5"
GREEN = "#2f855a"
AMBER = "#c17d11"
RED = "#c0392b"
GREY = "#9aa5b1"
CATEGORICAL = (
    "#3b6ea5",
    "#4f8a9e",
    "#5b9279",
    "#8e6c8a",
    "#b08f4a",
    "#6b7a8f",
    "#7a8450",
    "#a86a7c",
)
STATUS_COLOURS = {"success": GREEN, "failed_validation": AMBER, "failed": RED}

Row = dict[str, Any]


# --------------------------------------------------------------------------------------------
# Formatting helpers: everything that reaches the page goes through ``esc``.
# --------------------------------------------------------------------------------------------


def esc(value: object) -> str:
    """Escape any value for HTML text and attributes (also inside inline SVG)."""
    return html.escape("" if value is None else str(value), quote=True)


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


def badge(text: object, kind: str) -> str:
    """A coloured pill; ``kind`` is one of ok / warn / bad / muted (never data)."""
    return f'<span class="badge badge-{kind}">{esc(text)}</span>'


def status_badge(status: object) -> str:
    """Run status as a badge: green success, amber failed validation, red failure."""
    kind = {"success": "ok", "failed_validation": "warn", "failed": "bad"}.get(str(status), "muted")
    return badge(status if status is not None else "unknown", kind)


def note(text: str) -> str:
    """A muted 'no data yet' style note; ``text`` is escaped."""
    return f'<p class="note">{esc(text)}</p>'


def truncate(text: str, limit: int) -> str:
    """Shorten a label for an axis; the full text stays in the tooltip."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# SVG charts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a chart; ``value`` None draws a 'no data' marker instead of a bar."""

    label: str
    value: float | None
    tooltip: str
    colour: str = ACCENT
    value_label: str | None = None


@dataclass(frozen=True)
class Chart:
    """What every chart shares: identity, title and axis labels."""

    chart_id: str
    title: str
    x_label: str
    y_label: str
    description: str
    legend: Sequence[tuple[str, str]] = field(default_factory=tuple)


def nice_ticks(maximum: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` so axes read as 0, 5, 10 … not 0, 4.3.

    ``integer`` keeps steps whole, since 2.5 stories or 12.5 files would read as nonsense.
    """
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    if integer:
        raw = max(raw, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def fmt_tick(value: float) -> str:
    """Tick labels without a useless '.0'."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _counts(bars: Sequence[Bar]) -> bool:
    """Whether every value is whole, so the axis should not show fractional ticks."""
    return all(float(b.value).is_integer() for b in bars if b.value is not None)


def _svg_open(chart: Chart, width: int, height: int) -> list[str]:
    """Start an accessible SVG: role=img, aria-label, and a <title>/<desc> for assistive tech."""
    cid = esc(chart.chart_id)
    return [
        f'<svg id="{cid}" class="chart" role="img" aria-label="{esc(chart.title)}: '
        f'{esc(chart.description)}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
        f"<title>{esc(chart.title)}</title>",
        f"<desc>{esc(chart.description)}</desc>",
        f'<text class="chart-title" x="0" y="16">{esc(chart.title)}</text>',
    ]


def _legend(chart: Chart, x: float, y: float) -> list[str]:
    """Swatches in one row, so colour is never the only carrier of meaning without a key."""
    parts: list[str] = []
    for colour, label in chart.legend:
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" rx="2" '
            f'fill="{esc(colour)}"/>'
            f'<text class="legend" x="{x + 14:.1f}" y="{y:.1f}">{esc(label)}</text>'
        )
        x += 14 + 7 * len(label) + 18
    return parts


def hbar_chart(chart: Chart, bars: Sequence[Bar], *, width: int = 560) -> str:
    """Horizontal bars: best for named categories (stages, reasons, entities)."""
    longest = max((len(truncate(b.label, 28)) for b in bars), default=4)
    label_w = min(max(longest * 6.8 + 8, 50), 200)
    left = 22 + label_w
    right = 64
    top = 30
    bar_h, gap = 18, 7
    plot_w = width - left - right
    plot_h = len(bars) * (bar_h + gap) + gap
    legend_h = 22 if chart.legend else 0
    height = int(top + plot_h + 44 + legend_h)
    ticks = nice_ticks(max((b.value or 0 for b in bars), default=0), integer=_counts(bars))
    scale = plot_w / ticks[-1]

    parts = _svg_open(chart, width, height)
    for tick in ticks:
        x = left + tick * scale
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}"/>'
            f'<text class="tick" x="{x:.1f}" y="{top + plot_h + 14}" '
            f'text-anchor="middle">{esc(fmt_tick(tick))}</text>'
        )
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    for i, bar in enumerate(bars):
        y = top + gap + i * (bar_h + gap)
        value = bar.value or 0
        w = max(value * scale, 1.5 if value else 0)
        parts.append(
            f'<g class="bar"><title>{esc(bar.tooltip)}</title>'
            f'<text class="label" x="{left - 6:.1f}" y="{y + bar_h / 2 + 4:.1f}" '
            f'text-anchor="end">{esc(truncate(bar.label, 28))}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="2" '
            f'fill="{esc(bar.colour)}"/>'
            f'<text class="value" x="{left + w + 5:.1f}" y="{y + bar_h / 2 + 4:.1f}">'
            f"{esc(bar.value_label if bar.value_label is not None else fmt_tick(value))}</text>"
            "</g>"
        )
    parts.append(
        f'<text class="axis-label" x="{left + plot_w / 2:.1f}" y="{top + plot_h + 34}" '
        f'text-anchor="middle">{esc(chart.x_label)}</text>'
        f'<text class="axis-label" transform="translate(11 {top + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{esc(chart.y_label)}</text>'
    )
    parts += _legend(chart, left, top + plot_h + 58)
    parts.append("</svg>")
    return "".join(parts)


def vbar_chart(
    chart: Chart,
    bars: Sequence[Bar],
    *,
    width: int = 560,
    y_max: float | None = None,
    tick_format: Callable[[float], str] = fmt_tick,
    max_x_labels: int = 8,
    show_values: bool | None = None,
) -> str:
    """Vertical bars over an ordered axis (days, runs); labels thin out as bars multiply."""
    if show_values is None:
        show_values = len(bars) <= 24
    # Value labels sit above the bars, so leave room for them below the title.
    left, right, top = 58, 12, 44 if show_values else 32
    plot_h = 170
    plot_w = width - left - right
    legend_h = 22 if chart.legend else 0
    height = top + plot_h + 46 + legend_h
    ticks = (
        nice_ticks(max((b.value or 0 for b in bars), default=0), integer=_counts(bars))
        if y_max is None
        else [y_max * i / 4 for i in range(5)]
    )
    scale = plot_h / ticks[-1]
    slot = plot_w / max(len(bars), 1)
    bar_w = max(min(slot * 0.72, 48), 1.0)
    every = max(math.ceil(len(bars) / max_x_labels), 1)

    parts = _svg_open(chart, width, height)
    base = top + plot_h
    for tick in ticks:
        y = base - tick * scale
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{esc(tick_format(tick))}</text>'
        )
    for i, bar in enumerate(bars):
        cx = left + slot * (i + 0.5)
        x = cx - bar_w / 2
        group = [f'<g class="bar"><title>{esc(bar.tooltip)}</title>']
        if bar.value is None:
            group.append(
                f'<rect class="nodata" x="{x:.1f}" y="{base - 6}" width="{bar_w:.1f}" height="6" '
                f'stroke="{esc(bar.colour)}"/>'
            )
        else:
            h = max(bar.value * scale, 1.5 if bar.value else 0)
            group.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'rx="1.5" fill="{esc(bar.colour)}"/>'
            )
            if show_values:
                text = bar.value_label if bar.value_label is not None else fmt_tick(bar.value)
                group.append(
                    f'<text class="value" x="{cx:.1f}" y="{base - h - 4:.1f}" '
                    f'text-anchor="middle">{esc(text)}</text>'
                )
        if i % every == 0:
            group.append(
                f'<text class="tick" x="{cx:.1f}" y="{base + 14}" '
                f'text-anchor="middle">{esc(bar.label)}</text>'
            )
        group.append("</g>")
        parts.append("".join(group))
    parts.append(
        f'<line class="axis" x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}"/>'
        f'<text class="axis-label" x="{left + plot_w / 2:.1f}" y="{base + 34}" '
        f'text-anchor="middle">{esc(chart.x_label)}</text>'
        f'<text class="axis-label" transform="translate(12 {top + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{esc(chart.y_label)}</text>'
    )
    parts += _legend(chart, left, base + 58)
    parts.append("</svg>")
    return "".join(parts)


def chart_or_note(chart: Chart, bars: Sequence[Bar], render: Callable[[], str], empty: str) -> str:
    """Wrap a chart in a figure, or say why there is nothing to draw yet."""
    if not bars:
        return (
            f'<figure class="card chart-card" id="{esc(chart.chart_id)}-empty">'
            f'<div class="chart-title-html">{esc(chart.title)}</div>{note(empty)}</figure>'
        )
    return f'<figure class="card chart-card">{render()}</figure>'


# --------------------------------------------------------------------------------------------
# Reading the warehouse
# --------------------------------------------------------------------------------------------


@cache
def load_sql(name: str) -> str:
    """Read one query of ``sql/report``; queries live in files so they can be reviewed as SQL."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


class Warehouse:
    """Read-only view of the warehouse that tolerates missing tables and records query errors."""

    def __init__(self, con: duckdb.DuckDBPyConnection | None) -> None:
        self.con = con
        self.errors: list[str] = []
        self.tables: set[str] = set()
        if con is not None:
            self.tables = {str(r["table_name"]) for r in self._run("existing_tables", {}) or []}

    def has(self, *tables: str) -> bool:
        """Whether every named table exists (a first failed run leaves most of them missing)."""
        return all(t in self.tables for t in tables)

    def rows(self, name: str, params: Mapping[str, object] | None = None) -> list[Row] | None:
        """Run ``sql/report/<name>.sql`` with bound parameters; None when its tables are missing."""
        if self.con is None or not self.has(*QUERY_TABLES.get(name, ())):
            return None
        return self._run(name, params or {})

    def _run(self, name: str, params: Mapping[str, object]) -> list[Row] | None:
        """Execute a query; an error is shown on the page instead of losing the whole report."""
        assert self.con is not None
        try:
            cursor = self.con.execute(load_sql(name), dict(params))
            columns = [d[0] for d in cursor.description or []]
            return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
        except duckdb.Error as exc:
            self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            return None

    def table_counts(self) -> list[tuple[str, int | None]]:
        """Current rows of every contract table; None marks a table that does not exist yet."""
        counts: list[tuple[str, int | None]] = []
        for table in WAREHOUSE_TABLES:
            result = self.rows("table_count", {"table_name": table}) if self.has(table) else None
            counts.append((table, int(result[0]["row_count"]) if result else None))
        return counts


# --------------------------------------------------------------------------------------------
# Page sections
# --------------------------------------------------------------------------------------------


def table_html(
    table_id: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    row_classes: Sequence[str] | None = None,
    numeric: Sequence[int] = (),
) -> str:
    """A zebra table; cells arrive as already-escaped HTML (built with ``esc``/``badge``)."""
    num = ' class="num"'
    head = "".join(
        f'<th{num if i in numeric else ""} scope="col">{esc(h)}</th>' for i, h in enumerate(headers)
    )
    body: list[str] = []
    for r, cells in enumerate(rows):
        cls = row_classes[r] if row_classes and row_classes[r] else ""
        tr_attr = f' class="{esc(cls)}"' if cls else ""
        tds = "".join(
            f"<td{num if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(cells)
        )
        body.append(f"<tr{tr_attr}>{tds}</tr>")
    return (
        f'<div class="table-wrap"><table id="{esc(table_id)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def kpi(kpi_id: str, label: str, value: str, hint: str = "") -> str:
    """One headline number; ``value`` and ``hint`` are escaped here."""
    hint_html = f'<div class="kpi-hint">{esc(hint)}</div>' if hint else ""
    return (
        f'<div class="kpi" id="{esc(kpi_id)}"><div class="kpi-label">{esc(label)}</div>'
        f'<div class="kpi-value">{esc(value)}</div>{hint_html}</div>'
    )


def details_cell(text: object) -> str:
    """Long expectation details fold away behind <details>, so the table stays scannable."""
    if text is None or text == "":
        return '<span class="muted">—</span>'
    value = str(text)
    if len(value) <= LONG_DETAIL:
        return f'<span class="detail">{esc(value)}</span>'
    return (
        f'<details class="detail"><summary>{esc(truncate(value, 80))}</summary>'
        f"<pre>{esc(value)}</pre></details>"
    )


def section_last_run(wh: Warehouse, last: Row | None) -> str:
    """Status, timings and counts of the newest run, with table sizes and stage times."""
    out = ['<section id="last-run"><h2>Last run</h2>']
    if last is None:
        out.append(note("No pipeline runs yet: run the pipeline to fill the warehouse."))
    else:
        started, finished = last.get("started_at"), last.get("finished_at")
        out.append(
            f'<div class="run-head"><span class="run-id">Run <code>{esc(last.get("run_id"))}'
            f"</code></span> {status_badge(last.get('status'))}"
            f'<span class="muted">started {esc(fmt_ts(started))} · finished '
            f"{esc(fmt_ts(finished))}</span></div>"
        )
        if last.get("status") == "failed_validation":
            out.append(
                '<p class="callout callout-warn">This run failed validation: its batch was not '
                "loaded, so the tables and charts below show the data of earlier runs.</p>"
            )
        elif last.get("status") == "failed":
            out.append('<p class="callout callout-bad">This run failed before it finished.</p>')
        if last.get("message"):
            out.append(f'<p class="muted">Message: {esc(last.get("message"))}</p>')
        out.append('<div class="kpis">')
        out.append(
            kpi("kpi-duration", "Duration", fmt_seconds(duration_seconds(started, finished)))
        )
        for key, label in (
            ("files_seen", "Files seen"),
            ("files_new", "New"),
            ("files_skipped", "Skipped"),
            ("files_rejected", "Rejected"),
            ("articles_loaded", "Articles loaded"),
        ):
            out.append(kpi(f"kpi-{key.replace('_', '-')}", label, fmt_int(last.get(key))))
        totals = wh.rows("story_totals")
        if totals:
            t = totals[0]
            out.append(
                kpi(
                    "kpi-stories",
                    "Stories",
                    fmt_int(t["stories"]),
                    f"{fmt_int(t['versions'])} versions",
                )
            )
        out.append("</div>")

    out.append('<div class="grid-2">')
    counts = wh.table_counts()
    rows = [
        (
            f"<code>{esc(name)}</code>",
            f'<span data-table="{esc(name)}">{esc(fmt_int(n))}</span>'
            if n is not None
            else '<span class="muted">not created yet</span>',
        )
        for name, n in counts
    ]
    statuses = wh.rows("source_file_status") or []
    status_html = ""
    if statuses:
        status_html = "<h3>Source files by status</h3>" + table_html(
            "source-file-status",
            ("Status", "Files"),
            [(esc(s["status"]), esc(fmt_int(s["files"]))) for s in statuses],
            numeric=(1,),
        )
    out.append(
        '<div class="card"><h3>Rows per table</h3>'
        + table_html("table-counts", ("Table", "Rows"), rows, numeric=(1,))
        + status_html
        + "</div>"
    )
    stages = wh.rows("stage_times", {"run_id": last["run_id"]}) if last else None
    stage_chart = Chart(
        "chart-stage-times",
        "Time per stage (last run)",
        "seconds",
        "stage",
        "Seconds spent in each pipeline stage of the last run (this report is drawn after the "
        "run's record is written, so its own time is not here).",
    )
    stage_bars = [
        Bar(
            label=str(s["stage"]),
            value=float(s["seconds"] or 0),
            tooltip=f"{s['stage']}: {fmt_seconds(s['seconds'])}, {fmt_int(s['row_count'])} rows",
            value_label=fmt_seconds(s["seconds"]),
        )
        for s in stages or []
    ]
    out.append(
        chart_or_note(
            stage_chart,
            stage_bars,
            lambda: hbar_chart(stage_chart, stage_bars),
            "No stage timings recorded yet.",
        )
    )
    out.append("</div></section>")
    return "".join(out)


def dq_by_table(results: Sequence[Row]) -> str:
    """Expectations per table of the last run: how many passed, which severities failed."""
    tables: dict[str, list[Row]] = {}
    for r in results:
        tables.setdefault(str(r["table_name"]), []).append(r)
    cells = []
    classes = []
    for name in sorted(tables):
        rows = tables[name]
        errors = sum(1 for r in rows if not r["success"] and r["severity"] == "error")
        warnings = sum(1 for r in rows if not r["success"] and r["severity"] != "error")
        passed = len(rows) - errors - warnings
        cells.append(
            (
                f"<code>{esc(name)}</code>",
                esc(f"{passed} / {len(rows)}"),
                badge(errors, "bad") if errors else esc(0),
                badge(warnings, "warn") if warnings else esc(0),
            )
        )
        classes.append("fail-error" if errors else "fail-warning" if warnings else "")
    return table_html(
        "dq-by-table",
        ("Table", "Passed", "Failed errors", "Failed warnings"),
        cells,
        row_classes=classes,
        numeric=(1, 2, 3),
    )


def dq_results_table(table_id: str, results: Sequence[Row]) -> str:
    """Expectation results as rows, failures highlighted, long details folded."""
    cells = []
    classes = []
    for r in results:
        sev = r["severity"]
        ok = bool(r["success"])
        sev_kind = "bad" if sev == "error" else "warn" if sev == "warning" else "muted"
        cells.append(
            (
                f"<code>{esc(r['table_name'])}</code>",
                esc(r["expectation"]),
                badge(sev if sev is not None else "—", sev_kind),
                badge("pass", "ok") if ok else badge("fail", sev_kind),
                esc(fmt_int(r["unexpected_count"])),
                details_cell(r["details"]),
            )
        )
        classes.append("" if ok else ("fail-error" if sev == "error" else "fail-warning"))
    return table_html(
        table_id,
        ("Table", "Expectation", "Severity", "Result", "Unexpected", "Details"),
        cells,
        row_classes=classes,
        numeric=(4,),
    )


def section_failure_history(wh: Warehouse) -> str:
    """Expectations that failed in any recent run, with their outcome run by run."""
    rows = wh.rows("dq_failure_history", {"limit": DQ_FAILURE_RUNS}) or []
    head = f'<div class="card wide"><h3>Failures across the last {DQ_FAILURE_RUNS} runs</h3>'
    if not rows:
        return head + note("No expectation failed in the recent runs.") + "</div>"
    runs: dict[str, Row] = {}
    grid: dict[tuple[str, str, str], dict[str, Row]] = {}
    for r in rows:
        runs.setdefault(str(r["run_id"]), r)
        key = (str(r["table_name"]), str(r["expectation"]), str(r["severity"]))
        grid.setdefault(key, {})[str(r["run_id"])] = r
    headers = ["Table", "Expectation", "Severity"]
    for run_id, r in runs.items():
        started = r["started_at"]
        label = started.strftime("%m-%d %H:%M") if isinstance(started, dt.datetime) else run_id
        headers.append(label)
    cells = []
    for (table, expectation, severity), outcomes in grid.items():
        marks = []
        for run_id in runs:
            o = outcomes.get(run_id)
            if o is None or o["success"] is None:
                marks.append('<span class="muted" title="not evaluated">·</span>')
            elif o["success"]:
                marks.append('<span class="mark-ok" title="passed">✓</span>')
            else:
                count = o["unexpected_count"]
                title = f"failed, {fmt_int(count)} unexpected" if count else "failed"
                kind = "bad" if severity == "error" else "warn"
                marks.append(f'<span class="mark-{kind}" title="{esc(title)}">✗</span>')
        kind = "bad" if severity == "error" else "warn"
        cells.append(
            (f"<code>{esc(table)}</code>", esc(expectation), badge(severity, kind), *marks)
        )
    return (
        head + '<p class="muted">One column per run, oldest first: ✓ passed, ✗ failed, · not '
        "evaluated; hover a mark for the count.</p>"
        + table_html("dq-failure-history", headers, cells)
        + "</div>"
    )


def section_quality(wh: Warehouse, last: Row | None, history: list[Row] | None) -> str:
    """The last validated run's expectations by table, its failures, and quality across recent
    runs."""
    out = ['<section id="quality"><h2>Data quality</h2>']
    validated_rows = wh.rows("last_validated_run")
    validated = validated_rows[0] if validated_rows else None
    results = wh.rows("dq_last_run", {"run_id": validated["run_id"]}) if validated else None
    if not results or validated is None:
        out.append(note("No data-quality results for the last run yet."))
    else:
        if last is not None and last["run_id"] != validated["run_id"]:
            out.append(
                note(
                    f"The last run ({last['run_id']}) validated nothing: it read no new file, "
                    "or it stopped before validation. These are the results of run "
                    f"{validated['run_id']}, the last one that validated a batch."
                )
            )
        failed = [r for r in results if not r["success"]]
        errors = sum(1 for r in failed if r["severity"] == "error")
        summary = f"{len(results) - len(failed)} of {len(results)} expectations passed" + (
            f"; {errors} error(s) and {len(failed) - errors} warning(s) failed" if failed else ""
        )
        out.append(f'<p id="dq-summary">{esc(summary)}</p>')
        if failed:
            out.append(
                '<div class="card wide"><h3>Failed in the last run</h3>'
                + dq_results_table("dq-failures", failed)
                + "</div>"
            )
        out.append(
            '<div class="card wide"><h3>Last run by table</h3>' + dq_by_table(results) + "</div>"
        )
        opened = " open" if len(results) <= OPEN_RESULTS else ""
        out.append(
            f'<details class="card wide" id="dq-all"{opened}><summary>All {len(results)} '
            "expectation results of the last run</summary>"
            + dq_results_table("dq-results", results)
            + "</details>"
        )
    chart = Chart(
        "chart-dq-pass-rate",
        "DQ pass rate per run",
        "run (started at)",
        "expectations passed",
        "Share of expectations that passed in each recent run; colour shows the run status.",
        legend=(
            (GREEN, "success"),
            (AMBER, "failed validation"),
            (RED, "failed"),
            (GREY, "no results (dotted)"),
        ),
    )
    bars = []
    for h in history or []:
        total = int(h["total"])
        rate = 100.0 * int(h["passed"]) / total if total else None
        started = h["started_at"]
        label = started.strftime("%m-%d %H:%M") if isinstance(started, dt.datetime) else "?"
        tip = f"run {h['run_id']} ({h['status']}), started {fmt_ts(started)}: " + (
            f"{h['passed']} of {total} passed, {h['failed_errors']} error(s) and "
            f"{h['failed_warnings']} warning(s) failed"
            if total
            else "no expectation results"
        )
        bars.append(
            Bar(
                label=label,
                value=rate,
                tooltip=tip,
                colour=STATUS_COLOURS.get(str(h["status"]), GREY),
                value_label=f"{rate:.0f}%" if rate is not None else None,
            )
        )
    out.append('<div class="grid-1">')
    out.append(
        chart_or_note(
            chart,
            bars,
            lambda: vbar_chart(
                chart,
                bars,
                width=1100,
                y_max=100,
                tick_format=lambda v: f"{v:.0f}%",
                max_x_labels=12,
            ),
            "No runs with data-quality results yet.",
        )
    )
    out.append(section_failure_history(wh))
    out.append("</div></section>")
    return "".join(out)


def story_bars(by_day: Mapping[dt.date, int]) -> tuple[str, list[Bar]]:
    """Bars per day with empty days shown, or per month when the days span a longer time.

    A feed of several years drawn per day is a comb of single stories; by month it shows
    the shape of the archive.
    """
    if not by_day:
        return "day", []
    first, last = min(by_day), max(by_day)
    if (last - first).days < STORY_DAYS:
        bars = []
        for offset in range((last - first).days + 1):
            day = first + dt.timedelta(days=offset)
            n = by_day.get(day, 0)
            bars.append(
                Bar(label=day.isoformat(), value=n, tooltip=f"{day.isoformat()}: {n} stories")
            )
        return "day", bars
    by_month: dict[tuple[int, int], int] = {}
    for day, n in by_day.items():
        by_month[(day.year, day.month)] = by_month.get((day.year, day.month), 0) + n
    bars = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        label = f"{year}-{month:02d}"
        n = by_month.get((year, month), 0)
        bars.append(Bar(label=label, value=n, tooltip=f"{label}: {n} stories"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return "month", bars


def section_content(wh: Warehouse) -> str:
    """What the warehouse holds: stories per day, entities and update notes."""
    out = ['<section id="content"><h2>Content</h2><div class="grid-2">']

    days = wh.rows("stories_per_day", {"days": STORY_HISTORY_DAYS}) or []
    unit, day_bars = story_bars({r["day"]: int(r["stories"]) for r in days})
    chart = Chart(
        "chart-stories-per-day",
        f"Stories per {unit}",
        "published date",
        "stories",
        f"Stories (latest version) per published {unit}"
        + (
            "."
            if unit == "day"
            else f": the data spans more than {STORY_DAYS} days, so days are summed by month."
        ),
    )
    out.append(
        chart_or_note(
            chart,
            day_bars,
            lambda: vbar_chart(chart, day_bars, max_x_labels=6),
            "No stories loaded yet.",
        )
    )

    types = wh.rows("entities_by_type") or []
    type_colour = {
        str(t["entity_type"]): CATEGORICAL[i % len(CATEGORICAL)] for i, t in enumerate(types)
    }
    type_bars = [
        Bar(
            label=str(t["entity_type"]),
            value=int(t["entities"]),
            tooltip=f"{t['entity_type']}: {fmt_int(t['entities'])} entities",
            colour=type_colour[str(t["entity_type"])],
            value_label=fmt_int(t["entities"]),
        )
        for t in types
    ]
    chart_t = Chart(
        "chart-entities-by-type",
        "Entities by type",
        "entities",
        "type",
        "Number of distinct entities of each type.",
    )
    out.append(
        chart_or_note(
            chart_t,
            type_bars,
            lambda: hbar_chart(chart_t, type_bars),
            "No entities extracted yet.",
        )
    )

    top = wh.rows("top_entities", {"limit": TOP_ENTITIES}) or []
    top_bars = [
        Bar(
            label=str(e["name"]),
            value=int(e["articles"]),
            tooltip=(
                f"{e['name']} ({e['entity_type']}): {fmt_int(e['articles'])} articles, "
                f"{fmt_int(e['mentions'])} mentions"
            ),
            colour=type_colour.get(str(e["entity_type"]), ACCENT),
            value_label=fmt_int(e["articles"]),
        )
        for e in top
    ]
    seen_types = list(dict.fromkeys(str(e["entity_type"]) for e in top))
    chart_e = Chart(
        "chart-top-entities",
        f"Top {TOP_ENTITIES} entities",
        "articles mentioning the entity (latest versions)",
        "entity",
        f"The {TOP_ENTITIES} entities mentioned by the most articles; colour shows the type.",
        legend=tuple((type_colour.get(t, ACCENT), t) for t in seen_types),
    )
    out.append(
        chart_or_note(
            chart_e, top_bars, lambda: hbar_chart(chart_e, top_bars), "No entity mentions yet."
        )
    )

    actions = wh.rows("update_actions") or []
    action_bars = [
        Bar(
            label=str(a["action"]),
            value=int(a["notes"]),
            tooltip=f"{a['action']}: {fmt_int(a['notes'])} update notes",
            value_label=fmt_int(a["notes"]),
        )
        for a in actions
    ]
    chart_a = Chart(
        "chart-update-actions",
        "Update notes by action",
        "update notes (all versions)",
        "action",
        "Number of update notes naming each action, over every loaded article version.",
    )
    out.append(
        chart_or_note(
            chart_a,
            action_bars,
            lambda: hbar_chart(chart_a, action_bars),
            "No update notes yet.",
        )
    )
    out.append("</div>")

    stories = wh.rows("latest_stories", {"limit": LATEST_STORIES}) or []
    if stories:
        out.append(
            f'<div class="card wide"><h3>Latest stories <span class="muted">last '
            f"{LATEST_STORIES} ingested</span></h3>"
            + table_html(
                "latest-stories",
                ("Published", "Headline", "Wire", "Dateline", "Version", "Words", "File"),
                [
                    (
                        esc(fmt_ts(s["published_date"])),
                        esc(s["headline"]),
                        esc(s["wire"]),
                        esc(s["dateline"] or "—"),
                        esc(fmt_int(s["version"])),
                        esc(fmt_int(s["word_count"])),
                        f'<span class="path">{esc(s["source_file"])}</span>',
                    )
                    for s in stories
                ],
                numeric=(4, 5),
            )
            + "</div>"
        )
    out.append("</section>")
    return "".join(out)


def section_rejections(wh: Warehouse, total: int | None) -> str:
    """Why input files were turned away, as a chart by reason and the list of files."""
    out = ['<section id="rejections"><h2>Rejected files</h2><div class="grid-1">']
    reasons = wh.rows("rejections_by_reason") or []
    bars = [
        Bar(
            label=str(r["reason"]),
            value=int(r["files"]),
            tooltip=f"{r['reason']}: {fmt_int(r['files'])} files",
            colour=RED,
            value_label=fmt_int(r["files"]),
        )
        for r in reasons
    ]
    chart = Chart(
        "chart-rejections-by-reason",
        "Rejections by reason",
        "files",
        "reason",
        "Number of rejected input files per rejection reason, over all runs.",
    )
    out.append(
        chart_or_note(
            chart, bars, lambda: hbar_chart(chart, bars, width=1100), "No files rejected so far."
        )
    )
    files = wh.rows("rejected_files", {"limit": REJECTED_ROWS}) or []
    out.append('</div><div class="card wide">')
    if not files:
        out.append("<h3>Files</h3>" + note("No rejected files."))
    else:
        shown = f"latest {len(files)} of {fmt_int(total)}" if total and total > len(files) else ""
        out.append(f"<h3>Files <span class='muted'>{esc(shown)}</span></h3>")
        out.append(
            table_html(
                "rejected-files",
                ("File", "Reason", "Detail", "Run", "When"),
                [
                    (
                        f'<span class="path">{esc(f["source_file"])}</span>',
                        badge(f["reason"], "bad"),
                        details_cell(f["detail"]),
                        f"<code>{esc(f['run_id'])}</code>",
                        f'<span class="nowrap">{esc(fmt_ts(f["rejected_at"]))}</span>',
                    )
                    for f in files
                ],
            )
        )
    out.append("</div></section>")
    return "".join(out)


def section_runs(runs: list[Row] | None, history: list[Row] | None) -> str:
    """The last runs at a glance, with failed ones highlighted."""
    out = [f'<section id="runs"><h2>Recent runs <span class="muted">last {RECENT_RUNS}</span></h2>']
    if not runs:
        out.append(note("No pipeline runs yet."))
        out.append("</section>")
        return "".join(out)
    dq = {h["run_id"]: h for h in history or []}
    cells = []
    classes = []
    for r in runs:
        h = dq.get(r["run_id"])
        if h and int(h["total"]):
            dq_text = f"{h['passed']}/{h['total']}"
            dq_html = badge(dq_text, "ok" if h["passed"] == h["total"] else "warn")
        else:
            dq_html = '<span class="muted">—</span>'
        cells.append(
            (
                f"<code>{esc(r.get('run_id'))}</code>",
                status_badge(r.get("status")),
                esc(fmt_ts(r.get("started_at"))),
                esc(fmt_seconds(duration_seconds(r.get("started_at"), r.get("finished_at")))),
                *(
                    esc(fmt_int(r.get(k)))
                    for k in (
                        "files_seen",
                        "files_new",
                        "files_skipped",
                        "files_rejected",
                        "articles_loaded",
                    )
                ),
                dq_html,
            )
        )
        status = str(r.get("status"))
        classes.append(
            {"failed_validation": "fail-warning", "failed": "fail-error"}.get(status, "")
        )
    out.append(
        table_html(
            "recent-runs",
            (
                "Run",
                "Status",
                "Started",
                "Duration",
                "Seen",
                "New",
                "Skipped",
                "Rejected",
                "Articles",
                "DQ passed",
            ),
            cells,
            row_classes=classes,
            numeric=(4, 5, 6, 7, 8),
        )
    )
    out.append("</section>")
    return "".join(out)


STYLE = """
:root { --text:#1f2933; --muted:#616e7c; --line:#e4e7eb; --zebra:#f7f9fb; --bg:#f3f5f7;
  --card:#fff; --accent:#3b6ea5; --ok:#2f855a; --warn:#b7700d; --bad:#c0392b; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Noto Sans", "Liberation Sans", sans-serif; }
header.top { background:#1f2d3d; color:#fff; padding:18px 32px 14px; }
header.top h1 { margin:0; font-size:22px; font-weight:600; letter-spacing:.2px; }
header.top .sub { color:#c3ccd6; font-size:13px; margin-top:4px; }
header.top a { color:#fff; }
nav { display:flex; gap:18px; flex-wrap:wrap; margin-top:10px; font-size:13px; }
nav a { color:#dbe4ee; text-decoration:none; border-bottom:1px solid transparent; }
nav a:hover { border-bottom-color:#dbe4ee; }
main { max-width:1200px; margin:0 auto; padding:8px 32px 40px; }
section { margin-top:28px; }
h2 { font-size:18px; font-weight:600; margin:0 0 12px; padding-bottom:6px;
  border-bottom:1px solid var(--line); }
h3 { font-size:14px; font-weight:600; margin:0 0 8px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:14px 16px;
  margin:0; }
.grid-2 { display:grid; grid-template-columns:repeat(auto-fit, minmax(460px, 1fr)); gap:16px;
  margin-top:16px; align-items:start; }
.grid-1 { margin-top:16px; }
.nowrap { white-space:nowrap; }
td code { white-space:nowrap; }
.card.wide { margin-top:16px; }
.kpis { display:grid; grid-template-columns:repeat(auto-fit, minmax(130px, 1fr)); gap:12px;
  margin-top:12px; }
.kpi { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 14px; }
.kpi-label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.4px; }
.kpi-value { font-size:22px; white-space:nowrap; font-weight:600;
  font-variant-numeric:tabular-nums; }
.kpi-hint { color:var(--muted); font-size:12px; }
.run-head { display:flex; gap:12px; align-items:center; flex-wrap:wrap; }
.muted { color:var(--muted); font-weight:400; }
.note { color:var(--muted); font-style:italic; margin:6px 0; }
.callout { border-left:4px solid; padding:8px 12px; border-radius:4px; margin:12px 0 0; }
.callout-warn { border-color:var(--warn); background:#fdf6e7; }
.callout-bad { border-color:var(--bad); background:#fcecea; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.path { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  overflow-wrap:anywhere; }
.table-wrap { overflow-x:auto; }
table { border-collapse:collapse; width:100%; background:var(--card); font-size:13px; }
th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line);
  vertical-align:top; }
th { font-weight:600; color:var(--muted); font-size:12px; text-transform:uppercase;
  letter-spacing:.3px; background:#fafbfc; }
th.num, td.num { text-align:right; font-variant-numeric:tabular-nums; }
tbody tr:nth-child(even) { background:var(--zebra); }
tr.fail-error td { background:#fcecea; }
tr.fail-error td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
tr.fail-warning td { background:#fdf6e7; }
tr.fail-warning td:first-child { box-shadow: inset 3px 0 0 var(--warn); }
section > .table-wrap { border:1px solid var(--line); border-radius:8px; }
.badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px;
  font-weight:600; white-space:nowrap; }
.badge-ok { background:#e3f4ea; color:#1f6b44; }
.badge-warn { background:#fbefd5; color:#8a5a0b; }
.badge-bad { background:#fadcd8; color:#9b2c20; }
.badge-muted { background:#eceff2; color:#52606d; }
.detail { overflow-wrap:anywhere; }
details.detail summary { cursor:pointer; color:var(--text); }
#dq-by-table { max-width:760px; }
details#dq-all > summary { cursor:pointer; font-weight:600; margin-bottom:8px; }
.mark-ok { color:var(--ok); } .mark-bad { color:var(--bad); font-weight:700; }
.mark-warn { color:var(--warn); font-weight:700; }
details.detail pre { white-space:pre-wrap; overflow-wrap:anywhere; font-size:12px;
  background:#f5f7fa; padding:6px 8px; border-radius:4px; max-height:240px; overflow:auto; }
figure.chart-card { min-width:0; }
svg.chart { width:100%; height:auto; display:block; font-family:inherit; }
svg.chart text { fill:var(--text); font-size:11.5px; }
svg.chart .chart-title, .chart-title-html { font-size:14px; font-weight:600; }
svg.chart .tick, svg.chart .legend { fill:var(--muted); font-size:11px; }
svg.chart .axis-label { fill:var(--muted); font-size:11.5px; }
svg.chart .value { font-size:11px; font-variant-numeric:tabular-nums; }
svg.chart .grid { stroke:#edf0f3; stroke-width:1; }
svg.chart .axis { stroke:#9aa5b1; stroke-width:1; }
svg.chart .nodata { fill:none; stroke-width:1.5; stroke-dasharray:3 2; }
svg.chart g.bar:hover rect { opacity:.8; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:16px; }
"""


def render_html(wh: Warehouse, database: Path, data_docs_href: str | None) -> str:
    """Assemble the whole page from the sections; pure so tests can call it without a file."""
    last_rows = wh.rows("last_run")
    last = last_rows[0] if last_rows else None
    runs = wh.rows("recent_runs", {"limit": RECENT_RUNS})
    history = wh.rows("dq_history", {"limit": DQ_HISTORY_RUNS})
    rejected_total = None
    if wh.has("rejected_files"):
        counted = wh.rows("table_count", {"table_name": "rejected_files"})
        rejected_total = int(counted[0]["row_count"]) if counted else None

    body = [
        section_last_run(wh, last),
        section_quality(wh, last, history),
        section_content(wh),
        section_rejections(wh, rejected_total),
        section_runs(runs, history),
    ]
    links = [
        ("#last-run", "Last run"),
        ("#quality", "Data quality"),
        ("#content", "Content"),
        ("#rejections", "Rejected files"),
        ("#runs", "Recent runs"),
    ]
    nav = "".join(f'<a href="{esc(href)}">{esc(text)}</a>' for href, text in links)
    if data_docs_href is not None:
        nav += f'<a id="data-docs-link" href="{esc(data_docs_href)}">GX Data Docs ↗</a>'
    errors = ""
    if wh.errors:
        items = "".join(f"<li><code>{esc(e)}</code></li>" for e in wh.errors)
        errors = (
            '<section id="report-errors"><p class="callout callout-bad">Some report queries '
            f"failed; their panels are empty.</p><ul>{items}</ul></section>"
        )
    empty = ""
    if not wh.tables:
        empty = note("No data yet: the warehouse has no tables. Run the pipeline first.")
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>newswire · data-quality report</title>"
        f"<style>{STYLE}</style></head><body>"
        '<header class="top"><h1>newswire · data-quality report</h1>'
        f'<div class="sub">Warehouse <code>{esc(database.name)}</code> · generated '
        f"{esc(generated)}</div><nav>{nav}</nav></header>"
        f"<main>{empty}{errors}{''.join(body)}</main>"
        "<footer>newswire — generated offline from the DuckDB warehouse; "
        "hover bars for exact values.</footer></body></html>\n"
    )


def relative_href(target: Path, base_dir: Path) -> str:
    """A URL to ``target`` relative to the report directory, so the reports folder can move."""
    rel = os.path.relpath(target.resolve(), base_dir.resolve())
    return quote(Path(rel).as_posix())


def write_report(database: Path, reports_dir: Path, *, data_docs_index: Path | None = None) -> Path:
    """Render <reports_dir>/index.html (the newswire summary) from the warehouse; return its path.

    The warehouse is opened read-only and closed before the page is written; a missing database
    file renders the 'no data yet' page instead of creating an empty warehouse. The page is
    written to a temp file and moved into place, so a reader never sees half a page.
    """
    reports_dir.mkdir(parents=True, exist_ok=True)
    if data_docs_index is None and (reports_dir / DATA_DOCS_INDEX).is_file():
        data_docs_index = reports_dir / DATA_DOCS_INDEX  # built by the last run's validate stage
    href = relative_href(data_docs_index, reports_dir) if data_docs_index is not None else None
    if database.exists():
        con = duckdb.connect(str(database), read_only=True)
        try:
            page = render_html(Warehouse(con), database, href)
        finally:
            con.close()
    else:
        page = render_html(Warehouse(None), database, href)

    target = reports_dir / REPORT_FILE
    fd, tmp_name = tempfile.mkstemp(prefix=".index-", suffix=".html.tmp", dir=reports_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the report from the command line: ``python -m flows.report --warehouse DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m flows.report", description="Render the newswire data-quality report."
    )
    parser.add_argument(
        "--warehouse", type=Path, required=True, help=f"directory holding {DATABASE_FILE}"
    )
    parser.add_argument(
        "--reports-dir",
        type=Path,
        default=None,
        help="output directory (default WAREHOUSE/reports)",
    )
    parser.add_argument(
        "--data-docs", type=Path, default=None, help="GX Data Docs index.html to link to"
    )
    args = parser.parse_args(argv)
    reports_dir = args.reports_dir or args.warehouse / "reports"
    path = write_report(args.warehouse / DATABASE_FILE, reports_dir, data_docs_index=args.data_docs)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
