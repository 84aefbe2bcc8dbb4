"""The date window of deduplication (``dedup.window_days``): which pairs may be duplicates.

Archives reprint texts on purpose across years (anniversary reprints, annual notices), and
reprint studies (passim) compare copies only within a window of time. With a window, a
pair is compared only when both stories are dated at most ``window`` days apart or one
of them is undated. Exact copies are then pairs too (:func:`exact_pairs`), not one group
collapsed at once, so the clusters' rule (never chain: a story is dropped only for a
kept copy it is itself paired with) keeps every cluster inside the window.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pipeline.dedup.candidates import normalised_pairs
from pipeline.dedup.index import UNDATED, SketchTable

I64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def within_window(days: npt.NDArray[np.int32], pairs: I64Array, window: int) -> BoolArray:
    """Which pairs may be duplicates: dated at most ``window`` days apart, or undated.

    >>> days = np.array([0, 2, 400, UNDATED], dtype=np.int32)
    >>> within_window(days, np.array([[0, 1], [0, 2], [2, 3]]), 365).tolist()
    [True, False, True]
    """
    a, b = days[pairs[:, 0]].astype(np.int64), days[pairs[:, 1]].astype(np.int64)
    ok: BoolArray = (a == UNDATED) | (b == UNDATED) | (np.abs(a - b) <= window)
    return ok


def exact_pairs(table: SketchTable, empty: BoolArray, window: int) -> I64Array:
    """Every pair of rows with the same key dated within ``window`` days (undated rows
    pair with every row of their key), ``i < j``, sorted: exact copies under a window."""
    rows = np.flatnonzero(~empty)
    keys = (rows, table.days[rows], table.digests[rows, 1], table.digests[rows, 0])
    order = rows[np.lexsort(keys)]  # by key, then day (undated first), then row
    digests = table.digests[order]
    starts = np.flatnonzero(np.r_[True, (digests[1:] != digests[:-1]).any(axis=1), True])
    found: list[tuple[int, int]] = []
    for lo, hi in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True):
        group = order[lo:hi].tolist()
        days = table.days[order[lo:hi]].tolist()
        for x, (i, day) in enumerate(zip(group, days, strict=True)):
            for j, other in zip(group[x + 1 :], days[x + 1 :], strict=True):
                if day != UNDATED and other - day > window:
                    break  # later rows are later still
                found.append((min(i, j), max(i, j)))
    return normalised_pairs(np.array(found, dtype=np.int64))


def among_pairs(pairs: I64Array, others: I64Array) -> BoolArray:
    """Which of ``pairs`` are also in ``others`` (both ``i < j``)."""
    packed = (pairs[:, 0] << 32) | pairs[:, 1]
    return np.isin(packed, (others[:, 0] << 32) | others[:, 1])
