"""Every story of a run as dedup sketches, and where its record is on disk.

The driver holds the sketches (a ``SketchTable``, ~280 bytes a story) and, per story, the
file and byte offset of its JSON line: an earlier corpus's ``corpus.jsonl`` for the
stories of ``--index`` folders (``frozen``, first), a unit's shard for this run's. A text
is read back only when verification or a field merge needs it, so memory never holds the
corpus text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from pipeline.config import Config, DedupConfig
from pipeline.dedup import (
    INDEX_JSON,
    INDEX_NPZ,
    KEY_VERSION,
    SketchTable,
    load_index,
    load_sketches,
    save_index,
)
from pipeline.engine.units import Unit, WorkDir
from pipeline.io import durable_open, write_json


@dataclass(frozen=True, slots=True)
class StoryTable:
    """Every story of the run as dedup sketches (earlier corpora's first, ``frozen``), and
    where each one's record is on disk, so that a text is read only when it is needed."""

    table: SketchTable
    frozen: int
    files: tuple[Path, ...]  # per frozen index: its corpus.jsonl; per unit: its shard
    file_of: npt.NDArray[np.int32]  # row -> files index
    offsets: npt.NDArray[np.int64]  # row -> byte offset of the record's line

    @classmethod
    def build(
        cls,
        cfg: Config,
        work: WorkDir,
        units: Sequence[Unit],
        index: Sequence[Path],
        tick: Callable[[], object] | None = None,
    ) -> StoryTable:
        """Every story's sketch, earlier corpora's first; ``tick`` after each unit read."""
        tables: list[SketchTable] = []
        offsets: list[npt.NDArray[np.int64]] = []
        files: list[Path] = []
        for folder in index:
            table, corpus_offsets = load_index(folder, cfg.dedup, KEY_VERSION)
            tables.append(table)
            offsets.append(corpus_offsets)
            files.append(folder / "corpus.jsonl")
        frozen = sum(len(t) for t in tables)
        for unit in units:
            tables.append(load_sketches(work.sketches(unit)))
            offsets.append(work.load_offsets(unit))
            files.append(work.shard(unit))
            if tick is not None:
                tick()
        if not tables:
            tables.append(SketchTable.from_sketches([], cfg.dedup))
            offsets.append(np.zeros(0, dtype=np.int64))
        sizes = [len(t) for t in tables]
        file_of = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
        return cls(
            SketchTable.concat(tables), frozen, tuple(files), file_of, np.concatenate(offsets)
        )

    def records(self, rows: npt.NDArray[np.int64]) -> list[dict[str, Any]]:
        """The records at ``rows`` (sorted), read with one seek each, file by file."""
        found: list[dict[str, Any]] = []
        for file_index in np.unique(self.file_of[rows]).tolist():
            with self.files[file_index].open("rb") as handle:
                for row in rows[self.file_of[rows] == file_index].tolist():
                    handle.seek(int(self.offsets[row]))
                    found.append(json.loads(handle.readline()))
        return found

    def texts(self, rows: npt.NDArray[np.int64]) -> list[str]:
        """``decide``'s ``load_texts``: the texts at ``rows``, in the order given."""
        by_row = dict(zip(sorted(rows.tolist()), self.records(np.sort(rows)), strict=True))
        return [str(by_row[row]["text"]) for row in rows.tolist()]

    def rows_of(self, ids: set[str]) -> npt.NDArray[np.int64]:
        wanted = np.array(sorted(i.encode("utf-8") for i in ids), dtype=self.table.ids.dtype)
        return np.flatnonzero(np.isin(self.table.ids, wanted)).astype(np.int64)


def write_index(
    folder: Path,
    table: SketchTable,
    cfg: DedupConfig,
    offsets: npt.NDArray[np.int64] | None = None,
    *,
    suffix: str = "",
) -> None:
    """Write ``table`` as the dedup index of output ``folder`` (``dedup-index.npz`` and
    ``.json``, named plus ``suffix``: the run stages its outputs as ``.new``), for later
    ``--index`` runs; ``offsets`` are the stories' byte offsets in its corpus.jsonl."""
    with durable_open(folder / f"{INDEX_NPZ}{suffix}", "wb") as npz:
        header = save_index(npz, table, cfg, KEY_VERSION, offsets)
    write_json(folder / f"{INDEX_JSON}{suffix}", header)
