"""Validate a staged batch with the Great Expectations suites kept as JSON in ``expectations/``.

Each suite is named after the frame it checks: a batch table (``articles.json`` checks the
batch's articles) or a derived frame (``flows.quality.frames``) that turns a cross-table rule
into columns GX can check. Expectations carry ``meta.severity``: 'error' blocks the load,
'warning' is reported only; ``meta.notes`` says why the expectation exists. GX is imported only
inside the functions that validate, because importing it costs seconds.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pyarrow as pa

from flows.batch.staging import CHUNK_TABLES, StagedBatch
from flows.quality.frames import DERIVED_INPUTS, REFERENCES, batch_frames, run_frames
from flows.quality.results import BATCH, ERROR, ROW, SCOPES, SEVERITIES, DqResult
from flows.schemas import REJECT_REASONS

if TYPE_CHECKING:
    import pandas as pd

_EARLIEST_DATE = datetime(1980, 1, 1)
# GX's level of detail per result: counts, a sample of unexpected values, observed values.
RESULT_FORMAT: Final = "BASIC"
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
            meta = expectation.get("meta", {})
            severity = meta.get("severity", ERROR)
            if severity not in SEVERITIES:
                raise ValueError(f"{path.name}: unknown severity {severity!r} in {expectation}")
            scope = meta.get("scope", BATCH)
            if scope not in SCOPES or (scope == ROW and not meta.get("reason")):
                raise ValueError(f"{path.name}: a row expectation needs a known scope and a reason")
        suites[path.stem] = suite
    return suites


def validation_parameters(
    today: date, suites: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """Values that suites reference as ``{"$PARAMETER": name}``: the run's day, and the
    rejection reasons (the parser's and discovery's codes, and one ``dq_`` reason per
    row-level expectation of ``suites``, by default those of ``expectations/``)."""
    if suites is None:
        from flows.settings import EXPECTATIONS_DIR

        suites = load_suites(EXPECTATIONS_DIR)
    return {
        "min_published_date": _EARLIEST_DATE,
        "max_published_date": datetime.combine(today + timedelta(days=1), datetime.min.time()),
        "reject_reasons": [*REJECT_REASONS, *dq_reasons(suites)],
    }


def dq_reasons(suites: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The rejection reasons of the row-level expectations (``meta.reason``), sorted."""
    return sorted(
        {
            str(e["meta"]["reason"])
            for suite in suites.values()
            for e in suite.get("expectations", [])
            if e.get("meta", {}).get("reason")
        }
    )


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
        self.names: dict[str | None, tuple[str, str, str, str | None]] = {}
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
                meta = written.get("meta", {})
                self.names[added.id] = (
                    describe(written),
                    meta.get("severity", ERROR),
                    meta.get("scope", BATCH),
                    meta.get("reason"),
                )
        self.last_results: dict[str, Any] = {}
        # The columns each suite reads (None: a table-level expectation may read any).
        self.columns = {
            name: checked_columns(spec.get("expectations", [])) for name, spec in self.specs.items()
        }

    @staticmethod
    def _result_format(spec: Mapping[str, Any]) -> Any:
        """BASIC keeps a sample of unexpected values and costs a third less than SUMMARY; a
        suite with row-level expectations also names the articles of the failing rows."""
        if any(e.get("meta", {}).get("scope") == ROW for e in spec.get("expectations", [])):
            return {
                "result_format": "COMPLETE",
                "unexpected_index_column_names": ["article_id"],
                "return_unexpected_index_query": False,
                "partial_unexpected_count": 20,
            }
        return RESULT_FORMAT

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
            outcome = batch.validate(
                self.suites[name],
                expectation_parameters=dict(parameters),
                result_format=self._result_format(spec),
            )
            earlier = self.last_results.get(name)
            if earlier is None or earlier.success:
                self.last_results[name] = outcome
            for result in outcome.results:
                config = result.expectation_config
                assert config is not None  # GX sets it on every result of a suite run
                expectation, severity, scope, reason = self.names[config.id]
                results.append(
                    DqResult(
                        table_name=name,
                        expectation=expectation,
                        success=bool(result.success),
                        unexpected_count=_unexpected_count(result.result),
                        details=_details(result),
                        severity=severity,
                        scope=scope,
                        reason=reason,
                        rejected_articles=_failing_articles(result) if scope == ROW else (),
                    )
                )
        return results


def _failing_articles(result: Any) -> tuple[str, ...]:
    """The article ids of the rows that broke a row-level expectation."""
    if result.success:
        return ()
    rows = result.result.get("unexpected_index_list") or []
    return tuple(sorted({str(r["article_id"]) for r in rows if r.get("article_id") is not None}))


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
                rejected_articles=tuple(
                    sorted({*earlier.rejected_articles, *result.rejected_articles})
                ),
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


@dataclass
class Validation:
    """A batch's results, with the runner that produced them (Data Docs render from it)."""

    results: list[DqResult]
    runner: SuiteRunner | None = None


# Frames whose rows span the whole run: validated once, not with every group of chunks.
RUN_FRAMES = frozenset(
    {"entities", "entity_aliases", "run_accounting", "story_versions", "story_checks"}
)
# Chunks validated together: GX costs about a second per batch of suites whatever its rows, and
# each chunk's frames take tens of MB. Two chunks are the 10,000 files of a smaller run, so a
# bigger run validates in groups no bigger than that run's whole batch (flat memory: four
# chunks per group took 1.08 GB at 100,000 stories, two 0.87 GB).
VALIDATE_CHUNKS = 2


def validate_batch(
    batch: StagedBatch, accounting: Mapping[str, int], expectations_dir: Path, today: date
) -> Validation:
    """Validate the staged Parquet batch with the suites in ``expectations_dir``, a group of
    chunks at a time (see ``merge_results`` for what that means for aggregate checks)."""
    from flows.memory import give_back

    suites = load_suites(expectations_dir)
    runner = SuiteRunner(suites)
    parameters = validation_parameters(today, suites)
    run_tables = {
        name: batch.read_run_table(name)
        for name in ("entities", "entity_aliases", "story_versions")
    }
    # Rows that span the run are validated once, on their own: their frames used to be built
    # again with every group of chunks, and added to each group's memory.
    frames = run_frames(run_tables, batch.row_counts(), accounting)
    parts = [runner.validate(frames, parameters, [n for n in runner.specs if n in RUN_FRAMES])]
    # The groups need only the entity ids, which their mentions must name.
    entity_ids = {"entities": run_tables["entities"].select(["entity_id"])}
    del run_tables, frames
    per_group = [name for name in runner.specs if name not in RUN_FRAMES]
    # Only the columns the suites and derived frames read: story text is most of a batch.
    columns = {name: runner.columns_to_read(name, schema) for name, schema in CHUNK_TABLES.items()}
    for indexes in batch.chunk_groups(VALIDATE_CHUNKS):
        # GX leaves reference cycles that hold the previous part's frames until the cyclic GC
        # runs: without a collection here, groups piled up (RSS 820 -> 1,017 MB at 100,000).
        give_back()
        tables = {**batch.read_chunks(indexes, columns), **entity_ids}
        frames = batch_frames(tables, accounting)
        parts.append(runner.validate(frames, parameters, per_group, continuing=True))
        del tables, frames
    return Validation(merge_results(parts), runner)
