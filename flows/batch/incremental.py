"""Decide what each input file becomes, against what the warehouse already holds.

A run plans its reads from a stat of every file (``plan_reads``: files seen before with the same
size and modification time are not read again), then settles each file it read as a new
article, a duplicate or a rejection (``settle``), so the accounting rule (every file ends as
exactly one manifest row) holds by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from flows import faults
from flows.batch.extract import ReadFile, discover_table
from flows.batch.tables import DUPLICATE, LOADED, REJECTED, FileOutcome
from flows.schemas import UNCHANGED_FILES
from flows.settings import WarehouseLayout
from flows.store.sql import sql_text
from flows.store.warehouse import connect_read_only, prepare_next
from flows.story.parse import ParsedStory, Rejection


@dataclass(frozen=True)
class Accounting:
    """The file counts of one run: seen = new + skipped + rejected, and skipped = duplicate
    (content already loaded under another name, met for the first time) + unchanged (a file
    seen before as it is, whether read again or not)."""

    files_seen: int
    files_new: int
    files_duplicate: int
    files_unchanged: int
    files_rejected: int

    @property
    def files_skipped(self) -> int:
        """Files that became no new article and no rejection."""
        return self.files_duplicate + self.files_unchanged

    def __add__(self, other: Accounting) -> Accounting:
        """The counts of two parts of one run (chunks of files) together."""
        return Accounting(
            self.files_seen + other.files_seen,
            self.files_new + other.files_new,
            self.files_duplicate + other.files_duplicate,
            self.files_unchanged + other.files_unchanged,
            self.files_rejected + other.files_rejected,
        )

    def as_dict(self) -> dict[str, int]:
        """The counts by column name (``pipeline_runs``)."""
        return {
            "files_seen": self.files_seen,
            "files_new": self.files_new,
            "files_skipped": self.files_skipped,
            "files_rejected": self.files_rejected,
            "files_duplicate": self.files_duplicate,
            "files_unchanged": self.files_unchanged,
        }


NO_FILES = Accounting(0, 0, 0, 0, 0)


class ManifestEntry(NamedTuple):
    """The warehouse's record of one input path (its newest content); a tuple, as a run reads
    one per file ever seen."""

    content_sha256: str | None
    size_bytes: int
    mtime_ns: int | None
    status: str
    article_id: str | None
    first_seen_run: str


@dataclass(frozen=True)
class Manifest:
    """What the warehouse already holds, so a run only reads and loads what is new."""

    files: dict[str, ManifestEntry] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)  # content_sha256 -> article_id
    article_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReadPlan:
    """Which discovered files a run reads, and what the warehouse knows of them."""

    to_read: pa.Table  # DISCOVERED_FILES rows, in path order
    manifest: Manifest  # ``files`` holds the known paths among the files to read
    unchanged: pa.Table  # UNCHANGED_FILES rows: files seen again with the same size and mtime

    @property
    def files_seen(self) -> int:
        """Every file discovered, read or not."""
        return self.to_read.num_rows + self.unchanged.num_rows


def plan_run(
    input_dir: Path, warehouse: WarehouseLayout, run_id: str, full_refresh: bool
) -> ReadPlan:
    """List the input files (stat only), copy the warehouse for this run and find the files it
    has not seen as they are now, with what the warehouse knows of them.

    The copy (the kernel's, without the GIL) runs while the listing stats files: a rerun over
    100,000 files waited for both in turn.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="copy-warehouse") as pool:
        copying = pool.submit(prepare_next, warehouse)
        discovered = discover_table(input_dir)
        faults.reached("discover")
        staged = copying.result()
    faults.reached("prepare")
    if full_refresh:
        return read_everything(discovered)
    plan = plan_reads(staged, discovered, run_id)
    if plan.to_read.num_rows == 0:
        return plan  # known contents are read only once some file has to be read
    return replace(plan, manifest=complete_manifest(staged, plan.manifest))


def plan_reads(database: Path, discovered: pa.Table, run_id: str) -> ReadPlan:
    """Split discovered files into unchanged ones and ones to read, in DuckDB.

    A rerun over 100,000 unchanged files used to build a Python object per manifest row and
    per file (1.5 s); the join runs in DuckDB and only the known paths among the files to read
    become objects.
    """
    positioned = discovered.append_column(
        "position", pa.array(range(discovered.num_rows), pa.int64())
    )
    with connect_read_only(database) as connection:
        connection.register("batch_discovered", positioned)
        planned: pa.Table = connection.sql(sql_text("queries/plan_reads.sql")).to_arrow_table()
    is_unchanged = planned.column("unchanged")
    unchanged = planned.filter(is_unchanged)
    changed = planned.filter(pc.invert(is_unchanged))
    # Python objects only for what ``settle`` needs: the known paths among the changed files
    # (none on a first load of 100,000 files, where a dict per row took 100 MB).
    known = changed.filter(pc.is_valid(changed.column("status"))).to_pylist()
    files = {
        row["source_file"]: ManifestEntry(
            row["content_sha256"],
            row["size_bytes"],
            row["mtime_ns"],
            row["status"],
            row["article_id"],
            row["first_seen_run"],
        )
        for row in known
    }
    return ReadPlan(
        to_read=discovered.take(changed.column("position")),
        manifest=Manifest(files),
        unchanged=pa.Table.from_arrays(
            [
                unchanged.column("source_file"),
                unchanged.column("content_sha256"),
                pa.repeat(pa.scalar(run_id), unchanged.num_rows),
            ],
            schema=UNCHANGED_FILES,
        ),
    )


def read_everything(discovered: pa.Table) -> ReadPlan:
    """The plan of a full refresh: every file is read, as into an empty warehouse."""
    return ReadPlan(discovered, Manifest(), UNCHANGED_FILES.empty_table())


def complete_manifest(database: Path, manifest: Manifest) -> Manifest:
    """Add the known contents and article ids to a files-only manifest, for ``settle``.

    Read only once some file has to be read: a rerun with nothing new needs the files alone.
    """
    with connect_read_only(database) as connection:
        contents = dict(connection.execute(sql_text("queries/known_contents.sql")).fetchall())
        article_ids = frozenset(
            row[0] for row in connection.execute(sql_text("queries/article_ids.sql")).fetchall()
        )
    return replace(manifest, contents=contents, article_ids=article_ids)


@dataclass
class RunMemory:
    """Contents and articles met earlier in this run, when a run settles its files in chunks."""

    contents: dict[str, str] = field(default_factory=dict)  # content_sha256 -> article_id
    article_ids: set[str] = field(default_factory=set)


def settle(
    read: Sequence[ReadFile],
    parsed: Sequence[ParsedStory | Rejection | None],
    manifest: Manifest,
    memory: RunMemory | None = None,
) -> list[FileOutcome]:
    """Turn read and parsed files into outcomes: new article, duplicate or rejection.

    ``memory`` carries what earlier chunks of the same run settled, so a file repeating one of
    them is a duplicate too; it is updated in place.
    """
    outcomes: list[FileOutcome] = []
    memory = memory if memory is not None else RunMemory()
    contents = memory.contents
    batch_articles = memory.article_ids
    for item, result in zip(read, parsed, strict=True):
        source = item.source
        known = manifest.files.get(source.relative_path)
        first_seen = (
            known.first_seen_run
            if known is not None and known.content_sha256 == item.content_sha256
            else None
        )
        rejection = item.rejection or (result if isinstance(result, Rejection) else None)
        if rejection is not None or not isinstance(result, ParsedStory):
            outcomes.append(
                FileOutcome(
                    source,
                    REJECTED,
                    content_sha256=item.content_sha256,
                    rejection=rejection,
                    first_seen_run=first_seen,
                )
            )
            continue
        sha = item.content_sha256
        assert sha is not None
        earlier = manifest.contents.get(sha) or contents.get(sha)
        if earlier is None and (
            result.article_id in manifest.article_ids or result.article_id in batch_articles
        ):
            earlier = result.article_id  # same story text with other bytes (CRLF, BOM)
        if earlier is not None:
            # The same path seen again with the same content is still the article it became.
            status = (
                LOADED if first_seen is not None and known and known.status == LOADED else DUPLICATE
            )
            outcomes.append(
                FileOutcome(
                    source,
                    status,
                    is_new=False,
                    content_sha256=sha,
                    article_id=earlier,
                    first_seen_run=first_seen,
                )
            )
            continue
        contents[sha] = result.article_id
        batch_articles.add(result.article_id)
        outcomes.append(
            FileOutcome(
                source,
                LOADED,
                content_sha256=sha,
                article_id=result.article_id,
                story=result,
                first_seen_run=first_seen,
            )
        )
    return outcomes


def account(outcomes: Sequence[FileOutcome]) -> Accounting:
    """Count the run's files: new articles, duplicates, unchanged files and rejections."""
    new = sum(1 for o in outcomes if o.is_new and o.status == LOADED)
    rejected = sum(1 for o in outcomes if o.is_new and o.status == REJECTED)
    duplicate = sum(1 for o in outcomes if o.status == DUPLICATE and o.first_seen_run is None)
    unchanged = len(outcomes) - new - rejected - duplicate
    return Accounting(len(outcomes), new, duplicate, unchanged, rejected)
