from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.report.marks import align, mark, mark_pair, mark_removed, visible

DATA = Path(__file__).resolve().parent.parent / "data"

PAIRS = [
    ("本报讯(记者卢翔)江西省产业工会", "本报讯（记者卢翔）江西省产业工会"),
    ("内蒙古工会全方位帮扶\n困难职工", "内蒙古工会全方位帮扶困难职工"),
    ("香港電車更新車隊", "香港电车更新车队"),
    ("", "全国总工会"),
    ("全国总工会", ""),
    ("1990-2000年", "1990-2000年"),
]


@pytest.mark.parametrize("a, b", PAIRS, ids=["punct", "join", "t2s", "insert", "delete", "same"])
def test_align_is_difflib_within_one_window(a: str, b: str) -> None:
    expected = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert align(a, b) == [tuple(op) for op in expected]


TEXT = st.text(alphabet=st.sampled_from(list("工人日报尤溪县总会，。“”,.()\n 12ab")), max_size=120)


@given(TEXT, TEXT, st.integers(min_value=1, max_value=24))
def test_align_covers_both_texts_in_order(a: str, b: str, window: int) -> None:
    ops = align(a, b, window=window)
    assert "".join(a[i1:i2] for _, i1, i2, _, _ in ops) == a
    assert "".join(b[j1:j2] for _, _, _, j1, j2 in ops) == b
    for tag, i1, i2, j1, j2 in ops:
        assert tag != "equal" or a[i1:i2] == b[j1:j2]


def test_windows_find_what_difflib_finds_on_the_sample_page() -> None:
    original = (DATA / "raw/workers-daily/2017-08-28-page.txt").read_text(encoding="utf-8")
    lines = [
        *(DATA / "clean/corpus.jsonl").read_text(encoding="utf-8").splitlines(),
        *(DATA / "clean/duplicates.jsonl").read_text(encoding="utf-8").splitlines(),
    ]
    stories = [json.loads(line) for line in lines]
    stories = sorted(
        (s for s in stories if "workers-daily" in s["metadata"]["source"]),
        key=lambda s: s["metadata"]["line_span"][0],
    )
    fields = ("kicker", "title", "deck", "text", "caption", "byline")
    cleaned = "\n".join(  # the sample page's stories, printed again in page order
        value
        for s in stories
        for value in (s["text"] if f == "text" else s["metadata"][f] for f in fields)
        if value
    )
    whole = difflib.SequenceMatcher(None, original, cleaned, autojunk=False).get_opcodes()
    windowed = align(original, cleaned, window=500)
    assert sum(op[0] != "equal" for op in windowed) == sum(op[0] != "equal" for op in whole)


def test_limit_stops_early_and_says_where() -> None:
    a = "职工书屋" * 2000
    ops = align(a, a, window=100, limit=300)
    assert 300 <= ops[-1][2] < len(a)


def test_removed_whitespace_is_visible_and_markup_escaped() -> None:
    assert visible("第3版\u3000\ufeff\t") == "第3版□⟨U+FEFF⟩⇥"
    html = mark("del", "<b>工人日报</b> ", "removed")
    assert "<b>" not in html and "&lt;b&gt;工人日报&lt;/b&gt;␣" in html
    assert mark("ins", "", "added") == ""


def test_mark_removed_keeps_the_line_layout() -> None:
    html = mark_removed("工人日报\n第3版")
    assert html.count("\n") == 1 and "⏎</span>\n" in html


@pytest.mark.parametrize(
    "a, b, converted, kinds",
    [
        ("本报讯(记者", "本报讯（记者", False, ["norm"]),
        ("帮扶\n困难", "帮扶困难", False, ["br"]),
        ("香港電車", "香港电车", True, ["conv"]),
        ("香港電車", "香港电车", False, ["norm"]),
        ("宣佈,明年", "宣布，明年", True, ["conv", "norm"]),
        ("第3版  工会", "工会", False, ["del"]),
        ("工会", "总工会", False, ["ins"]),
        ("工会", "工会组织", False, ["ins"]),
    ],
)
def test_cleaning_marks(a: str, b: str, converted: bool, kinds: list[str]) -> None:
    pair = mark_pair(a, b, [(0, len(b))], converted=converted)
    found = [
        k
        for k in ("del", "br", "ins", "conv", "norm", "chg")
        if f'class="m {k}"' in pair.left + pair.right[0]
    ]
    assert found == sorted(kinds, key=["del", "br", "ins", "conv", "norm", "chg"].index)


def test_right_side_is_cut_into_parts_without_separators() -> None:
    pair = mark_pair("标题\n正文内容", "标题\n正文内容", [(0, 2), (3, 7)])
    assert [str(p) for p in pair.right] == ["标题", "正文内容"]


def test_duplicate_diff_marks_only_in_one_copy() -> None:
    pair = mark_pair("今年以来，尤溪县", "“怎样清除？”今年以来，尤溪县总工会", [(0, 99)], diff=True)
    # Issue #17 item 13: text only in the kept copy was struck through in red, so the kept
    # title looked deleted. Each side now shows what only it has, struck through on neither.
    assert 'class="m drop" title="only in this removed copy"' in pair.right[0]
    assert "class=" not in pair.left
    pair = mark_pair("尤溪县总用劳模智慧\n今年以来", "今年以来", [(0, 99)], diff=True)
    assert str(pair.left).startswith('<span class="m keep" title="only in the kept copy">')
    assert "m del" not in pair.left and "⏎" not in pair.left  # shown as printed
