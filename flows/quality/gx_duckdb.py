"""Two fixes that let Great Expectations' SQL engine run on DuckDB (duckdb-engine).

GX 1.x has no DuckDB engine of its own; its SQLAlchemy engine reaches DuckDB through
duckdb-engine, which needs two changes with the versions pinned in pyproject.toml:

- GX executes a query inside a ``with engine.connect()`` block and reads the rows after the
  block closed the connection; duckdb-engine's cursor is gone by then ('list index out of
  range'). Here the rows of a DuckDB query are buffered before the block ends.
- GX builds regex expressions per dialect and does not know DuckDB's. DuckDB takes
  PostgreSQL's ``~`` operator, and duckdb-engine's dialect derives from psycopg2's, so GX is
  pointed at SQLAlchemy's PostgreSQL dialect module.

``tests/test_gx_duckdb.py`` fails when a version change makes either fix wrong or needless.
(A process that imported both GX and duckdb-engine also ends with some 40 lines of "nanobind:
leaked ..." on stderr as the interpreter tears DuckDB down; the command line closes its stderr
before that teardown: ``flows.commands.console.quiet_libraries``.)
"""

from __future__ import annotations

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
