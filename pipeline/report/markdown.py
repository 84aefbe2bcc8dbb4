"""Human-readable summaries of a run, rendered from the ``report.json`` data: report.md, and
the summary tables of report.html."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# The order stages run in, for tables; report.json sorts them by name.
STAGE_ORDER = (
    "decode",
    "normalize",
    "date",
    "script",
    "lines",
    "segment",
    "convert",
    "variants",
    "dedup",
)


def render_markdown(data: dict[str, Any]) -> str:
    """A short summary for people: what came in, what went out, what was set aside."""
    acc = data["accounting"]
    files, stories, chars, size = acc["files"], acc["stories"], acc["chars"], acc["bytes"]
    by_rules = sum(chars["removed_by_rule"].values())
    lines = [
        "# Clean corpus report",
        "",
        f"- files: {files['found']} read = {files['with_stories']} with stories "
        f"({files['partly_quarantined']} of them partly quarantined) + {files['quarantined']} "
        f"quarantined + {files['without_stories']} without stories; "
        f"{files['set_aside']} more set aside before reading",
        f"- stories: {stories['found']} found, {stories['kept']} kept, "
        f"{stories['duplicates']} duplicates removed",
        f"- bytes: {size['read']} read = {size['decoded']} decoded + {size['quarantined']} "
        f"quarantined (unaccounted: {size['unaccounted']})",
        f"- characters: {chars['decoded']} decoded = {chars['kept']} kept "
        f"+ {chars['duplicates']} in duplicates + {chars['quarantined']} quarantined "
        f"+ {by_rules} removed by rules (unaccounted: {chars['unaccounted']})",
    ]
    replaced = data["counts"].get("decode.replacement", 0)
    if replaced:
        damaged = sum(1 for f in data["files"] if f.get("invalid_bytes"))
        lines.append(
            f"- invalid bytes: {replaced} sequence(s) in {damaged} file(s) decoded as U+FFFD "
            "(encoding.on_invalid); each story says how many it holds in "
            "metadata.invalid_bytes"
        )
    lines += [
        "",
        "## Encodings",
        "",
        "| encoding | files |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {count} |" for name, count in data["encodings"].items()]
    lines += ["", "## Characters removed by rule", "", "| rule | characters |", "| --- | --- |"]
    lines += [f"| {rule} | {count} |" for rule, count in chars["removed_by_rule"].items()]
    lines += ["", "## Quarantine", ""]
    if not data["quarantine_reasons"]:
        lines.append("Nothing was quarantined.")
    else:
        lines.append("| reason | entries |")
        lines.append("| --- | --- |")
        lines += [f"| {reason} | {n} |" for reason, n in data["quarantine_reasons"].items()]
        lines.append("")
        entries = sum(data["quarantine_reasons"].values())
        lines.append(
            f"{entries} {'entry' if entries == 1 else 'entries'} in `quarantine.jsonl`, one per "
            "file, part or record set aside, with its byte offset and the detail."
        )
    lines.append("")
    return "\n".join(lines)


# --- tables for report.html ---------------------------------------------------------------


def summary_tables(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report.json figures as rows for report.html, every mapping in a fixed order
    (stages in pipeline order, the rest sorted), so that the page is deterministic.

    >>> summary_tables({"stages": {"segment": {}, "normalize": {}}})["stages"]
    [('normalize', 0, 0, 0, 0), ('segment', 0, 0, 0, 0)]
    """
    acc = report.get("accounting") or {}
    files, stories = acc.get("files") or {}, acc.get("stories") or {}
    chars = acc.get("chars") or {}
    rules = chars.get("removed_by_rule") or {}
    counts = report.get("counts") or {}
    stages = report.get("stages") or {}
    order = {name: k for k, name in enumerate(STAGE_ORDER)}
    return {
        "cards": [
            (
                "files",
                files.get("found", 0),
                f"{format_count(files.get('with_stories', 0))} with stories",
            ),
            (
                "stories kept",
                stories.get("kept", 0),
                f"of {format_count(stories.get('found', 0))} found",
            ),
            ("duplicates removed", stories.get("duplicates", 0), "stories"),
            (
                "files quarantined",
                files.get("quarantined", 0) + files.get("partly_quarantined", 0),
                f"{format_count(files.get('partly_quarantined', 0))} of them in part · "
                f"{format_count(files.get('set_aside', 0))} set aside",
            ),
            (
                "characters kept",
                chars.get("kept", 0),
                f"of {format_count(chars.get('decoded', 0))} decoded",
            ),
        ],
        "chars": [
            ("decoded", chars.get("decoded", 0)),
            ("kept", chars.get("kept", 0)),
            ("in duplicates", chars.get("duplicates", 0)),
            ("quarantined", chars.get("quarantined", 0)),
            ("removed by rules", sum(v for v in rules.values() if isinstance(v, int))),
        ],
        "unaccounted": chars.get("unaccounted", 0),
        "set_aside": files.get("set_aside", 0),
        "bytes": [(k, v) for k, v in (acc.get("bytes") or {}).items() if k != "unaccounted"],
        "bytes_unaccounted": (acc.get("bytes") or {}).get("unaccounted", 0),
        "rules": sorted(rules.items()),
        "encodings": sorted((report.get("encodings") or {}).items()),
        "scripts": _prefixed(counts, "script."),
        "reasons": sorted((report.get("quarantine_reasons") or {}).items()),
        "stages": [
            (
                name,
                row.get("docs_in", 0),
                row.get("docs_out", 0),
                row.get("chars_in", 0),
                row.get("chars_out", 0),
            )
            for name, row in sorted(
                stages.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])
            )
        ],
        "config": json.dumps(
            report.get("config") or {}, ensure_ascii=False, sort_keys=True, indent=2
        ),
        "versions": sorted((report.get("versions") or {}).items()),
    }


def format_count(value: Any) -> str:
    """An integer with thousands separators; anything else as it is.

    >>> format_count(7268), format_count(True), format_count(None)
    ('7,268', 'True', 'None')
    """
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _prefixed(counts: Mapping[str, Any], prefix: str) -> list[tuple[str, Any]]:
    return sorted((k.removeprefix(prefix), v) for k, v in counts.items() if k.startswith(prefix))
