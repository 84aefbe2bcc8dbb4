"""A page's lines -> their labels: the line model's one entry point (facts, features, the
certain rules, Viterbi), for line repair and for the training script."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipeline.layout.facts import LineFacts, describe
from pipeline.layout.features import page_features
from pipeline.layout.model import LineModel, decode, line_model
from pipeline.layout.rules import allowed_labels
from pipeline.layout.signals import FolderText

INDENTS = ("\u3000", "\t", "  ")  # an indented paragraph's first line starts so


@dataclass(frozen=True, slots=True)
class PageLines:
    """The non-blank lines of a page as the model reads them."""

    stripped: list[str]
    indented: list[bool]
    blanks: list[int]  # blank lines before each
    index: list[int]  # each one's line number in the page


def page_lines(lines: Sequence[str]) -> PageLines:
    """The non-blank ``lines`` of a page (split on its line breaks), stripped, with their
    indents and the blank lines before each.

    >>> page_lines(["标题", "", "　　正文。"])
    PageLines(stripped=['标题', '正文。'], indented=[False, True], blanks=[0, 1], index=[0, 2])
    """
    stripped: list[str] = []
    indented: list[bool] = []
    blanks: list[int] = []
    index: list[int] = []
    blank = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            blank += 1
            continue
        stripped.append(text)
        indented.append(line.startswith(INDENTS))
        blanks.append(blank)
        index.append(i)
        blank = 0
    return PageLines(stripped, indented, blanks, index)


def label_lines(
    page: PageLines,
    *,
    max_width: float = 32.0,
    fixed: Sequence[bool | None] | None = None,
    folder: FolderText | None = None,
    model: LineModel | None = None,
    facts: Sequence[LineFacts] | None = None,
    rule_wraps: Sequence[bool] | None = None,
) -> npt.NDArray[np.int64]:
    """The label index (``model.LABELS``) of every line of ``page``.

    ``fixed`` pins breaks decided elsewhere (see ``rules.allowed_labels``);
    ``folder`` what the run learned of the page's source folder
    (``pipeline.layout.adapt``);
    ``rule_wraps`` the rule engine's verdict per line (``pipeline.layout.columns``).

    >>> from pipeline.layout.model import LABELS
    >>> page = page_lines(["湖北推出改革方案", "本报讯（记者邹明强）湖北发布方", "案，包括机制。"])
    >>> [LABELS[k] for k in label_lines(page, rule_wraps=[False, False, True])]
    ['H', 'P', 'p']
    """
    model = model or line_model()
    if facts is None:
        facts = describe(page.stripped, max_width)
    features = page_features(
        page.stripped,
        page.indented,
        page.blanks,
        model.tables,
        facts,
        max_width=max_width,
        folder=folder,
        rule_wraps=rule_wraps,
    )
    allowed = allowed_labels(page.stripped, facts, fixed, max_width)
    return decode(features, allowed, model, rule_wraps)
