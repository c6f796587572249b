"""Validation copies only the columns its suites and derived frames read from the staged
Parquet: the columns an expectation names, row conditions included."""

from __future__ import annotations

from flows.quality.suites import checked_columns


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
