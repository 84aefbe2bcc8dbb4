"""Column-break repair and de-hyphenation: tiny cases, peer fixtures, properties, the stage."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from re import _constants as C  # noqa: N812 (only to check the tables of layout)
from re._parser import parse
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.config import HeadlineConfig, LinesConfig
from pipeline.document import Document, Stats
from pipeline.layout import facts as line_facts
from pipeline.layout import page as layout_page
from pipeline.layout import shapes as layout
from pipeline.layout.facts import describe, furniture_rules
from pipeline.layout.lines import dehyphenate, join_broken_lines, repair_lines
from pipeline.layout.page import Page
from pipeline.layout.shapes import (
    NO_LINE_START,
    WRAP_MARK,
    ends_sentence,
    furniture_rule,
    has_credit,
    is_byline,
    is_credit_line,
    is_heading_shaped,
    is_lead_line,
    line_width,
    starts_with_lead,
)
from pipeline.layout.words import words
from pipeline.text.normalization import normalize_text

SAMPLE = Path(__file__).parents[1] / "data" / "raw" / "workers-daily" / "2017-08-28-page.txt"
PEER = Path(__file__).parents[2] / "shared" / "peer" / "line-joining-markdown-it-cjk-breaks"


def nonspace(text: str) -> str:
    return "".join(text.split())


def _column_width(line: str) -> float:
    """The printed width without a mark hung past the column edge (the rule's own)."""
    width = line_width(line)
    return width - line_width(line[-1]) if line[-1] in NO_LINE_START else width


# --- tiny inputs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("发展机制，包\n\n括激励机制。", "发展机制，包括激励机制。"),
        ("加快推进产业工\n\n人素质提升。", "加快推进产业工人素质提升。"),
        ("标题\n\n本报讯 正文。", "标题\n本报讯 正文。"),
        ("第一段。\n\n\n\n第二段。", "第一段。\n第二段。"),
        ("\n\n正文。\n", "正文。\n"),
        ("", ""),
        ("  \n\t\n", ""),
        ("the quick\nbrown fox.", "the quick brown fox."),
    ],
    ids=[
        "blank-line-wrap",
        "word-cut",
        "heading-then-lead",
        "blank-run",
        "edges",
        "empty",
        "blank-only",
        "latin",
    ],
)
def test_join_tiny(raw: str, expected: str) -> None:
    assert join_broken_lines(raw) == expected


def test_sample_page_joins_the_quoted_breaks() -> None:
    text = join_broken_lines(dehyphenate(normalize_text(SAMPLE.read_text(encoding="utf-8"))))
    for joined in (
        "包括创新激励机制",
        "产业工人素质提升",
        "政策协调和组织推进",
        "各级党委政府将困难职工",
    ):
        assert joined in text
    paragraphs = text.split("\n")
    assert "变群众上访为干部下访" in paragraphs
    assert "大城县的做法包括：坚持领导干部下访" in paragraphs


def test_marked_form_keeps_source_lines_and_collapses_to_the_joined_form() -> None:
    raw = normalize_text(SAMPLE.read_text(encoding="utf-8"))
    marked = join_broken_lines(dehyphenate(raw, mark_wraps=True), mark_wraps=True)
    assert len(re.split(f"[\n{WRAP_MARK}]", marked)) == len(raw.split("\n"))
    collapsed = [line for line in marked.replace(WRAP_MARK, "").split("\n") if line.strip()]
    assert "\n".join(collapsed) == join_broken_lines(dehyphenate(raw))


def test_thresholds_are_config() -> None:
    text = "湖北推出产业工人\n队伍建设改革方案\n本报讯 正文。"
    assert join_broken_lines(
        text, LinesConfig(headline=HeadlineConfig(max_width=4))
    ) != join_broken_lines(text)


# Each threshold of the rule that is not a width or a share, with a page whose repair it
# decides: the default keeps (or joins) a break that the other value does not.
COUNT_THRESHOLDS = {
    "min_blank_breaks: too few breaks to read the blank lines by default": (
        LinesConfig(min_blank_breaks=1),
        "会议要求，各级工会落实举措，做好工\n作。各级工会要加强职工培训提升素质。\n"
        "这项工作，已全面开展，效果很好。\n\n全省职工，踊跃参加，反响良好。\n\n"
        "大家表示，还要参加，继续学习。\n",
    ),
    "min_column_lines: two lines are too few to call a page set in columns": (
        LinesConfig(min_column_lines=1),
        "湖湖湖湖（李丰）。\n湖湖湖。\u3000\u3000湖",
    ),
    "headline.max_lines: a lead two lines down opens a story": (
        LinesConfig(headline=HeadlineConfig(max_lines=1)),
        "一次，因列车超员，车厢拥挤，旅客便抱怨是列车\n变群众上访为干部下访\n"
        "大城县信访与工会工作“联姻”\n本报讯 连续5年职工“零上访”。",
    ),
    "headline.max_kicker_phrase: a kicker is never joined to the line below": (
        LinesConfig(headline=HeadlineConfig(max_kicker_phrase=2)),
        "前文结束了。\n\n抓落实 见实效\n的新举措\n本报讯（记者李四）湖北省日前下发方案。",
    ),
    "min_repeated_start: a line repeating the headline's start is no wrap": (
        LinesConfig(min_repeated_start=8),
        "劳模创新工作室建设\n劳模创新\n本报讯（记者李四）劳模创新工作室日前挂牌。",
    ),
    "caption_lines: the credit two lines down makes a caption": (
        LinesConfig(caption_lines=1),
        "\u3000\u3000本报讯 江西省产业工会工作会议近日召开。\n"
        "\u3000\u3000会议要求各级工会推进改革。\n"
        "职工趣味运动会\n8月26日，职工趣味运动会在亳州举办，来自北京、苏\n"
        "州等地的队员参赛。倪树斌 摄\n\u3000\u3000本报讯 广州市总工会日前推行产业工人卡。",
    ),
}


@pytest.mark.parametrize(("cfg", "text"), COUNT_THRESHOLDS.values(), ids=COUNT_THRESHOLDS)
def test_count_thresholds_are_config(cfg: LinesConfig, text: str) -> None:
    assert join_broken_lines(text, cfg) != join_broken_lines(text)


# --- peer fixtures: markdown-it-cjk-breaks ------------------------------------------------

# markdown-it keeps a break between CJK and Latin (it renders as a space); newspaper text
# joins such a wrap with nothing (在K154次列车), and these short lines read as a headline
# and its wrapped rest.
PEER_MARKDOWN_ONLY = ("Emphasis tokens should be skipped", "Should process EOL correctly")
PEER_XFAIL = {
    "Keep linebreaks between hiragana (wide) and english": "CJK next to Latin is joined here",
}


def _peer_fixtures() -> list[object]:
    path = PEER / "cjk_breaks.txt"
    if not path.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{path} not present"))]
    params = []
    text = path.read_text(encoding="utf-8")
    for block in re.findall(r"(?m)^(\S[^\n]*)\n\.\n(.*?)\n\.\n<p>(.*?)</p>\n\.", text, re.DOTALL):
        title, source, html = block
        marks = []
        if title in PEER_MARKDOWN_ONLY:
            marks.append(pytest.mark.skip(reason="Markdown-only syntax (emphasis, image)"))
        elif title in PEER_XFAIL:
            marks.append(pytest.mark.xfail(reason=PEER_XFAIL[title], strict=True))
        params.append(pytest.param(source, html, marks=marks, id=title))
    return params


@pytest.mark.parametrize(("source", "expected"), _peer_fixtures())
def test_markdown_it_cjk_breaks(source: str, expected: str) -> None:
    assert join_broken_lines(source) == expected


# --- properties -------------------------------------------------------------------------

PIECES = st.sampled_from(
    list("湖北省产业工人队伍建设改革方案本报讯记者摄的了和")
    + list("，。、；：？！“”《》（）…")
    + list("abcXY019-.,;:()!? ")
    + [
        "\n",
        "\n\n",
        "\u3000\u3000",
        "本报讯（记者张三）",
        "（李丰）",
        "倪树斌 摄",
        "infor-\nmation",
    ]
)
TEXTS = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_join_keeps_every_nonspace_character_in_order(text: str) -> None:
    assert nonspace(join_broken_lines(text)) == nonspace(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
# Two short paragraphs as wide as each other once joined: a page of paragraphs is no column.
@example("尤溪县总工会今年组建\n了导师团。\n\n导师团由七位劳模组成\n，每月走进。\n")
# A first line whose 。 was cut onto a line of its own is still a first line once joined.
@example("湖湖湖湖湖湖湖湖\n。\n湖湖湖湖湖。湖")
# Two lines are too few to say a page is set in columns (a first run joined the first two).
@example("湖湖湖湖\n（李丰）。\n湖湖湖。\u3000\u3000湖")
def test_join_is_idempotent(text: str) -> None:
    once = join_broken_lines(text)
    assert join_broken_lines(once) == once


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_dehyphenate_removes_only_hyphens(text: str) -> None:
    before, after = nonspace(text), nonspace(dehyphenate(text))
    i = 0
    for ch in before:  # ``after`` is ``before`` with some hyphens left out, nothing else
        if i < len(after) and after[i] == ch:
            i += 1
        else:
            assert ch == "-"
    assert i == len(after)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_marked_form_keeps_line_count(text: str) -> None:
    marked = join_broken_lines(dehyphenate(text, mark_wraps=True), mark_wraps=True)
    assert len(re.split(f"[\n{WRAP_MARK}]", marked)) == len(re.split(f"[\n{WRAP_MARK}]", text))
    assert nonspace(marked) == nonspace(dehyphenate(text))


# --- the per-page index asks what layout asks -------------------------------------------


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_units_answer_as_the_layout_predicates(text: str) -> None:
    cfg = LinesConfig()
    page = Page(text, cfg)
    units, _ = page.paragraphs(with_blanks=True)
    for unit in units:
        line = unit.stripped
        assert unit.facts.ends == ends_sentence(unit.text)
        assert unit.facts.heading == is_heading_shaped(unit.text, cfg.headline.max_width)
        assert unit.facts.alone == (
            is_byline(line) or is_lead_line(line) or furniture_rule(line) is not None
        )
        assert (unit.facts.credit, unit.facts.credit_line) == (
            has_credit(line),
            is_credit_line(line),
        )
        assert (unit.facts.lead, unit.facts.lead_line) == (
            starts_with_lead(line),
            is_lead_line(line),
        )
        assert unit.facts.width == line_width(line)


LINE_PIECES = st.sampled_from(
    [
        *"湖北省产业工人本报讯记者张三摄发星期一年月日版第",
        *"，。、；：？！（）“”《》…—·",
        *"abXY0129-.,;:()!? \t\u3000",
        *("本报讯（记者张三）", "（李丰）", "倪树斌 摄", "新华社发", "- 3 -"),
        *("责任编辑：", "2017年8月28日", "此外，"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(LINE_PIECES, min_size=1, max_size=30).map("".join), max_size=8))
def test_line_facts_are_the_predicates(lines: list[str]) -> None:
    lines = [line.strip() for line in lines if line.strip()]
    for max_width in (32.0, 6.0):
        for line, facts in zip(lines, describe(lines, max_width), strict=True):
            assert facts == (
                line_width(line),
                _column_width(line),
                ends_sentence(line),
                is_heading_shaped(line, max_width),
                is_byline(line),
                starts_with_lead(line),
                is_lead_line(line),
                has_credit(line),
                is_credit_line(line),
                furniture_rule(line),
                is_byline(line) or is_lead_line(line) or furniture_rule(line) is not None,
            )
    assert furniture_rules(lines) == [furniture_rule(line) for line in lines]


def test_line_facts_of_lines_too_long_for_packed_counts() -> None:
    lines = ["湖北（推出）" * 3000, "a(b" * 6000 + "c", "短标题", "（" * 20000 + "）" * 20000]
    for line, facts in zip(lines, describe(lines, 32.0), strict=True):
        assert facts[:4] == (
            line_width(line),
            _column_width(line),
            ends_sentence(line),
            is_heading_shaped(line, 32.0),
        )


def test_giant_pages_take_the_paths_without_arrays(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages and lines too big for arrays are measured and counted with str methods: the
    same answers (limits shrunk here so that small texts take those paths)."""
    texts = [
        normalize_text(SAMPLE.read_text(encoding="utf-8")),
        "湖北推出改革方案\n本报讯 谢谢谢\n谢谢你，湖北省的改\n革举措坚持问题导\n向。",
    ]
    expected = [(join_broken_lines(t), join_broken_lines(t, mark_wraps=True)) for t in texts]
    lines = [line.strip() for line in texts[0].splitlines() if line.strip()]
    facts = describe(lines, 32.0)
    monkeypatch.setattr(layout_page, "_ARRAY_LIMIT", 0)
    monkeypatch.setattr(line_facts, "_BATCH", 37)
    monkeypatch.setattr(layout, "_CHUNK", 5)
    assert [(join_broken_lines(t), join_broken_lines(t, mark_wraps=True)) for t in texts] == (
        expected
    )
    assert describe(lines, 32.0) == facts


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_pairs_counted_with_and_without_arrays_agree(text: str) -> None:
    page = Page(text + "\n谢谢谢\n谢谢", LinesConfig())
    edges = [
        (page.lines[i].rstrip()[-1], page.lines[j].lstrip()[0]) for i, j in pairwise(page.filled)
    ]
    assert [page._count_pair(left, right) for left, right in edges] == page._count_pairs()


def _edge_chars(items: Any, last: bool) -> tuple[set[str], bool]:
    """The characters a match of a parsed pattern can start (``last``: end) with, and
    whether it can be empty; fails on what it cannot bound (``.``, negated sets)."""
    chars: set[str] = set()
    for op, arg in reversed(list(items)) if last else items:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero width
        if op is C.LITERAL:
            return chars | {chr(arg)}, False
        if op is C.IN:
            for kind, value in arg:
                assert kind in (C.LITERAL, C.RANGE), kind
                low, high = (value, value) if kind is C.LITERAL else value
                assert high - low < 256, "a range too wide for a table"
                chars |= {chr(c) for c in range(low, high + 1)}
            return chars, False
        if op is C.SUBPATTERN:
            found, empty = _edge_chars(arg[-1], last)
        elif op is C.BRANCH:
            edges = [_edge_chars(alternative, last) for alternative in arg[1]]
            found = set().union(*(e[0] for e in edges))
            empty = any(e[1] for e in edges)
        else:
            assert op in (C.MAX_REPEAT, C.MIN_REPEAT), op
            found, empty = _edge_chars(arg[2], last)
            empty = empty or arg[0] == 0
        chars |= found
        if not empty:
            return chars, False
    return chars, True


@pytest.mark.parametrize(
    ("table", "pattern", "last"),
    [
        ("credit_last", "credit", True),
        (layout.BYLINE_FIRST, "byline", False),
        (layout.BYLINE_LAST, "byline", True),
        (layout.BYLINE_LAST, "inline_byline", True),
        ("lead_first", "lead", False),
        ("role_first", "lead_line", False),
    ],
    ids=["credit", "byline-first", "byline-last", "inline-byline", "lead", "lead-line"],
)
def test_edge_tables_match_the_patterns(table: str, pattern: str, last: bool) -> None:
    """An edge table is a string of characters, or the name of one in ``words()``."""
    if table.isidentifier():
        table = getattr(words(), table)
    chars, empty = _edge_chars(parse(getattr(words(), pattern).pattern), last)
    assert not empty
    assert chars == set(table)


# --- the stage --------------------------------------------------------------------------


def test_stage_counts_what_it_removes() -> None:
    stats = Stats()
    doc = Document("p", "参见 infor-\nmation 一节。包 \n\n括创新。", "f.txt", "utf_8")
    (out,) = repair_lines([doc], LinesConfig(), stats)
    assert out.steps == ("dehyphenate", "join_broken_lines")
    assert stats.chars["dehyphenate"] == 1  # the hyphen
    assert stats.chars["join_broken_lines"] == 1  # the blank before the break
    assert len(doc.text) - len(out.text) == sum(stats.chars.values())
    assert out.text.replace(WRAP_MARK, "") == "参见 information 一节。包括创新。"


def test_stage_switches() -> None:
    stats = Stats()
    doc = Document("p", "包\n括。", "f.txt", "utf_8")
    (out,) = repair_lines([doc], LinesConfig(join=False, dehyphenate=False), stats)
    assert out is doc and not stats.chars


def test_clause_edge_only_vetoes_joins_made_for_width() -> None:
    """The clause-boundary statistic keeps a headline as wide as the column apart from the
    body; with the threshold out of reach the same lines join for their width."""
    page = (
        "全省职工技能大赛在成都举行\n今年的大赛共设十个比赛项目\n和三个表演项目，参赛职工来\n"
        "自全省各地。比赛上周在成都\n举行。今年的赛事规模超过往\n年，今年也更受重视。"
    )
    kept = join_broken_lines(page)
    joined = join_broken_lines(page, LinesConfig(clause_edge=1.0))
    assert kept.split("\n")[0] == "全省职工技能大赛在成都举行"
    assert joined.startswith("全省职工技能大赛在成都举行今年的大赛")
    assert kept.replace("\n", "") == joined
