"""Old-print variant glyphs (异体字) folded to the standard form the output script uses.

Republican-era type prints 淸 吿 囘 硏 衞 靑 鄕 槪 卽 旣 where today's text has 清 告 回 研
卫/衛 青 乡/鄉 概 即 既. OpenCC's t2s leaves them alone, so the same sentence set in old
and new type keeps two spellings (and, before this fold, two dedup keys).

The table is derived, not written by hand (:func:`variant_table`):

- the variant graph of the ``yitizi`` package (CC0; its character -> every variant of it):
  Unicode's Unihan 15 (Debian ``unicode-data``) links 吿 囘 硏 衞 鄕 卽 to their standard
  forms (kSemanticVariant, kZVariant) but not 淸/清, 靑/青 or 旣/既, and OpenCC's variant
  dictionaries (TW, HK, JP) cover only 硏 衞 鄕 槪 卽 of them;
- a glyph is folded only when neither GB 2312 nor Big5 holds it (the two charsets every
  mainland and Taiwan text fits in: a glyph outside both is an old or rare form; 衛,
  乾, 著 are left to OpenCC), and it is not one of the 8,105 characters of the Table of
  General Standard Chinese Characters (通用规范汉字表, 2013): names print 堃, 喆, 镕 on
  purpose. That table is ``data/tongyong.txt``, derived from Unihan's kTGH field
  (:func:`read_tongyong`, Unicode 15.0 as Debian's ``unicode-data`` ships it; Unicode
  licence);
- its standard form is its one variant that the output script's charset holds: GB 2312
  for Simplified output (衞 -> 卫), Big5 for Traditional (衞 -> 衛). Where several variants
  qualify (硏: 研 and 硎), the one OpenCC's own variant configs pair it with wins (研);
  where none does, the glyph is left alone.

What this leaves alone: every character GB 2312 or Big5 holds, and glyphs whose standard
form the data cannot decide.
"""

from __future__ import annotations

import bz2
import functools
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.config import ConvertConfig
from pipeline.document import ENDINGS, HEADINGS, Document, Stats
from pipeline.text.conversion import SOURCE_SCRIPT, to_simplified

# OpenCC configs that map one variant of a character to another (Taiwan, Hong Kong and
# Japanese glyph standards), used to decide between candidate standard forms.
VARIANT_CONFIGS = ("tw2t", "hk2t", "t2tw", "t2hk", "t2jp", "jp2t")
CHARSETS = {"simplified": "gb2312", "traditional": "big5"}


TONGYONG = "data/tongyong.txt"  # the 通用规范汉字表, in its own order, one line


def read_tongyong(unihan: Path) -> str:
    """The characters of the 通用规范汉字表 in table order, from a Unihan file holding the
    kTGH field (``Unihan_OtherMappings.txt``, plain or ``.bz2``): how ``data/tongyong.txt``
    was made (``python -m pipeline.text.variants /usr/share/unicode/...``)."""
    opener = bz2.open if unihan.suffix == ".bz2" else open
    found: list[tuple[int, str]] = []
    with opener(unihan, "rt", encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == "kTGH":
                found.append((int(parts[2].split(":")[1]), chr(int(parts[0][2:], 16))))
    return "".join(char for _, char in sorted(found))


@functools.cache
def tongyong() -> frozenset[str]:
    """The 8,105 characters of the Table of General Standard Chinese Characters (2013)."""
    text = resources.files("pipeline.text").joinpath(TONGYONG).read_text(encoding="utf-8")
    return frozenset(text.strip())


def _holds(charset: str, char: str) -> bool:
    try:
        char.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _opencc_pairs() -> frozenset[tuple[str, str]]:
    """(a, b) for every BMP Han character a that an OpenCC variant config turns into b."""
    han = [chr(cp) for cp in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000))]
    pairs: set[tuple[str, str]] = set()
    for config in VARIANT_CONFIGS:
        converted = to_simplified("\n".join(han), config=config).split("\n")
        pairs.update((a, b) for a, b in zip(han, converted, strict=True) if len(b) == 1 and a != b)
    return frozenset(pairs | {(b, a) for a, b in pairs})


@functools.cache
def variant_table(script: str = "simplified") -> dict[int, str]:
    """Variant glyph -> its standard form for output in ``script`` (a ``str.translate``
    table); see the module docstring for how it is derived.

    >>> table = variant_table("simplified")
    >>> "淸吿囘硏衞靑鄕槪卽旣".translate(table)
    '清告回研卫青乡概即既'
    >>> "淸吿囘硏衞靑鄕槪卽旣".translate(variant_table("traditional"))
    '清告囘研衛青鄉概即既'
    """
    import yitizi  # deliberate: only its data, once per process

    charset = CHARSETS[script]
    graph: dict[str, list[str]] = yitizi.yitizi_data
    glyphs = sorted(g for g in graph if len(g) == 1 and g >= "\u3400")
    standard = tongyong()
    glyphs = [
        g for g in glyphs if g not in standard and not (_holds("gb2312", g) or _holds("big5", g))
    ]
    table: dict[int, str] = {}
    for glyph in glyphs:
        candidates = sorted(v for v in graph[glyph] if len(v) == 1 and _holds(charset, v))
        if len(candidates) > 1:
            candidates = [v for v in candidates if (glyph, v) in _opencc_pairs()]
        if len(candidates) == 1:
            table[ord(glyph)] = candidates[0]
    return table


def fold_variants(text: str, *, script: str = "simplified") -> str:
    """``text`` with old-print variant glyphs in their standard ``script`` form.

    >>> fold_variants("淸末民初，吿示貼在鄕公所門口。")
    '清末民初，告示貼在乡公所門口。'

    Only the variant glyphs change: 貼 and 門 are Big5's, left to OpenCC (t2s).
    """
    return text.translate(variant_table(script))


def output_script(doc: Document, cfg: ConvertConfig) -> str:
    """The script a story is written in after conversion: the config's target, or with
    ``none`` (or a config within one script) the story's own.

    >>> output_script(Document("a", "", "a.txt", "utf_8", script="traditional"), ConvertConfig())
    'simplified'
    """
    source = SOURCE_SCRIPT.get(cfg.config)
    if source is not None:
        return "simplified" if source == "traditional" else "traditional"
    return "traditional" if doc.script == "traditional" else "simplified"


def fold_variant_glyphs(
    docs: Iterable[Document], cfg: ConvertConfig, stats: Stats
) -> Iterator[Document]:
    """Stage: fold old-print variant glyphs in a story's text and printed fields, to the
    standard form of the script it is written in (:func:`output_script`); off with
    ``convert.variants = false``. Counts the stories changed under ``variants``."""
    for doc in docs:
        table = variant_table(output_script(doc, cfg))
        fields: dict[str, Any] = {
            name: value.translate(table)
            for name in (*HEADINGS, *ENDINGS)
            if (value := getattr(doc, name))
        }
        new = replace(doc, text=doc.text.translate(table), **fields)
        if not cfg.variants or new == doc:
            yield doc
            continue
        stats.events["variants"] += 1
        yield replace(new, steps=(*doc.steps, "variants"))


if __name__ == "__main__":  # rebuild data/tongyong.txt from a Unihan file
    sys.stdout.write(read_tongyong(Path(sys.argv[1])) + "\n")
