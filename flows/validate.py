"""Validate a batch with the Great Expectations suites kept as JSON in ``expectations/``.

Each suite is named after the frame it checks: a batch table (``articles.json`` checks the
batch's articles) or a derived frame that turns a cross-table rule into columns GX can check
(``article_checks``: story paragraphs per article; ``run_accounting``: the file counts).
Expectations carry ``meta.severity``: 'error' (the default) blocks the load, 'warning' is
reported only. GX is imported here only, because importing it costs seconds.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ERROR = "error"
WARNING = "warning"
_EARLIEST_DATE = datetime(1980, 1, 1)


@dataclass(frozen=True)
class DqResult:
    """One expectation's outcome on one frame."""

    table_name: str
    expectation: str
    success: bool
    unexpected_count: int | None
    details: str | None
    severity: str


def load_suites(expectations_dir: Path) -> dict[str, dict[str, Any]]:
    """Read every suite JSON file; the file name (without .json) is the frame it validates."""
    suites = {}
    for path in sorted(expectations_dir.glob("*.json")):
        suites[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    return suites


def validation_parameters(tables: Mapping[str, pa.Table], today: date) -> dict[str, Any]:
    """Values that suites reference as ``{"$PARAMETER": name}``: they depend on the batch."""
    return {
        "batch_article_ids": tables["articles"].column("article_id").to_pylist(),
        "batch_entity_ids": tables["entities"].column("entity_id").to_pylist(),
        "min_published_date": _EARLIEST_DATE,
        "max_published_date": datetime.combine(today + timedelta(days=1), datetime.min.time()),
    }


def derived_frames(
    tables: Mapping[str, pa.Table], accounting: Mapping[str, int]
) -> dict[str, pd.DataFrame]:
    """Frames that express cross-table rules as plain columns."""
    articles = tables["articles"]
    paragraphs = tables["paragraphs"]
    notes = tables["update_notes"]
    story_counts: dict[str, int] = {}
    kinds = paragraphs.column("kind").to_pylist()
    for article_id, kind in zip(paragraphs.column("article_id").to_pylist(), kinds, strict=True):
        if kind == "story":
            story_counts[article_id] = story_counts.get(article_id, 0) + 1
    mention_counts: dict[str, int] = {}
    for article_id in tables["entity_mentions"].column("article_id").to_pylist():
        mention_counts[article_id] = mention_counts.get(article_id, 0) + 1
    article_ids = articles.column("article_id").to_pylist()
    article_checks = pd.DataFrame(
        {
            "article_id": article_ids,
            "paragraph_count": articles.column("paragraph_count").to_pylist(),
            "story_paragraphs": [story_counts.get(a, 0) for a in article_ids],
            "entity_count": [mention_counts.get(a, 0) for a in article_ids],
            "headline_length": pc.utf8_length(articles.column("headline")).to_pylist(),
        }
    )
    article_checks["paragraph_count_gap"] = (
        article_checks["paragraph_count"] - article_checks["story_paragraphs"]
    )
    article_checks["has_entity"] = article_checks["entity_count"] > 0
    paragraph_count = dict(
        zip(article_ids, articles.column("paragraph_count").to_pylist(), strict=True)
    )
    action_rows: list[tuple[str, int, str]] = []
    ref_rows: list[tuple[str, int, int, int]] = []
    for article_id, note_no, actions, refs in zip(
        notes.column("article_id").to_pylist(),
        notes.column("note_no").to_pylist(),
        notes.column("actions").to_pylist(),
        notes.column("paragraph_refs").to_pylist(),
        strict=True,
    ):
        action_rows.extend((article_id, note_no, action) for action in actions)
        count = paragraph_count.get(article_id, 0)
        ref_rows.extend((article_id, note_no, ref, count) for ref in refs)
    run_accounting = pd.DataFrame([dict(accounting)])
    run_accounting["unaccounted"] = (
        run_accounting["files_seen"]
        - run_accounting["files_new"]
        - run_accounting["files_skipped"]
        - run_accounting["files_rejected"]
    )
    return {
        "article_checks": article_checks,
        "update_note_actions": pd.DataFrame(
            action_rows, columns=["article_id", "note_no", "action"]
        ),
        "update_note_refs": pd.DataFrame(
            ref_rows, columns=["article_id", "note_no", "paragraph_ref", "paragraph_count"]
        ),
        "run_accounting": run_accounting,
    }


def to_frames(tables: Mapping[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """Arrow tables as pandas frames, dates as timestamps so range checks compare them."""
    return {name: table.to_pandas(date_as_object=False) for name, table in tables.items()}


def describe(expectation: Mapping[str, Any]) -> str:
    """A short, stable name for an expectation: its type and the columns it checks."""
    kwargs = expectation.get("kwargs", {})
    columns = [str(kwargs[key]) for key in ("column", "column_A", "column_B") if key in kwargs] + [
        str(c) for c in kwargs.get("column_list", [])
    ]
    return f"{expectation['type']}({', '.join(columns)})" if columns else expectation["type"]


def validate_frames(
    frames: Mapping[str, pd.DataFrame],
    suites: Mapping[str, dict[str, Any]],
    parameters: Mapping[str, Any],
) -> list[DqResult]:
    """Run every suite against its frame and return one result per expectation."""
    missing = sorted(set(suites) - set(frames))
    if missing:
        raise ValueError(f"expectation suites with no frame to validate: {', '.join(missing)}")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for noisy in ("great_expectations", "great_expectations.core", "py.warnings"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("newswire_batch")
    results: list[DqResult] = []
    for name in sorted(suites):
        spec = suites[name]
        frame = frames[name]
        if frame.empty:
            # Aggregate expectations (means, proportions) are undefined on no rows.
            results.extend(
                DqResult(
                    name,
                    describe(e),
                    True,
                    0,
                    "no rows in this batch",
                    e.get("meta", {}).get("severity", ERROR),
                )
                for e in spec["expectations"]
            )
            continue
        suite = context.suites.add(gx.ExpectationSuite(**copy.deepcopy(spec)))
        batch_definition = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(
            "whole"
        )
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        outcome = batch.validate(suite, expectation_parameters=dict(parameters))
        for result in outcome.results:
            config = result.expectation_config
            assert config is not None  # GX sets it on every result of a suite run
            description = describe({"type": config.type, "kwargs": config.kwargs})
            results.append(
                DqResult(
                    table_name=name,
                    expectation=description,
                    success=bool(result.success),
                    unexpected_count=_unexpected_count(result.result),
                    details=_details(result),
                    severity=(config.meta or {}).get("severity", ERROR),
                )
            )
    return results


def _unexpected_count(result: Mapping[str, Any]) -> int | None:
    value = result.get("unexpected_count")
    return int(value) if value is not None else None


def _details(result: Any) -> str | None:
    """What a reviewer needs to find the problem: sample bad values or the error raised."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return f"error: {info.get('exception_message')}"
    sample = result.result.get("partial_unexpected_list")
    if sample:
        return "sample: " + json.dumps([str(value) for value in sample[:5]])
    observed = result.result.get("observed_value")
    if observed is not None:
        return f"observed: {observed}"
    return None


def blocking_failures(results: list[DqResult]) -> list[DqResult]:
    """Error-level expectations that failed: any one of them stops the load."""
    return [result for result in results if not result.success and result.severity == ERROR]
