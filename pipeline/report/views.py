"""Gather what ``report.html`` shows from an output folder, within fixed limits.

:func:`load_views` streams ``corpus.jsonl`` and ``duplicates.jsonl`` and keeps only
``max_pages`` pages and ``max_clusters`` duplicate clusters, picked evenly across the run
(a reviewer sees the middle and the end of a run, not only its first files); the original text of
those pages is decoded again from the input files, with the codec the run recorded. So
the run needs to carry no page text to the end: it calls :func:`render_report` once its
output files are written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.config import EncodingConfig
from pipeline.errors import DecodeError
from pipeline.io import FormatError, input_kind, read_input_bytes
from pipeline.report.html import CUT_KEY, REPORT_BYTES, ClusterView, PageView, render_html
from pipeline.report.review import OutputFolder
from pipeline.text import decode_bytes, repair_mojibake

REPORT_PAGES = 50  # proposed default of output.report_pages
REPORT_CLUSTERS = 200  # proposed default of output.report_clusters
REPORT_QUARANTINE = 1_000  # quarantine rows shown
REPORT_COPIES = 20  # removed copies shown per cluster

ORIGINAL_BYTES = 64 << 20  # a larger page is shown without its original
# Story text held per record: the report shows far less (html.PAGE_CHARS, html.DIFF_CHARS),
# and 50 pages of a 200 MB one-line file would otherwise be held whole.
HELD_CHARS = 1 << 20
_STORY_NUMBER_RE = re.compile(r"-s(\d+)$")


@dataclass(frozen=True, slots=True)
class ReportViews:
    """What render_html takes, and how much there is in the whole run."""

    pages: list[PageView]
    clusters: list[ClusterView]
    quarantine: list[dict[str, Any]]
    total_pages: int
    total_clusters: int
    total_quarantine: int


class Sample:
    """At most ``limit`` items of a stream, spread evenly over it in one pass: every
    ``stride``-th item is kept, and the stride doubles (every other kept item is let go)
    whenever more than ``limit`` are kept. Deterministic: the stream's order decides.

    >>> sample = Sample(2)
    >>> [sample.offer(key, None) for key in "abcde"]
    [True, True, True, False, True]
    >>> list(sample.items)
    ['a', 'e']
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.stride = 1
        self.seen = 0
        self.items: dict[str, Any] = {}
        self._index: dict[str, int] = {}

    def offer(self, key: str, value: Any) -> bool:
        """Count ``key`` in; keep it with ``value`` if it falls on the stride."""
        index, self.seen = self.seen, self.seen + 1
        if not self.limit or index % self.stride:
            return False
        self.items[key], self._index[key] = value, index
        while len(self.items) > self.limit:
            self.stride *= 2
            dropped = [k for k, i in self._index.items() if i % self.stride]
            for k in dropped:
                del self.items[k], self._index[k]
        return True


def load_views(
    folder: OutputFolder,
    *,
    input_root: Path | None,
    encoding: EncodingConfig | None = None,
    max_pages: int = REPORT_PAGES,
    max_clusters: int = REPORT_CLUSTERS,
    max_quarantine: int = REPORT_QUARANTINE,
) -> ReportViews:
    """At most ``max_pages`` pages and ``max_clusters`` clusters of a run, picked evenly
    across it (:class:`Sample`; pages in corpus order, then pages whose stories were all
    removed; clusters in duplicates order), and its quarantine list.

    ``input_root`` is where the run read its input (None: pages are shown without their
    original text); ``encoding`` the run's ``[encoding]`` config, for decoding it again.
    """
    pages = Sample(max_pages)
    parents: set[str] = set()
    for record in map(_held, folder.records("corpus.jsonl")):
        parent = _parent(record)
        if parent in pages.items:
            pages.items[parent].append(record)
        elif parent not in parents:
            parents.add(parent)
            pages.offer(parent, [record])
    clusters = Sample(max_clusters)
    cluster_ids: set[str] = set()
    for record in map(_held, folder.records("duplicates.jsonl")):
        parent = _parent(record)
        if parent in pages.items:
            pages.items[parent].append(record)
        elif parent not in parents:
            parents.add(parent)
            pages.offer(parent, [record])
        kept = str(record.get("duplicate_of"))
        if kept in clusters.items:
            if len(clusters.items[kept]) < REPORT_COPIES:
                clusters.items[kept].append(record)
        elif kept not in cluster_ids:
            cluster_ids.add(kept)
            clusters.offer(kept, [record])
    kept_records = _find(folder, set(clusters.items))
    cluster_views = [
        ClusterView(kept_records.get(kept, {"id": kept, "text": "", "metadata": {}}), copies)
        for kept, copies in clusters.items.items()
    ]
    quarantine: list[dict[str, Any]] = []
    total_quarantine = 0
    for q in folder.records("quarantine.jsonl"):
        total_quarantine += 1
        if len(quarantine) < max_quarantine:
            quarantine.append(q)
    return ReportViews(
        pages=[
            _page(parent, stories, input_root, encoding) for parent, stories in pages.items.items()
        ],
        clusters=cluster_views,
        quarantine=quarantine,
        total_pages=len(parents),
        total_clusters=len(cluster_ids),
        total_quarantine=total_quarantine,
    )


def render_report(
    folder: OutputFolder,
    *,
    input_root: Path | None,
    encoding: EncodingConfig | None = None,
    max_pages: int = REPORT_PAGES,
    max_clusters: int = REPORT_CLUSTERS,
    budget: int = REPORT_BYTES,
) -> str:
    """``report.html`` for an output folder: :func:`load_views` then ``render_html``,
    within ``budget`` bytes (``output.report_bytes``)."""
    views = load_views(
        folder,
        input_root=input_root,
        encoding=encoding,
        max_pages=max_pages,
        max_clusters=max_clusters,
    )
    return render_html(
        folder.report(),
        views.pages,
        views.clusters,
        views.quarantine,
        total_pages=views.total_pages,
        total_clusters=views.total_clusters,
        total_quarantine=views.total_quarantine,
        budget=budget,
    )


def encoding_config(report: Mapping[str, Any]) -> EncodingConfig | None:
    """The ``[encoding]`` config a run recorded in its report.json (None if absent)."""
    section = (report.get("config") or {}).get("encoding")
    if not isinstance(section, Mapping):
        return None
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in section.items()}
    return replace(EncodingConfig(), **values)


def _held(record: dict[str, Any]) -> dict[str, Any]:
    text = record.get("text")
    if isinstance(text, str) and len(text) > HELD_CHARS:
        record["text"] = text[:HELD_CHARS]
        record[CUT_KEY] = len(text) - HELD_CHARS  # still counted as not shown
    return record


def _parent(record: Mapping[str, Any]) -> str:
    meta = record.get("metadata") or {}
    parent = meta.get("parent_id")
    return str(parent) if parent else str(record.get("id"))


def _find(folder: OutputFolder, ids: set[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for _, record in folder.stories():
        if len(found) == len(ids):
            break  # kept copies are in corpus.jsonl: duplicates.jsonl is rarely read
        if record.get("id") in ids:
            found.setdefault(str(record["id"]), _held(record))
    return found


def _order(record: Mapping[str, Any]) -> tuple[int, int, str]:
    span = (record.get("metadata") or {}).get("line_span")
    first = span[0] if isinstance(span, list) and span and isinstance(span[0], int) else 1 << 30
    m = _STORY_NUMBER_RE.search(str(record.get("id")))
    return first, int(m.group(1)) if m else 0, str(record.get("id"))


def _page(
    parent: str,
    stories: list[dict[str, Any]],
    input_root: Path | None,
    encoding: EncodingConfig | None,
) -> PageView:
    stories = sorted(stories, key=_order)
    meta = stories[0].get("metadata") or {}
    return PageView(
        page_id=parent,
        source=str(meta.get("source", "")),
        encoding=str(meta.get("encoding", "")),
        encoding_method=str(meta.get("encoding_method", "")),
        script=str(meta.get("script", "")),
        original=_original(meta, input_root, encoding),
        stories=stories,
    )


def _original(
    meta: Mapping[str, Any], input_root: Path | None, encoding: EncodingConfig | None
) -> str | None:
    """The page as the run decoded it, or None when that cannot be had again for sure."""
    source = str(meta.get("source", ""))
    if input_root is None or not source or input_kind(source)[0] != "text":
        return None  # records (JSONL, Parquet) have no page file to show
    cfg = encoding or EncodingConfig()
    try:
        data = read_input_bytes(input_root / source, ORIGINAL_BYTES, source)
        method = meta.get("encoding_method")
        folder_codec = str(meta.get("encoding")) if method == "folder" else None
        decoded = decode_bytes(data, cfg, folder_codec)
    except (OSError, FormatError, DecodeError):
        return None
    if decoded.encoding != meta.get("encoding"):
        return None  # the input changed since the run: do not show a wrong original
    steps = meta.get("steps") or []
    return repair_mojibake(decoded.text) if "repair_mojibake" in steps else decoded.text
