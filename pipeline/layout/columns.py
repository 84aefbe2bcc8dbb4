"""The column-break rule of the rule engine (转栏): one of the line model's inputs.

Before the line model, line repair was this rule alone; now its verdict on every break is
a feature of the model (``pipeline.layout.features``: "rules wrap"), which learns where
the text (a dictionary word across the break, how headline-like a line's characters are)
should overrule it. The decision rule, in order (A is the paragraph built so far, ending
with the line above the break, B the line below):

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
This module runs the passes; ``pipeline.layout.breaks`` decides a break (steps 1-3 and 5)
and ``pipeline.layout.headings`` a headline candidate's (step 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from pipeline.config import LinesConfig
from pipeline.layout.breaks import HANGUL_RE, decide
from pipeline.layout.facts import LineFacts
from pipeline.layout.page import Block, BlockKind, Context, Page, Paragraph

__all__ = ["rule_links"]  # dehyphenate: pipeline.layout.hyphens


def rule_links(
    text: str, cfg: LinesConfig | None = None, line_facts: Sequence[LineFacts] | None = None
) -> list[str | None]:
    """The rule's verdict on every break between two non-blank lines of ``text``: the
    joiner of a wrap, None at a boundary (``Page.links`` after the passes). ``line_facts``
    are the facts of its non-blank lines when the caller has them (``facts.describe``).

    >>> rule_links("湖北推出改革方案\\n\\n本报讯（记者邹明强）发方案，包\\n\\n括机制。")
    [None, '']
    """
    cfg = cfg or LinesConfig()
    page = Page(text, cfg, line_facts)
    hangul = HANGUL_RE.search(text) is not None
    paras, blanks = page.paragraphs(with_blanks=True)
    columns = _set_in_columns(paras, cfg)
    while _pass(page, paras, blanks, cfg, hangul=hangul, columns=columns):
        paras, blanks = page.paragraphs(with_blanks=False)
    return page.links


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
    block = Block(0, 0, paras[0].text, BlockKind.START)
    for k in range(1, len(paras)):
        decision = decide(ctx, block, k)
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
) -> Context:
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
    return Context(cfg, page, paras, blanks, indents, blank_lines, hangul, columns)


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
