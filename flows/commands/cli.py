"""The ``newswire`` command line: run the flow, regenerate the report, inspect the warehouse."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from flows.orchestration.prefect_env import configure_prefect

# Before any import below brings Prefect in: it reads its settings (home folder, the server's
# start-up timeout) once, when imported; set later, a first run timed out after Prefect's
# default 20 s while the ephemeral server migrated its database.
if sys.argv[1:2] == ["serve"]:
    # `serve` runs in the foreground: its console shows the runs it starts.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "INFO")
configure_prefect()

from flows.commands.console import (  # noqa: E402
    hide_expected_failures,
    one_line,
    print_summary,
    quiet_libraries,
)
from flows.commands.operator import FORMATS  # noqa: E402
from flows.commands.serve import DEFAULT_CRON, DEPLOYMENT_NAME  # noqa: E402
from flows.settings import (  # noqa: E402
    DEFAULT_DASK_WORKERS,
    DEFAULT_INPUT,
    DEFAULT_WAREHOUSE,
    RUNNERS,
    WarehouseLayout,
)

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
        help=(
            "rebuild every data table from the input instead of loading only new files "
            "(the model reads only text it has not read before)"
        ),
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
        "--expectations",
        type=Path,
        metavar="DIR",
        help="validate with the suites in DIR instead of expectations/ (e.g. stricter ones)",
    )
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
        description=(
            "Show the warehouse's last runs, table sizes, run lock and Parquet store. "
            f"Exit {EXIT_FAILED} when news.duckdb is damaged or cannot be read."
        ),
    )
    _add_warehouse(status)
    status.add_argument(
        "--runs", type=int, default=5, metavar="N", help="how many runs to list (default: 5)"
    )

    from flows.commands.operator import add_width_options  # --wide, --max-width

    sql = commands.add_parser(
        "sql",
        help="run one read-only SQL query against the warehouse and print the result",
        description=(
            "Run QUERY on a read-only connection to news.duckdb (it never blocks a run) "
            "and print the result. Only SELECT, EXPLAIN and PRAGMA statements run; files "
            "other than the warehouse's Parquet store (<warehouse>/parquet) cannot be read, "
            "and nothing can be written."
        ),
    )
    sql.add_argument(
        "query", metavar="QUERY", help="the SQL to run, e.g. 'select count(*) from articles'"
    )
    _add_warehouse(sql)
    sql.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (default: table; csv and json always carry the full text)",
    )
    add_width_options(sql)

    shell = commands.add_parser(
        "shell",
        help="open an interactive read-only SQL shell on the warehouse",
        description=(
            "Open a read-only SQL prompt on news.duckdb, sandboxed like 'newswire sql' "
            "(.help lists its commands)."
        ),
    )
    _add_warehouse(shell)
    add_width_options(shell)

    report = commands.add_parser(
        "report",
        help="regenerate the data-quality report from the warehouse",
        description="Write <warehouse>/reports/index.html from the warehouse as it is now.",
    )
    _add_warehouse(report)

    evaluate = commands.add_parser(
        "eval",
        help="audit entity ids: names that differ only by case, punctuation or legal suffix",
        description=(
            "Read the warehouse (read-only) and print how many entities it holds, how many ids "
            "the archive-level merges retired, and the merged-names count: ids of one type "
            "whose names differ only by case, punctuation, a possessive or a legal suffix "
            "('Apple Inc.' / 'Apple'), which should be one entity. "
            f"Exit {EXIT_FAILED} when news.duckdb cannot be read."
        ),
    )
    _add_warehouse(evaluate)
    evaluate.add_argument(
        "--show",
        type=int,
        default=20,
        metavar="N",
        help="how many groups of split names to list (default: 20)",
    )

    restore = commands.add_parser(
        "restore",
        help="rebuild a damaged news.duckdb from the newest complete Parquet snapshot",
        description=(
            "Rebuild news.duckdb from the newest complete Parquet snapshot of the warehouse "
            "(every table as that snapshot holds it); the damaged file is kept beside it as "
            "news.damaged-<time>.duckdb. Takes the run lock, so no run writes meanwhile."
        ),
    )
    _add_warehouse(restore)
    restore.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS", help="wait for a run to finish"
    )

    server = commands.add_parser(
        "server",
        help="start, stop or show the local Prefect server that runs and schedules use",
        description=(
            "newswire run and newswire serve use a local Prefect server (database in .prefect/), "
            "started for you when none is running and reused by later commands; its UI shows "
            "every run. PREFECT_API_URL, when set, names another server and none is started."
        ),
    )
    server.add_argument("action", choices=("start", "stop", "status"), help="what to do")
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


def command_run(arguments: argparse.Namespace) -> int:
    """Run the flow and turn its outcome into an exit code and a one-line reason."""
    if not arguments.input.is_dir():
        print(f"newswire: input folder does not exist: {arguments.input}", file=sys.stderr)
        return EXIT_FAILED
    from flows.quality import helper_process
    from flows.settings import EXPECTATIONS_DIR

    # The validation helper imports GX and sets up the run's suites while Prefect starts.
    helper_process.warm_up(arguments.expectations or EXPECTATIONS_DIR)
    if not _connect_prefect():
        return EXIT_FAILED
    from flows.orchestration import progress
    from flows.orchestration.summary import RunSummary
    from flows.pipeline import DataQualityError, newswire_run
    from flows.store.lock import WarehouseBusyError

    hide_expected_failures(DataQualityError, WarehouseBusyError)
    quiet_libraries()  # after Prefect's import, which configures logging and would reset the levels
    # SIGTERM (systemd, timeout, kill) unwinds like an exception, so the temporary Prefect
    # server is stopped at exit instead of being left running. The warehouse is safe either way.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
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
            expectations_dir=str(arguments.expectations) if arguments.expectations else None,
            return_state=True,
        )
    except Exception as error:  # Prefect could not start the flow run (its API went away)
        print(f"newswire: run failed: {one_line(error)}", file=sys.stderr)
        return EXIT_FAILED
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
    print(f"newswire: run failed: {one_line(result)}", file=sys.stderr)
    return EXIT_FAILED


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _connect_prefect() -> bool:
    """Point Prefect at a real server (started or reused) before it is imported; False after
    saying in one line why none could be had."""
    from flows.orchestration.server import ServerError, connect

    try:
        connect()
    except (ServerError, OSError) as error:
        print(f"newswire: no Prefect server: {one_line(error)}", file=sys.stderr)
        return False
    return True


def command_server(arguments: argparse.Namespace) -> int:
    """Start, stop or show the local Prefect server."""
    from flows.orchestration.server import (
        ServerError,
        ensure_server,
        prefect_home,
        running_server,
        stop_server,
    )

    home = prefect_home()
    if arguments.action == "stop":
        stopped = stop_server(home)
        print(f"stopped the Prefect server at {stopped.ui_url}" if stopped else "no server running")
        return EXIT_OK
    if arguments.action == "start":
        try:
            state = ensure_server(home)
        except ServerError as error:
            print(f"newswire: {one_line(error)}", file=sys.stderr)
            return EXIT_FAILED
    else:
        found = running_server(home)
        if found is None:
            print("no server running; `newswire run` or `newswire server start` starts one")
            return EXIT_OK
        state = found
    print(f"Prefect server (pid {state.pid}) at {state.ui_url}; API {state.api_url}")
    return EXIT_OK


def command_restore(arguments: argparse.Namespace) -> int:
    """Rebuild news.duckdb from the newest complete Parquet snapshot, under the run lock."""
    from flows.store.lock import WarehouseBusyError, run_lock
    from flows.store.restore import NothingToRestoreError, restore

    layout = WarehouseLayout(arguments.warehouse)
    try:
        with run_lock(layout.lock, arguments.wait):
            snapshot, rows = restore(layout)
    except WarehouseBusyError as error:
        print(f"newswire: {error}", file=sys.stderr)
        return EXIT_BUSY
    except NothingToRestoreError as error:
        print(f"newswire: cannot restore: {error}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        print(f"newswire: cannot restore: {one_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"restored {layout.database} from snapshot {snapshot.name}")
    for table, count in rows.items():
        print(f"  {table:<16} {count:>10,} rows")
    return EXIT_OK


def command_serve(arguments: argparse.Namespace) -> int:
    """Register the scheduled deployment and serve its runs until interrupted."""
    from flows.commands.serve import deployment_parameters, serve

    if not arguments.input.is_dir():
        print(f"newswire: input folder does not exist: {arguments.input}", file=sys.stderr)
        return EXIT_FAILED
    if not _connect_prefect():
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
    print(f"newswire: runs and their logs show in the Prefect UI at {_ui_url()}", flush=True)
    serve(arguments.cron, parameters, name=arguments.name)
    return EXIT_OK


def _ui_url() -> str:
    return os.environ.get("PREFECT_API_URL", "").removesuffix("/api") or "(no server)"


def command_status(arguments: argparse.Namespace) -> int:
    """Print the warehouse's state; one line and a failure when news.duckdb cannot be read."""
    from flows.commands.operator import status

    problem = status(WarehouseLayout(arguments.warehouse), sys.stdout, runs=arguments.runs)
    if problem is not None:
        print(f"newswire: {problem}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def command_eval(arguments: argparse.Namespace) -> int:
    """Print the entity audit; one line and a failure when news.duckdb cannot be read."""
    import duckdb

    from flows.commands.operator import entity_audit, error_line
    from flows.quality.entity_audit import write_audit

    try:
        audit = entity_audit(WarehouseLayout(arguments.warehouse))
    except (duckdb.Error, OSError) as error:
        print(f"newswire: {error_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    write_audit(audit, sys.stdout, show=max(arguments.show, 0))
    return EXIT_OK


def command_sql(arguments: argparse.Namespace) -> int:
    """Run a query that only reads on the sandboxed connection and print its results."""
    import duckdb

    from flows.commands.operator import (
        RefusedStatement,
        cell_width,
        error_line,
        read_only,
        run_statements,
        write_result,
    )

    try:
        with read_only(WarehouseLayout(arguments.warehouse)) as connection:
            results = run_statements(connection, arguments.query)
    except (duckdb.Error, RefusedStatement, OSError) as error:
        print(f"newswire: {error_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    for columns, rows in results:
        write_result(columns, rows, sys.stdout, arguments.format, cell_width(arguments))
    return EXIT_OK


def command_shell(arguments: argparse.Namespace) -> int:
    """Open the read-only shell."""
    from flows.commands.operator import cell_width, shell

    return shell(WarehouseLayout(arguments.warehouse), cell_width(arguments))


def command_report(arguments: argparse.Namespace) -> int:
    """Regenerate the report page."""
    from flows.report import write_report

    warehouse = WarehouseLayout(arguments.warehouse)
    if not warehouse.database.exists():
        print(
            f"newswire: no warehouse at {warehouse.database}; run 'newswire run' first",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(write_report(warehouse))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newswire`` console script."""
    arguments = build_parser().parse_args(argv)
    handlers = {
        "run": command_run,
        "restore": command_restore,
        "server": command_server,
        "report": command_report,
        "serve": command_serve,
        "status": command_status,
        "eval": command_eval,
        "sql": command_sql,
        "shell": command_shell,
    }
    try:
        code = handlers[arguments.command](arguments)
    except BrokenPipeError:  # `newswire status | head`: the reader stopped reading, fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
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
