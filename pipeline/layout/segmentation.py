"""Page -> stories, after removing page furniture.

A page arrives from the ``lines`` stage with its paragraphs joined but one line per source
line: a wrap is a U+2028 mark (``layout.WRAP_MARK``), a boundary a ``\\n``. So a paragraph
is a run of source lines tied by marks, and a story's ``line_span`` counts source lines
(1-based, inclusive) although its text is joined. Text without marks works too: then
every line is a paragraph and spans count its lines.

Segmentation reads paragraphs (blocks) in order and gives each a kind:

- **heading**: short, no sentence in it (``layout.is_heading_shaped``). A run of one to
  ``headline.max_lines`` headings starts a story: kicker (引题), title, deck (副题). Two
  lines are kicker + title when the first is two phrases set apart by a space (抓落实
  见实效), else title + deck; a lone line is the title, or the deck when it starts with a
  dash or is printed as a deck elsewhere on the page (a reprint that lost its headline).
- **lead**: opens with 本报讯 / 新华社…电 (or a Taiwan or Hong Kong formula: （中央社…电）,
  【本报讯】, 〔记者…／台北报导〕) or is a lead line (本报通讯员 陈有会 汤永红). It
  starts a story unless it follows that story's headline. Its reporters are copied to
  ``reporters``; the lead stays in the text. A lead line of reporters only (本报记者
  张三) under a story's text that no body follows (a headline, a lead, a caption or the
  page's end does) is that story's end mark: its ``byline``, naming its reporters when
  no lead did.
- **byline** （孙富常） and **caption** (a paragraph ending in a photo credit, "…倪树斌 摄",
  or opening with 图为):
  they end their story. A byline printed at the end of the last paragraph ("…。（李丰）") is
  split off into ``byline``.
- **body**: continues the story. Body text with no story to continue (at the top of the
  page, after a byline or caption) is a story of its own marked ``fragment`` with the
  reason; so is a tail that opens with a connective (此外，) and shares more vocabulary
  with the next story than with its own (a jump printed before its own headline).

A heading-shaped line that ends a story cut off by the page edge is that story's last
paragraph, not a headline: when nothing but headings follows it on the page, or when it
shares its words with the story above rather than the one below. A story whose last
paragraph ends mid-sentence is ``truncated``. Nothing is dropped: the fields of the
stories hold every non-whitespace character of the page, in order (the stage checks it).

Page furniture (running heads, page numbers, staff lines) is removed first, by shape
(``words().furniture``) anywhere on the page, and by what the survey pass learned
for the page's source folder within the top and bottom ``layout.EDGE_LINES`` lines (the
furniture functions live in ``pipeline.layout.furniture`` and are re-exported here); lines between
the page edge and a furniture line are furniture too (a section name above a running head).

A page's paragraphs are described at once (``pipeline.layout.facts``), not asked about one
predicate at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from enum import StrEnum
from itertools import takewhile

from pipeline.config import SegmentConfig
from pipeline.document import Document, Stats
from pipeline.errors import PipelineError
from pipeline.layout.facts import LineFacts, describe
from pipeline.layout.furniture import (
    Furniture,
    furniture_candidates,
    learn_furniture,
    strip_furniture,
)
from pipeline.layout.shapes import (
    WRAP_MARK,
    is_kicker_like,
    is_lead_line,
    opens_caption,
)
from pipeline.layout.stories import (
    STORY_ATTRIBUTES,
    Draft,
    Story,
    TextBlock,
    build_story,
    heading_roles,
)
from pipeline.layout.topics import closer_to_next, closer_to_previous
from pipeline.layout.words import words

__all__ = [
    "Furniture",
    "Story",
    "furniture_candidates",
    "learn_furniture",
    "segment",
    "split_stories",
    "strip_furniture",
]


class Kind(StrEnum):
    """What a paragraph of a page is, by its shape alone (:func:`_kind`)."""

    HEADING = "heading"
    LEAD = "lead"
    BODY = "body"
    BYLINE = "byline"
    CAPTION = "caption"


def split_stories(page: str, cfg: SegmentConfig | None = None) -> list[Story]:
    """Cut a page whose paragraphs are joined into stories with their fields.

    What it leaves alone: the text of every paragraph (only the whitespace around it and
    the wrap marks go), its order, and furniture (see :func:`strip_furniture`). The rules
    are in the module docstring.

    >>> page = "趣味运动会\\n\\n8月26日，职工趣味运动会举办。\\n图为比赛现场。倪树斌 摄"
    >>> [(s.title, s.text, s.caption, s.line_span) for s in split_stories(page)]
    [('趣味运动会', '8月26日，职工趣味运动会举办。', '图为比赛现场。倪树斌 摄', (1, 4))]
    >>> [(s.title, s.reporters, s.truncated) for s in split_stories(
    ...     "本报通讯员 陈有会 汤永红\\n“列车长！”女车长赶到车厢后，旅客便抱怨是列车")]
    [(None, ('陈有会', '汤永红'), True)]
    """
    cfg = cfg or SegmentConfig()
    blocks = _blocks(page)
    facts = describe([b.text for b in blocks], cfg.headline.max_width)
    kinds = [_kind(b.text, f) for b, f in zip(blocks, facts, strict=True)]
    drafts: list[Draft] = []
    i = 0
    while i < len(blocks):
        kind = kinds[i]
        current = drafts[-1] if drafts else None
        if kind == Kind.HEADING:
            j = i
            while j < len(blocks) and kinds[j] == Kind.HEADING:
                j += 1
            if current is not None and _continues(blocks, kinds, i, j, current, cfg):
                current.body.append(i)  # the cut-off end of the story before, not a headline
                i += 1
                continue
            extra = max(0, j - i - cfg.headline.max_lines)
            if extra:
                drafts.append(Draft(heads=list(range(i, i + extra)), reason="headline lines"))
            drafts.append(Draft(heads=list(range(i + extra, j))))
            i = j
            continue
        if kind == Kind.LEAD and current is not None and _end_mark(blocks, kinds, i, current, cfg):
            current.byline = i
            i += 1
            continue
        if kind == Kind.LEAD and (current is None or current.body or current.ended):
            drafts.append(Draft())
        elif kind == Kind.BODY:
            reason = _orphan_reason(current)
            if reason is None and current is not None and _is_tail(blocks, kinds, i, current, cfg):
                reason = "tail of another story: opens with a connective, no headline or lead"
            if reason is not None:
                drafts.append(Draft(reason=reason))
        elif kind in (Kind.BYLINE, Kind.CAPTION) and current is None:
            drafts.append(Draft(reason=f"{kind} without a story"))
        elif kind == Kind.BYLINE and current is not None and current.byline is not None:
            drafts.append(Draft(reason="byline after its story's byline"))  # never overwrite
        draft = drafts[-1]
        if kind == Kind.CAPTION or (kind == Kind.BYLINE and draft.caption):
            draft.caption.append(i)  # a byline under a caption is the photo's
        elif kind == Kind.BYLINE:
            draft.byline = i
        else:
            draft.body.append(i)
        i += 1
    roles = [heading_roles(blocks, d.heads, cfg) for d in drafts]
    decks = {deck for _, _, deck in roles}
    return [build_story(blocks, d, r, decks) for d, r in zip(drafts, roles, strict=True)]


def _blocks(page: str) -> list[TextBlock]:
    """Paragraphs: runs of source lines tied by wrap marks, with their source span.

    A paragraph is what one ``\n`` line of the page holds, its wraps and blank source lines
    taken out; its span counts the source lines (``\n`` and wrap marks) up to it.
    """
    blocks: list[TextBlock] = []
    line = 1  # the source line the piece starts on
    for piece in page.split("\n"):
        if WRAP_MARK not in piece:
            if text := piece.strip():
                blocks.append(TextBlock(text, line, line))
            line += 1
            continue
        parts = piece.split(WRAP_MARK)
        used = [i for i, part in enumerate(parts) if part.strip()]
        if used:
            text = "".join([parts[i] for i in used]).strip()
            blocks.append(TextBlock(text, line + used[0], line + used[-1]))
        line += len(parts)
    return blocks


def _kind(text: str, facts: LineFacts) -> Kind:
    if facts.byline:
        return Kind.BYLINE
    if facts.lead or facts.lead_line:
        return Kind.LEAD
    if facts.credit or opens_caption(text):
        return Kind.CAPTION
    if facts.heading:
        return Kind.HEADING
    return Kind.BODY


def _end_mark(
    blocks: Sequence[TextBlock], kinds: Sequence[Kind], i: int, current: Draft, cfg: SegmentConfig
) -> bool:
    """Whether lead line ``i``, reporters only (本报记者 张三), is the end mark of the story
    above, not the lead of one below: it follows that story's body, and no body follows it
    (a headline block, another lead, the story's photo caption or the page's end does).

    A headline block is at most ``headline.max_lines`` lines: on a page whose lines were not
    joined, the narrow lines of a column under a lead look like headlines too."""
    if not current.body or current.ended:
        return False
    text = blocks[i].text
    if not (is_lead_line(text) and words().end_mark.match(text)):
        return False  # a lead formula (本报讯…) or a correspondent's line opens a story
    after = kinds[i + 1 : i + 2 + cfg.headline.max_lines]
    if not after or after[0] in (Kind.LEAD, Kind.CAPTION):
        return True
    heads = sum(1 for _ in takewhile(lambda kind: kind == Kind.HEADING, after))
    return 0 < heads <= cfg.headline.max_lines


def _orphan_reason(current: Draft | None) -> str | None:
    if current is None:
        return "no headline or lead: the page starts inside a story"
    if current.ended:
        return "no headline or lead after the end of the previous story"
    return None


def _is_tail(
    blocks: Sequence[TextBlock], kinds: Sequence[Kind], i: int, current: Draft, cfg: SegmentConfig
) -> bool:
    """Whether block ``i`` starts a jumped tail of the *next* story (此外，贵阳市… before 贵阳)."""
    if not current.body or not words().connective.match(blocks[i].text):
        return False
    end = next(
        (j for j in range(i + 1, len(blocks)) if kinds[j] in (Kind.HEADING, Kind.LEAD)), None
    )
    if end is None:
        return False
    return closer_to_next(
        [b.text for b in blocks[i:end]],
        [blocks[j].text for j in current.blocks()],
        [b.text for b in blocks[end : end + 6]],
        cfg.fragment_margin,
    )


def _continues(
    blocks: Sequence[TextBlock],
    kinds: Sequence[Kind],
    i: int,
    j: int,
    current: Draft,
    cfg: SegmentConfig,
) -> bool:
    """Whether heading-shaped block ``i`` (of the run ``i:j``) ends the story before it.

    A story cut off where the page ends can stop in a short line ("大城县的做法包括：坚持
    领导干部下访") that looks like a headline; it shares its words with the story above
    rather than with the story below, which a real headline describes.
    """
    if (
        not current.body
        or current.ended
        or is_kicker_like(blocks[i].text, cfg.headline.max_kicker_phrase)
    ):
        return False
    if j == len(blocks):
        return True  # nothing below: no story to head, the page ended inside this one
    if i + 1 < len(blocks) and kinds[i + 1] == Kind.LEAD:
        return False  # a line right above a lead is its headline
    return closer_to_previous(
        blocks[i].text,
        [blocks[k].text for k in current.blocks()],
        [b.text for b in blocks[i + 1 : j + 6]],
        cfg.continuation_margin,
    )


# --- the stage ---------------------------------------------------------------------------


def _in_file(span: tuple[int, int] | None, first_line: int) -> tuple[int, int] | None:
    """A span counted in the page's lines, as source-file lines (a big file's later parts
    start past line 1)."""
    if span is None:
        return None
    return span[0] + first_line - 1, span[1] + first_line - 1


def segment(
    docs: Iterable[Document], cfg: SegmentConfig, stats: Stats, furniture: Furniture | None = None
) -> Iterator[Document]:
    """Stage: remove furniture, then one document per story, ids ``<page id>-s<NN>``.

    Furniture is counted under ``segment.furniture.<rule>``; whitespace not carried into a
    story field (blank lines, wrap marks, indents) under ``segment.whitespace``.
    ``furniture`` holds what :func:`learn_furniture` found for each source folder.

    Raises:
        PipelineError: a story field lost a non-whitespace character (a bug, never data).
    """
    for page in docs:
        folder = page.source.rpartition("/")[0]
        text, removed = strip_furniture(page.text, (furniture or {}).get(folder, frozenset()))
        for rule, count in sorted(removed.items()):
            stats.chars[f"segment.furniture.{rule}"] += count
            stats.events[f"segment.furniture.{rule}"] += 1
        stories = split_stories(text, cfg) if cfg.split else _whole(text)
        written = [
            replace(
                page,
                id=f"{page.id}-s{number:02d}",
                parent_id=page.id,
                **{name: getattr(story, name) for name in STORY_ATTRIBUTES},
                line_span=_in_file(story.line_span, page.first_line),
            )
            for number, story in enumerate(stories, start=1)
        ]
        carried = "".join(d.field_text() for d in written)
        # The fields hold the page's text in order: then the counts are equal without
        # counting. Only a reordered or broken story needs the counts.
        same = "".join(text.split()) == "".join(carried.split())
        if not same and _nonspace(text) != _nonspace(carried):
            msg = f"{page.id}: segmentation lost or duplicated characters"
            raise PipelineError(msg)
        kept = len(carried)
        stats.events["segment.stories"] += len(stories)
        stats.events["segment.fragments"] += sum(s.fragment for s in stories)
        stats.events["segment.truncated"] += sum(s.truncated for s in stories)
        stats.chars["segment.whitespace"] += len(text) - kept
        yield from written


def _nonspace(text: str) -> Counter[str]:
    return Counter("".join(text.split()))


def _whole(text: str) -> list[Story]:
    """The page as one story (``segment.split = false``): paragraphs only, no fields."""
    blocks = _blocks(text)
    if not blocks:
        return []
    body = "\n".join(b.text for b in blocks)
    return [Story(body, line_span=(blocks[0].first, blocks[-1].last))]
