"""Story truth: the parts of a newspaper story, built around real prose paragraphs.

The prose (body paragraphs) comes from ``bench.prose``; everything around it (names,
datelines, headlines, bylines, captions) is generated here from small tables of common
surnames, given-name characters and cities, following NEWSPAPER-CONVENTIONS.md. Text is
made in Simplified script; ``bench.generate`` converts it for Traditional papers.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from bench.prose import has_balanced_brackets

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"
    "顾毛郝龚邵万钱严覃武戴莫孔向汤倪"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方")
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力永健世广志义兴良海山"
    "仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子昌成康星光天达安岩中茂进林有坚和博诚"
    "先敬震振壮会思群豪心邦承乐绍功松善厚庆民友裕河哲江浩亮政谦奇翰朗宏鸣朋斌栋维启克伦翔"
    "旭鹏泽晨辰家致树德行时泰盛雄钧冠策腾楠风航弘慧巧美淑惠珠翠雅芝娥玲芬燕彩春菊凤洁梅琳"
    "素云莲雪荣爱香月媛瑞凡佳嘉琼勤珍莉晶妍秋珊锦青倩婷婉颖露瑶怡丹蓉君琴蕊薇梦岚馨韵悦冰"
)
CITIES = (
    "北京",
    "上海",
    "广州",
    "深圳",
    "武汉",
    "成都",
    "杭州",
    "南京",
    "西安",
    "重庆",
    "天津",
    "长沙",
    "郑州",
    "沈阳",
    "哈尔滨",
    "昆明",
    "南宁",
    "福州",
    "济南",
    "合肥",
    "南昌",
    "贵阳",
    "兰州",
    "呼和浩特",
    "乌鲁木齐",
    "太原",
    "石家庄",
    "海口",
    "银川",
    "西宁",
    "长春",
    "大连",
    "青岛",
    "厦门",
    "宁波",
    "苏州",
)
CONNECTIVES = (
    "此外，",
    "同时，",
    "另外，",
    "据了解，",
    "与此同时，",
    "记者了解到，",
    "值得一提的是，",
)
CLAUSE_SPLIT_RE = re.compile(r"[，。；：！？、,;:!?（）()]")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = "。！？"
QUOTES = '“”「」‘’『』《》（）()"'
NO_QUOTES_MAP = str.maketrans("", "", QUOTES)


@cache
def opencc_converter(config: str) -> Callable[[str], str]:
    """The ``convert`` method of one OpenCC converter per config (built once per process)."""
    import opencc  # deferred: only Traditional output needs it

    convert: Callable[[str], str] = opencc.OpenCC(config).convert
    return convert


def make_name(rng: random.Random) -> str:
    """A plausible Chinese personal name: surname plus one or two given-name characters.

    >>> len(make_name(random.Random(1))) in (2, 3, 4)
    True
    """
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.35 else 2))


@dataclass(frozen=True, slots=True)
class Lead:
    """A dateline/lead formula (电头) and the reporters it names."""

    text: str
    reporters: tuple[str, ...]
    own_line: bool  # printed on its own line above the body ("本报通讯员 陈有会 汤永红")


def make_lead(rng: random.Random, month: int, day: int, own_line: bool = False) -> Lead:
    """One lead formula, e.g. 本报讯（记者邹明强） or 新华社北京3月5日电（记者张三）."""
    a, b, c, d = (make_name(rng) for _ in range(4))
    city = rng.choice(CITIES)
    if own_line:
        options = [
            (f"本报记者 {a}", (a,)),
            (f"本报记者 {a} {b}", (a, b)),
            (f"本报通讯员 {a} {b}", (a, b)),
            (f"本报记者 {a} 通讯员 {b}", (a, b)),
        ]
        text, names = rng.choice(options)
        return Lead(text, names, True)
    options = [
        (f"本报讯（记者{a}）", (a,)),
        (f"本报讯（记者{a} 通讯员{b}）", (a, b)),
        (f"本报讯（记者{a} 实习生{b} 通讯员{c} {d}）", (a, b, c, d)),
        ("本报讯 ", ()),
        (f"新华社{city}{month}月{day}日电（记者{a}）", (a,)),
        (f"新华社{city}{month}月{day}日电（记者{a} {b}）", (a, b)),
        (f"中新社{city}{month}月{day}日电（记者 {a}）", (a,)),
        (f"中新社{city}{month}月{day}日电 ", ()),
        ("据新华社电 ", ()),
        (f"人民网{city}{month}月{day}日电（记者{a}）", (a,)),
    ]
    weights = [30, 18, 5, 8, 10, 4, 4, 3, 3, 3]
    text, names = rng.choices(options, weights)[0]
    return Lead(text, names, False)


def clauses(text: str) -> list[str]:
    """Clauses of a paragraph, split at Chinese and ASCII punctuation, stripped.

    >>> clauses("湖北省委、省政府日前下发方案，明确要求坚持党委统一领导。")
    ['湖北省委', '省政府日前下发方案', '明确要求坚持党委统一领导']
    """
    return [c.strip().strip("“”「」‘’《》") for c in CLAUSE_SPLIT_RE.split(text) if c.strip()]


def _hanlike(text: str) -> bool:
    chars = text.replace(" ", "")
    return bool(chars) and len(HAN_RE.findall(chars)) >= 0.8 * len(chars)


def trim_phrase(text: str, rng: random.Random, lo: int, hi: int) -> str:
    """Cut a clause to ``lo``-``hi`` characters at a Han character, never inside Latin.

    >>> trim_phrase("允许以较高安全性级别运行的宏也可以", random.Random(0), 6, 8)
    '允许以较高安全'
    """
    if len(text) <= hi:
        return text
    end = rng.randint(lo, hi)
    while end > lo and not HAN_RE.match(text[end - 1]):
        end -= 1
    return text[:end].strip()


@lru_cache(maxsize=256)
def _phrase_pool(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        c for p in paragraphs for c in clauses(p) if _hanlike(c) and has_balanced_brackets(c)
    )


def make_phrase(
    rng: random.Random, paragraphs: Sequence[str], lo: int, hi: int, exclude: Sequence[str] = ()
) -> str:
    """A short headline-like phrase (no terminal punctuation) taken from the paragraphs.

    Phrases in ``exclude`` (the story's other headings) are avoided when possible; quote
    marks left unpaired by trimming are removed.
    """
    pool = [c for c in _phrase_pool(tuple(paragraphs)) if c not in exclude]
    fitting = [c for c in pool if lo <= len(c) <= hi]
    if fitting:
        return rng.choice(fitting)
    longer = [c for c in pool if len(c) > hi]
    if longer:
        phrase = trim_phrase(rng.choice(longer), rng, lo, hi)
    else:
        han = "".join(HAN_RE.findall("".join(paragraphs))) or "本报消息"
        phrase = trim_phrase(han[rng.randrange(max(1, len(han) - hi)) :], rng, lo, hi)
    return phrase if has_balanced_brackets(phrase) else phrase.translate(NO_QUOTES_MAP)


def make_title(
    rng: random.Random, paragraphs: Sequence[str], quotes: float = 0.1, exclude: Sequence[str] = ()
) -> str:
    """A 6-20 character headline from the story's own prose, sometimes with a quoted term.

    >>> make_title(random.Random(3), ["内蒙古工会不断丰富困难职工帮扶救助形式，开展帮扶救助行动。"])
    '内蒙古工会不断丰富困难职工帮扶救助形式'
    """
    title = make_phrase(rng, paragraphs, 6, 20, exclude)
    if rng.random() < quotes and len(title) >= 8 and not any(ch in title for ch in QUOTES):
        start = rng.randint(2, len(title) - 4)
        end = min(len(title), start + rng.randint(2, 5))
        if HAN_RE.match(title[start]) and HAN_RE.match(title[end - 1]):
            title = f"{title[:start]}“{title[start:end]}”{title[end:]}"
    return title


def make_kicker(
    rng: random.Random,
    paragraphs: Sequence[str],
    exclude: Sequence[str] = (),
) -> str:
    """Two short phrases separated by a space, like 抓落实 见实效."""
    first = make_phrase(rng, paragraphs, 3, 8, exclude)
    second = make_phrase(rng, paragraphs, 3, 8, (*exclude, first))
    return f"{first} {second}" if first != second else first


def make_deck(
    rng: random.Random, paragraphs: Sequence[str], dash: float, exclude: Sequence[str] = ()
) -> str:
    """A subtitle line of 8-28 characters, sometimes led by a double dash."""
    deck = make_phrase(rng, paragraphs, 8, 28, exclude)
    return ("\u2014\u2014" + deck) if rng.random() < dash else deck


# The end mark 本报记者 张三: a line of its own under a paper's own story.
END_MARK_ROLE = "本报记者"


def is_end_mark(byline: str) -> bool:
    """Whether ``byline`` (in either script) is printed on a line of its own, never after
    the last sentence."""
    return byline.startswith((END_MARK_ROLE, "本報記者"))


def make_byline(rng: random.Random, own_line: bool = True) -> str:
    """A closing byline or end mark: （孙富常）, （记者 张三）, （完）, or, when ``own_line``
    may be, 本报记者 张三 on a line of its own (a paper's own story; see ``is_end_mark``)."""
    name = make_name(rng)
    options = [f"（{name}）", f"（记者 {name}）", "（完）", f"（{name} {make_name(rng)}）"]
    weights = [6, 2, 1, 1]
    if own_line:
        options.append(f"{END_MARK_ROLE} {name}")
        weights.append(1)
    return rng.choices(options, weights)[0]


def make_caption(rng: random.Random, paragraphs: Sequence[str]) -> str:
    """A photo caption: 图为…… plus a credit such as 倪树斌 摄 or 新华社发."""
    scene = make_phrase(rng, paragraphs, 8, 24)
    credit = rng.choice(
        [
            f"{make_name(rng)} 摄",
            f"本报记者 {make_name(rng)} 摄",
            "新华社发",
            f"新华社记者 {make_name(rng)} 摄",
            f"{make_name(rng)}摄",
        ]
    )
    return f"图为{scene}。{credit}"


def end_with_sentence(text: str) -> str:
    """``text`` itself if it ends a sentence, else ``text`` + 。 (used after trimming)."""
    return text if text and text[-1] in SENTENCE_END + "”」" else text + "。"


@dataclass(frozen=True, slots=True)
class Story:
    """The truth about one printed story (or fragment), fields as printed on the page.

    ``paragraphs`` are the true body paragraphs; when ``lead_inline`` the lead is the start of
    the first paragraph, and when ``byline_inline`` the byline is the end of the last one.
    Empty strings mean "absent". ``cluster`` groups copies of the same story (dedup truth);
    ``completeness`` is 1.0 for a full copy and the kept share of the original otherwise.
    """

    id: str
    cluster: str
    kind: str = "news"  # news | brief | photo | fragment | wire | tail | notice
    kicker: str = ""
    title: str = ""
    deck: str = ""
    author: str = ""  # a line of its own under the headline: （丹翁）, ■本报记者 X, 文/X
    lead: str = ""
    lead_inline: bool = True
    reporters: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    byline: str = ""
    byline_inline: bool = False
    caption: str = ""
    truncated: bool = False
    fragment: bool = False
    completeness: float = 1.0
    variant: str = "original"  # how a reprint differs from its original
    subheads: tuple[int, ...] = ()  # indices of ``paragraphs`` that are subheads (小标题)
    continued_from: str = ""  # a tail: the id of the story it is the end of
    continued_on: str = ""  # a story cut short: the id of its tail (on this page or another)

    def fields(self) -> tuple[tuple[str, str], ...]:
        """(field name, text) for every printed line of the story, in print order.

        Paragraphs are ``paragraph``, or ``subhead`` for the indices in ``subheads``, or
        ``notice`` for every paragraph of a notice or advertisement.
        """
        out: list[tuple[str, str]] = []
        for name, text in (
            ("kicker", self.kicker),
            ("title", self.title),
            ("deck", self.deck),
            ("author", self.author),
        ):
            if text:
                out.append((name, text))
        if self.lead and not self.lead_inline:
            out.append(("lead", self.lead))
        body = "notice" if self.kind == "notice" else "paragraph"
        out.extend(
            ("subhead" if i in self.subheads else body, p) for i, p in enumerate(self.paragraphs)
        )
        if self.byline and not self.byline_inline:
            out.append(("byline", self.byline))
        if self.caption:
            out.append(("caption", self.caption))
        return tuple(out)

    @property
    def text(self) -> str:
        """The story's printed lines joined with newlines: its truth text."""
        return "\n".join(text for _, text in self.fields())


@dataclass(frozen=True, slots=True)
class StoryKnobs:
    """Probabilities of each story part; every one can be set to 0 or 1 to isolate a case."""

    kicker: float = 0.25
    deck: float = 0.35
    deck_dash: float = 0.4
    no_title: float = 0.06  # headline missing: the deck is the only heading
    brief: float = 0.12  # lead-only brief (简讯) without a headline
    photo: float = 0.05  # photo item: headline + caption only
    caption: float = 0.1
    byline: float = 0.3
    byline_inline: float = 0.5
    lead: float = 0.8
    lead_own_line: float = 0.15
    title_quotes: float = 0.1
    min_paragraphs: int = 1
    max_paragraphs: int = 7


def paragraphs_wanted(rng: random.Random, knobs: StoryKnobs) -> tuple[str, int]:
    """Decide the kind of story and how many prose paragraphs it takes (planning step)."""
    roll = rng.random()
    if roll < knobs.brief:
        return "brief", 1
    if roll < knobs.brief + knobs.photo:
        return "photo", 1
    return "news", rng.randint(knobs.min_paragraphs, knobs.max_paragraphs)


def _same(text: str) -> str:
    return text


def make_story(
    rng: random.Random,
    kind: str,
    body: Sequence[str],
    *,
    story_id: str,
    cluster: str,
    knobs: StoryKnobs,
    month: int,
    day: int,
    localize: Callable[[str], str] = _same,
) -> Story:
    """Dress prose paragraphs as a story of ``kind`` (news, brief, photo or fragment).

    ``localize`` converts the generated parts (leads, names, bylines, captions, connectives)
    to the paper's script; the prose is already in it.
    """
    if kind == "fragment":
        paragraphs = (localize(rng.choice(CONNECTIVES)) + body[0], *body[1:])
        return Story(id=story_id, cluster=cluster, kind=kind, paragraphs=paragraphs, fragment=True)
    if kind == "photo":  # photo news: a headline and a caption that is the whole story
        return Story(
            id=story_id,
            cluster=cluster,
            kind=kind,
            title=make_title(rng, body),
            caption=body[0] + localize(make_caption(rng, body)),
        )
    story = Story(id=story_id, cluster=cluster, kind=kind, paragraphs=tuple(body))
    if kind == "news":
        title = make_title(rng, body, knobs.title_quotes)
        deck = make_deck(rng, body, knobs.deck_dash, (title,)) if rng.random() < knobs.deck else ""
        if rng.random() < knobs.no_title:
            title, deck = "", deck or make_deck(rng, body, knobs.deck_dash)
        kicker = (
            make_kicker(rng, body, (title, deck.lstrip("\u2014")))
            if title and rng.random() < knobs.kicker
            else ""
        )
        story = replace(story, title=title, deck=deck, kicker=kicker)
    if kind == "brief" or rng.random() < knobs.lead:
        own = kind == "news" and rng.random() < knobs.lead_own_line
        lead = make_lead(rng, month, day, own_line=own)
        lead = Lead(localize(lead.text), tuple(localize(r) for r in lead.reporters), own)
        paragraphs = (
            story.paragraphs if own else (lead.text + story.paragraphs[0], *story.paragraphs[1:])
        )
        story = replace(
            story,
            lead=lead.text,
            lead_inline=not own,
            reporters=lead.reporters,
            paragraphs=paragraphs,
        )
    if kind == "news" and rng.random() < knobs.byline:
        mark = make_byline(rng)
        byline = localize(mark)
        inline = rng.random() < knobs.byline_inline and not is_end_mark(mark)
        paragraphs = (
            (*story.paragraphs[:-1], story.paragraphs[-1] + byline) if inline else story.paragraphs
        )
        story = replace(story, byline=byline, byline_inline=inline, paragraphs=paragraphs)
    if kind == "news" and rng.random() < knobs.caption:
        story = replace(story, caption=localize(make_caption(rng, body)))
    return story


def truncate_story(rng: random.Random, story: Story) -> Story:
    """Cut a story where the page ends: mid-sentence in a paragraph, nothing after it.

    The cut keeps 30-90 % of the paragraph it falls in, never right after 。！？, and
    drops the byline and caption (they were printed below the cut).
    """
    paragraphs = list(story.paragraphs)
    if not paragraphs:
        return story
    keep = rng.randint(1, len(paragraphs))
    last = paragraphs[keep - 1]
    lead_len = len(story.lead) if keep == 1 and story.lead_inline else 0
    lo = max(lead_len + 4, int(len(last) * 0.3))
    hi = max(lo, int(len(last) * 0.9))
    cut = rng.randint(lo, hi) if lo < len(last) - 1 else len(last) - 1
    while cut > lo and (last[cut - 1] in SENTENCE_END or last[cut - 1].isspace()):
        cut -= 1
    paragraphs = [*paragraphs[: keep - 1], last[:cut].rstrip()]
    full = sum(len(p) for p in story.paragraphs)
    return replace(
        story,
        paragraphs=tuple(paragraphs),
        byline="",
        byline_inline=False,
        caption="",
        truncated=True,
        completeness=round(story.completeness * sum(len(p) for p in paragraphs) / full, 4),
    )


TEXT_FIELDS = ("kicker", "title", "deck", "author", "lead", "byline", "caption")


def map_story_text(story: Story, fn: Callable[[str], str]) -> Story:
    """Apply ``fn`` to every printed text of a story (fields, paragraphs, reporters)."""
    changes: dict[str, object] = {name: fn(getattr(story, name)) for name in TEXT_FIELDS}
    changes["paragraphs"] = tuple(fn(p) for p in story.paragraphs)
    changes["reporters"] = tuple(fn(r) for r in story.reporters)
    return replace(story, **changes)  # type: ignore[arg-type]
