"""The books and the views of a run: accounting, report.md, report.html, explain and diff."""

from __future__ import annotations

from pipeline.report.accounting import report_data
from pipeline.report.markdown import render_markdown
from pipeline.report.review import OutputFolder, StoryNotFoundError, diff_outputs, explain
from pipeline.report.views import render_report

__all__ = [
    "OutputFolder",
    "StoryNotFoundError",
    "diff_outputs",
    "explain",
    "render_markdown",
    "render_report",
    "report_data",
]
