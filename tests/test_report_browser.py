"""Render the report in real headless Chromium: charts draw, hostile text stays inert.

Skipped when no Chromium is installed, except in CI (``CI=true``), which installs it: there a
missing Chromium fails these tests, so a broken set-up cannot pass as a skip. Chromium is started
with every switch that stops it reaching for the network, and with a fresh profile, else it can
hang in a sandbox.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import struct
import subprocess
from pathlib import Path

import duckdb
import pytest

from flows.report import write_report
from flows.settings import WarehouseLayout

TIMEOUT_S = 60
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
PWNED_TITLE = "document.title='pwned'"
XSS_HEADLINE = f"Markets <script>{PWNED_TITLE}</script> & bonds"
XSS_FILE = "in/<img src=x onerror=\"document.title='pwned-img'\">.txt"
CHART_IDS = (
    "chart-stage-times",
    "chart-dq-pass-rate",
    "chart-stories-per-day",
    "chart-entities-by-type",
    "chart-top-entities",
    "chart-update-actions",
    "chart-rejections-by-reason",
)


def find_chromium() -> str | None:
    """The Chromium binary, preferring Debian's /usr/bin/chromium."""
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


CHROMIUM = find_chromium()
CHROMIUM_MISSING = (
    "Chromium not installed (/usr/bin/chromium or `chromium` on PATH); "
    "install it with `apt-get install -y chromium` to run the browser test"
)
# CI sets CI=true and installs Chromium: there a missing browser is a failure, not a skip.
IN_CI = os.environ.get("CI") == "true"
pytestmark = pytest.mark.skipif(CHROMIUM is None and not IN_CI, reason=CHROMIUM_MISSING)


@pytest.fixture(autouse=True)
def chromium_installed() -> None:
    """Fail (in CI, where the skip above does not apply) when Chromium is missing."""
    if CHROMIUM is None:
        pytest.fail(f"{CHROMIUM_MISSING} (CI=true: the browser tests must run in CI)")


def run_chromium(tmp_path: Path, *args: str) -> str:
    """Run headless Chromium with a fresh profile; kill its whole process group on timeout."""
    assert CHROMIUM is not None
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"chromium did not finish within {TIMEOUT_S} s: {' '.join(cmd)}")
    assert proc.returncode == 0, f"chromium exited {proc.returncode}: {err[-2000:]}"
    return out


# A compact copy of the warehouse contract, kept here so this file stands alone.
DDL = (
    "create table articles (article_id varchar, story_id varchar, version integer, is_latest "
    "boolean, source_file varchar, content_sha256 varchar, published_date date, headline varchar, "
    "wire varchar, dateline varchar, lede varchar, body varchar, paragraph_count integer, "
    "word_count integer, copyright varchar, ingested_at timestamp, run_id varchar)",
    "create table paragraphs (article_id varchar, paragraph_no integer, position integer, "
    "kind varchar, text varchar)",
    "create table entities (entity_id varchar, name varchar, entity_type varchar, "
    "aliases varchar[])",
    "create table entity_mentions (article_id varchar, entity_id varchar, mention_count integer, "
    "first_paragraph_no integer, surface_forms varchar[])",
    "create table update_notes (article_id varchar, note_no integer, text varchar, "
    "actions varchar[], subject varchar, paragraph_refs integer[], scope varchar, "
    "refers_to_date date, placement varchar)",
    "create table related_links (article_id varchar, link_no integer, title varchar)",
    "create table source_files (source_file varchar, content_sha256 varchar, size_bytes bigint, "
    "status varchar, article_id varchar, first_seen_run varchar, last_seen_run varchar)",
    "create table rejected_files (source_file varchar, content_sha256 varchar, reason varchar, "
    "detail varchar, run_id varchar, rejected_at timestamp)",
    "create table pipeline_runs (run_id varchar primary key, flow_run_id varchar, "
    "started_at timestamp, finished_at timestamp, status varchar, files_seen integer, "
    "files_new integer, files_skipped integer, files_rejected integer, articles_loaded integer)",
    "create table dq_results (run_id varchar, table_name varchar, expectation varchar, "
    "success boolean, unexpected_count bigint, details varchar, severity varchar)",
    'create table run_stages (run_id varchar, stage varchar, seconds double, "rows" bigint)',
)


def build_warehouse(path: Path) -> Path:
    """A small warehouse with two runs, a hostile headline and a hostile file name."""
    t0 = dt.datetime(2024, 5, 1, 10, 0)
    t1 = dt.datetime(2024, 5, 2, 10, 0)
    con = duckdb.connect(str(path))
    try:
        for ddl in DDL:
            con.execute(ddl)
        rows: dict[str, list[tuple[object, ...]]] = {
            "pipeline_runs": [
                ("run-1", None, t0, t0 + dt.timedelta(seconds=61), "success", 5, 5, 0, 1, 3),
                (
                    "run-2",
                    None,
                    t1,
                    t1 + dt.timedelta(seconds=9),
                    "failed_validation",
                    6,
                    1,
                    5,
                    0,
                    0,
                ),
            ],
            "articles": [
                (
                    f"a{i}",
                    f"s{i}",
                    1,
                    True,
                    f"in/s{i}.txt",
                    f"h{i}",
                    dt.date(2024, 4, 27 + i),
                    XSS_HEADLINE if i == 1 else f"Story {i} & co",
                    "AP",
                    "PARIS",
                    "l",
                    "b",
                    2,
                    90,
                    None,
                    t0,
                    "run-1",
                )
                for i in range(1, 4)
            ],
            "entities": [("e1", "Acme <b>Corp</b>", "ORG", []), ("e2", "Paris", "GPE", [])],
            "entity_mentions": [
                ("a1", "e1", 2, 1, []),
                ("a2", "e1", 1, 1, []),
                ("a3", "e2", 1, 1, []),
            ],
            "update_notes": [("a1", 1, "Updates", ["updates"], None, [], None, None, "top")],
            "source_files": [(XSS_FILE, "hx", 0, "rejected", None, "run-1", "run-1")],
            "rejected_files": [(XSS_FILE, "hx", "empty", "<i>0 bytes</i>", "run-1", t0)],
            "dq_results": [
                ("run-1", "articles", "expect_unique", True, 0, None, "error"),
                ("run-2", "articles", "expect_unique", False, 2, "<script>x</script>", "error"),
                ("run-2", "articles", "expect_not_null", True, 0, None, "warning"),
            ],
            "run_stages": [
                ("run-2", "discover", 0.4, 6),
                ("run-2", "parse", 2.0, 1),
                ("run-2", "validate", 5.5, 9),
            ],
        }
        for table, values in rows.items():
            marks = ", ".join("?" * len(values[0]))
            con.executemany(f"insert into {table} values ({marks})", values)
    finally:
        con.close()
    return path


@pytest.fixture
def report_page(tmp_path: Path) -> Path:
    """The report of the small warehouse, written where Chromium can open it."""
    build_warehouse(tmp_path / "news.duckdb")
    return write_report(WarehouseLayout(tmp_path))


def title_of(dom: str) -> str:
    """The document title after the page ran, as Chromium serialised it."""
    match = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert match, "dumped DOM has no <title>"
    return match.group(1)


def test_detector_catches_an_executed_script(tmp_path: Path) -> None:
    """Control: an unescaped payload does change the title, so the real check below means it."""
    bad = tmp_path / "bad.html"
    bad.write_text(f"<!DOCTYPE html><title>t</title><p>{XSS_HEADLINE}</p>", encoding="utf-8")
    dom = run_chromium(tmp_path, "--dump-dom", bad.as_uri())
    assert title_of(dom) == "pwned"


def test_dom_has_charts_and_inert_payload(tmp_path: Path, report_page: Path) -> None:
    dom = run_chromium(tmp_path, "--dump-dom", report_page.as_uri())
    assert "pwned" not in title_of(dom)
    assert title_of(dom).startswith("newswire")
    for chart_id in CHART_IDS:
        match = re.search(rf'<svg id="{chart_id}"[^>]*role="img"[^>]*>.*?</svg>', dom, re.S)
        assert match, f"chart {chart_id} missing from the DOM"
        assert "<rect" in match.group(0), f"chart {chart_id} draws no bars"
    # The payloads are text, not elements.
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt; &amp; bonds" in dom
    assert "&lt;img src=x onerror=" in dom
    assert "<img" not in dom
    assert "<script" not in dom
    assert "Acme &lt;b&gt;Corp&lt;/b&gt;" in dom


def test_screenshot_renders(tmp_path: Path, report_page: Path) -> None:
    shot = tmp_path / "report.png"
    run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", report_page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2400)
    # A blank page compresses to almost nothing; a drawn report does not.
    assert len(data) > 30_000


@pytest.mark.usefixtures("prefect_server")
def test_report_of_a_real_run_renders_with_hostile_headline_as_text(
    tmp_path: Path, seed_input: Path
) -> None:
    """The page a real flow run writes (seeds/ plus a story with a script in its headline)."""
    from flows.pipeline import newswire_run

    (seed_input / "zz_hostile.txt").write_text(
        f" date 2022-11-18 {XSS_HEADLINE}\n\n(Bloomberg) -- Stocks in Lisbon and Frankfurt rose "
        "on Friday while bonds slipped, traders at Banco Atlantico said.\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "warehouse"
    newswire_run(input_dir=str(seed_input), warehouse_dir=str(warehouse))
    page = warehouse / "reports" / "index.html"

    dom = run_chromium(tmp_path, "--dump-dom", page.as_uri())

    assert title_of(dom).startswith("newswire")
    for chart_id in CHART_IDS:
        match = re.search(rf'<svg id="{chart_id}"[^>]*role="img"[^>]*>.*?</svg>', dom, re.S)
        assert match, f"chart {chart_id} missing from the DOM"
        assert "<rect" in match.group(0), f"chart {chart_id} draws no bars"
    assert "Markets &lt;script&gt;document.title='pwned'&lt;/script&gt; &amp; bonds" in dom
    assert "<script" not in dom
    assert 'id="data-docs-link" href="data_docs/index.html"' in dom
    docs = run_chromium(tmp_path, "--dump-dom", (page.parent / "data_docs" / "index.html").as_uri())
    assert "GX Data Docs" in docs
    assert len(re.findall(r"<tr><td><code>", docs)) >= 10
