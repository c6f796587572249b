"""The ``newswire`` command line: run the flow, regenerate the report, inspect the warehouse."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path

from flows.prefect_env import configure_prefect

# Before any import below brings Prefect in: it reads its settings (home folder, the server's
# start-up timeout) once, when imported; set later, a first run timed out after Prefect's
# default 20 s while the ephemeral server migrated its database.
if sys.argv[1:2] == ["serve"]:
    # Served runs log to the Prefect API, where the UI shows them: keep their INFO lines.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
configure_prefect()

from flows.operator import FORMATS  # noqa: E402
from flows.runners import DEFAULT_DASK_WORKERS, RUNNERS  # noqa: E402
from flows.serve import DEFAULT_CRON, DEPLOYMENT_NAME  # noqa: E402
from flows.settings import DEFAULT_INPUT, DEFAULT_WAREHOUSE, Settings  # noqa: E402

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
    _add_runner(run)
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show stage progress on stderr (default: only when stderr is a terminal)",
    )

    serve = commands.add_parser(
        "serve",
        help="register the scheduled deployment with Prefect and run it on its schedule",
        description=(
            "Register the flow as a Prefect deployment with a cron schedule (times in UTC) "
            "and start its scheduled runs until interrupted. Set PREFECT_API_URL to use a "
            "Prefect server (and its UI); see docs/operations.md."
        ),
    )
    _add_paths(serve)
    serve.add_argument(
        "--cron",
        default=DEFAULT_CRON,
        metavar="EXPR",
        help=f"cron schedule of the runs, in UTC (default: '{DEFAULT_CRON}')",
    )
    serve.add_argument(
        "--name", default=DEPLOYMENT_NAME, help="deployment name (default: %(default)s)"
    )
    serve.add_argument(
        "--full-refresh", action="store_true", help="every scheduled run rebuilds all tables"
    )
    serve.add_argument(
        "--wait",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long a scheduled run waits for a manual run to finish (default: 600)",
    )
    _add_runner(serve)

    status = commands.add_parser(
        "status",
        help="show the last runs, table sizes and whether a run is in progress",
        description="Show the warehouse's last runs, table sizes, run lock and Parquet store.",
    )
    _add_warehouse(status)
    status.add_argument(
        "--runs", type=int, default=5, metavar="N", help="how many runs to list (default: 5)"
    )

    sql = commands.add_parser(
        "sql",
        help="run one read-only SQL query against the warehouse and print the result",
        description=(
            "Run QUERY on a read-only connection to news.duckdb (it never blocks a run) "
            "and print the result."
        ),
    )
    sql.add_argument(
        "query", metavar="QUERY", help="the SQL to run, e.g. 'select count(*) from articles'"
    )
    _add_warehouse(sql)
    sql.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )

    shell = commands.add_parser(
        "shell",
        help="open an interactive read-only SQL shell on the warehouse",
        description=(
            "Open the duckdb CLI with -readonly when it is installed, else a small built-in "
            "read-only SQL prompt (.help lists its commands)."
        ),
    )
    _add_warehouse(shell)
    shell.add_argument(
        "--builtin", action="store_true", help="use the built-in prompt even if duckdb is installed"
    )

    report = commands.add_parser(
        "report",
        help="regenerate the data-quality report from the warehouse",
        description="Write <warehouse>/reports/index.html from the warehouse as it is now.",
    )
    _add_warehouse(report)

    evaluate = commands.add_parser(
        "eval",
        help="measure a stage against a corpus with a gold file",
        description="Measure a pipeline stage against a corpus; prints figures, writes nothing.",
    )
    stages = evaluate.add_subparsers(dest="stage", required=True, metavar="STAGE")
    parse = stages.add_parser(
        "parse",
        help="parse a corpus and compare headlines, dates and update notes with a gold file",
        description=(
            "Parse every *.txt under CORPUS with the real parser and print files parsed and "
            "rejected by reason, headline and date exact-match rates, update-note precision and "
            "recall, action and paragraph-reference accuracy, and parser speed."
        ),
    )
    parse.add_argument("--corpus", type=Path, required=True, help="folder of story files")
    parse.add_argument(
        "--gold", type=Path, help="JSON-lines gold file (file, date, headline, update_notes)"
    )
    parse.add_argument("-v", "--verbose", action="store_true", help="also list every disagreement")

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


def _add_warehouse(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--warehouse",
        type=Path,
        default=DEFAULT_WAREHOUSE,
        help="warehouse folder (default: warehouse/)",
    )


def _add_runner(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--runner",
        choices=RUNNERS,
        default="default",
        help="where parse and entity extraction run: this process, or a Dask cluster",
    )
    command.add_argument(
        "--dask-address",
        metavar="tcp://HOST:PORT",
        help="use the Dask scheduler at this address (implies --runner dask)",
    )
    command.add_argument(
        "--dask-workers",
        type=int,
        default=DEFAULT_DASK_WORKERS,
        metavar="N",
        help="worker processes of the local Dask cluster (default: %(default)s)",
    )


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
    """Keep library chatter out of what users see; errors still reach stderr once, briefly.

    The command prints its own one-line reason for a failure, so Prefect's copies of it (with
    tracebacks) and the temporary API server's shutdown noise are not shown again.
    """
    warnings.filterwarnings("ignore")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    for name in ("great_expectations", "prefect", "httpx", "distributed", "asyncio"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # Prefect's own copies of the failure, and its event and log shippers draining at exit
    # ("Still processing items", failed flushes): about Prefect's bookkeeping, not the data.
    for name in (
        "prefect.flow_runs",
        "prefect.task_runs",
        "prefect.events",
        "prefect._internal.concurrency",
        "EventsWorker",
        "APILogWorker",
    ):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # GX sets this module's logger to INFO when it is imported, later; a filter survives that.
    logging.getLogger("great_expectations.data_context.types.base").addFilter(
        lambda record: record.levelno >= logging.ERROR
    )


class _HideExpectedFailures(logging.Filter):
    """Drop Prefect's traceback of an outcome the CLI reports in one line (gate, busy lock)."""

    def __init__(self, expected: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.expected = expected
        self.names = tuple(f"{kind.__name__}" for kind in expected)

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, self.expected):
            return False
        return not any(name in record.getMessage() for name in self.names)


def _hide_expected_failures(*expected: type[BaseException]) -> None:
    """Install the filter where Prefect logs a flow run's exception and on its handlers."""
    hide = _HideExpectedFailures(expected)
    for name in ("prefect.flow_runs", "prefect.flow_engine", "prefect"):
        logger = logging.getLogger(name)
        logger.addFilter(hide)
        for handler in logger.handlers:
            handler.addFilter(hide)


def command_run(arguments: argparse.Namespace) -> int:
    """Run the flow and turn its outcome into an exit code and a one-line reason."""
    from flows import progress
    from flows.pipeline import DataQualityError, RunSummary, newswire_run
    from flows.run_lock import WarehouseBusyError

    _hide_expected_failures(DataQualityError, WarehouseBusyError)
    _quiet()  # after Prefect's import, which configures logging and would reset the levels
    # SIGTERM (systemd, timeout, kill) unwinds like an exception, so the temporary Prefect
    # server is stopped at exit instead of being left running. The warehouse is safe either way.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)

    if not arguments.input.is_dir():
        print(f"newswire: input folder does not exist: {arguments.input}", file=sys.stderr)
        return EXIT_FAILED
    # The reporter writes to this command's stderr: a caller in the same process (a test) must
    # not inherit it once the command is over.
    reporter = progress.current()
    progress.configure(arguments.progress)
    try:
        state = newswire_run(
            input_dir=str(arguments.input),
            warehouse_dir=str(arguments.warehouse),
            full_refresh=arguments.full_refresh,
            wait_seconds=arguments.wait,
            runner=arguments.runner,
            dask_address=arguments.dask_address,
            dask_workers=arguments.dask_workers,
            return_state=True,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
        progress.use(reporter)
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


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _one_line(error: object) -> str:
    if isinstance(error, BaseException) and type(error).__name__ == "RunFailedError":
        text = str(error)  # already names the stage and the cause
    elif isinstance(error, BaseException):
        text = f"{type(error).__name__}: {error}"
    else:
        text = str(error)
    return " ".join(text.split())[:500]


def print_summary(summary: object, warehouse: Path) -> None:
    """A short table of what the run did: files, then each stage's rows and seconds."""
    from flows.operator import render_table
    from flows.pipeline import RunSummary

    assert isinstance(summary, RunSummary)
    counts = summary.accounting
    print(f"newswire run {summary.run_id}: {summary.status}")
    for action in summary.recovered:
        print(f"  recovered from an interrupted run: {action}")
    print(
        f"  files seen {counts.files_seen:,}, new {counts.files_new:,}, "
        f"skipped {counts.files_skipped:,}, rejected {counts.files_rejected:,}; "
        f"articles loaded {summary.articles_loaded:,}"
    )
    rows = [(name, round(seconds, 2)) for name, seconds in summary.stage_seconds.items()]
    rows.append(("total", round(sum(summary.stage_seconds.values()), 2)))
    print("  " + render_table(["stage", "seconds"], rows).replace("\n", "\n  "))
    print(f"  warehouse: {warehouse / 'news.duckdb'}")
    if summary.report_path is not None:
        print(f"  report: {summary.report_path}")


def command_serve(arguments: argparse.Namespace) -> int:
    """Register the scheduled deployment and serve its runs until interrupted."""
    from flows.serve import deployment_parameters, serve

    if not arguments.input.is_dir():
        print(f"newswire: input folder does not exist: {arguments.input}", file=sys.stderr)
        return EXIT_FAILED
    parameters = deployment_parameters(
        arguments.input,
        arguments.warehouse,
        full_refresh=arguments.full_refresh,
        wait_seconds=arguments.wait,
        runner=arguments.runner,
        dask_address=arguments.dask_address,
        dask_workers=arguments.dask_workers,
    )
    serve(arguments.cron, parameters, name=arguments.name)
    return EXIT_OK


def command_status(arguments: argparse.Namespace) -> int:
    """Print the warehouse's state."""
    from flows.operator import status

    status(Settings(warehouse_dir=arguments.warehouse), sys.stdout, runs=arguments.runs)
    return EXIT_OK


def command_sql(arguments: argparse.Namespace) -> int:
    """Run one query on a read-only connection and print the result."""
    import duckdb

    from flows.operator import read_only, run_query, write_result

    try:
        with read_only(arguments.warehouse / "news.duckdb") as connection:
            columns, rows = run_query(connection, arguments.query)
    except (duckdb.Error, FileNotFoundError) as error:
        print(f"newswire: {' '.join(str(error).split())}", file=sys.stderr)
        return EXIT_FAILED
    if columns:
        write_result(columns, rows, sys.stdout, arguments.format)
    return EXIT_OK


def command_shell(arguments: argparse.Namespace) -> int:
    """Open the read-only shell."""
    from flows.operator import shell

    return shell(arguments.warehouse / "news.duckdb", prefer_cli=not arguments.builtin)


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


def command_eval(arguments: argparse.Namespace) -> int:
    """Run one stage's evaluation and print its figures."""
    from flows.evaluation import evaluate_parse, load_gold

    if not arguments.corpus.is_dir():
        print(f"newswire: corpus folder does not exist: {arguments.corpus}", file=sys.stderr)
        return EXIT_FAILED
    if arguments.gold is not None and not arguments.gold.is_file():
        print(f"newswire: gold file does not exist: {arguments.gold}", file=sys.stderr)
        return EXIT_FAILED
    gold = load_gold(arguments.gold) if arguments.gold is not None else None
    result = evaluate_parse(arguments.corpus, gold)
    if arguments.verbose:
        print("\n".join(result.problems))
    print("\n".join(result.lines()))
    return EXIT_OK


def command_bench(arguments: argparse.Namespace) -> int:
    """Run the benchmark (see ``flows.benchmark``)."""
    from flows.benchmark import command_bench as run_bench

    _quiet()
    return run_bench(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newswire`` console script."""
    arguments = build_parser().parse_args(argv)
    handlers = {
        "run": command_run,
        "report": command_report,
        "serve": command_serve,
        "status": command_status,
        "sql": command_sql,
        "shell": command_shell,
        "eval": command_eval,
        "bench": command_bench,
    }
    code = handlers[arguments.command](arguments)
    _release_tracebacks()
    return code


def _release_tracebacks() -> None:
    """Free what the tracebacks of failed (or retried) task runs still hold, before exit.

    Prefect keeps the states of failed task runs, with their exceptions, until the process
    ends. A traceback keeps its frames, and a frame inside ``with warehouse.transaction(...)``
    keeps its (closed) DuckDB connection, so at exit DuckDB's bindings (nanobind) found live
    objects and printed "nanobind: leaked ..." reports. Clearing the finished frames lets them
    go; the exceptions and their messages stay.
    """
    for item in gc.get_objects():
        if isinstance(item, BaseException) and item.__traceback__ is not None:
            traceback.clear_frames(item.__traceback__)
    gc.collect()


if __name__ == "__main__":
    sys.exit(main())
