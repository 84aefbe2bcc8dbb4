"""The hand rules that stay: what is certain about a line break, as limits on the labels the
line model (``pipeline.layout.model``) may give the line below it.

Certain wraps (the line below is a rest, ``REST``):

* the line below starts with a mark good typesetting never sets at a line start (避头:
  ，。、；：？！）」》…”) or the line above ends with one never set at a line end (避尾: （「《“);
* a zero-width space at the break;
* a number cut by the column ("1.\\n6亿元", "2016\\n年" is not: only digit to digit) or a
  Latin word cut at a hyphen ("infor-\\nmation" after ``dehyphenate``: "CD-\\nROM");
* a photo credit on a line of its own (倪树斌 摄) closes the caption above it;
* a lead formula alone on its line (新华社成都5月23日电) goes on into its body.

Certain boundaries (the line below starts something, ``START``): a byline, a lead line
(本报通讯员 陈有会) or a furniture line on either side; a lead formula opening the line
below (本报讯, 新华社…电); a photo credit ending the line above; a sentence ending a line
wider than any column (``headline.max_width``: an unwrapped paragraph); the page's first
line.

Everything else is the model's to decide. Rules for wraps are tried first, as the rule
engine did: a line that begins with ，is a wrap whatever else it looks like.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pipeline.layout.facts import LineFacts
from pipeline.layout.model import ANY, REST, START
from pipeline.layout.shapes import NO_LINE_END, NO_LINE_START, is_bare_lead

ZWSP = "\N{ZERO WIDTH SPACE}"
_LATIN_DIGITS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def allowed_labels(
    stripped: Sequence[str],
    facts: Sequence[LineFacts],
    fixed: Sequence[bool | None] | None = None,
    max_width: float = 32.0,
) -> npt.NDArray[np.int64]:
    """Per line, the bit mask of the labels the certain rules leave open.

    ``fixed`` (optional, per line) pins a break decided elsewhere: True, the line continues
    the one above (a wrap); False, it starts something; None, free. ``max_width`` is
    ``headline.max_width``: a line wider is an unwrapped paragraph, no column's line.

    >>> from pipeline.layout.facts import describe
    >>> lines = ["湖北推出改革方案", "本报讯 全省推出方案，包括", "，机制。"]
    >>> [bin(m) for m in allowed_labels(lines, describe(lines, 32))] == [
    ...     bin(START), bin(START), bin(REST)]
    True
    """
    n = len(stripped)
    masks = np.full(n, ANY, dtype=np.int64)
    for i in range(n):
        if fixed is not None and fixed[i] is not None:
            masks[i] = REST if fixed[i] else START
            continue
        if i == 0:
            masks[i] = START
            continue
        wrap = certain_wrap(stripped[i - 1], stripped[i], facts[i - 1], facts[i])
        if wrap:
            masks[i] = REST
        elif certain_boundary(facts[i - 1], facts[i], max_width):
            masks[i] = START
    return masks


def certain_wrap(a: str, b: str, fa: LineFacts, fb: LineFacts) -> bool:
    """Whether the break between lines ``a`` and ``b`` is a wrap whatever else they say.

    >>> from pipeline.layout.facts import describe
    >>> fa, fb = describe(["资金1.", "6亿元投入。"], 32)
    >>> certain_wrap("资金1.", "6亿元投入。", fa, fb)
    True
    """
    x, y = a[-1], b[0]
    if y in NO_LINE_START or x in NO_LINE_END or ZWSP in (x, y) or fb.credit_line:
        return True
    if y.isdigit() and (x.isdigit() or (x in ".," and len(a) > 1 and a[-2].isdigit())):
        return True
    if x == "-" and len(a) > 1 and a[-2] in _LATIN_DIGITS and y in _LATIN_DIGITS:
        return True
    return fa.lead and not (fb.lead or fb.lead_line) and is_bare_lead(a)


def certain_boundary(fa: LineFacts, fb: LineFacts, max_width: float) -> bool:
    """Whether the break between lines of facts ``fa`` and ``fb`` is a boundary whatever
    else they look like (when :func:`certain_wrap` did not decide it): a line of its own
    kind on either side, a lead below, a photo credit above, or a sentence ending a line
    wider than any column (an unwrapped paragraph: this function's own output is made of
    them, and a second run must not join them)."""
    return fa.alone or fb.alone or fb.lead or fa.credit or (fa.ends and fa.column_width > max_width)
