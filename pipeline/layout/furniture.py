"""Page furniture (版面装饰): running heads, page numbers, staff lines; found and removed.

Survey candidates, learning per source folder, removal (``pipeline.layout.segmentation`` re-exports
them; the shapes are in ``pipeline.layout.shapes``). A page's lines are sorted out all at once
by ``pipeline.layout.facts``: furniture is short and holds no sentence punctuation, so most
lines never meet a pattern.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from pipeline.config import SegmentConfig
from pipeline.layout.facts import furniture_rules
from pipeline.layout.shapes import (
    EDGE_LINES,
    MAX_FURNITURE_WIDTH,
    SOURCE_SPLIT_RE,
    ends_sentence,
    furniture_key,
    is_lead,
    line_width,
)

Furniture = Mapping[str, frozenset[str]]  # source folder -> furniture keys (furniture_key)

_BARE_NUMBER_RE = re.compile(r"^\d{1,3}$")  # a page number printed alone: 8
_SANDWICH = 2  # at most this many short lines between two furniture lines are furniture too


def furniture_candidates(page: str) -> list[str]:
    """Keys of the lines that could be furniture: short lines at the page's top and bottom.

    Called once per page in the survey pass, on normalised and converted text.

    >>> furniture_candidates("工人日报 2017年8月28日 星期一\\n标题\\n正文很长的一段。\\n- 3 -")
    ['工人日报 #年#月#日 星期#', '标题', '- # -']
    """
    lines = SOURCE_SPLIT_RE.split(page)[0::2]
    keys = (furniture_key(lines[i]) for i in _edges(lines) if _may_be_furniture(lines[i]))
    return list(dict.fromkeys(keys))


def _edges(lines: Sequence[str]) -> list[int]:
    """The first and the last ``EDGE_LINES`` non-blank lines, each once, in order: of the
    non-blank lines ``filled``, ``filled[:EDGE_LINES] + filled[max(EDGE_LINES,
    len(filled) - EDGE_LINES):]``, found from both ends without looking at the middle."""
    head: list[int] = []
    for i, line in enumerate(lines):
        if line.strip():
            head.append(i)
            if len(head) == EDGE_LINES:
                break
    tail: list[int] = []
    if len(head) == EDGE_LINES:
        for i in range(len(lines) - 1, head[-1], -1):
            if lines[i].strip():
                tail.append(i)
                if len(tail) == EDGE_LINES:
                    break
    return head + tail[::-1]


def learn_furniture(
    pages: Iterable[tuple[str, Sequence[str]]], cfg: SegmentConfig
) -> dict[str, frozenset[str]]:
    """The furniture of each source folder: keys at the edge of enough of its pages.

    A key counts once per page. It is furniture when at least ``furniture_min_pages``
    pages and ``furniture_min_share`` of the folder's pages have it, so a story reprinted
    on two pages is never furniture.

    >>> pages = [("gr", ["工人日报 #年#月#日", f"标题{n}"]) for n in range(4)]
    >>> learn_furniture(pages, SegmentConfig())
    {'gr': frozenset({'工人日报 #年#月#日'})}
    """
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    for folder, keys in pages:
        total[folder] += 1
        seen[folder].update(set(keys))
    learned: dict[str, frozenset[str]] = {}
    for folder in sorted(seen):
        need = max(cfg.furniture_min_pages, math.ceil(cfg.furniture_min_share * total[folder]))
        found = frozenset(k for k, n in seen[folder].items() if n >= need)
        if found:
            learned[folder] = found
    return learned


def strip_furniture(page: str, learned: frozenset[str] = frozenset()) -> tuple[str, Counter[str]]:
    """Blank the furniture lines of ``page``; return it and the characters removed per rule.

    Lines keep their numbers (a removed line becomes empty). Rules:

    * the shape rules of ``words().furniture``, anywhere (a file may hold two pages);
    * ``page_number``: a bare number (``8``) within the edge lines;
    * ``learned`` keys within the edge lines, or anywhere next to a line of a furniture
      shape (the running head of a second page in the file); never a line right above a
      lead (本报讯…): that is a headline printed on many pages, a reprint;
    * ``band``: a short line between the page edge and a furniture line, or one or two
      between two furniture lines (a section name between one page's foot and the next
      one's head: 责任编辑：X / 科技 / 贵阳都市报  2017年12月4日).

    >>> text, removed = strip_furniture("要闻\\n工人日报 2017年8月28日 星期一\\n标题\\n正文。")
    >>> text, dict(removed)
    ('\\n\\n标题\\n正文。', {'running_head': 19, 'band': 2})
    """
    pieces = SOURCE_SPLIT_RE.split(page)
    lines = pieces[0::2]
    stripped = [line.strip() for line in lines]
    filled = [i for i, line in enumerate(stripped) if line]
    shapes = furniture_rules([stripped[i] for i in filled])
    last = len(filled) - 1
    edges = {*range(min(EDGE_LINES, len(filled))), *range(max(last - EDGE_LINES + 1, 0), last + 1)}
    shaped = {r for r, shape in enumerate(shapes) if shape is not None}
    beside = {r + step for r in shaped for step in (-1, 1)} - shaped
    rules: dict[int, str] = {}
    for rank in sorted(edges | shaped | beside):
        if not 0 <= rank <= last:
            continue
        i, rule = filled[rank], shapes[rank]
        if rule is None and rank in edges and _BARE_NUMBER_RE.match(stripped[i]):
            rule = "page_number"
        elif rule is None and furniture_key(lines[i]) in learned:
            above_lead = rank < last and is_lead(stripped[filled[rank + 1]])
            rule = None if above_lead else "learned"
        if rule is not None:
            rules[i] = rule
    width = min(EDGE_LINES, len(filled) // 2)
    for band in (filled[:width], filled[::-1][:width]):
        marked = [k for k, i in enumerate(band) if i in rules]
        for i in band[: max(marked) if marked else 0]:
            if i not in rules and _may_be_furniture(lines[i]):
                rules[i] = "band"
    ranks = [r for r, i in enumerate(filled) if i in rules]
    for low, high in itertools.pairwise(ranks):
        between = [filled[r] for r in range(low + 1, high)]
        if 0 < len(between) <= _SANDWICH and all(_may_be_furniture(lines[i]) for i in between):
            rules.update(dict.fromkeys(between, "band"))
    removed: Counter[str] = Counter()
    for i, rule in rules.items():
        removed[rule] += len(lines[i])
        pieces[2 * i] = ""
    return "".join(pieces), removed


def _may_be_furniture(line: str) -> bool:
    line = line.strip()
    return line_width(line) <= MAX_FURNITURE_WIDTH and not ends_sentence(line)
