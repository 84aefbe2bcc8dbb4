"""Generate newspaper page dumps with known truth from real Chinese prose.

A corpus is a set of *papers* (source folders). Each paper has a name, a script
(Simplified, or Traditional through one OpenCC config), a file encoding, a newline
convention and page-furniture templates that stay the same on every page while the date,
page number, section and editors change. Each page holds stories (``bench.stories``) printed
through ``bench.render`` with the damage the knobs ask for.

Determinism: everything derives from ``seed``. Papers are independent of each other (each
has its own ``random.Random`` and its own disjoint share of the prose), so they can be
generated in parallel processes with byte-identical results.

Prose reuse: a paper's stories take paragraphs from its share of the prose in order. When
the share runs out, the paper starts a new *epoch* that reuses them, shuffled and
recombined into different stories; pages from then on have ``prose_reused=True`` and their
stories may partly overlap earlier ones, so the dedup truth (``cluster``) is exact only on
pages with ``prose_reused=False`` (about 110 pages of prose in all with the default sizes).

Wire stories (新华社/中新社 copy) are the deliberate duplicates: a pool of originals built
from reserved prose, printed by any paper with its own headline, sometimes shortened,
without lead or byline, or in Traditional script; all copies share the cluster
``wire-NNNN`` and carry a ``completeness`` relative to the original.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bench.alignment import nonspace
from bench.render import Block, LayoutKnobs, LineBreak, LineRole, choose_style, render_page
from bench.reprints import make_reprint_corpus  # noqa: F401  (public surface, see README)
from bench.stories import (
    CITIES,
    Story,
    StoryKnobs,
    make_byline,
    make_name,
    make_story,
    make_title,
    map_story_text,
    opencc_converter,
    paragraphs_wanted,
    truncate_story,
)

PAPER_KINDS = ("日报", "晚报", "商报", "都市报", "工人报", "经济报", "法制报", "青年报")
SECTIONS = (
    "要闻",
    "综合新闻",
    "国内",
    "国际",
    "经济",
    "社会",
    "文化",
    "体育",
    "评论",
    "地方新闻",
    "工会新闻",
    "科技",
    "教育",
    "法治",
)
WEEKDAYS = "一二三四五六日"
TOP_TEMPLATES: tuple[tuple[str, ...], ...] = (
    ("{paper} {date} {weekday}", "第{page}版"),
    ("{paper}", "{date}  {weekday}  第{page}版  {section}"),
    ("{page:02d} {section}", "{date} {weekday} {paper}"),
    ("{section}", "{paper}  {date}"),
    ("{date}  {weekday}", "{page}版 {section}"),
    (),
)
BOTTOM_TEMPLATES: tuple[tuple[str, ...], ...] = (
    ("责任编辑：{editor}",),
    ("责任编辑：{editor}  美编：{designer}",),
    ("- {page} -",),
    ("责编：{editor}  校对：{proofreader}",),
    ("责任编辑：{editor}", "- {page} -"),
    ("本版邮箱：{mailbox}",),
    (),
)
# Traditional papers: OpenCC config and the encodings such a paper's files come in. Big5 has
# the Taiwan glyphs (戶 裡 說), not OpenCC's standard ones (户 裏 説) that s2t prints, so s2t
# papers are Unicode-only; Hong Kong papers use Big5-HKSCS.
TRADITIONAL_STYLES = (
    ("s2twp", "big5"),
    ("s2tw", "cp950"),
    ("s2hk", "big5hkscs"),
    ("s2twp", "utf-8"),
    ("s2t", "utf-16"),
    ("s2t", "utf-8"),
)
# Simplified papers cycle through these, so any 3+ papers cover the legacy encodings.
SIMPLIFIED_ENCODINGS = ("utf-8", "gb18030", "utf-8-sig", "utf-16", "utf-8", "gb18030")
QUOTE_CORNER_MAP = str.maketrans(
    {"\u201c": "\u300c", "\u201d": "\u300d", "\u2018": "\u300e", "\u2019": "\u300f"}
)  # “”‘’ -> 「」『』
# OpenCC standard glyphs outside Big5 -> the Big5 (Taiwan/HK print) variants a Big5 paper
# actually prints. Applied before rendering, so the truth has the printed form.
BIG5_VARIANT_MAP = str.maketrans("説閲悦内爲户裏啓着羣衞綫僞峯", "說閱悅內為戶裡啟著群衛線偽峰")
CHUNK = 4  # consecutive source paragraphs kept together in the first epoch (topic coherence)


@dataclass(frozen=True, slots=True)
class PageKnobs:
    """What goes on a page."""

    chars: tuple[int, int] = (2500, 7000)  # target prose characters per page
    fragment: float = 0.15  # page starts with a continuation tail of a story from elsewhere
    truncated: float = 0.3  # last story cut mid-sentence where the page ends
    wire: float = 0.12  # a story slot is filled with a copy of a wire story
    wire_pool: int = 40  # number of wire originals shared by all papers
    furniture: float = 0.95  # page has its paper's running heads/footers at all


@dataclass(frozen=True, slots=True)
class Knobs:
    """All generator knobs, grouped by what they act on (see README for each one)."""

    page: PageKnobs = field(default_factory=PageKnobs)
    story: StoryKnobs = field(default_factory=StoryKnobs)
    layout: LayoutKnobs = field(default_factory=LayoutKnobs)
    n_papers: int = 6
    traditional_papers: float = 0.34  # share of papers printed in Traditional script
    mixed_encodings: bool = True  # else every file is UTF-8
    crlf: float = 0.15  # share of papers whose files use CRLF


@dataclass(frozen=True, slots=True)
class Paper:
    """One source folder: everything that stays the same across its pages."""

    index: int
    slug: str
    name: str
    script: str  # simplified | traditional
    opencc_config: str  # "" or the s2t-family config used for its Traditional text
    corner_quotes: bool  # prints 「」 for “”
    encoding: str
    newline: str
    top: tuple[str, ...]
    bottom: tuple[str, ...]
    date_format: str
    editors: tuple[tuple[str, str, str], ...]  # (editor, designer, proofreader) per page
    sections: tuple[str, ...]
    start: dt.date
    pages_per_issue: int


@dataclass(frozen=True, slots=True)
class Page:
    """A generated page dump and its truth.

    ``raw`` is the page as extraction gives it (LF newlines; the file may use CRLF and a
    legacy encoding, see ``write_corpus``). ``stories`` are in print order. ``furniture``
    are the furniture lines as printed (whole lines of ``raw``). ``line_truth`` has one entry
    per line break of ``raw`` between two non-whitespace characters.
    """

    id: str
    paper: str
    script: str
    encoding: str
    newline: str
    raw: str
    stories: tuple[Story, ...]
    furniture: tuple[str, ...]
    line_truth: tuple[LineBreak, ...]
    prose_reused: bool
    lines: tuple[LineRole, ...] = ()  # the role of every non-blank raw line
    family: str = ""  # the layout family (bench.families); "" for plain generator pages

    @property
    def truth_text(self) -> str:
        """Stories' printed lines (one field per line) in print order, furniture removed."""
        return "\n".join(story.text for story in self.stories)

    @property
    def boundaries(self) -> list[int]:
        """NWS positions of the true boundaries in ``truth_text`` (see bench.metrics)."""
        from bench.metrics import truth_boundaries

        return truth_boundaries(self.truth_text)


def make_paper(seed: int, index: int, knobs: Knobs) -> Paper:
    """Draw one paper's fixed properties from ``seed`` and its index."""
    rng = random.Random(f"{seed}:paper:{index}")
    n_traditional = round(knobs.n_papers * knobs.traditional_papers)
    traditional = index >= knobs.n_papers - n_traditional
    city = CITIES[rng.randrange(len(CITIES))]
    kind = rng.choice(PAPER_KINDS)
    name = f"{city}{kind}"
    # Encodings and configs rotate from a seed-dependent offset rather than being drawn, so
    # that a small corpus still has every kind (a draw gave six UTF-8 papers for seed 7).
    offset = random.Random(f"{seed}:encodings").randrange(6)
    if traditional:
        rank = index - (knobs.n_papers - n_traditional)
        config, encoding = TRADITIONAL_STYLES[(offset + rank) % len(TRADITIONAL_STYLES)]
    else:
        config, encoding = "", SIMPLIFIED_ENCODINGS[(offset + index) % len(SIMPLIFIED_ENCODINGS)]
    if not knobs.mixed_encodings:
        encoding = "utf-8"
    sections = tuple(rng.sample(SECTIONS, 8))
    pages = rng.randint(4, 8)
    return Paper(
        index=index,
        slug=f"paper{index:02d}",
        name=name,
        script="traditional" if traditional else "simplified",
        opencc_config=config,
        corner_quotes=traditional and rng.random() < 0.8,
        encoding=encoding,
        newline="\r\n" if rng.random() < knobs.crlf else "\n",
        top=rng.choice(TOP_TEMPLATES),
        bottom=rng.choice(BOTTOM_TEMPLATES),
        date_format=rng.choice(("{y}年{m}月{d}日", "{y}年{m:02d}月{d:02d}日", "{y}年{m}月{d}日")),
        editors=tuple((make_name(rng), make_name(rng), make_name(rng)) for _ in range(pages)),
        sections=sections,
        start=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000)),
        pages_per_issue=pages,
    )


def fit_glyphs(paper: Paper) -> Callable[[str], str]:
    """Map characters to the variants a Big5-family paper can print; identity otherwise."""
    if paper.encoding in ("big5", "cp950", "big5hkscs"):
        return lambda text: text.translate(BIG5_VARIANT_MAP)
    return lambda text: text


def localizer(paper: Paper) -> Callable[[str], str]:
    """Convert generated Simplified text to the paper's script, glyphs and quotes."""
    if paper.script == "simplified":
        return lambda text: text
    convert = opencc_converter(paper.opencc_config)
    fit = fit_glyphs(paper)
    if paper.corner_quotes:
        return lambda text: fit(convert(text)).translate(QUOTE_CORNER_MAP)
    return lambda text: fit(convert(text))


def furniture_lines(paper: Paper, date: dt.date, page_no: int, top: bool) -> list[str]:
    """The running head (top) or foot (bottom) lines of one page, in the paper's script."""
    editor, designer, proofreader = paper.editors[(page_no - 1) % len(paper.editors)]
    values = {
        "paper": paper.name,
        "page": page_no,
        "date": paper.date_format.format(y=date.year, m=date.month, d=date.day),
        "weekday": "星期" + WEEKDAYS[date.weekday()],
        "section": paper.sections[(page_no - 1) % len(paper.sections)],
        "editor": editor,
        "designer": designer,
        "proofreader": proofreader,
        "mailbox": f"bb{page_no}@{paper.slug}.cn",
    }
    localize = localizer(paper)
    return [localize(t.format(**values)) for t in (paper.top if top else paper.bottom)]


def prose_chunks(paragraphs: Sequence[str], key: str) -> list[list[int]]:
    """Indices of ``paragraphs`` in chunks of ``CHUNK`` consecutive ones, shuffled by ``key``."""
    chunks = [
        list(range(i, min(i + CHUNK, len(paragraphs)))) for i in range(0, len(paragraphs), CHUNK)
    ]
    random.Random(key).shuffle(chunks)
    return chunks


def prose_stream(
    pool: Sequence[str],
    chunks: Sequence[Sequence[int]],
    key: str,
) -> Iterator[tuple[str, bool]]:
    """(paragraph, reused) forever: the chunks in order, then reshuffled epochs."""
    if not chunks:
        msg = "no prose for this paper: give more paragraphs or fewer papers"
        raise ValueError(msg)
    for index in (i for chunk in chunks for i in chunk):
        yield pool[index], False
    everything = [i for chunk in chunks for i in chunk]
    epoch = 1
    while True:
        order = everything[:]
        random.Random(f"{key}:epoch:{epoch}").shuffle(order)
        for index in order:
            yield pool[index], True
        epoch += 1


@dataclass(frozen=True, slots=True)
class ProseShare:
    """One paper's prose: a stream of (paragraph, reused) and the wire originals."""

    stream: Iterator[tuple[str, bool]]
    wires: tuple[Story, ...]


def make_wires(
    seed: int, pool: Sequence[str], chunks: Sequence[Sequence[int]], knobs: Knobs
) -> tuple[Story, ...]:
    """Wire originals (新华社 copy), one per reserved chunk, in Simplified script."""
    wires = []
    for w, chunk in enumerate(chunks):
        rng = random.Random(f"{seed}:wire:{w}")
        body = [pool[i] for i in chunk]
        city = rng.choice(CITIES)
        agency = rng.choice(("新华社", "新华社", "中新社"))
        reporter = make_name(rng)
        lead = f"{agency}{city}{rng.randint(1, 12)}月{rng.randint(1, 28)}日电（记者{reporter}）"
        byline = make_byline(rng, own_line=False) if rng.random() < knobs.story.byline else ""
        paragraphs = [lead + body[0], *body[1:]]
        if byline:
            paragraphs[-1] += byline
        wires.append(
            Story(
                id=f"wire-{w:04d}",
                cluster=f"wire-{w:04d}",
                kind="wire",
                lead=lead,
                reporters=(reporter,),
                paragraphs=tuple(paragraphs),
                byline=byline,
                byline_inline=bool(byline),
            )
        )
    return tuple(wires)


def paper_share(
    seed: int, knobs: Knobs, paper: Paper, simplified: Sequence[str], traditional: Sequence[str]
) -> ProseShare:
    """One paper's prose stream (disjoint from other papers' and from the wire pool)."""
    s_chunks = prose_chunks(simplified, f"{seed}:prose:s")
    n_wire = min(knobs.page.wire_pool, len(s_chunks) // 4)
    wires = make_wires(seed, simplified, s_chunks[:n_wire], knobs)
    mine = s_chunks[n_wire:][paper.index :: knobs.n_papers]
    key = f"{seed}:stream:{paper.index}"
    if paper.script == "simplified":
        return ProseShare(prose_stream(simplified, mine, key), wires)
    # Traditional papers print native Traditional prose and converted Simplified prose.
    papers = [make_paper(seed, i, knobs) for i in range(knobs.n_papers)]
    traditional_papers = [p.index for p in papers if p.script == "traditional"]
    rank = traditional_papers.index(paper.index)
    t_chunks = prose_chunks(traditional, f"{seed}:prose:t")[rank :: len(traditional_papers)]
    convert, fit = localizer(paper), fit_glyphs(paper)
    pool = [fit(traditional[i]) for c in t_chunks for i in c] + [
        convert(simplified[i]) for c in mine for i in c
    ]
    return ProseShare(prose_stream(pool, prose_chunks(pool, key), key), wires)


def wire_copy(rng: random.Random, wire: Story, story_id: str, paper: Paper, knobs: Knobs) -> Story:
    """One paper's copy of a wire story: own headline, maybe shortened, no lead/byline."""
    paragraphs = list(wire.paragraphs)
    lead, byline = wire.lead, wire.byline
    variant = []
    if len(paragraphs) > 1 and rng.random() < 0.3:
        paragraphs = paragraphs[: rng.randint(1, len(paragraphs) - 1)]
        byline = ""
        variant.append("shortened")
    if byline and rng.random() < 0.4:
        paragraphs[-1] = paragraphs[-1].removesuffix(byline)
        byline = ""
        variant.append("no-byline")
    if rng.random() < 0.25:
        paragraphs[0] = paragraphs[0].removeprefix(lead)
        lead = ""
        variant.append("no-lead")
    full = sum(len(nonspace(p)) for p in wire.paragraphs)
    kept = sum(len(nonspace(p)) for p in paragraphs)
    body = [p.removeprefix(wire.lead) for p in wire.paragraphs]
    copy = replace(
        wire,
        id=story_id,
        title=make_title(rng, body, knobs.story.title_quotes),
        lead=lead,
        reporters=wire.reporters if lead else (),
        paragraphs=tuple(paragraphs),
        byline=byline,
        byline_inline=bool(byline),
        completeness=round(kept / full, 4),
        variant="+".join(variant) or "full",
    )
    if paper.script == "traditional":
        copy = replace(map_story_text(copy, localizer(paper)), variant=copy.variant + "+script")
    return copy


def build_page(paper: Paper, share: ProseShare, page_index: int, seed: int, knobs: Knobs) -> Page:
    """Generate page ``page_index`` of ``paper`` (consumes prose from ``share``)."""
    rng = random.Random(f"{seed}:page:{paper.index}:{page_index}")
    issue, page_no = divmod(page_index, paper.pages_per_issue)
    page_no += 1
    date = paper.start + dt.timedelta(days=issue)
    page_id = f"{paper.slug}/{date:%Y%m%d}-p{page_no:02d}"
    localize = localizer(paper)
    reused = False

    def take(n: int) -> list[str]:
        nonlocal reused
        out = []
        for _ in range(n):
            text, was_reused = next(share.stream)
            reused = reused or was_reused
            out.append(text)
        return out

    def own_story(kind: str, paragraphs: list[str], sid: str) -> Story:
        return make_story(
            rng,
            kind,
            paragraphs,
            story_id=sid,
            cluster=sid,
            knobs=knobs.story,
            month=date.month,
            day=date.day,
            localize=localize,
        )

    stories: list[Story] = []
    target = rng.randint(*knobs.page.chars)
    size = 0
    if rng.random() < knobs.page.fragment:
        story = own_story("fragment", take(rng.randint(1, 2)), f"{page_id}/s00")
        stories.append(story)
        size += len(story.text)
    while size < target:
        sid = f"{page_id}/s{len(stories):02d}"
        if share.wires and rng.random() < knobs.page.wire:
            story = wire_copy(rng, share.wires[rng.randrange(len(share.wires))], sid, paper, knobs)
        else:
            kind, n = paragraphs_wanted(rng, knobs.story)
            story = own_story(kind, take(n), sid)
        stories.append(story)
        size += len(story.text)
    if stories[-1].paragraphs and rng.random() < knobs.page.truncated:
        stories[-1] = truncate_story(rng, stories[-1])
    if paper.corner_quotes:
        stories = [map_story_text(s, lambda t: t.translate(QUOTE_CORNER_MAP)) for s in stories]
    has_furniture = rng.random() < knobs.page.furniture
    blocks = [
        Block(line, "furniture", -1)
        for line in (furniture_lines(paper, date, page_no, True) if has_furniture else [])
    ]
    for k, story in enumerate(stories):
        blocks.extend(Block(text, name, k) for name, text in story.fields())
    blocks.extend(
        Block(line, "furniture", -1)
        for line in (furniture_lines(paper, date, page_no, False) if has_furniture else [])
    )
    printed = render_page(blocks, rng, knobs.layout, choose_style(rng, knobs.layout))
    return Page(
        id=page_id,
        paper=paper.slug,
        script=paper.script,
        encoding=paper.encoding,
        newline=paper.newline,
        raw=printed.raw,
        stories=tuple(stories),
        furniture=printed.furniture,
        line_truth=printed.breaks,
        prose_reused=reused,
        lines=printed.lines,
    )


def pages_per_paper(n_pages: int, n_papers: int) -> list[int]:
    """Split ``n_pages`` over papers as evenly as possible.

    >>> pages_per_paper(10, 4)
    [3, 3, 2, 2]
    """
    return [n_pages // n_papers + (i < n_pages % n_papers) for i in range(n_papers)]


def generate_paper_pages(
    seed: int,
    n_pages: int,
    paper_index: int,
    knobs: Knobs,
    simplified: Sequence[str],
    traditional: Sequence[str],
) -> Iterator[Page]:
    """The pages of one paper (independent of the other papers)."""
    paper = make_paper(seed, paper_index, knobs)
    share = paper_share(seed, knobs, paper, simplified, traditional)
    count = pages_per_paper(n_pages, knobs.n_papers)[paper_index]
    for page_index in range(count):
        yield build_page(paper, share, page_index, seed, knobs)


def generate_pages(
    seed: int = 0,
    n_pages: int = 60,
    knobs: Knobs | None = None,
    simplified: Sequence[str] | None = None,
    traditional: Sequence[str] | None = None,
) -> Iterator[Page]:
    """Pages of every paper, paper by paper, deterministic in ``seed``.

    ``simplified``/``traditional`` default to ``bench.prose.load_paragraphs``.
    """
    knobs = knobs or Knobs()
    simplified, traditional = _default_prose(simplified, traditional)
    for paper_index in range(knobs.n_papers):
        yield from generate_paper_pages(seed, n_pages, paper_index, knobs, simplified, traditional)


def _default_prose(
    simplified: Sequence[str] | None,
    traditional: Sequence[str] | None,
) -> tuple[Sequence[str], Sequence[str]]:
    if simplified is None or traditional is None:
        from bench.prose import load_paragraphs

        simplified = load_paragraphs("simplified") if simplified is None else simplified
        traditional = load_paragraphs("traditional") if traditional is None else traditional
    return simplified, traditional


# --------------------------------------------------------------------------- writing


def encode_page(page: Page) -> tuple[bytes, str]:
    """File bytes of a page in its paper's encoding and newline; falls back to UTF-8.

    Returns (bytes, encoding actually used). Big5 cannot encode every character OpenCC
    produces (e.g. 着 in s2hk text); such pages are written in UTF-8 and say so.
    """
    text = page.raw.replace("\n", page.newline)
    try:
        return text.encode(page.encoding), page.encoding
    except UnicodeEncodeError:
        return text.encode("utf-8"), "utf-8"


STORY_FIELDS = (
    "id",
    "cluster",
    "kind",
    "kicker",
    "title",
    "deck",
    "lead",
    "lead_inline",
    "byline",
    "byline_inline",
    "caption",
    "truncated",
    "fragment",
    "completeness",
    "variant",
    "author",
    "continued_from",
    "continued_on",
)


def story_truth(story: Story) -> dict[str, object]:
    """JSON form of a story: its fields, reporters, paragraphs and printed ``text``."""
    entry: dict[str, object] = {name: getattr(story, name) for name in STORY_FIELDS}
    entry["reporters"] = list(story.reporters)
    entry["paragraphs"] = list(story.paragraphs)
    entry["subheads"] = list(story.subheads)
    entry["fields"] = [name for name, _ in story.fields()]  # one per line of ``text``
    entry["text"] = story.text
    return entry


# Variant glyphs of old type (OpenCC t2s leaves 淸 吿 囘 硏 衞 靑 鄕 槪 alone) and the
# standard characters they stand for: the old-print family prints them, and a pipeline
# that folds them (issue 18: convert.variants) writes the standard form in either script.
OLD_GLYPHS = ("清告回研衛青鄉概即既", "淸吿囘硏衞靑鄕槪卽旣")


def unfold_old_glyphs(t2s: Callable[[str], str]) -> Callable[[str], str]:
    """t2s, then each old glyph as t2s writes its standard form (衞 -> 衛 -> 卫)."""
    table = str.maketrans(dict(zip(OLD_GLYPHS[1], map(t2s, OLD_GLYPHS[0]), strict=True)))
    return lambda text: t2s(text).translate(table)


def page_truth(page: Page, encoding: str) -> dict[str, object]:
    """The JSON truth of one page (documented in README: "Truth format")."""
    truth: dict[str, object] = {
        "id": page.id,
        "paper": page.paper,
        "script": page.script,
        "encoding": encoding,
        "newline": page.newline,
        "prose_reused": page.prose_reused,
        "text": page.truth_text,
        "boundaries": page.boundaries,
        "furniture": list(page.furniture),
        "line_truth": [[b.offset, b.nws, b.boundary, b.kind] for b in page.line_truth],
        "lines": [[r.line, r.role, r.story, r.first] for r in page.lines],
        "stories": [story_truth(s) for s in page.stories],
    }
    if page.family:
        truth["family"] = page.family
    if page.script == "traditional":
        t2s = unfold_old_glyphs(opencc_converter("t2s"))
        simplified_text = "\n".join(t2s(line) for line in page.truth_text.split("\n"))
        truth["text_simplified"] = simplified_text
        from bench.metrics import truth_boundaries

        truth["boundaries_simplified"] = truth_boundaries(simplified_text)
        for story, entry in zip(page.stories, truth["stories"], strict=True):  # type: ignore[call-overload]
            entry["text_simplified"] = "\n".join(t2s(line) for line in story.text.split("\n"))
            entry["title_simplified"] = t2s(story.title)
    return truth


def write_page(out_dir: Path, page: Page, truth: bool = True) -> tuple[int, str]:
    """Write ``input/<paper>/<page>.txt`` and ``truth/<paper>/<page>.json``.

    Returns (bytes written, encoding used).
    """
    data, encoding = encode_page(page)
    source = out_dir / "input" / f"{page.id}.txt"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    if not truth:
        return len(data), encoding
    target = out_dir / "truth" / f"{page.id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(page_truth(page, encoding), ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )
    return len(data), encoding


def _manifest_entry(page: Page, written: tuple[int, str]) -> dict[str, object]:
    return {
        "id": page.id,
        "bytes": written[0],
        "encoding": written[1],
        "prose_reused": page.prose_reused,
        "stories": len(page.stories),
        "script": page.script,
    }


def write_manifest(
    out_dir: Path, meta: dict[str, object], entries: list[dict[str, object]]
) -> dict[str, object]:
    """Write ``truth/manifest.json``: meta, one entry per page, total input bytes."""
    manifest = {"meta": meta, "pages": entries, "bytes": sum(int(e["bytes"]) for e in entries)}  # type: ignore[call-overload]
    (out_dir / "truth").mkdir(parents=True, exist_ok=True)
    (out_dir / "truth" / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8"
    )
    return manifest


def write_corpus(
    out_dir: Path | str,
    pages: Iterable[Page],
    *,
    mixed_encodings: bool = True,
    truth: bool = True,
    meta: dict[str, object] | None = None,
) -> dict[str, object]:
    """Write pages to ``out_dir/input/<paper>/`` and their truth to ``out_dir/truth/<paper>/``.

    Each page is written in its paper's encoding and newline (``mixed_encodings=False``:
    UTF-8 for all). ``truth/manifest.json`` lists the pages and their byte sizes. Returns
    the manifest.
    """
    out = Path(out_dir)
    entries = []
    for page in pages:
        page = page if mixed_encodings else replace(page, encoding="utf-8")
        entries.append(_manifest_entry(page, write_page(out, page, truth)))
    return write_manifest(out, meta or {}, entries)


def _write_paper(
    args: tuple[str, int, int, int, Knobs, Sequence[str], Sequence[str], bool],
) -> list[dict[str, object]]:
    out_dir, seed, n_pages, index, knobs, simplified, traditional, truth = args
    return [
        _manifest_entry(page, write_page(Path(out_dir), page, truth))
        for page in generate_paper_pages(seed, n_pages, index, knobs, simplified, traditional)
    ]


def generate_corpus(
    out_dir: Path | str,
    seed: int = 0,
    n_pages: int = 60,
    knobs: Knobs | None = None,
    workers: int = 1,
    simplified: Sequence[str] | None = None,
    traditional: Sequence[str] | None = None,
    truth: bool = True,
) -> dict[str, object]:
    """Generate and write a corpus, one process per paper when ``workers`` > 1.

    The output is byte-identical for any ``workers``. ``truth=False`` writes only the
    input files and the manifest (throughput corpora: page truth is ~6x the input size).
    """
    knobs = knobs or Knobs()
    simplified, traditional = _default_prose(simplified, traditional)
    jobs = [
        (str(out_dir), seed, n_pages, i, knobs, simplified, traditional, truth)
        for i in range(knobs.n_papers)
    ]
    if workers > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_write_paper, jobs, chunksize=1)
    else:
        results = [_write_paper(job) for job in jobs]
    entries = [entry for result in results for entry in result]
    papers = [make_paper(seed, i, knobs) for i in range(knobs.n_papers)]
    meta: dict[str, object] = {
        "seed": seed,
        "n_pages": n_pages,
        "knobs": asdict(knobs),
        "papers": [asdict(p) | {"start": str(p.start)} for p in papers],
        "reused_pages": sum(bool(e["prose_reused"]) for e in entries),
    }
    return write_manifest(Path(out_dir), meta, entries)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m bench.generate OUT [--pages N | --size-mb M] [--seed S] [--workers W]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument(
        "--size-mb",
        type=float,
        default=0.0,
        help="generate about this many MB of page dumps (overrides --pages)",
    )
    parser.add_argument("--papers", type=int, default=Knobs().n_papers)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--utf8-only", action="store_true")
    parser.add_argument(
        "--no-truth",
        action="store_true",
        help="write only input files and the manifest (throughput corpora)",
    )
    args = parser.parse_args(argv)
    knobs = Knobs(n_papers=args.papers, mixed_encodings=not args.utf8_only)
    pages = args.pages
    if args.size_mb:
        pages = max(knobs.n_papers, int(args.size_mb * 1e6 / 11_500))  # ~11.5 kB per page
    start = time.perf_counter()
    manifest = generate_corpus(
        args.out, args.seed, pages, knobs, workers=args.workers, truth=not args.no_truth
    )
    seconds = time.perf_counter() - start
    size = int(manifest["bytes"])  # type: ignore[call-overload]
    print(
        f"{len(manifest['pages'])} pages, {size / 1e6:.1f} MB of page dumps "  # type: ignore[arg-type]
        f"in {seconds:.1f} s ({size / 1e6 / seconds:.2f} MB/s) -> {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
