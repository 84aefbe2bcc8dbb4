"""The plan and the books of a run's work: units of input and the work folder that
commits them.

A unit's stories go to ``<output>/.work/unit-NNNNNN.jsonl``, its dedup sketches and each
story's offset in the shard to ``.npz`` files, and what the driver needs (per-file counts,
quarantine entries) to ``unit-NNNNNN.meta.json``; all are durable (``pipeline.io.durable``),
and only then is the marker ``unit-NNNNNN.done`` written. A unit without its marker is
redone, whatever files it left. The work folder carries a fingerprint of the config, the
cut of the units, the code and the input listing; a resume with a different fingerprint
is refused, saying which of them changed.
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

    def prepare(self, fingerprint: dict[str, Any], *, resume: bool) -> None:
        """Start afresh, or (``resume``) keep finished units of the same fingerprint.

        Raises:
            PipelineError: resuming, and the config, the code, the input or the cut of the
                units changed since the interrupted run: the message says which.
        """
        stamp = self.path / "fingerprint"
        if resume and stamp.exists():
            changed = what_changed(_read_stamp(stamp), fingerprint)
            if changed:
                msg = (
                    f"{self.path.parent}: cannot resume: {'; '.join(changed)}; run again "
                    "without --resume, or undo the change"
                )
                raise PipelineError(msg)
            remove_stale_temps(self.path)
            return
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        write_text(stamp, json.dumps(fingerprint, sort_keys=True))

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


# The [run] settings that cut the units a resume reuses. The others (workers, engine,
# ray_address, pool_min_bytes) only say how the work runs: a resume may change them.
UNIT_KEYS = ("unit_files", "unit_bytes")


def fingerprint(cfg: Config, units: Sequence[Unit]) -> dict[str, Any]:
    """What a resumed run must share with the interrupted one, part by part, so that a
    refusal can say which part changed: the settings that decide the output, the cut of
    the units, the code, and the input listing."""
    settings = cfg.to_dict()
    run = settings.pop("run")
    code = hashlib.sha256()
    package = Path(__file__).parent.parent
    for source_file in sorted(package.rglob("*.py")):
        code.update(source_file.relative_to(package).as_posix().encode())
        code.update(source_file.read_bytes())
    listing = hashlib.sha256()
    for unit in units:
        for f in unit.files:
            listing.update(f"{unit.index}\0{f.path}\0{f.size}\n".encode("utf-8", "surrogateescape"))
    return {
        "settings": settings,
        "units": {key: run[key] for key in UNIT_KEYS},
        "code": code.hexdigest(),
        "input": {
            "digest": listing.hexdigest(),
            "files": sum(len(u.files) for u in units),
            "bytes": sum(u.size for u in units),
        },
    }


def what_changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two fingerprints, for people (empty: nothing did).

    >>> old = {"settings": {"dedup": {"threshold": 0.6}}, "units": {"unit_files": 64},
    ...        "code": "a", "input": {"digest": "x", "files": 3, "bytes": 10}}
    >>> what_changed(old, {**old, "settings": {"dedup": {"threshold": 0.7}}, "code": "b"})
    ['the config changed (dedup.threshold: 0.6 -> 0.7)', 'the code changed (a pipeline/ file)']
    """
    if set(old) != set(new):  # a stamp of an older version of the pipeline
        return ["the interrupted run was made by another version of the pipeline"]
    changed = []
    keys = _changed_keys(old["settings"], new["settings"])
    if keys:
        shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
        changed.append(f"the config changed ({shown})")
    units = _changed_keys({"run": old["units"]}, {"run": new["units"]})
    if units:
        changed.append(
            f"the units of work are cut differently ({', '.join(units)}), so the finished "
            "ones cannot be reused"
        )
    if old["code"] != new["code"]:
        changed.append("the code changed (a pipeline/ file)")
    if old["input"] != new["input"]:
        was, now = old["input"], new["input"]
        changed.append(
            f"the input changed ({was['files']:,} files, {was['bytes']:,} bytes -> "
            f"{now['files']:,} files, {now['bytes']:,} bytes)"
        )
    return changed


def _changed_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    changed = []
    for section, values in sorted(new.items()):
        before = old.get(section, {})
        for key in sorted(set(values) | set(before)):
            if before.get(key) != values.get(key):
                changed.append(
                    f"{section}.{key}: {_show(before.get(key))} -> {_show(values.get(key))}"
                )
    return changed


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _read_stamp(path: Path) -> dict[str, Any]:
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:  # a plain digest: written by an earlier version
        return {}
    return stamp if isinstance(stamp, dict) else {}
