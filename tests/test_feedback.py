"""What a run tells the person waiting for it (issue #17 item 11): bars that move within a
unit of work and over the dedup and write passes, the cost of compiling kernels, what a
resume reused, and why a resume was refused."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main, summary
from pipeline.config import Config, load_config
from pipeline.engine import Report, run_pipeline
from pipeline.engine.progress import compile_timer, compiled_seconds, pool_tick
from pipeline.engine.survey import Survey
from pipeline.engine.units import WorkDir, fingerprint, plan_units
from pipeline.engine.work import init_worker, process_unit
from pipeline.errors import PipelineError
from pipeline.io import discover
from tests.stories import STORIES


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate(STORIES):
        (src / f"page-{i}.txt").write_text(f"第{i}版\n{text}\n", encoding="utf-8")
    return src


def config(src: Path, out: Path, *overrides: str) -> Config:
    return load_config(None, [f'input.root="{src}"', f'output.root="{out}"', *overrides])


def test_a_unit_ticks_the_bar_file_by_file_and_part_by_part(corpus: Path, tmp_path: Path) -> None:
    # The bar sat at 0 % until a whole unit (32 MB by default) was done.
    big = corpus / "big.txt"
    big.write_text("\n".join(f"第{i}段：{STORIES[i % 5]}" for i in range(60)), encoding="utf-8")
    cfg = config(corpus, tmp_path / "out", "input.part_bytes=4096")
    files, _ = discover(cfg.input)
    (unit,) = plan_units(files, 64, 1 << 30)
    work = WorkDir(tmp_path / "work")
    work.prepare(fingerprint(cfg, [unit]), resume=False)
    ticks: list[int] = []
    init_worker(cfg, work.path, Survey(), ticks.append)
    process_unit(unit)
    assert sum(ticks) == unit.size
    assert len(ticks) > len(unit.files) + 3  # the big file's parts tick one by one


def test_a_pool_worker_ticks_a_shared_counter() -> None:
    counter = multiprocessing.get_context("spawn").Value("q", 0)
    tick = pool_tick(counter)
    tick(5)
    tick(7)
    assert counter.value == 12


def test_every_pass_has_a_bar(corpus: Path, tmp_path: Path, capsys: Any) -> None:
    # The dedup pass (10 s on 20 MB) and the write pass showed nothing.
    run_pipeline(config(corpus, tmp_path / "out", "run.workers=1"), progress=True)
    shown = capsys.readouterr().err
    for label in ("survey", "process", "dedup", "write"):
        assert f"{label}" in shown, label
    assert "dedup: deciding over" in shown


def test_compiling_a_kernel_is_measured() -> None:
    import numba

    with compile_timer() as compiling:

        @numba.njit(cache=False)
        def add(a: int, b: int) -> int:
            return a + b

        assert add(2, 3) == 5
    assert compiled_seconds(compiling) > 0
    with compile_timer() as compiling:
        assert add(4, 5) == 9  # compiled already: nothing to measure
    assert compiled_seconds(compiling) == 0


def test_the_summary_says_why_a_first_run_is_slow_and_never_shows_zero_throughput(
    tmp_path: Path,
) -> None:
    # The first run spent 12 s compiling the MinHash kernel and said "0.0 MB/s".
    data = {
        "accounting": {
            "files": {"found": 3, "set_aside": 0, "quarantined": 0, "partly_quarantined": 0},
            "stories": {"found": 7, "kept": 6, "duplicates": 1},
        },
        "files": [{"bytes": 30_000}],
    }
    timings = {"total": 12.5, "cpu.compile": 12.0, "cpu.normalize": 0.1}
    text = summary(Report(tmp_path, data, timings, {"units": 1, "reused": 0, "bytes": 30_000}))
    assert "0.0024 MB/s" in text
    assert "of which 12.0 s compiling the MinHash kernels: a first run's one-off" in text


def test_a_resume_says_what_it_reused_and_rates_what_it_did(
    corpus: Path, tmp_path: Path, capsys: Any, caplog: Any
) -> None:
    out = tmp_path / "out"
    cfg = config(corpus, out, "run.workers=1", "run.unit_files=2")
    files, _ = discover(cfg.input)
    units = plan_units(files, 2, 1 << 30)
    work = WorkDir(out / ".work")
    work.prepare(fingerprint(cfg, units), resume=False)  # a run killed after one unit
    init_worker(cfg, work.path, Survey())
    process_unit(units[0])
    argv = ["clean", "--workers", "1", "--set", "run.unit_files=2", "--resume"]
    assert main([*argv, "--input", str(corpus), "--output", str(out)]) == 0
    printed = capsys.readouterr()
    assert f"resuming: 1 of {len(units)} units" in caplog.text
    done = sum(u.size for u in units[1:]) / 1e6
    assert f"1 of {len(units)} units reused from the interrupted run; {done:,.1f} of" in printed.out


def test_a_refused_resume_says_what_changed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cfg = config(corpus, out, "run.workers=1")
    work = WorkDir(out / ".work")

    def interrupted() -> None:
        files, _ = discover(cfg.input)
        work.prepare(fingerprint(cfg, plan_units(files, 64, 32 << 20)), resume=False)

    interrupted()
    # An execution-only key (the README: "never changes output") no longer refuses it.
    run_pipeline(config(corpus, out, "run.workers=2", "run.pool_min_bytes=0"), resume=True)
    interrupted()
    with pytest.raises(
        PipelineError, match=r"the config changed \(dedup\.threshold: 0\.6 -> 0\.7\)"
    ):
        run_pipeline(config(corpus, out, "dedup.threshold=0.7"), resume=True)
    with pytest.raises(PipelineError, match=r"units of work are cut differently \(run\.unit_files"):
        run_pipeline(config(corpus, out, "run.unit_files=2"), resume=True)
    (corpus / "page-9.txt").write_text(STORIES[0], encoding="utf-8")
    with pytest.raises(
        PipelineError,
        match=rf"the input changed \({len(STORIES)} files, .* -> {len(STORIES) + 1} files",
    ):
        run_pipeline(cfg, resume=True)
