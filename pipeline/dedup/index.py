"""The dedup index: sketches of many stories as NumPy columns, and how they are stored.

Workers persist each unit's sketches with :func:`save_sketches`; the driver concatenates
them (:meth:`SketchTable.concat`) for :func:`pipeline.dedup.decisions`, and after writing the
corpus saves the kept stories' sketches as the run's index (:func:`save_index`) so that a
later run (``--index OLD_OUTPUT``) dedups new pages against it (:func:`load_index`).

Everything is stored as ``.npz`` (NumPy arrays, loaded with ``allow_pickle=False``) plus a
JSON header: no pickle, so an index from elsewhere cannot run code when loaded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from pipeline.config import DedupConfig
from pipeline.errors import PipelineError

# Bump when the stored layout changes.
# 2: each kept story's byte offset in corpus.jsonl; 3: field digests; 4: dates
INDEX_FORMAT = 4
INDEX_NPZ = "dedup-index.npz"
INDEX_JSON = "dedup-index.json"


@dataclass(frozen=True, slots=True)
class Sketch:
    """What the decision needs to know about one story, without its text."""

    id: str
    source: str
    digest: bytes  # 16-byte BLAKE2b of the key's code points
    key_length: int
    defects: int
    flags: int  # TITLE | TRUNCATED | FRAGMENT | FIELD_BITS of the fields it has
    bands: npt.NDArray[np.uint64]  # bands + head_bands LSH keys
    fields: int = 0  # CRC-32 of its kicker, deck, byline, reporters, caption (0: none)
    day: int = -(1 << 31)  # its date as a proleptic Gregorian ordinal (UNDATED: none)


UNDATED = -(1 << 31)  # the day of a story without a date


def day_number(date: str | None) -> int:
    """An ISO date as a day number (``UNDATED`` for None), for the date window.

    >>> day_number("2020-07-02") - day_number("2020-06-30"), day_number(None) == UNDATED
    (2, True)
    """
    return UNDATED if date is None else dt.date.fromisoformat(date).toordinal()


@dataclass(frozen=True, slots=True)
class SketchTable:
    """Sketches of many stories as columns (NumPy arrays): what the driver holds in memory.

    ``bands`` is band-major, shape (bands + head_bands, n), so each band is contiguous.
    Ids are UTF-8 bytes; sources are stored once each and referenced by index.
    """

    ids: npt.NDArray[np.bytes_]
    sources: npt.NDArray[np.bytes_]
    source_index: npt.NDArray[np.int32]
    digests: npt.NDArray[np.uint64]  # (n, 2)
    key_length: npt.NDArray[np.int32]
    defects: npt.NDArray[np.uint16]  # clipped at 65535
    flags: npt.NDArray[np.uint16]
    fields: npt.NDArray[np.uint32]  # which copies agree on their fields (best copy)
    bands: npt.NDArray[np.uint64]
    days: npt.NDArray[np.int32]  # ``day_number`` of each story's date (the date window)

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def nbytes(self) -> int:
        """Bytes held in memory by the columns."""
        return sum(int(getattr(self, name).nbytes) for name in _COLUMNS)

    def id(self, row: int) -> str:
        return bytes(self.ids[row]).decode("utf-8")

    def source(self, row: int) -> str:
        return bytes(self.sources[self.source_index[row]]).decode("utf-8")

    def date(self, row: int) -> str | None:
        day = int(self.days[row])
        return None if day == UNDATED else dt.date.fromordinal(day).isoformat()

    @classmethod
    def from_sketches(cls, sketches: Sequence[Sketch], cfg: DedupConfig) -> SketchTable:
        sources: dict[str, int] = {}
        index = [sources.setdefault(s.source, len(sources)) for s in sketches]
        width = cfg.bands + cfg.head_bands
        bands = np.empty((width, len(sketches)), dtype=np.uint64)
        for row, s in enumerate(sketches):
            bands[:, row] = s.bands
        return cls(
            ids=bytes_array([s.id for s in sketches]),
            sources=bytes_array(list(sources)),
            source_index=np.array(index, dtype=np.int32),
            digests=np.frombuffer(b"".join(s.digest for s in sketches), dtype=np.uint64)
            .reshape(-1, 2)
            .copy(),
            key_length=np.array([s.key_length for s in sketches], dtype=np.int32),
            defects=np.array([min(s.defects, 0xFFFF) for s in sketches], dtype=np.uint16),
            flags=np.array([s.flags for s in sketches], dtype=np.uint16),
            fields=np.array([s.fields for s in sketches], dtype=np.uint32),
            bands=bands,
            days=np.array([s.day for s in sketches], dtype=np.int32),
        )

    @classmethod
    def concat(cls, tables: Sequence[SketchTable]) -> SketchTable:
        """One table of every story, in the order given (units in input order)."""
        if not tables:
            msg = "SketchTable.concat needs at least one table"
            raise ValueError(msg)
        names = sorted({bytes(s) for t in tables for s in t.sources})
        lookup = {name: i for i, name in enumerate(names)}
        index = [
            np.array([lookup[bytes(s)] for s in t.sources], dtype=np.int32)[t.source_index]
            for t in tables
        ]
        width = max(t.ids.dtype.itemsize for t in tables)
        return cls(
            ids=np.concatenate([t.ids.astype(f"S{width}") for t in tables]),
            sources=bytes_array([n.decode("utf-8") for n in names]),
            source_index=np.concatenate(index).astype(np.int32),
            digests=np.concatenate([t.digests for t in tables]),
            key_length=np.concatenate([t.key_length for t in tables]),
            defects=np.concatenate([t.defects for t in tables]),
            flags=np.concatenate([t.flags for t in tables]),
            fields=np.concatenate([t.fields for t in tables]),
            bands=np.concatenate([t.bands for t in tables], axis=1),
            days=np.concatenate([t.days for t in tables]),
        )

    def select(self, rows: npt.NDArray[np.int64]) -> SketchTable:
        """The stories at ``rows`` (e.g. the kept ones, for the saved index)."""
        return replace(
            self,
            ids=self.ids[rows],
            source_index=self.source_index[rows],
            digests=self.digests[rows],
            key_length=self.key_length[rows],
            defects=self.defects[rows],
            flags=self.flags[rows],
            fields=self.fields[rows],
            bands=self.bands[:, rows],
            days=self.days[rows],
        )

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {name: getattr(self, name) for name in _COLUMNS}

    @classmethod
    def from_arrays(cls, arrays: Any) -> SketchTable:
        return cls(**{name: np.asarray(arrays[name]) for name in _COLUMNS})


_COLUMNS = (
    "ids",
    "sources",
    "source_index",
    "digests",
    "key_length",
    "defects",
    "flags",
    "fields",
    "bands",
    "days",
)


def bytes_array(values: Sequence[str]) -> npt.NDArray[np.bytes_]:
    """UTF-8 (surrogates passed) of each value, as a fixed-width bytes array."""
    encoded = [v.encode("utf-8", "surrogatepass") for v in values]
    width = max((len(e) for e in encoded), default=1) or 1
    return np.array(encoded, dtype=f"S{width}")


def save_sketches(handle: IO[bytes], table: SketchTable) -> None:
    """Write one unit's sketches to ``handle`` as an ``.npz`` (arrays only, no pickle);
    the caller opens it durably."""
    np.savez(handle, allow_pickle=False, **table.to_arrays())


def load_sketches(path: str | Path) -> SketchTable:
    """Read what :func:`save_sketches` wrote (``allow_pickle=False``)."""
    with np.load(Path(path), allow_pickle=False) as arrays:
        return SketchTable.from_arrays(arrays)


def index_settings(cfg: DedupConfig, key_version: int) -> dict[str, Any]:
    """What an index must share with the run that loads it: every knob of a sketch."""
    names = ("num_perm", "ngram", "seed", "scheme", "bands", "rows", "head_shingles")
    settings: dict[str, Any] = {name: getattr(cfg, name) for name in names}
    settings.update(
        head_bands=cfg.head_bands,
        head_rows=cfg.head_rows,
        min_key_length=cfg.min_key_length,
        key_version=key_version,
        format=INDEX_FORMAT,
    )
    return settings


def save_index(
    npz: IO[bytes],
    table: SketchTable,
    cfg: DedupConfig,
    key_version: int,
    offsets: npt.NDArray[np.int64] | None = None,
) -> dict[str, Any]:
    """Save ``table`` (the kept stories of a run) to ``npz``, the ``dedup-index.npz`` of an
    output folder, with ``offsets``, each story's byte offset in the folder's corpus.jsonl
    (how a later run reads the texts it must verify); return the header that
    ``dedup-index.json`` holds (settings and count). The caller opens both files durably.
    """
    if offsets is None:
        offsets = np.zeros(len(table), dtype=np.int64)
    np.savez(npz, allow_pickle=False, offsets=offsets, **table.to_arrays())
    return {"settings": index_settings(cfg, key_version), "stories": len(table)}


def load_index(
    folder: str | Path, cfg: DedupConfig, key_version: int
) -> tuple[SketchTable, npt.NDArray[np.int64]]:
    """Load the dedup index of an earlier output ``folder`` (its table and each story's
    offset in that folder's corpus.jsonl), checking it fits ``cfg``.

    Raises:
        PipelineError: no index there, unreadable, or made with other dedup settings.
    """
    root = Path(folder)
    try:
        header = json.loads((root / INDEX_JSON).read_text(encoding="utf-8"))
        with np.load(root / INDEX_NPZ, allow_pickle=False) as arrays:
            table = SketchTable.from_arrays(arrays)
            offsets = np.asarray(arrays["offsets"], dtype=np.int64)
    except (OSError, ValueError, KeyError) as err:
        msg = f"{root}: no readable dedup index ({INDEX_JSON} + {INDEX_NPZ}): {err}"
        raise PipelineError(msg) from err
    want = index_settings(cfg, key_version)
    if header.get("settings") != want:
        have = header.get("settings")
        msg = (
            f"{root}: the dedup index was made with other settings ({have}); this run uses "
            f"{want}: rerun the earlier corpus with these settings, or match them"
        )
        raise PipelineError(msg)
    if len(table) != header.get("stories"):
        msg = f"{root}: dedup index is incomplete ({len(table)} of {header.get('stories')})"
        raise PipelineError(msg)
    return table, offsets
