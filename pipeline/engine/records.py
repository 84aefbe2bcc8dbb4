"""The records a run writes: stories, removed duplicates, kept copies, quarantine entries.

A story record has the shape datatrove and Hugging Face ``datasets`` expect: ``id``,
``text`` and ``metadata``. Building them is the engine's job because a record joins what
the stages found (a ``Document``) with what dedup decided (a ``Decision`` or ``Kept``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pipeline.dedup.stage import Decision, Kept
from pipeline.document import Document, Quarantined


def story_record(doc: Document) -> dict[str, Any]:
    """A story as datatrove / Hugging Face datasets expect it: ``id``, ``text``, ``metadata``."""
    return {
        "id": doc.id,
        "text": doc.text,
        "metadata": {
            "source": doc.source,
            "parent_id": doc.parent_id,
            "encoding": doc.encoding,
            "encoding_method": doc.encoding_method,
            "script": doc.script,
            "steps": list(doc.steps),
            "kicker": doc.kicker,
            "title": doc.title,
            "deck": doc.deck,
            "reporters": list(doc.reporters),
            "byline": doc.byline,
            "caption": doc.caption,
            "fragment": doc.fragment,
            "fragment_reason": doc.fragment_reason,
            "truncated": doc.truncated,
            "line_span": list(doc.line_span) if doc.line_span else None,
            "extra": json.loads(doc.extra) if doc.extra else None,
            "also_printed_in": [],
            "merged_from": [],
        },
    }


def record_chars(record: Mapping[str, Any]) -> int:
    """Characters a story record carries: its text and its text-bearing fields."""
    meta = record["metadata"]
    fields = (meta.get(k) for k in ("kicker", "title", "deck", "byline", "caption"))
    return len(record["text"]) + sum(len(f) for f in fields if f)


def duplicate_record(record: dict[str, Any], decision: Decision) -> dict[str, Any]:
    """A dropped story: the story record plus where its kept copy is and how alike they are."""
    return {
        **record,
        "duplicate_of": decision.duplicate_of,
        "kind": decision.kind,
        "similarity": decision.similarity,
        "jaccard": decision.jaccard,
        "containment": decision.containment,
    }


def kept_record(
    record: dict[str, Any], kept: Kept, donors: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, Any], int]:
    """A kept story that had duplicates: ``also_printed_in`` lists every removed copy, and
    each field it lacked is taken from the copy that had it (``merged_from`` says which).
    Returns the record and how many characters the merge added."""
    meta = dict(record["metadata"])
    before = record_chars(record)
    merged: list[dict[str, str]] = []
    for name, donor in kept.merge:
        value = donors[donor]["metadata"].get(name)
        if value and not meta.get(name):
            meta[name] = value
            merged.append({"field": name, "id": donor})
    meta["also_printed_in"] = [{"id": i, "source": s} for i, s in kept.also_printed_in]
    meta["merged_from"] = merged
    new = {**record, "metadata": meta}
    return new, record_chars(new) - before


def quarantine_record(item: Quarantined) -> dict[str, Any]:
    return {
        "path": item.path,
        "reason": item.reason,
        "detail": item.detail,
        "offset": item.offset,
        "stage": item.stage,
        "chars": item.chars,
        "bytes": item.bytes,
    }
