"""A story as segmentation assembles it: the paragraphs it took, its headline block's roles
(kicker, title, deck), its fields, whether it is a fragment or was cut short."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.config import SegmentConfig
from pipeline.document import STORY_FIELDS
from pipeline.layout.reporters import read_reporters
from pipeline.layout.shapes import ends_sentence, inline_byline, is_kicker_like, line_width

_DASH = "\N{EM DASH}"


@dataclass(frozen=True, slots=True)
class Story:
    """One story cut from a page: its text and ``document.STORY_FIELDS``. ``line_span`` is
    1-based and inclusive."""

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


# Every Story field is a Document field of the same name (line_span is made file-relative).
STORY_ATTRIBUTES = ("text", *(name for name in STORY_FIELDS if name != "line_span"))


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A paragraph: its text and its first and last source line (1-based)."""

    text: str
    first: int
    last: int


@dataclass(slots=True)
class Draft:
    heads: list[int] = field(default_factory=list)
    body: list[int] = field(default_factory=list)
    byline: int | None = None
    caption: list[int] = field(default_factory=list)
    reason: str | None = None

    @property
    def ended(self) -> bool:
        return self.byline is not None or bool(self.caption)

    def blocks(self) -> list[int]:
        byline = [] if self.byline is None else [self.byline]
        return [*self.heads, *self.body, *byline, *self.caption]


def heading_roles(
    blocks: Sequence[TextBlock], heads: Sequence[int], cfg: SegmentConfig
) -> tuple[str | None, str | None, str | None]:
    """(kicker, title, deck) of a headline group."""
    texts = [blocks[i].text for i in heads]
    if len(texts) >= 3:
        return texts[0], "".join(texts[1:-1]), texts[-1]
    if len(texts) == 2:
        first = texts[0]
        kicker = (
            is_kicker_like(first, cfg.headline.max_kicker_phrase)
            or line_width(first) <= cfg.headline.max_kicker_width
        )
        if kicker and not texts[1].startswith(_DASH):
            return texts[0], texts[1], None
        return None, texts[0], texts[1]
    if texts:
        return None, texts[0], None
    return None, None, None


def build_story(
    blocks: Sequence[TextBlock],
    draft: Draft,
    roles: tuple[str | None, str | None, str | None],
    decks: set[str | None],
) -> Story:
    kicker, title, deck = roles
    if len(draft.heads) == 1 and title is not None and (title.startswith(_DASH) or title in decks):
        title, deck = None, title
    paragraphs = [blocks[i].text for i in draft.body]
    byline = blocks[draft.byline].text if draft.byline is not None else None
    if byline is None and paragraphs and (match := inline_byline(paragraphs[-1])):
        paragraphs[-1], byline = paragraphs[-1][: match.end(1)], match.group(2)
    caption = "\n".join(blocks[i].text for i in draft.caption) or None
    used = draft.blocks()
    truncated = bool(paragraphs) and not draft.ended and not ends_sentence(paragraphs[-1])
    if draft.heads and not paragraphs and not draft.ended:
        truncated = False
    return Story(
        text="\n".join(paragraphs),
        kicker=kicker,
        title=title,
        deck=deck,
        reporters=(read_reporters(paragraphs[0]) if paragraphs else ())
        or (read_reporters(byline) if byline else ()),
        byline=byline,
        caption=caption,
        fragment=draft.reason is not None,
        fragment_reason=draft.reason,
        truncated=truncated,
        line_span=(min(blocks[i].first for i in used), max(blocks[i].last for i in used)),
    )
