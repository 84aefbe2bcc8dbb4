"""The truth-trained layout yardstick for line repair (``bench.layout_baseline``)."""

from __future__ import annotations

import pytest
from pipeline.config import LinesConfig

from bench.generate import generate_pages
from bench.layout_baseline import LayoutBreak, errors, learn, page_breaks, report
from bench.tests.conftest import SMALL


def _break(signature: str, boundary: bool, kept: bool = True) -> LayoutBreak:
    return LayoutBreak((signature,), boundary, kept)


def test_the_majority_is_learned_per_signature_and_a_tie_keeps_the_boundary() -> None:
    breaks = [_break("a", False), _break("a", False), _break("a", True)]
    breaks += [_break("b", True), _break("b", False)]
    assert learn(breaks) == {("a",): False, ("b",): True}


def test_errors_count_wraps_kept_and_boundaries_joined_and_unseen_keeps() -> None:
    breaks = [_break("a", False), _break("a", True), _break("c", False, kept=False)]
    by_rule = errors(breaks, {("a",): False})
    assert (by_rule.wraps_kept, by_rule.boundaries_joined) == (1, 1)  # "c" unseen: kept
    pipeline = errors(breaks, None)
    assert (pipeline.wraps_kept, pipeline.boundaries_joined) == (1, 0)


def test_on_its_own_training_pages_the_majority_is_no_worse_than_keeping(prose) -> None:  # type: ignore[no-untyped-def]
    simplified, traditional = prose
    pages = list(generate_pages(7, 4, SMALL, simplified, traditional))
    breaks = [b for page in pages for b in page_breaks(page, LinesConfig()).breaks]
    assert breaks and any(not b.boundary for b in breaks)  # wraps after a sentence end exist
    assert errors(breaks, learn(breaks)).total <= errors(breaks, {}).total
    table = report({7: pages}, {8: list(generate_pages(8, 2, SMALL, simplified, traditional))})
    assert (
        "| 8 | after a sentence end |" in table and "| 8 | after a headline-shaped line |" in table
    )


def test_breaks_without_pipeline_decisions_cannot_score_the_pipeline() -> None:
    with pytest.raises(ValueError, match="no pipeline decisions"):
        errors([LayoutBreak(("a",), True, None)], None)
