"""Validation at scale: a big batch is validated in chunk groups and the results merged.

Merging must keep every failure, add up unexpected counts and not let an empty group hide
the details of a group with rows.
"""

from __future__ import annotations

from flows.validate import NO_ROWS, DqResult, merge_results


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
