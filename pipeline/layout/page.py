"""The lines of one page as the column-break rule reads them, with what it asks, computed once.

:func:`pipeline.layout.lines.join_broken_lines` decides the breaks of a page in passes over its
*paragraphs* (those built so far: single lines in the first pass) and asks the same
questions about the same paragraphs at every break next to them and again in the next pass:
is it headline-shaped, does it end a sentence, how wide is it, is it a byline. A
:class:`Page` answers them once per :class:`Paragraph` and keeps the answers: a
paragraph that a pass joined to nothing is the same one in the next pass. The Han pairs across the
breaks are counted once per page, over arrays: whitespace aside the text never changes,
so neither do the counts.

Every answer is the one of the predicate in ``pipeline.layout.shapes`` named in the field's
comment; only the number of times it is computed changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from pipeline.config import LinesConfig
from pipeline.layout.facts import LineFacts, describe
from pipeline.layout.shapes import CLAUSE_END_MARKS, SOURCE_SPLIT_RE, WRAP_MARK
from pipeline.text import HAN_RE

INDENTS = ("\u3000", "\t", "  ")  # an indented paragraph's first line starts so
_ARRAY_LIMIT = 1 << 22  # characters: a longer page counts pairs without arrays


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph as it stands at the start of a pass, and what the rule asks about it.

    ``start`` and ``end`` index ``Page.filled``: its first and last non-blank source line.
    """

    start: int
    end: int
    text: str  # the first line's indent kept, the lines after it stripped and joined
    stripped: str
    indented: bool  # the first line starts with an ideographic space, a tab or two spaces
    facts: LineFacts  # of ``stripped``


class Page:
    """A text cut into source lines, the joiner decided so far at every break, and paragraphs.

    ``links[k]`` is the break between the non-blank lines ``filled[k]`` and
    ``filled[k + 1]``: a joiner once it is a wrap, None while it is a boundary. A wrap mark
    in the input (U+2028, from an earlier run) is a wrap already.
    """

    def __init__(
        self, text: str, cfg: LinesConfig, line_facts: Sequence[LineFacts] | None = None
    ) -> None:
        """``line_facts``: the facts of the non-blank lines when the caller has them (the
        same answers ``describe`` gives; a one-line paragraph then takes them as they are)."""
        pieces = SOURCE_SPLIT_RE.split(text)
        self.text = text
        self.cfg = cfg
        self._line_facts = line_facts
        self.lines: list[str] = pieces[0::2]
        self.filled = [i for i, line in enumerate(self.lines) if line.strip()]
        self.links: list[str | None] = [None] * max(len(self.filled) - 1, 0)
        if WRAP_MARK in text:
            seps = pieces[1::2]
            for k in range(len(self.filled) - 1):
                if WRAP_MARK in seps[self.filled[k] : self.filled[k + 1]]:
                    self.links[k] = ""
        self._paragraphs: dict[tuple[int, int], Paragraph] = {}
        self._pairs: list[tuple[int, int, int]] | None = None
        self._total = 0  # non-blank characters of the page, once the pairs are counted
        self._sequence: str | None = None  # those characters, on a giant page
        self._edges: tuple[Counter[str], Counter[str], Counter[str]] | None = None

    def paragraphs(self, *, with_blanks: bool) -> tuple[list[Paragraph], list[int]]:
        """The paragraphs as the decisions so far make them, and the blank lines before each
        (only ``with_blanks``, in the first pass: later passes see none)."""
        filled, links, known = self.filled, self.links, self._paragraphs
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
        paras = [known[span] for span in spans]
        blanks = [0] * len(paras)
        if with_blanks:
            for i in range(1, len(paras)):
                blanks[i] = filled[paras[i].start] - filled[paras[i - 1].end] - 1
        return paras, blanks

    def _text(self, start: int, end: int) -> str:
        lines, filled = self.lines, self.filled
        parts = [lines[filled[start]].rstrip()]
        for j in range(start + 1, end + 1):
            parts.append(self.links[j - 1] or "")
            parts.append(lines[filled[j]].strip())
        return "".join(parts)

    def _build(self, spans: list[tuple[int, int]]) -> list[Paragraph]:
        """The paragraphs of ``spans``, described all at once (``facts.describe``)."""
        lines, filled = self.lines, self.filled
        texts = [lines[filled[s]].rstrip() if s == e else self._text(s, e) for s, e in spans]
        stripped = [text.lstrip() for text in texts]  # a paragraph never ends with a blank
        known = self._line_facts
        if known is None:
            facts = describe(stripped, self.cfg.headline.max_width)
        else:
            ask = [k for k, (s, e) in enumerate(spans) if s != e]
            asked = iter(describe([stripped[k] for k in ask], self.cfg.headline.max_width))
            facts = [known[s] if s == e else next(asked) for s, e in spans]
        return [
            Paragraph(start, end, text, line, text.startswith(INDENTS), fact)
            for (start, end), text, line, fact in zip(spans, texts, stripped, facts, strict=True)
        ]

    def render_marked(self) -> str:
        """Every source line kept: a paragraph's first line keeps its indent, wraps become marks."""
        pieces = [""] * len(self.lines)
        seps = ["\n"] * (len(self.lines) - 1)
        for k, index in enumerate(self.filled):
            joined = k > 0 and self.links[k - 1] is not None
            pieces[index] = self.lines[index].strip() if joined else self.lines[index].rstrip()
        for k, joiner in enumerate(self.links):
            if joiner is not None:
                p, q = self.filled[k], self.filled[k + 1]
                pieces[p] += joiner
                seps[p:q] = [WRAP_MARK] * (q - p)
        out = [pieces[0]]
        for sep, piece in zip(seps, pieces[1:], strict=True):
            out.append(sep)
            out.append(piece)
        return "".join(out)

    def word_across(self, k: int) -> bool:
        """Whether the Han pair across break ``k`` (the last character of line
        ``filled[k]``, the first of the next) occurs elsewhere on the page at least
        ``min_pair_count`` times and ``pair_ratio`` times more often than chance."""
        left, right = self._sides(k)
        if not (HAN_RE.match(left) and HAN_RE.match(right)):
            return False
        if len(self.text) > _ARRAY_LIMIT:  # a giant page: count this pair alone, in the text
            pair, left_count, right_count = self._count_pair(left, right)
        else:
            if self._pairs is None:
                self._pairs = self._count_pairs()
            pair, left_count, right_count = self._pairs[k]
        seen = pair - 1  # the occurrence at this break is not evidence
        chance = left_count * right_count / max(self._total, 1)
        return seen >= self.cfg.min_pair_count and seen >= self.cfg.pair_ratio * chance

    def clause_edge(self, k: int) -> float:
        """How much break ``k`` looks like the end of a clause on this page: the share of
        its left character's occurrences that a clause mark follows, times the share of
        its right character's that one precedes (counted over the page's first
        ``_ARRAY_LIMIT`` non-blank characters, plenty for a giant page)."""
        if self._edges is None:
            sequence = "".join(self.text[: 2 * _ARRAY_LIMIT].split())[:_ARRAY_LIMIT]
            self._edges = (
                Counter(_BEFORE_MARK_RE.findall(sequence)),
                Counter(_AFTER_MARK_RE.findall(sequence)),
                Counter(sequence),
            )
        ends, starts, totals = self._edges
        left, right = self._sides(k)
        return ends[left] / (totals[left] + 1) * starts[right] / (totals[right] + 1)

    def _sides(self, k: int) -> tuple[str, str]:
        """The characters either side of break ``k``: the last of line ``filled[k]``, the
        first of the next."""
        return self.lines[self.filled[k]].rstrip()[-1], self.lines[self.filled[k + 1]].lstrip()[0]

    def _count_pair(self, left: str, right: str) -> tuple[int, int, int]:
        """``_count_pairs`` of one break, without arrays (they take some 40 bytes a
        character): str.count, and runs for a doubled character ("谢谢谢" holds two)."""
        if self._sequence is None:
            self._sequence = "".join(self.text.split())
            self._total = len(self._sequence)
        sequence = self._sequence
        if left != right:
            pair = sequence.count(left + right)
        else:
            runs = re.finditer(f"{re.escape(left)}{{2,}}", sequence)
            pair = sum(run.end() - run.start() - 1 for run in runs)
        return pair, sequence.count(left), sequence.count(right)

    def _count_pairs(self) -> list[tuple[int, int, int]]:
        """Per break: how often its pair, its left and its right character occur in the
        page's non-blank characters (all pairs overlapping, as a sliding window counts)."""
        codes = np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        kept = np.flatnonzero(~_SPACE[np.minimum(codes, len(_SPACE) - 1)])
        # The page's non-blank characters, "".join(text.split()), and around each break the
        # last one of the line above and the first one of the line below.
        sequence = codes[kept]
        self._total = len(sequence)
        line_ends = np.flatnonzero((codes == ord("\n")) | (codes == ord(WRAP_MARK)))
        cut = np.searchsorted(kept, line_ends[np.array(self.filled[:-1], dtype=np.intp)])
        # A pair as one number: 16 bits a side on a page of the Basic Multilingual Plane
        # (sorting 32-bit numbers is quicker), 21 bits a side otherwise.
        wide = bool(sequence.size) and int(sequence.max()) > 0xFFFF
        bits, kind = (21, np.uint64) if wide else (16, np.uint32)
        sequence = sequence.astype(kind)
        sides = np.concatenate((sequence[cut - 1], sequence[cut]))
        chars = np.sort(sequence)
        pairs = np.sort((sequence[:-1] << bits) | sequence[1:])
        wanted = (sequence[cut - 1] << bits) | sequence[cut]
        pair_counts = np.searchsorted(pairs, wanted, "right") - np.searchsorted(pairs, wanted)
        char_counts = np.searchsorted(chars, sides, "right") - np.searchsorted(chars, sides)
        return list(
            zip(
                pair_counts.tolist(),
                char_counts[: len(cut)].tolist(),
                char_counts[len(cut) :].tolist(),
                strict=True,
            )
        )


# A character right before / right after a clause or sentence mark (Page.clause_edge).
_BEFORE_MARK_RE = re.compile(f"(.)(?=[{CLAUSE_END_MARKS}])")
_AFTER_MARK_RE = re.compile(f"(?<=[{CLAUSE_END_MARKS}])(.)")

# str.isspace of every character up to U+3000, the last one that is a space; then one that
# stands for all characters above it.
_SPACE = np.array([chr(code).isspace() for code in range(0x3001)] + [False])


# --- what one pass of the rule holds (``pipeline.layout.lines``) ---------------------------


class BlockKind(StrEnum):
    """What the paragraph a pass is building has been so far."""

    START = "start"  # one paragraph, nothing joined to it yet
    HEADING = "heading"  # a wrapped headline
    PARA = "para"  # running text


@dataclass(slots=True)
class Block:
    """The paragraph a pass is building: paragraphs ``first..last`` (positions in the pass)."""

    first: int
    last: int
    text: str
    kind: BlockKind
    previous_width: float | None = None  # width of the paragraph before ``last``


@dataclass(slots=True)
class Context:
    """What one pass knows about the whole page."""

    cfg: LinesConfig
    page: Page
    paras: list[Paragraph]
    blank_before: list[int]  # blank lines before each paragraph (first pass only)
    indents: bool  # the page marks paragraph starts by indenting them
    blanks: bool  # the page marks sentence-final boundaries by blank lines
    hangul: bool  # the page has Hangul somewhere
    columns: bool  # the page is set in columns (``lines._set_in_columns``)
    # The paragraphs finished since ``column`` was last brought up to date
    # (``headings._column``).
    finished: list[tuple[int, int]] = field(default_factory=list)
    column: float | None = None  # width of the full lines of the last wrapped paragraph
