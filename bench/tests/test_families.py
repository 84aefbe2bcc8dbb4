"""Layout families on TEST-ONLY stories: determinism, truth consistency, labels, pairing."""

from __future__ import annotations

import pytest

from bench.alignment import canonical, line_gaps
from bench.families import (
    FAMILY_NAMES,
    get_family,
    old_print_text,
    page_labels,
    training_pages,
)
from bench.generate import page_truth
from bench.sources import StoryPool
from bench.stories import Story
from bench.tests.prose_fixture import TEST_ONLY_SIMPLIFIED, TEST_ONLY_TRADITIONAL
from bench.tests.test_generate import strip_furniture_and_hyphens

# TEST-ONLY headings (written for these tests, like the prose fixture).
HEADINGS = (
    "市总工会部署职工服务工作",
    "福建：培育新工匠",
    "帮扶资金1.6亿元",
    "新系统方便工人查工资",
    "观摩会在呼和浩特召开",
    "劳模结对帮带青年职工",
    "社区服务站增至304个",
    "图书馆开设开源软件阅览区",
    "暑运发送旅客2.3亿人次",
    "城市公园免费开放，市民纳凉",
)
DECKS = ("全市职工服务中心设置六个窗口，具备十九项服务功能，方便职工办事",)


def _pool(dress: bool) -> StoryPool:
    stories = []
    for i in range(0, len(TEST_ONLY_SIMPLIFIED) - 3, 3):
        body = TEST_ONLY_SIMPLIFIED[i : i + 3]
        lead = "新华社北京1月20日电（记者王伟）" if (i // 3) % 2 and not dress else ""
        paragraphs = (lead + body[0], *body[1:]) if lead else body
        stories.append(
            Story(
                id=f"t{i}",
                cluster=f"t{i}",
                kicker="抓落实 见实效" if (i // 3) % 3 == 0 else "",
                title=HEADINGS[(i // 3) % len(HEADINGS)],
                deck="——记全国劳模张三" if (i // 3) % 4 == 1 else "",
                lead=lead,
                reporters=("王伟",) if lead else (),
                paragraphs=paragraphs,
            )
        )
    traditional = (
        Story(id="tw", cluster="tw", title="公園免費開放", paragraphs=TEST_ONLY_TRADITIONAL[:3]),
    )
    return StoryPool(
        "test",
        "measure",
        tuple(stories),
        traditional=traditional if dress else (),
        kickers=("抓落实 见实效",),
        long_decks=DECKS,
        dress=dress,
        paragraphs=TEST_ONLY_SIMPLIFIED,
        traditional_paragraphs=TEST_ONLY_TRADITIONAL,
    )


@pytest.fixture(scope="module", params=[False, True], ids=["as-printed", "dressed"])
def pages(request):  # type: ignore[no-untyped-def]
    return list(training_pages(_pool(request.param), families=FAMILY_NAMES, n_pages=8, seed=3))


def test_every_family_gives_pages(pages) -> None:  # type: ignore[no-untyped-def]
    families = {page.family for page in pages}
    assert families == set(FAMILY_NAMES)
    for page in pages:
        assert page.id.startswith(page.family + "/")
        assert page.stories


def test_same_seed_same_pages() -> None:
    pool = _pool(False)
    first = list(training_pages(pool, families=["wire", "jumps", "old-print"], n_pages=5, seed=7))
    again = list(training_pages(pool, families=["wire", "jumps", "old-print"], n_pages=5, seed=7))
    other = list(training_pages(pool, families=["wire", "jumps", "old-print"], n_pages=5, seed=8))
    assert [p.raw for p in first] == [p.raw for p in again]
    assert first == again
    assert [p.raw for p in first] != [p.raw for p in other]


def test_truth_reproduces_raw_content(pages) -> None:  # type: ignore[no-untyped-def]
    # removing furniture (and jump marks) and generated hyphens leaves the truth's characters
    for page in pages:
        assert canonical(strip_furniture_and_hyphens(page)) == canonical(page.truth_text), page.id


def test_line_roles_and_breaks(pages) -> None:  # type: ignore[no-untyped-def]
    for page in pages:
        raw_lines = page.raw.split("\n")
        labelled = [r.line for r in page.lines]
        assert labelled == [i for i, line in enumerate(raw_lines) if line.strip()], page.id
        furniture = [raw_lines[r.line] for r in page.lines if r.role in ("furniture", "jump")]
        assert [line.strip() for line in furniture] == [f.strip() for f in page.furniture]
        for r in page.lines:
            assert (r.story == -1) == (r.role in ("furniture", "jump"))
        assert [b.nws for b in page.line_truth] == line_gaps(page.raw)
        labels = page_labels(page)
        for brk in labels["breaks"]:  # type: ignore[attr-defined]
            assert brk["after"] < brk["before"]
            roles = {r.line: r for r in page.lines}
            before = roles[brk["before"]]
            if not brk["boundary"]:  # a wrap: the next line goes on with the same field
                assert not before.first
                assert before.story == roles[brk["after"]].story


def test_stories_in_truth_follow_fields(pages) -> None:  # type: ignore[no-untyped-def]
    for page in pages:
        truth = page_truth(page, page.encoding)
        for entry in truth["stories"]:  # type: ignore[attr-defined]
            assert len(entry["fields"]) == len(entry["text"].split("\n"))
        assert truth["family"] == page.family


def test_family_conventions(pages) -> None:  # type: ignore[no-untyped-def]
    by_family: dict[str, list] = {}  # type: ignore[type-arg]
    for page in pages:
        by_family.setdefault(page.family, []).append(page)
    wire = [s for p in by_family["wire"] for s in p.stories if s.kind == "news"]
    assert wire and not any(s.lead for s in wire)
    assert any(r.role == "author" for p in by_family["author-line"] for r in p.lines)
    assert any(
        k == "short-open" for p in by_family["short-open"] for k in (b.kind for b in p.line_truth)
    )
    old = by_family["old-print"]
    assert all(p.script == "traditional" for p in old)
    assert all("，" not in s.text for p in old for s in p.stories)
    assert any("民國" in line for p in old for line in p.furniture)
    assert all(len(p.id.rsplit("-p", 1)[1].split("-")) == 2 for p in by_family["two-pages"])
    assert all(p.furniture[-1].strip().isdigit() for p in by_family["page-number"])
    heads = [p.furniture[1] for p in by_family["two-line-head"]]
    assert all("责任编辑:" in line and "美编:" in line for line in heads)
    notices = [
        (p, k) for p in by_family["notices"] for k, s in enumerate(p.stories) if s.kind == "notice"
    ]
    assert notices
    for page, k in notices:
        assert {r.role for r in page.lines if r.story == k} == {"notice"}


def test_orphaned_tails_precede_their_headline(pages) -> None:  # type: ignore[no-untyped-def]
    tails = 0
    for page in (p for p in pages if p.family == "orphan-tail"):
        ids = [s.id for s in page.stories]
        for k, story in enumerate(page.stories):
            if story.kind == "tail":
                tails += 1
                head = page.stories[k + 1]
                assert story.continued_from == head.id and head.continued_on == story.id
                assert head.title and not story.title
                assert not story.paragraphs[0].startswith(("此外", "同时", "另外", "据了解"))
                assert head.id in ids
    assert tails


def test_jump_marks_pair_head_and_tail(pages) -> None:  # type: ignore[no-untyped-def]
    stories = {s.id: s for p in pages if p.family == "jumps" for s in p.stories}
    heads = [s for s in stories.values() if s.continued_on]
    assert heads
    for head in heads:
        tail = stories.get(head.continued_on)
        if tail is None:  # the tail's page fell past the corpus end
            continue
        assert tail.continued_from == head.id and tail.kind == "tail" and head.truncated
    marks = [f for p in pages if p.family == "jumps" for f in p.furniture]
    assert any("下转第" in m for m in marks) and any("上接第" in m for m in marks)


def test_old_print_text() -> None:
    assert old_print_text("清晨，他回到青年會。", __import__("random").Random(1)) in (
        "淸晨、他囘到靑年會",
        "淸晨、他囘到靑年會、",
    )


def test_unknown_family() -> None:
    assert get_family("7").name == "old-print"
    with pytest.raises(ValueError, match="unknown family"):
        get_family("tabloid")
