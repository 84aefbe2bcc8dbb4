"""The worker side of a run: what a worker process does with a unit of the input.

Each worker is set up once (:func:`init_worker`: the stages, OpenCC, the survey's
findings), then surveys files (:func:`survey_file`) or processes units
(:func:`process_unit`): read, decode, the per-page stages, and a dedup sketch per story,
written and committed as ``pipeline.engine.units`` describes.
"""

from __future__ import annotations

import json
import signal
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import Config
from pipeline.dedup import SketchTable, save_sketches, sketch_table
from pipeline.document import Document, Quarantined, Stage, Stats
from pipeline.engine.progress import Tick, compile_timer, compiled_seconds, pool_tick
from pipeline.engine.provenance import finish_stories, note_step_lines
from pipeline.engine.reading import Tally, read_pages, read_records, unreadable
from pipeline.engine.records import quarantine_record, record_chars, story_record
from pipeline.engine.stages import build_stages
from pipeline.engine.survey import Survey, SurveyResult, survey_source
from pipeline.engine.units import Unit, WorkDir
from pipeline.errors import PipelineError
from pipeline.io import (
    FormatError,
    SourceFile,
    dumps,
    durable_open,
    input_kind,
    write_text,
)

# --- inside a worker process ------------------------------------------------------------


@dataclass(slots=True)
class _Worker:
    cfg: Config
    work: WorkDir
    survey: Survey
    stats: Stats
    stages: list[tuple[str, Stage]]
    tick: Tick | None  # reports input bytes done, for the progress bar


_WORKER: _Worker | None = None  # set once per process by init_worker


def init_worker(cfg: Config, work: Path, survey: Survey, tick: Tick | None = None) -> None:
    """Per-process set-up: heavy objects (OpenCC) are built once here, not per document.
    ``tick`` is told the input bytes done as each file (or part) is done."""
    global _WORKER
    stats = Stats()
    stages = build_stages(cfg, stats, survey.furniture, survey.folders)
    _WORKER = _Worker(cfg, WorkDir(work), survey, stats, stages, tick)


def init_pool_worker(cfg: Config, work: Path, survey: Survey, counter: Any = None) -> None:
    """:func:`init_worker` for a pool process, which leaves Ctrl-C to the driver: the driver
    stops the workers itself and cleans up, instead of every worker printing a traceback.
    ``counter``: a shared ``multiprocessing.Value`` the driver's progress bar reads."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(cfg, work, survey, None if counter is None else pool_tick(counter))


def _worker() -> _Worker:
    if _WORKER is None:  # pragma: no cover - a programming error, not an input problem
        msg = "init_worker() must run before any unit is processed"
        raise PipelineError(msg)
    return _WORKER


def survey_file(source: SourceFile) -> SurveyResult:
    """The survey pass's work on one file, with this worker's settings."""
    return survey_source(source, _worker().cfg)


def process_unit(unit: Unit) -> dict[str, Any]:
    """Process one unit, write its shard and meta, then its marker; return the meta."""
    w = _worker()
    files: list[dict[str, Any]] = []
    tables: list[SketchTable] = []
    offsets: list[int] = []
    chars: list[int] = []  # each story's characters, for the books (records.record_chars)
    timings: dict[str, float] = defaultdict(float)
    shard = w.work.shard(unit)
    try:
        with durable_open(shard, "wb") as out, compile_timer() as compiling:
            # Stories are sketched a few thousand at a time, not page by page: a kernel call
            # costs about a millisecond whatever its size (a page is some 20 stories).
            pending: list[Document] = []
            pending_chars = 0

            def sketch_pending() -> None:
                nonlocal pending_chars
                started = time.perf_counter()
                if pending:
                    tables.append(sketch_table(pending, w.cfg.dedup))
                    pending.clear()
                    pending_chars = 0
                timings["sketch"] += time.perf_counter() - started

            def emit(docs: list[Document]) -> None:
                nonlocal pending_chars
                started = time.perf_counter()
                for doc in docs:
                    offsets.append(out.tell())
                    record = story_record(doc)
                    chars.append(record_chars(record))
                    out.write(dumps(record).encode("utf-8", "surrogatepass"))
                    out.write(b"\n")
                timings["write"] += time.perf_counter() - started
                pending.extend(docs)
                pending_chars += sum(len(doc.text) for doc in docs)
                if len(pending) >= SKETCH_STORIES or pending_chars >= SKETCH_CHARS:
                    sketch_pending()

            decided = unit.decided or (None,) * len(unit.files)
            for source, known in zip(unit.files, decided, strict=True):
                before = w.stats.copy()
                stories, quarantined, decoded = _process_file(source, known, w, timings, emit)
                stats = w.stats.since(before)
                files.append(
                    {
                        "path": source.path,
                        "bytes": source.size,
                        "bytes_decoded": decoded,
                        "stories": stories,
                        "events": dict(stats.events),
                        "chars": dict(stats.chars),
                        "notes": list(stats.notes),
                        "quarantine": [quarantine_record(q) for q in quarantined],
                    }
                )
            sketch_pending()
        if compiling.done:  # numba compiled a kernel here (a first run, or a new machine)
            timings["compile"] += compiled_seconds(compiling)
        table = SketchTable.concat(tables) if tables else SketchTable.from_sketches([], w.cfg.dedup)
        with durable_open(w.work.offsets(unit), "wb") as handle:
            np.savez(
                handle,
                allow_pickle=False,
                offsets=np.array(offsets, dtype=np.int64),
                chars=np.array(chars, dtype=np.int64),
            )
        with durable_open(w.work.sketches(unit), "wb") as handle:
            save_sketches(handle, table)
        meta = {"files": files, "stories": len(table), "timings": dict(timings)}
        write_text(w.work.meta(unit), json.dumps(meta, ensure_ascii=False, sort_keys=True))
        write_text(w.work.marker(unit), "")
    except OSError as err:
        # An environment problem (disk full, work folder gone): the run must stop.
        msg = f"{err.filename or w.work.path}: cannot write work files: {err.strerror or err}"
        raise PipelineError(msg) from err
    return meta


def _process_file(
    source: SourceFile,
    decided: tuple[str, str] | None,
    w: _Worker,
    timings: dict[str, float],
    emit: Callable[[list[Document]], None],
) -> tuple[int, list[Quarantined], int]:
    """Run one file through the stages, a page (or a batch of records) at a time; return
    its story count, its quarantine entries and the bytes of it that became text. Page
    files are decoded from bytes; JSONL and Parquet records arrive as text."""
    quarantined: list[Quarantined] = []
    tally = Tally()
    stories = ticked = 0
    started = time.perf_counter()
    kind, _ = input_kind(source.path)
    try:
        batches = (
            read_pages(source, decided, w.cfg, w.stats, w.survey.folder_codecs, quarantined, tally)
            if kind == "text"
            else read_records(source, w.cfg, w.stats, quarantined, tally)
        )
        for docs in batches:
            timings["decode"] += time.perf_counter() - started
            docs = finish_stories(_run_stages(source, docs, w, timings, quarantined), w.stats)
            emit(docs)
            stories += len(docs)
            if w.tick is not None:  # a big file's parts move the bar as they are done
                w.tick(tally.decoded - ticked)
                ticked = tally.decoded
            started = time.perf_counter()
    except (OSError, FormatError) as err:
        entry = unreadable(source, err, tally)
        w.stats.events[f"quarantine.{entry.reason}"] += 1
        quarantined.append(entry)
    if w.tick is not None:
        w.tick(max(0, source.size - ticked))
    return stories, quarantined, tally.decoded


SKETCH_STORIES = 4096  # stories sketched together (and at most SKETCH_CHARS characters)
SKETCH_CHARS = 1 << 23


def _run_stages(
    source: SourceFile,
    docs: list[Document],
    w: _Worker,
    timings: dict[str, float],
    quarantined: list[Quarantined],
) -> list[Document]:
    """Each stage over the page's documents; a stage that raises quarantines them."""
    for name, stage in w.stages:
        started = time.perf_counter()
        snapshot = w.stats.copy()
        w.stats.events[f"{name}.docs_in"] += len(docs)
        w.stats.events[f"{name}.chars_in"] += sum(len(d.field_text()) for d in docs)
        try:
            out = list(stage(docs))
        except Exception as err:  # one bad document must not end the run: quarantine it
            w.stats.restore(snapshot)
            lost = sum(len(d.field_text()) for d in docs)
            w.stats.events["quarantine.stage-error"] += 1
            w.stats.chars["quarantined"] += lost
            detail = f"{type(err).__name__}: {err}"
            quarantined.append(Quarantined(source.path, "stage-error", detail, None, name, lost, 0))
            return []
        w.stats.events[f"{name}.docs_out"] += len(out)
        w.stats.events[f"{name}.chars_out"] += sum(len(d.field_text()) for d in out)
        docs = note_step_lines(docs, out)
        timings[name] += time.perf_counter() - started
    return docs
