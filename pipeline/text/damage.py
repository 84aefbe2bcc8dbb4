"""Invalid byte sequences: found, counted, and replaced with U+FFFD when they are sparse.

A page with one stray byte (a ``0x80`` in 2.5 MB of UTF-8) is a good page with a flaw, and
quarantining it whole loses 2.5 MB to save one character. Bytes that fail to decode every
few hundred bytes are something else: the wrong codec, or no text at all. So the policy
(``encoding.on_invalid``, ``encoding.min_bytes_per_invalid``) is:

- ``on_invalid = "replace"`` (the default): a file with at most one invalid sequence per
  ``min_bytes_per_invalid`` bytes (and at least one allowed, however short the file) is
  decoded with one U+FFFD per invalid sequence, and every replacement is counted; denser
  damage is quarantined as ``invalid-bytes`` at the first invalid byte.
- ``on_invalid = "quarantine"``: any invalid byte quarantines the file.

An *invalid sequence* is a run of adjacent bytes the codec cannot decode (``ff`` in
``e6 b9 96 ff e5 8c 97``): one flaw, one U+FFFD, whatever its length. Never ``ignore``:
a deleted byte leaves no trace (BAD-INPUTS row 3).
"""

from __future__ import annotations

import re

from pipeline.config import EncodingConfig
from pipeline.errors import DecodeError

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
# surrogateescape turns each undecodable byte into one of these, whatever the codec; no
# decoder yields them for valid input (UTF-8 refuses encoded surrogates).
_ESCAPED_RUN_RE = re.compile("[\udc80-\udcff]+")


def allowed_invalid(size: int, cfg: EncodingConfig) -> int:
    """How many invalid sequences ``size`` bytes may hold and still be decoded.

    >>> allowed_invalid(338, EncodingConfig()), allowed_invalid(2_500_000, EncodingConfig())
    (1, 611)
    >>> allowed_invalid(2_500_000, EncodingConfig(on_invalid="quarantine"))
    0
    """
    if cfg.on_invalid != "replace":
        return 0
    return max(1, -(-size // cfg.min_bytes_per_invalid))


def decode_replacing(data: bytes, codec: str) -> tuple[str, tuple[int, ...]]:
    """``data`` decoded with one U+FFFD per invalid sequence, and where each U+FFFD is
    (character offsets into the text). Linear in the size, however dense the damage.

    >>> decode_replacing("湖北".encode() + b"\\xff\\xfe" + "江西".encode(), "utf_8")
    ('湖北�江西', (2,))
    """
    try:
        text = data.decode(codec, "surrogateescape")
    except UnicodeDecodeError:  # UTF-16/32 damage can hold bytes < 0x80, which no escape takes
        text = data.decode(codec, "replace")
        return text, tuple(m.start() for m in re.finditer(REPLACEMENT, text))
    if not _ESCAPED_RUN_RE.search(text):
        return text, ()
    parts: list[str] = []
    at: list[int] = []
    start = length = 0
    for m in _ESCAPED_RUN_RE.finditer(text):
        parts.append(text[start : m.start()])
        length += m.start() - start
        at.append(length)
        parts.append(REPLACEMENT)
        length += 1
        start = m.end()
    parts.append(text[start:])
    return "".join(parts), tuple(at)


def decode_lenient(
    data: bytes, codec: str, cfg: EncodingConfig, base: int = 0
) -> tuple[str, tuple[int, ...]]:
    """``data.decode(codec)``; when it fails, sparse damage decoded with U+FFFD (see the
    module docstring), and the places of the replacements (character offsets).

    Raises:
        DecodeError: ``invalid-bytes`` at the first invalid byte (offset by ``base``, where
            ``data`` starts in its file), saying how dense the damage is and which key
            would decode it.
    """
    try:
        return data.decode(codec), ()
    except UnicodeDecodeError as err:
        first = err.start
    text, at = decode_replacing(data, codec)
    if len(at) <= allowed_invalid(len(data), cfg):
        return text, at
    raise DecodeError(
        "invalid-bytes", invalid_detail(data, codec, first, len(at), cfg), base + first
    )


def invalid_detail(data: bytes, codec: str, first: int, count: int, cfg: EncodingConfig) -> str:
    """Why a file with invalid bytes was quarantined, and the key that would decode it."""
    bad = data[first : first + 4].hex(" ")
    if cfg.on_invalid != "replace":
        return (
            f'not valid {codec} (bytes {bad}); encoding.on_invalid = "replace" decodes '
            "sparse damage with U+FFFD, every replacement counted"
        )
    return (
        f"not valid {codec} (bytes {bad}): {count:,} invalid sequences in {len(data):,} bytes, "
        f"more than one per {cfg.min_bytes_per_invalid:,} (encoding.min_bytes_per_invalid)"
    )
