"""Each per-page stage function of two builds, on the same pages, in one run.

    .venv/bin/python -m bench.bench_stages [--build WORKTREE --build d9ecf74] [--mb 20]

Runs ``bench/stage_timer.py`` once per build (a subprocess with ``PYTHONPATH`` set to the
build, see ``bench.builds``) over the first ``--mb`` megabytes of the throughput corpus
(``bench.bench_pipeline`` builds it), and prints MB/s of CPU per stage for every build
and the ratio of the first build to the last: decode, normalize, convert (OpenCC on
Traditional pages), lines (de-hyphenation and column-break repair), segment, sketch
(MinHash signatures and band keys). One process, one core: the figures are per core.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.bench_pipeline import build_corpus
from bench.builds import WORKTREE, build_env, prepare_build

# main before issue #19 (the rooms move and the layout harness): "the pipeline today".
BEFORE = "d9ecf74"
TIMER = Path(__file__).with_name("stage_timer.py")
STAGES = ("decode", "normalize", "convert", "lines", "segment", "sketch")


def time_stages(spec: str, pages: str, mb: float) -> dict[str, float]:
    """MB/s of CPU per stage of build ``spec`` over ``mb`` MB of ``pages``."""
    build = prepare_build(spec)
    done = subprocess.run(  # this tree's timer for every build: one instrument
        [sys.executable, str(TIMER), pages, str(mb)],
        cwd=build.root,
        env=build_env(build),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        msg = f"build {build.name}: stage_timer failed: {done.stderr.strip()[-2000:]}"
        raise RuntimeError(msg)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    size = result["bytes"] / 1e6
    return {stage: size / max(result["seconds"][stage], 1e-9) for stage in STAGES}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="append", help=f"{WORKTREE} or a git revision")
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of pages to time")
    parser.add_argument("--size-mb", type=int, default=200, help="the corpus to take them from")
    args = parser.parse_args(argv)
    specs = args.build or [WORKTREE, BEFORE]
    pages = str(build_corpus(args.size_mb, 2))
    rates = {spec: time_stages(spec, pages, args.mb) for spec in specs}
    names = [prepare_build(spec).name for spec in specs]
    print(f"CPU MB/s per stage, one core, {args.mb:.0f} MB of pages")
    print("| stage | " + " | ".join(names) + f" | {names[0]} / {names[-1]} |")
    print("| --- |" + " ---: |" * (len(names) + 1))
    for stage in STAGES:
        values = [rates[spec][stage] for spec in specs]
        cells = " | ".join(f"{v:.1f}" for v in values)
        print(f"| {stage} | {cells} | {values[0] / values[-1]:.2f}x |")


if __name__ == "__main__":
    main()
