"""Dedup keys: the folded copy of a story's text that near-duplicate detection compares.

A key is the text in Simplified script with mainland vocabulary, width-folded, lowercased,
without punctuation, whitespace or U+FFFD (:func:`dedup_key`). Keys are computed for many
stories at once (:func:`fold_keys`): one numba pass over the code points of a batch folds
every key and counts every story's defects, with no Python object or NumPy allocation per
story.

Two folds, in this order (their tables: ``pipeline.dedup.folds``):

1. characters: old-print variant glyphs to their standard form (淸 -> 清), then
   Traditional -> Simplified one character at a time (OpenCC's ``t2s``, and
   Taiwan's and Hong Kong's variant characters: 著 -> 着), NFKC, lowercase; punctuation
   and whitespace removed;
2. regional vocabulary (地区词): a Taiwan or Hong Kong word, once folded as in 1, becomes
   the mainland word (软体 -> 软件, 网路 -> 网络, 资讯 -> 信息), from OpenCC's own phrase
   dictionaries. Every key is folded so, whatever script or convert stage its text went
   through: a mainland original and its Taiwan reprint (``s2twp``) get the same key
   words either way. One compiled pass does both folds (:func:`_fold_batch`).

What this module leaves alone: the story text (keys are only compared, never written),
and words OpenCC's dictionaries do not list (a paraphrase stays a difference).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt

from pipeline.dedup.folds import PhraseTable, fold_table, pair_hash, phrase_table, regional_phrases
from pipeline.dedup.jit import kernel

# Bump when the key folding changes: a saved index of another version is refused.
# 2: digests of 16-bit units (key_digests); 3: regional vocabulary folded; 4: old-print
# variant glyphs folded (淸 -> 清)
KEY_VERSION = 4

U8Array = npt.NDArray[np.uint8]
U32Array = npt.NDArray[np.uint32]
I64Array = npt.NDArray[np.int64]


_pair_bit = numba.njit(cache=True, nogil=True, inline="always")(pair_hash)


def dedup_key(text: str) -> str:
    """The comparison copy of ``text``: Simplified, mainland words, no punctuation or space.

    Digits and letters stay (lowercased); the story text itself is never changed.

    >>> dedup_key("尤溪縣總工會「量身定制」的５家勞模工作室，\\n培育 新工匠。")
    '尤溪县总工会量身定制的5家劳模工作室培育新工匠'
    >>> dedup_key("這套軟體經網路更新"), dedup_key("这套软件经网络更新")
    ('这套软件经网络更新', '这套软件经网络更新')
    >>> dedup_key("，。 \\n")
    ''
    """
    return "".join(map(chr, fold_keys([text])[0].tolist()))


@kernel
def _is_han(c: int) -> bool:
    # HAN_RANGES of pipeline.text.chars: what _BREAK_RE's neighbours must be.
    return (
        (0x3400 <= c <= 0x4DBF)
        or (0x4E00 <= c <= 0x9FFF)
        or (0xF900 <= c <= 0xFAFF)
        or (0x20000 <= c <= 0x3134F)
    )


@kernel
def _fold_batch(
    cps: U32Array,
    offsets: I64Array,
    table: U32Array,
    phrases: PhraseTable,
    out: U32Array,
    out_offsets: I64Array,
    defects: I64Array,
) -> bool:
    """Both folds of every text into ``out``; False when ``out`` is too small (rerun).

    Fold 1 writes each key straight into ``out`` and notes, branch-free, where a regional
    word may start (its first two characters' bit is set: ~5 % of the characters). Fold 2
    looks only there, and rewrites the key only when a word is found. ``out`` holds at
    least ``len(cps)`` code points: only words that fold 2 lengthens can outgrow it, so
    only they are checked (``spare``), once per key, not every character."""
    bitmap, bucket, sources, source_at, targets, target_at = phrases
    n = offsets.shape[0] - 1
    longest = 1
    for s in range(n):
        longest = max(longest, offsets[s + 1] - offsets[s])
    maybe = np.empty(longest + 1, dtype=np.int64)
    words = np.empty(longest + 1, dtype=np.int64)
    chars = np.empty(longest, dtype=np.uint32)
    spare = out.shape[0] - cps.shape[0]
    at = 0
    out_offsets[0] = 0
    for s in range(n):
        start, stop = offsets[s], offsets[s + 1]
        found = 0
        m = 0
        for i in range(start, stop):  # fold 1: characters
            c = cps[i]
            if c == 0xFFFD:
                found += 1
            elif c == 10 and start < i < stop - 1:  # a break left between two Han characters
                found += _is_han(cps[i - 1]) and _is_han(cps[i + 1])
            if c < 0x10000:
                c = table[c]
            out[at + m] = c  # branch-free: a removed character (0) is overwritten next
            m += c != 0
        candidates = 0
        previous = out[at]
        for x in range(1, m):  # branch-free, in a loop of its own: it stays tight
            c = out[at + x]
            h = _pair_bit(previous, c)
            maybe[candidates] = x - 1
            candidates += (bitmap[h >> np.uint32(3)] >> (h & np.uint32(7))) & np.uint8(1)
            previous = c
        defects[s] = found
        # fold 2: regional words, longest match first, left to right
        matches = 0
        end = 0
        growth = 0
        rises = False  # a prefix of the words lengthens the key: rewrite from a copy
        for q in range(candidates):
            p = maybe[q]
            if p < end:
                continue
            h = _pair_bit(out[at + p], out[at + p + 1])
            for e in range(bucket[h], bucket[h + 1]):
                length = source_at[e + 1] - source_at[e]
                if p + length <= m:
                    k = 0
                    while k < length and out[at + p + k] == sources[source_at[e] + k]:
                        k += 1
                    if k == length:
                        maybe[matches] = p  # matches <= q: overwrites only what was read
                        words[matches] = e
                        matches += 1
                        end = p + length
                        growth += (target_at[e + 1] - target_at[e]) - length
                        rises = rises or growth > 0
                        break
        if not matches:
            at += m
            out_offsets[s + 1] = at
            continue
        spare -= max(growth, 0)
        if spare < 0:
            return False
        if rises:  # from a copy of the key
            for x in range(m):
                chars[x] = out[at + x]
        # else in place, left to right: the write position never passes the read one,
        # and words of the same length (软体 -> 软件, most of them) move nothing.
        shift = 0
        done = 0  # key characters before this are placed
        for w in range(matches):
            p, e = maybe[w], words[w]
            if rises or shift:
                for x in range(done, p):
                    out[at + x + shift] = chars[x] if rises else out[at + x]
            lo, hi = target_at[e], target_at[e + 1]
            for x in range(lo, hi):
                out[at + p + shift + x - lo] = targets[x]
            done = p + source_at[e + 1] - source_at[e]
            shift += (hi - lo) - (done - p)
        if rises or shift:
            for x in range(done, m):
                out[at + x + shift] = chars[x] if rises else out[at + x]
        at += m + shift
        out_offsets[s + 1] = at
    return True


def fold_keys(texts: Sequence[str]) -> tuple[U32Array, I64Array, I64Array]:
    """The keys of ``texts`` back to back, their offsets, and each text's defects.

    Key ``s`` is ``cps[offsets[s]:offsets[s + 1]]``, the code points of
    ``dedup_key(texts[s])``; defects are what :func:`count_defects` counts. One encode and
    one compiled pass for the whole batch.

    >>> cps, offsets, defects = fold_keys(["劳模，工匠", "培\\n育\N{REPLACEMENT CHARACTER}"])
    >>> "".join(map(chr, cps)), offsets.tolist(), defects.tolist()
    ('劳模工匠培育', [0, 4, 6], [0, 2])
    """
    raw = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=offsets[1:])
    out_offsets = np.empty(len(texts) + 1, dtype=np.int64)
    defects = np.empty(len(texts), dtype=np.int64)
    table, phrases = fold_table(), phrase_table()
    # Fold 2 sometimes lengthens a key (数据机 -> 调制解调器); a batch that would outgrow
    # the first buffer is folded again into one sized for the worst case.
    out = np.empty(raw.shape[0] + raw.shape[0] // 16 + 64, dtype=np.uint32)
    if not _fold_batch(raw, offsets, table, phrases, out, out_offsets, defects):
        out = np.empty(raw.shape[0] * _most_growth() + 64, dtype=np.uint32)
        _fold_batch(raw, offsets, table, phrases, out, out_offsets, defects)
    return out[: out_offsets[-1]], out_offsets, defects


@functools.cache
def _most_growth() -> int:
    """The most code points fold 2 writes per code point it reads (at least 1)."""
    return max([1, *(-(-len(t) // len(s)) for s, t in regional_phrases())])


def key_codepoints(text: str) -> U32Array:
    """``dedup_key(text)`` as a code point array, computed without building the string.

    >>> key_codepoints("劳模，工匠").tolist() == [ord(c) for c in "劳模工匠"]
    True
    """
    return fold_keys([text])[0]


def count_defects(text: str) -> int:
    """Replacement characters plus line breaks left between two Han characters.

    >>> count_defects("劳模\\n智慧\N{REPLACEMENT CHARACTER}。\\n培育")
    2
    """
    return int(fold_keys([text])[2][0])


def key_digests(cps: U32Array, offsets: I64Array) -> npt.NDArray[np.uint64]:
    """A 16-byte BLAKE2b digest of each key, as an (n, 2) uint64 array.

    A cryptographic hash, so that no crafted text collides with another story's key (the
    exact stage trusts equal digests without reading the texts). Keys whose code points
    are all below U+D800 (nearly all) are hashed as 16-bit units, half the bytes; the
    others as 32-bit units, under another BLAKE2b personalization so that the two forms
    never collide.

    >>> cps, offsets, _ = fold_keys(["劳模", "勞模。", "工匠", "\U00020000"])
    >>> d = key_digests(cps, offsets)
    >>> bool((d[0] == d[1]).all()), bool((d[0] == d[2]).all())
    (True, False)
    """
    wide = np.zeros(len(offsets), dtype=np.int64)
    np.add.at(wide, np.searchsorted(offsets, np.flatnonzero(cps >= 0xD800), side="right"), 1)
    narrow = cps.astype(np.uint16).view(np.uint8).data
    full = cps.view(np.uint8).data
    bounds = offsets.tolist()
    blake = hashlib.blake2b
    joined = b"".join(
        blake(full[4 * lo : 4 * hi], digest_size=16, person=b"key32").digest()
        if is_wide
        else blake(narrow[2 * lo : 2 * hi], digest_size=16, person=b"key16").digest()
        for lo, hi, is_wide in zip(bounds, bounds[1:], wide[1:].tolist(), strict=False)
    )
    return np.frombuffer(joined, dtype=np.uint64).reshape(-1, 2).copy()
