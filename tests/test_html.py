from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sample_run import KEPT_ID, MARKUP_ID, PAGE, REMOVED_ID, records, report, story

from pipeline.report.html import ClusterView, PageView, render_html
from pipeline.report.views import _held

SOURCE = "workers-daily/2017-08-28-page.txt"


def sample() -> tuple[dict[str, Any], list[PageView], list[ClusterView], list[dict[str, Any]]]:
    corpus, duplicates, quarantine = records()
    page_stories = sorted(
        [r for r in corpus + duplicates if r["metadata"]["source"] == SOURCE],
        key=lambda r: r["id"],
    )
    page = PageView(
        "2017-08-28-page-1e40cae3", SOURCE, "utf_8", "utf-8", "simplified", PAGE, page_stories
    )
    cluster = ClusterView(next(r for r in corpus if r["id"] == KEPT_ID), duplicates)
    return report(corpus, duplicates), [page], [cluster], quarantine


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(*sample())


def test_self_contained(html: str) -> None:
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"https?://|@import|url\(|<link|<img|<iframe", html)
    assert not re.search(r'\b(?:src|href)="(?!#)', html)  # only in-page anchors
    assert re.search(r"<script>\s*\(function", html)  # the one inline script, no src


def test_everything_from_the_input_is_escaped(html: str) -> None:
    assert "<script>window" not in html
    assert "&lt;script&gt;window.__injected = 1&lt;/script&gt;" in html


def test_byte_identical_for_identical_input() -> None:
    rep, pages, clusters, quarantine = sample()
    first = render_html(rep, pages, clusters, quarantine)
    shuffled = {k: rep[k] for k in reversed(list(rep))}  # dict order must not matter
    shuffled["stages"] = dict(reversed(list(rep["stages"].items())))
    assert render_html(shuffled, pages, clusters, quarantine) == first


def test_summary_without_timings(html: str) -> None:
    for label in ("files", "stories kept", "duplicates removed", "files quarantined"):
        assert label in html
    assert "segment.furniture" in html and "big5hkscs" in html
    table = html.split("<h3>Stages</h3>")[1].split("</table>")[0]
    stages = re.findall(r"<tr><td>(\w+)</td>", table)
    assert stages == ["normalize", "segment", "convert"]  # pipeline order, not a-z
    assert "Time per stage is not shown here" in html
    assert not re.search(r"\d+\.\d+ ?s(econds)?\b", html)


def test_duplicate_cluster_with_figures(html: str) -> None:
    cluster = html.split(f'id="cluster-{KEPT_ID}"')[1].split("</details>")[0]
    assert "尤溪县总用劳模智慧培育新工匠" in cluster
    assert "similarity <strong>0.844</strong>" in cluster
    assert "containment <strong>0.969</strong>" in cluster
    assert "jaccard" not in cluster  # the similarity under its other name: shown once
    assert '<span title="Jaccard: the share of n-grams' in cluster  # each figure explained
    assert 'class="m drop" title="only in this removed copy"' in cluster  # the longer lede
    assert "m del" not in cluster  # nothing in a cluster is struck through as deleted
    assert f'href="#cluster-{KEPT_ID}">{KEPT_ID}</a>' in html  # from the removed story


def test_page_marks_removed_joined_and_rewritten(html: str) -> None:
    page = html.split('id="page-2017-08-28-page-1e40cae3"')[1]
    assert 'class="m del"' in page and "工人日报␣2017年8月28日␣第3版" in page  # furniture
    assert 'class="m br" title="line break joined"' in page
    assert 'title="rewritten (width, punctuation, quotes): ( → （"' in page
    for story_id in (KEPT_ID, REMOVED_ID, MARKUP_ID):
        assert f'id="story-{story_id}"' in page
    assert "lines 3–5" in page


def test_converted_script_is_marked() -> None:
    big5 = story(
        "b-s01", "香港电车更新车队", "b.txt", (1, 1), steps=("convert.t2s",), script="traditional"
    )
    view = PageView(
        "b", "b.txt", "big5hkscs", "detected", "traditional", "香港電車更新車隊\n", [big5]
    )
    html = render_html({}, [view], [], [])
    converted = re.findall(r'<span class="m conv" title="[^"]*">(\w+)</span>', html)
    assert converted == ["電車", "車隊", "电车", "车队"]


def test_stories_without_usable_spans_share_one_row() -> None:
    a = story("p-s01", "第一篇", "p.txt", (2, 2))
    b = story("p-s02", "第二篇", "p.txt", (1, 1))  # out of order: no per-story rows
    view = PageView("p", "p.txt", "utf_8", "utf-8", "simplified", "第二篇\n第一篇\n", [a, b])
    html = render_html({}, [view], [], [])
    assert html.count('<div class="row">') == 1
    assert 'id="story-p-s01"' in html and 'id="story-p-s02"' in html


def test_without_original_the_stories_are_shown_plain() -> None:
    view = PageView(
        "r",
        "news.jsonl",
        "utf_8",
        "jsonl",
        "simplified",
        None,
        [story("r-s01", "正文", "news.jsonl", (1, 1))],
    )
    html = render_html({}, [view], [], [])
    assert "The original text of this page is not available." in html
    assert "正文" in html


def test_long_pages_are_capped_and_say_so() -> None:
    text = "全国总工会召开会议，部署产业工人队伍建设改革。\n" * 2000  # 50,000 characters
    view = PageView(
        "big",
        "big.txt",
        "utf_8",
        "utf-8",
        "simplified",
        text,
        [story("big-s01", text.strip(), "big.txt", (1, 2000))],
    )
    started = time.perf_counter()
    html = render_html({}, [view], [], [], page_chars=5_000)
    assert time.perf_counter() - started < 10
    hidden = re.search(r"Not shown: ([\d,]+) more characters of the original", html)
    assert hidden and 40_000 < int(hidden.group(1).replace(",", "")) <= 45_000
    assert len(html) < 80_000


def test_pages_without_their_original_are_capped_too() -> None:
    # A 200 MB one-line file is read in parts and never shown as an original: its stories
    # alone once made a report.html as large as the input.
    text = "全国总工会召开会议，部署产业工人队伍建设改革。" * 2000  # 46,000 characters
    stories = [story(f"big-s0{k}", text, "big.txt", (1, 1)) for k in (1, 2)]
    view = PageView("big", "big.txt", "utf_8", "utf-8", "simplified", None, stories)
    html = render_html({}, [view], [], [], page_chars=5_000)
    hidden = re.search(r"Not shown: ([\d,]+) more characters of its stories and 1 more", html)
    assert hidden and int(hidden.group(1).replace(",", "")) == 2 * len(text) - 5_000
    assert len(html) < 40_000


def test_limits_are_reported(html: str) -> None:
    rep, pages, clusters, quarantine = sample()
    capped = render_html(
        rep, pages, clusters, quarantine, total_pages=120, total_clusters=7, total_quarantine=3
    )
    assert (
        "1 of 120 pages are shown, picked evenly across the run "
        "(<code>output.report_pages</code>, <code>output.report_bytes</code>)"
    ) in capped
    assert "1 of 7 clusters are shown" in capped
    assert "1 of 3 entries are shown" in capped
    assert "Pages (120)" in capped


def test_quarantine_rows(html: str) -> None:
    section = html.split('id="quarantine"')[1]
    assert "samples/page-scan.png" in section and "32.8% NUL bytes" in section
    assert "<td>binary</td>" in section


def test_empty_run_renders() -> None:
    html = render_html({}, [], [], [])
    assert "No duplicates were found." in html and "Nothing was quarantined." in html


def test_template_is_package_data() -> None:
    import pipeline

    assert (Path(pipeline.__file__).parent / "report" / "templates" / "report.html.j2").is_file()


def test_characters_held_back_from_a_long_story_count_as_not_shown() -> None:
    # views holds at most HELD_CHARS of a story; the rest still counts in "Not shown".
    text = "全国总工会召开会议，部署产业工人队伍建设改革。" * 100_000  # 2.3 M characters
    record = _held(story("big-s01", text, "big.txt", (1, 1)))
    view = PageView("big", "big.txt", "utf_8", "utf-8", "simplified", None, [record])
    html = render_html({}, [view], [], [], page_chars=5_000)
    hidden = re.search(r"Not shown: ([\d,]+) more characters", html)
    assert hidden and int(hidden.group(1).replace(",", "")) == len(text) - 5_000


def test_exact_and_similarity_are_explained_on_the_page(html: str) -> None:
    # Issue #17 item 13: "exact" with "similarity 1.000" beside copies that differ in
    # quotes and script, neither word explained.
    glossary = html.split('id="figures"')[1].split("</p>")[0]
    assert "<strong>exact</strong>: the two keys are the same, so the copies can still" in glossary
    for word in ("near", "contained", "similarity", "containment"):
        assert f"<strong>{word}</strong>" in glossary


def test_the_byte_budget_bounds_the_file_and_says_what_it_left_out() -> None:
    # Issue #17 item 13: 8 MB of report.html for 0.7 MB of input.
    rep, (page,), clusters, quarantine = sample()
    pages = [replace(page, page_id=f"page-{n:03d}") for n in range(40)]
    whole = render_html(rep, pages, clusters, quarantine, budget=10_000_000)
    assert "left out" not in whole
    budget = len(whole.encode()) // 3
    html = render_html(rep, pages, clusters, quarantine, budget=budget)
    assert len(html.encode()) <= budget
    shown = html.count('<details class="page"')
    assert 0 < shown < 40
    assert (
        f"{40 - shown} more sampled pages are left out to keep this file under "
        f"{budget:,} bytes (<code>output.report_bytes</code>)"
    ) in html
