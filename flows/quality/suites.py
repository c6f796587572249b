"""Validate a staged batch with the Great Expectations suites kept as JSON in ``expectations/``.

Each suite is named after the table it checks in the run's validation database
(``flows.quality.database``): a batch table (``articles.json`` checks the batch's articles) or a
derived frame (``sql/quality/frames/``) that turns a cross-table rule into columns GX can check.
GX validates it through its SQL engine, so DuckDB does the work in one pass over the whole
batch, with memory bounded by DuckDB rather than by Python. Expectations carry
``meta.severity``: 'error' blocks the load, 'warning' is reported only; ``meta.notes`` says
why the expectation exists. GX is imported only inside the functions that validate, because
importing it costs seconds.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import pyarrow as pa

from flows.batch.staging import CHUNK_TABLES, StagedBatch
from flows.quality import gx_duckdb
from flows.quality.database import (
    COMPUTED,
    CONNECTION_CONFIG,
    DERIVED_INPUTS,
    REFERENCES,
    VALIDATED_TABLES,
    TableSource,
    derived_frames,
)
from flows.quality.database import build as build_database
from flows.quality.database import copy_ahead as copy_into_database
from flows.quality.results import BATCH, ERROR, ROW, SCOPES, SEVERITIES, DqResult
from flows.schemas import REJECT_REASONS

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
    """One ephemeral GX context holding every suite, reused for each batch it validates
    (tests validate many small batches with one runner): importing GX and adding the suites
    costs seconds. Each batch gets its own DuckDB database; one GX SQL data source over it serves
    every validation of a database at the same path (its connections closed after each).
    """

    def __init__(self, suites: Mapping[str, dict[str, Any]]) -> None:
        import_gx()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        gx_duckdb.install()
        self.gx = gx
        self.specs = {name: copy.deepcopy(spec) for name, spec in suites.items()}
        tables = {*VALIDATED_TABLES, *derived_frames()}
        unknown = sorted(set(self.specs) - tables)
        if unknown:
            raise ValueError(f"expectation suites name no table to validate: {', '.join(unknown)}")
        # The columns each suite reads (None: a table-level expectation may read any).
        self.columns = {
            name: checked_columns(spec.get("expectations", [])) for name, spec in self.specs.items()
        }
        self.table_columns = {
            name: self.columns_to_read(name, schema) for name, schema in VALIDATED_TABLES.items()
        }
        self.context = gx.get_context(mode="ephemeral")
        # Progress bars print on every validation; TQDM_DISABLE does not stop them.
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._scratch = tempfile.TemporaryDirectory(prefix="newswire-validation-")
        self._sources = itertools.count()
        # One GX data source over the validation database, reused while the database's path
        # stays the same, and its tables' batch definitions, added the first time a table has
        # rows: adding a data source and its assets cost 0.5-0.9 s per validation.
        self._source: Any = None
        self._source_path: Path | None = None
        self._batches: dict[str, Any] = {}
        self.suites: dict[str, Any] = {}
        self.names: dict[str | None, tuple[str, str, str, str | None]] = {}
        for name, spec in self.specs.items():
            self.suites[name] = self._add_suite(spec)
        self.last_results: dict[str, Any] = {}

    def _add_suite(self, spec: Mapping[str, Any]) -> Any:
        """Add one suite to the context and name its expectations from their JSON."""
        suite_spec = copy.deepcopy(dict(spec))
        for expectation in suite_spec.get("expectations", []):
            # GX renders its own 'notes' field in Data Docs; ours live in meta.notes.
            meta = expectation.get("meta", {})
            if meta.get("notes") and "notes" not in expectation:
                severity = meta.get("severity", ERROR)
                effect = "blocks the load" if severity == ERROR else "reported only"
                expectation["notes"] = f"{severity} ({effect}): {meta['notes']}"
        suite = self.context.suites.add(self.gx.ExpectationSuite(**suite_spec))
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
        return suite

    def close(self) -> None:
        """Remove the data source and the scratch folder of validations given no database
        path."""
        self._drop_source()
        self._scratch.cleanup()

    @staticmethod
    def _result_format(spec: Mapping[str, Any]) -> Any:
        """BASIC keeps a sample of unexpected values; a suite with row-level expectations also
        names the articles of every failing row."""
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
        computed = list(COMPUTED.get(table, {}))
        own = self.columns.get(table, [])
        if own is None:
            return [*schema.names, *computed]
        wanted = {*own, *DERIVED_INPUTS.get(table, ())}
        for child, child_column, parent, parent_column in REFERENCES:
            if child == table:
                wanted.add(child_column)
            if parent == table:
                wanted.add(parent_column)
        # At least one column, so a table still knows its number of rows.
        return [name for name in [*schema.names, *computed] if name in wanted] or list(
            schema.names[:1]
        )

    def validate(
        self,
        sources: Mapping[str, TableSource],
        accounting: Mapping[str, int],
        parameters: Mapping[str, Any],
        only: Iterable[str] | None = None,
        database: Path | None = None,
    ) -> list[DqResult]:
        """Copy a batch into a new validation database (at ``database``, else in a scratch
        folder), derive its frames, and run every suite (or ``only`` these) against its table;
        one result per expectation."""
        names = sorted(self.specs) if only is None else sorted(only)
        unknown = sorted(set(names) - set(self.specs))
        if unknown:
            raise ValueError(f"no expectation suite named: {', '.join(unknown)}")
        path = Path(self._scratch.name) / DATABASE_NAME if database is None else database
        rows = build_database(path, sources, accounting, self.table_columns)
        self.last_results = {}
        results: list[DqResult] = []
        checked = [name for name in names if rows.get(name)]
        for name in names:
            if name not in checked:
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
                    for e in self.specs[name]["expectations"]
                )
        try:
            for name in checked:
                outcome = (
                    self._batch_definition(path, name)
                    .get_batch()
                    .validate(
                        self.suites[name],
                        expectation_parameters=dict(parameters),
                        result_format=self._result_format(self.specs[name]),
                    )
                )
                self.last_results[name] = outcome
                results.extend(self._results(name, outcome))
        finally:
            self._release_source()
        return sorted(results, key=lambda r: names.index(r.table_name))

    def _batch_definition(self, path: Path, table: str) -> Any:
        """The whole-table batch definition of one table of the database at ``path``; the data
        source is added for the first validation of a database there, an asset for the first
        validation of the table."""
        if self._source is None or self._source_path != path:
            self._drop_source()
            # GX's stubs leave out the engine ``kwargs`` that add_sql takes and passes on.
            sources: Any = self.context.data_sources
            self._source = sources.add_sql(
                f"validation_{next(self._sources)}",
                connection_string=f"duckdb:///{path}",
                kwargs={
                    "connect_args": {"config": dict(CONNECTION_CONFIG)},
                    "query_cache_size": 0,
                },
            )
            self._source_path = path
        if table not in self._batches:
            asset = self._source.add_table_asset(table, table_name=table)
            self._batches[table] = asset.add_batch_definition_whole_table("batch")
        return self._batches[table]

    def _release_source(self) -> None:
        """Close the data source's connections to the database file after a validation, and
        forget the metrics GX computed: a batch of the same table has the same batch id in the
        next validation, whose database has other rows."""
        if self._source is None:
            return
        execution_engine = self._source.get_execution_engine()
        gx_duckdb.forget_metrics(execution_engine)
        # The data source keeps an engine of its own (it tests the connection) beside its
        # execution engine's; both hold pooled connections to the file.
        execution_engine.engine.dispose()
        self._source.get_engine().dispose()

    def _drop_source(self) -> None:
        """Remove the data source (a database at another path gets a new one)."""
        if self._source is None:
            return
        self._release_source()
        self.context.data_sources.delete(self._source.name)
        self._source = None
        self._source_path = None
        self._batches = {}

    def _results(self, name: str, outcome: Any) -> Iterator[DqResult]:
        for result in outcome.results:
            config = result.expectation_config
            assert config is not None  # GX sets it on every result of a suite run
            expectation, severity, scope, reason = self.names[config.id]
            yield DqResult(
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


def _failing_articles(result: Any) -> tuple[str, ...]:
    """The article ids of the rows that broke a row-level expectation."""
    if result.success:
        return ()
    rows = result.result.get("unexpected_index_list") or []
    return tuple(sorted({str(r["article_id"]) for r in rows if r.get("article_id") is not None}))


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


# The validation database's file in a run's staging folder.
DATABASE_NAME = "validation.duckdb"


def validate_batch(
    batch: StagedBatch, accounting: Mapping[str, int], expectations_dir: Path, today: date
) -> Validation:
    """Validate the whole staged batch with the suites in ``expectations_dir``, in one pass:
    DuckDB reads the staged Parquet once into the run's validation database."""
    suites = load_suites(expectations_dir)
    runner = shared_runner(suites)
    results = runner.validate(
        batch.files_by_table(),
        accounting,
        validation_parameters(today, suites),
        database=batch.folder / DATABASE_NAME,
    )
    return Validation(results, runner)


# Rewritten when the batch is versioned, after its last chunk: copied by the validation itself.
_COPIED_AT_VALIDATION: Final = frozenset({"articles"})


def copy_ahead(batch: StagedBatch, expectations_dir: Path) -> None:
    """Copy the chunks staged so far into the batch's validation database, so that
    ``validate_batch`` copies only what came after them (the helper process does this while
    the run stages its next chunk)."""
    runner = shared_runner(load_suites(expectations_dir))
    sources = {
        name: batch.files(name) for name in CHUNK_TABLES if name not in _COPIED_AT_VALIDATION
    }
    copy_into_database(batch.folder / DATABASE_NAME, sources, runner.table_columns)


# The process's runner for validate_batch, with the suites it holds (as JSON).
_SHARED: dict[str, SuiteRunner] = {}


def shared_runner(suites: Mapping[str, dict[str, Any]]) -> SuiteRunner:
    """One runner per process for the same suites: a run validates again after rejecting
    stories, and tests validate many batches; a GX context with every suite costs 1-2 s to
    set up. Suites that changed get a new runner (the old one is closed)."""
    key = json.dumps(suites, sort_keys=True)
    runner = _SHARED.get(key)
    if runner is None:
        for old in _SHARED.values():
            old.close()
        _SHARED.clear()
        runner = _SHARED[key] = SuiteRunner(suites)
    return runner
