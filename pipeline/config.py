"""One typed configuration for the whole run, loaded from TOML.

Every section is a frozen dataclass whose defaults are the documented defaults; the TOML
file (``config/pipeline.toml``) still lists every key so that a reader sees them all.
Unknown sections and keys are errors, as are values of the wrong type or out of range:
a typo must never silently fall back to a default.

>>> cfg = load_config(None, ["dedup.threshold=0.85", "convert.config=none"])
>>> cfg.dedup.threshold, cfg.convert.config
(0.85, 'none')
>>> load_config(None, ["dedup.treshold=0.85"])
Traceback (most recent call last):
...
pipeline.errors.ConfigError: unknown key dedup.treshold (known: ...)
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pipeline.errors import ConfigError

# Codecs the decoder may choose, in the order ties are broken. The GB family is always
# decoded as gb18030 and Big5 as big5hkscs (supersets: 镕, 堃, 𠀀 and 𨋢 survive).
SUPPORTED_CODECS = ("utf_8", "gb18030", "big5hkscs", "utf_16", "utf_32")


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ConfigError(message)


@dataclass(frozen=True, slots=True)
class InputConfig:
    """Where pages come from. Globs match the path relative to ``root``; ``*`` crosses ``/``."""

    root: str = "data/raw"
    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = ()
    follow_symlinks: bool = False  # links that stay inside root are followed only when true
    max_file_bytes: int = 1 << 30  # larger files are quarantined as "oversize"
    part_bytes: int = 8 << 20  # bigger files are read in parts cut at line ends
    # JSONL and Parquet inputs (by extension): which field holds the text, which the id
    # ("" = none: ids are "<file>#<line>"). Other fields are carried through as metadata.
    text_field: str = "text"
    id_field: str = "id"
    # ...and the one holding the story's date (ISO ``2020-06-30``, ``20200630`` or a
    # datetime; "" = none): a page file's date comes from its path or its running head.
    date_field: str = "date"

    def __post_init__(self) -> None:
        _check(bool(self.root), "input.root must not be empty")
        _check(bool(self.include), "input.include must list at least one glob")
        _check(self.part_bytes >= 1024, f"input.part_bytes must be >= 1024, got {self.part_bytes}")
        _check(bool(self.text_field), "input.text_field must not be empty")
        _check(
            self.max_file_bytes > 0, f"input.max_file_bytes must be > 0, got {self.max_file_bytes}"
        )


@dataclass(frozen=True, slots=True)
class EncodingConfig:
    """How bytes become text (see ``pipeline.text.encoding``)."""

    candidates: tuple[str, ...] = ("utf_8", "gb18030", "big5hkscs", "utf_16", "utf_32")
    # "replace": sparse invalid byte sequences decode as U+FFFD, each one counted; denser
    # damage (more than one per min_bytes_per_invalid bytes) is quarantined. "quarantine":
    # any invalid byte quarantines its file (pipeline.text.damage).
    on_invalid: Literal["quarantine", "replace"] = "replace"
    min_bytes_per_invalid: int = 4096
    min_detect_bytes: int = 64  # below this a legacy file takes its folder's codec
    max_nul_share: float = 0.01  # above this (and not UTF-16/32) a file is binary
    max_foreign_share: float = 0.1  # kana or Hangul share of CJK letters for "not-chinese"
    min_plausibility: float = 0.5  # share of common characters a legacy decoding must reach
    repair_mojibake: bool = True

    def __post_init__(self) -> None:
        unknown = [c for c in self.candidates if c not in SUPPORTED_CODECS]
        _check(
            not unknown,
            f"encoding.candidates: unsupported {unknown}, choose from {list(SUPPORTED_CODECS)}",
        )
        _check(bool(self.candidates), "encoding.candidates must not be empty")
        _check(
            self.on_invalid in ("quarantine", "replace"),
            f"encoding.on_invalid must be 'quarantine' or 'replace', got {self.on_invalid!r}",
        )
        _check(self.min_detect_bytes >= 0, "encoding.min_detect_bytes must be >= 0")
        _check(
            self.min_bytes_per_invalid >= 1,
            f"encoding.min_bytes_per_invalid must be >= 1, got {self.min_bytes_per_invalid}",
        )
        for name in ("max_nul_share", "max_foreign_share", "min_plausibility"):
            value = getattr(self, name)
            _check(0.0 <= value <= 1.0, f"encoding.{name} must be in [0, 1], got {value}")


@dataclass(frozen=True, slots=True)
class NormalizeConfig:
    """Switches for each normalisation rule; all on by default, all idempotent."""

    line_endings: bool = True
    invisible: bool = True  # BOM and zero-width characters
    controls: bool = True  # C0/C1 controls except \n and \t
    surrogates: bool = True  # lone surrogates -> U+FFFD (counted)
    width: bool = True  # full-width Latin letters and digits -> ASCII
    punctuation: bool = True  # ASCII , ; : ? ! ( ) inside Chinese -> full-width
    quotes: bool = True  # straight double quotes around Chinese -> “ ”
    spaces: bool = True  # letter-spacing between Han characters, trailing blanks


@dataclass(frozen=True, slots=True)
class ConvertConfig:
    """Script conversion with OpenCC. ``config`` is an OpenCC config name or ``none``."""

    config: str = "t2s"
    # A document is converted only when its detected script is the config's source script
    # and at least this share of its script-specific characters belong to that script.
    min_script_share: float = 0.6
    # Script is decided per story, after segmentation; a story with fewer script-specific
    # characters than this (a brief, a caption-only item) takes its page's script.
    min_script_chars: int = 10
    # Fold old-print variant glyphs (淸 吿 囘 硏 衞 靑 鄕) to the standard form the output
    # script's legacy charset holds (GB 2312 for Simplified, Big5 for Traditional).
    variants: bool = True

    def __post_init__(self) -> None:
        _check(
            0.0 <= self.min_script_share <= 1.0,
            f"convert.min_script_share must be in [0, 1], got {self.min_script_share}",
        )
        _check(
            self.min_script_chars >= 1,
            f"convert.min_script_chars must be >= 1, got {self.min_script_chars}",
        )


@dataclass(frozen=True, slots=True)
class HeadlineConfig:
    """What a headline (标题) looks like: one set of knobs that line repair and segmentation
    share (section ``[headline]``; ``Config`` hands it to both), so the two stages can
    never disagree about what a headline is."""

    # A wider line is a paragraph set unwrapped: never a headline, nor a full line of a column.
    max_width: float = 32.0
    # A headline block is at most this many lines (kicker, title, deck): a lead within
    # them after a line makes that line a headline.
    max_lines: int = 3
    # A kicker (引题) is phrases of at most this many characters set apart by spaces; a
    # longer one is a clause with a stray space in it.
    max_kicker_phrase: int = 10
    # Of two headline lines, the first is a kicker when it is two such phrases or at most
    # this wide; else they are title and deck.
    max_kicker_width: float = 5.0

    def __post_init__(self) -> None:
        _check(self.max_width > 0, "headline.max_width must be > 0")
        _check(self.max_lines >= 1, f"headline.max_lines must be >= 1, got {self.max_lines}")
        _check(
            self.max_kicker_phrase >= 1,
            f"headline.max_kicker_phrase must be >= 1, got {self.max_kicker_phrase}",
        )
        _check(self.max_kicker_width >= 0, "headline.max_kicker_width must be >= 0")


# Keys that moved: an old config names the new key instead of failing as unknown.
MOVED_KEYS = {
    "lines.max_heading_width": "headline.max_width",
    "segment.max_heading_width": "headline.max_width",
    "lines.max_heading_lines": "headline.max_lines",
    "segment.max_heading_lines": "headline.max_lines",
    "lines.max_kicker_phrase": "headline.max_kicker_phrase",
    "segment.max_kicker_phrase": "headline.max_kicker_phrase",
    "segment.max_kicker_width": "headline.max_kicker_width",
}


@dataclass(frozen=True, slots=True)
class LinesConfig:
    """Column-break repair (``pipeline.layout.lines``); the decision rule is in its docstring."""

    join: bool = True
    dehyphenate: bool = True
    # The line model decides the breaks of a page of at least this many non-blank lines;
    # on fewer (a snippet, not a page) it cannot read the page's habits (its column, its
    # indents, its blank lines) and the rule engine's column-break rule decides alone.
    min_model_lines: int = 8
    # Lines of one column differ by at most this many Han widths (jitter, kinsoku, a Latin
    # word moved down); a line shorter than the next by more cannot be a wrapped line.
    width_tolerance: float = 1.5
    # No newspaper column is narrower: a shorter line is never a full line of one.
    min_column_width: float = 8.0
    # A headline line followed by one at most this wide is its wrapped rest (no deck is so short).
    max_rest_width: float = 4.0
    # A Han pair across a break is one word when it occurs this many more times on the page...
    min_pair_count: int = 1
    pair_ratio: float = 2.0  # ...and that count is at least this multiple of its chance count
    # A headline line and the line below it are not joined for their width alone when the
    # break looks this much like a clause boundary: P(a mark follows A's last character)
    # times P(a mark precedes B's first), both counted on the page.
    clause_edge: float = 0.1
    # Blank lines tell boundaries from wraps only on a page where at least this share of
    # sentence ends are followed by a blank line and at most ``blank_wrap_share`` of wraps.
    blank_boundary_share: float = 0.6
    blank_wrap_share: float = 0.4
    # A page is set in columns (a paragraph's first line that ends a sentence at the column
    # edge goes on) when at most this share of its running-text lines end a sentence.
    max_line_end_share: float = 0.6
    # ...judged only on a page with at least this many running-text lines.
    min_column_lines: int = 4
    # Indents mark paragraph starts unless more than this share of lines that continue a
    # sentence is indented too.
    max_indent_share: float = 0.2
    # Blank lines are read (``blank_boundary_share``) only on a page with at least this many
    # sentence ends and as many wraps to learn their use from.
    min_blank_breaks: int = 3
    # A line that repeats the start of the line above it (a headline printed twice, a deck
    # made of the headline's first words) is no wrap when the repeated part is at least
    # this many characters.
    min_repeated_start: int = 4
    # On a page that indents paragraphs, an unindented run that ends in a photo credit
    # within this many lines is a caption, not the rest of a headline's paragraph.
    caption_lines: int = 12
    headline: HeadlineConfig = field(default_factory=HeadlineConfig)  # from [headline]

    def __post_init__(self) -> None:
        _check(self.width_tolerance >= 0, "lines.width_tolerance must be >= 0")
        for name in (
            "min_model_lines",
            "min_blank_breaks",
            "min_column_lines",
            "min_repeated_start",
            "caption_lines",
        ):
            value = getattr(self, name)
            _check(value >= 1, f"lines.{name} must be >= 1, got {value}")
        _check(self.min_column_width >= 0, "lines.min_column_width must be >= 0")
        _check(self.min_pair_count >= 1, "lines.min_pair_count must be >= 1")
        _check(self.max_rest_width >= 0, "lines.max_rest_width must be >= 0")
        _check(self.pair_ratio >= 0, "lines.pair_ratio must be >= 0")
        for name in (
            "blank_boundary_share",
            "blank_wrap_share",
            "max_indent_share",
            "clause_edge",
            "max_line_end_share",
        ):
            value = getattr(self, name)
            _check(0.0 <= value <= 1.0, f"lines.{name} must be in [0, 1], got {value}")


@dataclass(frozen=True, slots=True)
class SegmentConfig:
    """Page -> stories and page furniture (``pipeline.layout.segmentation``)."""

    split: bool = True
    # A line shape (numbers masked) is furniture of a source folder when it stands at the
    # top or bottom of at least this many of the folder's pages and this share of them.
    furniture_min_pages: int = 3
    furniture_min_share: float = 0.5
    # A paragraph opening with a connective (此外，) is a tail of another story when its
    # vocabulary is closer to the next story than to its own by this share of bigrams.
    fragment_margin: float = 0.1
    # A headline-shaped line ends the story above it (cut off where the page ended) when it
    # shares this share of its bigrams more with that story than with the one below.
    continuation_margin: float = 0.25
    headline: HeadlineConfig = field(default_factory=HeadlineConfig)  # from [headline]

    def __post_init__(self) -> None:
        _check(self.furniture_min_pages >= 2, "segment.furniture_min_pages must be >= 2")
        _check(
            0.0 <= self.furniture_min_share <= 1.0,
            f"segment.furniture_min_share must be in [0, 1], got {self.furniture_min_share}",
        )
        _check(
            0.0 <= self.continuation_margin <= 1.0,
            f"segment.continuation_margin must be in [0, 1], got {self.continuation_margin}",
        )
        _check(
            0.0 <= self.fragment_margin <= 1.0,
            f"segment.fragment_margin must be in [0, 1], got {self.fragment_margin}",
        )


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Duplicate detection (``pipeline.dedup.stage``). Pinned: they change which copy survives.

    Two stories are duplicates when the Jaccard similarity of their key shingle sets is at
    least ``threshold``, or when the smaller one is at least ``containment`` contained in
    the larger and its key has at least ``min_contained_length`` characters. LSH only
    proposes candidates (``bands`` x ``rows`` of the signature, S-curve midpoint about
    (1/bands)^(1/rows), deliberately below ``threshold``; plus ``head_bands`` x
    ``head_rows`` of the signature of a key's first ``head_shingles`` shingles, which finds
    copies cut short); every candidate is verified on the real shingle sets.
    """

    enabled: bool = True
    threshold: float = 0.6  # Jaccard of shingle sets at which two stories are duplicates
    containment: float = 0.8  # share of the smaller copy's shingles found in the larger
    min_contained_length: int = 50  # key characters the smaller copy needs for containment
    min_key_length: int = 30  # shorter keys are matched exactly only (and counted)
    num_perm: int = 128
    ngram: int = 4  # character n-grams of the key (chosen on bench/eval_dedup.py)
    seed: int = 1
    scheme: Literal["affine32", "affine64", "legacy"] = "affine32"
    bands: int = 20
    rows: int = 5
    head_shingles: int = 64
    head_bands: int = 8
    head_rows: int = 4
    verify_batch: int = 100_000  # stories whose text is loaded at once for verification
    # Mend the kept copy of a cluster where a strict majority of its copies (at least two
    # others) reads one or two characters otherwise (己经 -> 已经); never inserts or deletes.
    collate: bool = True
    # Only stories dated at most this many days apart may be duplicates (0 = off; undated
    # stories compare with every story): archives reprint on purpose across years.
    window_days: int = 0

    def __post_init__(self) -> None:
        _check(
            0.0 < self.threshold <= 1.0, f"dedup.threshold must be in (0, 1], got {self.threshold}"
        )
        _check(
            0.0 < self.containment <= 1.0,
            f"dedup.containment must be in (0, 1], got {self.containment}",
        )
        _check(self.num_perm >= 2, f"dedup.num_perm must be >= 2, got {self.num_perm}")
        _check(self.ngram >= 1, f"dedup.ngram must be >= 1, got {self.ngram}")
        _check(
            self.min_key_length >= self.ngram,
            f"dedup.min_key_length must be >= dedup.ngram ({self.ngram}), "
            f"got {self.min_key_length}",
        )
        _check(
            self.min_contained_length >= self.min_key_length,
            f"dedup.min_contained_length must be >= dedup.min_key_length "
            f"({self.min_key_length}), got {self.min_contained_length}",
        )
        _check(
            self.scheme in ("affine32", "affine64", "legacy"),
            f"dedup.scheme must be affine32, affine64 or legacy, got {self.scheme!r}",
        )
        _check(
            self.bands >= 1 and self.rows >= 1 and self.bands * self.rows <= self.num_perm,
            f"dedup.bands x dedup.rows must be at least 1 and at most dedup.num_perm "
            f"({self.num_perm}), got {self.bands} x {self.rows}",
        )
        _check(
            self.head_bands >= 0
            and self.head_rows >= 0
            and self.head_bands * self.head_rows <= self.num_perm
            and (self.head_bands == 0 or (self.head_rows >= 1 and self.head_shingles >= 1)),
            f"dedup.head_bands x dedup.head_rows must be at most dedup.num_perm "
            f"({self.num_perm}) with head_rows and head_shingles >= 1, got "
            f"{self.head_bands} x {self.head_rows} over {self.head_shingles} shingles",
        )
        _check(self.verify_batch >= 2, f"dedup.verify_batch must be >= 2, got {self.verify_batch}")
        _check(
            self.window_days >= 0,
            f"dedup.window_days must be >= 0 (0 = no date window), got {self.window_days}",
        )


@dataclass(frozen=True, slots=True)
class OutputConfig:
    """Where and how the clean corpus is written."""

    root: str = "data/clean"
    parquet: bool = False  # also write corpus.parquet and duplicates.parquet
    report_html: bool = True
    report_pages: int = 50  # pages sampled for report.html, evenly across the run
    report_clusters: int = 200  # duplicate clusters sampled for report.html
    # report.html stays under this many bytes: panels past it are left out, and counted.
    report_bytes: int = 2_000_000

    def __post_init__(self) -> None:
        _check(self.report_pages >= 0, f"output.report_pages must be >= 0, got {self.report_pages}")
        _check(
            self.report_bytes >= 100_000,
            f"output.report_bytes must be >= 100000 (the summary alone takes tens of KB), "
            f"got {self.report_bytes}",
        )
        _check(
            self.report_clusters >= 0,
            f"output.report_clusters must be >= 0, got {self.report_clusters}",
        )


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Execution only: never changes the output bytes."""

    workers: int = 0  # 0 means one per CPU core
    engine: Literal["local", "ray"] = "local"  # ray: the same passes on Ray Data (extra)
    ray_address: str = ""  # an existing Ray cluster ("auto", "ray://host:10001"); "" = local
    # Below this much input, starting worker processes (imports, OpenCC, numba) costs more
    # than the work, which then runs in the driver. The output is the same either way.
    pool_min_bytes: int = 4 << 20
    unit_files: int = 64  # files per resumable unit of work
    unit_bytes: int = 32 << 20  # ...or this many input bytes, whichever comes first

    def __post_init__(self) -> None:
        _check(self.workers >= 0, f"run.workers must be >= 0, got {self.workers}")
        _check(
            self.engine in ("local", "ray"), f"run.engine must be local or ray, got {self.engine!r}"
        )
        _check(self.unit_files >= 1, f"run.unit_files must be >= 1, got {self.unit_files}")
        _check(self.unit_bytes >= 1, f"run.unit_bytes must be >= 1, got {self.unit_bytes}")


@dataclass(frozen=True, slots=True)
class Config:
    input: InputConfig = field(default_factory=InputConfig)
    encoding: EncodingConfig = field(default_factory=EncodingConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    convert: ConvertConfig = field(default_factory=ConvertConfig)
    headline: HeadlineConfig = field(default_factory=HeadlineConfig)
    lines: LinesConfig = field(default_factory=LinesConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    run: RunConfig = field(default_factory=RunConfig)

    def __post_init__(self) -> None:
        # The one [headline] section is what both stages read.
        if self.lines.headline != self.headline:
            object.__setattr__(
                self, "lines", dataclasses.replace(self.lines, headline=self.headline)
            )
        if self.segment.headline != self.headline:
            object.__setattr__(
                self, "segment", dataclasses.replace(self.segment, headline=self.headline)
            )

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The effective configuration, as written into ``report.json`` (each key once:
        the stages' copies of ``[headline]`` are left out)."""
        return {
            f.name: {
                k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(getattr(self, f.name)).items()
                if k != "headline"
            }
            for f in dataclasses.fields(self)
        }


def load_config(path: str | Path | None, overrides: list[str] | tuple[str, ...] = ()) -> Config:
    """Read ``path`` (or the defaults when None), apply ``KEY=VALUE`` overrides, validate.

    Raises:
        ConfigError: unreadable file, bad TOML, unknown section or key, wrong type or range.
    """
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as err:
            msg = f"{path}: cannot read config: {err.strerror or err}"
            raise ConfigError(msg) from err
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            msg = f"{path}: invalid TOML: {err}"
            raise ConfigError(msg) from err
    for item in overrides:
        section, key, value = _parse_override(item)
        raw.setdefault(section, {})
        if not isinstance(raw[section], dict):
            msg = f"[{section}] must be a table"
            raise ConfigError(msg)
        raw[section][key] = value
    return _build(raw)


def _parse_override(item: str) -> tuple[str, str, Any]:
    """``dedup.threshold=0.85`` -> ("dedup", "threshold", 0.85). Bare words are strings."""
    name, sep, text = item.partition("=")
    section, dot, key = name.strip().partition(".")
    if not sep or not dot or not section or not key:
        msg = f"--set expects SECTION.KEY=VALUE, got {item!r}"
        raise ConfigError(msg)
    try:
        value = tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = text.strip()
    return section, key, value


def _build(raw: dict[str, Any]) -> Config:
    sections = {f.name: f for f in dataclasses.fields(Config)}
    unknown = sorted(set(raw) - set(sections))
    if unknown:
        msg = f"unknown section [{unknown[0]}] (known: {', '.join(sections)})"
        raise ConfigError(msg)
    built: dict[str, Any] = {}
    for name in sections:
        cls = typing.get_type_hints(Config)[name]
        values = raw.get(name, {})
        if not isinstance(values, dict):
            msg = f"[{name}] must be a table"
            raise ConfigError(msg)
        built[name] = _build_section(name, cls, values)
    return Config(**built)


def _build_section(section: str, cls: type[Any], values: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls) if f.name != "headline"]
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if f"{section}.{key}" in MOVED_KEYS:
            msg = f"{section}.{key} is now {MOVED_KEYS[f'{section}.{key}']}: rename it"
            raise ConfigError(msg)
        if key not in hints or key == "headline":
            msg = f"unknown key {section}.{key} (known: {', '.join(known)})"
            raise ConfigError(msg)
        kwargs[key] = _coerce(f"{section}.{key}", hints[key], value)
    return cls(**kwargs)


def _coerce(name: str, hint: Any, value: Any) -> Any:
    """Check ``value`` against the annotation; lists become tuples, ints may be floats."""
    origin = typing.get_origin(hint)
    if origin is Literal:
        choices = typing.get_args(hint)
        if value not in choices:
            msg = f"{name} must be one of {list(choices)}, got {value!r}"
            raise ConfigError(msg)
        return value
    if origin is tuple:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            # A bare word on the command line arrives as a string: show the working form.
            example = value if isinstance(value, str) else "*.txt"
            msg = (
                f"{name} must be a list of strings, got {value!r}: in TOML "
                f'{name.partition(".")[2]} = ["{example}"], on the command line '
                f"""--set '{name}=["{example}"]'"""
            )
            raise ConfigError(msg)
        return tuple(value)
    if hint is bool:
        if not isinstance(value, bool):
            msg = f"{name} must be true or false, got {value!r}"
            raise ConfigError(msg)
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            msg = f"{name} must be an integer, got {value!r}"
            raise ConfigError(msg)
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            msg = f"{name} must be a number, got {value!r}"
            raise ConfigError(msg)
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            msg = f"{name} must be a string, got {value!r}"
            raise ConfigError(msg)
        return value
    msg = f"{name}: unsupported type {hint!r}"
    raise ConfigError(msg)  # pragma: no cover - programming error
