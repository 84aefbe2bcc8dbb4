"""The plan and the books of a run's work: units of input and the work folder that
commits them.

A unit's stories go to ``<output>/.work/unit-NNNNNN.jsonl``, its dedup sketches and each
story's offset in the shard to ``.npz`` files, and what the driver needs (per-file counts,
quarantine entries) to ``unit-NNNNNN.meta.json``; all are durable (``pipeline.io.durable``),
and only then is the marker ``unit-NNNNNN.done`` written. A unit without its marker is
redone, whatever files it left. The work folder carries a fingerprint of the config, the
code and the input listing; a resume with a different fingerprint is refused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.io import SourceFile, remove_stale_temps, write_text


@dataclass(frozen=True, slots=True)
class Unit:
    """A slice of the sorted input, processed and committed as one piece."""

    index: int
    files: tuple[SourceFile, ...]
    # Per file, the (codec, method) the survey decided, or None: decided again when read.
    decided: tuple[tuple[str, str] | None, ...] = ()

    @property
    def name(self) -> str:
        return f"unit-{self.index:06d}"

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


def plan_units(files: Sequence[SourceFile], max_files: int, max_bytes: int) -> list[Unit]:
    """Cut the sorted file list into units. Boundaries depend on the input only, never on
    the worker count, so every run of the same input commits the same units."""
    units: list[Unit] = []
    current: list[SourceFile] = []
    size = 0
    for source in files:
        if current and (len(current) >= max_files or size + source.size > max_bytes):
            units.append(Unit(len(units), tuple(current)))
            current, size = [], 0
        current.append(source)
        size += source.size
    if current:
        units.append(Unit(len(units), tuple(current)))
    return units


@dataclass(frozen=True, slots=True)
class WorkDir:
    """``<output>/.work``: shards, metas and markers of the units of one run."""

    path: Path

    def shard(self, unit: Unit) -> Path:
        return self.path / f"{unit.name}.jsonl"

    def meta(self, unit: Unit) -> Path:
        return self.path / f"{unit.name}.meta.json"

    def marker(self, unit: Unit) -> Path:
        return self.path / f"{unit.name}.done"

    def sketches(self, unit: Unit) -> Path:
        """The unit's dedup sketches (``SketchTable`` columns, no pickle)."""
        return self.path / f"{unit.name}.sketches.npz"

    def offsets(self, unit: Unit) -> Path:
        """Each story's byte offset in the unit's shard, for reading texts back."""
        return self.path / f"{unit.name}.offsets.npz"

    def load_offsets(self, unit: Unit) -> npt.NDArray[np.int64]:
        with np.load(self.offsets(unit), allow_pickle=False) as arrays:
            return np.asarray(arrays["offsets"], dtype=np.int64)

    def is_done(self, unit: Unit) -> bool:
        return self.marker(unit).exists()

    def load_meta(self, unit: Unit) -> dict[str, Any]:
        meta: dict[str, Any] = json.loads(self.meta(unit).read_text(encoding="utf-8"))
        return meta

    def prepare(self, fingerprint: str, *, resume: bool) -> None:
        """Start afresh, or (``resume``) keep finished units of the same fingerprint."""
        stamp = self.path / "fingerprint"
        if resume and stamp.exists():
            if stamp.read_text(encoding="utf-8") != fingerprint:
                msg = (
                    f"{self.path.parent}: cannot resume: the config, the code or the input "
                    "changed since the interrupted run; run again without --resume"
                )
                raise PipelineError(msg)
            remove_stale_temps(self.path)
            return
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        write_text(stamp, fingerprint)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def fingerprint(cfg: Config, units: Sequence[Unit]) -> str:
    """What a resumed run must share with the interrupted one: settings, code, input."""
    digest = hashlib.sha256()
    settings = cfg.to_dict()
    del settings["run"]["workers"]  # the one setting that never changes any byte written
    digest.update(json.dumps(settings, sort_keys=True).encode())
    package = Path(__file__).parent.parent
    for source_file in sorted(package.rglob("*.py")):
        digest.update(source_file.relative_to(package).as_posix().encode())
        digest.update(source_file.read_bytes())
    for unit in units:
        for f in unit.files:
            digest.update(f"{unit.index}\0{f.path}\0{f.size}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
