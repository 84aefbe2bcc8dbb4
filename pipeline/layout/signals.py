"""Signals of a page's text the line model reads (``pipeline.layout.features``): character
tables (how headline-like a line's character pairs are, how much a character ends or starts
a field), and statistics of the page itself (a Han pair the page uses, how often a clause
mark follows a character), all computed for a whole page at once.

A page kept in Traditional script is read in Simplified (OpenCC t2s, line by line): the
dictionary and the tables are Simplified, and a page kept in its script
(``convert.config = "none"``) must read as its conversion would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from pipeline.text import detect_script, to_simplified


@dataclass(frozen=True, slots=True)
class CharTables:
    """The model's character tables (log-odds, hashed pairs): how much a character pair is
    a headline's rather than a paragraph's, and how much a character at a line's end / start
    ends / starts a field rather than sitting at a wrap."""

    pair_headline: npt.NDArray[np.float32]  # size a power of two, indexed by pair_slots
    last_boundary: npt.NDArray[np.float32]  # indexed by char_slots
    first_boundary: npt.NDArray[np.float32]
    # log P of a character pair and of a character in running prose (pair_slots,
    # char_slots): the pointwise mutual information of the pair across a break says how
    # much it reads as running text (a wrap) rather than as two texts put side by side.
    pair_logp: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(16, np.float32))
    char_logp: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(16, np.float32))


@dataclass(frozen=True, slots=True)
class FolderText:
    """What a run learned of one source folder's text."""

    headline: npt.NDArray[np.float32] | None  # FOLDER_SLOTS log-odds; None: no headlines
    pair_logp: npt.NDArray[np.float32]  # the shape of the model's CharTables.pair_logp
    char_logp: npt.NDArray[np.float32]


def pair_slots(codes: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.int64]:
    """Table slots of the character pairs ``codes[:-1], codes[1:]`` (Fibonacci hashing:
    the top bits of the pair times a 64-bit odd constant; ``size`` a power of two)."""
    pairs = (codes[:-1].astype(np.uint64) << np.uint64(21)) | codes[1:].astype(np.uint64)
    return _top_bits(pairs, size)


def char_slots(codes: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.int64]:
    """Table slots of single characters."""
    return _top_bits(codes.astype(np.uint64), size)


def _top_bits(values: npt.NDArray[np.uint64], size: int) -> npt.NDArray[np.int64]:
    bits = np.uint64(64 - (size.bit_length() - 1))
    with np.errstate(over="ignore"):
        return ((values * _GOLDEN) >> bits).astype(np.int64)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def codes_of(text: str) -> npt.NDArray[np.int64]:
    """The code points of ``text`` as an array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)


def headline_scores(
    stripped: Sequence[str], table: npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    """The mean headline log-odds of each line's character pairs (0 for a line of one
    character), one array pass for the page."""
    n = len(stripped)
    scores = np.zeros(n)
    if n == 0:
        return scores
    joined = "\n".join(stripped)
    codes = codes_of(joined)
    if codes.size < 2:
        return scores
    values = table[pair_slots(codes, table.size)].astype(np.float64)
    newline = codes == 10
    valid = ~(newline[:-1] | newline[1:])
    values[~valid] = 0.0
    lengths = np.fromiter((len(s) for s in stripped), np.int64, n)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    # pairs of line k: positions starts[k] .. starts[k] + len - 2 of ``values``
    sums = np.add.reduceat(np.append(values, 0.0), np.minimum(starts, values.size))
    counts = np.maximum(lengths - 1, 0)
    # reduceat sums up to the next start: the pair across the newline is zeroed above.
    return np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)


def empty_tables(size: int = 16) -> CharTables:
    """Character tables that say nothing (zeros): for tests and a model without text."""
    zeros = np.zeros(size, dtype=np.float32)
    return CharTables(zeros, zeros, zeros)


# --- page statistics of the text ------------------------------------------------------------


def simplified(stripped: Sequence[str]) -> list[str]:
    """The lines in Simplified script when the page is Traditional (OpenCC t2s, line by
    line), so that a page kept in its script (``convert.config = "none"``) reads as its
    conversion would; else the lines as they are."""
    joined = "\n".join(stripped)
    if detect_script(joined) != "traditional":
        return list(stripped)
    converted = to_simplified(joined).split("\n")
    if len(converted) != len(stripped) or not all(converted):
        return list(stripped)
    return converted


_CLAUSE_CODES = np.array([ord(c) for c in "，、；：。！？,;:?!"])


def clause_edges(stripped: Sequence[str]) -> list[float]:
    """Per break: the share of occurrences on the page of A's last character that a clause
    mark follows, times the share of B's first character's that one precedes (a break at
    a clause boundary looks like one of the page's own). Pairs are counted inside lines.

    >>> [round(edge, 3) for edge in clause_edges(["改革，发展。改革", "发展，改革"])]
    [0.083]
    """
    if len(stripped) < 2:
        return []
    codes = codes_of("\n".join(stripped))
    marks = np.isin(codes, _CLAUSE_CODES)
    inside = (codes[:-1] != 10) & (codes[1:] != 10)  # adjacent pairs within a line
    unique, index = np.unique(codes, return_inverse=True)
    size = unique.size
    total = np.bincount(index[codes != 10], minlength=size)
    before = np.bincount(index[:-1][inside & marks[1:]], minlength=size)
    after = np.bincount(index[1:][inside & marks[:-1] & ~marks[1:]], minlength=size)
    ends = np.cumsum([len(line) + 1 for line in stripped])[:-1]  # each next line's start
    x, y = index[ends - 2], index[ends]
    edges = before[x] / (total[x] + 1) * after[y] / (total[y] + 1)
    return edges.tolist()  # type: ignore[no-any-return]


def page_pairs(stripped: Sequence[str]) -> list[bool]:
    """Per break: whether the Han pair across it occurs elsewhere on the page, inside a line
    or across another break (the page's own vocabulary: names and terms a dictionary lacks,
    and a story printed twice).

    >>> page_pairs(["改革方案", "科学带头人", "学带", "头人"])
    [False, False, True]
    """
    if len(stripped) < 2:
        return []
    codes = codes_of("".join(stripped))
    pairs = (codes[:-1] << 21) | codes[1:]
    ends = np.cumsum([len(line) for line in stripped])[:-1]  # first index of each next line
    across = pairs[ends - 1]
    ordered = np.sort(pairs)
    counts = np.searchsorted(ordered, across, "right") - np.searchsorted(ordered, across)
    left, right = codes[ends - 1], codes[ends]
    han = (left >= 0x4E00) & (left <= 0x9FFF) & (right >= 0x4E00) & (right <= 0x9FFF)
    return ((counts >= 2) & han).tolist()  # type: ignore[no-any-return]


def pair_information(stripped: Sequence[str], tables: CharTables) -> npt.NDArray[np.float64]:
    """Per break between consecutive lines: the pointwise mutual information, in running
    prose, of the last character above and the first below (log P(xy) - log P(x) - log
    P(y)); 0 for a page of one line.

    >>> pair_information(["改"], CharTables(*(np.zeros(16, np.float32),) * 5)).tolist()
    []
    """
    if len(stripped) < 2:
        return np.zeros(0)
    last = codes_of("".join(line[-1] for line in stripped[:-1]))
    first = codes_of("".join(line[0] for line in stripped[1:]))
    pair_size, char_size = tables.pair_logp.size, tables.char_logp.size
    joined = np.empty(2 * last.size, dtype=np.int64)
    joined[0::2], joined[1::2] = last, first
    pairs = tables.pair_logp[pair_slots(joined, pair_size)[0::2]].astype(np.float64)
    return (
        pairs
        - tables.char_logp[char_slots(last, char_size)]
        - tables.char_logp[char_slots(first, char_size)]
    )
