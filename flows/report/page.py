"""Render the newswire data-quality summary page from the DuckDB warehouse.

The page is one self-contained HTML file (inline CSS, inline SVG charts, no scripts and no
external assets) so it can be opened offline, attached to a ticket or served from any static
directory. ``sections`` turns query rows into plain view data; the Jinja2 templates beside this
module turn that into markup. Every value from the warehouse is untrusted (headlines, file names
and details come straight from wire files), so the environment autoescapes and no Python code
writes markup.

Nothing here imports Prefect: the flow, the CLI and the tests all call :func:`write_report`.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from flows.report.data import Warehouse, open_warehouse
from flows.report.sections import page_view
from flows.settings import WarehouseLayout

NAV = (
    ("#last-run", "Last run"),
    ("#quality", "Data quality"),
    ("#content", "Content"),
    ("#rejections", "Rejected files"),
    ("#runs", "Recent runs"),
)


@cache
def environment() -> Environment:
    """Templates of this package; autoescaping on, and a misspelt name fails instead of blanking.

    ``finalize`` prints None as nothing, as a missing value always showed on this page.
    """
    return Environment(
        loader=PackageLoader("flows.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=lambda value: "" if value is None else value,
    )


def render_html(wh: Warehouse, database: Path, data_docs_href: str | None) -> str:
    """Assemble the whole page from the sections; pure so tests can call it without a file."""
    sections = page_view(wh)
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            database=database.name,
            generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            nav=NAV,
            data_docs_href=data_docs_href,
            no_tables=not wh.tables,
            errors=wh.errors,
            **sections,
        )
    )


def relative_href(target: Path, base_dir: Path) -> str:
    """A URL to ``target`` relative to the report directory, so the reports folder can move."""
    rel = os.path.relpath(target.resolve(), base_dir.resolve())
    return quote(Path(rel).as_posix())


def write_report(warehouse: WarehouseLayout) -> Path:
    """Render the summary page of ``warehouse`` (``reports/index.html``); return its path.

    The database is opened read-only and closed before the page is written; a missing database
    file renders the 'no data yet' page instead of creating an empty warehouse. The GX Data Docs
    of the last validation are linked when they exist. The page is written to a temp file and
    moved into place, so a reader never sees half a page.
    """
    reports = warehouse.reports
    reports.mkdir(parents=True, exist_ok=True)
    docs_index = warehouse.data_docs / "index.html"
    href = relative_href(docs_index, reports) if docs_index.is_file() else None
    with open_warehouse(warehouse.database) as wh:
        page = render_html(wh, warehouse.database, href)

    target = warehouse.report
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=f"{target.suffix}.tmp", dir=target.parent
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target
