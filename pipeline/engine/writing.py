"""The write pass: the shards streamed into the outputs, then every output swapped in.

Most stories are written exactly as their worker wrote them: a kept story that no copy
was removed from is its shard line, byte for byte, and what the books need of it (its
characters, its source) the worker saved beside the shard (``StoryTable.chars``,
``SketchTable.source_index``). Only the lines dedup decided something about are parsed:
a removed copy (to ``duplicates.jsonl`` with where its kept copy is) and a kept copy that
had copies (its ``also_printed_in``, merged fields and collated readings). Memory holds
the removed copies' records until the corpus is written, never the corpus.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from pipeline.config import Config
from pipeline.dedup import Decisions
from pipeline.document import Quarantined
from pipeline.engine.collating import collate_clusters
from pipeline.engine.records import duplicate_record, kept_record, quarantine_record
from pipeline.engine.shards import StoryTable, write_index
from pipeline.engine.units import Unit, WorkDir
from pipeline.io import (
    dumps,
    durable_open,
    write_json,
    write_jsonl,
    write_parquet,
    write_text,
)
from pipeline.report import OutputFolder, render_markdown, render_report, report_data

# What the write pass does with a story's line.
COPY, KEEP_MERGED, DROP = 0, 1, 2


def write_outputs(
    cfg: Config,
    output: Path,
    work: WorkDir,
    units: Sequence[Unit],
    metas: dict[int, dict[str, Any]],
    stories: StoryTable,
    decisions: Decisions,
    skipped: list[Quarantined],
    shown: Any,
) -> dict[str, Any]:
    """Stream the shards into the new outputs (``<name>.new``), then swap them all in;
    ``shown`` is the pass's progress bar (one tick a story). Returns report.json's data."""
    table = stories.table
    action = np.full(len(table), COPY, dtype=np.int8)
    action[stories.rows_of(set(decisions.kept))] = KEEP_MERGED
    action[stories.rows_of(set(decisions.dropped))] = DROP
    # Fields a kept copy takes from removed ones: read those few donors before streaming.
    donor_ids = {donor for kept in decisions.kept.values() for _, donor in kept.merge}
    donors = {r["id"]: r for r in stories.records(stories.rows_of(donor_ids))}
    # Readings a kept copy's reprints outvote (collation): a few changes per story.
    mended, collated = (
        collate_clusters(stories, decisions, cfg.dedup) if cfg.dedup.collate else ({}, Counter())
    )
    duplicates: list[dict[str, Any]] = []
    merged: Counter[int] = Counter()  # characters merged in, by source index
    kept_offsets: list[int] = []

    def corpus_lines() -> Iterator[bytes]:
        """The corpus, line by line (each with its newline), in input order."""
        offset = 0
        for unit, (first, last) in zip(units, _unit_rows(stories, len(units)), strict=True):
            with work.shard(unit).open("rb") as shard:
                for row in range(first, last):
                    line = shard.readline()
                    shown.update()
                    if action[row] == DROP:
                        record = json.loads(line)
                        duplicates.append(duplicate_record(record, decisions.dropped[record["id"]]))
                        continue
                    if action[row] == KEEP_MERGED:
                        record = json.loads(line)
                        record, added = kept_record(
                            record,
                            decisions.kept[record["id"]],
                            donors,
                            mended.get(record["id"], ()),
                        )
                        merged[int(table.source_index[row])] += added
                        line = dumps(record).encode("utf-8", "surrogatepass") + b"\n"
                    kept_offsets.append(offset)
                    offset += len(line)
                    yield line

    # The corpus streams; duplicates are held until the corpus is written.
    with durable_open(output / "corpus.jsonl.new", "wb") as corpus:
        corpus.writelines(corpus_lines())
    write_jsonl(output / "duplicates.jsonl.new", duplicates)
    kept_rows = np.flatnonzero(action[stories.frozen :] != DROP) + stories.frozen
    write_index(
        output,
        table.select(kept_rows),
        cfg.dedup,
        np.array(kept_offsets, dtype=np.int64),
        suffix=".new",
    )
    written = _books(stories, action, merged)
    files = [f for unit in units for f in metas[unit.index]["files"]]
    quarantined = [*skipped, *(Quarantined(**q) for f in files for q in f["quarantine"])]
    write_jsonl(output / "quarantine.jsonl.new", (quarantine_record(q) for q in quarantined))
    data = report_data(cfg, files, quarantined, written, {**decisions.counts, **collated})
    write_json(output / "report.json.new", data)
    write_text(output / "report.md.new", render_markdown(data))
    staged = OutputFolder(output, ".new")
    if cfg.output.parquet:
        write_parquet(output / "corpus.parquet.new", staged.records("corpus.jsonl"))
        write_parquet(
            output / "duplicates.parquet.new", staged.records("duplicates.jsonl"), duplicates=True
        )
    if cfg.output.report_html:
        shown.set_description("write: report.html")
        html = render_report(
            staged,
            input_root=Path(cfg.input.root),
            encoding=cfg.encoding,
            max_pages=cfg.output.report_pages,
            max_clusters=cfg.output.report_clusters,
            budget=cfg.output.report_bytes,
        )
        write_text(output / "report.html.new", html)
    return data


def _unit_rows(stories: StoryTable, count: int) -> list[tuple[int, int]]:
    """The (first, last + 1) table rows of each of the ``count`` units, in order: a unit's
    stories are the rows of its shard (``StoryTable.file_of``), after the frozen ones."""
    files = stories.file_of[stories.frozen :]
    first_file = len(stories.files) - count
    bounds = np.searchsorted(files, np.arange(first_file, first_file + count + 1))
    return [
        (stories.frozen + int(a), stories.frozen + int(b)) for a, b in pairwise(bounds.tolist())
    ]


def _books(
    stories: StoryTable, action: npt.NDArray[np.int8], merged: Counter[int]
) -> dict[str, Counter[str]]:
    """Per source: characters and stories kept and removed as duplicates, characters
    merged in from removed copies; summed over the table's columns, not the records."""
    table = stories.table
    rows = np.arange(stories.frozen, len(table))
    source = table.source_index[rows]
    chars = stories.chars[rows]
    dropped = action[rows] == DROP
    sources = len(table.sources)
    columns = {
        "kept": np.bincount(source[~dropped], chars[~dropped], minlength=sources),
        "kept_stories": np.bincount(source[~dropped], minlength=sources),
        "duplicates": np.bincount(source[dropped], chars[dropped], minlength=sources),
        "duplicate_stories": np.bincount(source[dropped], minlength=sources),
    }
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for index in np.unique(source).tolist():
        counts = written[bytes(table.sources[index]).decode("utf-8")]
        for name, column in columns.items():
            counts[name] += int(column[index])
        counts["merged"] += merged[index]
        counts["kept"] += merged[index]  # a kept copy's characters as written, merges in
    return written
