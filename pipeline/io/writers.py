"""Output files: JSON lines, JSON and text, durable (``pipeline.io.durable``) and
byte-identical across runs: JSON is written with sorted keys and ``ensure_ascii=False``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pipeline.io.durable import durable_open


def dumps(obj: Any) -> str:
    """The one JSON form of the pipeline: sorted keys, UTF-8 as is, compact, one line."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> int:
    """Write one JSON object per line, atomically; return how many."""
    return write_lines(path, map(dumps, records))


def write_lines(path: Path, lines: Iterable[str]) -> int:
    """Write lines already serialised (by :func:`dumps`), atomically; return how many."""
    count = 0
    with durable_open(path) as handle:
        for line in lines:
            handle.write(line)
            handle.write("\n")
            count += 1
    return count


def write_json(path: Path, obj: Any) -> None:
    """Write one pretty JSON document (sorted keys, stable indentation), atomically."""
    with durable_open(path) as handle:
        json.dump(obj, handle, ensure_ascii=False, sort_keys=True, indent=2)
        handle.write("\n")


def write_text(path: Path, text: str) -> None:
    with durable_open(path) as handle:
        handle.write(text)
