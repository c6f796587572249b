"""One settings object that carries every path and option of a run, and the one place that names
the files of a warehouse folder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_INPUT = PROJECT_ROOT / "seeds"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse"

DATABASE_FILE = "news.duckdb"
REPORT_FILE = "index.html"

# Where parse and entity extraction run (``flows.orchestration.runners``): here, or on Dask.
RUNNERS = ("default", "dask")
DEFAULT_DASK_WORKERS = 2

# A wire story is a few kilobytes; anything this large is not a story and would only bloat memory.
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class WarehouseLayout:
    """Where each part of a warehouse folder lives; storage code takes this, not ``Settings``."""

    root: Path

    @property
    def database(self) -> Path:
        """The DuckDB file analysts open."""
        return self.root / DATABASE_FILE

    @property
    def next_database(self) -> Path:
        """Where a run builds the next version of the DuckDB file before swapping it in."""
        database = self.database
        return database.with_name(database.stem + ".next" + database.suffix)

    @property
    def parquet(self) -> Path:
        """The link to the published Parquet snapshot."""
        return self.root / "parquet"

    @property
    def parquet_swap(self) -> Path:
        """The new link made beside ``parquet`` and renamed over it: the swap is atomic."""
        return self.root / ".parquet.link"

    @property
    def snapshots(self) -> Path:
        """Every Parquet snapshot folder (the link points at the newest complete one)."""
        return self.root / ".parquet-snapshots"

    @property
    def staging(self) -> Path:
        """Per-run batches before they are validated and loaded."""
        return self.root / "staging"

    @property
    def quarantine(self) -> Path:
        """Batches that failed an error-level expectation, kept for inspection."""
        return self.root / "quarantine"

    @property
    def reports(self) -> Path:
        """HTML data-quality reports."""
        return self.root / "reports"

    @property
    def report(self) -> Path:
        """The summary page."""
        return self.reports / REPORT_FILE

    @property
    def data_docs(self) -> Path:
        """GX Data Docs of the last validation, linked from the report."""
        return self.reports / "data_docs"

    @property
    def lock(self) -> Path:
        """Held by the one run allowed to write at a time."""
        return self.root / ".newswire.lock"


@dataclass(frozen=True)
class Settings:
    """Paths and options of one pipeline run; tests build it from ``tmp_path``."""

    input_dir: Path = DEFAULT_INPUT
    warehouse_dir: Path = DEFAULT_WAREHOUSE
    full_refresh: bool = False
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    entity_processes: int = 2
    # New files go through read, parse, entities and staging this many at a time: memory is
    # bounded by a chunk, not by the batch (about 300 MB per 5,000 stories, spaCy aside).
    chunk_files: int = 5000
    # The batch loads beside validation on one DuckDB thread within this much memory (DuckDB
    # spills the rest to disk), so a run's peak stays that of loading after validation; a
    # load that needs more runs again after validation with the usual limit.
    background_load_memory: str = "64MB"
    # A batch of this many new articles fills the Parquet export's memory limit. Its run stops
    # the GX helper once validation is over (the helper holds about 330 MB, GX's import; the
    # next run starts it again) and gives that memory to the export instead
    # (``warehouse.LARGE_EXPORT_MEMORY``). Smaller runs keep the helper warm for the next one.
    large_batch_articles: int = 20_000
    write_report: bool = True
    expectations_dir: Path = EXPECTATIONS_DIR

    @property
    def warehouse(self) -> WarehouseLayout:
        """The files of the warehouse folder."""
        return WarehouseLayout(self.warehouse_dir)

    def resolved(self) -> Settings:
        """Return a copy with absolute paths, so relative paths mean the same in every task."""
        return replace(
            self,
            input_dir=self.input_dir.resolve(),
            warehouse_dir=self.warehouse_dir.resolve(),
            expectations_dir=self.expectations_dir.resolve(),
        )
