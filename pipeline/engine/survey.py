"""The survey pass: what the run must know about every file before any page is processed.

Per file: the codec it decodes with on its own (so that a file too short to detect takes
its folder's, and no file is detected twice), the short lines at its edges, from which
each folder's page furniture is learned (``pipeline.layout.furniture``), and the character
pairs of its lines above a lead and of its running prose, from which each folder's
headline table is learned (``pipeline.layout.adapt``: the line model reads a new paper's
headlines from its own pages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import DecodeError
from pipeline.io import FormatError, SourceFile, input_kind, read_blocks, read_input_bytes
from pipeline.layout import EDGE_LINES, FolderTexts, furniture_candidates, headline_examples
from pipeline.text import (
    convert_text,
    decode_bytes,
    detect_script,
    normalize_line_endings,
    normalize_text,
)


@dataclass(frozen=True, slots=True)
class Survey:
    """What the whole run must know before any page is processed."""

    folder_codecs: dict[str, str] = field(default_factory=dict)
    furniture: dict[str, frozenset[str]] = field(default_factory=dict)
    folders: FolderTexts = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SurveyResult:
    """What the survey pass found out about one file."""

    path: str
    codec: str | None  # the codec it decodes with on its own; None: too short to tell
    furniture: list[str]  # its candidate furniture lines, normalised
    decided: tuple[str, str] | None  # (codec, method) the process pass can reuse as is
    # Its lines above a lead and some of its running prose, normalised and converted:
    # what its folder's text is learned from (``pipeline.layout.learn_folders``).
    headlines: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


def survey_source(source: SourceFile, cfg: Config) -> SurveyResult:
    """What the run needs to know about a file before processing it: the codec it decodes
    with on its own (None when it is too short to tell, or does not decode), its candidate
    furniture lines (after normalising), and the (codec, method) decision
    the process pass can reuse instead of detecting again (None: decide again there).

    Big files are surveyed by their first part only.
    """
    limit = min(cfg.input.part_bytes, cfg.input.max_file_bytes)
    kind, compression = input_kind(source.path)
    if kind != "text":
        return SurveyResult(source.path, None, [], None)  # records carry text, not bytes
    try:
        if compression is not None:
            data = read_input_bytes(Path(source.location), limit, source.path)
        else:
            data = next(read_blocks(source, limit, cfg.input.max_file_bytes), b"")
        cut = source.size > limit and compression is None
        decoded = decode_bytes(_whole_lines(data) if cut else data, cfg.encoding)
    except (OSError, DecodeError, FormatError):
        return SurveyResult(source.path, None, [], None)
    long_enough = len(data) >= cfg.encoding.min_detect_bytes
    codec = decoded.encoding if long_enough else None
    # Reusable when final: not a short file (it may take its folder's codec), not a
    # mixed one (no single codec), not a big one (its parts are cut by codec anyway).
    final = long_enough and not cut and "+" not in decoded.encoding and not decoded.replacements
    decided = (decoded.encoding, decoded.method) if final else None
    heads, body = _headline_examples(decoded.text, cfg)
    return SurveyResult(
        source.path,
        codec,
        _furniture_candidates(decoded.text, cfg),
        decided,
        heads,
        body,
    )


def _furniture_candidates(text: str, cfg: Config) -> list[str]:
    """The page's furniture candidates, as the process pass will see its lines: only the
    lines at the page's edges are normalised (furniture stands there). Not converted:
    script is converted per story, after segmentation has removed the furniture."""
    lines = normalize_line_endings(text).split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    keep = sorted({*filled[: 2 * EDGE_LINES], *filled[-2 * EDGE_LINES :]})
    excerpt = normalize_text("\n".join(lines[i] for i in keep), cfg.normalize)
    return furniture_candidates(excerpt)


def _headline_examples(text: str, cfg: Config) -> tuple[list[str], list[str]]:
    """The page's lines above a lead and its running prose, as the process pass will see
    them: only those lines are normalised and converted, with the script decided on the
    whole page (a line that normalising would split is left out)."""
    heads, body = headline_examples(normalize_line_endings(text))
    excerpt = normalize_text("\n".join([*heads, *body]), cfg.normalize)
    script = detect_script(text, cfg.convert.min_script_share)
    converted, _ = convert_text(excerpt, cfg.convert, script)
    lines = converted.split("\n")
    if len(lines) != len(heads) + len(body):
        return [], []
    return lines[: len(heads)], lines[len(heads) :]


def _whole_lines(data: bytes) -> bytes:
    cut = data.rfind(b"\n")
    return data[: cut + 1] if cut > 0 else data
