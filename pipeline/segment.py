"""Page -> stories.

Placeholder until the segmentation issue lands: a page is one story holding the whole
text, with no headline fields. The ``Story`` shape and the stage are final.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.config import SegmentConfig
from pipeline.document import Document, Stats


@dataclass(frozen=True, slots=True)
class Story:
    """One story cut from a page. ``line_span`` is 1-based and inclusive."""

    text: str
    kicker: str | None = None
    title: str | None = None
    deck: str | None = None
    reporters: tuple[str, ...] = ()
    byline: str | None = None
    caption: str | None = None
    fragment: bool = False
    fragment_reason: str | None = None
    truncated: bool = False
    line_span: tuple[int, int] | None = None


def split_stories(page: str) -> list[Story]:
    """Placeholder: the whole page, stripped of blank edges, is one story.

    >>> [(s.text, s.line_span) for s in split_stories("\\n趣味运动会\\n职工趣味运动会举办。\\n")]
    [('趣味运动会\\n职工趣味运动会举办。', (2, 3))]
    """
    lines = page.split("\n")
    used = [i for i, line in enumerate(lines) if line.strip()]
    if not used:
        return []
    first, last = used[0], used[-1]
    return [Story("\n".join(lines[first : last + 1]), line_span=(first + 1, last + 1))]


Furniture = Mapping[str, frozenset[str]]  # source folder -> line patterns that are furniture


def furniture_candidates(page: str) -> list[str]:
    """Placeholder: the lines of ``page`` that could be page furniture (none yet).

    Called once per page in the survey pass, on normalised and converted text.
    """
    return []


def learn_furniture(
    pages: Iterable[tuple[str, Sequence[str]]], cfg: SegmentConfig
) -> dict[str, frozenset[str]]:
    """Placeholder: from ``(folder, candidates)`` per page, the furniture of each folder."""
    return {}


def segment(
    docs: Iterable[Document], cfg: SegmentConfig, stats: Stats, furniture: Furniture | None = None
) -> Iterator[Document]:
    """Stage: one document per story, ids ``<page id>-s<NN>`` in page order.

    Characters between stories (blank edges) are counted under ``segment.whitespace``.
    ``furniture`` holds what :func:`learn_furniture` found for each source folder.
    """
    for page in docs:
        stories = split_stories(page.text) if cfg.split else [Story(page.text)]
        kept = 0
        for number, story in enumerate(stories, start=1):
            doc = replace(
                page,
                id=f"{page.id}-s{number:02d}",
                parent_id=page.id,
                text=story.text,
                kicker=story.kicker,
                title=story.title,
                deck=story.deck,
                reporters=story.reporters,
                byline=story.byline,
                caption=story.caption,
                fragment=story.fragment,
                fragment_reason=story.fragment_reason,
                truncated=story.truncated,
                line_span=story.line_span,
            )
            kept += len(doc.field_text())
            yield doc
        stats.events["segment.stories"] += len(stories)
        stats.chars["segment.whitespace"] += len(page.text) - kept
