"""Where to cut a big file into parts: at line ends, else sentence ends, never inside a
character, with the codec decided once on the file's head."""

from __future__ import annotations

import codecs

from pipeline.config import EncodingConfig
from pipeline.errors import DecodeError
from pipeline.text.encoding import BOMS, decode_bytes


def head_codec(head: bytes, cfg: EncodingConfig) -> str | None:
    """The codec of a big file, decided on its first block; None when it needs a decision
    per part (a mixed file) or cannot be decided (then each part is decoded on its own)."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec
    for trim in range(4):  # the block may end inside a multi-byte character
        try:
            decoded = decode_bytes(head[: len(head) - trim], cfg)
        except DecodeError:
            continue
        return None if "+" in decoded.encoding else decoded.encoding
    return None


_CODE_UNIT = {"utf_16_le": 2, "utf_16_be": 2, "utf_32_le": 4, "utf_32_be": 4}
_SENTENCE_ENDS = (
    "\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH QUESTION MARK}"
)


def part_boundary(block: bytes, codec: str | None) -> int:
    """Where to cut ``block`` so that a part ends on a line end, else on a sentence end
    (。！？), never inside a character. Returns the cut offset, or -1 if there is none.

    >>> part_boundary("第一行\\n第二行。第三".encode("gb18030"), "gb18030")
    7
    >>> part_boundary("第二行。第三".encode("utf-8"), "utf_8")
    12
    """
    codec = codec or "utf_8"
    unit = _CODE_UNIT.get(codec, 1)
    for marks in ("\n", _SENTENCE_ENDS):
        best = -1
        for mark in marks:
            try:
                pattern = mark.encode(codec)
            except (UnicodeEncodeError, LookupError):
                continue
            pos = block.rfind(pattern)
            while pos >= 0 and pos % unit:  # a match across two UTF-16/32 code units
                pos = block.rfind(pattern, 0, pos + len(pattern) - 1)
            if pos >= 0:
                best = max(best, pos + len(pattern))
        if best > 0:
            return best
    return -1


def char_boundary(block: bytes, codec: str | None) -> int:
    """The longest prefix of ``block`` that ends between two characters (for a cut with no
    line or sentence end to cut at). Invalid bytes are left for the strict decode to report.

    >>> char_boundary("中文".encode("gb18030")[:-1], "gb18030")
    2
    """
    decoder = codecs.getincrementaldecoder(codec or "utf_8")()
    try:
        decoder.decode(block, final=False)
    except UnicodeDecodeError:
        return len(block)
    pending: bytes = decoder.getstate()[0]
    return len(block) - len(pending)
