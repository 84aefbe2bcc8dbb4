"""The records a run writes: stories, removed duplicates, kept copies, quarantine entries.

A story record has the shape datatrove and Hugging Face ``datasets`` expect: ``id``,
``text`` and ``metadata``. Building them is the engine's job because a record joins what
the stages found (a ``Document``) with what dedup decided (a ``Decision`` or ``Kept``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.dedup import Change, Decision, Kept, apply_changes
from pipeline.document import (
    DUPLICATE,
    ENDINGS,
    HEADINGS,
    METADATA,
    RUN_FIELDS,
    Document,
    Quarantined,
)


def story_record(doc: Document) -> dict[str, Any]:
    """A story as datatrove / Hugging Face datasets expect it: ``id``, ``text``, ``metadata``
    (the keys of ``document.METADATA``; a kept copy's ``also_printed_in`` and
    ``merged_from`` are filled when the run writes it).

    Every key has one JSON type in every record, as a table needs: a string field is a
    string or null, a list is a list (empty, never null), and ``extra`` (a record input's
    other fields, whatever their shape) is a JSON string, as in Parquet.
    """
    meta: dict[str, Any] = {}
    for name, kind in METADATA:
        value = () if name in RUN_FIELDS else getattr(doc, name)  # the run fills them
        if kind.startswith("list<"):
            value = list(value or ())
        meta[name] = value
    return {"id": doc.id, "text": doc.text, "metadata": meta}


def record_chars(record: Mapping[str, Any]) -> int:
    """Characters a story record carries: its text and its text-bearing fields."""
    meta = record["metadata"]
    return len(record["text"]) + sum(len(meta[k]) for k in (*HEADINGS, *ENDINGS) if meta.get(k))


def duplicate_record(record: dict[str, Any], decision: Decision) -> dict[str, Any]:
    """A dropped story: the story record plus where its kept copy is and how alike they are."""
    return {**record, **{name: getattr(decision, name) for name, _ in DUPLICATE}}


def kept_record(
    record: dict[str, Any],
    kept: Kept,
    donors: Mapping[str, Mapping[str, Any]],
    changes: Sequence[Change] = (),
) -> tuple[dict[str, Any], int]:
    """A kept story that had duplicates: ``also_printed_in`` lists every removed copy (and
    its date), each field it lacked is taken from the copy that had it (``merged_from``
    says which), and the readings its copies outvote are mended (``collated``: one
    character for one, never an insertion). Returns the record and how many characters
    the merge added."""
    meta = dict(record["metadata"])
    before = record_chars(record)
    merged: list[dict[str, str]] = []
    for name, donor in kept.merge:
        value = donors[donor]["metadata"].get(name)
        if value and not meta.get(name):
            meta[name] = value
            merged.append({"field": name, "id": donor})
    dates = kept.dates or (None,) * len(kept.also_printed_in)
    meta["also_printed_in"] = [
        {"id": i, "source": s, "date": d}
        for (i, s), d in zip(kept.also_printed_in, dates, strict=True)
    ]
    meta["merged_from"] = merged
    meta["collated"] = [change.to_record() for change in changes]
    text = apply_changes(record["text"], changes) if changes else record["text"]
    new = {**record, "text": text, "metadata": meta}
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
