"""Print truth lines as a damaged page dump and record the truth about every line break.

Input is a list of ``Block`` (one truth line each: a story field or a furniture line); the
output is the raw text as PDF extraction or OCR would give it, plus one ``LineBreak`` per
break between two non-whitespace characters saying whether it is a true boundary or a
wrap, and what kind of break it is (for per-kind error analysis).

Damage is decided per page (``PageStyle``) and per run of text (a column width and whether
its column breaks leave blank lines), following the knobs in ``LayoutKnobs``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Characters good typesetting never puts at the start of a line (避头): ，。、；：？！）」』》…”’
CLOSING = set(
    "\uff0c\u3002\u3001\uff1b\uff1a\uff1f\uff01\uff09\u300d\u300f\u300b\u2026\u201d\u2019,.;:?!)"
)
HALFWIDTH = {
    "\uff0c": ",",
    "\uff1b": ";",
    "\uff1a": ":",
    "\uff08": "(",
    "\uff09": ")",
    "\uff1f": "?",
    "\uff01": "!",
}  # ，；：（）？！
HALFWIDTH_RE = re.compile("[" + "".join(HALFWIDTH) + "]")
LETTER_RE = re.compile(r"[A-Za-z]")
DIGITLIKE_RE = re.compile(r"[0-9.]")
NARROW_RE = re.compile("[\x00-\u1fff]")
HAN_RE = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class LineBreak:
    """One line break of the raw page between two non-whitespace characters.

    ``offset``: index in ``raw`` of the break's first newline. ``nws``: number of raw
    non-whitespace characters before it. ``boundary``: True for a field/story/furniture
    boundary, False for a wrap inside a field. ``kind``: story | field | edge (boundary
    after a full-width last line) | furniture | wrap | wrap-blank (column break that left a
    blank line) | flow (break inside an otherwise unwrapped paragraph) | heading (wrap in a
    title) | hyphen (the generator added a hyphen at the line end; the hyphen is raw NWS
    character ``nws - 1`` and is not in the truth) | hyphen-real (line ends in a hyphen that
    is part of the text, CD-ROM) | latin (between two Latin words or letters) | number
    (inside a number, 1.|6亿) | punct-start (next line starts with closing punctuation).
    """

    offset: int
    nws: int
    boundary: bool
    kind: str


@dataclass(frozen=True, slots=True)
class Block:
    """One truth line to print: a story field, a furniture line or a continuation mark."""

    text: str
    # kicker | title | deck | author | lead | paragraph | subhead | byline | caption | notice
    # | furniture | jump
    field: str
    story: int  # index of the story on the page; -1 for furniture and jump marks


# Lines that belong to no story's text: running heads and feet, and continuation marks
# （下转第2版）/（上接第1版）. Printed whole; the truth text leaves them out.
NON_STORY_FIELDS = frozenset({"furniture", "jump"})
# Story fields printed on one line (a title or deck of 10+ characters may wrap, see
# ``LayoutKnobs.heading_wrap``); paragraphs, captions and notices wrap in their column.
ONE_LINE_FIELDS = frozenset({"kicker", "title", "deck", "author", "lead", "byline", "subhead"})


@dataclass(frozen=True, slots=True)
class LineRole:
    """What one non-blank line of the raw page is: ``line`` indexes ``raw.split("\n")``,
    ``role`` is the field it prints (``Block.field``), ``story`` the story index (-1 for
    furniture and jump marks), ``first`` whether it opens its field (a paragraph's first
    line is ``first``; its continuation lines are not)."""

    line: int
    role: str
    story: int
    first: bool


@dataclass(frozen=True, slots=True)
class Rendered:
    """A printed page: raw text, line-break truth, furniture lines, and per-line roles."""

    raw: str
    breaks: tuple[LineBreak, ...]
    furniture: tuple[str, ...]
    lines: tuple[LineRole, ...]


@dataclass(frozen=True, slots=True)
class LayoutKnobs:
    """Layout and damage probabilities. Set one to 0 to remove that kind of damage."""

    min_width: int = 10  # column width range, in Han characters (Latin counts half)
    max_width: int = 26
    width_jitter: float = 0.15  # a line one character wider or narrower than its column
    new_run: float = 0.4  # a story starts a new column run (new width) ...
    new_run_in_story: float = 0.08  # ... or a paragraph does (story jumps to the next column)
    flow: float = 0.15  # a paragraph comes out unwrapped, as one long line ...
    flow_break: tuple[int, int] = (40, 400)  # ... cut at a column end every this many chars
    spacing: tuple[float, float, float] = (0.4, 0.25, 0.35)  # single | double (seed) | mixed
    mixed_blank_boundary: float = 0.7  # mixed spacing: blank line at a boundary
    blank_run: float = 0.35  # mixed spacing: a run whose column breaks leave blank lines
    blank_wrap: float = 0.5  # in such a run, share of wraps followed by a blank line
    kinsoku: float = 0.5  # closing punctuation at a line start is pulled up (proper setting)
    hyphenate: float = 0.6  # a Latin word cut at the edge is hyphenated (else moved down)
    number_cut: float = 0.6  # a number cut at the edge stays cut (1.|6亿元)
    edge_end: float = 0.12  # a paragraph set so that its last line is exactly full
    heading_wrap: float = 0.1  # a headline or deck of 10+ characters wraps onto two lines
    indent: float = 0.25  # page indents paragraphs with two ideographic spaces
    halfwidth: float = 0.5  # page has ASCII punctuation instead of full-width ...
    halfwidth_rate: tuple[float, float] = (0.2, 1.0)  # ... for this share of marks
    inner_space: float = 0.1  # page has spaces inserted between characters ...
    inner_space_rate: float = 0.01  # ... at this rate per character
    trailing_space: float = 0.15  # page has trailing spaces on some lines
    # a paragraph's first line holds only 2-9 characters (2016年，/ 近百名来自各地的) and the
    # next line goes on with its sentence: a drop cap, a picture cut into the column
    short_open: float = 0.0


@dataclass(frozen=True, slots=True)
class PageStyle:
    """The damage decisions that hold for a whole page."""

    spacing: str  # single | double | mixed
    indent: str  # "" or the indent put before paragraph first lines
    halfwidth_rate: float
    inner_space_rate: float
    trailing_space: bool


def choose_style(rng: random.Random, knobs: LayoutKnobs) -> PageStyle:
    """Draw a page style from the knobs."""
    spacing = rng.choices(("single", "double", "mixed"), knobs.spacing)[0]
    indent = (
        rng.choice(("\u3000\u3000", "  ", "\u3000\u3000")) if rng.random() < knobs.indent else ""
    )
    halfwidth = rng.uniform(*knobs.halfwidth_rate) if rng.random() < knobs.halfwidth else 0.0
    inner = knobs.inner_space_rate if rng.random() < knobs.inner_space else 0.0
    return PageStyle(
        spacing=spacing,
        indent=indent,
        halfwidth_rate=halfwidth,
        inner_space_rate=inner,
        trailing_space=rng.random() < knobs.trailing_space,
    )


def char_width(ch: str) -> float:
    """Print width in Han-character units: ASCII and Latin-1 are half width.

    >>> char_width("中"), char_width("a"), char_width("“")
    (1.0, 0.5, 1.0)
    """
    return 0.5 if ch < "\u2000" else 1.0


def text_width(text: str) -> float:
    """Sum of ``char_width``.

    >>> text_width("用 root 登录")
    6.0
    """
    return sum(0.5 if ch < "\u2000" else 1.0 for ch in text)


def _span_start(text: str, pos: int, lo: int, pattern: re.Pattern[str]) -> int:
    while pos > lo and pattern.match(text[pos - 1]):
        pos -= 1
    return pos


def _span_end(text: str, pos: int, pattern: re.Pattern[str]) -> int:
    while pos < len(text) and pattern.match(text[pos]):
        pos += 1
    return pos


def wrap(
    text: str,
    next_width: Callable[[], float],
    rng: random.Random,
    knobs: LayoutKnobs,
    plain_kind: str = "wrap",
) -> tuple[list[str], list[str]]:
    """Cut ``text`` into lines of at most ``next_width()`` units; return (lines, break kinds).

    Latin words cut at the edge are hyphenated (the hyphen is added to the line) or moved to
    the next line; numbers stay cut or move; closing punctuation may be pulled up. Spaces at
    a cut disappear into the line break.

    >>> wrap("本报讯记者从会上了解到", lambda: 4, random.Random(0), LayoutKnobs())
    (['本报讯记', '者从会上', '了解到'], ['wrap', 'wrap'])
    """
    lines: list[str] = []
    kinds: list[str] = []
    n = len(text)
    s = 0
    all_wide = not NARROW_RE.search(text)  # fast path: every character one unit wide
    while s < n:
        limit = next_width()
        if all_wide:
            e = min(n, s + int(limit))
        else:
            e, w = s, 0.0
            while e < n:
                cw = 0.5 if text[e] < "\u2000" else 1.0
                if w + cw > limit:
                    break
                w += cw
                e += 1
        if e >= n:
            lines.append(text[s:].rstrip())
            break
        e = max(e, s + 1)
        if e >= n:
            lines.append(text[s:].rstrip())
            break
        kind = plain_kind
        suffix = ""
        prev, nxt = text[e - 1], text[e]
        if LETTER_RE.match(prev) and LETTER_RE.match(nxt):
            start = _span_start(text, e, s, LETTER_RE)
            end = _span_end(text, e, LETTER_RE)
            if e - start >= 2 and end - e >= 2 and rng.random() < knobs.hyphenate:
                suffix, kind = "-", "hyphen"
            elif start > s and text[s:start].strip():
                e = start
            else:
                suffix, kind = "-", "hyphen"
        elif DIGITLIKE_RE.match(prev) and DIGITLIKE_RE.match(nxt):
            start = _span_start(text, e, s, DIGITLIKE_RE)
            if rng.random() < knobs.number_cut or start <= s or not text[s:start].strip():
                kind = "number"
            else:
                e = start
        if not suffix and text[e] in CLOSING and rng.random() < knobs.kinsoku:
            while e < n and text[e] in CLOSING:
                e += 1
        line = text[s:e].rstrip() + suffix
        s = e
        while s < n and text[s] == " ":
            s += 1
        if s >= n:
            lines.append(line)
            break
        if kind == plain_kind:
            kind = _plain_break_kind(line, text[s], plain_kind)
        lines.append(line)
        kinds.append(kind)
    return lines, kinds


def _plain_break_kind(line: str, next_char: str, plain_kind: str) -> str:
    if next_char in CLOSING:
        return "punct-start"
    if (
        line.endswith("-")
        and len(line) > 1
        and LETTER_RE.match(line[-2])
        and LETTER_RE.match(next_char)
    ):
        return "hyphen-real"
    if (
        line
        and line[-1].isascii()
        and line[-1].isalnum()
        and next_char.isascii()
        and next_char.isalnum()
    ):
        return "latin"
    return plain_kind


def wrap_full_last_line(
    text: str,
    width: int,
    rng: random.Random,
    knobs: LayoutKnobs,
) -> tuple[list[str], list[str]] | None:
    """Wrap at a width near ``width`` chosen so the last line is exactly full, if one exists.

    Such a paragraph ends exactly at the column edge, so "short last line" does not mark
    its end. The random state is restored before the chosen trial is replayed.
    """
    state = rng.getstate()
    candidates = [width + d for d in (0, 1, -1, 2, -2) if width + d >= 4]
    for w in candidates:
        rng.setstate(state)
        lines, kinds = wrap(text, lambda w=w: w, rng, knobs)  # type: ignore[misc]
        if len(lines) > 1 and text_width(lines[-1]) >= w - 0.5 and not lines[-1].endswith("-"):
            return lines, kinds
    rng.setstate(state)
    return None


def damage_halfwidth(line: str, rate: float, rng: random.Random) -> str:
    """Replace each full-width ，；：（）？！ by its ASCII form with probability ``rate``.

    >>> damage_halfwidth("本报讯（记者张三）今天，开会！", 1.0, random.Random(0))
    '本报讯(记者张三)今天,开会!'
    """
    if rate <= 0:
        return line
    if rate >= 1:
        return HALFWIDTH_RE.sub(lambda m: HALFWIDTH[m.group()], line)
    return HALFWIDTH_RE.sub(
        lambda m: HALFWIDTH[m.group()] if rng.random() < rate else m.group(), line
    )


def damage_inner_space(line: str, rate: float, rng: random.Random) -> str:
    """Insert a space (or tab) between characters at ``rate`` per character."""
    if rate <= 0 or len(line) < 2:
        return line
    out = [line[0]]
    for ch in line[1:]:
        if rng.random() < rate:
            out.append(" " if rng.random() < 0.8 else "\t")
        out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class _Run:
    width: int
    blank: bool


def _new_run(rng: random.Random, knobs: LayoutKnobs, style: PageStyle, old: _Run | None) -> _Run:
    width = rng.randint(knobs.min_width, knobs.max_width)
    if old is not None and rng.random() < 0.5:  # neighbouring columns: similar widths
        width = max(knobs.min_width, min(knobs.max_width, old.width + rng.randint(-2, 2)))
    return _Run(width=width, blank=style.spacing == "mixed" and rng.random() < knobs.blank_run)


SHORT_OPEN_KIND = "short-open"


def short_opening(
    text: str, width: int, rng: random.Random, knobs: LayoutKnobs
) -> tuple[list[str], list[str]] | None:
    """A paragraph whose first line holds only its first 2-9 characters, the rest wrapped
    at ``width``: ``2016年，`` or ``近百名来自各地的`` over the lines that go on with the
    sentence. The cut falls after a clause mark when one is near, else between two Han
    characters; None when the paragraph is too short for it.

    >>> short_opening("2016年，全市新增就业岗位一万多个。", 8, random.Random(1), LayoutKnobs())
    (['2016年，', '全市新增就业岗位', '一万多个。'], ['short-open', 'wrap'])
    """
    if len(text) < 16:
        return None
    clause = [i + 1 for i, ch in enumerate(text[:9]) if ch in "，、" and i >= 1]
    if clause:
        cut = clause[-1]
    else:
        cut = rng.randint(3, 8)
        while cut > 2 and not (HAN_RE.match(text[cut - 1]) and HAN_RE.match(text[cut])):
            cut -= 1
        if not (HAN_RE.match(text[cut - 1]) and HAN_RE.match(text[cut])):
            return None
    if text[cut] in CLOSING or not text[cut:].strip():
        return None
    rest, kinds = wrap(text[cut:].lstrip(" "), lambda: width, rng, knobs)
    return [text[:cut].rstrip(), *rest], [SHORT_OPEN_KIND, *kinds]


def _block_lines(
    block: Block,
    run: _Run,
    rng: random.Random,
    knobs: LayoutKnobs,
) -> tuple[list[str], list[str], bool]:
    """Lines and internal break kinds of one block, and whether its last line is full."""
    text = block.text
    if block.field in NON_STORY_FIELDS:
        return [text], [], False
    if block.field in ONE_LINE_FIELDS:
        if (
            len(text) >= 10
            and block.field in ("title", "deck")
            and rng.random() < knobs.heading_wrap
        ):
            half = max(4, int(text_width(text) / 2) + rng.randint(0, 3))
            lines, kinds = wrap(text, lambda: half, rng, knobs, "heading")
            return lines, kinds, False
        return [text], [], False
    if block.field == "paragraph" and knobs.short_open and rng.random() < knobs.short_open:
        opened = short_opening(text, run.width, rng, knobs)
        if opened is not None:
            return opened[0], opened[1], False
    if rng.random() < knobs.flow:
        lo, hi = knobs.flow_break
        lines, kinds = wrap(text, lambda: rng.randint(lo, hi), rng, knobs, "flow")
        return lines, kinds, False
    if rng.random() < knobs.edge_end:
        full = wrap_full_last_line(text, run.width, rng, knobs)
        if full is not None:
            return full[0], full[1], True

    def width() -> float:
        if rng.random() < knobs.width_jitter:
            return run.width + rng.choice((-1, 1))
        return run.width

    lines, kinds = wrap(text, width, rng, knobs)
    return lines, kinds, False


def render(
    blocks: Sequence[Block],
    rng: random.Random,
    knobs: LayoutKnobs,
    style: PageStyle,
) -> tuple[str, tuple[LineBreak, ...], tuple[str, ...]]:
    """Raw page text, its line-break truth, and the furniture lines as printed."""
    page = render_page(blocks, rng, knobs, style)
    return page.raw, page.breaks, page.furniture


def render_page(
    blocks: Sequence[Block],
    rng: random.Random,
    knobs: LayoutKnobs,
    style: PageStyle,
) -> Rendered:
    """``render`` plus the role of every printed line (same random draws: same page)."""
    pieces: list[str] = []
    breaks: list[LineBreak] = []
    furniture: list[str] = []
    roles: list[LineRole] = []
    line_no = 0
    length = nws = 0
    run: _Run | None = None
    previous: Block | None = None
    last_full = False
    for block in blocks:
        if block.field not in NON_STORY_FIELDS and (
            run is None
            or (
                previous is not None
                and previous.story != block.story
                and rng.random() < knobs.new_run
            )
            or (block.field == "paragraph" and rng.random() < knobs.new_run_in_story)
        ):
            run = _new_run(rng, knobs, style, run)
        lines, kinds, full = _block_lines(block, run or _Run(20, False), rng, knobs)
        lines = [damage_halfwidth(line, style.halfwidth_rate, rng) for line in lines]
        if block.field in NON_STORY_FIELDS:
            furniture.append(lines[0])
        else:
            lines = [damage_inner_space(line, style.inner_space_rate, rng) for line in lines]
            if style.indent and block.field == "paragraph":
                lines[0] = style.indent + lines[0]
        for i, line in enumerate(lines):
            if pieces:
                if i == 0:
                    assert previous is not None
                    boundary, kind = True, _boundary_kind(previous, block, last_full)
                    blank = style.spacing == "double" or (
                        style.spacing == "mixed" and rng.random() < knobs.mixed_blank_boundary
                    )
                else:
                    boundary, kind = False, kinds[i - 1]
                    blank = style.spacing == "double" or (
                        run is not None and run.blank and rng.random() < knobs.blank_wrap
                    )
                    if blank and style.spacing != "double" and kind == "wrap":
                        kind = "wrap-blank"
                if style.trailing_space and rng.random() < 0.2:
                    pieces.append(" ")
                    length += 1
                breaks.append(LineBreak(offset=length, nws=nws, boundary=boundary, kind=kind))
                sep = "\n\n" if blank else "\n"
                pieces.append(sep)
                length += len(sep)
                line_no += len(sep)
            roles.append(LineRole(line_no, block.field, block.story, i == 0))
            pieces.append(line)
            length += len(line)
            nws += len("".join(line.split()))
        previous = block
        last_full = full
    return Rendered("".join(pieces) + "\n", tuple(breaks), tuple(furniture), tuple(roles))


def _boundary_kind(previous: Block, block: Block, last_full: bool) -> str:
    if previous.field in NON_STORY_FIELDS or block.field in NON_STORY_FIELDS:
        return "furniture"
    if previous.story != block.story:
        return "story"
    return "edge" if last_full else "field"
