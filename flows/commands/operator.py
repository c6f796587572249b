"""What operators and analysts use between runs: status, one-off SQL and a read-only shell.

Everything here opens ``news.duckdb`` through one sandboxed read-only connection, so it never
blocks or breaks a run: a run swaps a new file in, and a connection opened before keeps reading
the old one. The shell notices the swap and reopens between statements.

The sandbox is two locks. DuckDB's own settings: the file opened read-only, no extension
installed or loaded, no file reached outside the warehouse's Parquet store, no setting changed
(``sandboxed``). And DuckDB's own parser: only statements that read run (``read_statements``),
because DuckDB still lets ``COPY ... TO`` write where it may read: into the Parquet store, and
onto its own database file (``COPY articles TO 'news.duckdb' (USE_TMP_FILE false)`` replaced
the warehouse with CSV on a connection with only the settings, DuckDB 2.0.0), even from the
WITH clause of a statement its parser types SELECT.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TextIO

from flows.settings import WarehouseLayout
from flows.store.lock import lock_holder
from flows.store.sql import sql_text

if TYPE_CHECKING:
    import duckdb

    from flows.quality.entity_audit import EntityAudit

# duckdb, pyarrow and the warehouse modules are imported where used: `newswire --help` and
# the other commands should start in a blink.

MAX_CELL_WIDTH = 60
FORMATS = ("table", "csv", "json")

# Set at connect: an extension is neither fetched nor loaded behind a query's back.
SANDBOX_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
# Run in this order: DuckDB takes allowed_directories neither in the connect config nor once
# external access is off, and after lock_configuration no setting changes (measured, 2.0.0).
SANDBOX_STATEMENTS = (
    "set allowed_directories = ?",
    "set enable_external_access = false",
    "set lock_configuration = true",
)

# The statements that only read: SELECT, EXPLAIN and PRAGMA, as DuckDB's parser types them.
# Within them DuckDB 2.0 still runs writes, so each is looked into (measured, 2.0.0):
# - a SELECT may start WITH x AS (COPY ... TO ...), or INSERT, UPDATE, DELETE: its parse tree
#   (json_serialize_sql) then has a query node other than these;
# - query() and json_execute_serialized_sql() run SQL text or trees that are not looked into;
# - EXPLAIN ANALYZE runs what it explains: only a SELECT that passes is explained;
# - IMPORT DATABASE is a PRAGMA that runs the SQL files of a folder, COPY statements
#   included, so only the PRAGMAs that report run.
READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA"})
READ_QUERY_NODES = frozenset(
    {"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"}
)
SQL_RUNNING_FUNCTIONS = frozenset({"query", "json_execute_serialized_sql"})
READ_PRAGMAS = frozenset(
    {
        "collations",
        "database_list",
        "database_size",
        "extension_versions",
        "functions",
        "metadata_info",
        "platform",
        "show",
        "show_databases",
        "show_tables",
        "show_tables_expanded",
        "storage_info",
        "table_info",
        "user_agent",
        "version",
    }
)
WHY_REFUSED = {
    "COPY": "can change files",
    "EXPORT": "can change files",
    "COPY_DATABASE": "can change files",
    "ATTACH": "open other database files",
    "DETACH": "close the warehouse",
    "LOAD": "install or load extensions (INSTALL, LOAD)",
    "SET": "change settings (SET, RESET, USE)",
    "TRANSACTION": "manage transactions",
    "CALL": "run procedures (SELECT * FROM the function instead)",
    "MULTI": "(PIVOT without IN (...)) create types (list the values: ON x IN (...))",
}
WHY_PRAGMA_REFUSED = {
    "import_database": "runs the SQL files of a folder (IMPORT DATABASE)",
    "copy_database": "copies into another database",
    "json_execute_serialized_sql": "runs SQL that newswire cannot look into",
}
CHANGES_THE_WAREHOUSE = "can change the warehouse"


class RefusedStatement(Exception):
    """A statement the read-only commands do not run; the message is the one line to show."""

    def __init__(self, problem: str, who: str) -> None:
        super().__init__(f"refused: {problem}; {who} only reads")


def sandbox_directories(warehouse: WarehouseLayout) -> list[str]:
    """What SQL may read besides the warehouse: its Parquet store, link and snapshots.

    DuckDB resolves the ``parquet`` link when the setting is made; the snapshots folder keeps
    a snapshot published later readable on the same connection.
    """
    return [os.path.abspath(path) for path in (warehouse.parquet, warehouse.snapshots)]


def sandboxed(warehouse: WarehouseLayout) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``news.duckdb`` that reaches no other file but the Parquet
    store, loads no extension and cannot change its settings. The caller closes it."""
    import duckdb

    database = warehouse.database
    if not database.exists():
        raise FileNotFoundError(f"no warehouse at {database}; run 'newswire run' first")
    connection = duckdb.connect(str(database), read_only=True, config=SANDBOX_CONFIG)
    try:
        allowed, no_external_access, locked = SANDBOX_STATEMENTS
        connection.execute(allowed, [sandbox_directories(warehouse)])
        connection.execute(no_external_access)
        connection.execute(locked)
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def read_only(warehouse: WarehouseLayout) -> Iterator[duckdb.DuckDBPyConnection]:
    """The sandboxed connection, closed on exit; a clear error when there is no warehouse."""
    connection = sandboxed(warehouse)
    try:
        yield connection
    finally:
        connection.close()


def read_statements(query: str, who: str = "newswire sql") -> list[duckdb.Statement]:
    """The statements of ``query`` as DuckDB parses them, when every one of them only reads.

    Raises ``RefusedStatement`` for the first that does not (nothing runs then), and DuckDB's
    own error when the text does not parse.
    """
    import duckdb

    try:
        statements = duckdb.extract_statements(query)
        kinds = [statement.type.name for statement in statements]
    except ValueError:  # a statement type the Python API has no name for (UPDATE EXTENSIONS)
        raise RefusedStatement("a statement of a type newswire does not know", who) from None
    # The parse trees come from a database of its own: no file, no setting of the warehouse's.
    parser = duckdb.connect(":memory:", config=SANDBOX_CONFIG)
    try:
        for statement, kind in zip(statements, kinds, strict=True):
            problem = _why_not_read(parser, statement.query, kind)
            if problem is not None:
                raise RefusedStatement(problem, who)
    finally:
        parser.close()
    return statements


def _why_not_read(parser: duckdb.DuckDBPyConnection, query: str, kind: str) -> str | None:
    """Why one statement may change something, or None when it only reads."""
    if kind == "SELECT":
        return _why_not_select(parser, query)
    if kind == "PRAGMA":
        first, name = [*_words(query), "", ""][:2]
        pragma = "import_database" if (first, name) == ("import", "database") else name
        if pragma in READ_PRAGMAS:
            return None
        return f"PRAGMA {pragma} {WHY_PRAGMA_REFUSED.get(pragma, 'changes settings or files')}"
    if kind == "EXPLAIN":
        explained = _explained(query)
        if explained is None:
            return "EXPLAIN of a statement newswire cannot find"
        inner_kind, inner = explained
        if inner_kind != "SELECT":
            return f"EXPLAIN of a {inner_kind} statement (EXPLAIN ANALYZE runs it)"
        return _why_not_select(parser, inner)
    return f"{kind} statements {WHY_REFUSED.get(kind, CHANGES_THE_WAREHOUSE)}"


def _why_not_select(parser: duckdb.DuckDBPyConnection, query: str) -> str | None:
    """Why a SELECT may change something: a query node that writes (WITH x AS (COPY ...)) or
    a function that runs SQL text, found in DuckDB's own parse tree of it."""
    serialized = parser.execute("select json_serialize_sql(?)", [query]).fetchall()[0][0]
    tree = json.loads(serialized)
    if tree.get("error"):
        return f"a query newswire cannot look into ({tree.get('error_message', 'no tree')})"
    stack: list[Any] = [tree]
    while stack:  # a loop, not recursion: a deep expression must not exhaust Python's stack
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            node = item.get("type")
            if isinstance(node, str) and node.endswith("_NODE") and node not in READ_QUERY_NODES:
                inner = node.removesuffix("_NODE").removesuffix("_QUERY")
                return f"{inner} inside a query {WHY_REFUSED.get(inner, CHANGES_THE_WAREHOUSE)}"
            function = str(item.get("function_name", "")).lower()
            if function in SQL_RUNNING_FUNCTIONS:
                return f"{function}() runs SQL that newswire cannot look into"
            stack.extend(item.values())
    return None


def _words(query: str) -> list[str]:
    """The tokens of a statement as lower-case text, comments left out."""
    import duckdb

    tokens = duckdb.tokenize(query)
    ends = [offset for offset, _ in tokens[1:]] + [len(query)]
    return [
        query[offset:end].strip().strip('"').lower()
        for (offset, kind), end in zip(tokens, ends, strict=True)
        if kind != duckdb.token_type.comment
    ]


def _explained(query: str) -> tuple[str, str] | None:
    """The type and text of the statement an EXPLAIN wraps, after its ANALYZE and (options).

    The first suffix of the text, token by token, that parses as one statement is it: the
    words before it (ANALYZE, an options list) do not parse on their own.
    """
    import duckdb

    tokens = [
        offset for offset, kind in duckdb.tokenize(query) if kind != duckdb.token_type.comment
    ]
    for offset in tokens[1:]:
        try:
            inner = duckdb.extract_statements(query[offset:])
            if len(inner) == 1:
                return str(inner[0].type.name), query[offset:]
        except (duckdb.Error, ValueError):
            continue
    return None


def add_width_options(command: argparse.ArgumentParser) -> None:
    """--wide and --max-width: how much of a long text a table cell shows."""
    width = command.add_mutually_exclusive_group()
    width.add_argument(
        "--wide", action="store_true", help="show the full text in table cells (no cut)"
    )
    width.add_argument(
        "--max-width",
        type=_positive,
        default=MAX_CELL_WIDTH,
        metavar="N",
        help=f"cut table cells at N characters (default: {MAX_CELL_WIDTH})",
    )


def cell_width(arguments: argparse.Namespace) -> int | None:
    """The width table cells are cut at, None for no cut."""
    return None if arguments.wide else int(arguments.max_width)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return number


def run_statements(
    connection: duckdb.DuckDBPyConnection, query: str, who: str = "newswire sql"
) -> list[tuple[list[str], list[tuple[Any, ...]]]]:
    """Run every statement of ``query`` that only reads; the columns and rows of each result.

    All are checked before the first runs: one refused statement and nothing runs.
    """
    results = []
    for statement in read_statements(query, who):
        columns, rows = run_query(connection, statement)
        if columns:
            results.append((columns, rows))
    return results


def format_cell(value: Any, max_width: int | None = MAX_CELL_WIDTH) -> str:
    """A value as analysts expect to read it in a terminal, cut at ``max_width`` (None: never)."""
    if value is None:
        return "NULL"
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    text = str(value).replace("\n", " ")
    if max_width is None or len(text) <= max_width:
        return text
    return text[: max_width - 1] + "…"


def render_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int | None = MAX_CELL_WIDTH
) -> str:
    """An aligned text table (numbers right-aligned), like the DuckDB shell's."""
    cells = [[format_cell(value, max_width) for value in row] for row in rows]
    widths = [len(name) for name in columns]
    for row in cells:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    numeric = [
        bool(rows) and all(isinstance(row[i], int | float) or row[i] is None for row in rows)
        for i in range(len(columns))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(columns), line(["-" * width for width in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def write_result(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output: TextIO,
    fmt: str = "table",
    max_width: int | None = MAX_CELL_WIDTH,
) -> None:
    """Print a query result as a table (cells cut at ``max_width``), CSV or JSON lines (never
    cut)."""
    if fmt == "csv":
        writer = csv.writer(output)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        for row in rows:
            output.write(json.dumps(dict(zip(columns, row, strict=True)), default=str) + "\n")
    else:
        output.write(render_table(columns, rows, max_width) + "\n")
        output.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def run_query(
    connection: duckdb.DuckDBPyConnection, query: str | duckdb.Statement
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one statement; statements that return nothing give no columns."""
    cursor = connection.execute(query)
    if cursor.description is None:
        return [], []
    return [column[0] for column in cursor.description], cursor.fetchall()


def error_line(error: BaseException) -> str:
    """An error's first line: DuckDB's go on with the query and a caret under the spot."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def status(warehouse: WarehouseLayout, output: TextIO, runs: int = 5) -> str | None:
    """Where the warehouse stands: last runs, table sizes, run lock, Parquet store.

    Returns None, or the one line to show when ``news.duckdb`` cannot be read (a damaged
    file): what can be told without it is printed all the same.
    """
    import duckdb

    from flows.store.parquet import published_snapshot
    from flows.store.publish import parquet_in_sync
    from flows.store.warehouse import table_counts

    database = warehouse.database
    holder = lock_holder(warehouse.lock)
    output.write(f"warehouse  {database}")
    if database.exists():
        output.write(f" ({database.stat().st_size / 1e6:,.1f} MB)\n")
    else:
        output.write(" (none yet: run 'newswire run')\n")
    running = f"in progress (pid {holder})" if holder else "none"
    output.write(f"run        {running}\n")
    snapshot = published_snapshot(warehouse)
    in_sync = parquet_in_sync(warehouse)
    name = database.name
    state = {True: f"in step with {name}", False: f"behind {name}", None: "no data"}
    where = f"snapshot {snapshot.name}, " if snapshot else ""
    output.write(f"parquet    {warehouse.parquet} ({where}{state[in_sync]})\n")
    if not database.exists():
        return None
    try:
        with read_only(warehouse) as connection:
            query = sql_text("queries/recent_runs.sql")
            columns, rows = run_query_params(connection, query, [runs])
            counts = table_counts(connection)
    except (duckdb.Error, OSError) as error:
        return f"{database} is damaged or unreadable: {error_line(error)}; try 'newswire restore'"
    output.write(f"\nlast {len(rows)} run{'' if len(rows) == 1 else 's'}\n")
    write_result(columns, rows, output)
    output.write("\ntables\n")
    write_result(["table", "rows"], list(counts.items()), output)
    return None


def entity_audit(warehouse: WarehouseLayout) -> EntityAudit:
    """The entity audit of ``newswire eval``, read on the sandboxed connection."""
    from flows.quality.entity_audit import EntityAudit, kept_apart, split_names
    from flows.story.entities.word_lists import DISTINCT_LEGAL_FORMS

    with read_only(warehouse) as connection:
        rows = connection.execute(sql_text("queries/entity_audit_entities.sql")).fetchall()
        tables = {name for (name,) in connection.execute("show tables").fetchall()}
        retired: dict[str, int] = {}
        if "entity_id_merges" in tables:
            query = sql_text("queries/entity_audit_retired.sql")
            retired = {str(how): int(count) for how, count in connection.execute(query).fetchall()}
    found = split_names(rows)
    apart = kept_apart(found, DISTINCT_LEGAL_FORMS)
    return EntityAudit(
        entities=len(rows),
        split_names=[split for split in found if split not in apart],
        kept_apart=apart,
        retired_ids=retired,
    )


def run_query_params(
    connection: duckdb.DuckDBPyConnection, query: str, parameters: Sequence[Any]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one parameterised statement and return its columns and rows."""
    cursor = connection.execute(query, list(parameters))
    return [column[0] for column in cursor.description or []], cursor.fetchall()


class Shell:
    """A small read-only SQL prompt over the warehouse, sandboxed like ``newswire sql``.

    Statements end with ';'. Between statements it reopens the file when a run has swapped a
    new warehouse in, and says so, so analysts see new data without restarting.
    """

    PROMPT = "newswire> "
    CONTINUATION = "      ...> "
    WHO = "newswire shell"
    HELP = (
        "Read-only SQL over {database}. End statements with ';'.\n"
        "  .tables          list tables and views\n"
        "  .schema TABLE    columns of a table\n"
        "  .mode FORMAT     table, csv or json\n"
        "  .width N         cut table cells at N characters (now {width})\n"
        "  .wide            never cut table cells\n"
        "  .reopen          open the newest warehouse now\n"
        "  .quit            leave (or Ctrl-D)\n"
    )

    def __init__(
        self, warehouse: WarehouseLayout, output: TextIO, max_width: int | None = MAX_CELL_WIDTH
    ) -> None:
        self.warehouse = warehouse
        self.database = warehouse.database
        self.output = output
        self.mode = "table"
        self.max_width = max_width
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._inode = 0

    def help(self) -> str:
        """The text of .help."""
        width = "no cut" if self.max_width is None else str(self.max_width)
        return self.HELP.format(database=self.database, width=width)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        inode = self.database.stat().st_ino
        if self._connection is not None and inode != self._inode:
            self.close()
            self.output.write("(a run published a new warehouse: reopened)\n")
        if self._connection is None:
            self._connection = sandboxed(self.warehouse)
            self._inode = inode
        return self._connection

    def close(self) -> None:
        """Release the connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def execute(self, statement: str) -> None:
        """Run one statement or dot-command and print its result, or its error on one line."""
        import duckdb

        statement = statement.strip()
        try:
            if statement.startswith("."):
                self._command(statement)
            elif statement.rstrip(";").strip():
                results = run_statements(self._connect(), statement, self.WHO)
                for columns, rows in results:
                    write_result(columns, rows, self.output, self.mode, self.max_width)
        except (duckdb.Error, RefusedStatement, OSError) as error:
            self.output.write(f"error: {error_line(error)}\n")

    def _command(self, command: str) -> None:
        name, _, argument = command.partition(" ")
        argument = argument.strip().rstrip(";").strip()
        if name in (".help", ".h"):
            self.output.write(self.help())
        elif name == ".tables":
            columns, rows = run_query(self._connect(), "show tables")
            self.output.write("  ".join(str(row[0]) for row in rows) + "\n")
        elif name == ".schema" and argument:
            query = sql_text("queries/table_columns.sql")
            columns, rows = run_query_params(self._connect(), query, [argument])
            write_result(columns, rows, self.output)
        elif name == ".mode" and argument in FORMATS:
            self.mode = argument
        elif name == ".width" and argument.isdigit() and int(argument) > 0:
            self.max_width = int(argument)
        elif name == ".wide" and not argument:
            self.max_width = None
        elif name == ".reopen":
            self.close()
            self._connect()
        else:
            self.output.write(f"error: unknown command {command!r}; .help lists them\n")

    def loop(self, read_line: Callable[[str], str]) -> None:
        """Read statements until end of input or .quit."""
        buffer: list[str] = []
        while True:
            try:
                line = read_line(self.CONTINUATION if buffer else self.PROMPT)
            except EOFError:
                break
            except KeyboardInterrupt:
                buffer = []
                self.output.write("\n")
                continue
            stripped = line.strip()
            if not buffer and stripped in (".quit", ".exit", ".q"):
                break
            if not buffer and stripped.startswith("."):
                self.execute(stripped)
                continue
            buffer.append(line)
            if stripped.endswith(";"):
                self.execute("\n".join(buffer))
                buffer = []
        if buffer:
            self.execute("\n".join(buffer))
        self.close()


def shell(warehouse: WarehouseLayout, max_width: int | None = MAX_CELL_WIDTH) -> int:
    """Open the interactive read-only prompt (``Shell``) on the warehouse."""
    database = warehouse.database
    if not database.exists():
        print(f"newswire: no warehouse at {database}; run 'newswire run' first", file=sys.stderr)
        return 1
    prompt = Shell(warehouse, sys.stdout, max_width)
    if sys.stdin.isatty():
        import readline  # noqa: F401 - line editing and history for input()

        print(prompt.help(), end="")

        def read_line(text: str) -> str:
            return input(text)

    else:

        def read_line(text: str) -> str:
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line.rstrip("\n")

    prompt.loop(read_line)
    return 0
