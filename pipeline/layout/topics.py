"""Which story a paragraph belongs to, by its words: shared pairs of Han characters.

A story's paragraphs share vocabulary (names, places, terms) with each other more than
with a neighbouring story. Segmentation asks this of the two cases its shapes cannot
settle: a paragraph opening with a connective (此外，) may be the jumped tail of the story
below it, and a short headline-shaped line may be the cut-off end of the story above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pipeline.text import HAN_RANGES

_HAN_PAIR_RE = re.compile(f"(?=([{HAN_RANGES}]{{2}}))")  # every pair, overlapping


def bigrams(texts: Iterable[str]) -> set[str]:
    """The pairs of adjacent Han characters in ``texts``.

    >>> sorted(bigrams(["贵阳市总工会", "工会"]))
    ['工会', '市总', '总工', '贵阳', '阳市']
    """
    return {pair for text in texts for pair in _HAN_PAIR_RE.findall(text)}


def closer_to_next(
    tail: Sequence[str], own: Sequence[str], following: Sequence[str], margin: float
) -> bool:
    """Whether the paragraphs ``tail`` share at least ``margin`` of their pairs more with
    the story ``following`` them than with the story they stand in (``own``).

    >>> closer_to_next(["此外，贵阳市总工会还"], ["湖北推出改革方案"], ["贵阳市总工会举办"], 0.1)
    True
    """
    pairs = bigrams(tail)
    if not pairs:
        return False
    return (len(pairs & bigrams(following)) - len(pairs & bigrams(own))) / len(pairs) >= margin


def closer_to_previous(
    line: str, before: Sequence[str], after: Sequence[str], margin: float
) -> bool:
    """Whether ``line`` shares at least ``margin`` of its pairs more with the story
    ``before`` it than with the text ``after`` it.

    >>> closer_to_previous("坚持领导干部下访", ["大城县坚持领导干部下访"], ["湖北推出方案"], 0.25)
    True
    """
    pairs = bigrams([line])
    if not pairs:
        return False
    # A pair of Han characters is a bigram of a text exactly when the text holds it, so the
    # texts are searched, not cut into bigrams ("\n" between texts is no Han).
    joined_before, joined_after = "\n".join(before), "\n".join(after)
    shared = sum(pair in joined_before for pair in pairs) - sum(
        pair in joined_after for pair in pairs
    )
    return shared / len(pairs) >= margin
