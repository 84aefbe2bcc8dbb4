"""Kill the CLI with SIGKILL at random moments, resume, and get the uninterrupted output.

The default test kills 20 times over a corpus of a few hundred files; ``make stress`` runs
the same loop longer over a bigger corpus (``STRESS_FILES``, ``STRESS_KILLS``).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.engine.run import OUTPUT_FILES

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = ROOT / "data" / "raw" / "workers-daily" / "2017-08-28-page.txt"
ENCODINGS = ("utf_8", "utf_8", "gb18030", "utf_8_sig", "utf_16")


def make_corpus(root: Path, n: int, seed: int = 7) -> None:
    """``n`` small pages in three folders, in several encodings, some of them reprints."""
    rng = random.Random(seed)
    paragraphs = [p for p in SEED_PAGE.read_text(encoding="utf-8").split("\n") if len(p) > 20]
    for i in range(n):
        folder = root / f"paper-{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        k = rng.randint(2, 6)
        start = rng.randrange(len(paragraphs))
        page = "\n\n".join(paragraphs[(start + j) % len(paragraphs)] for j in range(k))
        if rng.random() < 0.3:
            page = f"第{i}版\n\n" + page  # not a reprint
        codec = ENCODINGS[i % len(ENCODINGS)]
        (folder / f"page-{i:04d}.txt").write_bytes(page.encode(codec))


def command(src: Path, out: Path, *args: str) -> list[str]:
    return [
        sys.executable, "-m", "pipeline", "clean", "--quiet", "--input", str(src),
        "--output", str(out), "--set", "run.unit_files=8", "--set", "run.pool_min_bytes=0", *args,
    ]  # fmt: skip


def run_cli(src: Path, out: Path, *args: str) -> dict[str, str]:
    """Run to completion and return the hashes of the deterministic outputs."""
    subprocess.run(command(src, out, *args), check=True, cwd=ROOT)
    return digest(out)


def start_cli(src: Path, out: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command(src, out, *args), cwd=ROOT, stderr=subprocess.DEVNULL)


def digest(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUT_FILES}


def wait_then_signal(proc: subprocess.Popen[bytes], out: Path, signal_name: str) -> int:
    """Send ``signal_name`` once the run has committed its first unit; return the exit code."""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if list((out / ".work").glob("*.done")):
            proc.send_signal(getattr(signal, signal_name))
            break
        time.sleep(0.01)
    return proc.wait(timeout=60)


def assert_no_partial_outputs(out: Path) -> None:
    """Whatever a killed run left: whole output files only, every JSON line complete."""
    for name in OUTPUT_FILES:
        path = out / name
        if path.exists() and name.endswith(".jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                json.loads(line)
        elif path.exists() and name.endswith(".json"):
            json.loads(path.read_text(encoding="utf-8"))


def kill_and_resume(tmp_path: Path, files: int, kills: int, seed: int) -> None:
    make_corpus(tmp_path / "in", files)
    started = time.monotonic()
    reference = run_cli(tmp_path / "in", tmp_path / "ref")
    duration = time.monotonic() - started
    rng = random.Random(seed)
    out = tmp_path / "out"
    for attempt in range(kills):
        proc = start_cli(tmp_path / "in", out, *(["--resume"] if attempt else []))
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if out.exists():
            assert_no_partial_outputs(out)
    assert run_cli(tmp_path / "in", out, "--resume") == reference
    leftovers = [
        p.name
        for p in out.iterdir()
        if p.name.startswith((".tmp-", ".work")) or p.name.endswith(".new")
    ]
    assert leftovers == []


def test_sigkill_at_20_random_moments_then_resume_gives_identical_output(tmp_path: Path) -> None:
    kill_and_resume(tmp_path, files=300, kills=20, seed=1)


@pytest.mark.stress
def test_stress_kill_and_resume(tmp_path: Path) -> None:
    files = int(os.environ.get("STRESS_FILES", "3000"))
    kills = int(os.environ.get("STRESS_KILLS", "50"))
    kill_and_resume(
        tmp_path, files=files, kills=kills, seed=int(os.environ.get("STRESS_SEED", "2"))
    )
