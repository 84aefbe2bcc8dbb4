"""The knob-by-knob table (``bench.sensitivity``)."""

from __future__ import annotations

from pipeline.config import LinesConfig, SegmentConfig

from bench.eval_lines import evaluate
from bench.generate import generate_pages
from bench.sensitivity import measures, report, variants
from bench.tests.conftest import SMALL


def test_each_setting_moves_one_group_of_knobs_from_the_defaults() -> None:
    settings = variants(SMALL)
    assert next(iter(settings)) == "defaults" and settings["defaults"] == SMALL
    for name, knobs in list(settings.items())[1:]:
        moved = [
            group
            for group in ("layout", "story", "page")
            if getattr(knobs, group) != getattr(SMALL, group)
        ]
        assert len(moved) == 1, name


def test_a_setting_changes_the_pages_and_the_table_has_a_row_per_setting(prose) -> None:  # type: ignore[no-untyped-def]
    simplified, traditional = prose
    settings = variants(SMALL)
    rows = {}
    pages = {}
    for name in ("defaults", "every page indents"):
        pages[name] = list(generate_pages(3, 3, settings[name], simplified, traditional))
        rows[name] = measures(evaluate(pages[name], LinesConfig(), SegmentConfig()))
    assert [p.raw for p in pages["defaults"]] != [p.raw for p in pages["every page indents"]]
    table = report(rows)
    assert len(table.splitlines()) == 4 and "| every page indents |" in table
