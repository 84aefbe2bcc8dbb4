"""The line model and what it reads: the certain rules as label limits, Viterbi, features,
the dictionary, the page's and the folder's text statistics, and line repair's use of it
(the model cuts what the rule engine joined, never joins what it keeps apart)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import LinesConfig
from pipeline.errors import PipelineError
from pipeline.layout.adapt import PRIOR_WEIGHT, headline_examples, learn_folders
from pipeline.layout.columns import rule_links
from pipeline.layout.facts import describe
from pipeline.layout.features import FEATURES, INDEX, page_features
from pipeline.layout.labels import page_lines
from pipeline.layout.lexicon import word_across
from pipeline.layout.lines import join_broken_lines
from pipeline.layout.model import (
    ANY,
    HEADLINE,
    LABELS,
    PARAGRAPH,
    PARAGRAPH_REST,
    REST,
    START,
    LineModel,
    decode,
    line_model,
    load_model,
)
from pipeline.layout.rules import allowed_labels, certain_boundary, certain_wrap
from pipeline.layout.signals import (
    CharTables,
    clause_edges,
    empty_tables,
    page_pairs,
    pair_information,
    simplified,
)

# --- the certain rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("above", "below", "wrap"),
    [
        ("改革举措坚持问题导", "，实现创新。", True),  # 避头: a comma never starts a line
        ("他说：“", "明白。”", True),  # 避尾: an opening quote never ends one
        ("共筹集资金1.", "6亿元。", True),  # a number cut by the column
        ("参见 CD-", "ROM 一节", True),  # a Latin word cut at its hyphen
        ("新华社成都5月23日电", "显示屏上的数字。", True),  # a lead formula alone goes on
        ("改革举措坚持问题导", "向，实现创新。", False),  # the model's to decide
    ],
    ids=["kinsoku-start", "kinsoku-end", "number", "hyphen", "bare-lead", "open"],
)
def test_certain_wraps(above: str, below: str, wrap: bool) -> None:
    fa, fb = describe([above, below], 32)
    assert certain_wrap(above, below, fa, fb) is wrap


@pytest.mark.parametrize(
    ("above", "below", "boundary"),
    [
        ("正文到此结束", "本报讯（记者邹明强）湖北省委", True),  # a lead opens a story
        ("（孙富常）", "贵阳市总重点培育农民工", True),  # a byline is a line of its own
        ("图为比赛现场。倪树斌 摄", "湖北推出改革方案", True),  # a credit ends a caption
        (
            "这是一段没有分栏的长段落，它写到了句子的末尾，然后接着写，一直写到这一行结束。",
            "下一段",
            True,
        ),
        ("改革举措坚持问题导", "向，实现创新。", False),
    ],
    ids=["lead", "byline", "credit", "unwrapped-sentence", "open"],
)
def test_certain_boundaries(above: str, below: str, boundary: bool) -> None:
    fa, fb = describe([above, below], 32)
    assert certain_boundary(fa, fb, 32) is boundary


def test_allowed_labels_pin_what_is_certain_and_what_is_fixed() -> None:
    lines = ["湖北推出改革方案", "本报讯 全省推出方案，包括", "，机制。", "据了解，方案"]
    masks = allowed_labels(lines, describe(lines, 32)).tolist()
    assert masks == [START, START, REST, ANY]
    fixed = allowed_labels(lines, describe(lines, 32), [None, None, None, True]).tolist()
    assert fixed[3] == REST


# --- Viterbi --------------------------------------------------------------------------------


def _model(**weights: float) -> LineModel:
    w = np.zeros((len(FEATURES), len(LABELS)))
    for name, value in weights.items():
        label, feature = name.split("__")
        w[INDEX[feature.replace("_", " ")], LABELS.index(label)] = value
    return LineModel(w, np.zeros((len(LABELS), len(LABELS))), empty_tables())


def test_decode_keeps_to_the_allowed_labels() -> None:
    model = _model(H__bias=5.0)  # every line would rather be a headline...
    x = np.zeros((3, len(FEATURES)), dtype=np.float32)
    x[:, INDEX["bias"]] = 1
    allowed = np.array([ANY, 1 << PARAGRAPH, REST])
    labels = decode(x, allowed, model).tolist()
    assert labels[0] == HEADLINE and labels[1] == PARAGRAPH and labels[2] in (2, 4)


def test_transitions_decide_between_equal_lines() -> None:
    model = _model()
    transitions = np.zeros((len(LABELS), len(LABELS)))
    transitions[PARAGRAPH, PARAGRAPH_REST] = 3.0  # a paragraph goes on
    model = replace(model, transitions=transitions)
    x = np.zeros((2, len(FEATURES)), dtype=np.float32)
    assert decode(x, np.array([1 << PARAGRAPH, ANY]), model).tolist() == [
        PARAGRAPH,
        PARAGRAPH_REST,
    ]


def test_rule_trust_favours_the_rule_engine_verdict() -> None:
    model = replace(_model(P__bias=0.2), rule_trust=1.0)  # a slight lean to a new paragraph
    x = np.zeros((2, len(FEATURES)), dtype=np.float32)
    x[:, INDEX["bias"]] = 1
    allowed = np.array([1 << PARAGRAPH, ANY])
    assert decode(x, allowed, model, [False, True])[1] in (2, 4)  # the rule's wrap wins
    assert decode(x, allowed, model, [False, False])[1] == PARAGRAPH


def test_a_model_fitted_with_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    np.savez(path, features=np.array(["bias"]), labels=np.array(LABELS))
    with pytest.raises(PipelineError, match="make model"):
        load_model(path)


def test_the_shipped_model_matches_the_code() -> None:
    model = line_model()
    assert model.weights.shape == (len(FEATURES), len(LABELS))
    assert model.transitions.shape == (len(LABELS), len(LABELS))
    # The label grammar: a paragraph's rest never follows a headline line directly.
    assert model.transitions[HEADLINE, PARAGRAPH_REST] < -100


# --- features and signals -------------------------------------------------------------------


def test_features_read_the_dictionary_the_page_and_the_lead() -> None:
    lines = [
        "湖北推出改革方案",
        "本报讯（记者邹明强）湖北省委日前下发方案，坚持问题导",
        "向，实现创新。",
    ]
    x = page_features(lines, [False] * 3, [0, 1, 0], empty_tables())
    assert x.shape == (3, len(FEATURES))
    assert x[1, INDEX["B lead"]] == 1 and x[1, INDEX["blank before"]] == 1
    assert x[2, INDEX["dictionary word across"]] == 1  # 导|向
    assert x[1, INDEX["dictionary word across"]] == 0  # 案|本


@pytest.mark.parametrize(
    ("above", "below", "word"),
    [("湖北推出改", "革方案", True), ("湖北推出改革方案", "本报讯", False), ("", "革", False)],
)
def test_word_across(above: str, below: str, word: bool) -> None:
    assert word_across(above, below) is word


def test_page_pairs_count_the_page_own_pairs_across_breaks() -> None:
    assert page_pairs(["尤溪县比照和借鉴科学", "带头人机制", "科学", "带头"]) == [True, False, True]


def test_clause_edges_are_page_statistics() -> None:
    edges = clause_edges(["改革，发展。改革", "发展，改革"])
    assert len(edges) == 1 and edges[0] > 0


def test_pair_information_reads_the_prose_tables() -> None:
    tables = CharTables(
        *(np.zeros(16, np.float32),) * 3,
        np.full(16, -1.0, np.float32),
        np.full(16, -2.0, np.float32),
    )
    assert pair_information(["改", "革"], tables).tolist() == [3.0]  # -1 - (-2) - (-2)


def test_a_traditional_page_reads_as_its_conversion() -> None:
    assert simplified(["湖北推出改革方案", "本報訊 記者報導"]) == [
        "湖北推出改革方案",
        "本报讯 记者报导",
    ]
    assert simplified(["湖北推出改革方案"]) == ["湖北推出改革方案"]


# --- what a run learns of a folder ----------------------------------------------------------


def test_headline_examples_are_lines_above_a_lead_and_prose() -> None:
    page = (
        "坚持问题导向 明确具体举措\n湖北推出改革方案\n本报讯（记者邹明强）湖北省委，日前下发方案。"
    )
    heads, prose = headline_examples(page)
    assert heads == ["湖北推出改革方案", "坚持问题导向 明确具体举措"]
    assert prose == ["本报讯（记者邹明强）湖北省委，日前下发方案。"]


def test_a_folder_without_text_keeps_the_prior_and_no_headline_table() -> None:
    prior = CharTables(
        *(np.zeros(16, np.float32),) * 3,
        np.log(np.full(16, 1 / 16, np.float32)),
        np.log(np.full(16, 1 / 16, np.float32)),
    )
    learned = learn_folders([("wire", [], [])], prior)["wire"]
    assert learned.headline is None
    np.testing.assert_allclose(learned.pair_logp, prior.pair_logp, atol=1e-6)
    busy = learn_folders([("gr", ["改革方案"], ["改革，发展" * 2000])], prior)["gr"]
    assert busy.headline is not None and busy.pair_logp.max() > np.log(1 / 16)
    assert PRIOR_WEIGHT > 0


# --- line repair ----------------------------------------------------------------------------

# A wire page: headlines with no lead under them, body in a column of 13.
WIRE = """巴内阁批准反恐怖行动计划
巴基斯坦内阁21日通过一项
旨在尽快改善社会治安状况的
反恐怖行动计划，其中包括收
缴非法武器和禁止在公共场合
携带枪支等措施。
郑州杆秤退出市场
郑州市工商部门的市场卫士们
在加大节日期间市场查处假冒
伪劣的同时，采取措施加强了
对消费品市场的日常监督管理。
"""


def test_line_repair_only_cuts_what_the_rule_joined() -> None:
    cfg = LinesConfig()
    joined = join_broken_lines(WIRE, cfg).split("\n")
    rules = rule_links(WIRE, cfg)
    kept = sum(link is None for link in rules) + 1
    assert len([line for line in joined if line]) >= kept  # never fewer paragraphs
    assert "郑州杆秤退出市场" in joined


def test_snippets_keep_the_rule_engine() -> None:
    # Fewer than lines.min_model_lines lines: no page habits to read, the rule decides.
    text = "湖北推出改革方案\n本报讯 全省发布方\n案，包括机制。"
    assert join_broken_lines(text) == "湖北推出改革方案\n本报讯 全省发布方案，包括机制。"
    assert [link is None for link in rule_links(text)] == [True, False]


def test_page_lines_count_blank_lines_and_indents() -> None:
    page = page_lines(["标题", "", "", "　　正文。", "续"])
    assert page.blanks == [0, 2, 0] and page.indented == [False, True, False]
    assert page.index == [0, 3, 4]
