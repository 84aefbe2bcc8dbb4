"""Generator determinism, truth consistency and the truth files it writes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bench.alignment import canonical, line_gaps, nonspace
from bench.generate import (
    Knobs,
    PageKnobs,
    generate_corpus,
    generate_pages,
    page_truth,
    write_corpus,
)
from bench.metrics import char_error_rate, score_boundaries, score_line_breaks, score_stories
from bench.render import LayoutKnobs
from bench.stories import StoryKnobs, is_end_mark
from bench.tests.conftest import SMALL

HEAVY = Knobs(
    n_papers=3,
    page=PageKnobs(fragment=1.0, truncated=1.0, wire=0.3),
    story=StoryKnobs(
        kicker=0.8,
        deck=0.8,
        no_title=0.3,
        brief=0.3,
        photo=0.1,
        caption=0.5,
        byline=0.8,
        lead_own_line=0.4,
        title_quotes=0.5,
    ),
    layout=LayoutKnobs(
        flow=0.4,
        spacing=(0.0, 0.5, 0.5),
        blank_run=1.0,
        blank_wrap=1.0,
        kinsoku=0.0,
        hyphenate=1.0,
        number_cut=1.0,
        edge_end=0.5,
        heading_wrap=0.5,
        indent=1.0,
        halfwidth=1.0,
        inner_space=1.0,
        trailing_space=1.0,
    ),
)


def pages_of(prose, knobs: Knobs = SMALL, seed: int = 3, n: int = 9):  # type: ignore[no-untyped-def]
    simplified, traditional = prose
    return list(generate_pages(seed, n, knobs, simplified, traditional))


def strip_furniture_and_hyphens(page) -> str:  # type: ignore[no-untyped-def]
    """Raw text with the generator's hyphens and the furniture lines removed."""
    raw = list(page.raw)
    for brk in sorted(page.line_truth, key=lambda b: -b.offset):
        if brk.kind == "hyphen":
            i = brk.offset - 1
            while raw[i].isspace():
                i -= 1
            assert raw[i] == "-"
            del raw[i]
    furniture = list(page.furniture)
    kept = []
    for line in "".join(raw).split("\n"):
        if furniture and line.strip() == furniture[0]:
            furniture.pop(0)
            continue
        kept.append(line)
    assert not furniture, f"{page.id}: furniture lines not found whole in raw: {furniture}"
    return "\n".join(kept)


def test_same_seed_same_pages(prose) -> None:  # type: ignore[no-untyped-def]
    first, second = pages_of(prose), pages_of(prose)
    assert [p.raw for p in first] == [p.raw for p in second]
    assert first == second
    assert [p.raw for p in pages_of(prose, seed=4)] != [p.raw for p in first]


@pytest.mark.parametrize("knobs", [SMALL, HEAVY], ids=["default", "heavy-damage"])
def test_truth_reproduces_raw_content(prose, knobs: Knobs) -> None:  # type: ignore[no-untyped-def]
    for page in pages_of(prose, knobs):
        assert canonical(strip_furniture_and_hyphens(page)) == canonical(page.truth_text)


@pytest.mark.parametrize("knobs", [SMALL, HEAVY], ids=["default", "heavy-damage"])
def test_line_truth_points_at_breaks(prose, knobs: Knobs) -> None:  # type: ignore[no-untyped-def]
    for page in pages_of(prose, knobs):
        raw = page.raw
        positions = []
        for brk in page.line_truth:
            assert raw[brk.offset] == "\n"
            assert len(nonspace(raw[: brk.offset])) == brk.nws
            positions.append(brk.nws)
        assert positions == line_gaps(raw)  # one record per break between NWS characters
        story_boundaries = [b for b in page.line_truth if b.boundary and b.kind != "furniture"]
        assert len(story_boundaries) == len(page.boundaries)


def test_story_truth_follows_conventions(prose) -> None:  # type: ignore[no-untyped-def]
    stories = [s for p in pages_of(prose, HEAVY, n=12) for s in p.stories]
    kinds = {s.kind for s in stories}
    assert {"news", "brief", "fragment"} <= kinds
    for story in stories:
        assert story.title == "" or (len(story.title) <= 24 and story.title[-1] not in "。！？")
        if story.lead and story.lead_inline:
            assert story.paragraphs[0].startswith(story.lead)
        if story.byline and story.byline_inline:
            assert story.paragraphs[-1].endswith(story.byline)
        if story.byline and is_end_mark(story.byline):  # 本报记者 X: a line of its own
            assert not story.byline_inline and story.kind == "news"
        if story.truncated:
            assert story.paragraphs[-1][-1] not in "。！？"
            assert story.completeness < 1.0
        if story.kicker:
            assert " " in story.kicker or len(story.kicker) <= 8
        for name in story.reporters:
            assert name in story.lead
    assert any(s.fragment and not s.title for s in stories)
    assert any(s.truncated for s in stories)
    assert any(s.byline and is_end_mark(s.byline) for s in stories)


def test_perfect_prediction_scores_perfectly(prose) -> None:  # type: ignore[no-untyped-def]
    for page in pages_of(prose, HEAVY):
        repaired = "\n".join([*page.furniture[:1], page.truth_text, *page.furniture[1:]])
        counts = score_boundaries(repaired, page.truth_text)
        assert counts.fp == counts.fn == 0
        assert char_error_rate(page.truth_text, page.truth_text).edits == 0
        truth = [{"text": s.text, "title": s.title} for s in page.stories]
        stories = score_stories(truth, truth)
        assert stories.recovered == stories.true_stories
        assert stories.titles_exact == stories.titled


def test_unrepaired_raw_has_many_false_boundaries(prose) -> None:  # type: ignore[no-untyped-def]
    page = pages_of(prose, HEAVY)[0]
    counts = score_boundaries(page.raw, page.truth_text)
    assert counts.recall == 1.0
    assert counts.precision < 0.6


def test_written_corpus(prose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    simplified, traditional = prose
    manifest = generate_corpus(
        tmp_path / "a", 5, 6, SMALL, workers=1, simplified=simplified, traditional=traditional
    )
    pages = {p.id: p for p in generate_pages(5, 6, SMALL, simplified, traditional)}
    assert [e["id"] for e in manifest["pages"]] == list(pages)  # type: ignore[index]
    encodings = set()
    for page_id, page in pages.items():
        data = (tmp_path / "a" / "input" / f"{page_id}.txt").read_bytes()
        truth = json.loads((tmp_path / "a" / "truth" / f"{page_id}.json").read_text("utf-8"))
        encodings.add(truth["encoding"])
        assert data.decode(truth["encoding"]).replace("\r\n", "\n").lstrip("\ufeff") == page.raw
        assert truth["text"] == page.truth_text
        assert truth["boundaries"] == page.boundaries
        assert [s["text"] for s in truth["stories"]] == [s.text for s in page.stories]
        if page.script == "traditional":
            assert "text_simplified" in truth
    assert not list((tmp_path / "a" / "input").rglob("*.json"))  # truth stays out of input
    generate_corpus(
        tmp_path / "b", 5, 6, SMALL, workers=2, simplified=simplified, traditional=traditional
    )
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*"))
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_knobs_can_switch_damage_off(prose) -> None:  # type: ignore[no-untyped-def]
    clean = dataclasses.replace(
        SMALL,
        layout=LayoutKnobs(
            min_width=200,
            max_width=200,
            width_jitter=0,
            flow=0,
            spacing=(1, 0, 0),
            edge_end=0,
            heading_wrap=0,
            indent=0,
            halfwidth=0,
            inner_space=0,
            trailing_space=0,
        ),
        page=PageKnobs(furniture=0),
    )
    for page in pages_of(prose, clean):
        assert page.raw.rstrip("\n") == page.truth_text
        assert all(b.boundary for b in page.line_truth)


def test_write_corpus_utf8_only(prose, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pages = pages_of(prose, n=6)
    manifest = write_corpus(tmp_path, pages, mixed_encodings=False, meta={"note": "x"})
    assert {e["encoding"] for e in manifest["pages"]} == {"utf-8"}  # type: ignore[index]
    assert manifest["meta"] == {"note": "x"}
    for page in pages:
        text = (tmp_path / "input" / f"{page.id}.txt").read_text("utf-8")
        assert text.replace("\r\n", "\n") == page.raw


def test_line_break_scores_from_truth_json(prose) -> None:  # type: ignore[no-untyped-def]
    for page in pages_of(prose, HEAVY, n=3):
        truth = page_truth(page, page.encoding)
        kinds = score_line_breaks(page.raw, page.truth_text, truth["line_truth"])  # type: ignore[arg-type]
        assert all(c.fp == c.fn == 0 for c in kinds.values()), kinds
        untouched = score_line_breaks(page.raw, page.raw, truth["line_truth"])  # type: ignore[arg-type]
        assert sum(c.fn for c in untouched.values()) == 0
        assert sum(c.fp for c in untouched.values()) > 0
