"""Verification of LSH candidates on the real shingle sets of their keys.

Every candidate pair the band index proposes (``pipeline.dedup.candidates.candidate_pairs``) is
checked here before anything is dropped: the texts of a batch of candidates are read back
(``load_texts``), folded into keys again (``pipeline.dedup.keys.fold_keys``, exactly as they
were sketched) and compared in one compiled pass: distinct shingles of each key through a
hash table, then the shared ones of each pair (:func:`batch_overlaps`). A pair is kept as
a duplicate by the rules of ``pipeline.dedup.decisions`` (Jaccard or containment). The same
pass counts the candidates' key bigrams for the best-copy rule (:func:`count_rare`).

What this module leaves alone: which pairs are candidates (``pipeline.dedup.minhash``) and what
is done with the verified ones (clusters and best copies, ``pipeline.dedup.decisions``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from pipeline.config import DedupConfig
from pipeline.dedup.index import SketchTable
from pipeline.dedup.jit import kernel
from pipeline.dedup.keys import fold_keys
from pipeline.dedup.shingles import shingle_fingerprints
from pipeline.errors import PipelineError

U32Array = npt.NDArray[np.uint32]
U64Array = npt.NDArray[np.uint64]
I64Array = npt.NDArray[np.int64]

LoadTexts = Callable[[npt.NDArray[np.int64]], Sequence[str]]

BIGRAM_BITS = 22  # hashed bigram counts of the candidate texts: at most 16 MiB
# Key characters whose texts are held at once, besides ``verify_batch`` stories: a few
# hundred MB with their folded copies, however long the stories are.
VERIFY_CHARS = 1 << 25
MIN_CHUNK_PAIRS = 4096  # fewer pairs a thread are not worth the thread


# (i, j, jaccard, containment) of the verified pairs, the measures rounded to 6 places.
Edges = tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]


def verify_pairs(
    table: SketchTable,
    cfg: DedupConfig,
    pairs: I64Array,
    load_texts: LoadTexts,
    threads: int = 1,
) -> tuple[Edges, U32Array]:
    """The candidate ``pairs`` that are duplicates, with their Jaccard and containment, and
    the hashed bigram counts of every candidate's key (each story counted once).

    Texts are loaded ``verify_batch`` stories at a time; each batch is folded and compared
    in one compiled pass (``batch_overlaps``, its pairs on ``threads`` threads).

    Raises:
        PipelineError: ``load_texts`` returned a text whose key differs from its sketch.
    """
    parts: list[tuple[I64Array, I64Array, I64Array, I64Array, I64Array]] = []
    # Sized by the candidates' total key length (at most 2^BIGRAM_BITS), never by batches.
    chars = int(table.key_length[np.unique(pairs)].sum())
    bigrams = np.zeros(1 << min(BIGRAM_BITS, max(10, (2 * chars).bit_length())), np.uint32)
    counted = np.zeros(len(table), dtype=bool)
    start = 0
    while start < len(pairs):
        end = start + _pairs_within(pairs[start:], cfg.verify_batch, table.key_length)
        batch = pairs[start:end]
        wanted = np.unique(batch)
        texts = load_texts(wanted)
        cps, offsets, _ = fold_keys(texts)
        lengths = np.diff(offsets)
        wrong = np.flatnonzero(lengths != table.key_length[wanted])
        if len(wrong):
            row = int(wanted[wrong[0]])
            msg = f"dedup: load_texts gave story {table.id(row)} a text unlike its sketch"
            raise PipelineError(msg)
        _count_bigrams(cps, offsets, ~counted[wanted], bigrams)
        counted[wanted] = True
        local = np.searchsorted(wanted, batch)  # the pairs' rows as positions in the batch
        sizes, shared = batch_overlaps(cps, offsets, cfg.ngram, local, threads)
        parts.append((batch[:, 0], batch[:, 1], shared, sizes[local[:, 0]], sizes[local[:, 1]]))
        start = end
    if not parts:
        none = np.empty(0, dtype=np.int64)
        return (none, none, np.empty(0), np.empty(0)), bigrams
    i, j, shared, size_i, size_j = (np.concatenate(column) for column in zip(*parts, strict=True))
    jaccard = shared / np.maximum(size_i + size_j - shared, 1)
    containment = shared / np.maximum(np.minimum(size_i, size_j), 1)
    smaller = np.minimum(table.key_length[i], table.key_length[j])
    keep = (jaccard >= cfg.threshold) | (
        (containment >= cfg.containment) & (smaller >= cfg.min_contained_length)
    )
    edges = (
        i[keep],
        j[keep],
        np.array([round(x, 6) for x in jaccard[keep].tolist()]),
        np.array([round(x, 6) for x in containment[keep].tolist()]),
    )
    return edges, bigrams


def _pairs_within(
    pairs: I64Array, limit: int, lengths: npt.NDArray[np.integer], max_chars: int | None = None
) -> int:
    """How many leading pairs involve at most ``limit`` distinct rows of at most
    ``max_chars`` (default :data:`VERIFY_CHARS`) key characters (``lengths`` per row) in
    all; at least one pair.

    >>> lengths = np.array([10, 10, 10, 10, 10])
    >>> pairs = np.array([[0, 1], [0, 2], [3, 4], [1, 2]])
    >>> _pairs_within(pairs, 3, lengths), _pairs_within(pairs, 5, lengths)
    (2, 4)
    >>> _pairs_within(pairs, 5, lengths, max_chars=30), _pairs_within(pairs, 5, lengths, 5)
    (2, 1)
    """
    max_chars = VERIFY_CHARS if max_chars is None else max_chars
    # Only a prefix is read, doubled until it holds too much: counting over all remaining
    # pairs at every batch made verification quadratic in the candidates.
    window = limit
    while True:
        head = pairs[:window]
        flat = head.ravel()
        _, first = np.unique(flat, return_index=True)
        pair = first // 2
        rows = np.cumsum(np.bincount(pair, minlength=len(head)))
        chars = np.cumsum(np.bincount(pair, lengths[flat[first]], minlength=len(head)))
        over = (rows > limit) | (chars > max_chars)
        if over.any() or window >= len(pairs):
            return max(1, int(np.argmax(over)) if over.any() else len(head))
        window *= 2


def row_batches(
    rows: I64Array, lengths: npt.NDArray[np.integer], limit: int, max_chars: int | None = None
) -> list[I64Array]:
    """``rows`` cut in order into batches of at most ``limit`` rows and ``max_chars`` key
    characters (``lengths`` per row); a longer row is a batch of its own.

    >>> [b.tolist() for b in row_batches(np.arange(5), np.array([4, 4, 9, 1, 1]), 3, 8)]
    [[0, 1], [2], [3, 4]]
    """
    max_chars = VERIFY_CHARS if max_chars is None else max_chars
    batches: list[I64Array] = []
    chars = np.cumsum(lengths[rows])
    start = 0
    while start < len(rows):
        base = int(chars[start - 1]) if start else 0
        fits = int(np.searchsorted(chars, base + max_chars, side="right"))
        end = max(start + 1, min(start + limit, fits))
        batches.append(rows[start:end])
        start = end
    return batches


# --- Compiled kernels ------------------------------------------------------------------------


def intersection_size(a: U64Array, b: U64Array) -> int:
    """|a & b| of two sorted unique arrays (one merge pass).

    >>> intersection_size(np.array([1, 3, 5], np.uint64), np.array([3, 4, 5], np.uint64))
    2
    """
    return int(_intersection_size(a, b))


@kernel
def _intersection_size(a: U64Array, b: U64Array) -> int:
    i = 0
    j = 0
    shared = 0
    while i < a.shape[0] and j < b.shape[0]:
        if a[i] == b[j]:
            shared += 1
            i += 1
            j += 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    return shared


@kernel
def _slot_bits(count: int) -> int:
    bits = 1
    while (1 << bits) < 2 * count:
        bits += 1
    return bits


@kernel
def _distinct_shingles(
    cps: U32Array, offsets: I64Array, ngram: int, unique: U64Array, starts: I64Array
) -> None:
    """The distinct shingle fingerprints of every key, back to back in ``unique`` (key
    ``s`` at ``unique[starts[s]:starts[s + 1]]``).

    Open addressing instead of sorting (a sort per key cost 5x more): each key's distinct
    fingerprints are found through a hash table. One scratch table (0: empty) serves
    every key, cleared over the part a key uses (load factor at most 1/2)."""
    n = offsets.shape[0] - 1
    longest = 1
    for s in range(n):
        longest = max(longest, offsets[s + 1] - offsets[s])
    scratch = np.empty(longest, dtype=np.uint64)
    table = np.zeros(1 << _slot_bits(longest), dtype=np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    at = 0
    for s in range(n):
        count = shingle_fingerprints(cps[offsets[s] : offsets[s + 1]], ngram, scratch)
        bits = _slot_bits(count)
        shift = np.uint64(64 - bits)
        mask = np.int64((1 << bits) - 1)
        table[: mask + 1] = 0
        starts[s] = at
        for x in range(count):
            h = scratch[x] | np.uint64(_zero_guard(scratch[x]))
            slot = np.int64((h * mult) >> shift)
            held = table[slot]
            while held != 0 and held != h:
                slot = (slot + 1) & mask
                held = table[slot]
            table[slot] = h
            unique[at] = h
            at += held == 0  # branch-free: a repeated shingle is overwritten next
    starts[n] = at


@kernel
def _shared_shingles(unique: U64Array, starts: I64Array, pairs: I64Array, shared: I64Array) -> None:
    """The shared shingles of each pair: one side's fingerprints probed into a hash table
    of the other's. Pairs come grouped by their first key: one table per group."""
    longest = 1
    for s in range(starts.shape[0] - 1):
        longest = max(longest, starts[s + 1] - starts[s])
    table = np.zeros(1 << _slot_bits(longest), dtype=np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    current = -1
    mask = np.int64(0)
    shift = np.uint64(0)
    for p in range(pairs.shape[0]):
        i, j = pairs[p, 0], pairs[p, 1]
        if i != current:
            current = i
            bits = _slot_bits(starts[i + 1] - starts[i])
            shift = np.uint64(64 - bits)
            mask = np.int64((1 << bits) - 1)
            table[: mask + 1] = 0
            for x in range(starts[i], starts[i + 1]):
                h = unique[x]
                slot = np.int64((h * mult) >> shift)
                while table[slot] != 0:
                    slot = (slot + 1) & mask
                table[slot] = h
        hits = 0
        for x in range(starts[j], starts[j + 1]):
            h = unique[x]
            slot = np.int64((h * mult) >> shift)
            held = table[slot]
            while held != 0 and held != h:
                slot = (slot + 1) & mask
                held = table[slot]
            hits += held == h  # branch-free: found or not is a coin toss to the predictor
        shared[p] = hits


@kernel
def _zero_guard(h: np.uint64) -> int:
    """1 for the fingerprint 0 (the empty slot's mark), so that it is stored as 1; any
    other fingerprint unchanged. 0 and 1 then count as one shingle: for n <= 3 neither is
    a real fingerprint (code point 0 never reaches a key), else odds of 2^-63."""
    return 1 if h == 0 else 0


def batch_overlaps(
    cps: U32Array, offsets: I64Array, ngram: int, pairs: I64Array, threads: int = 1
) -> tuple[I64Array, I64Array]:
    """Set sizes of many keys and the shared shingles of pairs of them, in one pass.

    ``cps``/``offsets`` hold the keys back to back (as for :func:`batch_band_keys`);
    ``pairs`` is an (m, 2) array of positions in that batch, best grouped by the first
    column (one hash table is built per run of equal firsts). Returns (distinct shingles
    of each key, shared shingles of each pair): what :func:`shingle_set` and
    :func:`intersection_size` give, without an array per key. The pairs are split among
    ``threads`` threads (the kernels release the GIL); the result is the same for any
    number.

    >>> cps = np.frombuffer("劳模劳模工匠劳模".encode("utf-32-le"), dtype=np.uint32)
    >>> sizes, shared = batch_overlaps(cps, np.array([0, 4, 8]), 2, np.array([[0, 1]]))
    >>> sizes.tolist(), shared.tolist()  # {劳模, 模劳} and {工匠, 匠劳, 劳模}
    ([2, 3], [1])
    """
    cps = np.ascontiguousarray(cps, dtype=np.uint32)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    pairs = np.ascontiguousarray(pairs, dtype=np.int64).reshape(-1, 2)
    unique = np.empty(max(cps.shape[0], 1), dtype=np.uint64)
    starts = np.empty(offsets.shape[0], dtype=np.int64)
    _distinct_shingles(cps, offsets, ngram, unique, starts)
    shared = np.empty(pairs.shape[0], dtype=np.int64)
    chunks = _pair_chunks(pairs, threads)
    if len(chunks) == 1:
        _shared_shingles(unique, starts, pairs, shared)
    else:
        with ThreadPoolExecutor(len(chunks)) as pool:
            list(
                pool.map(
                    lambda chunk: _shared_shingles(unique, starts, pairs[chunk], shared[chunk]),
                    chunks,
                )
            )
    return np.diff(starts), shared


def _pair_chunks(pairs: I64Array, threads: int, least: int = MIN_CHUNK_PAIRS) -> list[slice]:
    """``pairs`` cut into at most ``threads`` runs of about equal length, each cut where
    the first column changes (a hash table is built per first key), and one run when
    there are fewer than ``least`` pairs a thread.

    >>> _pair_chunks(np.array([[0, 1], [0, 2], [1, 2], [1, 3], [2, 3]]), 2, least=1)
    [slice(0, 2, None), slice(2, 5, None)]
    """
    if threads <= 1 or len(pairs) < 2 * least:
        return [slice(0, len(pairs))]
    cuts = [0]
    for k in range(1, threads):
        at = len(pairs) * k // threads
        first = pairs[at - 1, 0] if at else -1
        while at < len(pairs) and pairs[at, 0] == first:
            at += 1
        if at > cuts[-1] and at < len(pairs):
            cuts.append(at)
    cuts.append(len(pairs))
    return [slice(a, b) for a, b in pairwise(cuts)]


@kernel
def _bigram_slot(a: int, b: int, bits: int) -> int:
    h = np.uint64((np.uint64(a) << np.uint64(21)) | np.uint64(b))
    return int((h * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits))


@kernel
def _table_bits(size: int) -> int:
    bits = 0
    while (1 << bits) < size:
        bits += 1
    return bits


@kernel
def _count_bigrams(
    cps: U32Array, offsets: I64Array, fresh: npt.NDArray[np.bool_], counts: U32Array
) -> None:
    bits = _table_bits(counts.shape[0])
    for s in range(offsets.shape[0] - 1):
        if fresh[s]:
            for x in range(offsets[s], offsets[s + 1] - 1):
                counts[_bigram_slot(cps[x], cps[x + 1], bits)] += 1


@kernel
def count_rare(cps: U32Array, offsets: I64Array, counts: U32Array) -> I64Array:
    """Per key, how unusual its bigrams are: minus the sum of log2 of how often each is
    seen in ``counts`` (the hashed counts that :func:`verify_pairs` returns), in 1/1024.

    Graded rather than a count of bigrams seen once: an OCR misreading (此前令 for 此命令)
    often makes a bigram that is a word elsewhere (此前), only rarer than the original's
    (命令). Only copies of equal key length are compared, so only the bigrams where
    they differ decide."""
    bits = _table_bits(counts.shape[0])
    out = np.zeros(offsets.shape[0] - 1, dtype=np.int64)
    for s in range(offsets.shape[0] - 1):
        for x in range(offsets[s], offsets[s + 1] - 1):
            seen = counts[_bigram_slot(cps[x], cps[x + 1], bits)]
            out[s] -= np.int64(1024 * np.log2(max(seen, 1)))
    return out
