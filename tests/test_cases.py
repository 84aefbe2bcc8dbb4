"""Table-driven cases from ``tests/cases/*.toml`` (like ftfy's ``test_examples_in_json``).

Each file names the stage it exercises; each case has a label, an input, what it must give,
and ``expect = "xfail"`` (with the reason in ``comment``) for a known failure.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.layout.lines import dehyphenate, join_broken_lines
from pipeline.layout.segmentation import Story, split_stories

CASES = Path(__file__).parent / "cases"


def _check_lines(case: dict[str, Any]) -> None:
    function = {"join_broken_lines": join_broken_lines, "dehyphenate": dehyphenate}
    fn: Callable[[str], str] = function[case.get("function", "join_broken_lines")]
    assert fn(case["input"]) == case["expected"]


def _check_segment(case: dict[str, Any]) -> None:
    stories = split_stories(case["input"])
    assert len(stories) == len(case["stories"]), [s.title or s.text[:10] for s in stories]
    for story, expected in zip(stories, case["stories"], strict=True):
        for name, value in expected.items():
            got = _field(story, name)
            assert got == value, f"{name}: {got!r} != {value!r}"


def _field(story: Story, name: str) -> Any:
    value = getattr(story, name)
    if isinstance(value, tuple):
        return list(value)
    return "" if value is None and name in ("title", "kicker", "deck", "byline") else value


CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "lines": _check_lines,
    "segment": _check_segment,
}


def _cases() -> list[Any]:
    params = []
    for stage in CHECKS:  # normalize.toml has its runner in test_normalize.py
        path = CASES / f"{stage}.toml"
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            marks = []
            if case.get("expect", "pass") == "xfail":
                marks.append(pytest.mark.xfail(reason=case.get("comment", ""), strict=True))
            params.append(pytest.param(stage, case, marks=marks, id=f"{stage}: {case['label']}"))
    return params


@pytest.mark.parametrize(("stage", "case"), _cases())
def test_case(stage: str, case: dict[str, Any]) -> None:
    CHECKS[stage](case)
