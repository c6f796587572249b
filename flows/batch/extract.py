"""Find raw story files, hash them and read them safely.

Discovery only stats files; bytes are read only for files the warehouse has not seen with the
same size and modification time, so a rerun over an unchanged archive reads nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from flows.schemas import DISCOVERED_FILES
from flows.story.parse import BAD_NAME, TOO_LARGE, UNREADABLE, Rejection, decode

STORY_SUFFIX = ".txt"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found under the input root, known by its path relative to that root."""

    relative_path: str
    location: str  # where to open it; a string, as a ``Path`` per file is slow to build
    size_bytes: int
    mtime_ns: int
    # Its name is not UTF-8: ``relative_path`` is ``printable_path`` of it, and the file is
    # rejected without being opened (``location`` does not name it).
    undecodable_name: bool = False

    @property
    def path(self) -> Path:
        """Where to open the file."""
        return Path(self.location)


@dataclass(frozen=True)
class ReadFile:
    """A source file's content hash and decoded text, or why it could not be read."""

    source: SourceFile
    content_sha256: str | None
    text: str | None
    rejection: Rejection | None


def discover(input_dir: Path) -> list[SourceFile]:
    """List every ``*.txt`` under the input root (recursively), sorted by relative path."""
    return source_files(discover_table(input_dir), input_dir)


def discover_table(input_dir: Path) -> pa.Table:
    """The same listing as a ``DISCOVERED_FILES`` table: no Python object per file.

    A run over 100,000 files joins this table with the manifest in DuckDB and makes objects
    only for the files it reads, a chunk at a time; a list of ``SourceFile`` took 40 MB.
    """
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder does not exist: {input_dir}")
    paths: list[str] = []
    sizes: list[int] = []
    mtimes: list[int] = []
    _walk(str(input_dir), "", paths, sizes, mtimes)
    undecodable = pa.repeat(pa.scalar(False), len(paths))
    try:
        table = pa.table([paths, sizes, mtimes, undecodable], schema=DISCOVERED_FILES)
    except UnicodeEncodeError:  # a name in another encoding than UTF-8: rare, so checked late
        flags = [not _is_utf8(path) for path in paths]
        paths = [printable_path(path) for path in paths]
        table = pa.table([paths, sizes, mtimes, flags], schema=DISCOVERED_FILES)
    # Byte order of UTF-8 is code point order: the order ``sorted`` gives the same strings.
    return table.take(pc.sort_indices(table, [("source_file", "ascending")]))


def _is_utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_path(path: str) -> str:
    """A path as UTF-8 text: bytes of a name that are not UTF-8 as ``\\xe9`` escapes.

    ``os.scandir`` gives such bytes as lone surrogates, which no text column can hold. The file
    is recorded under this name and rejected (``bad_name``), so it is not lost and not read.
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def source_files(discovered: pa.Table, input_dir: Path) -> list[SourceFile]:
    """``SourceFile`` objects for rows of a ``DISCOVERED_FILES`` table (a chunk to read)."""
    root = os.path.join(str(input_dir), "")
    return [
        SourceFile(path, root + path, size, mtime, undecodable)
        for path, size, mtime, undecodable in zip(
            discovered.column("source_file").to_pylist(),
            discovered.column("size_bytes").to_pylist(),
            discovered.column("mtime_ns").to_pylist(),
            discovered.column("undecodable_name").to_pylist(),
            strict=True,
        )
    ]


def _walk(folder: str, prefix: str, paths: list[str], sizes: list[int], mtimes: list[int]) -> None:
    # Relative paths are built as strings: ``Path.relative_to`` per file cost most of the time
    # of a rerun over 100,000 unchanged files.
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue  # editors' swap files and hidden folders are not stories
            if entry.is_dir(follow_symlinks=True):
                _walk(entry.path, f"{prefix}{name}/", paths, sizes, mtimes)
            elif name.lower().endswith(STORY_SUFFIX) and entry.is_file():
                stat = entry.stat()
                paths.append(prefix + name)
                sizes.append(stat.st_size)
                mtimes.append(stat.st_mtime_ns)


def read_file(source: SourceFile, max_bytes: int) -> ReadFile:
    """Read, hash and decode one file; every failure becomes a rejection with a reason."""
    if source.undecodable_name:
        return ReadFile(
            source,
            None,
            None,
            Rejection(
                BAD_NAME,
                "the file name is not valid UTF-8 (shown with \\x escapes); "
                "rename it to load the story",
            ),
        )
    if source.size_bytes > max_bytes:
        return ReadFile(
            source,
            None,
            None,
            Rejection(TOO_LARGE, f"{source.size_bytes} bytes is over the {max_bytes}-byte limit"),
        )
    try:
        with open(source.location, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return ReadFile(
            source, None, None, Rejection(UNREADABLE, f"{type(error).__name__}: {error}")
        )
    digest = hashlib.sha256(data).hexdigest()
    decoded = decode(data)
    if isinstance(decoded, Rejection):
        return ReadFile(source, digest, None, decoded)
    return ReadFile(source, digest, decoded, None)


def read_files(sources: Iterable[SourceFile], max_bytes: int) -> list[ReadFile]:
    """Read a batch of files in order."""
    return [read_file(source, max_bytes) for source in sources]
