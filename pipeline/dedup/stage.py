"""Duplicate stories: sketches on the worker side, and the library entry points.

Newspapers reprint (转载): the same story on two pages, in a later edition, in Traditional
script, cut short where the page ended, with OCR errors or an added byline. A story is
compared through its *dedup key* (``pipeline.dedup.keys``), a folded copy of its text; the
text itself is never changed here.

The corpus run has two passes, so that memory never holds the corpus text:

1. workers call :func:`sketch_table` per batch of stories (key digest, key length,
   best-copy features and the LSH band keys; ~270 bytes a story; one compiled pass per
   batch) and persist a unit's table with ``save_sketches``;
2. the driver concatenates them (``SketchTable.concat``) and calls :func:`decide`
   (``pipeline.dedup.decisions``, where the rules are), which re-reads only the texts of LSH
   candidates through its ``load_texts`` callback.

For library use, :func:`drop_duplicates` is the stage over an in-memory collection and
:class:`Deduplicator` an incremental finder on datasketch's ``MinHashLSH``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from pipeline.config import DedupConfig
from pipeline.dedup.decisions import (
    CONVERTED,
    FIELD_BITS,
    FRAGMENT,
    TITLE,
    TRUNCATED,
    Decision,
    Decisions,
    Kept,
    decide,
)
from pipeline.dedup.index import Sketch, SketchTable, bytes_array, day_number
from pipeline.dedup.keys import (
    KEY_VERSION,
    count_defects,
    dedup_key,
    fold_keys,
    key_codepoints,
    key_digests,
)
from pipeline.dedup.minhash import batch_band_keys, reference_minhash
from pipeline.dedup.shingles import shingle_set
from pipeline.dedup.verify import LoadTexts, intersection_size
from pipeline.document import MERGEABLE, Document, Stats

__all__ = [
    "CONVERTED",
    "FIELD_BITS",
    "FRAGMENT",
    "KEY_VERSION",
    "TITLE",
    "TRUNCATED",
    "Decision",
    "Decisions",
    "Deduplicator",
    "Kept",
    "LoadTexts",
    "Match",
    "count_defects",
    "decide",
    "dedup_key",
    "drop_duplicates",
    "key_codepoints",
    "sketch",
    "sketch_table",
]

U32Array = npt.NDArray[np.uint32]


def sketch_table(docs: Sequence[Document], cfg: DedupConfig) -> SketchTable:
    """Sketch every story of ``docs`` into one table (a worker's batch of stories).

    Keys are folded, defects counted, shingles hashed and MinHash band keys computed in
    two compiled passes over the whole batch (``fold_keys``, ``batch_band_keys``); only
    the ids, sources and flags are read per story in Python. Sketch the stories of a
    unit in one call, or a few calls joined with ``SketchTable.concat``.

    >>> from pipeline.config import DedupConfig
    >>> docs = [Document(f"p-s0{i}", "劳模智慧培育新工匠。" * 4, "a.txt", "utf_8") for i in (1, 2)]
    >>> table = sketch_table(docs, DedupConfig())
    >>> len(table), table.key_length.tolist(), table.bands.shape
    (2, [36, 36], (28, 2))
    """
    docs = list(docs)
    cps, offsets, defects = fold_keys([d.text for d in docs])
    bands = batch_band_keys(
        cps,
        offsets,
        ngram=cfg.ngram,
        num_perm=cfg.num_perm,
        seed=cfg.seed,
        scheme=cfg.scheme,
        head=cfg.head_shingles,
        bands=(cfg.bands, cfg.rows, cfg.head_bands, cfg.head_rows),
        min_length=cfg.min_key_length,
    )
    sources: dict[str, int] = {}
    source_index = np.fromiter(
        (sources.setdefault(d.source, len(sources)) for d in docs), np.int32, len(docs)
    )
    return SketchTable(
        ids=bytes_array([d.id for d in docs]),
        sources=bytes_array(list(sources)),
        source_index=source_index,
        digests=key_digests(cps, offsets),
        key_length=np.diff(offsets).astype(np.int32),
        defects=np.minimum(defects, 0xFFFF).astype(np.uint16),
        flags=np.fromiter(map(_flags, docs), np.uint16, len(docs)),
        fields=_fields_digests(docs),
        bands=bands,
        days=np.fromiter((day_number(d.date) for d in docs), np.int32, len(docs)),
    )


def _flags(doc: Document) -> int:
    flags = (
        (TITLE if doc.title else 0)
        | (TRUNCATED if doc.truncated else 0)
        | (FRAGMENT if doc.fragment else 0)
    )
    for name, bit in FIELD_BITS.items():
        if getattr(doc, name):
            flags |= bit
    if any(step.startswith("convert.") for step in doc.steps):
        flags |= CONVERTED
    return flags


# The fields two copies are compared on besides the text: all but the title, which a
# reprint rewrites more often than not.
_COMPARED = tuple(name for name in MERGEABLE if name != "title")


def _compared_fields(doc: Document) -> tuple[str, ...]:
    """``doc``'s compared fields, reporters one part each; () when it has none."""
    parts: list[str] = []
    for name in _COMPARED:
        value = getattr(doc, name)
        parts.extend(value if isinstance(value, tuple) else (value or "",))
    return tuple(parts) if any(parts) else ()


def _fields_digests(docs: Sequence[Document]) -> U32Array:
    """Per story, CRC-32 of the folded fields copies may differ in besides the text (0:
    none), all folded in one ``fold_keys`` call (one call per field cost 60 µs a story).

    Folded as keys are (``dedup_key``), so that 記者/记者 or a changed bracket still agree.
    Not a security hash: equal digests only make two verified copies agree."""
    fields = [_compared_fields(doc) for doc in docs]
    cps, offsets, _ = fold_keys([part for parts in fields for part in parts])
    text = cps.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")  # all keys, once
    ends = offsets.tolist()
    digests = np.zeros(len(docs), dtype=np.uint32)
    at = 0
    for row, parts in enumerate(fields):
        if parts:
            folded = "\x1f".join(text[ends[k] : ends[k + 1]] for k in range(at, at + len(parts)))
            digests[row] = zlib.crc32(folded.encode("utf-8", "surrogatepass")) or 1
            at += len(parts)
    return digests


def sketch(doc: Document, cfg: DedupConfig) -> Sketch:
    """Sketch one story (its ``text``; titles and bylines differ between reprints).

    The same values as row 0 of ``sketch_table([doc], cfg)``; prefer that for many
    stories (one compiled call per batch instead of one per story).

    >>> from pipeline.config import DedupConfig
    >>> s = sketch(Document("p-s01", "劳模智慧培育新工匠。" * 5, "a.txt", "utf_8"), DedupConfig())
    >>> s.key_length, s.bands.shape
    (45, (28,))
    """
    table = sketch_table([doc], cfg)
    return Sketch(
        id=doc.id,
        source=doc.source,
        digest=table.digests[0].tobytes(),
        key_length=int(table.key_length[0]),
        defects=int(table.defects[0]),
        flags=int(table.flags[0]),
        fields=int(table.fields[0]),
        bands=table.bands[:, 0].copy(),
        day=int(table.days[0]),
    )


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
    >>> docs = [Document("a", text, "p.txt", "utf_8", caption="尤溪县劳模工作室。王鹏 摄"),
    ...         Document("b", text.replace("，", ","), "q.txt", "utf_8", byline="（孙富常）")]
    >>> removed = []
    >>> [(d.id, d.byline) for d in drop_duplicates(docs, DedupConfig(), Stats(), removed)]
    [('a', '（孙富常）')]
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
        """Index ``text`` unless it duplicates an indexed story; then say which one.

        Raises:
            TypeError: ``text`` is not a str (None, bytes).
            ValueError: ``story_id`` was already added.
        """
        if not isinstance(text, str):
            msg = (
                f"Deduplicator.add({story_id!r}, ...) takes the story's text as a str, got "
                f"{type(text).__name__}: decode bytes first (pipeline.decode_bytes), and "
                "leave out stories that have no text"
            )
            raise TypeError(msg)
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
    return key_digests(cps, np.array([0, cps.shape[0]], dtype=np.int64)).tobytes()
