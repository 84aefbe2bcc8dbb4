"""How ``make eval``'s measures depend on the generator's choices: one knob moved at a time.

The harness draws every page's layout from knobs (``bench.render.LayoutKnobs``,
``bench.stories.StoryKnobs``, ``bench.generate.PageKnobs``): how many pages indent their
paragraphs, how narrow the columns are, how many stories have a lead. Another generator
(the team keeps its own) makes other choices, so a rule tuned to ours should not stand or
fall with one of them. This script moves one knob at a time to an extreme and prints the
four measures of ``bench.eval_lines`` for each, beside the defaults, on the same seed.

    python -m bench.sensitivity [--seed 1] [--pages 120] [--only NAME ...]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from pipeline.config import LinesConfig, SegmentConfig

from bench.eval_lines import Scores, evaluate
from bench.generate import Knobs, generate_pages


def variants(base: Knobs | None = None) -> dict[str, Knobs]:
    """The knob settings compared, by name; the first is the defaults."""
    base = base or Knobs()
    layout, story = base.layout, base.story

    def with_layout(**changes: Any) -> Knobs:
        return replace(base, layout=replace(layout, **changes))

    def with_story(**changes: Any) -> Knobs:
        return replace(base, story=replace(story, **changes))

    return {
        "defaults": base,
        "every page indents": with_layout(indent=1.0),
        "no page indents": with_layout(indent=0.0),
        "one line per break (no blanks)": with_layout(spacing=(1.0, 0.0, 0.0)),
        "a blank line after every line": with_layout(spacing=(0.0, 1.0, 0.0)),
        "blank lines at some breaks": with_layout(spacing=(0.0, 0.0, 1.0)),
        "narrow columns (10-14)": with_layout(min_width=10, max_width=14),
        "wide columns (20-26)": with_layout(min_width=20, max_width=26),
        "no width jitter": with_layout(width_jitter=0.0),
        "much width jitter (0.4)": with_layout(width_jitter=0.4),
        "no kinsoku": with_layout(kinsoku=0.0),
        "no unwrapped paragraphs": with_layout(flow=0.0),
        "half the paragraphs unwrapped": with_layout(flow=0.5),
        "no paragraph set to end full": with_layout(edge_end=0.0),
        "half the headlines wrapped": with_layout(heading_wrap=0.5),
        "half-width punctuation on every page": with_layout(halfwidth=1.0),
        "stray spaces on every page": with_layout(inner_space=1.0),
        "every lead on its own line": with_story(lead_own_line=1.0),
        "a kicker and a deck on every story": with_story(kicker=1.0, deck=1.0),
        "no closing bylines": with_story(byline=0.0),
        "captions on half the stories": with_story(caption=0.5),
        "stories of 1-2 paragraphs": with_story(min_paragraphs=1, max_paragraphs=2),
        "no page furniture": replace(base, page=replace(base.page, furniture=0.0)),
    }


def measures(scores: Scores) -> tuple[float, float, float, float]:
    """Boundary F1, CER, stories 1:1, titles."""
    return (
        scores.boundaries.f1,
        scores.cer.rate,
        scores.stories.recovered_share,
        scores.stories.title_share,
    )


def report(rows: dict[str, tuple[float, float, float, float]]) -> str:
    lines = [
        "| knobs | boundary F1 | CER | stories 1:1 | titles |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, (f1, cer, stories, titles) in rows.items():
        lines.append(f"| {name} | {f1:.4f} | {cer:.4%} | {stories:.4f} | {titles:.4f} |")
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", type=int, default=120, help="pages per setting")
    parser.add_argument("--only", nargs="+", help="settings to run (names as printed)")
    args = parser.parse_args(None if argv is None else list(argv))
    chosen = variants()
    if args.only:
        unknown = set(args.only) - set(chosen)
        if unknown:
            parser.error(f"unknown settings {sorted(unknown)}; known: {sorted(chosen)}")
        chosen = {name: knobs for name, knobs in chosen.items() if name in args.only}
    rows = {}
    for name, knobs in chosen.items():
        pages = list(generate_pages(seed=args.seed, n_pages=args.pages, knobs=knobs))
        rows[name] = measures(evaluate(pages, LinesConfig(), SegmentConfig()))
        print(f"{name}: done", flush=True)
    print(f"\nseed {args.seed}, {args.pages} pages per setting\n")
    print(report(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
