"""The layout measures on hand-made pages: perfect -> perfect, known errors -> known counts."""

from __future__ import annotations

import pytest

from bench.layout_scores import (
    LeakCounts,
    SentenceCounts,
    broken_sentences,
    count_sentences,
    error_mechanisms,
    furniture_leaked,
    rebuild_page,
    score_page,
)

TRUTH = (
    "湖北推出改革方案\n本报讯（记者邹明强）湖北省日前下发方案。方案提出要健全制度安排。\n（孙富常）"
)


# --------------------------------------------------------------------------- sentences


def test_count_sentences() -> None:
    assert count_sentences(TRUTH) == 4  # headline, two sentences, byline
    assert count_sentences("被截断的句子") == 1
    assert count_sentences("他说：“好。”然后走了。") == 2


@pytest.mark.parametrize(
    ("predicted", "broken"),
    [
        (TRUTH, 0),
        # a wrap kept after a sentence end splits a paragraph but breaks no sentence
        (
            "湖北推出改革方案\n本报讯（记者邹明强）湖北省日前下发方案。\n方案提出要健全制度安排。\n（孙富常）",
            0,
        ),
        # a wrap kept inside a sentence
        (
            "湖北推出改革方案\n本报讯（记者邹明强）湖北省日前\n下发方案。方案提出要健全制度安排。\n（孙富常）",
            1,
        ),
        (
            "湖北推出\n改革方案\n本报讯（记者邹明强）湖北省日前下发方案。方案提出\n要健全制度安排。\n（孙富常）",
            2,
        ),
        # boundaries joined break no sentence (they cost recall, not this)
        (
            "湖北推出改革方案本报讯（记者邹明强）湖北省日前下发方案。方案提出要健全制度安排。（孙富常）",
            0,
        ),
        # furniture left at the top is ignored
        ("工人日报 第3版\n" + TRUTH, 0),
    ],
    ids=["perfect", "sentence-end-kept", "one-wrap", "two-wraps", "all-joined", "furniture"],
)
def test_broken_sentences(predicted: str, broken: int) -> None:
    assert broken_sentences(predicted, TRUTH) == SentenceCounts(broken, 4)


def test_broken_sentences_per_10k() -> None:
    assert SentenceCounts(3, 20_000).per_10k == 1.5
    assert (SentenceCounts(1, 10) + SentenceCounts(0, 30)).per_10k == 250.0


# --------------------------------------------------------------------------- furniture

RAW = [
    "工人日报  2017年8月28日  星期一",
    "第3版",
    "湖北推出改革方案",
    "本报讯湖北省日前下发方案。",
    "8",
]


@pytest.mark.parametrize(
    ("predicted", "leaked"),
    [
        ("湖北推出改革方案\n本报讯湖北省日前下发方案。", 0),
        ("湖北推出改革方案\n本报讯湖北省日前下发方案。\n8", 1),  # bare page number
        ("第3版\n湖北推出改革方案\n本报讯湖北省日前下发方案。\n8", 2),
        ("工人日报 2017年8月28日 星期一 第3版 湖北推出改革方案 本报讯湖北省日前下发方案。8", 3),
        # a digit 8 inside the text is no leak of the page number
        ("湖北推出改革方案\n本报讯湖北省8日前下发方案。", 0),
    ],
    ids=["none", "page-number", "two", "all", "digit-in-text"],
)
def test_furniture_leaked(predicted: str, leaked: int) -> None:
    assert furniture_leaked(predicted, RAW, [0, 1, 4]) == LeakCounts(leaked, 3)


def test_leak_share() -> None:
    assert LeakCounts(1, 4).share == 0.25 and LeakCounts().share == 0.0


# --------------------------------------------------------------------------- reconstruction


def _record(span: tuple[int, int], text: str, **meta: object) -> dict[str, object]:
    fields = dict.fromkeys(("kicker", "title", "deck", "byline", "caption"))
    return {"text": text, "metadata": {**fields, "reporters": [], **meta, "line_span": list(span)}}


def test_rebuild_page_orders_stories_and_places_fields() -> None:
    raw = "抓落实 见实效\n标题一\n副题\n正文一。\n（李丰）\n图为会场。张三 摄\n标题二\n正文二。（王五）\n"
    records = [
        _record((7, 8), "正文二。", title="标题二", byline="（王五）"),
        _record(
            (1, 6),
            "正文一。",
            kicker="抓落实 见实效",
            title="标题一",
            deck="副题",
            byline="（李丰）",
            caption="图为会场。张三 摄",
            reporters=["张三"],
        ),
    ]
    text, stories = rebuild_page(records, raw)
    assert (
        text
        == "抓落实 见实效\n标题一\n副题\n正文一。\n（李丰）\n图为会场。张三 摄\n标题二\n正文二。（王五）"
    )
    assert [s["title"] for s in stories] == ["标题一", "标题二"]
    assert stories[0]["reporters"] == ["张三"]


def test_rebuild_page_reads_traditional_raw_through_the_converter() -> None:
    raw = "正文。\n（記者 李豐）\n"
    records = [_record((1, 2), "正文。", byline="（记者 李丰）")]
    text, _ = rebuild_page(records, raw, lambda s: s.replace("記", "记").replace("豐", "丰"))
    assert text == "正文。\n（记者 李丰）"
    text, _ = rebuild_page(records, raw)  # unconverted: the byline is taken as inline
    assert text == "正文。（记者 李丰）"


# --------------------------------------------------------------------------- mechanisms


def _story(fields: list[tuple[str, str]], **extra: object) -> dict[str, object]:
    return {
        "lines": [t for _, t in fields],
        "fields": [n for n, _ in fields],
        "truncated": False,
        "kind": "news",
        "lead": "",
        **extra,
    }


A = _story([("title", "甲地新闻标题"), ("paragraph", "甲地的一段很长的正文。")])
B = _story([("title", "乙地新闻标题"), ("paragraph", "乙地的一段很长的正文。")])
CUT = _story([("title", "甲地新闻标题"), ("paragraph", "甲地的一段很长的正文被截")], truncated=True)
LED = _story(
    [("title", "乙地新闻标题"), ("paragraph", "本报讯乙地的一段很长的正文。")], lead="本报讯"
)
TAIL = _story([("paragraph", "丙地的一段很长的正文结尾。")], kind="tail")
LONG = _story(
    [
        ("title", "丁地新闻标题"),
        ("paragraph", "丁地的第一段很长的正文。"),
        ("paragraph", "此外，丁地还有第二段正文。"),
        ("paragraph", "丁地的第三段很长的正文。"),
    ]
)


def _joined(*stories: dict[str, object]) -> str:
    return "\n".join(line for s in stories for line in s["lines"])  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("predicted", "truth", "expected"),
    [
        ([_joined(A), _joined(B)], [A, B], {}),
        ([_joined(A, B)], [A, B], {"headline swallowed without lead": 2}),
        ([_joined(CUT, B)], [CUT, B], {"headline after truncated story": 2}),
        ([_joined(A, LED)], [A, LED], {"merged with story above": 1, "merged with story below": 1}),
        ([_joined(A, TAIL)], [A, TAIL], {"orphaned tail glued": 2}),
        (
            [
                "丁地新闻标题\n丁地的第一段很长的正文。",
                "此外，丁地还有第二段正文。\n丁地的第三段很长的正文。",
            ],
            [LONG],
            {"connective paragraph cut off": 1},
        ),
        (
            [
                "丁地新闻标题\n丁地的第一段很长的正文。\n此外，丁地还有第二段正文。",
                "丁地的第三段很长的正文。",
            ],
            [LONG],
            {"body line read as headline": 1},
        ),
        (["甲地新闻标题\n甲地的一段很长", "的正文。"], [A], {"split inside a line": 1}),
        (["甲地新闻标题\n甲地的一段很短的正文。"], [A], {"text differs": 1}),
    ],
    ids=[
        "perfect",
        "swallowed",
        "after-truncated",
        "with-lead",
        "tail",
        "connective",
        "body",
        "wrap",
        "text",
    ],
)
def test_error_mechanisms(
    predicted: list[str], truth: list[dict[str, object]], expected: dict[str, int]
) -> None:
    assert dict(error_mechanisms(predicted, truth)) == expected


# --------------------------------------------------------------------------- whole page


def test_score_page_perfect_records() -> None:
    raw = "工人日报 第3版\n湖北推出改革方案\n本报讯（记者邹明强）湖北省日前\n下发方案。\n8\n"
    truth = {
        "script": "simplified",
        "text": "湖北推出改革方案\n本报讯（记者邹明强）湖北省日前下发方案。",
        "lines": [
            [0, "furniture", -1, True],
            [1, "title", 0, True],
            [2, "paragraph", 0, True],
            [3, "paragraph", 0, False],
            [4, "furniture", -1, True],
        ],
        "stories": [
            {
                "text": "湖北推出改革方案\n本报讯（记者邹明强）湖北省日前下发方案。",
                "title": "湖北推出改革方案",
                "reporters": ["邹明强"],
                "fields": ["title", "paragraph"],
                "lead": "本报讯（记者邹明强）",
                "kind": "news",
                "truncated": False,
            }
        ],
    }
    good = [
        _record(
            (2, 4),
            "本报讯（记者邹明强）湖北省日前下发方案。",
            title="湖北推出改革方案",
            reporters=["邹明强"],
        )
    ]
    counts = score_page(good, raw, truth)
    values = counts.values()
    assert values["stories 1:1"] == values["titles"] == values["reporters"] == 1.0
    assert values["boundary F1"] == 1.0 and values["CER"] == 0.0
    assert counts.sentences == SentenceCounts(0, 2)
    assert counts.furniture == LeakCounts(0, 2) and not counts.mechanisms
    leaky = [
        _record((1, 5), "本报讯（记者邹明强）湖北省日前\n下发方案。\n8", title="工人日报 第3版")
    ]
    counts = score_page(leaky, raw, truth)
    assert counts.furniture == LeakCounts(2, 2)
    assert counts.sentences.broken == 1
    assert counts.stories.recovered == 0 and counts.values()["titles"] == 0.0
