"""Output files: written atomically, byte-identical across runs.

Every file goes to a temp name in its destination folder, is flushed and fsynced, and is
moved onto its final name with ``os.replace`` (atomic on POSIX within one filesystem). A
crash leaves either the old file or the new one, never a half-written one.
JSON is written with sorted keys and ``ensure_ascii=False``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from pipeline.dedup.stage import Decision, Kept
from pipeline.document import Document, Quarantined

TEMP_PREFIX = ".tmp-"


def dumps(obj: Any) -> str:
    """The one JSON form of the pipeline: sorted keys, UTF-8 as is, compact, one line."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@contextlib.contextmanager
def atomic_write(path: str | Path) -> Iterator[IO[str]]:
    """Open a temp file beside ``path`` for writing text; replace ``path`` with it on success.

    On any error the temp file is removed and ``path`` is untouched.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=f"-{path.name}", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the data itself is synced
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files a killed run left in ``folder``; return how many."""
    removed = 0
    for stale in folder.glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
            removed += 1
    return removed


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


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> int:
    """Write one JSON object per line, atomically; return how many."""
    return write_lines(path, map(dumps, records))


def write_lines(path: Path, lines: Iterable[str]) -> int:
    """Write lines already serialised (by :func:`dumps`), atomically; return how many."""
    count = 0
    with atomic_write(path) as handle:
        for line in lines:
            handle.write(line)
            handle.write("\n")
            count += 1
    return count


def write_json(path: Path, obj: Any) -> None:
    """Write one pretty JSON document (sorted keys, stable indentation), atomically."""
    with atomic_write(path) as handle:
        json.dump(obj, handle, ensure_ascii=False, sort_keys=True, indent=2)
        handle.write("\n")


def write_text(path: Path, text: str) -> None:
    with atomic_write(path) as handle:
        handle.write(text)
