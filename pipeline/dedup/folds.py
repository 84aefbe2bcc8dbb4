"""The tables of the two dedup key folds (``pipeline.dedup.keys`` applies them).

1. Characters (:func:`fold_table`): a code point table built from OpenCC's ``t2s`` (and
   the variant characters of ``tw2s`` / ``hk2s``), NFKC, lowercase and the punctuation
   that keys drop.
2. Regional vocabulary (地区词, :func:`regional_phrases`): the words of OpenCC's Taiwan and
   Hong Kong phrase dictionaries, each folded to one word of its class (软体 -> 软件).
   The dictionaries are read from the ``.ocd2`` files the installed OpenCC ships
   (:func:`_ocd2_values`); what each word becomes is what OpenCC converts it to.

Both are built once per process (~0.2 s, most of it loading OpenCC's s2twp and s2hkp).
Changing either changes keys: bump ``pipeline.dedup.keys.KEY_VERSION``.
"""

from __future__ import annotations

import functools
import struct
import unicodedata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pipeline.errors import PipelineError
from pipeline.text import KEY_PUNCTUATION_RE

U8Array = npt.NDArray[np.uint8]
U32Array = npt.NDArray[np.uint32]
I64Array = npt.NDArray[np.int64]


@functools.cache
def fold_table() -> U32Array:
    """Code point -> folded code point (0: removed), for the Basic Multilingual Plane.

    Old-print variant glyphs to their GB 2312 form first (淸 -> 清, 衞 -> 卫:
    ``pipeline.text.variant_table``), then
    Traditional -> Simplified character by character with OpenCC's ``t2s`` table (a fold,
    not a translation: 乾/幹/干 all become 干 in every copy, so both scripts meet), then
    the Taiwan and Hong Kong variant characters that ``t2s`` keeps but ``tw2s`` / ``hk2s``
    change (著 -> 着 as Taiwan prints 接著, 衞 -> 卫, 么 -> 幺: 15 of them; again a fold,
    so 著名 and 什么 change alike in every copy), then NFKC when it gives one character
    (full-width, compatibility ideographs), lowercase ASCII; punctuation and whitespace
    (``KEY_PUNCTUATION_RE``) and U+FFFD are removed. Digits stay.
    OpenCC is reached through ``pipeline.text.conversion`` (the one place that owns it).
    """
    from pipeline.text import to_simplified, variant_table  # deliberate: OpenCC's t2s

    han = [chr(cp) for cp in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000))]
    joined = "\n".join(han)
    converted = to_simplified(joined).split("\n")
    t2s = {h: s for h, s in zip(han, converted, strict=True) if len(s) == 1 and s != h}
    variants: dict[str, str] = {}
    for config in ("tw2s", "hk2s"):
        regional = to_simplified(joined, config=config).split("\n")
        for s, v in zip(converted, regional, strict=True):
            if len(s) == 1 and len(v) == 1 and s != v:
                variants.setdefault(s, v)
    old_print = variant_table("simplified")
    table = np.arange(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        folded = folded if len(folded) == 1 else ch
        folded = old_print.get(ord(folded), folded)
        folded = t2s.get(folded, folded)
        folded = variants.get(folded, folded)
        if "A" <= folded <= "Z":
            folded = folded.lower()
        removed = (
            KEY_PUNCTUATION_RE.match(ch)
            or KEY_PUNCTUATION_RE.match(folded)
            or ch == "\N{REPLACEMENT CHARACTER}"  # a defect, not content (counted apart)
        )
        table[cp] = 0 if removed or cp == 0 else ord(folded)
    return table


@functools.cache
def _fold_translation() -> dict[int, int | None]:
    table = fold_table()
    changed = np.flatnonzero(table != np.arange(0x10000, dtype=np.uint32))
    return {int(cp): (int(table[cp]) or None) for cp in changed}


def fold_chars(text: str) -> str:
    """Fold 1 alone (characters), in Python: what the phrase table is written in."""
    return text.translate(_fold_translation())


# OpenCC's dictionaries of regional words: (the dictionary whose values are the regional
# words, the one whose values are the mainland words, the config from regional to mainland
# and the one back). Taiwan first.
REGIONAL_DICTIONARIES = (
    ("TWPhrases.ocd2", "TWPhrasesRev.ocd2", "tw2sp", "s2twp"),
    ("HKPhrases.ocd2", "HKPhrasesRev.ocd2", "hk2sp", "s2hkp"),
)


def _ocd2_values(path: Path) -> list[str]:
    """The value strings of an OpenCC ``.ocd2`` dictionary, in its own order.

    The file is a marisa trie of the keys followed by OpenCC's ``SerializedValues``: item
    count (u32), pool size (u32), the pool (NUL-terminated UTF-8 values), then per item a
    value count (u16) and each value's byte length (u16). The trie's length is not stored,
    so the values are found as the one offset where that layout ends exactly at the end
    of the file (a dictionary of OpenCC 1.x; anything else fails loudly).
    """
    data = path.read_bytes()
    size = len(data)
    for at in range(len(OCD2_HEADER), size - 8):
        count, pool = struct.unpack_from("<II", data, at)
        cursor = at + 8 + pool
        if not (0 < count <= pool and cursor + 4 * count <= size and data[cursor - 1] == 0):
            continue
        for _ in range(count):
            (values,) = struct.unpack_from("<H", data, cursor)
            cursor += 2 + 2 * values
            if cursor > size:
                break
        if cursor == size:
            return [v.decode("utf-8") for v in data[at + 8 : at + 8 + pool].split(b"\0") if v]
    msg = f"{path}: not an OpenCC 1.x dictionary (no value table found)"
    raise PipelineError(msg)


OCD2_HEADER = b"OPENCC_MARISA_0.2.5"


@functools.cache
def regional_phrases() -> tuple[tuple[str, str], ...]:
    """(word, the word it folds to) pairs of fold 2, both in fold-1 form, sorted.

    Words OpenCC's dictionaries list are joined with what OpenCC converts them to: each
    Taiwan or Hong Kong word with the mainland word ``tw2sp`` / ``hk2sp`` make of it
    (軟體: 软件), each mainland word with the regional word ``s2twp`` / ``s2hkp`` make of it
    (文档: 文件), in its fold-1 form and in that of its ``t2s`` conversion. Words joined
    directly or through others are one class, and every word of a class folds to the
    class's shortest (then smallest) word: Taiwan prints 文档 as 文件 and 文件 as 档案, so
    文件, 文档 and 档案 must all meet. Left out as words to fold: one-character words
    (element names, 矽, 埠; a lookup per character of every key would cost more than they
    find). Built once per process, in ~0.1 s.

    >>> words = dict(regional_phrases())
    >>> words["软体"], words["网路"], words["文档"] == words["档案"]
    ('软件', '网络', True)
    """
    import opencc  # deliberate: only the dictionary files; OpenCC converts in convert.py

    from pipeline.text import to_simplified

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    parent: dict[str, str] = {}

    def find(word: str) -> str:
        while parent.setdefault(word, word) != word:
            word = parent[word]
        return word

    def join(a: str, b: str) -> None:
        if a and b:
            ra, rb = find(a), find(b)
            if ra != rb:  # the class's best word stays its root
                low, high = sorted((ra, rb), key=lambda w: (len(w), w))
                parent[high] = low

    def each(words: list[str], config: str) -> list[str]:
        """``words`` converted one by one, in one call (no word spans a line break)."""
        return to_simplified("\n".join(words), config=config).split("\n")

    for regional_words, mainland_words, to_mainland, to_regional in REGIONAL_DICTIONARIES:
        words = _ocd2_values(share / regional_words)
        for word, mainland, simplified in zip(
            words, each(words, to_mainland), each(words, "t2s"), strict=True
        ):
            join(fold_chars(word), fold_chars(mainland))
            join(fold_chars(simplified), fold_chars(mainland))
        words = [fold_chars(w) for w in _ocd2_values(share / mainland_words)]
        regional = each(each(words, to_regional), "t2s")
        for mainland, word in zip(words, regional, strict=True):
            join(mainland, fold_chars(word))
    return tuple(sorted((w, find(w)) for w in parent if len(w) > 1 and find(w) != w))


# Fold 2 as arrays for the kernel: a bitmap of the hashed first two characters of every
# word (:func:`pair_hash`), the words grouped by that hash (``bucket[h]:bucket[h + 1]``,
# longest first, so the first match is the longest), and the words and their folds back
# to back with their offsets.
PhraseTable = tuple[U8Array, U32Array, U32Array, I64Array, U32Array, I64Array]


@functools.cache
def phrase_table() -> PhraseTable:
    """:func:`regional_phrases` as a ``PhraseTable``."""
    pairs = sorted(
        regional_phrases(), key=lambda p: (pair_hash(ord(p[0][0]), ord(p[0][1])), -len(p[0]), p)
    )
    hashes = np.array([pair_hash(ord(s[0]), ord(s[1])) for s, _ in pairs], dtype=np.int64)
    bucket = np.searchsorted(hashes, np.arange(0x10001), side="left").astype(np.uint32)
    bits = np.zeros(1 << 16, dtype=bool)
    bits[hashes] = True

    def packed(words: list[str]) -> tuple[U32Array, I64Array]:
        cps = np.array([ord(c) for w in words for c in w], dtype=np.uint32)
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum([len(w) for w in words], out=offsets[1:])
        return cps, offsets

    sources, source_offsets = packed([s for s, _ in pairs])
    targets, target_offsets = packed([t for _, t in pairs])
    bitmap = np.packbits(bits, bitorder="little")
    return bitmap, bucket, sources, source_offsets, targets, target_offsets


def pair_hash(a: int, b: int) -> int:
    """A 16-bit hash of two code points: shift and xor, the cheapest that spreads them."""
    return ((a << 7) ^ b) & 0xFFFF  # in the kernel: uint32 throughout
