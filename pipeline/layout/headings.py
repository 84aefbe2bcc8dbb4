"""Step 4 of the column-break rule (``pipeline.layout.lines``): A is a headline candidate.

Whether the line below a headline-shaped paragraph is its wrapped rest, the next line of a
paragraph whose first line only looked like a headline, or the body under a real headline;
and the questions the other steps share with it: does a headline block that leads into a
story start here (:func:`starts_story`), does the column go on below a line
(:func:`column_goes_on`).
"""

from __future__ import annotations

import re

from pipeline.config import LinesConfig
from pipeline.layout.page import Block, BlockKind, Context, Paragraph
from pipeline.layout.shapes import (
    NO_LINE_START,
    inline_byline,
    is_heading_shaped,
    is_kicker_like,
    line_width,
    opens_caption,
)
from pipeline.layout.words import words

LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

_BARE_DROPS = "“”「」‘’『』\"'\N{EM DASH}"

_BARE_MAP = str.maketrans("", "", _BARE_DROPS)

# The first character _bare keeps (\s is whitespace as str.split sees it).
_BARE_FIRST_RE = re.compile(f"[^\\s{_BARE_DROPS}]")

_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9_.+-]+")


def decide_heading(
    ctx: Context, block: Block, k: int, a: str, joiner: str, width_a: float
) -> tuple[str, BlockKind] | None:
    """Step 4 of :func:`decide`: A, a headline candidate, and the paragraph ``k`` below it."""
    cfg = ctx.cfg
    b_para = ctx.paras[k]
    b, width_b = b_para.stripped, b_para.facts.column_width
    x, y = a[-1], b[0]

    def word() -> bool:
        """A word across the break: a Han pair the page uses, or two Latin words (only
        asked when the other reasons to join do not decide: the pair count is costly)."""
        return ctx.page.word_across(ctx.paras[block.last].end) or (
            x.isascii() and x.isalpha() and y.isascii() and y.isalpha()
        )

    # Right after a story's end A opens the next story, as its headline (a caption, 图为…,
    # excepted): it is joined to its wrapped rest only, never to text for its width.
    after_story = (
        block.first > 0 and _closes_story(ctx.paras[block.first - 1]) and not opens_caption(a)
    )

    def one_column() -> bool:
        """A and B are lines of one column that goes on below them: a paragraph's first
        lines, whatever else they look like (never right after a story's end)."""
        return (
            not after_story
            and abs(width_a - width_b) <= cfg.width_tolerance
            and column_goes_on(ctx, k, width_b)
        )

    if _repeats_start(a, b, cfg.min_repeated_start):
        return None  # a line that repeats the start of the one above is no wrap
    if b_para.facts.heading:
        kicker = cfg.headline.max_kicker_phrase
        if (is_kicker_like(a, kicker) or is_kicker_like(b, kicker)) and not one_column():
            return None
        if b.startswith("\N{EM DASH}"):
            return None
        if block.kind != BlockKind.START:
            return None
        # A wrapped headline: B is its rest, no wider than A (a headline wraps at its full
        # width; a rest marked by a particle or its shortness may overhang by the jitter,
        # but not right after a story's end), and the break cuts a word, leaves a particle
        # at an edge, or leaves so little that B cannot be a deck.
        w = words()
        rest = x in w.function_end or y in w.function_start or width_b <= cfg.max_rest_width
        slack = 0.0 if after_story else cfg.width_tolerance
        if (width_b <= width_a + slack and rest) or (width_b <= width_a and word()):
            # ...unless the column goes on below them: not a headline and its rest.
            if one_column():
                return joiner, BlockKind.PARA
            return joiner, _kind_after(a + joiner + b, cfg)
        if after_story or abs(width_a - width_b) > cfg.width_tolerance:
            return None
        # Lines of one column: a paragraph.
        if _has_clause(a) or _has_clause(b) or x in words().function_end:
            return joiner, BlockKind.PARA
        if _clause_edge(ctx, block):
            return None
        column = _column(ctx)
        if column is not None and abs(width_a - column) <= cfg.width_tolerance:
            return joiner, BlockKind.PARA
        return (joiner, BlockKind.PARA) if column_goes_on(ctx, k, width_b) else None
    if after_story:
        return None
    if (
        ctx.indents
        and not (opens_caption(b) or b.startswith("\N{EM DASH}"))
        and not _caption_below(ctx, k)
    ):
        return joiner, BlockKind.PARA
    if b_para.facts.ends:  # B ends its paragraph: A is its full first line, or a headline
        full = width_a >= width_b - cfg.width_tolerance
    else:  # B is a full line (perhaps with a Latin word moved below it): A must be one too
        below = ctx.paras[k + 1].stripped if k + 1 < len(ctx.paras) else ""
        if fills_with_moved_word(cfg, b, width_b, below, width_a):
            width_b = width_a
        full = abs(width_a - width_b) <= cfg.width_tolerance
        # ...or both are as wide as the column of the paragraph before them.
        if not full and (column := _column(ctx)) is not None:
            tolerance = cfg.width_tolerance
            full = abs(width_a - column) <= tolerance and abs(width_b - column) <= tolerance
    # No paragraph starts with the particle 的 (…是查找|的引用), but one may with 的确.
    if _has_clause(a) or (y == "的" and not words().certainly.match(b)) or word():
        return joiner, BlockKind.PARA
    if full and not _clause_edge(ctx, block):
        return joiner, BlockKind.PARA
    return None


def starts_story(ctx: Context, k: int) -> bool:
    """Whether paragraph ``k`` opens a headline block that leads into a story (a lead follows
    its at most ``headline.max_lines`` lines, or a kicker opens it)."""
    paras, lines = ctx.paras, ctx.cfg.headline.max_lines
    for j in range(k, min(k + lines, len(paras))):
        if j > k and (paras[j].facts.lead or paras[j].facts.lead_line):
            return True
        if not paras[j].facts.heading:
            return False
        if j == k + 1 and is_kicker_like(paras[k].text, ctx.cfg.headline.max_kicker_phrase):
            return True
    return k + lines < len(paras) and (
        paras[k + lines].facts.lead or paras[k + lines].facts.lead_line
    )


def column_goes_on(ctx: Context, k: int, width: float) -> bool:
    """Whether the line after paragraph ``k`` continues a column of ``width``: it starts with a
    mark no line starts with, or it is running text (not headline-shaped) just as wide.

    In a narrow column most lines look like headlines (short, no sentence end); a line as
    wide as the column that looks like one counts when the line after it continues too:
    a headline block does not go on for four lines of one width."""
    tolerance = ctx.cfg.width_tolerance
    for j in (k + 1, k + 2):
        if j >= len(ctx.paras):
            return False
        after = ctx.paras[j]
        if after.stripped[0] in NO_LINE_START:
            return True
        if after.facts.alone or after.facts.lead:
            return False
        same = abs(after.facts.width - width) <= tolerance or (
            after.facts.ends and after.facts.width <= width + tolerance
        )
        if not after.facts.heading or not same:
            return same and not after.facts.heading
    return True


def under_reporters(ctx: Context, block: Block) -> bool:
    """Whether ``block`` starts right below a reporters' line (本报记者 陈有会) that stands
    under a headline, between it and the body: then it is body text, however
    headline-shaped. (After body text the same line is a story's end mark, and a headline
    may follow it.)"""
    first = block.first
    return (
        first > 0
        and ctx.paras[first - 1].facts.lead_line
        and (first == 1 or ctx.paras[first - 2].facts.heading)
    )


def fills_with_moved_word(
    cfg: LinesConfig, line: str, width: float, below: str, column: float
) -> bool:
    """Whether ``line`` is as full as ``column`` though narrower: a Latin word that did
    not fit was moved down whole to the line ``below`` (it would have overflowed)."""
    if width >= column or line[-1] in LATIN or not (moved := _LATIN_WORD_RE.match(below)):
        return False
    return width + line_width(moved.group()) + 0.5 >= column - cfg.width_tolerance


def _caption_below(ctx: Context, k: int) -> bool:
    """On a page that indents paragraphs: whether the unindented run of lines from para
    ``k`` is a caption (it ends with a photo credit before the next indented line)."""
    for j in range(k, min(k + ctx.cfg.caption_lines, len(ctx.paras))):
        if ctx.paras[j].facts.credit:
            return True
        if j > k and ctx.paras[j].indented:
            return False
    return False


def _clause_edge(ctx: Context, block: Block) -> bool:
    """Whether the break after ``block`` looks like a clause boundary on this page (see
    ``Page.clause_edge``), as a headline's end and its body's start do."""
    return ctx.page.clause_edge(ctx.paras[block.last].end) >= ctx.cfg.clause_edge


def _closes_story(para: Paragraph) -> bool:
    """Whether ``para`` ends a story: a closing byline (on its own line or after a
    sentence) or a photo credit."""
    return para.facts.byline or para.facts.credit or inline_byline(para.stripped) is not None


def _repeats_start(a: str, b: str, least: int) -> bool:
    """Whether one line begins with the whole other (B with A, or A with a B of ``least``
    characters or more), blanks, quotes and dashes aside: a headline printed twice, or a
    deck made of the headline's first words."""
    first_a, first_b = _first_bare(a), _first_bare(b)
    if first_a and first_a != first_b:
        return False  # the common case, decided without copying either line
    bare_a, bare_b = _bare(a), _bare(b)
    return bare_b.startswith(bare_a) or (len(bare_b) >= least and bare_a.startswith(bare_b))


def _first_bare(text: str) -> str:
    """The first character of ``_bare(text)``, or ""."""
    return m.group() if (m := _BARE_FIRST_RE.search(text)) else ""


def _bare(text: str) -> str:
    """Text without blanks, quotes and dashes, to compare a headline with the line below."""
    return "".join(text.split()).translate(_BARE_MAP)


def _has_clause(text: str) -> bool:
    return any(mark in text for mark in "，、,")


def _column(ctx: Context) -> float | None:
    """The column width after the last finished paragraph: the median width of its lines
    but the last; unchanged after a headline; unknown after a one-line paragraph.

    Only a headline candidate asks, so the paragraphs finished since the last question
    wait in ``ctx.finished``: the last one that is no one-line headline decides.
    """
    for first, last in reversed(ctx.finished):
        if first < last:
            widths = sorted(u.facts.width for u in ctx.paras[first:last])
            ctx.column = widths[len(widths) // 2]
            break
        if not ctx.paras[first].facts.heading:
            ctx.column = None
            break
    ctx.finished.clear()
    return ctx.column


def _kind_after(joined: str, cfg: LinesConfig) -> BlockKind:
    """A join of two headline-shaped lines is a headline while the result still is one."""
    return (
        BlockKind.HEADING if is_heading_shaped(joined, cfg.headline.max_width) else BlockKind.PARA
    )
