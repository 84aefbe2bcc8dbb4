"""Character tables shared by the stages: names, ranges, translate maps and regexes.

Tables only, no logic. Characters are written with ``\\N{NAME}`` so that look-alikes
(``。`` / ``｡`` / ``.``) can never be confused in review (ftfy ``chardata.py`` does the same).
"""

from __future__ import annotations

import re

# --- Han and the other CJK scripts ---------------------------------------------------------

# CJK ideographs: Extension A, the Unified block, the compatibility ideographs, and the
# supplementary planes from Extension B to G (the compatibility supplement among them).
# Radicals (U+2E80-U+2FDF) are deliberately not Han here: they are symbols, and NFKC
# folding them is exactly what we refuse to do.
HAN_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
HAN_RANGES = "".join(f"{chr(low)}-{chr(high)}" for low, high in HAN_BLOCKS)
HAN_RE = re.compile(f"[{HAN_RANGES}]")

KANA_RE = re.compile("[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
HANGUL_RE = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")

# --- Line endings --------------------------------------------------------------------------

# Our one definition of a line: text between "\n". What str.splitlines() would also break
# on becomes "\n" (normalize_line_endings), so the two never disagree, with one exception:
# U+0085 (NEL) is in practice cp1252's "…" read as Latin-1, not a line break, so it is
# treated as the C1 control it is and removed by remove_control_chars.
LINE_BREAK_RE = re.compile("\r\n|[\r\u000b\u000c\u001c\u001d\u001e\u2028\u2029]")

# --- Invisible and control characters ------------------------------------------------------

# Zero-width characters that carry no meaning in Chinese text. ZWJ/ZWNJ (U+200D/U+200C) and
# the bidi marks are kept: they are meaningful in emoji sequences and in other scripts.
INVISIBLE_CHARS = (
    "\N{ZERO WIDTH SPACE}"
    "\N{WORD JOINER}"
    "\N{ZERO WIDTH NO-BREAK SPACE}"  # the BOM, wherever it appears
)
# C0 and C1 controls except TAB and LF (CR is handled by normalize_line_endings first).
CONTROL_RE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f]")
INVISIBLE_RE = re.compile(f"[{INVISIBLE_CHARS}]")
SURROGATE_RE = re.compile("[\ud800-\udfff]")

# --- Width ---------------------------------------------------------------------------------

# Full-width Latin letters and digits (Ａ-Ｚ ａ-ｚ ０-９) fold to ASCII. Full-width punctuation
# and the ideographic space are correct Chinese typography and are never folded.
FULLWIDTH_ALNUM_MAP = {
    **{
        cp: cp - 0xFEE0
        for cp in range(ord("\N{FULLWIDTH DIGIT ZERO}"), ord("\N{FULLWIDTH DIGIT NINE}") + 1)
    },
    **{
        cp: cp - 0xFEE0
        for cp in range(
            ord("\N{FULLWIDTH LATIN CAPITAL LETTER A}"),
            ord("\N{FULLWIDTH LATIN CAPITAL LETTER Z}") + 1,
        )
    },
    **{
        cp: cp - 0xFEE0
        for cp in range(
            ord("\N{FULLWIDTH LATIN SMALL LETTER A}"), ord("\N{FULLWIDTH LATIN SMALL LETTER Z}") + 1
        )
    },
}

# --- Punctuation ---------------------------------------------------------------------------

# ASCII punctuation that PDF/OCR extraction substitutes for its full-width form.
ASCII_TO_FULLWIDTH_MAP = {
    ",": "\N{FULLWIDTH COMMA}",  # ，
    ";": "\N{FULLWIDTH SEMICOLON}",  # ；
    ":": "\N{FULLWIDTH COLON}",  # ：
    "?": "\N{FULLWIDTH QUESTION MARK}",  # ？
    "!": "\N{FULLWIDTH EXCLAMATION MARK}",  # ！
    "(": "\N{FULLWIDTH LEFT PARENTHESIS}",  # （
    ")": "\N{FULLWIDTH RIGHT PARENTHESIS}",  # ）
}

LEFT_DOUBLE_QUOTE = "\N{LEFT DOUBLE QUOTATION MARK}"  # “
RIGHT_DOUBLE_QUOTE = "\N{RIGHT DOUBLE QUOTATION MARK}"  # ”

# Chinese punctuation: the full-width forms above plus the marks that have no ASCII twin.
CJK_PUNCTUATION = (
    "".join(ASCII_TO_FULLWIDTH_MAP.values())
    + "\N{IDEOGRAPHIC FULL STOP}"  # 。
    + "\N{IDEOGRAPHIC COMMA}"  # 、
    + "\N{LEFT CORNER BRACKET}\N{RIGHT CORNER BRACKET}"  # 「」
    + "\N{LEFT WHITE CORNER BRACKET}\N{RIGHT WHITE CORNER BRACKET}"  # 『』
    + "\N{LEFT DOUBLE ANGLE BRACKET}\N{RIGHT DOUBLE ANGLE BRACKET}"  # 《》
    + "\N{LEFT ANGLE BRACKET}\N{RIGHT ANGLE BRACKET}"  # 〈〉
    + "\N{LEFT BLACK LENTICULAR BRACKET}\N{RIGHT BLACK LENTICULAR BRACKET}"  # 【】
    + LEFT_DOUBLE_QUOTE
    + RIGHT_DOUBLE_QUOTE
    + "\N{LEFT SINGLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"  # ‘’
    + "\N{HORIZONTAL ELLIPSIS}"  # …
    + "\N{EM DASH}"  # —
    + "\N{MIDDLE DOT}\N{KATAKANA MIDDLE DOT}"  # · ・
)

# Marks that end a sentence, full-width and ASCII (before normalisation a page may hold
# either). A closing quote or bracket after one of them still ends the sentence.
TERMINAL_PUNCTUATION = (
    "\N{IDEOGRAPHIC FULL STOP}"  # 。
    "\N{FULLWIDTH EXCLAMATION MARK}"  # ！
    "\N{FULLWIDTH QUESTION MARK}"  # ？
    "\N{HORIZONTAL ELLIPSIS}"  # …
    "\N{FULLWIDTH SEMICOLON}"  # ；
    "!?;."
)
CLOSING_MARKS = (
    RIGHT_DOUBLE_QUOTE
    + "\N{RIGHT SINGLE QUOTATION MARK}"  # ’
    + "\N{RIGHT CORNER BRACKET}"  # 」
    + "\N{RIGHT WHITE CORNER BRACKET}"  # 』
    + "\N{FULLWIDTH RIGHT PARENTHESIS}"  # ）
    + "\N{RIGHT DOUBLE ANGLE BRACKET}"  # 》
    + '")'
)

# Everything that is punctuation or a symbol for the purpose of a dedup key: ASCII and
# full-width punctuation, CJK symbols and punctuation (U+3000-U+303F), general punctuation
# (U+2000-U+206F), half/full-width forms that are not letters or digits.
KEY_PUNCTUATION_RE = re.compile(
    "[\\s!-/:-@\\[-`{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\u30fb"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\ufe10-\ufe1f\ufe30-\ufe4f]"
)
