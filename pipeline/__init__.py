"""Clean and deduplicate Chinese newspaper page dumps.

The library is the pure text functions (each ``str -> str`` or ``bytes -> text``) and the
stages built on them; ``run_pipeline`` runs the whole thing over a folder.

>>> from pipeline import normalize_text, to_simplified
>>> to_simplified(normalize_text("內蒙古工會(記者李玉波)幫扶困難職工,16.89萬人次"))
'内蒙古工会（记者李玉波）帮扶困难职工，16.89万人次'
"""

from pipeline.config import Config, load_config
from pipeline.convert import Converter, detect_script, to_simplified
from pipeline.dedup import dedup_key
from pipeline.document import Document, Quarantined, RawFile, Stage, Stats, compose, map_text
from pipeline.encoding import Decoded, decode_bytes, repair_mojibake
from pipeline.errors import ConfigError, DecodeError, PipelineError, StageError
from pipeline.lines import dehyphenate, join_broken_lines
from pipeline.normalize import (
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
from pipeline.run import Report, build_stages, run_pipeline
from pipeline.segment import Story, split_stories

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Converter",
    "DecodeError",
    "Decoded",
    "Document",
    "PipelineError",
    "Quarantined",
    "RawFile",
    "Report",
    "Stage",
    "StageError",
    "Stats",
    "Story",
    "build_stages",
    "compose",
    "decode_bytes",
    "dedup_key",
    "dehyphenate",
    "detect_script",
    "join_broken_lines",
    "load_config",
    "map_text",
    "normalize_line_endings",
    "normalize_punctuation",
    "normalize_quotes",
    "normalize_spaces",
    "normalize_text",
    "normalize_width",
    "remove_control_chars",
    "remove_invisible",
    "repair_mojibake",
    "replace_surrogates",
    "run_pipeline",
    "split_stories",
    "to_simplified",
]
