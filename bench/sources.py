"""Story pools for the layout families: real stories with real headlines, per source split.

Two sources, each split into ``fit`` (what a model or a rule may be tuned on) and
``measure`` (held out):

* ``pdaily``: People's Daily, January 1998 (``bench.pdaily``; research-only, never
  committed). Stories as the paper printed them: headline blocks, author lines, leads,
  bylines, captions, subheads. Days 1-20 fit, 21-31 measure.
* ``debian``: the Debian documentation prose (``bench.prose``) under its real headings
  (``bench.sections``). A story is a section: its heading as title (the file's title when
  the heading is generic, 描述 / 选项), the file's title as a possible kicker, up to
  ``MAX_PARAGRAPHS`` of its paragraphs. Leads, bylines and captions are generated when a
  family prints them (``StoryPool.dress``). Files are split by a hash of their path.

A ``StoryPool`` holds ``bench.stories.Story`` templates (``cluster`` = the source story)
plus the real heading lines a family may borrow (kickers, long decks) and the plain
paragraphs the unchanged generator (family 0) prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.pdaily import LEAD_RE, PdStory, load_stories
from bench.sections import DocFile, generic_headings, load_files
from bench.stories import Story

SOURCE_NAMES = ("pdaily", "debian")
SPLITS = ("fit", "measure")
MAX_PARAGRAPHS = 6
MAX_TITLE = 30  # characters: a longer heading is used as a deck, never a title
LONG_DECK = (30, 50)  # characters of a long deck (family 4)


@dataclass(frozen=True, slots=True)
class StoryPool:
    """Templates and real heading lines of one source split."""

    source: str
    split: str
    stories: tuple[Story, ...]  # Simplified script
    traditional: tuple[Story, ...] = ()  # native Traditional templates (Debian zh-tw)
    kickers: tuple[str, ...] = ()  # real kicker lines a headline block may borrow
    long_decks: tuple[str, ...] = ()  # real heading lines of 30-50 characters
    dress: bool = False  # templates carry no lead/byline: families generate them
    paragraphs: tuple[str, ...] = ()  # plain body paragraphs (the unchanged generator)
    traditional_paragraphs: tuple[str, ...] = ()


def pd_templates(stories: Sequence[PdStory]) -> list[Story]:
    """``bench.pdaily.PdStory`` objects as ``Story`` templates (lead inline, as printed)."""
    out: list[Story] = []
    for pd in stories:
        paragraphs = tuple(pd.paragraphs)
        if not paragraphs and not pd.caption:
            continue
        kind = pd.kind
        out.append(
            Story(
                id=pd.id,
                cluster=pd.id,
                kind=kind,
                kicker=pd.kicker,
                title=pd.title,
                deck=pd.deck,
                author=pd.author,
                lead=pd.lead,
                lead_inline=True,
                reporters=tuple(pd.reporters),
                paragraphs=paragraphs,
                subheads=tuple(pd.subheads),
                byline=pd.byline,
                byline_inline=False,
                caption=pd.caption,
            )
        )
    return out


def section_templates(
    files: Sequence[DocFile], generic: frozenset[str], script: str = "simplified"
) -> list[Story]:
    """``bench.sections.DocFile`` objects of one script as ``Story`` templates.

    A section with a heading starts a story; a section without one adds its paragraphs to
    the story above. The title is the heading when it is specific and at most
    ``MAX_TITLE`` characters, else the file's title (once per file); the kicker is the
    file's title when it differs from the story's title.
    """
    out: list[Story] = []
    for f in files:
        if f.script != script:
            continue
        used_file_title = False
        runs: list[tuple[int, str, list[str]]] = []  # (section index, title, paragraphs)
        for n, section in enumerate(f.sections):
            if section.heading or not runs:
                heading = section.heading
                if heading in generic or len(heading) > MAX_TITLE:
                    heading = "" if used_file_title else f.title
                    used_file_title = used_file_title or bool(heading)
                runs.append((n, heading, []))
            runs[-1][2].extend(section.paragraphs)
        for n, title, paragraphs in runs:
            if not (title and paragraphs):
                continue
            kicker = f.title if f.title != title and len(f.title) <= MAX_TITLE else ""
            out.append(
                Story(
                    id=f"{f.path}#{n}",
                    cluster=f"{f.path}#{n}",
                    kicker=kicker,
                    title=title,
                    paragraphs=tuple(paragraphs[:MAX_PARAGRAPHS]),
                )
            )
    return out


def heading_lines(files: Sequence[DocFile]) -> list[str]:
    """Every real heading and file title of ``files`` (a pool to borrow decks from)."""
    lines: list[str] = []
    for f in files:
        if f.title:
            lines.append(f.title)
        lines.extend(s.heading for s in f.sections if s.heading)
    return lines


def long_decks(lines: Sequence[str]) -> tuple[str, ...]:
    """The lines of ``LONG_DECK`` length, without repeats, in order."""
    lo, hi = LONG_DECK
    return tuple(dict.fromkeys(line for line in lines if lo <= len(line) <= hi))


def load_pool(source: str, split: str) -> StoryPool:
    """The pool of one source split, from the caches (built on first use)."""
    if source not in SOURCE_NAMES or split not in SPLITS:
        msg = f"source must be one of {SOURCE_NAMES} and split one of {SPLITS}"
        raise ValueError(msg)
    if source == "pdaily":
        pd = load_stories(split)
        stories = pd_templates(pd)
        heads = [h for s in pd for h in (s.kicker, s.title, s.deck) if h]
        body = tuple(
            p[len(m.group()) :] if (m := LEAD_RE.match(p)) else p
            for s in pd
            for i, p in enumerate(s.paragraphs)
            if i not in s.subheads
        )
        return StoryPool(
            source,
            split,
            tuple(stories),
            kickers=tuple(dict.fromkeys(s.kicker for s in pd if s.kicker)),
            long_decks=long_decks(heads),
            paragraphs=tuple(p for p in body if 30 <= len(p) <= 400 and p[-1] in "。！？”"),
        )
    every = load_files()
    files = [f for f in every if f.split == split]
    generic = generic_headings(every)
    simplified = [f for f in files if f.script == "simplified"]
    return StoryPool(
        source,
        split,
        tuple(section_templates(files, generic, "simplified")),
        traditional=tuple(section_templates(files, generic, "traditional")),
        kickers=tuple(dict.fromkeys(f.title for f in simplified if f.title)),
        long_decks=long_decks(heading_lines(simplified)),
        dress=True,
        paragraphs=tuple(p for f in simplified for s in f.sections for p in s.paragraphs),
        traditional_paragraphs=tuple(
            p for f in files if f.script == "traditional" for s in f.sections for p in s.paragraphs
        ),
    )
