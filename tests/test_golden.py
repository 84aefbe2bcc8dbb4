"""The whole run over data/raw must reproduce data/clean byte for byte.

``make golden`` (pytest --update-golden) rewrites data/clean instead; reviewers read the diff.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.engine.run import output_files, run_pipeline

ROOT = Path(__file__).resolve().parent.parent


def test_golden(
    tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Exactly what `make clean-corpus` does, from the repository root, but into tmp_path.
    monkeypatch.chdir(ROOT)
    out = tmp_path / "clean"
    cfg = load_config(ROOT / "config" / "pipeline.toml", [f'output.root="{out}"', "run.workers=2"])
    run_pipeline(cfg)
    golden = ROOT / "data" / "clean"
    if request.config.getoption("--update-golden"):
        for name in output_files(cfg):
            shutil.copyfile(out / name, golden / name)
        return
    for name in output_files(cfg):
        if name.endswith(".npz"):  # binary: the dedup index
            assert (out / name).read_bytes() == (golden / name).read_bytes(), name
            continue
        expected = (golden / name).read_text(encoding="utf-8")
        actual = (out / name).read_text(encoding="utf-8")
        if actual != expected:
            diff = difflib.unified_diff(
                expected.splitlines(),
                actual.splitlines(),
                f"data/clean/{name}",
                f"new/{name}",
                lineterm="",
                n=1,
            )
            pytest.fail(
                f"{name} differs from data/clean (run `make golden` if intended):\n"
                + "\n".join(list(diff)[:80])
            )


def test_readme_shows_a_real_corpus_line() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```json\n", 1)[1].split("\n```", 1)[0]
    corpus = (ROOT / "data" / "clean" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert shown in corpus, "README.md's corpus line is not in data/clean/corpus.jsonl: update it"
