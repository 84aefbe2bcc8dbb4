"""The throughput benchmark (``make bench``): the whole pipeline over >= 200 MB of page dumps.

    .venv/bin/python -m bench.bench_pipeline [--size-mb 200] [--workers 2]

1. builds (once, cached in ``bench/.cache/``, never committed) a corpus of realistic page
   dumps from real Chinese prose with the evaluation harness's generator;
2. runs ``python -m pipeline clean`` over it with ``--workers``, sampling the resident
   memory of the whole process tree (driver and workers) every 50 ms;
3. runs it again with 1 worker and on the Ray engine (when installed: ``make ray``), and
   checks that they write the same bytes; and runs the pipeline as it was before
   (``--before``, a git revision exported by ``bench.builds``) on the same corpus;
4. measures, in the same run, the baselines: the **floor** (read + decode + fold the dedup
   key + hash every shingle, nothing else, on the same worker count), the **datasketch
   textbook path** (``MinHash.bulk`` with SHA-1 over 5-gram shingles, then
   ``MinHashLSH.insert``) on a sample of the run's own stories against our dedup stage
   (``sketch_table`` + ``decide``) on the same sample, and **datatrove**'s own pipeline
   (``bench.peer_datatrove``: its quality filters and 4-stage MinHash with
   ``language="cmn"``, in a venv of its own) on ``--peer-mb`` of the pages;
5. prints one table: MB/s and stories/s per stage and end to end, the speed-up from 1 to 2
   workers, peak RSS, index bytes per story and their extrapolation to 10 million
   stories, and the ratios with the targets. ``--size-mb 1000 --skip ...`` measures the
   peak memory over 1 GB of input.

MB are megabytes (10^6) of input bytes as read from disk; per-stage figures divide the
input by the CPU seconds the stage took in all workers (so they are per core).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from multiprocessing import Pool
from pathlib import Path

from bench.builds import WORKTREE, Build, build_env, clean_command, prepare_build

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


def build_corpus(size_mb: int, workers: int) -> Path:
    """The cached generated corpus of ``size_mb`` MB (generated on first use)."""
    folder = CACHE / f"pages-{size_mb}mb"
    if not (folder / "input").is_dir():
        print(f"generating a {size_mb} MB corpus in {folder} (once)...", flush=True)
        command = [
            sys.executable, "-m", "bench.generate", str(folder), "--size-mb", str(size_mb),
            "--workers", str(workers), "--no-truth",
        ]  # fmt: skip
        subprocess.run(command, check=True, cwd=ROOT)
    return folder / "input"


def input_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
            parent = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text(encoding="ascii")
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def run_pipeline(
    build: Build, src: Path, out: Path, workers: int, extra: Sequence[str] = ()
) -> tuple[float, int]:
    """Wall seconds and peak tree RSS of one ``pipeline clean`` run of ``build``."""
    shutil.rmtree(out, ignore_errors=True)
    command = clean_command(src, out, workers=workers, extra=extra)
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=build.root, env=build_env(build))
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if code != 0:
        msg = f"pipeline clean ({build.name}) exited with {code}"
        raise SystemExit(msg)
    return wall, peak


def warm_up(build: Build, src: Path) -> None:
    """One run over a few pages, so that numba's compiled kernels are cached on disk before
    any timed run (a first run in a fresh tree compiles them: some 12 s)."""
    sample = CACHE / "warm-up" / "input"
    if not sample.is_dir():
        files = sorted(p for p in src.rglob("*") if p.is_file())[:20]
        for path in files:
            target = sample / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    run_pipeline(build, sample, CACHE / "warm-up" / f"out-{build.name}", 1)


def same_output(a: Path, b: Path) -> bool:
    """Whether two runs wrote the same bytes (every output but run.json, the timings)."""
    names = sorted(p.name for p in a.iterdir() if p.is_file() and p.name != "run.json")
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in names) and names == sorted(
        p.name for p in b.iterdir() if p.is_file() and p.name != "run.json"
    )


def ray_available() -> bool:
    return importlib.util.find_spec("ray") is not None


def _floor_file(path: str) -> int:
    from pipeline.dedup.shingles import shingle_set
    from pipeline.dedup.stage import key_codepoints
    from pipeline.errors import DecodeError
    from pipeline.text.encoding import decode_bytes

    data = Path(path).read_bytes()
    try:
        text = decode_bytes(data).text
    except DecodeError:
        return len(data)
    shingle_set(key_codepoints(text), 5)
    return len(data)


def floor_rate(src: Path, workers: int) -> float:
    """MB/s of read + decode + key + shingle hashing over the same files and workers."""
    files = sorted(str(p) for p in src.rglob("*") if p.is_file())
    started = time.perf_counter()
    with Pool(workers) as pool:
        total = sum(pool.imap(_floor_file, files, chunksize=64))
    return total / 1e6 / (time.perf_counter() - started)


def sample_stories(out: Path, mb: float) -> list[str]:
    """The first ``mb`` MB of the run's stories (kept and removed), as the run wrote them."""
    stories: list[str] = []
    size = 0
    for name in ("corpus.jsonl", "duplicates.jsonl"):
        with (out / name).open(encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line)["text"]
                stories.append(text)
                size += len(text.encode())
                if size >= mb * 1e6:
                    return stories
    return stories


def dedup_rates(stories: list[str]) -> tuple[float, float]:
    """(textbook MB/s, ours MB/s) on ``stories``, one core each, same run."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH
    from pipeline.config import DedupConfig
    from pipeline.dedup.stage import decide, dedup_key, sketch_table
    from pipeline.document import Document

    cfg = DedupConfig()
    mb = sum(len(s.encode()) for s in stories) / 1e6
    docs = [Document(f"s{i:07d}", s, "bench.txt", "utf_8") for i, s in enumerate(stories)]
    sketch_table(docs[:2], cfg)  # compile the kernels outside the timing

    started = time.perf_counter()
    sets = [[k[i : i + 5].encode() for i in range(len(k) - 4)] for k in map(dedup_key, stories)]
    minhashes = MinHash.bulk(sets, num_perm=128, seed=1, scheme="affine32")
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, m in enumerate(minhashes):
        lsh.insert(i, m)
    textbook = mb / (time.perf_counter() - started)

    started = time.perf_counter()
    table = sketch_table(docs, cfg)
    decide(table, cfg, lambda rows: [stories[int(r)] for r in np.asarray(rows)])
    ours = mb / (time.perf_counter() - started)
    return textbook, ours


def index_bytes_per_story(out: Path) -> float:
    import numpy as np
    from pipeline.dedup.index import INDEX_NPZ, SketchTable

    with np.load(out / INDEX_NPZ, allow_pickle=False) as arrays:
        table = SketchTable.from_arrays(arrays)
    return table.nbytes / max(1, len(table))


# main before issue #19 (the rooms move and the layout harness): "the pipeline before".
BEFORE = "d9ecf74"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--textbook-mb", type=float, default=8.0, help="sample for the datasketch path"
    )
    parser.add_argument("--peer-mb", type=float, default=10.0, help="sample for datatrove")
    parser.add_argument("--before", default=BEFORE, help="the build to compare with")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["one-worker", "ray", "before", "peer"]
    )
    args = parser.parse_args(argv)

    src = build_corpus(args.size_mb, args.workers)
    total, files = input_bytes(src)
    mb = total / 1e6
    here = prepare_build(WORKTREE)
    warm_up(here, src)
    out = CACHE / f"out-{args.size_mb}mb"
    print(
        f"corpus: {files} files, {mb:.0f} MB; {args.workers} workers; running the pipeline...",
        flush=True,
    )
    wall, peak = run_pipeline(here, src, out, args.workers)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))["seconds"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    stories = report["accounting"]["stories"]["found"]
    walls: dict[str, float] = {}
    identical: dict[str, bool] = {}
    if "one-worker" not in args.skip:
        print("the same with 1 worker...", flush=True)
        walls["1 worker"], _ = run_pipeline(here, src, out.with_name(out.name + "-1w"), 1)
        identical["1 worker"] = same_output(out, out.with_name(out.name + "-1w"))
    if "ray" not in args.skip and ray_available():
        print("the same on the Ray engine...", flush=True)
        ray_out = out.with_name(out.name + "-ray")
        walls["ray"], _ = run_pipeline(
            here, src, ray_out, args.workers, ["--set", "run.engine=ray"]
        )
        identical["ray"] = same_output(out, ray_out)
    if "before" not in args.skip:
        before = prepare_build(args.before)
        print(f"the pipeline before ({before.name})...", flush=True)
        warm_up(before, src)
        walls["before"], _ = run_pipeline(
            before, src, out.with_name(out.name + "-before"), args.workers
        )

    print("measuring the floor and the datasketch textbook path...", flush=True)
    floor = floor_rate(src, args.workers)
    textbook, ours = dedup_rates(sample_stories(out, args.textbook_mb))
    per_story = index_bytes_per_story(out)
    peer = None
    if "peer" not in args.skip:
        from bench.peer_datatrove import datatrove_rate

        print(f"datatrove on {args.peer_mb:.0f} MB...", flush=True)
        peer, _ = datatrove_rate(src, args.peer_mb, args.workers)

    rows: list[tuple[str, str, str]] = []

    def row(name: str, seconds: float, note: str = "") -> None:
        rows.append((name, f"{mb / seconds:8.1f}" if seconds else "      -", note))

    for stage in ("decode", "normalize", "convert", "lines", "segment", "write", "sketch"):
        seconds = run.get(f"cpu.{stage}", 0.0)
        row(
            f"stage {stage} (CPU, per core)",
            seconds,
            f"{stories / seconds:,.0f} stories/s" if seconds else "",
        )
    for name in ("survey", "process", "dedup", "write"):
        row(f"pass {name} (wall)", run.get(f"pass.{name}", 0.0))
    e2e = mb / wall
    row(f"end to end, {args.workers} workers (wall)", wall, f"{stories / wall:,.0f} stories/s")
    if "1 worker" in walls:
        speedup = walls["1 worker"] / wall
        same = "same bytes" if identical["1 worker"] else "OUTPUT DIFFERS"
        row("end to end, 1 worker (wall)", walls["1 worker"], f"{speedup:.2f}x with 2; {same}")
    if "ray" in walls:
        same = "same bytes" if identical["ray"] else "OUTPUT DIFFERS"
        row(f"Ray engine, {args.workers} local workers (wall)", walls["ray"], same)
    if "before" in walls:
        row(
            f"the pipeline before ({args.before}), {args.workers} workers",
            walls["before"],
            f"this build {walls['before'] / wall:.2f}x its speed",
        )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    ten_million = per_story * 1e7 / 2**30
    targets = [
        ("end to end >= 20 MB/s on 2 cores", f"{e2e:.1f} MB/s", e2e >= 20),
        ("end to end <= 3x the floor", f"{floor / e2e:.1f}x", floor / e2e <= 3),
        ("dedup stage >= 30x textbook", f"{ours / textbook:.1f}x", ours / textbook >= 30),
        ("peak RSS <= 2 GB", f"{peak / 2**30:.2f} GB", peak <= 2**31),
        (
            "index <= 300 bytes/story",
            f"{per_story:.0f} B (10M: {ten_million:.1f} GiB)",
            per_story <= 300,
        ),
    ]
    if "1 worker" in walls:
        speedup = walls["1 worker"] / wall
        targets.append(("2 workers >= 1.8x 1 worker", f"{speedup:.2f}x", speedup >= 1.8))
    lines = [
        f"machine: {machine}",
        f"corpus: {files} files, {mb:.0f} MB, {stories:,} stories; workers: {args.workers}",
        "",
        "| measure | MB/s | note |",
        "| --- | ---: | --- |",
        *(f"| {name} | {rate.strip()} | {note} |" for name, rate, note in rows),
        f"| floor: read + decode + shingle hash ({args.workers} workers) | {floor:.1f} | |",
        f"| datasketch textbook path (1 core) | {textbook:.1f} | |",
        f"| our dedup stage, sketch + decide (1 core) | {ours:.1f} | |",
    ]
    if peer is not None:
        lines.append(
            f"| datatrove: quality filters + 4-stage MinHash, cmn ({args.workers} workers, "
            f"{args.peer_mb:.0f} MB) | {peer:.2f} | this build {e2e / peer:.0f}x its speed |"
        )
    lines += [
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
        *(f"| {name} | {value} | {'yes' if met else 'no'} |" for name, value, met in targets),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
