"""Human-readable summaries of a run, rendered from the ``report.json`` data."""

from __future__ import annotations

from typing import Any


def render_markdown(data: dict[str, Any]) -> str:
    """A short summary for people: what came in, what went out, what was set aside."""
    acc = data["accounting"]
    files, stories, chars = acc["files"], acc["stories"], acc["chars"]
    by_rules = sum(chars["removed_by_rule"].values())
    lines = [
        "# Clean corpus report",
        "",
        f"- files: {files['found']} found, {files['with_stories']} with stories, "
        f"{files['quarantined']} quarantined, {files['set_aside']} set aside before reading",
        f"- stories: {stories['found']} found, {stories['kept']} kept, "
        f"{stories['duplicates']} duplicates removed",
        f"- characters: {chars['decoded']} decoded = {chars['kept']} kept "
        f"+ {chars['duplicates']} in duplicates + {chars['quarantined']} quarantined "
        f"+ {by_rules} removed by rules (unaccounted: {chars['unaccounted']})",
        "",
        "## Encodings",
        "",
        "| encoding | files |",
        "| --- | --- |",
    ]
    for key, count in data["counts"].items():
        if key.startswith("encoding."):
            lines.append(f"| {key.removeprefix('encoding.')} | {count} |")
    lines += ["", "## Characters removed by rule", "", "| rule | characters |", "| --- | --- |"]
    lines += [f"| {rule} | {count} |" for rule, count in chars["removed_by_rule"].items()]
    lines += ["", "## Quarantine", ""]
    quarantined = [f for f in data["files"] if f["quarantine"]]
    if not quarantined and not data["quarantine_reasons"]:
        lines.append("Nothing was quarantined.")
    else:
        lines += [f"- {reason}: {count}" for reason, count in data["quarantine_reasons"].items()]
        lines.append("")
        lines.append("See `quarantine.jsonl` for each file, its byte offset and the detail.")
    lines.append("")
    return "\n".join(lines)
