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
pages and ``output.report_clusters`` clusters sampled across the run, by
``pipeline.report.panels``, which builds what each page and cluster panel shows within
``PAGE_CHARS`` and ``DIFF_CHARS``, and by :func:`render_html`, which stops at
``output.report_bytes`` and says what it left out.
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


REPORT_BYTES = 2_000_000  # proposed default of output.report_bytes
OPEN_CLUSTERS = 10  # clusters shown unfolded; the rest are one click away


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
    budget: int = REPORT_BYTES,
) -> str:
    """Render ``report.html``: one self-contained, deterministic page for review.

    Panels are built and rendered one at a time, clusters first (up to half of what the
    budget leaves after the summary, more if the pages need less), then pages, and the
    first panel that would take the file past ``budget`` bytes ends each list: what is
    left out is counted and said on the page. So the work and the size stay bounded
    whatever the run, and the panels not shown are never marked at all.

    Args:
        report: the content of ``report.json``.
        pages: the pages to show, in input order (the caller samples them:
            ``output.report_pages``).
        clusters: the duplicate clusters to show (sampled: ``output.report_clusters``).
        quarantine: ``quarantine.jsonl`` records, in order.
        page_chars: original characters rendered per page; the rest is counted, not shown.
        total_pages, total_clusters, total_quarantine: how many there are in the whole run,
            when the caller passed fewer; the page then says what it left out.
        budget: the most bytes the file may take (``output.report_bytes``).

    >>> html = render_html({}, [], [ClusterView({"id": "a-s01", "text": "尤溪县总工会"},
    ...     [{"id": "b-s01", "text": "尤溪县总工会<b>", "duplicate_of": "a-s01"}])], [])
    >>> "<b>" in html, "&lt;b&gt;" in html
    (False, True)
    """
    env = _environment()
    macros: Any = env.get_template("panels.html.j2").module
    stories = (report.get("accounting") or {}).get("stories") or {}
    context: dict[str, Any] = {
        "summary": summary_tables(report),
        "quarantine": [_quarantine_row(q) for q in quarantine],
        "page_chars": page_chars,
        "diff_chars": DIFF_CHARS,
        "total_pages": len(pages) if total_pages is None else total_pages,
        "total_clusters": len(clusters) if total_clusters is None else total_clusters,
        "total_quarantine": len(quarantine) if total_quarantine is None else total_quarantine,
        "removed_stories": stories.get("duplicates", sum(len(c.removed) for c in clusters)),
        "legend": list(CLEANING_TITLES.items()),
        "budget": budget,
    }
    template = env.get_template("report.html.j2")
    skeleton = _size(template.render(**context, **_panels([], [], [], [], 0, 0)))
    left = budget - skeleton
    used: set[str] = set()
    anchors: dict[str, str] = {}
    shown_clusters: list[Any] = []
    cluster_html: list[str] = []
    cluster_budget = left // 2 if pages else left
    for cluster in clusters:
        model = cluster_panel(cluster, used)
        html = macros.cluster(model, DIFF_CHARS, len(shown_clusters) < OPEN_CLUSTERS)
        if _size(html) > cluster_budget:
            break
        cluster_budget -= _size(html)
        left -= _size(html)
        shown_clusters.append(model)
        cluster_html.append(html)
        anchors[model.kept_id] = model.anchor
        for record in cluster.removed:
            anchors[str(record.get("id", ""))] = model.anchor
    shown_pages: list[Any] = []
    page_html: list[str] = []
    for view in pages:
        page = page_panel(view, anchors, page_chars, used)
        html = macros.page(page, page_chars, not shown_pages)
        index_row = _INDEX_ROW_BYTES + _size(page.view.page_id) + _size(page.view.source)
        if _size(html) + index_row > left:
            break
        left -= _size(html) + index_row
        shown_pages.append(page)
        page_html.append(html)
    panels = _panels(
        shown_clusters,
        cluster_html,
        shown_pages,
        page_html,
        len(clusters) - len(shown_clusters),
        len(pages) - len(shown_pages),
    )
    return template.render(**context, **panels)


_INDEX_ROW_BYTES = 400  # a page's row in the pages table, besides its id and source


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _panels(
    clusters: list[Any],
    cluster_html: list[str],
    pages: list[Any],
    page_html: list[str],
    clusters_left_out: int,
    pages_left_out: int,
) -> dict[str, Any]:
    return {
        "clusters": clusters,
        "cluster_panels": cluster_html,
        "pages": pages,
        "page_panels": page_html,
        "clusters_left_out": clusters_left_out,
        "pages_left_out": pages_left_out,
    }
