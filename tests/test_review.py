from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sample_run import BIG5_ID, KEPT_ID, REMOVED_ID, SampleRun, write_sample_run

from pipeline.cli import main
from pipeline.report.review import (
    OutputFolder,
    ReviewError,
    StoryNotFoundError,
    diff_outputs,
    explain,
    inline_diff,
)


@pytest.fixture
def run(tmp_path: Path) -> SampleRun:
    return write_sample_run(tmp_path)


def rewrite(folder: Path, name: str, edit: object) -> None:
    """Apply ``edit(records) -> records`` to ``folder/name``."""
    path = folder / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = edit(rows)  # type: ignore[operator]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def test_explain_a_kept_story(run: SampleRun) -> None:
    text = explain(OutputFolder(run.output), KEPT_ID)
    assert "source      workers-daily/2017-08-28-page.txt" in text
    assert "lines       3–5" in text
    assert "encoding    utf_8 (the whole file is valid UTF-8)" in text
    assert "steps       normalize_punctuation → lines.join" in text
    assert "title       尤溪县总用劳模智慧培育新工匠" in text
    assert "kept copy; 1 removed as its duplicates:" in text
    assert f"{REMOVED_ID} (kind near, similarity 0.844, jaccard 0.812, containment 0.969)" in text


def test_explain_a_removed_story(run: SampleRun) -> None:
    text = explain(OutputFolder(run.output), REMOVED_ID)
    assert "status      removed" in text
    assert f"removed as a duplicate of {KEPT_ID} (kind near, similarity 0.844" in text


def test_explain_a_converted_story(run: SampleRun) -> None:
    text = explain(OutputFolder(run.output), f"{BIG5_ID}-s01")
    assert "big5hkscs (detected among encoding.candidates" in text
    assert "script      traditional, converted with OpenCC t2s" in text
    assert "no copy of this story was removed" in text


def test_explain_suggests_close_ids(run: SampleRun) -> None:
    with pytest.raises(StoryNotFoundError, match=f"did you mean {KEPT_ID}"):
        explain(OutputFolder(run.output), KEPT_ID.replace("s01", "s1"))


def test_explain_cli_exit_codes(run: SampleRun, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", KEPT_ID, "--output", str(run.output)]) == 0
    assert "尤溪县" in capsys.readouterr().out
    assert main(["explain", "nope-s01", "--output", str(run.output)]) == 1
    assert "no story 'nope-s01'" in capsys.readouterr().err
    assert main(["explain", KEPT_ID, "--output", str(run.output / "missing")]) == 2
    assert "no such output folder" in capsys.readouterr().err


def test_bad_jsonl_names_file_and_line(run: SampleRun) -> None:
    with (run.output / "duplicates.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    with pytest.raises(ReviewError, match=r"duplicates.jsonl:2: not a JSON record"):
        explain(OutputFolder(run.output), KEPT_ID)


@pytest.fixture
def two_runs(run: SampleRun, tmp_path: Path) -> tuple[Path, Path]:
    other = tmp_path / "other"
    shutil.copytree(run.output, other)
    return run.output, other


def test_diff_identical(two_runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_runs
    result = diff_outputs(OutputFolder(a), OutputFolder(b))
    assert result.identical and result.format() == (
        "identical: 4 stories, same quarantine and report"
    )
    assert main(["diff", str(a), str(b)]) == 0


def test_diff_added_removed_changed(
    two_runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = two_runs

    def edit(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        rows = [r for r in rows if r["id"] != f"{BIG5_ID}-s01"]
        for r in rows:
            if r["id"] == KEPT_ID:
                r["text"] = str(r["text"]).replace("今年以来", "今年上半年")
        return [*rows, {"id": "new-s01", "text": "新闻", "metadata": {}}]

    rewrite(b, "corpus.jsonl", edit)
    rewrite(b, "duplicates.jsonl", lambda rows: [{**r, "similarity": 0.9} for r in rows])
    rewrite(b, "quarantine.jsonl", lambda rows: [])
    result = diff_outputs(OutputFolder(a), OutputFolder(b))
    assert result.added == ["new-s01"]
    assert result.removed == [f"{BIG5_ID}-s01"]
    assert result.changed == [KEPT_ID, REMOVED_ID]
    kept, removed = result.details
    assert kept.parts == ("text",)
    assert kept.hunks == ("…通讯员蔡苗）今年[-以来-]{+上半年+}，在福建省尤溪县…",)
    assert removed.parts == ("similarity",)
    assert "quarantine: - samples/page-scan.png (binary)" in result.other
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("stories: 1 added, 1 removed, 2 changed\n+ new-s01\n")


def test_diff_status_change(two_runs: tuple[Path, Path]) -> None:
    a, b = two_runs
    moved = json.loads((b / "duplicates.jsonl").read_text(encoding="utf-8"))
    for key in ("duplicate_of", "kind", "similarity", "jaccard", "containment"):
        del moved[key]
    (b / "duplicates.jsonl").write_text("", encoding="utf-8")
    with (b / "corpus.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(moved, ensure_ascii=False) + "\n")
    (change,) = diff_outputs(OutputFolder(a), OutputFolder(b)).details
    assert change.parts[0] == f"status duplicate of {KEPT_ID} → kept"


def test_diff_report_figures(two_runs: tuple[Path, Path]) -> None:
    a, b = two_runs
    data = json.loads((b / "report.json").read_text(encoding="utf-8"))
    data["accounting"]["stories"]["kept"] = 4
    (b / "report.json").write_text(json.dumps(data), encoding="utf-8")
    result = diff_outputs(OutputFolder(a), OutputFolder(b))
    assert result.other == ["report.json accounting.stories.kept: 3 → 4"]
    assert not result.identical


def test_diff_unreadable_folder_exits_2(
    run: SampleRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(run.output), str(tmp_path / "nowhere")]) == 2
    assert "no such output folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("全国总工会", "全国总工会", []),
        ("工会\n组织", "工会组织", ["…工会[-⏎-]组织…"]),
        ("甲乙丙", "丁乙戊", ["…[-甲-]{+丁+}乙丙…", "…甲乙[-丙-]{+戊+}…"]),
    ],
)
def test_inline_diff(old: str, new: str, expected: list[str]) -> None:
    assert inline_diff(old, new) == expected


def test_explain_defaults_to_the_configured_output(
    run: SampleRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "project"
    (work / "config").mkdir(parents=True)
    (work / "config" / "pipeline.toml").write_text(f'[output]\nroot = "{run.output}"\n')
    monkeypatch.chdir(work)
    assert main(["explain", KEPT_ID]) == 0
