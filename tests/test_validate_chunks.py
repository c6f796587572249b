"""Validation at scale: masked reference checks and results merged over chunks.

The suites' reference checks (every paragraph's article among the batch's articles) are run on
a masked column rather than with the id list; these tests pin that the outcome reads exactly as
an unmasked check would, and that merging chunk results keeps every failure.
"""

from __future__ import annotations

import pandas as pd

from flows.validate import NO_ROWS, DqResult, SuiteRunner, checked_columns, merge_results

REFERENCE_SUITE = {
    "name": "paragraphs",
    "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "article_id"}},
        {
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "article_id", "value_set": {"$PARAMETER": "batch_article_ids"}},
        },
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "position", "min_value": 1, "max_value": None},
        },
    ],
}


def test_reference_check_reports_the_orphans_by_value() -> None:
    runner = SuiteRunner({"paragraphs": REFERENCE_SUITE})
    frame = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "orphan-7", "a2", None],
            "position": pd.array([1, 2, 1, 1, 1], dtype="int32"),
            "text": ["x"] * 5,
        }
    )
    results = runner.run({"paragraphs": frame}, {"batch_article_ids": ["a1", "a2"]})
    by_name = {result.expectation: result for result in results}
    reference = by_name["expect_column_values_to_be_in_set(article_id)"]
    assert not reference.success
    assert reference.unexpected_count == 1
    assert reference.details is not None and "orphan-7" in reference.details
    assert by_name["expect_column_values_to_not_be_null(article_id)"].unexpected_count == 1
    assert by_name["expect_column_values_to_be_between(position)"].success

    clean = frame[frame["article_id"] != "orphan-7"].dropna()
    again = runner.run({"paragraphs": clean}, {"batch_article_ids": ["a1", "a2"]})
    assert all(result.success for result in again)


def test_checked_columns_are_the_named_ones_or_all() -> None:
    assert checked_columns(REFERENCE_SUITE["expectations"]) == ["article_id", "position"]
    table_level = [{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}}]
    assert checked_columns(table_level) is None


def result(expectation: str, success: bool, count: int | None, details: str | None) -> DqResult:
    return DqResult("articles", expectation, success, count, details, "error")


def test_merged_results_fail_when_any_chunk_failed_and_add_counts() -> None:
    first = [result("unique(a)", True, 0, None), result("mean(b)", True, None, "observed: 2")]
    second = [result("unique(a)", False, 3, "sample: x"), result("mean(b)", True, None, "ob: 3")]
    third = [result("unique(a)", True, 0, NO_ROWS), result("mean(b)", True, 0, NO_ROWS)]
    merged = merge_results([first, second, third])
    assert merged == [
        result("unique(a)", False, 3, "sample: x"),
        result("mean(b)", True, 0, "observed: 2"),
    ]


def test_an_empty_first_chunk_does_not_hide_later_details() -> None:
    merged = merge_results(
        [[result("mean(b)", True, 0, NO_ROWS)], [result("mean(b)", True, None, "observed: 4")]]
    )
    assert merged == [result("mean(b)", True, 0, "observed: 4")]
