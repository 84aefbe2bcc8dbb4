"""Column-break repair (转栏) and de-hyphenation.

Placeholder until the column-break issue lands: both functions return their input
unchanged, and the stage passes documents through. They exist so that the stage order,
the config section and the library surface are already where they will stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.config import LinesConfig
from pipeline.document import Document, Stats, compose, map_text


def join_broken_lines(text: str) -> str:
    """Placeholder: returns ``text`` unchanged (column breaks are not repaired yet).

    >>> join_broken_lines("包\\n\\n括创新激励机制")
    '包\\n\\n括创新激励机制'
    """
    return text


def dehyphenate(text: str) -> str:
    """Placeholder: returns ``text`` unchanged (line-end hyphens are not removed yet).

    >>> dehyphenate("infor-\\nmation")
    'infor-\\nmation'
    """
    return text


def repair_lines(docs: Iterable[Document], cfg: LinesConfig, stats: Stats) -> Iterator[Document]:
    """Stage: de-hyphenate, then join wrapped lines, each when switched on."""
    steps = []
    if cfg.dehyphenate:
        steps.append(map_text(dehyphenate, stats=stats))
    if cfg.join:
        steps.append(map_text(join_broken_lines, stats=stats))
    return compose(steps)(docs)
