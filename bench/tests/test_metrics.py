"""Metric correctness on hand-made examples: perfect -> 1.0, known errors -> known numbers."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import alignment
from bench.metrics import (
    BoundaryCounts,
    ErrorRate,
    StoryCounts,
    adjusted_rand_index,
    char_error_rate,
    clusters_from_duplicates,
    count_best_kept,
    pair_counts,
    score_boundaries,
    score_dedup,
    score_line_breaks,
    score_stories,
    truth_boundaries,
)

TRUTH = "坚持问题导向 明确具体举措\n湖北推出改革方案\n本报讯（记者邹明强）湖北省日前下发方案。\n方案提出，要健全制度安排。\n（孙富常）"


# --------------------------------------------------------------------------- boundaries


def test_truth_boundaries_count_lines() -> None:
    assert truth_boundaries(TRUTH) == [12, 20, 40, 53]


def test_perfect_repair_scores_one() -> None:
    counts = score_boundaries(TRUTH, TRUTH)
    assert counts == BoundaryCounts(tp=4, fp=0, fn=0)
    assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0)


def test_allowed_changes_are_free() -> None:
    # blank lines, spaces, ASCII punctuation, straight quotes and kept furniture cost nothing
    repaired = (
        "工人日报 2017年8月28日 星期一\n\n坚持问题导向 明确具体举措\n\n湖北推出改革方案\n"
        "本报讯(记者邹明强) 湖北省日前下发方案。\n\n方案提出,要健全制度安排。\n(孙富常)\n第3版"
    )
    assert score_boundaries(repaired, TRUTH) == BoundaryCounts(tp=4, fp=0, fn=0)


def test_known_errors() -> None:
    # one wrap kept (fp), the title/deck boundary lost (fn), byline boundary lost (fn)
    repaired = (
        "坚持问题导向 明确具体举措湖北推出改革方案\n本报讯（记者邹明强）湖北省日前\n下发方案。\n"
        "方案提出，要健全制度安排。（孙富常）"
    )
    counts = score_boundaries(repaired, TRUTH)
    assert counts == BoundaryCounts(tp=2, fp=1, fn=2)
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(0.5)
    assert counts.f1 == pytest.approx(4 / 7)


def test_unrepaired_and_fully_joined_pages() -> None:
    raw = "坚持问题导向 明确具体举措\n湖北推出改革方案\n本报讯（记者邹明强）湖\n北省日前下发方案。\n方案提出，\n要健全制度安排。\n（孙富常）"
    assert score_boundaries(raw, TRUTH) == BoundaryCounts(tp=4, fp=2, fn=0)
    assert score_boundaries(raw.replace("\n", ""), TRUTH) == BoundaryCounts(tp=0, fp=0, fn=4)


def test_dropped_character_at_boundary_still_matches() -> None:
    # the pipeline lost the 。 right before a boundary: the boundary is still found
    repaired = TRUTH.replace("下发方案。\n", "下发方案\n")
    assert score_boundaries(repaired, TRUTH) == BoundaryCounts(tp=4, fp=0, fn=0)


def test_removed_hyphen_is_free() -> None:
    truth = "标题\n它提供 information 服务。"
    assert score_boundaries("标题\n它提供 infor-\nmation 服务。", truth).fp == 1
    assert score_boundaries("标题\n它提供 information 服务。", truth) == BoundaryCounts(1, 0, 0)
    assert char_error_rate("标题\n它提供 information 服务。", truth).edits == 0
    assert char_error_rate("标题\n它提供 infor-mation 服务。", truth).edits == 1


def test_counts_add_up() -> None:
    assert BoundaryCounts(1, 2, 3) + BoundaryCounts(1, 1, 1) == BoundaryCounts(2, 3, 4)
    assert sum([BoundaryCounts(1, 0, 0)] * 3, BoundaryCounts()) == BoundaryCounts(3, 0, 0)
    empty = BoundaryCounts()
    assert (empty.precision, empty.recall) == (1.0, 1.0)


def test_line_breaks_by_kind() -> None:
    raw = "工人日报\n标题\n正文第一\n段。正文\n第二段。"
    breaks = [
        {"nws": 4, "boundary": True, "kind": "furniture"},
        {"nws": 6, "boundary": True, "kind": "field"},
        {"nws": 10, "boundary": False, "kind": "wrap"},
        {"nws": 14, "boundary": False, "kind": "wrap"},
    ]
    result = score_line_breaks(raw, "标题\n正文第一段。\n正文第二段。", breaks)
    assert result == {
        "field": BoundaryCounts(1, 0, 0),
        "wrap": BoundaryCounts(0, 0, 0),
        "inserted": BoundaryCounts(0, 1, 0),
    }


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet="工人日报本讯，。“”（）ab1 ", min_size=1, max_size=12).filter(
            lambda s: s.strip()
        ),
        min_size=1,
        max_size=8,
    )
)
def test_truth_against_itself_is_perfect(lines: list[str]) -> None:
    truth = "\n".join(lines)
    counts = score_boundaries(truth, truth)
    assert counts.fp == counts.fn == 0


# --------------------------------------------------------------------------- CER


def test_cer_perfect_and_known() -> None:
    assert char_error_rate(TRUTH, TRUTH) == ErrorRate(0, len(alignment.canonical(TRUTH)))
    assert char_error_rate(TRUTH.replace("\n", "  "), TRUTH).edits == 0
    damaged = TRUTH.replace("已", "己").replace("湖北省日前", "湖北日前")
    assert char_error_rate(damaged, TRUTH).edits == 1  # 已 is not in TRUTH; one deletion
    rate = char_error_rate("本报讯己经开会", "本报讯已经开会。")
    assert (rate.edits, rate.length, rate.rate) == (2, 8, 0.25)
    assert ErrorRate().rate == 0.0
    assert ErrorRate(3, 0).rate == 1.0


def test_fallback_edit_distance_matches_rapidfuzz(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    alphabet = "工人日报本讯，。记者张三李四abc"
    cases = []
    for _ in range(60):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        b = list(a)
        for _ in range(rng.randint(0, 6)):
            op = rng.random()
            pos = rng.randrange(len(b) + 1)
            if op < 0.4 and pos < len(b):
                b[pos] = rng.choice(alphabet)
            elif op < 0.7 and pos < len(b):
                del b[pos]
            else:
                b.insert(pos, rng.choice(alphabet))
        cases.append((a, "".join(b)))
    exact = [alignment.levenshtein(a, b) for a, b in cases]
    if alignment._Levenshtein is not None:
        assert [alignment.edit_distance(a, b) for a, b in cases] == exact
    monkeypatch.setattr(alignment, "_Levenshtein", None)
    fallback = [alignment.edit_distance(a, b) for a, b in cases]
    assert all(f >= e for f, e in zip(fallback, exact, strict=True))  # an upper bound ...
    assert sum(f == e for f, e in zip(fallback, exact, strict=True)) >= 0.9 * len(cases)
    # ... and boundaries still score through the difflib alignment
    assert score_boundaries(TRUTH, TRUTH) == BoundaryCounts(4, 0, 0)


# --------------------------------------------------------------------------- stories

STORIES = [
    {
        "title": "湖北推出改革方案",
        "text": "坚持问题导向 明确具体举措\n湖北推出改革方案\n本报讯（记者邹明强）湖北省委、省政府日前下发实施方案，明确要求坚持党委统一领导。",
    },
    {
        "title": "",
        "text": "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开，省总工会党组书记出席并讲话。",
    },
    {
        "title": "内蒙古工会全方位帮扶困难职工",
        "text": "内蒙古工会全方位帮扶困难职工\n本报讯（记者李玉波 通讯员云龙）内蒙古工会不断丰富困难职工帮扶救助形式。\n（孙富常）",
    },
]


def test_perfect_segmentation() -> None:
    counts = score_stories(STORIES, STORIES)
    assert counts == StoryCounts(
        true_stories=3, predicted_stories=3, recovered=3, titled=2, titles_exact=2
    )
    assert (counts.recovered_share, counts.title_share) == (1.0, 1.0)


def test_merged_and_split_stories_are_not_recovered() -> None:
    merged = [
        STORIES[0],
        {"text": STORIES[1]["text"] + STORIES[2]["text"], "title": "内蒙古工会全方位帮扶困难职工"},
    ]
    assert score_stories(merged, STORIES).recovered == 1
    text = STORIES[0]["text"]
    split = [
        {"text": text[:40], "title": "湖北推出改革方案"},
        {"text": text[40:]},
        STORIES[1],
        STORIES[2],
    ]
    counts = score_stories(split, STORIES)
    assert (counts.recovered, counts.titles_exact) == (2, 2)


def test_small_damage_keeps_story_recovered_and_titles_compare_canonically() -> None:
    damaged = [dict(s) for s in STORIES]
    damaged[0]["text"] = damaged[0]["text"].replace("日前", "曰前")  # 1 of ~60 characters
    damaged[2]["title"] = "内蒙古工会全方位帮扶困难职工 "
    counts = score_stories(damaged, STORIES)
    assert (counts.recovered, counts.titles_exact) == (3, 2)
    damaged[0]["text"] = damaged[0]["text"].replace("明确要求坚持党委统一领导", "")
    assert score_stories(damaged, STORIES).recovered == 2


def test_wrong_title_and_plain_string_predictions() -> None:
    wrong = [dict(STORIES[0], title="坚持问题导向 明确具体举措"), STORIES[1], STORIES[2]]
    assert score_stories(wrong, STORIES).titles_exact == 1
    plain = [s["text"] for s in STORIES]
    counts = score_stories(plain, STORIES)
    assert (counts.recovered, counts.titles_exact) == (3, 0)
    assert score_stories([], STORIES) == StoryCounts(3, 0, 0, 2, 0)


def test_reporters_compare_by_name_and_order() -> None:
    truth = [dict(s, reporters=("李玉波", "云龙") if i == 2 else ()) for i, s in enumerate(STORIES)]
    perfect = score_stories(truth, truth)
    assert (perfect.named, perfect.reporters_exact, perfect.reporters_share) == (1, 1, 1.0)
    for wrong in ((), ("李玉波",), ("云龙", "李玉波")):
        predicted = [dict(s, reporters=wrong) if i == 2 else s for i, s in enumerate(truth)]
        assert score_stories(predicted, truth).reporters_exact == 0
    assert score_stories([s["text"] for s in truth], truth).reporters_share == 0.0


# --------------------------------------------------------------------------- dedup


def _brute_pairs(truth: dict[str, int], pred: dict[str, int]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(truth), 2):
        same_t, same_p = truth[a] == truth[b], pred[a] == pred[b]
        tp += same_t and same_p
        fp += same_p and not same_t
        fn += same_t and not same_p
    return tp, fp, fn


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=0, max_size=25))
def test_pair_counts_match_brute_force(labels: list[tuple[int, int]]) -> None:
    truth = {f"d{i}": t for i, (t, _) in enumerate(labels)}
    pred = {f"d{i}": p for i, (_, p) in enumerate(labels)}
    counts = pair_counts(truth, pred)
    assert (counts.tp, counts.fp, counts.fn) == _brute_pairs(truth, pred)
    assert -1.0 <= adjusted_rand_index(truth, pred) <= 1.0


def test_ari_known_values() -> None:
    ids = ["a", "b", "c", "d"]
    truth = dict(zip(ids, [0, 0, 1, 1], strict=True))
    assert adjusted_rand_index(truth, dict(zip(ids, [0, 0, 1, 2], strict=True))) == pytest.approx(
        0.5714285714
    )  # scikit-learn's documented example
    assert adjusted_rand_index(truth, dict(zip(ids, [5, 5, 7, 7], strict=True))) == 1.0
    assert adjusted_rand_index(truth, dict(zip(ids, [0, 1, 2, 3], strict=True))) == 0.0


def test_score_dedup_perfect_and_known() -> None:
    truth = {"a": "c1", "b": "c1", "c": "c1", "d": "c2", "e": "c3", "f": "c3"}
    complete = {"a": 1.0, "b": 0.6, "c": 0.99, "d": 1.0, "e": 0.7, "f": 1.0}
    perfect = score_dedup(truth, {"b": "a", "c": "a", "e": "f"}, complete)
    assert (perfect.pairs.f1, perfect.ari, perfect.best_kept_share) == (1.0, 1.0, 1.0)
    # f dropped for e (worse copy kept); c never merged; d wrongly merged into a
    scores = score_dedup(truth, {"b": "a", "d": "a", "f": "e"}, complete)
    assert (scores.pairs.tp, scores.pairs.fp, scores.pairs.fn) == (2, 2, 2)
    assert (scores.clusters, scores.best_kept) == (2, 1)


def test_duplicate_chains_and_lost_clusters() -> None:
    assert clusters_from_duplicates("abc", {"c": "b", "b": "a"}) == {"a": "a", "b": "a", "c": "a"}
    with pytest.raises(ValueError, match="cycle"):
        clusters_from_duplicates("ab", {"a": "b", "b": "a"})
    with pytest.raises(ValueError, match="same ids"):
        pair_counts({"a": 1}, {"b": 1})
    assert count_best_kept({"a": 1, "b": 1}, [], {"a": 1.0, "b": 0.5}) == (1, 0)
