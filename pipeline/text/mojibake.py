"""Mojibake: text that was decoded with the wrong codec before it reached us.

UTF-8 read as GBK/GB18030 is undone here (ftfy cannot); UTF-8 read as Latin-1/cp1252 by
ftfy's ``fix_encoding`` alone (no width folding, quote uncurling or normalisation). What
cannot be undone is recognised, so the decode stage can quarantine it: mojibake of other
codecs (:func:`is_mojibake`), and UTF-8 read as GBK or Big5 with characters lost on the
way (:func:`find_lossy_mojibake`).
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

# Codecs UTF-8 is wrongly read with, as the superset that encodes what they decoded.
LOSSY_CODECS = (("gb18030", "GBK"), ("big5hkscs", "Big5"))
_REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
_MIN_RECOVERED_HAN = 4  # characters a line's reversal must recover to be judged at all


def find_lossy_mojibake(text: str) -> tuple[int, str] | None:
    """The first place where ``text`` is UTF-8 that was read as GBK or Big5 by a tool that
    put U+FFFD where a pair of bytes did not decode: (character offset of the line's first
    non-ASCII character, the codec it was read with), or None.

    :func:`repair_mojibake` cannot undo it: the bytes behind each U+FFFD are lost, and
    converting it to Simplified garbles it past any repair. A line is such mojibake when
    it reads as Chinese poorly, and reading it back as UTF-8 (each U+FFFD left a hole)
    recovers common Chinese characters and little else. A Chinese line with a U+FFFD of
    its own reads well already and is left alone.

    >>> story = "本报讯（记者卢翔）江西省产业工会工作会议近日在南昌召开。"
    >>> find_lossy_mojibake("标题\\n" + story.encode().decode("gbk", "replace"))
    (3, 'GBK')
    >>> find_lossy_mojibake(story[:9] + "\ufffd" + story[9:]) is None
    True
    """
    if _REPLACEMENT not in text:
        return None  # the common case: lossless text, decided at once
    start = 0
    for line in text.split("\n"):
        if _REPLACEMENT in line and plausibility(line) < 0.5:
            for codec, name in LOSSY_CODECS:
                if _reads_back_as_chinese(line, codec):
                    first = next(i for i, ch in enumerate(line) if not ch.isascii())
                    return start + first, name
        start += len(line) + 1
    return None


def _reads_back_as_chinese(line: str, codec: str) -> bool:
    try:
        data = b"\xff".join(piece.encode(codec) for piece in line.split(_REPLACEMENT))
    except UnicodeEncodeError:
        return False  # holds characters that codec never decodes to: not its mojibake
    recovered = data.decode("utf_8", "replace").replace(_REPLACEMENT, "")
    han = HAN_RE.findall(recovered)
    return len(han) >= _MIN_RECOVERED_HAN and plausibility(recovered) >= 0.9
