"""Find raw story files, hash them and read them safely.

Discovery only stats files; bytes are read only for files the warehouse has not seen with the
same size and modification time, so a rerun over an unchanged archive reads nothing.

Discovery stays inside the input folder and survives whatever it holds. It walks with a stack,
not recursion, so nesting has no depth limit. A symbolic link is resolved (its path only) and
followed only when it ends inside the input folder: a link out of it is rejected as
``outside_input`` with nothing opened, read or listed there. A cycle of links, a folder link back
to a folder it is in, a dangling link, a story name on a FIFO, socket or device, and a folder that
cannot be listed are each one row with a reason code (``problem``), rejected unread by
``read_file``; such a row carries the entry's own size and mtime (lstat), so a rerun sees it
unchanged.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from flows.schemas import DISCOVERED_FILES
from flows.story.parse import BAD_NAME, TOO_LARGE, UNREADABLE, Rejection, decode
from flows.story.records import (
    DANGLING_LINK,
    NOT_A_FILE,
    OUTSIDE_INPUT,
    SYMLINK_LOOP,
    UNREADABLE_FOLDER,
)

STORY_SUFFIX = ".txt"

# What a rejection of discovery says: fixed words, never a link's target or a byte behind it.
OUTSIDE_DETAIL = "a symbolic link to a place outside the input folder; not read"
CYCLE_DETAIL = (
    "a symbolic link in a cycle of links (or a chain of links too long to follow); not read"
)
FOLDER_LOOP_DETAIL = (
    "a symbolic link back to a folder it is in (a loop); not followed, so nothing is found twice"
)
SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


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
    # Discovery found an entry that must not be opened (a link out of the input folder, a loop,
    # a FIFO, a folder it could not list): the reason code and detail it is rejected with.
    problem: str | None = None
    problem_detail: str | None = None

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
    listing = _Listing()
    _Walk(os.path.realpath(input_dir), listing).run()
    table = listing.table()
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
        SourceFile(path, root + path, size, mtime, undecodable, problem, detail)
        for path, size, mtime, undecodable, problem, detail in zip(
            discovered.column("source_file").to_pylist(),
            discovered.column("size_bytes").to_pylist(),
            discovered.column("mtime_ns").to_pylist(),
            discovered.column("undecodable_name").to_pylist(),
            discovered.column("problem").to_pylist(),
            discovered.column("problem_detail").to_pylist(),
            strict=True,
        )
    ]


@dataclass
class _Listing:
    """The rows discovery found, as columns; the problems (few) by row number."""

    paths: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)
    problems: dict[int, tuple[str, str]] = field(default_factory=dict)

    def add(self, path: str, found: os.stat_result | None) -> None:
        """A row; without a stat (it failed) 0 and 0, and reading the file says why."""
        self.paths.append(path)
        self.sizes.append(found.st_size if found is not None else 0)
        self.mtimes.append(found.st_mtime_ns if found is not None else 0)

    def add_problem(self, path: str, own: os.stat_result | None, code: str, detail: str) -> None:
        """A row rejected unread, with the entry's own stat (lstat)."""
        self.problems[len(self.paths)] = (code, detail)
        self.add(path, own)

    def truncate(self, rows: int) -> None:
        """Drop the rows from ``rows`` on: a folder whose listing failed midway."""
        del self.paths[rows:], self.sizes[rows:], self.mtimes[rows:]
        for row in [row for row in self.problems if row >= rows]:
            del self.problems[row]

    def table(self) -> pa.Table:
        """The rows as a ``DISCOVERED_FILES`` table, in the order found."""
        paths, count = self.paths, len(self.paths)
        problems: pa.Array | list[str | None] = pa.nulls(count, pa.string())
        details: pa.Array | list[str | None] = problems
        if self.problems:
            problems, details = [None] * count, [None] * count
            for row, (code, detail) in self.problems.items():
                problems[row], details[row] = code, detail
        columns = [paths, self.sizes, self.mtimes, pa.repeat(pa.scalar(False), count)]
        try:
            return pa.table([*columns, problems, details], schema=DISCOVERED_FILES)
        except UnicodeEncodeError:  # a name in another encoding than UTF-8: rare, checked late
            flags = [not _is_utf8(path) for path in paths]
            columns = [[printable_path(path) for path in paths], self.sizes, self.mtimes, flags]
            return pa.table([*columns, problems, details], schema=DISCOVERED_FILES)


class _Folder(NamedTuple):
    """A folder to list: its resolved path, its relative path (``a/b/``, ``""`` for the root),
    and the resolved folders the walk followed a folder link from on the way here."""

    real: str
    prefix: str
    followed: tuple[str, ...]


def _within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or under it (both resolved)."""
    return path == folder or path.startswith(os.path.join(folder, ""))


class _Walk:
    """List the input folder with a stack of folders; every entry settles into the listing.

    Relative paths are built as strings: ``Path.relative_to`` per file cost most of the time of
    a rerun over 100,000 unchanged files.
    """

    def __init__(self, root: str, listing: _Listing) -> None:
        self.root = root  # resolved: a link's resolved target is inside it or not
        self.listing = listing

    def run(self) -> None:
        """Walk every folder; a folder that cannot be listed is one row (the root raises)."""
        stack = [_Folder(self.root, "", ())]
        while stack:
            folder = stack.pop()
            rows = len(self.listing.paths)
            found: list[_Folder] = []
            try:
                self.list_folder(folder, found)
            except OSError as error:
                if not folder.prefix:
                    raise  # the input folder itself: nothing to do
                self.listing.truncate(rows)
                self.listing.add_problem(
                    folder.prefix, _lstat(folder.real), UNREADABLE_FOLDER, _unlisted(error)
                )
                continue
            stack.extend(found)

    def list_folder(self, folder: _Folder, found: list[_Folder]) -> None:
        """List one folder; raises when the listing fails. A story file, the common case, is
        added here; any other entry, or one that fails a stat, goes to ``visit``."""
        prefix = folder.prefix
        paths, sizes, mtimes = self.listing.paths, self.listing.sizes, self.listing.mtimes
        with os.scandir(folder.real) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue  # editors' swap files and hidden folders are not stories
                try:
                    if entry.is_file(follow_symlinks=False) and name.lower().endswith(STORY_SUFFIX):
                        own = entry.stat(follow_symlinks=False)
                        paths.append(prefix + name)
                        sizes.append(own.st_size)
                        mtimes.append(own.st_mtime_ns)
                        continue
                except OSError:
                    pass  # ``visit`` says what it is
                self.visit(entry, folder, found)

    def visit(self, entry: os.DirEntry[str], folder: _Folder, found: list[_Folder]) -> None:
        """One entry of a folder: a story file, a folder to walk, a link, or a problem."""
        name = entry.name
        is_story = name.lower().endswith(STORY_SUFFIX)
        try:
            if entry.is_symlink():
                self.visit_link(entry, folder, found)
            elif entry.is_dir(follow_symlinks=False):
                found.append(_Folder(entry.path, f"{folder.prefix}{name}/", folder.followed))
            elif is_story:
                own = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(own.st_mode):
                    self.listing.add(folder.prefix + name, own)
                else:
                    detail = f"{_special_file(own.st_mode)}, not a regular file; not opened"
                    self.listing.add_problem(folder.prefix + name, own, NOT_A_FILE, detail)
        except FileNotFoundError:
            pass  # gone since the folder was listed
        except OSError:
            if is_story:  # no stat (a name too long, an I/O error): reading it says why
                self.listing.add(folder.prefix + name, None)

    def visit_link(self, entry: os.DirEntry[str], folder: _Folder, found: list[_Folder]) -> None:
        """A symbolic link: followed only to a file or folder inside the input folder."""
        relative = folder.prefix + entry.name
        try:
            own: os.stat_result | None = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            return  # gone since the folder was listed
        except OSError:
            own = None  # and the link is not followed: resolving it fails the same way
        resolved = _resolve(entry.path, self.root)
        if isinstance(resolved, _Problem):
            self.listing.add_problem(relative, own, resolved.code, resolved.detail)
            return
        target, reached = resolved
        if stat.S_ISDIR(reached.st_mode):
            if any(_within(seen, target) for seen in (folder.real, *folder.followed)):
                self.listing.add_problem(relative, own, SYMLINK_LOOP, FOLDER_LOOP_DETAIL)
            else:
                found.append(_Folder(target, relative + "/", (*folder.followed, folder.real)))
        elif relative.lower().endswith(STORY_SUFFIX):
            if stat.S_ISREG(reached.st_mode):
                self.listing.add(relative, reached)  # a file reached twice is listed twice
            else:
                detail = f"a symbolic link to {_special_file(reached.st_mode)}, not a regular file"
                self.listing.add_problem(relative, own, NOT_A_FILE, f"{detail}; not opened")


class _Problem(NamedTuple):
    """Why discovery rejects an entry unread: a reason code and its detail."""

    code: str
    detail: str


def _resolve(link: str, root: str) -> tuple[str, os.stat_result] | _Problem:
    """Where a link leads (resolved) and the stat of what is there, or why it is not followed.

    Only the link's path is resolved (``realpath`` looks at each link on the way with lstat and
    readlink): nothing outside the input folder is opened, read or listed.
    """
    try:
        target = os.path.realpath(link, strict=True)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return _Problem(SYMLINK_LOOP, CYCLE_DETAIL)
        return _Problem(DANGLING_LINK, _dangling(error))
    except RecursionError:  # realpath recurses once per link of a chain
        return _Problem(SYMLINK_LOOP, CYCLE_DETAIL)
    if not _within(target, root):
        return _Problem(OUTSIDE_INPUT, OUTSIDE_DETAIL)
    try:
        return target, os.stat(target)
    except OSError as error:  # gone or changed since it was resolved
        return _Problem(DANGLING_LINK, _dangling(error))


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _special_file(mode: int) -> str:
    return next((name for test, name in SPECIAL_FILES if test(mode)), "a special file")


def _unlisted(error: OSError) -> str:
    why = error.strerror or type(error).__name__
    return f"the folder could not be listed ({why}); the stories in it, if any, were not seen"


def _dangling(error: OSError) -> str:
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return "a symbolic link to nothing (its target does not exist); not read"
    why = error.strerror or type(error).__name__
    return f"a symbolic link whose target cannot be reached ({why}); not read"


def read_file(source: SourceFile, max_bytes: int) -> ReadFile:
    """Read, hash and decode one file; every failure becomes a rejection with a reason."""
    rejection = _rejected_unread(source, max_bytes)
    if rejection is not None:
        return ReadFile(source, None, None, rejection)
    try:
        data = _read_regular_file(source.location)
    except OSError as error:
        return ReadFile(
            source, None, None, Rejection(UNREADABLE, f"{type(error).__name__}: {error}")
        )
    if data is None:
        detail = "not a regular file when it was to be read (a FIFO, socket or device); not read"
        return ReadFile(source, None, None, Rejection(NOT_A_FILE, detail))
    digest = hashlib.sha256(data).hexdigest()
    decoded = decode(data)
    if isinstance(decoded, Rejection):
        return ReadFile(source, digest, None, decoded)
    return ReadFile(source, digest, decoded, None)


def _rejected_unread(source: SourceFile, max_bytes: int) -> Rejection | None:
    """Why a file is rejected without opening it, if it is."""
    if source.problem is not None:  # first: a rerun compares this code with the manifest's
        return Rejection(source.problem, source.problem_detail or source.problem)
    if source.undecodable_name:
        return Rejection(
            BAD_NAME,
            "the file name is not valid UTF-8 (shown with \\x escapes); "
            "rename it to load the story",
        )
    if source.size_bytes > max_bytes:
        return Rejection(TOO_LARGE, f"{source.size_bytes} bytes is over the {max_bytes}-byte limit")
    return None


def _read_regular_file(location: str) -> bytes | None:
    """The bytes of a regular file, or None for anything else.

    Opened without waiting: a FIFO put in a file's place after discovery would block ``open``.
    """
    with open(location, "rb", opener=_open_without_waiting) as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read()


def _open_without_waiting(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NONBLOCK)


def read_files(sources: Iterable[SourceFile], max_bytes: int) -> list[ReadFile]:
    """Read a batch of files in order."""
    return [read_file(source, max_bytes) for source in sources]
