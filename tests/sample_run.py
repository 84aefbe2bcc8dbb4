"""A small output folder shaped like a run after segmentation and near-duplicate removal.

Used by the report, review and browser tests. The input has a page holding the 尤溪县
story twice (a reprint with a longer lede: the near-duplicate pair of the sample page), a
Big5 page in Traditional script, a binary file; the output is what the run writes for
them, with one story carrying markup to prove that everything is escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAGE = (
    "工人日报 2017年8月28日 第3版\n"
    "\n"
    "尤溪县总用劳模智慧培育新工匠\n"
    "本报讯(记者吴锋思 通讯员蔡苗)今年以来,在福建省尤溪县总工会“量身定制”的5家劳模工作室里,\n"
    "53人的工匠团队完成了17项新工艺、新技术的专利申报。\n"
    "\n"
    "尤溪县总用劳模智慧培育新工匠\n"
    "本报讯(记者吴锋思 通讯员蔡苗)“高速运行织机卷绕产生的纱疵怎样才能高效清除?”今年以来,"
    "在福建省尤溪县总工会“量身定制”的5家劳模工作室里,53人的工匠团队完成了17项新工艺、新技术的专利申报。\n"
    "\n"
    "<script>window.__injected = 1</script> 职工书屋开放\n"
)
KEPT_TEXT = (
    "本报讯（记者吴锋思 通讯员蔡苗）今年以来，在福建省尤溪县总工会“量身定制”的5家劳模工作室里，"
    "53人的工匠团队完成了17项新工艺、新技术的专利申报。"
)
REMOVED_TEXT = (
    "本报讯（记者吴锋思 通讯员蔡苗）“高速运行织机卷绕产生的纱疵怎样才能高效清除？”今年以来，"
    "在福建省尤溪县总工会“量身定制”的5家劳模工作室里，53人的工匠团队完成了17项新工艺、新技术的专利申报。"
)
BIG5_PAGE = (
    "香港電車更新車隊\n本報訊 香港電車公司昨日宣佈,明年起分批更新車隊,新車設有較寬敞的車廂。\n"
)
BIG5_TEXT = "本报讯 香港电车公司昨日宣布，明年起分批更新车队，新车设有较宽敞的车厢。"

PAGE_ID = "2017-08-28-page-1e40cae3"
KEPT_ID = f"{PAGE_ID}-s01"
REMOVED_ID = f"{PAGE_ID}-s02"
MARKUP_ID = f"{PAGE_ID}-s03"
BIG5_ID = "big5-page-10dcc4af"


@dataclass(frozen=True)
class SampleRun:
    input_root: Path
    output: Path


def story(
    story_id: str,
    text: str,
    source: str,
    span: tuple[int, int],
    *,
    title: str | None = None,
    steps: tuple[str, ...] = ("normalize_punctuation", "lines.join"),
    encoding: str = "utf_8",
    method: str = "utf-8",
    script: str = "simplified",
) -> dict[str, Any]:
    """A record as writers.story_record writes it."""
    return {
        "id": story_id,
        "text": text,
        "metadata": {
            "source": source,
            "parent_id": story_id.rsplit("-s", 1)[0],
            "encoding": encoding,
            "encoding_method": method,
            "script": script,
            "steps": list(steps),
            "kicker": None,
            "title": title,
            "deck": None,
            "reporters": ["吴锋思"] if "吴锋思" in text else [],
            "byline": None,
            "caption": None,
            "fragment": False,
            "fragment_reason": None,
            "truncated": False,
            "line_span": list(span),
        },
    }


def records() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """corpus, duplicates and quarantine records of the sample run."""
    source = "workers-daily/2017-08-28-page.txt"
    kept = story(KEPT_ID, KEPT_TEXT, source, (3, 5), title="尤溪县总用劳模智慧培育新工匠")
    removed = story(REMOVED_ID, REMOVED_TEXT, source, (7, 8), title="尤溪县总用劳模智慧培育新工匠")
    removed.update(
        duplicate_of=KEPT_ID, kind="near", similarity=0.84375, jaccard=0.8125, containment=0.96875
    )
    markup = story(
        MARKUP_ID, "<script>window.__injected = 1</script> 职工书屋开放", source, (10, 10)
    )
    big5 = story(
        f"{BIG5_ID}-s01",
        BIG5_TEXT,
        "samples/big5-page.txt",
        (1, 2),
        title="香港电车更新车队",
        steps=("normalize_punctuation", "convert.t2s"),
        encoding="big5hkscs",
        method="detected",
        script="traditional",
    )
    quarantine = [
        {
            "path": "samples/page-scan.png",
            "reason": "binary",
            "detail": "32.8% NUL bytes",
            "offset": None,
            "stage": "decode",
            "chars": 0,
            "bytes": 67,
        }
    ]
    return [big5, kept, markup], [removed], quarantine


def report(corpus: list[dict[str, Any]], duplicates: list[dict[str, Any]]) -> dict[str, Any]:
    kept = sum(len(r["text"]) + len(r["metadata"]["title"] or "") for r in corpus)
    dups = sum(len(r["text"]) + len(r["metadata"]["title"] or "") for r in duplicates)
    return {
        "accounting": {
            "chars": {
                "decoded": kept + dups + 40,
                "kept": kept,
                "duplicates": dups,
                "quarantined": 0,
                "removed_by_rule": {
                    "lines.join": 3,
                    "segment.furniture": 19,
                    "segment.whitespace": 18,
                },
                "unaccounted": 0,
            },
            "files": {"found": 3, "with_stories": 2, "quarantined": 1, "set_aside": 0},
            "stories": {"found": 4, "kept": 3, "duplicates": 1},
        },
        "config": {"encoding": {"candidates": ["utf_8", "gb18030", "big5hkscs"]}},
        "counts": {"encoding.big5hkscs": 1, "encoding.utf_8": 1, "script.traditional": 1},
        "stages": {
            "normalize": {"docs_in": 2, "docs_out": 2, "chars_in": 400, "chars_out": 400},
            "segment": {"docs_in": 2, "docs_out": 4, "chars_in": 397, "chars_out": 360},
            "convert": {"docs_in": 2, "docs_out": 2, "chars_in": 400, "chars_out": 400},
        },
        "files": [],
        "quarantine_reasons": {"binary": 1},
        "versions": {"python": "3.11.7", "opencc": "1.4.2"},
    }


def write_sample_run(root: Path) -> SampleRun:
    """Write the input folder and the output folder of the sample run under ``root``."""
    raw = root / "raw"
    (raw / "workers-daily").mkdir(parents=True)
    (raw / "samples").mkdir()
    (raw / "workers-daily" / "2017-08-28-page.txt").write_text(PAGE, encoding="utf-8")
    (raw / "samples" / "big5-page.txt").write_bytes(BIG5_PAGE.encode("big5hkscs"))
    out = root / "out"
    out.mkdir()
    corpus, duplicates, quarantine = records()
    for name, rows in (
        ("corpus", corpus),
        ("duplicates", duplicates),
        ("quarantine", quarantine),
    ):
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows]
        (out / f"{name}.jsonl").write_text("".join(lines), encoding="utf-8")
    data = report(corpus, duplicates)
    (out / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    return SampleRun(raw, out)
