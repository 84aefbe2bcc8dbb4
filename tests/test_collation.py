"""Collation: the kept copy of a cluster mended where a strict majority of its copies reads
one or two characters otherwise (issue 18, part 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.dedup import Change, apply_changes, collate
from pipeline.dedup.collation import conversion_explains, fold_for_collation
from pipeline.text import HAN_RE, to_simplified
from tests.cli_run import clean_pages, read_jsonl

BODY = (
    "据了解，这项工作已经在全省推开，各级工会组织积极参与，为职工办实事解难题，受到广大职工欢迎。"
)
OCR = BODY.replace("已经", "己经")  # the kept copy's misreading


def copies(*texts: str) -> list[tuple[str, str]]:
    return [(f"c{i}", text) for i, text in enumerate(texts)]


def test_a_majority_mends_a_misreading() -> None:
    (change,) = collate(OCR, copies(BODY, BODY, BODY))
    assert (change.old, change.new, change.support) == ("己", "已", ("c0", "c1", "c2"))
    assert apply_changes(OCR, [change]) == BODY


@pytest.mark.parametrize(
    ("others", "reason"),
    [
        ([BODY], "one copy is no majority"),
        ([BODY, OCR], "a tie is no majority"),
        ([BODY, BODY.replace("已经", "巳经"), OCR], "two readings split the vote"),
        ([BODY.replace("已经", "刚刚才"), BODY.replace("已经", "刚刚才")], "no substitution"),
        ([BODY.replace("已经", ""), BODY.replace("已经", "")], "a deletion never votes"),
    ],
    ids=["one", "tie", "split", "longer-run", "deletion"],
)
def test_no_majority_no_change(others: list[str], reason: str) -> None:
    assert collate(OCR, copies(*others)) == [], reason


def test_two_characters_at_once() -> None:
    kept = BODY.replace("职工欢迎", "职土次迎")
    changes = collate(kept, copies(BODY, BODY, BODY))
    assert apply_changes(kept, changes) == BODY
    assert [c.position for c in changes] == [kept.index("土"), kept.index("次")]


def test_copies_in_the_other_script_vote_folded() -> None:
    traditional = to_simplified(BODY, config="s2t")
    assert traditional != BODY
    assert apply_changes(OCR, collate(OCR, copies(traditional, traditional, BODY))) == BODY


def test_regional_vocabulary_never_outvotes_the_kept_copy() -> None:
    kept = "这套软件经网络更新，已经可以使用，用户无需重新安装。"
    taiwan = to_simplified(kept, config="s2twp")  # 軟體 / 網路: a paper's own words
    assert "軟體" in taiwan
    assert collate(kept, copies(taiwan, taiwan, taiwan)) == []


def test_copies_converted_back_from_traditional_mend_a_misreading_alone() -> None:
    """Every supporter was printed in Traditional and converted by the run: they still
    outvote an OCR misreading, which no conversion of the kept copy explains."""
    kept = "编辑任何用户定火的词典。"
    printed = to_simplified(to_simplified("编辑任何用户定义的词典。", config="s2t"))
    others = copies(printed, printed)
    (change,) = collate(kept, others, converted={"c0", "c1"})
    assert (change.old, change.new) == ("火", "义")


def test_a_conversion_round_trip_is_no_reading() -> None:
    """Copies converted back from Traditional read 默认值 as 预设值 (s2twp, then t2s), which
    the fold leaves apart: conversion explains it, so they never outvote the print."""
    kept = "环境变量的默认值由用户设定"
    taiwan = to_simplified(to_simplified(kept, config="s2twp"))
    assert "预设" in taiwan
    position = kept.index("默")
    assert conversion_explains(kept, position, fold_for_collation(taiwan)[position])
    assert not conversion_explains("地扯的数字", 1, "址")
    assert collate(kept, copies(taiwan, taiwan, taiwan), {"c0", "c1", "c2"}) == []


def test_the_print_is_written_never_the_folded_reading() -> None:
    """The fold reads a phrase as a whole (进程 -> 程序), which moves its characters: the
    copies' printed character is what is written, and a vote for the kept copy's own
    print is no change."""
    kept = "萍要求日志守护谜程滚动日志文件。"
    right = "萍要求日志守护进程滚动日志文件。"
    assert fold_for_collation(right) != right  # a phrase fold at 进程
    changes = collate(kept, copies(right, right, right))
    assert [(c.old, c.new) for c in changes] == [("谜", "进")]


def test_a_mark_in_either_width_is_the_same_mark() -> None:
    """A kept copy with half-width commas (PDF extraction) still has its context."""
    kept = "启动的话,那丝它会被考虑"
    right = "启动的话，那么它会被考虑"
    changes = collate(kept, copies(right, right, right))
    assert [(c.old, c.new) for c in changes] == [("丝", "么")]


def test_punctuation_and_quote_styles_are_not_voted() -> None:
    kept = "他说：“这项工作已经推开。”"
    corner = kept.replace("“", "「").replace("”", "」")
    assert collate(kept, copies(corner, corner, corner)) == []


def test_a_traditional_kept_copy_gets_the_traditional_reading() -> None:
    kept = to_simplified(OCR, config="s2t")  # 己經
    (change,) = collate(kept, copies(*[to_simplified(BODY, config="s2t")] * 3))
    assert (change.old, change.new) == ("己", "已")


HAN_TEXT = st.text(alphabet=st.sampled_from("已己经經工会會职職未末，。"), min_size=1, max_size=30)


@given(HAN_TEXT, st.lists(HAN_TEXT, min_size=0, max_size=5))
def test_collation_never_changes_the_length_nor_a_non_han(kept: str, others: list[str]) -> None:
    changes = collate(kept, copies(*others))
    mended = apply_changes(kept, changes)
    assert len(mended) == len(kept)
    for change in changes:
        assert kept[change.position] == change.old and HAN_RE.match(change.new)
        assert len(change.support) >= 2
    assert all(a == b or HAN_RE.match(a) for a, b in zip(kept, mended, strict=True))


# --- end to end: pipeline clean -------------------------------------------------------


def run(tmp_path: Path, pages: dict[str, str], *settings: str) -> tuple[list[Any], dict[str, Any]]:
    out = clean_pages(tmp_path, pages, *settings)
    html = (out / "report.html").read_text("utf-8")
    report = json.loads((out / "report.json").read_text("utf-8"))
    return read_jsonl(out / "corpus.jsonl"), {"report": report, "html": html}


# The kept copy is the most complete (the last sentence, the byline) but misreads 已经.
LONGEST = "工会办实事\n\n本报讯（记者卢翔）" + OCR + "下一步还将继续推进。（孙富常）\n"
PAGES = {
    "a/long.txt": LONGEST,
    "b/copy.txt": "工会办实事\n\n本报讯（记者卢翔）" + BODY + "\n",
    "c/copy.txt": "工会办实事\n\n本报讯（记者卢翔）" + BODY + "\n",
    "d/copy.txt": "工會辦實事\n\n本報訊（記者盧翔）" + to_simplified(BODY, config="s2t") + "\n",
}


def test_pipeline_clean_mends_the_kept_copy_and_says_so(tmp_path: Path) -> None:
    (story,), out = run(tmp_path, PAGES)
    assert story["metadata"]["source"] == "a/long.txt"
    assert "已经在全省推开" in story["text"] and "己经" not in story["text"]
    (change,) = story["metadata"]["collated"]
    assert (change["old"], change["new"], len(change["support"])) == ("己", "已", 3)
    assert story["text"][change["position"]] == "已"
    assert out["report"]["dedup"]["collated"] == 1
    assert out["report"]["dedup"]["collated_stories"] == 1
    assert "Collated" in out["html"] and "己 → 已" in out["html"]


def test_dedup_collate_false_leaves_the_text(tmp_path: Path) -> None:
    (story,), out = run(tmp_path, PAGES, "dedup.collate=false")
    assert "己经" in story["text"] and story["metadata"]["collated"] == []
    assert "collated" not in out["report"]["dedup"]


def test_a_clean_kept_copy_is_never_changed(tmp_path: Path) -> None:
    pages = dict(PAGES)
    pages["a/long.txt"] = LONGEST.replace("己经", "已经")
    pages["b/copy.txt"] = pages["b/copy.txt"].replace("已经", "己经")  # a copy's error
    (story,), _ = run(tmp_path, pages)
    assert story["metadata"]["collated"] == []
    assert "已经在全省推开" in story["text"]


def test_change_records_round_trip() -> None:
    change = Change(3, "己", "已", ("b", "c"))
    assert change.to_record() == {"position": 3, "old": "己", "new": "已", "support": ["b", "c"]}
