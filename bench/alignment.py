"""Canonical text forms and character alignment shared by the metrics.

Scores compare *non-whitespace characters* (NWS) in a *canonical punctuation form*, so that
the changes the pipeline is allowed to make (drop whitespace, ASCII punctuation to
full-width, straight quotes to curly ones) never count as errors.

Edit distance and alignment use ``rapidfuzz`` when it is installed (exact Levenshtein,
bit-parallel C++: a 5,000 x 5,000 character page takes well under a millisecond). Without
it they fall back to ``difflib`` anchors plus an exact dynamic programme inside each
non-matching block, which equals the true distance whenever damage is sparse (a few
percent of characters, the regime we measure) and is an upper bound otherwise.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

try:  # optional accelerator; see module docstring
    from rapidfuzz.distance import Levenshtein as _Levenshtein
except ImportError:  # pragma: no cover - exercised when rapidfuzz is absent
    _Levenshtein = None  # type: ignore[assignment]

Opcode = tuple[str, int, int, int, int]

# ASCII and full-width forms folded to the one form we score. Quotes lose their direction
# (a pipeline that curls "..." has to guess) and 「」『』 fold into “ and ‘.
PUNCT_CANON_MAP = str.maketrans({
    ",": "\uff0c",  # ，
    ";": "\uff1b",  # ；
    ":": "\uff1a",  # ：
    "(": "\uff08",  # （
    ")": "\uff09",  # ）
    "?": "\uff1f",  # ？
    "!": "\uff01",  # ！
    '"': "\u201c",  # “
    "\u201d": "\u201c",  # ” -> “
    "\uff02": "\u201c",  # ＂ -> “
    "\u300c": "\u201c",  # 「 -> “
    "\u300d": "\u201c",  # 」 -> “
    "'": "\u2018",  # ‘
    "\u2019": "\u2018",  # ’ -> ‘
    "\u300e": "\u2018",  # 『 -> ‘
    "\u300f": "\u2018",  # 』 -> ‘
    "\u2015": "\u2014",  # ― -> —
    "\u30fb": "\u00b7",  # ・ -> ·
    "\u2022": "\u00b7",  # • -> ·
    "\uff0e": ".",  # ． -> .
    "\u3000": " ",  # ideographic space is whitespace
})
# Full-width letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９) fold to ASCII.
WIDTH_CANON_MAP = {cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
                   for cp in range(r[0], r[1] + 1)}


def nonspace(text: str) -> str:
    """``text`` without any whitespace character (space, tab, newline, U+3000 ...).

    >>> nonspace("本报讯 （记者\\n张三）\\u3000今天")
    '本报讯（记者张三）今天'
    """
    return "".join(text.split())


def canonical(text: str) -> str:
    """Non-whitespace characters in canonical punctuation and width form.

    >>> canonical('他说:"好!"（见 Ａ１）')
    '他说：“好！“（见A1）'
    """
    return nonspace(text.translate(PUNCT_CANON_MAP).translate(WIDTH_CANON_MAP))


def levenshtein(a: Sequence[str], b: Sequence[str]) -> int:
    """Exact edit distance by dynamic programming, O(len(a) * len(b)); for short blocks.

    >>> levenshtein("己经", "已经"), levenshtein("", "abc"), levenshtein("kitten", "sitting")
    (1, 3, 3)
    """
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _difflib_opcodes(a: str, b: str) -> list[Opcode]:
    """``difflib`` opcodes with the junk heuristic off (it would ignore 的 and ，)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(tag, i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def opcodes(a: str, b: str) -> list[Opcode]:
    """Alignment of ``a`` to ``b`` as difflib-style (tag, i1, i2, j1, j2) opcodes.

    >>> [op[0] for op in opcodes("工人日报", "工人曰报社")]
    ['equal', 'replace', 'equal', 'insert']
    """
    if _Levenshtein is not None:
        return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
                for op in _Levenshtein.opcodes(a, b)]
    return _difflib_opcodes(a, b)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings (unit costs).

    >>> edit_distance("本报讯记者张三", "本报讯记者张三"), edit_distance("己经到了", "已经到")
    (0, 2)
    """
    if _Levenshtein is not None:
        return int(_Levenshtein.distance(a, b))
    total = 0
    for tag, i1, i2, j1, j2 in _difflib_opcodes(a, b):
        if tag == "replace":
            total += levenshtein(a[i1:i2], b[j1:j2])
        elif tag != "equal":
            total += (i2 - i1) + (j2 - j1)
    return total


def aligned_positions(a: str, b: str) -> list[int]:
    """For each character of ``a``, the index of the character of ``b`` it aligns to, or -1.

    Equal characters and substitutions inside equal-length replace blocks are aligned;
    insertions, deletions and unequal replacements are not.

    >>> aligned_positions("工x人日报", "工人曰报")
    [0, -1, 1, 2, 3]
    """
    result = [-1] * len(a)
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                result[i1 + k] = j1 + k
    return result


def gap_intervals(aligned: list[int], gaps: Sequence[int], b_len: int) -> list[tuple[int, int]]:
    """Map gaps of ``a`` (position i = between a[i-1] and a[i]) to intervals of gaps of ``b``.

    The interval runs from just after the ``b`` character aligned to the last aligned
    character of ``a`` before the gap, to the ``b`` character aligned to the first aligned
    character at or after it. Unaligned material (furniture, dropped characters) widens it.

    >>> gap_intervals([0, 1, -1, 2], [2, 3], 3)
    [(2, 2), (2, 2)]
    """
    prev_aligned = [0] * (len(aligned) + 1)  # b gap after the last aligned char before i
    last = 0
    for i, j in enumerate(aligned):
        prev_aligned[i] = last
        if j >= 0:
            last = j + 1
    prev_aligned[len(aligned)] = last
    next_aligned = [b_len] * (len(aligned) + 1)  # b index of first aligned char at/after i
    nxt = b_len
    for i in range(len(aligned) - 1, -1, -1):
        if aligned[i] >= 0:
            nxt = aligned[i]
        next_aligned[i] = nxt
    return [(prev_aligned[g], max(prev_aligned[g], next_aligned[g])) for g in gaps]


def line_gaps(text: str) -> list[int]:
    """NWS positions of the line breaks of ``text`` that separate two NWS characters.

    Position k means "between NWS character k-1 and k"; several breaks (blank lines) in a
    row give one position. Breaks before the first or after the last character are not gaps.

    >>> line_gaps("标题\\n\\n正文第一段。\\n 第二段。\\n")
    [2, 8]
    """
    gaps: list[int] = []
    count = 0
    for line in text.split("\n"):
        n = len("".join(line.split()))
        if n:
            if count:
                gaps.append(count)
            count += n
    return gaps
