"""Column-break repair (转栏) and de-hyphenation.

A page dump breaks a line wherever the printed column ended, and column breaks often leave
blank lines ("包\\n\\n括创新激励机制"). :func:`join_broken_lines` decides, for every break
between two non-blank lines, whether it is a *wrap* inside a paragraph (join: nothing
between CJK characters, one space between Latin words) or a *boundary* (paragraph end,
headline, byline, caption: exactly one ``\\n``). The decision rule, in order (A is the
paragraph built so far, ending with the line above the break, B the line below):

1. **Forced joins**: a zero-width space at the break; B starts with a mark never set at a
   line start (避头: ，。、；：？！）」》…” ,.;:?!)); A ends with one never set at a line end
   (避尾: （「《“ (); B is a photo credit on its own line (倪树斌 摄), or its 摄 alone
   (joined with the space the cut took: 邓学松 | 摄); a hyphen between letters or
   digits; a number cut by the column ("1.\n6亿元").
2. **Forced boundaries**: A or B is a line of its own kind (a bracketed byline （孙富常）,
   a lead line 本报通讯员 陈有会, a running head, page number or staff line); A ends with
   a photo credit; B opens with a lead formula (本报讯, 新华社…电, also when the column cut
   it); B is indented on a page whose indents mark paragraph starts. Breaks next to Hangul
   are left alone (Korean wraps at spaces).
3. **A ends a sentence** (。！？…； or ASCII, closing quotes, a byline after them): a
   boundary, unless the page itself shows that B continues and B is no headline (also
   one cut inside its brackets, 「|) or caption: the page marks paragraph starts by
   indents and B has none, or it puts blank lines after sentence ends but not here and
   A's last line is as wide as the column (and is a column's line: an unwrapped
   paragraph's line, wider than ``headline.max_width``, ends its paragraph). Nor is it one
   when A is a paragraph's first line and B a line of the same width that opens no
   headline or caption, or a narrower one that ends the paragraph, on a page set in
   columns (few lines end a sentence, ``max_line_end_share``): a paragraph is seldom one
   full line. Otherwise a sentence that ends exactly at the column edge keeps its
   boundary when the page gives no sign (must-not-change).
4. **A is a headline candidate** (its paragraph so far is one line, or a wrapped headline:
   short, no sentence in it, no open bracket, see ``layout.is_heading_shaped``; not right
   below a reporters' line such as 本报记者 陈有会 under a headline: body text follows).
   If B is headline-shaped too: never join a kicker-like line (two phrases set apart by a
   space; unless A and B are lines of one column that goes on below them), a deck led by
   a dash, or a line that repeats the start of the other (printed twice, or a deck made
   of the headline's first words); join as a **wrapped headline**
   when B is no wider than A and is its rest (a word across the break, a particle left at
   an edge: …的|…, …|的…, or B at most ``max_rest_width`` wide; the last two may overhang
   A by ``width_tolerance``, but not after a story's end), and the column of A and B
   does not go on below them; join as a **paragraph** when A and B are as wide as each
   other and as the column (a comma in them, a function word at A's end, the width of
   the paragraph before, or a third line of that width).
   If B is body text: join when A is as wide as B (B a full line; both as wide as the
   column of the paragraph before also counts) or at least as wide (B ends its
   paragraph), when a word crosses the break, when B starts with the particle 的,
   when A has a comma, or when the page indents paragraphs and B, unindented, is no
   caption (it runs to a photo credit) or deck (——); otherwise A was a headline. A Latin
   word moved down whole to B counts as part of A's width (and one moved below B, of
   B's). Width alone joins no break that the page shows to be a clause boundary: a
   clause mark often follows A's last character on the page and often precedes B's
   first (``clause_edge``). Right after a story's end (a closing byline or a photo
   credit) A is the next story's headline: joined only to its wrapped rest, never to
   body text for its width (a caption 图为… excepted).
5. **Otherwise A is a paragraph in progress**: join, unless B begins a headline block
   that leads into a new story (one to three headline lines and then a lead, or a kicker),
   which means A's story was cut off there; a photo credit cut by the column is no
   headline.

"A word across the break" is a statistic of the page itself: the Han pair formed by A's
last and B's first character occurs elsewhere on the page at least ``min_pair_count`` times
and ``pair_ratio`` times more often than chance (or both sides are Latin letters). Jieba's
dictionary in its place was measured on the bench harness and made things slightly worse
(more false words across headline breaks), so it is not a dependency. Widths count Han as
1 and ASCII as 1/2. Every threshold is in :class:`~pipeline.config.LinesConfig`.

The rule runs over the page's lines, then again over the paragraphs it built, until a pass
joins nothing; so the result is a fixed point, and ``join_broken_lines`` is idempotent.
What the rule asks about a line or paragraph (its width, shape, sentence end, lead...) is
answered once per page and kept across passes by ``pipeline.layout.page.Page``, from the
arrays and edge tables of ``pipeline.layout.facts``: the same answers as the predicates of
``pipeline.layout.shapes``, asked once per paragraph instead of at every break in every pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from itertools import pairwise

from pipeline.config import LinesConfig
from pipeline.document import Document, Stats, compose, map_text
from pipeline.layout.hyphens import dehyphenate
from pipeline.layout.page import Page, Paragraph
from pipeline.layout.shapes import (
    NO_LINE_END,
    NO_LINE_START,
    WRAP_MARK,
    ends_sentence,
    has_credit,
    inline_byline,
    is_bare_lead,
    is_heading_shaped,
    is_kicker_like,
    line_width,
    opens_caption,
)
from pipeline.layout.words import words
from pipeline.text.chars import CLOSING_MARKS

__all__ = [
    "dehyphenate",
    "join_broken_lines",
    "repair_lines",
]  # dehyphenate: pipeline.layout.hyphens

ZWSP = "\N{ZERO WIDTH SPACE}"
# Hangul, with the half-width jamo (ￂ) that chars.HANGUL_RE leaves out.
HANGUL_RE = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\uffa0-\uffdc]")
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LATIN_CHARS = "".join(sorted(_LATIN))
_JOINS = _LATIN | frozenset(",;:")  # _joiner gives "" after any other character
_BARE_DROPS = "“”「」‘’『』\"'\N{EM DASH}"
_BARE_MAP = str.maketrans("", "", _BARE_DROPS)
# The first character _bare keeps (\s is whitespace as str.split sees it).
_BARE_FIRST_RE = re.compile(f"[^\\s{_BARE_DROPS}]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9_.+-]+")


class BlockKind(StrEnum):
    """What the paragraph a pass is building has been so far."""

    START = "start"  # one paragraph, nothing joined to it yet
    HEADING = "heading"  # a wrapped headline
    PARA = "para"  # running text


@dataclass(slots=True)
class _Block:
    """The paragraph a pass is building: paragraphs ``first..last`` (positions in the pass)."""

    first: int
    last: int
    text: str
    kind: BlockKind
    previous_width: float | None = None  # width of the paragraph before ``last``


def join_broken_lines(
    text: str, cfg: LinesConfig | None = None, *, mark_wraps: bool = False
) -> str:
    """Join lines a column cut (wraps); keep one ``\\n`` at every paragraph boundary.

    What changes: wraps disappear (with the blank lines a column break left, and the
    blanks at the wrap); a space joins two Latin words; blank lines between paragraphs
    and at the ends go. What stays: every non-whitespace character, in order; paragraph
    indentation; a final newline. Hyphens are left to :func:`dehyphenate`. The decision
    rule is in the module docstring.

    Args:
        text: a page or any part of one, raw or normalised.
        cfg: thresholds of the rule; the defaults when None.
        mark_wraps: keep one line per source line instead: a wrap becomes U+2028 LINE
            SEPARATOR and boundaries keep their blank lines, so that line numbers still
            point into the source file (the ``lines`` stage uses this; segmentation then
            reads paragraphs and their source spans, and drops the marks).

    >>> join_broken_lines("湖北推出改革方案\\n\\n本报讯（记者邹明强）发方案，包\\n\\n括机制。")
    '湖北推出改革方案\\n本报讯（记者邹明强）发方案，包括机制。'
    >>> join_broken_lines("据了解，改革举措坚持问题导\\n向，实现创新和突\\n破。", mark_wraps=True)
    '据了解，改革举措坚持问题导\\u2028向，实现创新和突\\u2028破。'
    """
    cfg = cfg or LinesConfig()
    page = Page(text, cfg)
    hangul = HANGUL_RE.search(text) is not None
    paras, blanks = page.paragraphs(
        with_blanks=True
    )  # the first pass: source lines, with their blank lines
    columns = _set_in_columns(paras, cfg)
    while _pass(page, paras, blanks, cfg, hangul=hangul, columns=columns):
        paras, blanks = page.paragraphs(with_blanks=False)
    if mark_wraps:
        return page.render_marked()
    rendered = "\n".join(u.text for u in page.paragraphs(with_blanks=False)[0])
    return rendered + "\n" if rendered and text.endswith(("\n", WRAP_MARK)) else rendered


@dataclass(slots=True)
class _Context:
    """What one pass knows about the whole page."""

    cfg: LinesConfig
    page: Page
    paras: list[Paragraph]
    blank_before: list[int]  # blank lines before each paragraph (first pass only)
    indents: bool  # the page marks paragraph starts by indenting them
    blanks: bool  # the page marks sentence-final boundaries by blank lines
    hangul: bool  # the page has Hangul somewhere
    columns: bool  # the page is set in columns (``_set_in_columns``)
    # The paragraphs finished since ``column`` was last brought up to date (see _column).
    finished: list[tuple[int, int]] = field(default_factory=list)
    column: float | None = None  # width of the full lines of the last wrapped paragraph


def _pass(
    page: Page,
    paras: list[Paragraph],
    blanks: list[int],
    cfg: LinesConfig,
    *,
    hangul: bool,
    columns: bool,
) -> bool:
    """Decide every break between ``paras`` in order; return whether anything was joined."""
    if len(paras) < 2:
        return False
    ctx = _context(page, paras, blanks, cfg, hangul=hangul, columns=columns)
    changed = False
    block = _Block(0, 0, paras[0].text, BlockKind.START)
    for k in range(1, len(paras)):
        decision = _decide(ctx, block, k)
        para = paras[k]
        if decision is None:
            ctx.finished.append((block.first, block.last))
            block.first = block.last = k
            block.text, block.kind, block.previous_width = para.text, BlockKind.START, None
            continue
        joiner, kind = decision
        last = paras[block.last]
        page.links[last.end] = joiner
        changed = True
        block.last = k
        block.kind, block.previous_width = kind, last.facts.width
        # Grown in place: with the block's reference dropped, ``text`` is the string's only
        # one, and CPython then extends it instead of copying (a paragraph of n lines would
        # otherwise cost n copies of itself).
        text, block.text = block.text, ""
        text += joiner
        text += para.stripped
        block.text = text
    return changed


def _context(
    page: Page,
    paras: list[Paragraph],
    blanks: list[int],
    cfg: LinesConfig,
    *,
    hangul: bool,
    columns: bool,
) -> _Context:
    # Indents mean paragraph starts when some lines have one and lines that continue a
    # sentence (after a line with no sentence end) almost never do.
    indented = sum(u.indented for u in paras)
    inside = [
        u.indented
        for prev, u in pairwise(paras)
        if not prev.facts.ends
        and not prev.facts.heading
        and not prev.facts.alone
        and not prev.facts.credit
    ]
    indents = indented >= 2 and sum(inside) <= cfg.max_indent_share * max(len(inside), 1)
    breaks = list(zip(paras, blanks[1:], strict=False))  # a paragraph, the blank lines after it
    ends = [blank > 0 for prev, blank in breaks if prev.facts.ends]
    wraps = [blank > 0 for prev, blank in breaks if not prev.facts.ends and not prev.facts.heading]
    blank_lines = (
        len(ends) >= cfg.min_blank_breaks
        and len(wraps) >= cfg.min_blank_breaks
        and sum(ends) >= cfg.blank_boundary_share * len(ends)
        and sum(wraps) <= cfg.blank_wrap_share * len(wraps)
    )
    return _Context(cfg, page, paras, blanks, indents, blank_lines, hangul, columns)


def _decide(ctx: _Context, block: _Block, k: int) -> tuple[str, BlockKind] | None:
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
    if (x == "-" and len(a) > 1 and a[-2] in _LATIN and y in _LATIN) or (
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
    if _fills_with_moved_word(cfg, a, width_a, b, width_b):
        width_a = width_b
    # 4. A is a headline candidate.
    # A "heading" block was headline-shaped when it was joined (``_kind_after``); a BlockKind.START
    # block is its one paragraph.
    if (
        block.kind == BlockKind.HEADING or (block.kind == BlockKind.START and last.facts.heading)
    ) and not (_under_reporters(ctx, block)):
        return _decide_heading(ctx, block, k, a, joiner, width_a)
    # 5. A paragraph in progress: it goes on, unless a new story's headline starts at B
    # (a photo credit cut by the column, "…戴树|泰 摄", is no headline).
    if heading_b and _starts_story(ctx, k) and not has_credit(a + joiner + b):
        return None
    return joiner, BlockKind.PARA


def _decide_heading(
    ctx: _Context, block: _Block, k: int, a: str, joiner: str, width_a: float
) -> tuple[str, BlockKind] | None:
    """Step 4 of :func:`_decide`: A, a headline candidate, and the paragraph ``k`` below it."""
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
            and _column_goes_on(ctx, k, width_b)
        )

    if _repeats_start(a, b, cfg.min_repeated_start):
        return None  # a line that repeats the start of the one above is no wrap
    if b_para.facts.heading:
        kicker = cfg.headline.max_kicker_phrase
        if (is_kicker_like(a, kicker) or is_kicker_like(b, kicker)) and not one_column():
            return None
        if b.startswith("\N{EM DASH}"):
            return None
        if block.kind != "start":
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
        return (joiner, BlockKind.PARA) if _column_goes_on(ctx, k, width_b) else None
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
        if _fills_with_moved_word(cfg, b, width_b, below, width_a):
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


def _fills_with_moved_word(
    cfg: LinesConfig, line: str, width: float, below: str, column: float
) -> bool:
    """Whether ``line`` is as full as ``column`` though narrower: a Latin word that did
    not fit was moved down whole to the line ``below`` (it would have overflowed)."""
    if width >= column or line[-1] in _LATIN or not (moved := _LATIN_WORD_RE.match(below)):
        return False
    return width + line_width(moved.group()) + 0.5 >= column - cfg.width_tolerance


def _caption_or_cut_heading(ctx: _Context, k: int) -> bool:
    """Whether paragraph ``k`` opens a caption (图为…) or a headline cut in its brackets."""
    return opens_caption(ctx.paras[k].stripped) or _cut_heading(ctx, k)


def _cut_heading(ctx: _Context, k: int) -> bool:
    """Whether paragraph ``k`` is the first line of a headline the column cut inside a bracket
    or quote ("请对书名页应用「" over "首页」样式"): headline-shaped with the next line."""
    line = ctx.paras[k].stripped
    if line[-1] not in NO_LINE_END or k + 1 >= len(ctx.paras):
        return False
    return is_heading_shaped(line + ctx.paras[k + 1].stripped, ctx.cfg.headline.max_width)


def _caption_below(ctx: _Context, k: int) -> bool:
    """On a page that indents paragraphs: whether the unindented run of lines from para
    ``k`` is a caption (it ends with a photo credit before the next indented line)."""
    for j in range(k, min(k + ctx.cfg.caption_lines, len(ctx.paras))):
        if ctx.paras[j].facts.credit:
            return True
        if j > k and ctx.paras[j].indented:
            return False
    return False


def _clause_edge(ctx: _Context, block: _Block) -> bool:
    """Whether the break after ``block`` looks like a clause boundary on this page (see
    ``Page.clause_edge``), as a headline's end and its body's start do."""
    return ctx.page.clause_edge(ctx.paras[block.last].end) >= ctx.cfg.clause_edge


def _under_reporters(ctx: _Context, block: _Block) -> bool:
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


def _closes_story(para: Paragraph) -> bool:
    """Whether ``para`` ends a story: a closing byline (on its own line or after a
    sentence) or a photo credit."""
    return para.facts.byline or para.facts.credit or inline_byline(para.stripped) is not None


def _joiner(a: str, b: str) -> str:
    """One space between two Latin words; nothing next to CJK, digits cut apart, hyphens."""
    x, y = a[-1], b[0]
    if x.isdigit() and y.isdigit():
        return ""
    if x in _LATIN and y in _LATIN:
        if x.isalpha() and y.isalpha():
            return " "
        # The letters on the letter side: K154, 5G / Windows 10, 3 packages.
        if x.isalpha():
            letters = a[len(a.rstrip(_LATIN_CHARS)) :]
        else:
            letters = b[: len(b) - len(b.lstrip(_LATIN_CHARS))]
        return "" if len(letters) <= 2 else " "
    if x in ",;:" and len(a) > 1 and a[-2] in _LATIN and y in _LATIN:
        return " "
    return ""


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


def _column(ctx: _Context) -> float | None:
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


def _set_in_columns(paras: list[Paragraph], cfg: LinesConfig) -> bool:
    """Whether the page's lines are a column's lines: few of its running-text lines (no
    headline or line of its own kind) end a sentence. A page of paragraphs, one per line
    (this function's own output among them), has most of them end one: there, a line that
    ends a sentence is no coincidence of the column, and joining it would undo a boundary
    the first run kept (idempotence). A share of a few lines says nothing: a page needs
    ``min_column_lines`` running-text lines to be judged."""
    running = [u.facts.ends for u in paras if not u.facts.heading and not u.facts.alone]
    if len(running) < cfg.min_column_lines:
        return False
    return sum(running) <= cfg.max_line_end_share * len(running)


def _first_line_goes_on(ctx: _Context, block: _Block, k: int, width_b: float) -> bool:
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
        not _starts_story(ctx, k) and _column_goes_on(ctx, k, width_b)
    )


def _column_goes_on(ctx: _Context, k: int, width: float) -> bool:
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


def _kind_after(joined: str, cfg: LinesConfig) -> BlockKind:
    """A join of two headline-shaped lines is a headline while the result still is one."""
    return (
        BlockKind.HEADING if is_heading_shaped(joined, cfg.headline.max_width) else BlockKind.PARA
    )


def _starts_story(ctx: _Context, k: int) -> bool:
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


def repair_lines(docs: Iterable[Document], cfg: LinesConfig, stats: Stats) -> Iterator[Document]:
    """Stage: de-hyphenate, then join wrapped lines, each when switched on.

    Wraps are kept as U+2028 marks (``mark_wraps=True``) so that the page still has one
    line per source line; ``pipeline.layout.segment`` reads them and removes them.
    """
    steps = []
    if cfg.dehyphenate:
        steps.append(map_text(partial(dehyphenate, mark_wraps=True), "dehyphenate", stats))
    if cfg.join:
        steps.append(
            map_text(
                partial(join_broken_lines, cfg=cfg, mark_wraps=True), "join_broken_lines", stats
            )
        )
    return compose(steps)(docs)
