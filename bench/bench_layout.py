"""Throughput of line repair + segmentation: the line model against the rule engine, in the
same run, on the same pages.

    .venv/bin/python -m bench.bench_layout [--pages 300] [--repeat 3]

Pages are ``bench.generate``'s (from the Debian prose, ``bench.prose``), already
normalised and converted, so that only the ``lines`` and ``segment`` stages are timed. The
rule engine is this build with ``lines.min_model_lines`` past any page (the column-break
rule alone: exactly what 91ebf94 shipped, ``pipeline/layout/columns.py``). Each build is
timed ``--repeat`` times, alternating, and the best time kept (the machine is shared);
MB/s is input bytes (UTF-8) over CPU seconds of one process, so per core.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import replace

from pipeline.config import Config
from pipeline.document import Document, Stats
from pipeline.layout import repair_lines, segment
from pipeline.text import convert_text, detect_script, normalize_text

from bench.generate import Knobs, generate_pages
from bench.prose import load_paragraphs


def prepared(n_pages: int, seed: int) -> list[Document]:
    """``n_pages`` generated pages, normalised and converted as the run would."""
    cfg = Config()
    simplified, traditional = load_paragraphs("simplified"), load_paragraphs("traditional")
    docs = []
    for page in generate_pages(seed, n_pages, Knobs(), simplified, traditional):
        text = normalize_text(page.raw, cfg.normalize)
        text, _ = convert_text(text, cfg.convert, detect_script(text))
        docs.append(Document(page.id, text, f"{page.paper}/{page.id}.txt", "utf_8"))
    return docs


def cpu_seconds(docs: Sequence[Document], cfg: Config) -> float:
    """CPU seconds of the lines and segment stages over ``docs``."""
    stats = Stats()
    started = time.process_time()
    for _ in segment(repair_lines(docs, cfg.lines, stats), cfg.segment, stats):
        pass
    return time.process_time() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(None if argv is None else list(argv))
    docs = prepared(args.pages, args.seed)
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    model = Config()
    rules = replace(model, lines=replace(model.lines, min_model_lines=sys.maxsize))
    cpu_seconds(docs[:5], model)  # first use: the dictionary, the model file, numba
    best = {"rule engine": float("inf"), "line model": float("inf")}
    for _ in range(args.repeat):
        best["rule engine"] = min(best["rule engine"], cpu_seconds(docs, rules))
        best["line model"] = min(best["line model"], cpu_seconds(docs, model))
    print(f"{len(docs)} pages, {size / 1e6:.1f} MB; best of {args.repeat}, CPU seconds")
    print("| build | lines + segment MB/s (per core) | seconds |")
    print("| --- | ---: | ---: |")
    for name, seconds in best.items():
        print(f"| {name} | {size / 1e6 / seconds:.2f} | {seconds:.2f} |")
    print(f"ratio line model / rule engine: {best['rule engine'] / best['line model']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
