"""De-hyphenation: Latin words a column cut with a hyphen, joined again (``pipeline.layout.lines``
applies it before the column-break repair and re-exports it)."""

from __future__ import annotations

import re

from pipeline.layout.shapes import SOURCE_SPLIT_RE, WRAP_MARK

# A soft hyphen at a line end: letters, a hyphen, then (next line) a lower-case letter.
_HYPHEN_LEFT_RE = re.compile(r"([A-Za-z][A-Za-z-]*)-$")
_HYPHEN_RIGHT_RE = re.compile(r"^[a-z][A-Za-z]*")
# Where dehyphenate looks at all: a hyphen that ends a line (blanks after it aside).
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_HYPHEN_END_RE = re.compile(f"-[^\\S\n{WRAP_MARK}]*(?:[\n{WRAP_MARK}]|\\Z)")


def dehyphenate(text: str, *, mark_wraps: bool = False) -> str:
    """Rejoin Latin words hyphenated at a line end: "infor-\\nmation" -> "information".

    Only a hyphen that ends a line, after a letter, before a line starting with a
    lower-case letter is removed, with the line break (and blank lines) after it. It
    stays when the word before it is already hyphenated ("state-of-the-\\nart") or when
    the page prints the hyphenated form more often than the joined one. Hyphens inside a
    line ("COVID-19", "1990-2000", "2016-2017年"), before digits or capitals, and between
    Han characters are never touched. ``mark_wraps``: see
    :func:`pipeline.layout.lines.join_broken_lines`.

    >>> dehyphenate("参见 infor-\\n\\nmation 一节")
    '参见 information 一节'
    >>> dehyphenate("state-of-the-\\nart，1990-\\n2000年，中-\\n国")
    'state-of-the-\\nart，1990-\\n2000年，中-\\n国'
    """
    ends = list(_HYPHEN_END_RE.finditer(text))
    if not ends:
        return text  # no line ends with a hyphen: nothing to look at
    # The page's lines and separators alternate in ``pieces``: line i is pieces[2 * i], the
    # separator after it pieces[2 * i + 1]; they are edited in place and joined once.
    pieces = SOURCE_SPLIT_RE.split(text)
    count = len(pieces) // 2 + 1
    changed = False
    line, offset = 0, 0
    for end in ends:  # the lines that end with a hyphen, in order
        line += text.count("\n", offset, end.start()) + text.count(WRAP_MARK, offset, end.start())
        offset = end.start()
        p, q = line, line + 1
        while q < count and not pieces[2 * q].strip():
            q += 1
        if q == count:
            break
        left = _HYPHEN_LEFT_RE.search(pieces[2 * p].rstrip())
        right = _HYPHEN_RIGHT_RE.match(pieces[2 * q].lstrip())
        if not left or not right or "-" in left.group(1):
            continue
        word, rest = left.group(1), right.group()
        if _count_word(text, f"{word}-{rest}") > _count_word(text, f"{word}{rest}"):
            continue
        pieces[2 * p] = pieces[2 * p].rstrip()[:-1]
        pieces[2 * q] = pieces[2 * q].lstrip()
        for i in range(p, q):
            pieces[2 * i + 1] = WRAP_MARK if mark_wraps else ""
            if i > p:
                pieces[2 * i] = ""
        changed = True
    return "".join(pieces) if changed else text


def _count_word(text: str, word: str) -> int:
    """How often ``word`` stands in ``text`` with no ASCII letter either side: what
    ``len(re.findall(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text))`` counts,
    without compiling a pattern per word.

    >>> _count_word("information, misinformation, information-age", "information")
    2
    """
    count, start = 0, text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or text[start - 1] not in _ASCII_LETTERS) and (
            end == len(text) or text[end] not in _ASCII_LETTERS
        ):
            count += 1
            start = text.find(word, end)  # matches do not overlap
        else:
            start = text.find(word, start + 1)
    return count
