"""The corpus as Parquet, shaped like ``corpus.jsonl`` (``id``, ``text``, ``metadata``):
the typed schema of a record, written and read back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pipeline.document import DUPLICATE, METADATA
from pipeline.io.durable import durable_open

BATCH_ROWS = 1_024  # Parquet rows read per batch
ROW_GROUP_ROWS = 10_000  # Parquet rows per row group written (fixed: part of the bytes)

# The story metadata (``document.METADATA``), typed. A struct column (not a JSON string):
# datasets.load_dataset("parquet") gives nested features, datatrove's ParquetReader gives
# the dict its Document.metadata expects (it merges `metadata` with the other columns),
# pandas/DuckDB/Polars can filter on metadata.source without parsing JSON, and a fixed
# schema makes every shard concatenable. Keys outside it go to `extra`, a JSON string.


def parquet_schema(*, duplicates: bool = False) -> Any:
    """The ``pyarrow.Schema`` of corpus (or, with ``duplicates``, duplicates) Parquet."""
    import pyarrow as pa

    text, int64 = pa.string(), pa.int64()
    ints, strings = pa.list_(int64), pa.list_(text)
    change = [("position", int64), ("old", text), ("new", text), ("support", strings)]
    types = {
        "string": text,
        "bool": pa.bool_(),
        "double": pa.float64(),
        "int64": int64,
        "list<string>": strings,
        "list<int64>": ints,
        "list<copy>": pa.list_(pa.struct([("id", text), ("source", text), ("date", text)])),
        "list<field>": pa.list_(pa.struct([("field", text), ("id", text)])),
        "list<change>": pa.list_(pa.struct(change)),
    }
    meta = pa.struct([pa.field(k, types[t]) for k, t in METADATA])
    fields = [pa.field("id", pa.string(), nullable=False), pa.field("text", pa.string())]
    fields.append(pa.field("metadata", meta))
    if duplicates:
        fields += [pa.field(k, types[t]) for k, t in DUPLICATE]
    return pa.schema(fields)


def write_parquet(
    path: Path,
    records: Iterable[Mapping[str, Any]],
    *,
    duplicates: bool = False,
    row_group_rows: int = ROW_GROUP_ROWS,
) -> int:
    """Write corpus (or duplicates) records to Parquet, atomically; return how many.

    The records are the JSONL ones (``engine.records.story_record`` / ``duplicate_record``),
    streamed one row group at a time. The bytes depend on the records and the pinned
    pyarrow only: fixed schema, zstd level 3, fixed row groups, no timestamps (pyarrow
    writes none; ``created_by`` names its version), so two runs write the same file.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(duplicates=duplicates)
    count = 0
    with durable_open(path, "wb") as handle:
        writer = pq.ParquetWriter(
            handle,
            schema,
            compression="zstd",
            compression_level=3,
            use_dictionary=False,  # dictionary pages vary with the data; plain is simplest
            write_statistics=True,
            version="2.6",
        )
        with writer:
            batch: list[dict[str, Any]] = []
            for record in records:
                batch.append(_parquet_row(record, duplicates=duplicates))
                if len(batch) == row_group_rows:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    count += len(batch)
                    batch = []
            if batch or count == 0:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
    return count


def _parquet_row(record: Mapping[str, Any], *, duplicates: bool) -> dict[str, Any]:
    meta = dict(record.get("metadata") or {})
    known = {name for name, _ in METADATA if name != "extra"}
    carried = meta.pop("extra", None)  # fields a record input carried through: JSON
    extra = dict(json.loads(carried) if isinstance(carried, str) else carried or {})
    extra.update({k: meta.pop(k) for k in sorted(set(meta) - known)})
    meta["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
    row = {"id": record["id"], "text": record.get("text"), "metadata": meta}
    if duplicates:
        row.update({name: record.get(name) for name, _ in DUPLICATE})
    return row


def read_parquet_records(path: Path) -> Iterator[dict[str, Any]]:
    """Stream the records of a Parquet file written by :func:`write_parquet`, shaped as
    the JSONL records again."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            yield from batch.to_pylist()


def corpus_features(*, duplicates: bool = False) -> Any:
    """The ``datasets.Features`` of ``corpus.jsonl`` (or, with ``duplicates``,
    ``duplicates.jsonl``), for ``datasets.load_dataset("json", ..., features=...)``.

    JSON cannot say what type an empty list or a null has, and ``datasets`` infers each
    column's type from the first 10 MB of a file only: a column that is empty or null
    throughout them (``also_printed_in``, ``caption`` in a corpus of wire copy) is typed
    null, and a later row that has one fails to load. With these features it never does.
    (``corpus.parquet`` carries its schema inside; it needs none.)

    Raises:
        ImportError: ``datasets`` is not installed.
    """
    from datasets import Features

    return Features.from_arrow_schema(parquet_schema(duplicates=duplicates))
