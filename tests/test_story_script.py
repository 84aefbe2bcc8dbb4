"""Script is decided per story, after segmentation: a Simplified page may carry a Hong
Kong or Taiwan story in Traditional script, and the reverse (issue 18, part 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.config import ConvertConfig
from pipeline.document import Document, Stats
from pipeline.text import convert, label_script
from tests.cli_run import clean_pages, read_jsonl

SIMPLIFIED = (
    "湖北出台产业工人队伍建设改革方案\n\n"
    "本报讯（记者邹明强）湖北省委、省政府日前下发《湖北省产业工人队伍建设改革实施方案》，"
    "明确要求坚持党委统一领导，各级工会组织要发挥好桥梁纽带作用。\n\n"
)
TRADITIONAL = (
    "香港電車更新車隊\n\n"
    "本報訊（記者陳大文）香港電車公司昨日宣佈，明年起分批更新車隊，新車設有較寬敞的車廂"
    "及更多扶手，部分車站將加裝升降機，方便長者及輪椅使用者上落。\n\n"
)
SIMPLIFIED_2 = (
    "江西召开产业工会工作会议\n\n"
    "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开，总结交流产业工会工作经验，"
    "部署下一阶段产业工会重点任务，推动产业工人队伍建设改革落地见效。\n\n"
)
TRADITIONAL_2 = (
    "臺北捷運增開夜間班次\n\n"
    "本報訊（記者王小明）臺北捷運公司表示，為配合跨年活動，當晚各線將延長營運時間並增開"
    "班次，請民眾多加利用大眾運輸工具，避免塞車。\n\n"
)


def clean(tmp_path: Path, pages: dict[str, str], *settings: str) -> list[dict[str, Any]]:
    return read_jsonl(clean_pages(tmp_path, pages, *settings) / "corpus.jsonl")


def by_title(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["metadata"]["title"]: r for r in records}


def test_a_traditional_story_on_a_simplified_page_is_converted(tmp_path: Path) -> None:
    page = SIMPLIFIED + TRADITIONAL + SIMPLIFIED_2
    stories = by_title(clean(tmp_path, {"mainland.txt": page}))
    wire = stories["香港电车更新车队"]  # the title is converted too
    assert wire["metadata"]["script"] == "traditional"
    assert wire["metadata"]["steps"] == ["convert.t2s"]
    assert wire["text"].startswith("本报讯（记者陈大文）香港电车公司昨日宣布")
    assert wire["metadata"]["reporters"] == ["陈大文"]
    own = stories["湖北出台产业工人队伍建设改革方案"]
    assert (own["metadata"]["script"], own["metadata"]["steps"]) == ("simplified", [])


def test_a_simplified_story_on_a_traditional_page_is_left_alone(tmp_path: Path) -> None:
    page = TRADITIONAL + SIMPLIFIED + TRADITIONAL_2
    stories = by_title(clean(tmp_path, {"hongkong.txt": page}))
    assert sorted(stories) == [
        "台北捷运增开夜间班次",
        "湖北出台产业工人队伍建设改革方案",
        "香港电车更新车队",
    ]
    assert [stories[t]["metadata"]["script"] for t in sorted(stories)] == [
        "traditional",
        "simplified",
        "traditional",
    ]
    assert stories["湖北出台产业工人队伍建设改革方案"]["metadata"]["steps"] == []


def test_with_convert_none_nothing_converts_but_each_story_is_labelled(tmp_path: Path) -> None:
    page = SIMPLIFIED + TRADITIONAL + SIMPLIFIED_2
    stories = by_title(clean(tmp_path, {"mainland.txt": page}, "convert.config=none"))
    assert stories["香港電車更新車隊"]["metadata"]["script"] == "traditional"
    assert stories["香港電車更新車隊"]["text"].startswith("本報訊（記者陳大文）")
    assert stories["香港電車更新車隊"]["metadata"]["reporters"] == ["陳大文"]
    assert stories["江西召开产业工会工作会议"]["metadata"]["script"] == "simplified"
    assert all(not r["metadata"]["steps"] for r in stories.values())


@pytest.mark.parametrize(
    ("page_script", "text", "expected"),
    [
        ("traditional", "據了解，", "traditional"),  # too short to tell: the page's
        ("simplified", "據了解，", "simplified"),
        ("simplified", TRADITIONAL.split("\n")[2], "traditional"),
        ("unknown", "據了解，", "traditional"),  # no page script to take: its own
    ],
    ids=["short-trad-page", "short-simp-page", "long-own", "no-page-script"],
)
def test_a_short_story_takes_its_pages_script(page_script: str, text: str, expected: str) -> None:
    doc = Document("p-s01", text, "p.txt", "utf_8", script=page_script)
    (out,) = convert([doc], ConvertConfig(), Stats())
    assert out.script == expected


def test_the_page_script_is_only_labelled() -> None:
    (page,) = label_script([Document("p", TRADITIONAL, "p.txt", "utf_8")], ConvertConfig())
    assert (page.script, page.text) == ("traditional", TRADITIONAL)
