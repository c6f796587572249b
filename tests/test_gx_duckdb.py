"""The two fixes that let GX's SQL engine validate a DuckDB file (flows/quality/gx_duckdb.py).

Each fix is shown needed (a fresh process without it fails the way the pinned versions fail)
and sufficient (with it, the same checks pass). A version change of GX or duckdb-engine fails
here first: then re-check whether the fixes are still right, or still needed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import duckdb
import pytest

from flows.quality import gx_duckdb

# Builds a small DuckDB file and validates it with a null check and a regex check; prints what
# GX said about each. argv[1]: the file; argv[2]: "fixed" (both fixes), "buffered" (only the
# first) or "plain" (none).
CHECK = """
import json, sys
import great_expectations as gx
from flows.quality import gx_duckdb
from great_expectations.execution_engine.sqlalchemy_execution_engine import (
    SqlAlchemyExecutionEngine,
)
if sys.argv[2] == "fixed":
    gx_duckdb.install()
elif sys.argv[2] == "buffered":
    gx_duckdb.buffer_results(SqlAlchemyExecutionEngine)
context = gx.get_context(mode="ephemeral")
source = context.data_sources.add_sql("check", connection_string="duckdb:///" + sys.argv[1])
batch = source.add_table_asset("t", table_name="t").add_batch_definition_whole_table("b")
suite = context.suites.add(gx.ExpectationSuite(name="s", expectations=[
    gx.expectations.ExpectColumnValuesToNotBeNull(column="word"),
    gx.expectations.ExpectColumnValuesToMatchRegex(column="word", regex="^[a-z]+$"),
]))
outcome = batch.get_batch().validate(suite, result_format="BASIC")
said = {}
for result in outcome.results:
    info = result.exception_info or {}
    messages = [v.get("exception_message") for v in info.values() if isinstance(v, dict)]
    messages.append(info.get("exception_message"))
    said[result.expectation_config.type] = {
        "success": bool(result.success),
        "unexpected": result.result.get("unexpected_count"),
        "error": " ".join(str(m) for m in messages if m),
    }
source.get_execution_engine().engine.dispose()
source.get_engine().dispose()
print(json.dumps(said))
"""


def run_check(tmp_path: Path, mode: str) -> dict[str, dict[str, object]]:
    database = tmp_path / f"{mode}.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create table t as select * from (values ('alpha'), ('Beta')) v(word)")
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(database), mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    said: dict[str, dict[str, object]] = json.loads(done.stdout.strip().splitlines()[-1])
    return said


def test_the_fixes_are_for_the_pinned_versions() -> None:
    assert version("great-expectations") == gx_duckdb.GX_VERSION
    assert version("duckdb-engine") == gx_duckdb.DUCKDB_ENGINE_VERSION


@pytest.mark.slow
def test_without_the_fixes_gx_fails_on_duckdb(tmp_path: Path) -> None:
    said = run_check(tmp_path, "plain")
    null_check = said["expect_column_values_to_not_be_null"]
    regex_check = said["expect_column_values_to_match_regex"]
    assert not null_check["success"] and "list index out of range" in str(null_check["error"])
    assert not regex_check["success"] and regex_check["unexpected"] is None


@pytest.mark.slow
def test_with_buffered_results_only_regex_checks_fail_on_duckdb(tmp_path: Path) -> None:
    said = run_check(tmp_path, "buffered")
    assert said["expect_column_values_to_not_be_null"]["success"]
    regex_check = said["expect_column_values_to_match_regex"]
    assert not regex_check["success"]
    assert "Regex is not supported for dialect duckdb" in str(regex_check["error"])


def test_with_the_fixes_gx_checks_duckdb(tmp_path: Path) -> None:
    said = run_check(tmp_path, "fixed")
    assert said["expect_column_values_to_not_be_null"] == {
        "success": True,
        "unexpected": 0,
        "error": "",
    }
    # 'Beta' breaks the regex: the check ran in DuckDB and found exactly that row.
    assert said["expect_column_values_to_match_regex"] == {
        "success": False,
        "unexpected": 1,
        "error": "",
    }


# Imports GX and duckdb-engine as a validation does; argv[1]: "command" to set up stderr as
# the command line does.
EXIT = """
import sys
if sys.argv[1] == "command":
    from flows.commands.console import quiet_libraries
    quiet_libraries()
import duckdb_engine
import great_expectations
print("said before exit", file=sys.stderr)
"""


def exit_noise(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", EXIT, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return done.stderr


@pytest.mark.slow
def test_a_plain_process_ends_with_leak_reports() -> None:
    assert "nanobind: leaked" in exit_noise("plain")


def test_a_command_ends_with_only_what_it_said() -> None:
    assert exit_noise("command") == "said before exit\n"


def test_a_reused_data_source_sees_the_replaced_table(tmp_path: Path) -> None:
    """One data source validates the same table twice, its rows replaced in between (as a
    runner reuses its data source): the second validation counts the new rows, and the table's
    columns were reflected once."""
    import great_expectations as gx

    gx_duckdb.install()
    database = tmp_path / "reused.duckdb"

    def write(words: list[str | None]) -> None:
        with duckdb.connect(str(database)) as connection:
            connection.execute("create or replace table t (word varchar)")
            connection.executemany("insert into t values (?)", [(w,) for w in words])

    write(["a", "b"])
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_sql("reused", connection_string=f"duckdb:///{database}")
    batch = source.add_table_asset("t", table_name="t").add_batch_definition_whole_table("b")
    suite = context.suites.add(
        gx.ExpectationSuite(
            name="s", expectations=[gx.expectations.ExpectColumnValuesToNotBeNull(column="word")]
        )
    )

    def release() -> None:
        gx_duckdb.forget_metrics(source.get_execution_engine())
        source.get_execution_engine().engine.dispose()
        source.get_engine().dispose()

    def counts() -> tuple[object, object]:
        outcome = batch.get_batch().validate(suite, result_format="BASIC")
        release()
        result = outcome.results[0].result
        return result.get("element_count"), result.get("unexpected_count")

    release()
    assert counts() == (2, 0)
    write(["a", None, None, "c"])
    assert counts() == (4, 2)
    assert list(source.get_execution_engine().__dict__["_newswire_columns"]) == [(None, "t")]
