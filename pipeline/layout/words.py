"""The words the layout rules read, in both scripts, built on first use.

Lead formulas (本报讯, 新华社…电), roles (记者, 通讯员), photo credits (摄, 新华社发),
closing bylines, staff lines (责任编辑), connectives (据了解), function words (的, 与, 对):
every pattern is written here once, in Simplified, and widened with the Traditional forms
OpenCC gives (``pipeline.text.scripts``), so a page kept in Traditional script
(``convert.config = "none"``) reads as well as a converted one. Widening needs three
OpenCC converters (about 0.1 s), so :func:`words` builds everything the first time a page
is read, not when the package is imported.

Every pattern is a signal, not a verdict (NEWSPAPER-CONVENTIONS.md): callers combine them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.text import (
    CLOSING_MARKS,
    HAN_RANGES,
    TERMINAL_PUNCTUATION,
    compile_either,
    either_script,
    either_script_chars,
)


def spaced(*words: str) -> str:
    """A pattern: an alternation of ``words`` that allows one stray space between their
    characters (extraction puts spaces inside words: 本 报记者).

    >>> spaced("记者", "本报")
    '(?:记 ?者|本 ?报)'
    """
    return "(?:" + "|".join(" ?".join(word) for word in words) + ")"


# A name in a byline or lead: two to five Han characters (with a middle dot for foreign ones)...
_NAME = f"[{HAN_RANGES}\N{MIDDLE DOT}]{{2,5}}"
# ...and as bylines and credits print it: extraction puts stray spaces inside (叶颖 乐).
_SPACED_NAME = f"[{HAN_RANGES}\N{MIDDLE DOT}](?: ?[{HAN_RANGES}\N{MIDDLE DOT}]){{1,4}}"
_OPEN = "[\N{FULLWIDTH LEFT PARENTHESIS}(]"
_CLOSE = "[\N{FULLWIDTH RIGHT PARENTHESIS})]"
_ENDS = re.escape(TERMINAL_PUNCTUATION)
_CLOSES = re.escape(CLOSING_MARKS)
# A reporter's role (本报记者, 新华社特约记者, 通讯员), stray spaces allowed (本 报记者).
_ROLE = (
    f"(?:{spaced('本报', '新华社', '中新社')} ?)?(?:{spaced('特约', '见习', '实习', '摄影')} ?)?"
    f"{spaced('记者', '通讯员', '实习生')}"
)
_NAMES = (
    f"(?:{_ROLE}[ \u3000]*)?{_SPACED_NAME}(?:[ \u3000、]+(?:{_ROLE}[ \u3000]*)?{_SPACED_NAME})*"
)
# A closing byline in brackets: （孙富常） （记者 张三） （完）.
_BYLINE = f"{_OPEN}[ \u3000]*(?:完|{_NAMES})[ \u3000]*{_CLOSE}"
# Lead formulas (电头) that open a story's first paragraph.
_LEAD = (
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
# The reporters' parenthesis right after a lead formula: （记者李玉波 通讯员云龙）. It names
# no word, so it needs no widening and is compiled at once.
LEAD_PAREN_RE = re.compile(f"^{_OPEN}([^（）()]{{1,60}}){_CLOSE}")
# A photo credit at the end of a caption: "…比赛。倪树斌 摄", "新华社发".
_CREDIT = (
    # 倪树斌摄 after a sentence, or alone where the column cut it off (not 正在拍摄)
    f"(?:(?:^|(?<=[{_ENDS}{_CLOSES}])){_SPACED_NAME}(?<!拍)摄"
    f"|(?:^|(?<=[{_ENDS}{_CLOSES} \u3000]))(?:{_ROLE}[ \u3000]*)?{_SPACED_NAME}[ \u3000]+摄"
    f"|(?:^|(?<=[{_ENDS}{_CLOSES} \u3000])){spaced('新华社', '中新社')}"
    f"(?: ?{spaced('记者')}[ \u3000]*{_SPACED_NAME}[ \u3000]*)? ?发)$"
)
_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_WEEKDAY = "(?:星期|周)[一二三四五六日天]"
# Page furniture recognised by its shape alone, whatever the paper (named rules).
# Numbers in Chinese numerals, as old running heads print dates and pages (民國九年四月三日).
_CN_NUMBER = "[〇零一二三四五六七八九十百]{1,4}"
_FURNITURE = (
    ("page_number", r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第?\s*\d{1,3}\s*版(?:\s+\S{1,8})?)$"),
    # 第三版　民國九年四月三日: an old paper's page and date (Republican era)
    ("page_number", f"^第{_CN_NUMBER}版(?:[ \u3000]+\\S{{1,20}})?$"),
    ("running_head", f"民國{_CN_NUMBER}年{_CN_NUMBER}月{_CN_NUMBER}日"),
    (
        "staff",
        "^(?:责任编辑|责编|美编|校对|版式|本版编辑|本版责编|图片编辑|编辑|本版邮箱|投稿邮箱)"
        "[：:]\\s*\\S",
    ),
    ("running_head", rf"{_DATE}.{{0,20}}{_WEEKDAY}"),
    ("running_head", rf"{_WEEKDAY}.{{0,20}}{_DATE}"),
    # a paper's name and the date, perhaps its editors after them (贵阳都市报  2017年12月4日,
    # 合肥青年报  2019年11月14日  责任编辑:袁翠山  美编:叶武锦): a line of its own
    ("running_head", rf"^\S{{2,12}}[ \u3000]+{_DATE}(?:[ \u3000]+.{{0,30}})?$"),
    ("running_head", rf"{_DATE}.{{0,30}}(?:责任编辑|责编|美编)[：:]"),
    ("jump", f"^{_OPEN}?(?:下转|上接|转|接)第?\\s*\\d{{1,3}}\\s*版{_CLOSE}?$"),
)


@dataclass(frozen=True, slots=True)
class Words:
    """Every pattern and character set of the layout rules, in both scripts."""

    byline: re.Pattern[str]  # a closing byline in brackets, the whole line
    inline_byline: re.Pattern[str]  # a sentence end, then a byline: "…下猛力。（李丰）"
    lead: re.Pattern[str]  # a lead formula opening a paragraph, blanks removed
    lead_line: re.Pattern[str]  # a lead on a line of its own: 本报记者 张三
    roles: re.Pattern[str]  # every role in a line (本报记者 张三 通讯员 李四)
    credit: re.Pattern[str]  # a photo credit ending a caption
    connective: re.Pattern[str]  # 此外，据了解，…: a paragraph continuing something said
    caption_start: re.Pattern[str]  # 图为: a photo caption opens so
    furniture: tuple[tuple[str, re.Pattern[str]], ...]  # (rule, shape) of page furniture
    furniture_any: re.Pattern[str]  # their union: one search finds that none matches
    weekday: re.Pattern[str]  # the day of 星期一 / 周一, masked in furniture keys
    slash_reporters: re.Pattern[str]  # 〔記者王小明／台北報導〕: reporters before the slash
    end_mark: re.Pattern[str]  # reporters only (本报记者 张三): maybe a story's end mark
    certainly: re.Pattern[str]  # 的确 may open a paragraph; 的 alone may not
    # What a match must end or start with, so that a predicate rejects a line in constant
    # time (tests/test_lines.py derives them from the patterns: they cannot drift apart).
    credit_last: str  # credit: every alternative ends with 摄 or 发
    lead_first: str  # lead, blanks removed
    role_first: str  # lead_line: it opens with a role
    # Words that cannot end a headline (…农民工的 / 和): a line ending with one runs on...
    function_end: str
    # ...and particles that cannot start one: a line starting with one is a line's rest.
    function_start: str


@functools.cache
def words() -> Words:
    """The layout rules' words, built once per process on first use.

    >>> bool(words().lead.match("本報訊（記者邹明强）")), "攝" in words().credit_last
    (True, True)
    """
    byline = compile_either(_BYLINE)
    furniture = tuple((name, compile_either(pattern)) for name, pattern in _FURNITURE)
    return Words(
        byline=byline,
        inline_byline=re.compile(f"([{_ENDS}][{_CLOSES}]*)[ \u3000]*({byline.pattern})$"),
        lead=compile_either(_LEAD),
        lead_line=compile_either(f"^{_ROLE}(?:[ \u3000]+(?:{_ROLE}[ \u3000]*)?{_NAME})+$"),
        roles=compile_either(_ROLE),
        credit=compile_either(_CREDIT),
        connective=compile_either(
            "^(?:此外|同时|另外|与此同时|据了解|据介绍|记者了解到|值得一提的是|另据|此前|对此"
            "|然而|但是)[，,]"
        ),
        caption_start=compile_either("图为"),
        furniture=furniture,
        furniture_any=re.compile("|".join(f"(?:{p.pattern})" for _, p in furniture)),
        weekday=compile_either("(?<=星期)[一二三四五六日天]|(?<=周)[一二三四五六日天]"),
        slash_reporters=compile_either("^[〔［\\[]?记者([^／/〕］\\]]{2,24})[／/]"),
        end_mark=compile_either(
            f"^(?:{spaced('本报')} ?)?{spaced('记者')}"
            "(?:[ \u3000]+(?!(?:本报)?(?:通讯员|实习生|特约|见习))[^ \u3000]+)+$"
        ),
        certainly=re.compile(either_script("的确")),
        credit_last=either_script_chars("摄发"),
        lead_first=either_script_chars("本新中人央光据（(【〔［[记"),
        role_first=either_script_chars("本新中特见实摄记通"),
        function_end=either_script_chars("的地得和与及或在把被对从向将由之其并而但于"),
        function_start=either_script_chars("的地得了着过之"),
    )
