"""Check that line repair, segmentation and furniture give the same bytes as another commit.

    .venv/bin/python -m bench.check_identity --ref 42d3c1f [--pages DIR] [--fuzz 12000]

For speed work on ``pipeline/layout/`` (line repair, segmentation) and the modules they
use: the same inputs go through the pure functions and the two stages of both versions
(the reference is ``git archive``d into a temporary directory and run in its own process),
and every output is compared. Inputs: the page dumps of ``--pages`` (e.g. from
``python -m bench.generate DIR --size-mb 20 --no-truth``), ``data/raw``, the case tables,
the evaluation pages of seeds 1 and 2, and seeded random texts (Han, marks of both widths,
Latin, blanks, wrap marks, leads, bylines, credits, furniture). Outputs: ``dehyphenate``
and ``join_broken_lines`` (marked or not, default and other thresholds),
``split_stories``, ``furniture_candidates``, ``learn_furniture``, ``strip_furniture``,
and the ``lines`` and ``segment`` stages with their counters.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PIECES = (
    list("湖北省产业工人队伍建设改革方案本报讯记者邹明强內蒙古工會的地得和与及了着过之图为此外")
    + list("，。、；：？！（）“”《》「」『』…—·　")
    + list(",.;:?!()\"'-+/%@ abcXYZ0123456789")
    + ["\n", "\n", "\n\n", "\u2028", "\u200b", "\t", "  ", "\u3000\u3000", "한국어", "\ud800"]
    + ["本报讯（记者邹明强）", "新华社北京3月5日电", "（孙富常）", "倪树斌 摄", "新华社发"]
    + ["本报通讯员 陈有会 汤永红", "- 3 -", "责任编辑：张三", "工人日报 2017年8月28日 星期一"]
    + ["此外，", "抓落实 见实效", "——记湖北", "infor-", "mation", "1990-", "2000年", "K154"]
)


def _inputs(pages: Path | None, fuzz: int) -> list[tuple[str, str, str]]:
    """(name, source folder, text) of every input, normalised as the lines stage sees it."""
    from pipeline.errors import PipelineError
    from pipeline.text.encoding import decode_bytes
    from pipeline.text.normalization import normalize_text

    from bench.eval_lines import make_pages, prepare

    items = []
    roots = [(ROOT / "data" / "raw", "raw"), *([(pages, "pages")] if pages else [])]
    for root, tag in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            try:
                text = normalize_text(decode_bytes(path.read_bytes()).text)
            except PipelineError:
                continue
            rel = path.relative_to(root)
            items.append((f"{tag}:{rel}", f"{tag}:{rel.parent}", text))
    for stage in ("lines", "segment"):
        cases = tomllib.loads((ROOT / "tests" / "cases" / f"{stage}.toml").read_text("utf-8"))
        for i, case in enumerate(cases["case"]):
            items.append((f"case-{stage}:{i}", "case", case["input"]))
    for seed in (1, 2):
        for page in make_pages(120, seed):
            items.append((f"eval{seed}:{page.id}", f"eval{seed}:{page.paper}", prepare(page)))
    rng = random.Random(7)
    for i in range(fuzz):
        text = "".join(rng.choice(PIECES) for _ in range(rng.choice([3, 10, 40, 150, 500])))
        items.append((f"fuzz:{i}", "fuzz", normalize_text(text) if i % 2 else text))
    return items


def _outputs(items: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Run in the process of one version: every output, as picklable values."""
    from dataclasses import astuple

    from pipeline.config import HeadlineConfig, LinesConfig, SegmentConfig
    from pipeline.document import Document, Stats
    from pipeline.errors import PipelineError
    from pipeline.layout.lines import dehyphenate, join_broken_lines, repair_lines
    from pipeline.layout.segmentation import (
        furniture_candidates,
        learn_furniture,
        segment,
        split_stories,
        strip_furniture,
    )

    other_headline = HeadlineConfig(max_width=12.0, max_lines=2)
    other_lines = LinesConfig(width_tolerance=0.5, max_rest_width=2.0, headline=other_headline)
    other_segment = SegmentConfig(headline=other_headline)
    out: dict[str, Any] = {}
    marked = {}
    for name, _, text in items:
        marked[name] = join_broken_lines(dehyphenate(text, mark_wraps=True), mark_wraps=True)
        joined = join_broken_lines(text)
        out[name] = (
            dehyphenate(text),
            joined,
            join_broken_lines(text, mark_wraps=True),
            join_broken_lines(text, other_lines, mark_wraps=True),
            marked[name],
            [astuple(s) for s in split_stories(text)],
            [astuple(s) for s in split_stories(joined, other_segment)],
            furniture_candidates(text),
        )
    candidates = [(folder, furniture_candidates(marked[name])) for name, folder, _ in items]
    # Keyed by a label, not the config's repr: a version that adds a config field (at its
    # default) must still compare equal.
    for label, config in (
        ("defaults", SegmentConfig()),
        ("eager", SegmentConfig(furniture_min_pages=2, furniture_min_share=0.1)),
    ):
        learned = learn_furniture(candidates, config)
        out[f"learned {label}"] = sorted((k, sorted(v)) for k, v in learned.items())
        for name, folder, _ in items:
            text, removed = strip_furniture(marked[name], learned.get(folder, frozenset()))
            out[name] += (text, sorted(removed.items()), [astuple(s) for s in split_stories(text)])
    docs = [
        Document(f"p{i}", text, f"{folder}/{i}.txt", "utf_8", first_line=1 + i % 7)
        for i, (_, folder, text) in enumerate(items)
    ]
    for label, lines_cfg, segment_cfg in (
        ("defaults", LinesConfig(), SegmentConfig()),
        ("no dehyphenation, no split", LinesConfig(dehyphenate=False), SegmentConfig(split=False)),
    ):
        stats = Stats()
        repaired = list(repair_lines(docs, lines_cfg, stats))
        learned = learn_furniture(
            ((d.source.rpartition("/")[0], furniture_candidates(d.text)) for d in repaired),
            segment_cfg,
        )
        stories = []
        for doc in repaired:  # one page at a time: a page the stage refuses is a result too
            try:
                stories += [astuple(s) for s in segment([doc], segment_cfg, stats, learned)]
            except PipelineError as error:  # recorded and compared, not hidden
                stories.append((doc.id, type(error).__name__, str(error)))
        out[f"stages {label}"] = (
            [astuple(d) for d in repaired],
            stories,
            sorted(stats.events.items()),
            sorted(stats.chars.items()),
        )
    return out


def _run(tree: Path, inputs: Path, output: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, str(Path(__file__).resolve()), "--dump", str(inputs), str(output)]
    subprocess.run(command, cwd=tree, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ref", help="the commit to compare with (e.g. main)")
    parser.add_argument("--pages", type=Path, help="a folder of page dumps")
    parser.add_argument("--fuzz", type=int, default=12000, help="random texts")
    parser.add_argument("--show", type=int, default=20, help="differing outputs to list")
    parser.add_argument("--dump", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:  # in the process of one version
        items = pickle.loads(args.dump[0].read_bytes())
        args.dump[1].write_bytes(pickle.dumps(_outputs(items)))
        return 0
    if not args.ref:
        parser.error("--ref is required")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        archive = subprocess.run(
            ["git", "archive", args.ref], cwd=ROOT, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(work / "ref", filter="data")
        items = _inputs(args.pages, args.fuzz)
        (work / "inputs.pkl").write_bytes(pickle.dumps(items))
        print(f"{len(items)} inputs, {sum(len(t) for _, _, t in items)} characters")
        _run(work / "ref", work / "inputs.pkl", work / "ref.pkl")
        _run(ROOT, work / "inputs.pkl", work / "new.pkl")
        ref = pickle.loads((work / "ref.pkl").read_bytes())
        new = pickle.loads((work / "new.pkl").read_bytes())
    differ = [key for key in ref if ref[key] != new.get(key)] + sorted(set(new) - set(ref))
    for key in differ[: args.show]:
        print("DIFFERENT:", key)
    print(f"{len(ref) - len(differ)} of {len(ref)} outputs identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
