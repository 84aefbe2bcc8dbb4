"""Dates: a story's date from its record, its path or its running head, and the dedup date
window (issue 18, part 3)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pipeline.config import DedupConfig, InputConfig
from pipeline.dedup import decide, sketch_table
from pipeline.document import Document, Stats
from pipeline.text.dates import date_in_path, date_pages, page_in_path, parse_date, read_date
from tests.cli_run import clean_pages, read_jsonl

STORY = (
    "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开，总结交流产业工会工作经验，"
    "部署下一阶段产业工会重点任务，推动产业工人队伍建设改革落地见效。"
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("2017-08-28-page.txt", "2017-08-28"),
        ("paper/19900101/p01.txt", "1990-01-01"),
        ("paper/2020_06_30/a.txt", "2020-06-30"),
        ("2019-01-01/2020-06-30.txt", "2020-06-30"),  # the file's own name first
        ("scan-20201399.txt", None),  # no such day
        ("gb18030-rare.txt", None),
        ("a.txt", None),
    ],
)
def test_date_in_path(path: str, expected: str | None) -> None:
    assert date_in_path(path) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("工人日报 2017年8月28日 星期一\n正文。", "2017-08-28"),
        ("第三版　民國九年四月三日\n正文", "1920-04-03"),
        ("一九九〇年一月一日　星期一\n正文", "1990-01-01"),
        ("标题\n" + "正文。\n" * 20 + "2017年8月28日", "2017-08-28"),  # the foot
        ("标题\n" + "正文。\n" * 5 + "他说2016年1月1日起施行。\n" + "正文。\n" * 5, None),
    ],
    ids=["head", "republic", "numerals", "foot", "not-in-the-body"],
)
def test_read_date_from_the_running_head(page: str, expected: str | None) -> None:
    assert read_date(page) == expected


def test_parse_record_dates() -> None:
    assert [parse_date(v) for v in ("2020/6/30", "2020-06-30 08:00", 20200630, "", 1.5)] == [
        "2020-06-30",
        "2020-06-30",
        "2020-06-30",
        None,
        None,
    ]


def test_page_numbers() -> None:
    assert [page_in_path(p) for p in ("x/20170828-p03.txt", "page12.txt", "第2版.txt")] == [
        3,
        12,
        2,
    ]


def test_date_stage_prefers_the_record_then_the_path_then_the_head() -> None:
    docs = [
        Document(
            "a", "2001年1月1日\n正文", "2020-06-30.jsonl", "jsonl", extra='{"date": "1990-01-01"}'
        ),
        Document("b", "2001年1月1日\n正文", "2020-06-30.txt", "utf_8"),
        Document("c", "2001年1月1日 第3版\n正文", "c.txt", "utf_8"),
        Document("d", "正文", "d.txt", "utf_8"),
    ]
    stats = Stats()
    out = list(date_pages(docs, InputConfig(), stats))
    assert [(d.date, d.page) for d in out] == [
        ("1990-01-01", None),
        ("2020-06-30", None),
        ("2001-01-01", 3),
        (None, None),
    ]
    assert dict(stats.events) == {"date.record": 1, "date.path": 1, "date.head": 1, "date.none": 1}


def clean(tmp_path: Path, pages: dict[str, str], *settings: str) -> tuple[list[Any], list[Any]]:
    out = clean_pages(tmp_path, pages, *settings)
    return read_jsonl(out / "corpus.jsonl"), read_jsonl(out / "duplicates.jsonl")


def test_the_same_text_1990_and_2020_is_two_stories_within_a_year(tmp_path: Path) -> None:
    pages = {"1990-01-01/a.txt": STORY, "2020-06-30/b.txt": STORY}
    kept, removed = clean(tmp_path, pages, "dedup.window_days=365")
    assert [(r["metadata"]["date"], r["metadata"]["also_printed_in"]) for r in kept] == [
        ("1990-01-01", []),
        ("2020-06-30", []),
    ]
    assert removed == []
    kept, removed = clean(tmp_path, pages)  # no window (the default): one story
    assert len(kept) == 1 and len(removed) == 1


def test_two_days_apart_is_one_story_listing_its_copys_date(tmp_path: Path) -> None:
    pages = {"2020-06-30/a.txt": STORY, "2020-07-02/b.txt": STORY}
    kept, removed = clean(tmp_path, pages, "dedup.window_days=365")
    (story,) = kept
    (copy,) = removed
    assert story["metadata"]["also_printed_in"] == [
        {"id": copy["id"], "source": "2020-07-02/b.txt", "date": "2020-07-02"}
    ]
    assert (copy["kind"], copy["metadata"]["date"]) == ("exact", "2020-07-02")


def test_records_give_their_date_field(tmp_path: Path) -> None:
    records = [
        {"id": 1, "text": STORY, "published": "1990-01-01"},
        {"id": 2, "text": STORY, "published": "2020-06-30T09:00:00"},
    ]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    kept, _ = clean(
        tmp_path, {"wire.jsonl": text}, "input.date_field=published", "dedup.window_days=30"
    )
    assert [r["metadata"]["date"] for r in kept] == ["1990-01-01", "2020-06-30"]


def sketched(days: list[str | None]) -> tuple[list[Document], Any]:
    docs = [
        Document(f"s{i}", STORY * 2, f"{i}.txt", "utf_8", date=day) for i, day in enumerate(days)
    ]
    return docs, sketch_table(docs, DedupConfig())


def test_every_removed_copy_is_within_the_window_of_its_kept_copy() -> None:
    # A ~ B and B ~ C within 3 days, A and C six days apart: B is kept, both others are
    # its copies; A is never removed for C (no chain), nor C for A.
    docs, table = sketched(["2020-06-30", "2020-07-03", "2020-07-06"])
    result = decide(table, DedupConfig(window_days=3), lambda r: [docs[int(i)].text for i in r])
    assert {k: v.duplicate_of for k, v in result.dropped.items()} == {"s0": "s1", "s2": "s1"}
    docs, table = sketched(["2020-06-30", "2020-07-06"])
    result = decide(table, DedupConfig(window_days=3), lambda r: [docs[int(i)].text for i in r])
    assert result.dropped == {}


def test_undated_stories_compare_with_every_story() -> None:
    docs, table = sketched(["1990-01-01", None])
    result = decide(table, DedupConfig(window_days=1), lambda r: [docs[int(i)].text for i in r])
    assert len(result.dropped) == 1


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]])
def test_window_decisions_do_not_depend_on_row_order(order: list[int]) -> None:
    days = ["2020-06-30", "2020-07-02", "2020-09-30", None]
    docs, _ = sketched(days)
    picked = [docs[i] for i in order]
    table = sketch_table(picked, DedupConfig())
    result = decide(
        table, DedupConfig(window_days=7), lambda rows: [picked[int(r)].text for r in rows]
    )
    groups = {frozenset((k, v.duplicate_of)) for k, v in result.dropped.items()}
    baseline_table = sketch_table(docs, DedupConfig())
    baseline = decide(
        baseline_table, DedupConfig(window_days=7), lambda rows: [docs[int(r)].text for r in rows]
    )
    assert groups == {frozenset((k, v.duplicate_of)) for k, v in baseline.dropped.items()}
    assert np.array_equal(np.sort(table.days), np.sort(baseline_table.days))
