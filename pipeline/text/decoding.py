"""The decode stage: raw files in, page documents out, and what cannot be read set aside.

The codec of each file is chosen by ``pipeline.text.encoding``; a file whose codec is
already decided (a part of a big file, or a file the survey pass decided) is decoded with
it, strictly. A decoded page is then admitted (:func:`admit`): mojibake repaired or
quarantined, and its characters counted in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from pipeline.config import EncodingConfig
from pipeline.document import Document, Quarantined, RawFile, Stats, page_id, with_step
from pipeline.errors import DecodeError
from pipeline.text.chars import LINE_BREAK_RE
from pipeline.text.damage import decode_lenient
from pipeline.text.encoding import BOMS, DETECTOR_NAMES, Decoded, decode_bytes
from pipeline.text.mojibake import find_lossy_mojibake, is_mojibake, repair_mojibake


def _decode_known(raw: RawFile, cfg: EncodingConfig) -> Decoded:
    """Bytes whose codec is already decided (a part of a big file, or a file the survey
    decided), strictly but for sparse damage (``pipeline.text.damage``)."""
    assert raw.codec is not None
    data = raw.data
    if raw.offset == 0:
        for bom, codec in BOMS:
            if codec == raw.codec and data.startswith(bom):
                data = data[len(bom) :]
    text, replaced_at = decode_lenient(data, raw.codec, cfg, len(raw.data) - len(data))
    if not text.strip():
        raise DecodeError("empty", "no text after decoding")
    return Decoded(text, raw.codec, raw.method, replaced_at)


# The step a page takes when invalid bytes were decoded as U+FFFD: its text is not all
# the file's (one character per flaw stands for what could not be read).
REPLACE_STEP = "replace_invalid_bytes"
_LINE_END_RE = re.compile(f"{LINE_BREAK_RE.pattern}|\n")


def _lines_of(text: str, offsets: Sequence[int], first_line: int) -> tuple[int, ...]:
    """The source line of each character offset (a line ends where normalisation says)."""
    ends = [m.end() for m in _LINE_END_RE.finditer(text, 0, max(offsets) + 1)]
    return tuple(first_line + bisect_right(ends, at) for at in offsets)


def decode(
    raws: Iterable[RawFile],
    cfg: EncodingConfig,
    stats: Stats,
    quarantine: list[Quarantined],
    folder_codecs: dict[str, str] | None = None,
) -> Iterator[Document]:
    """Stage: raw files in, one page document per decodable file out.

    A file that cannot be decoded is appended to ``quarantine`` with its reason and offset.
    ``folder_codecs`` maps a folder to its majority codec, for files too short to detect.
    """
    for raw in raws:
        folder = raw.path.rpartition("/")[0]
        try:
            if raw.codec is not None:
                decoded = _decode_known(raw, cfg)
            else:
                decoded = decode_bytes(raw.data, cfg, (folder_codecs or {}).get(folder))
        except DecodeError as err:
            stats.events[f"quarantine.{err.reason}"] += 1
            offset = None if err.offset is None else raw.offset + err.offset
            quarantine.append(
                Quarantined(raw.path, err.reason, err.detail, offset, "decode", 0, len(raw.data))
            )
            continue
        replaced: tuple[int, ...] = ()
        if decoded.replacements:
            stats.events["decode.replacement"] += decoded.replacements
            replaced = _lines_of(decoded.text, decoded.replaced_at, raw.first_line)
            stats.notes.append(
                f"{decoded.replacements} invalid byte sequence(s) replaced with U+FFFD, "
                f"the first on line {replaced[0]} (encoding.on_invalid)"
            )
        part = "" if raw.part is None else f"-p{raw.part:03d}"
        page = Document(
            id=page_id(raw.path) + part,
            text=decoded.text,
            source=raw.path,
            encoding=decoded.encoding,
            encoding_method=decoded.method,
            first_line=raw.first_line,
            steps=(REPLACE_STEP,) if replaced else (),
            step_lines=tuple((0, n - raw.first_line + 1, n - raw.first_line + 1) for n in replaced),
            replaced_lines=replaced,
        )
        admitted = admit(page, cfg, stats, quarantine, len(raw.data), _locator(raw, decoded))
        if admitted is not None:
            yield admitted


def _locator(raw: RawFile, decoded: Decoded) -> Callable[[int], int | None]:
    """Character offset -> byte offset in the raw file, where the decoding is one codec
    without replacements (else None: a U+FFFD stands for an unknown number of bytes)."""
    if "+" in decoded.encoding or decoded.replacements:
        return lambda _: None
    bom = next((len(b) for b, c in BOMS if c == decoded.encoding and raw.data.startswith(b)), 0)
    start = raw.offset + bom  # only a file's first part can start with a BOM
    return lambda at: start + len(decoded.text[:at].encode(decoded.encoding))


def admit(
    doc: Document,
    cfg: EncodingConfig,
    stats: Stats,
    quarantine: list[Quarantined],
    size: int,
    locate: Callable[[int], int | None] | None = None,
) -> Document | None:
    """Count a freshly decoded page in, repairing mojibake; None when it is quarantined.

    Shared by byte pages and by records (JSONL, Parquet), whose text arrives decoded.
    ``locate`` turns a character offset of the text into a byte offset of its file, for
    the quarantine entry (records have none: the detail names the character).
    """
    text = doc.text
    repaired = repair_mojibake(text) if cfg.repair_mojibake else text
    lossy = find_lossy_mojibake(repaired)
    if lossy is not None or is_mojibake(repaired):  # never into the corpus or the dedup keys
        stats.events["quarantine.mojibake"] += 1
        offset = None
        if lossy is None:
            detail = "reads as mojibake: decoded with the wrong codec before it reached us"
        else:
            at, codec = lossy
            line = repaired.count("\n", 0, at) + doc.first_line
            detail = (
                f"UTF-8 read as {codec} with characters lost as U+FFFD before it reached us: "
                f"cannot be undone exactly; first at line {line}, character {at}: "
                f"{repaired[at : at + 12]!r}"
            )
            offset = locate(at) if locate is not None else None
        quarantine.append(Quarantined(doc.source, "mojibake", detail, offset, "decode", 0, size))
        return None
    stats.events[f"encoding.{doc.encoding}"] += 1
    stats.chars["decoded"] += len(text)
    if repaired == text:
        return doc
    stats.events["repair_mojibake"] += 1
    stats.chars["repair_mojibake"] += len(text) - len(repaired)
    return with_step(doc, "repair_mojibake", repaired)


def majority_codec(codecs_seen: Iterable[str]) -> str | None:
    """The most common legacy codec in a folder (ties go to the first in sorted order)."""
    counts = Counter(c for c in codecs_seen if c in DETECTOR_NAMES)
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c))
