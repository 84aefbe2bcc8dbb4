"""Column-break repair (转栏) and de-hyphenation.

A page dump breaks a line wherever the printed column ended, and column breaks often leave
blank lines ("包\\n\\n括创新激励机制"). :func:`join_broken_lines` decides, for every break
between two non-blank lines, whether it is a *wrap* inside a paragraph (join: nothing
between CJK characters, one space between Latin words) or a *boundary* (paragraph end,
headline, byline, caption: exactly one ``\\n``). The decision rule, in order (A is the
paragraph built so far, ending with the line above the break, B the line below):

1. **Forced joins**: a zero-width space at the break; B starts with a mark never set at a
   line start (避头: ，。、；：？！）」》…” ,.;:?!)); A ends with one never set at a line end
   (避尾: （「《“ (); B is a photo credit on its own line (倪树斌 摄); a hyphen between
   letters or digits; a number cut by the column ("1.\n6亿元").
2. **Forced boundaries**: A or B is a line of its own kind (a bracketed byline （孙富常）,
   a lead line 本报通讯员 陈有会, a running head, page number or staff line); A ends with
   a photo credit; B opens with a lead formula (本报讯, 新华社…电, also when the column cut
   it); B is indented on a page whose indents mark paragraph starts. Breaks next to Hangul
   are left alone (Korean wraps at spaces).
3. **A ends a sentence** (。！？…； or ASCII, closing quotes, a byline after them): a
   boundary, unless the page itself shows that B continues and B is no headline or
   caption: the page marks paragraph starts by indents and B has none, or it puts blank
   lines after sentence ends but not here and A's last line is as wide as the column. So a
   sentence that ends exactly at the column edge keeps its boundary when the page gives no
   sign (must-not-change).
4. **A is a headline candidate** (its paragraph so far is one line, or a wrapped headline:
   short, no sentence in it, no open bracket, see ``layout.is_heading_shaped``).
   If B is headline-shaped too: never join a kicker-like line (two phrases set apart by a
   space), a deck led by a dash, or a line printed twice; join as a **wrapped headline**
   when B is no wider than A and is its rest (a word across the break, a particle left at
   an edge: …的|…, …|的…, or B at most ``max_rest_width`` wide); join as a **paragraph**
   when A and B are as wide as each other and as the column (a comma in them, a function
   word at A's end, the width of the paragraph before, or a third line of that width).
   If B is body text: join when A is as wide as B (B a full line) or at least as wide (B
   ends its paragraph), when a word crosses the break, or when A has a comma; otherwise A
   was a headline. A Latin word moved down whole to B counts as part of A's width.
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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import pairwise

from pipeline.chars import HAN_RE
from pipeline.config import LinesConfig
from pipeline.document import Document, Stats, compose, map_text
from pipeline.layout import (
    NO_LINE_END,
    NO_LINE_START,
    WRAP_MARK,
    ends_sentence,
    furniture_rule,
    has_credit,
    is_byline,
    is_credit_line,
    is_heading_shaped,
    is_kicker_like,
    is_lead,
    is_lead_line,
    line_width,
    starts_with_lead,
)

ZWSP = "\N{ZERO WIDTH SPACE}"
# Words that cannot end a headline: a line ending with one runs on (…农民工的 / 和).
FUNCTION_END = "的地得和与及或在把被对从向将由之其并而但"
# ...and particles that cannot start one: a line starting with one is the rest of a line.
FUNCTION_START = "的地得了着过之"
# Hangul, with the half-width jamo (ￂ) that chars.HANGUL_RE leaves out.
HANGUL_RE = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\uffa0-\uffdc]")
INDENT_RE = re.compile("^(?:\u3000|\t| {2,})")
_SPLIT_RE = re.compile(f"([\n{WRAP_MARK}])")
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
# A soft hyphen at a line end: letters, a hyphen, then (next line) a lower-case letter.
_HYPHEN_LEFT_RE = re.compile(r"([A-Za-z][A-Za-z-]*)-$")
_HYPHEN_RIGHT_RE = re.compile(r"^[a-z][A-Za-z]*")
_BARE_MAP = str.maketrans("", "", "“”「」‘’『』\"'\N{EM DASH}")
_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9_.+-]+")
_ALNUM_TAIL_RE = re.compile(r"[A-Za-z0-9]+$")
_ALNUM_HEAD_RE = re.compile(r"^[A-Za-z0-9]+")


def dehyphenate(text: str, *, mark_wraps: bool = False) -> str:
    """Rejoin Latin words hyphenated at a line end: "infor-\\nmation" -> "information".

    Only a hyphen that ends a line, after a letter, before a line starting with a
    lower-case letter is removed, with the line break (and blank lines) after it. It
    stays when the word before it is already hyphenated ("state-of-the-\\nart") or when
    the page prints the hyphenated form more often than the joined one. Hyphens inside a
    line ("COVID-19", "1990-2000", "2016-2017年"), before digits or capitals, and between
    Han characters are never touched. ``mark_wraps``: see :func:`join_broken_lines`.

    >>> dehyphenate("参见 infor-\\n\\nmation 一节")
    '参见 information 一节'
    >>> dehyphenate("state-of-the-\\nart，1990-\\n2000年，中-\\n国")
    'state-of-the-\\nart，1990-\\n2000年，中-\\n国'
    """
    pieces = _SPLIT_RE.split(text)
    lines, seps = pieces[0::2], pieces[1::2]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for p, q in pairwise(filled):
        left = _HYPHEN_LEFT_RE.search(lines[p].rstrip())
        right = _HYPHEN_RIGHT_RE.match(lines[q].lstrip())
        if not left or not right or "-" in left.group(1):
            continue
        word, rest = left.group(1), right.group()
        if _count_word(text, f"{word}-{rest}") > _count_word(text, f"{word}{rest}"):
            continue
        lines[p] = lines[p].rstrip()[:-1]
        lines[q] = lines[q].lstrip()
        for i in range(p, q):
            seps[i] = WRAP_MARK if mark_wraps else ""
            if i > p:
                lines[i] = ""
    out = [lines[0]]
    for sep, line in zip(seps, lines[1:], strict=True):
        out.append(sep)
        out.append(line)
    return "".join(out)


def _count_word(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text))


@dataclass(slots=True)
class _Page:
    """The lines of a text and the decisions taken so far (one joiner per wrap)."""

    lines: list[str]  # every source line, trailing whitespace kept until rendering
    filled: list[int]  # indices of the non-blank lines
    links: list[str | None]  # per break between filled lines: joiner, or None (boundary)


@dataclass(slots=True)
class _Unit:
    """A paragraph as it stands at the start of a pass."""

    start: int  # first and last index into _Page.filled
    end: int
    text: str
    blank_before: int
    indented: bool


@dataclass(slots=True)
class _Block:
    """The paragraph a pass is building: units joined so far."""

    first: _Unit
    last: _Unit
    text: str
    kind: str  # "start" (one unit), "heading" (a wrapped headline) or "para"
    previous_width: float | None = None  # width of the unit before ``last``


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
    page = _read(text)
    first = True
    while True:
        units = _units(page, first)
        if not _pass(page, units, cfg):
            break
        first = False
    if mark_wraps:
        return _render_marked(page)
    rendered = "\n".join(u.text for u in _units(page, False))
    return rendered + "\n" if rendered and text.endswith(("\n", WRAP_MARK)) else rendered


def _read(text: str) -> _Page:
    pieces = _SPLIT_RE.split(text)
    lines, seps = pieces[0::2], pieces[1::2]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    links: list[str | None] = []
    for p, q in pairwise(filled):
        links.append("" if WRAP_MARK in seps[p:q] else None)
    return _Page(lines, filled, links)


def _units(page: _Page, with_blanks: bool) -> list[_Unit]:
    """The paragraphs of the page as the decisions so far make them."""
    units: list[_Unit] = []
    start = 0
    for k in range(len(page.filled)):
        if k + 1 < len(page.filled) and page.links[k] is not None:
            continue
        parts = [page.lines[page.filled[start]].rstrip()]
        for j in range(start + 1, k + 1):
            parts.append(page.links[j - 1] or "")
            parts.append(page.lines[page.filled[j]].strip())
        previous = page.filled[units[-1].end] if units else page.filled[start]
        blank = page.filled[start] - previous - 1 if with_blanks and units else 0
        text = "".join(parts)
        units.append(_Unit(start, k, text, blank, bool(INDENT_RE.match(text))))
        start = k + 1
    return units


def _render_marked(page: _Page) -> str:
    """Every source line kept: a paragraph's first line keeps its indent, wraps become marks."""
    pieces = [""] * len(page.lines)
    seps = ["\n"] * (len(page.lines) - 1)
    for k, index in enumerate(page.filled):
        joined = k > 0 and page.links[k - 1] is not None
        pieces[index] = page.lines[index].strip() if joined else page.lines[index].rstrip()
    for k, joiner in enumerate(page.links):
        if joiner is not None:
            p, q = page.filled[k], page.filled[k + 1]
            pieces[p] += joiner
            seps[p:q] = [WRAP_MARK] * (q - p)
    out = [pieces[0]]
    for sep, piece in zip(seps, pieces[1:], strict=True):
        out.append(sep)
        out.append(piece)
    return "".join(out)


@dataclass(slots=True)
class _Context:
    """What one pass knows about the whole page."""

    cfg: LinesConfig
    units: list[_Unit]
    pairs: Counter[str]
    chars: Counter[str]
    total: int
    indents: bool  # the page marks paragraph starts by indenting them
    blanks: bool  # the page marks sentence-final boundaries by blank lines
    column: float | None = None  # width of the full lines of the last wrapped paragraph


def _pass(page: _Page, units: list[_Unit], cfg: LinesConfig) -> bool:
    """Decide every break between ``units`` in order; return whether anything was joined."""
    if len(units) < 2:
        return False
    ctx = _context(units, cfg)
    changed = False
    block = _Block(units[0], units[0], units[0].text, "start")
    for k in range(1, len(units)):
        decision = _decide(ctx, block, k)
        unit = units[k]
        if decision is None:
            ctx.column = _column(units, block, ctx)
            block = _Block(unit, unit, unit.text, "start")
            continue
        joiner, kind = decision
        page.links[block.last.end] = joiner
        changed = True
        block = _Block(
            block.first,
            unit,
            block.text + joiner + unit.text.strip(),
            kind,
            line_width(block.last.text.strip()),
        )
    return changed


def _context(units: list[_Unit], cfg: LinesConfig) -> _Context:
    sequence = "".join("".join(u.text.split()) for u in units)
    pairs = Counter(sequence[i : i + 2] for i in range(len(sequence) - 1))
    # Indents mean paragraph starts when some lines have one and lines that continue a
    # sentence (after a line with no sentence end) almost never do.
    indented = sum(u.indented for u in units)
    inside = [
        u.indented
        for prev, u in pairwise(units)
        if not ends_sentence(prev.text)
        and not is_heading_shaped(prev.text, cfg.max_heading_width)
        and not _stands_alone(prev.text.strip())
        and not has_credit(prev.text)
    ]
    indents = indented >= 2 and sum(inside) <= cfg.max_indent_share * max(len(inside), 1)
    ends = [u.blank_before > 0 for prev, u in pairwise(units) if ends_sentence(prev.text)]
    wraps = [
        u.blank_before > 0
        for prev, u in pairwise(units)
        if not ends_sentence(prev.text) and not is_heading_shaped(prev.text, cfg.max_heading_width)
    ]
    blanks = (
        len(ends) >= 3
        and len(wraps) >= 3
        and sum(ends) >= cfg.blank_boundary_share * len(ends)
        and sum(wraps) <= cfg.blank_wrap_share * len(wraps)
    )
    return _Context(cfg, units, pairs, Counter(sequence), len(sequence), indents, blanks)


def _decide(ctx: _Context, block: _Block, k: int) -> tuple[str, str] | None:
    """Joiner and new block kind when the break before unit ``k`` is a wrap, else None."""
    cfg = ctx.cfg
    a, a_last = block.text.rstrip(), block.last.text.strip()
    b_unit = ctx.units[k]
    b = b_unit.text.strip()
    x, y = a[-1], b[0]
    if HANGUL_RE.match(x) or HANGUL_RE.match(y):
        return None  # Korean wraps at spaces; not ours to repair
    joiner = _joiner(a, b)
    # 1. Forced joins; a photo credit on its own line closes the caption above it.
    if ZWSP in (x, y) or y in NO_LINE_START or x in NO_LINE_END or is_credit_line(b):
        return joiner, "para"
    if (x == "-" and len(a) > 1 and a[-2] in _LATIN and y in _LATIN) or (
        y.isdigit() and (x.isdigit() or (x in ".," and len(a) > 1 and a[-2].isdigit()))
    ):
        return joiner, "para"
    # 2. Forced boundaries.
    if _stands_alone(a_last) or _stands_alone(b) or has_credit(a) or starts_with_lead(b):
        return None
    if ctx.indents and b_unit.indented:
        return None
    width_a, width_b = _column_width(a_last), _column_width(b)
    heading_b = is_heading_shaped(b, cfg.max_heading_width)
    # 3. A ends a sentence: a boundary unless the page shows that B continues.
    if ends_sentence(a):
        full = width_a >= max(width_b, block.previous_width or 0.0) - cfg.width_tolerance
        continues = (ctx.indents and not b_unit.indented) or (
            ctx.blanks and not b_unit.blank_before and full
        )
        opens = heading_b or b.startswith("图为")  # a headline or a caption starts here
        return (joiner, "para") if continues and not opens else None
    # A word across the break: a Han pair the page uses, or two Latin words.
    word = _word_across(ctx, a, b) or (x.isascii() and x.isalpha() and y.isascii() and y.isalpha())
    # A Latin word that did not fit was moved down whole: A is as full as the column if it
    # is no wider than B and would have overflowed with that word.
    moved = _LATIN_WORD_RE.match(b)
    if moved and x not in _LATIN and width_a < width_b:
        with_word = width_a + line_width(moved.group()) + 0.5
        if with_word >= width_b - cfg.width_tolerance:
            width_a = width_b
    # 4. A is a headline candidate.
    if block.kind in ("start", "heading") and is_heading_shaped(a, cfg.max_heading_width):
        if _bare(b).startswith(_bare(a)):
            return None  # a headline repeated by the line below it is no wrap
        if heading_b:
            if is_kicker_like(a) or is_kicker_like(b) or b.startswith("\N{EM DASH}"):
                return None
            if block.kind != "start":
                return None
            same = abs(width_a - width_b) <= cfg.width_tolerance
            prose = _has_clause(a) or _has_clause(b) or x in FUNCTION_END
            column = ctx.column is not None and abs(width_a - ctx.column) <= cfg.width_tolerance
            # A wrapped headline: B is its rest, no wider than A, and the break cuts a word,
            # leaves a particle at an edge, or leaves so little that B cannot be a deck.
            rest = word or x in FUNCTION_END or y in FUNCTION_START
            rest = rest or width_b <= cfg.max_rest_width
            if rest and width_b <= width_a + cfg.width_tolerance:
                return joiner, _kind_after(a + joiner + b, cfg)
            if same and (prose or column or _column_goes_on(ctx, k, width_b)):
                return joiner, "para"  # lines of one column: a paragraph
            return None
        if ends_sentence(b):  # B ends its paragraph: A is its full first line, or a headline
            full = width_a >= width_b - cfg.width_tolerance
        else:  # B is a full line: A must be one too
            full = abs(width_a - width_b) <= cfg.width_tolerance
        if full or word or _has_clause(a):
            return joiner, "para"
        return None
    # 5. A paragraph in progress: it goes on, unless a new story's headline starts at B
    # (a photo credit cut by the column, "…戴树|泰 摄", is no headline).
    if heading_b and _starts_story(ctx, k) and not has_credit(a + joiner + b):
        return None
    return joiner, "para"


def _joiner(a: str, b: str) -> str:
    """One space between two Latin words; nothing next to CJK, digits cut apart, hyphens."""
    x, y = a[-1], b[0]
    if x.isdigit() and y.isdigit():
        return ""
    if x in _LATIN and y in _LATIN:
        if x.isalpha() and y.isalpha():
            return " "
        left = _ALNUM_TAIL_RE.search(a)
        right = _ALNUM_HEAD_RE.match(b)
        letters = (
            (left.group() if left else "") if x.isalpha() else (right.group() if right else "")
        )
        return "" if len(letters) <= 2 else " "  # K154, 5G / Windows 10, 3 packages
    if x in ",;:" and len(a) > 1 and a[-2] in _LATIN and y in _LATIN:
        return " "
    return ""


def _stands_alone(line: str) -> bool:
    """A line that is a whole element by its shape: byline, lead line, furniture."""
    return is_byline(line) or is_lead_line(line) or furniture_rule(line) is not None


def _bare(text: str) -> str:
    """Text without blanks, quotes and dashes, to compare a headline with the line below."""
    return "".join(text.split()).translate(_BARE_MAP)


def _has_clause(text: str) -> bool:
    return any(mark in text for mark in "，、,")


def _word_across(ctx: _Context, a: str, b: str) -> bool:
    """Whether A's last and B's first Han character form a pair the page uses elsewhere."""
    left, right = "".join(a.split())[-1:], "".join(b.split())[:1]
    if not (HAN_RE.match(left) and HAN_RE.match(right)):
        return False
    seen = ctx.pairs[left + right] - 1  # the occurrence at this break is not evidence
    chance = ctx.chars[left] * ctx.chars[right] / max(ctx.total, 1)
    return seen >= ctx.cfg.min_pair_count and seen >= ctx.cfg.pair_ratio * chance


def _column(units: list[_Unit], block: _Block, ctx: _Context) -> float | None:
    """The column width after a finished paragraph: the median width of its lines but the
    last; unchanged after a headline; unknown after a one-line paragraph."""
    first, last = units.index(block.first), units.index(block.last)
    widths = sorted(line_width(u.text.strip()) for u in units[first:last])
    if widths:
        return widths[len(widths) // 2]
    return ctx.column if is_heading_shaped(block.text, ctx.cfg.max_heading_width) else None


def _column_width(line: str) -> float:
    """Printed width without a mark hung past the column edge (kinsoku pulls up ，。 …).

    >>> _column_width("上开始，请选择「使用页面样式」，"), _column_width("如果要让每个子文档")
    (15.0, 9.0)
    """
    width = line_width(line)
    if line and line[-1] in NO_LINE_START:
        return width - line_width(line[-1])
    return width


def _column_goes_on(ctx: _Context, k: int, width: float) -> bool:
    """Whether the line after unit ``k`` continues a column of ``width``: it starts with a
    mark no line starts with, or it is running text (not headline-shaped) just as wide."""
    if k + 1 >= len(ctx.units):
        return False
    after = ctx.units[k + 1].text.strip()
    if after[0] in NO_LINE_START:
        return True
    if is_heading_shaped(after, ctx.cfg.max_heading_width) or _stands_alone(after):
        return False
    if starts_with_lead(after):
        return False
    tolerance = ctx.cfg.width_tolerance
    width_after = line_width(after)
    return abs(width_after - width) <= tolerance or (
        ends_sentence(after) and width_after <= width + tolerance
    )


def _kind_after(joined: str, cfg: LinesConfig) -> str:
    """A join of two headline-shaped lines is a headline while the result still is one."""
    return "heading" if is_heading_shaped(joined, cfg.max_heading_width) else "para"


def _starts_story(ctx: _Context, k: int) -> bool:
    """Whether unit ``k`` opens a headline block that leads into a story (a lead follows)."""
    limit = ctx.cfg.max_heading_width
    for j in range(k, min(k + 3, len(ctx.units))):
        text = ctx.units[j].text.strip()
        if j > k and is_lead(text):
            return True
        if not is_heading_shaped(text, limit):
            return False
        if j == k + 1 and is_kicker_like(ctx.units[k].text):
            return True
    return k + 3 < len(ctx.units) and is_lead(ctx.units[k + 3].text)


def repair_lines(docs: Iterable[Document], cfg: LinesConfig, stats: Stats) -> Iterator[Document]:
    """Stage: de-hyphenate, then join wrapped lines, each when switched on.

    Wraps are kept as U+2028 marks (``mark_wraps=True``) so that the page still has one
    line per source line; ``pipeline.segment`` reads them and removes them.
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
