"""``report.html``: one self-contained page to review a run at a glance.

The page shows the run's summary, each source page's original text beside the stories cut
from it (with every removed, joined, rewritten or converted character marked), each
duplicate cluster with a character diff between the kept copy and each removed one, and
the quarantine list. It is rendered with Jinja2 (autoescape on: everything taken from the
input is escaped) from ``templates/report.html.j2``.

The file is self-contained and deterministic: no network (a Content-Security-Policy forbids
any fetch), no external fonts, scripts or styles, no timestamps and no per-run timings
(they vary from run to run; they belong in ``run.json``), dict items in sorted order. The
same input renders byte-identical HTML.

Memory and size are bounded by the caller, which passes at most ``output.report_pages``
pages and ``output.report_clusters`` clusters, and by ``pipeline.report.panels``, which
builds what each page and cluster panel shows within ``PAGE_CHARS`` and ``DIFF_CHARS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import jinja2

from pipeline.report.markdown import format_count, summary_tables
from pipeline.report.marks import CLEANING_TITLES
from pipeline.report.panels import (
    CUT_KEY,
    DIFF_CHARS,
    PAGE_CHARS,
    ClusterView,
    PageView,
    cluster_panel,
    page_panel,
)

__all__ = ["CUT_KEY", "PAGE_CHARS", "ClusterView", "PageView", "render_html"]


def _quarantine_row(record: Mapping[str, Any]) -> dict[str, Any]:
    row = {"path": "", "reason": "", "stage": "", "offset": None, "bytes": 0, "chars": 0}
    row.update({k: v for k, v in record.items() if k in row or k == "detail"})
    row.setdefault("detail", "")
    return row


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = format_count
    return env


def render_html(
    report: Mapping[str, Any],
    pages: Sequence[PageView],
    clusters: Sequence[ClusterView],
    quarantine: Sequence[Mapping[str, Any]],
    *,
    page_chars: int = PAGE_CHARS,
    total_pages: int | None = None,
    total_clusters: int | None = None,
    total_quarantine: int | None = None,
) -> str:
    """Render ``report.html``: one self-contained, deterministic page for review.

    Args:
        report: the content of ``report.json``.
        pages: the pages to show, in input order (the caller caps them:
            ``output.report_pages``).
        clusters: the duplicate clusters to show (capped by ``output.report_clusters``).
        quarantine: ``quarantine.jsonl`` records, in order.
        page_chars: original characters rendered per page; the rest is counted, not shown.
        total_pages, total_clusters, total_quarantine: how many there are in the whole run,
            when the caller passed fewer; the page then says what it left out.

    >>> html = render_html({}, [], [ClusterView({"id": "a-s01", "text": "尤溪县总工会"},
    ...     [{"id": "b-s01", "text": "尤溪县总工会<b>", "duplicate_of": "a-s01"}])], [])
    >>> "<b>" in html, "&lt;b&gt;" in html
    (False, True)
    """
    used: set[str] = set()
    cluster_models = [cluster_panel(c, used) for c in clusters]
    anchors: dict[str, str] = {}
    for view, model in zip(clusters, cluster_models, strict=True):
        anchors[model.kept_id] = model.anchor
        for record in view.removed:
            anchors[str(record.get("id", ""))] = model.anchor
    page_models = [page_panel(view, anchors, page_chars, used) for view in pages]
    stories = (report.get("accounting") or {}).get("stories") or {}
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            summary=summary_tables(report),
            pages=page_models,
            clusters=cluster_models,
            quarantine=[_quarantine_row(q) for q in quarantine],
            page_chars=page_chars,
            diff_chars=DIFF_CHARS,
            total_pages=len(pages) if total_pages is None else total_pages,
            total_clusters=len(clusters) if total_clusters is None else total_clusters,
            total_quarantine=len(quarantine) if total_quarantine is None else total_quarantine,
            removed_stories=stories.get("duplicates", sum(len(c.removed) for c in clusters)),
            legend=list(CLEANING_TITLES.items()),
        )
    )
