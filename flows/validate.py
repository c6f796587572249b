"""Validate a batch with the Great Expectations suites kept as JSON in ``expectations/``.

Each suite is named after the frame it checks: a batch table (``articles.json`` checks the
batch's articles) or a derived frame that turns a cross-table rule into columns GX can check
(``article_checks``: paragraphs and mentions per article; ``story_checks``: the versions of each
story the batch touches; ``foreign_keys``: child keys with no parent in the batch;
``batch_profile``: batch-wide statistics that flag a broken extractor; ``run_accounting``: the
file counts). Expectations carry ``meta.severity``: 'error' blocks the load, 'warning' is
reported only; ``meta.notes`` says why the expectation exists. GX is imported only inside the
functions that validate, because importing it costs seconds.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows.dq_result import ERROR, SEVERITIES, DqResult, Validation
from flows.schemas import STORY_VERSIONS

_EARLIEST_DATE = datetime(1980, 1, 1)
# GX's level of detail per result: counts, a sample of unexpected values, observed values.
RESULT_FORMAT: Final = "BASIC"
# The run status a batch that passes the gate is recorded with (see run_accounting.json).
PASSING_STATUS = "success"
# The details of every expectation of a suite whose frame had no rows.
NO_ROWS = "no rows in this batch"
# GX logs at INFO ('Created temporary directory ... for ephemeral docs site') on every run.
NOISY_LOGGER = "great_expectations"


def load_suites(expectations_dir: Path) -> dict[str, dict[str, Any]]:
    """Read every suite JSON file; the file name (without .json) is the frame it validates.

    A severity other than 'error' or 'warning' is refused here: a typo must not quietly turn a
    blocking expectation into something else.
    """
    suites = {}
    for path in sorted(expectations_dir.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for expectation in suite.get("expectations", []):
            severity = expectation.get("meta", {}).get("severity", ERROR)
            if severity not in SEVERITIES:
                raise ValueError(f"{path.name}: unknown severity {severity!r} in {expectation}")
        suites[path.stem] = suite
    return suites


def validation_parameters(today: date) -> dict[str, Any]:
    """Values that suites reference as ``{"$PARAMETER": name}``: they depend on the run's day."""
    return {
        "min_published_date": _EARLIEST_DATE,
        "max_published_date": datetime.combine(today + timedelta(days=1), datetime.min.time()),
    }


# --------------------------------------------------------------------------------------------
# Derived frames: cross-table rules as plain columns
# --------------------------------------------------------------------------------------------


def _column(table: pa.Table, name: str) -> list[Any]:
    return table.column(name).to_pylist()


def _per_article(
    table: pa.Table,
    sums: Sequence[str] = (),
    counts: Sequence[str] = (),
    maxima: Sequence[str] = (),
) -> pd.DataFrame:
    """Per ``article_id``: rows, sums, non-null counts and maxima (at least 0) of some columns.

    Vectorized in Arrow: a Python loop over every paragraph took a tenth of validation.
    """
    ones = pa.array(np.ones(table.num_rows, dtype=np.int64))
    grouped = (
        table.append_column("_rows", ones)
        .group_by("article_id")
        .aggregate(
            [("_rows", "sum")]
            + [(name, "sum") for name in sums]
            + [(name, "count") for name in counts]
            + [(name, "max") for name in maxima]
        )
    )
    frame = grouped.to_pandas(types_mapper=_nullable_integers).set_index("article_id")
    for name in maxima:
        frame[f"{name}_max"] = frame[f"{name}_max"].clip(lower=0)
    return frame


def article_checks(tables: Mapping[str, pa.Table]) -> pd.DataFrame:
    """One row per batch article with what its paragraphs and mentions say about it."""
    articles = tables["articles"]
    paragraphs = tables["paragraphs"]
    mentions = tables["entity_mentions"]
    is_story = pc.fill_null(pc.equal(paragraphs.column("kind"), "story"), False)
    # Nulls are the tables' suites' to report; here they must not break the frame.
    by_paragraphs = _per_article(
        pa.table(
            {
                "article_id": paragraphs.column("article_id"),
                "story": pc.cast(is_story, pa.int64()),
                "paragraph_no": paragraphs.column("paragraph_no"),
                "position": paragraphs.column("position"),
            }
        ),
        sums=["story"],
        counts=["paragraph_no"],
        maxima=["paragraph_no", "position"],
    ).reindex(articles.column("article_id").to_pylist())
    by_mentions = _per_article(
        mentions.select(["article_id", "first_paragraph_no"]), maxima=["first_paragraph_no"]
    ).reindex(by_paragraphs.index)

    def count(frame: pd.DataFrame, column: str) -> Any:
        return frame[column].fillna(0).astype("int64").to_numpy()

    def maximum(frame: pd.DataFrame, column: str) -> Any:
        return frame[column].astype("Int64").array

    frame = pd.DataFrame(
        {
            "article_id": articles.column("article_id").to_pylist(),
            "paragraph_count": _column(articles, "paragraph_count"),
            "story_paragraphs": count(by_paragraphs, "story_sum"),
            # Subheads are story parts editors do not number, so they are counted apart.
            "numbered_paragraphs": count(by_paragraphs, "paragraph_no_count"),
            "max_paragraph_no": maximum(by_paragraphs, "paragraph_no_max"),
            "parts": count(by_paragraphs, "_rows_sum"),
            "max_position": maximum(by_paragraphs, "position_max"),
            "entity_count": count(by_mentions, "_rows_sum"),
            "max_mention_paragraph": maximum(by_mentions, "first_paragraph_no_max"),
            "headline_length": pc.utf8_length(articles.column("headline")).to_pylist(),
        }
    )
    frame["paragraph_count_gap"] = frame["paragraph_count"] - frame["story_paragraphs"]
    frame["has_entity"] = frame["entity_count"] > 0
    return frame


def story_checks(story_versions: pa.Table) -> pd.DataFrame:
    """One row per story the batch touches: how its versions are numbered and which is latest."""
    versions: dict[str, list[int]] = defaultdict(list)
    latest: dict[str, list[int]] = defaultdict(list)
    for story_id, version, is_latest in zip(
        _column(story_versions, "story_id"),
        _column(story_versions, "version"),
        _column(story_versions, "is_latest"),
        strict=True,
    ):
        if version is None:
            continue  # story_versions.json reports it
        versions[story_id].append(version)
        if is_latest:
            latest[story_id].append(version)
    ids = sorted(versions)
    return pd.DataFrame(
        {
            "story_id": ids,
            "versions": [len(versions[s]) for s in ids],
            "distinct_versions": [len(set(versions[s])) for s in ids],
            "min_version": [min(versions[s]) for s in ids],
            "max_version": [max(versions[s]) for s in ids],
            "latest_count": [len(latest[s]) for s in ids],
            "latest_version": pd.array(
                [latest[s][0] if len(latest[s]) == 1 else None for s in ids], dtype="Int64"
            ),
        },
    )


def batch_profile(tables: Mapping[str, pa.Table], checks: pd.DataFrame) -> pd.DataFrame:
    """One row of batch-wide statistics (none for a batch without articles)."""
    if checks.empty:
        return pd.DataFrame(
            columns=[
                "articles",
                "mean_entities_per_article",
                "share_without_entity",
                "mean_headline_length",
                "mean_word_count",
            ]
        )
    return pd.DataFrame(
        [
            {
                "articles": len(checks),
                "mean_entities_per_article": float(checks["entity_count"].mean()),
                "share_without_entity": float((~checks["has_entity"]).mean()),
                "mean_headline_length": float(checks["headline_length"].mean()),
                "mean_word_count": float(pc.mean(tables["articles"].column("word_count")).as_py()),
            }
        ]
    )


# The table columns the derived frames read (with REFERENCES below): with the columns the
# suites name, all a staged batch needs to read back for validation. Story text mostly is not.
DERIVED_INPUTS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "paragraph_count", "headline", "word_count"),
    "paragraphs": ("article_id", "kind", "paragraph_no", "position"),
    "entity_mentions": ("article_id", "first_paragraph_no"),
    "update_notes": ("article_id", "note_no", "actions", "paragraph_refs"),
}

# (frame, column) of each child key, and the (frame, column) it must name in the same batch.
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("paragraphs", "article_id", "articles", "article_id"),
    ("entity_mentions", "article_id", "articles", "article_id"),
    ("entity_mentions", "entity_id", "entities", "entity_id"),
    ("update_notes", "article_id", "articles", "article_id"),
    ("related_links", "article_id", "articles", "article_id"),
)


def foreign_keys(tables: Mapping[str, pa.Table]) -> pd.DataFrame:
    """One row per distinct child key: ``missing_key`` holds it when no parent row has it.

    A column of orphans (null when the parent exists) lets GX report the orphaned keys
    themselves, without spelling every key of the batch into the expectation.
    """
    rows: list[tuple[str, str, str | None]] = []
    for child, child_column, parent, parent_column in REFERENCES:
        keys = set(_column(tables[parent], parent_column))
        values = _column(tables[child], child_column)
        reference = f"{child}.{child_column}"
        rows.extend(
            (reference, value, None if value in keys else value)
            for value in sorted({v for v in values if v is not None})
        )
    return pd.DataFrame(rows, columns=["reference", "key", "missing_key"])


def run_accounting(rows: Mapping[str, int], accounting: Mapping[str, int]) -> pd.DataFrame:
    """The run's file counts beside the rows the whole batch holds for them.

    ``rows`` counts the batch's rows per table; files a rerun found unchanged are recorded in
    ``unchanged_files`` rather than ``source_files``, and count as seen files' rows too.
    """
    frame = pd.DataFrame([dict(accounting)])
    frame["unaccounted"] = (
        frame["files_seen"] - frame["files_new"] - frame["files_skipped"] - frame["files_rejected"]
    )
    frame["source_file_rows"] = rows["source_files"] + rows.get("unchanged_files", 0)
    frame["rejected_file_rows"] = rows["rejected_files"]
    frame["batch_articles"] = rows["articles"]
    frame["status"] = PASSING_STATUS
    return frame


def update_note_frames(tables: Mapping[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """Each note's actions and paragraph references as rows (GX checks scalars, not lists)."""
    articles = tables["articles"]
    notes = tables["update_notes"]
    paragraph_count = dict(
        zip(_column(articles, "article_id"), _column(articles, "paragraph_count"), strict=True)
    )
    action_rows: list[tuple[str, int, str]] = []
    ref_rows: list[tuple[str, int, int, int | None]] = []
    for article_id, note_no, actions, refs in zip(
        _column(notes, "article_id"),
        _column(notes, "note_no"),
        _column(notes, "actions"),
        _column(notes, "paragraph_refs"),
        strict=True,
    ):
        action_rows.extend((article_id, note_no, action) for action in actions)
        count = paragraph_count.get(article_id)
        ref_rows.extend((article_id, note_no, ref, count) for ref in refs)
    refs_frame = pd.DataFrame(
        ref_rows, columns=["article_id", "note_no", "paragraph_ref", "paragraph_count"]
    )
    refs_frame["paragraph_count"] = refs_frame["paragraph_count"].astype("Int64")
    return {
        "update_note_actions": pd.DataFrame(
            action_rows, columns=["article_id", "note_no", "action"]
        ),
        "update_note_refs": refs_frame,
    }


def derived_frames(
    tables: Mapping[str, pa.Table], accounting: Mapping[str, int]
) -> dict[str, pd.DataFrame]:
    """Frames that express cross-table rules as plain columns."""
    checks = article_checks(tables)
    return {
        "article_checks": checks,
        "story_checks": story_checks(tables.get("story_versions", STORY_VERSIONS.empty_table())),
        "batch_profile": batch_profile(tables, checks),
        "foreign_keys": foreign_keys(tables),
        "run_accounting": run_accounting(
            {name: table.num_rows for name, table in tables.items()}, accounting
        ),
        **update_note_frames(tables),
    }


def to_frames(tables: Mapping[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """Arrow tables as pandas frames, dates as timestamps so range checks compare them.

    Integer columns with nulls become nullable pandas integers, so a null stays a null instead
    of turning the column into floats. Columns without nulls are plain int64 and timestamps are
    nanoseconds: GX's range check is vectorized only for those dtypes and calls a Python
    function per value otherwise (a tenth of the validation time of 10,000 articles).
    """
    frames = {}
    for name, table in tables.items():
        frame = table.to_pandas(date_as_object=False, types_mapper=_nullable_integers)
        for column in frame.columns:
            values = frame[column]
            if isinstance(values.dtype, pd.Int64Dtype) and not values.hasnans:
                frame[column] = values.astype("int64")
            elif pd.api.types.is_datetime64_dtype(values.dtype) and values.dtype != "<M8[ns]":
                # Dates past 2262 do not fit in nanoseconds: such a batch is checked slowly.
                with contextlib.suppress(pd.errors.OutOfBoundsDatetime):
                    frame[column] = values.astype("datetime64[ns]")
        frames[name] = frame
    return frames


def _nullable_integers(data_type: pa.DataType) -> Any:
    if pa.types.is_int32(data_type) or pa.types.is_int64(data_type):
        return pd.Int64Dtype()
    return None


def run_frames(
    run_tables: Mapping[str, pa.Table], rows: Mapping[str, int], accounting: Mapping[str, int]
) -> dict[str, pd.DataFrame]:
    """The frames of rows that span a whole run (``entities``, ``story_versions``) and of its
    file accounting; ``rows`` counts the batch's rows per table."""
    versions = run_tables.get("story_versions", STORY_VERSIONS.empty_table())
    return {
        **to_frames(run_tables),
        "story_checks": story_checks(versions),
        "run_accounting": run_accounting(rows, accounting),
    }


def batch_frames(
    tables: Mapping[str, pa.Table], accounting: Mapping[str, int]
) -> dict[str, pd.DataFrame]:
    """Every frame a suite may name: the batch tables and the derived frames."""
    return {**to_frames(tables), **derived_frames(tables, accounting)}


# --------------------------------------------------------------------------------------------
# Running the suites
# --------------------------------------------------------------------------------------------


def describe(expectation: Mapping[str, Any]) -> str:
    """A short, stable name for an expectation of a suite's JSON: type, columns, bounds,
    condition and tolerance (the name dq_results and the report show).
    """
    kwargs = expectation.get("kwargs", {})
    columns = [str(kwargs[key]) for key in ("column", "column_A", "column_B") if key in kwargs] + [
        str(c) for c in kwargs.get("column_list", [])
    ]
    name = f"{expectation['type']}({', '.join(columns)})" if columns else expectation["type"]
    if "min_value" in kwargs or "max_value" in kwargs:
        name += f" {_bound(kwargs.get('min_value'))}..{_bound(kwargs.get('max_value'))}"
    condition = kwargs.get("row_condition")
    if condition:
        name += f" where {_condition(condition)}"
    mostly = kwargs.get("mostly")
    if mostly is not None and mostly < 1:
        name += f" mostly {mostly:g}"
    return name


def _condition(condition: Any) -> str:
    """A row condition as text: GX condition JSON ``{"type": "comparison", ...}`` or a string."""
    if isinstance(condition, Mapping) and condition.get("type") == "comparison":
        return (
            f"{condition['column']['name']} {condition['operator']} "
            f"{json.dumps(condition['parameter'])}"
        )
    if isinstance(condition, Mapping) and condition.get("type") == "nullity":
        null = "null" if condition["is_null"] else "not null"
        return f"{condition['column']['name']} is {null}"
    return str(condition)


def _bound(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping) and "$PARAMETER" in value:
        return str(value["$PARAMETER"])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value)


def quiet_gx() -> None:
    """Keep GX's INFO chatter out of what users see; its warnings and errors still show.

    Call it again after importing GX: some GX modules set their own logger to INFO on import.
    """
    for name in list(logging.root.manager.loggerDict):
        if name.startswith(NOISY_LOGGER):
            logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger(NOISY_LOGGER).setLevel(logging.WARNING)


def import_gx() -> None:
    """Import Great Expectations (3-4 s of Python) before the batch load starts beside the
    validation: loading during the import slowed validation by 1-2 s at 10,000 stories."""
    quiet_gx()
    import great_expectations  # noqa: F401

    quiet_gx()


def checked_columns(expectations: Sequence[Mapping[str, Any]]) -> list[str] | None:
    """The columns some expectations read (row conditions included), in first-use order.

    None when one may read any column: it names none, or its row condition is a query string.
    """
    columns: dict[str, None] = {}
    for expectation in expectations:
        kwargs = expectation.get("kwargs", {})
        named = [kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs]
        named += list(kwargs.get("column_list", []))
        condition = kwargs.get("row_condition")
        if not named or isinstance(condition, str):
            return None
        named += _condition_columns(condition)
        columns.update(dict.fromkeys(str(column) for column in named))
    return list(columns)


def _condition_columns(condition: Any) -> list[str]:
    """Column names in a structured GX row condition (``{"column": {"name": ...}}``, nested)."""
    if isinstance(condition, Mapping):
        found: list[str] = []
        for key, value in condition.items():
            if key == "column" and isinstance(value, Mapping) and "name" in value:
                found.append(str(value["name"]))
            else:
                found += _condition_columns(value)
        return found
    if isinstance(condition, list | tuple):
        return [name for item in condition for name in _condition_columns(item)]
    return []


class SuiteRunner:
    """One ephemeral GX context holding every suite, reused for each batch it validates.

    Setting up the context and suites costs about a second; tests that validate many
    small batches share one runner.
    """

    def __init__(self, suites: Mapping[str, dict[str, Any]]) -> None:
        import_gx()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.execution_engine import pandas_execution_engine

        # GX fingerprints every frame under this many bytes it validates (pandas' row hashes,
        # then md5): a batch marker nothing here reads, and 0.9 s of a 10,000-story validation.
        # The threshold is the only switch; a test fails if a GX upgrade renames it.
        pandas_execution_engine.HASH_THRESHOLD = 0
        self.gx = gx
        self.specs = {name: copy.deepcopy(spec) for name, spec in suites.items()}
        self.context = gx.get_context(mode="ephemeral")
        # Progress bars print on every validation; TQDM_DISABLE does not stop them.
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.context.data_sources.add_pandas("newswire_batch")
        self.suites: dict[str, Any] = {}
        self.names: dict[str | None, tuple[str, str]] = {}
        # One asset for every frame: each asset added re-serializes GX's whole config (~30 ms).
        self.batch_definition = self.source.add_dataframe_asset(
            "batch_frame"
        ).add_batch_definition_whole_dataframe("batch")
        for name, spec in self.specs.items():
            suite_spec = copy.deepcopy(spec)
            for expectation in suite_spec.get("expectations", []):
                # GX renders its own 'notes' field in Data Docs; ours live in meta.notes.
                meta = expectation.get("meta", {})
                if meta.get("notes") and "notes" not in expectation:
                    severity = meta.get("severity", ERROR)
                    effect = "blocks the load" if severity == ERROR else "reported only"
                    expectation["notes"] = f"{severity} ({effect}): {meta['notes']}"
            suite = self.context.suites.add(gx.ExpectationSuite(**suite_spec))
            self.suites[name] = suite
            # Results come back in GX's order with evaluated parameters; name them from the JSON.
            for added, written in zip(suite.expectations, spec["expectations"], strict=True):
                assert added.expectation_type == written["type"]
                severity = written.get("meta", {}).get("severity", ERROR)
                self.names[added.id] = (describe(written), severity)
        self.last_results: dict[str, Any] = {}
        # The columns each suite reads (None: a table-level expectation may read any).
        self.columns = {
            name: checked_columns(spec.get("expectations", [])) for name, spec in self.specs.items()
        }

    def columns_to_read(self, table: str, schema: pa.Schema) -> list[str]:
        """The columns of a batch table that validating it and deriving frames from it read."""
        own = self.columns.get(table, [])
        if own is None:
            return list(schema.names)
        wanted = {*own, *DERIVED_INPUTS.get(table, ())}
        for child, child_column, parent, parent_column in REFERENCES:
            if child == table:
                wanted.add(child_column)
            if parent == table:
                wanted.add(parent_column)
        # At least one column, so a table read back still knows its number of rows.
        return [name for name in schema.names if name in wanted] or list(schema.names[:1])

    def validate(
        self,
        frames: Mapping[str, pd.DataFrame],
        parameters: Mapping[str, Any],
        only: Iterable[str] | None = None,
        *,
        continuing: bool = False,
    ) -> list[DqResult]:
        """Run every suite (or ``only`` these) against its frame; one result per expectation.

        ``continuing`` says these frames are a later part (chunk group) of the same batch: the
        GX results kept for Data Docs are then those of the first part where a suite failed.
        """
        names = sorted(self.specs) if only is None else sorted(only)
        missing = sorted(set(names) - set(frames))
        if missing:
            raise ValueError(f"expectation suites with no frame to validate: {', '.join(missing)}")
        results: list[DqResult] = []
        if not continuing:
            self.last_results = {}
        for name in names:
            spec = self.specs[name]
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
                    for e in spec["expectations"]
                )
                continue
            batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
            # BASIC keeps a sample of unexpected values and costs a third less than SUMMARY.
            outcome = batch.validate(
                self.suites[name],
                expectation_parameters=dict(parameters),
                result_format=RESULT_FORMAT,
            )
            earlier = self.last_results.get(name)
            if earlier is None or earlier.success:
                self.last_results[name] = outcome
            for result in outcome.results:
                config = result.expectation_config
                assert config is not None  # GX sets it on every result of a suite run
                expectation, severity = self.names[config.id]
                results.append(
                    DqResult(
                        table_name=name,
                        expectation=expectation,
                        success=bool(result.success),
                        unexpected_count=_unexpected_count(result.result),
                        details=_details(result),
                        severity=severity,
                    )
                )
        return results


def validate_batch(
    tables: Mapping[str, pa.Table],
    accounting: Mapping[str, int],
    expectations_dir: Path,
    today: date,
) -> Validation:
    """Validate a staged batch: its tables and the derived frames, against every suite."""
    runner = SuiteRunner(load_suites(expectations_dir))
    results = runner.validate(batch_frames(tables, accounting), validation_parameters(today))
    return Validation(results, runner)


def validate_frames(
    frames: Mapping[str, pd.DataFrame],
    suites: Mapping[str, dict[str, Any]],
    parameters: Mapping[str, Any],
) -> list[DqResult]:
    """Run every suite against its frame with a fresh GX context."""
    return SuiteRunner(suites).validate(frames, parameters)


def merge_results(parts: Iterable[Sequence[DqResult]]) -> list[DqResult]:
    """One result per expectation over the chunk groups of a batch validated group by group.

    An expectation passes when it passed on every group; unexpected counts add up; the details
    are those of the first group where it failed (else of the first group with rows). Aggregate
    expectations (a mean, a proportion) are thus checked on every group, not on their union.
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
        return "sample: " + json.dumps([_plain(value) for value in sample[:5]])
    observed = result.result.get("observed_value")
    if observed is not None:
        return f"observed: {_plain(observed)}"
    return None


def _plain(value: Any) -> str:
    """A value as a reader writes it: '(53, 54)' for a pair, not '(np.int64(53), ...)'."""
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_plain(v) for v in value) + ")"
    item = getattr(value, "item", None)  # numpy and pandas scalars
    if callable(item):
        with contextlib.suppress(TypeError, ValueError):
            value = item()
    return str(value)
