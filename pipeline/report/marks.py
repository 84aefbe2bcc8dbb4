"""Mark what cleaning changed: a character alignment of two texts, rendered as HTML runs.

Used by the HTML report on two pairs: a page's original text against the stories cut from
it (what the pipeline removed, joined, rewrote or converted), and a kept story against a
copy removed as its duplicate. Every string taken from the input is escaped here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape

from pipeline.text import HAN_RE

ALIGN_WINDOW = 2_000  # characters per alignment window (see align)

Opcode = tuple[str, int, int, int, int]  # difflib: tag, a start, a end, b start, b end

# The marks, and what a reviewer is told on hover. Cleaning marks: the left side is the
# original, the right side the story.
CLEANING_TITLES = {
    "del": "removed",
    "br": "line break joined",
    "ins": "added",
    "conv": "script converted",
    "norm": "rewritten (width, punctuation, quotes)",
    "chg": "changed",
}
# Duplicate marks: the left side is the kept copy, the right side a removed copy. Neither
# copy lost anything, so neither side is struck through: each shows what only it has.
DIFF_TITLES = {
    "keep": "only in the kept copy",
    "drop": "only in this removed copy",
    "chg": "differs",
}

# Removed characters that would be invisible are shown by a symbol.
_VISIBLE = {
    "\n": "\N{RETURN SYMBOL}",  # ⏎
    "\r": "\N{SYMBOL FOR CARRIAGE RETURN}",  # ␍
    " ": "\N{OPEN BOX}",  # ␣
    "\t": "\N{RIGHTWARDS ARROW TO BAR}",  # ⇥
    "\N{IDEOGRAPHIC SPACE}": "\N{WHITE SQUARE}",  # □
}
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"})


def align(a: str, b: str, *, window: int = ALIGN_WINDOW, limit: int | None = None) -> list[Opcode]:
    """Character opcodes turning ``a`` into ``b`` (difflib's tags), in linear time.

    difflib's ``SequenceMatcher`` is quadratic on Chinese text: common characters (的, ，)
    occur hundreds of times on a page and each occurrence is a match candidate (two pages
    of 20,000 characters take 0.8 s). Cleaning edits are local and keep the order, so we
    match one window at a time and commit only up to the last match in the first three
    quarters of the window, where the next window starts. When both texts fit in one
    window the result is difflib's. A stretch with no match at all (a deletion longer than
    the window) is reported as one change. ``limit`` stops once that many characters of
    ``a`` are aligned (the last opcode says how far each side got).

    >>> align("中囯人民", "中国人民")
    [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('equal', 2, 4, 2, 4)]
    >>> align("工人\\n日报", "工人日报")
    [('equal', 0, 2, 0, 2), ('delete', 2, 3, 2, 2), ('equal', 3, 5, 2, 4)]
    """
    ops: list[Opcode] = []
    i = j = 0
    keep = max(1, window * 3 // 4)
    while (i < len(a) or j < len(b)) and (limit is None or i < limit):
        wa, wb = a[i : i + window], b[j : j + window]
        matcher = SequenceMatcher(None, wa, wb, autojunk=False)
        if i + window >= len(a) and j + window >= len(b):
            cut = (len(wa), len(wb))
        else:
            cut = (0, 0)
            for m in matcher.get_matching_blocks():
                if m.size and m.a + m.size <= keep and m.b + m.size <= keep:
                    cut = (m.a + m.size, m.b + m.size)
            if cut == (0, 0):
                step_a, step_b = min(len(wa), keep), min(len(wb), keep)
                tag = "replace" if step_a and step_b else "delete" if step_a else "insert"
                _append(ops, (tag, i, i + step_a, j, j + step_b))
                i, j = i + step_a, j + step_b
                continue
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if i1 >= cut[0] and j1 >= cut[1]:
                break
            _append(ops, (tag, i + i1, i + i2, j + j1, j + j2))
        i, j = i + cut[0], j + cut[1]
    return ops


def _append(ops: list[Opcode], op: Opcode) -> None:
    if op[1] == op[2] and op[3] == op[4]:
        return
    if ops and ops[-1][0] == op[0]:
        tag, i1, _, j1, _ = ops[-1]
        ops[-1] = (tag, i1, op[2], j1, op[4])
    else:
        ops.append(op)


def visible(text: str) -> str:
    """Show whitespace and invisible characters: what a reviewer must see was removed.

    >>> visible("全文\\r\\n完 \\ufeff")
    '全文␍⏎完␣⟨U+FEFF⟩'
    """
    out = []
    for ch in text:
        if ch in _VISIBLE:
            out.append(_VISIBLE[ch])
        elif unicodedata.category(ch) in _INVISIBLE_CATEGORIES:
            out.append(f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)
    return "".join(out)


def mark(cls: str, text: str, title: str) -> Markup:
    """One marked run: ``<span class="m CLS" title=...>``, with ``text`` escaped.

    Removed and whitespace-only runs are made visible; a marked line break keeps the break
    after its symbol, so the original's layout survives.

    >>> print(mark("del", "<b>\\n", "removed"))
    <span class="m del" title="removed">&lt;b&gt;⏎</span>
    <BLANKLINE>
    """
    if not text:
        return Markup("")
    shown = visible(text) if cls in ("del", "br") or not text.strip() else text
    html = Markup('<span class="m {}" title="{}">{}</span>').format(cls, title, shown)
    return html + "\n" if shown != text and text.endswith("\n") else html


def mark_removed(text: str, titles: Mapping[str, str] = CLEANING_TITLES) -> Markup:
    """All of ``text`` marked as removed, line by line (lines that went into no story)."""
    out = []
    for piece in re.split(r"(\n)", text):
        if piece == "\n":
            out.append(mark("br", piece, titles["br"]))
        elif piece:
            out.append(mark("del", piece, titles["del"]))
    return Markup("").join(out)


def _kind(tag: str, old: str, new: str, *, converted: bool, diff: bool) -> str:
    """``br`` a removed line break, ``del`` removed, ``ins`` added, ``conv`` Han replaced
    one for one on a converted page, ``norm`` another one-for-one rewrite (width,
    punctuation, quotes), ``chg`` anything else. A duplicate diff marks ``keep`` (only in
    the kept copy), ``drop`` (only in the removed one) and ``chg``."""
    if diff:
        return {"delete": "keep", "insert": "drop"}.get(tag, "chg")
    if tag == "delete":
        return "br" if not old.strip("\r\n") else "del"
    if tag == "insert":
        return "ins"
    if len(old) != len(new):
        return "chg"
    if converted and all(HAN_RE.match(ch) for ch in old + new):
        return "conv"
    return "norm"


def _one_for_one(ops: Sequence[Opcode], a: str, b: str, *, converted: bool) -> Iterator[Opcode]:
    """Cut one-for-one replacements where the kind changes, so that in 佈, -> 布，
    the 佈 is marked converted and the comma rewritten."""
    for op in ops:
        tag, i1, i2, j1, j2 = op
        if tag != "replace" or i2 - i1 != j2 - j1:
            yield op
            continue
        kinds = [
            _kind(tag, a[i1 + k], b[j1 + k], converted=converted, diff=False)
            for k in range(i2 - i1)
        ]
        start = 0
        for k in range(1, len(kinds) + 1):
            if k == len(kinds) or kinds[k] != kinds[start]:
                yield (tag, i1 + start, i1 + k, j1 + start, j1 + k)
                start = k


def _title(titles: Mapping[str, str], kind: str, old: str, new: str) -> str:
    if not old or not new:
        return titles[kind]
    change = f"{visible(old)} → {visible(new)}"
    return f"{titles[kind]}: {change if len(change) <= 80 else change[:79] + '…'}"


@dataclass(frozen=True, slots=True)
class MarkedPair:
    """Both sides of an alignment as HTML; the right side cut into the requested parts.

    ``a_done`` / ``b_done``: how much of each text was aligned (less than all of it when
    the alignment was stopped by a limit).
    """

    left: Markup
    right: list[Markup]
    a_done: int
    b_done: int


def mark_pair(
    a: str,
    b: str,
    parts: Sequence[tuple[int, int]],
    *,
    converted: bool = False,
    diff: bool = False,
    limit: int | None = None,
) -> MarkedPair:
    """Align ``a`` with ``b`` and mark both sides.

    The right side is returned cut at ``parts`` (offsets into ``b``; characters outside
    every part, such as separators the caller put between stories, are not shown).
    ``converted``: the page went through script conversion, so Han characters replaced one
    for one are marked as converted. ``diff``: mark a duplicate diff, not a cleaning.

    >>> pair = mark_pair("漢字,\\n全文", "汉字，全文", [(0, 5)], converted=True)
    >>> print(pair.left)  # doctest: +NORMALIZE_WHITESPACE
    <span class="m conv" title="script converted: 漢 → 汉">漢</span>字<span class="m norm"
    title="rewritten (width, punctuation, quotes): ,⏎ → ，">,</span><span class="m br"
    title="line break joined">⏎</span>
    全文
    >>> print(pair.right[0])  # doctest: +NORMALIZE_WHITESPACE
    <span class="m conv" title="script converted: 漢 → 汉">汉</span>字<span class="m norm"
    title="rewritten (width, punctuation, quotes): ,⏎ → ，">，</span>全文
    """
    titles = DIFF_TITLES if diff else CLEANING_TITLES
    ops = align(a, b, limit=limit)
    left: list[Markup] = []
    runs: list[tuple[str | None, int, int, str]] = []  # right side: kind, start, end, title
    for tag, i1, i2, j1, j2 in ops if diff else _one_for_one(ops, a, b, converted=converted):
        old, new = a[i1:i2], b[j1:j2]
        if tag == "equal":
            left.append(escape(old))
            runs.append((None, j1, j2, ""))
            continue
        # A rewrite across a joined line break (",\n" -> "，") is a rewrite plus a join.
        joined = tag == "replace" and not diff and "\n" in old and old.replace("\n", "")
        kind = _kind(
            tag, old.replace("\n", "") if joined else old, new, converted=converted, diff=diff
        )
        title = _title(titles, kind, old, new)
        if kind == "del" and "\n" in old:
            left.append(mark_removed(old, titles))  # keep the original's layout
        elif joined:
            pieces = re.split(r"(\n)", old)
            left += [
                mark("br" if p == "\n" else kind, p, titles["br"] if p == "\n" else title)
                for p in pieces
            ]
        elif tag != "insert":
            left.append(mark(kind, old, title))
        if tag != "delete":
            runs.append((kind, j1, j2, title))
    a_done = ops[-1][2] if ops else 0
    b_done = ops[-1][4] if ops else 0
    right = [_slice(runs, b, start, min(end, b_done)) for start, end in parts]
    return MarkedPair(Markup("").join(left), right, a_done, b_done)


def _slice(
    runs: Sequence[tuple[str | None, int, int, str]], b: str, start: int, end: int
) -> Markup:
    out: list[Markup] = []
    for kind, j1, j2, title in runs:
        lo, hi = max(j1, start), min(j2, end)
        if lo < hi:
            out.append(escape(b[lo:hi]) if kind is None else mark(kind, b[lo:hi], title))
    return Markup("").join(out)
