"""Read an output folder back: explain one story (``pipeline explain``), compare two runs
(``pipeline diff``).

Everything here works from the files a run wrote (``corpus.jsonl``, ``duplicates.jsonl``,
``quarantine.jsonl``, ``report.json``), streamed: :func:`diff_outputs` holds one small
digest per story, :func:`explain` one record.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.document import ENDINGS, HEADINGS
from pipeline.errors import PipelineError
from pipeline.report.marks import align

# How a page's codec was chosen (``metadata.encoding_method``), for people.
METHODS = {
    "bom": "byte order mark",
    "utf-8": "the whole file is valid UTF-8",
    "damaged-utf-8": "UTF-8 but for a few invalid byte sequences (encoding.on_invalid)",
    "low-confidence": "too short to detect, no folder codec: the best-scoring reading",
    "part": "a part of a big file, with the codec decided on the file's head",
    "record": "a JSONL or Parquet record: its text arrived decoded",
    "utf-16": "UTF-16 without a byte order mark, judged by its text",
    "utf-32": "UTF-32 without a byte order mark, judged by its text",
    "mixed": "lines of UTF-8 among lines of a legacy codec, each decoded with its own",
    "folder": "too short to detect: the codec most files of its folder use",
    "detected": "detected among encoding.candidates, the better-scoring reading won",
}


class ReviewError(PipelineError):
    """An output folder cannot be read, or does not hold what was asked for."""


class StoryNotFoundError(ReviewError):
    """The output folder holds no story with the id asked for."""


@dataclass(frozen=True, slots=True)
class OutputFolder:
    """The files of one run's output folder. ``suffix`` reads ``corpus.jsonl.new`` and
    the like: the run can render its report before it swaps the new files in."""

    root: Path
    suffix: str = ""

    def path(self, name: str) -> Path:
        return self.root / f"{name}{self.suffix}"

    def records(self, name: str) -> Iterator[dict[str, Any]]:
        """Stream the records of ``name`` (e.g. ``corpus.jsonl``); a missing file is empty."""
        path = self.path(name)
        try:
            handle = path.open(encoding="utf-8")
        except FileNotFoundError:
            return
        with handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    msg = f"{path}:{number}: not a JSON record: {err.msg}"
                    raise ReviewError(msg) from err
                if not isinstance(record, dict):
                    msg = f"{path}:{number}: not a JSON object"
                    raise ReviewError(msg)
                yield record

    def stories(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every story the run wrote, kept ones first: ("corpus" | "duplicates", record)."""
        for name in ("corpus", "duplicates"):
            for record in self.records(f"{name}.jsonl"):
                yield name, record

    def report(self) -> dict[str, Any]:
        path = self.path("report.json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            msg = f"{self.root}: no report.json: is this the output folder of a run?"
            raise ReviewError(msg) from err
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            msg = f"{path}: not a JSON report: {err}"
            raise ReviewError(msg) from err
        return data if isinstance(data, dict) else {}

    def check(self) -> None:
        """Fail with a message that says what is wrong when this is no output folder."""
        if not self.root.is_dir():
            msg = f"{self.root}: no such output folder"
            raise ReviewError(msg)
        if not self.path("corpus.jsonl").is_file():
            msg = f"{self.root}: no corpus.jsonl: is this the output folder of a run?"
            raise ReviewError(msg)


# --- explain -----------------------------------------------------------------------------


def explain(folder: OutputFolder, story_id: str) -> str:
    """Where a story came from and what the run did to it, as text for a terminal.

    Raises:
        ReviewError: the folder is no output folder, or holds no story ``story_id``
            (the message suggests close ids).
    """
    folder.check()
    found: dict[str, Any] | None = None
    removed_copies: list[dict[str, Any]] = []
    ids: list[str] = []
    for where, record in folder.stories():
        rid = str(record.get("id"))
        if rid == story_id:
            found = {**record, "_where": where}
        elif record.get("duplicate_of") == story_id:
            removed_copies.append(record)
        if len(ids) < 100_000:
            ids.append(rid)
    if found is None:
        close = difflib.get_close_matches(story_id, ids, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        msg = f"{folder.root}: no story {story_id!r} in corpus.jsonl or duplicates.jsonl{hint}"
        raise StoryNotFoundError(msg)
    meta: Mapping[str, Any] = found.get("metadata") or {}
    span = meta.get("line_span")
    method = str(meta.get("encoding_method", ""))
    steps = [str(s) for s in meta.get("steps") or []]
    rows = [
        ("story", story_id),
        ("status", "kept in corpus.jsonl" if found["_where"] == "corpus" else "removed"),
        ("source", str(meta.get("source", "?"))),
        ("lines", f"{span[0]}–{span[1]}" if isinstance(span, list) and len(span) == 2 else "?"),
        ("page", str(meta.get("parent_id", "?"))),
        ("encoding", f"{meta.get('encoding', '?')} ({METHODS.get(method, method or '?')})"),
        ("script", _script(str(meta.get("script", "?")), steps)),
        ("steps", " → ".join(steps) if steps else "none: no stage changed the text"),
    ]
    invalid = meta.get("invalid_bytes")
    if isinstance(invalid, int) and invalid:
        rows.append(
            (
                "invalid bytes",
                f"{invalid} sequence(s) the codec could not read, each shown as "
                'U+FFFD (encoding.on_invalid = "replace")',
            )
        )
    for name in (*HEADINGS, *ENDINGS):
        if meta.get(name):
            rows.append((name, str(meta[name])))
    if meta.get("reporters"):
        rows.append(("reporters", "、".join(str(r) for r in meta["reporters"])))
    if meta.get("fragment"):
        rows.append(("fragment", str(meta.get("fragment_reason") or "yes")))
    if meta.get("truncated"):
        rows.append(("truncated", "yes"))
    text = str(found.get("text", ""))
    rows.append(("characters", f"{len(text):,} in the text"))
    rows.append(("text", _excerpt(text)))
    rows += _cluster_rows(folder, found, removed_copies)
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def _script(script: str, steps: list[str]) -> str:
    converted = [s.removeprefix("convert.") for s in steps if s.startswith("convert")]
    return f"{script}, converted with OpenCC {converted[0]}" if converted else script


def _excerpt(text: str, size: int = 80) -> str:
    flat = text.replace("\n", " ⏎ ")
    return flat if len(flat) <= size else flat[:size] + "…"


def _figures(record: Mapping[str, Any]) -> str:
    parts = [f"kind {record.get('kind', '?')}"]
    for name in ("similarity", "jaccard", "containment"):
        value = record.get(name)
        if isinstance(value, int | float):
            parts.append(f"{name} {value:.3f}")
    return ", ".join(parts)


def _cluster_rows(
    folder: OutputFolder, found: Mapping[str, Any], removed_copies: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    if found["_where"] == "corpus":
        if not removed_copies:
            return [("cluster", "no copy of this story was removed")]
        rows = [("cluster", f"kept copy; {len(removed_copies)} removed as its duplicates:")]
        rows += [("", f"{r.get('id')} ({_figures(r)})") for r in removed_copies]
        return rows
    kept_id = str(found.get("duplicate_of"))
    rows = [("cluster", f"removed as a duplicate of {kept_id} ({_figures(found)})")]
    siblings = [
        str(r.get("id"))
        for r in folder.records("duplicates.jsonl")
        if r.get("duplicate_of") == kept_id and r.get("id") != found.get("id")
    ]
    if siblings:
        rows.append(("", f"also removed as its copies: {', '.join(siblings)}"))
    return rows


# --- diff ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryChange:
    """A story in both runs whose record differs: which parts, and a short text diff."""

    id: str
    parts: tuple[str, ...]  # "status", "text", "metadata.title", ...
    hunks: tuple[str, ...]  # inline diff hunks of the text: 「…[-old-]{+new+}…」


@dataclass(slots=True)
class OutputDiff:
    """What differs between two output folders, ``a`` the old run and ``b`` the new one."""

    added: list[str] = field(default_factory=list)  # story ids only in b
    removed: list[str] = field(default_factory=list)  # story ids only in a
    changed: list[str] = field(default_factory=list)  # ids in both whose record differs
    details: list[StoryChange] = field(default_factory=list)  # the first changes, explained
    other: list[str] = field(default_factory=list)  # quarantine and report.json differences
    stories: int = 0  # stories in b

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed or self.other)

    def format(self, limit: int = 20) -> str:
        """The differences as text, ``limit`` ids per list."""
        if self.identical:
            return f"identical: {self.stories:,} stories, same quarantine and report"
        lines = [
            f"stories: {len(self.added):,} added, {len(self.removed):,} removed, "
            f"{len(self.changed):,} changed"
        ]
        lines += _listed("+", self.added, limit)
        lines += _listed("-", self.removed, limit)
        for change in self.details[:limit]:
            lines.append(f"~ {change.id}: {', '.join(change.parts)}")
            lines += [f"    {hunk}" for hunk in change.hunks]
        if len(self.changed) > limit:
            lines.append(f"~ ... and {len(self.changed) - limit:,} more changed")
        lines += self.other[: limit * 2]
        return "\n".join(lines)


def _listed(sign: str, ids: list[str], limit: int) -> list[str]:
    lines = [f"{sign} {story_id}" for story_id in ids[:limit]]
    if len(ids) > limit:
        lines.append(f"{sign} ... and {len(ids) - limit:,} more")
    return lines


def diff_outputs(a: OutputFolder, b: OutputFolder, *, details: int = 20) -> OutputDiff:
    """Compare two runs' outputs story by story (by id), then quarantine and report.

    Memory: one 16-byte digest per story of each run, plus the records of the first
    ``details`` changed stories.

    Raises:
        ReviewError: either folder is no output folder.
    """
    a.check()
    b.check()
    old, new = _digests(a), _digests(b)
    result = OutputDiff(stories=len(new))
    result.added = [i for i in new if i not in old]
    result.removed = [i for i in old if i not in new]
    result.changed = [i for i, digest in new.items() if i in old and old[i] != digest]
    wanted = set(result.changed[:details])
    before, after = _records(a, wanted), _records(b, wanted)
    result.details = [_change(i, before[i], after[i]) for i in result.changed[:details]]
    result.other = _quarantine_diff(a, b) + _report_diff(a.report(), b.report())
    return result


def _digests(folder: OutputFolder) -> dict[str, bytes]:
    digests: dict[str, bytes] = {}
    for where, record in folder.stories():
        blob = json.dumps([where, record], ensure_ascii=False, sort_keys=True)
        digests[str(record.get("id"))] = hashlib.blake2b(blob.encode(), digest_size=16).digest()
    return digests


def _records(folder: OutputFolder, ids: set[str]) -> dict[str, dict[str, Any]]:
    return {
        str(r.get("id")): {**r, "_where": where}
        for where, r in folder.stories()
        if str(r.get("id")) in ids
    }


def _change(story_id: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> StoryChange:
    parts = []
    if (old["_where"], old.get("duplicate_of")) != (new["_where"], new.get("duplicate_of")):
        parts.append(f"status {_status(old)} → {_status(new)}")
    old_meta, new_meta = old.get("metadata") or {}, new.get("metadata") or {}
    for key in sorted(set(old_meta) | set(new_meta)):
        if old_meta.get(key) != new_meta.get(key):
            parts.append(f"metadata.{key}")
    for key in sorted((set(old) | set(new)) - {"_where", "id", "text", "metadata"}):
        if old.get(key) != new.get(key) and key != "duplicate_of":
            parts.append(key)
    hunks: tuple[str, ...] = ()
    old_text, new_text = str(old.get("text", "")), str(new.get("text", ""))
    if old_text != new_text:
        parts.insert(0, "text")
        hunks = tuple(inline_diff(old_text, new_text))
    return StoryChange(story_id, tuple(parts), hunks)


def _status(record: Mapping[str, Any]) -> str:
    if record["_where"] == "corpus":
        return "kept"
    return f"duplicate of {record.get('duplicate_of')}"


def inline_diff(old: str, new: str, *, context: int = 8, hunks: int = 5) -> list[str]:
    """A short character diff for a terminal: ``[-removed-]{+added+}`` with some context.

    >>> inline_diff("全国总工会召开会议", "全国总工会昨日召开会议")
    ['…全国总工会{+昨日+}召开会议…']
    """
    out = []
    changes = [op for op in align(old, new) if op[0] != "equal"]
    for tag, i1, i2, j1, j2 in changes[:hunks]:
        before = old[max(0, i1 - context) : i1]
        after = old[i2 : i2 + context]
        removed = f"[-{old[i1:i2]}-]" if tag in ("delete", "replace") else ""
        added = f"{{+{new[j1:j2]}+}}" if tag in ("insert", "replace") else ""
        out.append(f"…{before}{removed}{added}{after}…".replace("\n", "⏎"))
    if len(changes) > hunks:
        out.append(f"… and {len(changes) - hunks:,} more changes")
    return out


def _quarantine_diff(a: OutputFolder, b: OutputFolder) -> list[str]:
    def entries(folder: OutputFolder) -> dict[str, str]:
        records = folder.records("quarantine.jsonl")
        return {_key(q): f"{q.get('path')} ({q.get('reason')})" for q in records}

    old, new = entries(a), entries(b)
    lines = [f"quarantine: + {label}" for key, label in new.items() if key not in old]
    lines += [f"quarantine: - {label}" for key, label in old.items() if key not in new]
    return lines


def _key(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def _report_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    flat_old, flat_new = dict(_leaves(old)), dict(_leaves(new))
    lines = []
    for key in sorted(set(flat_old) | set(flat_new)):
        if key.startswith("files[") or flat_old.get(key) == flat_new.get(key):
            continue  # per-file rows repeat the totals; the totals say enough
        lines.append(f"report.json {key}: {flat_old.get(key, '-')} → {flat_new.get(key, '-')}")
    if not lines and old.get("files") != new.get("files"):
        lines.append("report.json files: the per-file accounting differs")
    return lines


def _leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key in sorted(value):
            yield from _leaves(value[key], f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and prefix == "files":
        for n, item in enumerate(value):
            yield from _leaves(item, f"files[{n}]")
    else:
        yield prefix, json.dumps(value, ensure_ascii=False, sort_keys=True)
