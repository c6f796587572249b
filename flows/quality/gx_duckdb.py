"""Two fixes that let Great Expectations' SQL engine run on DuckDB (duckdb-engine), and two
changes that let one data source serve many validations cheaply.

GX 1.x has no DuckDB engine of its own; its SQLAlchemy engine reaches DuckDB through
duckdb-engine, which needs two changes with the versions pinned in pyproject.toml:

- GX executes a query inside a ``with engine.connect()`` block and reads the rows after the
  block closed the connection; duckdb-engine's cursor is gone by then ('list index out of
  range'). Here the rows of a DuckDB query are buffered before the block ends.
- GX builds regex expressions per dialect and does not know DuckDB's. DuckDB takes
  PostgreSQL's ``~`` operator, and duckdb-engine's dialect derives from psycopg2's, so GX is
  pointed at SQLAlchemy's PostgreSQL dialect module.

A ``SuiteRunner`` keeps one data source over the validation database across validations
(adding one and its table assets cost 0.5-0.9 s each time), so:

- ``forget_metrics`` empties the execution engine's metric cache after a validation: a
  whole-table batch has the same id in the next validation, over other rows (GX 1.24 computes
  a validation's metrics afresh, so this guards against a version that reads the cache);
- ``reflect_columns_once`` reflects a table's columns once per execution engine instead of once
  per suite and metric (0.8-1.6 s of a small batch's validation).

And one change for GX's own Python: ``build_configurations_once`` (an expectation rebuilt its
configuration from its fields once per keyword it read, some 120 times per expectation and
validation: a third of a small batch's validation).

``tests/test_gx_duckdb.py`` fails when a version change makes either fix wrong or needless.
(A process that imported both GX and duckdb-engine also ends with some 40 lines of "nanobind:
leaked ..." on stderr as the interpreter tears DuckDB down; the command line closes its stderr
before that teardown: ``flows.commands.console.quiet_libraries``.)
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, Final

# The versions these fixes were written for (and tested against).
GX_VERSION: Final = "1.24.1"
DUCKDB_ENGINE_VERSION: Final = "0.17.0"
DIALECT: Final = "duckdb"

_INSTALLED_FLAG = "_newswire_duckdb_fixes"


def install() -> None:
    """Patch GX's SQLAlchemy execution engine once per process (idempotent)."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as module

    engine_class: Any = module.SqlAlchemyExecutionEngine
    if getattr(engine_class, _INSTALLED_FLAG, False):
        return
    buffer_results(engine_class)
    use_postgresql_regex(engine_class)
    reflect_columns_once()
    build_configurations_once()
    setattr(engine_class, _INSTALLED_FLAG, True)


def buffer_results(engine_class: Any) -> None:
    """Read a DuckDB query's rows before GX's connection block closes its cursor."""
    execute = engine_class.__dict__["_execute_query_with_recovery"].__func__

    def execute_buffered(connection: Any, query: Any) -> Any:
        result = execute(connection, query)
        if connection.dialect.name == DIALECT and result.returns_rows:
            # freeze() reads every row now; calling the frozen result gives a readable result.
            return result.freeze()()
        return result

    engine_class._execute_query_with_recovery = staticmethod(execute_buffered)


def use_postgresql_regex(engine_class: Any) -> None:
    """Build DuckDB's regex expressions as PostgreSQL's (``~``), which DuckDB understands."""
    initialise = engine_class.__init__

    def initialise_with_dialect(self: Any, *args: Any, **kwargs: Any) -> None:
        initialise(self, *args, **kwargs)
        if self.dialect_name == DIALECT:
            from sqlalchemy.dialects import postgresql

            self.dialect_module = postgresql

    engine_class.__init__ = initialise_with_dialect


def forget_metrics(execution_engine: Any) -> None:
    """Empty an execution engine's metric cache. GX keys a metric by its batch's id, which for
    a whole-table asset is the same in every validation: the cache of a data source reused over
    a database whose tables were replaced holds the previous batch's metrics."""
    cache = getattr(execution_engine, "_metric_cache", None)
    if cache is not None:
        cache.clear()


# Where an execution engine keeps the columns reflected per table (reflect_columns_once).
_COLUMNS_ATTRIBUTE: Final = "_newswire_columns"


def reflect_columns_once() -> None:
    """Reflect a DuckDB table's columns once per execution engine, not once per suite and
    metric (26 reflections, 0.8-1.6 s of a small batch's validation). Safe because a runner's
    data source reads one database path whose tables always have the same columns (a runner
    copies the same columns every time; ``forget_metrics`` does not forget them)."""
    from great_expectations.expectations.metrics.table_metrics import table_column_types

    reflect = table_column_types._get_sqlalchemy_column_metadata

    def reflect_once(execution_engine: Any, batch_data: Any) -> Any:
        if execution_engine.dialect_name != DIALECT:
            return reflect(execution_engine, batch_data)
        known = execution_engine.__dict__.setdefault(_COLUMNS_ATTRIBUTE, {})
        key = (batch_data.source_schema_name, batch_data.source_table_name)
        if key not in known:
            known[key] = reflect(execution_engine, batch_data)
        columns = known[key]
        return [dict(column) for column in columns] if columns is not None else None

    table_column_types._get_sqlalchemy_column_metadata = reflect_once


# The configurations built while GX validates a batch (build_configurations_once):
# id(expectation) -> (the expectation, kept alive so no other takes its id; its configuration),
# None outside a validation.
_CONFIGURATIONS = threading.local()


def build_configurations_once() -> None:
    """Build an expectation's configuration once per validation of a batch, not on every read
    of a keyword. ``Expectation.configuration`` is a property that converts the expectation's
    fields into a new configuration each time; while ``Validator.graph_validate`` works out
    metrics and results, no expectation's fields change, so the first one built is the same."""
    from great_expectations.expectations.expectation import Expectation
    from great_expectations.validator.validator import Validator

    build = Expectation.__dict__["configuration"].fget

    def configuration(self: Any) -> Any:
        built = getattr(_CONFIGURATIONS, "built", None)
        if built is None:
            return build(self)
        key = id(self)
        if key not in built:
            built[key] = (self, build(self))
        return built[key][1]

    def remembering(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            if getattr(_CONFIGURATIONS, "built", None) is not None:
                return method(self, *args, **kwargs)
            _CONFIGURATIONS.built = {}
            try:
                return method(self, *args, **kwargs)
            finally:
                _CONFIGURATIONS.built = None

        return call

    Expectation.configuration = property(configuration)  # type: ignore[assignment,method-assign]
    Validator.graph_validate = remembering(Validator.graph_validate)  # type: ignore[method-assign]
