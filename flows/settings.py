"""One settings object that carries every path and option of a run."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DEFAULT_INPUT = PROJECT_ROOT / "seeds"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse"

# A wire story is a few kilobytes; anything this large is not a story and would only bloat memory.
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024


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
    # Benchmarks only: extract the entities of one story in this many (1 = every story).
    entity_sample_every: int = 1
    # The batch loads beside validation on one DuckDB thread within this much memory (DuckDB
    # spills the rest to disk), so a run's peak stays that of loading after validation; a
    # load that needs more runs again after validation with the usual limit.
    background_load_memory: str = "64MB"
    write_report: bool = True
    sql_dir: Path = SQL_DIR
    expectations_dir: Path = EXPECTATIONS_DIR

    @property
    def database_path(self) -> Path:
        """The DuckDB file analysts open."""
        return self.warehouse_dir / "news.duckdb"

    @property
    def parquet_dir(self) -> Path:
        """Where each table's Parquet snapshot is published."""
        return self.warehouse_dir / "parquet"

    @property
    def staging_dir(self) -> Path:
        """Per-run batches before they are validated and loaded."""
        return self.warehouse_dir / "staging"

    @property
    def quarantine_dir(self) -> Path:
        """Batches that failed an error-level expectation, kept for inspection."""
        return self.warehouse_dir / "quarantine"

    @property
    def reports_dir(self) -> Path:
        """HTML data-quality reports."""
        return self.warehouse_dir / "reports"

    @property
    def data_docs_dir(self) -> Path:
        """GX Data Docs of the last validation, linked from the report."""
        return self.reports_dir / "data_docs"

    @property
    def lock_path(self) -> Path:
        """Held by the one run allowed to write at a time."""
        return self.warehouse_dir / ".newswire.lock"

    def resolved(self) -> Settings:
        """Return a copy with absolute paths, so relative paths mean the same in every task."""
        return replace(
            self,
            input_dir=self.input_dir.resolve(),
            warehouse_dir=self.warehouse_dir.resolve(),
            sql_dir=self.sql_dir.resolve(),
            expectations_dir=self.expectations_dir.resolve(),
        )
