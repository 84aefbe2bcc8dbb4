"""Duplicate stories.

Placeholder until the near-duplicate issue lands: only stories whose normalised text is
byte-identical are duplicates; the first in input order is kept. The two-pass shape is
final: workers compute a small :class:`Sketch` per story, the driver decides over all
sketches at once (:func:`decide`), and the writer applies the decisions while streaming.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipeline.config import DedupConfig
from pipeline.document import Document, Stats


@dataclass(frozen=True, slots=True)
class Sketch:
    """What the decision needs to know about a story, without its text."""

    id: str
    key_hash: str  # hex digest of the dedup key
    key_length: int


@dataclass(frozen=True, slots=True)
class Decision:
    """Why a story is dropped: the id of the copy kept instead, and how alike they are."""

    duplicate_of: str
    kind: str  # "exact" for now
    similarity: float


def dedup_key(text: str) -> str:
    """Placeholder: the text itself (exact duplicates only).

    >>> dedup_key("尤溪县总用劳模智慧培育新工匠")
    '尤溪县总用劳模智慧培育新工匠'
    """
    return text


def sketch(doc: Document, cfg: DedupConfig) -> Sketch:
    """Sketch one story: here, a digest of its key."""
    key = dedup_key(doc.text)
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()
    return Sketch(doc.id, digest, len(key))


def decide(sketches: Iterable[Sketch], cfg: DedupConfig) -> dict[str, Decision]:
    """Decide over every story of the run: ``{dropped id: Decision}``.

    Sketches must come in input order; the first of each identical key is kept. Empty
    keys never match each other.
    """
    if not cfg.enabled:
        return {}
    first: dict[str, str] = {}
    dropped: dict[str, Decision] = {}
    for item in sketches:
        if item.key_length == 0:
            continue
        kept = first.setdefault(item.key_hash, item.id)
        if kept != item.id:
            dropped[item.id] = Decision(kept, "exact", 1.0)
    return dropped


def drop_duplicates(
    docs: Iterable[Document],
    cfg: DedupConfig,
    stats: Stats,
    removed: list[tuple[Document, Decision]],
) -> Iterator[Document]:
    """Stage for library use: hold the stories, decide, yield the kept ones in input order.

    Dropped stories go to ``removed`` with their decision.
    """
    held = list(docs)
    decisions = decide((sketch(d, cfg) for d in held), cfg)
    for doc in held:
        decision = decisions.get(doc.id)
        if decision is None:
            yield doc
            continue
        stats.events[f"dedup.{decision.kind}"] += 1
        stats.chars["dedup.removed"] += len(doc.field_text())
        removed.append((doc, decision))
