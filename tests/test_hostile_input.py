"""End to end: a hostile input folder cannot stop a run nor leak what lies outside it.

One input folder holds invented good stories (one 1,500 folders deep, two reached again through
links inside the folder) beside every entry that used to stop discovery or leak: links out of
the folder to a secret file, to ``/proc/self/environ`` and to its parent (``up -> ..``), a
cycle of file links, a folder link back to its ancestor, a dangling link, a FIFO, a socket and
a folder past the longest path the system can list. The real Prefect flow loads it into a real
DuckDB warehouse: the run succeeds, the good stories load, each bad entry is one rejected file
with its reason, and the secret is nowhere in the warehouse, its Parquet store or its report.
A rerun rejects nothing again; the dangling link, once it has a target, loads.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from test_extract import PATH_MAX, make_chain, must_not_block, remove_chain, unlisted_folder

from flows.pipeline import newswire_run
from flows.story.records import (
    DANGLING_LINK,
    NOT_A_FILE,
    OUTSIDE_INPUT,
    SYMLINK_LOOP,
    UNREADABLE_FOLDER,
)

pytestmark = pytest.mark.usefixtures("prefect_server")

SECRET = "SECRET-MARKER-7d3e0b52"
DEEP_LEVELS = 1_500

# Invented stories: the people, companies and events are made up.
HARBOUR = """ date 2023-03-14 Port of Valdora reopens grain berth after storm repairs

VALDORA, Portugal (Reuters) - The Port of Valdora reopened its main grain berth on Tuesday \
after three weeks of repairs to storm damage, the port authority said.

Ships carrying wheat and maize had been diverted to Setúbal while engineers rebuilt a section \
of the quay wall, authority spokeswoman Ilda Ferreirinha said.

(Reporting by Tomas Arvela; Editing by Rhoda Quist)
"""
MILL = """ date 2023-04-02 Brenholt Mills to close oldest paper plant

OSLO (Reuters) - Brenholt Mills ASA will close its oldest paper plant in Drammen by the end of \
the year, the Norwegian company said on Sunday, citing falling demand for newsprint.

About 140 workers will be offered jobs at the company's other sites, Chief Executive Sigrun \
Vatnedal told reporters.

(Reporting by Even Lysaker; Editing by Colm Ardagh)
"""
ORCHARD = """ date 2023-05-20 Frost cuts Lleida fruit harvest forecast

MADRID (Reuters) - A late frost will cut this year's stone fruit harvest in Lleida by about a \
fifth, the regional farmers' cooperative Fruiters Units said on Saturday.

Peach and nectarine growers were worst hit, cooperative president Jordi Masvidal said.

(Reporting by Aina Coromines; Editing by Pavel Dorn)
"""
DEEP = """ date 2023-06-09 Kestrel Freight adds Baltic container route

HAMBURG (Reuters) - Kestrel Freight GmbH will start a weekly container service between Hamburg \
and Klaipeda next month, the shipping company said on Friday.

The route will use two chartered feeder vessels, a spokesman said.

(Reporting by Lotte Brandis; Editing by Omar Fenwick)
"""
LATE = """ date 2023-07-01 Rain delays Tallinn port works

TALLINN (Reuters) - Heavy rain delayed dredging at Tallinn's old harbour on Saturday, the port \
said.

Work will resume on Monday.
"""
# A story that would load if anything read it: the secret would reach the articles.
LEAKED = f""" date 2023-08-01 {SECRET} in the headline

BERLIN (Reuters) - {SECRET} in the lede, said nobody.

{SECRET} in the body.
"""

GOOD = {
    "010_harbour.txt": HARBOUR,
    "020_mill.txt": MILL,
    "sub/030_orchard.txt": ORCHARD,
    "deep/" + "d/" * DEEP_LEVELS + "040_kestrel.txt": DEEP,
}
REACHED_AGAIN = {"inside.txt", "to-sub/030_orchard.txt"}  # links inside: duplicates
LATER = ".later/"  # hidden: the dangling link's target, made before the third run


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def hostile_input(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    """The input folder, each bad entry with the reason it must be rejected with, and where
    the dangling link's target goes (its path as long as the story that later fills it, so the
    link's own size is the story's: only the problem code tells the rerun it changed)."""
    root, outside = tmp_path / "input", tmp_path / "outside"
    write(outside, "env.txt", LEAKED)
    write(outside, "folder/leak.txt", LEAKED)
    for relative, text in GOOD.items():
        if relative.startswith("deep/"):
            (make_chain(root / "deep", DEEP_LEVELS) / Path(relative).name).write_text(
                text, encoding="utf-8"
            )
        else:
            write(root, relative, text)
    (root / "inside.txt").symlink_to("010_harbour.txt")
    (root / "to-sub").symlink_to("sub")
    bad = {
        "env.txt": OUTSIDE_INPUT,
        "environ.txt": OUTSIDE_INPUT,
        "up": OUTSIDE_INPUT,
        "elsewhere": OUTSIDE_INPUT,
        "a.txt": SYMLINK_LOOP,
        "b.txt": SYMLINK_LOOP,
        "sub/back": SYMLINK_LOOP,
        "to-sub/back": SYMLINK_LOOP,
        "dangling.txt": DANGLING_LINK,
        "pipe.txt": NOT_A_FILE,
        "sock.txt": NOT_A_FILE,
    }
    (root / "env.txt").symlink_to(outside / "env.txt")
    (root / "environ.txt").symlink_to("/proc/self/environ")
    (root / "up").symlink_to("..")
    (root / "elsewhere").symlink_to("../outside/folder")
    (root / "a.txt").symlink_to("b.txt")
    (root / "b.txt").symlink_to("a.txt")
    (root / "sub" / "back").symlink_to("..")
    name_length = len(LATE.encode("utf-8")) - len(LATER) - len(".txt")
    later = root / LATER / ("x" * name_length + ".txt")
    (root / "dangling.txt").symlink_to(later.relative_to(root))
    assert os.lstat(root / "dangling.txt").st_size == len(LATE.encode("utf-8"))
    os.mkfifo(root / "pipe.txt")
    cwd = Path.cwd()
    os.chdir(root)  # a socket's path is at most 107 bytes: bind a relative one
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind("sock.txt")
    finally:
        os.chdir(cwd)
    make_chain(root / "long", PATH_MAX // 2 + 10)  # cannot all be listed, even by root
    bad[unlisted_folder(root, "long")] = UNREADABLE_FOLDER
    return root, bad, later


def query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def pairs(warehouse: Path, sql: str) -> dict[str, str]:
    return {str(key): str(value) for key, value in query(warehouse, sql)}


def last_run(warehouse: Path) -> tuple[object, ...]:
    (row,) = query(
        warehouse,
        "select status, files_seen, files_new, files_skipped, files_rejected "
        "from pipeline_runs order by started_at desc limit 1",
    )
    return row


def assert_no_secret_anywhere(warehouse: Path) -> None:
    """Not in any table of the DuckDB file, any Parquet file, the report or any other file."""
    tables = [
        row[0] for row in query(warehouse, "select table_name from information_schema.tables")
    ]
    assert "rejected_files" in tables
    for table in tables:
        assert SECRET not in str(query(warehouse, f'select * from "{table}"')), table
    parquet = sorted((warehouse / "parquet").resolve().rglob("*.parquet"))
    assert any("rejected_files" in str(path) for path in parquet)
    for path in parquet:
        assert SECRET not in str(pq.read_table(path).to_pylist()), path
    report = (warehouse / "reports" / "index.html").read_text(encoding="utf-8")
    assert "outside_input" in report  # the report lists the rejections, without the secret
    assert SECRET not in report
    for folder, _, files in os.walk(warehouse, followlinks=True):
        for name in files:
            assert SECRET.encode() not in (Path(folder) / name).read_bytes(), (folder, name)


def test_a_hostile_input_folder_loads_the_good_stories_and_leaks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSWIRE_TEST_SECRET", SECRET)  # what /proc/self/environ would show
    warehouse = tmp_path / "warehouse"
    root, bad, later = hostile_input(tmp_path)
    try:
        with must_not_block(600):
            first = newswire_run(input_dir=str(root), warehouse_dir=str(warehouse))
        assert first.status == "success", first.message
        seen = len(GOOD) + len(REACHED_AGAIN) + len(bad)
        assert last_run(warehouse) == ("success", seen, len(GOOD), len(REACHED_AGAIN), len(bad))
        assert sorted(query(warehouse, "select source_file from articles")) == sorted(
            (path,) for path in GOOD
        )
        assert pairs(warehouse, "select source_file, reason from rejected_files") == bad
        details = pairs(warehouse, "select source_file, detail from rejected_files")
        assert details["env.txt"] == (
            "a symbolic link to a place outside the input folder; not read"
        )
        statuses = pairs(warehouse, "select source_file, status from source_files")
        assert {path for path, status in statuses.items() if status == "duplicate"} == (
            REACHED_AGAIN
        )
        assert_no_secret_anywhere(warehouse)

        with must_not_block(600):  # nothing changed: nothing read, nothing rejected again
            second = newswire_run(input_dir=str(root), warehouse_dir=str(warehouse))
        assert second.status == "success", second.message
        assert last_run(warehouse) == ("success", seen, 0, seen, 0)
        assert query(warehouse, "select count(*) from rejected_files") == [(len(bad),)]

        # The dangling link gets a target: the same size and mtime as the link itself, so only
        # its kind of entry says it changed; it is read now and loads.
        write(root, str(later.relative_to(root)), LATE)
        link = os.lstat(root / "dangling.txt")
        os.utime(later, ns=(link.st_atime_ns, link.st_mtime_ns))
        with must_not_block(600):
            third = newswire_run(input_dir=str(root), warehouse_dir=str(warehouse))
        assert third.status == "success", third.message
        assert last_run(warehouse) == ("success", seen, 1, seen - 1, 0)
        assert query(
            warehouse, "select headline from articles where source_file = 'dangling.txt'"
        ) == [("Rain delays Tallinn port works",)]
        assert_no_secret_anywhere(warehouse)
    finally:
        remove_chain(root / "deep")
        remove_chain(root / "long")
