"""Script conversion with OpenCC (the C++ binding, package ``opencc``).

Only documents detected in the config's source script, or in a mix of both scripts, are
converted: a page already in the target script could still be changed by OpenCC's phrase
tables (t2s turns 甯 in 张钧甯 into 宁 in some contexts), so it is left alone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import opencc

from pipeline.config import ConvertConfig
from pipeline.document import Document, Stats
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


def detect_script(text: str, min_share: float = 0.6) -> str:
    """``traditional``, ``simplified``, ``mixed`` or ``unknown`` (no script-specific Han).

    Decided by the share of script-specific characters in the first 5,000 characters.

    >>> detect_script("內蒙古工會全方位幫扶困難職工"), detect_script("内蒙古工会全方位帮扶困难职工")
    ('traditional', 'simplified')
    >>> detect_script("中文 ABC")
    'unknown'
    """
    cps = np.frombuffer(text[:SCRIPT_SAMPLE_CHARS].encode("utf-16-le", "surrogatepass"), np.uint16)
    signs = _script_table()[cps]  # astral code units (surrogates) are never script-specific
    trad = int((signs > 0).sum())
    simp = int((signs < 0).sum())
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


def convert(docs: Iterable[Document], cfg: ConvertConfig, stats: Stats) -> Iterator[Document]:
    """Stage: record each document's script; convert those in the source script or mixed."""
    step = cfg.config if cfg.config == "none" else _converter(cfg.config).config
    for doc in docs:
        new, script = convert_text(doc.text, cfg)
        stats.events[f"script.{script}"] += 1
        doc = replace(doc, script=script)
        if new == doc.text:
            yield doc
            continue
        stats.events[f"convert.{step}"] += 1
        stats.chars[f"convert.{step}"] += len(doc.text) - len(new)
        yield replace(doc, text=new, steps=(*doc.steps, f"convert.{step}"))
