"""What each panel of ``report.html`` shows: a source page beside the stories cut from it,
and a duplicate cluster's kept copy beside each removed one, every change marked.

``report.views`` gathers the inputs (:class:`PageView`, :class:`ClusterView`) from an
output folder; :func:`page_panel` and :func:`cluster_panel` turn them into the models the
template renders, within :data:`PAGE_CHARS` (characters rendered per page: of its
original, or of its stories when it has none) and :data:`DIFF_CHARS` (characters compared
per copy).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from pipeline.document import PRINTED
from pipeline.report.marks import mark_pair, mark_removed
from pipeline.text import LINE_BREAK_RE

PAGE_CHARS = 20_000  # characters rendered per page (original, or stories); the rest is summarised
DIFF_CHARS = 10_000  # characters of each copy compared in a cluster diff

# Characters a caller left out of a story record's text before rendering (views.py holds at
# most HELD_CHARS of each): they count as not shown.
CUT_KEY = "_cut_chars"


@dataclass(frozen=True, slots=True)
class PageView:
    """One source page as the report shows it.

    ``original`` is the decoded text before any cleaning (None when it is not available,
    e.g. a record read from JSONL: the stories are then shown without marks). ``stories``
    are the corpus and duplicate records cut from this page, in page order, exactly as
    written to ``corpus.jsonl`` / ``duplicates.jsonl`` (a removed copy has ``duplicate_of``).
    """

    page_id: str
    source: str
    encoding: str
    encoding_method: str
    script: str
    original: str | None
    stories: Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class ClusterView:
    """A duplicate cluster: the kept record and the records removed as its copies."""

    kept: Mapping[str, Any]
    removed: Sequence[Mapping[str, Any]]


_SAFE_ANCHOR_RE = re.compile(r"[A-Za-z0-9_.\-]+")
_LINE_RE = re.compile(f"{LINE_BREAK_RE.pattern}|\n")


@dataclass(frozen=True, slots=True)
class _Story:
    anchor: str
    id: str
    removed: bool
    duplicate_of: str | None
    cluster: str | None  # anchor of its cluster, when the cluster is in the report
    span: str
    steps: tuple[str, ...]
    flags: tuple[str, ...]
    parts: list[tuple[str, Markup]]  # (field, marked text); "text" is the body


@dataclass(frozen=True, slots=True)
class _Row:
    left: Markup | None  # None: no original to show
    stories: list[_Story]


@dataclass(slots=True)
class _Page:
    anchor: str
    view: PageView
    kept: int
    removed: int
    rows: list[_Row] = field(default_factory=list)
    hidden_chars: int = 0
    hidden_stories: int = 0


# The figures shown for a removed copy, with what each means (on hover; the page explains
# them in full). ``jaccard`` is not shown: it is ``similarity`` under its other name.
FIGURES = {
    "kind": "exact: the same dedup key (the copies may differ in punctuation, quotes, "
    "spacing and script); near: the keys share at least dedup.threshold of their n-grams; "
    "contained: the shorter key is at least dedup.containment inside the longer",
    "similarity": "Jaccard: the share of n-grams the two dedup keys have in common",
    "containment": "the share of the shorter key's n-grams found in the longer",
}


@dataclass(frozen=True, slots=True)
class _Copy:
    anchor: str
    id: str
    source: str
    figures: list[tuple[str, str, str]]  # name, value, what it means
    left: Markup
    right: Markup
    cut: bool  # compared only the first DIFF_CHARS characters


@dataclass(frozen=True, slots=True)
class _Cluster:
    anchor: str
    kept_id: str
    kept_source: str
    label: str
    copies: list[_Copy]
    # (position, "old → new", supporting copies) of each reading collation mended
    collated: list[tuple[int, str, str]] = field(default_factory=list)
    # (date, days after the first, id, "kept" | "removed") of every dated copy, by date
    timeline: list[tuple[str, int, str, str]] = field(default_factory=list)


def _anchor(prefix: str, key: str, used: set[str]) -> str:
    """A stable HTML id: the key itself when it is plain ASCII, else a digest of it."""
    if _SAFE_ANCHOR_RE.fullmatch(key) is None:
        key = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    anchor, n = f"{prefix}-{key}", 1
    while anchor in used:
        n += 1
        anchor = f"{prefix}-{key}-{n}"
    used.add(anchor)
    return anchor


def _meta(record: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = record.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def _parts(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    meta = _meta(record)
    found = ((name, record.get("text") if name == "text" else meta.get(name)) for name in PRINTED)
    return [(name, value) for name, value in found if isinstance(value, str) and value]


def _body(record: Mapping[str, Any]) -> str:
    return "\n".join(text for _, text in _parts(record))


def _span(record: Mapping[str, Any]) -> tuple[int, int] | None:
    span = _meta(record).get("line_span")
    if isinstance(span, Sequence) and len(span) == 2 and all(isinstance(n, int) for n in span):
        first, last = span
        return (first, last) if 1 <= first <= last else None
    return None


def _lines(text: str) -> list[str]:
    """Lines with their endings, a line ending being anything normalize_line_endings maps."""
    out, start = [], 0
    for m in _LINE_RE.finditer(text):
        out.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


def _chunks(
    original: str, stories: Sequence[Mapping[str, Any]]
) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Cut the original at the stories' line spans: (lines, the stories cut from them).

    Stories whose spans overlap share a chunk; lines in no story get a chunk of their own.
    Without usable spans (missing, out of order or past the end) the page is one chunk.
    """
    lines = _lines(original)
    spans = [_span(s) for s in stories]
    groups: list[tuple[int, int, list[Mapping[str, Any]]]] = []
    for story, span in zip(stories, spans, strict=True):
        if span is None or span[1] > len(lines) or (groups and span[0] < groups[-1][0]):
            return [(original, list(stories))]
        if groups and span[0] <= groups[-1][1]:
            first, last, members = groups[-1]
            groups[-1] = (first, max(last, span[1]), [*members, story])
        else:
            groups.append((span[0], span[1], [story]))
    chunks: list[tuple[str, list[Mapping[str, Any]]]] = []
    cursor = 0
    for first, last, members in groups:
        if first - 1 > cursor:
            chunks.append(("".join(lines[cursor : first - 1]), []))
        chunks.append((_strip_break("".join(lines[first - 1 : last])), members))
        cursor = last
    if cursor < len(lines):
        chunks.append(("".join(lines[cursor:]), []))
    return chunks


def _strip_break(text: str) -> str:
    m = _LINE_RE.search(text, max(0, len(text) - 2))
    return text[: m.start()] if m and m.end() == len(text) else text


def _story(
    record: Mapping[str, Any],
    parts: list[tuple[str, Markup]],
    clusters: Mapping[str, str],
    used: set[str],
) -> _Story:
    meta = _meta(record)
    span = _span(record)
    flags = []
    if meta.get("fragment"):
        flags.append(f"fragment: {meta.get('fragment_reason') or 'unspecified'}")
    if meta.get("truncated"):
        flags.append("truncated")
    story_id = str(record.get("id", ""))
    dup = record.get("duplicate_of")
    return _Story(
        anchor=_anchor("story", story_id, used),
        id=story_id,
        removed=dup is not None,
        duplicate_of=str(dup) if dup is not None else None,
        cluster=clusters.get(story_id),
        span=f"lines {span[0]}–{span[1]}" if span else "",
        steps=tuple(str(s) for s in meta.get("steps") or ()),
        flags=tuple(flags),
        parts=parts,
    )


def page_panel(
    view: PageView, clusters: Mapping[str, str], page_chars: int, used: set[str]
) -> _Page:
    removed = sum(1 for s in view.stories if s.get("duplicate_of") is not None)
    page = _Page(_anchor("page", view.page_id, used), view, len(view.stories) - removed, removed)
    if view.original is None:  # the stories alone, within the same budget
        budget = page_chars
        for record in view.stories:
            texts = _parts(record)
            page.hidden_chars += int(record.get(CUT_KEY, 0))
            if budget <= 0:
                page.hidden_chars += sum(len(text) for _, text in texts)
                page.hidden_stories += 1
                continue
            parts = []
            for name, text in texts:
                shown = text[: max(budget, 0)]
                budget -= len(text)
                page.hidden_chars += len(text) - len(shown)
                parts.append((name, escape(shown)))
            page.rows.append(_Row(None, [_story(record, parts, clusters, used)]))
        return page
    converted = any(
        str(step).startswith("convert")
        for s in view.stories
        for step in _meta(s).get("steps") or ()
    )
    budget = page_chars
    for text, members in _chunks(view.original, view.stories):
        if budget <= 0:
            page.hidden_chars += len(text)
            page.hidden_stories += len(members)
            continue
        if not members:
            if text.strip():  # lines that went into no story; blank ones are not worth a row
                shown = text[:budget]
                page.rows.append(_Row(mark_removed(shown), []))
                page.hidden_chars += len(text) - len(shown)
            budget -= len(text)
            continue
        pieces = [(k, name, part) for k, s in enumerate(members) for name, part in _parts(s)]
        offsets, pos = [], 0
        for _, _, part in pieces:
            offsets.append((pos, pos + len(part)))
            pos += len(part) + 1
        b = "\n".join(part for _, _, part in pieces)
        limit = budget if len(text) > budget else None
        marked = mark_pair(text, b, offsets, converted=converted, limit=limit)
        budget -= marked.a_done
        page.hidden_chars += len(text) - marked.a_done
        boxes = []
        for k, record in enumerate(members):
            parts = [
                (name, html)
                for (owner, name, _), html in zip(pieces, marked.right, strict=True)
                if owner == k
            ]
            boxes.append(_story(record, parts, clusters, used))
        page.rows.append(_Row(marked.left, boxes))
    return page


def cluster_panel(view: ClusterView, used: set[str]) -> _Cluster:
    kept_id = str(view.kept.get("id", ""))
    a = _body(view.kept)
    title = _meta(view.kept).get("title")
    label = title if isinstance(title, str) and title else a[:40].replace("\n", " ")
    copies = []
    for record in view.removed:
        b = _body(record)
        marked = mark_pair(a[:DIFF_CHARS], b[:DIFF_CHARS], [(0, DIFF_CHARS)], diff=True)
        figures = [
            (name, _figure(record.get(name)), meaning)
            for name, meaning in FIGURES.items()
            if record.get(name) is not None
        ]
        copies.append(
            _Copy(
                anchor=_anchor("copy", str(record.get("id", "")), used),
                id=str(record.get("id", "")),
                source=str(_meta(record).get("source", "")),
                figures=figures,
                left=marked.left,
                right=marked.right[0],
                cut=len(a) > DIFF_CHARS or len(b) > DIFF_CHARS,
            )
        )
    source = str(_meta(view.kept).get("source", ""))
    collated = [
        (int(c["position"]), f"{c['old']} → {c['new']}", ", ".join(c.get("support") or ()))
        for c in _meta(view.kept).get("collated") or ()
        if isinstance(c, Mapping) and isinstance(c.get("position"), int)
    ]
    anchor = _anchor("cluster", kept_id, used)
    return _Cluster(anchor, kept_id, source, label, copies, collated, _timeline(view))


def _timeline(view: ClusterView) -> list[tuple[str, int, str, str]]:
    """The cluster's dated copies in date order (then id), with days after the first."""
    dated = [
        (str(_meta(r).get("date")), str(r.get("id", "")), role)
        for r, role in ((view.kept, "kept"), *((r, "removed") for r in view.removed))
        if _meta(r).get("date")
    ]
    if len(dated) < 2:
        return []
    dated.sort()
    first = dt.date.fromisoformat(dated[0][0])
    return [
        (date, (dt.date.fromisoformat(date) - first).days, story, role)
        for date, story, role in dated
    ]


def _figure(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)
