"""What decoded text reads like: the measures the decoder judges a reading by.

Common characters (GB2312 and Big5 level 1), the share of a text made of them, and the
share of kana and Hangul, computed with NumPy lookup tables over code points, because the
decoder scores every legacy page twice (a GB and a Big5 reading).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from pipeline.text.chars import HAN_BLOCKS, HAN_RE, HANGUL_RE, KANA_RE

SCORE_SAMPLE = 20_000  # characters looked at: plenty to decide, cheap on a 200 MB line


def foreign_share(text: str) -> float:
    """Share of kana and Hangul among the CJK letters of ``text`` (0.0 when it has none).

    >>> foreign_share("本报讯（记者邹明强）")
    0.0
    >>> round(foreign_share("東京は晴れです"), 2)
    0.57
    """
    sample = text[:SCORE_SAMPLE]
    if not KANA_RE.search(sample) and not HANGUL_RE.search(sample):
        return 0.0
    han = len(HAN_RE.findall(sample))
    other = max(len(KANA_RE.findall(sample)), len(HANGUL_RE.findall(sample)))
    return other / (han + other) if han + other else 0.0


@functools.cache
def common_characters() -> frozenset[str]:
    """The frequent characters of both scripts: GB2312 level 1 and Big5 level 1.

    GB2312 level 1 holds the 3,755 most used Simplified characters, Big5 level 1 the 5,401
    most used Traditional ones. A wrong legacy decoding lands far outside both.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.update(bytes((lead, trail)).decode("gb2312", "ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            chars.update(bytes((lead, trail)).decode("big5", "ignore"))
    return frozenset(ch for ch in chars if HAN_RE.match(ch))


def plausibility(text: str, *, common_only: bool = True) -> float:
    """Share of the non-ASCII, non-space characters that Chinese text is made of.

    With ``common_only`` Han counts only if it is a common character (see
    :func:`common_characters`); otherwise any Han does. CJK symbols, full-width forms and
    general punctuation (— … “ ”) always count; control characters count against.
    Text with no such characters scores 1.0 if it is printable ASCII.

    >>> plausibility("政府有关部门各司其职，工会")
    1.0
    >>> plausibility("鍒犻櫎") < 0.5
    True
    """
    scored, good = _plausibility_tables(common_only=common_only)
    cps = _codepoints(text)
    total = int(scored[cps].sum())
    return int(good[cps].sum()) / total if total else 1.0


def _codepoints(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@functools.cache
def _plausibility_tables(
    *, common_only: bool
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Lookup tables over every code point: what :func:`plausibility` counts (non-ASCII
    non-space characters, and controls) and what it counts as good. Two table lookups per
    character in NumPy: a Python loop, then a regex, were the slowest part of decoding."""
    scored = np.zeros(0x110000, dtype=np.bool_)
    scored[0x80:] = True
    scored[[0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x7F]] = True
    scored[0x0E:0x20] = True
    for ch in (chr(c) for c in range(0x80, 0x3001)):
        if ch.isspace():
            scored[ord(ch)] = False
    good = np.zeros(0x110000, dtype=np.bool_)
    for low, high in ((0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2010, 0x2027)):
        good[low : high + 1] = True
    if common_only:
        good[[ord(ch) for ch in common_characters()]] = True
    else:
        for low, high in HAN_BLOCKS:
            good[low : high + 1] = True
    scored |= good  # marks such as the ideographic space count, and count as good
    return scored, good


def text_share(text: str) -> float:
    """Share of characters that are common Chinese, marks, printable ASCII or whitespace:
    how a BOM-less UTF-16/32 reading is judged (any two bytes land somewhere in Unicode)."""
    _, good = _plausibility_tables(common_only=True)
    cps = _codepoints(text)
    printable = (cps >= 0x20) & (cps < 0x7F) | (cps == 0x0A) | (cps == 0x09) | (cps == 0x0D)
    return float((good[np.minimum(cps, 0x10FFFF)] | printable).mean()) if cps.size else 0.0
