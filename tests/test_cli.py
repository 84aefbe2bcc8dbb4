from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import clean_main, main
from tests.stories import STORIES

STORY = "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开。\n"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_bytes(STORY.encode())
    (root / "b.txt").write_bytes(STORIES[1].encode("gb18030"))
    (root / "c.bin").write_bytes(b"\x00\x01\x02\x03" * 10)
    return root


def run(argv: list[str]) -> int:
    return main(argv)


def test_clean_writes_outputs_and_prints_a_summary(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(["clean", "--input", str(pages), "--output", str(out), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "stories kept        2" in printed and f"output: {out}" in printed
    assert len((out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    (q,) = [
        json.loads(line)
        for line in (out / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert (q["path"], q["reason"]) == ("c.bin", "binary")


def test_strict_fails_on_quarantine(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        ["clean", "--input", str(pages), "--output", str(tmp_path / "o"), "--strict", "--quiet"]
    )
    assert code == 1
    assert "1 input file(s) quarantined (--strict)" in capsys.readouterr().err


def test_config_errors_exit_2_in_one_line(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["clean", "--input", str(pages), "--set", "dedup.threshold=2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "pipeline: config error: dedup.threshold must be in (0, 1], got 2.0"
    assert run(["clean", "--set", "convert.config=t2x"]) == 2
    assert "unknown OpenCC config 't2x'" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[input]\nrot = 1\n", encoding="utf-8")
    assert run(["clean", "--config", str(bad)]) == 2
    assert "unknown key input.rot" in capsys.readouterr().err


def test_missing_input_is_a_usage_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue #17 item 12: the README calls usage errors 2; a missing input exited 1.
    assert run(["clean", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"pipeline: config error: input.root {tmp_path / 'nope'}: no such folder "
        "(--input names the folder of page dumps)"
    )


def test_a_file_given_for_a_folder_says_so(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue #17 item 12: "--input a.txt" said "input folder not found"; "--output a-file"
    # said "File exists; previous output left as it was", when there was no output at all.
    page = pages / "a.txt"
    assert run(["clean", "--input", str(page), "--output", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"input.root {page} is a file, not a folder" in err
    assert f"--input {pages} --set 'input.include=[\"a.txt\"]'" in err
    taken = tmp_path / "taken"
    taken.write_text("not a folder", encoding="utf-8")
    assert run(["clean", "--input", str(pages), "--output", str(taken)]) == 2
    err = capsys.readouterr().err
    assert f"output.root {taken} is a file, not a folder" in err
    assert "previous output" not in err
    assert taken.read_text(encoding="utf-8") == "not a folder"


def test_a_bare_glob_for_a_list_key_shows_the_working_form(
    pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["clean", "--input", str(pages), "--set", "input.include=*.txt"]) == 2
    assert capsys.readouterr().err.strip() == (
        "pipeline: config error: input.include must be a list of strings, got '*.txt': "
        """in TOML include = ["*.txt"], on the command line --set 'input.include=["*.txt"]'"""
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline import __version__

    for argv, entry in ((["--version"], main), (["--version"], clean_main)):
        with pytest.raises(SystemExit) as exit_:
            entry(argv)
        assert exit_.value.code == 0
        assert capsys.readouterr().out.split()[-1] == __version__


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(["clean", "--workers", "many"])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        run([])
    assert exit_.value.code == 2


def test_help_explains_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["clean", "--help"])
    text = capsys.readouterr().out
    for option in (
        "--config",
        "--input",
        "--output",
        "--set",
        "--workers",
        "--resume",
        "--strict",
        "--quiet",
    ):
        assert option in text
    assert "corpus.jsonl" in text and "report.html" in text
    assert "exit codes:" in text
    for code in ("0", "1", "2", "130"):
        assert f"\n  {code} " in text


def test_clean_corpus_entry_point(pages: Path, tmp_path: Path) -> None:
    assert clean_main(["--input", str(pages), "--output", str(tmp_path / "o"), "--quiet"]) == 0
    assert (tmp_path / "o" / "report.md").exists()


def test_output_inside_the_input_is_refused_before_anything_is_written(
    pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue #17 item 1: run twice, the second run read the first one's outputs as pages.
    out = pages / "out"
    for _ in range(2):
        assert run(["clean", "--input", str(pages), "--output", str(out), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert f"output.root {out} is inside input.root {pages}" in err
        assert "choose an output folder outside the input" in err
        assert not out.exists()
    assert run(["clean", "--input", str(pages), "--output", str(pages), "--quiet"]) == 2


def test_library_run_refuses_an_output_inside_the_input(pages: Path) -> None:
    from pipeline.config import load_config
    from pipeline.engine import run_pipeline
    from pipeline.errors import ConfigError

    cfg = load_config(None, [f'input.root="{pages}"', f'output.root="{pages / "a" / "b"}"'])
    with pytest.raises(ConfigError, match=r"is inside input\.root"):
        run_pipeline(cfg)
    assert not (pages / "a").exists()
