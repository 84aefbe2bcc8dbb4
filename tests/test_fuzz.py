"""Property-based fuzzing of the whole run (hypothesis): generated pages mixing Han, Latin,
digits, punctuation of both widths, control characters and random line breaks, written in
random encodings. The run never raises, the books balance, and the clean output run again
through the pipeline comes out unchanged."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.run import run_pipeline

PIECES = st.sampled_from(
    list("湖北省产业工人队伍建设改革方案本报讯记者邹明强內蒙古工會總工會")
    + list("，。、；：？！（）“”《》…—　")
    + list(",.;:?!()\"'-+/%")
    + list("abcXYZ0123456789ＡＢ１２")
    + [" ", "\t", "\n", "\n", "\n\n", "\r\n", "\r", "\x00", "\x07", "\u200b", "\ufeff", "\u3000"]
)
PAGE = st.lists(PIECES, min_size=0, max_size=120).map("".join)
CODECS = st.sampled_from(
    ["utf_8", "utf_8_sig", "gb18030", "big5hkscs", "utf_16", "utf_16_le", "utf_32"]
)


def _run(root: Path, files: dict[str, bytes]) -> tuple[dict, list[str]]:  # type: ignore[type-arg]
    src, out = root / "in", root / "out"
    shutil.rmtree(root, ignore_errors=True)
    src.mkdir(parents=True)
    for name, data in files.items():
        (src / name).write_bytes(data)
    cfg = load_config(None, [f'input.root="{src}"', f'output.root="{out}"', "run.workers=1"])
    report = run_pipeline(cfg)
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return report.data, [json.loads(line)["text"] for line in lines]


@settings(max_examples=25)
@given(st.lists(st.tuples(PAGE, CODECS), min_size=1, max_size=4))
def test_whole_run_never_raises_and_balances(pages: list[tuple[str, str]]) -> None:
    files = {}
    for i, (text, codec) in enumerate(pages):
        try:
            files[f"p{i}.txt"] = text.encode(codec)
        except UnicodeEncodeError:
            files[f"p{i}.txt"] = text.encode("utf_8")
    with tempfile.TemporaryDirectory() as tmp:
        data, texts = _run(Path(tmp), files)
        chars = data["accounting"]["chars"]
        assert chars["unaccounted"] == 0
        assert all(f["chars"]["unaccounted"] == 0 for f in data["files"])
        assert data["accounting"]["files"]["found"] == len(files)
        # The clean output, run again, comes out as it went in.
        again = {f"s{i}.txt": text.encode("utf_8") for i, text in enumerate(texts)}
        if again:
            _, texts_again = _run(Path(tmp), again)
            assert sorted(texts_again) == sorted(set(texts)) or texts_again == texts
