"""Real Chinese prose for the evaluation corpus, taken from Debian documentation packages.

Nobody on the team wrote this text, so a pipeline cannot be tuned to it by accident. The
sources are translations of technical documentation (Debian Reference, Chinese man pages,
LibreOffice help). They are installed with apt, parsed (HTML or groff), filtered down to
paragraphs of ordinary Chinese prose and cached as JSON in ``bench/.cache/``.

Public surface:

- ``ensure_packages()`` installs the packages whose files are missing (idempotent).
- ``extract_all()`` parses every source and returns ``{source: [paragraph, ...]}``.
- ``load_paragraphs(script)`` returns the cached paragraphs of one script, deterministic order.
- ``is_prose(text)`` and ``clean_paragraph(text)``: the filter and the whitespace repair.

The cache is rebuilt when it is missing or its ``CACHE_VERSION`` differs.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
CACHE_VERSION = 10  # 10: rebuilt once manpages-zh is really installed (see is_installed)
CACHE_PATH = CACHE_DIR / f"prose-v{CACHE_VERSION}.json"

MIN_CHARS = 30
MAX_CHARS = 400


@dataclass(frozen=True, slots=True)
class Source:
    """One Debian package (or one script of it) and where its text lives."""

    name: str  # key in the cache, e.g. "manpages-zh/zh_CN"
    package: str  # Debian package that ships the files
    script: str  # "simplified" | "traditional"
    kind: str  # "html" | "groff"
    root: str  # directory searched recursively
    pattern: str  # glob under root


SOURCES: tuple[Source, ...] = (
    Source(
        "debian-reference-zh-cn",
        "debian-reference-zh-cn",
        "simplified",
        "html",
        "/usr/share/debian-reference",
        "*.zh-cn.html",
    ),
    Source(
        "manpages-zh/zh_CN", "manpages-zh", "simplified", "groff", "/usr/share/man/zh_CN", "man*/*"
    ),
    Source(
        "libreoffice-help-zh-cn",
        "libreoffice-help-zh-cn",
        "simplified",
        "html",
        "/usr/share/libreoffice/help/zh-CN",
        "**/*.html",
    ),
    # Extra Simplified sources beyond the brief's list: more prose means larger corpora
    # before paragraphs must be reused (reuse breaks the dedup truth, see generate.py).
    Source(
        "debian-handbook",
        "debian-handbook",
        "simplified",
        "html",
        "/usr/share/doc/debian-handbook/html/zh-CN",
        "*.html",
    ),
    Source(
        "debian-faq-zh-cn",
        "debian-faq-zh-cn",
        "simplified",
        "html",
        "/usr/share/doc/debian/FAQ/zh-cn",
        "*.html",
    ),
    Source(
        "installation-guide-amd64",
        "installation-guide-amd64",
        "simplified",
        "html",
        "/usr/share/doc/installation-guide-amd64/zh_CN",
        "*.html",
    ),
    Source(
        "debian-reference-zh-tw",
        "debian-reference-zh-tw",
        "traditional",
        "html",
        "/usr/share/debian-reference",
        "*.zh-tw.html",
    ),
    Source(
        "manpages-zh/zh_TW", "manpages-zh", "traditional", "groff", "/usr/share/man/zh_TW", "man*/*"
    ),
    Source(
        "libreoffice-help-zh-tw",
        "libreoffice-help-zh-tw",
        "traditional",
        "html",
        "/usr/share/libreoffice/help/zh-TW",
        "**/*.html",
    ),
)

SCRIPTS = ("simplified", "traditional")

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Full-width punctuation of running Chinese prose (，。、；：？！“”‘’（）《》「」『』—…·).
CJK_PUNCT = (
    "\uff0c\u3002\u3001\uff1b\uff1a\uff1f\uff01\u201c\u201d\u2018\u2019\uff08\uff09"
    "\u300a\u300b\u300c\u300d\u300e\u300f\u2014\u2026\u00b7"
)
CJK_RE = re.compile(rf"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff{CJK_PUNCT}]")
END_RE = re.compile(r"[\u3002\uff01\uff1f]$")  # 。！？
# Marks of code, paths, options, menus and markup: a paragraph with any of them is not prose.
CODE_RE = re.compile(
    r"[\\/<>{}\[\]=|$_~^#@*%&+`\ufffd]|--|\s-\w|[A-Za-z]\.[A-Za-z]|\s-\s|\.\.\.|::"
)
# ASCII ,;:?!. touching Han is broken punctuation in the source, not prose we want as truth
# ("名字. Name 只能"); decimals such as 1.6 are fine.
ASCII_PUNCT_NEAR_HAN_RE = re.compile(
    r"[\u4e00-\u9fff][,;:?!.]|[,;:?!]\s*[\u4e00-\u9fff]|\.\s+[\u4e00-\u9fffA-Z]"
)
BRACKET_PAIRS = ("（）", "()", "“”", "「」", "『』", "《》", "‘’")
BRACKET_RE = re.compile("[" + re.escape("".join(BRACKET_PAIRS)) + "]")
# Enumerations and references such as "1. ", "（参见第 1.2.3 节）" read like tables of contents.
REFERENCE_RE = re.compile(r"第\s*\d+(\.\d+)*\s*[节章]|節\s*\d|^\d+[.、]")
SPACE_RE = re.compile(r"[ \t\u00a0\u2002-\u200a\u3000]+")
INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\ufe0e\ufe0f]")  # incl. soft hyphen
# C0/C1 controls and private use left after cleaning mean a damaged source paragraph.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")


def is_cjk(ch: str) -> bool:
    """True for a Han character or full-width Chinese punctuation.

    >>> is_cjk("中"), is_cjk("，"), is_cjk("a")
    (True, True, False)
    """
    return bool(CJK_RE.match(ch))


def clean_paragraph(text: str) -> str:
    """Join source lines and squeeze spaces the way a reader would see the paragraph.

    A line break between two Chinese characters disappears; any other break becomes one
    space. Spaces next to full-width punctuation are dropped; spaces between Han and Latin
    (``用户的 shell 提示符``) are kept, since that is how these documents are written.

    >>> clean_paragraph(" 一个文件的权限可能会导致它\\n。这是 root\\n用户的 shell  提示符。 ")
    '一个文件的权限可能会导致它。这是 root 用户的 shell 提示符。'
    """
    text = INVISIBLE_RE.sub("", text)
    lines = [SPACE_RE.sub(" ", line).strip() for line in text.splitlines()]
    out = ""
    for line in (ln for ln in lines if ln):
        if out and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    out = re.sub(rf" (?=[{CJK_PUNCT}])", "", out)
    return re.sub(rf"(?<=[{CJK_PUNCT}]) ", "", out)


def is_prose(text: str) -> bool:
    """True when ``text`` is a paragraph of ordinary Chinese prose worth using as truth.

    Kept: 30-400 characters, at least 70 % Han or Chinese punctuation (spaces ignored), at
    least 55 % Han, ending in 。！？, with no code, paths, options or menu paths.

    >>> is_prose("这会保存当前用户的一些环境设定，因此在切换用户之后仍然可以使用原来的命令。")
    True
    >>> is_prose("在任意用户的 shell 提示符下输入“su -l”，这不会保存当前用户的环境设定。")
    False
    >>> is_prose("选择工具 - 选项 - LibreOffice Writer - 格式化帮助。")
    False
    """
    if not MIN_CHARS <= len(text) <= MAX_CHARS or not END_RE.search(text):
        return False
    if CODE_RE.search(text) or ASCII_PUNCT_NEAR_HAN_RE.search(text) or REFERENCE_RE.search(text):
        return False
    if CONTROL_RE.search(text) or not has_balanced_brackets(text):
        return False
    chars = text.replace(" ", "")
    han = len(HAN_RE.findall(chars))
    cjk = len(CJK_RE.findall(chars))
    return cjk >= 0.7 * len(chars) and han >= 0.55 * len(chars)


def has_balanced_brackets(text: str) -> bool:
    """True when every bracket or quote pair opens before it closes and is closed.

    A paragraph cut out of a larger structure ("引数)，为每一个") fails this test.

    >>> has_balanced_brackets("使用 kill(1) 通过进程 ID（发送一个信号）")
    True
    >>> has_balanced_brackets("引数)，为每一个")
    False
    """
    marks = BRACKET_RE.findall(text)
    for pair in BRACKET_PAIRS:
        depth = 0
        for ch in marks:
            depth += (ch == pair[0]) - (ch == pair[1])
            if depth < 0:
                return False
        if depth:
            return False
    return True


SENTENCE_RE = re.compile(r".*?[\u3002\uff01\uff1f]+[\u201d\u300d\u2019\u300f]?|.+$", re.S)


def split_long(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Split a paragraph longer than ``limit`` into runs of whole sentences of <= ``limit``.

    A sentence longer than the limit stays whole (the prose filter then rejects it).

    >>> split_long("第一句。第二句！第三句？", limit=8)
    ['第一句。第二句！', '第三句？']
    """
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for sentence in SENTENCE_RE.findall(text):
        if current and len(current) + len(sentence) > limit:
            chunks.append(current.strip())
            current = ""
        current += sentence
    if current.strip():
        chunks.append(current.strip())
    return chunks


# --------------------------------------------------------------------------- HTML


class _ParagraphParser(HTMLParser):
    """Collect the text of every paragraph, skipping code blocks, scripts and navigation."""

    SKIP = frozenset({"pre", "script", "style", "header", "nav", "aside", "title", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._skip_depth = 0
        self._buffer: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip_depth += 1
        elif tag == "p" or (tag == "div" and "para" in (dict(attrs).get("class") or "").split()):
            # Publican books (debian-handbook) write paragraphs as <div class="para">.
            self._flush()
            self._buffer = []
        elif tag == "br" and self._buffer is not None:
            self._buffer.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in ("p", "li", "td", "div"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._buffer is not None and not self._skip_depth:
            self._buffer.append(data)

    def _flush(self) -> None:
        if self._buffer is not None:
            self.paragraphs.append("".join(self._buffer))
        self._buffer = None

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(html: str) -> list[str]:
    """Text of the <p> (and <div class="para">) elements of a page, in order (unfiltered).

    >>> html_paragraphs('<p>你好<code>ls</code>世界</p><pre>码</pre><div class="para">二段</div>')
    ['你好ls世界', '二段']
    """
    parser = _ParagraphParser()
    parser.feed(html)
    parser.close()
    return parser.paragraphs


# --------------------------------------------------------------------------- groff

# Font requests whose arguments are ordinary text.
FONT_REQUESTS = frozenset({"B", "I", "R", "SM", "SB", "BR", "RB", "IR", "RI", "BI", "IB"})
# Blocks whose content is code, tables, equations or macro definitions.
SKIP_BLOCKS = {
    "nf": "fi",
    "EX": "EE",
    "TS": "TE",
    "EQ": "EN",
    "de": "..",
    "ig": "..",
    "PS": "PE",
    "Vb": "Ve",
    "cs": "ce",
}
GROFF_ESCAPES = (
    (re.compile(r'\\".*$'), ""),
    (re.compile(r"\\f(\[[^\]]*\]|\(..|.)"), ""),
    (re.compile(r"\\s[+-]?\d"), ""),
    (re.compile(r"\\\*?\(lq|\\\*\[lq\]"), "\u201c"),
    (re.compile(r"\\\*?\(rq|\\\*\[rq\]"), "\u201d"),
    (re.compile(r"\\\(oq"), "\u2018"),
    (re.compile(r"\\\(cq"), "\u2019"),
    (re.compile(r"\\\(em"), "\u2014"),
    (re.compile(r"\\\(en"), "\u2013"),
    (re.compile(r"\\[-(]?-"), "-"),
    (re.compile(r"\\[&|^c%]"), ""),
    (re.compile(r"\\[ ~0]"), " "),
    (re.compile(r"\\e"), "\\\\"),
    (re.compile(r"\\\(..|\\\*\[[^\]]*\]|\\\*.|\\[nk*]\(?.."), "\ufffd"),
)


def strip_groff_escapes(line: str) -> str:
    r"""Remove font and size escapes; map the escapes that stand for punctuation.

    Unknown special characters become U+FFFD so that the prose filter rejects them.

    >>> strip_groff_escapes(r"本手册页记录了 GNU 版本的 \fBchmod\fP。\(lq二世\(rq \- 注释 \" x")
    '本手册页记录了 GNU 版本的 chmod。“二世” - 注释 '
    """
    for pattern, repl in GROFF_ESCAPES:
        line = pattern.sub(repl, line)
    return line


def is_block_end(line: str, end: str) -> bool:
    """True when ``line`` closes a skipped block ending with request ``end`` (``..`` or ``fi``)."""
    stripped = line.strip()
    if end == "..":
        return stripped == ".."
    return re.match(rf"[.'][ \t]*{re.escape(end)}\b", stripped) is not None


def _request_text(name: str, args: str) -> str:
    """Text carried by a font request such as ``.B word`` or ``.BR a b``."""
    parts = re.findall(r'"[^"]*"|\S+', args)
    parts = [p.strip('"') for p in parts]
    return " ".join(parts) if len(name) == 1 or name in ("SM", "SB") else "".join(parts)


def groff_paragraphs(source: str) -> list[str]:
    r"""Paragraphs of a man page source, in order (unfiltered).

    Paragraph requests (.PP, .TP, .SH, ...) end a paragraph; the tag line after .TP is a
    paragraph of its own; no-fill blocks (.nf/.fi, .EX/.EE), tables and macro definitions
    are skipped.

    >>> src = ".SH 描述\n本手册页\n记录了 \\fBchmod\\fP。\n.TP\n\\fB\\-v\\fP\n详细输出。\n"
    >>> groff_paragraphs(src + ".nf\ncode\n.fi\n")
    ['描述', '本手册页\n记录了 chmod。', '-v', '详细输出。']
    """
    paragraphs: list[str] = []
    current: list[str] = []
    end_of_block: str | None = None
    tag_pending = False

    def flush() -> None:
        if current:
            paragraphs.append("\n".join(current))
            current.clear()

    for raw in source.splitlines():
        if end_of_block is not None:
            if is_block_end(raw, end_of_block):
                end_of_block = None
            continue
        if raw.startswith((".", "'")):
            match = re.match(r"[.'][ \t]*(\S*)[ \t]*(.*)$", raw)
            name, args = (match.group(1), match.group(2)) if match else ("", "")
            if name in SKIP_BLOCKS:
                flush()
                end_of_block = SKIP_BLOCKS[name]
                continue
            if name in FONT_REQUESTS and args:
                text = strip_groff_escapes(_request_text(name, args))
            elif name in ("SH", "SS") and args:
                flush()
                paragraphs.append(strip_groff_escapes(args.strip('"')))
                continue
            elif name.startswith('\\"'):  # comment line
                continue
            else:  # any other request (.PP, .TP, .if, .ds ...) ends the paragraph
                flush()
                tag_pending = name in ("TP", "TQ")
                continue
        else:
            text = strip_groff_escapes(raw)
        if not text.strip():
            flush()
            continue
        current.append(text)
        if tag_pending:
            tag_pending = False
            flush()
    flush()
    return paragraphs


# --------------------------------------------------------------------------- sources


def read_text_file(path: Path) -> str:
    """Decode a (possibly gzipped) documentation file: UTF-8, else GB18030, else ''."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return ""


def source_files(source: Source) -> list[Path]:
    """The files of one source, sorted by path (so extraction order is deterministic)."""
    root = Path(source.root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob(source.pattern) if p.is_file() and not p.is_symlink())


def extract_source(source: Source) -> list[str]:
    """Prose paragraphs of one source, in file order, without exact repeats."""
    seen: set[str] = set()
    kept: list[str] = []
    split = html_paragraphs if source.kind == "html" else groff_paragraphs
    for path in source_files(source):
        for paragraph in split(read_text_file(path)):
            for text in split_long(clean_paragraph(paragraph)):
                if text not in seen and is_prose(text):
                    seen.add(text)
                    kept.append(text)
    return kept


def is_installed(package: str) -> bool:
    """Whether dpkg lists ``package`` as installed; without dpkg, whether its files exist.

    Files alone do not tell: /usr/share/man/zh_CN holds a dozen pages of other packages
    (passwd, man-db, login) on a machine without manpages-zh, and a cache built there had
    83 man-page paragraphs instead of about 2,000.
    """
    if shutil.which("dpkg-query") is None:
        return any(source_files(s) for s in SOURCES if s.package == package)
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    # "install ok installed"; "unknown ok not-installed" and "deinstall ok config-files" are not
    return status.returncode == 0 and status.stdout.split()[-1:] == ["installed"]


def missing_packages() -> list[str]:
    """Debian packages of SOURCES that are not installed, in SOURCES order."""
    missing: list[str] = []
    for source in SOURCES:
        if source.package not in missing and not is_installed(source.package):
            missing.append(source.package)
    return missing


def ensure_packages() -> list[str]:
    """Install the documentation packages whose files are missing; return what was asked for.

    Runs ``apt-get install -y --no-install-recommends`` once for all missing packages (and
    ``apt-get update`` first if apt does not know one of them). Prints what it does. Does
    nothing when every source already has files. A failure (no apt, not root, no network) is
    reported and extraction goes on with whatever is installed.
    """
    missing = missing_packages()
    if not missing:
        print("prose: all documentation packages present", file=sys.stderr)
        return []
    if shutil.which("apt-get") is None:
        print(f"prose: apt-get not found; cannot install {missing}", file=sys.stderr)
        return missing
    env_cmd = ["env", "DEBIAN_FRONTEND=noninteractive"]
    known = subprocess.run(["apt-cache", "show", *missing], capture_output=True, check=False)
    if known.returncode != 0:
        print("prose: apt-get update", file=sys.stderr)
        subprocess.run([*env_cmd, "apt-get", "update"], check=False)
    cmd = [*env_cmd, "apt-get", "install", "-y", "--no-install-recommends", *missing]
    print("prose: " + " ".join(cmd[2:]), file=sys.stderr)
    result = subprocess.run(cmd, check=False)
    if result.returncode != 0:
        print(
            f"prose: apt-get failed with exit code {result.returncode}; "
            "continuing with the packages that are installed",
            file=sys.stderr,
        )
    return missing


def comparison_key(text: str) -> str:
    """Han and Latin letters/digits only: punctuation, quotes and spaces do not matter."""
    return re.sub(r"[^\w]|_", "", text)


SHINGLE = 4
NEAR_COPY_JACCARD = 0.5


def shingle_set(text: str, n: int = SHINGLE) -> set[str]:
    """Character n-grams of ``comparison_key(text)`` (the whole key when it is shorter).

    >>> sorted(shingle_set("文件系统，权限", 4))
    ['件系统权', '文件系统', '系统权限']
    """
    key = comparison_key(text)
    return {key[i : i + n] for i in range(max(1, len(key) - n + 1))}


def drop_cross_script_copies(traditional: list[str], simplified: list[str]) -> list[str]:
    """Traditional paragraphs that are not a (near) copy of a Simplified paragraph.

    zh_TW man pages and Debian Reference zh-tw are largely machine conversions of the zh_CN
    text, some of an older translation; keeping both would plant unlabelled cross-script
    duplicates in the corpus. A paragraph is a copy when its OpenCC t2s or tw2sp form (tw2sp
    also maps Taiwan vocabulary back, 檔案 -> 文件) has 4-gram Jaccard >= 0.5 with a
    Simplified paragraph.
    """
    import opencc  # deferred: only needed when building the cache

    index: dict[str, list[int]] = {}
    sizes: list[int] = []
    for i, paragraph in enumerate(simplified):
        grams = shingle_set(paragraph)
        sizes.append(len(grams))
        for gram in grams:
            index.setdefault(gram, []).append(i)
    converters = [opencc.OpenCC("t2s"), opencc.OpenCC("tw2sp")]
    kept: list[str] = []
    for paragraph in traditional:
        best = 0.0
        for converter in converters:
            grams = shingle_set(converter.convert(paragraph))
            shared: dict[int, int] = {}
            for gram in grams:
                for i in index.get(gram, ()):
                    shared[i] = shared.get(i, 0) + 1
            for i, n in shared.items():
                best = max(best, n / (len(grams) + sizes[i] - n))
        if best < NEAR_COPY_JACCARD:
            kept.append(paragraph)
    return kept


def extract_all() -> dict[str, list[str]]:
    """Extract every source; a source that fails or is missing gives [] and a message."""
    result: dict[str, list[str]] = {}
    for source in SOURCES:
        try:
            paragraphs = extract_source(source)
        except (OSError, ValueError) as err:  # a damaged package must not stop the others
            print(f"prose: {source.name}: extraction failed: {err}", file=sys.stderr)
            paragraphs = []
        if not paragraphs:
            print(
                f"prose: {source.name}: no paragraphs (package {source.package} missing?)",
                file=sys.stderr,
            )
        result[source.name] = paragraphs
    simplified = [p for s in SOURCES if s.script == "simplified" for p in result[s.name]]
    for source in SOURCES:
        if source.script == "traditional" and result[source.name]:
            before = len(result[source.name])
            result[source.name] = drop_cross_script_copies(result[source.name], simplified)
            dropped = before - len(result[source.name])
            if dropped:
                print(
                    f"prose: {source.name}: dropped {dropped} copies of Simplified paragraphs",
                    file=sys.stderr,
                )
    return result


def build_cache(path: Path = CACHE_PATH) -> dict[str, list[str]]:
    """Install what is missing, extract, and write the JSON cache atomically."""
    ensure_packages()
    extracted = extract_all()
    payload = {
        "version": CACHE_VERSION,
        "sources": {
            s.name: {"package": s.package, "script": s.script, "paragraphs": extracted[s.name]}
            for s in SOURCES
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(payload, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8"
    )
    tmp.replace(path)
    for name, paragraphs in extracted.items():
        print(f"prose: {name}: {len(paragraphs)} paragraphs", file=sys.stderr)
    return extracted


def load_sources(path: Path = CACHE_PATH) -> dict[str, list[str]]:
    """``{source name: paragraphs}`` from the cache, building it first if needed."""
    if path.exists():
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("version") == CACHE_VERSION:
            return {name: entry["paragraphs"] for name, entry in payload["sources"].items()}
    return build_cache(path)


def load_paragraphs(script: str = "simplified") -> list[str]:
    """All cached prose paragraphs of one script, in SOURCES order then document order.

    Raises ``ValueError`` for an unknown script and ``RuntimeError`` when no source gave
    any paragraph (packages could not be installed).
    """
    if script not in SCRIPTS:
        msg = f"script must be one of {SCRIPTS}, got {script!r}"
        raise ValueError(msg)
    sources = load_sources()
    paragraphs = [p for s in SOURCES if s.script == script for p in sources.get(s.name, [])]
    if not paragraphs:
        msg = (
            f"no {script} prose found: install the Debian packages "
            f"({', '.join(sorted({s.package for s in SOURCES}))}) or run "
            "`python -m bench.prose` as root"
        )
        raise RuntimeError(msg)
    return paragraphs


def iter_counts(sources: dict[str, list[str]]) -> Iterator[str]:
    """Human-readable per-source counts."""
    for source in SOURCES:
        paragraphs = sources.get(source.name, [])
        chars = sum(len(p) for p in paragraphs)
        yield f"{source.name:28} {source.script:12} {len(paragraphs):6} paragraphs {chars:8} chars"


def main() -> None:
    """Build (or rebuild with --rebuild) the cache and print per-source counts."""
    if "--rebuild" in sys.argv or not CACHE_PATH.exists():
        sources = build_cache()
    else:
        sources = load_sources()
    for line in iter_counts(sources):
        print(line)


if __name__ == "__main__":
    main()
