"""Duplicate decisions over a whole run: exact keys, verified LSH candidates, best copies.

The driver side of dedup (``pipeline.dedup.stage`` sketches stories on the worker side; the
candidate pairs are verified on real shingle sets in ``pipeline.dedup.verify``). The
rules:

- empty keys never match; keys shorter than ``min_key_length`` match exactly only;
- identical keys collapse first (kind ``exact``), without MinHash;
- every LSH candidate pair is verified: a duplicate when the Jaccard similarity of the
  shingle sets is at least ``threshold`` (``near``), or when the smaller copy, of at least
  ``min_contained_length`` key characters, is at least ``containment`` contained in the
  larger (``contained``: a copy cut short, a story printed inside a longer one);
- with a date window (``dedup.window_days``), only stories dated at most that many days
  apart are compared (an undated story compares with every story): exact copies are then
  pairs like any other, not one group, so a 1990 and a 2020 printing stay two stories;
- clusters never chain: stories are visited best copy first; a story is dropped only as
  the duplicate of an already kept story it is itself verified similar to, else it is
  kept. So A~B and B~C never drop C for A when A and C are unalike.
- the best copy, in this order: not marked truncated or fragment and not a shorter copy
  (under 90 % of a verified duplicate's key and more than 24 characters, or in a short
  story more than 20 % of the longer key, shorter); has a
  title; its text was not converted by the convert stage (machine conversion is lossy:
  乾/幹/干); the most credits (byline, reporters, caption: a reprint that dropped the
  byline is less complete than the original, however many times it was printed); the
  most *support* (how much the other copies agree with it: 1 per exact copy,
  the Jaccard similarity per copy verified similar, and 1 % per complete copy with the
  same folded kicker, deck, byline, reporters and caption; the original that every
  damaged copy derives from agrees most with them); the longest key; the most
  ordinary bigrams (for copies of equal key length only: the highest summed log count of
  its key bigrams among the candidate texts; an OCR misreading such as 己经 for 已经 makes
  rarer ones); fewer defects
  (U+FFFD, unrepaired line breaks between Han characters); the smallest id.

What no rule here can decide: which of two copies is the original when one added a
byline or a lead to the other (the one with more is kept, and "contains the others" holds
either way), or which of two equal-length copies a misreading came from when no other
copy says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from pipeline.config import DedupConfig
from pipeline.dedup.candidates import candidate_pairs, normalised_pairs
from pipeline.dedup.index import SketchTable
from pipeline.dedup.keys import fold_keys
from pipeline.dedup.verify import Edges, LoadTexts, count_rare, row_batches, verify_pairs
from pipeline.dedup.window import among_pairs, exact_pairs, within_window
from pipeline.document import MERGEABLE

# Best-copy features and the fields a kept copy may take from a removed one, as bits.
TITLE, TRUNCATED, FRAGMENT = 1, 2, 4
FIELD_BITS = {name: 8 << i for i, name in enumerate(MERGEABLE)}
CONVERTED = 8 << len(MERGEABLE)  # the convert stage changed the text (e.g. t2s)
# The credits a copy may have that another lacks: the copy that has more of them is the
# more complete one (a reprint that dropped its byline ranks below the original).
CREDITS = ("byline", "reporters", "caption")


# Support, in integer millionths: an exact copy counts 1, a verified duplicate its
# Jaccard similarity, and a complete copy with the same kicker, deck, byline, reporters
# and caption (``SketchTable.fields``; all absent alike) adds 1 %. Among copies with the
# same credits, one whose kicker or deck differs from what the other copies print ranks
# below them. Copies cut short do not vote: a missing byline is what a cut does.
FIELD_AGREEMENT = 10_000

I64Array = npt.NDArray[np.int64]
U32Array = npt.NDArray[np.uint32]
U64Array = npt.NDArray[np.uint64]
BoolArray = npt.NDArray[np.bool_]

# LSH candidates: (band keys, band-major (bands, n); eligible rows or None) -> every pair
# of eligible rows sharing a key in some band, an (m, 2) int64 array. ``candidate_pairs``
# sorts locally; the Ray engine passes ``ray_candidate_pairs`` (a shuffle), same pairs.
CandidatePairs = Callable[[U64Array, BoolArray | None], I64Array]


@dataclass(frozen=True, slots=True)
class Decision:
    """Why a story is dropped: the id of the copy kept instead, and how alike they are."""

    duplicate_of: str
    kind: str  # "exact", "near" or "contained"
    jaccard: float  # of the two key shingle sets
    containment: float  # |A & B| / |smaller set|

    @property
    def similarity(self) -> float:
        return self.jaccard


@dataclass(frozen=True, slots=True)
class Kept:
    """A kept story that had duplicates: where else it was printed, what to take from them.

    ``also_printed_in`` lists (id, source) of every removed copy, best first; ``merge``
    lists (field, donor id) for each field the kept record lacks and a removed copy has.
    """

    also_printed_in: tuple[tuple[str, str], ...]
    merge: tuple[tuple[str, str], ...]
    dates: tuple[str | None, ...] = ()  # of each removed copy, as ``also_printed_in``


@dataclass(slots=True)
class Decisions:
    """The outcome over a run: dropped stories, kept stories with copies, and counts."""

    dropped: dict[str, Decision] = field(default_factory=dict)
    kept: dict[str, Kept] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def get(self, story_id: str) -> Decision | None:
        return self.dropped.get(story_id)


# A copy whose key is under this share of a verified duplicate's key is a shorter copy
# (cut where the page ended) and never preferred to the longer one, title or not; within
# it, a headed copy wins over one a few characters longer (an added "（孙富常）").
SHORT_COPY_SHARE = 0.9
SHORT_COPY_CHARS = 24  # ...and more than this shorter: a lead formula or byline adds less
SHORT_COPY_MARGIN = 0.2  # ...or, in a short story, more than this share of the longer key


def decide(
    table: SketchTable,
    cfg: DedupConfig,
    load_texts: LoadTexts,
    *,
    frozen: int = 0,
    candidates: CandidatePairs = candidate_pairs,
) -> Decisions:
    """Decide over every story of the run (``table``, in input order) at once.

    ``load_texts(rows)`` must return the ``text`` of the stories at ``rows`` (a sorted
    int64 array of table rows, at most ``cfg.verify_batch`` of them), as sketched: it is
    called only for LSH candidates, batch by batch. The first ``frozen`` rows are an
    earlier corpus (``load_index``): they are never dropped, and a new story that
    duplicates one of them is dropped pointing at it. ``candidates(bands, eligible)``
    finds the LSH candidate pairs (``pipeline.dedup.candidates.candidate_pairs`` by default; any
    function giving the same pairs, in any order, gives the same decisions: they are
    normalised here). The result does not depend on the order of the rows, nor on hash
    seeds.

    Raises:
        PipelineError: ``load_texts`` returned a text whose key differs from its sketch.
    """
    result = Decisions()
    n = len(table)
    if not cfg.enabled or n == 0:
        return result
    rows = np.arange(n, dtype=np.int64)
    is_frozen = rows < frozen
    empty = table.key_length == 0
    short = ~empty & (table.key_length < cfg.min_key_length)
    counts: Counter[str] = Counter(empty=int(empty[frozen:].sum()), short=int(short[frozen:].sum()))
    incomplete = (table.flags & (TRUNCATED | FRAGMENT)) != 0
    converted = (table.flags & CONVERTED) != 0
    zeros = np.zeros(n, dtype=np.int64)
    window = cfg.window_days
    # Within a date window exact copies are not one group (A 1990, B 2020: two stories).
    rep = (
        rows.copy()
        if window
        else _exact_representatives(
            table, _rank(table, is_frozen, incomplete, converted, zeros, zeros), empty
        )
    )
    eligible = (rep == rows) & ~empty & ~short
    pairs = normalised_pairs(candidates(table.bands, eligible))
    pairs = pairs[~(is_frozen[pairs[:, 0]] & is_frozen[pairs[:, 1]])]
    exact = np.empty((0, 2), dtype=np.int64)
    if window:
        exact = exact_pairs(table, empty, window)
        exact = exact[~(is_frozen[exact[:, 0]] & is_frozen[exact[:, 1]])]
        pairs = pairs[within_window(table.days, pairs, window) & ~among_pairs(pairs, exact)]
    edges, bigrams = verify_pairs(table, cfg, pairs, load_texts)
    if len(exact):  # identical keys need no verification: Jaccard and containment are 1
        ones = np.ones(len(exact))
        edges = (
            np.concatenate([edges[0], exact[:, 0]]),
            np.concatenate([edges[1], exact[:, 1]]),
            np.concatenate([edges[2], ones]),
            np.concatenate([edges[3], ones]),
        )
    counts.update(candidates=len(pairs), verified=len(edges[0]))
    longest = table.key_length.copy()
    np.maximum.at(longest, edges[0], table.key_length[edges[1]])
    np.maximum.at(longest, edges[1], table.key_length[edges[0]])
    longest = longest[rep]  # exact copies share their group's longest duplicate
    shorter = (table.key_length < SHORT_COPY_SHARE * longest) & (
        longest - table.key_length > np.minimum(SHORT_COPY_CHARS, SHORT_COPY_MARGIN * longest)
    )
    support = _support(table, rep, edges, ~(incomplete | shorter))
    rarity = _rarity(table, cfg, rep, edges, bigrams, load_texts)
    rank = _rank(table, is_frozen, incomplete | shorter, converted, -support, rarity)
    # The best copy of each exact group now stands for it (the first pick knew no support).
    if not window:
        rep = _exact_representatives(table, rank, empty)
    edges = (rep[edges[0]], rep[edges[1]], *edges[2:])
    links = _cluster(edges, rank, is_frozen, cfg.threshold)
    members: dict[int, list[int]] = {}
    for row in np.flatnonzero((rep != rows) & ~is_frozen).tolist():
        members.setdefault(int(rep[row]), []).append(row)
    clusters: dict[int, list[int]] = {}
    for row, (center, decision_kind, jaccard, containment) in links.items():
        if window and (table.digests[row] == table.digests[center]).all():
            decision_kind = "exact"
        copies = [row, *members.get(row, ())]
        clusters.setdefault(center, []).extend(copies)
        for copy in copies:
            result.dropped[table.id(copy)] = Decision(
                table.id(center), decision_kind, jaccard, containment
            )
            counts[decision_kind] += 1
    for row, copies in members.items():
        if row in links:
            continue
        clusters.setdefault(row, []).extend(copies)
        for copy in copies:
            result.dropped[table.id(copy)] = Decision(table.id(row), "exact", 1.0, 1.0)
            counts["exact"] += 1
    for center, removed in sorted(clusters.items()):
        removed.sort(key=lambda r: rank[r])
        merge = () if is_frozen[center] else _merge_fields(table, center, removed)
        also = tuple((table.id(r), table.source(r)) for r in removed)
        result.kept[table.id(center)] = Kept(also, merge, tuple(table.date(r) for r in removed))
    counts["clusters"] = len(clusters)
    result.counts = dict(sorted(counts.items()))
    return result


def _rank(
    table: SketchTable,
    is_frozen: npt.NDArray[np.bool_],
    incomplete: npt.NDArray[np.bool_],
    converted: npt.NDArray[np.bool_],
    less_support: I64Array,
    rarity: I64Array,
) -> I64Array:
    """Each row's place in the best-copy order (0 = best); the earlier corpus comes first."""
    no_title = (table.flags & TITLE) == 0
    missing = sum(((table.flags & FIELD_BITS[name]) == 0).astype(np.int64) for name in CREDITS)
    order = np.lexsort(
        (
            table.ids,
            table.defects,
            rarity,
            -table.key_length,
            less_support,
            missing,
            converted,
            no_title,
            incomplete,
            ~is_frozen,
        )
    )
    rank = np.empty(len(table), dtype=np.int64)
    rank[order] = np.arange(len(table), dtype=np.int64)
    return rank


def _support(
    table: SketchTable, rep: I64Array, edges: Edges, voters: npt.NDArray[np.bool_]
) -> I64Array:
    """How much the other copies agree with each row, in integer millionths (see
    ``FIELD_AGREEMENT``): summed over its exact copies and over every copy of each group
    it is verified similar to; only ``voters`` count for field agreement. Integer sums
    never depend on row order."""
    n = len(table)
    size = np.bincount(rep, minlength=n).astype(np.int64)
    # (group, field digest) of every voter, and how many voters share it
    pattern = rep.astype(np.uint64) << np.uint64(32) | table.fields.astype(np.uint64)
    patterns, alike = np.unique(pattern[voters], return_counts=True)

    def agreeing(wanted: npt.NDArray[np.uint64]) -> I64Array:
        if not len(patterns):
            return np.zeros(len(wanted), dtype=np.int64)
        at = np.minimum(np.searchsorted(patterns, wanted), len(patterns) - 1)
        return np.where(patterns[at] == wanted, alike[at], 0).astype(np.int64)

    support = (size[rep] - 1) * 1_000_000 + (agreeing(pattern) - voters) * FIELD_AGREEMENT
    if not len(edges[0]):
        return support
    members = np.argsort(rep, kind="stable")
    first = np.searchsorted(rep[members], np.arange(n))
    micro = np.rint(edges[2] * 1_000_000).astype(np.int64)
    for mine, theirs in ((edges[0], edges[1]), (edges[1], edges[0])):
        # every member of my group, against the whole group at the other end
        edge = np.repeat(np.arange(len(mine)), size[mine])
        within = np.arange(len(edge)) - np.repeat(np.cumsum(size[mine]) - size[mine], size[mine])
        row = members[first[mine[edge]] + within]
        wanted = theirs[edge].astype(np.uint64) << np.uint64(32) | table.fields[row].astype(
            np.uint64
        )
        agree = agreeing(wanted) * FIELD_AGREEMENT
        np.add.at(support, row, size[theirs[edge]] * micro[edge] + agree)
    return support


def _rarity(
    table: SketchTable,
    cfg: DedupConfig,
    rep: I64Array,
    edges: Edges,
    bigrams: U32Array,
    load_texts: LoadTexts,
) -> I64Array:
    """For copies verified similar to a copy of the same key length: how unusual their key
    bigrams are among the candidate texts (``count_rare``; 0 for every other row).

    Two copies of equal length differ by substitutions: an OCR misreading (己经 for 已经)
    makes bigrams rarer in the rest of the corpus, while the original's bigrams are
    ordinary language. Learned from the run's own candidate texts, with no dictionary.
    Only these copies' texts are read a second time."""
    rarity = np.zeros(len(table), dtype=np.int64)
    i, j = edges[0], edges[1]
    same_length = np.tile(table.key_length[i] == table.key_length[j], 2)
    tied = np.unique(np.concatenate([i, j])[same_length])
    for wanted in row_batches(tied, table.key_length, cfg.verify_batch):
        cps, offsets, _ = fold_keys(load_texts(wanted))
        rarity[wanted] = count_rare(cps, offsets, bigrams)
    return rarity[rep]


def _exact_representatives(
    table: SketchTable, rank: npt.NDArray[np.int64], empty: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """For each row, the best-ranked row with the same key (itself for empty keys)."""
    rep = np.arange(len(table), dtype=np.int64)
    rows = np.flatnonzero(~empty)
    order = rows[np.lexsort((rank[rows], table.digests[rows, 1], table.digests[rows, 0]))]
    digests = table.digests[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (digests[1:] != digests[:-1]).any(axis=1)
    first = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    rep[order] = order[first]
    return rep


def _cluster(
    edges: Edges, rank: npt.NDArray[np.int64], is_frozen: npt.NDArray[np.bool_], threshold: float
) -> dict[int, tuple[int, str, float, float]]:
    """Greedy clusters without chaining: ``{dropped row: (kept row, kind, jac, cont)}``.

    Rows are visited best copy first. A row verified similar to an already kept row is
    dropped as the duplicate of the most similar such row (ties: the better ranked);
    otherwise it is kept. Rows of the earlier corpus are always kept.
    """
    i, j, jac, cont = edges[:4]
    src = np.concatenate([i, j])
    dst = np.concatenate([j, i])
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    jacs, conts = np.concatenate([jac, jac])[order], np.concatenate([cont, cont])[order]
    bounds = np.searchsorted(src, np.arange(len(rank) + 1))
    kept = np.zeros(len(rank), dtype=bool)
    links: dict[int, tuple[int, str, float, float]] = {}
    for row in sorted(np.unique(src).tolist(), key=lambda r: rank[r]):
        if is_frozen[row]:
            kept[row] = True
            continue
        best: tuple[float, float, int, int] | None = None
        for k in range(bounds[row], bounds[row + 1]):
            other = int(dst[k])
            if kept[other]:
                option = (-float(jacs[k]), -float(conts[k]), int(rank[other]), other)
                if best is None or option < best:
                    best = option
        if best is None:
            kept[row] = True
            continue
        kind = "near" if -best[0] >= threshold else "contained"
        links[row] = (best[3], kind, -best[0], -best[1])
    return links


def _merge_fields(
    table: SketchTable, center: int, removed: list[int]
) -> tuple[tuple[str, str], ...]:
    """(field, donor id) for each field the kept row lacks, from the best removed copy."""
    merge = []
    for name, bit in FIELD_BITS.items():
        if table.flags[center] & bit:
            continue
        donor = next((r for r in removed if table.flags[r] & bit), None)
        if donor is not None:
            merge.append((name, table.id(donor)))
    return tuple(merge)
