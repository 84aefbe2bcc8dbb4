"""The data model: raw files, documents, stages, and the counters stages report to.

A *stage* is a generator over documents (datatrove's pipeline steps). One-to-one text
rewrites are pure ``str -> str`` functions lifted with :func:`map_text`; flat-map and filter
stages are written as explicit generators. Documents are frozen: a stage that changes one
yields ``dataclasses.replace(doc, ...)`` and appends its name to ``steps``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from pipeline.errors import StageError

# --- The story schema: every list of story fields in the project derives from these -------

# Printed above a story's text, top to bottom (引题, 主题, 副题), and below it.
HEADINGS = ("kicker", "title", "deck")
ENDINGS = ("byline", "caption")
# All a story prints, in print order; "text" is its body, paragraphs separated by "\n".
PRINTED = (*HEADINGS, "text", *ENDINGS)
# The fields a kept duplicate may take from a removed copy that has them. The order is
# stored: it is the bit order of a dedup sketch's flags (``dedup-index.npz``), so append,
# never reorder.
MERGEABLE = ("title", "kicker", "deck", "byline", "reporters", "caption")
# A record's ``metadata``, name and type, in the order of the Parquet schema. A story's
# fields (segmentation's ``Story``) are the ones from "kicker" to "line_span".
METADATA: tuple[tuple[str, str], ...] = (
    ("source", "string"),
    ("source_id", "string"),  # a JSONL/Parquet input record's own id; null for page files
    ("parent_id", "string"),
    ("encoding", "string"),
    ("encoding_method", "string"),
    ("invalid_bytes", "int64"),  # invalid byte sequences in the story, decoded as U+FFFD
    ("script", "string"),
    ("steps", "list<string>"),
    ("kicker", "string"),
    ("title", "string"),
    ("deck", "string"),
    ("reporters", "list<string>"),
    ("byline", "string"),
    ("caption", "string"),
    ("fragment", "bool"),
    ("fragment_reason", "string"),
    ("truncated", "bool"),
    ("line_span", "list<int64>"),
    ("extra", "string"),  # a record input's other keys: a JSON object as a string; null if none
    ("also_printed_in", "list<copy>"),  # removed duplicates of a kept story: {id, source, date}
    ("merged_from", "list<field>"),  # {field, id}: a field taken from a removed copy
    (
        "date",
        "string",
    ),  # ISO date of the issue: the record's date field, the path, the running head
    ("page", "int64"),  # page (版) number: the file name or the running head
    ("collated", "list<change>"),  # {position, old, new, support}: readings mended by its copies
)
# Filled by the driver for a kept story (dedup, collation); a Document has no such attribute.
RUN_FIELDS = ("also_printed_in", "merged_from", "collated")
_NAMES = [name for name, _ in METADATA]
STORY_FIELDS = tuple(_NAMES[_NAMES.index("kicker") : _NAMES.index("line_span") + 1])
# What a removed copy's record adds, beside id, text and metadata (duplicates.jsonl).
DUPLICATE: tuple[tuple[str, str], ...] = (
    ("duplicate_of", "string"),
    ("kind", "string"),
    ("similarity", "double"),
    ("jaccard", "double"),
    ("containment", "double"),
)


@dataclass(frozen=True, slots=True)
class RawFile:
    """Bytes of one input file (or one part of a big one), before decoding.

    ``path`` is relative to the input root. A big file is read in parts cut at line ends:
    ``offset`` is where the part starts in the file (for byte offsets in errors),
    ``first_line`` the source line it starts on, ``part`` its number, and ``codec`` the
    codec decided on the head of the file, which every part is decoded with. A whole file
    whose codec the survey already decided carries it too, so it is not detected twice.
    """

    path: str
    data: bytes
    offset: int = 0
    first_line: int = 1
    part: int | None = None
    codec: str | None = None
    method: str = "part"  # how ``codec`` was decided (the survey's method, or "part")


@dataclass(frozen=True, slots=True)
class Document:
    """A page (before segmentation) or a story (after).

    ``id`` is stable: derived from the source path and the position in it, never random,
    and free of path separators taken from the input.
    """

    id: str
    text: str
    source: str  # path relative to the input root
    encoding: str  # codec the bytes were decoded with, e.g. "gb18030"
    encoding_method: str = ""  # how it was chosen: bom, utf-8, utf-16, detected, folder, mixed
    script: str = "unknown"  # detected script before conversion: simplified, traditional, mixed
    parent_id: str | None = None  # the page a story was cut from
    steps: tuple[str, ...] = ()  # stages that changed the text, in order
    # Story fields, filled by segmentation.
    kicker: str | None = None
    title: str | None = None
    deck: str | None = None
    reporters: tuple[str, ...] = ()
    byline: str | None = None
    caption: str | None = None
    fragment: bool = False
    fragment_reason: str | None = None
    truncated: bool = False
    line_span: tuple[int, int] | None = None  # first and last source line, 1-based
    first_line: int = 1  # the source line a page's text starts on (big files come in parts)
    # Fields a JSONL/Parquet input record carried besides its text and id, as canonical
    # JSON (sorted keys): user data of any shape, passed through untouched.
    extra: str | None = None
    date: str | None = None  # ISO date of the page's issue
    page: int | None = None  # page (版) number in its issue
    # The source line of each U+FFFD that stands for an invalid byte sequence of the page
    # (encoding.on_invalid = "replace"); a story counts those within its line_span.
    replaced_lines: tuple[int, ...] = ()
    source_id: str | None = None  # a record input's own id ("rec-1"); None for pages
    # Which lines of the page each step changed: (index into ``steps``, first, last line),
    # page lines 1-based; a step without an entry may have changed any line. Read once a
    # page is cut into stories, so that a story lists only the steps that changed it.
    step_lines: tuple[tuple[int, int, int], ...] = ()

    @property
    def invalid_bytes(self) -> int:
        """Invalid byte sequences decoded as U+FFFD in this page, or in this story's lines."""
        if self.line_span is None:
            return len(self.replaced_lines)
        first, last = self.line_span
        return sum(1 for line in self.replaced_lines if first <= line <= last)

    def field_text(self) -> str:
        """All text a story carries, fields first, for accounting and comparison."""
        return "".join(filter(None, (getattr(self, name) for name in PRINTED)))


@dataclass(frozen=True, slots=True)
class Quarantined:
    """An input, or one document of it, that did not reach the corpus, and why.

    ``offset`` is a byte offset into the raw file when the reason has a place (the first
    invalid byte); ``chars`` counts the decoded characters lost with it (0 before decoding).
    """

    path: str
    reason: str
    detail: str
    offset: int | None = None
    stage: str = "read"
    chars: int = 0
    bytes: int = 0


Stage = Callable[[Iterable[Document]], Iterator[Document]]

# Ids keep letters, digits, Han, "_", "-" and single dots: never "/", "..", or controls.
_UNSAFE_ID_RE = re.compile(r"[^0-9A-Za-z_.\-\u3400-\u9fff]+|\.{2,}")


def safe_id_part(text: str, limit: int = 48) -> str:
    """``text`` reduced to characters safe in an id, e.g. a file stem or a record's id.

    >>> safe_id_part("../../etc/passwd"), safe_id_part("新华社/0042")
    ('etc_passwd', '新华社_0042')
    """
    return _UNSAFE_ID_RE.sub("_", text).strip("._")[:limit]


def page_id(source: str) -> str:
    """A stable id for the page read from ``source``: its file stem plus a hash of the path.

    The id never contains a path separator or ``..`` from the input, so it is safe to show,
    to use as a key, or (if a user ever does) as a file name.

    >>> page_id("2017/08/workers-daily-page.txt")
    'workers-daily-page-6ed042f0'
    >>> page_id("../../etc/passwd")
    'passwd-830a08e2'
    """
    stem = safe_id_part(PurePosixPath(source).stem) or "page"
    digest = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{stem}-{digest}"


@dataclass(slots=True)
class Stats:
    """What stages did, counted: events per name and characters removed per rule.

    ``chars[rule]`` is the number of characters a rule removed (negative when it added
    some, e.g. a space between two Latin words joined across a line break). Summed over
    every rule, it reconciles characters decoded with characters written.
    """

    events: Counter[str] = field(default_factory=Counter)
    chars: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # one line each, e.g. where a surrogate was

    def merge(self, other: Stats) -> None:
        self.events.update(other.events)
        self.chars.update(other.chars)
        self.notes.extend(other.notes)

    def copy(self) -> Stats:
        return Stats(Counter(self.events), Counter(self.chars), list(self.notes))

    def restore(self, snapshot: Stats) -> None:
        """Forget everything counted since ``snapshot`` was copied."""
        self.events, self.chars, self.notes = snapshot.events, snapshot.chars, snapshot.notes

    def since(self, before: Stats) -> Stats:
        """What was counted after ``before`` was copied (keeps zero and negative values)."""
        return Stats(
            _diff(self.events, before.events),
            _diff(self.chars, before.chars),
            self.notes[len(before.notes) :],
        )


def _diff(now: Counter[str], before: Counter[str]) -> Counter[str]:
    return Counter({k: v - before.get(k, 0) for k, v in now.items() if v != before.get(k, 0)})


ALL_LINES = 1 << 62  # "every line": the last line of a step that changed the line count
_SOURCE_LINE_RE = re.compile("([\n\N{LINE SEPARATOR}])")  # a line end or a wrap mark


def changed_lines(old: str, new: str) -> list[tuple[int, int]]:
    r"""The page lines (1-based, inclusive runs) that differ between ``old`` and ``new``.

    A line is a piece between ``\n`` or wrap marks (U+2028, set where a column break was
    joined); a changed line end changes the lines on both sides of it. When the number of
    lines differs, every line counts as changed.

    >>> changed_lines("湖北\n江西,\n广州", "湖北\n江西，\n广州")
    [(2, 2)]
    >>> changed_lines("工\n会\n讯", "工\u2028会\n讯")
    [(1, 2)]
    """
    a, b = _SOURCE_LINE_RE.split(old), _SOURCE_LINE_RE.split(new)
    if len(a) != len(b):
        return [(1, ALL_LINES)]
    runs: list[tuple[int, int]] = []
    for i in range(0, len(a), 2):
        line = i // 2 + 1
        changed = a[i] != b[i] or (i > 0 and a[i - 1] != b[i - 1])
        changed = changed or (i + 1 < len(a) and a[i + 1] != b[i + 1])
        if not changed:
            continue
        if runs and runs[-1][1] == line - 1:
            runs[-1] = (runs[-1][0], line)
        else:
            runs.append((line, line))
    return runs


def with_step(doc: Document, step: str, text: str) -> Document:
    """``doc`` with ``text``, ``step`` appended to its steps and, on a page, the lines it
    changed (a story's own steps are all its own: they need no lines)."""
    if doc.parent_id is not None:
        return replace(doc, text=text, steps=(*doc.steps, step))
    k = len(doc.steps)
    lines = tuple((k, first, last) for first, last in changed_lines(doc.text, text))
    return replace(doc, text=text, steps=(*doc.steps, step), step_lines=(*doc.step_lines, *lines))


def map_text(
    fn: Callable[[str], str], name: str | None = None, stats: Stats | None = None
) -> Stage:
    """Lift a pure text function into a stage; record it only when it changed the text.

    >>> stage = map_text(str.strip, "strip")
    >>> [d.steps for d in stage([Document("a", " 中文 ", "a.txt", "utf_8")])]
    [('strip',)]
    """
    step = name or fn.__name__

    def stage(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            new = fn(doc.text)
            if new == doc.text:
                yield doc
                continue
            if stats is not None:
                stats.events[step] += 1
                stats.chars[step] += len(doc.text) - len(new)
            yield with_step(doc, step, new)

    stage.__name__ = step
    return stage


def compose(stages: Sequence[Stage]) -> Stage:
    """Chain stages into one; an exception names the stage and the document it failed on."""

    def composed(docs: Iterable[Document]) -> Iterator[Document]:
        stream: Iterable[Document] = docs
        for stage in stages:
            stream = _guarded(stage, stream)
        yield from stream

    return composed


def _guarded(stage: Stage, upstream: Iterable[Document]) -> Iterator[Document]:
    last: list[Document] = []

    def tracked() -> Iterator[Document]:
        for doc in upstream:
            last[:] = [doc]
            yield doc

    try:
        yield from stage(tracked())
    except StageError:
        raise
    except Exception as err:
        doc_id = last[0].id if last else "?"
        raise StageError(getattr(stage, "__name__", repr(stage)), doc_id, err) from err
