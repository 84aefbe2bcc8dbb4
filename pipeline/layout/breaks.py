"""The column-break rule at one break: steps 1-3 and 5 (``pipeline.layout.lines`` gives
the whole rule; step 4, a headline candidate, is ``pipeline.layout.headings``).

:func:`decide` answers for the break between the paragraph a pass is building (A) and the
next paragraph (B): a joiner and what the block is now, or None for a boundary.
"""

from __future__ import annotations

import re

from pipeline.layout.headings import (
    LATIN,
    column_goes_on,
    decide_heading,
    fills_with_moved_word,
    starts_story,
    under_reporters,
)
from pipeline.layout.page import Block, BlockKind, Context
from pipeline.layout.shapes import (
    NO_LINE_END,
    NO_LINE_START,
    ends_sentence,
    has_credit,
    is_bare_lead,
    is_heading_shaped,
    opens_caption,
)
from pipeline.layout.words import words
from pipeline.text import CLOSING_MARKS

ZWSP = "\N{ZERO WIDTH SPACE}"

# Hangul, with the half-width jamo (ￂ) that chars.HANGUL_RE leaves out.
HANGUL_RE = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\uffa0-\uffdc]")

_LATIN_CHARS = "".join(sorted(LATIN))

_JOINS = LATIN | frozenset(",;:")  # _joiner gives "" after any other character


def decide(ctx: Context, block: Block, k: int) -> tuple[str, BlockKind] | None:
    """Joiner and new block kind when the break before paragraph ``k`` is a wrap, else None.

    Whether A ends a sentence or with a photo credit is its last paragraph's answer while the
    block is that one paragraph, or while that paragraph's end holds all the question looks at.
    """
    cfg = ctx.cfg
    a = block.text.rstrip()
    last, b_para = ctx.paras[block.last], ctx.paras[k]
    b = b_para.stripped
    x, y = a[-1], b[0]
    if ctx.hangul and (HANGUL_RE.match(x) or HANGUL_RE.match(y)):
        return None  # Korean wraps at spaces; not ours to repair
    joiner = _joiner(a, b) if x in _JOINS else ""
    # 1. Forced joins; a photo credit on its own line closes the caption above it.
    if ZWSP in (x, y) or y in NO_LINE_START or x in NO_LINE_END or b_para.facts.credit_line:
        # Marks alone on a line (。 cut from the line above) hang past its edge: a first
        # line stays one, as it is once joined (idempotence).
        orphan = block.kind == BlockKind.START and not b.strip(NO_LINE_START)
        return joiner, BlockKind.START if orphan else BlockKind.PARA
    # ...and so does its last word, cut from the name at the space before it (邓学松 | 摄).
    if len(b) == 1 and b in words().credit_last and has_credit(f"{a} {b}"):
        return " ", BlockKind.PARA
    if (x == "-" and len(a) > 1 and a[-2] in LATIN and y in LATIN) or (
        y.isdigit() and (x.isdigit() or (x in ".," and len(a) > 1 and a[-2].isdigit()))
    ):
        return joiner, BlockKind.PARA
    tail = last.stripped
    # ends_sentence or has_credit of a paragraph looks back past its last line only after
    # closing marks (and a byline in brackets) or a credit's 摄/发.
    reaches = tail[-1] in CLOSING_MARKS or tail[-1] in words().credit_last
    if block.first == block.last or (len(tail) > 1 and not reaches):
        ends, credit = last.facts.ends, last.facts.credit
    else:  # a byline, a closing mark, a credit or a decimal point may reach back past it
        ends, credit = ends_sentence(a), has_credit(a)
    # A lead formula alone (新华社成都5月23日电 |（记者肖健慧）| 显示…) opens the paragraph
    # below it: the column cut it from its reporters and body.
    if not b_para.facts.lead and not b_para.facts.lead_line and last.facts.lead and is_bare_lead(a):
        return joiner, BlockKind.PARA
    # 2. Forced boundaries.
    if last.facts.alone or b_para.facts.alone or b_para.facts.lead or credit:
        return None
    if ctx.indents and b_para.indented:
        return None
    width_a, width_b = last.facts.column_width, b_para.facts.column_width
    heading_b = b_para.facts.heading
    # 3. A ends a sentence: a boundary unless the page shows that B continues.
    if ends:
        full = width_a >= max(width_b, block.previous_width or 0.0) - cfg.width_tolerance
        # Blank lines are put at column breaks: an unwrapped paragraph's line is no column's.
        column_line = width_a <= cfg.headline.max_width
        continues = (ctx.indents and not b_para.indented) or (
            ctx.blanks and not ctx.blank_before[k] and full and column_line
        )
        first_line = ctx.columns and block.kind == BlockKind.START
        # No sign that B goes on, or B opens a caption or a headline cut in its brackets.
        if not (continues or first_line) or _caption_or_cut_heading(ctx, k):
            return None
        if continues and not heading_b:
            return joiner, BlockKind.PARA
        goes_on = first_line and _first_line_goes_on(ctx, block, k, width_b)
        return (joiner, BlockKind.PARA) if goes_on else None
    # A Latin word that did not fit was moved down whole: A is as full as the column if it
    # is no wider than B and would have overflowed with that word.
    if fills_with_moved_word(cfg, a, width_a, b, width_b):
        width_a = width_b
    # 4. A is a headline candidate. A HEADING block was headline-shaped when it was joined
    # (``headings._kind_after``); a START block is its one paragraph.
    candidate = block.kind == BlockKind.HEADING or (
        block.kind == BlockKind.START and last.facts.heading
    )
    if candidate and not under_reporters(ctx, block):
        return decide_heading(ctx, block, k, a, joiner, width_a)
    # 5. A paragraph in progress: it goes on, unless a new story's headline starts at B
    # (a photo credit cut by the column, "…戴树|泰 摄", is no headline).
    if heading_b and starts_story(ctx, k) and not has_credit(a + joiner + b):
        return None
    return joiner, BlockKind.PARA


def _caption_or_cut_heading(ctx: Context, k: int) -> bool:
    """Whether paragraph ``k`` opens a caption (图为…) or a headline cut in its brackets."""
    return opens_caption(ctx.paras[k].stripped) or _cut_heading(ctx, k)


def _cut_heading(ctx: Context, k: int) -> bool:
    """Whether paragraph ``k`` is the first line of a headline the column cut inside a bracket
    or quote ("请对书名页应用「" over "首页」样式"): headline-shaped with the next line."""
    line = ctx.paras[k].stripped
    if line[-1] not in NO_LINE_END or k + 1 >= len(ctx.paras):
        return False
    return is_heading_shaped(line + ctx.paras[k + 1].stripped, ctx.cfg.headline.max_width)


def _first_line_goes_on(ctx: Context, block: Block, k: int, width_b: float) -> bool:
    """Whether a paragraph's first line, which ends a sentence exactly at the column edge,
    goes on into B: a paragraph is seldom one full line, so it does when B is a line of the
    same column and opens no headline (one that leads into a story or stands out from the
    column), or a narrower line that ends the paragraph; the caller has ruled out a
    caption. The block is its first paragraph, that line, and perhaps marks cut from its end
    onto lines of their own (hung past the edge)."""
    cfg, a_para, b_para = ctx.cfg, ctx.paras[block.first], ctx.paras[k]
    heading = (
        a_para.facts.heading
        if block.first == block.last
        else is_heading_shaped(block.text, cfg.headline.max_width)
    )
    if a_para.start < a_para.end or b_para.start < b_para.end or heading:
        return False  # a paragraph from an earlier pass, or a headline of its own
    width_a = a_para.facts.column_width
    if not cfg.min_column_width <= width_a <= cfg.headline.max_width:
        return False  # a short line, or an unwrapped paragraph
    if abs(width_a - width_b) > cfg.width_tolerance:
        # B is no line of A's column, unless it is the paragraph's short last line.
        return width_b < width_a and b_para.facts.ends and not b_para.facts.heading
    return not b_para.facts.heading or (
        not starts_story(ctx, k) and column_goes_on(ctx, k, width_b)
    )


def _joiner(a: str, b: str) -> str:
    """One space between two Latin words; nothing next to CJK, digits cut apart, hyphens."""
    x, y = a[-1], b[0]
    if x.isdigit() and y.isdigit():
        return ""
    if x in LATIN and y in LATIN:
        if x.isalpha() and y.isalpha():
            return " "
        # The letters on the letter side: K154, 5G / Windows 10, 3 packages.
        if x.isalpha():
            letters = a[len(a.rstrip(_LATIN_CHARS)) :]
        else:
            letters = b[: len(b) - len(b.lstrip(_LATIN_CHARS))]
        return "" if len(letters) <= 2 else " "
    if x in ",;:" and len(a) > 1 and a[-2] in LATIN and y in LATIN:
        return " "
    return ""
