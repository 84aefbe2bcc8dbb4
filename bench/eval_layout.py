"""End-to-end layout evaluation of any build of the pipeline, through its command line.

    python -m bench.eval_layout                       # both sources, every family, 2 builds
    python -m bench.eval_layout --build WORKTREE --build main~3 --families wire,jumps
    python -m bench.eval_layout --seen generator,wire,truncated --pages 60

For each source split (``--source pdaily debian``, ``--split measure``) the layout families
(``bench.families``) are written as one corpus: ``OUT/<source>-<split>/input/<family>/
<paper>/<page>.txt`` and the truth beside it in ``truth/`` (never in ``input/``). Each
build then runs ``python -m pipeline clean --input ... --output ... --quiet --set
dedup.enabled=false`` (every story kept; ``duplicates.jsonl`` is read too, in case a build
ignores the switch) as a subprocess with ``PYTHONPATH`` and the working directory set to
the build, so it reads its own ``config/pipeline.toml``. Builds:

* ``WORKTREE``: the working tree this command runs in;
* any git revision: exported with ``git archive`` into ``bench/.cache/build-<sha>/`` once,
  run with the same virtual environment (same dependencies). The default pair is the
  working tree and ``PINNED`` (91ebf94, main after the rooms move: the rule engine).

Each page is rebuilt from the build's stories in line order and scored with
``bench.layout_scores`` (stories 1:1, boundary P/R/F1, broken sentences per 10,000, CER,
titles, furniture and jump marks leaked, reporters, and why stories were missed). The
tables go to stdout with the targets; everything goes to ``--json`` too. Furniture
learning works per folder and each family's papers are folders of their own, so one run
over all families gives what a run per family would.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.builds import CACHE, WORKTREE, Build, prepare_build, run_build
from bench.families import FAMILY_NAMES, training_pages
from bench.generate import write_corpus
from bench.layout_scores import MECHANISMS, LayoutCounts, score_page
from bench.sources import SOURCE_NAMES
from bench.stories import opencc_converter

PINNED = "91ebf947257b80b6cd3d6f12f7e07e65e5fc8294"  # main after the rooms move
OVERRIDES = ("dedup.enabled=false", "output.report_html=false")
# measure -> (direction, target)
TARGETS: dict[str, tuple[str, float]] = {
    "stories 1:1": (">=", 0.98),
    "titles": (">=", 0.95),
    "broken sentences per 10k": ("<=", 1.0),
    "furniture leaked": ("<=", 0.01),
}
GAP_TARGET = 0.01  # seen minus held-out stories 1:1, at most one point


def read_records(output_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Story records of a run (kept and dropped) by source path."""
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name in ("corpus.jsonl", "duplicates.jsonl"):
        path = output_dir / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    by_source[record["metadata"]["source"]].append(record)
    return by_source


def decoded_input(corpus: Path, rel: str, encoding: str) -> str:
    """The raw page as the truth offsets see it: decoded, BOM gone, CRLF read as LF."""
    data = (corpus / "input" / rel).read_bytes()
    return data.decode(encoding).lstrip("\ufeff").replace("\r\n", "\n")


def score_run(corpus: Path, output_dir: Path) -> dict[str, LayoutCounts]:
    """Scores per family of one run over one corpus folder."""
    records = read_records(output_dir)
    t2s = opencc_converter("t2s")
    per_family: dict[str, LayoutCounts] = defaultdict(LayoutCounts)
    for truth_path in sorted((corpus / "truth").rglob("*.json")):
        if truth_path.name == "manifest.json":
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        rel = str(truth_path.relative_to(corpus / "truth").with_suffix(".txt"))
        raw = decoded_input(corpus, rel, truth["encoding"])
        family = truth.get("family") or rel.split("/", 1)[0]
        per_family[family] += score_page(records.get(rel, []), raw, truth, t2s)
    return dict(per_family)


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a binomial share.

    >>> [round(x, 3) for x in wilson(90, 100)]
    [0.826, 0.945]
    """
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def combine(parts: Iterable[LayoutCounts]) -> LayoutCounts:
    """The sum of several families' counts."""
    total = LayoutCounts()
    for part in parts:
        total += part
    return total


def met(name: str, value: float) -> bool:
    """Whether ``value`` meets the target of measure ``name``."""
    direction, target = TARGETS[name]
    return value >= target if direction == ">=" else value <= target


def top_mechanisms(counts: LayoutCounts, n: int = 3) -> str:
    """The most common reasons stories were missed, e.g. ``body line 12, swallowed 7``."""
    short = {
        "headline swallowed without lead": "swallowed",
        "headline after truncated story": "after-truncated",
        "body line read as headline": "body-as-headline",
        "orphaned tail glued": "tail-glued",
        "connective paragraph cut off": "connective-cut",
    }
    return ", ".join(f"{short.get(k, k)} {v}" for k, v in counts.mechanisms.most_common(n))


def row(label: str, counts: LayoutCounts) -> str:
    """One table row."""
    v = counts.values()
    lo, hi = wilson(counts.stories.recovered, counts.stories.true_stories)
    return (
        f"| {label} | {counts.pages} | {counts.stories.true_stories} | "
        f"{v['stories 1:1']:.3f} ({lo:.3f}-{hi:.3f}) | {v['boundary F1']:.4f} | "
        f"{v['broken sentences per 10k']:.1f} | {v['CER']:.3%} | {v['titles']:.3f} | "
        f"{v['furniture leaked']:.1%} | {v['jump marks leaked']:.0%} | {v['reporters']:.2f} | "
        f"{top_mechanisms(counts)} |"
    )


HEADER = (
    "| family | pages | stories | stories 1:1 (95% CI) | boundary F1 | broken /10k | CER | "
    "titles | furniture leaked | jump marks leaked | reporters | top error mechanisms |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
)


def table(
    build: Build, source: str, split: str, families: Mapping[str, LayoutCounts], seen: Sequence[str]
) -> str:
    """The table of one build on one source split, with the target lines."""
    lines = [f"### build {build.name} ({build.rev[:12]}), {source} {split}", "", HEADER]
    for name in FAMILY_NAMES:
        if name in families:
            lines.append(row(name, families[name]))
    everything = combine(families.values())
    lines.append(row("**all**", everything))
    gap = None
    if seen:
        seen_counts = combine(c for f, c in families.items() if f in seen)
        held = combine(c for f, c in families.items() if f not in seen)
        lines.append(row("seen", seen_counts))
        lines.append(row("held-out", held))
        gap = seen_counts.stories.recovered_share - held.stories.recovered_share
    values = everything.values()
    lines.append("")
    verdicts = [
        f"{name} {values[name]:.4g} ({TARGETS[name][0]} {TARGETS[name][1]:g}: "
        f"{'met' if met(name, values[name]) else 'NOT met'})"
        for name in TARGETS
    ]
    if gap is not None:
        verdicts.append(
            f"seen - held-out gap {gap:+.3f} (<= {GAP_TARGET}: "
            f"{'met' if abs(gap) <= GAP_TARGET else 'NOT met'})"
        )
    lines.append("targets, all families: " + "; ".join(verdicts))
    return "\n".join(lines)


def comparison(results: Mapping[str, Mapping[str, Mapping[str, LayoutCounts]]]) -> str:
    """Stories 1:1 per source and family, one column per build."""
    builds = list(results)
    lines = [
        "### stories 1:1 by build",
        "",
        "| source | family | " + " | ".join(builds) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in builds) + " |",
    ]
    sources = list(next(iter(results.values())))
    for source in sources:
        for name in (*FAMILY_NAMES, "all"):
            cells = []
            for build in builds:
                fams = results[build][source]
                counts = combine(fams.values()) if name == "all" else fams.get(name)
                cells.append(f"{counts.stories.recovered_share:.3f}" if counts else "")
            if any(cells):
                lines.append(f"| {source} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def as_json(counts: LayoutCounts) -> dict[str, object]:
    """A family's numbers and raw counts for the JSON file."""
    lo, hi = wilson(counts.stories.recovered, counts.stories.true_stories)
    return {
        **counts.values(),
        "stories 1:1 ci95": [lo, hi],
        "recovered": counts.stories.recovered,
        "sentences": counts.sentences.sentences,
        "broken sentences": counts.sentences.broken,
        "furniture lines": counts.furniture.lines,
        "furniture leaked lines": counts.furniture.leaked,
        "mechanisms": {k: counts.mechanisms.get(k, 0) for k in MECHANISMS},
    }


def parse_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--source", nargs="+", default=list(SOURCE_NAMES), choices=SOURCE_NAMES)
    parser.add_argument("--split", default="measure", choices=("fit", "measure"))
    parser.add_argument("--families", help="comma-separated family names (default: all)")
    parser.add_argument("--seen", help="comma-separated families the tables group as seen")
    parser.add_argument("--pages", type=int, default=60, help="page files per family")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--build",
        action="append",
        help=f"{WORKTREE} or a git revision (repeatable; default: {WORKTREE} and {PINNED[:7]})",
    )
    parser.add_argument(
        "--set", action="append", default=[], dest="overrides", help="extra --set for clean"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=CACHE / "eval-layout")
    parser.add_argument("--json", type=Path, help="default: OUT/results.json")
    args = parser.parse_args(None if argv is None else list(argv))
    families = parse_list(args.families) or list(FAMILY_NAMES)
    unknown = [f for f in families if f not in FAMILY_NAMES]
    if unknown:
        parser.error(f"unknown families {unknown}; families are {', '.join(FAMILY_NAMES)}")
    seen = parse_list(args.seen)
    builds = [prepare_build(spec) for spec in (args.build or [WORKTREE, PINNED])]
    overrides = [*OVERRIDES, *args.overrides]
    started = time.perf_counter()
    corpora: dict[str, Path] = {}
    for source in args.source:
        corpus = args.out / f"{source}-{args.split}"
        for part in ("input", "truth"):
            shutil.rmtree(corpus / part, ignore_errors=True)
        pages = training_pages(source, args.split, families, args.pages, args.seed)
        meta = {"source": source, "split": args.split, "seed": args.seed, "pages": args.pages}
        write_corpus(corpus, pages, meta={**meta, "families": families})
        corpora[source] = corpus
    generated = time.perf_counter() - started
    results: dict[str, dict[str, dict[str, LayoutCounts]]] = {}
    seconds: dict[str, dict[str, float]] = {}
    for build in builds:
        results[build.name], seconds[build.name] = {}, {}
        for source, corpus in corpora.items():
            out = corpus / f"out-{build.name}"
            seconds[build.name][source] = run_build(
                build, corpus / "input", out, overrides, args.workers
            )
            results[build.name][source] = score_run(corpus, out)
            print(table(build, source, args.split, results[build.name][source], seen))
            print(f"\n(pipeline {seconds[build.name][source]:.1f} s)\n")
    if len(builds) > 1:
        print(comparison(results))
    total = time.perf_counter() - started
    print(
        f"\n{args.pages} page files per family, seed {args.seed}; generation {generated:.1f} s, "
        f"total {total:.1f} s; 1:1 intervals are 95 % Wilson intervals over stories"
    )
    payload = {
        "meta": {
            "split": args.split,
            "seed": args.seed,
            "pages": args.pages,
            "families": families,
            "seen": seen,
            "targets": {k: list(v) for k, v in TARGETS.items()},
            "seconds": {"total": total, "generation": generated, "pipeline": seconds},
        },
        "builds": {
            b.name: {
                "rev": b.rev,
                "sources": {
                    source: {
                        **{f: as_json(c) for f, c in fams.items()},
                        "all": as_json(combine(fams.values())),
                    }
                    for source, fams in results[b.name].items()
                },
            }
            for b in builds
        },
    }
    target = args.json or args.out / "results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    print(f"JSON: {target}")
    return 0


__all__ = ["Build", "combine", "prepare_build", "run_build", "score_run", "table", "wilson"]

if __name__ == "__main__":
    sys.exit(main())
