"""Real headings over real prose from the Debian packages, split into fit and measure.

``bench.prose`` keeps the paragraphs of the documentation packages; this module keeps, for
every file, its sections: a real heading (HTML ``h1``-``h4`` and ``<title>``, Publican's
``h2 class="title"``, groff ``.SH``/``.SS`` names) and the prose paragraphs under it. The
headlines of the layout families come from these headings, never from clauses cut out of
body prose. Section numbers are dropped (``1.1. 控制台基础`` -> ``控制台基础``); a heading
must be 2-50 characters, at least half of them Han, with no code marks (``GNU/Linux 教程``
is out), not ending in a colon (要组合对象：opens a list). A man page's title is the
Chinese half of its NAME line (``chmod - 改变文件模式比特位`` -> ``改变文件模式比特位``);
generic section names that head many files (描述, 选项, 参见) are never a story's title.

**Split.** Files, not paragraphs, are dealt to ``fit`` or ``measure`` by a hash of their
path (``measure`` when blake2b(path) mod 3 == 0): about a third of each package is held
out, with whole documents (topics, headings, vocabulary) on one side only. Paragraphs are
the ones ``bench.prose`` keeps (same filter, same cross-script copy removal), each used once
(the first file that has it).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.prose import (
    CACHE_DIR,
    CODE_RE,
    HAN_RE,
    SOURCES,
    Source,
    _ParagraphParser,
    clean_paragraph,
    groff_paragraphs,
    load_sources,
    read_text_file,
    source_files,
    split_long,
    strip_groff_escapes,
)

CACHE_VERSION = 1
CACHE_PATH = CACHE_DIR / f"sections-v{CACHE_VERSION}.json"
SPLITS = ("fit", "measure")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
SECTION_NUMBER_RE = re.compile(
    r"^(?:第\s*[\d一二三四五六七八九十]+\s*[章节部分]\s*|附录\s*[A-Z]\.?\s*|[\dA-Z]+(?:\.\d+)*\.?\s+)"
)
NAME_LINE_RE = re.compile(r"^\S.*?\s+[-\u2013\u2014]+\s+(.+)$")  # chmod - 改变文件模式比特位
NAME_HEADINGS = frozenset({"名称", "名稱", "NAME"})
MAX_HEADING = 50  # characters: titles are taken up to 30, longer headings serve as decks
GENERIC_FILES = 3  # a heading found in more files than this is generic (描述, 选项)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the prose paragraphs printed under it, in one file."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocFile:
    """One documentation file: its title (may be empty) and its sections, in order."""

    source: str
    path: str
    script: str
    title: str
    sections: tuple[Section, ...]

    @property
    def split(self) -> str:
        return file_split(self.path)


def file_split(path: str) -> str:
    """``measure`` for about a third of the files (by a hash of the path), else ``fit``.

    >>> file_split("/usr/share/doc/debian-handbook/html/zh-CN/sect.apt-cache.html")
    'measure'
    """
    digest = hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest()
    return "measure" if int.from_bytes(digest, "big") % 3 == 0 else "fit"


def clean_heading(text: str) -> str:
    """A heading's text without its section number, or '' when it is not a usable heading.

    >>> clean_heading("1.1. 控制台基础"), clean_heading("第 1 章 GNU/Linux 教程")
    ('控制台基础', '')
    >>> clean_heading("大纲送至演示文稿"), clean_heading("Help content debug info:")
    ('大纲送至演示文稿', '')
    """
    text = clean_paragraph(text).strip()
    text = SECTION_NUMBER_RE.sub("", text).strip()
    chars = text.replace(" ", "")
    if not 2 <= len(chars) <= MAX_HEADING or CODE_RE.search(text) or text[-1] in "：:，,、":
        return ""
    if len(HAN_RE.findall(chars)) < 0.5 * len(chars):
        return ""
    return text


class _SectionParser(_ParagraphParser):
    """``_ParagraphParser`` that also records headings and where they fall."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []  # (paragraphs before it, text)
        self.title = ""
        self._heading: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HEADING_TAGS:
            self._flush()
            self._heading = []
        elif tag == "title":
            self._in_title = True
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADING_TAGS and self._heading is not None:
            self.headings.append((len(self.paragraphs), "".join(self._heading)))
            self._heading = None
        elif tag == "title":
            self._in_title = False
        super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        elif self._in_title:
            self.title += data
        super().handle_data(data)


def html_sections(html: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """(title, [(raw heading, raw paragraphs)]) of an HTML page, in order.

    >>> html_sections("<title>表单</title><h1>表单导航</h1><p>甲。</p><h2>添加</h2><p>乙。</p>")
    ('表单', [('表单导航', ['甲。']), ('添加', ['乙。'])])
    """
    parser = _SectionParser()
    parser.feed(html)
    parser.close()
    marks = [*parser.headings, (len(parser.paragraphs), "")]
    out: list[tuple[str, list[str]]] = []
    for (start, heading), (end, _) in itertools.pairwise(marks):
        out.append((heading, parser.paragraphs[start:end]))
    return parser.title, out


GROFF_HEADING_RE = re.compile(r"^[.\'][ \t]*S[HS][ \t]+(.*)$")


def groff_sections(source: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """(title from the NAME line, [(heading, paragraphs)]) of a man page source.

    >>> src = ".SH 名称\\nchmod \\\\- 改变文件模式\\n.SH 描述\\n本页记录了程序。\\n"
    >>> groff_sections(src)
    ('改变文件模式', [('名称', ['chmod - 改变文件模式']), ('描述', ['本页记录了程序。'])])
    """
    out: list[tuple[str, list[str]]] = []
    heading, title = "", ""
    chunk: list[str] = []

    def flush() -> None:
        nonlocal title
        paragraphs = groff_paragraphs("\n".join(chunk))
        if heading or paragraphs:
            out.append((heading, paragraphs))
        if heading.strip() in NAME_HEADINGS and paragraphs and not title:
            name = NAME_LINE_RE.match(clean_paragraph(paragraphs[0]))
            title = name.group(1).strip() if name else ""

    for line in source.splitlines():
        match = GROFF_HEADING_RE.match(line)
        if match is None:
            chunk.append(line)
            continue
        flush()
        heading = strip_groff_escapes(match.group(1).strip().strip('"'))
        chunk = []
    flush()
    return title, out


def extract_files(source: Source, keep: set[str], used: set[str]) -> list[DocFile]:
    """The files of one source as ``DocFile``s: paragraphs limited to ``keep`` (the prose
    cache's), each used once (``used`` is updated)."""
    files: list[DocFile] = []
    for path in source_files(source):
        text = read_text_file(path)
        title, raw = html_sections(text) if source.kind == "html" else groff_sections(text)
        sections: list[Section] = []
        for heading, paragraphs in raw:
            kept: list[str] = []
            for paragraph in paragraphs:
                for piece in split_long(clean_paragraph(paragraph)):
                    if piece in keep and piece not in used:
                        used.add(piece)
                        kept.append(piece)
            name = clean_heading(heading)
            if kept or name:
                sections.append(Section(name, tuple(kept)))
        if any(s.paragraphs for s in sections):
            files.append(
                DocFile(
                    source.name, str(path), source.script, clean_heading(title), tuple(sections)
                )
            )
    return files


def build_cache(path: Path = CACHE_PATH) -> list[DocFile]:
    """Extract every source's sections (packages as ``bench.prose`` installs them)."""
    prose = load_sources()
    files: list[DocFile] = []
    for source in SOURCES:
        files.extend(extract_files(source, set(prose.get(source.name, [])), set()))
    payload = {"version": CACHE_VERSION, "files": [asdict(f) for f in files]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return files


def _from_json(entry: dict[str, object]) -> DocFile:
    sections = tuple(
        Section(s["heading"], tuple(s["paragraphs"]))  # type: ignore[index]
        for s in entry["sections"]  # type: ignore[attr-defined]
    )
    return DocFile(
        str(entry["source"]),
        str(entry["path"]),
        str(entry["script"]),
        str(entry["title"]),
        sections,
    )


def load_files(split: str | None = None) -> list[DocFile]:
    """Cached files (built on first use), all or those of one split, in source order."""
    if split is not None and split not in SPLITS:
        msg = f"split must be one of {SPLITS}, got {split!r}"
        raise ValueError(msg)
    files: list[DocFile] | None = None
    if CACHE_PATH.exists():
        payload = json.loads(CACHE_PATH.read_text(encoding="utf-8"))
        if payload.get("version") == CACHE_VERSION:
            files = [_from_json(e) for e in payload["files"]]
    if files is None:
        files = build_cache()
    return [f for f in files if split is None or f.split == split]


def generic_headings(files: list[DocFile]) -> frozenset[str]:
    """Headings that head sections in more than ``GENERIC_FILES`` files (描述, 选项)."""
    counts: Counter[str] = Counter()
    for f in files:
        counts.update({s.heading for s in f.sections if s.heading})
    return frozenset(h for h, n in counts.items() if n > GENERIC_FILES)


def main() -> None:
    """Print files, sections with a heading, and paragraphs per source and split."""
    if "--rebuild" in sys.argv:
        build_cache()
    files = load_files()
    for source in SOURCES:
        for split in SPLITS:
            mine = [f for f in files if f.source == source.name and f.split == split]
            sections = [s for f in mine for s in f.sections if s.heading and s.paragraphs]
            paragraphs = sum(len(s.paragraphs) for f in mine for s in f.sections)
            print(
                f"{source.name:28} {split:8} {len(mine):5} files {len(sections):6} headed "
                f"sections {paragraphs:6} paragraphs"
            )


if __name__ == "__main__":
    main()
