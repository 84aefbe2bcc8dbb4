"""Stories -> duplicate decisions: dedup keys, MinHash sketches, the index, verified
candidates, clusters and the best copy of each."""

from __future__ import annotations

from pipeline.dedup.candidates import candidate_pairs
from pipeline.dedup.collation import MIN_SUPPORT, Change, apply_changes, collate
from pipeline.dedup.index import (
    INDEX_JSON,
    INDEX_NPZ,
    SketchTable,
    load_index,
    load_sketches,
    save_index,
    save_sketches,
)
from pipeline.dedup.stage import (
    KEY_VERSION,
    Decision,
    Decisions,
    Deduplicator,
    Kept,
    decide,
    dedup_key,
    drop_duplicates,
    sketch_table,
)

__all__ = [
    "INDEX_JSON",
    "INDEX_NPZ",
    "KEY_VERSION",
    "MIN_SUPPORT",
    "Change",
    "Decision",
    "Decisions",
    "Deduplicator",
    "Kept",
    "SketchTable",
    "apply_changes",
    "candidate_pairs",
    "collate",
    "decide",
    "dedup_key",
    "drop_duplicates",
    "load_index",
    "load_sketches",
    "save_index",
    "save_sketches",
    "sketch_table",
]
