from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from pipeline.io.formats import (
    FormatError,
    InputRecord,
    input_kind,
    iter_input_records,
    read_input_bytes,
)
from pipeline.io.parquet import parquet_schema, read_parquet_records, write_parquet

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "clean" / "corpus.jsonl"
ROWS = [
    {"id": "wd-001", "text": "内蒙古工会全方位帮扶困难职工", "date": "2017-08-28", "page": 3},
    {"id": 2, "text": "尤溪县总用劳模智慧培育新工匠", "metadata": {"paper": "工人日报", "page": 3}},
]


def jsonl(rows: list[Any]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def write(path: Path, data: bytes) -> Path:
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    elif path.name.endswith((".zst", ".zstd")):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, expected",
    [
        ("news.jsonl", ("jsonl", None)),
        ("news.ndjson.gz", ("jsonl", "gzip")),
        ("2017/news.JSONL.zst", ("jsonl", "zstd")),
        ("news.parquet", ("parquet", None)),
        ("page.txt.gz", ("text", "gzip")),
        ("page.gbk.zstd", ("text", "zstd")),
        ("page", ("text", None)),
        ("v1.2/page.txt", ("text", None)),  # a dot in a folder is no suffix
    ],
)
def test_input_kind(name: str, expected: tuple[str, str | None]) -> None:
    assert input_kind(name) == expected


@pytest.mark.parametrize("name", ["in.jsonl", "in.jsonl.gz", "in.jsonl.zst"])
def test_jsonl_records_carry_other_fields_as_metadata(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, jsonl(ROWS))
    first, second = iter_input_records(path, display=name)
    size = len(jsonl(ROWS[:1]))  # the first line's bytes, decompressed
    assert first == InputRecord(
        "wd-001", ROWS[0]["text"], name, 1, {"date": "2017-08-28", "page": 3}, size
    )
    assert (second.id, second.line) == ("2", 2)  # integer ids become strings
    assert second.metadata == {"paper": "工人日报", "page": 3}  # datatrove's metadata object


def test_a_byte_order_mark_and_crlf_are_fine(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + jsonl(ROWS).replace(b"\n", b"\r\n")
    path = write(tmp_path / "bom.jsonl", data)
    assert [r.id for r in iter_input_records(path)] == ["wd-001", "2"]


def test_configurable_fields_and_missing_ids(tmp_path: Path) -> None:
    path = write(tmp_path / "c.jsonl", jsonl([{"content": "职工书屋", "doc": "x"}]))
    (record,) = iter_input_records(path, text_field="content", id_field=None, display="c.jsonl")
    assert (record.id, record.text, record.metadata) == ("c.jsonl#1", "职工书屋", {"doc": "x"})


@pytest.mark.parametrize(
    "line, message",
    [
        (b"{bad json", "in.jsonl: line 2: not JSON: Expecting property name"),
        (b"[1, 2]", "in.jsonl: line 2: a JSON list, not an object"),
        (b'{"id": "a"}', "in.jsonl: line 2: text field 'text' is missing, not a string"),
        (b'{"id": "a", "text": 3}', "in.jsonl: line 2: text field 'text' is int 3, not a string"),
        (b'{"text": "x"}', "in.jsonl: line 2: id field 'id' is missing, not a string or integer"),
        (b'{"id": true, "text": "x"}', "in.jsonl: line 2: id field 'id' is True"),
        (b'{"id": "a", "text": "\xff"}', "in.jsonl: line 2: not UTF-8 at byte 21 of the line"),
    ],
)
def test_bad_records_name_file_and_line(tmp_path: Path, line: bytes, message: str) -> None:
    path = write(tmp_path / "in.jsonl", jsonl(ROWS[:1]) + line + b"\n" + jsonl(ROWS[1:]))
    with pytest.raises(FormatError, match=re.escape(message)) as caught:
        list(iter_input_records(path, display="in.jsonl"))
    assert (caught.value.line, caught.value.reason) == (2, "bad-record")
    assert caught.value.offset == len(jsonl(ROWS[:1]))  # byte offset of the line
    errors: list[FormatError] = []
    kept = list(iter_input_records(path, display="in.jsonl", errors=errors))
    assert [r.line for r in kept] == [1, 3] and [e.line for e in errors] == [2]


def test_corrupt_compression_fails_the_file(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl(ROWS))[:-12])
    with pytest.raises(FormatError, match=re.escape("in.jsonl.gz: cannot decompress")) as caught:
        list(iter_input_records(path, display="in.jsonl.gz", errors=[]))
    assert caught.value.reason == "bad-compression"


def test_compressed_pages_are_capped(tmp_path: Path) -> None:
    page = "本报讯 全国总工会召开会议。\n".encode("gb18030") * 1000
    for name in ("p.txt.gz", "p.txt.zst", "p.txt"):
        path = write(tmp_path / name, page)
        assert read_input_bytes(path, len(page)) == page
        with pytest.raises(FormatError, match="more than 100 bytes after decompression"):
            read_input_bytes(path, 100)


def parquet_input(path: Path, rows: list[dict[str, Any]]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=1000)
    return path


def test_parquet_records_stream_in_batches(tmp_path: Path) -> None:
    rows = [{"id": f"r{n}", "text": f"第{n}篇报道", "page": n % 8} for n in range(2500)]
    records = iter_input_records(parquet_input(tmp_path / "in.parquet", rows))
    assert next(records) == InputRecord(
        "r0", "第0篇报道", str(tmp_path / "in.parquet"), 1, {"page": 0}
    )
    rest = list(records)
    assert len(rest) == 2499 and rest[-1].line == 2500 and rest[-1].metadata == {"page": 3}


def test_parquet_errors_name_the_row(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": "工会"}, {"id": "b", "text": None}]
    path = parquet_input(tmp_path / "in.parquet", rows)
    with pytest.raises(
        FormatError, match=re.escape("in.parquet: row 2: text field 'text' is NoneType")
    ):
        list(iter_input_records(path, display="in.parquet"))
    with pytest.raises(
        FormatError, match=re.escape("no column 'body' (input.text_field); columns: id, text")
    ):
        list(iter_input_records(path, display="in.parquet", text_field="body"))
    (tmp_path / "fake.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(FormatError, match=re.escape("fake.parquet: not a Parquet file")):
        list(iter_input_records(tmp_path / "fake.parquet", display="fake.parquet"))


def test_parquet_values_become_json(tmp_path: Path) -> None:
    import datetime as dt

    rows = [{"id": "a", "text": "工会", "day": dt.date(2017, 8, 28), "raw": b"\x00\x01"}]
    (record,) = iter_input_records(parquet_input(tmp_path / "in.parquet", rows))
    assert record.metadata == {"day": "2017-08-28", "raw": "AAE="}
    json.dumps(record.metadata)


def corpus_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def test_parquet_round_trip(tmp_path: Path) -> None:
    records = corpus_records()
    records[0]["metadata"]["extra"] = '{"url": "http://example.com/3", "year": 2017}'
    records[1]["metadata"]["source_url"] = "page-3"  # outside the schema: moved into extra
    count = write_parquet(tmp_path / "corpus.parquet", iter(records), row_group_rows=4)
    assert count == len(records)
    del records[1]["metadata"]["source_url"]
    records[1]["metadata"]["extra"] = '{"source_url": "page-3"}'
    assert list(read_parquet_records(tmp_path / "corpus.parquet")) == records
    assert pq.ParquetFile(tmp_path / "corpus.parquet").metadata.num_row_groups == -(
        -len(records) // 4
    )
    assert pq.read_schema(tmp_path / "corpus.parquet").equals(parquet_schema())


def test_duplicates_round_trip(tmp_path: Path) -> None:
    record = corpus_records()[0]
    dup = {**record, "id": "x-s02", "duplicate_of": record["id"], "kind": "near"}
    dup.update(similarity=0.84375, jaccard=0.8125, containment=0.96875)
    write_parquet(tmp_path / "duplicates.parquet", [dup], duplicates=True)
    assert list(read_parquet_records(tmp_path / "duplicates.parquet")) == [dup]


def test_empty_parquet_has_the_schema(tmp_path: Path) -> None:
    assert write_parquet(tmp_path / "empty.parquet", []) == 0
    assert pq.read_table(tmp_path / "empty.parquet").schema.equals(parquet_schema())


WRITE_SCRIPT = """
import json, sys
from pathlib import Path
from pipeline.io.parquet import write_parquet
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
write_parquet(Path(sys.argv[2]), records, row_group_rows=4)
"""


def test_parquet_bytes_are_identical_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"corpus-{seed}.parquet"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", WRITE_SCRIPT, str(CORPUS), str(out)], check=True, env=env
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


LOAD_SCRIPT = """
import json, sys
import datasets
corpus = datasets.load_dataset("json", data_files=sys.argv[1], split="train")
parquet = datasets.load_dataset("parquet", data_files=sys.argv[2], split="train")
print(json.dumps({
    "rows": [corpus.num_rows, parquet.num_rows],
    "columns": [sorted(corpus.column_names), sorted(parquet.column_names)],
    "first": [corpus[0]["metadata"]["source"], parquet[0]["metadata"]["source"]],
    "title": str(parquet.features["metadata"]["title"]),
}, ensure_ascii=False))
"""


@pytest.mark.skipif(
    importlib.util.find_spec("datasets") is None, reason="datasets is not installed"
)
def test_hugging_face_datasets_loads_jsonl_and_parquet_offline(tmp_path: Path) -> None:
    write_parquet(tmp_path / "corpus.parquet", corpus_records())
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
        "HF_DATASETS_CACHE": str(tmp_path / "hf" / "datasets"),
    }
    done = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(CORPUS), str(tmp_path / "corpus.parquet")],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["rows"] == [len(corpus_records())] * 2
    assert loaded["columns"] == [["id", "metadata", "text"]] * 2
    assert loaded["first"] == ["samples/big5-hkscs-traditional.txt"] * 2
    assert loaded["title"] == "Value('string')"  # typed, even where titles are null
