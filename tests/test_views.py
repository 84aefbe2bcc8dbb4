from __future__ import annotations

import json
from pathlib import Path

import pytest
from sample_run import BIG5_PAGE, KEPT_ID, PAGE, REMOVED_ID, SampleRun, write_sample_run

from pipeline.report.review import OutputFolder
from pipeline.report.views import encoding_config, load_views, render_report


@pytest.fixture
def run(tmp_path: Path) -> SampleRun:
    return write_sample_run(tmp_path)


def test_pages_clusters_and_originals(run: SampleRun) -> None:
    folder = OutputFolder(run.output)
    views = load_views(folder, input_root=run.input_root, encoding=encoding_config(folder.report()))
    assert [p.page_id for p in views.pages] == ["big5-page-10dcc4af", "2017-08-28-page-1e40cae3"]
    big5, page = views.pages
    assert big5.original == BIG5_PAGE  # decoded again with the recorded codec
    assert page.original == PAGE
    assert [s["id"] for s in page.stories][:2] == [KEPT_ID, REMOVED_ID]  # page order
    (cluster,) = views.clusters
    assert cluster.kept["id"] == KEPT_ID
    assert [r["id"] for r in cluster.removed] == [REMOVED_ID]
    assert (views.total_pages, views.total_clusters, views.total_quarantine) == (2, 1, 1)


def test_limits(run: SampleRun) -> None:
    views = load_views(OutputFolder(run.output), input_root=None, max_pages=1, max_clusters=0)
    assert len(views.pages) == 1 and views.pages[0].original is None
    assert views.clusters == [] and views.total_clusters == 1


def test_no_original_when_the_input_changed(run: SampleRun) -> None:
    (run.input_root / "samples" / "big5-page.txt").write_text("香港电车更新车队，新车更宽敞。" * 5)
    views = load_views(OutputFolder(run.output), input_root=run.input_root)
    assert views.pages[0].original is None  # now UTF-8: never show a wrong original
    assert views.pages[1].original == PAGE


def test_record_inputs_have_no_page_original(run: SampleRun, tmp_path: Path) -> None:
    corpus = run.output / "corpus.jsonl"
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    rows[0]["metadata"]["source"] = "news.jsonl.gz"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    views = load_views(OutputFolder(run.output), input_root=run.input_root)
    assert views.pages[0].original is None


def test_render_report(run: SampleRun) -> None:
    folder = OutputFolder(run.output)
    html = render_report(folder, input_root=run.input_root)
    assert f'id="cluster-{KEPT_ID}"' in html and "similarity <strong>0.844</strong>" in html
    assert html == render_report(folder, input_root=run.input_root)


def test_new_files_can_be_read_before_the_swap(run: SampleRun) -> None:
    for path in run.output.iterdir():
        path.rename(path.with_name(path.name + ".new"))
    views = load_views(OutputFolder(run.output, ".new"), input_root=None)
    assert len(views.pages) == 2 and len(views.clusters) == 1


def test_compressed_pages_have_their_original(run: SampleRun) -> None:
    import gzip

    page = run.input_root / "workers-daily" / "2017-08-28-page.txt"
    page.with_name(page.name + ".gz").write_bytes(gzip.compress(page.read_bytes()))
    page.unlink()
    rewrite_source = run.output / "corpus.jsonl"
    text = rewrite_source.read_text(encoding="utf-8").replace("page.txt", "page.txt.gz")
    rewrite_source.write_text(text, encoding="utf-8")
    views = load_views(OutputFolder(run.output), input_root=run.input_root)
    assert views.pages[1].original == PAGE


def test_pages_and_clusters_are_sampled_evenly_across_the_run(run: SampleRun) -> None:
    # Issue #17 item 13: the report showed the first pages only.
    corpus = run.output / "corpus.jsonl"
    (record,) = [
        r for r in map(json.loads, corpus.read_text("utf-8").splitlines()) if "big5" in r["id"]
    ]
    rows = []
    for n in range(9):
        copy = json.loads(json.dumps(record))
        copy["id"] = f"p{n}-s01"
        copy["metadata"]["parent_id"] = f"p{n}"
        rows.append(json.dumps(copy, ensure_ascii=False) + "\n")
    corpus.write_text("".join(rows), encoding="utf-8")
    views = load_views(OutputFolder(run.output), input_root=None, max_pages=3)
    assert [p.page_id for p in views.pages] == ["p0", "p4", "p8"]
    assert views.total_pages == 10  # the nine, and the page of the removed copy
