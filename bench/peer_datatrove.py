"""datatrove, the best established peer, on the same pages: its own venv, its own pipeline.

``ensure_venv()`` creates ``bench/.cache/venv-datatrove`` once and installs the pinned
datatrove (with its processing extra), spaCy and jieba there, never in the project's venv.
``datatrove_rate(pages, mb, workers)`` writes the first ``mb`` megabytes of page files as
JSONL of decoded text (datatrove reads records, not page dumps: our decoder does that part,
untimed), runs ``bench/datatrove_job.py`` with the venv's interpreter, and returns the
page megabytes per wall second of its whole job, with its seconds per stage.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.builds import CACHE

VENV = CACHE / "venv-datatrove"
PINS = ("datatrove[io,processing]==0.10.1", "spacy==3.8.18", "jieba==0.42.1")
JOB = Path(__file__).with_name("datatrove_job.py")
FILES = 8  # JSONL files: tasks split the work by file


def ensure_venv() -> Path:
    """The datatrove venv's interpreter, created and installed on first use."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != "\n".join(PINS):
        print(f"installing {', '.join(PINS)} into {VENV} (once)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PINS], check=True)
        stamp.write_text("\n".join(PINS), encoding="utf-8")
    return python


def write_jsonl(pages: Path, mb: float, folder: Path) -> int:
    """The first ``mb`` MB of ``pages`` as JSONL records of decoded text; their page bytes."""
    from pipeline import DecodeError, decode_bytes

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    handles = [(folder / f"{i:02d}.jsonl").open("w", encoding="utf-8") for i in range(FILES)]
    size = 0
    try:
        for number, path in enumerate(sorted(p for p in pages.rglob("*") if p.is_file())):
            data = path.read_bytes()
            try:
                text = decode_bytes(data).text
            except DecodeError:
                continue
            record = {"id": path.relative_to(pages).as_posix(), "text": text}
            handles[number % FILES].write(json.dumps(record, ensure_ascii=False) + "\n")
            size += len(data)
            if size >= mb * 1e6:
                break
    finally:
        for handle in handles:
            handle.close()
    return size


def datatrove_rate(pages: Path, mb: float, workers: int) -> tuple[float, dict[str, float]]:
    """(MB/s of page bytes, seconds per stage) of datatrove's job on ``mb`` MB of pages."""
    python = ensure_venv()
    work = CACHE / "datatrove-work"
    size = write_jsonl(pages, mb, CACHE / "datatrove-in")
    shutil.rmtree(work, ignore_errors=True)
    done = subprocess.run(
        [str(python), str(JOB), str(CACHE / "datatrove-in"), str(work), str(workers)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        msg = f"datatrove job failed: {done.stderr.strip()[-3000:]}"
        raise RuntimeError(msg)
    seconds = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
    return size / 1e6 / seconds["total"], seconds
