"""The long-paragraph bench runs and joins what it says it joins."""

from __future__ import annotations

import pytest
from pipeline.layout.lines import join_broken_lines

from bench.bench_lines import main, make_lines


def test_the_lines_make_one_paragraph_and_the_baseline_one_a_line() -> None:
    lines = make_lines(50)
    assert join_broken_lines("\n".join(lines)) == "".join(lines)
    assert join_broken_lines("\n".join(line + "。" for line in lines)).count("\n") == 49


def test_main_prints_a_row_per_size(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--lines", "20", "40"])
    rows = capsys.readouterr().out.splitlines()
    assert [row.split(" | ")[0] for row in rows[2:]] == ["| 20", "| 40"]
