"""Patterns and character sets written in Simplified that match Traditional text too.

The layout rules name words: lead formulas (本报讯), roles (记者, 通讯员), photo credits
(摄), staff lines (责任编辑), connectives (据了解), function words (的, 与, 对). They are
written once, in Simplified, and widened here with every Traditional form OpenCC gives
each character (s2t, s2tw, s2hk: 报 -> 報, 为 -> 為 爲, 里 -> 裡 裏). So a page kept in
Traditional script (``convert.config = "none"``) is segmented as well as a converted one.

Characters are widened one at a time, which can only add forms: 发 also matches 發, and
still matches 发.
"""

from __future__ import annotations

import functools
import re

from pipeline.text.chars import HAN_RE
from pipeline.text.conversion import Converter

_CONFIGS = ("s2t", "s2tw", "s2hk")


@functools.cache
def _converters() -> tuple[Converter, ...]:
    return tuple(Converter(name) for name in _CONFIGS)


@functools.cache
def traditional_forms(char: str) -> str:
    """The Traditional forms of one Simplified character, itself excluded, in order.

    >>> traditional_forms("报"), traditional_forms("为"), traditional_forms("者")
    ('報', '為爲', '')
    """
    forms = {c.convert(char) for c in _converters()} - {char}
    return "".join(sorted(form for form in forms if len(form) == 1))


def either_script_chars(chars: str) -> str:
    """``chars`` followed by the Traditional forms of each, without repeats.

    >>> either_script_chars("的与对")
    '的与对與對'
    """
    out = dict.fromkeys(chars)
    for char in chars:
        out.update(dict.fromkeys(traditional_forms(char)))
    return "".join(out)


def either_script(pattern: str) -> str:
    """A regular expression that also matches the Traditional forms of its Han characters.

    A character outside a set becomes a set of its forms; inside a set, its forms are added
    (except at a range's ends, which keep the range as written). Escapes are left alone.

    >>> either_script("本报讯|[摄发]")
    '本[报報][讯訊]|[摄攝发發]'
    >>> import re; bool(re.fullmatch(either_script("图为"), "圖為"))
    True
    """
    out: list[str] = []
    in_set = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if not in_set and char == "[":
            in_set = True
            out.append(char)
            # A "]" right after "[" or "[^" is a literal, not the set's end.
            for opening in ("^", "]"):
                if pattern.startswith(opening, i + 1):
                    out.append(opening)
                    i += 1
            i += 1
            continue
        if in_set and char == "]":
            in_set = False
        forms = traditional_forms(char) if HAN_RE.match(char) else ""
        if forms and in_set:
            range_end = pattern[i - 1 : i] == "-" or pattern[i + 1 : i + 2] == "-"
            out.append(char if range_end else char + forms)
        elif forms:
            out.append(f"[{char}{forms}]")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def compile_either(pattern: str) -> re.Pattern[str]:
    """``re.compile(either_script(pattern))``: the layout rules' patterns, in both scripts."""
    return re.compile(either_script(pattern))
