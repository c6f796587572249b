"""What the command line shows: one line per failure, a short run summary, no library chatter."""

from __future__ import annotations

import atexit
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from flows.settings import WarehouseLayout

if TYPE_CHECKING:
    from flows.orchestration.summary import RunSummary


def quiet_libraries() -> None:
    """Keep library chatter out of what users see; errors still reach stderr once, briefly.

    The command prints its own one-line reason for a failure, so Prefect's copies of it (with
    tracebacks) and the temporary API server's shutdown noise are not shown again.
    """
    warnings.filterwarnings("ignore")
    # Once the command is over, the interpreter's teardown has nothing to tell users: DuckDB's
    # bindings report their type objects as 'leaked' there when GX and duckdb-engine were
    # imported (about 40 lines), and objects closed late print 'Exception ignored in ...'.
    atexit.register(_close_stderr)
    # Objects Prefect's log and event shippers leave to be closed at interpreter exit raise
    # there ('Exception ignored in: <coroutine object Response.aclose ...>'): Python prints such
    # exceptions, which nothing can catch, as tracebacks. The run is over and recorded by then.
    sys.unraisablehook = _ignore_unraisable
    # Prefect's API log shipper writes '--- Error logging to API ---' on stderr when a batch
    # of log lines cannot be sent at exit; it honours the stdlib's switch for handler errors.
    logging.raiseExceptions = False
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    for name in ("great_expectations", "httpx", "distributed", "asyncio"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # Prefect's event and log shippers draining at exit ("Still processing items", failed
    # flushes): about Prefect's bookkeeping, not the data.
    for name in (
        "prefect.events",
        "prefect._internal.concurrency",
        "EventsWorker",
        "APILogWorker",
    ):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # Prefect's console copies of a failure (with tracebacks): the command says it in one
    # line. Only the console handlers: the run's log lines still reach the Prefect API.
    for logger in (logging.getLogger(), *_prefect_loggers()):
        for handler in logger.handlers:
            if type(handler).__name__ == "PrefectConsoleHandler":
                handler.setLevel(logging.CRITICAL)
    # GX sets this module's logger to INFO when it is imported, later; a filter survives that.
    logging.getLogger("great_expectations.data_context.types.base").addFilter(
        lambda record: record.levelno >= logging.ERROR
    )


def _close_stderr() -> None:
    """Point stderr at /dev/null for the rest of the process, after flushing what was said."""
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stderr.fileno())
    os.close(devnull)


def _ignore_unraisable(unraisable: object) -> None:
    """Drop an exception Python could only print (raised in a finalizer or at exit)."""


def _prefect_loggers() -> list[logging.Logger]:
    return [
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("prefect") and isinstance(logger, logging.Logger)
    ]


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


def hide_expected_failures(*expected: type[BaseException]) -> None:
    """Install the filter where Prefect logs a flow run's exception and on its handlers."""
    hide = _HideExpectedFailures(expected)
    for name in ("prefect.flow_runs", "prefect.flow_engine", "prefect"):
        logger = logging.getLogger(name)
        logger.addFilter(hide)
        for handler in logger.handlers:
            handler.addFilter(hide)


def one_line(error: object) -> str:
    """A failure as one line: a stage's failure already names the stage and the cause."""
    if isinstance(error, BaseException) and type(error).__name__ == "RunFailedError":
        text = str(error)
    elif isinstance(error, BaseException):
        text = f"{type(error).__name__}: {error}"
    else:
        text = str(error)
    return " ".join(text.split())[:500]


def print_summary(summary: RunSummary, warehouse: Path) -> None:
    """A short table of what the run did: files, then each stage's rows and seconds."""
    from flows.commands.operator import render_table

    counts = summary.accounting
    print(f"newswire run {summary.run_id}: {summary.status}")
    for action in summary.recovered:
        print(f"  recovered from an interrupted run: {action}")
    print(
        f"  files seen {counts.files_seen:,}: new {counts.files_new:,}, "
        f"duplicate {counts.files_duplicate:,}, unchanged {counts.files_unchanged:,}, "
        f"rejected {counts.files_rejected:,}; articles loaded {summary.articles_loaded:,}"
    )
    if summary.quality_rejections:
        parts = ", ".join(
            f"{reason} {count:,}" for reason, count in summary.quality_rejections.items()
        )
        print(f"  stories rejected by data-quality checks: {parts}")
    rows = [(name, round(seconds, 2)) for name, seconds in summary.stage_seconds.items()]
    rows.append(("total", round(sum(summary.stage_seconds.values()), 2)))
    print("  " + render_table(["stage", "seconds"], rows).replace("\n", "\n  "))
    print(f"  warehouse: {WarehouseLayout(warehouse.resolve()).database}")
    if summary.report_path is not None:
        print(f"  report: {summary.report_path}")
