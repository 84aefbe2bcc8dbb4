"""Dedup keys: the folded copy of a story's text that near-duplicate detection compares.

A key is the text in Simplified script, width-folded, lowercased, without punctuation,
whitespace or U+FFFD (:func:`dedup_key`). Keys are computed for many stories at once
(:func:`fold_keys`): one numba pass over the code points of a batch folds every key and
counts every story's defects, with no Python object or NumPy allocation per story.

What this module leaves alone: the story text (keys are only compared, never written),
and word-level differences between regional vocabularies (软件/軟體 stay apart: t2s folds
characters, not words).
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt

from pipeline.chars import KEY_PUNCTUATION_RE

# Bump when the key folding changes: a saved index of another version is refused.
KEY_VERSION = 2  # 2: digests of 16-bit units (key_digests)

U32Array = npt.NDArray[np.uint32]
I64Array = npt.NDArray[np.int64]


@functools.cache
def _fold_table() -> U32Array:
    """Code point -> folded code point (0: removed), for the Basic Multilingual Plane.

    Traditional -> Simplified character by character with OpenCC's ``t2s`` table (a fold,
    not a translation: 乾/幹/干 all become 干 in every copy, so both scripts meet), then
    NFKC when it gives one character (full-width, compatibility ideographs), lowercase
    ASCII; punctuation and whitespace (``KEY_PUNCTUATION_RE``) and U+FFFD are removed.
    Digits stay.
    OpenCC is reached through ``pipeline.convert`` (the one place that owns it).
    """
    from pipeline.convert import to_simplified  # deliberate: the key needs OpenCC's t2s

    han = [chr(cp) for cp in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000))]
    converted = to_simplified("\n".join(han)).split("\n")
    t2s = {h: s for h, s in zip(han, converted, strict=True) if len(s) == 1 and s != h}
    table = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        folded = folded if len(folded) == 1 else ch
        folded = t2s.get(folded, folded)
        if "A" <= folded <= "Z":
            folded = folded.lower()
        removed = (
            KEY_PUNCTUATION_RE.match(ch)
            or KEY_PUNCTUATION_RE.match(folded)
            or ch == "\N{REPLACEMENT CHARACTER}"  # a defect, not content (counted apart)
        )
        table[cp] = 0 if removed or cp == 0 else ord(folded)
    return table


@functools.cache
def _fold_translation() -> dict[int, int | None]:
    table = _fold_table()
    changed = np.flatnonzero(table != np.arange(0x10000, dtype=np.uint32))
    return {int(cp): (int(table[cp]) or None) for cp in changed}


def dedup_key(text: str) -> str:
    """The comparison copy of ``text``: Simplified, width-folded, no punctuation or space.

    Digits and letters stay (lowercased); the story text itself is never changed.

    >>> dedup_key("尤溪縣總工會「量身定制」的５家勞模工作室，\\n培育 新工匠。")
    '尤溪县总工会量身定制的5家劳模工作室培育新工匠'
    >>> dedup_key("，。 \\n")
    ''
    """
    return text.translate(_fold_translation())


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _is_han(c: int) -> bool:
    # HAN_RANGES of pipeline.chars: what _BREAK_RE's neighbours must be.
    return (
        (0x3400 <= c <= 0x4DBF)
        or (0x4E00 <= c <= 0x9FFF)
        or (0xF900 <= c <= 0xFAFF)
        or (0x20000 <= c <= 0x3134F)
    )


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _fold_batch(
    cps: U32Array, offsets: I64Array, table: U32Array, out: U32Array, out_offsets: I64Array
) -> npt.NDArray[np.int64]:
    n = offsets.shape[0] - 1
    defects = np.zeros(n, dtype=np.int64)
    at = 0
    out_offsets[0] = 0
    for s in range(n):
        start, stop = offsets[s], offsets[s + 1]
        found = 0
        for i in range(start, stop):
            c = cps[i]
            if c == 0xFFFD:
                found += 1
            elif c == 10 and start < i < stop - 1:  # a break left between two Han characters
                found += _is_han(cps[i - 1]) and _is_han(cps[i + 1])
            if c < 0x10000:
                c = table[c]
            out[at] = c  # branch-free: a removed character (0) is overwritten next
            at += c != 0
        defects[s] = found
        out_offsets[s + 1] = at
    return defects


def fold_keys(texts: Sequence[str]) -> tuple[U32Array, I64Array, I64Array]:
    """The keys of ``texts`` back to back, their offsets, and each text's defects.

    Key ``s`` is ``cps[offsets[s]:offsets[s + 1]]``, the code points of
    ``dedup_key(texts[s])``; defects are what :func:`count_defects` counts. One encode and
    one compiled pass for the whole batch.

    >>> cps, offsets, defects = fold_keys(["劳模，工匠", "智\\n慧\N{REPLACEMENT CHARACTER}"])
    >>> "".join(map(chr, cps)), offsets.tolist(), defects.tolist()
    ('劳模工匠智慧', [0, 4, 6], [0, 2])
    """
    raw = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=offsets[1:])
    out = np.empty(raw.shape[0], dtype=np.uint32)
    out_offsets = np.empty(len(texts) + 1, dtype=np.int64)
    defects = _fold_batch(raw, offsets, _fold_table(), out, out_offsets)
    return out[: out_offsets[-1]], out_offsets, defects


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
