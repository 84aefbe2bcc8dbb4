"""De-hyphenation: Latin words a column cut with a hyphen, joined again (``pipeline.lines``
applies it before the column-break repair and re-exports it)."""

from __future__ import annotations

import re

from pipeline.layout import WRAP_MARK
from pipeline.line_units import SPLIT_RE

# A soft hyphen at a line end: letters, a hyphen, then (next line) a lower-case letter.
_HYPHEN_LEFT_RE = re.compile(r"([A-Za-z][A-Za-z-]*)-$")
_HYPHEN_RIGHT_RE = re.compile(r"^[a-z][A-Za-z]*")
# Where dehyphenate looks at all: a hyphen that ends a line (blanks after it aside).
_HYPHEN_END_RE = re.compile(f"-[^\\S\n{WRAP_MARK}]*(?:[\n{WRAP_MARK}]|\\Z)")


def dehyphenate(text: str, *, mark_wraps: bool = False) -> str:
    """Rejoin Latin words hyphenated at a line end: "infor-\\nmation" -> "information".

    Only a hyphen that ends a line, after a letter, before a line starting with a
    lower-case letter is removed, with the line break (and blank lines) after it. It
    stays when the word before it is already hyphenated ("state-of-the-\\nart") or when
    the page prints the hyphenated form more often than the joined one. Hyphens inside a
    line ("COVID-19", "1990-2000", "2016-2017年"), before digits or capitals, and between
    Han characters are never touched. ``mark_wraps``: see :func:`pipeline.lines.join_broken_lines`.

    >>> dehyphenate("参见 infor-\\n\\nmation 一节")
    '参见 information 一节'
    >>> dehyphenate("state-of-the-\\nart，1990-\\n2000年，中-\\n国")
    'state-of-the-\\nart，1990-\\n2000年，中-\\n国'
    """
    ends = list(_HYPHEN_END_RE.finditer(text))
    if not ends:
        return text  # no line ends with a hyphen: nothing to look at
    pieces = SPLIT_RE.split(text)
    lines, seps = pieces[0::2], pieces[1::2]
    line, offset = 0, 0
    for end in ends:  # the lines that end with a hyphen, in order
        line += text.count("\n", offset, end.start()) + text.count(WRAP_MARK, offset, end.start())
        offset = end.start()
        p, q = line, line + 1
        while q < len(lines) and not lines[q].strip():
            q += 1
        if q == len(lines):
            break
        left = _HYPHEN_LEFT_RE.search(lines[p].rstrip())
        right = _HYPHEN_RIGHT_RE.match(lines[q].lstrip())
        if not left or not right or "-" in left.group(1):
            continue
        word, rest = left.group(1), right.group()
        if _count_word(text, f"{word}-{rest}") > _count_word(text, f"{word}{rest}"):
            continue
        lines[p] = lines[p].rstrip()[:-1]
        lines[q] = lines[q].lstrip()
        for i in range(p, q):
            seps[i] = WRAP_MARK if mark_wraps else ""
            if i > p:
                lines[i] = ""
    out = [lines[0]]
    for sep, piece in zip(seps, lines[1:], strict=True):
        out.append(sep)
        out.append(piece)
    return "".join(out)


def _count_word(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text))
