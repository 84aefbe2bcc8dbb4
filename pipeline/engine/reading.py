"""A worker reads one input file: page files as decoded pages (big ones in parts), JSONL and
Parquet files as records, and keeps the file's byte books: every byte is decoded or
quarantined (``Tally``).

Page files are measured: the bytes of each page or part that became text, against the
bytes of each quarantine entry. A compressed page counts in the bytes stored on disk, as
one piece. A record file's bytes are decoded but for the lines of its bad records.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.config import Config
from pipeline.document import Document, Quarantined, RawFile, Stats
from pipeline.io import (
    FormatError,
    SourceFile,
    input_kind,
    iter_input_records,
    read_blocks,
    read_file,
    read_input_bytes,
)
from pipeline.text import admit, char_boundary, decode, head_codec, part_boundary

RECORD_BATCH = 256  # records run through the stages together: bounded memory, few calls

# The errors io.readers raises for a file it cannot read, as quarantine reasons.
READ_REASONS = {
    errno.EFBIG: "oversize",
    errno.EINVAL: "not-a-regular-file",
    errno.ENOENT: "vanished",
}


@dataclass(slots=True)
class Tally:
    """The bytes of one input file that became text; the rest are in its quarantine."""

    decoded: int = 0


def read_pages(
    source: SourceFile,
    decided: tuple[str, str] | None,
    cfg: Config,
    stats: Stats,
    folder_codecs: dict[str, str],
    quarantined: list[Quarantined],
    tally: Tally,
) -> Iterator[list[Document]]:
    """The decoded page, or the decoded parts of a big page file, one at a time."""
    compressed = input_kind(source.path)[1] is not None
    for raw in read_parts(source, cfg, stats, quarantined):
        if decided is not None and raw.part is None:
            raw = replace(raw, codec=decided[0], method=decided[1])
        before = len(quarantined)
        docs = list(decode([raw], cfg.encoding, stats, quarantined, folder_codecs))
        if compressed:  # the stored bytes, not the decompressed ones, are the file's
            quarantined[before:] = [replace(q, bytes=source.size) for q in quarantined[before:]]
        if docs:
            tally.decoded += source.size if compressed else len(raw.data)
        yield docs


def read_records(
    source: SourceFile,
    cfg: Config,
    stats: Stats,
    quarantined: list[Quarantined],
    tally: Tally,
) -> Iterator[list[Document]]:
    """JSONL or Parquet records as page documents, in batches. A bad record is quarantined
    with its line (or row) and byte offset; the file's other records go on."""
    kind, _ = input_kind(source.path)
    errors: list[FormatError] = []
    batch: list[Document] = []
    records = iter_input_records(
        Path(source.location),
        text_field=cfg.input.text_field,
        id_field=cfg.input.id_field or None,
        display=source.path,
        errors=errors,
    )
    for record in records:
        extra = json.dumps(record.metadata, ensure_ascii=False, sort_keys=True, default=str)
        page = Document(
            id=record.doc_id,
            text=record.text,
            source=source.path,
            encoding=kind,
            encoding_method="record",
            first_line=record.line,
            extra=extra if record.metadata else None,
            source_id=record.id,
        )
        size = record.size or len(record.text.encode("utf-8", "surrogatepass"))
        admitted = admit(page, cfg.encoding, stats, quarantined, size)
        if admitted is not None:
            batch.append(admitted)
        if len(batch) == RECORD_BATCH:
            yield batch
            batch = []
        _quarantine_records(errors, kind, stats, quarantined)
    _quarantine_records(errors, kind, stats, quarantined)
    tally.decoded = max(0, source.size - sum(q.bytes for q in quarantined))
    if batch:
        yield batch


def _quarantine_records(
    errors: list[FormatError], kind: str, stats: Stats, quarantined: list[Quarantined]
) -> None:
    for err in errors:
        stats.events[f"quarantine.{err.reason}"] += 1
        detail = f"{'row' if kind == 'parquet' else 'line'} {err.line}: {err.detail}"
        quarantined.append(
            Quarantined(err.path, err.reason, detail, err.offset, "read", 0, err.size)
        )
    errors.clear()


def unreadable(source: SourceFile, err: OSError | FormatError, tally: Tally) -> Quarantined:
    """The quarantine entry of a file that could not be read (any more): all its bytes that
    did not become text yet."""
    rest = max(0, source.size - tally.decoded)
    if isinstance(err, FormatError):  # unreadable as records or compressed data
        return Quarantined(source.path, err.reason, err.detail, err.offset, "read", 0, rest)
    reason = READ_REASONS.get(err.errno or 0, "unreadable")
    detail = f"{os.strerror(err.errno) if err.errno else 'error'}: {err.strerror or err}"
    return Quarantined(source.path, reason, detail, None, "read", 0, rest)


def read_parts(
    source: SourceFile, cfg: Config, stats: Stats, quarantined: list[Quarantined]
) -> Iterator[RawFile]:
    """The file as one RawFile, or, when it is bigger than ``input.part_bytes``, as parts
    cut at line ends (else sentence ends) so that memory stays bounded on a 200 MB line.

    A stretch of ``part_bytes`` with no boundary at all is quarantined as ``oversize-line``
    with its offset and length; the parts around it go on.
    """
    limits = cfg.input
    if input_kind(source.path)[1] is not None:  # compressed: decompressed whole, size-capped
        data = read_input_bytes(Path(source.location), limits.max_file_bytes, source.path)
        yield RawFile(source.path, data)
        return
    if source.size <= limits.part_bytes:
        yield read_file(source, limits.max_file_bytes)
        return
    codec: str | None = None
    pending = b""
    offset = 0  # byte offset of ``pending`` in the file
    first_line = 1
    part = 0
    for block in read_blocks(source, limits.part_bytes, limits.max_file_bytes):
        pending += block
        if codec is None:
            codec = head_codec(pending, cfg.encoding)
        while len(pending) >= limits.part_bytes:
            cut = part_boundary(pending[: limits.part_bytes], codec)
            if cut <= 0:
                cut = char_boundary(pending[: limits.part_bytes], codec)
                stats.events["quarantine.oversize-line"] += 1
                detail = f"no line or sentence end in {cut} bytes (input.part_bytes)"
                quarantined.append(
                    Quarantined(source.path, "oversize-line", detail, offset, "read", 0, cut)
                )
            else:
                yield RawFile(source.path, pending[:cut], offset, first_line, part, codec)
                first_line += pending.count(b"\n", 0, cut)  # ASCII-compatible codecs only
                part += 1
            pending, offset = pending[cut:], offset + cut
    if pending:
        yield RawFile(source.path, pending, offset, first_line, part, codec)
