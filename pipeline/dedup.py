"""Duplicate stories: exact keys first, then MinHash LSH candidates verified on real shingles.

Newspapers reprint (转载): the same story on two pages, in a later edition, in Traditional
script, cut short where the page ended, with OCR errors or an added byline. A story is
compared through its *dedup key* (:func:`dedup_key`), a folded copy of its text; the text
itself is never changed here.

The corpus run has two passes, so that memory never holds the corpus text:

1. workers call :func:`sketch` per story (key digest, key length, best-copy features and
   the LSH band keys; ~260 bytes) and persist a unit's sketches with :func:`save_sketches`;
2. the driver concatenates them (:meth:`SketchTable.concat`) and calls :func:`decide`,
   which re-reads only the texts of LSH candidates through its ``load_texts`` callback.

The rules (see ``decide`` in ``pipeline.dedup_decide``):

- empty keys never match; keys shorter than ``min_key_length`` match exactly only;
- identical keys collapse first (kind ``exact``), without MinHash;
- every LSH candidate pair is verified: a duplicate when the Jaccard similarity of the
  shingle sets is at least ``threshold`` (``near``), or when the smaller copy, of at least
  ``min_contained_length`` key characters, is at least ``containment`` contained in the
  larger (``contained``: a copy cut short, a story printed inside a longer one);
- clusters never chain: stories are visited best copy first; a story is dropped only as
  the duplicate of an already kept story it is itself verified similar to, else it is
  kept. So A~B and B~C never drop C for A when A and C are unalike.
- the best copy: not marked truncated or fragment and not a shorter copy (under 90 % of a
  verified duplicate's key and more than 24 characters shorter), then has a title, then
  the most support (the share of its shingles each verified duplicate confirms, plus one
  per exact copy: the original that every damaged copy derives from agrees most with
  them), then the longest key, then fewer defects (U+FFFD, unrepaired line breaks between
  Han characters), then the smallest id.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from pipeline.chars import HAN_RANGES, KEY_PUNCTUATION_RE
from pipeline.config import DedupConfig
from pipeline.dedup_index import Sketch, SketchTable
from pipeline.document import Document, Stats
from pipeline.errors import PipelineError
from pipeline.minhash import (
    band_keys,
    candidate_pairs,
    intersection_size,
    reference_minhash,
    shingle_set,
    signature,
)

# Bump when the key folding changes: a saved index of another version is refused.
KEY_VERSION = 1

# Best-copy features and the fields a kept copy may take from a removed one, as bits.
TITLE, TRUNCATED, FRAGMENT = 1, 2, 4
MERGE_FIELDS = ("title", "kicker", "deck", "byline", "reporters", "caption")
FIELD_BITS = {name: 8 << i for i, name in enumerate(MERGE_FIELDS)}

_BREAK_RE = re.compile(f"(?<=[{HAN_RANGES}])\n(?=[{HAN_RANGES}])")

U32Array = npt.NDArray[np.uint32]


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
def _fold(cps: U32Array, table: U32Array, out: U32Array) -> int:
    n = 0
    for c in cps:
        if c < 0x10000:
            c = table[c]
        if c != 0:
            out[n] = c
            n += 1
    return n


def key_codepoints(text: str) -> U32Array:
    """``dedup_key(text)`` as a code point array, computed without building the string.

    >>> key_codepoints("劳模，工匠").tolist() == [ord(c) for c in "劳模工匠"]
    True
    """
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.empty(cps.shape[0], dtype=np.uint32)
    return out[: _fold(cps, _fold_table(), out)]


def count_defects(text: str) -> int:
    """Replacement characters plus line breaks left between two Han characters.

    >>> count_defects("劳模\\n智慧\N{REPLACEMENT CHARACTER}。\\n培育")
    2
    """
    breaks = len(_BREAK_RE.findall(text)) if "\n" in text else 0
    return text.count("\N{REPLACEMENT CHARACTER}") + breaks


# --- Worker side -----------------------------------------------------------------------------


def sketch(doc: Document, cfg: DedupConfig) -> Sketch:
    """Sketch one story (its ``text``; titles and bylines differ between reprints).

    >>> from pipeline.config import DedupConfig
    >>> s = sketch(Document("p-s01", "劳模智慧培育新工匠。" * 5, "a.txt", "utf_8"), DedupConfig())
    >>> s.key_length, s.bands.shape
    (45, (28,))
    """
    cps = key_codepoints(doc.text)
    flags = (
        (TITLE if doc.title else 0)
        | (TRUNCATED if doc.truncated else 0)
        | (FRAGMENT if doc.fragment else 0)
    )
    for name, bit in FIELD_BITS.items():
        if getattr(doc, name):
            flags |= bit
    if cps.shape[0] >= cfg.min_key_length:
        sig, head = signature(cps, cfg.ngram, cfg.num_perm, cfg.seed, cfg.scheme, cfg.head_shingles)
        keys = band_keys(sig, cfg.bands, cfg.rows, head, cfg.head_bands, cfg.head_rows)
    else:  # exact matches only: no LSH keys needed
        keys = np.zeros(cfg.bands + cfg.head_bands, dtype=np.uint64)
    return Sketch(
        id=doc.id,
        source=doc.source,
        digest=_digest(cps),
        key_length=int(cps.shape[0]),
        defects=count_defects(doc.text),
        flags=flags,
        bands=keys,
    )


def sketch_table(docs: Iterable[Document], cfg: DedupConfig) -> SketchTable:
    """Sketch every story of ``docs`` into one table (a worker's unit of work).

    >>> from pipeline.config import DedupConfig
    >>> docs = [Document(f"p-s0{i}", "劳模智慧培育新工匠。", "a.txt", "utf_8") for i in (1, 2)]
    >>> len(sketch_table(docs, DedupConfig()))
    2
    """
    return SketchTable.from_sketches([sketch(d, cfg) for d in docs], cfg)


# --- Decisions -------------------------------------------------------------------------------


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


@dataclass(slots=True)
class Decisions:
    """The outcome over a run: dropped stories, kept stories with copies, and counts."""

    dropped: dict[str, Decision] = field(default_factory=dict)
    kept: dict[str, Kept] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def get(self, story_id: str) -> Decision | None:
        return self.dropped.get(story_id)


LoadTexts = Callable[[npt.NDArray[np.int64]], Sequence[str]]

# A copy whose key is under this share of a verified duplicate's key is a shorter copy
# (cut where the page ended) and never preferred to the longer one, title or not; within
# it, a headed copy wins over one a few characters longer (an added "（孙富常）").
SHORT_COPY_SHARE = 0.9
SHORT_COPY_CHARS = 24  # ...and more than this shorter: a lead formula or byline adds less


def decide(
    table: SketchTable, cfg: DedupConfig, load_texts: LoadTexts, *, frozen: int = 0
) -> Decisions:
    """Decide over every story of the run (``table``, in input order) at once.

    ``load_texts(rows)`` must return the ``text`` of the stories at ``rows`` (a sorted
    int64 array of table rows, at most ``cfg.verify_batch`` of them), as sketched: it is
    called only for LSH candidates, batch by batch. The first ``frozen`` rows are an
    earlier corpus (``load_index``): they are never dropped, and a new story that
    duplicates one of them is dropped pointing at it. The result does not depend on the
    order of the rows, nor on hash seeds.

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
    no_support = np.zeros(n, dtype=np.int64)
    rep = _exact_representatives(table, _rank(table, is_frozen, incomplete, no_support), empty)
    eligible = (rep == rows) & ~empty & ~short
    pairs = candidate_pairs(table.bands, eligible)
    pairs = pairs[~(is_frozen[pairs[:, 0]] & is_frozen[pairs[:, 1]])]
    edges = _verify(table, cfg, pairs, load_texts)
    counts.update(candidates=len(pairs), verified=len(edges[0]))
    longest = table.key_length.copy()
    np.maximum.at(longest, edges[0], table.key_length[edges[1]])
    np.maximum.at(longest, edges[1], table.key_length[edges[0]])
    shorter = (table.key_length < SHORT_COPY_SHARE * longest) & (
        longest - table.key_length > SHORT_COPY_CHARS
    )
    # Support: how much the other copies agree with a copy (the sum of its verified Jaccard
    # similarities plus one per exact copy), in integer millionths so that the sum never
    # depends on row order. The original of a reprint family agrees most with every copy.
    support = (np.bincount(rep, minlength=n).astype(np.int64) - 1) * 1_000_000
    micro = np.rint(edges[2] * 1_000_000).astype(np.int64)
    np.add.at(support, edges[0], micro)
    np.add.at(support, edges[1], micro)
    support = support[rep]  # exact copies share their representative's support
    rank = _rank(table, is_frozen, incomplete | shorter, -support)
    links = _cluster(edges, rank, is_frozen, cfg.threshold)
    members: dict[int, list[int]] = {}
    for row in np.flatnonzero((rep != rows) & ~is_frozen).tolist():
        members.setdefault(int(rep[row]), []).append(row)
    clusters: dict[int, list[int]] = {}
    for row, (center, decision_kind, jaccard, containment) in links.items():
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
        result.kept[table.id(center)] = Kept(also, merge)
    counts["clusters"] = len(clusters)
    result.counts = dict(sorted(counts.items()))
    return result


def _rank(
    table: SketchTable,
    is_frozen: npt.NDArray[np.bool_],
    incomplete: npt.NDArray[np.bool_],
    less_support: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Each row's place in the best-copy order (0 = best); the earlier corpus comes first."""
    no_title = (table.flags & TITLE) == 0
    order = np.lexsort(
        (
            table.ids,
            table.defects,
            -table.key_length,
            less_support,
            no_title,
            incomplete,
            ~is_frozen,
        )
    )
    rank = np.empty(len(table), dtype=np.int64)
    rank[order] = np.arange(len(table), dtype=np.int64)
    return rank


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


# (i, j, jaccard, containment, share of i found in j, share of j found in i), the shares in
# integer millionths.
Edges = tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
]


def _verify(
    table: SketchTable, cfg: DedupConfig, pairs: npt.NDArray[np.int64], load_texts: LoadTexts
) -> Edges:
    """The candidate pairs that are duplicates, with their Jaccard and containment."""
    found: list[tuple[int, int, float, float, int, int]] = []
    start = 0
    while start < len(pairs):
        batch: set[int] = set()
        end = start
        while end < len(pairs):
            new = {int(pairs[end, 0]), int(pairs[end, 1])} - batch
            if batch and len(batch) + len(new) > cfg.verify_batch:
                break
            batch |= new
            end += 1
        wanted = np.array(sorted(batch), dtype=np.int64)
        texts = load_texts(wanted)
        sets = {}
        for row, text in zip(wanted.tolist(), texts, strict=True):
            cps = key_codepoints(text)
            if cps.shape[0] != table.key_length[row]:
                msg = f"dedup: load_texts gave story {table.id(row)} a text unlike its sketch"
                raise PipelineError(msg)
            sets[row] = shingle_set(cps, cfg.ngram)
        for i, j in pairs[start:end].tolist():
            a, b = sets[i], sets[j]
            shared = intersection_size(a, b)
            jaccard = shared / (len(a) + len(b) - shared)
            containment = shared / min(len(a), len(b))
            smaller = min(int(table.key_length[i]), int(table.key_length[j]))
            if jaccard >= cfg.threshold or (
                containment >= cfg.containment and smaller >= cfg.min_contained_length
            ):
                found.append(
                    (
                        i,
                        j,
                        round(jaccard, 6),
                        round(containment, 6),
                        shared * 1_000_000 // len(a),
                        shared * 1_000_000 // len(b),
                    )
                )
        start = end
    if not found:
        none = np.empty(0, dtype=np.int64)
        return none, none, np.empty(0), np.empty(0), none, none
    i, j, jac, cont, confirmed_i, confirmed_j = zip(*found, strict=True)
    return (
        np.array(i, np.int64),
        np.array(j, np.int64),
        np.array(jac),
        np.array(cont),
        np.array(confirmed_i, np.int64),
        np.array(confirmed_j, np.int64),
    )


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


def drop_duplicates(
    docs: Iterable[Document],
    cfg: DedupConfig,
    stats: Stats,
    removed: list[tuple[Document, Decision]],
    kept_copies: dict[str, Kept] | None = None,
) -> Iterator[Document]:
    """Stage for library use: hold the stories, decide, yield the kept ones in input order.

    Kept stories receive the fields they lack from their removed copies; dropped ones go
    to ``removed`` with their decision; ``kept_copies`` (if given) receives ``Kept`` info.

    >>> from pipeline.config import DedupConfig
    >>> text = "本报讯（记者吴锋思）今年以来，在福建省尤溪县总工会量身定制的5家劳模工作室里。"
    >>> docs = [Document("a", text, "p.txt", "utf_8"),
    ...         Document("b", text.replace("，", ","), "q.txt", "utf_8", byline="孙富常")]
    >>> removed = []
    >>> [(d.id, d.byline) for d in drop_duplicates(docs, DedupConfig(), Stats(), removed)]
    [('a', '孙富常')]
    >>> [(d.id, x.duplicate_of, x.kind) for d, x in removed]
    [('b', 'a', 'exact')]
    """
    held = list(docs)
    if not cfg.enabled:
        yield from held
        return
    table = sketch_table(held, cfg)
    decisions = decide(table, cfg, lambda rows: [held[int(r)].text for r in rows])
    by_id = {d.id: d for d in held}
    for name, value in decisions.counts.items():
        stats.events[f"dedup.{name}"] += value
    for doc in held:
        decision = decisions.dropped.get(doc.id)
        if decision is None:
            info = decisions.kept.get(doc.id)
            if info is not None:
                if kept_copies is not None:
                    kept_copies[doc.id] = info
                doc = replace(doc, **{f: getattr(by_id[d], f) for f, d in info.merge})
            yield doc
            continue
        stats.chars["dedup.removed"] += len(doc.field_text())
        removed.append((doc, decision))


# --- Library use -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """An indexed story found similar to a query, verified on the real shingle sets."""

    id: str
    jaccard: float
    containment: float


class Deduplicator:
    """In-memory near-duplicate finder for small collections, on datasketch's ``MinHashLSH``.

    Feed it ``(id, text)`` pairs with :meth:`add`: a text that duplicates one already added
    is reported (and not added); anything else is indexed. :meth:`query` only looks.
    The first copy seen is the one kept: for the best-copy rule over a whole collection,
    use :func:`drop_duplicates`. Memory holds every key's shingle set: corpora go through
    :func:`sketch` / :func:`decide` instead.

    >>> dd = Deduplicator()
    >>> story = ("今年以来，在福建省尤溪县总工会量身定制的5家劳模工作室里，53人的工匠团队"
    ...          "完成了17项新工艺、新技术的专利申报，劳模智慧成了新工匠成长的孵化器和催化剂。"
    ...          "尤溪县总工会比照和借鉴科学带头人机制、企业新技术中心模式，让劳模中的各类专家"
    ...          "和技术骨干成为培养行业标兵的示范者。")
    >>> dd.add("s1", story) is None
    True
    >>> dd.add("s2", "今年以來，在福建省尤溪縣總工會量身定制的5家勞模工作室裡，53人的工匠團隊"
    ...              "完成了17項新工藝、新技術的專利申報，勞模智慧成了新工匠成長的孵化器和催化劑。"
    ...              "尤溪縣總工會比照和借鑒科學帶頭人機制、企業新技術中心模式，讓勞模中的各類專家"
    ...              "和技術骨幹成為培養行業標兵的示範者。")
    Decision(duplicate_of='s1', kind='exact', jaccard=1.0, containment=1.0)
    >>> dd.add("s3", story[:70]).kind
    'contained'
    >>> dd.query("本报讯（记者邹明强）湖北省委、省政府日前下发《产业工人队伍建设改革实施方案》")
    []
    """

    def __init__(self, cfg: DedupConfig | None = None) -> None:
        from datasketch import MinHashLSH

        self.cfg = cfg or DedupConfig()
        c = self.cfg
        self._lsh = MinHashLSH(num_perm=c.num_perm, params=(c.bands, c.rows))
        self._head_lsh = (
            MinHashLSH(num_perm=c.num_perm, params=(c.head_bands, c.head_rows))
            if c.head_bands
            else None
        )
        self._exact: dict[bytes, str] = {}
        self._sets: dict[str, npt.NDArray[np.uint64]] = {}
        self._lengths: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._lengths)

    def query(self, text: str) -> list[Match]:
        """Indexed stories that ``text`` duplicates, most similar first."""
        return self._query(key_codepoints(text))[0]

    def add(self, story_id: str, text: str) -> Decision | None:
        """Index ``text`` unless it duplicates an indexed story; then say which one."""
        if story_id in self._lengths:
            msg = f"Deduplicator.add: id {story_id!r} was already added"
            raise ValueError(msg)
        cps = key_codepoints(text)
        matches, sketches = self._query(cps)
        if matches:
            best = matches[0]
            kind = (
                "exact"
                if best.jaccard == 1.0 and self._lengths[best.id] == cps.shape[0]
                else "near"
                if best.jaccard >= self.cfg.threshold
                else "contained"
            )
            return Decision(best.id, kind, best.jaccard, best.containment)
        if cps.shape[0]:
            self._exact.setdefault(_digest(cps), story_id)
        self._lengths[story_id] = int(cps.shape[0])
        if sketches is not None:
            from datasketch import LeanMinHash

            self._sets[story_id] = shingle_set(cps, self.cfg.ngram)
            self._lsh.insert(story_id, LeanMinHash(sketches[0]))
            if self._head_lsh is not None:
                self._head_lsh.insert(story_id, LeanMinHash(sketches[1]))
        return None

    def _query(self, cps: U32Array) -> tuple[list[Match], tuple[Any, Any] | None]:
        c = self.cfg
        if not cps.shape[0]:
            return [], None
        exact = self._exact.get(_digest(cps))
        if cps.shape[0] < c.min_key_length:
            return ([Match(exact, 1.0, 1.0)] if exact else []), None
        key = "".join(map(chr, cps.tolist()))
        full = reference_minhash(key, c.ngram, c.num_perm, c.seed, c.scheme)
        head_key = key[: c.head_shingles + c.ngram - 1]
        head = reference_minhash(head_key, c.ngram, c.num_perm, c.seed, c.scheme)
        found = set(self._lsh.query(full))
        if self._head_lsh is not None:
            found |= set(self._head_lsh.query(head))
        if exact:
            found.add(exact)
        mine = shingle_set(cps, c.ngram)
        matches = []
        for other in sorted(found):
            theirs = self._sets[other]
            shared = intersection_size(mine, theirs)
            jaccard = shared / (len(mine) + len(theirs) - shared)
            containment = shared / min(len(mine), len(theirs))
            smaller = min(int(cps.shape[0]), self._lengths[other])
            if jaccard >= c.threshold or (
                containment >= c.containment and smaller >= c.min_contained_length
            ):
                matches.append(Match(other, round(jaccard, 6), round(containment, 6)))
        matches.sort(key=lambda m: (-m.jaccard, -m.containment, m.id))
        return matches, (full, head)


def _digest(cps: U32Array) -> bytes:
    return hashlib.blake2b(cps.tobytes(), digest_size=16).digest()
