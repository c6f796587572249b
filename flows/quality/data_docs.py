"""GX Data Docs of the last validation, rebuilt whole under ``<warehouse>/reports/data_docs/``.

Data Docs are the detail behind the summary page: every expectation of every suite with its
observed values. Two things about GX's own site are fixed here:

- It keeps one folder per validation run forever. We build the site for this run's results only
  into a fresh folder and swap it in, so the folder never grows; the history across runs lives
  in ``dq_results`` and the summary page.
- Its pages load Bootstrap, jQuery, Font Awesome and Vega from CDNs and render unstyled offline.
  We drop those tags and inline a small stylesheet (``OFFLINE_CSS``), so a page looks the same
  with or without a network and never waits on one. Filters and collapsible panels, which need
  the CDN scripts, simply show everything.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.quality.results import ERROR, DqResult

log = logging.getLogger("newswire")

SITE_NAME = "newswire"
INDEX_FILE = "index.html"
# Of GX's static images only these are used by the pages; the rest are 3 MB of tutorial GIFs.
KEEP_IMAGES = frozenset({"favicon.ico"})

_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)
_REMOTE_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE
)
_REMOTE_IMAGE = re.compile(r"<img\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE | re.DOTALL)
_REMOTE_CSS_URL = re.compile(r"url\(\s*['\"]?https?://[^)]*\)", re.IGNORECASE)
_NEWSLETTER = re.compile(r"<footer>\s*<p>\s*Stay current.*?</footer>", re.IGNORECASE | re.DOTALL)

OFFLINE_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Liberation Sans", sans-serif; color:#1f2933; margin:0; padding:0 24px 32px; background:#f7f9fb; }
a { color:#3b6ea5; }
nav.navbar, .navbar { padding:10px 0; border-bottom:1px solid #e4e7eb; margin-bottom:12px; }
ol.breadcrumb { display:flex; gap:8px; list-style:none; padding:0; margin:0; }
ol.breadcrumb li + li::before { content:"/"; color:#9aa5b1; margin-right:8px; }
h1, h2, h3, h4, h5, h6 { font-weight:600; margin:18px 0 8px; }
h3 { font-size:18px; } h4 { font-size:16px; } h5, h6 { font-size:14px; }
.container-fluid, .container { max-width:1400px; }
.card, .ge-section { background:#fff; border:1px solid #e4e7eb; border-radius:8px;
  padding:10px 14px; margin:12px 0; }
.card-header { font-weight:600; }
table { border-collapse:collapse; width:100%; background:#fff; font-size:13px; margin:6px 0; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid #e4e7eb; vertical-align:top; }
th { color:#616e7c; font-size:12px; text-transform:uppercase; letter-spacing:.3px; }
tbody tr:nth-child(even) { background:#f7f9fb; }
code, pre, .text-monospace { font:12.5px ui-monospace, SFMono-Regular, Menlo, Consolas,
  "Liberation Mono", monospace; }
span.badge, .badge { display:inline-block; padding:0 6px; border-radius:999px; background:#eceff2;
  font-size:12px; }
.text-danger { color:#c0392b; } .text-success { color:#2f855a; } .text-warning { color:#b7700d; }
.text-muted { color:#616e7c; }
i.fas, i.fa { font-style:normal; font-weight:700; }
tr:has(i.fa-times) > td { background:#fcecea; }
i.fa-check-circle::before, i.fa-check::before { content:"\\2714"; }
i.fa-times::before, i.fa-times-circle::before { content:"\\2718"; }
i.fa-exclamation-triangle::before { content:"\\26A0"; }
i.fa-info-circle::before, i.fa-question-circle::before { content:"\\24D8"; }
.sticky, .ge-breadcrumbs { position:static; }
.cooltip .top { display:none; }
.nav-tabs, .nav { display:flex; gap:16px; list-style:none; padding:0; }
.tab-pane { margin-top:8px; }
.d-none, .sr-only { display:none; }
#ge-cta-footer, .ge-cta-footer { display:none; }
"""


def build_data_docs(
    runner: Any, results: Sequence[DqResult], site_dir: Path, run_name: str
) -> Path:
    """Render the runner's last validation as a Data Docs site at ``site_dir``; return its index.

    ``runner`` is a ``flows.validate.SuiteRunner`` that has just validated a batch and
    ``results`` what it returned. GX's own index page lists results with scripts from a CDN, so
    the site gets a plain index of ours instead.
    """
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    context = runner.context
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    building = site_dir.with_name(f".{site_dir.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    config = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(building),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    sites = context.get_config().data_docs_sites or {}
    if SITE_NAME in sites:
        context.delete_data_docs_site(SITE_NAME)
    context.add_data_docs_site(SITE_NAME, config)

    store = context.validation_results_store
    for key in store.list_keys():  # only this run's results: the site must not grow
        store.remove_key(key)
    run_id = RunIdentifier(run_name=run_name, run_time=datetime.now(UTC))
    validations: Mapping[str, Any] = runner.last_results
    for frame, validation in validations.items():
        validation.meta["run_id"] = run_id
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(name=frame), run_id, "batch")
        store.set(key, validation)
    context.build_data_docs(site_names=[SITE_NAME])
    make_offline(building)
    write_index(building, runner.specs, results, run_name)
    _swap_in(building, site_dir)
    return site_dir / INDEX_FILE


def make_offline(site: Path) -> None:
    """Drop CDN assets and GX's newsletter footer from every page; inline a stylesheet."""
    style = f"<style>{OFFLINE_CSS}</style>"
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = _REMOTE_LINK.sub("", text)
        text = _REMOTE_SCRIPT.sub("", text)
        text = _REMOTE_IMAGE.sub("", text)
        text = _REMOTE_CSS_URL.sub("none", text)
        text = _NEWSLETTER.sub("", text)
        text = text.replace('<div style="color:red;" >', '<div class="notes">')
        text = text.replace("</head>", style + "</head>", 1)
        page.write_text(text, encoding="utf-8")
    images = site / "static" / "images"
    if images.is_dir():
        for image in images.iterdir():
            if image.name not in KEEP_IMAGES:
                image.unlink()
    fonts = site / "static" / "fonts"
    shutil.rmtree(fonts, ignore_errors=True)  # 600 kB of a font the inline style does not use


def write_index(
    site: Path,
    suites: Mapping[str, Mapping[str, Any]],
    results: Sequence[DqResult],
    run_name: str,
) -> Path:
    """The site's front page: one row per suite with its outcome and links to GX's pages."""
    rows = []
    for name in sorted(suites):
        mine = [r for r in results if r.table_name == name]
        failed = [r for r in mine if not r.success]
        errors = sum(1 for r in failed if r.severity == ERROR)
        if errors:
            status = '<span class="bad">blocked the load</span>'
        elif failed:
            status = '<span class="warn">warnings</span>'
        else:
            status = '<span class="ok">passed</span>'
        pages = sorted((site / "validations" / name).rglob("*.html"))
        validation = (
            f'<a href="{_href(pages[-1], site)}">results</a>'
            if pages
            else '<span class="muted">no rows in this batch</span>'
        )
        suite_page = site / "expectations" / f"{name}.html"
        expectations = (
            f'<a href="{_href(suite_page, site)}">expectations</a>' if suite_page.exists() else ""
        )
        notes = str(suites[name].get("meta", {}).get("notes", ""))
        rows.append(
            f"<tr><td><code>{_esc(name)}</code></td><td>{_esc(notes)}</td><td>{status}</td>"
            f'<td class="num">{len(mine) - len(failed)} / {len(mine)}</td>'
            f'<td class="num">{errors}</td><td class="num">{len(failed) - errors}</td>'
            f"<td>{validation} · {expectations}</td></tr>"
        )
    built = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>newswire · GX Data Docs</title>"
        f"<style>{OFFLINE_CSS}{INDEX_CSS}</style></head><body>"
        '<p><a href="../index.html">← newswire data-quality report</a></p>'
        f"<h1>GX Data Docs · run <code>{_esc(run_name)}</code></h1>"
        f'<p class="muted">Built {_esc(built)} from this run\'s validation only; results of '
        "earlier runs are in the report's history.</p>"
        "<table><thead><tr><th>Suite (frame)</th><th>What it checks</th><th>Outcome</th>"
        '<th class="num">Passed</th><th class="num">Failed errors</th>'
        '<th class="num">Failed warnings</th><th>Pages</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )
    index = site / INDEX_FILE
    index.write_text(page, encoding="utf-8")
    return index


INDEX_CSS = """
body { max-width:1300px; margin:0 auto; padding:16px 24px 40px; }
h1 { font-size:20px; } .num { text-align:right; font-variant-numeric:tabular-nums; }
.ok { color:#1f6b44; font-weight:600; } .warn { color:#8a5a0b; font-weight:600; }
.bad { color:#9b2c20; font-weight:600; } .muted { color:#616e7c; }
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _href(target: Path, base: Path) -> str:
    from urllib.parse import quote

    return _esc(quote(target.relative_to(base).as_posix()))


def _swap_in(building: Path, site_dir: Path) -> None:
    """Replace the old site with the new one; readers see one whole site or the other."""
    old = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(building, site_dir)
    shutil.rmtree(old, ignore_errors=True)
