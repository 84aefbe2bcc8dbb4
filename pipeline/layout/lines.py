"""Column-break repair (转栏) and de-hyphenation.

A page dump breaks a line wherever the printed column ended, and column breaks often leave
blank lines ("包\\n\\n括创新激励机制"). :func:`join_broken_lines` decides, for every break
between two non-blank lines, whether it is a *wrap* inside a paragraph (join: nothing
between CJK characters, one space between Latin words) or a *boundary* (paragraph end,
headline, byline, caption: exactly one ``\\n``).

The decision is the line model's (``pipeline.layout.model``, fitted by
``bench/train_layout.py``): it labels every line, and a break is a wrap exactly when the
line below is labelled a headline's or a paragraph's rest. What is certain stays a hand
rule (``pipeline.layout.rules``: kinsoku marks, lead formulas, numbers and Latin words cut
by the column, lines of their own kind); breaks next to Hangul are left alone (Korean
wraps at spaces).

The model runs over the page's lines, then again over the paragraphs it built, until a
pass joins nothing; so the result is a fixed point, and ``join_broken_lines`` is
idempotent (a pass over its output is the last pass it made).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

import numpy as np
import numpy.typing as npt

from pipeline.config import LinesConfig
from pipeline.document import Document, Stage, Stats, compose, map_text
from pipeline.layout.adapt import FolderTexts
from pipeline.layout.columns import rule_links
from pipeline.layout.hyphens import dehyphenate
from pipeline.layout.labels import PageLines, label_lines
from pipeline.layout.model import RESTS
from pipeline.layout.page import Page, Paragraph
from pipeline.layout.shapes import WRAP_MARK
from pipeline.layout.signals import FolderText

__all__ = [
    "dehyphenate",
    "join_broken_lines",
    "repair_lines",
]  # dehyphenate: pipeline.layout.hyphens


def join_broken_lines(
    text: str,
    cfg: LinesConfig | None = None,
    *,
    mark_wraps: bool = False,
    folder: FolderText | None = None,
) -> str:
    """Join lines a column cut (wraps); keep one ``\\n`` at every paragraph boundary.

    What changes: wraps disappear (with the blank lines a column break left, and the
    blanks at the wrap); a space joins two Latin words; blank lines between paragraphs
    and at the ends go. What stays: every non-whitespace character, in order; paragraph
    indentation; a final newline. Hyphens are left to :func:`dehyphenate`. The decision
    rule is in the module docstring.

    Args:
        text: a page or any part of one, raw or normalised.
        cfg: the line repair settings; the defaults when None.
        mark_wraps: keep one line per source line instead: a wrap becomes U+2028 LINE
            SEPARATOR and boundaries keep their blank lines, so that line numbers still
            point into the source file (the ``lines`` stage uses this; segmentation then
            reads paragraphs and their source spans, and drops the marks).
        folder: what the run learned of the page's source folder
            (``pipeline.layout.adapt``); None: the model's own tables only.

    >>> join_broken_lines("湖北推出改革方案\\n\\n本报讯（记者邹明强）发方案，包\\n\\n括机制。")
    '湖北推出改革方案\\n本报讯（记者邹明强）发方案，包括机制。'
    >>> join_broken_lines("据了解，改革举措坚持问题导\\n向，实现创新和突\\n破。", mark_wraps=True)
    '据了解，改革举措坚持问题导\\u2028向，实现创新和突\\u2028破。'
    """
    cfg = cfg or LinesConfig()
    page = Page(text, cfg)
    # The first pass reads source lines and the blank lines between them; later passes
    # read the paragraphs built so far, as a run over the output would.
    paras, blanks = page.paragraphs(with_blanks=True)
    while _pass(page, paras, blanks, cfg, folder=folder):
        paras, blanks = page.paragraphs(with_blanks=False)
    if mark_wraps:
        return page.render_marked()
    rendered = "\n".join(u.text for u in page.paragraphs(with_blanks=False)[0])
    return rendered + "\n" if rendered and text.endswith(("\n", WRAP_MARK)) else rendered


def _pass(
    page: Page,
    paras: list[Paragraph],
    blanks: list[int],
    cfg: LinesConfig,
    *,
    folder: FolderText | None,
) -> bool:
    """Decide every break between ``paras``; return whether anything was joined."""
    if len(paras) < 2:
        return False
    wraps, links = _wraps(paras, blanks, cfg, folder=folder)
    changed = False
    for k in np.flatnonzero(wraps).tolist():
        # The rule's joiner: nothing between CJK, a space between Latin words, the space a
        # credit's 摄 was cut from (邓学松 | 摄).
        page.links[paras[k - 1].end] = links[k - 1]
        changed = True
    return changed


def _wraps(
    paras: list[Paragraph],
    blanks: list[int],
    cfg: LinesConfig,
    *,
    folder: FolderText | None,
) -> tuple[npt.NDArray[np.bool_], list[str | None]]:
    """Per paragraph: whether the break above it is a wrap; and the rule engine's links
    (its joiner per break, None at a boundary)."""
    stripped = [u.stripped for u in paras]
    facts = [u.facts for u in paras]
    # The rule engine's verdict, on the page as these paragraphs print it.
    printed = "".join("\n" * (blank + 1) + u.text for u, blank in zip(paras, blanks, strict=True))
    links = rule_links(printed[1:], cfg, facts)
    rules = [False, *(link is not None for link in links)]
    if len(paras) < cfg.min_model_lines or not any(rules):
        # Too few lines to read a page's habits; or nothing joined, so nothing to cut (the
        # last pass over a page's paragraphs, as a rule).
        return np.array(rules, dtype=bool), links
    lines = PageLines(stripped, [u.indented for u in paras], blanks, list(range(len(paras))))
    labels = label_lines(
        lines,
        max_width=cfg.headline.max_width,
        facts=facts,
        rule_wraps=rules,
        folder=folder,
    )
    # The model only cuts what the rule joined: where it would join what the rule keeps
    # apart, it read a headline over its story's body as one paragraph on pages it was not
    # fitted to (People's Daily: stories 1:1 -5 points; Debian +5), while its cuts help on
    # both (bench/README.md, "The line model").
    return np.isin(labels, RESTS) & np.array(rules, dtype=bool), links


def repair_lines(
    docs: Iterable[Document],
    cfg: LinesConfig,
    stats: Stats,
    folders: FolderTexts | None = None,
) -> Iterator[Document]:
    """Stage: de-hyphenate, then join wrapped lines, each when switched on.

    Wraps are kept as U+2028 marks (``mark_wraps=True``) so that the page still has one
    line per source line; ``pipeline.layout.segmentation`` reads them and removes them.
    ``folders`` is what the survey pass learned of each source folder's text.
    """
    steps = []
    if cfg.dehyphenate:
        steps.append(map_text(partial(dehyphenate, mark_wraps=True), "dehyphenate", stats))
    if cfg.join:
        steps.append(_join_stage(cfg, stats, folders or {}))
    return compose(steps)(docs)


def _join_stage(cfg: LinesConfig, stats: Stats, folders: FolderTexts) -> Stage:
    """The join step: ``join_broken_lines`` with what the run learned of each page's folder."""
    step = "join_broken_lines"
    plain = map_text(partial(join_broken_lines, cfg=cfg, mark_wraps=True), step, stats)

    def stage(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            folder = folders.get(doc.source.rpartition("/")[0])
            if folder is None:
                yield from plain([doc])
                continue
            fn = partial(join_broken_lines, cfg=cfg, mark_wraps=True, folder=folder)
            yield from map_text(fn, step, stats)([doc])

    stage.__name__ = step
    return stage
