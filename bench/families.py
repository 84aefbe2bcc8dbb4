"""Layout families: the page conventions real papers use, one family per generated paper.

Every family prints real stories (``bench.sources``: People's Daily 1998 or the Debian
documentation under its real headings) with the damage of ``bench.render``, and turns one
convention up that our first generator never printed or printed rarely. Family 0 is that
generator as it is (``bench.generate``, headlines cut from the body prose). The families:

== ============= ==========================================================================
 # name          what its pages print
== ============= ==========================================================================
 0 generator     ``bench.generate`` unchanged (its own stories, leads, furniture)
 1 wire          headlines with no lead under them (本报讯/新华社…电 dropped), no briefs
 2 truncated     stories cut mid-sentence inside the page, the next headline right after
 3 short-open    narrow columns (10-14); 30 % of paragraphs open with a 2-9 character line
                 (``2016年，`` / ``近百名来自各地的``) that the next line continues
 4 headblock     kicker + title without deck (half the stories), long decks (30-50
                 characters, some ending in 。)
 5 orphan-tail   a story's last paragraphs printed before its own headline, no connective
 6 author-line   a pen-name or author line under the headline: （丹翁）, （记者 X）,
                 ■本报记者 X, 文/X, 记者 X 报道, 本报评论员
 7 old-print     Traditional type with variant glyphs (淸 吿 囘 硏 衞 靑 鄕), 、 as the only
                 pause mark, most 。 dropped, 8-12 character columns, running heads
                 ``第三版　民國九年四月三日``
 8 two-pages     two facing pages in one file: running heads mid-file
 9 page-number   the foot is a bare page number (``8``)
10 two-line-head the running head on two lines: ``2 要闻`` and
                 ``X晚报  2022年12月19日  责任编辑:X  美编:Y``
11 jumps         a story cut with （下转第N版）, its tail on the next page under （上接第M版）
                 (the truth pairs them: ``continued_on`` / ``continued_from``)
12 notices       notices and ads between stories (本报地址…, 欢迎订阅…, 更正…)
== ============= ==========================================================================

The truth of every page is the generator's (``bench.generate.page_truth``): per line its
role (``Page.lines``), per line break boundary or wrap and its kind (``Page.line_truth``),
per story its fields and whether it is a fragment, a tail or truncated.

``training_pages(source, split, families, n_pages, seed)`` yields such pages, deterministic
for a seed; ``page_labels(page)`` gives one page's raw text with its line and break labels.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from bench.generate import (
    OLD_GLYPHS,
    QUOTE_CORNER_MAP,
    Knobs,
    Page,
    Paper,
    furniture_lines,
    generate_pages,
    make_paper,
    pages_per_paper,
)
from bench.render import Block, LayoutKnobs, LineRole, choose_style, render_page
from bench.sources import StoryPool, load_pool
from bench.stories import (
    CITIES,
    CONNECTIVES,
    Story,
    is_end_mark,
    make_byline,
    make_caption,
    make_lead,
    make_name,
    map_story_text,
    opencc_converter,
    truncate_story,
)

N_PAPERS = 4  # papers per family corpus: a folder needs 3+ pages for furniture to be learnt
PAGE_CHARS = (2500, 5500)
DRESS_LEAD = 0.6  # Debian stories: share that get a generated lead where leads are kept
DRESS_BYLINE = 0.3
PEN_NAMES = ("丹翁", "天笑", "独鹤", "小凤", "寄尘", "瘦鹃", "半农", "剑秋", "无我", "冷血")
# Old print: variant glyphs of the type (OpenCC t2s leaves 淸 吿 囘 硏 衞 靑 鄕 槪 alone).
OLD_GLYPH_MAP = str.maketrans(*OLD_GLYPHS)
OLD_PAUSE_MAP = str.maketrans({"，": "、", "；": "、", "：": "、"})
CN_NUMERALS = "〇一二三四五六七八九"
OLD_PAPER_KINDS = ("日報", "時報", "晨報", "新聞報", "商報", "民報")
NOTICE_TEMPLATES = (
    "本报地址：{city}市{road}路{n}号　邮政编码：{zip}　总机：{phone}",
    "欢迎订阅{paper}　邮发代号：{a}-{b}　全年定价：{price}元　各地邮局均可订阅",
    "广告经营许可证：{city}工商广字第{n}号　广告热线：{phone}",
    "征稿启事　本版欢迎读者来稿，来稿请寄{paper}编辑部，邮编{zip}，请注明“投稿”字样。",
    "更正：本报{m}月{d}日第{p}版《{title}》一文中，作者姓名有误，特此更正。",
    "{shop}大减价　各货一律八折　地址{city}{road}路{n}号　电话{phone}",
)
ROADS = ("中山", "解放", "人民", "建设", "和平", "胜利", "南京", "长江")
SHOPS = ("同和祥绸布庄", "大昌百货公司", "永安堂药号", "宝成银楼", "新新书局")


@dataclass(frozen=True, slots=True)
class FamilyStyle:
    """What a family's pages print; every family starts from these defaults."""

    lead: float = 1.0  # share of stories that keep their lead (Debian: get one, x DRESS_LEAD)
    briefs: bool = True  # stories without a headline (lead-only briefs) may be printed
    inner_truncated: float = 0.0  # a story inside the page stops mid-sentence
    kicker_no_deck: float = 0.0  # headline block printed as kicker + title, no deck
    long_deck: float = 0.0  # headline block with a 30-50 character deck
    orphan_tail: float = 0.0  # a story's last paragraphs printed before its headline
    author_line: float = 0.0  # an author / pen-name line under the headline
    old_print: bool = False
    two_pages: bool = False
    footer: str = ""  # "": the paper's own foot; "number": a bare page number
    head: str = ""  # "": the paper's own running head; "two-lines": section, then editors
    jumps: float = 0.0  # a page sends a story on to the next page
    notices: float = 0.0  # a story slot holds a notice or ad
    fragment: float = 0.15  # the page opens with the tail of a story printed elsewhere
    truncated: float = 0.3  # the last story stops mid-sentence
    layout: LayoutKnobs = field(default_factory=LayoutKnobs)


@dataclass(frozen=True, slots=True)
class Family:
    """A named layout convention (see the module table)."""

    number: int
    name: str
    prints: str
    style: FamilyStyle | None  # None: the unchanged generator (family 0)


FAMILIES: tuple[Family, ...] = (
    Family(0, "generator", "bench.generate as it is (headlines cut from body prose)", None),
    Family(1, "wire", "headlines without leads", FamilyStyle(lead=0.0, briefs=False)),
    Family(
        2,
        "truncated",
        "stories cut mid-sentence, the next headline right after",
        FamilyStyle(inner_truncated=0.5, lead=0.5),
    ),
    Family(
        3,
        "short-open",
        "narrow columns; paragraphs opening with a 2-9 character line",
        FamilyStyle(layout=LayoutKnobs(min_width=10, max_width=14, short_open=0.3)),
    ),
    Family(
        4,
        "headblock",
        "kicker + title without deck; long decks (30-50 characters)",
        FamilyStyle(kicker_no_deck=0.5, long_deck=0.35),
    ),
    Family(
        5, "orphan-tail", "a story's tail before its own headline", FamilyStyle(orphan_tail=0.3)
    ),
    Family(
        6, "author-line", "pen-name / author lines under the headline", FamilyStyle(author_line=0.6)
    ),
    Family(
        7,
        "old-print",
        "Traditional, variant glyphs, 、 only, 8-12 character columns, 民國 running heads",
        FamilyStyle(old_print=True, layout=LayoutKnobs(min_width=8, max_width=12, halfwidth=0.2)),
    ),
    Family(8, "two-pages", "two pages in one file", FamilyStyle(two_pages=True)),
    Family(9, "page-number", "a bare page number as the foot", FamilyStyle(footer="number")),
    Family(
        10, "two-line-head", "running head on two lines with editors", FamilyStyle(head="two-lines")
    ),
    Family(11, "jumps", "（下转第N版）/（上接第M版） continuations", FamilyStyle(jumps=0.6)),
    Family(12, "notices", "notices and ads between stories", FamilyStyle(notices=0.2)),
)
FAMILY_NAMES = tuple(f.name for f in FAMILIES)


def get_family(name: str) -> Family:
    """The family called ``name`` (or numbered ``name``)."""
    for family in FAMILIES:
        if name in (family.name, str(family.number)):
            return family
    msg = f"unknown family {name!r}; families are {', '.join(FAMILY_NAMES)}"
    raise ValueError(msg)


# --------------------------------------------------------------------------- text helpers


def cn_number(n: int) -> str:
    """A number in Chinese numerals as old running heads print it.

    >>> cn_number(3), cn_number(10), cn_number(14), cn_number(20), cn_number(31)
    ('三', '十', '十四', '二十', '三十一')
    """
    if n < 10:
        return CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMERALS[tens]) + "十" + (CN_NUMERALS[ones] if ones else "")


def old_print_text(text: str, rng: random.Random) -> str:
    """Old type: variant glyphs, 、 for every pause, most 。 dropped, corner quotes.

    The text must already be Traditional. Each 。 is dropped (70 %) or becomes 、.

    >>> old_print_text("清晨，他回到青年會。", random.Random(0))
    '淸晨、他囘到靑年會、'
    """
    out = text.translate(OLD_GLYPH_MAP).translate(OLD_PAUSE_MAP).translate(QUOTE_CORNER_MAP)
    return "".join(("" if rng.random() < 0.7 else "、") if ch == "。" else ch for ch in out)


def strip_lead(story: Story) -> Story:
    """The story without its lead (and the lead's reporters); the body is untouched."""
    if not story.lead:
        return story
    paragraphs = list(story.paragraphs)
    if story.lead_inline and paragraphs and paragraphs[0].startswith(story.lead):
        paragraphs[0] = paragraphs[0][len(story.lead) :].lstrip()
        if not paragraphs[0]:
            paragraphs.pop(0)
    return replace(story, lead="", lead_inline=True, reporters=(), paragraphs=tuple(paragraphs))


def make_author_line(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """An author line printed under a headline, and the reporter it names (if any)."""
    name = make_name(rng)
    options = [
        (f"（{rng.choice(PEN_NAMES)}）", ()),
        (f"（记者 {name}）", (name,)),
        (f"■本报记者 {name}", (name,)),
        (f"文/{name}", ()),
        (f"记者 {name} 报道", (name,)),
        ("本报评论员", ()),
    ]
    return rng.choice(options)


def make_notice(rng: random.Random, paper: Paper, date: dt.date, titles: Sequence[str]) -> str:
    """A notice or advertisement line (generated: addresses, numbers, a real title)."""
    values = {
        "city": rng.choice(CITIES),
        "road": rng.choice(ROADS),
        "n": rng.randint(1, 400),
        "zip": f"{rng.randint(100000, 850000):06d}",
        "phone": f"{rng.randint(2000000, 89999999)}",
        "paper": f"《{paper.name}》",
        "a": rng.randint(1, 80),
        "b": rng.randint(1, 99),
        "price": rng.choice((180, 240, 288, 360, 396)),
        "m": date.month,
        "d": max(1, date.day - 1),
        "p": rng.randint(1, 8),
        "title": rng.choice(titles) if titles else "本报消息",
        "shop": rng.choice(SHOPS),
    }
    return rng.choice(NOTICE_TEMPLATES).format(**values)


# --------------------------------------------------------------------------- stories


def dress_story(
    rng: random.Random,
    template: Story,
    style: FamilyStyle,
    pool: StoryPool,
    sid: str,
    date: dt.date,
) -> Story:
    """One printing of a template on a family's page: lead kept or dropped (Debian: a
    generated lead, byline, caption), the headline block as the family prints it, an author
    line. Everything printed is in Simplified script here (``localize`` comes later)."""
    story = replace(template, id=sid)
    if pool.dress:
        if style.lead and rng.random() < style.lead * DRESS_LEAD:
            lead = make_lead(rng, date.month, date.day, own_line=rng.random() < 0.15)
            paragraphs = story.paragraphs
            if not lead.own_line:
                paragraphs = (lead.text + paragraphs[0], *paragraphs[1:])
            story = replace(
                story,
                lead=lead.text,
                lead_inline=not lead.own_line,
                reporters=lead.reporters,
                paragraphs=paragraphs,
            )
        if rng.random() < DRESS_BYLINE:
            mark = make_byline(rng)
            inline = rng.random() < 0.5 and not is_end_mark(mark)
            paragraphs = story.paragraphs
            if inline:
                paragraphs = (*paragraphs[:-1], paragraphs[-1] + mark)
            story = replace(story, byline=mark, byline_inline=inline, paragraphs=paragraphs)
        if rng.random() < 0.05:
            story = replace(story, caption=make_caption(rng, story.paragraphs))
    elif story.lead and rng.random() >= style.lead:
        story = strip_lead(story)
    if pool.dress and not (style.kicker_no_deck or style.long_deck) and rng.random() >= 0.25:
        story = replace(story, kicker="")  # a file's title over a quarter of its sections
    if style.kicker_no_deck and story.title and rng.random() < style.kicker_no_deck:
        kicker = story.kicker or story.deck  # PD: a real deck line set above the title
        story = replace(story, kicker=kicker, deck="")
    elif style.long_deck and story.title and rng.random() < style.long_deck:
        deck = story.deck if len(story.deck) >= 28 else ""
        if not deck and pool.long_decks:
            deck = rng.choice(pool.long_decks)
        if deck and deck[-1] not in "。！？" and rng.random() < 0.3:
            deck += "。"
        story = replace(story, deck=deck or story.deck)
    if style.author_line and story.title and rng.random() < style.author_line:
        author, names = make_author_line(rng)
        story = replace(story, author=author, reporters=story.reporters or names)
    return story


def split_tail(rng: random.Random, story: Story, tail_id: str) -> tuple[Story, Story] | None:
    """(tail, head): the story's last paragraphs as a tail of their own, printed before
    the head; None when no tail without a connective can be cut off."""
    n = len(story.paragraphs)
    cuts = [
        k
        for k in range(1, n)
        if k not in story.subheads
        and not story.paragraphs[k].startswith(CONNECTIVES)
        and not any(i >= k for i in story.subheads)
    ]
    if not cuts:
        return None
    k = rng.choice(cuts)
    tail = Story(
        id=tail_id,
        cluster=story.cluster,
        kind="tail",
        paragraphs=story.paragraphs[k:],
        byline=story.byline,
        byline_inline=story.byline_inline,
        fragment=True,
        continued_from=story.id,
    )
    head = replace(
        story,
        paragraphs=story.paragraphs[:k],
        byline="",
        byline_inline=False,
        continued_on=tail_id,
    )
    return tail, head


def cut_for_jump(rng: random.Random, story: Story, tail_id: str) -> tuple[Story, Story] | None:
    """(head, tail): the story cut mid-sentence where the page ends, the rest continued on
    another page; None when it has too little body to cut."""
    paragraphs = list(story.paragraphs)
    if not paragraphs:
        return None
    keep = rng.randint(1, len(paragraphs))
    last = paragraphs[keep - 1]
    lead_len = len(story.lead) if keep == 1 and story.lead_inline else 0
    lo, hi = max(lead_len + 6, len(last) // 3), len(last) - 6
    if lo >= hi:
        return None
    cut = rng.randint(lo, hi)
    while cut > lo and (last[cut - 1] in "。！？" or last[cut - 1].isspace()):
        cut -= 1
    head = replace(
        story,
        paragraphs=(*paragraphs[: keep - 1], last[:cut].rstrip()),
        byline="",
        byline_inline=False,
        caption="",
        truncated=True,
        continued_on=tail_id,
    )
    tail = Story(
        id=tail_id,
        cluster=story.cluster,
        kind="tail",
        paragraphs=(last[cut:].lstrip(), *paragraphs[keep:]),
        byline=story.byline,
        byline_inline=story.byline_inline,
        caption=story.caption,
        fragment=True,
        continued_from=story.id,
    )
    return head, tail


# --------------------------------------------------------------------------- papers, pages


def family_paper(seed: int, family: Family, index: int) -> Paper:
    """Paper ``index`` of a family: ``bench.generate``'s papers (names, encodings, editors,
    furniture templates), with the family's running head and foot, and old-print papers
    in Traditional type dated in the Republic (民國)."""
    style = family.style or FamilyStyle()
    knobs = Knobs(n_papers=N_PAPERS, traditional_papers=1.0 if style.old_print else 0.0)
    paper = make_paper(seed * 100 + family.number, index, knobs)
    if style.head == "two-lines":
        first = "{page} {section}" if index % 2 == 0 else "{section}  {page}"
        paper = replace(paper, top=(first, "{paper}  {date}  责任编辑:{editor}  美编:{designer}"))
    if style.footer == "number":
        paper = replace(paper, bottom=("{page}",))
    if style.old_print:
        rng = random.Random(f"{seed}:old-paper:{index}")
        name = opencc_converter("s2t")(rng.choice(CITIES)) + rng.choice(OLD_PAPER_KINDS)
        start = dt.date(1920, 1, 1) + dt.timedelta(days=rng.randrange(16 * 365))
        paper = replace(
            paper,
            name=name,
            opencc_config="s2t",
            corner_quotes=True,
            start=start,
            top=(),
            bottom=(),
        )
    return paper


def page_furniture(
    paper: Paper, style: FamilyStyle, date: dt.date, page_no: int, top: bool
) -> list[str]:
    """Running head or foot lines of one page."""
    if style.old_print:
        if not top:
            return []
        year = cn_number(date.year - 1911)
        day = f"{cn_number(date.month)}月{cn_number(date.day)}日"
        head = f"第{cn_number(page_no)}版\u3000民國{year}年{day}"
        return [head, paper.name] if paper.index % 2 else [head]
    return furniture_lines(paper, date, page_no, top)


@dataclass(slots=True)
class _Templates:
    """A paper's share of the pool, dealt in order and reshuffled when used up."""

    stories: list[Story]
    rng: random.Random
    position: int = 0

    def take(self) -> Story:
        if self.position >= len(self.stories):
            self.rng.shuffle(self.stories)
            self.position = 0
        self.position += 1
        return self.stories[self.position - 1]


def _share(pool: StoryPool, family: Family, index: int, seed: int) -> _Templates:
    style = family.style or FamilyStyle()
    templates = list(pool.stories) + (list(pool.traditional) if style.old_print else [])
    if not style.briefs:
        templates = [t for t in templates if t.title]
    templates = [t for t in templates if t.paragraphs or t.caption]
    if not templates:
        msg = f"no stories in the {pool.source} {pool.split} pool"
        raise ValueError(msg)
    order = list(range(len(templates)))
    random.Random(f"{seed}:{family.name}:{pool.source}:{pool.split}:order").shuffle(order)
    mine = [templates[i] for i in order[index::N_PAPERS]] or [templates[i] for i in order]
    return _Templates(mine, random.Random(f"{seed}:{family.name}:{index}:epochs"))


def _localizer(
    style: FamilyStyle, rng: random.Random, native: set[str]
) -> Callable[[Story], Story]:
    """Old print: every text of a story in old type (converted to Traditional unless it is
    native Traditional prose); other families print stories as they are."""
    if not style.old_print:
        return lambda story: story
    s2t = opencc_converter("s2t")

    def localize(story: Story) -> Story:
        convert = (lambda t: t) if story.cluster in native else s2t
        return map_story_text(story, lambda text: old_print_text(convert(text), rng))

    return localize


def _fragment(rng: random.Random, template: Story, sid: str) -> Story | None:
    body = [p for i, p in enumerate(template.paragraphs) if i not in template.subheads]
    if len(body) < 2:
        return None
    k = rng.randint(1, min(2, len(body) - 1))
    return Story(
        id=sid,
        cluster=template.cluster,
        kind="fragment",
        paragraphs=tuple(body[-k:]),
        fragment=True,
    )


def _compose(
    rng: random.Random,
    style: FamilyStyle,
    pool: StoryPool,
    templates: _Templates,
    paper: Paper,
    page_id: str,
    date: dt.date,
    carry: tuple[str, Story] | None,
    first_index: int,
) -> tuple[list[Story], dict[int, tuple[str, str]]]:
    """The stories of one page and the continuation marks (before, after) per story."""
    stories: list[Story] = []
    marks: dict[int, tuple[str, str]] = {}

    def sid() -> str:
        return f"{page_id}/s{first_index + len(stories):02d}"

    if carry is not None:
        marks[0] = (carry[0], "")
        stories.append(replace(carry[1], id=sid()))
    elif rng.random() < style.fragment:
        fragment = _fragment(rng, templates.take(), sid())
        if fragment is not None:
            stories.append(fragment)
    target = rng.randint(*PAGE_CHARS)
    size = sum(len(s.text) for s in stories)
    titles = [s.title for s in pool.stories[:200] if s.title]
    while size < target:
        if style.notices and stories and rng.random() < style.notices:
            notice = make_notice(rng, paper, date, titles)
            stories.append(Story(id=sid(), cluster=sid(), kind="notice", paragraphs=(notice,)))
            size += len(notice)
            continue
        story = dress_story(rng, templates.take(), style, pool, sid(), date)
        if style.orphan_tail and len(story.paragraphs) >= 2 and rng.random() < style.orphan_tail:
            tail_id = sid()  # printed first: the end of the story whose headline follows
            head_id = f"{page_id}/s{first_index + len(stories) + 1:02d}"
            split = split_tail(rng, replace(story, id=head_id), tail_id)
            if split is not None:
                stories.extend(split)
                size += len(story.text)
                continue
        stories.append(story)
        size += len(story.text)
    for i in range(len(stories) - 1):
        story = stories[i]
        if (
            style.inner_truncated
            and story.kind in ("news", "brief")
            and story.paragraphs
            and not story.continued_on
            and stories[i + 1].title
            and rng.random() < style.inner_truncated
        ):
            stories[i] = truncate_story(rng, story)
    last = stories[-1]
    if last.paragraphs and last.kind in ("news", "brief") and rng.random() < style.truncated:
        stories[-1] = truncate_story(rng, last)
    return stories, marks


def _page(
    family: Family,
    paper: Paper,
    page_id: str,
    stories: list[Story],
    blocks: list[Block],
    rng: random.Random,
) -> Page:
    style = family.style or FamilyStyle()
    if paper.corner_quotes:
        stories = [map_story_text(s, lambda t: t.translate(QUOTE_CORNER_MAP)) for s in stories]
    printed = render_page(blocks, rng, style.layout, choose_style(rng, style.layout))
    return Page(
        id=page_id,
        paper=f"{family.name}/{paper.slug}",
        script=paper.script,
        encoding=paper.encoding,
        newline=paper.newline,
        raw=printed.raw,
        stories=tuple(stories),
        furniture=printed.furniture,
        line_truth=printed.breaks,
        prose_reused=False,
        lines=printed.lines,
        family=family.name,
    )


def paper_pages(
    seed: int, family: Family, pool: StoryPool, index: int, count: int
) -> Iterator[Page]:
    """``count`` files of paper ``index`` of a family (a file holds two pages in
    ``two-pages``), in issue order; a jump's tail opens the next page."""
    style = family.style or FamilyStyle()
    paper = family_paper(seed, family, index)
    rng = random.Random(f"{seed}:{family.name}:{pool.source}:{pool.split}:paper:{index}")
    templates = _share(pool, family, index, seed)
    native = {t.cluster for t in pool.traditional}
    localize = _localizer(style, rng, native)
    carry: tuple[str, Story] | None = None
    counter = 0
    for _ in range(count):
        blocks: list[Block] = []
        stories: list[Story] = []
        numbers = []
        for _ in range(2 if style.two_pages else 1):
            issue, page_no = divmod(counter, paper.pages_per_issue)
            counter += 1
            numbers.append((paper.start + dt.timedelta(days=issue), page_no + 1))
        date = numbers[0][0]
        page_id = f"{family.name}/{paper.slug}/{date:%Y%m%d}-p" + "-".join(
            f"{n:02d}" for _, n in numbers
        )
        for day, page_no in numbers:
            blocks.extend(
                Block(line, "furniture", -1)
                for line in page_furniture(paper, style, day, page_no, True)
            )
            page_stories, marks = _compose(
                rng, style, pool, templates, paper, page_id, day, carry, len(stories)
            )
            carry = None
            if style.jumps and page_no < paper.pages_per_issue and rng.random() < style.jumps:
                next_id = f"{family.name}/{paper.slug}/{day:%Y%m%d}-p{page_no + 1:02d}/s00"
                options = [
                    i
                    for i, s in enumerate(page_stories)
                    if s.kind == "news" and not (s.truncated or s.continued_on or s.continued_from)
                ]
                cut = None
                if options:
                    i = rng.choice(options)
                    cut = cut_for_jump(rng, page_stories[i], next_id)
                if cut is not None:
                    page_stories[i] = cut[0]
                    marks[i] = (marks.get(i, ("", ""))[0], f"（下转第{page_no + 1}版）")
                    carry = (f"（上接第{page_no}版）", cut[1])
            for k, story in enumerate(page_stories):
                story = localize(story)
                page_stories[k] = story
                before, after = marks.get(k, ("", ""))
                if before:
                    blocks.append(Block(localize_mark(before, style), "jump", -1))
                blocks.extend(Block(text, name, len(stories) + k) for name, text in story.fields())
                if after:
                    blocks.append(Block(localize_mark(after, style), "jump", -1))
            stories.extend(page_stories)
            blocks.extend(
                Block(line, "furniture", -1)
                for line in page_furniture(paper, style, day, page_no, False)
            )
        yield _page(family, paper, page_id, stories, blocks, rng)


def localize_mark(mark: str, style: FamilyStyle) -> str:
    """A continuation mark in the page's script."""
    return opencc_converter("s2t")(mark) if style.old_print else mark


def family_pages(pool: StoryPool, family: Family, n_pages: int, seed: int) -> Iterator[Page]:
    """``n_pages`` files of one family from one pool, paper by paper."""
    if family.style is None:
        for page in generate_pages(
            seed, n_pages, Knobs(), list(pool.paragraphs), list(pool.traditional_paragraphs)
        ):
            yield replace(
                page,
                id=f"{family.name}/{page.id}",
                paper=f"{family.name}/{page.paper}",
                family=family.name,
            )
        return
    for index, count in enumerate(pages_per_paper(n_pages, N_PAPERS)):
        yield from paper_pages(seed, family, pool, index, count)


def training_pages(
    source: str | StoryPool,
    split: str = "fit",
    families: Sequence[str] | None = None,
    n_pages: int = 40,
    seed: int = 0,
) -> Iterator[Page]:
    """Pages with raw text and truth, ``n_pages`` per family, deterministic for a seed.

    ``source`` is ``"pdaily"`` or ``"debian"`` (or a ``StoryPool`` you built); ``split``
    ``"fit"`` or ``"measure"``; ``families`` names (default: all, see ``FAMILY_NAMES``).
    Each ``Page`` has ``raw`` (LF newlines), ``lines`` (a ``LineRole`` per non-blank
    line), ``line_truth`` (a ``LineBreak`` per break between two non-blank characters),
    ``stories`` and ``furniture``; ``page_labels`` turns one into plain data.
    """
    pool = source if isinstance(source, StoryPool) else load_pool(source, split)
    for name in families or FAMILY_NAMES:
        yield from family_pages(pool, get_family(name), n_pages, seed)


def page_labels(page: Page) -> dict[str, object]:
    """One page as plain data for a model: its raw lines with their roles, and its breaks.

    ``lines``: per non-blank raw line ``{"line", "text", "role", "story", "first"}``
    (roles: furniture, jump, kicker, title, deck, author, lead, paragraph, subhead, notice,
    byline, caption; ``first`` False marks a continuation line of its field).
    ``breaks``: per break between two non-blank lines ``{"after", "before", "boundary",
    "kind"}`` (line indices; kinds as in ``bench.render.LineBreak``).
    """
    raw_lines = page.raw.split("\n")
    line_of_offset = []
    position = 0
    for i, text in enumerate(raw_lines):
        line_of_offset.append((position, i))
        position += len(text) + 1
    starts = [p for p, _ in line_of_offset]
    breaks = []
    roles = {r.line: r for r in page.lines}
    ordered = sorted(roles)
    for brk in page.line_truth:
        after = bisect.bisect_right(starts, brk.offset) - 1
        nxt = ordered[bisect.bisect_right(ordered, after)]
        breaks.append({"after": after, "before": nxt, "boundary": brk.boundary, "kind": brk.kind})
    return {
        "id": page.id,
        "family": page.family,
        "script": page.script,
        "raw": page.raw,
        "lines": [
            {
                "line": r.line,
                "text": raw_lines[r.line],
                "role": r.role,
                "story": r.story,
                "first": r.first,
            }
            for r in page.lines
        ],
        "breaks": breaks,
    }


def role_counts(pages: Sequence[Page]) -> dict[str, int]:
    """How many lines of each role the pages print (for README tables)."""
    counts: dict[str, int] = {}
    for page in pages:
        for role in page.lines:
            counts[role.role] = counts.get(role.role, 0) + 1
    return counts


__all__ = [
    "FAMILIES",
    "FAMILY_NAMES",
    "Family",
    "FamilyStyle",
    "LineRole",
    "family_pages",
    "get_family",
    "page_labels",
    "training_pages",
]
