"""Discovery: which files under the input root are stories, in what order, with what stat."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.batch.extract import discover, discover_table, read_file, source_files
from flows.schemas import DISCOVERED_FILES
from flows.story.parse import BAD_NAME


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
