"""One named test per row of ../shared/BAD-INPUTS.md: the whole run survives each bad
input with the behaviour the catalogue asks for, and nothing else is lost.

Row-level details of decoding are tested in test_encoding.py; here every row goes through
``run_pipeline`` so that the file ends in exactly one of corpus, quarantine or duplicates,
and the books balance.
"""

from __future__ import annotations

import errno
import gzip
import importlib
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pipeline.engine.work
import pipeline.io.readers
import pipeline.io.writers
from pipeline.config import load_config
from pipeline.engine.run import OUTPUT_FILES, Report, run_pipeline
from pipeline.errors import PipelineError
from pipeline.io.readers import SourceFile
from tests.stories import STORIES

ROOT = Path(__file__).resolve().parent.parent
# The module, not pipeline.engine.run, which the package rebinds to the run() function.
RUN_MODULE = importlib.import_module("pipeline.engine.run")
STORY = "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开，总结交流产业工会工作经验。\n"
TRAD_STORY = "香港電車公司昨日宣佈，明年起分批更新車隊，新車設有較寬敞的車廂及更多扶手。\n"


def run_folder(
    tmp_path: Path, files: dict[str, bytes], *overrides: str
) -> tuple[Report, list[dict[str, Any]], list[dict[str, Any]]]:
    """Write ``files`` under tmp/in, run, return (report, corpus records, quarantine)."""
    for name, data in files.items():
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    cfg = load_config(
        None,
        [
            f'input.root="{tmp_path / "in"}"',
            f'output.root="{tmp_path / "out"}"',
            "run.workers=1",
            *overrides,
        ],
    )
    report = run_pipeline(cfg)
    assert report.data["accounting"]["chars"]["unaccounted"] == 0
    assert all(f["chars"]["unaccounted"] == 0 for f in report.data["files"])
    return (
        report,
        _jsonl(tmp_path / "out" / "corpus.jsonl"),
        _jsonl(tmp_path / "out" / "quarantine.jsonl"),
    )


COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
)


def random_page(size: int, seed: int = 5) -> str:
    """Stories of common characters in random order (no two alike), about ``size`` bytes."""
    rng = random.Random(seed)
    stories: list[str] = []
    while sum(len(s) for s in stories) * 3 < size:
        n = len(stories)
        sentences = ["".join(rng.choices(COMMON, k=rng.randint(20, 40))) + "。" for _ in range(12)]
        stories.append(f"第{n}篇：" + "".join(rng.choices(COMMON, k=8)) + "\n" + "".join(sentences))
    return "\n\n".join(stories)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def reasons(quarantine: list[dict[str, Any]]) -> dict[str, tuple[str, int | None]]:
    return {q["path"]: (q["reason"], q["offset"]) for q in quarantine}


def test_row01_binary_files_quarantined_before_decoding(tmp_path: Path) -> None:
    png = (ROOT / "data" / "raw" / "samples" / "page-scan.png").read_bytes()
    files = {
        "scan.png": png,
        "page.txt": STORY.encode(),
        "archive.dat": gzip.compress(STORY.encode()),  # compressed, but not named .gz
        "scan.png.gz": gzip.compress(png),  # decompressed by its name, then binary
    }
    _, corpus, quarantine = run_folder(tmp_path, files)
    assert reasons(quarantine) == {
        "scan.png": ("binary", None),
        "archive.dat": ("binary", None),
        "scan.png.gz": ("binary", None),
    }
    assert len(corpus) == 1


def test_row02_empty_bom_only_and_blank_files_are_empty_and_write_nothing(tmp_path: Path) -> None:
    files = {
        "empty.txt": b"",
        "bom.txt": b"\xef\xbb\xbf",
        "blank.txt": b" \r\n\t\n",
        "page.txt": STORY.encode(),
    }
    report, corpus, quarantine = run_folder(tmp_path, files)
    assert {p: r for p, (r, _) in reasons(quarantine).items()} == {
        "empty.txt": "empty",
        "bom.txt": "empty",
        "blank.txt": "empty",
    }
    assert [r["metadata"]["source"] for r in corpus] == ["page.txt"]
    assert report.data["accounting"]["stories"]["duplicates"] == 0  # empties never collide


def test_row03_invalid_byte_names_file_and_offset_when_configured(tmp_path: Path) -> None:
    data = STORY.encode() * 3
    bad = data[:123] + b"\xff" + data[123:]  # 123 = 41 characters of 3 bytes
    report, _, quarantine = run_folder(
        tmp_path, {"bad.txt": bad}, 'encoding.on_invalid="quarantine"'
    )
    (q,) = quarantine
    assert (q["path"], q["reason"], q["offset"]) == ("bad.txt", "invalid-bytes", 123)
    assert "ff" in q["detail"] and 'encoding.on_invalid = "replace"' in q["detail"]
    # The quarantined file is in the books: its bytes, though no character was decoded.
    assert report.data["accounting"]["bytes"] == {
        "read": len(bad),
        "decoded": 0,
        "quarantined": len(bad),
        "unaccounted": 0,
    }
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert f"- bytes: {len(bad)} read = 0 decoded + {len(bad)} quarantined (unaccounted: 0)" in md


def test_row03_a_stray_byte_in_a_big_page_is_replaced_counted_and_explained(
    tmp_path: Path,
) -> None:
    # Issue #17 item 2: a 2.5 MB page with one 0x80 byte gave "stories kept 0", exit 0.
    from pipeline.report import OutputFolder, explain

    data = random_page(2_600_000).encode()
    cut = data.index("\n第1500篇".encode()) + 1
    bad = data[:cut] + b"\x80" + data[cut:]
    report, corpus, quarantine = run_folder(tmp_path, {"big.txt": bad})
    assert not quarantine and len(corpus) > 1_900
    assert report.data["accounting"]["bytes"]["decoded"] == len(bad) > 2_500_000
    damaged = [r for r in corpus if r["metadata"]["invalid_bytes"]]
    (story,) = damaged
    assert story["metadata"]["invalid_bytes"] == 1
    assert "\ufffd" in story["metadata"]["title"] + story["text"]
    assert story["metadata"]["steps"][0] == "replace_invalid_bytes"
    assert story["metadata"]["encoding_method"] == "damaged-utf-8"
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "- invalid bytes: 1 sequence(s) in 1 file(s) decoded as U+FFFD" in md
    shown = explain(OutputFolder(tmp_path / "out"), story["id"])
    assert "UTF-8 but for a few invalid byte sequences (encoding.on_invalid)" in shown
    assert "invalid bytes  1 sequence(s) the codec could not read" in shown
    assert "the whole file is valid UTF-8" not in shown
    line = data[:cut].count(b"\n") + 1
    assert report.data["files"][0]["notes"] == [
        f"1 invalid byte sequence(s) replaced with U+FFFD, the first on line {line} "
        "(encoding.on_invalid)"
    ]


def test_row03_dense_damage_is_quarantined_with_its_density(tmp_path: Path) -> None:
    data = STORY.encode() * 3
    bad = data[:30] + b"\xff" + data[30:123] + b"\xff" + data[123:]
    _, _, (q,) = run_folder(tmp_path, {"bad.txt": bad})
    assert (q["reason"], q["offset"]) == ("invalid-bytes", 30)
    assert "2 invalid sequences in" in q["detail"]
    assert "(encoding.min_bytes_per_invalid)" in q["detail"]


def test_row04_mixed_encodings_split_by_line(tmp_path: Path) -> None:
    utf8 = ("湖北推出产业工人队伍建设改革方案，" * 12).encode()
    gbk = ("内蒙古工会全方位帮扶困难职工，" * 14).encode("gbk")
    _, corpus, quarantine = run_folder(tmp_path, {"mixed.txt": utf8 + b"\n" + gbk + b"\n"})
    assert not quarantine
    assert corpus[0]["metadata"]["encoding"] == "utf_8+gb18030"
    assert corpus[0]["metadata"]["encoding_method"] == "mixed"
    assert "内蒙古工会全方位帮扶困难职工" in corpus[0]["text"]


def test_row05_short_legacy_files_take_their_folder_codec(tmp_path: Path) -> None:
    files = {
        "paper/1.txt": (STORY * 3).encode("gbk"),
        "paper/2.txt": ("图为新建成的社区图书馆。").encode("gbk"),  # 24 bytes: too short alone
        "other/3.txt": "圖為".encode("big5"),  # no folder majority: a low-confidence guess
    }
    _, corpus, _ = run_folder(tmp_path, files)
    methods = {r["metadata"]["source"]: r["metadata"]["encoding_method"] for r in corpus}
    assert methods["paper/2.txt"] == "folder"
    assert methods["other/3.txt"] == "low-confidence"


def test_row06_gbk_labelled_gb2312_and_hkscs(tmp_path: Path) -> None:
    files = {
        "gb.txt": ("技师王镕、李堃，𠀀家坳。" + STORY).encode("gb18030"),
        "hk.txt": ("加裝升降機（俗稱「𨋢」）。" + TRAD_STORY).encode("big5hkscs"),
    }
    _, corpus, quarantine = run_folder(tmp_path, files)
    assert not quarantine
    texts = {r["metadata"]["source"]: r["text"] for r in corpus}
    assert "王镕、李堃，𠀀家坳" in texts["gb.txt"]
    assert {r["metadata"]["encoding"] for r in corpus} == {"gb18030", "big5hkscs"}


def test_row07_japanese_and_korean_pages_are_not_chinese(tmp_path: Path) -> None:
    ja = "東京都は今日、新しい図書館を開館しました。多くの市民が訪れました。" * 3
    ko = "서울시는 오늘 새로운 도서관을 열었습니다. 많은 시민들이 방문했습니다." * 3
    files = {
        "ja-eucjp.txt": ja.encode("euc_jp"),
        "ja-sjis.txt": ja.encode("shift_jis"),
        "ko.txt": ko.encode("euc_kr"),
        "ja-utf8.txt": ja.encode(),
    }
    _, corpus, quarantine = run_folder(tmp_path, files)
    assert corpus == []
    assert {r for r, _ in reasons(quarantine).values()} == {"not-chinese"}


@pytest.mark.parametrize("codec", ["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"])
def test_row08_utf16_and_utf32_without_bom(tmp_path: Path, codec: str) -> None:
    _, corpus, _ = run_folder(tmp_path, {"page.txt": STORY.encode(codec)})
    assert corpus[0]["text"] == STORY.strip() and corpus[0]["metadata"]["encoding"] == codec


def test_row09_nul_bytes_removed_and_counted_unless_dense(tmp_path: Path) -> None:
    files = {
        "one-nul.txt": (STORY[:10] + "\x00" + STORY[10:]).encode(),
        "dense.txt": b"\x00\x00" + STORY.encode() + b"\x00" * 10,
    }
    report, corpus, quarantine = run_folder(tmp_path, files)
    assert corpus[0]["text"] == STORY.strip()
    assert report.data["accounting"]["chars"]["removed_by_rule"]["remove_control_chars"] == 1
    assert reasons(quarantine) == {"dense.txt": ("binary", None)}


def test_row10_giant_line_is_read_in_parts_with_bounded_memory(tmp_path: Path) -> None:
    # 12 MB on one line, with sentence ends but no newline, and a stretch with no boundary.
    sentence = "湖北省产业工人队伍建设改革实施方案明确要求坚持党委统一领导。"
    line = sentence * 140_000
    blob = "无" * 400_000  # 1.2 MB without any boundary: over part_bytes
    path = tmp_path / "in" / "giant.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes((line + blob + line[:3000]).encode())
    small = tmp_path / "small"
    small.mkdir()
    (small / "p.txt").write_bytes(STORY.encode())
    base = _peak_rss_mb(small, tmp_path / "o1")
    peak = _peak_rss_mb(tmp_path / "in", tmp_path / "o2", "--set", "input.part_bytes=1048576")
    assert peak - base < 120, f"peak RSS grew by {peak - base:.0f} MB for a 13 MB line"
    quarantine = _jsonl(tmp_path / "o2" / "quarantine.jsonl")
    assert [(q["reason"], q["bytes"]) for q in quarantine] == [("oversize-line", 1048575)]
    assert quarantine[0]["offset"] > 0
    report = json.loads((tmp_path / "o2" / "report.json").read_text(encoding="utf-8"))
    assert report["accounting"]["chars"]["unaccounted"] == 0
    stories = _jsonl(tmp_path / "o2" / "corpus.jsonl") + _jsonl(
        tmp_path / "o2" / "duplicates.jsonl"
    )
    assert all(r["text"] for r in stories)
    assert len({r["metadata"]["parent_id"] for r in stories}) == 14  # 13 parts and the tail


def _peak_rss_mb(src: Path, out: Path, *args: str) -> float:
    code = (
        "import resource, sys\n"
        "from pipeline.cli import main\n"
        f"argv = ['clean', '--quiet', '--input', {str(src)!r}, '--output', {str(out)!r}]\n"
        f"code = main([*argv, '--workers', '1', *{list(args)!r}])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1]) / 1024


def test_row11_lone_surrogates_replaced_counted_and_located(tmp_path: Path) -> None:
    # Bytes never decode to a lone surrogate; text handed to the library can hold one.
    from pipeline.config import NormalizeConfig
    from pipeline.document import Document, Stats
    from pipeline.text.normalization import normalize

    stats = Stats()
    (doc,) = normalize([Document("p", "湖北\ud800省", "a.txt", "utf_8")], NormalizeConfig(), stats)
    assert doc.text == "湖北\ufffd省"
    assert doc.text.encode("utf-8")  # writable now
    assert stats.events["replace_surrogates.replaced"] == 1
    assert stats.notes == ["1 lone surrogate(s) replaced with U+FFFD, the first at character 2"]


def test_row12_combining_marks_variation_selectors_compat_ideographs_kept(tmp_path: Path) -> None:
    text = "葛\U000e0100城的豈字、⼀字和e\u0301都保留。" + STORY
    _, corpus, _ = run_folder(tmp_path, {"page.txt": text.encode()})
    assert corpus[0]["text"].startswith("葛\U000e0100城的豈字、⼀字和e\u0301都保留。")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "\u2028", "\x0c"])
def test_row13_every_line_ending_gives_the_same_lines(tmp_path: Path, newline: str) -> None:
    text = newline.join(["标题", "", "本报讯 第一段。", "第二段。"]) + newline
    _, corpus, _ = run_folder(tmp_path, {"page.txt": text.encode()})
    assert corpus[0]["metadata"]["title"] == "标题"
    assert corpus[0]["text"] == "本报讯 第一段。\n第二段。"
    assert corpus[0]["metadata"]["line_span"] == [1, 4]


def test_row14_correct_fullwidth_text_is_never_folded(tmp_path: Path) -> None:
    text = "【本报讯】（记者卢翔）：会议“圆满”召开！　全角空格、ＡＢＣ只有字母数字折叠。\n"
    _, corpus, _ = run_folder(tmp_path, {"page.txt": text.encode()})
    assert (
        corpus[0]["text"]
        == "【本报讯】（记者卢翔）：会议“圆满”召开！　全角空格、ABC只有字母数字折叠。"
    )


def test_row14_code_and_odd_blanks_in_a_run(tmp_path: Path) -> None:
    # Issue #17 item 8: print("你好,世界") became print（“你好，世界”）, {"name":"张三"} took
    # a full-width colon, and a no-break or em space between Han survived the whole run.
    text = (
        '本报讯 在Python中输入print("你好,世界"),接口返回{"name":"张三"},'
        "记者李玉波\u00a0通讯员云龙\u2003报道。\n"
    )
    _, (story,), _ = run_folder(tmp_path, {"page.txt": text.encode()})
    assert story["text"] == (
        '本报讯 在Python中输入print("你好,世界")，接口返回{"name":"张三"}，'
        "记者李玉波 通讯员云龙 报道。"
    )


def test_row15_existing_mojibake_repaired_or_quarantined(tmp_path: Path) -> None:
    repairable = "鍒犻櫎鏂囦欢\n" + STORY  # its first line: UTF-8 read as GBK
    hopeless = STORY.encode("gbk").decode("cp1250", "replace")  # GBK read as cp1250
    files = {"fixable.txt": repairable.encode(), "hopeless.txt": hopeless.encode()}
    _, corpus, quarantine = run_folder(tmp_path, files)
    assert reasons(quarantine) == {"hopeless.txt": ("mojibake", None)}
    assert corpus[0]["metadata"]["steps"][0] == "repair_mojibake"
    assert (corpus[0]["metadata"]["title"], corpus[0]["text"]) == ("删除文件", STORY.strip())


@pytest.mark.parametrize("codec", ["gbk", "big5"])
def test_row15_lossy_mojibake_is_quarantined_at_its_first_character(
    tmp_path: Path, codec: str
) -> None:
    # Issue #17 item 4: UTF-8 read as GBK or Big5 by a tool that wrote U+FFFD for what it
    # could not read was kept, then converted t2s, garbling it past repair.
    lossy = (STORY * 2).encode().decode(codec, "replace")
    assert "\ufffd" in lossy
    head = "工会要闻\n" + STORY  # good lines first: the offset points past them
    text = head + lossy + "\n"
    record = json.dumps({"id": "r1", "text": lossy}, ensure_ascii=False) + "\n"
    _, corpus, quarantine = run_folder(
        tmp_path, {"page.txt": text.encode(), "wire.jsonl": record.encode()}
    )
    assert corpus == []
    page, rec = sorted(quarantine, key=lambda q: q["path"])
    first = next(i for i, ch in enumerate(lossy) if not ch.isascii())
    assert (page["reason"], page["offset"]) == ("mojibake", len((head + lossy[:first]).encode()))
    name = "GBK" if codec == "gbk" else "Big5"
    assert f"UTF-8 read as {name} with characters lost as U+FFFD" in page["detail"]
    assert "first at line 3" in page["detail"]
    assert (rec["reason"], rec["offset"]) == ("mojibake", None)
    assert f"first at line 1, character {first}" in rec["detail"]


def test_row16_vanished_fifo_loop_and_undecodable_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "page.txt").write_bytes(STORY.encode())
    os.mkfifo(inp / "pipe.txt")
    (inp / "loop").symlink_to(inp)
    (inp / os.fsdecode(b"name-\xff.txt")).write_bytes(STORIES[1].encode())
    real = RUN_MODULE.discover

    def with_ghost(cfg: Any) -> Any:
        files, skipped = real(cfg)
        return [*files, SourceFile("ghost.txt", str(inp / "ghost.txt"), 10)], skipped

    monkeypatch.setattr(RUN_MODULE, "discover", with_ghost)
    report, corpus, quarantine = run_folder(tmp_path, {})
    assert reasons(quarantine) == {
        "loop": ("symlink-loop", None),
        "pipe.txt": ("not-a-regular-file", None),
        "ghost.txt": ("vanished", None),
    }
    assert sorted(r["metadata"]["source"] for r in corpus) == ["name-\\xff.txt", "page.txt"]
    assert report.failed == 1  # the CLI exits 1 for it unless --allow-missing


def test_row16_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "in" / "locked.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(STORY.encode())
    path.chmod(0)
    if os.access(path, os.R_OK):
        path.chmod(0o644)
        pytest.skip("running as a user who can read mode-000 files (root)")
    try:
        report, _, quarantine = run_folder(tmp_path, {})
        assert reasons(quarantine) == {"locked.txt": ("unreadable", None)}
        assert report.failed == 1
    finally:
        path.chmod(0o644)


def test_row17_disk_full_stops_with_a_clear_message_and_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_folder(tmp_path, {"page.txt": STORY.encode()})
    before = {n: (tmp_path / "out" / n).read_bytes() for n in OUTPUT_FILES}
    (tmp_path / "in" / "more.txt").write_bytes(STORIES[1].encode())

    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline.io.durable.os, "fsync", full)
    with pytest.raises(
        PipelineError, match="No space left on device; previous output left as it was"
    ):
        run_folder(tmp_path, {})
    monkeypatch.setattr(pipeline.io.durable.os, "fsync", real_fsync)
    assert {n: (tmp_path / "out" / n).read_bytes() for n in OUTPUT_FILES} == before
    assert not [
        p.name
        for p in (tmp_path / "out").iterdir()
        if p.name.startswith(".tmp-") or p.name.endswith(".new")
    ]


def test_row17_disk_full_in_a_worker_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pipeline.engine.work, "write_text", full)
    with pytest.raises(PipelineError, match="cannot write"):
        run_folder(tmp_path, {"page.txt": STORY.encode()})


def test_row18_sigterm_stops_cleanly_and_resume_completes(tmp_path: Path) -> None:
    from tests.test_kill_resume import make_corpus, run_cli, start_cli, wait_then_signal

    make_corpus(tmp_path / "in", 120)
    reference = run_cli(tmp_path / "in", tmp_path / "ref")
    proc = start_cli(tmp_path / "in", tmp_path / "out")
    code = wait_then_signal(proc, tmp_path / "out", signal_name="SIGTERM")
    if code == 0:
        pytest.skip("the run finished before the signal arrived")
    assert code == 130
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".tmp-")]
    assert run_cli(tmp_path / "in", tmp_path / "out", "--resume") == reference


def test_row18_sigterm_in_a_one_process_run_stops_it(tmp_path: Path) -> None:
    # Issue #17 item 3: with --workers 1 the stages run in the driver, whose SIGTERM
    # handler raised inside a stage; the stage's `except Exception` quarantined the page
    # as a stage-error and the run went on to exit 0. The stage here signals itself, so
    # the signal lands inside a stage every time.
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate(STORIES[:3]):
        (src / f"p{i}.txt").write_text(text + "\n", encoding="utf-8")
    code = (
        "import os, signal, sys\n"
        "import pipeline.engine.work as work\n"
        "from pipeline.cli import main\n"
        "real = work.build_stages\n"
        "def stop(docs):\n"
        "    for doc in docs:\n"
        "        if doc.source == 'p1.txt':\n"
        "            os.kill(os.getpid(), signal.SIGTERM)\n"
        "        yield doc\n"
        "work.build_stages = lambda *a: [('stop', stop), *real(*a)]\n"
        f"sys.exit(main(['clean', '--quiet', '--workers', '1', '--input', {str(src)!r},"
        f" '--output', {str(tmp_path / 'out')!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 130, done.stderr
    assert "stopped by signal SIGTERM; finished units are kept" in done.stderr
    assert not (tmp_path / "out" / "corpus.jsonl").exists()


def test_row19_rerun_with_another_worker_count_config_or_file_order(tmp_path: Path) -> None:
    from tests.test_kill_resume import make_corpus, run_cli

    make_corpus(tmp_path / "in", 30)
    one = run_cli(tmp_path / "in", tmp_path / "o1", "--workers", "1")
    files = {p: p.read_bytes() for p in sorted((tmp_path / "in").rglob("*")) if p.is_file()}
    shutil.rmtree(tmp_path / "in")
    for path, data in reversed(files.items()):  # the same files, created in the opposite order
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert run_cli(tmp_path / "in", tmp_path / "o2", "--workers", "2") == one  # pool_min_bytes=0
    assert run_cli(tmp_path / "in", tmp_path / "o3", "--set", "dedup.enabled=false") != one


def test_row20_empty_and_tiny_stories_never_match_each_other(tmp_path: Path) -> None:
    files = {f"p{i}.txt": text.encode() for i, text in enumerate(["。", "，", "！", STORY, "？"])}
    report, corpus, _ = run_folder(tmp_path, files)
    assert report.data["accounting"]["stories"]["duplicates"] == 0
    assert len(corpus) == 5


def test_row21_a_stage_raising_on_one_document_quarantines_only_it(tmp_path: Path) -> None:
    # Covered end to end in test_run.py::test_a_stage_that_raises_quarantines_only_that_page;
    # here the same through the library: compose() names the stage and the document.
    from pipeline.document import Document, compose, map_text
    from pipeline.errors import StageError

    def boom(text: str) -> str:
        if "坏" in text:
            raise ValueError("bad text")
        return text

    stage = compose([map_text(str.strip, "strip"), map_text(boom, "boom")])
    docs = [Document("ok", " 好 ", "a", "utf_8"), Document("bad", "坏", "b", "utf_8")]
    out: Iterator[Document] = stage(docs)
    assert next(out).text == "好"
    with pytest.raises(StageError, match="stage boom failed on bad: ValueError: bad text"):
        next(out)


@pytest.mark.stress
def test_stress_200mb_single_line_peak_rss(tmp_path: Path) -> None:
    """BAD-INPUTS row 10 at full size (make stress): prints the measured peak RSS."""
    sentence = "湖北省产业工人队伍建设改革实施方案明确要求坚持党委统一领导，各方分别提出要求。"
    src = tmp_path / "in"
    src.mkdir()
    count = 200 * 1024 * 1024 // len(sentence.encode())
    with (src / "giant.txt").open("wb") as handle:
        for _ in range(count // 10_000):
            handle.write((sentence * 10_000).encode())
    small = tmp_path / "small"
    small.mkdir()
    (small / "p.txt").write_bytes(STORY.encode())
    base = _peak_rss_mb(small, tmp_path / "o1")
    peak = _peak_rss_mb(src, tmp_path / "o2")
    print(f"\n200 MB single line: peak RSS {peak:.0f} MB (baseline run {base:.0f} MB)")
    assert peak - base < 400
