"""What each section of the report shows, as plain data: rows of text, numbers formatted.

The templates only place what this module hands them, so every decision about the page's content
(which query, which rows, how a number reads, which class highlights a failure) is here, in
Python that tests can call. Views query in page order, which is the order errors are listed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from flows.report.charts import (
    ACCENT,
    AMBER,
    CATEGORICAL,
    GREEN,
    GREY,
    RED,
    STATUS_COLOURS,
    Bar,
    Chart,
    ChartCard,
    chart_card,
    hbar_chart,
    vbar_chart,
)
from flows.report.data import Row, Warehouse
from flows.report.formatting import (
    View,
    detail,
    duration_seconds,
    fmt_int,
    fmt_seconds,
    fmt_ts,
    run_label,
)
from flows.report.quality_rejections import is_quality_reason, quality_rejections_view

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


RUN_COUNTS = (
    ("files_seen", "Files seen"),
    ("files_new", "New"),
    ("files_skipped", "Skipped"),
    ("files_rejected", "Rejected"),
    ("articles_loaded", "Articles loaded"),
)


def status_badge(status: object) -> View:
    """Run status as a badge: green success, amber failed validation, red failure."""
    kind = {"success": "ok", "failed_validation": "warn", "failed": "bad"}.get(str(status), "muted")
    return {"text": status if status is not None else "unknown", "kind": kind}


def kpi(key: str, label: str, value: str, hint: str = "") -> View:
    """One headline number; its element id (``kpi-files-seen``) is what tests and links find."""
    return {"id": f"kpi-{key.replace('_', '-')}", "label": label, "value": value, "hint": hint}


# --------------------------------------------------------------------------------------------
# Sections: each returns the plain data its template draws.
# --------------------------------------------------------------------------------------------


def last_run_view(wh: Warehouse, last: Row | None) -> View:
    """Status, timings and counts of the newest run, with table sizes and stage times."""
    run: View | None = None
    if last is not None:
        started, finished = last.get("started_at"), last.get("finished_at")
        kpis = [kpi("duration", "Duration", fmt_seconds(duration_seconds(started, finished)))]
        kpis += [kpi(key, label, fmt_int(last.get(key))) for key, label in RUN_COUNTS]
        totals = wh.rows("story_totals")
        if totals:
            t = totals[0]
            hint = f"{fmt_int(t['versions'])} versions"
            kpis.append(kpi("stories", "Stories", fmt_int(t["stories"]), hint))
        run = {
            "run_id": last.get("run_id"),
            "status": status_badge(last.get("status")),
            "started": fmt_ts(started),
            "finished": fmt_ts(finished),
            "outcome": {"failed_validation": "warn", "failed": "bad"}.get(str(last.get("status"))),
            "message": last.get("message") or None,
            "kpis": kpis,
        }
    counts = [
        {"name": name, "rows": fmt_int(n) if n is not None else None}
        for name, n in wh.table_counts()
    ]
    statuses = [
        {"status": s["status"], "files": fmt_int(s["files"])}
        for s in wh.rows("source_file_status") or []
    ]
    stages = wh.rows("stage_times", {"run_id": last["run_id"]}) if last else None
    chart = Chart(
        "chart-stage-times",
        "Time per stage (last run)",
        "seconds",
        "stage",
        "Seconds spent in each pipeline stage of the last run (this report is drawn after the "
        "run's record is written, so its own time is not here).",
    )
    bars = [
        Bar(
            label=str(s["stage"]),
            value=float(s["seconds"] or 0),
            tooltip=f"{s['stage']}: {fmt_seconds(s['seconds'])}, {fmt_int(s['row_count'])} rows",
            value_label=fmt_seconds(s["seconds"]),
        )
        for s in stages or []
    ]
    return {
        "run": run,
        "table_counts": counts,
        "statuses": statuses,
        "stage_chart": chart_card(
            chart, bars, lambda: hbar_chart(chart, bars), "No stage timings recorded yet."
        ),
    }


def result_rows(results: Sequence[Row]) -> list[View]:
    """Expectation results as table rows; a failure is marked by its severity."""
    rows = []
    for r in results:
        sev = r["severity"]
        ok = bool(r["success"])
        sev_kind = "bad" if sev == "error" else "warn" if sev == "warning" else "muted"
        rows.append(
            {
                "css": "" if ok else ("fail-error" if sev == "error" else "fail-warning"),
                "table": r["table_name"],
                "expectation": r["expectation"],
                "severity": {"text": sev if sev is not None else "—", "kind": sev_kind},
                "result": {"text": "pass" if ok else "fail", "kind": "ok" if ok else sev_kind},
                "unexpected": fmt_int(r["unexpected_count"]),
                "detail": detail(r["details"]),
            }
        )
    return rows


def by_table_rows(results: Sequence[Row]) -> list[View]:
    """Expectations per table of the last run: how many passed, which severities failed."""
    tables: dict[str, list[Row]] = {}
    for r in results:
        tables.setdefault(str(r["table_name"]), []).append(r)
    rows = []
    for name in sorted(tables):
        results_of = tables[name]
        errors = sum(1 for r in results_of if not r["success"] and r["severity"] == "error")
        warnings = sum(1 for r in results_of if not r["success"] and r["severity"] != "error")
        passed = len(results_of) - errors - warnings
        rows.append(
            {
                "css": "fail-error" if errors else "fail-warning" if warnings else "",
                "table": name,
                "passed": f"{passed} / {len(results_of)}",
                "errors": errors,
                "warnings": warnings,
            }
        )
    return rows


def failure_history_view(wh: Warehouse) -> View:
    """Expectations that failed in any recent run, with their outcome run by run."""
    runs: dict[str, Row] = {}
    grid: dict[tuple[str, str, str], dict[str, Row]] = {}
    for r in wh.rows("dq_failure_history", {"limit": DQ_FAILURE_RUNS}) or []:
        runs.setdefault(str(r["run_id"]), r)
        key = (str(r["table_name"]), str(r["expectation"]), str(r["severity"]))
        grid.setdefault(key, {})[str(r["run_id"])] = r
    rows = []
    for (table, expectation, severity), outcomes in grid.items():
        kind = "bad" if severity == "error" else "warn"
        marks = []
        for run_id in runs:
            o = outcomes.get(run_id)
            if o is None or o["success"] is None:
                marks.append({"css": "muted", "title": "not evaluated", "symbol": "·"})
            elif o["success"]:
                marks.append({"css": "mark-ok", "title": "passed", "symbol": "✓"})
            else:
                count = o["unexpected_count"]
                title = f"failed, {fmt_int(count)} unexpected" if count else "failed"
                marks.append({"css": f"mark-{kind}", "title": title, "symbol": "✗"})
        rows.append(
            {
                "table": table,
                "expectation": expectation,
                "severity": {"text": severity, "kind": kind},
                "marks": marks,
            }
        )
    return {
        "runs": DQ_FAILURE_RUNS,
        "headers": ["Table", "Expectation", "Severity"]
        + [run_label(r["started_at"], run_id) for run_id, r in runs.items()],
        "rows": rows,
    }


def pass_rate_card(history: Sequence[Row]) -> ChartCard:
    """The share of expectations each recent run passed, coloured by the run's status."""
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
    for h in history:
        total = int(h["total"])
        rate = 100.0 * int(h["passed"]) / total if total else None
        started = h["started_at"]
        tip = f"run {h['run_id']} ({h['status']}), started {fmt_ts(started)}: " + (
            f"{h['passed']} of {total} passed, {h['failed_errors']} error(s) and "
            f"{h['failed_warnings']} warning(s) failed"
            if total
            else "no expectation results"
        )
        bars.append(
            Bar(
                label=run_label(started, "?"),
                value=rate,
                tooltip=tip,
                colour=STATUS_COLOURS.get(str(h["status"]), GREY),
                value_label=f"{rate:.0f}%" if rate is not None else None,
            )
        )
    return chart_card(
        chart,
        bars,
        lambda: vbar_chart(
            chart, bars, width=1100, y_max=100, tick_format=lambda v: f"{v:.0f}%", max_x_labels=12
        ),
        "No runs with data-quality results yet.",
    )


def quality_view(wh: Warehouse, last: Row | None, history: list[Row] | None) -> View:
    """The last validated run's expectations, its failures, the stories its row-level
    expectations rejected, and quality across recent runs."""
    validated_rows = wh.rows("last_validated_run")
    validated = validated_rows[0] if validated_rows else None
    results = wh.rows("dq_last_run", {"run_id": validated["run_id"]}) if validated else None
    view: View = {"results": None}
    if results and validated is not None:
        stale = None
        if last is not None and last["run_id"] != validated["run_id"]:
            stale = (
                f"The last run ({last['run_id']}) validated nothing: it read no new file, "
                "or it stopped before validation. These are the results of run "
                f"{validated['run_id']}, the last one that validated a batch."
            )
        failed = [r for r in results if not r["success"]]
        errors = sum(1 for r in failed if r["severity"] == "error")
        summary = f"{len(results) - len(failed)} of {len(results)} expectations passed" + (
            f"; {errors} error(s) and {len(failed) - errors} warning(s) failed" if failed else ""
        )
        view["results"] = {
            "stale_note": stale,
            "summary": summary,
            "failed": result_rows(failed),
            "by_table": by_table_rows(results),
            "all": result_rows(results),
            "open": len(results) <= OPEN_RESULTS,
        }
    view["rejected"] = quality_rejections_view(wh, validated)
    view["pass_rate_chart"] = pass_rate_card(history or [])
    view["failure_history"] = failure_history_view(wh)
    return view


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


def stories_card(wh: Warehouse) -> ChartCard:
    """Stories per published day (or month, for a long archive)."""
    days = wh.rows("stories_per_day", {"days": STORY_HISTORY_DAYS}) or []
    unit, bars = story_bars({r["day"]: int(r["stories"]) for r in days})
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
    return chart_card(
        chart, bars, lambda: vbar_chart(chart, bars, max_x_labels=6), "No stories loaded yet."
    )


def entity_cards(wh: Warehouse) -> list[ChartCard]:
    """Entities by type, and the most mentioned entities in their type's colour."""
    types = wh.rows("entities_by_type") or []
    colour = {str(t["entity_type"]): CATEGORICAL[i % len(CATEGORICAL)] for i, t in enumerate(types)}
    type_bars = [
        Bar(
            label=str(t["entity_type"]),
            value=int(t["entities"]),
            tooltip=f"{t['entity_type']}: {fmt_int(t['entities'])} entities",
            colour=colour[str(t["entity_type"])],
            value_label=fmt_int(t["entities"]),
        )
        for t in types
    ]
    by_type = Chart(
        "chart-entities-by-type",
        "Entities by type",
        "entities",
        "type",
        "Number of distinct entities of each type.",
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
            colour=colour.get(str(e["entity_type"]), ACCENT),
            value_label=fmt_int(e["articles"]),
        )
        for e in top
    ]
    seen_types = list(dict.fromkeys(str(e["entity_type"]) for e in top))
    top_chart = Chart(
        "chart-top-entities",
        f"Top {TOP_ENTITIES} entities",
        "articles mentioning the entity (latest versions)",
        "entity",
        f"The {TOP_ENTITIES} entities mentioned by the most articles; colour shows the type.",
        legend=tuple((colour.get(t, ACCENT), t) for t in seen_types),
    )
    return [
        chart_card(
            by_type, type_bars, lambda: hbar_chart(by_type, type_bars), "No entities extracted yet."
        ),
        chart_card(
            top_chart, top_bars, lambda: hbar_chart(top_chart, top_bars), "No entity mentions yet."
        ),
    ]


def actions_card(wh: Warehouse) -> ChartCard:
    """How many update notes name each action (updates, corrects, …)."""
    bars = [
        Bar(
            label=str(a["action"]),
            value=int(a["notes"]),
            tooltip=f"{a['action']}: {fmt_int(a['notes'])} update notes",
            value_label=fmt_int(a["notes"]),
        )
        for a in wh.rows("update_actions") or []
    ]
    chart = Chart(
        "chart-update-actions",
        "Update notes by action",
        "update notes (all versions)",
        "action",
        "Number of update notes naming each action, over every loaded article version.",
    )
    return chart_card(chart, bars, lambda: hbar_chart(chart, bars), "No update notes yet.")


def content_view(wh: Warehouse) -> View:
    """What the warehouse holds: stories per day, entities, update notes and the latest stories."""
    charts = [stories_card(wh), *entity_cards(wh), actions_card(wh)]
    stories = [
        {
            "published": fmt_ts(s["published_date"]),
            "headline": s["headline"],
            "wire": s["wire"],
            "dateline": s["dateline"] or "—",
            "version": fmt_int(s["version"]),
            "words": fmt_int(s["word_count"]),
            "file": s["source_file"],
        }
        for s in wh.rows("latest_stories", {"limit": LATEST_STORIES}) or []
    ]
    return {"charts": charts, "stories": stories, "latest": LATEST_STORIES}


def rejections_view(wh: Warehouse, total: int | None) -> View:
    """Why input files were turned away, as a chart by reason and the list of files.

    Discovery and the parser reject files, and so do the row-level quality checks (``dq_``
    reasons, shown per expectation under 'Data quality'); their bars differ in colour.
    """
    bars = [
        Bar(
            label=str(r["reason"]),
            value=int(r["files"]),
            tooltip=f"{r['reason']}: {fmt_int(r['files'])} files",
            colour=AMBER if is_quality_reason(r["reason"]) else RED,
            value_label=fmt_int(r["files"]),
        )
        for r in wh.rows("rejections_by_reason") or []
    ]
    quality = any(bar.colour == AMBER for bar in bars)
    chart = Chart(
        "chart-rejections-by-reason",
        "Rejections by reason",
        "files",
        "reason",
        "Number of rejected input files per rejection reason, over all runs.",
        legend=((RED, "discovery and parser"), (AMBER, "quality checks (dq_…)")) if quality else (),
    )
    card = chart_card(
        chart, bars, lambda: hbar_chart(chart, bars, width=1100), "No files rejected so far."
    )
    files = wh.rows("rejected_files", {"limit": REJECTED_ROWS}) or []
    return {
        "chart": card,
        "quality": quality,
        "shown": f"latest {len(files)} of {fmt_int(total)}" if total and total > len(files) else "",
        "files": [
            {
                "file": f["source_file"],
                "reason": f["reason"],
                "detail": detail(f["detail"]),
                "run_id": f["run_id"],
                "when": fmt_ts(f["rejected_at"]),
            }
            for f in files
        ],
    }


def runs_view(runs: list[Row] | None, history: list[Row] | None) -> View:
    """The last runs at a glance, with failed ones highlighted."""
    dq = {h["run_id"]: h for h in history or []}
    rows = []
    for r in runs or []:
        h = dq.get(r["run_id"])
        dq_badge = None
        if h and int(h["total"]):
            dq_badge = {
                "text": f"{h['passed']}/{h['total']}",
                "kind": "ok" if h["passed"] == h["total"] else "warn",
            }
        rows.append(
            {
                "css": {"failed_validation": "fail-warning", "failed": "fail-error"}.get(
                    str(r.get("status")), ""
                ),
                "run_id": r.get("run_id"),
                "status": status_badge(r.get("status")),
                "started": fmt_ts(r.get("started_at")),
                "duration": fmt_seconds(
                    duration_seconds(r.get("started_at"), r.get("finished_at"))
                ),
                "counts": [fmt_int(r.get(key)) for key, _ in RUN_COUNTS],
                "dq": dq_badge,
            }
        )
    return {"limit": RECENT_RUNS, "rows": rows}


def page_view(wh: Warehouse) -> View:
    """Every section's view, keyed by its template's name.

    Built in page order, since each view queries the warehouse and the page lists query errors
    in the order they happened.
    """
    last_rows = wh.rows("last_run")
    last = last_rows[0] if last_rows else None
    runs = wh.rows("recent_runs", {"limit": RECENT_RUNS})
    history = wh.rows("dq_history", {"limit": DQ_HISTORY_RUNS})
    rejected_total = wh.table_count("rejected_files")
    return {
        "last_run": last_run_view(wh, last),
        "quality": quality_view(wh, last, history),
        "content": content_view(wh),
        "rejections": rejections_view(wh, rejected_total),
        "runs": runs_view(runs, history),
    }
