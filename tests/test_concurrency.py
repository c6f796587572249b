"""One writer, many readers: real runs in their own processes against one warehouse.

One scenario, two tests. An analyst's process holds a read-only DuckDB connection (and keeps
opening new ones, and reading the Parquet store) while a run loads a new story. That run is
held inside its load transaction (test hook, ``flows.faults``) while a second run starts and is
refused, and a third starts with ``--wait`` and queues. Then the first run is let go.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from production_support import Launcher, Run, database_contents, parquet_contents

from flows import faults
from flows.pipeline import newswire_run
from flows.settings import DEFAULT_INPUT as SEEDS

LATE_FILE = "040_heliax-orders.txt"
COUNTED_TABLES = ("articles", "paragraphs", "entity_mentions", "source_files")

# Two analysts, each in its own process, every 50 ms until told to stop: one holds one
# connection for the whole run; the other opens a new connection for every look and reads the
# Parquet store through its link. (Within one process DuckDB reuses an open database for the
# same path, so a "new" connection beside a held one would still see the held file.)
READER = f"""
import json, os, sys, time
import duckdb, pyarrow.dataset as ds

mode, warehouse, out, stop = sys.argv[1:]
database = os.path.join(warehouse, "news.duckdb")
tables = {COUNTED_TABLES!r}

def counts(connection):
    return [connection.execute(f"select count(*) from {{t}}").fetchall()[0][0] for t in tables]

held = duckdb.connect(database, read_only=True) if mode == "hold" else None
with open(out, "a") as log:
    while not os.path.exists(stop):
        try:
            if held is not None:
                record = {{"held": counts(held)}}
            else:
                with duckdb.connect(database, read_only=True) as fresh:
                    record = {{"fresh": counts(fresh)}}
                snapshot = os.path.realpath(os.path.join(warehouse, "parquet"))
                record["parquet"] = [
                    ds.dataset(os.path.join(snapshot, t), partitioning="hive").count_rows()
                    for t in tables
                ]
        except Exception as error:
            record = {{"error": f"{{type(error).__name__}}: {{error}}"}}
        log.write(json.dumps(record) + "\\n")
        log.flush()
        time.sleep(0.05)
"""


@dataclass
class Scenario:
    """What happened, for the tests to judge."""

    warehouse: Path
    old: list[int]
    reads: list[dict[str, object]]
    first: Run
    refused: Run
    waiting: Run
    exit_codes: dict[str, int | None]


def counts(warehouse: Path) -> list[int]:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        return [
            connection.execute(f"select count(*) from {table}").fetchall()[0][0]
            for table in COUNTED_TABLES
        ]


@pytest.fixture(scope="module")
def scenario(launcher: Launcher, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("writers")
    input_dir = root / "input"
    shutil.copytree(SEEDS, input_dir)
    os.replace(input_dir / LATE_FILE, root / LATE_FILE)
    warehouse = root / "warehouse"
    newswire_run(input_dir=str(input_dir), warehouse_dir=str(warehouse))
    old = counts(warehouse)
    os.replace(root / LATE_FILE, input_dir / LATE_FILE)

    stop = root / "stop"
    logs = [root / "reads-hold.jsonl", root / "reads-look.jsonl"]
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, mode, str(warehouse), str(log), str(stop)])
        for mode, log in zip(("hold", "look"), logs, strict=True)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all(_text(log) for log in logs):
            assert all(r.poll() is None for r in readers), "a reader stopped"
            assert time.monotonic() < deadline, "the readers did not start"
            time.sleep(0.05)

        first = launcher.run(input_dir, warehouse, root / "first", **{faults.PAUSE_ENV: "load"})
        first.wait_for("load.reached")
        refused = launcher.run(input_dir, warehouse, root / "refused")
        refused_code = refused.finish()
        waiting = launcher.run(input_dir, warehouse, root / "waiting", "--wait", "300")
        waiting.wait_for("lock.waiting.passed")
        first.release("load")
        codes = {"first": first.finish(), "refused": refused_code, "waiting": waiting.finish()}
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(60)
    reads = [json.loads(line) for log in logs for line in log.read_text().splitlines()]
    return Scenario(warehouse, old, reads, first, refused, waiting, codes)


def _text(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def test_reader_keeps_its_snapshot_and_never_sees_half_a_run(scenario: Scenario) -> None:
    new = counts(scenario.warehouse)
    assert new != scenario.old
    assert scenario.exit_codes["first"] == 0, scenario.first.errors()
    reads = scenario.reads
    assert [r for r in reads if "error" in r] == []
    # The held connection reads the file it opened, whatever was published since.
    held = [r["held"] for r in reads if "held" in r]
    assert len(held) > 10
    assert all(state == scenario.old for state in held)
    # New connections and the Parquet link show the old state, then the new, never a mix.
    for source in ("fresh", "parquet"):
        seen = [r[source] for r in reads if source in r]
        assert len(seen) > 10, source
        assert all(state in (scenario.old, new) for state in seen), source
        first_new = seen.index(new)
        assert all(state == new for state in seen[first_new:]), source
        assert all(state == scenario.old for state in seen[:first_new]), source


def test_second_run_is_refused_third_waits_and_final_state_equals_one_run(
    scenario: Scenario, seed_reference: Path
) -> None:
    assert scenario.exit_codes["refused"] == 3
    message = scenario.refused.errors().strip()
    first_pid = scenario.first.process.pid
    assert message.startswith(f"newswire: another newswire run (pid {first_pid}) is writing")
    assert "--wait SECONDS" in message
    assert len(message.splitlines()) == 1

    assert scenario.exit_codes["waiting"] == 0, scenario.waiting.errors()
    assert "new 0," in scenario.waiting.output()
    # A successful run prints nothing on stderr: no library noise for cron mails or CI logs.
    assert scenario.first.errors() == ""
    assert scenario.waiting.errors() == ""

    reference = database_contents(seed_reference / "news.duckdb")
    assert database_contents(scenario.warehouse / "news.duckdb") == reference
    assert parquet_contents(scenario.warehouse) == reference
    with duckdb.connect(str(scenario.warehouse / "news.duckdb"), read_only=True) as connection:
        runs = connection.execute(
            "select status, files_new from pipeline_runs order by started_at"
        ).fetchall()
    assert runs == [("success", 7), ("success", 1), ("success", 0)]
