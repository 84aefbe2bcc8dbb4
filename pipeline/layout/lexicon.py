"""What the text of a line says about its role, from two tables built on first use: jieba's
dictionary (a word across a line break says "wrap") and the model's character tables (how
headline-like a line's characters are).

A word of the dictionary split by a break is the strongest text signal of a wrap: on real
People's Daily pages no headline break splits one, against about half of all wraps (issue
16). jieba (MIT) ships its dictionary as ``dict.txt`` (349,046 words, 5 MB); only the words
of two to four characters are read, once per process, into a set (about 0.4 s and 30 MB;
``bench/README.md`` has the measured load time per worker).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from importlib import resources

# Words of this many characters are kept: a break cuts a longer word into parts that are
# words themselves (or it is a name, which the dictionary holds only in part).
_WORD_LENGTHS = (2, 3, 4)
# Rare dictionary entries (jieba's frequency) are mostly chance pairs of common characters
# (的人, 在这): a word counts only from this frequency on.
MIN_WORD_FREQUENCY = 3


@functools.cache
def dictionary() -> frozenset[str]:
    """jieba's words of two to four characters, read once per process.

    >>> "改革" in dictionary(), "革方" in dictionary()
    (True, False)
    """
    words: list[str] = []
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        word, _, rest = line.partition(" ")
        if len(word) in _WORD_LENGTHS and int(rest.partition(" ")[0] or 0) >= MIN_WORD_FREQUENCY:
            words.append(word)
    return frozenset(words)


def word_across(above: str, below: str) -> bool:
    """Whether a dictionary word of two to four characters spans the break between the
    line ``above`` and the line ``below`` (both stripped).

    >>> word_across("湖北推出改", "革方案"), word_across("湖北推出改革方案", "本报讯")
    (True, False)
    """
    words = dictionary()
    for left in (1, 2, 3):
        if left > len(above):
            break
        head = above[-left:]
        for right in range(1, 5 - left):
            if right > len(below):
                break
            if head + below[:right] in words:
                return True
    return False


def words_across(lines: Sequence[str]) -> list[bool]:
    """``word_across`` of every break between consecutive ``lines`` (stripped, not empty).

    >>> words_across(["湖北推出改", "革方案", "本报讯"])
    [True, False]
    """
    return [word_across(a, b) for a, b in itertools.pairwise(lines)]
