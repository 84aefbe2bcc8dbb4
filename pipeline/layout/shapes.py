"""What the lines of a newspaper page look like: shared by line repair and segmentation.

Tables and small predicates; no stage. ``pipeline.layout.lines`` decides which line
breaks are column wraps (转栏) and ``pipeline.layout.segmentation`` cuts pages into stories;
both must agree on what a lead (电头), a byline, a photo credit or a running head looks like, so
those definitions live here once (their words in ``pipeline.layout.words``). The
furniture functions (survey candidates, learning per folder, removal) are in
``pipeline.layout.furniture``, which ``pipeline.layout.segmentation`` re-exports;
``pipeline.layout.facts`` asks these predicates of a whole page's lines at once.
"""

from __future__ import annotations

import re

from pipeline.layout.words import LEAD_PAREN_RE, words
from pipeline.text import CLOSING_MARKS, HAN_RANGES, TERMINAL_PUNCTUATION

# A wrap the line repair decided, kept as a character so that the page keeps one line per
# source line (see ``pipeline.layout.lines.join_broken_lines(mark_wraps=True)``). Unicode's LINE
# SEPARATOR means exactly that: a line break that is not a paragraph break. Normalisation
# turns any U+2028 of the input into "\n" before the lines stage runs.
WRAP_MARK = "\N{LINE SEPARATOR}"
# Splits a page into source lines, keeping the separators: a boundary or a wrap mark.
SOURCE_SPLIT_RE = re.compile(f"([\n{WRAP_MARK}])")

# 避头: marks good typesetting never puts at the start of a line. A line that starts with
# one continues the previous line.
NO_LINE_START = (
    "\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC FULL STOP}\N{IDEOGRAPHIC COMMA}"  # ，。、
    "\N{FULLWIDTH SEMICOLON}\N{FULLWIDTH COLON}"  # ；：
    "\N{FULLWIDTH QUESTION MARK}\N{FULLWIDTH EXCLAMATION MARK}"  # ？！
    "\N{FULLWIDTH RIGHT PARENTHESIS}\N{RIGHT CORNER BRACKET}"  # ）」
    "\N{RIGHT WHITE CORNER BRACKET}\N{RIGHT DOUBLE ANGLE BRACKET}"  # 』》
    "\N{RIGHT ANGLE BRACKET}\N{RIGHT BLACK LENTICULAR BRACKET}"  # 〉】
    "\N{HORIZONTAL ELLIPSIS}\N{MIDDLE DOT}"  # …·
    "\N{RIGHT DOUBLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"  # ”’
    ",.;:?!)%"
)
# 避尾: marks never left at the end of a line. A line that ends with one continues.
NO_LINE_END = (
    "\N{FULLWIDTH LEFT PARENTHESIS}\N{LEFT CORNER BRACKET}"  # （「
    "\N{LEFT WHITE CORNER BRACKET}\N{LEFT DOUBLE ANGLE BRACKET}"  # 『《
    "\N{LEFT ANGLE BRACKET}\N{LEFT BLACK LENTICULAR BRACKET}"  # 〈【
    "\N{LEFT DOUBLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}"  # “‘
    "("
)
# Marks that, inside a line, say it is running prose rather than a headline.
CLAUSE_MARKS = "\N{FULLWIDTH COMMA}\N{FULLWIDTH SEMICOLON}\N{IDEOGRAPHIC FULL STOP},;"
SENTENCE_MARKS = (
    "\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH SEMICOLON}"  # 。；
    "\N{FULLWIDTH QUESTION MARK}\N{FULLWIDTH EXCLAMATION MARK}"  # ？！
)
# Every mark that ends a clause or a sentence, with the enumeration comma and the colon and
# their ASCII forms: where a clause may end on a page (``line_units.Page.clause_edge``).
CLAUSE_END_MARKS = CLAUSE_MARKS + SENTENCE_MARKS + "\N{IDEOGRAPHIC COMMA}\N{FULLWIDTH COLON}:?!"
# Brackets a headline never leaves open. Quotes are not checked: a headline cut from a
# longer phrase keeps an unpaired “ or 「 often enough (and the bench generator does it).
BRACKET_PAIRS = (("\N{FULLWIDTH LEFT PARENTHESIS}", "\N{FULLWIDTH RIGHT PARENTHESIS}"), ("(", ")"))
MAX_FURNITURE_WIDTH = 40  # a furniture line is short: running heads, page numbers, staff
EDGE_LINES = 4  # furniture stands within this many non-blank lines of the page's top or bottom
_DIGITS_RE = re.compile(r"\d+")
_SPACES_RE = re.compile(r"\s+")
_KICKER_SPACE_RE = re.compile(f"[{HAN_RANGES}”」][ \u3000]+[{HAN_RANGES}“「]")
# The predicates below run on every line and paragraph of every page, so each one first
# rejects in constant time what its pattern cannot match, with the same answer (with these
# tables and those of ``words()``): what a match must start or end with.
BYLINE_FIRST = "\N{FULLWIDTH LEFT PARENTHESIS}("  # words().byline, a whole line
BYLINE_LAST = "\N{FULLWIDTH RIGHT PARENTHESIS})"  # words().byline and .inline_byline
# A line that ends a sentence ends with one of these; a headline never ends with these.
SENTENCE_LAST = TERMINAL_PUNCTUATION + CLOSING_MARKS
HEADING_NEVER_LAST = "，、：,:;-—" + NO_LINE_END
_BYLINE_ENDS = tuple(BYLINE_LAST)
# A character below U+2000 but TAB and LF counts half a width (see ``line_width``).
_NARROW_RE = re.compile("[\x00-\x08\x0b-\u1fff]")
_CHUNK = 1 << 16
_SENTENCE_MARK_RE = re.compile(f"[{SENTENCE_MARKS}]")
_CLAUSE_MARK_RE = re.compile(f"[{CLAUSE_MARKS}]")
FURNITURE_PUNCTUATION = "，。；！？、"  # a line with one of these is no furniture
_FURNITURE_PUNCTUATION_RE = re.compile(f"[{FURNITURE_PUNCTUATION}]")


def line_width(text: str) -> float:
    """Printed width in Han-character units: ASCII and Latin-1 count half.

    >>> line_width("K154次列车"), line_width("湖北省有600万农民工")
    (5.0, 9.5)
    """
    uncounted = text.count("\t") + text.count("\n")
    if text.isascii():
        narrow = len(text) - uncounted
    else:  # a chunk at a time: a page-long line must not become a list as long
        narrow = sum(
            len(_NARROW_RE.findall(text, start, start + _CHUNK))
            for start in range(0, len(text), _CHUNK)
        )
    wide = len(text) - uncounted - narrow
    # Exact: halves add up without rounding; 0 (an int, like sum() of nothing) for no width.
    return wide + narrow * 0.5 if wide or narrow else 0


def _half_count(text: str) -> float:
    """A lower bound of ``line_width(text)``, in constant time: every counted character is at
    least half a width."""
    return (len(text) - text.count("\t") - text.count("\n")) * 0.5


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence: 。！？…； (or ASCII) plus closing marks or a byline.

    An ASCII period after a digit is a decimal point cut by the column ("1.\\n6亿元").

    >>> ends_sentence("有尊严。”"), ends_sentence("下猛力。（李丰）"), ends_sentence("是列车")
    (True, True, False)
    >>> ends_sentence("资金1."), ends_sentence("funds.")
    (False, True)
    """
    text = text.rstrip()
    if match := inline_byline(text):
        text = text[: match.end(1)]
    stripped = text.rstrip(CLOSING_MARKS)
    if not stripped or stripped[-1] not in TERMINAL_PUNCTUATION:
        return False
    return not (stripped[-1] == "." and len(stripped) > 1 and stripped[-2].isdigit())


def inline_byline(text: str) -> re.Match[str] | None:
    """``words().inline_byline.search(text)``, without scanning a long paragraph that cannot end
    with a byline: "…下猛力。（李丰）" -> group 1 "。", group 2 "（李丰）".

    >>> inline_byline("下猛力。（李丰）").groups(), inline_byline("下猛力。")
    (('。', '（李丰）'), None)
    """
    if not text.endswith(_BYLINE_ENDS):
        return None
    return words().inline_byline.search(text, _byline_start(text))


def _byline_start(text: str) -> int:
    """Where a match of ``words().inline_byline`` in ``text`` can start at the earliest.

    Its byline holds exactly one opening bracket, so that is the last one of the text;
    before it come only closing marks and blanks, then one sentence end. Searching from
    there finds what a search of the whole text finds, without scanning a long paragraph.
    """
    bracket = max(text.rfind("\N{FULLWIDTH LEFT PARENTHESIS}"), text.rfind("("))
    if bracket < 0:
        return len(text)
    return max(len(text[:bracket].rstrip(CLOSING_MARKS + " \u3000")) - 1, 0)


def furniture_rule(line: str) -> str | None:
    """The name of the shape rule that makes a whole line page furniture, or None.

    >>> furniture_rule("工人日报 2017年8月28日 星期一"), furniture_rule("- 3 -")
    ('running_head', 'page_number')
    >>> furniture_rule("责任编辑：张三  美编：李四"), furniture_rule("湖北推出改革方案")
    ('staff', None)
    """
    line = line.strip()
    if not line or _half_count(line) > MAX_FURNITURE_WIDTH:
        return None
    if line_width(line) > MAX_FURNITURE_WIDTH or _FURNITURE_PUNCTUATION_RE.search(line):
        return None
    if not words().furniture_any.search(line):
        return None
    for name, pattern in words().furniture:
        if pattern.search(line):
            return name
    return None


def furniture_key(line: str) -> str:
    """The form of a line that stays the same from page to page: numbers and weekdays masked.

    >>> furniture_key("工人日报  2017年8月28日 星期一")
    '工人日报 #年#月#日 星期#'
    """
    key = words().weekday.sub("#", _DIGITS_RE.sub("#", line.strip()))
    return _SPACES_RE.sub(" ", key)


def is_lead(text: str) -> bool:
    """Whether a paragraph opens with a lead formula (本报讯, 新华社…电) or is a lead line.

    >>> is_lead("本报讯（记者邹明强）湖北省委"), is_lead("本报通讯员 陈有会 汤永红")
    (True, True)
    >>> is_lead("据了解，湖北省的改革举措")
    False
    """
    return starts_with_lead(text) or is_lead_line(text)


def starts_with_lead(text: str) -> bool:
    """Whether ``text`` opens with a lead formula, blanks inside it ignored (本报 讯).

    >>> starts_with_lead("中新社兰\t州3月17日电（记者"), starts_with_lead("据了解，本报讯")
    (True, False)
    """
    text = text.lstrip()
    w = words()
    return text[:1] in w.lead_first and bool(w.lead.match("".join(text.split())))


def is_bare_lead(text: str) -> bool:
    """Whether ``text`` is a lead formula and its reporters and nothing else: the opening
    of a paragraph whose body the column pushed to the next lines.

    >>> is_bare_lead("新华社成都5月23日电"), is_bare_lead("本报讯（记者邹明强）")
    (True, True)
    >>> is_bare_lead("本报讯（记者邹明强）湖北"), is_bare_lead("本报记者 张三")
    (False, False)
    """
    text = "".join(text.split())
    w = words()
    if text[:1] not in w.lead_first or not (match := w.lead.match(text)):
        return False
    rest = text[match.end() :]
    paren = LEAD_PAREN_RE.match(rest)
    return not rest or (paren is not None and paren.end() == len(rest))


def is_lead_line(text: str) -> bool:
    """Whether a whole line is a lead of its own: 本报记者 张三, 本报通讯员 陈有会 汤永红.

    >>> is_lead_line("本报通讯员 陈有会 汤永红"), is_lead_line("本报讯 连续5年")
    (True, False)
    """
    text = text.strip()
    return text[:1] in words().role_first and bool(words().lead_line.match(text))


def is_byline(text: str) -> bool:
    """Whether a whole line is a closing byline: （孙富常）, （记者 张三）, （完）.

    >>> is_byline("（孙富常）"), is_byline("(李丰)"), is_byline("（征求意见稿）。")
    (True, True, False)
    """
    text = text.strip()
    return (
        text[:1] in BYLINE_FIRST
        and text.endswith(_BYLINE_ENDS)
        and bool(words().byline.fullmatch(text))
    )


def has_credit(text: str) -> bool:
    """Whether a line or paragraph ends with a photo credit: "…倪树斌 摄", "新华社发".

    >>> has_credit("图为选手们正在进行“毛毛虫”竞速比赛。倪树斌 摄"), has_credit("正在拍摄")
    (True, False)
    """
    text = text.rstrip()  # a long paragraph is rejected before it is copied
    w = words()
    return bool(text) and text[-1] in w.credit_last and bool(w.credit.search(text.lstrip()))


def is_credit_line(text: str) -> bool:
    """Whether a whole line is a photo credit: "新华社记者 谭山薇 摄", "倪树斌 摄".

    >>> is_credit_line("新华社记者 谭山薇 摄"), is_credit_line("图为比赛现场。倪树斌 摄")
    (True, False)
    >>> is_credit_line("范婷家摄"), is_credit_line("组织拍摄")
    (True, False)
    """
    text = text.strip()
    # The leftmost match starts at 0 exactly when the pattern matches at 0.
    w = words()
    return bool(text) and text[-1] in w.credit_last and bool(w.credit.match(text))


def opens_caption(text: str) -> bool:
    """Whether ``text`` opens a photo caption: 图为… (圖為… in Traditional).

    >>> opens_caption("图为比赛现场。"), opens_caption("圖為比賽現場。"), opens_caption("地图为")
    (True, True, False)
    """
    return words().caption_start.match(text) is not None


def is_kicker_like(text: str, max_phrase: int) -> bool:
    """Whether a heading line is short phrases set apart by a space, as kickers (引题) are.

    A phrase longer than ``max_phrase`` characters (``headline.max_kicker_phrase`` of the lines and
    segment configs) is a clause with a stray space in it (OCR and PDF extraction put
    spaces between characters), not a kicker's slogan; so is a line with a clause mark, as
    the spaces are what sets a kicker's phrases apart.

    >>> is_kicker_like("抓落实 见实效", 10), is_kicker_like("贵阳市总重点培育农民工创业", 10)
    (True, False)
    >>> is_kicker_like("要求日志守护进程将所有未写入磁盘的 日志数据刷写到", 10)
    False
    >>> is_kicker_like("写模糊 过滤器，使用了", 10)
    False
    """
    text = text.strip()
    return (
        (" " in text or "\u3000" in text)
        and not any(mark in text for mark in "，,、；;：:")
        and bool(_KICKER_SPACE_RE.search(text))
        and all(len(phrase) <= max_phrase for phrase in text.split())
    )


def is_heading_shaped(text: str, max_width: float) -> bool:
    """Whether a line could be a headline, kicker or deck: short, no sentence inside it.

    A headline has no terminal punctuation, at most one comma, does not end in a comma,
    colon or dash, and is not a lead, byline, credit or furniture line.

    >>> is_heading_shaped("湖北推出产业工人队伍建设改革方案", 32)
    True
    >>> is_heading_shaped("据了解，改革举措坚持问题导", 32), is_heading_shaped("调和组织推进。", 32)
    (False, False)
    """
    text = text.strip()
    if not text or _half_count(text) > max_width:
        return False
    if text[-1] in HEADING_NEVER_LAST:
        return False
    if line_width(text) > max_width or ends_sentence(text):
        return False
    if _SENTENCE_MARK_RE.search(text):
        return False
    if len(_CLAUSE_MARK_RE.findall(text)) > 1 or words().connective.match(text):
        return False
    if any(text.count(left) != text.count(right) for left, right in BRACKET_PAIRS):
        return False  # an open bracket: the sentence goes on
    return not (
        is_lead(text) or is_byline(text) or has_credit(text) or furniture_rule(text) is not None
    )
