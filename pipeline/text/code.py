"""Code in a page: spans that Chinese punctuation and quote rules must leave alone.

A newspaper column about programming prints ``print("你好,世界")``; a page scraped from
the web holds ``{"name":"张三"}``. Both have Han next to ASCII marks, which is exactly what
``normalize_punctuation`` and ``normalize_quotes`` convert: ``print（“你好，世界”）`` no
longer runs and ``{"name"："张三"}`` is no longer JSON. These spans are code:

- a call with a string argument: an ASCII identifier, ``(`` right after it, a quote
  inside (``print("你好")``, ``os.path.join('数据', x)``); ``WHO(世界卫生组织)`` has no
  quote and stays prose;
- a JSON object: braces around a quoted key and a colon (``{"name":"张三"}``, one level
  of nesting);
- a key-value pair of JSON or a dict outside braces (``"name": "张三"``);
- inline code between backticks (`` `a,b` ``).

:func:`masked` hides them from a rule behind one placeholder character each, so the rule
sees prose on both sides of them, and puts them back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CALL = r"""[A-Za-z_][A-Za-z0-9_.]*\((?=[^()\n]*["'])(?:[^()\n]|\([^()\n]*\))*\)"""
_OBJECT = r"""\{(?=[^{}\n]*"[^"\n]*"\s*:)(?:[^{}\n]|\{[^{}\n]*\})*\}"""
_PAIR = r""""[^"\n]*"[ \t]*:[ \t]*(?:"[^"\n]*"|[-+.0-9A-Za-z_]+)"""
_INLINE = r"`[^`\n]+`"
CODE_RE = re.compile(f"{_INLINE}|{_OBJECT}|{_CALL}|{_PAIR}")

# Placeholders: characters no rule touches, tried in order until one is not in the text.
_PLACEHOLDERS = "\N{OBJECT REPLACEMENT CHARACTER}\ue000\ue001\ue002\ue003"


def masked(rule: Callable[[str], str], text: str) -> str:
    """``rule(text)`` with every code span of ``text`` left as it is.

    >>> from pipeline.text.normalization import normalize_punctuation, normalize_quotes
    >>> masked(normalize_quotes, '输入print("你好,世界")即可,如"你好"')
    '输入print("你好,世界")即可,如“你好”'
    >>> masked(normalize_punctuation, '{"name":"张三"},来自WHO(世界卫生组织)')
    '{"name":"张三"}，来自WHO（世界卫生组织）'
    """
    # Every kind of span holds a straight quote or a backtick: most pages have neither.
    spans = CODE_RE.findall(text) if '"' in text or "'" in text or "`" in text else []
    if not spans:
        return rule(text)
    mark = next((ch for ch in _PLACEHOLDERS if ch not in text), None)
    if mark is None:
        return text  # every placeholder is in use: leave the text as it is, unsure
    out = rule(CODE_RE.sub(mark, text))
    pieces = out.split(mark)
    if len(pieces) != len(spans) + 1:
        return text  # the rule moved a placeholder: never guess where code went
    return "".join(p + s for p, s in zip(pieces, [*spans, ""], strict=True))
