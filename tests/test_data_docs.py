"""GX Data Docs of a validation: offline pages, one run's results only, failures visible."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from batches import Batch

from flows.quality import data_docs
from flows.quality import suites as validate
from flows.report import write_report
from flows.settings import WarehouseLayout

TODAY = date(2024, 6, 1)
REMOTE_ASSET = re.compile(
    r"<(?:link|script|img)\b[^>]*\b(?:href|src)=\"(?:https?:)?//[^\"]*\"", re.IGNORECASE
)


def build_site(
    runner: validate.SuiteRunner, batch: Batch, site: Path, run_name: str
) -> tuple[Path, list[validate.DqResult]]:
    results = batch.validate(runner, TODAY)
    return data_docs.build_data_docs(runner, results, site, run_name), results


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory,
    suite_runner: validate.SuiteRunner,
    seed_batch: Batch,
) -> Path:
    """A site built twice for two runs of a good batch, then once for a failing one."""
    site = tmp_path_factory.mktemp("reports") / "data_docs"
    build_site(suite_runner, seed_batch, site, "run-1")
    build_site(suite_runner, seed_batch, site, "run-2")
    broken = seed_batch.edit("articles", lambda rows: rows[0].update(word_count=0))
    build_site(suite_runner, broken, site, "run-3")
    return site


def test_site_holds_only_the_last_run(site: Path, suite_runner: validate.SuiteRunner) -> None:
    runs = {p.name for p in site.glob("validations/*/*")}
    assert runs == {"run-3"}
    assert not list(site.parent.glob(".data_docs.*")), "building or old folders left behind"
    files = [p for p in site.rglob("*") if p.is_file()]
    # A results page and an expectations page per suite, the index and a little static CSS.
    assert len(files) <= 2 * len(suite_runner.specs) + 6


def test_pages_load_nothing_from_the_network(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not REMOTE_ASSET.search(text), page
        assert "newsletter" not in text.lower(), page


def test_index_lists_every_suite_and_flags_the_failure(
    site: Path, suite_runner: validate.SuiteRunner
) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in suite_runner.specs:
        assert f"<code>{name}</code>" in index
    row = re.search(r"<tr><td><code>articles</code>.*?</tr>", index)
    assert row
    assert "blocked the load" in row.group(0)
    link = re.search(r'href="(validations/articles/[^"]+)"', row.group(0))
    assert link and (site / link.group(1)).is_file()
    assert "run-3" in index


def test_expectation_pages_show_why_each_exists(site: Path) -> None:
    page = (site / "expectations" / "articles.html").read_text(encoding="utf-8")
    assert "error (blocks the load): A story with no words" in page


def test_summary_report_links_to_the_site(site: Path, tmp_path: Path) -> None:
    warehouse = WarehouseLayout(tmp_path)  # no database: the 'no data yet' page still links
    shutil.copytree(site, warehouse.data_docs)
    page = write_report(warehouse).read_text(encoding="utf-8")
    assert 'id="data-docs-link" href="data_docs/index.html"' in page
