"""The books and the views of a run: accounting, report.md, report.html, explain and diff."""
