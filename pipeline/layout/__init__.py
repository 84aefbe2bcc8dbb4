"""The lines of a page -> stories: line shapes and facts, column-break repair, hyphens,
page furniture and story segmentation."""

from __future__ import annotations

from pipeline.layout.furniture import (
    Furniture,
    furniture_candidates,
    learn_furniture,
    strip_furniture,
)
from pipeline.layout.lines import dehyphenate, join_broken_lines, repair_lines
from pipeline.layout.segmentation import segment, split_stories
from pipeline.layout.shapes import EDGE_LINES
from pipeline.layout.stories import Story

__all__ = [
    "EDGE_LINES",
    "Furniture",
    "Story",
    "dehyphenate",
    "furniture_candidates",
    "join_broken_lines",
    "learn_furniture",
    "repair_lines",
    "segment",
    "split_stories",
    "strip_furniture",
]
