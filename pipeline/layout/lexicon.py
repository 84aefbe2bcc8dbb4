"""jieba's dictionary, read on first use: a word of it across a line break says "wrap".

A word of the dictionary split by a break is the strongest text signal of a wrap: on real
People's Daily pages no headline break splits one, against about half of all wraps (issue
16). jieba (MIT) ships its dictionary as ``dict.txt`` (349,046 words, 5 MB); only the words
of two to four characters are read, once per process, into a set (about 0.4 s and 30 MB;
``bench/README.md`` has the measured load time per worker).
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import re
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import PipelineError

# An entry of dict.txt, "word frequency tag", for words of two to four characters: a break
# cuts a longer word into parts that are words themselves (or it is a name, which the
# dictionary holds only in part).
_ENTRY_RE = re.compile(r"^(\S{2,4}) (\d+)", re.MULTILINE)
# Rare dictionary entries (jieba's frequency) are mostly chance pairs of common characters
# (的人, 在这): a word counts only from this frequency on.
MIN_WORD_FREQUENCY = 3


@functools.cache
def dictionary() -> frozenset[str]:
    """jieba's words of two to four characters, read once per process (one pattern over
    the file: about 0.4 s).

    >>> "改革" in dictionary(), "革方" in dictionary()
    (True, False)
    """
    text = _dictionary_path().read_text(encoding="utf-8")
    return frozenset(
        word for word, frequency in _ENTRY_RE.findall(text) if int(frequency) >= MIN_WORD_FREQUENCY
    )


def _dictionary_path() -> Path:
    """jieba's dict.txt, found without importing jieba (its import sets up a tokenizer and
    logging this package does not use).

    Raises:
        PipelineError: jieba is not installed.
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        msg = "line repair reads jieba's dictionary: pip install jieba==0.42.1"
        raise PipelineError(msg)
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


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
