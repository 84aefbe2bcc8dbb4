"""The run's books: every decoded character ends up kept, in a removed duplicate,
quarantined, or removed by a named rule; ``report.json`` shows that the books balance,
for the whole run and for each file.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib import metadata
from platform import python_version
from typing import Any

from pipeline.config import Config
from pipeline.document import Quarantined

DEPENDENCIES = (
    "charset-normalizer",
    "datasketch",
    "ftfy",
    "jinja2",
    "numpy",
    "opencc",
    "pyarrow",
    "rapidfuzz",
    "tqdm",
    "yitizi",
    "zstandard",
)
# Inputs that could not be read at all (as opposed to content set aside on purpose): the
# run exits non-zero for them unless --allow-missing says they were expected.
FAILED_REASONS = frozenset({"unreadable", "vanished"})
MERGE_RULE = "dedup.merge_fields"  # negative: characters a kept copy took from removed ones


def report_data(
    cfg: Config,
    files: Iterable[dict[str, Any]],
    quarantined: list[Quarantined],
    written: dict[str, Counter[str]],
    dedup: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The content of ``report.json``.

    ``files`` are the per-file metas the workers wrote; ``written`` counts, per source
    file, the characters and stories the writer put in the corpus and in the duplicates.
    """
    events: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    per_file = []
    for f in files:
        events.update(f["events"])
        rules.update(f["chars"])
        per_file.append(file_accounting(f, written.get(f["path"], Counter())))
    totals: Counter[str] = Counter()
    for counts in written.values():
        totals.update(counts)
    decoded = rules.pop("decoded", 0)
    lost = rules.pop("quarantined", 0)
    # Fields a kept copy took from removed ones are characters added, by the dedup rule.
    rules[MERGE_RULE] -= totals["merged"]
    removed = {rule: n for rule, n in sorted(rules.items()) if n}
    read = [q for q in quarantined if q.stage != "discover"]  # set aside: never read
    return {
        "accounting": {
            "bytes": byte_books(
                sum(f["bytes"] for f in per_file),
                sum(f["bytes_decoded"] for f in per_file),
                sum(q.bytes for q in read),
            ),
            "chars": {
                "decoded": decoded,
                "kept": totals["kept"],
                "duplicates": totals["duplicates"],
                "quarantined": lost,
                "removed_by_rule": removed,
                "unaccounted": decoded
                - totals["kept"]
                - totals["duplicates"]
                - lost
                - sum(removed.values()),
            },
            "files": file_counts(per_file, quarantined),
            "stories": {
                "found": totals["kept_stories"] + totals["duplicate_stories"],
                "kept": totals["kept_stories"],
                "duplicates": totals["duplicate_stories"],
            },
        },
        "config": output_config(cfg),
        "counts": {k: v for k, v in sorted(events.items()) if not k.endswith(("_in", "_out"))},
        # Files per codec, each file once (a big file's parts and a JSONL file's records
        # are one file); "a+b" for a file whose parts or lines took two codecs.
        "encodings": dict(
            sorted(Counter(f["encoding"] for f in per_file if f["encoding"]).items())
        ),
        "dedup": dict(sorted((dedup or {}).items())),
        "stages": stage_table(events),
        "files": per_file,
        "quarantine_reasons": dict(sorted(Counter(q.reason for q in quarantined).items())),
        "versions": versions(),
    }


def file_counts(per_file: list[dict[str, Any]], quarantined: list[Quarantined]) -> dict[str, int]:
    """Every file read in exactly one of three groups, ``found = with_stories +
    quarantined + without_stories``, and those set aside before reading beside them.

    ``partly_quarantined`` files are among those with stories: some of their records or
    parts were quarantined. ``quarantined`` files gave no story and have a quarantine
    entry; ``without_stories`` files gave none and have none (a page of running heads).
    """
    entries = Counter(q.path for q in quarantined if q.stage != "discover")
    with_stories = [f for f in per_file if f["stories"]]
    return {
        "found": len(per_file),
        "with_stories": len(with_stories),
        "partly_quarantined": sum(1 for f in with_stories if entries[f["path"]]),
        "quarantined": sum(1 for f in per_file if not f["stories"] and entries[f["path"]]),
        "without_stories": sum(1 for f in per_file if not f["stories"] and not entries[f["path"]]),
        "set_aside": sum(1 for q in quarantined if q.stage == "discover"),
        "failed": len({q.path for q in quarantined if q.reason in FAILED_REASONS}),
        "quarantine_entries": sum(entries.values()),
    }


def output_config(cfg: Config) -> dict[str, Any]:
    """The settings that decide the output bytes. Execution settings (``run``: worker count,
    unit sizes) and where the output went are left out, so any worker count writes the same
    report, and the report does not depend on the folder it was written to."""
    settings = cfg.to_dict()
    del settings["run"]
    del settings["output"]["root"]
    return settings


def byte_books(read: int, decoded: int, quarantined: int) -> dict[str, int]:
    """Every byte read became text or was quarantined: ``read = decoded + quarantined``.

    >>> byte_books(2_500_000, 2_500_000, 0)["unaccounted"]
    0
    """
    return {
        "read": read,
        "decoded": decoded,
        "quarantined": quarantined,
        "unaccounted": read - decoded - quarantined,
    }


def file_accounting(f: dict[str, Any], written: Counter[str]) -> dict[str, Any]:
    """One file's books: the same reconciliation as the run's."""
    chars = Counter(f["chars"])
    decoded = chars.pop("decoded", 0)
    lost = chars.pop("quarantined", 0)
    chars[MERGE_RULE] -= written["merged"]
    removed = {k: v for k, v in sorted(chars.items()) if v}
    kept, duplicates = written["kept"], written["duplicates"]
    encodings = sorted(k.split(".", 1)[1] for k in f["events"] if k.startswith("encoding."))
    return {
        "path": f["path"],
        "bytes": f["bytes"],
        "stories": f["stories"],
        "encoding": "+".join(encodings) or None,
        "quarantine": sorted({q["reason"] for q in f["quarantine"]}),
        "notes": f.get("notes", []),
        "invalid_bytes": f["events"].get("decode.replacement", 0),
        **{
            f"bytes_{k}": v
            for k, v in byte_books(
                f["bytes"], f["bytes_decoded"], sum(q["bytes"] for q in f["quarantine"])
            ).items()
            if k != "read"  # that is "bytes", the file's size
        },
        "chars": {
            "decoded": decoded,
            "kept": kept,
            "duplicates": duplicates,
            "quarantined": lost,
            "removed_by_rule": removed,
            "unaccounted": decoded - kept - duplicates - lost - sum(removed.values()),
        },
    }


def stage_table(events: Counter[str]) -> dict[str, dict[str, int]]:
    """``{"normalize": {"docs_in": .., "docs_out": .., "chars_in": .., "chars_out": ..}}``."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for key, value in events.items():
        stage, _, measure = key.rpartition(".")
        if measure in ("docs_in", "docs_out", "chars_in", "chars_out"):
            table[stage][measure] = value
    return dict(sorted(table.items()))


def versions() -> dict[str, str]:
    """Python's and every dependency's version: they decide the output bytes too."""
    found = {"python": python_version()}
    for name in DEPENDENCIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found
