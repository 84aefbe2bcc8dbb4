"""A story's provenance is its own (issue #17 item 9): the steps that changed it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.cli import main
from pipeline.document import Document, Stats
from pipeline.engine.provenance import finish_stories

FIRST = "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开，总结交流产业工会工作经验。"
SECOND = "本报讯(记者李玉波)内蒙古自治区总工会日前召开会议,部署困难职工帮扶工作。"  # ASCII marks


def clean(tmp_path: Path, files: dict[str, bytes], *args: str) -> list[dict[str, Any]]:
    src = tmp_path / "in"
    for name, data in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
    out = tmp_path / "out"
    argv = ["clean", "--quiet", "--workers", "1", "--input", str(src), "--output", str(out)]
    assert main([*argv, *args]) == 0
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


# --- item 9: a story lists the steps that changed it, not its page's ----------------------


def test_a_story_lists_only_the_steps_that_changed_its_lines(tmp_path: Path) -> None:
    page = f"江西召开产业工会会议\n{FIRST}\n\n内蒙古帮扶困难职工\n{SECOND}\n"
    first, second = clean(tmp_path, {"page.txt": page.encode()})
    assert first["text"] == FIRST and "normalize_punctuation" not in first["metadata"]["steps"]
    assert second["metadata"]["steps"] == ["normalize_punctuation"]
    assert second["text"].startswith("本报讯（记者李玉波）")


def test_a_step_without_line_facts_stays_with_every_story() -> None:
    page = Document(
        "p", "", "a.txt", "utf_8", steps=("custom", "normalize_quotes"), step_lines=((1, 5, 5),)
    )
    one = replace(page, id="p-s01", parent_id="p", line_span=(1, 3))
    two = replace(page, id="p-s02", parent_id="p", line_span=(4, 6))
    one, two = finish_stories([one, two], Stats())
    assert (one.steps, two.steps) == (("custom",), ("custom", "normalize_quotes"))
    assert one.step_lines == two.step_lines == ()
