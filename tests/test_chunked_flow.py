"""A run that stages its files in many small chunks loads exactly what a one-chunk run loads.

The seeds have what crosses chunk boundaries: three versions of one story (010-012), a resent
duplicate (resend/090, sorted last), rejections. Chunks of two files put them in different
chunks. Also: a rerun over unchanged files reuses the unchanged tables' Parquet files.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest
from prefect import flow

from flows.pipeline import RunSummary, run_pipeline
from flows.quality import helper_process
from flows.settings import PROJECT_ROOT, Settings
from flows.store import publish
from flows.store.parquet import PARTITION_COLUMN, REMAPPED_IN_PLACE, UPDATED_IN_PLACE
from flows.store.warehouse import LARGE_EXPORT_MEMORY

pytestmark = pytest.mark.usefixtures("prefect_server")

QUERIES = {
    "articles": "select * exclude (ingested_at, run_id) from articles order by article_id",
    "paragraphs": "select * from paragraphs order by article_id, position",
    "update_notes": "select * from update_notes order by article_id, note_no",
    "related_links": "select * from related_links order by article_id, link_no",
    "entities": "select * from entities order by entity_id",
    "entity_mentions": "select * from entity_mentions order by article_id, entity_id",
    "source_files": "select source_file, content_sha256, size_bytes, status, article_id "
    "from source_files order by source_file",
    "rejected_files": "select source_file, reason from rejected_files order by source_file",
    "runs": "select files_seen, files_new, files_skipped, files_rejected, articles_loaded "
    "from pipeline_runs order by started_at",
    "dq": "select table_name, expectation, success from dq_results order by all",
}


@flow(name="newswire-test-run", validate_parameters=False)
def run_with(settings: Settings) -> RunSummary:
    return run_pipeline(settings)


def snapshot(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        return {name: connection.execute(sql).fetchall() for name, sql in QUERIES.items()}


def test_chunks_of_two_files_load_what_one_chunk_loads(settings: Settings, tmp_path: Path) -> None:
    whole = replace(settings, warehouse_dir=tmp_path / "whole")
    chunked = replace(settings, warehouse_dir=tmp_path / "chunked", chunk_files=2)
    run_with(whole)
    summary = run_with(chunked)
    assert summary.accounting.as_dict() == {
        "files_seen": 12,
        "files_new": 8,
        "files_skipped": 1,
        "files_rejected": 3,
        "files_duplicate": 1,
        "files_unchanged": 0,
    }
    expected, got = snapshot(tmp_path / "whole"), snapshot(tmp_path / "chunked")
    for name in QUERIES:
        assert got[name] == expected[name], name
    with duckdb.connect(str(tmp_path / "chunked" / "news.duckdb"), read_only=True) as connection:
        latest = connection.execute(
            "select version, is_latest from articles where source_file like '01%' order by 1"
        ).fetchall()
    assert latest == [(1, False), (2, False), (3, True)]


def test_a_large_batch_stops_the_validation_helper_and_exports_with_more_memory(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``large_batch_articles`` the GX helper's memory goes to the export; the warehouse
    and its Parquet store are what a small run makes, and the next run warms a new helper."""
    limits: list[str | None] = []
    real_export = publish.export

    def export(*args: Any, **kwargs: Any) -> Path:
        limits.append(kwargs.get("memory_limit"))
        return real_export(*args, **kwargs)

    monkeypatch.setattr(publish, "export", export)
    small = replace(settings, warehouse_dir=tmp_path / "small")
    large = replace(settings, warehouse_dir=tmp_path / "large", large_batch_articles=8)
    run_with(small)
    assert helper_process.running() and limits == [None]
    run_with(large)
    assert not helper_process.running() and limits == [None, LARGE_EXPORT_MEMORY]
    assert snapshot(tmp_path / "large") == snapshot(tmp_path / "small")
    for name in ("articles", "paragraphs"):
        stores = [
            duckdb.execute(
                "select count(*) from read_parquet(?)",
                [str(tmp_path / side / "parquet" / name / "**" / "*.parquet")],
            ).fetchall()
            for side in ("small", "large")
        ]
        assert stores[0] == stores[1] != [(0,)], name
    run_with(replace(settings, warehouse_dir=tmp_path / "again"))
    assert helper_process.running()


def test_rerun_reuses_unchanged_parquet_and_rewrites_the_manifest(settings: Settings) -> None:
    run_with(settings)
    parquet = settings.warehouse_dir / "parquet"
    before = {path: os.stat(path).st_ino for path in parquet.resolve().rglob("*.parquet")}
    run_with(settings)
    after = parquet.resolve()
    assert after.name != next(iter(before)).parent.parent.name
    articles = sorted(after.joinpath("articles").rglob("*.parquet"))
    assert articles and all(os.stat(path).st_nlink == 2 for path in articles)
    (source_files,) = after.joinpath("source_files").rglob("*.parquet")
    assert os.stat(source_files).st_nlink == 1
    rows = duckdb.sql(
        "select count(*), count(distinct last_seen_run) from read_parquet(?)",
        params=[str(source_files)],
    ).fetchall()
    assert rows == [(12, 1)]
    assert snapshot(settings.warehouse_dir)["runs"][-1] == (12, 0, 12, 0, 0)


def test_rerun_reads_only_changed_files_and_keeps_their_history(settings: Settings) -> None:
    run_with(settings)
    touched = settings.input_dir / "040_heliax-orders.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    edited = settings.input_dir / "030_mainbruecke-provisions.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA new last paragraph.")
    summary = run_with(settings)
    # The touched file is read again and found to be the article it was; the edited one is new.
    assert summary.accounting.as_dict() == {
        "files_seen": 12,
        "files_new": 1,
        "files_skipped": 11,
        "files_rejected": 0,
        "files_duplicate": 0,
        "files_unchanged": 11,
    }
    with duckdb.connect(str(settings.warehouse_dir / "news.duckdb"), read_only=True) as connection:
        first, second = (
            row[0]
            for row in connection.execute(
                "select run_id from pipeline_runs order by started_at"
            ).fetchall()
        )
        rows = connection.execute(
            "select source_file, status, first_seen_run, last_seen_run "
            "from source_files where source_file in (?, ?) order by all",
            [touched.name, edited.name],
        ).fetchall()
        seen = connection.execute(
            "select count(*) from source_files where last_seen_run = ?", [second]
        ).fetchall()
    # The old content of the edited path keeps its row (last seen in the first run).
    assert sorted(rows) == sorted(
        [
            ("030_mainbruecke-provisions.txt", "loaded", first, first),
            ("030_mainbruecke-provisions.txt", "loaded", second, second),
            ("040_heliax-orders.txt", "loaded", first, second),
        ]
    )
    assert seen == [(12,)]


# An invented story over a month's end: the update is dated the next day, in the next month.
KILN_HEADLINE = "Harrow Vale Cement Halts Kiln After Fire at Its Ridgeway Plant"
KILN_PARAGRAPHS = [
    "(Bloomberg) -- Harrow Vale Cement Ltd. shut the main kiln at its Ridgeway plant on Friday "
    "after a fire broke out in a conveyor gallery, the company said.",
    "No one was hurt, and firefighters had the blaze under control within two hours, according "
    "to a statement from the regional fire service.",
    "The Ridgeway plant makes about a fifth of the company's clinker, and Harrow Vale said "
    "customers would be supplied from its two other sites while engineers inspect the kiln.",
]
KILN_UPDATE = [
    "(Updates with restart estimate in fourth paragraph)",
    *KILN_PARAGRAPHS,
    "Harrow Vale expects the kiln to restart within ten days, Chief Operating Officer Maren "
    "Ostby said in an interview on Saturday.",
]


def story_file(day: str, paragraphs: list[str]) -> str:
    return f" date {day} {KILN_HEADLINE}\n\n" + "\n\n".join(paragraphs) + "\n"


def partitions(snapshot: Path, table: str) -> dict[str, int]:
    """Each month folder of a table and the link count of its Parquet files (one per file)."""
    found: dict[str, int] = {}
    for folder in sorted(snapshot.joinpath(table).iterdir()):
        (links,) = {os.stat(path).st_nlink for path in folder.glob("*.parquet")}
        found[folder.name.partition("=")[2]] = links
    return found


def test_an_increment_rewrites_only_the_months_it_changed(settings: Settings) -> None:
    """New rows go to their month, a renumbered earlier version rewrites its own month, and
    every other month's files are linked from the previous snapshot; a full refresh reuses
    nothing (a month whose files left the input disappears)."""
    (settings.input_dir / "kiln-1.txt").write_text(story_file("2023-03-31", KILN_PARAGRAPHS))
    run_with(settings)
    (settings.input_dir / "kiln-2.txt").write_text(story_file("2023-04-01", KILN_UPDATE))
    assert run_with(settings).articles_loaded == 1
    snapshot = (settings.warehouse_dir / "parquet").resolve()
    seed_months = {"2018-05", "2019-10", "2020-02", "2021-06", "2022-09", "2022-11"}
    articles, paragraphs = partitions(snapshot, "articles"), partitions(snapshot, "paragraphs")
    # Linked (2 links: this snapshot and the previous one) or written by this run (1 link).
    assert articles == {**dict.fromkeys(seed_months, 2), "2023-03": 1, "2023-04": 1}
    assert paragraphs == {**dict.fromkeys(seed_months, 2), "2023-03": 2, "2023-04": 1}
    # The store says what news.duckdb says, including the earlier version's new is_latest.
    query = "select article_id, version, is_latest from {} order by article_id"
    with duckdb.connect(str(settings.warehouse_dir / "news.duckdb"), read_only=True) as db:
        expected = db.execute(query.format("articles")).fetchall()
        stored = db.execute(
            query.format("read_parquet(?, hive_partitioning = true)"),
            [str(snapshot / "articles" / "*" / "*.parquet")],
        ).fetchall()
        for table in ("paragraphs", "entity_mentions", "update_notes", "related_links"):
            (count,) = db.execute(f"select count(*) from {table}").fetchone() or (0,)
            (in_store,) = db.execute(
                "select count(*) from read_parquet(?)", [str(snapshot / table / "*" / "*.parquet")]
            ).fetchone() or (0,)
            assert in_store == count, table
        versions = db.execute(
            "select version, is_latest from articles where headline = ? order by version",
            [KILN_HEADLINE],
        ).fetchall()
    assert stored == expected
    assert versions == [(1, False), (2, True)]

    (settings.input_dir / "040_heliax-orders.txt").unlink()
    run_with(replace(settings, full_refresh=True))
    refreshed = (settings.warehouse_dir / "parquet").resolve()
    assert set(partitions(refreshed, "articles")) == seed_months - {"2020-02"} | {
        "2023-03",
        "2023-04",
    }
    assert set(partitions(refreshed, "articles").values()) == {1}


def test_only_articles_rows_change_in_place_among_partitioned_tables() -> None:
    """The month-level export trusts that a load only adds rows to the partitioned tables,
    except the earlier versions it renumbers in ``articles`` and the mentions an archive merge
    moves in ``entity_mentions`` (``ChangedMonths`` names both kinds of month): an update,
    delete or upsert of another partitioned table would leave stale months linked in the
    Parquet store."""
    sql = PROJECT_ROOT / "sql"
    partitioned = {
        path.stem
        for path in (sql / "export").glob("*.sql")
        if PARTITION_COLUMN in path.read_text(encoding="utf-8")
    }
    assert UPDATED_IN_PLACE in partitioned and len(partitioned) == 5, partitioned
    statements = [
        r"^\s*(?:update|delete\s+from)\s+(\w+)",
        r"insert\s+or\s+replace\s+into\s+(\w+)",
        r"insert\s+into\s+(\w+)[^;]*\bon\s+conflict\b[^;]*\bdo\s+update\b",
    ]
    changed_in_place = {
        table
        for path in (sql / "load").glob("*.sql")
        for pattern in statements
        for table in re.findall(
            pattern, path.read_text(encoding="utf-8"), re.IGNORECASE | re.MULTILINE
        )
    }
    assert "entities" in changed_in_place  # the upsert of known entities is seen
    assert changed_in_place & partitioned == {UPDATED_IN_PLACE, REMAPPED_IN_PLACE}, changed_in_place
