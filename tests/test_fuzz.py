"""Property-based fuzzing of the whole run (hypothesis): generated pages mixing Han, Latin,
digits, punctuation of both widths, control characters and random line breaks, written in
random encodings. The run never raises, the books balance, and the clean output run again
through the pipeline comes out unchanged."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.engine.run import run_pipeline

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


FIELDS = ("kicker", "title", "deck", "text", "caption", "byline")


def _fields(record: dict) -> list[str]:  # type: ignore[type-arg]
    """A story's text fields in print order (the page it would be printed as)."""
    values = [record["metadata"].get(f) if f != "text" else record["text"] for f in FIELDS]
    return [v for v in values if v]


def _run(root: Path, files: dict[str, bytes]) -> tuple[dict, list[list[str]]]:  # type: ignore[type-arg]
    src, out = root / "in", root / "out"
    shutil.rmtree(root, ignore_errors=True)
    src.mkdir(parents=True)
    for name, data in files.items():
        (src / name).write_bytes(data)
    cfg = load_config(None, [f'input.root="{src}"', f'output.root="{out}"', "run.workers=1"])
    report = run_pipeline(cfg)
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return report.data, [_fields(json.loads(line)) for line in lines]


@settings(max_examples=60)
@given(st.lists(st.tuples(PAGE, CODECS), min_size=1, max_size=4))
# Known limits of running the clean output again (found by hypothesis under random seeds):
# the output no longer carries the evidence the first run used.
@example([("\u3000湖湖\n\u3000湖", "utf_8")]).xfail(
    raises=AssertionError,
    reason="the indents that kept 湖湖 and 湖 apart are gone: 湖 is then the headline's rest",
)
@example([("會.\n报\n湖。产", "utf_8")]).xfail(
    raises=AssertionError,
    reason="a Simplified page keeps its stray 會; printed alone, the story is Traditional",
)
def test_whole_run_never_raises_and_balances(pages: list[tuple[str, str]]) -> None:
    files = {}
    for i, (text, codec) in enumerate(pages):
        try:
            files[f"p{i}.txt"] = text.encode(codec)
        except UnicodeEncodeError:
            files[f"p{i}.txt"] = text.encode("utf_8")
    with tempfile.TemporaryDirectory() as tmp:
        data, stories = _run(Path(tmp), files)
        chars = data["accounting"]["chars"]
        assert chars["unaccounted"] == 0
        assert all(f["chars"]["unaccounted"] == 0 for f in data["files"])
        assert data["accounting"]["files"]["found"] == len(files)
        # The clean output, each story printed as a page of its own and run again, comes
        # out as it went in: the same stories, fields and text.
        again = {f"s{i}.txt": "\n".join(fields).encode("utf_8") for i, fields in enumerate(stories)}
        if again:
            _, stories_again = _run(Path(tmp), again)
            assert stories_again == stories
