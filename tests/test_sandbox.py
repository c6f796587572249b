"""`newswire sql` and `newswire shell` only read: every way to write is refused, on a real file.

The warehouse here is built without Prefect: the project's DDL and views (``apply_schema``), two
articles, and a published Parquet snapshot behind a ``parquet`` link, as a run leaves them.
After each refused statement the bytes of every file under the test folder (the warehouse and
the places a statement tries to write to) must be as they were.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.commands import cli
from flows.commands.operator import MAX_CELL_WIDTH, Shell, sandboxed
from flows.settings import WarehouseLayout
from flows.store.parquet import publish_snapshot
from flows.store.publish import export
from flows.store.warehouse import apply_schema

# A lede longer than a table cell, with what CSV must quote: a comma, quotes and a line break.
LONG_LEDE = (
    'The harbour authority said on Monday, in a "final" notice, that ferries will run late '
    "next month while the\nnorthern quay is rebuilt, and asked travellers to allow an extra "
    "hour for crossings until the work is done (END OF LEDE)"
)
ARTICLES = [
    {
        "article_id": "a1",
        "story_id": "s1",
        "version": 1,
        "is_latest": True,
        "source_file": "2024/03/ferries.txt",
        "content_sha256": "0" * 64,
        "published_date": date(2024, 3, 5),
        "headline": "Ferries to run late while quay is rebuilt",
        "wire": "Reuters",
        "dateline": "OSLO",
        "lede": LONG_LEDE,
        "body": LONG_LEDE,
        "paragraph_count": 1,
        "word_count": 40,
        "copyright": None,
        "ingested_at": datetime(2024, 3, 6, 10, 0),
        "run_id": "run-1",
        "headline_key": "ferries",
        "lede_key": "harbour",
    },
    {
        "article_id": "a2",
        "story_id": "s2",
        "version": 1,
        "is_latest": True,
        "source_file": "2024/04/cable.txt",
        "content_sha256": "1" * 64,
        "published_date": date(2024, 4, 2),
        "headline": "Cable car halts",
        "wire": "Bloomberg",
        "dateline": "ZURICH",
        "lede": "A cable car stopped.",
        "body": "A cable car stopped.",
        "paragraph_count": 1,
        "word_count": 4,
        "copyright": None,
        "ingested_at": datetime(2024, 4, 3, 10, 0),
        "run_id": "run-1",
        "headline_key": "cable",
        "lede_key": "cable",
    },
]
RUN = {
    "run_id": "run-1",
    "flow_run_id": None,
    "started_at": datetime(2024, 4, 3, 10, 0),
    "finished_at": datetime(2024, 4, 3, 10, 1),
    "status": "success",
    "files_seen": 2,
    "files_new": 2,
    "files_skipped": 0,
    "files_rejected": 0,
    "articles_loaded": 2,
    "input_root": "input",
    "message": None,
}


def insert(connection: duckdb.DuckDBPyConnection, table: str, row: Mapping[str, object]) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    connection.execute(f"insert into {table} ({names}) values ({marks})", list(row.values()))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small published warehouse: news.duckdb, a snapshot and the ``parquet`` link."""
    layout = WarehouseLayout(tmp_path_factory.mktemp("sandbox") / "warehouse")
    layout.root.mkdir()
    with duckdb.connect(str(layout.database)) as connection:
        apply_schema(connection)
        for article in ARTICLES:
            insert(connection, "articles", article)
        insert(connection, "pipeline_runs", RUN)
    publish_snapshot(layout, export(layout.database, layout, "run-1"))
    return layout.root


@pytest.fixture
def warehouse(pristine: Path, tmp_path: Path) -> WarehouseLayout:
    """A private copy of the small warehouse, and beside it ``outside/`` with another database
    (``other.duckdb``, one table ``t``) that statements try to reach."""
    root = tmp_path / "warehouse"
    shutil.copytree(pristine, root, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    with duckdb.connect(str(outside / "other.duckdb")) as connection:
        connection.execute("create table t as select 1 as a")
    return WarehouseLayout(root)


def files(root: Path) -> dict[str, str | bytes]:
    """Every file, folder and link under ``root``: a file's bytes, a link's target."""
    found: dict[str, str | bytes] = {}
    for folder, folders, names in os.walk(root):
        for name in folders + names:
            path = Path(folder, name)
            key = str(path.relative_to(root))
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = path.read_bytes()
    return found


def serialized(query: str) -> str:
    with duckdb.connect() as connection:
        return str(connection.execute("select json_serialize_sql(?)", [query]).fetchall()[0][0])


# Each way to write, and what the refusal names. {w}: the warehouse folder, {out}: outside/.
WRITES = {
    "copy to the warehouse file": ("COPY articles TO '{w}/news.duckdb'", "COPY statements"),
    "copy over the warehouse file in place": (
        "COPY articles TO '{w}/news.duckdb' (USE_TMP_FILE false)",
        "COPY statements",
    ),
    "copy into the parquet store": (
        "COPY articles TO '{w}/parquet/articles/evil.parquet'",
        "COPY statements",
    ),
    "copy into a snapshot folder": (
        "COPY articles TO '{w}/.parquet-snapshots/run-1/evil.csv'",
        "COPY statements",
    ),
    "copy to a relative path": ("COPY articles TO 'parquet/evil.csv'", "COPY statements"),
    "copy elsewhere": ("COPY articles TO '{out}/articles.csv'", "COPY statements"),
    "export database": ("EXPORT DATABASE '{out}/export'", "EXPORT statements"),
    "export into the parquet store": ("EXPORT DATABASE '{w}/parquet/export'", "EXPORT statements"),
    "attach read-write and drop": (
        "ATTACH '{out}/other.duckdb' AS other (READ_WRITE); DROP TABLE other.t",
        "ATTACH statements",
    ),
    "attach the warehouse read-write and drop": (
        "ATTACH '{w}/news.duckdb' AS w (READ_WRITE); DROP TABLE w.articles",
        "ATTACH statements",
    ),
    "install": ("INSTALL httpfs", "LOAD statements"),
    "load": ("LOAD json", "LOAD statements"),
    "update extensions": ("UPDATE EXTENSIONS", "a statement of a type newswire does not know"),
    "set a setting": ("SET threads = 1", "SET statements"),
    "open external access": ("SET enable_external_access = true", "SET statements"),
    "reset a setting": ("RESET memory_limit", "SET statements"),
    "set a variable": ("SET VARIABLE x = 1", "SET statements"),
    "pragma setting": ("PRAGMA enable_profiling", "PRAGMA enable_profiling"),
    "create table": ("CREATE TABLE t AS SELECT 1 AS a", "CREATE statements"),
    "create temp table": ("CREATE TEMP TABLE t (a INTEGER)", "CREATE statements"),
    "insert": ("INSERT INTO articles SELECT * FROM articles", "INSERT statements"),
    "update": ("UPDATE articles SET headline = 'x'", "UPDATE statements"),
    "delete": ("DELETE FROM articles", "DELETE statements"),
    "drop table": ("DROP TABLE articles", "DROP statements"),
    "drop view": ("DROP VIEW latest_articles", "DROP statements"),
    "checkpoint": ("CHECKPOINT", "CALL statements"),
    "transaction": ("BEGIN", "TRANSACTION statements"),
    # Typed SELECT, EXPLAIN or PRAGMA by DuckDB's parser, and writing all the same.
    "copy in a with clause over the warehouse file": (
        "WITH x AS (COPY articles TO '{w}/news.duckdb' (USE_TMP_FILE false)) SELECT 1",
        "COPY inside a query",
    ),
    "copy in a with clause into the parquet store": (
        "WITH x AS NOT MATERIALIZED (COPY articles TO '{w}/parquet/evil.csv') SELECT 1",
        "COPY inside a query",
    ),
    "insert in a with clause": (
        "WITH x AS (INSERT INTO articles SELECT * FROM articles RETURNING *) SELECT 1",
        "INSERT inside a query",
    ),
    "explain analyze copy": (
        "EXPLAIN ANALYZE COPY articles TO '{w}/parquet/articles/evil.parquet'",
        "EXPLAIN of a COPY statement",
    ),
    "explain analyze of a with clause copy": (
        "EXPLAIN ANALYZE WITH x AS (COPY articles TO '{w}/parquet/evil.csv') SELECT 1",
        "COPY inside a query",
    ),
    "import database": ("IMPORT DATABASE '{w}/parquet'", "PRAGMA import_database"),
    "pragma copy_database": ("PRAGMA copy_database('news', 'other')", "PRAGMA copy_database"),
    "serialized sql": (
        "SELECT * FROM json_execute_serialized_sql($${serialized}$$)",
        "json_execute_serialized_sql()",
    ),
    "serialized sql pragma": (
        "PRAGMA json_execute_serialized_sql($${serialized}$$)",
        "PRAGMA json_execute_serialized_sql",
    ),
    "query function": ("SELECT * FROM query('SELECT 1')", "query()"),
    "a read, then a copy": (
        "SELECT count(*) FROM articles; COPY articles TO '{w}/parquet/evil.csv'",
        "COPY statements",
    ),
}


def write_query(template: str, warehouse: WarehouseLayout) -> str:
    outside = warehouse.root.parent / "outside"
    smuggled = f"WITH x AS (COPY articles TO '{warehouse.parquet}/evil.csv') SELECT 1"
    return template.format(
        w=warehouse.root,
        out=outside,
        serialized=serialized(smuggled) if "{serialized}" in template else "",
    )


@pytest.mark.parametrize(("template", "named"), WRITES.values(), ids=WRITES.keys())
def test_sql_refuses_every_write_in_one_line(
    template: str,
    named: str,
    warehouse: WarehouseLayout,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(warehouse.root)
    query = write_query(template, warehouse)
    before = files(warehouse.root.parent)

    assert cli.main(["sql", query, "--warehouse", str(warehouse.root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"newswire: refused: {named}")
    assert captured.err.endswith("; newswire sql only reads\n")
    assert captured.err.count("\n") == 1
    assert files(warehouse.root.parent) == before


@pytest.mark.parametrize(("template", "named"), WRITES.values(), ids=WRITES.keys())
def test_shell_refuses_every_write_and_goes_on(
    template: str, named: str, warehouse: WarehouseLayout, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(warehouse.root)
    query = write_query(template, warehouse)
    before = files(warehouse.root.parent)
    output = io.StringIO()
    script = iter([query + ";", "select count(*) as n from articles;"])

    def read_line(prompt: str) -> str:
        try:
            return next(script)
        except StopIteration:
            raise EOFError from None

    Shell(warehouse, output).loop(read_line)
    error, *rest = output.getvalue().splitlines()
    assert error.startswith(f"error: refused: {named}")
    assert error.endswith("; newswire shell only reads")
    assert rest == ["n", "-", "2", "(1 row)"]
    assert files(warehouse.root.parent) == before


# What DuckDB's settings alone refuse, on a connection that runs statements unchecked.
REFUSED_BY_DUCKDB = {
    "copy elsewhere": "COPY articles TO '{out}/articles.csv'",
    "copy to the warehouse file": "COPY articles TO '{w}/news.duckdb'",
    "export database": "EXPORT DATABASE '{out}/export'",
    "attach another file": "ATTACH '{out}/other.duckdb' AS other (READ_WRITE)",
    "attach in memory": "ATTACH ':memory:' AS scratch",
    "install": "INSTALL httpfs",
    "load an extension": "LOAD fts",
    "read a file elsewhere": "SELECT * FROM read_csv('/etc/passwd')",
    "list files elsewhere": "SELECT * FROM glob('/etc/*')",
    "read beside the store": "SELECT * FROM read_text('{w}/parquet/../../outside/other.duckdb')",
    "set a setting": "SET threads = 1",
    "open external access": "SET enable_external_access = true",
    "widen the allowed directories": "SET allowed_directories = ['/']",
    "insert": "INSERT INTO articles SELECT * FROM articles",
    "insert in a with clause": "WITH x AS (DELETE FROM articles RETURNING *) SELECT 1",
    "create table": "CREATE TABLE t AS SELECT 1 AS a",
}


@pytest.mark.parametrize("template", REFUSED_BY_DUCKDB.values(), ids=REFUSED_BY_DUCKDB.keys())
def test_duckdb_settings_refuse_what_leaves_the_store(
    template: str, warehouse: WarehouseLayout
) -> None:
    before = files(warehouse.root.parent)
    connection = sandboxed(warehouse)
    try:
        with pytest.raises(duckdb.Error):
            connection.execute(write_query(template, warehouse)).fetchall()
    finally:
        connection.close()
    assert files(warehouse.root.parent) == before


def test_duckdb_settings_alone_let_copy_write_where_sql_may_read(
    warehouse: WarehouseLayout,
) -> None:
    """Why every statement is checked too (DuckDB 2.0.0): with the settings alone, COPY writes
    into the Parquet store and over DuckDB's own database file."""
    database = warehouse.database.read_bytes()
    connection = sandboxed(warehouse)
    try:
        connection.execute(f"copy articles to '{warehouse.parquet}/articles/evil.parquet'")
        copy = f"copy (select 42) to '{warehouse.database}' (use_tmp_file false)"
        connection.execute(f"with x as ({copy}) select 1").fetchall()
    finally:
        connection.close()
    assert (warehouse.parquet / "articles" / "evil.parquet").is_file()
    assert warehouse.database.read_bytes() != database
    assert warehouse.database.read_bytes().startswith(b"42\n")


def test_sql_reads_tables_views_and_the_parquet_store(
    warehouse: WarehouseLayout, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = warehouse.root
    articles = "parquet/articles/**/*.parquet"
    reads = {
        "select headline from latest_articles order by headline": [
            "Cable car halts",
            "Ferries to run late while quay is rebuilt",
        ],
        f"select published_month, count(*) from read_parquet('{root}/{articles}', "
        "hive_partitioning = true) group by all order by 1": ["2024-03,1", "2024-04,1"],
        f"select count(*) from '{root}/.parquet-snapshots/run-1/pipeline_runs/*.parquet'": ["1"],
        "show tables": ["article_update_notes", "articles"],
        "describe articles": ["article_id,VARCHAR,NO,PRI,,"],
        "pragma table_info('articles')": ["0,article_id,VARCHAR,True,,True"],
        "explain analyze select count(*) from articles": ["analyzed_plan"],
        "pivot articles on wire in ('Reuters') using count(*) group by is_latest": ["True,1"],
    }
    for query, expected in reads.items():
        assert cli.main(["sql", query, "--warehouse", str(root), "--format", "csv"]) == 0, query
        out = capsys.readouterr().out
        assert all(line in out for line in expected), (query, out)

    # Relative paths, of the warehouse and in the SQL, from the working directory.
    monkeypatch.chdir(root.parent)
    query = f"select count(*) as n from read_parquet('warehouse/{articles}', hive_partitioning = 1)"
    assert cli.main(["sql", query, "--warehouse", "warehouse", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "2"]
    monkeypatch.chdir(root)
    query = "select count(*) as n from 'parquet/pipeline_runs/*.parquet'"
    assert cli.main(["sql", query, "--warehouse", ".", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "1"]

    # Outside the Parquet store nothing is read.
    assert cli.main(["sql", "select * from read_csv('/etc/passwd')", "--warehouse", "."]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith('newswire: Permission Error: Cannot access file "/etc/passwd"')
    assert captured.err.count("\n") == 1


def test_shell_reads_a_snapshot_published_while_it_is_open(warehouse: WarehouseLayout) -> None:
    output = io.StringIO()
    shell = Shell(warehouse, output)
    query = f"select count(*) as n from '{warehouse.parquet}/articles/*/*.parquet';"
    shell.execute(query)
    # A run publishes a new snapshot and drops the old one: the link now points elsewhere.
    shutil.copytree(warehouse.snapshots / "run-1", warehouse.snapshots / "run-2")
    publish_snapshot(warehouse, warehouse.snapshots / "run-2")
    shutil.rmtree(warehouse.snapshots / "run-1")
    shell.execute(query)
    shell.close()
    assert output.getvalue() == "n\n-\n2\n(1 row)\n" * 2


def cell(out: str) -> str:
    """The one cell of a one-column, one-row table."""
    lines = out.splitlines()
    assert lines[-1] == "(1 row)"
    return lines[2]


def test_sql_shows_the_full_text_on_request(
    warehouse: WarehouseLayout, capsys: pytest.CaptureFixture[str]
) -> None:
    query = "select lede from articles where article_id = 'a1'"
    base = ["sql", query, "--warehouse", str(warehouse.root)]
    flat = LONG_LEDE.replace("\n", " ")

    assert cli.main(base) == 0
    cut = cell(capsys.readouterr().out)
    assert cut == flat[: MAX_CELL_WIDTH - 1] + "…"
    assert cli.main([*base, "--wide"]) == 0
    assert cell(capsys.readouterr().out) == flat
    assert cli.main([*base, "--max-width", "20"]) == 0
    assert cell(capsys.readouterr().out) == flat[:19] + "…"
    assert cli.main([*base, "--max-width", "1000"]) == 0
    assert cell(capsys.readouterr().out) == flat

    # CSV and JSON carry the text as it is, line break and quotes included, whatever the width.
    assert cli.main([*base, "--format", "csv", "--max-width", "10"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [["lede"], [LONG_LEDE]]
    assert cli.main([*base, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"lede": LONG_LEDE}

    for wrong in (["--max-width", "0"], ["--max-width", "wide"], ["--wide", "--max-width", "9"]):
        with pytest.raises(SystemExit) as exit_:
            cli.main([*base, *wrong])
        assert exit_.value.code == 2
        assert "--max-width" in capsys.readouterr().err


def test_shell_width_commands(warehouse: WarehouseLayout) -> None:
    query = "select lede from articles where article_id = 'a1';"
    flat = LONG_LEDE.replace("\n", " ")

    def run(*commands: str, max_width: int | None = MAX_CELL_WIDTH) -> str:
        output = io.StringIO()
        shell = Shell(warehouse, output, max_width)
        for command in commands:
            shell.execute(command)
        shell.close()
        return output.getvalue()

    assert cell(run(query)) == flat[: MAX_CELL_WIDTH - 1] + "…"
    assert cell(run(".width 12", query)) == flat[:11] + "…"
    assert cell(run(".wide", query)) == flat
    assert cell(run(query, max_width=None)) == flat
    assert cell(run(".wide", ".width 30", query)) == flat[:29] + "…"
    assert "(now 30)" in run(".width 30", ".help")
    assert run(".width 0") == "error: unknown command '.width 0'; .help lists them\n"
    assert list(csv.reader(io.StringIO(run(".width 5", ".mode csv", query)))) == [
        ["lede"],
        [LONG_LEDE],
    ]


def test_shell_command_has_no_external_cli_and_takes_widths() -> None:
    parser = cli.build_parser()
    assert parser.parse_args(["shell", "--wide"]).wide
    assert parser.parse_args(["shell", "--max-width", "80"]).max_width == 80
    with pytest.raises(SystemExit):
        parser.parse_args(["shell", "--builtin"])


def test_sql_runs_without_prefect(warehouse: WarehouseLayout) -> None:
    """What ``newswire sql`` runs imports no Prefect (cli.py's own imports aside)."""
    script = (
        "import sys\n"
        "from flows.commands.operator import read_only, run_statements\n"
        "from pathlib import Path\n"
        "from flows.settings import WarehouseLayout\n"
        f"with read_only(WarehouseLayout(Path({str(warehouse.root)!r}))) as connection:\n"
        "    [(columns, rows)] = run_statements(connection, 'select count(*) from articles')\n"
        "assert rows == [(2,)], rows\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'prefect'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


def truncated(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(10_000)


def emptied(path: Path) -> None:
    path.write_bytes(b"")


def overwritten(path: Path) -> None:
    path.write_text("article_id,headline\na1,Ferries\n", encoding="utf-8")


@pytest.mark.parametrize("damage", [truncated, emptied, overwritten])
def test_status_says_in_one_line_that_news_duckdb_is_damaged(
    damage: Callable[[Path], None],
    warehouse: WarehouseLayout,
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = ["status", "--warehouse", str(warehouse.root)]
    assert cli.main(arguments) == 0
    healthy = capsys.readouterr()
    assert "in step with news.duckdb" in healthy.out and "last 1 run\n" in healthy.out
    assert any(line.split() == ["articles", "2"] for line in healthy.out.splitlines())

    damage(warehouse.database)
    assert cli.main(arguments) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"warehouse  {warehouse.database} ({warehouse.database.stat().st_size / 1e6:,.1f} MB)",
        "run        none",
        f"parquet    {warehouse.parquet} (snapshot run-1, behind news.duckdb)",
    ]
    [line] = captured.err.splitlines()
    assert line.startswith(f"newswire: {warehouse.database} is damaged or unreadable: ")
    assert line.endswith("; try 'newswire restore'")
    assert "Traceback" not in captured.err + captured.out
