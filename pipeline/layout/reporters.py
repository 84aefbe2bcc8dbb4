"""The reporters a story names: read from its lead (本报讯（记者李玉波 通讯员云龙）), a lead
line of its own (本报记者 张三) or a Taiwan paper's slash lead (〔记者王小明／台北报导〕).
"""

from __future__ import annotations

import re

from pipeline.layout.shapes import is_lead_line
from pipeline.layout.words import LEAD_PAREN_RE, words
from pipeline.text import HAN_RANGES

_NAME_RE = re.compile(f"^[{HAN_RANGES}\N{MIDDLE DOT}]{{2,5}}$")
_NAME_SEPARATORS = "[\\s\N{IDEOGRAPHIC COMMA}\N{IDEOGRAPHIC SPACE}]+"


def read_reporters(lead: str) -> tuple[str, ...]:
    """Names in a lead: 本报讯（记者李玉波 通讯员云龙） -> ('李玉波', '云龙').

    >>> read_reporters("本报讯（记者叶小钟 实习生刘楚冰 通讯员温美春 陈聪）近日")
    ('叶小钟', '刘楚冰', '温美春', '陈聪')
    >>> read_reporters("〔記者王小明、李大同／台北報導〕行政院")
    ('王小明', '李大同')
    >>> read_reporters("本报讯（记者曹裕邦通讯员韩露）"), read_reporters("本 报记者 龙芬伟 郭辉辉")
    (('曹裕邦', '韩露'), ('龙芬伟', '郭辉辉'))
    >>> read_reporters("本报讯（记者郝朗\t浩 通讯员谭启美）")
    ('郝朗浩', '谭启美')

    Names in a Taiwan wire lead run into the place (中央社記者王小明台北5日電): not read.
    """
    if is_lead_line(lead):
        listed = lead
    elif slash := words().slash_reporters.match(lead):
        listed = slash.group(1)
    elif (rest := _after_lead(lead)) is not None and (paren := LEAD_PAREN_RE.match(rest)):
        listed = paren.group(1)
    else:
        return ()
    # Names are read between roles, each role cut out whole: one cut by a stray space
    # (记 者李玉波) would leave 者李玉波.
    names = (
        name
        for between in words().roles.split(listed)
        for name in _mend_names(re.split(_NAME_SEPARATORS, between.strip()))
    )
    return tuple(name for name in names if _NAME_RE.match(name))


def _mend_names(parts: list[str]) -> list[str]:
    """Names with a stray space put back together: no name is one character, so a lone one
    joins a lone neighbour (李 四), else a two-character name before it (郝朗 浩), else the
    name after it (王 小明). A guess: 张三 王 小明 gives 张三王, 小明.

    >>> _mend_names(["郝朗", "浩", "张三丰", "李", "四"]), _mend_names(["王", "小明", "张三"])
    (['郝朗浩', '张三丰', '李四'], ['王小明', '张三'])
    """
    names: list[str] = []
    carried = ""
    for i, part in enumerate(parts):
        part = carried + part
        carried = ""
        lone_next = i + 1 < len(parts) and len(parts[i + 1]) == 1
        if len(part) == 1 and not lone_next and names and len(names[-1]) == 2:
            names[-1] += part
        elif len(part) == 1 and i + 1 < len(parts):
            carried = part
        else:
            names.append(part)
    return names


def _after_lead(text: str) -> str | None:
    """What follows the lead formula that opens ``text``, or None without one. The formula
    is found as ``layout.starts_with_lead`` finds it, blanks inside ignored (新华社乌鲁木
    齐6月16日电); what follows keeps its blanks, which part reporters' names.

    >>> _after_lead("本报 讯 （记者吴进腾 李四）返回"), _after_lead("据了解，")
    ('（记者吴进腾 李四）返回', None)
    """
    match = words().lead.match("".join(text.split()))
    if match is None:
        return None
    seen = 0  # non-blank characters of the formula passed so far
    for i, char in enumerate(text):
        if seen == match.end():
            return text[i:].lstrip()
        seen += not char.isspace()
    return ""
