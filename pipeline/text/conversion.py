"""Script conversion with OpenCC (the C++ binding, package ``opencc``), story by story.

A Simplified page can carry a Hong Kong or Taiwan wire story in Traditional script, and
the reverse, so the script is decided per story, after segmentation (:func:`convert`):
by the share of script-specific characters in the story's fields and text. A story with
too few of them to tell (a brief, a caption) takes its page's script, which
:func:`label_script` records before line repair (the layout rules read either script).

Only documents detected in the config's source script, or in a mix of both scripts, are
converted: a story already in the target script could still be changed by OpenCC's phrase
tables (t2s turns 甯 in 张钧甯 into 宁 in some contexts), so it is left alone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import opencc

from pipeline.config import ConvertConfig
from pipeline.document import ENDINGS, HEADINGS, Document, Stats
from pipeline.errors import ConfigError
from pipeline.text.chars import SURROGATE_RE

# Which script each OpenCC config reads. Configs not listed (t2tw, t2hk, t2jp, jp2t, tw2t,
# hk2t) convert between variants of one script and apply to every document.
SOURCE_SCRIPT = {
    **dict.fromkeys(("t2s", "tw2s", "tw2sp", "hk2s", "hk2sp"), "traditional"),
    **dict.fromkeys(("s2t", "s2tw", "s2twp", "s2hk", "s2hkp"), "simplified"),
}
# Script detection looks at the start of a document only: enough to decide, cheap on
# a 200 MB line.
SCRIPT_SAMPLE_CHARS = 5_000


def available_configs() -> tuple[str, ...]:
    """The OpenCC config names this installation ships, e.g. ``('hk2s', ..., 't2s', ...)``."""
    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    return tuple(sorted(p.stem for p in share.glob("*.json")))


class Converter:
    """One OpenCC converter, built once per run and shared by every document.

    >>> Converter("t2s").convert("檢查產業工會")
    '检查产业工会'
    """

    def __init__(self, config: str) -> None:
        name = config.removesuffix(".json")
        known = available_configs()
        if name not in known:
            choices = ", ".join(known)
            msg = f"convert.config: unknown OpenCC config {config!r} (none or one of {choices})"
            raise ConfigError(msg)
        self.config = name
        self.source_script = SOURCE_SCRIPT.get(name)
        self._opencc = opencc.OpenCC(f"{name}.json")

    def convert(self, text: str) -> str:
        """Convert ``text``; surrogates are passed around OpenCC, which would raise on them."""
        if not SURROGATE_RE.search(text):
            return str(self._opencc.convert(text))
        pieces = SURROGATE_RE.split(text)
        gaps = SURROGATE_RE.findall(text)
        out = [str(self._opencc.convert(pieces[0]))]
        for gap, piece in zip(gaps, pieces[1:], strict=True):
            out += [gap, str(self._opencc.convert(piece))]
        return "".join(out)


@functools.cache
def _script_table() -> npt.NDArray[np.int8]:
    """Per BMP code point: +1 for a character only Traditional text uses, -1 for one only
    Simplified text uses, 0 otherwise.

    Every BMP Han character is run through OpenCC one at a time (newline-separated, so no
    phrase spans two of them): a character ``t2s`` changes is Traditional-only, one ``s2t``
    changes is Simplified-only. Built once per process, in about 0.1 s.
    """
    han = [chr(cp) for cp in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000))]
    joined = "\n".join(han)
    to_simp = opencc.OpenCC("t2s.json").convert(joined).split("\n")
    to_trad = opencc.OpenCC("s2t.json").convert(joined).split("\n")
    table = np.zeros(0x10000, dtype=np.int8)
    for char, simp, trad in zip(han, to_simp, to_trad, strict=True):
        table[ord(char)] = 1 if simp != char else -1 if trad != char else 0
    return table


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only, Simplified-only) characters in the first 5,000 of ``text``.

    >>> script_counts("內蒙古工會帮扶")
    (2, 1)
    """
    cps = np.frombuffer(text[:SCRIPT_SAMPLE_CHARS].encode("utf-16-le", "surrogatepass"), np.uint16)
    signs = _script_table()[cps]  # astral code units (surrogates) are never script-specific
    return int((signs > 0).sum()), int((signs < 0).sum())


def detect_script(text: str, min_share: float = 0.6) -> str:
    """``traditional``, ``simplified``, ``mixed`` or ``unknown`` (no script-specific Han).

    Decided by the share of script-specific characters in the first 5,000 characters.

    >>> detect_script("內蒙古工會全方位幫扶困難職工"), detect_script("内蒙古工会全方位帮扶困难职工")
    ('traditional', 'simplified')
    >>> detect_script("中文 ABC")
    'unknown'
    """
    return _script_of(*script_counts(text), min_share)


def _script_of(trad: int, simp: int, min_share: float) -> str:
    if not trad and not simp:
        return "unknown"
    if trad / (trad + simp) >= min_share:
        return "traditional"
    if simp / (trad + simp) >= min_share:
        return "simplified"
    return "mixed"


@functools.cache
def _converter(config: str) -> Converter:
    return Converter(config)


def to_simplified(text: str, *, config: str = "t2s") -> str:
    """Convert Traditional script to Simplified with OpenCC (``config`` picks the variant).

    Converts unconditionally; the ``convert`` stage first checks the document's script.

    >>> to_simplified("尤溪縣總工會「量身定制」的5家勞模工作室")
    '尤溪县总工会「量身定制」的5家劳模工作室'
    """
    return _converter(config).convert(text)


def convert_text(text: str, cfg: ConvertConfig, script: str | None = None) -> tuple[str, str]:
    """``(text, script)``: ``text`` converted when its script (detected here, or ``script``
    when the caller knows it from a larger text) is the config's source script or mixed.

    >>> convert_text("內蒙古工會", ConvertConfig())
    ('内蒙古工会', 'traditional')
    >>> convert_text("工人日報", ConvertConfig(), script="simplified")
    ('工人日報', 'simplified')
    """
    script = script or detect_script(text, cfg.min_script_share)
    if cfg.config == "none":
        return text, script
    converter = _converter(cfg.config)
    source = converter.source_script
    if source is not None and script not in (source, "mixed"):
        return text, script
    return converter.convert(text), script


def story_script(doc: Document, cfg: ConvertConfig) -> str:
    """The script of a story (all its printed fields), or its page's (``doc.script``, from
    :func:`label_script`) when it has fewer than ``convert.min_script_chars``
    script-specific characters.

    >>> brief = Document("p-s01", "據了解，", "p.txt", "utf_8", script="simplified")
    >>> story_script(brief, ConvertConfig()), story_script(brief, ConvertConfig(min_script_chars=1))
    ('simplified', 'traditional')
    """
    trad, simp = script_counts(doc.field_text())
    if trad + simp < cfg.min_script_chars and doc.script != "unknown":
        return doc.script
    return _script_of(trad, simp, cfg.min_script_share)


def label_script(docs: Iterable[Document], cfg: ConvertConfig) -> Iterator[Document]:
    """Stage: record each page's script (``doc.script``) without converting anything: the
    script a story too short to tell takes (:func:`story_script`)."""
    for doc in docs:
        yield replace(doc, script=detect_script(doc.text, cfg.min_script_share))


def convert(docs: Iterable[Document], cfg: ConvertConfig, stats: Stats) -> Iterator[Document]:
    """Stage: decide each story's script (:func:`story_script`) and convert its text and
    every printed field (kicker, title, deck, reporters, byline, caption) when that script
    is the config's source script or mixed; with ``convert.config = "none"`` only label it.

    Counts stories per script (``script.<name>``) and the converted ones per config.
    """
    converter = None if cfg.config == "none" else _converter(cfg.config)
    for doc in docs:
        script = story_script(doc, cfg)
        stats.events[f"script.{script}"] += 1
        doc = replace(doc, script=script)
        source = converter.source_script if converter else None
        if converter is None or (source is not None and script not in (source, "mixed")):
            yield doc
            continue
        fields: dict[str, Any] = {
            name: converter.convert(value)
            for name in (*HEADINGS, *ENDINGS)
            if (value := getattr(doc, name))
        }
        new = replace(
            doc,
            text=converter.convert(doc.text),
            reporters=tuple(converter.convert(r) for r in doc.reporters),
            **fields,
        )
        if new == doc:
            yield doc
            continue
        step = f"convert.{converter.config}"
        stats.events[step] += 1
        stats.chars[step] += len(doc.field_text()) - len(new.field_text())
        yield replace(new, steps=(*doc.steps, step))
