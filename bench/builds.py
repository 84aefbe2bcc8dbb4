"""Builds of the pipeline to measure side by side: the working tree, or any git revision.

A revision is exported once with ``git archive`` into ``bench/.cache/build-<sha>/`` and run
as a subprocess with ``PYTHONPATH`` and the working directory set to it, in the same
virtual environment (the same dependencies), so it reads its own ``config/pipeline.toml``.
``bench.eval_layout`` scores builds' stories; ``bench.bench_pipeline`` and
``bench.bench_stages`` time them, all in one run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / ".cache"
WORKTREE = "WORKTREE"


@dataclass(frozen=True, slots=True)
class Build:
    """A pipeline to run: its name in the tables, where its code is, what it is."""

    name: str
    root: Path
    rev: str


def git(*args: str) -> str:
    """Output of a git command in the repository (stripped)."""
    done = subprocess.run(
        ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        msg = f"git {' '.join(args)} failed: {done.stderr.strip()}"
        raise RuntimeError(msg)
    return done.stdout.strip()


def prepare_build(spec: str) -> Build:
    """``WORKTREE`` or a git revision, exported with ``git archive`` (cached by sha)."""
    if spec == WORKTREE:
        return Build("worktree", REPO, WORKTREE)
    sha = git("rev-parse", "--verify", f"{spec}^{{commit}}")
    root = CACHE / f"build-{sha}"
    if not (root / "pipeline" / "__init__.py").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            archive = Path(tmp) / "build.tar"
            with archive.open("wb") as handle:
                subprocess.run(
                    ["git", "-C", str(REPO), "archive", "--format=tar", sha],
                    stdout=handle,
                    check=True,
                )
            target = Path(tmp) / "tree"
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter="data")
            if root.exists():
                shutil.rmtree(root)
            target.rename(root)
    return Build(sha[:7], root, sha)


def build_env(build: Build) -> dict[str, str]:
    """The environment that makes ``import pipeline`` load ``build``'s code (checked)."""
    env = dict(os.environ, PYTHONPATH=str(build.root))
    check = subprocess.run(
        [sys.executable, "-c", "import pipeline; print(pipeline.__file__)"],
        cwd=build.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if not check.stdout.strip().startswith(str(build.root)):
        msg = f"build {build.name}: imports pipeline from {check.stdout.strip() or check.stderr}"
        raise RuntimeError(msg)
    return env


def clean_command(
    input_dir: Path,
    output_dir: Path,
    overrides: Sequence[str] = (),
    workers: int = 2,
    extra: Sequence[str] = (),
) -> list[str]:
    """``python -m pipeline clean`` over ``input_dir`` (quiet), with ``--set`` overrides."""
    cmd = [
        sys.executable, "-m", "pipeline", "clean", "--input", str(input_dir),
        "--output", str(output_dir), "--quiet", "--workers", str(workers), *extra,
    ]  # fmt: skip
    for override in overrides:
        cmd += ["--set", override]
    return cmd


def run_build(
    build: Build, input_dir: Path, output_dir: Path, overrides: Sequence[str], workers: int
) -> float:
    """Run ``pipeline clean`` of ``build`` over ``input_dir``; return the wall seconds."""
    if output_dir.exists():
        shutil.rmtree(output_dir)
    env = build_env(build)
    cmd = clean_command(input_dir, output_dir, overrides, workers)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=build.root, env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0,):
        msg = f"build {build.name} exited {done.returncode}: {done.stderr.strip()[-2000:]}"
        raise RuntimeError(msg)
    return time.perf_counter() - started
