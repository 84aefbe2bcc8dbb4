from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import pipeline.engine.work
from pipeline.config import Config, load_config
from pipeline.document import Document, Stats
from pipeline.engine.run import OUTPUT_FILES, run_pipeline
from pipeline.engine.survey import Survey
from pipeline.engine.units import Unit, WorkDir, fingerprint, plan_units
from pipeline.engine.work import init_worker, process_unit
from pipeline.errors import PipelineError
from pipeline.io.readers import SourceFile, discover
from pipeline.text.conversion import to_simplified
from tests.stories import STORIES

ROOT = Path(__file__).resolve().parent.parent
# The module, not pipeline.engine.run, which the package rebinds to the run() function.
RUN_MODULE = importlib.import_module("pipeline.engine.run")
STORY = "本报讯（记者邹明强）湖北省委、省政府日前下发《方案》，明确要求坚持党委统一领导。\n"
TRAD = "本報訊（記者鄒明強）湖北省委、省政府日前下發《方案》，明確要求堅持黨委統一領導。\n"
OTHER = STORIES[1] + "\n"
TRAD_OTHER = to_simplified(STORIES[2], config="s2t") + "\n"
CRLF = STORIES[3] + "\n"


def corpus_folder(root: Path) -> Path:
    files = {
        "a/1-utf8.txt": STORY.encode(),
        "a/2-gbk.txt": OTHER.encode("gbk"),
        "a/3-reprint.txt": STORY.encode(),  # the same story again: an exact duplicate
        "b/big5.txt": TRAD_OTHER.encode("big5"),
        "b/bad.txt": STORY.encode()[:30]
        + b"\xff\xfe"
        + STORY.encode()[30:60]
        + b"\xff"
        + STORY.encode()[60:],  # two invalid sequences in 132 bytes: too dense to replace
        "b/scan.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "b/empty.txt": b"",
        "c/crlf.txt": ("第三篇\r\n" + CRLF).encode(),
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def config(tmp_path: Path, *overrides: str, out: str = "out") -> Config:
    return load_config(
        None, [f'input.root="{tmp_path / "in"}"', f'output.root="{tmp_path / out}"', *overrides]
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def digest(folder: Path) -> dict[str, str]:
    """Hashes of the deterministic outputs (run.json holds timings and differs by design)."""
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in OUTPUT_FILES}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    corpus_folder(tmp_path / "in")
    return tmp_path


def test_outputs_quarantine_and_accounting(corpus: Path) -> None:
    report = run_pipeline(config(corpus, "run.workers=1"))
    out = corpus / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "corpus.jsonl",
        "dedup-index.json",
        "dedup-index.npz",
        "duplicates.jsonl",
        "quarantine.jsonl",
        "report.html",
        "report.json",
        "report.md",
        "run.json",
    ]
    stories = read_jsonl(out / "corpus.jsonl")
    assert [s["metadata"]["source"] for s in stories] == [
        "a/1-utf8.txt",
        "a/2-gbk.txt",
        "b/big5.txt",
        "c/crlf.txt",
    ]
    assert stories[2]["text"] == STORIES[2]  # Big5 Traditional came out Simplified
    assert stories[2]["metadata"]["encoding"] == "big5hkscs"
    assert (stories[3]["metadata"]["title"], stories[3]["text"]) == ("第三篇", CRLF.strip())
    (dup,) = read_jsonl(out / "duplicates.jsonl")
    assert (dup["metadata"]["source"], dup["duplicate_of"], dup["kind"]) == (
        "a/3-reprint.txt",
        stories[0]["id"],
        "exact",
    )
    quarantine = {
        (q["path"], q["reason"], q["offset"]) for q in read_jsonl(out / "quarantine.jsonl")
    }
    assert quarantine == {
        ("b/bad.txt", "invalid-bytes", 30),
        ("b/scan.png", "binary", None),
        ("b/empty.txt", "empty", None),
    }
    chars = report.data["accounting"]["chars"]
    assert chars["unaccounted"] == 0
    assert chars["decoded"] == chars["kept"] + chars["duplicates"] + chars["quarantined"] + sum(
        chars["removed_by_rule"].values()
    )
    assert all(f["chars"]["unaccounted"] == 0 for f in report.data["files"])
    assert report.data["accounting"]["files"] == {
        "found": 8,
        "with_stories": 5,
        "partly_quarantined": 0,
        "quarantined": 3,
        "without_stories": 0,
        "set_aside": 0,
        "failed": 0,
        "quarantine_entries": 3,
    }
    assert "run" not in report.data["config"] and "root" not in report.data["config"]["output"]


def test_byte_identical_for_any_worker_count_and_hash_seed(corpus: Path) -> None:
    run_pipeline(config(corpus, "run.workers=1", "run.unit_files=2", out="one"))
    pool = ("run.workers=2", "run.unit_files=2", "run.pool_min_bytes=0")  # a real pool
    run_pipeline(config(corpus, *pool, out="two"))
    assert digest(corpus / "one") == digest(corpus / "two")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline",
                "clean",
                "--quiet",
                "--input",
                str(corpus / "in"),
                "--output",
                str(corpus / seed),
            ],
            check=True,
            env=env,
            cwd=corpus,
        )
        assert digest(corpus / seed) == digest(corpus / "one")


def test_rerun_replaces_outputs_and_leaves_no_temp_files(corpus: Path) -> None:
    cfg = config(corpus, "run.workers=1")
    run_pipeline(cfg)
    first = digest(corpus / "out")
    (corpus / "out" / ".tmp-stale-corpus.jsonl").write_text("partial", encoding="utf-8")
    run_pipeline(cfg)
    assert digest(corpus / "out") == first
    assert not any(p.name.startswith((".tmp-", ".work")) for p in (corpus / "out").iterdir())
    mode = (corpus / "out" / "corpus.jsonl").stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_stage_that_raises_quarantines_only_that_page(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.engine.work.build_stages

    def explode(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if "2-gbk" in doc.source:
                raise ValueError("boom")
            yield doc

    def with_bomb(
        cfg: Config, stats: Stats, furniture: Any = None, folders: Any = None
    ) -> list[Any]:
        return [
            *real(cfg, stats, furniture, folders)[:2],
            ("bomb", explode),
            *real(cfg, stats, furniture, folders)[2:],
        ]

    monkeypatch.setattr(pipeline.engine.work, "build_stages", with_bomb)
    report = run_pipeline(config(corpus, "run.workers=1"))
    out = corpus / "out"
    bombed = [q for q in read_jsonl(out / "quarantine.jsonl") if q["reason"] == "stage-error"]
    assert [(q["path"], q["stage"], q["detail"]) for q in bombed] == [
        ("a/2-gbk.txt", "bomb", "ValueError: boom")
    ]
    assert bombed[0]["chars"] > 0
    assert [s["metadata"]["source"] for s in read_jsonl(out / "corpus.jsonl")] == [
        "a/1-utf8.txt",
        "b/big5.txt",
        "c/crlf.txt",
    ]
    assert report.data["accounting"]["chars"]["unaccounted"] == 0


def test_resume_redoes_only_unfinished_units_and_refuses_a_changed_config(corpus: Path) -> None:
    cfg = config(corpus, "run.workers=1", "run.unit_files=3")
    run_pipeline(cfg)
    clean = digest(corpus / "out")
    # Simulate a run killed after its first unit: the work folder holds one marker.
    units = _units(cfg)
    assert len(units) == 3
    work = WorkDir(corpus / "out" / ".work")
    work.prepare(fingerprint(cfg, units), resume=False)
    init_worker(cfg, work.path, Survey())
    process_unit(units[0])
    work.shard(units[1]).write_text("half a shard", encoding="utf-8")  # no marker: redone
    (corpus / "out" / "corpus.jsonl.new").write_text("half swapped", encoding="utf-8")
    run_pipeline(cfg, resume=True)
    assert digest(corpus / "out") == clean
    assert not (corpus / "out" / "corpus.jsonl.new").exists()
    work.prepare(fingerprint(cfg, units), resume=False)
    changed = config(corpus, "run.workers=1", "run.unit_files=3", "dedup.enabled=false")
    with pytest.raises(PipelineError, match=r"cannot resume: the config changed \(dedup\.enabled"):
        run_pipeline(changed, resume=True)


def _units(cfg: Config) -> list[Unit]:
    files, _ = discover(cfg.input)
    return plan_units(files, cfg.run.unit_files, cfg.run.unit_bytes)


def test_unwritable_output_is_a_clear_error(corpus: Path) -> None:
    (corpus / "ro").mkdir()
    (corpus / "ro" / "corpus.jsonl").write_text("previous\n", encoding="utf-8")
    (corpus / "ro").chmod(0o500)
    try:
        if os.access(corpus / "ro", os.W_OK):
            pytest.skip("running as a user who can write to read-only folders (root)")
        with pytest.raises(PipelineError, match="ro"):
            run_pipeline(config(corpus, "run.workers=1", out="ro"))
        assert (corpus / "ro" / "corpus.jsonl").read_text(encoding="utf-8") == "previous\n"
    finally:
        (corpus / "ro").chmod(0o700)


def test_missing_input_folder(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="no such folder"):
        run_pipeline(config(tmp_path))


def test_units_depend_on_input_only() -> None:
    files = [SourceFile(f"f{i}", f"f{i}", size) for i, size in enumerate([5, 5, 20, 1, 1, 1])]
    assert [[f.path for f in u.files] for u in plan_units(files, 2, 12)] == [
        ["f0", "f1"],
        ["f2"],
        ["f3", "f4"],
        ["f5"],
    ]


def test_incremental_run_dedups_against_an_earlier_output(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, texts in ((first, STORIES[:3]), (second, (STORIES[1], STORIES[4]))):
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"page-{i}.txt").write_text(text + "\n", encoding="utf-8")
    old = load_config(
        None, [f'input.root="{first}"', f'output.root="{tmp_path / "o1"}"', "run.workers=1"]
    )
    run_pipeline(old)
    before = digest(tmp_path / "o1")
    new = load_config(
        None, [f'input.root="{second}"', f'output.root="{tmp_path / "o2"}"', "run.workers=1"]
    )
    report = run_pipeline(new, index=[tmp_path / "o1"])
    old_ids = {r["text"]: r["id"] for r in read_jsonl(tmp_path / "o1" / "corpus.jsonl")}
    (dup,) = read_jsonl(tmp_path / "o2" / "duplicates.jsonl")
    assert (dup["text"], dup["duplicate_of"], dup["kind"]) == (
        STORIES[1],
        old_ids[STORIES[1]],
        "exact",
    )
    assert [r["text"] for r in read_jsonl(tmp_path / "o2" / "corpus.jsonl")] == [STORIES[4]]
    assert digest(tmp_path / "o1") == before  # the earlier corpus is never rewritten
    assert report.data["accounting"]["chars"]["unaccounted"] == 0
    with pytest.raises(PipelineError, match="dedup index was made with other settings"):
        run_pipeline(
            load_config(None, [*_roots(second, tmp_path / "o3"), "dedup.ngram=5"]),
            index=[tmp_path / "o1"],
        )


def _roots(src: Path, out: Path) -> list[str]:
    return [f'input.root="{src}"', f'output.root="{out}"', "run.workers=1"]


def test_kept_copy_takes_the_fields_it_lacks_and_lists_the_copies() -> None:
    from pipeline.dedup.stage import Kept
    from pipeline.engine.records import kept_record

    kept = {
        "id": "a-s01",
        "text": "正文。",
        "metadata": {"title": None, "byline": None, "source": "a.txt"},
    }
    donor = {
        "id": "b-s01",
        "text": "正文。",
        "metadata": {"title": "标题", "byline": "（孙富常）", "source": "b.txt"},
    }
    record, added = kept_record(
        kept, Kept((("b-s01", "b.txt"),), (("byline", "b-s01"),)), {"b-s01": donor}
    )
    assert record["metadata"]["byline"] == "（孙富常）" and record["metadata"]["title"] is None
    assert record["metadata"]["merged_from"] == [{"field": "byline", "id": "b-s01"}]
    assert record["metadata"]["also_printed_in"] == [
        {"id": "b-s01", "source": "b.txt", "date": None}
    ]
    assert added == len("（孙富常）")


def test_the_report_counts_add_up_and_agree(tmp_path: Path) -> None:
    # Issue #17 item 10: "5 files quarantined" beside "Quarantine (7)"; "10 found, 6 with
    # stories, 5 quarantined, 1 set aside"; a 20 MB file counted once per part and each
    # JSONL record counted as a file in the encodings table.
    src = tmp_path / "in"
    src.mkdir()
    good = json.dumps({"id": "a", "text": STORY.strip()}, ensure_ascii=False)
    (src / "news.jsonl").write_text(f"{good}\n{{bad\n[1]\n", encoding="utf-8")
    lines = [f"第{i}版消息：{STORIES[i % 5][:40]}" for i in range(300)]
    (src / "big.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")  # 5 parts
    (src / "gbk.txt").write_bytes(OTHER.encode("gbk"))
    (src / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (tmp_path / "elsewhere.txt").write_text(STORY, encoding="utf-8")
    (src / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    report = run_pipeline(config(tmp_path, "run.workers=1", "input.part_bytes=8192"))
    files = report.data["accounting"]["files"]
    assert files == {
        "found": 4,
        "with_stories": 3,
        "partly_quarantined": 1,
        "quarantined": 1,
        "without_stories": 0,
        "set_aside": 1,
        "failed": 0,
        "quarantine_entries": 3,
    }
    assert files["found"] == files["with_stories"] + files["quarantined"] + files["without_stories"]
    assert report.data["encodings"] == {"gb18030": 1, "jsonl": 1, "utf_8": 1}
    assert report.data["counts"]["encoding.utf_8"] > 1  # the big file's parts, as events
    out = tmp_path / "out"
    md = (out / "report.md").read_text(encoding="utf-8")
    assert (
        "- files: 4 read = 3 with stories (1 of them partly quarantined) + 1 quarantined "
        "+ 0 without stories; 1 more set aside before reading"
    ) in md
    assert "| utf_8 | 1 |" in md and "| jsonl | 1 |" in md
    assert "4 entries in `quarantine.jsonl`" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Quarantine (4 entries)" in html
    assert (
        "2 files quarantined (whole or in part) and 1 set aside before reading: "
        "4 entries in quarantine.jsonl"
    ) in html
    assert len(read_jsonl(out / "quarantine.jsonl")) == 4
