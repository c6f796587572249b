"""What operators and analysts use between runs: status, one-off SQL and a read-only shell.

Everything here opens ``news.duckdb`` read-only, so it never blocks or breaks a run: a run
swaps a new file in, and a connection opened before keeps reading the old one. The shell
notices the swap and reopens between statements.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from flows.settings import WarehouseLayout
from flows.store.lock import lock_holder
from flows.store.sql import sql_text

if TYPE_CHECKING:
    import duckdb

# duckdb, pyarrow and the warehouse modules are imported where used: `newswire --help` and
# the other commands should start in a blink.

MAX_CELL_WIDTH = 60
FORMATS = ("table", "csv", "json")


@contextmanager
def read_only(database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse, with a clear error when there is none yet."""
    import duckdb

    if not database.exists():
        raise FileNotFoundError(f"no warehouse at {database}; run 'newswire run' first")
    connection = duckdb.connect(str(database), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def format_cell(value: Any) -> str:
    """A value as analysts expect to read it in a terminal."""
    if value is None:
        return "NULL"
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_CELL_WIDTH else text[: MAX_CELL_WIDTH - 1] + "…"


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table (numbers right-aligned), like the DuckDB shell's."""
    cells = [[format_cell(value) for value in row] for row in rows]
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
    columns: Sequence[str], rows: Sequence[Sequence[Any]], output: TextIO, fmt: str = "table"
) -> None:
    """Print a query result as a table, CSV or JSON lines."""
    if fmt == "csv":
        writer = csv.writer(output)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        for row in rows:
            output.write(json.dumps(dict(zip(columns, row, strict=True)), default=str) + "\n")
    else:
        output.write(render_table(columns, rows) + "\n")
        output.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def run_query(
    connection: duckdb.DuckDBPyConnection, query: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one statement; statements that return nothing give no columns."""
    cursor = connection.execute(query)
    if cursor.description is None:
        return [], []
    return [column[0] for column in cursor.description], cursor.fetchall()


def status(warehouse: WarehouseLayout, output: TextIO, runs: int = 5) -> None:
    """Where the warehouse stands: last runs, table sizes, run lock, Parquet store."""
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
        return
    with read_only(database) as connection:
        columns, rows = run_query_params(connection, sql_text("queries/recent_runs.sql"), [runs])
        output.write(f"\nlast {len(rows)} runs\n")
        write_result(columns, rows, output)
        output.write("\ntables\n")
        write_result(["table", "rows"], list(table_counts(connection).items()), output)


def run_query_params(
    connection: duckdb.DuckDBPyConnection, query: str, parameters: Sequence[Any]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one parameterised statement and return its columns and rows."""
    cursor = connection.execute(query, list(parameters))
    return [column[0] for column in cursor.description or []], cursor.fetchall()


class Shell:
    """A small read-only SQL prompt over the warehouse, for machines without the duckdb CLI.

    Statements end with ';'. Between statements it reopens the file when a run has swapped a
    new warehouse in, and says so, so analysts see new data without restarting.
    """

    PROMPT = "newswire> "
    CONTINUATION = "      ...> "
    HELP = (
        "Read-only SQL over {database}. End statements with ';'.\n"
        "  .tables          list tables and views\n"
        "  .schema TABLE    columns of a table\n"
        "  .mode FORMAT     table, csv or json\n"
        "  .reopen          open the newest warehouse now\n"
        "  .quit            leave (or Ctrl-D)\n"
    )

    def __init__(self, database: Path, output: TextIO) -> None:
        self.database = database
        self.output = output
        self.mode = "table"
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._inode = 0

    def _connect(self) -> duckdb.DuckDBPyConnection:
        import duckdb

        inode = self.database.stat().st_ino
        if self._connection is not None and inode != self._inode:
            self._connection.close()
            self._connection = None
            self.output.write("(a run published a new warehouse: reopened)\n")
        if self._connection is None:
            self._connection = duckdb.connect(str(self.database), read_only=True)
            self._inode = inode
        return self._connection

    def close(self) -> None:
        """Release the connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def execute(self, statement: str) -> None:
        """Run one statement or dot-command and print its result or its error."""
        import duckdb

        statement = statement.strip()
        try:
            if statement.startswith("."):
                self._command(statement)
            elif statement.rstrip(";").strip():
                columns, rows = run_query(self._connect(), statement)
                if columns:
                    write_result(columns, rows, self.output, self.mode)
        except duckdb.Error as error:
            self.output.write(f"error: {' '.join(str(error).split())}\n")

    def _command(self, command: str) -> None:
        name, _, argument = command.partition(" ")
        argument = argument.strip().rstrip(";")
        if name in (".help", ".h"):
            self.output.write(self.HELP.format(database=self.database))
        elif name == ".tables":
            columns, rows = run_query(self._connect(), "show tables")
            self.output.write("  ".join(str(row[0]) for row in rows) + "\n")
        elif name == ".schema" and argument:
            query = sql_text("queries/table_columns.sql")
            columns, rows = run_query_params(self._connect(), query, [argument])
            write_result(columns, rows, self.output)
        elif name == ".mode" and argument in FORMATS:
            self.mode = argument
        elif name == ".reopen":
            self.close()
            self._connect()
        else:
            self.output.write(f"unknown command {command!r}; .help lists them\n")

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


def shell(database: Path, prefer_cli: bool = True) -> int:
    """Open an interactive read-only shell: the duckdb CLI if installed, else ``Shell``."""
    if not database.exists():
        print(f"newswire: no warehouse at {database}; run 'newswire run' first", file=sys.stderr)
        return 1
    cli = shutil.which("duckdb") if prefer_cli else None
    if cli is not None:
        os.execv(cli, [cli, "-readonly", str(database)])
    interactive = sys.stdin.isatty()
    if interactive:
        import readline  # noqa: F401 - line editing and history for input()

        print(Shell.HELP.format(database=database), end="")

        def read_line(prompt: str) -> str:
            return input(prompt)

    else:

        def read_line(prompt: str) -> str:
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line.rstrip("\n")

    Shell(database, sys.stdout).loop(read_line)
    return 0
