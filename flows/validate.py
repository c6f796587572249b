"""Validate a batch with the Great Expectations suites kept as JSON in ``expectations/``.

Each suite is named after the frame it checks: a batch table (``articles.json`` checks the
batch's articles) or a derived frame that turns a cross-table rule into columns GX can check
(``article_checks``: story paragraphs per article; ``run_accounting``: the file counts).
Expectations carry ``meta.severity``: 'error' (the default) blocks the load, 'warning' is
reported only. GX is imported here only, because importing it costs seconds.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
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


# The table columns that derived_frames and validation_parameters read: with the columns the
# suites name, all a batch needs to read back for validation (story text mostly is not).
DERIVED_INPUTS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "paragraph_count", "headline"),
    "paragraphs": ("article_id", "kind"),
    "entity_mentions": ("article_id",),
    "update_notes": ("article_id", "note_no", "actions", "paragraph_refs"),
    "entities": ("entity_id",),
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
    """Arrow tables as pandas frames, dates as timestamps so range checks compare them.

    Integers become int64 and timestamps nanoseconds: GX's range check is vectorized only for
    those dtypes and calls a Python function per value otherwise (int32 columns, dates as
    datetime64[ms]), which made range checks most of the validation time.
    """
    frames = {}
    for name, table in tables.items():
        frame = table.to_pandas(date_as_object=False)
        for column in frame.columns:
            dtype = frame[column].dtype
            if pd.api.types.is_integer_dtype(dtype) and dtype != "int64":
                frame[column] = frame[column].astype("int64")
            elif pd.api.types.is_datetime64_dtype(dtype) and dtype != "datetime64[ns]":
                # Dates past 2262 do not fit in nanoseconds: such a batch is checked slowly.
                with contextlib.suppress(pd.errors.OutOfBoundsDatetime):
                    frame[column] = frame[column].astype("datetime64[ns]")
        frames[name] = frame
    return frames


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
    return SuiteRunner(suites).run(frames, parameters)


# Stands for "a value in the batch's set" in a masked column: no id can look like it.
_IN_BATCH = "\x00in-batch"


def _is_reference(expectation: Mapping[str, Any]) -> bool:
    """An in-set check against a batch parameter (every mention points at a batch article)."""
    value_set = expectation.get("kwargs", {}).get("value_set")
    return (
        expectation.get("type") == "expect_column_values_to_be_in_set"
        and isinstance(value_set, dict)
        and "$PARAMETER" in value_set
    )


def checked_columns(expectations: Sequence[Mapping[str, Any]]) -> list[str] | None:
    """The columns some expectations read, in first-use order; None when one reads the table."""
    columns: dict[str, None] = {}
    for expectation in expectations:
        kwargs = expectation.get("kwargs", {})
        named = [kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs]
        named += list(kwargs.get("column_list", []))
        if not named:
            return None
        columns.update(dict.fromkeys(str(column) for column in named))
    return list(columns)


@dataclass
class _Check:
    """One GX suite over (some columns of) one frame, created in GX when first needed.

    ``masks`` maps a column to the batch parameter its values must be in: the column is
    masked before validation (see ``SuiteRunner``).
    """

    name: str
    expectations: list[dict[str, Any]]
    columns: list[str] | None
    masks: dict[str, str]
    suite: Any = None
    batch_definition: Any = None


class SuiteRunner:
    """The GX context, suites and assets, built once and run on many batches (a run's chunks).

    Three things keep GX's cost per batch low and flat:

    - Reference checks (``expect_column_values_to_be_in_set`` with ``{"$PARAMETER": ...}``,
      e.g. every paragraph's article_id among the batch's article ids) are not handed the id
      list: GX copies an expectation's kwargs hundreds of times per suite, so validation grew
      with rows x batch size (30 s of 43 s for 10,000 articles). The column is masked instead
      (values in the set become one marker) and GX checks it against ``[marker]``: the same
      expectation name, unexpected count and sample of offending values.
    - GX sees only the columns a suite's expectations name (it fingerprints every frame it is
      given, and story text is most of the bytes); see also ``slim``.
    - A suite is created in GX only when a frame it checks has rows: a rerun with nothing new
      validates its one-row accounting frame and nothing else.
    """

    def __init__(self, suites: Mapping[str, dict[str, Any]]) -> None:
        self.suites = dict(suites)
        self._checks: dict[str, list[_Check]] = {}
        self._parameters: set[str] = set()
        self._context: Any = None
        self._source: Any = None
        for name in sorted(suites):
            self._checks[name] = []
            expectations = suites[name]["expectations"]
            plain = [copy.deepcopy(e) for e in expectations if not _is_reference(e)]
            if plain:
                self._checks[name].append(_Check(name, plain, checked_columns(plain), {}))
            # Reference checks of one suite run together, one masked copy per column.
            groups: list[tuple[list[dict[str, Any]], dict[str, str]]] = []
            for expectation in (e for e in expectations if _is_reference(e)):
                column = expectation["kwargs"]["column"]
                parameter = expectation["kwargs"]["value_set"]["$PARAMETER"]
                self._parameters.add(parameter)
                masked = copy.deepcopy(expectation)
                masked["kwargs"]["value_set"] = [_IN_BATCH]
                group = next((g for g in groups if column not in g[1]), None)
                if group is None:
                    group = ([], {})
                    groups.append(group)
                group[0].append(masked)
                group[1][column] = parameter
            for group_expectations, masks in groups:
                self._checks[name].append(
                    _Check(name, group_expectations, checked_columns(group_expectations), masks)
                )

    def _in_gx(self, check: _Check) -> _Check:
        """Create the check's suite and asset in GX (and the context, the first time)."""
        if check.suite is not None:
            return check
        import great_expectations as gx

        if self._context is None:
            from great_expectations.data_context.types.base import ProgressBarsConfig

            for noisy in ("great_expectations", "great_expectations.core", "py.warnings"):
                logging.getLogger(noisy).setLevel(logging.ERROR)
            self._context = gx.get_context(mode="ephemeral")
            self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
            self._source = self._context.data_sources.add_pandas("newswire_batch")
        number = self._checks[check.name].index(check)
        spec = {**copy.deepcopy(self.suites[check.name]), "expectations": check.expectations}
        spec["name"] = f"{spec.get('name', check.name)}.{number}"
        check.suite = self._context.suites.add(gx.ExpectationSuite(**spec))
        asset = self._source.add_dataframe_asset(f"{check.name}.{number}")
        check.batch_definition = asset.add_batch_definition_whole_dataframe("whole")
        return check

    def slim(self, table: str, data: pa.Table) -> pa.Table:
        """Replace text columns whose only check is not-null by empty strings (nulls kept).

        The suites check the story body and lede for nulls only, yet they are most of a batch's
        bytes; GX would copy and fingerprint them several times per chunk.
        """
        spec = self.suites.get(table)
        if spec is None:
            return data
        uses: dict[str, set[str]] = {}
        for expectation in spec["expectations"]:
            named = checked_columns([expectation])
            if named is None:
                return data  # a table-level expectation may read any column
            for column in named:
                uses.setdefault(column, set()).add(expectation["type"])
        for column, types in uses.items():
            if (
                types == {"expect_column_values_to_not_be_null"}
                and column not in DERIVED_INPUTS.get(table, ())
                and column in data.column_names
                and pa.types.is_string(data.schema.field(column).type)
            ):
                values = data.column(column)
                empty = pc.if_else(pc.is_valid(values), "", pa.scalar(None, pa.string()))
                data = data.set_column(
                    data.schema.get_field_index(column), data.schema.field(column), empty
                )
        return data

    def columns(self, table: str, schema: pa.Schema) -> list[str]:
        """The columns of ``table`` that validating it (and deriving frames from it) reads."""
        wanted: dict[str, None] = dict.fromkeys(DERIVED_INPUTS.get(table, ()))
        for check in self._checks.get(table, []):
            if check.columns is None:
                return list(schema.names)
            wanted.update(dict.fromkeys(check.columns))
        return [name for name in schema.names if name in wanted]

    def run(
        self,
        frames: Mapping[str, pd.DataFrame],
        parameters: Mapping[str, Any],
        suites: Collection[str] | None = None,
    ) -> list[DqResult]:
        """Validate the frames with their suites (all, or the ones named); one result each."""
        names = sorted(self.suites if suites is None else suites)
        missing = [name for name in names if name not in frames]
        if missing:
            raise ValueError(f"expectation suites with no frame to validate: {', '.join(missing)}")
        plain_parameters = {k: v for k, v in parameters.items() if k not in self._parameters}
        results: list[DqResult] = []
        for name in names:
            frame = frames[name]
            if frame.empty:
                # Aggregate expectations (means, proportions) are undefined on no rows.
                results.extend(
                    DqResult(
                        name,
                        describe(e),
                        True,
                        0,
                        NO_ROWS,
                        e.get("meta", {}).get("severity", ERROR),
                    )
                    for e in self.suites[name]["expectations"]
                )
                continue
            for check in self._checks[name]:
                self._in_gx(check)
                data = frame if check.columns is None else frame[check.columns]
                if check.masks:
                    data = data.copy()
                    for column, parameter in check.masks.items():
                        values = data[column]
                        data[column] = values.where(~values.isin(parameters[parameter]), _IN_BATCH)
                batch = check.batch_definition.get_batch(batch_parameters={"dataframe": data})
                outcome = batch.validate(check.suite, expectation_parameters=plain_parameters)
                results.extend(_results(name, outcome))
        return results


NO_ROWS = "no rows in this batch"


def _results(name: str, outcome: Any) -> list[DqResult]:
    results = []
    for result in outcome.results:
        config = result.expectation_config
        assert config is not None  # GX sets it on every result of a suite run
        results.append(
            DqResult(
                table_name=name,
                expectation=describe({"type": config.type, "kwargs": config.kwargs}),
                success=bool(result.success),
                unexpected_count=_unexpected_count(result.result),
                details=_details(result),
                severity=(config.meta or {}).get("severity", ERROR),
            )
        )
    return results


def merge_results(parts: Iterable[Sequence[DqResult]]) -> list[DqResult]:
    """One result per expectation over the chunks of a batch validated chunk by chunk.

    An expectation passes when it passed on every chunk; unexpected counts add up; the details
    are those of the first chunk where it failed (else of the first chunk with rows). Aggregate
    expectations (a mean, a proportion) are thus checked on every chunk, not on their union.
    """
    merged: dict[tuple[str, str, int], DqResult] = {}
    for results in parts:
        seen: dict[tuple[str, str], int] = {}
        for result in results:
            occurrence = seen.get((result.table_name, result.expectation), 0)
            seen[(result.table_name, result.expectation)] = occurrence + 1
            key = (result.table_name, result.expectation, occurrence)
            earlier = merged.get(key)
            if earlier is None:
                merged[key] = result
                continue
            counts = [
                c for c in (earlier.unexpected_count, result.unexpected_count) if c is not None
            ]
            keep_earlier = not earlier.success or (result.success and earlier.details != NO_ROWS)
            merged[key] = replace(
                earlier if keep_earlier else result,
                success=earlier.success and result.success,
                unexpected_count=sum(counts) if counts else None,
            )
    return list(merged.values())


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
