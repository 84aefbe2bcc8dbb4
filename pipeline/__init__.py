"""Clean and deduplicate Chinese newspaper page dumps.

The library is three layers, each usable on its own:

- **pure text functions** (``bytes -> text`` or ``str -> str``): :func:`decode_bytes`,
  :func:`normalize_text` and its rules, :func:`to_simplified`, :func:`join_broken_lines`,
  :func:`dehyphenate`, :func:`split_stories`, :func:`dedup_key`;
- **stages** (generators over :class:`Document`): :func:`decode`, :func:`normalize`,
  :func:`convert`, :func:`repair_lines`, :func:`segment`, :func:`drop_duplicates`, chained
  with :func:`compose`; :class:`Deduplicator` for (id, text) pairs in memory;
- **the run** over a folder: :func:`run` (``run_pipeline``) with :func:`load_config`.

>>> from pipeline import normalize_text, to_simplified
>>> to_simplified(normalize_text("內蒙古工會(記者李玉波)幫扶困難職工,16.89萬人次"))
'内蒙古工会（记者李玉波）帮扶困难职工，16.89万人次'
"""

from pipeline.config import Config, load_config
from pipeline.dedup import Decision, Deduplicator, dedup_key, drop_duplicates
from pipeline.document import Document, Quarantined, RawFile, Stage, Stats, compose, map_text
from pipeline.engine import Report, build_stages, run_pipeline
from pipeline.errors import ConfigError, DecodeError, PipelineError, StageError
from pipeline.io import corpus_features
from pipeline.layout import (
    Story,
    dehyphenate,
    join_broken_lines,
    repair_lines,
    segment,
    split_stories,
)
from pipeline.text import (
    Converter,
    Decoded,
    convert,
    decode,
    decode_bytes,
    detect_script,
    normalize,
    normalize_line_endings,
    normalize_punctuation,
    normalize_quotes,
    normalize_spaces,
    normalize_text,
    normalize_width,
    remove_control_chars,
    remove_invisible,
    repair_mojibake,
    replace_surrogates,
    to_simplified,
)

__version__ = "0.1.0"

run = run_pipeline  # run(config) -> Report: the whole job over config.input.root

__all__ = [
    "Config",
    "ConfigError",
    "Converter",
    "Decision",
    "DecodeError",
    "Decoded",
    "Deduplicator",
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
    "convert",
    "corpus_features",
    "decode",
    "decode_bytes",
    "dedup_key",
    "dehyphenate",
    "detect_script",
    "drop_duplicates",
    "join_broken_lines",
    "load_config",
    "map_text",
    "normalize",
    "normalize_line_endings",
    "normalize_punctuation",
    "normalize_quotes",
    "normalize_spaces",
    "normalize_text",
    "normalize_width",
    "remove_control_chars",
    "remove_invisible",
    "repair_lines",
    "repair_mojibake",
    "replace_surrogates",
    "run",
    "run_pipeline",
    "segment",
    "split_stories",
    "to_simplified",
]
