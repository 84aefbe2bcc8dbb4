"""The lines of one page as the column-break rule reads them, with what it asks, computed once.

:func:`pipeline.lines.join_broken_lines` decides the breaks of a page in passes over its
*units* (the paragraphs built so far: single lines in the first pass) and asks the same
questions about the same units at every break next to them and again in the next pass:
is it headline-shaped, does it end a sentence, how wide is it, is it a byline. A
:class:`Page` answers them once per unit (``Unit``) and keeps the answers: a paragraph
that a pass joined to nothing is the same unit in the next one. The Han pairs across the
breaks are counted once per page, over arrays: whitespace aside the text never changes,
so neither do the counts.

Every answer is the one of the predicate in ``pipeline.layout`` named in the field's
comment; only the number of times it is computed changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from pipeline.chars import CLOSING_MARKS, HAN_RE
from pipeline.config import LinesConfig
from pipeline.layout import (
    BRACKET_PAIRS,
    BYLINE_FIRST,
    BYLINE_LAST,
    CLAUSE_MARKS,
    CONNECTIVE_RE,
    CREDIT_LAST,
    FURNITURE_ANY_RE,
    FURNITURE_PUNCTUATION,
    HEADING_NEVER_LAST,
    LEAD_FIRST,
    MAX_FURNITURE_WIDTH,
    NO_LINE_START,
    ROLE_FIRST,
    SENTENCE_LAST,
    SENTENCE_MARKS,
    WRAP_MARK,
    ends_sentence,
    furniture_rule,
    has_credit,
    is_byline,
    is_credit_line,
    is_lead_line,
    starts_with_lead,
)

_INDENTS = ("\u3000", "\t", "  ")  # an indented paragraph's first line starts so
SPLIT_RE = re.compile(f"([\n{WRAP_MARK}])")


@dataclass(slots=True)
class Unit:
    """A paragraph as it stands at the start of a pass, and what the rule asks about it.

    ``start`` and ``end`` index ``Page.filled``: its first and last non-blank source line.
    """

    start: int
    end: int
    text: str  # the first line's indent kept, the lines after it stripped and joined
    stripped: str
    indented: bool  # the first line starts with an ideographic space, a tab or two spaces
    ends: bool  # layout.ends_sentence
    heading: bool  # layout.is_heading_shaped at LinesConfig.max_heading_width
    alone: bool  # a whole element by its shape: a byline, a lead line, furniture
    credit: bool  # layout.has_credit
    credit_line: bool  # layout.is_credit_line
    lead: bool  # layout.starts_with_lead
    lead_line: bool  # layout.is_lead_line
    width: float  # layout.line_width of ``stripped``
    column_width: float  # the width without a mark hung past the column edge (kinsoku)


class Page:
    """A text cut into source lines, the joiner decided so far at every break, and units.

    ``links[k]`` is the break between the non-blank lines ``filled[k]`` and
    ``filled[k + 1]``: a joiner once it is a wrap, None while it is a boundary. A wrap mark
    in the input (U+2028, from an earlier run) is a wrap already.
    """

    def __init__(self, text: str, cfg: LinesConfig) -> None:
        pieces = SPLIT_RE.split(text)
        self.text = text
        self.cfg = cfg
        self.lines: list[str] = pieces[0::2]
        self.filled = [i for i, line in enumerate(self.lines) if line.strip()]
        self.links: list[str | None] = [None] * max(len(self.filled) - 1, 0)
        if WRAP_MARK in text:
            seps = pieces[1::2]
            for k in range(len(self.filled) - 1):
                if WRAP_MARK in seps[self.filled[k] : self.filled[k + 1]]:
                    self.links[k] = ""
        self._units: dict[tuple[int, int], Unit] = {}
        self._pairs: list[tuple[int, int, int]] | None = None
        self._total = 0  # non-blank characters of the page, once the pairs are counted

    def units(self, with_blanks: bool) -> tuple[list[Unit], list[int]]:
        """The paragraphs as the decisions so far make them, and the blank lines before each
        (only ``with_blanks``, in the first pass: later passes see none)."""
        filled, links, known = self.filled, self.links, self._units
        spans: list[tuple[int, int]] = []
        start = 0
        last = len(filled) - 1
        for k in range(len(filled)):
            if k < last and links[k] is not None:
                continue
            spans.append((start, k))
            start = k + 1
        new = [span for span in spans if span not in known]
        if new:
            known.update(zip(new, self._build(new), strict=True))
        units = [known[span] for span in spans]
        blanks = [0] * len(units)
        if with_blanks:
            for i in range(1, len(units)):
                blanks[i] = filled[units[i].start] - filled[units[i - 1].end] - 1
        return units, blanks

    def _text(self, start: int, end: int) -> str:
        lines, filled = self.lines, self.filled
        parts = [lines[filled[start]].rstrip()]
        for j in range(start + 1, end + 1):
            parts.append(self.links[j - 1] or "")
            parts.append(lines[filled[j]].strip())
        return "".join(parts)

    def _build(self, spans: list[tuple[int, int]]) -> list[Unit]:
        """The units of ``spans``, all at once: widths over arrays, and each pattern only on
        the units whose first or last character it can match (the tables of layout)."""
        lines, filled = self.lines, self.filled
        texts = [lines[filled[s]].rstrip() if s == e else self._text(s, e) for s, e in spans]
        stripped = [text.lstrip() for text in texts]  # a unit never ends with a blank
        widths, marked, marks_fit = _measure(stripped)
        max_width = self.cfg.max_heading_width
        units = []
        for (start, end), text, line, width, not_furniture, headline_marks in zip(
            spans, texts, stripped, widths, marked, marks_fit, strict=True
        ):
            first, last = line[0], line[-1]
            if last not in SENTENCE_LAST:
                ends = False
            elif last in CLOSING_MARKS:
                ends = ends_sentence(line)
            else:  # what ends_sentence says of a line ending with a sentence mark
                ends = not (last == "." and len(line) > 1 and line[-2].isdigit())
            byline = first in BYLINE_FIRST and last in BYLINE_LAST and is_byline(line)
            lead_line = first in ROLE_FIRST and is_lead_line(line)
            lead = first in LEAD_FIRST and starts_with_lead(line)
            credit = last in CREDIT_LAST and has_credit(line)
            furniture = (
                not not_furniture
                and width <= MAX_FURNITURE_WIDTH
                and FURNITURE_ANY_RE.search(line) is not None
                and furniture_rule(line) is not None
            )
            # is_heading_shaped, from the answers above: short, no sentence end, no mark
            # that rules a headline out, no connective, and no lead, byline, credit or
            # furniture line.
            heading = (
                headline_marks
                and not ends
                and width <= max_width
                and last not in HEADING_NEVER_LAST
                and not (lead or lead_line or byline or credit or furniture)
                and not CONNECTIVE_RE.match(line)
            )
            units.append(
                Unit(
                    start,
                    end,
                    text,
                    line,
                    text.startswith(_INDENTS),
                    ends,
                    heading,
                    byline or lead_line or furniture,
                    credit,
                    credit and is_credit_line(line),
                    lead,
                    lead_line,
                    width,
                    width - (0.5 if last < "\u2000" else 1.0) if last in NO_LINE_START else width,
                )
            )
        return units

    def word_across(self, k: int) -> bool:
        """Whether the Han pair across break ``k`` (the last character of line
        ``filled[k]``, the first of the next) occurs elsewhere on the page at least
        ``min_pair_count`` times and ``pair_ratio`` times more often than chance."""
        left = self.lines[self.filled[k]].rstrip()[-1]
        right = self.lines[self.filled[k + 1]].lstrip()[0]
        if not (HAN_RE.match(left) and HAN_RE.match(right)):
            return False
        if self._pairs is None:
            self._pairs = self._count_pairs()
        pair, left_count, right_count = self._pairs[k]
        seen = pair - 1  # the occurrence at this break is not evidence
        chance = left_count * right_count / max(self._total, 1)
        return seen >= self.cfg.min_pair_count and seen >= self.cfg.pair_ratio * chance

    def _count_pairs(self) -> list[tuple[int, int, int]]:
        """Per break: how often its pair, its left and its right character occur in the
        page's non-blank characters (all pairs overlapping, as a sliding window counts)."""
        sequence = "".join(self.text.split())
        self._total = len(sequence)
        codes = np.frombuffer(sequence.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(
            np.int64
        )
        chars = np.sort(codes)
        pairs = np.sort((codes[:-1] << 21) | codes[1:])
        lines, filled = self.lines, self.filled
        left = np.array([ord(lines[i].rstrip()[-1]) for i in filled[:-1]], dtype=np.int64)
        right = np.array([ord(lines[i].lstrip()[0]) for i in filled[1:]], dtype=np.int64)
        wanted = (left << 21) | right
        counts = (
            np.searchsorted(pairs, wanted, "right") - np.searchsorted(pairs, wanted, "left"),
            np.searchsorted(chars, left, "right") - np.searchsorted(chars, left, "left"),
            np.searchsorted(chars, right, "right") - np.searchsorted(chars, right, "left"),
        )
        return list(zip(*(c.tolist() for c in counts), strict=True))


# Per character: its width in halves (layout.line_width: below U+2000 half, TAB and LF
# none), and whether it is a mark that keeps a line from being furniture, ends a sentence
# inside a headline, or separates clauses; +1/-1 for the brackets a headline never leaves
# open (layout.is_heading_shaped, layout.furniture_rule).
_HALF_WIDTHS = np.ones(0x2000, dtype=np.int64)
_HALF_WIDTHS[[ord("\t"), ord("\n")]] = 0


def _table(marks: str, value: int = 1) -> npt.NDArray[np.int64]:
    table = np.zeros(0x10000, dtype=np.int64)  # U+FFFF, and the planes above it: none
    table[[ord(mark) for mark in marks]] = value
    return table


_FURNITURE_MARKS = _table(FURNITURE_PUNCTUATION)
_SENTENCE_MARKS = _table(SENTENCE_MARKS)
_CLAUSE_MARKS = _table(CLAUSE_MARKS)
_BRACKETS = [_table(left) - _table(right) for left, right in BRACKET_PAIRS]


def _measure(lines: list[str]) -> tuple[list[float], list[bool], list[bool]]:
    """Per (non-empty) line, in one pass of array operations over all of them: its
    ``layout.line_width``; whether it holds a mark that keeps it from being furniture;
    whether its marks let it be a headline (no sentence mark, at most one clause mark,
    every bracket closed)."""
    codes = np.frombuffer("".join(lines).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    starts = np.fromiter(accumulate(map(len, lines[:-1]), initial=0), np.int64, len(lines))
    bmp = np.minimum(codes, 0xFFFF)

    def per_line(table: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return np.add.reduceat(table[bmp], starts)

    halves = np.where(codes < 0x2000, _HALF_WIDTHS[np.minimum(codes, 0x1FFF)], 2)
    widths = np.add.reduceat(halves, starts) * 0.5
    headline = (per_line(_SENTENCE_MARKS) == 0) & (per_line(_CLAUSE_MARKS) <= 1)
    for brackets in _BRACKETS:
        headline &= per_line(brackets) == 0
    furniture = per_line(_FURNITURE_MARKS) > 0
    return widths.tolist(), furniture.tolist(), headline.tolist()
