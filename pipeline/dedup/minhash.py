"""MinHash signatures and the LSH band index, computed fast and bit-identical to datasketch.

The shingles of a dedup key are its character n-grams. Each shingle is hashed from its
Unicode code points (:func:`shingle_hash32`, FNV-1a over whole code points), and the
signature is what datasketch's ``MinHash(hashfunc=shingle_hash32, scheme=...)`` gives
for the same ``num_perm``, ``seed`` and ``scheme``: the compiled kernel here only computes
it about 80x faster (numba, one pass over the code points of a story, no Python object per
shingle). The tests compare the two over real stories.

The band index is the corpus-scale replacement of ``MinHashLSH``: one 64-bit key per band
(a hash of the band's ``rows`` values), stored band-major in a NumPy array, at 8 bytes per
band per story.

What this module leaves alone: which text is shingled (``pipeline.dedup.keys`` folds it
into a key first), how shingles are hashed (``pipeline.dedup.shingles``), which rows share
a band key (``pipeline.dedup.candidates``), and whether a candidate pair is a duplicate
(verified on the real shingle sets in ``pipeline.dedup.verify``).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from pipeline.dedup.jit import kernel
from pipeline.dedup.shingles import Scheme, fmix32, fmix64, hashfunc_for, iter_shingles

if TYPE_CHECKING:
    from datasketch import MinHash

U32Array = npt.NDArray[np.uint32]
U64Array = npt.NDArray[np.uint64]
I64Array = npt.NDArray[np.int64]

_MERSENNE_61 = (1 << 61) - 1


@functools.cache
def permutations(num_perm: int, seed: int, scheme: Scheme) -> tuple[npt.NDArray[Any], ...]:
    """datasketch's permutation parameters ``(a, b)`` for these settings, read from it."""
    from datasketch import MinHash  # on first use: it imports scipy, 0.3 s

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=scheme).permutations
    dtype = np.uint32 if scheme == "affine32" else np.uint64
    return np.ascontiguousarray(a, dtype=dtype), np.ascontiguousarray(b, dtype=dtype)


def reference_minhash(key: str, ngram: int, num_perm: int, seed: int, scheme: Scheme) -> MinHash:
    """datasketch's own ``MinHash`` of ``key``'s shingles: the slow reference the tests
    compare :func:`signature` against, and what the ``Deduplicator`` feeds ``MinHashLSH``.
    """
    from datasketch import MinHash

    minhash = MinHash(num_perm=num_perm, seed=seed, scheme=scheme, hashfunc=hashfunc_for(scheme))
    minhash.update_batch(iter_shingles(key, ngram))
    return minhash


# --- Compiled kernels ------------------------------------------------------------------------


@kernel
def _signature32(
    cps: U32Array,
    ngram: int,
    a: U32Array,
    b: U32Array,
    head: int,
    out: U32Array,
    out_head: U32Array,
) -> None:
    """affine32: min over shingles of a * fmix32(fnv32(shingle)) + b (mod 2^32).

    ``out_head`` receives the signature of the first ``head`` shingles (a free by-product:
    the running minimum at that point)."""
    out[:] = np.uint32(0xFFFFFFFF)
    count = cps.shape[0] - ngram + 1
    # Two loops rather than a test per shingle: the inner loop must stay vectorised.
    first = min(max(count, 0), head)
    _minhash32(cps, ngram, a, b, 0, first, out)
    out_head[:] = out
    _minhash32(cps, ngram, a, b, first, max(count, 0), out)


@kernel
def _minhash32(
    cps: U32Array, ngram: int, a: U32Array, b: U32Array, start: int, stop: int, out: U32Array
) -> None:
    k = a.shape[0]
    for j in range(start, stop):
        h = np.uint32(0x811C9DC5)
        for i in range(ngram):
            h = np.uint32(np.uint32(h ^ cps[j + i]) * np.uint32(0x01000193))
        h = fmix32(h)
        for p in range(k):
            v = np.uint32(np.uint32(a[p] * h) + b[p])
            out[p] = min(out[p], v)


@kernel
def _signature64(
    cps: U32Array,
    ngram: int,
    a: U64Array,
    b: U64Array,
    head: int,
    legacy: bool,
    out: U64Array,
    out_head: U64Array,
) -> None:
    """affine64 (fnv64, fmix64, a*h+b mod 2^64) or legacy (fnv32, ((a*h+b) mod 2^64) mod
    (2^61-1), low 32 bits): the same arithmetic as datasketch's NumPy code."""
    k = a.shape[0]
    out[:] = np.uint64(0xFFFFFFFF) if legacy else np.uint64(0xFFFFFFFFFFFFFFFF)
    count = cps.shape[0] - ngram + 1
    prime = np.uint64((1 << 61) - 1)
    for j in range(count):
        if legacy:
            h32 = np.uint32(0x811C9DC5)
            for i in range(ngram):
                h32 = np.uint32(np.uint32(h32 ^ cps[j + i]) * np.uint32(0x01000193))
            for p in range(k):
                v = np.uint64(np.uint64(a[p] * np.uint64(h32)) + b[p]) % prime
                out[p] = min(out[p], np.uint64(v & np.uint64(0xFFFFFFFF)))
        else:
            h = np.uint64(0xCBF29CE484222325)
            for i in range(ngram):
                h = np.uint64(np.uint64(h ^ np.uint64(cps[j + i])) * np.uint64(0x100000001B3))
            h = fmix64(h)
            for p in range(k):
                out[p] = min(out[p], np.uint64(np.uint64(a[p] * h) + b[p]))
        if j == head - 1:
            out_head[:] = out
    if count < head:
        out_head[:] = out


@kernel
def _band_keys(sig: npt.NDArray[Any], bands: int, rows: int, out: U64Array, start: int) -> None:
    """One 64-bit key per band: splitmix64-style mixing of the band's values in order."""
    for band in range(bands):
        key = np.uint64(0x9E3779B97F4A7C15)
        for r in range(rows):
            key = np.uint64(key ^ np.uint64(sig[band * rows + r]))
            key = fmix64(np.uint64(key + np.uint64(0x9E3779B97F4A7C15)))
        out[start + band] = key


@kernel
def _band_keys_column(
    sig: npt.NDArray[Any], bands: int, rows: int, out: U64Array, first: int, col: int
) -> None:
    """:func:`_band_keys` written into column ``col`` of a band-major (width, n) array."""
    for band in range(bands):
        key = np.uint64(0x9E3779B97F4A7C15)
        for r in range(rows):
            key = np.uint64(key ^ np.uint64(sig[band * rows + r]))
            key = fmix64(np.uint64(key + np.uint64(0x9E3779B97F4A7C15)))
        out[first + band, col] = key


@kernel
def _batch32(
    cps: U32Array,
    offsets: I64Array,
    ngram: int,
    a: U32Array,
    b: U32Array,
    head: int,
    shape: I64Array,
    out: U64Array,
) -> None:
    """Band keys of every key of a batch (affine32); keys under ``shape[4]`` get zeros.

    ``shape`` is (bands, rows, head_bands, head_rows, min_key_length). One call per batch:
    no Python object and no allocation per story."""
    k = a.shape[0]
    sig = np.empty(k, dtype=np.uint32)
    head_sig = np.empty(k, dtype=np.uint32)
    for s in range(offsets.shape[0] - 1):
        start, stop = offsets[s], offsets[s + 1]
        if stop - start < shape[4]:
            out[:, s] = np.uint64(0)
            continue
        _signature32(cps[start:stop], ngram, a, b, head, sig, head_sig)
        _band_keys_column(sig, shape[0], shape[1], out, 0, s)
        _band_keys_column(head_sig, shape[2], shape[3], out, shape[0], s)


@kernel
def _batch64(
    cps: U32Array,
    offsets: I64Array,
    ngram: int,
    a: U64Array,
    b: U64Array,
    head: int,
    legacy: bool,
    shape: I64Array,
    out: U64Array,
) -> None:
    """:func:`_batch32` for the 64-bit schemes (affine64, legacy)."""
    k = a.shape[0]
    sig = np.empty(k, dtype=np.uint64)
    head_sig = np.empty(k, dtype=np.uint64)
    for s in range(offsets.shape[0] - 1):
        start, stop = offsets[s], offsets[s + 1]
        if stop - start < shape[4]:
            out[:, s] = np.uint64(0)
            continue
        _signature64(cps[start:stop], ngram, a, b, head, legacy, sig, head_sig)
        _band_keys_column(sig, shape[0], shape[1], out, 0, s)
        _band_keys_column(head_sig, shape[2], shape[3], out, shape[0], s)


def batch_band_keys(
    cps: U32Array,
    offsets: I64Array,
    *,
    ngram: int,
    num_perm: int,
    seed: int,
    scheme: Scheme,
    head: int,
    bands: tuple[int, int, int, int],
    min_length: int,
) -> U64Array:
    """Band keys of many keys at once, band-major: shape (bands + head_bands, n).

    ``cps`` holds the keys' code points back to back, key ``s`` at
    ``cps[offsets[s]:offsets[s + 1]]``; ``bands`` is (bands, rows, head_bands, head_rows).
    Column ``s`` equals ``band_keys(*signature(key s ...))``; keys shorter than
    ``min_length`` get zeros (they are matched exactly only).

    >>> key = np.frombuffer("劳模智慧培育新工匠".encode("utf-32-le"), dtype=np.uint32)
    >>> cps, offsets = np.concatenate([key, key[:3]]), np.array([0, 9, 12])
    >>> keys = batch_band_keys(cps, offsets, ngram=4, num_perm=8, seed=1, scheme="affine32",
    ...                        head=4, bands=(2, 4, 1, 4), min_length=5)
    >>> sig, head = signature(key, 4, 8, 1, "affine32", 4)
    >>> bool((keys[:, 0] == band_keys(sig, 2, 4, head, 1, 4)).all()), keys[:, 1].tolist()
    (True, [0, 0, 0])
    """
    a, b = permutations(num_perm, seed, scheme)
    n = offsets.shape[0] - 1
    out = np.empty((bands[0] + bands[2], n), dtype=np.uint64)
    shape = np.array([*bands, min_length], dtype=np.int64)
    cps = np.ascontiguousarray(cps, dtype=np.uint32)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    if scheme == "affine32":
        _batch32(cps, offsets, ngram, a, b, head, shape, out)
    else:
        _batch64(cps, offsets, ngram, a, b, head, scheme == "legacy", shape, out)
    return out


def signature(
    cps: U32Array, ngram: int, num_perm: int, seed: int, scheme: Scheme, head: int = 0
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """MinHash signature of a key given as code points, and of its first ``head`` shingles.

    Equal to ``reference_minhash(key, ...).hashvalues`` (uint32 for affine32, uint64
    otherwise). A key shorter than ``ngram`` has no shingles: every value stays at the
    scheme's maximum, like an empty datasketch ``MinHash``.

    >>> key = "尤溪县总工会量身定制的5家劳模工作室"
    >>> cps = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32)
    >>> sig, _ = signature(cps, 5, 16, 1, "affine32")
    >>> bool((sig == reference_minhash(key, 5, 16, 1, "affine32").hashvalues).all())
    True
    """
    a, b = permutations(num_perm, seed, scheme)
    cps = np.ascontiguousarray(cps, dtype=np.uint32)
    if scheme == "affine32":
        out32 = np.empty(num_perm, dtype=np.uint32)
        head32 = np.empty(num_perm, dtype=np.uint32)
        _signature32(cps, ngram, a, b, head, out32, head32)
        return out32, head32
    out64 = np.empty(num_perm, dtype=np.uint64)
    head64 = np.empty(num_perm, dtype=np.uint64)
    _signature64(cps, ngram, a, b, head, scheme == "legacy", out64, head64)
    return out64, head64


def band_keys(
    sig: npt.NDArray[Any],
    bands: int,
    rows: int,
    head_sig: npt.NDArray[Any] | None = None,
    head_bands: int = 0,
    head_rows: int = 0,
) -> U64Array:
    """The band keys of one signature: ``bands`` keys, then ``head_bands`` keys of the head
    signature (its first ``head_bands * head_rows`` values).

    >>> sig = np.arange(8, dtype=np.uint32)
    >>> band_keys(sig, 2, 4).shape
    (2,)
    """
    out = np.empty(bands + head_bands, dtype=np.uint64)
    _band_keys(sig, bands, rows, out, 0)
    if head_bands:
        assert head_sig is not None
        _band_keys(head_sig, head_bands, head_rows, out, bands)
    return out
