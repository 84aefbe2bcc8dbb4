"""A story's provenance is its own (issue #17 items 5, 7 and 9): the steps that changed it,
the line it came from, whether it is a fragment, and a text that is never empty."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.cli import main
from pipeline.document import Document, Stats
from pipeline.engine.provenance import PAGE_START_REASON, finish_stories

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


def test_a_story_keeps_the_steps_taken_on_it_after_segmentation(tmp_path: Path) -> None:
    # Script is converted per story, after segmentation: those steps are the story's own,
    # whatever lines they touched in it.
    trad = "本報訊 香港電車公司昨日宣佈，明年起分批更新車隊，新車設有較寬敞的車廂及更多扶手。"
    page = f"江西召开产业工会会议\n{FIRST}\n\n香港電車更新車隊\n{trad}\n"
    first, second = clean(tmp_path, {"page.txt": page.encode()})
    assert first["metadata"]["steps"] == []
    assert second["metadata"]["steps"] == ["convert.t2s"]
    assert second["metadata"]["script"] == "traditional"


def test_a_step_without_line_facts_stays_with_every_story() -> None:
    page = Document(
        "p", "", "a.txt", "utf_8", steps=("custom", "normalize_quotes"), step_lines=((1, 5, 5),)
    )
    one = replace(page, id="p-s01", parent_id="p", line_span=(1, 3))
    two = replace(page, id="p-s02", parent_id="p", line_span=(4, 6))
    one, two = finish_stories([one, two], Stats())
    assert (one.steps, two.steps) == (("custom",), ("custom", "normalize_quotes"))
    assert one.step_lines == two.step_lines == ()


# --- item 5: a record keeps its id, its line, and is no fragment ---------------------------


def test_records_keep_their_id_and_their_line_and_are_not_fragments(tmp_path: Path) -> None:
    rows = [
        json.dumps({"id": "rec-1", "text": FIRST}, ensure_ascii=False),
        "",  # a blank line: the next record is on line 3 of the file
        json.dumps(
            {"id": 7, "text": f"{SECOND}\n（完）\n图为会议现场。倪树斌 摄"}, ensure_ascii=False
        ),
    ]
    table = pa.Table.from_pylist(
        [{"id": "p-9", "text": "本报讯 区总工会向辖区企业职工书屋配送图书5000余册。"}]
    )
    src = tmp_path / "in"
    src.mkdir()
    pq.write_table(table, src / "wire.parquet")
    corpus = clean(tmp_path, {"news.jsonl": ("\n".join(rows) + "\n").encode()})
    meta = {r["metadata"]["source_id"]: r["metadata"] for r in corpus}
    assert set(meta) == {"rec-1", "7", "p-9"}
    assert meta["rec-1"]["line_span"] == [1, 1] and meta["7"]["line_span"] == [3, 3]
    assert meta["p-9"]["line_span"] == [1, 1]  # a Parquet row
    assert not any(m["fragment"] for m in meta.values())
    assert meta["rec-1"]["source"] == "news.jsonl"


def test_a_page_file_has_no_source_id_and_its_fragments_stay(tmp_path: Path) -> None:
    (story,) = clean(tmp_path, {"page.txt": "此外，工会还组织了培训。\n".encode()})
    assert story["metadata"]["source_id"] is None
    assert story["metadata"]["fragment"] is True
    assert PAGE_START_REASON in story["metadata"]["fragment_reason"]


# --- item 7: no story is written with an empty text ----------------------------------------


def test_a_photo_item_keeps_its_title_and_its_caption_is_its_text() -> None:
    caption = "图为会场。倪树斌 摄"
    photo = Document("p-s01", "", "a.txt", "utf_8", title="谢瓦尔德纳泽说", caption=caption)
    (story,) = finish_stories([photo], Stats())
    assert (story.text, story.title, story.caption) == (caption, "谢瓦尔德纳泽说", None)


def test_a_caption_alone_becomes_the_story_text(tmp_path: Path) -> None:
    caption = "图为新建成的社区图书馆。倪树斌 摄"
    corpus = clean(tmp_path, {"caption.txt": f"{caption}\n".encode(), "page.txt": FIRST.encode()})
    assert all(r["text"] for r in corpus)
    (alone,) = [r for r in corpus if r["metadata"]["source"] == "caption.txt"]
    assert (alone["text"], alone["metadata"]["caption"]) == (caption, None)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["stories.text_from_fields"] == 1
    assert report["accounting"]["chars"]["unaccounted"] == 0


def test_a_headline_alone_becomes_the_story_text() -> None:
    head = Document("p-s01", "", "a.txt", "utf_8", kicker="抓落实 见实效", title="全国总工会")
    (story,) = finish_stories([head], stats := Stats())
    assert (story.text, story.kicker, story.title) == ("抓落实 见实效\n全国总工会", None, None)
    assert story.field_text().replace("\n", "") == head.field_text()  # nothing lost
    assert stats.events["stories.text_from_fields"] == 1
    assert stats.chars["stories.text_from_fields"] == -1  # the line break, added
