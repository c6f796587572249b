"""docs/warehouse.md cannot fall behind the code: its tables are checked against the schemas.

Every table of ``flows.schemas.ALL_TABLES`` has a ``### <table>`` section under ``## Tables``
whose Markdown table lists exactly its columns, each with its DuckDB type and whether it may be
null; every view of ``sql/views/`` has a ``### <view>`` section under ``## Views`` that lists
its columns (or says "all columns of `<table>`"); every coded value (statuses, reasons, kinds,
types, actions, scopes, severities) has its row under ``## Coded values``; and the Parquet
store's partitioned tables are the ones ``sql/export/`` partitions.
"""

from __future__ import annotations

import re

import duckdb
import pytest

from flows import schemas
from flows.quality.results import SEVERITIES
from flows.settings import PROJECT_ROOT, SQL_DIR
from flows.story.notes import ACTIONS
from flows.story.notes import places as note_places

DOC = PROJECT_ROOT / "docs" / "warehouse.md"
PARTITION_COLUMN = "published_month"
_HEADING = re.compile(r"^(#{2,3}) +(.+?) *$")
_ALL_COLUMNS_OF = re.compile(r"all columns of `(\w+)`")

Sections = dict[str, dict[str, str]]  # "## title" -> "### title" -> text ("" for the intro)


def parse_sections(text: str) -> Sections:
    """The doc as ``{h2 title: {h3 title: body}}``; a section's text before its first ``###``
    is under the key ``""``. Titles lose their backticks."""
    sections: Sections = {}
    h2 = h3 = ""
    in_fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading is None:
            sections.setdefault(h2, {}).setdefault(h3, "")
            sections[h2][h3] += line + "\n"
            continue
        title = heading.group(2).replace("`", "")
        if heading.group(1) == "##":
            h2, h3 = title, ""
            sections.setdefault(h2, {})
        else:
            h3 = title
            sections.setdefault(h2, {})[h3] = ""
    return sections


def table_rows(text: str) -> list[list[str]]:
    """The rows of the first Markdown table in ``text``, header and rule dropped, cells
    stripped of spaces and backticks."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip().strip("`") for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    assert len(rows) >= 2 and set(rows[1][0]) <= set("-: "), f"no Markdown table in:\n{text}"
    return rows[2:]


@pytest.fixture(scope="module")
def doc() -> Sections:
    return parse_sections(DOC.read_text(encoding="utf-8"))


def _subsections(doc: Sections, h2: str) -> dict[str, str]:
    assert h2 in doc, f"docs/warehouse.md has no '## {h2}' section"
    return {title: body for title, body in doc[h2].items() if title}


def test_every_table_is_documented(doc: Sections) -> None:
    documented = set(_subsections(doc, "Tables"))
    missing = sorted(set(schemas.ALL_TABLES) - documented)
    extra = sorted(documented - set(schemas.ALL_TABLES))
    assert not missing, f"tables missing from docs/warehouse.md '## Tables': {missing}"
    assert not extra, f"docs/warehouse.md documents tables that do not exist: {extra}"


@pytest.mark.parametrize("table", list(schemas.ALL_TABLES))
def test_columns_types_and_nulls_are_documented(doc: Sections, table: str) -> None:
    body = _subsections(doc, "Tables").get(table)
    assert body is not None, f"docs/warehouse.md has no '### {table}' under '## Tables'"
    rows = {row[0]: row for row in table_rows(body)}
    schema = schemas.ALL_TABLES[table]
    missing = [name for name in schema.names if name not in rows]
    extra = [name for name in rows if name not in schema.names]
    assert not missing, f"{table}: columns missing from docs/warehouse.md: {missing}"
    assert not extra, f"{table}: docs/warehouse.md lists columns the schema lacks: {extra}"
    for field in schema:
        _, doc_type, doc_null, meaning, *_ = rows[field.name] + ["", "", ""]
        expected_type = schemas.duckdb_type(field.type)
        expected_null = "yes" if field.nullable else "no"
        assert doc_type == expected_type, f"{table}.{field.name}: type is {expected_type}"
        assert doc_null == expected_null, f"{table}.{field.name}: null is {expected_null}"
        assert meaning, f"{table}.{field.name}: say what the column means"


def _view_columns() -> dict[str, list[tuple[str, str]]]:
    """Every view's (column, DuckDB type), from the DDL and view files in an empty database."""
    with duckdb.connect() as connection:
        for path in sorted((SQL_DIR / "ddl").glob("*.sql")):
            connection.execute(path.read_text(encoding="utf-8"))
        views = {}
        for path in sorted((SQL_DIR / "views").glob("*.sql")):
            connection.execute(path.read_text(encoding="utf-8"))
            described = connection.execute(f"describe {path.stem}").fetchall()
            views[path.stem] = [(row[0], row[1]) for row in described]
        return views


VIEWS = _view_columns()


def test_every_view_is_documented(doc: Sections) -> None:
    documented = set(_subsections(doc, "Views"))
    missing = sorted(set(VIEWS) - documented)
    extra = sorted(documented - set(VIEWS))
    assert not missing, f"views of sql/views/ missing from docs/warehouse.md '## Views': {missing}"
    assert not extra, f"docs/warehouse.md documents views sql/views/ does not have: {extra}"


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_view_columns_are_documented(doc: Sections, view: str) -> None:
    body = _subsections(doc, "Views").get(view)
    assert body is not None, f"docs/warehouse.md has no '### {view}' under '## Views'"
    listed = {row[0]: row for row in table_rows(body)} if "\n|" in body else {}
    borrowed: set[str] = set()
    for table in _ALL_COLUMNS_OF.findall(body):
        assert table in schemas.ALL_TABLES, f"{view}: 'all columns of `{table}`': no such table"
        borrowed.update(schemas.ALL_TABLES[table].names)
    columns = dict(VIEWS[view])
    missing = [name for name in columns if name not in listed and name not in borrowed]
    extra = [name for name in listed if name not in columns]
    assert not missing, f"{view}: columns missing from docs/warehouse.md: {missing}"
    assert not extra, f"{view}: docs/warehouse.md lists columns the view lacks: {extra}"
    for name, row in listed.items():
        assert row[1] == columns[name], f"{view}.{name}: type is {columns[name]}"
        assert len(row) > 2 and row[2], f"{view}.{name}: say what the column means"


def _story_change_kinds() -> set[str]:
    """The values ``story_changes.change`` takes: its literals named ``as change``."""
    sql = (SQL_DIR / "views" / "story_changes.sql").read_text(encoding="utf-8")
    kinds = set(re.findall(r"'(\w+)' as change\b", sql))
    for pair in re.findall(r"then '(\w+)' else '(\w+)' end as change\b", sql):
        kinds.update(pair)
    return kinds


def _note_scopes() -> set[str]:
    """The values ``update_notes.scope`` takes: named places, places counted from the end, and
    ranges."""
    named = {name for name, _, _ in note_places._SCOPES}
    counted_from_end = {note_places._end_scope(word) for word in ("last", "second", "third")}
    return named | counted_from_end | {"range"}


CODED_VALUES = {
    "Run statuses": set(schemas.RUN_STATUSES),
    "File statuses": set(schemas.FILE_STATUSES),
    "Reject reasons": set(schemas.REJECT_REASONS),
    "Paragraph kinds": set(schemas.PARAGRAPH_KINDS),
    "Entity types": set(schemas.ENTITY_TYPES),
    "Update note actions": set(ACTIONS),
    "Note scopes": _note_scopes(),
    "Severities": set(SEVERITIES),
    "Story change kinds": _story_change_kinds(),
}


@pytest.mark.parametrize("title", list(CODED_VALUES))
def test_coded_values_are_documented(doc: Sections, title: str) -> None:
    body = _subsections(doc, "Coded values").get(title)
    assert body is not None, f"docs/warehouse.md has no '### {title}' under '## Coded values'"
    rows = table_rows(body)
    documented = {row[0] for row in rows}
    expected = CODED_VALUES[title]
    assert expected, f"{title}: found no values in the code to compare with"
    assert documented == expected, (
        f"{title}: missing from docs/warehouse.md {sorted(expected - documented)}, "
        f"not in the code {sorted(documented - expected)}"
    )
    assert all(len(row) > 1 and row[1] for row in rows), f"{title}: say what each value means"


def test_partitioned_tables_are_the_exported_ones(doc: Sections) -> None:
    exported = {
        path.stem: path.read_text(encoding="utf-8") for path in (SQL_DIR / "export").glob("*.sql")
    }
    assert set(exported) == set(schemas.ALL_TABLES), "sql/export/ has one file per table"
    partitioned = {table for table, sql in exported.items() if PARTITION_COLUMN in sql}
    store = doc["Where the data is"].get("The Parquet store", "")
    documented: dict[str, set[str]] = {}
    for tables, files, *_ in table_rows(store):
        for table in re.findall(r"\w+", tables):
            documented.setdefault(files, set()).add(table)
    layout = {table: files for files, tables in documented.items() for table in tables}
    assert set(layout) == set(schemas.ALL_TABLES), "the Parquet store's table lists every table"
    for table, files in layout.items():
        said = f"{PARTITION_COLUMN}=" in files
        assert said == (table in partitioned), (
            f"{table}: docs/warehouse.md says {'partitioned' if said else 'one file'}, "
            f"sql/export/{table}.sql {'partitions' if not said else 'does not partition'} it"
        )


def test_doc_names_no_file_outside_the_project() -> None:
    """Users' clones hold only the project: the doc may point at nothing beside it."""
    text = DOC.read_text(encoding="utf-8")
    beside = "/".join(("..", "shared"))  # the developers' folder next to the project
    assert beside not in text, "the project must hold the whole contract"
