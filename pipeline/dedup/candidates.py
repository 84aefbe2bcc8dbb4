"""Candidate pairs of the LSH band index: rows that share a key in some band.

It yields the same candidate pairs as ``MinHashLSH(params=(bands, rows))`` (tested), by
sorting each band's keys instead of keeping a dict of lists per band.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pipeline.dedup.jit import kernel

U64Array = npt.NDArray[np.uint64]
I64Array = npt.NDArray[np.int64]


def candidate_pairs(keys: U64Array, eligible: npt.NDArray[np.bool_] | None = None) -> I64Array:
    """Every pair of rows that share a key in some band: an (m, 2) array, ``i < j``, sorted.

    ``keys`` is band-major, shape (bands, n). Each band is sorted once; rows whose keys are
    equal form a bucket, and every pair within a bucket is a candidate (exactly what
    ``MinHashLSH.query`` returns, without its dict of lists per band). ``eligible`` masks
    rows out (short keys, exact duplicates).

    >>> keys = np.array([[5, 7, 5, 9], [1, 2, 3, 2]], dtype=np.uint64)
    >>> candidate_pairs(keys).tolist()
    [[0, 2], [1, 3]]
    """
    bands, n = keys.shape
    rows_all = np.arange(n, dtype=np.int64)
    if eligible is not None:
        rows_all = rows_all[eligible]
    found: list[I64Array] = []
    for band in range(bands):
        band_values = keys[band, rows_all]
        order = np.argsort(band_values)  # any order within a bucket: pairs are normalised
        sorted_values = band_values[order]
        sorted_rows = rows_all[order]
        same = sorted_values[1:] == sorted_values[:-1]
        if not same.any():
            continue
        found.append(_bucket_pairs(sorted_rows, same))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    packed = np.unique(np.concatenate(found))
    return np.stack([packed >> 32, packed & 0xFFFFFFFF], axis=1)


def _bucket_pairs(sorted_rows: I64Array, same: npt.NDArray[np.bool_]) -> I64Array:
    """All pairs within runs of equal keys, packed as ``i << 32 | j`` with ``i < j``."""
    starts = np.flatnonzero(np.diff(np.concatenate(([0], same.view(np.int8), [0]))) == 1)
    ends = np.flatnonzero(np.diff(np.concatenate(([0], same.view(np.int8), [0]))) == -1) + 1
    out = np.empty(int(((ends - starts) * (ends - starts - 1) // 2).sum()), dtype=np.int64)
    _fill_pairs(sorted_rows, starts, ends, out)
    return out


@kernel
def _fill_pairs(sorted_rows: I64Array, starts: I64Array, ends: I64Array, out: I64Array) -> None:
    at = 0
    for s in range(starts.shape[0]):
        for x in range(starts[s], ends[s]):
            for y in range(x + 1, ends[s]):
                i = sorted_rows[x]
                j = sorted_rows[y]
                if i > j:
                    i, j = j, i
                out[at] = (i << 32) | j
                at += 1


def normalised_pairs(pairs: I64Array) -> I64Array:
    """Candidate pairs as ``candidate_pairs`` gives them: ``i < j``, unique, sorted."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(pairs) and (pairs[:, 0] < pairs[:, 1]).all():
        # Both finders give them so already; checking costs a hundredth of sorting.
        packed = (pairs[:, 0] << 32) | pairs[:, 1]
        if (np.diff(packed) > 0).all():
            return pairs
    pairs = np.sort(pairs[pairs[:, 0] != pairs[:, 1]], axis=1)
    return np.unique(pairs, axis=0) if len(pairs) else np.empty((0, 2), dtype=np.int64)
