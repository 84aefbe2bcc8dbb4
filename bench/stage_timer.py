"""Time each per-page stage function of whichever ``pipeline`` is importable (a script).

Run by ``bench.bench_stages`` once per build, as ``python bench/stage_timer.py PAGES MB``
with ``PYTHONPATH`` set to the build, so it must not import ``bench`` (a build has its
own). It reads page files until ``MB`` megabytes, then times, page by page, each stage's
pure function in the order the stages chain them, and prints one JSON object: input
bytes, pages, and CPU seconds per stage.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    import pipeline
    from pipeline import (
        dehyphenate,
        detect_script,
        join_broken_lines,
        normalize_text,
        split_stories,
        to_simplified,
    )
    from pipeline.dedup.stage import sketch_table  # the worker's sketching, on every build

    folder, limit = Path(sys.argv[1]), float(sys.argv[2]) * 1e6
    datas: list[bytes] = []
    size = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        datas.append(data)
        size += len(data)
        if size >= limit:
            break
    seconds = dict.fromkeys(("decode", "normalize", "convert", "lines", "segment", "sketch"), 0.0)
    config = pipeline.load_config(None)
    stories: list[pipeline.Document] = []

    def timed(stage: str, fn: object, *args: object, **kwargs: object) -> object:
        started = time.process_time()
        result = fn(*args, **kwargs)  # type: ignore[operator]
        seconds[stage] += time.process_time() - started
        return result

    for number, data in enumerate(datas):
        try:
            text = timed("decode", pipeline.decode_bytes, data).text  # type: ignore[attr-defined]
        except pipeline.DecodeError:
            continue
        text = timed("normalize", normalize_text, text)
        started = time.process_time()
        if detect_script(text) == "traditional":
            text = to_simplified(text)
        seconds["convert"] += time.process_time() - started
        started = time.process_time()
        marked = join_broken_lines(dehyphenate(text, mark_wraps=True), mark_wraps=True)
        seconds["lines"] += time.process_time() - started
        page = timed("segment", split_stories, marked)
        stories.extend(
            pipeline.Document(f"p{number:06d}-s{i:02d}", s.text, "page.txt", "utf_8")
            for i, s in enumerate(page)  # type: ignore[attr-defined]
        )
    sketch_table(stories[:2], config.dedup)  # compile the kernels outside the timing
    timed("sketch", sketch_table, stories, config.dedup)
    print(json.dumps({"bytes": size, "pages": len(datas), "seconds": seconds}))


if __name__ == "__main__":
    main()
