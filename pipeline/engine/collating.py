"""Collation over a run: each kept story mended by its removed copies, cluster by cluster.

The rules are ``pipeline.dedup.collation``'s; this is where the run reads the copies. A
cluster's texts are read back from the shards (``StoryTable.records``) a batch of clusters
at a time, at most ``dedup.verify_batch`` stories and ``VERIFY_CHARS`` key characters, so
memory holds the changes (a few per story), never the corpus text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline.config import DedupConfig
from pipeline.dedup import MIN_SUPPORT, Change, Decisions, collate
from pipeline.engine.shards import StoryTable

VERIFY_CHARS = 1 << 25  # key characters of the texts held at once (as verification)


def collate_clusters(
    stories: StoryTable, decisions: Decisions, cfg: DedupConfig
) -> tuple[dict[str, list[Change]], Counter[str]]:
    """The changes of every kept story of this run that a majority of its copies outvote,
    by story id, and the counts for report.json (``collated`` changes in
    ``collated_stories`` stories)."""
    changes: dict[str, list[Change]] = {}
    counts: Counter[str] = Counter(collated=0, collated_stories=0)
    for batch in _batches(stories, decisions, cfg):
        wanted = {i for kept, removed in batch for i in (kept, *removed)}
        records = {r["id"]: r for r in stories.records(stories.rows_of(wanted))}
        for kept, removed in batch:
            copies = [(i, str(records[i]["text"])) for i in removed]
            mine = _converted(records[kept])
            others = {i for i in removed if _converted(records[i]) != mine}
            found = collate(str(records[kept]["text"]), copies, others)
            if found:
                changes[kept] = found
                counts["collated"] += len(found)
                counts["collated_stories"] += 1
    return changes, counts


def _converted(record: dict[str, Any]) -> bool:
    """Whether the convert stage changed this story's script (a ``convert.*`` step)."""
    return any(str(step).startswith("convert.") for step in record["metadata"]["steps"])


def _batches(
    stories: StoryTable, decisions: Decisions, cfg: DedupConfig
) -> Iterator[list[tuple[str, tuple[str, ...]]]]:
    """(kept id, removed ids) of the clusters to collate, a bounded batch at a time, in
    sorted order of the kept ids (any order gives the same changes)."""
    table = stories.table
    ids = {bytes(i).decode("utf-8"): row for row, i in enumerate(table.ids.tolist())}
    batch: list[tuple[str, tuple[str, ...]]] = []
    size = chars = 0
    for kept in sorted(decisions.kept):
        removed = tuple(i for i, _ in decisions.kept[kept].also_printed_in)
        if len(removed) < MIN_SUPPORT or ids[kept] < stories.frozen:
            continue  # too few copies to outvote it, or an earlier corpus's story
        rows = [ids[i] for i in (kept, *removed)]
        cluster = int(np.sum(table.key_length[rows]))
        if batch and (size + len(rows) > cfg.verify_batch or chars + cluster > VERIFY_CHARS):
            yield batch
            batch, size, chars = [], 0, 0
        batch.append((kept, removed))
        size, chars = size + len(rows), chars + cluster
    if batch:
        yield batch
