"""A page's date and page (版) number, read from a record, a path or the running head.

Reprint studies compare copies within a window of time, and a story continued on another
page is joined only within one issue (same paper, same date): both need the date. It is
taken, in this order, from a record's date field (JSONL/Parquet inputs), from the path
(``2020-06-30`` or ``20200630`` in a file or folder name, the nearest to the file first),
or from the page's running head (``工人日报 2017年8月28日 星期一``, Republican-era
``第三版　民國九年四月三日``: 民国 N = 1911 + N). The page number comes from the file
name (``-p03``, ``page3``, ``第3版``) or the running head (``第3版``).

What this module leaves alone: the text (dates are read, never removed; the running head
is page furniture that segmentation removes), and dates in story text, which are not the
issue's (only the first and last ``HEAD_LINES`` lines are read).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import PurePosixPath

from pipeline.config import InputConfig
from pipeline.document import Document, Stats

HEAD_LINES = 4  # lines read at each end of a page for the running head
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_CN = "〇零○一二三四五六七八九十"
_PATH_DATE_RE = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
_HEAD_DATE_RE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE_RE = re.compile(f"([{_CN}]{{4}})年([{_CN}]{{1,3}})月([{_CN}]{{1,3}})日")
_REPUBLIC_RE = re.compile(
    f"民[國国]\\s*([{_CN}\\d]{{1,3}})\\s*年\\s*([{_CN}\\d]{{1,3}})\\s*月"
    f"\\s*([{_CN}\\d]{{1,3}})\\s*日"
)
_PATH_PAGE_RE = re.compile(r"(?:^|[^a-z])(?:p|pg|page)[-_]?0*(\d{1,3})(?![\d])", re.IGNORECASE)
_PAGE_RE = re.compile(f"第\\s*([{_CN}]{{1,3}}|\\d{{1,3}})\\s*版|(?<![\\d.])(\\d{{1,3}})\\s*版")
REPUBLIC_EPOCH = 1911  # 民国元年 = 1912


def cn_number(text: str) -> int | None:
    """A number written in digits or Chinese numerals (positional or with 十).

    >>> [cn_number(n) for n in ("三", "十四", "二十", "一九九〇", "12")]
    [3, 14, 20, 1990, 12]
    """
    if text.isdigit() and text.isascii():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if not all(c in _CN_DIGITS for c in tens + ones):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if text and all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    return None


def iso_date(year: int | None, month: int | None, day: int | None) -> str | None:
    """``YYYY-MM-DD`` when the three make a real date between 1800 and 2199, else None.

    >>> iso_date(2020, 6, 30), iso_date(2020, 2, 30), iso_date(98, 1, 1)
    ('2020-06-30', None, None)
    """
    if year is None or month is None or day is None or not 1800 <= year < 2200:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """A record's date value as ISO, or None: ``2020-06-30``, ``2020/6/30``, ``20200630``,
    a datetime string (the time is dropped), ``2020年6月30日``.

    >>> parse_date("2020-06-30T08:00:00Z"), parse_date("20200630"), parse_date("2020年6月30日")
    ('2020-06-30', '2020-06-30', '2020-06-30')
    >>> parse_date("June"), parse_date(None), parse_date(20200630)
    (None, None, '2020-06-30')
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if m := re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", text):
        return iso_date(*map(int, m.groups()))
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text):
        return iso_date(*map(int, m.groups()))
    return read_date(text)


def date_in_path(path: str) -> str | None:
    """The date in a file or folder name (``YYYY-MM-DD``, ``YYYY_MM_DD``, ``YYYYMMDD``),
    the file's own name first, then its folders from the nearest up.

    >>> date_in_path("gongren/2017-08-28-page.txt"), date_in_path("1990/19900101/p01.txt")
    ('2017-08-28', '1990-01-01')
    >>> date_in_path("scan-12345678.txt") is None
    True
    """
    for part in reversed(PurePosixPath(path).parts):
        for m in _PATH_DATE_RE.finditer(part):
            found = iso_date(int(m[1]), int(m[3]), int(m[4]))
            if found:
                return found
    return None


def read_date(text: str) -> str | None:
    """The first date in the running head of ``text`` (its first and last few lines):
    ``2017年8月28日``, ``一九九〇年一月一日``, ``民國九年四月三日``.

    >>> read_date("工人日报 2017年8月28日 星期一\\n正文"), read_date("第三版　民國九年四月三日")
    ('2017-08-28', '1920-04-03')
    """
    for line in _head_lines(text):
        if m := _HEAD_DATE_RE.search(line):
            return iso_date(int(m[1]), int(m[2]), int(m[3]))
        if m := _CN_DATE_RE.search(line):
            return iso_date(cn_number(m[1]), cn_number(m[2]), cn_number(m[3]))
        if m := _REPUBLIC_RE.search(line):
            year = cn_number(m[1])
            if year is not None:
                return iso_date(REPUBLIC_EPOCH + year, cn_number(m[2]), cn_number(m[3]))
    return None


def page_in_path(path: str) -> int | None:
    """The page number in a file name: ``-p03``, ``_page3``, ``p2``, ``第3版``, ``03版``.

    >>> page_in_path("paper/20170828-p03.txt"), page_in_path("b/第2版.txt"), page_in_path("a.txt")
    (3, 2, None)
    """
    stem = PurePosixPath(path).name
    if m := _PATH_PAGE_RE.search(stem):
        return int(m[1])
    if m := _PAGE_RE.search(stem):
        return cn_number(m[1] or m[2])
    return None


def read_page(text: str) -> int | None:
    """The page number in the running head of ``text``: ``第3版``, ``第三版``, ``3版``.

    >>> read_page("工人日报 2017年8月28日 第3版 要闻\\n正文"), read_page("正文。")
    (3, None)
    """
    for line in _head_lines(text):
        if len(line) <= 60 and (m := _PAGE_RE.search(line)):
            return cn_number(m[1] or m[2])
    return None


def _head_lines(text: str) -> list[str]:
    """The first and last ``HEAD_LINES`` non-blank lines, first ones first."""
    head: list[str] = []
    for line in text.split("\n", 64)[:64]:
        if line.strip():
            head.append(line)
            if len(head) == HEAD_LINES:
                break
    tail: list[str] = []
    for line in reversed(text[-4096:].split("\n")):
        if line.strip():
            tail.append(line)
            if len(tail) == HEAD_LINES:
                break
    return [*head, *(line for line in tail if line not in head)]


def date_pages(docs: Iterable[Document], cfg: InputConfig, stats: Stats) -> Iterator[Document]:
    """Stage: each page's ``date`` and ``page`` number.

    A record input's date is its ``input.date_field`` (carried in ``extra``; an
    unreadable value counts as none). Counts where the dates came from under
    ``date.record``, ``date.path``, ``date.head`` and ``date.none``.
    """
    for doc in docs:
        date, how = doc.date, "record"
        if date is None and doc.extra and cfg.date_field:
            date = parse_date(json.loads(doc.extra).get(cfg.date_field))
        if date is None:
            date, how = date_in_path(doc.source), "path"
        if date is None:
            date, how = read_date(doc.text), "head"
        stats.events[f"date.{how if date else 'none'}"] += 1
        page = page_in_path(doc.source) or read_page(doc.text)
        yield doc if (date, page) == (doc.date, doc.page) else replace(doc, date=date, page=page)
