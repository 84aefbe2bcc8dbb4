"""Scaling of line repair on one very long paragraph, against the same lines as paragraphs.

    .venv/bin/python -m bench.bench_lines [--lines 40000 80000 160000]

A page whose lines never end a sentence (a list of names, a table dump, OCR of a text
without punctuation) is joined into one paragraph. Line repair grows that paragraph one
line at a time; the baseline is the same lines, each ending with 。 (every break a
boundary), timed in the same run. The ratio should stay flat as the page grows: a ratio
that doubles with the line count means each join copies the paragraph built so far.
"""

from __future__ import annotations

import argparse
import random
import time

from pipeline.layout.lines import join_broken_lines

HAN = "湖北省产业工人队伍建设改革方案明确要求坚持党委统一领导政府有关部门各司其职工会行业协会"


def make_lines(n: int, seed: int = 0) -> list[str]:
    """``n`` column lines of 18 Han characters, no punctuation."""
    rng = random.Random(seed)
    return ["".join(rng.choice(HAN) for _ in range(18)) for _ in range(n)]


def seconds(text: str) -> float:
    started = time.perf_counter()
    join_broken_lines(text)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[40_000, 80_000, 160_000])
    args = parser.parse_args(argv)
    print("| lines | one paragraph (s) | baseline: one paragraph a line (s) | ratio |")
    print("| ---: | ---: | ---: | ---: |")
    for n in args.lines:
        lines = make_lines(n)
        joined = seconds("\n".join(lines))
        baseline = seconds("\n".join(line + "。" for line in lines))
        print(f"| {n:,} | {joined:.2f} | {baseline:.2f} | {joined / baseline:.2f} |")


if __name__ == "__main__":
    main()
