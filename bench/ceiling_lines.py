"""How well can any rule that reads the page's layout decide a break after a sentence end?

``make eval`` shows that most of the boundary errors left are breaks after a line that
ends a sentence: a wrap (the sentence happened to end at the column edge, and the
paragraph goes on) or a boundary (the paragraph ended there). This script asks whether a
better rule could tell them apart from what the page shows. For every break after a
sentence end it takes these layout facts of the page:

- the line's place in its paragraph (first, second, third, later; from the truth, which
  favours the learner: the pipeline has to find the paragraph first);
- its width against the line above it and the line below it (rounded, clipped to ±3);
- whether the line below is headline-shaped;
- whether the page indents, whether the line below is indented;
- whether a blank line follows, and whether the page puts blank lines at no, some or all
  of its breaks;

and learns, from the harness's own truth on the *training* seeds, the majority answer for
every combination of them (a tie keeps the boundary). That classifier has seen the
answers; a rule cannot. Its errors on the *test* seeds are about the least a layout rule
can expect, and the boundary F1 the test seeds would reach if those were the only errors
bounds what closing this class can give. The pipeline's errors on the same breaks are
printed beside it.

    python -m bench.ceiling_lines [--train 1 2] [--test 4 5] [--pages 120]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from pipeline.config import LinesConfig
from pipeline.layout import WRAP_MARK, ends_sentence, is_heading_shaped, line_width
from pipeline.lines import dehyphenate, join_broken_lines

from bench.eval_lines import make_pages, prepare
from bench.generate import Page
from bench.metrics import BoundaryCounts

_INDENTS = ("\u3000", "\t", "  ")

Signature = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class SentenceBreak:
    """A break after a line that ends a sentence: its layout, the truth, the pipeline."""

    signature: Signature
    boundary: bool  # the truth
    kept: bool  # the pipeline kept it as a boundary


@dataclass(frozen=True, slots=True)
class PageBreaks:
    """One page's breaks after a sentence end, and its boundary counts overall."""

    breaks: tuple[SentenceBreak, ...]
    true_boundaries: int


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _blank_style(page: Page) -> str:
    blank = sum(page.raw.startswith("\n\n", b.offset) for b in page.line_truth)
    return "none" if blank == 0 else "all" if blank == len(page.line_truth) else "some"


def page_breaks(page: Page, cfg: LinesConfig) -> PageBreaks:
    """The breaks after a sentence end on ``page``, with what the pipeline made of them."""
    text = prepare(page)
    lines = text.split("\n")
    marked = join_broken_lines(dehyphenate(text, mark_wraps=True), cfg, mark_wraps=True)
    seps = [ch for ch in marked if ch in ("\n", WRAP_MARK)]  # one per source line break
    indents = sum(line.startswith(_INDENTS) for line in lines if line.strip()) >= 2
    style = _blank_style(page)
    breaks = []
    place, above = 0, 0.0
    for truth in page.line_truth:
        i = page.raw.count("\n", 0, truth.offset)
        a = lines[i].strip()
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        below = lines[j] if j < len(lines) else ""
        width = line_width(a)
        if ends_sentence(a):
            signature = (
                min(place, 3),
                _clip(width - above, -3, 3) if place else None,
                _clip(width - line_width(below.strip()), -3, 3),
                is_heading_shaped(below.strip(), cfg.max_heading_width),
                indents,
                below.startswith(_INDENTS),
                j > i + 1,
                style,
            )
            breaks.append(SentenceBreak(signature, truth.boundary, seps[i] == "\n"))
        place, above = (0, 0.0) if truth.boundary else (place + 1, width)
    return PageBreaks(tuple(breaks), sum(b.boundary for b in page.line_truth))


def _all(pages: Iterable[PageBreaks]) -> Iterator[SentenceBreak]:
    for page in pages:
        yield from page.breaks


def learn(breaks: Iterable[SentenceBreak]) -> dict[Signature, bool]:
    """The majority truth per signature (True: boundary); a tie keeps the boundary."""
    counts: dict[Signature, Counter[bool]] = defaultdict(Counter)
    for b in breaks:
        counts[b.signature][b.boundary] += 1
    return {sig: c[True] >= c[False] for sig, c in counts.items()}


@dataclass(frozen=True, slots=True)
class Errors:
    """Errors on breaks after a sentence end: wraps kept and boundaries joined."""

    wraps_kept: int = 0
    boundaries_joined: int = 0

    @property
    def total(self) -> int:
        return self.wraps_kept + self.boundaries_joined


def errors(breaks: Iterable[SentenceBreak], keeps: dict[Signature, bool] | None) -> Errors:
    """Errors of a policy: keep where ``keeps`` says so (unseen: keep); ``None``: the
    pipeline's own decisions."""
    kept_wraps = joined = 0
    for b in breaks:
        keep = b.kept if keeps is None else keeps.get(b.signature, True)
        kept_wraps += keep and not b.boundary
        joined += b.boundary and not keep
    return Errors(kept_wraps, joined)


def f1_if_only(errs: Errors, true_boundaries: int) -> float:
    """Boundary F1 when ``errs`` were the only errors on the page set."""
    tp = true_boundaries - errs.boundaries_joined
    return BoundaryCounts(tp, errs.wraps_kept, errs.boundaries_joined).f1


def report(train: Mapping[int, Sequence[Page]], test: Mapping[int, Sequence[Page]]) -> str:
    """The table: the learner is trained on the pages of ``train``, scored on ``test``."""
    cfg = LinesConfig()
    keeps = learn(_all(page_breaks(page, cfg) for pages in train.values() for page in pages))
    rows = [
        "breaks after a sentence end; majority learned from the truth of seeds "
        f"{', '.join(map(str, train))}",
        "",
        "| test seed | breaks | boundaries | errors if every one is kept | errors of the "
        "learned majority | errors of the pipeline | F1 if the learned errors were the only "
        "ones |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for seed, pages in test.items():
        by_page = [page_breaks(page, cfg) for page in pages]
        breaks = list(_all(by_page))
        true_boundaries = sum(p.true_boundaries for p in by_page)
        keep_all = errors(breaks, {})
        learned = errors(breaks, keeps)
        pipeline = errors(breaks, None)
        rows.append(
            f"| {seed} | {len(breaks)} | {sum(b.boundary for b in breaks)} | {keep_all.total} "
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
