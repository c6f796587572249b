"""The newswire data-quality report: one offline HTML page drawn from the DuckDB warehouse."""

from flows.report.page import write_report

__all__ = ["write_report"]
