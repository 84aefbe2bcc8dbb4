"""Run the pipeline over a folder of page dumps.

The run has four passes, so that memory grows with the dedup sketches only, never with the
corpus text:

1. **discover** the input files (sorted) and cut them into *units* of work;
2. **survey** every file's encoding, so that a file too short to detect can take its
   folder's codec;
3. **process** each unit in a worker process: read, decode, the per-page stages of
   :func:`build_stages`, and a dedup sketch per story. A unit's stories go to a shard in
   ``<output>/.work/``; a marker written after the shard is durable makes the unit done;
4. **decide** duplicates over all sketches at once, then **write** the outputs by
   streaming the shards in input order. Outputs are replaced atomically at the very end.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from pipeline.config import Config
from pipeline.convert import Converter, convert
from pipeline.dedup import Sketch, decide, sketch
from pipeline.document import Document, Quarantined, Stage, Stats
from pipeline.encoding import decode, decode_bytes, majority_codec
from pipeline.errors import DecodeError, PipelineError
from pipeline.lines import repair_lines
from pipeline.normalize import normalize
from pipeline.readers import SourceFile, discover, read_file
from pipeline.report import render_markdown
from pipeline.segment import Furniture, furniture_candidates, learn_furniture, segment
from pipeline.writers import (
    dumps,
    duplicate_record,
    quarantine_record,
    record_chars,
    remove_stale_temps,
    story_record,
    write_json,
    write_jsonl,
    write_text,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

WORK_DIR = ".work"
OUTPUT_FILES = ("corpus.jsonl", "duplicates.jsonl", "quarantine.jsonl", "report.json", "report.md")
DEPENDENCIES = ("charset-normalizer", "datasketch", "ftfy", "numpy", "opencc", "tqdm")


def build_stages(
    cfg: Config, stats: Stats, furniture: Furniture | None = None
) -> list[tuple[str, Stage]]:
    """The per-page stages, in the design card's order. Decoding comes before (it takes
    bytes), deduplication after (it needs every story of the run). ``furniture`` is what
    the survey pass learned about each source folder's running heads."""
    return [
        ("normalize", partial(normalize, cfg=cfg.normalize, stats=stats)),
        ("convert", partial(convert, cfg=cfg.convert, stats=stats)),
        ("lines", partial(repair_lines, cfg=cfg.lines, stats=stats)),
        ("segment", partial(segment, cfg=cfg.segment, stats=stats, furniture=furniture)),
    ]


@dataclass(slots=True)
class Report:
    """What a run did. ``data`` is the content of ``report.json``."""

    output: Path
    data: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def quarantined(self) -> int:
        return int(self.data["accounting"]["files"]["quarantined"])


@dataclass(frozen=True, slots=True)
class Unit:
    """A slice of the sorted input, processed and committed as one piece."""

    index: int
    files: tuple[SourceFile, ...]

    @property
    def name(self) -> str:
        return f"unit-{self.index:06d}"


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


# --- worker side ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Survey:
    """What the whole run must know before any page is processed."""

    folder_codecs: dict[str, str] = field(default_factory=dict)
    furniture: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(slots=True)
class _Worker:
    cfg: Config
    work: Path
    survey: Survey
    stats: Stats
    stages: list[tuple[str, Stage]]


_WORKER: _Worker | None = None  # set once per worker process by _init_worker


def _init_worker(cfg: Config, work: Path, survey: Survey) -> None:
    global _WORKER
    stats = Stats()
    _WORKER = _Worker(cfg, work, survey, stats, build_stages(cfg, stats, survey.furniture))


def _survey_file(source: SourceFile) -> tuple[str, str | None, list[str]]:
    """Worker: the codec a file decodes with on its own (None when it is too short to tell
    or does not decode) and its candidate furniture lines, after normalise and convert."""
    assert _WORKER is not None
    w = _WORKER
    try:
        raw = read_file(source, w.cfg.input.max_file_bytes)
        decoded = decode_bytes(raw.data, w.cfg.encoding)
    except (OSError, DecodeError):
        return source.path, None, []
    codec = decoded.encoding if len(raw.data) >= w.cfg.encoding.min_detect_bytes else None
    page = Document("survey", decoded.text, source.path, decoded.encoding)
    scratch = Stats()
    for doc in convert(normalize([page], w.cfg.normalize, scratch), w.cfg.convert, scratch):
        return source.path, codec, furniture_candidates(doc.text)
    return source.path, codec, []


def _process_unit(unit: Unit) -> dict[str, Any]:
    """Worker: process one unit, write its shard and meta, then its marker."""
    assert _WORKER is not None
    w = _WORKER
    files: list[dict[str, Any]] = []
    sketches: list[Sketch] = []
    timings: dict[str, float] = defaultdict(float)
    shard = w.work / f"{unit.name}.jsonl"
    with shard.open("w", encoding="utf-8", newline="\n") as out:
        for source in unit.files:
            before = w.stats.copy()
            stories, quarantined = _process_file(source, w, timings)
            for doc in stories:
                out.write(dumps(story_record(doc)))
                out.write("\n")
                sketches.append(sketch(doc, w.cfg.dedup))
            stats = w.stats.since(before)
            files.append(
                {
                    "path": source.path,
                    "bytes": source.size,
                    "stories": len(stories),
                    "events": dict(stats.events),
                    "chars": dict(stats.chars),
                    "quarantine": [quarantine_record(q) for q in quarantined],
                }
            )
        out.flush()
        os.fsync(out.fileno())
    meta = {
        "files": files,
        "sketches": [[s.id, s.key_hash, s.key_length] for s in sketches],
        "timings": dict(timings),
    }
    _write_durable(
        w.work / f"{unit.name}.meta.json", json.dumps(meta, ensure_ascii=False, sort_keys=True)
    )
    _write_durable(w.work / f"{unit.name}.done", "")
    return meta


def _write_durable(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _process_file(
    source: SourceFile, w: _Worker, timings: dict[str, float]
) -> tuple[list[Document], list[Quarantined]]:
    quarantined: list[Quarantined] = []
    started = time.perf_counter()
    try:
        raw = read_file(source, w.cfg.input.max_file_bytes)
    except OSError as err:
        reason = {27: "oversize", 22: "not-a-regular-file"}.get(err.errno or 0, "unreadable")
        detail = f"{os.strerror(err.errno) if err.errno else 'error'}: {err.strerror or err}"
        w.stats.events[f"quarantine.{reason}"] += 1
        return [], [Quarantined(source.path, reason, detail, None, "read", 0, source.size)]
    docs = list(decode([raw], w.cfg.encoding, w.stats, quarantined, w.survey.folder_codecs))
    timings["decode"] += time.perf_counter() - started
    for name, stage in w.stages:
        started = time.perf_counter()
        snapshot = w.stats.copy()
        w.stats.events[f"{name}.docs_in"] += len(docs)
        w.stats.events[f"{name}.chars_in"] += sum(len(d.field_text()) for d in docs)
        try:
            out = list(stage(docs))
        except Exception as err:  # one bad document must not end the run: quarantine it
            w.stats.events.clear()
            w.stats.events.update(snapshot.events)
            w.stats.chars.clear()
            w.stats.chars.update(snapshot.chars)
            lost = sum(len(d.field_text()) for d in docs)
            w.stats.events["quarantine.stage-error"] += 1
            w.stats.chars["quarantined"] += lost
            detail = f"{type(err).__name__}: {err}"
            logger.warning("%s: stage %s failed: %s", source.path, name, detail)
            quarantined.append(Quarantined(source.path, "stage-error", detail, None, name, lost, 0))
            return [], quarantined
        w.stats.events[f"{name}.docs_out"] += len(out)
        w.stats.events[f"{name}.chars_out"] += sum(len(d.field_text()) for d in out)
        docs = out
        timings[name] += time.perf_counter() - started
    return docs, quarantined


# --- driver side ------------------------------------------------------------------------


def run_pipeline(
    cfg: Config,
    *,
    resume: bool = False,
    progress: bool = False,
    on_file: Callable[[int], None] | None = None,
) -> Report:
    """Run every pass over ``cfg.input.root`` and write the outputs to ``cfg.output.root``.

    Raises:
        PipelineError: the input folder is missing, the output cannot be written, or a
            resumed run's config, code or input changed since it was interrupted.
    """
    started = time.perf_counter()
    try:
        files, skipped = discover(cfg.input)
    except FileNotFoundError as err:
        msg = f"{cfg.input.root}: input folder not found"
        raise PipelineError(msg) from err
    output = Path(cfg.output.root)
    try:
        output.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(output)
    except OSError as err:
        msg = f"{output}: cannot write output folder: {err.strerror or err}"
        raise PipelineError(msg) from err
    units = plan_units(files, cfg.run.unit_files, cfg.run.unit_bytes)
    work = _prepare_work(output / WORK_DIR, _fingerprint(cfg, units), resume)
    workers = _worker_count(cfg)
    timings: dict[str, float] = defaultdict(float)

    t0 = time.perf_counter()
    surveyed = list(
        _parallel(
            _survey_file,
            files,
            workers,
            (cfg, work, Survey()),
            progress,
            "survey",
            lambda s: s.size,
        )
    )
    survey = Survey(
        _folder_codecs((path, codec) for path, codec, _ in surveyed),
        learn_furniture(
            ((path.rpartition("/")[0], lines) for path, _, lines in surveyed), cfg.segment
        ),
    )
    timings["survey"] = time.perf_counter() - t0

    init = (cfg, work, survey)
    metas: dict[int, dict[str, Any]] = {}
    todo: list[Unit] = []
    for unit in units:
        if (work / f"{unit.name}.done").exists():
            metas[unit.index] = json.loads(
                (work / f"{unit.name}.meta.json").read_text(encoding="utf-8")
            )
        else:
            todo.append(unit)
    for unit, meta in zip(
        todo,
        _parallel(
            _process_unit,
            todo,
            workers,
            init,
            progress,
            "process",
            lambda u: sum(f.size for f in u.files),
        ),
        strict=True,
    ):
        metas[unit.index] = meta
        if on_file is not None:
            on_file(len(unit.files))
    for meta in metas.values():  # per-stage CPU seconds, summed over workers
        for stage, seconds in meta.get("timings", {}).items():
            timings[stage] += seconds

    t0 = time.perf_counter()
    sketches = (Sketch(*row) for u in units for row in metas[u.index]["sketches"])
    decisions = decide(sketches, cfg.dedup)
    timings["dedup"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    try:
        data = _write_outputs(cfg, output, work, units, metas, decisions, skipped)
    except OSError as err:
        msg = f"{output}: cannot write output: {err.strerror or err}"
        raise PipelineError(msg) from err
    timings["write"] = time.perf_counter() - t0
    shutil.rmtree(work, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    return Report(output, data, dict(timings))


def _worker_count(cfg: Config) -> int:
    return cfg.run.workers or os.cpu_count() or 1


def _parallel(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    init: tuple[Config, Path, Survey],
    progress: bool,
    label: str,
    size: Callable[[T], int],
) -> Iterator[R]:
    """``map(fn, items)`` in input order, over ``workers`` processes, with a progress bar."""
    from tqdm import tqdm

    bar = tqdm(
        total=sum(size(i) for i in items),
        desc=label,
        unit="B",
        unit_scale=True,
        disable=not progress,
        leave=False,
    )
    try:
        if workers <= 1 or len(items) <= 1:
            _init_worker(*init)
            for item in items:
                yield fn(item)
                bar.update(size(item))
            return
        ctx = get_context("spawn")  # no fork: a forked tqdm or OpenCC thread could deadlock
        with ProcessPoolExecutor(
            min(workers, len(items)), mp_context=ctx, initializer=_init_worker, initargs=init
        ) as pool:
            for item, result in zip(items, pool.map(fn, items), strict=True):
                yield result
                bar.update(size(item))
    finally:
        bar.close()


def _folder_codecs(surveyed: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    by_folder: dict[str, list[str]] = defaultdict(list)
    for path, codec in surveyed:
        if codec is not None:
            by_folder[path.rpartition("/")[0]].append(codec)
    codecs = {folder: majority_codec(seen) for folder, seen in by_folder.items()}
    return {folder: codec for folder, codec in sorted(codecs.items()) if codec is not None}


def _fingerprint(cfg: Config, units: Sequence[Unit]) -> str:
    """What a resumed run must share with the interrupted one: config, code, input."""
    digest = hashlib.sha256()
    settings = cfg.to_dict()
    settings.pop("run")  # worker count and unit sizes never change the output... but units do:
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for source_file in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source_file.read_bytes())
    for unit in units:
        for f in unit.files:
            digest.update(f"{unit.index}\0{f.path}\0{f.size}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _prepare_work(work: Path, fingerprint: str, resume: bool) -> Path:
    stamp = work / "fingerprint"
    if resume and stamp.exists():
        if stamp.read_text(encoding="utf-8") != fingerprint:
            msg = (
                f"{work.parent}: cannot resume: the config, the code or the input changed since "
                "the interrupted run; run again without --resume to start over"
            )
            raise PipelineError(msg)
        remove_stale_temps(work)
        return work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    _write_durable(stamp, fingerprint)
    return work


def _write_outputs(
    cfg: Config,
    output: Path,
    work: Path,
    units: Sequence[Unit],
    metas: dict[int, dict[str, Any]],
    decisions: dict[str, Any],
    skipped: list[Quarantined],
) -> dict[str, Any]:
    chars: Counter[str] = Counter()
    by_file: dict[str, Counter[str]] = defaultdict(Counter)
    kept_stories = dropped_stories = 0

    def shard_records() -> Iterator[dict[str, Any]]:
        for unit in units:
            with (work / f"{unit.name}.jsonl").open(encoding="utf-8") as shard:
                for line in shard:
                    yield json.loads(line)

    duplicates: list[dict[str, Any]] = []

    def kept() -> Iterator[dict[str, Any]]:
        nonlocal kept_stories, dropped_stories
        for record in shard_records():
            decision = decisions.get(record["id"])
            size = record_chars(record)
            if decision is None:
                kept_stories += 1
                by_file[record["metadata"]["source"]]["kept"] += size
                yield record
            else:
                dropped_stories += 1
                by_file[record["metadata"]["source"]]["duplicates"] += size
                duplicates.append(duplicate_record(record, decision))

    # The corpus streams; duplicates are few and held until the corpus is written.
    write_jsonl(output / "corpus.jsonl.new", kept())
    write_jsonl(output / "duplicates.jsonl.new", duplicates)
    quarantined = [*skipped, *(_quarantined(metas, units))]
    write_jsonl(output / "quarantine.jsonl.new", (quarantine_record(q) for q in quarantined))
    for counts in by_file.values():
        chars.update(counts)
    data = _report_data(
        cfg, units, metas, quarantined, chars, by_file, kept_stories, dropped_stories
    )
    write_json(output / "report.json.new", data)
    write_text(output / "report.md.new", render_markdown(data))
    for name in OUTPUT_FILES:  # all new files are durable: now swap them in
        (output / f"{name}.new").replace(output / name)
    return data


def _quarantined(metas: dict[int, dict[str, Any]], units: Sequence[Unit]) -> Iterator[Quarantined]:
    for unit in units:
        for f in metas[unit.index]["files"]:
            for q in f["quarantine"]:
                yield Quarantined(**q)


def _report_data(
    cfg: Config,
    units: Sequence[Unit],
    metas: dict[int, dict[str, Any]],
    quarantined: list[Quarantined],
    chars: Counter[str],
    by_file: dict[str, Counter[str]],
    kept_stories: int,
    dropped_stories: int,
) -> dict[str, Any]:
    events: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    per_file = []
    for unit in units:
        for f in metas[unit.index]["files"]:
            events.update(f["events"])
            rules.update(f["chars"])
            per_file.append(_file_accounting(f, by_file.get(f["path"], Counter())))
    decoded = rules.pop("decoded", 0)
    lost = rules.pop("quarantined", 0)
    removed = {rule: n for rule, n in sorted(rules.items()) if n}
    balance = decoded - chars["kept"] - chars["duplicates"] - lost - sum(removed.values())
    files_in = sum(len(u.files) for u in units)
    q_files = len({q.path for q in quarantined if q.stage != "discover"})
    return {
        "accounting": {
            "chars": {
                "decoded": decoded,
                "kept": chars["kept"],
                "duplicates": chars["duplicates"],
                "quarantined": lost,
                "removed_by_rule": removed,
                "unaccounted": balance,
            },
            "files": {
                "found": files_in,
                "with_stories": sum(1 for f in per_file if f["stories"]),
                "quarantined": q_files,
                "set_aside": sum(1 for q in quarantined if q.stage == "discover"),
            },
            "stories": {
                "found": kept_stories + dropped_stories,
                "kept": kept_stories,
                "duplicates": dropped_stories,
            },
        },
        "config": _output_config(cfg),
        "counts": {k: v for k, v in sorted(events.items()) if not k.endswith(("_in", "_out"))},
        "stages": _stage_table(events),
        "files": per_file,
        "quarantine_reasons": dict(sorted(Counter(q.reason for q in quarantined).items())),
        "versions": _versions(),
    }


def _output_config(cfg: Config) -> dict[str, Any]:
    """The settings that decide the output bytes. Execution settings (``run``: worker count,
    unit sizes) and where the output went are left out, so any worker count writes the same
    report, and the report does not depend on the folder it was written to."""
    settings = cfg.to_dict()
    del settings["run"]
    del settings["output"]["root"]
    return settings


def _file_accounting(f: dict[str, Any], written: Counter[str]) -> dict[str, Any]:
    chars = dict(f["chars"])
    decoded = chars.pop("decoded", 0)
    lost = chars.pop("quarantined", 0)
    removed = {k: v for k, v in sorted(chars.items()) if v}
    return {
        "path": f["path"],
        "bytes": f["bytes"],
        "stories": f["stories"],
        "encoding": next(
            (k.split(".", 1)[1] for k in sorted(f["events"]) if k.startswith("encoding.")), None
        ),
        "quarantine": sorted({q["reason"] for q in f["quarantine"]}),
        "chars": {
            "decoded": decoded,
            "kept": written["kept"],
            "duplicates": written["duplicates"],
            "quarantined": lost,
            "removed_by_rule": removed,
            "unaccounted": decoded
            - written["kept"]
            - written["duplicates"]
            - lost
            - sum(removed.values()),
        },
    }


def _stage_table(events: Counter[str]) -> dict[str, dict[str, int]]:
    """``{"normalize": {"docs_in": .., "docs_out": .., "chars_in": .., "chars_out": ..}}``."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for key, value in events.items():
        stage, _, measure = key.rpartition(".")
        if measure in ("docs_in", "docs_out", "chars_in", "chars_out"):
            table[stage][measure] = value
    return dict(sorted(table.items()))


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def validate(cfg: Config) -> None:
    """Fail fast on settings only a library can check (the OpenCC config name)."""
    if cfg.convert.config != "none":
        Converter(cfg.convert.config)
