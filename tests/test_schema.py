"""One type per field in every row of corpus.jsonl and duplicates.jsonl (issue #17 item 6),
so that the corpus loads as a table: Hugging Face ``datasets``, pandas, DuckDB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from pipeline.dedup import Decision, Kept
from pipeline.document import Document
from pipeline.engine.records import duplicate_record, kept_record, story_record
from pipeline.io import dumps

ROOT = Path(__file__).resolve().parent.parent
BODY = "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开，总结交流产业工会工作经验。" * 12


def json_types(records: Iterable[dict[str, Any]]) -> dict[str, set[str]]:
    """Each field path's JSON types over ``records`` (list elements under ``path[]``)."""
    found: dict[str, set[str]] = defaultdict(set)

    def visit(path: str, value: Any) -> None:
        kind = {dict: "object", list: "array", str: "string", bool: "boolean"}.get(
            type(value), "number" if isinstance(value, int | float) else "null"
        )
        found[path].add(kind)
        if isinstance(value, dict):
            for key, item in value.items():
                visit(f"{path}.{key}", item)
        elif isinstance(value, list):
            for item in value:
                visit(f"{path}[]", item)

    for record in records:
        for key, value in record.items():
            visit(key, value)
    return found


def mixed(types: dict[str, set[str]]) -> dict[str, set[str]]:
    """Fields whose rows disagree: anything but one type, or a string that is sometimes null."""
    return {
        k: v
        for k, v in types.items()
        if len(v - {"null"}) > 1 or (len(v) > 1 and "string" not in v)
    }


def test_every_field_of_a_real_run_has_one_type(tmp_path: Path) -> None:
    from pipeline.config import load_config
    from pipeline.engine import run_pipeline

    src = tmp_path / "in"
    src.mkdir()
    record = {"id": "r1", "text": BODY, "url": "http://example.com", "tags": ["a"], "n": 1}
    (src / "wire.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    (src / "copy.txt").write_text(f"工会会议\n{BODY}\n", encoding="utf-8")  # a reprint
    (src / "caption.txt").write_text("图为会议现场。倪树斌 摄\n", encoding="utf-8")
    out = tmp_path / "out"
    run_pipeline(load_config(None, [f'input.root="{src}"', f'output.root="{out}"']))
    for name in ("corpus.jsonl", "duplicates.jsonl"):
        rows = [json.loads(line) for line in (out / name).read_text("utf-8").splitlines()]
        golden = (ROOT / "data" / "clean" / name).read_text("utf-8").splitlines()
        assert rows and mixed(json_types([*rows, *map(json.loads, golden)])) == {}, name


def test_extra_is_a_json_string_whatever_a_record_carries() -> None:
    a = story_record(Document("a", BODY, "w.jsonl", "jsonl", extra='{"n": 1}'))
    b = story_record(Document("b", BODY, "w.jsonl", "jsonl", extra='{"n": {"deep": [1]}}'))
    c = story_record(Document("c", BODY, "p.txt", "utf_8", line_span=None))
    assert (a["metadata"]["extra"], c["metadata"]["extra"]) == ('{"n": 1}', None)
    assert c["metadata"]["line_span"] == []  # a list, never null
    assert mixed(json_types([a, b, c])) == {}


LOAD_SCRIPT = """
import json, sys
import datasets
from pipeline import corpus_features
datasets.disable_progress_bars()
corpus = datasets.load_dataset(
    "json", data_files=sys.argv[1], features=corpus_features(), split="train"
)
duplicates = datasets.load_dataset(
    "json", data_files=sys.argv[2], features=corpus_features(duplicates=True), split="train"
)
last = corpus[-1]["metadata"]
print(json.dumps({
    "rows": [corpus.num_rows, duplicates.num_rows],
    "copies": last["also_printed_in"], "caption": last["caption"], "extra": last["extra"],
    "jaccard": duplicates[0]["jaccard"],
}, ensure_ascii=False))
"""


def test_datasets_loads_a_corpus_whose_first_10000_rows_have_no_copies(tmp_path: Path) -> None:
    # Issue #17 item 6: on a 38,041-row corpus load_dataset failed with "Couldn't cast array
    # of type struct<id: string, source: string> to null": also_printed_in was empty in
    # every row of the first 10 MB, which datasets types the whole column by.
    pytest.importorskip("datasets")
    plain = [story_record(Document(f"p-s{i:05d}", BODY, "p.txt", "utf_8")) for i in range(10_000)]
    last = Document("q-s01", BODY, "w.jsonl", "jsonl", caption="图为会议现场。", extra='{"n": 1}')
    kept, _ = kept_record(story_record(last), Kept((("z-s01", "z.txt"),), ()), {})
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(dumps(r) + "\n" for r in [*plain, kept]), encoding="utf-8")
    assert corpus.stat().st_size > 10 << 20  # past datasets' first 10 MB chunk
    removed = duplicate_record(story_record(last), Decision("q-s01", "exact", 1.0, 1.0))
    dups = tmp_path / "duplicates.jsonl"
    dups.write_text(dumps(removed) + "\n", encoding="utf-8")
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
        "HF_DATASETS_CACHE": str(tmp_path / "hf" / "datasets"),
    }
    done = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(corpus), str(dups)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == {
        "rows": [10_001, 1],
        "copies": [{"id": "z-s01", "source": "z.txt", "date": None}],
        "caption": "图为会议现场。",
        "extra": '{"n": 1}',
        "jaccard": 1.0,
    }
