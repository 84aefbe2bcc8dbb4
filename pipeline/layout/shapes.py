"""What the lines of a newspaper page look like: shared by line repair and segmentation.

Tables, small predicates and page furniture; no stage. ``pipeline.layout.lines`` decides which
line breaks are column wraps (转栏) and ``pipeline.layout.segment`` cuts pages into stories; both
must agree on what a lead (电头), a byline, a photo credit or a running head looks like, so
those definitions live here once, like the character tables of ``pipeline.text.chars``. The
furniture functions (survey candidates, learning per folder, removal) are in
``pipeline.layout.furniture``, which ``pipeline.layout.segment`` re-exports;
``pipeline.layout.facts`` asks these predicates of a whole page's lines at once.

Every pattern is a signal, not a verdict (NEWSPAPER-CONVENTIONS.md): callers combine them.
"""

from __future__ import annotations

import re

from pipeline.text.chars import CLOSING_MARKS, HAN_RANGES, TERMINAL_PUNCTUATION
from pipeline.text.scripts import compile_either, either_script_chars

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
# A closing byline in brackets: （孙富常） （记者 张三） （完）.
_NAME = f"[{HAN_RANGES}\N{MIDDLE DOT}]{{2,5}}"
# ...and as bylines and credits print it: extraction puts stray spaces inside (叶颖 乐).
_SPACED_NAME = f"[{HAN_RANGES}\N{MIDDLE DOT}](?: ?[{HAN_RANGES}\N{MIDDLE DOT}]){{1,4}}"
_OPEN = "[\N{FULLWIDTH LEFT PARENTHESIS}(]"
_CLOSE = "[\N{FULLWIDTH RIGHT PARENTHESIS})]"


def spaced(*words: str) -> str:
    """A pattern: an alternation of ``words`` that allows one stray space between their
    characters (extraction puts spaces inside words: 本 报记者).

    >>> spaced("记者", "本报")
    '(?:记 ?者|本 ?报)'
    """
    return "(?:" + "|".join(" ?".join(word) for word in words) + ")"


# A reporter's role (本报记者, 新华社特约记者, 通讯员), stray spaces allowed (本 报记者).
_ROLE = (
    f"(?:{spaced('本报', '新华社', '中新社')} ?)?(?:{spaced('特约', '见习', '实习', '摄影')} ?)?"
    f"{spaced('记者', '通讯员', '实习生')}"
)
_NAMES = (
    f"(?:{_ROLE}[ \u3000]*)?{_SPACED_NAME}(?:[ \u3000、]+(?:{_ROLE}[ \u3000]*)?{_SPACED_NAME})*"
)
BYLINE_RE = compile_either(f"{_OPEN}[ \u3000]*(?:完|{_NAMES})[ \u3000]*{_CLOSE}")
# A paragraph that ends a sentence and then a byline: "…下猛力。（李丰）".
_ENDS = re.escape(TERMINAL_PUNCTUATION)
_CLOSES = re.escape(CLOSING_MARKS)
INLINE_BYLINE_RE = re.compile(f"([{_ENDS}][{_CLOSES}]*)[ \u3000]*({BYLINE_RE.pattern})$")
# Lead formulas (电头) that open a story's first paragraph. Every pattern below is written
# in Simplified and matches Traditional too (``pipeline.text.scripts.compile_either``).
LEAD_RE = compile_either(
    "^(?:本报[^\\s，。、（(]{0,12}?讯"
    # 本报北京8月27日电: a place and a date, not a role (本报记者电话…)
    "|本报(?!记者|通讯员|特约|见习|实习)[^\\s，。、（(\\d]{0,6}?(?:\\d{1,2}月\\d{1,2}日)?电"
    "|(?:新华社|中新社|人民网|新华网|中新网|央视网|光明网)"
    "[^\\s，。、（(]{0,16}?(?:电|$)"  # a wrap may cut the formula: 中新社乌鲁木齐11月4|日电
    "|据(?:新华社|中新社|人民网)[^\\s，。、]{0,8}?电"
    # Taiwan and Hong Kong: （中央社记者王小明台北5日电）, 【明报专讯】 【本报讯】,
    # 〔记者王小明／台北报导〕 and 记者王小明／台北报导 (reporters before the slash)
    "|[（(]中央社[^\\s，。（()）]{0,24}?(?:电|报导)[）)]"
    "|【[^\\s】]{0,8}(?:讯|报道)】"
    "|[〔［\\[]?记者[^\\s，。／/〕］\\]]{2,24}[／/][^\\s，。〕］\\]]{1,10}?报导[〕］\\]]?)"
)
# A lead on a line of its own: 本报记者 张三 / 本报通讯员 陈有会 汤永红.
LEAD_LINE_RE = compile_either(f"^{_ROLE}(?:[ \u3000]+(?:{_ROLE}[ \u3000]*)?{_NAME})+$")
ROLES_RE = compile_either(_ROLE)  # every role in a line (本报记者 张三 通讯员 李四)
# The reporters' parenthesis right after a lead formula: （记者李玉波 通讯员云龙）.
LEAD_PAREN_RE = re.compile(f"^{_OPEN}([^（）()]{{1,60}}){_CLOSE}")
# A photo credit at the end of a caption: "…比赛。倪树斌 摄", "新华社发".
CREDIT_RE = compile_either(
    # 倪树斌摄 after a sentence, or alone where the column cut it off (not 正在拍摄)
    f"(?:(?:^|(?<=[{_ENDS}{_CLOSES}])){_SPACED_NAME}(?<!拍)摄"
    f"|(?:^|(?<=[{_ENDS}{_CLOSES} \u3000]))(?:{_ROLE}[ \u3000]*)?{_SPACED_NAME}[ \u3000]+摄"
    f"|(?:^|(?<=[{_ENDS}{_CLOSES} \u3000])){spaced('新华社', '中新社')}"
    f"(?: ?{spaced('记者')}[ \u3000]*{_SPACED_NAME}[ \u3000]*)? ?发)$"
)
# Connectives that open a paragraph continuing something said before (NEWSPAPER-CONVENTIONS).
CONNECTIVE_RE = compile_either(
    "^(?:此外|同时|另外|与此同时|据了解|据介绍|记者了解到|值得一提的是|另据|此前|对此|然而|但是)"
    "[，,]"
)
# A photo caption opens with 图为 ("the picture shows").
_CAPTION_START_RE = compile_either("图为")
# Page furniture recognised by its shape alone, whatever the paper (named rules).
FURNITURE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "page_number",
        re.compile(r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第?\s*\d{1,3}\s*版(?:\s+\S{1,8})?)$"),
    ),
    (
        "staff",
        compile_either(
            "^(?:责任编辑|责编|美编|校对|版式|本版编辑|本版责编|图片编辑|编辑|本版邮箱|投稿邮箱)"
            "[：:]\\s*\\S"
        ),
    ),
    (
        "running_head",
        compile_either(
            r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,20}(?:星期|周)[一二三四五六日天]"
        ),
    ),
    (
        "running_head",
        compile_either(
            r"(?:星期|周)[一二三四五六日天].{0,20}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
        ),
    ),
    (
        "jump",
        compile_either(f"^{_OPEN}?(?:下转|上接|转|接)第?\\s*\\d{{1,3}}\\s*版{_CLOSE}?$"),
    ),
)
# Brackets a headline never leaves open. Quotes are not checked: a headline cut from a
# longer phrase keeps an unpaired “ or 「 often enough (and the bench generator does it).
BRACKET_PAIRS = (("\N{FULLWIDTH LEFT PARENTHESIS}", "\N{FULLWIDTH RIGHT PARENTHESIS}"), ("(", ")"))
MAX_FURNITURE_WIDTH = 40  # a furniture line is short: running heads, page numbers, staff
EDGE_LINES = 4  # furniture stands within this many non-blank lines of the page's top or bottom
_DIGITS_RE = re.compile(r"\d+")
_WEEKDAY_RE = compile_either("(?<=星期)[一二三四五六日天]|(?<=周)[一二三四五六日天]")
_SPACES_RE = re.compile(r"\s+")
_KICKER_SPACE_RE = re.compile(f"[{HAN_RANGES}”」][ \u3000]+[{HAN_RANGES}“「]")
# The predicates below run on every line and paragraph of every page, so each one first
# rejects in constant time what its pattern cannot match, with the same answer; the
# per-page index of ``pipeline.layout.page`` sorts a page's lines by the same tables before
# it calls them. What a match must start or end with (tests/test_lines.py derives these
# from the patterns, so that they cannot drift apart):
CREDIT_LAST = either_script_chars("摄发")  # CREDIT_RE: every alternative ends with one of them
BYLINE_FIRST = "\N{FULLWIDTH LEFT PARENTHESIS}("  # BYLINE_RE, a whole line
BYLINE_LAST = "\N{FULLWIDTH RIGHT PARENTHESIS})"  # BYLINE_RE and INLINE_BYLINE_RE
LEAD_FIRST = either_script_chars("本新中人央光据（(【〔［[记")  # LEAD_RE, blanks removed
ROLE_FIRST = either_script_chars("本新中特见实摄记通")  # LEAD_LINE_RE: opens with a role
# A line that ends a sentence ends with one of these; a headline never ends with these.
SENTENCE_LAST = TERMINAL_PUNCTUATION + CLOSING_MARKS
HEADING_NEVER_LAST = "，、：,:;-—" + NO_LINE_END
_CREDIT_ENDS = tuple(CREDIT_LAST)
_BYLINE_ENDS = tuple(BYLINE_LAST)
# A character below U+2000 but TAB and LF counts half a width (see ``line_width``).
_NARROW_RE = re.compile("[\x00-\x08\x0b-\u1fff]")
_CHUNK = 1 << 16
# A furniture line matches at least one of the shape patterns: one search over their union
# finds that none does.
FURNITURE_ANY_RE = re.compile("|".join(f"(?:{p.pattern})" for _, p in FURNITURE_PATTERNS))
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
    """``INLINE_BYLINE_RE.search(text)``, without scanning a long paragraph that cannot end
    with a byline: "…下猛力。（李丰）" -> group 1 "。", group 2 "（李丰）".

    >>> inline_byline("下猛力。（李丰）").groups(), inline_byline("下猛力。")
    (('。', '（李丰）'), None)
    """
    if not text.endswith(_BYLINE_ENDS):
        return None
    return INLINE_BYLINE_RE.search(text, _byline_start(text))


def _byline_start(text: str) -> int:
    """Where a match of INLINE_BYLINE_RE in ``text`` can start at the earliest.

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
    if not FURNITURE_ANY_RE.search(line):
        return None
    for name, pattern in FURNITURE_PATTERNS:
        if pattern.search(line):
            return name
    return None


def furniture_key(line: str) -> str:
    """The form of a line that stays the same from page to page: numbers and weekdays masked.

    >>> furniture_key("工人日报  2017年8月28日 星期一")
    '工人日报 #年#月#日 星期#'
    """
    key = _WEEKDAY_RE.sub("#", _DIGITS_RE.sub("#", line.strip()))
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
    return text[:1] in LEAD_FIRST and bool(LEAD_RE.match("".join(text.split())))


def is_bare_lead(text: str) -> bool:
    """Whether ``text`` is a lead formula and its reporters and nothing else: the opening
    of a paragraph whose body the column pushed to the next lines.

    >>> is_bare_lead("新华社成都5月23日电"), is_bare_lead("本报讯（记者邹明强）")
    (True, True)
    >>> is_bare_lead("本报讯（记者邹明强）湖北"), is_bare_lead("本报记者 张三")
    (False, False)
    """
    text = "".join(text.split())
    if text[:1] not in LEAD_FIRST or not (match := LEAD_RE.match(text)):
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
    return text[:1] in ROLE_FIRST and bool(LEAD_LINE_RE.match(text))


def is_byline(text: str) -> bool:
    """Whether a whole line is a closing byline: （孙富常）, （记者 张三）, （完）.

    >>> is_byline("（孙富常）"), is_byline("(李丰)"), is_byline("（征求意见稿）。")
    (True, True, False)
    """
    text = text.strip()
    return (
        text[:1] in BYLINE_FIRST and text.endswith(_BYLINE_ENDS) and bool(BYLINE_RE.fullmatch(text))
    )


def has_credit(text: str) -> bool:
    """Whether a line or paragraph ends with a photo credit: "…倪树斌 摄", "新华社发".

    >>> has_credit("图为选手们正在进行“毛毛虫”竞速比赛。倪树斌 摄"), has_credit("正在拍摄")
    (True, False)
    """
    text = text.rstrip()  # a long paragraph is rejected before it is copied
    return text.endswith(_CREDIT_ENDS) and bool(CREDIT_RE.search(text.lstrip()))


def is_credit_line(text: str) -> bool:
    """Whether a whole line is a photo credit: "新华社记者 谭山薇 摄", "倪树斌 摄".

    >>> is_credit_line("新华社记者 谭山薇 摄"), is_credit_line("图为比赛现场。倪树斌 摄")
    (True, False)
    >>> is_credit_line("范婷家摄"), is_credit_line("组织拍摄")
    (True, False)
    """
    text = text.strip()
    # The leftmost match starts at 0 exactly when the pattern matches at 0.
    return text.endswith(_CREDIT_ENDS) and bool(CREDIT_RE.match(text))


def opens_caption(text: str) -> bool:
    """Whether ``text`` opens a photo caption: 图为… (圖為… in Traditional).

    >>> opens_caption("图为比赛现场。"), opens_caption("圖為比賽現場。"), opens_caption("地图为")
    (True, True, False)
    """
    return _CAPTION_START_RE.match(text) is not None


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
    if len(_CLAUSE_MARK_RE.findall(text)) > 1 or CONNECTIVE_RE.match(text):
        return False
    if any(text.count(left) != text.count(right) for left, right in BRACKET_PAIRS):
        return False  # an open bracket: the sentence goes on
    return not (
        is_lead(text) or is_byline(text) or has_credit(text) or furniture_rule(text) is not None
    )
