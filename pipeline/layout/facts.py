"""What the layout predicates say of many lines at once: the per-page index of line facts.

Line repair, segmentation and furniture removal ask ``pipeline.layout.shapes``'s questions (how
wide, does it end a sentence, is it headline-shaped, a byline, a lead, a photo credit,
furniture) of every line or paragraph of every page. Asked one line at a time they cost
more than the rest of those stages. :func:`describe` answers them for a whole list of
lines at once: widths and mark counts in one pass of array operations over all the
characters, then each pattern only on the lines whose first or last character it can
match (the edge tables of ``shapes`` and ``words()``: ``BYLINE_FIRST``, ``credit_last``...).

The answers are the predicates' own, not approximations: every fact names the predicate
it stands for, and tests/test_lines.py checks them against it on generated text.
"""

from __future__ import annotations

from itertools import accumulate
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from pipeline.layout.shapes import (
    BRACKET_PAIRS,
    BYLINE_FIRST,
    BYLINE_LAST,
    CLAUSE_MARKS,
    FURNITURE_PUNCTUATION,
    HEADING_NEVER_LAST,
    MAX_FURNITURE_WIDTH,
    NO_LINE_START,
    SENTENCE_LAST,
    SENTENCE_MARKS,
    ends_sentence,
    furniture_rule,
    has_credit,
    is_byline,
    is_credit_line,
    is_lead_line,
    line_width,
    starts_with_lead,
)
from pipeline.layout.words import words
from pipeline.text import CLOSING_MARKS


class LineFacts(NamedTuple):
    """What the layout predicates say of one line (stripped, not empty), each named by the
    predicate it stands for (a tuple: a page has hundreds of lines, and it is the cheapest
    record to build)."""

    width: float  # line_width
    column_width: float  # the width without a mark hung past the column edge (kinsoku)
    ends: bool  # ends_sentence
    heading: bool  # is_heading_shaped, at the max_width given to describe
    byline: bool  # is_byline
    lead: bool  # starts_with_lead
    lead_line: bool  # is_lead_line
    credit: bool  # has_credit
    credit_line: bool  # is_credit_line
    furniture: str | None  # furniture_rule
    alone: bool  # a whole element by its shape: a byline, a lead line or furniture


def describe(lines: list[str], max_width: float) -> list[LineFacts]:
    """The facts of each line of ``lines`` (each stripped and not empty).

    >>> [facts[:4] for facts in describe(["湖北推出改革方案", "本报讯 正文。"], 32)]
    [(8.0, 8.0, False, True), (6.5, 5.5, True, False)]
    """
    if not lines:
        return []
    counts = _sums(lines)
    widths = (counts["halves"] * 0.5).tolist()
    marked = counts["furniture"].tolist()
    headline_marks = (counts["sentence"] == 0) & (counts["clause"] <= 1) & (counts["brackets"] == 0)
    w = words()
    facts: list[LineFacts] = []
    for line, width, not_furniture, marks_fit in zip(
        lines, widths, marked, headline_marks.tolist(), strict=True
    ):
        first, last = line[0], line[-1]
        if last not in SENTENCE_LAST:
            ends = False
        elif last in CLOSING_MARKS:
            ends = ends_sentence(line)
        else:  # what ends_sentence says of a line ending with a sentence mark
            ends = not (last == "." and len(line) > 1 and line[-2].isdigit())
        byline = first in BYLINE_FIRST and last in BYLINE_LAST and is_byline(line)
        lead_line = first in w.role_first and is_lead_line(line)
        lead = first in w.lead_first and starts_with_lead(line)
        credit = last in w.credit_last and has_credit(line)
        furniture = None
        if not not_furniture and width <= MAX_FURNITURE_WIDTH and w.furniture_any.search(line):
            furniture = furniture_rule(line)
        # is_heading_shaped, from the facts above: short, no sentence end, no mark that
        # rules a headline out, no connective, no lead, byline, credit or furniture line.
        heading = (
            marks_fit
            and not ends
            and width <= max_width
            and last not in HEADING_NEVER_LAST
            and not (lead or lead_line or byline or credit or furniture is not None)
            and not w.connective.match(line)
        )
        column_width = width
        if last in NO_LINE_START:  # a mark hung past the column edge
            column_width -= 0.5 if last < "\u2000" else 1.0
        credit_line = credit and is_credit_line(line)
        alone = byline or lead_line or furniture is not None
        facts.append(  # positional, in field order: the cheapest way to build a NamedTuple
            LineFacts(
                width,
                column_width,
                ends,
                heading,
                byline,
                lead,
                lead_line,
                credit,
                credit_line,
                furniture,
                alone,
            )
        )
    return facts


def furniture_rules(lines: list[str]) -> list[str | None]:
    """``layout.furniture_rule`` of each line (each stripped and not empty).

    >>> furniture_rules(["- 3 -", "湖北推出改革方案", "工人日报 2017年8月28日 星期一"])
    ['page_number', None, 'running_head']
    """
    if not lines:
        return []
    counts = _sums(lines, headline=False)
    widths, marked = (counts["halves"] * 0.5).tolist(), counts["furniture"].tolist()
    return [
        furniture_rule(line)
        if not marks and width <= MAX_FURNITURE_WIDTH and words().furniture_any.search(line)
        else None
        for line, width, marks in zip(lines, widths, marked, strict=True)
    ]


# Per character, in 16-bit fields of two words (so that one gather and one sum per word
# count everything): its width in halves (layout.line_width: below U+2000 half, TAB and LF
# none, the rest whole), whether it keeps a line from being furniture, ends a sentence
# inside a headline, separates clauses; and the brackets a headline never leaves open
# (layout.furniture_rule, layout.is_heading_shaped). Code points above U+FFFF count as
# U+FFFF: width 2, no mark.
_FIELD = 16
_LONGEST = 2 ** (_FIELD - 1) // 2  # longer lines would overflow a field: counted one by one


def _fields(*tables: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    word = np.zeros(0x10000, dtype=np.int64)
    for shift, table in enumerate(tables):
        word |= table << (_FIELD * shift)
    return word


def _table(marks: str) -> npt.NDArray[np.int64]:
    table = np.zeros(0x10000, dtype=np.int64)
    table[[ord(mark) for mark in marks]] = 1
    return table


_HALVES = np.full(0x10000, 2, dtype=np.int64)
_HALVES[:0x2000] = 1
_HALVES[[ord("\t"), ord("\n")]] = 0
_FURNITURE_MARKS = _table(FURNITURE_PUNCTUATION)
_SENTENCE_MARKS = _table(SENTENCE_MARKS)
_CLAUSE_MARKS = _table(CLAUSE_MARKS)
_BRACKETS = [_table(mark) for pair in BRACKET_PAIRS for mark in pair]  # left, right, ...
_WORDS = (
    _fields(_HALVES, _FURNITURE_MARKS, _SENTENCE_MARKS, _CLAUSE_MARKS),
    _fields(*_BRACKETS),
)
_NAMES = ("halves", "furniture", "sentence", "clause")
_BATCH = 1 << 20


def _sums(lines: list[str], *, headline: bool = True) -> dict[str, npt.NDArray[np.int64]]:
    """Per line: its width in halves (``layout.line_width`` times two: exact), and how many
    marks of each kind it holds (``furniture``, ``sentence``, ``clause``; ``brackets``:
    how many brackets are left open, over all pairs; only with ``headline``).

    The arrays take some 30 bytes a character, so a page is measured in batches of at most
    ``_BATCH`` characters, and a longer line with string methods (memory stays bounded by
    the text, as the pipeline promises for a giant line).
    """
    batches: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if size + len(line) > _BATCH and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(line)
        size += len(line)
    if len(batches) == 1 and size <= _BATCH:
        return _array_sums(lines, headline=headline)
    parts = [
        _array_sums(batch, headline=headline)
        if len(batch) > 1 or len(batch[0]) <= _BATCH
        else _string_sums(batch[0])
        for batch in batches
    ]
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _string_sums(line: str) -> dict[str, npt.NDArray[np.int64]]:
    """``_sums`` of one line too long for arrays, with str methods."""

    def count(marks: str) -> int:
        return sum(line.count(mark) for mark in marks)

    brackets = sum(abs(line.count(left) - line.count(right)) for left, right in BRACKET_PAIRS)
    counts = {
        "halves": int(line_width(line) * 2),
        "furniture": count(FURNITURE_PUNCTUATION),
        "sentence": count(SENTENCE_MARKS),
        "clause": count(CLAUSE_MARKS),
        "brackets": brackets,
    }
    return {name: np.array([value], dtype=np.int64) for name, value in counts.items()}


def _array_sums(lines: list[str], *, headline: bool) -> dict[str, npt.NDArray[np.int64]]:
    codes = np.minimum(
        np.frombuffer("".join(lines).encode("utf-32-le", "surrogatepass"), dtype="<u4"), 0xFFFF
    )
    lengths = list(map(len, lines))
    starts = np.fromiter(accumulate(lengths[:-1], initial=0), np.int64, len(lines))
    if max(lengths) < _LONGEST:
        words = [np.add.reduceat(word[codes], starts) for word in _WORDS[: 1 + headline]]
        mask = (1 << _FIELD) - 1

        def field(word: int, index: int) -> npt.NDArray[np.int64]:
            return (words[word] >> (_FIELD * index)) & mask

        counts = {name: field(0, i) for i, name in enumerate(_NAMES)}
        brackets = [field(1, i) for i in range(len(_BRACKETS))] if headline else []
    else:
        tables = (_HALVES, _FURNITURE_MARKS, _SENTENCE_MARKS, _CLAUSE_MARKS)
        counts = {n: np.add.reduceat(t[codes], starts) for n, t in zip(_NAMES, tables, strict=True)}
        brackets = [np.add.reduceat(t[codes], starts) for t in _BRACKETS] if headline else []
    counts["brackets"] = sum(
        (np.abs(left - right) for left, right in zip(brackets[::2], brackets[1::2], strict=True)),
        start=np.zeros(len(lines), dtype=np.int64),
    )
    return counts
