"""Validation at scale: a big batch is validated in chunk groups and the results merged.

Merging must keep every failure, add up unexpected counts and not let an empty group hide
the details of a group with rows.
"""

from __future__ import annotations

from flows.quality.suites import NO_ROWS, DqResult, checked_columns, merge_results


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


def test_checked_columns_are_the_named_ones_or_all() -> None:
    expectations = [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "article_id"}},
        {
            "type": "expect_column_pair_values_to_be_equal",
            "kwargs": {"column_A": "a", "column_B": "b"},
        },
        {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["a", "c"]}},
    ]
    assert checked_columns(expectations) == ["article_id", "a", "b", "c"]
    table_level = [{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}}]
    assert checked_columns([*expectations, *table_level]) is None


def test_checked_columns_include_the_row_condition_columns() -> None:
    conditional = {
        "type": "expect_column_values_to_be_between",
        "kwargs": {
            "column": "mean",
            "min_value": 1,
            "row_condition": {
                "type": "and",
                "conditions": [
                    {"type": "comparison", "column": {"name": "articles"}, "operator": ">="},
                    {"type": "comparison", "column": {"name": "kind"}, "operator": "=="},
                ],
            },
        },
    }
    assert checked_columns([conditional]) == ["mean", "articles", "kind"]
    query = {
        "type": "expect_column_values_to_be_null",
        "kwargs": {"column": "a", "row_condition": "b > 1"},
    }
    assert checked_columns([query]) is None
