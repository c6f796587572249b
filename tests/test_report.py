"""Unit tests of the data-quality report page, on a tiny warehouse built in ``tmp_path``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from flows import schemas
from flows.quality.results import DqResult, rejected_note, story_rejections
from flows.report import charts, data, formatting, quality_rejections, sections, write_report
from flows.report import page as report
from flows.settings import SQL_DIR, WarehouseLayout
from flows.store.warehouse import prepare_next, publish_next, record_run

# The warehouse contract as DDL, so these tests do not depend on the loader being finished.
DDL = {
    "articles": """create table articles (article_id varchar, story_id varchar, version integer,
        is_latest boolean, source_file varchar, content_sha256 varchar, published_date date,
        headline varchar, wire varchar, dateline varchar, lede varchar, body varchar,
        paragraph_count integer, word_count integer, copyright varchar, ingested_at timestamp,
        run_id varchar)""",
    "paragraphs": """create table paragraphs (article_id varchar, paragraph_no integer,
        position integer, kind varchar, text varchar)""",
    "entities": """create table entities (entity_id varchar, name varchar, entity_type varchar,
        aliases varchar[])""",
    "entity_mentions": """create table entity_mentions (article_id varchar, entity_id varchar,
        mention_count integer, first_paragraph_no integer, surface_forms varchar[])""",
    "update_notes": """create table update_notes (article_id varchar, note_no integer,
        text varchar, actions varchar[], subject varchar, paragraph_refs integer[], scope varchar,
        refers_to_date date, placement varchar)""",
    "related_links": """create table related_links (article_id varchar, link_no integer,
        title varchar)""",
    "source_files": """create table source_files (source_file varchar, content_sha256 varchar,
        size_bytes bigint, status varchar, article_id varchar, first_seen_run varchar,
        last_seen_run varchar)""",
    "rejected_files": """create table rejected_files (source_file varchar,
        content_sha256 varchar, reason varchar, detail varchar, run_id varchar,
        rejected_at timestamp)""",
    "pipeline_runs": """create table pipeline_runs (run_id varchar primary key,
        flow_run_id varchar, started_at timestamp, finished_at timestamp, status varchar,
        files_seen integer, files_new integer, files_skipped integer, files_rejected integer,
        articles_loaded integer)""",
    "dq_results": """create table dq_results (run_id varchar, table_name varchar,
        expectation varchar, success boolean, unexpected_count bigint, details varchar,
        severity varchar)""",
    "run_stages": """create table run_stages (run_id varchar, stage varchar, seconds double,
        "rows" bigint)""",
}

XSS_HEADLINE = "Markets <script>alert(1)</script> rally & bonds slip"
T0 = dt.datetime(2024, 5, 1, 10, 0, 0)
T1 = dt.datetime(2024, 5, 2, 9, 30, 0)

ROWS: dict[str, list[tuple[object, ...]]] = {
    "pipeline_runs": [
        ("run-1", "flow-1", T0, T0 + dt.timedelta(seconds=90), "success", 6, 6, 0, 2, 4),
        ("run-2", "flow-2", T1, T1 + dt.timedelta(seconds=40), "failed_validation", 7, 1, 6, 0, 0),
    ],
    "articles": [
        # story s1 has two versions; only v2 is latest.
        (
            "a1",
            "s1",
            1,
            False,
            "in/s1-v1.txt",
            "h1",
            dt.date(2024, 4, 28),
            "Old headline",
            "AP",
            "PARIS",
            "lede",
            "body",
            3,
            120,
            None,
            T0,
            "run-1",
        ),
        (
            "a2",
            "s1",
            2,
            True,
            "in/s1-v2.txt",
            "h2",
            dt.date(2024, 4, 28),
            XSS_HEADLINE,
            "AP",
            "PARIS",
            "lede",
            "body",
            4,
            150,
            "(c) AP",
            T0,
            "run-1",
        ),
        (
            "a3",
            "s2",
            1,
            True,
            "in/s2.txt",
            "h3",
            dt.date(2024, 4, 28),
            "Rates & yields",
            "Reuters",
            None,
            "lede",
            "body",
            2,
            80,
            None,
            T0,
            "run-1",
        ),
        (
            "a4",
            "s3",
            1,
            True,
            "in/s3.txt",
            "h4",
            dt.date(2024, 4, 30),
            "Quiet day",
            "AFP",
            "LONDON",
            "lede",
            "body",
            2,
            60,
            None,
            T0,
            "run-1",
        ),
    ],
    "paragraphs": [
        ("a2", 1, 0, "story", "First."),
        ("a2", None, 1, "update_note", "Updates with quote."),
        ("a3", 1, 0, "story", "Only."),
    ],
    "entities": [
        ("e1", "Acme <Corp>", "ORG", ["Acme"]),
        ("e2", "Jane Doe", "PERSON", []),
        ("e3", "Paris", "GPE", []),
        ("e4", "Globex", "ORG", []),
    ],
    "entity_mentions": [
        ("a1", "e1", 1, 1, ["Acme"]),  # old version: must not count
        ("a1", "e4", 1, 1, ["Globex"]),  # old version only: must not appear
        ("a2", "e1", 2, 1, ["Acme"]),
        ("a3", "e1", 1, 1, ["Acme"]),
        ("a2", "e2", 1, 2, ["Jane Doe"]),
        ("a4", "e3", 3, 1, ["Paris"]),
    ],
    "update_notes": [
        ("a2", 1, "Updates with quote", ["updates", "adds"], "quote", [2], "story", None, "top"),
        ("a3", 1, "Corrects name", ["corrects"], "name", [1], "story", None, "bottom"),
        ("a4", 1, "Note without action", [], None, [], None, None, "top"),
    ],
    "related_links": [("a2", 1, "Related <b>story</b>")],
    "source_files": [
        ("in/s1-v1.txt", "h1", 100, "loaded", "a1", "run-1", "run-2"),
        ("in/s1-v2.txt", "h2", 110, "loaded", "a2", "run-1", "run-2"),
        ("in/s2.txt", "h3", 90, "loaded", "a3", "run-1", "run-2"),
        ("in/s3.txt", "h4", 80, "loaded", "a4", "run-1", "run-2"),
        ("in/s3-copy.txt", "h4", 80, "duplicate", None, "run-1", "run-2"),
        ("in/<evil>.txt", "h5", 0, "rejected", None, "run-1", "run-2"),
        ("in/latin1.txt", "h6", 50, "rejected", None, "run-1", "run-2"),
    ],
    "rejected_files": [
        ("in/<evil>.txt", "h5", "empty", "file has 0 bytes", "run-1", T0),
        (
            "in/latin1.txt",
            "h6",
            "not_utf8",
            'byte 0xe9 at 12 "quoted" & <b>bold</b>',
            "run-1",
            T0 + dt.timedelta(seconds=1),
        ),
    ],
    "dq_results": [
        ("run-1", "articles", "expect_column_values_to_not_be_null", True, 0, None, "error"),
        ("run-1", "articles", "expect_column_values_to_be_unique", True, 0, None, "error"),
        ("run-1", "paragraphs", "expect_column_values_to_be_in_set", True, 0, None, "warning"),
        ("run-2", "articles", "expect_column_values_to_not_be_null", True, 0, None, "error"),
        (
            "run-2",
            "articles",
            "expect_column_values_to_be_unique",
            False,
            3,
            "duplicate ids: <a1>, a2 & a3",
            "error",
        ),
        (
            "run-2",
            "paragraphs",
            "expect_column_values_to_be_in_set",
            False,
            1,
            "x" * 300,
            "warning",
        ),
        ("run-2", "entities", "expect_table_row_count_to_be_between", True, 0, None, "warning"),
    ],
    "run_stages": [
        ("run-1", "load", 3.5, 40),
        ("run-1", "discover", 0.2, 6),
        ("run-1", "parse", 12.0, 6),
        ("run-2", "validate", 2.25, 10),
        ("run-2", "discover", 0.1, 7),
        ("run-2", "parse", 1.5, 1),
        ("run-2", "report", 0.3, 1),
    ],
}


def build_warehouse(path: Path, tables: dict[str, list[tuple[object, ...]]] = ROWS) -> Path:
    """Create a DuckDB file holding ``tables`` (DDL from the contract) and close it."""
    con = duckdb.connect(str(path))
    try:
        for name, rows in tables.items():
            con.execute(DDL[name])
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                con.executemany(f"insert into {name} values ({marks})", rows)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The rendered page of the full tiny warehouse, built once since tests only read it."""
    tmp = tmp_path_factory.mktemp("report")
    build_warehouse(tmp / "news.duckdb")
    return write_report(WarehouseLayout(tmp)).read_text(encoding="utf-8")


CHART_IDS = (
    "chart-stage-times",
    "chart-dq-pass-rate",
    "chart-stories-per-day",
    "chart-entities-by-type",
    "chart-top-entities",
    "chart-update-actions",
    "chart-rejections-by-reason",
)


def svg_of(page: str, chart_id: str) -> str:
    """The markup of one chart, to check what it draws."""
    match = re.search(rf'<svg id="{chart_id}".*?</svg>', page, re.S)
    assert match, f"chart {chart_id} missing"
    return match.group(0)


def test_untrusted_text_is_escaped(page: str) -> None:
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; rally &amp; bonds slip" in page
    assert "Rates &amp; yields" in page
    assert "in/&lt;evil&gt;.txt" in page
    assert "&#34;quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "duplicate ids: &lt;a1&gt;, a2 &amp; a3" in page
    # Inside SVG text and <title> tooltips too.
    assert "Acme &lt;Corp&gt;" in svg_of(page, "chart-top-entities")
    assert "<Corp>" not in page
    assert "<b>" not in page
    # The only script-like tags are none at all: the page is fully static.
    assert "<script" not in page.lower()


def test_page_is_self_contained(page: str) -> None:
    assert "<style>" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page
    assert "@import" not in page


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_chart_is_an_accessible_svg(page: str, chart_id: str) -> None:
    svg = svg_of(page, chart_id)
    assert 'role="img"' in svg
    assert 'aria-label="' in svg
    assert "<title>" in svg
    assert 'class="axis-label"' in svg
    assert 'class="chart-title"' in svg


def test_counts_per_table(page: str) -> None:
    expected = {name: len(rows) for name, rows in ROWS.items()}
    for table, n in expected.items():
        assert f'<span data-table="{table}">{n}</span>' in page


def test_last_run_is_the_failed_validation_run(page: str) -> None:
    assert "Run <code>run-2</code>" in page
    assert "failed validation" in page.lower()
    assert re.search(r'id="kpi-files-seen">.*?kpi-value">7<', page)
    assert re.search(r'id="kpi-files-skipped">.*?kpi-value">6<', page)
    assert re.search(r'id="kpi-articles-loaded">.*?kpi-value">0<', page)
    assert re.search(r'id="kpi-duration">.*?kpi-value">40.0 s<', page)
    assert re.search(r'id="kpi-stories">.*?kpi-value">3<.*?4 versions', page)


def test_stage_chart_shows_last_run_in_pipeline_order(page: str) -> None:
    svg = svg_of(page, "chart-stage-times")
    labels = re.findall(r'class="label"[^>]*>([^<]+)<', svg)
    assert labels == ["discover", "parse", "validate", "report"]
    assert "2.2 s" in svg or "2.3 s" in svg
    assert "load" not in labels  # a stage of run-1 only


def test_dq_results_failures_first_and_highlighted(page: str) -> None:
    assert "2 of 4 expectations passed; 1 error(s) and 1 warning(s) failed" in page
    table = re.search(r'<table id="dq-results">.*?</table>', page, re.S)
    assert table
    rows = re.findall(r"<tr(?: class=\"([^\"]+)\")?><td>", table.group(0))
    assert rows == ["fail-error", "fail-warning", "", ""]
    # Long details fold away behind <details>.
    assert "<details" in table.group(0)


def test_dq_history_shows_both_runs(page: str) -> None:
    svg = svg_of(page, "chart-dq-pass-rate")
    assert "100%" in svg
    assert "50%" in svg
    assert "run run-2 (failed_validation)" in svg
    assert charts.AMBER in svg and charts.GREEN in svg


def test_top_entities_count_latest_versions_only(page: str) -> None:
    svg = svg_of(page, "chart-top-entities")
    assert "Acme &lt;Corp&gt; (ORG): 2 articles, 3 mentions" in svg
    assert "Globex" not in svg
    labels = re.findall(r'class="label"[^>]*>([^<]+)<', svg)
    assert labels[0] == "Acme &lt;Corp&gt;"


def test_stories_per_day_fills_gaps(page: str) -> None:
    svg = svg_of(page, "chart-stories-per-day")
    assert "2024-04-28: 2 stories" in svg
    assert "2024-04-29: 0 stories" in svg
    assert "2024-04-30: 1 stories" in svg


def test_update_actions_and_rejections(page: str) -> None:
    actions = svg_of(page, "chart-update-actions")
    for action in ("updates", "adds", "corrects", "(none)"):
        assert f"{action}: 1 update notes" in actions
    reasons = svg_of(page, "chart-rejections-by-reason")
    assert "empty: 1 files" in reasons
    assert "not_utf8: 1 files" in reasons
    assert 'id="rejected-files"' in page


def test_recent_runs_table(page: str) -> None:
    table = re.search(r'<table id="recent-runs">.*?</table>', page, re.S)
    assert table
    text = table.group(0)
    assert text.index("run-2") < text.index("run-1")
    assert 'class="fail-warning"' in text
    assert "3/3" in text and "2/4" in text


def test_no_query_errors_on_full_warehouse(tmp_path: Path) -> None:
    db = build_warehouse(tmp_path / "news.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    try:
        wh = data.Warehouse(con)
        report.render_html(wh, db, None)
    finally:
        con.close()
    assert wh.errors == []
    assert wh.tables == set(DDL)


def test_empty_database_renders_no_data_notes(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "news.duckdb")).close()
    page = write_report(WarehouseLayout(tmp_path)).read_text(encoding="utf-8")
    assert "No data yet" in page
    assert "No pipeline runs yet" in page
    assert "<svg" not in page
    for chart_id in CHART_IDS:
        assert f'id="{chart_id}-empty"' in page
    assert "report-errors" not in page


def test_missing_database_file_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    path = write_report(WarehouseLayout(tmp_path))
    assert not db.exists()
    assert "No data yet" in path.read_text(encoding="utf-8")


def test_first_run_failed_validation_without_data_tables(tmp_path: Path) -> None:
    only_runs: dict[str, list[tuple[object, ...]]] = {
        "pipeline_runs": [
            ("run-1", None, T0, T0 + dt.timedelta(seconds=5), "failed_validation", 2, 2, 0, 1, 0)
        ],
        "dq_results": [("run-1", *ROWS["dq_results"][4][1:])],
        "rejected_files": [ROWS["rejected_files"][0]],
        "run_stages": [("run-1", "validate", 1.0, 3)],
    }
    build_warehouse(tmp_path / "news.duckdb", only_runs)
    page = write_report(WarehouseLayout(tmp_path)).read_text(encoding="utf-8")
    assert "report-errors" not in page
    assert "0 of 1 expectations passed" in page
    assert 'id="chart-stories-per-day-empty"' in page
    assert '<svg id="chart-dq-pass-rate"' in page
    assert '<svg id="chart-rejections-by-reason"' in page
    assert '<span class="muted">not created yet</span>' in page


def test_query_error_is_reported_not_raised(tmp_path: Path) -> None:
    tables = dict(ROWS)
    db = build_warehouse(tmp_path / "news.duckdb", tables)
    con = duckdb.connect(str(db))
    con.execute("alter table dq_results drop column severity")
    con.close()
    page = write_report(WarehouseLayout(tmp_path)).read_text(encoding="utf-8")
    assert 'id="report-errors"' in page
    assert "dq_last_run" in page


def test_write_is_atomic_and_replaces(tmp_path: Path) -> None:
    build_warehouse(tmp_path / "news.duckdb")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    path = write_report(WarehouseLayout(tmp_path))
    assert path == out / "index.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_database_is_opened_read_only(tmp_path: Path) -> None:
    db = build_warehouse(tmp_path / "news.duckdb")
    reader = duckdb.connect(str(db), read_only=True)
    try:
        # A read-write open would conflict with this reader's lock in another process; in one
        # process DuckDB rejects mixing configurations, so a read-only report must succeed here.
        write_report(WarehouseLayout(tmp_path))
    finally:
        reader.close()


def test_data_docs_link_is_relative(tmp_path: Path) -> None:
    build_warehouse(tmp_path / "news.duckdb")
    warehouse = WarehouseLayout(tmp_path)
    no_docs = write_report(warehouse).read_text(encoding="utf-8")
    assert "data-docs-link" not in no_docs
    warehouse.data_docs.mkdir(parents=True)
    (warehouse.data_docs / "index.html").write_text("docs", encoding="utf-8")
    page = write_report(warehouse).read_text(encoding="utf-8")
    assert 'id="data-docs-link" href="data_docs/index.html"' in page
    docs = tmp_path / "gx" / "data docs" / "index.html"
    assert report.relative_href(docs, warehouse.reports) == "../gx/data%20docs/index.html"


def test_report_command_regenerates_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.commands import cli

    build_warehouse(tmp_path / "news.duckdb")
    assert cli.main(["report", "--warehouse", str(tmp_path)]) == 0
    out = tmp_path / "reports" / "index.html"
    assert capsys.readouterr().out.strip() == str(out)
    assert "newswire" in out.read_text(encoding="utf-8")


def test_report_command_without_warehouse_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.commands import cli

    assert cli.main(["report", "--warehouse", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert (
        err == f"newswire: no warehouse at {tmp_path / 'news.duckdb'}; run 'newswire run' first\n"
    )
    assert not (tmp_path / "news.duckdb").exists()
    assert not (tmp_path / "reports").exists()


def test_sql_files_use_lowercase_keywords_and_bound_values() -> None:
    files = sorted((SQL_DIR / "report").glob("*.sql"))
    names = {f.stem for f in files}
    assert set(data.QUERY_TABLES) | {"existing_tables", "table_count"} == names
    upper = re.compile(r"\b(SELECT|FROM|WHERE|GROUP|ORDER|LIMIT|JOIN|WITH|AND|OR|AS)\b")
    for f in files:
        text = "\n".join(
            line for line in f.read_text(encoding="utf-8").splitlines() if not line.startswith("--")
        )
        assert not upper.search(text), f.name
        assert "{" not in text and "%s" not in text, f.name


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [(0, [0.0, 1.0]), (7, [0.0, 2.0, 4.0, 6.0, 8.0]), (100, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0])],
)
def test_nice_ticks(maximum: float, expected: list[float]) -> None:
    assert charts.nice_ticks(maximum) == expected


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "—"), (0.25, "0.25 s"), (12.34, "12.3 s"), (125, "2 min 5 s"), (7260, "2 h 1 min")],
)
def test_fmt_seconds(seconds: float | None, text: str) -> None:
    assert formatting.fmt_seconds(seconds) == text


def test_templates_escape_quotes_and_print_none_as_nothing() -> None:
    template = report.environment().from_string('<a title="{{ v }}">{{ v }}</a>')
    assert template.render(v=None) == '<a title=""></a>'
    escaped = "&#34;a&#34; &amp; &#39;b&#39; &lt;c&gt;"
    assert template.render(v="\"a\" & 'b' <c>") == f'<a title="{escaped}">{escaped}</a>'


def test_templates_ship_inside_the_package() -> None:
    import flows.report

    folder = Path(flows.report.__file__).parent / "templates"
    names = {p.name for p in folder.iterdir()}
    assert {"report.html.j2", "style.css.j2", "macros.html.j2", "charts.html.j2"} <= names


def test_stories_over_years_are_drawn_per_month() -> None:
    by_day = {dt.date(2022, 10, 30): 2, dt.date(2022, 12, 1): 1, dt.date(2023, 2, 14): 4}
    unit, bars = sections.story_bars(by_day)
    assert unit == "month"
    assert [(b.label, b.value) for b in bars] == [
        ("2022-10", 2),
        ("2022-11", 0),
        ("2022-12", 1),
        ("2023-01", 0),
        ("2023-02", 4),
    ]
    unit, bars = sections.story_bars({dt.date(2023, 2, 1): 1, dt.date(2023, 2, 3): 2})
    assert unit == "day"
    assert [b.value for b in bars] == [1, 0, 2]


# Autoescaping proof: every text column the page shows holds markup and both quote characters.
HOSTILE = "<script>alert(1)</script> \"double\" 'single' & co"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &#34;double&#34; &#39;single&#39; &amp; co"
HOSTILE_ROWS: dict[str, list[tuple[object, ...]]] = {
    "pipeline_runs": [
        ("run-0", None, T0, T0 + dt.timedelta(seconds=3), HOSTILE, 1, 1, 0, 0, 1),
        (
            f"run {HOSTILE}",
            None,
            T1,
            T1 + dt.timedelta(seconds=9),
            "failed_validation",
            3,
            3,
            0,
            1,
            0,
        ),
    ],
    "run_stages": [(f"run {HOSTILE}", HOSTILE, 1.5, 3)],
    "dq_results": [
        (f"run {HOSTILE}", HOSTILE, HOSTILE, False, 2, HOSTILE, "error"),
        (f"run {HOSTILE}", "articles", "expect_long_detail", False, 1, HOSTILE * 5, "warning"),
    ],
    "articles": [
        (
            "a1",
            "s1",
            1,
            True,
            f"in/{HOSTILE}.txt",
            "h1",
            dt.date(2024, 4, 28),
            HOSTILE,
            HOSTILE,
            HOSTILE,
            "lede",
            "body",
            1,
            10,
            None,
            T0,
            "run-0",
        )
    ],
    "entities": [("e1", HOSTILE, HOSTILE, [])],
    "entity_mentions": [("a1", "e1", 1, 1, [])],
    "update_notes": [("a1", 1, "note", [HOSTILE], None, [], None, None, "top")],
    "source_files": [(f"in/{HOSTILE}.txt", "h1", 10, HOSTILE, "a1", "run-0", "run-0")],
    "rejected_files": [(f"in/{HOSTILE}.txt", "h2", HOSTILE, HOSTILE, f"run {HOSTILE}", T1)],
}


def test_untrusted_text_is_escaped_in_every_section(tmp_path: Path) -> None:
    build_warehouse(tmp_path / "news.duckdb", HOSTILE_ROWS)
    page = write_report(WarehouseLayout(tmp_path)).read_text(encoding="utf-8")
    assert "report-errors" not in page
    # Nothing of the payload survives as markup, and no quote is left bare for an attribute.
    assert "<script" not in page.lower()
    assert '"double"' not in page
    assert "'single'" not in page
    # Escaped once, not twice: the reader sees the text as it is in the warehouse.
    assert "&amp;lt;" not in page and "&amp;#" not in page
    sections = dict(re.findall(r'<section id="([^"]+)">(.*?)</section>', page, re.S))
    assert set(sections) == {"last-run", "quality", "content", "rejections", "runs"}
    for name, html_text in sections.items():
        assert ESCAPED in html_text, name
    # Run id, status, headline, wire, dateline, file, reason and details, each in its cell.
    assert f"Run <code>run {ESCAPED}</code>" in sections["last-run"]
    assert f"<tr><td>{ESCAPED}</td>" in sections["last-run"]  # source file status
    assert f'<span class="badge badge-muted">{ESCAPED}</span>' in sections["runs"]
    assert f"<td>{ESCAPED}</td><td>{ESCAPED}</td><td>{ESCAPED}</td>" in sections["content"]
    assert f'<span class="path">in/{ESCAPED}.txt</span>' in sections["content"]
    assert f'<span class="path">in/{ESCAPED}.txt</span>' in sections["rejections"]
    assert f'<span class="badge badge-bad">{ESCAPED}</span>' in sections["rejections"]
    assert f'<span class="detail">{ESCAPED}</span>' in sections["rejections"]
    assert f'<span class="detail">{ESCAPED}</span>' in sections["quality"]
    assert f"<pre>{ESCAPED * 5}</pre>" in sections["quality"]
    history = re.search(r'<table id="dq-failure-history">.*?</table>', page, re.S)
    assert history and f"<td><code>{ESCAPED}</code></td><td>{ESCAPED}</td>" in history.group(0)
    for chart_id in CHART_IDS:
        if chart_id != "chart-stories-per-day":  # dates only
            assert ESCAPED in svg_of(page, chart_id), chart_id


# --------------------------------------------------------------------------------------------
# 'Rejected by quality checks': the stories row-level expectations took out of a batch.
# --------------------------------------------------------------------------------------------

T2 = dt.datetime(2024, 5, 3, 8, 0, 0)
DATE_CHECK = (
    "expect_column_values_to_be_between(published_date) min_published_date..max_published_date"
)
WORDS_CHECK = "expect_column_values_to_be_between(word_count) 1.."
HOSTILE_FILE = "in/<script>alert(1)</script>.txt"
HOSTILE_FILE_ESCAPED = "in/&lt;script&gt;alert(1)&lt;/script&gt;.txt"


def row_failure(expectation: str, reason: str, articles: int, sample: str) -> DqResult:
    """A failed error-level row expectation as the run records it (its note says what it
    rejected), built by the production code that writes the note."""
    return rejected_note(
        DqResult(
            "articles",
            expectation,
            False,
            articles,
            sample,
            "error",
            scope="row",
            reason=reason,
            rejected_articles=tuple(f"id-{i}" for i in range(articles)),
        )
    )


def dq_row(run_id: str, result: DqResult) -> tuple[object, ...]:
    return (
        run_id,
        result.table_name,
        result.expectation,
        result.success,
        result.unexpected_count,
        result.details,
        result.severity,
    )


def quality_rejection_rows() -> dict[str, list[tuple[object, ...]]]:
    """ROWS plus run-3, the newest and last validated run: two row expectations rejected 23
    stories and 1 (whose file has a hostile name); one file of run-3 is a parser rejection,
    and run-1 had one quality rejection of its own."""
    tables = {name: list(rows) for name, rows in ROWS.items()}
    tables["pipeline_runs"].append(
        ("run-3", "flow-3", T2, T2 + dt.timedelta(seconds=30), "success", 30, 5, 0, 25, 5)
    )

    def rejected(path: str, reason: str, detail: str, run_id: str = "run-3") -> tuple[object, ...]:
        return (path, f"sha-{path}", reason, detail, run_id, T2)

    tables["rejected_files"] += [
        rejected(f"in/future-{i:02d}.txt", "dq_published_date", f"articles: {DATE_CHECK}")
        for i in range(23)
    ]
    tables["rejected_files"] += [
        rejected(HOSTILE_FILE, "dq_word_count", f"articles: {WORDS_CHECK}"),
        rejected("in/blank.txt", "empty", "file is empty or whitespace only"),
        rejected("in/old-future.txt", "dq_published_date", f"articles: {DATE_CHECK}", "run-1"),
    ]
    tables["dq_results"] += [
        dq_row("run-3", row_failure(DATE_CHECK, "dq_published_date", 23, 'sample: ["2099-01-01"]')),
        dq_row("run-3", row_failure(WORDS_CHECK, "dq_word_count", 1, "sample: [0]")),
        (
            "run-3",
            "articles",
            "expect_column_values_to_not_be_null(article_id)",
            True,
            0,
            None,
            "error",
        ),
    ]
    return tables


def panel_of(page: str) -> str:
    """The markup of the 'Rejected by quality checks' card."""
    match = re.search(
        r'<div class="card wide" id="dq-rejections">.*?</div>\n+'
        r'(?=<div class="grid-1">|<div class="card wide">|</section>)',
        page,
        re.S,
    )
    assert match, "panel missing"
    return match.group(0)


def panel_rows(panel: str) -> list[str]:
    table = re.search(r'<table id="dq-rejected">.*?</table>', panel, re.S)
    assert table, "no table of rejections"
    return re.findall(r"<tr class=\"fail-error\">.*?</tr>", table.group(0), re.S)


@pytest.fixture(scope="module")
def dq_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The page of a warehouse whose last validated run rejected stories by quality checks."""
    tmp = tmp_path_factory.mktemp("report-dq-rejections")
    build_warehouse(tmp / "news.duckdb", quality_rejection_rows())
    return write_report(WarehouseLayout(tmp)).read_text(encoding="utf-8")


def test_quality_rejections_show_each_expectation_with_its_reason_count_and_files(
    dq_page: str,
) -> None:
    assert "report-errors" not in dq_page
    panel = panel_of(dq_page)
    assert "Rejected by quality checks" in panel and "run run-3" in panel
    assert "2 expectations took 24 files out of the batch; the rest of it loaded." in panel
    dates, words = panel_rows(panel)  # most stories first
    assert f"<td>{DATE_CHECK}" in dates
    assert '<span class="badge badge-bad">dq_published_date</span>' in dates
    assert '<span class="badge badge-bad">error</span>' in dates
    assert '<td class="num">23</td>' in dates
    assert "rejected 23 stories (dq_published_date); sample: [&#34;2099-01-01&#34;]" in dates
    # Many files fold away: the first 20 listed, the rest counted.
    assert '<details class="files"><summary>23 files</summary>' in dates
    listed = re.findall(r'<span class="path">([^<]+)</span>', dates)
    assert listed == [f"in/future-{i:02d}.txt" for i in range(20)]
    assert "and 3 more" in dates
    # A few files stay open; a hostile file name is text, not markup.
    assert f"<td>{WORDS_CHECK}" in words
    assert '<span class="badge badge-bad">dq_word_count</span>' in words
    assert '<td class="num">1</td>' in words
    assert '<details class="files" open><summary>1 file</summary>' in words
    assert f'<span class="path">{HOSTILE_FILE_ESCAPED}</span>' in words


def test_quality_rejections_leave_other_reasons_and_runs_to_rejected_files(dq_page: str) -> None:
    panel = panel_of(dq_page)
    # The parser's rejection of the same run, and run-1's quality rejection, are not rows here.
    assert "blank.txt" not in panel and "old-future.txt" not in panel
    assert "1 file was rejected by quality checks in 1 other run." in panel
    assert '<a href="#rejections">Rejected files</a> lists the files of every run' in panel
    rejections = re.search(r'<section id="rejections">.*?</section>', dq_page, re.S)
    assert rejections
    for name in ("in/blank.txt", "in/old-future.txt", HOSTILE_FILE_ESCAPED):
        assert f'<span class="path">{name}</span>' in rejections.group(0)
    # There the quality checks' reasons are told apart from the parser's by colour and legend.
    reasons = svg_of(dq_page, "chart-rejections-by-reason")
    assert "quality checks (dq_…)" in reasons
    bars = dict(re.findall(r"<title>([a-z_]+): \d+ files</title>.*?fill=\"(#[0-9a-f]+)\"", reasons))
    assert bars["dq_published_date"] == charts.AMBER
    assert bars["dq_word_count"] == charts.AMBER
    assert bars["empty"] == charts.RED


def test_quality_rejections_chart_has_a_bar_per_expectation(dq_page: str) -> None:
    svg = svg_of(dq_page, "chart-dq-rejections")
    labels = re.findall(r'class="label"[^>]*>([^<]+)<', svg)
    assert labels == ["dq_published_date", "dq_word_count"]
    assert f"articles: {DATE_CHECK} (dq_published_date): 23 stories, 23 files rejected" in svg
    assert 'role="img"' in svg and "<title>" in svg


def test_hostile_file_name_in_quality_rejections_is_escaped(dq_page: str) -> None:
    assert "<script" not in dq_page.lower()
    assert HOSTILE_FILE_ESCAPED in panel_of(dq_page)
    assert "&amp;lt;" not in dq_page  # escaped once, not twice


def test_no_quality_rejection_is_said_in_one_line(page: str) -> None:
    # The tiny warehouse's rejections are the parser's; its last validated run is run-2.
    panel = panel_of(page)
    assert '<p class="note">No story was rejected by quality checks in run run-2.</p>' in panel
    assert "dq-rejected" not in panel and "other run" not in panel
    assert "chart-dq-rejections" not in page


def test_no_validated_run_means_no_quality_rejection(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "news.duckdb")).close()
    page = write_report(WarehouseLayout(tmp_path)).read_text(encoding="utf-8")
    assert "No story was rejected by quality checks: no run has validated a batch yet." in page


def test_quality_rejections_of_a_quarantined_batch_have_no_files(tmp_path: Path) -> None:
    # A batch-level failure quarantined the batch: the row failure's note is all that is left.
    tables = {name: list(rows) for name, rows in ROWS.items()}
    tables["dq_results"].append(
        dq_row("run-2", row_failure(DATE_CHECK, "dq_published_date", 1, 'sample: ["2099-01-01"]'))
    )
    build_warehouse(tmp_path / "news.duckdb", tables)
    panel = panel_of(write_report(WarehouseLayout(tmp_path)).read_text(encoding="utf-8"))
    assert "failed validation as well and was quarantined: no file was recorded" in panel
    (row,) = panel_rows(panel)
    assert '<span class="badge badge-bad">dq_published_date</span>' in row
    assert '<td class="num">1</td>' in row
    assert '<span class="muted">none recorded</span>' in row
    assert "A story is rejected once" not in panel


def test_files_of_an_expectation_are_listed_up_to_a_limit() -> None:
    few = quality_rejections.files_view(["a.txt", "b.txt"], 2)
    assert few == {
        "count": 2,
        "summary": "2 files",
        "list": ["a.txt", "b.txt"],
        "open": True,
        "more": None,
    }
    names = [f"{i}.txt" for i in range(quality_rejections.FILES_SHOWN)]
    many = quality_rejections.files_view(names, 1234)
    assert many["list"] == names and not many["open"]
    assert many["summary"] == "1,234 files" and many["more"] == "and 1,214 more"


def record_row_rejection(warehouse: WarehouseLayout, run_id: str, source_file: str) -> None:
    """A warehouse of the real schema (``sql/ddl``) holding one run whose date check rejected
    the story of ``source_file``: its result recorded by the run's own statements
    (``sql/record``), with the note the flow writes, and the file's ``rejected_files`` row as
    the batch stages it (reason the expectation's, detail '<table>: <expectation>')."""
    started = dt.datetime(2024, 1, 2, 3, 4, 5)
    failure = DqResult(
        "articles",
        DATE_CHECK,
        False,
        1,
        'sample: ["2099-03-04 00:00:00"]',
        "error",
        scope="row",
        reason="dq_published_date",
        rejected_articles=("a" * 32,),
    )
    (result,) = story_rejections([failure]).values()  # as the flow picks it
    run = {"run_id": run_id, "started_at": started, "finished_at": started, "status": "success"}
    run |= {"files_seen": 2, "files_new": 1, "files_skipped": 0, "files_rejected": 1}
    run |= {"articles_loaded": 1}
    prepare_next(warehouse)
    record_run(
        warehouse,
        {
            "pipeline_runs": pa.Table.from_pylist([run], schema=schemas.PIPELINE_RUNS),
            "dq_results": pa.Table.from_pylist(
                [{"run_id": run_id, **vars(rejected_note(result))}], schema=schemas.DQ_RESULTS
            ),
            "run_stages": schemas.RUN_STAGES.empty_table(),
        },
    )
    rejected = {
        "source_file": source_file,
        "content_sha256": "b" * 64,
        "reason": result.reason,
        "detail": f"{result.table_name}: {result.expectation}",
        "run_id": run_id,
        "rejected_at": started,
    }
    with duckdb.connect(str(warehouse.next_database)) as con:
        con.register("batch_rejected", pa.Table.from_pylist([rejected], schemas.REJECTED_FILES))
        con.execute("insert into rejected_files by name select * from batch_rejected")
    publish_next(warehouse)


def test_one_story_rejected_by_a_row_check_in_a_warehouse_of_the_real_schema(
    tmp_path: Path,
) -> None:
    warehouse = WarehouseLayout(tmp_path / "warehouse")
    record_row_rejection(warehouse, "run-future", "feed/zz_<script>alert(1)</script>.txt")

    page = write_report(warehouse).read_text(encoding="utf-8")
    assert "report-errors" not in page
    assert "<script" not in page.lower()
    panel = panel_of(page)
    assert "1 expectation took 1 file out of the batch; the rest of it loaded." in panel
    (row,) = panel_rows(panel)
    assert f"<td>{DATE_CHECK}" in row
    assert '<span class="badge badge-bad">dq_published_date</span>' in row
    assert '<span class="badge badge-bad">error</span>' in row
    assert '<td class="num">1</td>' in row
    assert "rejected 1 story (dq_published_date); sample:" in row
    assert "A story is rejected once" not in panel and "other run" not in panel
    escaped = "feed/zz_&lt;script&gt;alert(1)&lt;/script&gt;.txt"
    assert re.findall(r'<span class="path">([^<]+)</span>', row) == [escaped]


def test_a_rejected_file_without_its_result_is_named_by_its_detail() -> None:
    row = quality_rejections.panel_row(
        {
            "reason": "dq_headline",
            "detail": "articles: expect_column_value_lengths_to_be_between(headline) 1..",
            "table_name": None,
            "expectation": None,
            "severity": None,
            "details": None,
            "stories": None,
            "file_count": 1,
            "files": ["in/a.txt"],
        }
    )
    assert row["table"] == "articles"
    assert row["expectation"] == "expect_column_value_lengths_to_be_between(headline) 1.."
    assert row["severity"] == {"text": "—", "kind": "muted"}
    assert row["stories"] == "—" and row["files"]["list"] == ["in/a.txt"]
