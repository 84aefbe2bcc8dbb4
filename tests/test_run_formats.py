"""The run over JSONL/Parquet records and compressed pages, with Parquet and HTML output."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

from pipeline.config import load_config
from pipeline.engine.run import run_pipeline
from pipeline.io.parquet import read_parquet_records
from tests.stories import STORIES

STORY = "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开，总结交流产业工会工作经验。"


def run(tmp_path: Path, *overrides: str) -> dict:  # type: ignore[type-arg]
    cfg = load_config(
        None,
        [
            f'input.root="{tmp_path / "in"}"',
            f'output.root="{tmp_path / "out"}"',
            "run.workers=1",
            *overrides,
        ],
    )
    return run_pipeline(cfg).data


def jsonl(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_records_carry_their_fields_and_bad_records_are_quarantined(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    lines = [
        json.dumps(
            {"id": "a1", "text": STORY, "url": "http://example.com/1", "year": 2017},
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps({"id": "a3", "text": "內蒙古工會全方位幫扶困難職工。"}, ensure_ascii=False),
        json.dumps({"id": "a4", "body": "no text field"}),
    ]
    (src / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = run(tmp_path)
    corpus = jsonl(tmp_path / "out" / "corpus.jsonl")
    assert [r["text"] for r in corpus] == [STORY, "内蒙古工会全方位帮扶困难职工。"]
    assert corpus[0]["metadata"]["extra"] == '{"url": "http://example.com/1", "year": 2017}'
    assert (
        corpus[0]["metadata"]["encoding"] == "jsonl"
        and corpus[1]["metadata"]["script"] == "traditional"
    )
    assert corpus[0]["id"].startswith("news-a1-")
    quarantine = jsonl(tmp_path / "out" / "quarantine.jsonl")
    assert [(q["path"], q["reason"], q["detail"].split(":")[0]) for q in quarantine] == [
        ("news.jsonl", "bad-record", "line 2"),
        ("news.jsonl", "bad-record", "line 4"),
    ]
    assert quarantine[0]["offset"] == len(lines[0].encode()) + 1
    assert data["accounting"]["chars"]["unaccounted"] == 0


def test_parquet_records_and_compressed_pages(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    table = pa.Table.from_pylist([{"doc": "r1", "content": STORY, "lang": "zh"}])
    pq.write_table(table, src / "wire.parquet")
    (src / "page.txt.gz").write_bytes(gzip.compress(STORIES[1].encode("gb18030")))
    (src / "page2.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(STORIES[2].encode()))
    (src / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00not gzip at all")
    run(tmp_path, 'input.text_field="content"', 'input.id_field="doc"')
    corpus = jsonl(tmp_path / "out" / "corpus.jsonl")
    assert sorted(r["metadata"]["source"] for r in corpus) == [
        "page.txt.gz",
        "page2.txt.zst",
        "wire.parquet",
    ]
    by_source = {r["metadata"]["source"]: r for r in corpus}
    assert by_source["page.txt.gz"]["metadata"]["encoding"] == "gb18030"
    assert by_source["wire.parquet"]["metadata"]["extra"] == '{"lang": "zh"}'
    (q,) = jsonl(tmp_path / "out" / "quarantine.jsonl")
    assert (q["path"], q["reason"]) == ("broken.txt.gz", "bad-compression")


def test_parquet_output_matches_the_jsonl_corpus(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(STORY, encoding="utf-8")
    (src / "b.txt").write_text(STORY, encoding="utf-8")  # an exact duplicate
    run(tmp_path, "output.parquet=true")
    out = tmp_path / "out"
    assert list(read_parquet_records(out / "corpus.parquet")) == jsonl(out / "corpus.jsonl")
    (dup,) = read_parquet_records(out / "duplicates.parquet")
    assert dup["duplicate_of"] == jsonl(out / "corpus.jsonl")[0]["id"]


def test_report_html_is_written_and_can_be_switched_off(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(STORY, encoding="utf-8")
    run(tmp_path)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "江西省产业工会工作会议" in html and "<script src=" not in html
    (tmp_path / "out" / "report.html").unlink()
    run(tmp_path, "output.report_html=false")
    assert not (tmp_path / "out" / "report.html").exists()


def test_report_html_stays_under_its_byte_budget(tmp_path: Path) -> None:
    # Issue #17 item 13: report.html was 8 MB for 0.7 MB of input.
    src = tmp_path / "in"
    src.mkdir()
    for n in range(60):
        page = "\n\n".join(f"第{n}版第{k}篇\n{STORIES[(n + k) % 5]}第{n}{k}号。" for k in range(5))
        (src / f"page-{n:02d}.txt").write_text(page, encoding="utf-8")
    run(tmp_path, "output.report_bytes=120000")
    html = (tmp_path / "out" / "report.html").read_bytes()
    assert len(html) <= 120_000
    assert b"more sampled pages are left out to keep this file under 120,000 bytes" in html
