"""Mojibake: text that was decoded with the wrong codec before it reached us.

UTF-8 read as GBK/GB18030 is undone here (ftfy cannot); UTF-8 read as Latin-1/cp1252 by
ftfy's ``fix_encoding`` alone (no width folding, quote uncurling or normalisation). What
cannot be undone is recognised, so the decode stage can quarantine it.
"""

from __future__ import annotations

import re

import ftfy

from pipeline.text.chars import HAN_RE
from pipeline.text.charstats import SCORE_SAMPLE, plausibility


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as GBK/GB18030 or as Latin-1/cp1252, line by line.

    A line is changed only when the round trip is exact (re-encoding it gives valid UTF-8)
    and the result reads more like Chinese than the line did. Latin-1/cp1252 mojibake is
    fixed by ftfy's ``fix_encoding`` alone: no width folding, quote uncurling or
    normalisation. Everything else is left alone, including mojibake of other kinds.

    >>> repair_mojibake("鍒犻櫎鏂囦欢")
    '删除文件'
    >>> repair_mojibake("ä¸­æ–‡æŠ¥çº¸")
    '中文报纸'
    >>> repair_mojibake("政府有关部门各司其职，工会")
    '政府有关部门各司其职，工会'
    """
    if text.isascii():
        return text
    lines = text.split("\n")
    return "\n".join(_repair_line(line) for line in lines)


def _repair_line(line: str) -> str:
    if line.isascii():
        return line
    try:
        fixed = line.encode("gb18030").decode("utf_8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    else:
        if fixed != line and plausibility(fixed) > plausibility(line):
            return fixed
    return ftfy.fix_encoding(line, _FTFY_ENCODING_ONLY) if _looks_latin_mojibake(line) else line


def _looks_latin_mojibake(line: str) -> bool:
    # UTF-8 read as Latin-1 or cp1252 always shows a lead byte as one of Â..ô (U+00C2-U+00F4);
    # lines without one (every Chinese line) are not worth asking ftfy about.
    return _UTF8_LEAD_AS_LATIN_RE.search(line) is not None


_UTF8_LEAD_AS_LATIN_RE = re.compile("[\u00c2-\u00f4]")


_FTFY_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def is_mojibake(text: str) -> bool:
    """True when ``text`` is mostly mojibake that :func:`repair_mojibake` could not undo
    (e.g. GBK read as cp1250): at least one of ftfy's mojibake patterns per 50 characters,
    and little Han. A Chinese page with a stray bad line is not mojibake.

    >>> is_mojibake("±ľ±¨Ń¶Ł¨ĽÇŐ߬Ď裩˝­Î÷ʡ˛úŇµą¤»áą¤×÷»áŇé"), is_mojibake("政府有关部门")
    (True, False)
    """
    sample = text[:SCORE_SAMPLE]
    if not _MOJIBAKE_HINT_RE.search(sample):
        return False  # the common case, decided at regex speed: no Latin or Cyrillic at all
    letters = sum(1 for ch in sample if ch.isalpha())
    han = len(HAN_RE.findall(sample))
    return han / letters < 0.5 and ftfy.badness.badness(sample) * 50 >= len(sample)


_MOJIBAKE_HINT_RE = re.compile("[\u0080-\u052f]")  # Latin-1 to Cyrillic: where mojibake lives
