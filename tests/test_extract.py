"""Discovery: which files under the input root are stories, in what order, with what stat;
and every entry it will not read (links out, loops, FIFOs, unlistable folders), accounted."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pytest

from flows.batch.extract import SourceFile, discover, discover_table, read_file, source_files
from flows.schemas import DISCOVERED_FILES, REJECT_REASONS
from flows.store.sql import sql_text
from flows.story.parse import BAD_NAME
from flows.story.records import (
    DANGLING_LINK,
    DISCOVERY_CODES,
    NOT_A_FILE,
    OUTSIDE_INPUT,
    REJECTION_CODES,
    SYMLINK_LOOP,
    UNREADABLE_FOLDER,
)


def write(root: Path, relative: str, text: str = "x") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discover_lists_stories_recursively_in_path_order(tmp_path: Path) -> None:
    for relative in ("b/2.txt", "a.txt", "b/10.txt", "B.TXT", "é/z.txt", "b/sub/1.txt"):
        write(tmp_path, relative)
    write(tmp_path, "notes.md")  # not a story
    write(tmp_path, ".hidden/3.txt")  # hidden folders are skipped
    write(tmp_path, "b/.swap.txt")  # so are hidden files
    table = discover_table(tmp_path)
    assert table.schema == DISCOVERED_FILES
    paths = table.column("source_file").to_pylist()
    assert paths == sorted(["b/2.txt", "a.txt", "b/10.txt", "B.TXT", "é/z.txt", "b/sub/1.txt"])


def test_discover_records_size_and_mtime_and_where_to_open(tmp_path: Path) -> None:
    story = write(tmp_path, "2024/05/one.txt", "twelve bytes")
    os.utime(story, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    (found,) = discover(tmp_path)
    assert found.relative_path == "2024/05/one.txt"
    assert found.size_bytes == 12
    assert found.mtime_ns == 1_700_000_000_123_456_789
    assert found.path == story
    assert found.path.read_text(encoding="utf-8") == "twelve bytes"


def test_source_files_of_a_slice(tmp_path: Path) -> None:
    for number in range(5):
        write(tmp_path, f"{number}.txt", "y" * number)
    table = discover_table(tmp_path)
    chunk = source_files(table.slice(2, 2), tmp_path)
    assert [(s.relative_path, s.size_bytes) for s in chunk] == [("2.txt", 2), ("3.txt", 3)]
    assert [s.path for s in chunk] == [tmp_path / "2.txt", tmp_path / "3.txt"]


def test_discover_of_a_missing_folder_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        discover_table(missing)


def test_a_file_name_that_is_not_utf8_is_recorded_escaped_and_rejected(tmp_path: Path) -> None:
    write(tmp_path, "fine.txt")
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_bytes(b" date 2024-01-02 A story\n\nText.\n")
    table = discover_table(tmp_path)
    rows = sorted(
        zip(
            table.column("source_file").to_pylist(),
            table.column("undecodable_name").to_pylist(),
            strict=True,
        )
    )
    assert rows == [("caf\\xe9.txt", True), ("fine.txt", False)]
    bad, fine = (s for s in sorted(source_files(table, tmp_path), key=lambda s: s.relative_path))
    rejected = read_file(bad, 1 << 20)
    assert rejected.rejection is not None and rejected.rejection.reason == BAD_NAME
    assert "rename it" in rejected.rejection.detail
    assert rejected.text is None and rejected.content_sha256 is None
    assert read_file(fine, 1 << 20).rejection is None


# Hostile entries: discovery stays inside the input folder, accounts for every entry it will not
# read (a reason code and the entry's own lstat), and never stops or blocks on one.

PATH_MAX = os.pathconf("/", "PC_PATH_MAX")


def rows(table: pa.Table) -> dict[str, str | None]:
    """Relative path -> problem code (None for a file to read)."""
    return dict(
        zip(
            table.column("source_file").to_pylist(),
            table.column("problem").to_pylist(),
            strict=True,
        )
    )


def one(table: pa.Table, root: Path, relative: str) -> SourceFile:
    (found,) = (s for s in source_files(table, root) if s.relative_path == relative)
    return found


@contextmanager
def must_not_block(seconds: int = 10) -> Iterator[None]:
    """Fail (rather than hang the suite) if the body blocks, e.g. by opening a FIFO."""

    def interrupt(signum: int, frame: object) -> None:
        raise TimeoutError("blocked: something opened a FIFO or waited on a special file")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make_chain(top: Path, levels: int, name: str = "d") -> Path:
    """``top/d/d/.../d`` ``levels`` deep, made one level at a time through folder descriptors,
    so even a chain whose path is over PATH_MAX can be made. Returns the path of the deepest."""
    top.mkdir(parents=True, exist_ok=True)
    folder = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=folder)
            deeper = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=folder)
            os.close(folder)
            folder = deeper
    finally:
        os.close(folder)
    return top.joinpath(*[name] * levels)


def unlisted_folder(root: Path, chain: str, name: str = "d") -> str:
    """The relative path (``/``-ended) of the first folder of ``chain/d/d/...`` whose path is
    too long to list: the path and its final NUL are over PATH_MAX bytes."""
    relative = chain
    while len(f"{root}/{relative}") < PATH_MAX:
        relative += f"/{name}"
    return relative + "/"


def remove_chain(top: Path, name: str = "d") -> None:
    """Remove what ``make_chain`` made (and the files in it) without recursion or long paths:
    Python 3.11's ``shutil.rmtree`` recurses once per level and fails past 1,000."""
    folder, hoisted = top / name, top / f"{name}.next"
    while folder.is_dir():
        for entry in os.scandir(folder):
            if entry.name != name:
                os.unlink(entry.path)
        if (folder / name).is_dir():
            os.rename(folder / name, hoisted)
            os.rmdir(folder)
            os.rename(hoisted, folder)
        else:
            os.rmdir(folder)


def test_a_cycle_of_file_links_is_a_loop_and_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "self.txt").symlink_to("self.txt")
    write(tmp_path, "fine.txt")
    table = discover_table(tmp_path)
    assert rows(table) == {
        "a.txt": SYMLINK_LOOP,
        "b.txt": SYMLINK_LOOP,
        "self.txt": SYMLINK_LOOP,
        "fine.txt": None,
    }
    rejected = read_file(one(table, tmp_path, "a.txt"), 1 << 20)
    assert rejected.rejection is not None and rejected.rejection.reason == SYMLINK_LOOP
    assert rejected.content_sha256 is None and rejected.text is None


def test_a_folder_link_back_to_an_ancestor_is_a_loop_and_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "sub/one.txt")
    (tmp_path / "sub" / "back").symlink_to("..")
    (tmp_path / "sub" / "here").symlink_to(".")
    (tmp_path / "root").symlink_to(tmp_path)  # absolute, to the input folder itself
    assert rows(discover_table(tmp_path)) == {
        "sub/one.txt": None,
        "sub/back": SYMLINK_LOOP,
        "sub/here": SYMLINK_LOOP,
        "root": SYMLINK_LOOP,
    }


def test_folder_links_that_lead_into_each_other_stop_at_the_loop(tmp_path: Path) -> None:
    write(tmp_path, "x/in-x.txt")
    write(tmp_path, "y/in-y.txt")
    (tmp_path / "x" / "to-y").symlink_to("../y")
    (tmp_path / "y" / "to-x").symlink_to("../x")
    assert rows(discover_table(tmp_path)) == {
        "x/in-x.txt": None,
        "x/to-y/in-y.txt": None,  # a folder reached twice is listed under both paths
        "x/to-y/to-x": SYMLINK_LOOP,
        "y/in-y.txt": None,
        "y/to-x/in-x.txt": None,
        "y/to-x/to-y": SYMLINK_LOOP,
    }


def test_a_chain_of_links_too_long_to_follow_does_not_stop_discovery(tmp_path: Path) -> None:
    chain = tmp_path / ".chain"  # hidden, so only the head of the chain is an entry
    chain.mkdir()
    links = 1_200  # more than Python's recursion limit: os.path.realpath recurses per link
    for number in range(links):
        (chain / str(number)).symlink_to(str(number + 1))
    (chain / str(links)).symlink_to("../target.txt")
    write(tmp_path, "target.txt")
    (tmp_path / "head.txt").symlink_to(".chain/0")
    assert rows(discover_table(tmp_path)) == {"head.txt": SYMLINK_LOOP, "target.txt": None}


def test_a_dangling_link_is_accounted_with_its_own_stat(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to("missing/story.txt")
    (tmp_path / "gone-folder").symlink_to("missing-folder")  # any name: it may be a folder
    table = discover_table(tmp_path)
    assert rows(table) == {"gone.txt": DANGLING_LINK, "gone-folder": DANGLING_LINK}
    found = one(table, tmp_path, "gone.txt")
    own = os.lstat(link)
    assert (found.size_bytes, found.mtime_ns) == (own.st_size, own.st_mtime_ns)
    assert found.size_bytes == len("missing/story.txt")
    rejected = read_file(found, 1 << 20).rejection
    assert rejected is not None and rejected.reason == DANGLING_LINK
    assert "missing" not in rejected.detail  # the target is not told


def test_a_dangling_link_that_gets_a_target_is_a_file_to_read(tmp_path: Path) -> None:
    (tmp_path / "later.txt").symlink_to("story.txt")
    assert rows(discover_table(tmp_path)) == {"later.txt": DANGLING_LINK}
    write(tmp_path, "story.txt", "now here")
    table = discover_table(tmp_path)
    assert rows(table) == {"later.txt": None, "story.txt": None}
    assert read_file(one(table, tmp_path, "later.txt"), 1 << 20).text == "now here"


def test_a_fifo_named_like_a_story_is_accounted_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.md")  # not a story name: not a story, as a file would not be
    (tmp_path / "to-pipe.txt").symlink_to("pipe.txt")
    with must_not_block():
        table = discover_table(tmp_path)
        assert rows(table) == {"pipe.txt": NOT_A_FILE, "to-pipe.txt": NOT_A_FILE}
        for relative in ("pipe.txt", "to-pipe.txt"):
            rejected = read_file(one(table, tmp_path, relative), 1 << 20).rejection
            assert rejected is not None and rejected.reason == NOT_A_FILE
            assert "FIFO" in rejected.detail
    assert one(table, tmp_path, "to-pipe.txt").size_bytes == len("pipe.txt")  # the link's own lstat


def test_a_fifo_put_in_place_of_a_file_after_discovery_does_not_block_reading(
    tmp_path: Path,
) -> None:
    story = write(tmp_path, "swapped.txt", "text")
    (found,) = discover(tmp_path)
    story.unlink()
    os.mkfifo(story)
    with must_not_block():
        rejected = read_file(found, 1 << 20).rejection
    assert rejected is not None and rejected.reason == NOT_A_FILE


def test_a_socket_named_like_a_story_is_not_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a socket's path is at most 107 bytes: bind a relative one
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind("sock.txt")
    with must_not_block():
        table = discover_table(tmp_path)
    assert rows(table) == {"sock.txt": NOT_A_FILE}
    rejected = read_file(one(table, tmp_path, "sock.txt"), 1 << 20).rejection
    assert rejected is not None and "socket" in rejected.detail


def test_a_device_file_named_like_a_story_is_not_a_file(tmp_path: Path) -> None:
    try:
        os.mknod(tmp_path / "null.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device file needs root (CAP_MKNOD) here")
    with must_not_block():
        table = discover_table(tmp_path)
    assert rows(table) == {"null.txt": NOT_A_FILE}
    rejected = read_file(one(table, tmp_path, "null.txt"), 1 << 20).rejection
    assert rejected is not None and "character device" in rejected.detail


LIST_LOCKED = """
import json, sys
from pathlib import Path
from flows.batch.extract import discover_table, read_file, source_files
root = Path(sys.argv[1])
table = discover_table(root)
rows = table.select(["source_file", "problem", "problem_detail"]).to_pylist()
for row, source in zip(rows, source_files(table, root)):
    rejection = read_file(source, 1 << 20).rejection
    row["reason"] = rejection.reason if rejection else None
print(json.dumps(rows))
"""


def test_a_folder_that_cannot_be_listed_is_one_entry(tmp_path: Path) -> None:
    """chmod 000 stops a listing for anyone but root; as root, discovery runs in a process
    without the capabilities that let root read any folder (setpriv), so the listing fails
    for real."""
    write(tmp_path, "open/one.txt")
    write(tmp_path, "locked/hidden.txt")
    write(tmp_path, "locked/deeper/two.txt")
    write(tmp_path, "unsearchable/three.txt")  # listed, but no stat or open of what is in it
    (tmp_path / "unsearchable" / "link.txt").symlink_to("three.txt")
    (tmp_path / "unsearchable").chmod(0o644)
    (tmp_path / "locked").chmod(0)
    command = [sys.executable, "-c", LIST_LOCKED, str(tmp_path)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root, and no setpriv to drop root's read-any-folder rights")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        (tmp_path / "locked").chmod(0o755)
        (tmp_path / "unsearchable").chmod(0o755)
    if done.returncode != 0 and "setpriv" in done.stderr:
        pytest.skip(f"setpriv cannot drop capabilities here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    found = {row["source_file"]: row for row in json.loads(done.stdout)}
    assert sorted(found) == [
        "locked/",
        "open/one.txt",
        "unsearchable/link.txt",
        "unsearchable/three.txt",
    ]
    assert found["locked/"]["problem"] == UNREADABLE_FOLDER
    assert "Permission denied" in found["locked/"]["problem_detail"]
    assert found["locked/"]["reason"] == UNREADABLE_FOLDER
    assert found["open/one.txt"]["problem"] is None
    assert found["open/one.txt"]["reason"] is None
    # A file that cannot be stat'ed is tried, and says why; a link is never tried unresolved.
    assert found["unsearchable/three.txt"]["problem"] is None
    assert found["unsearchable/three.txt"]["reason"] == "unreadable"
    assert found["unsearchable/link.txt"]["problem"] == DANGLING_LINK
    assert "Permission denied" in found["unsearchable/link.txt"]["problem_detail"]


def test_a_folder_past_the_longest_path_is_an_unreadable_folder(tmp_path: Path) -> None:
    """A listing that fails even for root: a folder whose path is longer than PATH_MAX."""
    levels = PATH_MAX // 2 + 10
    try:
        make_chain(tmp_path / "long", levels)
        write(tmp_path, "fine.txt")
        with must_not_block(60):
            table = discover_table(tmp_path)
        unlisted = unlisted_folder(tmp_path, "long")
        assert rows(table) == {"fine.txt": None, unlisted: UNREADABLE_FOLDER}
        detail = one(table, tmp_path, unlisted).problem_detail
        assert detail is not None and "File name too long" in detail
        assert str(tmp_path) not in detail
    finally:
        remove_chain(tmp_path / "long")


def test_nesting_deeper_than_python_recursion_is_walked(tmp_path: Path) -> None:
    levels = 1_500
    assert levels > sys.getrecursionlimit()
    try:
        deepest = make_chain(tmp_path / "deep", levels)
        (deepest / "bottom.txt").write_text("at the bottom", encoding="utf-8")
        table = discover_table(tmp_path)
        relative = "deep/" + "d/" * levels + "bottom.txt"
        assert rows(table) == {relative: None}
        assert read_file(one(table, tmp_path, relative), 1 << 20).text == "at the bottom"
    finally:
        remove_chain(tmp_path / "deep")


SECRET = "SECRET-MARKER-4f1c9a"


def test_a_link_to_a_file_outside_is_rejected_without_reading_it(tmp_path: Path) -> None:
    root, outside = tmp_path / "input", tmp_path / "outside"
    write(outside, "secret.txt", SECRET)
    os.mkfifo(outside / "pipe")  # opening it would block: proof that nothing opens the target
    write(root, "fine.txt")
    (root / "env.txt").symlink_to(outside / "secret.txt")
    (root / "relative.txt").symlink_to("../outside/secret.txt")
    (root / "pipe.txt").symlink_to(outside / "pipe")
    (root / "environ.txt").symlink_to("/proc/self/environ")
    with must_not_block():
        table = discover_table(root)
        assert rows(table) == {
            "env.txt": OUTSIDE_INPUT,
            "relative.txt": OUTSIDE_INPUT,
            "pipe.txt": OUTSIDE_INPUT,
            "environ.txt": OUTSIDE_INPUT,
            "fine.txt": None,
        }
        for source in source_files(table, root):
            if source.problem is None:
                continue
            read = read_file(source, 1 << 20)
            assert read.rejection is not None and read.rejection.reason == OUTSIDE_INPUT
            assert read.rejection.detail == (
                "a symbolic link to a place outside the input folder; not read"
            )
            assert read.text is None and read.content_sha256 is None
            own = os.lstat(root / source.relative_path)
            assert (source.size_bytes, source.mtime_ns) == (own.st_size, own.st_mtime_ns)
    assert SECRET not in str(table.to_pylist())
    for detail in table.column("problem_detail").to_pylist():
        assert detail is None or not any(
            told in detail for told in ("secret", "proc", "environ", str(tmp_path))
        )


def test_a_link_to_a_folder_outside_is_rejected_without_listing_it(tmp_path: Path) -> None:
    root = tmp_path / "input"
    write(tmp_path, "outside/elsewhere.txt", SECRET)
    write(root, "fine.txt")
    (root / "up").symlink_to("..")
    (root / "elsewhere").symlink_to(tmp_path / "outside")
    (root / "system").symlink_to("/etc")
    assert rows(discover_table(root)) == {
        "fine.txt": None,
        "up": OUTSIDE_INPUT,
        "elsewhere": OUTSIDE_INPUT,
        "system": OUTSIDE_INPUT,
    }


def test_links_inside_the_input_folder_keep_working(tmp_path: Path) -> None:
    write(tmp_path, "sub/story.txt", "the story")
    (tmp_path / "alias").symlink_to("sub")
    (tmp_path / "copy.txt").symlink_to("sub/story.txt")
    (tmp_path / "sub" / "sibling.txt").symlink_to("../copy.txt")  # link to a link, inside
    (tmp_path / "notes.md").symlink_to("sub/story.txt")  # not a story name
    table = discover_table(tmp_path)
    assert rows(table) == {
        "alias/sibling.txt": None,
        "alias/story.txt": None,
        "copy.txt": None,
        "sub/sibling.txt": None,
        "sub/story.txt": None,
    }
    target = os.stat(tmp_path / "sub" / "story.txt")
    for source in source_files(table, tmp_path):
        assert (source.size_bytes, source.mtime_ns) == (target.st_size, target.st_mtime_ns)
        assert read_file(source, 1 << 20).text == "the story"


def test_an_input_folder_given_through_a_link_still_follows_links_inside(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real"
    write(real, "story.txt", "the story")
    (real / "alias.txt").symlink_to(real / "story.txt")  # absolute, through the real path
    (real / "up").symlink_to("..")
    (tmp_path / "via").symlink_to(real)
    table = discover_table(tmp_path / "via")
    assert rows(table) == {"alias.txt": None, "story.txt": None, "up": OUTSIDE_INPUT}
    assert read_file(one(table, tmp_path / "via", "alias.txt"), 1 << 20).text == "the story"


def test_every_problem_code_is_a_rejection_reason_and_known_to_plan_reads() -> None:
    """A rerun compares a discovered entry's problem with the one its manifest row was rejected
    with (``plan_reads.sql`` lists the codes discovery gives)."""
    assert DISCOVERY_CODES.issubset(REJECT_REASONS)
    assert DISCOVERY_CODES.issubset(REJECTION_CODES)
    plan = sql_text("queries/plan_reads.sql")
    listed_codes = set(re.findall(r"'([a-z_]+)'", plan)) - {"rejected"}
    assert listed_codes == DISCOVERY_CODES
