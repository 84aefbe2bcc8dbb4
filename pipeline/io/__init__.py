"""Bytes in, files out: finding and reading inputs, record formats, durable output files."""

from __future__ import annotations

from pipeline.io.durable import durable_open, remove_stale_temps
from pipeline.io.formats import FormatError, input_kind, iter_input_records, read_input_bytes
from pipeline.io.parquet import corpus_features, read_parquet_records, write_parquet
from pipeline.io.readers import SourceFile, discover, read_blocks, read_file
from pipeline.io.writers import dumps, write_json, write_jsonl, write_lines, write_text

__all__ = [
    "FormatError",
    "SourceFile",
    "corpus_features",
    "discover",
    "dumps",
    "durable_open",
    "input_kind",
    "iter_input_records",
    "read_blocks",
    "read_file",
    "read_input_bytes",
    "read_parquet_records",
    "remove_stale_temps",
    "write_json",
    "write_jsonl",
    "write_lines",
    "write_parquet",
    "write_text",
]
