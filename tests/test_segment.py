"""Segmentation and page furniture: the sample page, furniture learning, the stage, properties."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import LinesConfig, SegmentConfig
from pipeline.document import Document, Stats
from pipeline.layout.lines import dehyphenate, join_broken_lines, repair_lines
from pipeline.layout.segmentation import (
    furniture_candidates,
    learn_furniture,
    segment,
    split_stories,
    strip_furniture,
)
from pipeline.text.conversion import Converter
from pipeline.text.normalization import normalize_text

SAMPLE = Path(__file__).parents[1] / "data" / "raw" / "workers-daily" / "2017-08-28-page.txt"


def nonspace(text: str) -> str:
    return "".join(text.split())


def fields(story: object) -> str:
    names = ("kicker", "title", "deck", "text", "byline", "caption")
    return "".join(getattr(story, name) or "" for name in names)


def sample_page() -> str:
    text = Converter("t2s").convert(normalize_text(SAMPLE.read_text(encoding="utf-8")))
    return join_broken_lines(dehyphenate(text, mark_wraps=True), mark_wraps=True)


# --- the sample page (issue 3, item 5) --------------------------------------------------


def test_sample_page_gives_the_expected_stories() -> None:
    stories = split_stories(sample_page())
    got = [(s.kicker, s.title, s.deck, s.truncated, s.fragment) for s in stories]
    assert got == [
        (
            "坚持问题导向 明确具体举措",
            "湖北推出产业工人队伍建设改革方案",
            "6项举措聚焦产业工人职业培训和能力提升，3项举措强化权益维护",
            False,
            False,
        ),
        (None, None, None, False, False),  # 江西: a lead without a headline
        (None, "内蒙古工会全方位帮扶困难职工", "把“精准”贯穿解困脱困全过程", False, False),
        (
            None,
            "广州在地铁建设项目推行“产业工人卡”",
            "将实现建筑工人工资发放、技术培训、安全教育等方面的信息化管理",
            False,
            False,
        ),
        (None, None, None, True, False),  # K154, cut where the column ended
        (None, "变群众上访为干部下访", "大城县信访与工会工作“联姻”", True, False),
        (None, None, "实现由“1人作贡献”到“1+1群作贡献”", False, False),  # 尤溪, deck only
        (None, "趣味运动会", None, False, False),
        (None, "尤溪县总用劳模智慧培育新工匠", "实现由“1人作贡献”到“1+1群作贡献”", False, False),
        (None, None, None, False, True),  # the 贵阳 tail
        ("抓落实 见实效", "贵阳市总重点培育农民工创业示范企业", None, False, False),
    ]
    assert stories[1].text.startswith("本报讯（记者卢翔）江西省产业工会")
    assert stories[4].reporters == ("陈有会", "汤永红")
    assert stories[4].text.startswith("本报通讯员 陈有会 汤永红\n“列车长")
    assert stories[5].text.endswith("大城县的做法包括：坚持领导干部下访")
    assert stories[6].byline == "（孙富常）"
    assert stories[7].caption is not None and stories[7].caption.endswith("倪树斌 摄")
    assert stories[9].text.startswith("此外，贵阳市总工会") and stories[9].byline == "（李丰）"
    assert [s.line_span for s in stories] == [
        (3, 45),
        (47, 51),
        (53, 69),
        (71, 85),
        (87, 93),
        (95, 103),
        (105, 153),
        (157, 161),
        (163, 211),
        (213, 215),
        (217, 227),
    ]


def test_sample_paragraphs_end_sentences_unless_truncated() -> None:
    for story in split_stories(sample_page()):
        paragraphs = story.text.split("\n")
        for paragraph in paragraphs[:-1] if story.truncated else paragraphs:
            if paragraph.startswith("本报通讯员"):
                continue  # a lead line
            assert paragraph[-1] in "。！？”）", paragraph[-12:]


def test_a_page_kept_in_traditional_script_is_segmented_as_when_converted() -> None:
    # convert.config = "none" keeps a Traditional page as it is: the words the rules read
    # (本報訊, 記者, 攝, 責任編輯, 圖為...) are matched in either script.
    simplified = normalize_text(SAMPLE.read_text(encoding="utf-8"))
    simplified = Converter("t2s").convert(simplified)
    traditional = Converter("s2t").convert(simplified)
    back = Converter("t2s").convert
    names = ("kicker", "title", "deck", "text", "byline", "caption")

    def stories(text: str) -> list[tuple[object, ...]]:
        marked = join_broken_lines(dehyphenate(text, mark_wraps=True), mark_wraps=True)
        return [
            (
                *(back(getattr(s, name) or "") for name in names),
                tuple(back(name) for name in s.reporters),
                s.fragment,
                s.truncated,
                s.line_span,
            )
            for s in split_stories(marked)
        ]

    assert traditional != simplified
    assert stories(traditional) == stories(simplified)


# --- furniture --------------------------------------------------------------------------

HEAD = "工人日报 2017年8月{day}日 星期{weekday}\n第{page}版\n"
REPRINT = "尤溪县总用劳模智慧培育新工匠\n本报讯（记者吴锋思）劳模智慧成了新工匠成长的“孵化器”。\n"


def folder_pages() -> list[str]:
    pages = []
    for n in range(4):
        body = REPRINT if n in (0, 1) else f"第{n}篇报道的标题\n本报讯 第{n}篇报道的正文。\n"
        pages.append(HEAD.format(day=20 + n, weekday="一二三四"[n], page=n + 1) + body)
    return pages


def test_furniture_is_learned_per_folder_and_reprints_are_not_furniture() -> None:
    learned = learn_furniture(
        [("gr", furniture_candidates(page)) for page in folder_pages()], SegmentConfig()
    )
    assert learned == {"gr": frozenset({"工人日报 #年#月#日 星期#", "第#版"})}
    text, removed = strip_furniture(folder_pages()[0], learned["gr"])
    assert "尤溪县总用劳模智慧培育新工匠" in text and "劳模智慧" in text
    assert removed == Counter({"running_head": 19, "page_number": 3})


def test_learned_furniture_only_at_the_page_edges() -> None:
    page = "工人日报\n" + "正文第一段。\n" * 6 + "工人日报\n" + "正文第二段。\n" * 6 + "工人日报"
    text, removed = strip_furniture(page, frozenset({"工人日报"}))
    assert text.count("工人日报") == 1 and removed == Counter({"learned": 8})


def test_lines_above_a_running_head_are_furniture() -> None:
    text, removed = strip_furniture("要闻\n工人日报 2017年8月28日 星期一\n标题\n本报讯 正文。")
    assert text == "\n\n标题\n本报讯 正文。" and removed["band"] == 2


@pytest.mark.parametrize(
    ("page", "removed"),
    [
        ("标题\n本报讯 正文。\n8", {"page_number": 1}),  # a bare page number at the foot
        ("第三版　民國九年四月三日\n標題\n正文。", {"page_number": 12}),  # old print
        ("贵阳都市报  2017年12月4日\n标题\n正文。", {"running_head": 17}),
        (
            "合肥青年报  2019年11月14日  责任编辑:袁翠山  美编:叶武锦\n标题\n正文。",
            {"running_head": 36},
        ),
        # one page's foot, a section name, the next page's head: mid-file, two pages a file
        (
            "标题\n正文。\n" * 4
            + "责任编辑：叶洋信\n科技\n贵阳都市报  2017年12月4日\n"
            + "标题\n正文。\n" * 4,
            {"staff": 8, "band": 2, "running_head": 17},
        ),
    ],
    ids=["bare-number", "old-print", "paper-and-date", "head-with-editors", "mid-file"],
)
def test_furniture_shapes(page: str, removed: dict[str, int]) -> None:
    assert dict(strip_furniture(page)[1]) == removed


def test_a_bare_number_inside_the_page_is_no_furniture() -> None:
    page = "标题\n正文。\n" * 4 + "8\n" + "标题\n正文。\n" * 4
    assert strip_furniture(page)[1] == Counter()


def test_a_learned_line_above_a_lead_is_a_reprinted_headline() -> None:
    # Five pages open with the same headline over its lead: it is learned as a line the
    # folder's pages share, and still kept where a lead follows it.
    page = "尤溪县总用劳模智慧培育新工匠\n本报讯（记者吴锋思）劳模智慧成了孵化器。\n正文。"
    text, removed = strip_furniture(page, frozenset({"尤溪县总用劳模智慧培育新工匠"}))
    assert text == page and removed == Counter()


def test_a_learned_line_next_to_furniture_is_furniture_anywhere() -> None:
    body = "标题\n正文。\n" * 4
    page = body + "工人日报\n第2版\n" + body
    text, removed = strip_furniture(page, frozenset({"工人日报"}))
    assert "工人日报" not in text and removed == Counter({"learned": 4, "page_number": 3})


# --- the stage --------------------------------------------------------------------------


def test_stage_accounts_for_every_character() -> None:
    pages = folder_pages()
    furniture = learn_furniture([("gr", furniture_candidates(p)) for p in pages], SegmentConfig())
    stats = Stats()
    docs = [Document(f"p{n}", page, f"gr/p{n}.txt", "utf_8") for n, page in enumerate(pages)]
    repaired = list(repair_lines(docs, LinesConfig(), stats))
    stories = list(segment(repaired, SegmentConfig(), stats, furniture))
    kept = sum(len(s.field_text()) for s in stories)
    assert sum(len(d.text) for d in docs) == kept + sum(stats.chars.values())
    assert stats.chars["segment.furniture.running_head"] == 4 * 19
    assert [s.id for s in stories[:2]] == ["p0-s01", "p1-s01"]
    assert stories[0].parent_id == "p0" and stories[0].title == "尤溪县总用劳模智慧培育新工匠"
    assert stories[0].line_span == (3, 4)
    assert stories[0].reporters == ("吴锋思",)


def test_stage_without_splitting_keeps_one_story_per_page() -> None:
    stats = Stats()
    doc = Document("p", "标题\n\n本报讯 正文。\n", "f.txt", "utf_8")
    (story,) = segment([doc], SegmentConfig(split=False), stats)
    assert story.text == "标题\n本报讯 正文。" and story.title is None
    assert story.line_span == (1, 3)
    assert stats.chars["segment.whitespace"] == 2


# --- properties -------------------------------------------------------------------------

PIECES = st.sampled_from(
    list("湖北省产业工人队伍建设改革方案")
    + list("，。、；：？！“”（）")
    + [
        "\n",
        "\n\n",
        "\u2028",
        " ",
        "本报讯（记者张三）",
        "本报通讯员 陈有会",
        "（李丰）",
        "倪树斌 摄",
        "图为",
        "此外，",
        "抓落实 见实效\n",
        "——",
        "工人日报 2017年8月28日 星期一\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=50).map("".join))
def test_segmentation_loses_no_text(page: str) -> None:
    stories = split_stories(page)
    assert nonspace("".join(fields(s) for s in stories)) == nonspace(page)
    spans = [s.line_span for s in stories if s.line_span]
    assert all(a <= b for a, b in spans)
    assert all(b1 < a2 for (_, b1), (a2, _) in pairwise(spans))


@pytest.mark.parametrize("page", ["", "\n\n", " \u2028 "])
def test_blank_page_has_no_story(page: str) -> None:
    assert split_stories(page) == []
