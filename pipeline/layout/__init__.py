"""The lines of a page -> stories: line shapes and facts, the line model, column-break
repair, hyphens, page furniture, what a run learns of each folder's headlines, and story
segmentation."""

from __future__ import annotations

from pipeline.layout.adapt import FolderTexts, headline_examples, learn_folders
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
    "FolderTexts",
    "Furniture",
    "Story",
    "dehyphenate",
    "furniture_candidates",
    "headline_examples",
    "join_broken_lines",
    "learn_folders",
    "learn_furniture",
    "repair_lines",
    "segment",
    "split_stories",
    "strip_furniture",
]
