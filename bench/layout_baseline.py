"""A yardstick for line repair: a layout classifier trained on the harness's own truth.

Most boundary errors ``make eval`` still shows fall in two classes of breaks:

- **after a sentence end**: a wrap (the sentence ended at the column edge and the
  paragraph goes on) or a paragraph's end;
- **after a headline-shaped line** (short, no sentence end; the first line of its field):
  a headline above its body, or a body paragraph's first line.

For each break of those classes this script takes layout facts of the page, and learns
from the truth of the *training* seeds the majority answer for every combination of them
(a tie keeps the boundary). It then scores that classifier, and the pipeline, on the
*test* seeds. The facts:

- after a sentence end: the line's place in its paragraph (first, second, third, later;
  from the truth, which favours the learner), its width against the lines above and
  below it, whether the line below is headline-shaped;
- after a headline-shaped line: what the line above it is (a story's end, a sentence end,
  a headline, other), its width against the line below, whether that line is
  headline-shaped or ends a sentence, and its width against the line after it;
- for both: whether the page indents and the line below is indented, whether a blank
  line follows, and whether the page has blank lines at no, some or all of its breaks.

The classifier has seen the answers, which no rule can; but it knows only these coarse
facts, so it is a yardstick, not a bound: a rule that reads more of the page (the pairs
across the break, the column of the paragraph before) can beat it, and the pipeline does.
The last column is the boundary F1 of a test seed if the classifier's errors in the class
were the page set's only errors.

    python -m bench.layout_baseline [--train 1 2] [--test 4 5] [--pages 120]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from pipeline.config import LinesConfig
from pipeline.layout.lines import dehyphenate, join_broken_lines
from pipeline.layout.page import INDENTS
from pipeline.layout.shapes import (
    ends_sentence,
    has_credit,
    inline_byline,
    is_heading_shaped,
    line_width,
)

from bench.eval_lines import kept_breaks, make_pages, prepare, truth_lines
from bench.generate import Page
from bench.metrics import BoundaryCounts

Signature = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class LayoutBreak:
    """A break of one of the two classes: its layout, the truth, the pipeline."""

    signature: Signature
    boundary: bool  # the truth
    kept: bool | None  # the pipeline kept it as a boundary (None: not asked)


@dataclass(frozen=True, slots=True)
class PageBreaks:
    """One page's breaks of the two classes, and its true boundaries overall."""

    breaks: tuple[LayoutBreak, ...]
    true_boundaries: int


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _blank_style(page: Page) -> str:
    blank = sum(page.raw.startswith("\n\n", b.offset) for b in page.line_truth)
    return "none" if blank == 0 else "all" if blank == len(page.line_truth) else "some"


def _above_kind(line: str, cfg: LinesConfig) -> str:
    """What the line above a headline-shaped line is: a story's end, a sentence end, ..."""
    if not line:
        return "none"
    if has_credit(line) or inline_byline(line) is not None or line.startswith(("（", "(")):
        return "story end"
    if ends_sentence(line):
        return "sentence end"
    return "headline" if is_heading_shaped(line, cfg.headline.max_width) else "other"


def page_breaks(page: Page, cfg: LinesConfig, pipeline: bool = True) -> PageBreaks:
    """The breaks on ``page`` after a sentence end or a headline-shaped first line, with
    what the pipeline made of them (when ``pipeline``; the learner does not need it)."""
    text = prepare(page)
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    next_filled = dict(pairwise(filled))
    previous_filled = {b: a for a, b in pairwise(filled)}
    kept_at = None
    if pipeline:
        marked = join_broken_lines(dehyphenate(text, mark_wraps=True), cfg, mark_wraps=True)
        kept_at = kept_breaks(marked)
    indents = sum(line.startswith(INDENTS) for line in lines if line.strip()) >= 2
    style = _blank_style(page)

    def stripped(i: int | None) -> str:
        return lines[i].strip() if i is not None else ""

    breaks = []
    place, above = 0, 0.0
    for i, truth in truth_lines(page):
        j = next_filled.get(i)
        a, b = stripped(i), stripped(j)
        width, width_b = line_width(a), line_width(b)
        page_facts = (
            indents,
            j is not None and lines[j].startswith(INDENTS),
            j is not None and j > i + 1,
            style,
        )
        signature: Signature | None = None
        if ends_sentence(a):
            signature = (
                "sentence",
                min(place, 3),
                _clip(width - above, -3, 3) if place else None,
                _clip(width - width_b, -3, 3),
                is_heading_shaped(b, cfg.headline.max_width),
                *page_facts,
            )
        elif place == 0 and is_heading_shaped(a, cfg.headline.max_width):
            after_b = stripped(next_filled.get(j)) if j is not None else ""
            signature = (
                "headline",
                _above_kind(stripped(previous_filled.get(i)), cfg),
                _clip(width - width_b, -3, 3),
                is_heading_shaped(b, cfg.headline.max_width),
                ends_sentence(b),
                _clip(width_b - line_width(after_b), -3, 3),
                *page_facts,
            )
        if signature is not None:
            kept = kept_at[i] if kept_at is not None else None
            breaks.append(LayoutBreak(signature, truth.boundary, kept))
        place, above = (0, 0.0) if truth.boundary else (place + 1, width)
    return PageBreaks(tuple(breaks), sum(b.boundary for b in page.line_truth))


def _all(pages: Iterable[PageBreaks]) -> Iterator[LayoutBreak]:
    for page in pages:
        yield from page.breaks


def learn(breaks: Iterable[LayoutBreak]) -> dict[Signature, bool]:
    """The majority truth per signature (True: boundary); a tie keeps the boundary."""
    counts: dict[Signature, Counter[bool]] = defaultdict(Counter)
    for b in breaks:
        counts[b.signature][b.boundary] += 1
    return {sig: c[True] >= c[False] for sig, c in counts.items()}


@dataclass(frozen=True, slots=True)
class Errors:
    """Errors on breaks of a class: wraps kept and boundaries joined."""

    wraps_kept: int = 0
    boundaries_joined: int = 0

    @property
    def total(self) -> int:
        return self.wraps_kept + self.boundaries_joined


def errors(breaks: Iterable[LayoutBreak], keeps: dict[Signature, bool] | None) -> Errors:
    """Errors of a policy: keep where ``keeps`` says so (unseen: keep); ``None``: the
    pipeline's own decisions."""
    kept_wraps = joined = 0
    for b in breaks:
        keep = b.kept if keeps is None else keeps.get(b.signature, True)
        if keep is None:
            msg = "no pipeline decisions: the breaks came from page_breaks(pipeline=False)"
            raise ValueError(msg)
        kept_wraps += keep and not b.boundary
        joined += b.boundary and not keep
    return Errors(kept_wraps, joined)


def f1_if_only(errs: Errors, true_boundaries: int) -> float:
    """Boundary F1 when ``errs`` were the only errors on the page set."""
    tp = true_boundaries - errs.boundaries_joined
    return BoundaryCounts(tp, errs.wraps_kept, errs.boundaries_joined).f1


CLASSES = {"sentence": "after a sentence end", "headline": "after a headline-shaped line"}


def report(train: Mapping[int, Sequence[Page]], test: Mapping[int, Sequence[Page]]) -> str:
    """The table: the learner is trained on the pages of ``train``, scored on ``test``."""
    cfg = LinesConfig()
    keeps = learn(
        _all(page_breaks(page, cfg, pipeline=False) for pages in train.values() for page in pages)
    )
    rows = [
        f"majority learned from the truth of seeds {', '.join(map(str, train))}",
        "",
        "| test seed | breaks | count | boundaries | errors if every one is kept | errors of "
        "the learned majority | errors of the pipeline | F1 if the learned errors were the "
        "only ones |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for seed, pages in test.items():
        by_page = [page_breaks(page, cfg) for page in pages]
        true_boundaries = sum(p.true_boundaries for p in by_page)
        for name, label in CLASSES.items():
            breaks = [b for b in _all(by_page) if b.signature[0] == name]
            keep_all = errors(breaks, {})
            learned = errors(breaks, keeps)
            pipeline = errors(breaks, None)
            rows.append(
                f"| {seed} | {label} | {len(breaks)} | {sum(b.boundary for b in breaks)} "
                f"| {keep_all.total} "
                f"| {learned.total} ({learned.wraps_kept} + {learned.boundaries_joined}) "
                f"| {pipeline.total} ({pipeline.wraps_kept} + {pipeline.boundaries_joined}) "
                f"| {f1_if_only(learned, true_boundaries):.4f} |"
            )
    rows += ["", "errors are shown as (wraps kept + boundaries joined)"]
    return "\n".join(rows)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--train", type=int, nargs="+", default=[1, 2], help="seeds to learn on")
    parser.add_argument("--test", type=int, nargs="+", default=[4, 5], help="seeds to score")
    parser.add_argument("--pages", type=int, default=120, help="pages per seed")
    args = parser.parse_args(None if argv is None else list(argv))
    if set(args.train) & set(args.test):
        parser.error("train and test seeds must differ: the learner has seen the answers")
    print(
        report(
            {seed: make_pages(args.pages, seed) for seed in args.train},
            {seed: make_pages(args.pages, seed) for seed in args.test},
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
