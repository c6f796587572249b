"""Row counts and a content checksum per table of a warehouse: two warehouses built from the same
input are the same when every line printed here is the same.

``python -m bench.table_checksums WAREHOUSE_DIR`` prints one line per table. Columns that say when
or by which run a row was written (run ids, timestamps, file modification times) are left out;
every other column of every row counts, in a canonical order. Reads the DuckDB file only, with
DuckDB only, so the same command checks a warehouse built by any version of newswire.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

# Data tables a run builds from its input; the run-record tables differ by run.
DATA_TABLES = (
    "articles",
    "paragraphs",
    "entities",
    "entity_mentions",
    "update_notes",
    "related_links",
    "source_files",
    "rejected_files",
)
VOLATILE_COLUMNS = frozenset(
    {"run_id", "ingested_at", "rejected_at", "first_seen_run", "last_seen_run", "mtime_ns"}
)


def table_checksums(database: Path) -> dict[str, tuple[int, str]]:
    """Per data table: its rows and the sha256 of its sorted rows (volatile columns left out)."""
    out: dict[str, tuple[int, str]] = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        for table in DATA_TABLES:
            # Table and column names come from the constants above and the table's own schema.
            described = connection.execute(f"select * from {table} limit 0").description or []
            columns = sorted(d[0] for d in described if d[0] not in VOLATILE_COLUMNS)
            select = ", ".join(f'"{name}"' for name in columns)
            rows = connection.execute(f"select {select} from {table}").fetchall()
            digest = hashlib.sha256(",".join(columns).encode())
            for line in sorted(repr(row) for row in rows):
                digest.update(line.encode("utf-8") + b"\n")
            out[table] = (len(rows), digest.hexdigest()[:16])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print ``table rows checksum`` for the warehouse folder given."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if len(arguments) != 1:
        print("usage: python -m bench.table_checksums WAREHOUSE_DIR", file=sys.stderr)
        return 2
    database = Path(arguments[0]) / "news.duckdb"
    if not database.is_file():
        print(f"table_checksums: no warehouse at {database}", file=sys.stderr)
        return 1
    for table, (rows, digest) in table_checksums(database).items():
        print(f"{table:<16} {rows:>8,} {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
