"""Chinese-safe normalisation: each rule a pure, idempotent ``str -> str`` function.

Every rule leaves correct text alone. In particular nothing here width-folds full-width
punctuation or the ideographic space, and nothing applies NFC/NFKC, which would rewrite
compatibility ideographs (``U+F900`` 豈) and Kangxi radicals in the output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from pipeline.config import NormalizeConfig
from pipeline.document import Document, Stats, compose, map_text
from pipeline.text.chars import (
    ASCII_TO_FULLWIDTH_MAP,
    CJK_PUNCTUATION,
    CONTROL_RE,
    FULLWIDTH_ALNUM_MAP,
    HAN_RANGES,
    HAN_RE,
    INVISIBLE_RE,
    LEFT_DOUBLE_QUOTE,
    LINE_BREAK_RE,
    RIGHT_DOUBLE_QUOTE,
    SURROGATE_RE,
)
from pipeline.text.code import masked

_CJK = HAN_RANGES + re.escape(CJK_PUNCTUATION)
_CJK_RE = re.compile(f"[{_CJK}]")
_SURROGATE_PAIR_RE = re.compile("[\ud800-\udbff][\udc00-\udfff]")

# A run of ASCII marks, possibly spaced ("好 ! ?"), with the blanks around it.
_MARK_RUN_RE = re.compile(r"[ \t]*[,;:?!](?:[ \t]*[,;:?!])*[ \t]*")
# Two runs of marks with only blanks and a line break between them: the only runs that are
# each other's neighbours in _convert_marks (blanks without a break join them into one run).
_RUNS_ACROSS_BREAK_RE = re.compile(r"[,;:?!][ \t\n]*\n[ \t\n]*[,;:?!]")
# A bracket pair with an ASCII side, enclosing up to 100 characters that may include
# already full-width pairs, so that nested pairs convert from the inside out.
_FW_OPEN, _FW_CLOSE = "\N{FULLWIDTH LEFT PARENTHESIS}", "\N{FULLWIDTH RIGHT PARENTHESIS}"
_PAREN_PAIR_RE = re.compile(
    f"[({_FW_OPEN}]((?:[^(){_FW_OPEN}{_FW_CLOSE}]|{_FW_OPEN}[^(){_FW_OPEN}{_FW_CLOSE}]*{_FW_CLOSE}){{1,100}})[){_FW_CLOSE}]"
)
_STRAIGHT_QUOTE_PAIR_RE = re.compile(r'"([^"]{1,200})"')
# Letter-spacing (字间距): three or more single Han characters each set apart by blanks.
_LETTER_SPACED_RE = re.compile(
    f"(?<![{HAN_RANGES}])[{HAN_RANGES}](?:[ \\t]+[{HAN_RANGES}](?![{HAN_RANGES}])){{2,}}"
)
_BLANKS_RE = re.compile(r"[ \t]+")
_TRAILING_BLANKS_RE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANKS_AFTER_CJK_PUNCT_RE = re.compile(f"([{re.escape(CJK_PUNCTUATION)}])[ \\t]+(?=[{_CJK}])")
_HAN_BLANK_HAN_RE = re.compile(f"[ \\t]+(?<=[{HAN_RANGES}][ \\t])(?=[{HAN_RANGES}])")
# Blanks besides the space and the ideographic space (U+3000 is correct Chinese and stays):
# no-break, en, em, thin spaces... PDF extraction leaves them between Han, where they are
# the same stray blank as a space ("记者李玉波\u00a0通讯员"), and are treated as one.
_OTHER_BLANK_RE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f]")  # any, fast
_OTHER_BLANKS_RE = re.compile(f"(?<=[{_CJK}])[\u00a0\u1680\u2000-\u200a\u202f\u205f]+(?=[{_CJK}])")


def normalize_line_endings(text: str) -> str:
    """CRLF, CR and the other line separators Python's ``splitlines`` knows become ``\\n``.

    Leaves ``\\n`` and tabs alone, and U+0085, which is removed as a C1 control instead.

    >>> normalize_line_endings("本报讯\\r\\n湖北\\r江西\\u2028广州")
    '本报讯\\n湖北\\n江西\\n广州'
    """
    return LINE_BREAK_RE.sub("\n", text)


def remove_invisible(text: str) -> str:
    """Remove BOMs anywhere, zero-width spaces and word joiners.

    Leaves ZWJ/ZWNJ (emoji, other scripts), combining marks and variation selectors.

    >>> remove_invisible("\\ufeff本报\\u200b讯")
    '本报讯'
    """
    return INVISIBLE_RE.sub("", text)


def remove_control_chars(text: str) -> str:
    """Remove C0 and C1 control characters except ``\\n`` and ``\\t`` (NUL included).

    >>> remove_control_chars("工会\\x00工作\\x1b\\t会议")
    '工会工作\\t会议'
    """
    return CONTROL_RE.sub("", text)


def replace_surrogates(text: str) -> str:
    """Join valid surrogate pairs into one character; replace lone surrogates with U+FFFD.

    A lone surrogate cannot be encoded as UTF-8 and makes OpenCC raise, so it never
    leaves this function.

    >>> replace_surrogates("\\ud83d\\ude00好\\ud800")
    '😀好�'
    """
    if not SURROGATE_RE.search(text):
        return text
    paired = _SURROGATE_PAIR_RE.sub(
        lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text
    )
    return SURROGATE_RE.sub("\N{REPLACEMENT CHARACTER}", paired)


def normalize_width(text: str) -> str:
    """Full-width Latin letters and digits become ASCII.

    Full-width punctuation and the ideographic space are correct Chinese and stay.

    >>> normalize_width("ＣＯＶＩＤ－１９，２０１７年")
    'COVID－19，2017年'
    """
    if not _FULLWIDTH_ALNUM_RE.search(text):
        return text  # most pages: decided at regex speed, no translate pass
    return text.translate(FULLWIDTH_ALNUM_MAP)


_FULLWIDTH_ALNUM_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def normalize_punctuation(text: str) -> str:
    """ASCII ``, ; : ? ! ( )`` inside Chinese text become ``，；：？！（）``.

    A mark is Chinese when the character before it is Han or Chinese punctuation, or when
    the character after it is and the one before it is not a Latin letter. Marks
    between digits (``1,000``, ``8:30``) or in Latin text, URLs and e-mail addresses stay,
    and so do ``.``, ``+`` and ``/`` (``1.6亿元``, ``1+1``, ``K154/152/3次``). Brackets
    convert as a pair, when what they enclose contains Han.

    >>> normalize_punctuation("提升,3项举措(以下简称《方案》),明确")
    '提升，3项举措（以下简称《方案》），明确'
    >>> normalize_punctuation("8:30 出发, 见 http://example.com?a=1, COVID-19")
    '8:30 出发，见 http://example.com?a=1, COVID-19'

    Code is left alone (``pipeline.text.code``): a call with a string argument, a JSON
    object or key-value pair, inline code between backticks.

    >>> normalize_punctuation('输入print("你好,世界"),返回{"name":"张三"}')
    '输入print("你好,世界")，返回{"name":"张三"}'
    """
    return masked(_convert_punctuation, text)


def _convert_punctuation(text: str) -> str:
    if "(" in text or ")" in text:
        text = _convert_paren_pairs(text)
    # Fast path, same result: a lone mark right after Han converts, with the blanks after
    # it. Done with literal-first patterns and no Python callback (~7x faster); the
    # general rule below then sees only the remaining, rarer cases.
    for pattern, fullwidth in _MARK_AFTER_HAN:
        text = pattern.sub(fullwidth, text)
    # A mark's neighbour may be a mark that converts in the same pass ("，,\n," or
    # "1,\n,湖"): repeat until nothing converts, so that a second call changes nothing.
    # Without two runs across a line break no neighbour changes, and one pass is enough.
    while True:
        converted = _MARK_RUN_RE.sub(partial(_convert_marks, text=text), text)
        if converted == text or not _RUNS_ACROSS_BREAK_RE.search(text):
            return converted
        text = converted


_MARK_AFTER_HAN = [
    (re.compile(f"{re.escape(c)}(?<=[{HAN_RANGES}]{re.escape(c)})(?![ \t]*[,;:?!])[ \t]*"), fw)
    for c, fw in ASCII_TO_FULLWIDTH_MAP.items()
    if c not in "()"
]


def _convert_paren_pairs(text: str) -> str:
    # Repeat until stable so that one call converts nested pairs from the inside out.
    while True:
        new = _PAREN_PAIR_RE.sub(_convert_pair, text)
        if new == text:
            return text
        text = new


def _convert_pair(m: re.Match[str]) -> str:
    whole, inner = m.group(), m.group(1)
    if not HAN_RE.search(inner) or (whole[0] != "(" and whole[-1] != ")"):
        return whole
    return f"\N{FULLWIDTH LEFT PARENTHESIS}{inner}\N{FULLWIDTH RIGHT PARENTHESIS}"


def _convert_marks(m: re.Match[str], text: str) -> str:
    # The neighbours across line breaks too: "湖\n," is a comma a column break pushed to
    # the next line (it becomes "湖，" once lines are joined, and must convert now). Tabs
    # count as blanks: the spaces rule strips them at line ends, after this rule has run.
    start, end = m.start(), m.end()
    while start > 0 and text[start - 1] in "\n \t":
        start -= 1
    while end < len(text) and text[end] in "\n \t":
        end += 1
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    marks = m.group().replace(" ", "").replace("\t", "")
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return m.group()  # 1,000 / 8:30 / a,b
    if _CJK_RE.match(before) or (
        _CJK_RE.match(after) and not (before.isascii() and before.isalpha())
    ):
        if ":" in marks and _in_url(text, m.start()):
            return m.group()
        return "".join(ASCII_TO_FULLWIDTH_MAP[ch] for ch in marks)
    return m.group()


def _in_url(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    token = text[line_start:pos].rsplit(" ", 1)[-1]
    return "//" in token or "@" in token or token.lower().endswith(("http", "https", "mailto"))


def normalize_quotes(text: str) -> str:
    """A pair of straight double quotes around text containing Han becomes “ ”.

    Pairs are taken left to right; a pair around Latin text or numbers stays straight.

    >>> normalize_quotes('被誉为"第二张身份证", 型号 "A-1"')
    '被誉为“第二张身份证”, 型号 "A-1"'

    Quotes in code stay straight (``pipeline.text.code``):

    >>> normalize_quotes('print("你好") 输出"你好"')
    'print("你好") 输出“你好”'
    """
    return masked(_curl_quotes, text)


def _curl_quotes(text: str) -> str:
    # A pair taken may leave quotes around it that pair only in the next pass ('""湖""'
    # gives '"“湖”"'): repeat until nothing converts, so that a second call changes nothing.
    while '"' in text:
        converted = _STRAIGHT_QUOTE_PAIR_RE.sub(_curl_pair, text)
        if converted == text:
            break
        text = converted
    return text


def _curl_pair(m: re.Match[str]) -> str:
    inside = m.group(1)
    return (
        f"{LEFT_DOUBLE_QUOTE}{inside}{RIGHT_DOUBLE_QUOTE}" if HAN_RE.search(inside) else m.group()
    )


def normalize_spaces(text: str) -> str:
    """Remove stray blanks: letter-spacing between Han, after Chinese punctuation, at line ends.

    A lone space between two Han characters is kept: on a page it separates names
    ("记者李玉波 通讯员云龙"), kicker phrases ("抓落实 见实效") and credits ("倪树斌 摄").
    Only runs of three or more single, spaced-out Han characters are letter-spacing.
    Other blanks between Chinese characters (no-break, en, em, thin spaces) are spaces
    first; the ideographic space U+3000 is never touched.

    >>> normalize_spaces("工 会 组 织，  抓落实 见实效  ")
    '工会组织，抓落实 见实效'
    >>> normalize_spaces("记者李玉波\u00a0通讯员云龙\u2003摄，工\u2003会\u2003组\u2003织")
    '记者李玉波 通讯员云龙 摄，工会组织'
    """
    if _OTHER_BLANK_RE.search(text) and _OTHER_BLANKS_RE.search(text):
        text = _OTHER_BLANKS_RE.sub(lambda m: " " * len(m.group()), text)
    if " " not in text and "\t" not in text:
        return text
    if _HAN_BLANK_HAN_RE.search(text):
        text = _LETTER_SPACED_RE.sub(lambda m: _BLANKS_RE.sub("", m.group()), text)
    text = _BLANKS_AFTER_CJK_PUNCT_RE.sub(r"\1", text)
    return _TRAILING_BLANKS_RE.sub("", text)


# The order matters: line endings first (CR would hide a line end from later rules),
# surrogates before anything that might encode, quotes before punctuation (a curly quote
# is Chinese context for the comma next to it: ',"湖"' must not take two passes), spaces
# last.
RULES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("line_endings", normalize_line_endings),
    ("invisible", remove_invisible),
    ("controls", remove_control_chars),
    ("surrogates", replace_surrogates),
    ("width", normalize_width),
    ("quotes", normalize_quotes),
    ("punctuation", normalize_punctuation),
    ("spaces", normalize_spaces),
)


def normalize_text(text: str, cfg: NormalizeConfig | None = None) -> str:
    """Apply every enabled rule in order: the library's one-call normaliser.

    >>> normalize_text("本报讯(记者邹明强)湖北省委、省政府日前下发,明确要求\\r\\n")
    '本报讯（记者邹明强）湖北省委、省政府日前下发，明确要求\\n'
    """
    cfg = cfg or NormalizeConfig()
    for switch, rule in RULES:
        if getattr(cfg, switch):
            text = rule(text)
    return text


def count_lone_surrogates(text: str) -> int:
    """How many surrogates :func:`replace_surrogates` would turn into U+FFFD.

    >>> count_lone_surrogates("\\ud83d\\ude00好\\ud800")
    1
    """
    return len(SURROGATE_RE.findall(text)) - 2 * len(_SURROGATE_PAIR_RE.findall(text))


def _first_lone_surrogate(text: str) -> int:
    paired = {i for m in _SURROGATE_PAIR_RE.finditer(text) for i in (m.start(), m.start() + 1)}
    return next(m.start() for m in SURROGATE_RE.finditer(text) if m.start() not in paired)


def normalize(docs: Iterable[Document], cfg: NormalizeConfig, stats: Stats) -> Iterator[Document]:
    """Stage: every enabled rule as its own step, so each is counted under its own name.

    Lone surrogates are also counted one by one (``replace_surrogates.replaced``): their
    replacement keeps the character count, but it loses information.
    """
    rules = compose(
        [map_text(rule, rule.__name__, stats) for switch, rule in RULES if getattr(cfg, switch)]
    )

    def counted(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if cfg.surrogates and (lone := count_lone_surrogates(doc.text)):
                stats.events["replace_surrogates.replaced"] += lone
                first = _first_lone_surrogate(doc.text)
                stats.notes.append(
                    f"{lone} lone surrogate(s) replaced with U+FFFD, the first at character {first}"
                )
            yield doc

    return rules(counted(docs))
