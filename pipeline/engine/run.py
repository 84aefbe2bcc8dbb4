"""Run the pipeline over a folder of page dumps.

The run has four passes, so that memory grows with the dedup sketches only, never with the
corpus text:

1. **discover** the input files (sorted) and cut them into units of work;
2. **survey** every file's encoding (a file too short to detect takes its folder's codec)
   and candidate page furniture;
3. **process** each unit in a worker process (``pipeline.engine.work``): read, decode, the
   stages of ``pipeline.engine.stages``, and a dedup sketch per story, committed unit by unit;
4. **decide** duplicates over all sketches at once, then **write** the outputs by
   streaming the shards in input order. Outputs are replaced atomically at the very end.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pipeline.config import Config
from pipeline.dedup import INDEX_JSON, INDEX_NPZ, candidate_pairs, decide
from pipeline.engine.guards import check_folders, environment_errors, stop_on_sigterm
from pipeline.engine.parallel import parallel
from pipeline.engine.progress import bar, compile_timer, compiled_seconds
from pipeline.engine.ray import ray_candidate_pairs
from pipeline.engine.shards import StoryTable
from pipeline.engine.survey import Survey
from pipeline.engine.units import WorkDir, fingerprint, plan_units
from pipeline.engine.work import process_unit, survey_file
from pipeline.engine.writing import write_outputs
from pipeline.io import (
    discover,
    remove_stale_temps,
    write_json,
)
from pipeline.layout import learn_folders, learn_furniture
from pipeline.text import Converter, majority_codec

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

WORK_DIR = ".work"
OUTPUT_FILES = (
    "corpus.jsonl",
    "duplicates.jsonl",
    "quarantine.jsonl",
    "report.json",
    "report.md",
    "report.html",
)
PARQUET_FILES = ("corpus.parquet", "duplicates.parquet")
INDEX_FILES = (INDEX_NPZ, INDEX_JSON)  # for later runs with --index (incremental dedup)
RUN_FILE = "run.json"  # timings: the one output that differs between runs (not committed)
SHOWN_QUARANTINE = 10  # quarantine lines logged at the end; the rest are in quarantine.jsonl


@dataclass(slots=True)
class Report:
    """What a run did. ``data`` is the content of ``report.json``; ``timings`` holds CPU
    seconds per stage (summed over workers) and wall seconds per pass."""

    output: Path
    data: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    # units of work: all of them, those reused from an interrupted run (--resume), and the
    # input bytes this run processed itself (what its throughput is measured on)
    resumed: dict[str, int] = field(default_factory=dict)

    @property
    def quarantined(self) -> int:
        files = self.data["accounting"]["files"]  # whole or in part
        return int(files["quarantined"]) + int(files["partly_quarantined"])

    @property
    def failed(self) -> int:
        """Input files that could not be read at all (vanished, permission denied)."""
        return int(self.data["accounting"]["files"]["failed"])


def run_pipeline(
    cfg: Config,
    *,
    resume: bool = False,
    progress: bool = False,
    index: Sequence[str | Path] = (),
) -> Report:
    """Run every pass over ``cfg.input.root`` and write the outputs to ``cfg.output.root``.

    ``index`` names earlier output folders whose corpus this run deduplicates against
    (incremental runs): a new story that duplicates one of theirs is dropped, pointing at
    it; their stories are never dropped or rewritten.

    Raises:
        PipelineError: the input folder is missing, the output cannot be written (disk full,
            read-only), a resumed run's config, code or input changed, or the run was
            interrupted (:class:`~pipeline.errors.Interrupted`; finished units are kept
            for ``resume=True``).
    """
    started = time.perf_counter()
    check_folders(cfg)
    files, skipped = discover(cfg.input)
    output = Path(cfg.output.root)
    units = plan_units(files, cfg.run.unit_files, cfg.run.unit_bytes)
    work = WorkDir(output / WORK_DIR)
    with stop_on_sigterm(), environment_errors(output):
        output.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(output)
        work.prepare(fingerprint(cfg, units), resume=resume)
        timings: dict[str, float] = defaultdict(float)
        workers = cfg.run.workers or os.cpu_count() or 1

        t0 = time.perf_counter()
        init = (cfg, work.path, Survey())
        surveyed = list(parallel(cfg, survey_file, files, workers, init, progress, "survey"))
        survey = Survey(
            _folder_codecs((s.path, s.codec) for s in surveyed),
            learn_furniture(((_folder(s.path), s.furniture) for s in surveyed), cfg.segment),
            learn_folders((_folder(s.path), s.headlines, s.prose) for s in surveyed),
        )
        decided = {s.path: s.decided for s in surveyed}
        units = [replace(u, decided=tuple(decided.get(f.path) for f in u.files)) for u in units]
        timings["pass.survey"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        metas = {u.index: work.load_meta(u) for u in units if work.is_done(u)}
        todo = [u for u in units if u.index not in metas]
        resumed = {"units": len(units), "reused": len(metas), "bytes": sum(u.size for u in todo)}
        if metas:
            reused = sum(u.size for u in units) - resumed["bytes"]
            logger.warning(
                "resuming: %d of %d units (%s bytes) are reused from the interrupted run",
                len(metas), len(units), f"{reused:,}",
            )  # fmt: skip
        init = (cfg, work.path, survey)
        processed = parallel(cfg, process_unit, todo, workers, init, progress, "process", live=True)
        for unit, meta in zip(todo, processed, strict=True):
            metas[unit.index] = meta
            for stage, seconds in meta.get("timings", {}).items():  # this run's work only
                timings[f"cpu.{stage}"] += seconds
        timings["pass.process"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        with (
            compile_timer() as compiling,
            bar("dedup", len(units), shown=progress, unit="unit") as shown,
        ):
            stories = StoryTable.build(cfg, work, units, [Path(p) for p in index], shown.update)
            shown.set_description(f"dedup: deciding over {len(stories.table):,} stories")
            # The Ray engine finds LSH candidates with a shuffle on the cluster; either finder
            # gives the same pairs, hence the same decisions.
            finder = ray_candidate_pairs if cfg.run.engine == "ray" else candidate_pairs
            decisions = decide(
                stories.table,
                cfg.dedup,
                stories.texts,
                frozen=stories.frozen,
                candidates=finder,
                threads=workers,  # the workers are idle now: their cores verify
            )
        if compiling.done:
            timings["cpu.compile"] += compiled_seconds(compiling)
        timings["pass.dedup"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        with bar(
            "write", len(stories.table) - stories.frozen, shown=progress, unit="story"
        ) as shown:
            data = write_outputs(
                cfg, output, work, units, metas, stories, decisions, skipped, shown
            )
        for name in output_files(cfg):  # every new file is durable: now swap them in
            (output / f"{name}.new").replace(output / name)
        timings["pass.write"] = time.perf_counter() - t0
        work.remove()
        timings["total"] = time.perf_counter() - started
        record = {"seconds": dict(sorted(timings.items())), "workers": workers, "resumed": resumed}
        write_json(output / RUN_FILE, record)
    _log_quarantine(output)
    return Report(output, data, dict(timings), resumed)


def validate(cfg: Config) -> None:
    """Fail fast on settings only a library or the file system can check: the OpenCC
    config name, and the input and output folders (:func:`check_folders`)."""
    if cfg.convert.config != "none":
        Converter(cfg.convert.config)
    check_folders(cfg)


def _size(item: Any) -> int:
    return int(item.size)


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def output_files(cfg: Config) -> tuple[str, ...]:
    """The files a run with ``cfg`` writes (besides run.json), all swapped in together."""
    names = [n for n in OUTPUT_FILES if n != "report.html" or cfg.output.report_html]
    return (*names, *INDEX_FILES, *(PARQUET_FILES if cfg.output.parquet else ()))


def _remove_leftovers(output: Path) -> None:
    """Temp files and half-swapped ``.new`` files a killed run may have left behind."""
    remove_stale_temps(output)
    for name in (*OUTPUT_FILES, *INDEX_FILES, *PARQUET_FILES):
        with contextlib.suppress(FileNotFoundError):
            (output / f"{name}.new").unlink()


def _folder_codecs(surveyed: Iterator[tuple[str, str | None]]) -> dict[str, str]:
    by_folder: dict[str, list[str]] = defaultdict(list)
    for path, codec in surveyed:
        if codec is not None:
            by_folder[_folder(path)].append(codec)
    codecs = {folder: majority_codec(seen) for folder, seen in sorted(by_folder.items())}
    return {folder: codec for folder, codec in codecs.items() if codec is not None}


def _log_quarantine(output: Path) -> None:
    """One line per quarantined input (a few at most), naming the file and the offset."""
    path = output / "quarantine.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[:SHOWN_QUARANTINE]:
        q = json.loads(line)
        where = f" at byte {q['offset']}" if q["offset"] is not None else ""
        logger.warning("%s: %s%s: %s", q["path"], q["reason"], where, q["detail"])
    if len(lines) > SHOWN_QUARANTINE:
        logger.warning("... and %d more in %s", len(lines) - SHOWN_QUARANTINE, path)
