"""The worker side of a run: what a worker process does with a unit of the input.

Each worker is set up once (:func:`init_worker`: the stages, OpenCC, the survey's
findings), then surveys files (:func:`survey_file`) or processes units
(:func:`process_unit`): read, decode, the per-page stages, and a dedup sketch per story,
written and committed as ``pipeline.engine.units`` describes.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import Config
from pipeline.dedup import SketchTable, save_sketches, sketch_table
from pipeline.document import Document, Quarantined, RawFile, Stage, Stats
from pipeline.engine.records import quarantine_record, story_record
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
    iter_input_records,
    read_blocks,
    read_file,
    read_input_bytes,
    write_text,
)
from pipeline.text import admit, char_boundary, decode, head_codec, part_boundary

# --- inside a worker process ------------------------------------------------------------


@dataclass(slots=True)
class _Worker:
    cfg: Config
    work: WorkDir
    survey: Survey
    stats: Stats
    stages: list[tuple[str, Stage]]


_WORKER: _Worker | None = None  # set once per process by init_worker


def init_worker(cfg: Config, work: Path, survey: Survey) -> None:
    """Per-process set-up: heavy objects (OpenCC) are built once here, not per document."""
    global _WORKER
    stats = Stats()
    _WORKER = _Worker(
        cfg,
        WorkDir(work),
        survey,
        stats,
        build_stages(cfg, stats, survey.furniture, survey.folders),
    )


def init_pool_worker(cfg: Config, work: Path, survey: Survey) -> None:
    """:func:`init_worker` for a pool process, which leaves Ctrl-C to the driver: the driver
    stops the workers itself and cleans up, instead of every worker printing a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(cfg, work, survey)


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
    timings: dict[str, float] = defaultdict(float)
    shard = w.work.shard(unit)
    try:
        with durable_open(shard, "wb") as out:
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
                    out.write(dumps(story_record(doc)).encode("utf-8", "surrogatepass"))
                    out.write(b"\n")
                timings["write"] += time.perf_counter() - started
                pending.extend(docs)
                pending_chars += sum(len(doc.text) for doc in docs)
                if len(pending) >= SKETCH_STORIES or pending_chars >= SKETCH_CHARS:
                    sketch_pending()

            decided = unit.decided or (None,) * len(unit.files)
            for source, known in zip(unit.files, decided, strict=True):
                before = w.stats.copy()
                stories, quarantined = _process_file(source, known, w, timings, emit)
                stats = w.stats.since(before)
                files.append(
                    {
                        "path": source.path,
                        "bytes": source.size,
                        "stories": stories,
                        "events": dict(stats.events),
                        "chars": dict(stats.chars),
                        "notes": list(stats.notes),
                        "quarantine": [quarantine_record(q) for q in quarantined],
                    }
                )
            sketch_pending()
        table = SketchTable.concat(tables) if tables else SketchTable.from_sketches([], w.cfg.dedup)
        with durable_open(w.work.offsets(unit), "wb") as handle:
            np.savez(handle, allow_pickle=False, offsets=np.array(offsets, dtype=np.int64))
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
) -> tuple[int, list[Quarantined]]:
    """Run one file through the stages, a page (or a batch of records) at a time; return
    its story count. Page files are decoded from bytes; JSONL and Parquet records arrive
    as text and skip decoding."""
    quarantined: list[Quarantined] = []
    stories = 0
    started = time.perf_counter()
    kind, _ = input_kind(source.path)
    try:
        batches = (
            _read_pages(source, decided, w, quarantined)
            if kind == "text"
            else _read_records(source, w, quarantined)
        )
        for docs in batches:
            timings["decode"] += time.perf_counter() - started
            docs = _run_stages(source, docs, w, timings, quarantined)
            emit(docs)
            stories += len(docs)
            started = time.perf_counter()
    except OSError as err:
        reason = _READ_REASONS.get(err.errno or 0, "unreadable")
        detail = f"{os.strerror(err.errno) if err.errno else 'error'}: {err.strerror or err}"
        w.stats.events[f"quarantine.{reason}"] += 1
        quarantined.append(Quarantined(source.path, reason, detail, None, "read", 0, source.size))
    except FormatError as err:  # the whole file is unreadable as records or compressed data
        w.stats.events[f"quarantine.{err.reason}"] += 1
        quarantined.append(
            Quarantined(source.path, err.reason, err.detail, err.offset, "read", 0, source.size)
        )
    return stories, quarantined


def _read_pages(
    source: SourceFile,
    decided: tuple[str, str] | None,
    w: _Worker,
    quarantined: list[Quarantined],
) -> Iterator[list[Document]]:
    """The decoded page, or the decoded parts of a big page file, one at a time."""
    for raw in _read_parts(source, w, quarantined):
        if decided is not None and raw.part is None:
            raw = replace(raw, codec=decided[0], method=decided[1])
        yield list(decode([raw], w.cfg.encoding, w.stats, quarantined, w.survey.folder_codecs))


SKETCH_STORIES = 4096  # stories sketched together (and at most SKETCH_CHARS characters)
SKETCH_CHARS = 1 << 23
RECORD_BATCH = 256  # records run through the stages together: bounded memory, few calls


def _read_records(
    source: SourceFile, w: _Worker, quarantined: list[Quarantined]
) -> Iterator[list[Document]]:
    """JSONL or Parquet records as page documents, in batches. A bad record is quarantined
    with its line (or row) and byte offset; the file's other records go on."""
    cfg = w.cfg.input
    kind, _ = input_kind(source.path)
    errors: list[FormatError] = []
    batch: list[Document] = []
    records = iter_input_records(
        Path(source.location),
        text_field=cfg.text_field,
        id_field=cfg.id_field or None,
        display=source.path,
        errors=errors,
    )
    for record in records:
        extra = json.dumps(record.metadata, ensure_ascii=False, sort_keys=True, default=str)
        page = Document(
            id=record.doc_id,
            text=record.text,
            source=source.path,
            encoding=kind,
            encoding_method="record",
            extra=extra if record.metadata else None,
        )
        size = len(record.text.encode("utf-8", "surrogatepass"))
        admitted = admit(page, w.cfg.encoding, w.stats, quarantined, size)
        if admitted is not None:
            batch.append(admitted)
        if len(batch) == RECORD_BATCH:
            yield batch
            batch = []
        _quarantine_records(errors, kind, w, quarantined)
    _quarantine_records(errors, kind, w, quarantined)
    if batch:
        yield batch


def _quarantine_records(
    errors: list[FormatError], kind: str, w: _Worker, quarantined: list[Quarantined]
) -> None:
    for err in errors:
        w.stats.events[f"quarantine.{err.reason}"] += 1
        detail = f"{'row' if kind == 'parquet' else 'line'} {err.line}: {err.detail}"
        quarantined.append(Quarantined(err.path, err.reason, detail, err.offset, "read"))
    errors.clear()


# The errors io.readers raises for a file it cannot read, as quarantine reasons.
_READ_REASONS = {
    errno.EFBIG: "oversize",
    errno.EINVAL: "not-a-regular-file",
    errno.ENOENT: "vanished",
}


def _read_parts(
    source: SourceFile, w: _Worker, quarantined: list[Quarantined]
) -> Iterator[RawFile]:
    """The file as one RawFile, or, when it is bigger than ``input.part_bytes``, as parts
    cut at line ends (else sentence ends) so that memory stays bounded on a 200 MB line.

    A stretch of ``part_bytes`` with no boundary at all is quarantined as ``oversize-line``
    with its offset and length; the parts around it go on.
    """
    cfg = w.cfg.input
    if input_kind(source.path)[1] is not None:  # compressed: decompressed whole, size-capped
        data = read_input_bytes(Path(source.location), cfg.max_file_bytes, source.path)
        yield RawFile(source.path, data)
        return
    if source.size <= cfg.part_bytes:
        yield read_file(source, cfg.max_file_bytes)
        return
    codec: str | None = None
    pending = b""
    offset = 0  # byte offset of ``pending`` in the file
    first_line = 1
    part = 0
    for block in read_blocks(source, cfg.part_bytes, cfg.max_file_bytes):
        pending += block
        if codec is None:
            codec = head_codec(pending, w.cfg.encoding)
        while len(pending) >= cfg.part_bytes:
            cut = part_boundary(pending[: cfg.part_bytes], codec)
            if cut <= 0:
                cut = char_boundary(pending[: cfg.part_bytes], codec)
                w.stats.events["quarantine.oversize-line"] += 1
                detail = f"no line or sentence end in {cut} bytes (input.part_bytes)"
                quarantined.append(
                    Quarantined(source.path, "oversize-line", detail, offset, "read", 0, cut)
                )
            else:
                yield RawFile(source.path, pending[:cut], offset, first_line, part, codec)
                first_line += pending.count(b"\n", 0, cut)  # ASCII-compatible codecs only
                part += 1
            pending, offset = pending[cut:], offset + cut
    if pending:
        yield RawFile(source.path, pending, offset, first_line, part, codec)


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
        docs = out
        timings[name] += time.perf_counter() - started
    return docs
