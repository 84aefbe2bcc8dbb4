"""Shingles: the character n-grams of a dedup key, and their hashes.

A shingle is hashed from its Unicode code points, not its UTF-8 bytes (FNV-1a over whole
code points), so a compiled kernel hashes a story's code point array without encoding each
shingle; :func:`shingle_hash32` is the ``hashfunc`` datasketch's ``MinHash`` is given, so
that ``pipeline.dedup.minhash`` can reproduce its signatures bit for bit. Verification
compares the shingle *sets* of two keys as sorted 64-bit fingerprints
(:func:`shingle_set`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import numpy as np
import numpy.typing as npt

from pipeline.dedup.jit import kernel

Scheme = Literal["affine32", "affine64", "legacy"]
U32Array = npt.NDArray[np.uint32]
U64Array = npt.NDArray[np.uint64]

_FNV32_OFFSET = 0x811C9DC5
_FNV32_PRIME = 0x01000193
_FNV64_OFFSET = 0xCBF29CE484222325
_FNV64_PRIME = 0x100000001B3
_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF


def iter_shingles(key: str, ngram: int) -> Iterator[str]:
    """The character n-grams of ``key``, in order; none when it is shorter than ``ngram``.

    >>> list(iter_shingles("培育新工匠", 3))
    ['培育新', '育新工', '新工匠']
    """
    return (key[i : i + ngram] for i in range(len(key) - ngram + 1))


def shingle_hash32(shingle: str) -> int:
    """32-bit FNV-1a over the code points of ``shingle``: datasketch's ``hashfunc``.

    Whole code points are mixed in (not UTF-8 bytes), so the compiled kernel hashes a
    story's code point array without encoding each shingle. datasketch pre-mixes the
    value with the MurmurHash3 finalizer before permuting it (schemes affine32/affine64).

    >>> shingle_hash32("劳模工作室")
    3406790484
    >>> shingle_hash32("")
    2166136261
    """
    h = _FNV32_OFFSET
    for ch in shingle:
        h = ((h ^ ord(ch)) * _FNV32_PRIME) & _MASK32
    return h


def shingle_hash64(shingle: str) -> int:
    """64-bit FNV-1a over the code points of ``shingle`` (the hashfunc of ``affine64``).

    >>> shingle_hash64("劳模工作室")
    683936024222867284
    """
    h = _FNV64_OFFSET
    for ch in shingle:
        h = ((h ^ ord(ch)) * _FNV64_PRIME) & _MASK64
    return h


def hashfunc_for(scheme: Scheme) -> Callable[[str], int]:
    """The shingle hash matching ``scheme``'s width (64 bits only for ``affine64``)."""
    return shingle_hash64 if scheme == "affine64" else shingle_hash32


@kernel
def fmix32(h: np.uint32) -> np.uint32:
    h = np.uint32(h ^ (h >> np.uint32(16)))
    h = np.uint32(h * np.uint32(0x85EBCA6B))
    h = np.uint32(h ^ (h >> np.uint32(13)))
    h = np.uint32(h * np.uint32(0xC2B2AE35))
    return np.uint32(h ^ (h >> np.uint32(16)))


@kernel
def fmix64(h: np.uint64) -> np.uint64:
    h = np.uint64(h ^ (h >> np.uint64(33)))
    h = np.uint64(h * np.uint64(0xFF51AFD7ED558CCD))
    h = np.uint64(h ^ (h >> np.uint64(33)))
    h = np.uint64(h * np.uint64(0xC4CEB9FE1A85EC53))
    return np.uint64(h ^ (h >> np.uint64(33)))


@kernel
def shingle_fingerprints(cps: U32Array, ngram: int, out: U64Array) -> int:
    """One 64-bit fingerprint per shingle. Up to 3 code points (21 bits each) are packed
    exactly; longer shingles are hashed (FNV-1a 64 + fmix64), where two distinct shingles
    of one story pair collide with probability about 1e-13."""
    count = cps.shape[0] - ngram + 1
    if count <= 0:
        return 0
    for j in range(count):
        if ngram <= 3:
            h = np.uint64(0)
            for i in range(ngram):
                h = np.uint64((h << np.uint64(21)) | np.uint64(cps[j + i]))
        else:
            h = np.uint64(0xCBF29CE484222325)
            for i in range(ngram):
                h = np.uint64(np.uint64(h ^ np.uint64(cps[j + i])) * np.uint64(0x100000001B3))
            h = fmix64(h)
        out[j] = h
    return int(count)


def shingle_set(cps: U32Array, ngram: int) -> U64Array:
    """The set of a key's shingles as sorted unique 64-bit fingerprints.

    >>> cps = np.frombuffer("劳模劳模劳模".encode("utf-32-le"), dtype=np.uint32)
    >>> len(shingle_set(cps, 2))  # 劳模, 模劳
    2
    """
    out = np.empty(max(cps.shape[0] - ngram + 1, 0), dtype=np.uint64)
    count = shingle_fingerprints(np.ascontiguousarray(cps, dtype=np.uint32), ngram, out)
    return np.unique(out[:count])
