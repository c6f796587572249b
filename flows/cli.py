"""The ``newswire`` command line: run the flow, regenerate the report, inspect the warehouse."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import sys
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

from flows.settings import DEFAULT_INPUT, DEFAULT_WAREHOUSE

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_DATA_QUALITY = 2
EXIT_BUSY = 3


def build_parser() -> argparse.ArgumentParser:
    """Every command and option, with the help text users read."""
    parser = argparse.ArgumentParser(
        prog="newswire",
        description="Turn raw news-wire story files into a DuckDB warehouse analysts query.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run the pipeline once over an input folder",
        description=(
            "Run the pipeline once: load new story files from INPUT into the warehouse. "
            "Exit 0 when the run finished (rejected files are recorded, not fatal), "
            f"{EXIT_DATA_QUALITY} when the data-quality gate stopped the load, "
            f"{EXIT_BUSY} when another run holds the warehouse, {EXIT_FAILED} when the run broke."
        ),
    )
    _add_paths(run)
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every data table from the input instead of loading only new files",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another run to finish instead of exiting at once",
    )

    report = commands.add_parser(
        "report",
        help="regenerate the data-quality report from the warehouse",
        description="Write <warehouse>/reports/index.html from the warehouse as it is now.",
    )
    report.add_argument(
        "--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="warehouse folder"
    )

    from flows import benchmark

    bench = commands.add_parser(
        "bench",
        help="benchmark the flow on generated stories or a corpus, against the floors",
        description=(
            "Run the real flow on a corpus (generated, or a copy of --corpus) and print seconds "
            "and throughput per stage, the floors (I/O, DuckDB read_text, parser, entity "
            "extractor, plain spaCy), peak memory, warehouse size and two reruns "
            "(no new files, 1% new files)."
        ),
    )
    benchmark.add_arguments(bench)
    return parser


def _add_paths(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--input",
        type=Path,
        default=DEFAULT_INPUT,
        help="folder of raw story files, searched recursively for *.txt (default: seeds/)",
    )
    command.add_argument(
        "--warehouse",
        type=Path,
        default=DEFAULT_WAREHOUSE,
        help="folder where news.duckdb, parquet/ and reports/ are written (default: warehouse/)",
    )


def _quiet() -> None:
    """Keep library chatter out of what users see; errors still reach stderr."""
    warnings.filterwarnings("ignore")
    for name in ("great_expectations", "prefect", "httpx", "distributed", "asyncio"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _import_in_background(module: str) -> None:
    """Import a slow library on a spare core while Prefect's server starts (GX takes ~5-10 s)."""

    def load() -> None:
        with contextlib.suppress(Exception):  # the validate stage imports it again and reports
            importlib.import_module(module)

    threading.Thread(target=load, name=f"import-{module}", daemon=True).start()


def command_run(arguments: argparse.Namespace) -> int:
    """Run the flow and turn its outcome into an exit code and a one-line reason."""
    from flows.prefect_env import configure_prefect

    configure_prefect()
    _quiet()
    _import_in_background("great_expectations")
    from flows.pipeline import DataQualityError, RunSummary, newswire_run
    from flows.run_lock import WarehouseBusyError

    if not arguments.input.is_dir():
        print(f"newswire: input folder does not exist: {arguments.input}", file=sys.stderr)
        return EXIT_FAILED
    state = newswire_run(
        input_dir=str(arguments.input),
        warehouse_dir=str(arguments.warehouse),
        full_refresh=arguments.full_refresh,
        wait_seconds=arguments.wait,
        return_state=True,
    )
    result = state.result(raise_on_failure=False)
    if isinstance(result, RunSummary):
        print_summary(result, arguments.warehouse)
        return EXIT_OK
    if isinstance(result, DataQualityError):
        print(f"newswire: {result}", file=sys.stderr)
        return EXIT_DATA_QUALITY
    if isinstance(result, WarehouseBusyError):
        print(f"newswire: {result}", file=sys.stderr)
        return EXIT_BUSY
    print(f"newswire: run failed: {_one_line(result)}", file=sys.stderr)
    return EXIT_FAILED


def _one_line(error: object) -> str:
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    return " ".join(text.split())[:300]


def print_summary(summary: object, warehouse: Path) -> None:
    """A short table of what the run did."""
    from flows.pipeline import RunSummary

    assert isinstance(summary, RunSummary)
    counts = summary.accounting
    print(f"newswire run {summary.run_id}: {summary.status}")
    print(
        f"  files seen {counts.files_seen}, new {counts.files_new}, "
        f"skipped {counts.files_skipped}, rejected {counts.files_rejected}; "
        f"articles loaded {summary.articles_loaded}"
    )
    stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in summary.stage_seconds.items())
    print(f"  stages: {stages}")
    print(f"  warehouse: {warehouse / 'news.duckdb'}")
    if summary.report_path is not None:
        print(f"  report: {summary.report_path}")


def command_report(arguments: argparse.Namespace) -> int:
    """Regenerate the report page."""
    from flows.report import write_report

    database = arguments.warehouse / "news.duckdb"
    if not database.exists():
        print(f"newswire: no warehouse at {database}; run 'newswire run' first", file=sys.stderr)
        return EXIT_FAILED
    path = write_report(database, arguments.warehouse / "reports")
    print(path)
    return EXIT_OK


def command_bench(arguments: argparse.Namespace) -> int:
    """Run the benchmark (see ``flows.benchmark``)."""
    from flows.benchmark import command_bench as run_bench

    _quiet()
    return run_bench(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newswire`` console script."""
    arguments = build_parser().parse_args(argv)
    handlers = {"run": command_run, "report": command_report, "bench": command_bench}
    return handlers[arguments.command](arguments)


if __name__ == "__main__":
    sys.exit(main())
