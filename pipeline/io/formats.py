"""Records in and out: JSONL and Parquet inputs, gzip/zstd-compressed files, Parquet output.

Page dumps are bytes to decode (``encoding.py``); users of datatrove, data-juicer or
Hugging Face ``datasets`` bring text as records instead: one JSON object per line, or
Parquet rows, with a text field, an id field and anything else. This module reads those
records as they stream (one line, or one Parquet batch, at a time) and carries every other
field through as metadata; ``pipeline.io.parquet`` writes the corpus back as Parquet.

The format is chosen by extension: ``.jsonl`` / ``.ndjson`` are records, ``.parquet`` is
records, anything else is a page to decode. ``.gz`` and ``.zst`` / ``.zstd`` after any of
them (``page.txt.gz``, ``news.jsonl.zst``) decompress while reading.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import datetime as dt
import decimal
import gzip
import hashlib
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import zstandard

from pipeline.document import safe_id_part
from pipeline.errors import PipelineError

RECORD_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
COMPRESSION_SUFFIXES = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
BATCH_ROWS = 1_024  # Parquet rows read per batch
MAX_RECORD_BYTES = 64 << 20  # a longer JSONL line is a bad record, not a memory spike
ROW_GROUP_ROWS = 10_000  # Parquet rows per row group written (fixed: part of the bytes)


class FormatError(PipelineError):
    """An input file, or one record in it, cannot be read; names the file and the place.

    ``reason`` is a quarantine reason (``bad-record``, ``bad-compression``,
    ``unsupported-format``, ``oversize``); ``line`` is the 1-based JSONL line or Parquet
    row; ``offset`` the byte offset of the line in the decompressed stream.
    """

    def __init__(
        self,
        path: str,
        reason: str,
        detail: str,
        *,
        line: int | None = None,
        offset: int | None = None,
        unit: str = "line",
        size: int = 0,
    ) -> None:
        where = f"{path}: {unit} {line}" if line is not None else path
        super().__init__(f"{where}: {detail}")
        self.path = path
        self.reason = reason
        self.detail = detail
        self.line = line
        self.offset = offset
        self.size = size  # bytes of the bad line (0 for a Parquet row or a whole file)


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One record of a JSONL or Parquet input.

    ``id`` is the record's own id as a string (from ``id_field``), or ``<source>#<line>``
    when the input has no id field. ``metadata`` holds every other field, with the keys
    of a ``metadata`` object (datatrove's layout) merged in; top-level fields win.
    """

    id: str
    text: str
    source: str
    line: int  # 1-based JSONL line or Parquet row
    metadata: dict[str, Any] = field(default_factory=dict)
    size: int = 0  # bytes of its JSONL line (0 for a Parquet row)

    @property
    def doc_id(self) -> str:
        """A document id safe to show and to use as a key: the id's safe characters plus a
        digest of source and id, so that two files' ``"1"`` never collide.

        >>> InputRecord("新华社/0042", "正文", "wire.jsonl", 1).doc_id
        'wire-新华社_0042-87e57a60'
        """
        stem = PurePosixPath(self.source).name.split(".")[0]
        safe = safe_id_part(f"{stem}-{self.id}", 64)
        digest = hashlib.blake2b(f"{self.source}\0{self.id}".encode(), digest_size=4)
        return f"{safe}-{digest.hexdigest()}"


def input_kind(path: str | Path) -> tuple[str, str | None]:
    """``(kind, compression)`` of an input file from its name: kind ``text``, ``jsonl`` or
    ``parquet``; compression ``gzip``, ``zstd`` or None.

    >>> input_kind("2017/news.jsonl.zst"), input_kind("page.TXT.gz"), input_kind("a.gbk")
    (('jsonl', 'zstd'), ('text', 'gzip'), ('text', None))
    """
    suffixes = [s.lower() for s in PurePosixPath(str(path)).suffixes]
    compression = COMPRESSION_SUFFIXES.get(suffixes[-1]) if suffixes else None
    if compression:
        suffixes = suffixes[:-1]
    kind = RECORD_SUFFIXES.get(suffixes[-1], "text") if suffixes else "text"
    return kind, compression


@contextlib.contextmanager
def open_input(path: Path) -> Iterator[io.BufferedIOBase]:
    """Open ``path`` for reading bytes, decompressing by extension, as a stream."""
    _, compression = input_kind(path)
    with path.open("rb") as raw:
        if compression == "gzip":
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        elif compression == "zstd":
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
            with io.BufferedReader(reader) as unzstd:
                yield unzstd
        else:
            yield raw


def read_input_bytes(path: Path, max_bytes: int, display: str | None = None) -> bytes:
    """The (decompressed) bytes of a page file, refusing more than ``max_bytes``.

    Raises:
        FormatError: ``oversize`` past the limit (a small .gz can hold gigabytes), or
            ``bad-compression`` when the stream is corrupt.
    """
    name = display or str(path)
    try:
        with open_input(path) as stream:
            data = stream.read(max_bytes + 1)
    except (OSError, EOFError, ValueError, zlib.error, zstandard.ZstdError) as err:
        if isinstance(err, FileNotFoundError | PermissionError | IsADirectoryError):
            raise
        raise FormatError(name, "bad-compression", f"cannot decompress: {err}") from err
    if len(data) > max_bytes:
        detail = f"more than {max_bytes:,} bytes after decompression (input.max_file_bytes)"
        raise FormatError(name, "oversize", detail)
    return data


def iter_input_records(
    path: Path,
    *,
    text_field: str = "text",
    id_field: str | None = "id",
    display: str | None = None,
    errors: list[FormatError] | None = None,
) -> Iterator[InputRecord]:
    """Stream the records of a JSONL or Parquet input (compressed or not), in file order.

    Args:
        text_field: the field holding the text; it must be a string in every record.
        id_field: the field holding the id (a string or an integer); None: the input has
            none, and ids are ``<display>#<line>``.
        display: the path shown in errors and ``InputRecord.source`` (default ``path``),
            e.g. the path relative to ``input.root``.
        errors: when given, a bad record is appended here and skipped, so the caller can
            count and quarantine it; otherwise it is raised. A file that cannot be read
            at all (bad compression, not Parquet) always raises.

    Raises:
        FormatError: naming the file, the line or row, and what is wrong.
    """
    name = display or str(path)
    kind, compression = input_kind(path)
    if kind == "jsonl":
        rows: Iterator[tuple[int, int | None, int, Any]] = _jsonl_rows(path, name)
        unit = "line"
    elif kind == "parquet" and compression is None:
        rows = _parquet_rows(path, name, text_field)
        unit = "row"
    elif kind == "parquet":
        detail = "Parquet compresses inside the file; decompress the file first"
        raise FormatError(name, "unsupported-format", detail)
    else:
        raise FormatError(name, "unsupported-format", "not a .jsonl, .ndjson or .parquet file")
    for line, offset, size, row in rows:
        try:
            yield replace(_record(row, name, line, text_field, id_field), size=size)
        except FormatError as err:
            located = FormatError(
                name, err.reason, err.detail, line=line, offset=offset, unit=unit, size=size
            )
            if errors is None:
                raise located from None
            errors.append(located)


def _jsonl_rows(path: Path, name: str) -> Iterator[tuple[int, int | None, int, Any]]:
    """(line number, byte offset, length, parsed value or a FormatError) for each non-blank
    line."""
    offset = 0
    try:
        with open_input(path) as stream:
            lines = iter(lambda: stream.readline(MAX_RECORD_BYTES + 1), b"")
            for number, line in enumerate(lines, 1):
                start, offset = offset, offset + len(line)
                if len(line) > MAX_RECORD_BYTES:
                    detail = f"a record longer than {MAX_RECORD_BYTES:,} bytes"
                    raise FormatError(name, "oversize", detail, line=number, offset=start)
                if number == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8) :]  # some Windows tools write one
                if not line.strip():
                    continue
                yield number, start, offset - start, _parse_json(line)
    except (OSError, EOFError, zstandard.ZstdError) as err:
        if isinstance(err, FileNotFoundError | PermissionError | IsADirectoryError):
            raise
        raise FormatError(name, "bad-compression", f"cannot decompress: {err}") from err


def _parse_json(line: bytes) -> Any:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as err:
        return FormatError("", "bad-record", f"not UTF-8 at byte {err.start} of the line")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        return FormatError("", "bad-record", f"not JSON: {err.msg} (column {err.colno})")


def _parquet_rows(
    path: Path, name: str, text_field: str
) -> Iterator[tuple[int, int | None, int, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        if isinstance(err, FileNotFoundError | PermissionError | IsADirectoryError):
            raise
        raise FormatError(name, "unsupported-format", f"not a Parquet file: {err}") from err
    columns = parquet.schema_arrow.names
    if text_field not in columns:
        detail = f"no column {text_field!r} (input.text_field); columns: {', '.join(columns)}"
        raise FormatError(name, "bad-record", detail)
    number = 0
    with parquet:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            for row in batch.to_pylist():
                number += 1
                yield number, None, 0, row


def _record(row: Any, name: str, line: int, text_field: str, id_field: str | None) -> InputRecord:
    if isinstance(row, FormatError):
        raise row
    if not isinstance(row, dict):
        raise FormatError(name, "bad-record", f"a JSON {type(row).__name__}, not an object")
    text = row.get(text_field)
    if not isinstance(text, str):
        got = "missing" if text_field not in row else f"{type(text).__name__} {text!r:.40}"
        raise FormatError(name, "bad-record", f"text field {text_field!r} is {got}, not a string")
    if id_field is None:
        record_id = f"{name}#{line}"
    else:
        raw_id = row.get(id_field)
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
            got = "missing" if id_field not in row else repr(raw_id)[:40]
            detail = f"id field {id_field!r} is {got}, not a string or integer"
            raise FormatError(name, "bad-record", detail)
        record_id = str(raw_id)
    nested = row.get("metadata") if "metadata" not in (text_field, id_field) else None
    metadata = dict(nested) if isinstance(nested, dict) else {}
    for key, value in row.items():
        if key not in (text_field, id_field) and not (key == "metadata" and nested is not None):
            metadata[key] = value
    return InputRecord(record_id, text, name, line, {k: _jsonable(v) for k, v in metadata.items()})


def _jsonable(value: Any) -> Any:
    """Parquet values as JSON can hold them: dates as ISO strings, decimals as strings,
    binary as base64 (lossless), nested lists and structs recursively."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value
