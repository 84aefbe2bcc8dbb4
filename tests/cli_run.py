"""Run ``pipeline clean`` through its command line on a few pages written for a test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.cli import main


def clean_pages(tmp_path: Path, pages: dict[str, str], *settings: str) -> Path:
    """Write ``pages`` (relative path -> text, UTF-8) under ``tmp_path/in``, run
    ``pipeline clean`` with ``--set`` ``settings`` on one worker; return the output folder."""
    root = tmp_path / "in"
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    sets = [arg for s in settings for arg in ("--set", s)]
    args = ["clean", "--input", str(root), "--output", str(out), "--quiet", "--workers", "1"]
    assert main([*args, *sets]) == 0
    return out


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
