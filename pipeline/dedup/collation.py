"""Collation of reprints: the kept copy of a cluster mended where its copies outvote it.

OCR noise is where reprints help: when three copies print 已经 and the kept (most
complete) copy prints 己经, the corpus should keep 已经. passim aligns reprints but does
not vote; here the kept copy is aligned with each other copy of its cluster, character by
character (rapidfuzz's Levenshtein opcodes, C++), and a reading is taken from the copies
only where all of this holds:

- the copies are compared *folded* (:func:`fold_for_collation`): one character for one,
  Traditional to Simplified, old-print glyphs to standard ones, full-width to ASCII,
  Taiwan and Hong Kong words to mainland words of the same length (軟體 -> 软件), so a
  Traditional reprint votes with the Simplified copies and never for its vocabulary;
- at that position the copy differs from the kept copy by a substitution of one or two
  characters between at least two agreeing characters on each side (a longer differing
  run, or one next to an insertion or a deletion, is a rewording: 用户 / 使用者; a copy
  that inserts or deletes there does not vote);
- a strict majority of the copies that vote there, the kept copy included, and at least
  two copies besides it, read the same other character;
- both the old and the new character are Han (punctuation and quote styles are a
  paper's own, not OCR noise);
- when every supporting copy was converted from the other script (``converted``), the
  reading must not be one that conversion itself explains: OpenCC's regional vocabulary
  (默认 -> 預設 -> 预设) is a conversion's, not a print's. It is explained when taking the
  kept copy's own words there through a round trip (s2t, s2tw, s2twp or s2hk, then t2s)
  gives the copies' reading (:func:`conversion_explains`).

The new character is the one the supporting copies print in the kept copy's script
(:func:`_printed`), never the folded reading itself. Nothing is inserted or deleted: the
text keeps its length, and each change is reported (:class:`Change`: position, old, new,
the supporting copies).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein

from pipeline.dedup.folds import fold_table, regional_phrases
from pipeline.text import HAN_RE, Converter

MAX_SUBSTITUTION = 2  # characters a differing run may have for its copy to vote there
# ...with at least this many agreeing characters on each side (or the text's edge): a
# substitution next to an insertion is a rewording (用户 / 使用者), not a misreading.
CONTEXT = 2
MIN_SUPPORT = 2  # copies besides the kept one that must read the new character


@dataclass(frozen=True, slots=True)
class Change:
    """One mended reading of the kept copy: ``old`` at ``position`` (an offset into its
    text) became ``new``, as the copies ``support`` (their ids, sorted) read it."""

    position: int
    old: str
    new: str
    support: tuple[str, ...]

    def to_record(self) -> dict[str, object]:
        return {
            "position": self.position,
            "old": self.old,
            "new": self.new,
            "support": list(self.support),
        }


@functools.cache
def _char_map() -> dict[int, int]:
    """The dedup key's character fold, one character for one. Characters the key removes
    (punctuation, spaces) stay, so positions survive, but in one width: a copy's ，
    and another's , are the same mark."""
    table = fold_table()
    identity = np.arange(0x10000, dtype=np.uint32)
    changed = np.flatnonzero((table != identity) & (table != 0))
    folds = {int(cp): int(table[cp]) for cp in changed}
    for cp in np.flatnonzero(table == 0).tolist():
        narrow = unicodedata.normalize("NFKC", chr(cp))
        if len(narrow) == 1 and narrow != chr(cp):
            folds[cp] = ord(narrow)
    return folds


@functools.cache
def _regional() -> tuple[re.Pattern[str], dict[str, str]]:
    """Regional words that fold to a mainland word of the same length, longest first."""
    words = {a: b for a, b in regional_phrases() if len(a) == len(b)}
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, ordered))), words


def fold_for_collation(text: str) -> str:
    """``text`` folded for comparison, one character for one (same length).

    >>> fold_for_collation("這套軟體經網路更新，已經淸楚。")
    '这套软件经网络更新,已经清楚。'
    """
    folded = text.translate(_char_map())
    pattern, words = _regional()
    return pattern.sub(lambda m: words[m.group()], folded)


def collate(
    kept: str, copies: Sequence[tuple[str, str]], converted: Collection[str] = ()
) -> list[Change]:
    """The readings of ``kept`` that a strict majority of ``copies`` ((id, text) pairs of
    the cluster's other copies) outvote, by the rules of the module docstring;
    ``converted`` names the copies whose text OpenCC converted from another script than
    the kept copy's.

    >>> kept = "据了解，他己经完成了任务。"
    >>> copies = [("b", "据了解，他已经完成了任务。"), ("c", "據了解，他已經完成了任務。"),
    ...           ("d", "据了解，他已经完成了任务")]
    >>> collate(kept, copies)
    [Change(position=5, old='己', new='已', support=('b', 'c', 'd'))]
    >>> collate(kept, copies[:1])  # one copy is no majority
    []
    """
    if len(copies) < MIN_SUPPORT:
        return []
    folded = fold_for_collation(kept)
    agree = np.zeros(len(kept), dtype=np.int64)
    readings: dict[int, dict[str, list[tuple[str, str]]]] = {}
    for copy_id, text in copies:
        other = fold_for_collation(text)
        ops = [
            (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Levenshtein.opcodes(folded, other)
        ]
        for k, (tag, i1, i2, j1, _) in enumerate(ops):
            if tag == "equal":
                agree[i1:i2] += 1
            elif tag == "replace" and _isolated(ops, k, len(folded)):
                for x in range(i2 - i1):
                    pos, reading = i1 + x, other[j1 + x]
                    readings.setdefault(pos, {}).setdefault(reading, []).append(
                        (copy_id, text[j1 + x])
                    )
    changes: list[Change] = []
    for pos in sorted(readings):
        voters = 1 + int(agree[pos]) + sum(len(v) for v in readings[pos].values())
        reading, votes = max(readings[pos].items(), key=lambda kv: (len(kv[1]), kv[0]))
        if len(votes) < MIN_SUPPORT or 2 * len(votes) <= voters:
            continue
        if all(i in converted for i, _ in votes) and conversion_explains(kept, pos, reading):
            continue  # only conversions read it so, as converting the kept copy would
        old = kept[pos]
        if not (HAN_RE.match(old) and HAN_RE.match(reading)):
            continue
        new = _printed(votes, converted, other_script=folded[pos] != old)
        if new == old:
            continue  # the fold's reading, not the print's (a phrase folded as a whole)
        changes.append(Change(pos, old, new, tuple(sorted(i for i, _ in votes))))
    return changes


# A Simplified text printed in Traditional by another paper and converted back by the run
# went through one of these and then t2s: what they change is vocabulary, not print.
ROUND_TRIPS = ("s2t", "s2tw", "s2twp", "s2hk")
ROUND_TRIP_CONTEXT = 4  # characters either side of the reading taken through the trip


@functools.cache
def _converters() -> tuple[tuple[Converter, ...], Converter]:
    return tuple(Converter(name) for name in ROUND_TRIPS), Converter("t2s")


def conversion_explains(kept: str, pos: int, reading: str) -> bool:
    """Whether converting ``kept`` to Traditional and back reads ``reading`` (folded) at
    ``pos``: a copy converted from Traditional that reads so may owe it to OpenCC's
    regional words, not to the print. A trip that changes the length there explains
    it when it puts ``reading`` anywhere into the window (a conservative guess).

    >>> conversion_explains("这个软件", 2, "软"), conversion_explains("地扯的数字", 1, "址")
    (False, False)
    """
    start = max(0, pos - ROUND_TRIP_CONTEXT)
    window = kept[start : pos + ROUND_TRIP_CONTEXT + 1]
    there = pos - start
    trips, back = _converters()
    for trip in trips:
        folded = fold_for_collation(back.convert(trip.convert(window)))
        if len(folded) == len(window):
            if folded[there] == reading and fold_for_collation(window)[there] != reading:
                return True
        elif reading in folded and reading not in fold_for_collation(window):
            return True
    return False


def _isolated(ops: Sequence[tuple[str, int, int, int, int]], k: int, length: int) -> bool:
    """Whether opcode ``k`` is a substitution of at most ``MAX_SUBSTITUTION`` characters
    with ``CONTEXT`` agreeing characters (or the text's edge) on each side."""
    _, i1, i2, j1, j2 = ops[k]
    if not i2 - i1 == j2 - j1 <= MAX_SUBSTITUTION:
        return False
    before = ops[k - 1] if k else None
    after = ops[k + 1] if k + 1 < len(ops) else None
    left = i1 == 0 or (
        before is not None and before[0] == "equal" and before[2] - before[1] >= CONTEXT
    )
    right = i2 == length or (
        after is not None and after[0] == "equal" and after[2] - after[1] >= CONTEXT
    )
    return left and right


def _printed(
    votes: Sequence[tuple[str, str]], converted: Collection[str], *, other_script: bool
) -> str:
    """The character the supporting copies print, as the kept copy would print it: what
    most of the copies in the kept copy's own script print (all copies when none is), and
    where the kept copy prints the unfolded script, a form in that script when one votes.
    The folded reading itself is never written: a phrase fold (进程 -> 程序) moves readings
    between positions."""
    printed = [p for i, p in votes if i not in converted] or [p for _, p in votes]
    if other_script:
        printed = [p for p in printed if fold_for_collation(p) != p] or printed
    counts = Counter(printed)
    return min(counts, key=lambda p: (-counts[p], p))


def apply_changes(text: str, changes: Sequence[Change]) -> str:
    """``text`` with each change's character put at its position (the length is kept).

    >>> apply_changes("他己经完成", [Change(1, "己", "已", ("b", "c"))])
    '他已经完成'
    """
    chars = list(text)
    for change in changes:
        chars[change.position] = change.new
    return "".join(chars)
