"""``bytes -> str`` and ``str -> str``: character tables, decoding, mojibake, normalisation
and script conversion. Knows nothing of pages, stories or runs."""

from __future__ import annotations

from pipeline.text.chars import (
    CLOSING_MARKS,
    HAN_RANGES,
    HAN_RE,
    KEY_PUNCTUATION_RE,
    LINE_BREAK_RE,
    TERMINAL_PUNCTUATION,
)
from pipeline.text.conversion import (
    Converter,
    convert,
    convert_text,
    detect_script,
    label_script,
    script_counts,
    to_simplified,
)
from pipeline.text.dates import date_pages, parse_date
from pipeline.text.decoding import admit, decode, majority_codec
from pipeline.text.encoding import Decoded, decode_bytes
from pipeline.text.mojibake import repair_mojibake
from pipeline.text.normalization import (
    normalize,
    normalize_line_endings,
    normalize_punctuation,
    normalize_quotes,
    normalize_spaces,
    normalize_text,
    normalize_width,
    remove_control_chars,
    remove_invisible,
    replace_surrogates,
)
from pipeline.text.parts import char_boundary, head_codec, part_boundary
from pipeline.text.scripts import compile_either, either_script, either_script_chars
from pipeline.text.variants import fold_variant_glyphs, fold_variants, variant_table

__all__ = [
    "CLOSING_MARKS",
    "HAN_RANGES",
    "HAN_RE",
    "KEY_PUNCTUATION_RE",
    "LINE_BREAK_RE",
    "TERMINAL_PUNCTUATION",
    "Converter",
    "Decoded",
    "admit",
    "char_boundary",
    "compile_either",
    "convert",
    "convert_text",
    "date_pages",
    "decode",
    "decode_bytes",
    "detect_script",
    "either_script",
    "either_script_chars",
    "fold_variant_glyphs",
    "fold_variants",
    "head_codec",
    "label_script",
    "majority_codec",
    "normalize",
    "normalize_line_endings",
    "normalize_punctuation",
    "normalize_quotes",
    "normalize_spaces",
    "normalize_text",
    "normalize_width",
    "parse_date",
    "part_boundary",
    "remove_control_chars",
    "remove_invisible",
    "repair_mojibake",
    "replace_surrogates",
    "script_counts",
    "to_simplified",
    "variant_table",
]
