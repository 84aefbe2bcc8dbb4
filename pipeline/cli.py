"""Command line: ``python -m pipeline clean`` (also installed as ``pipeline`` and ``clean-corpus``).

Exit codes: 0 success (quarantined inputs are reported, not fatal); 1 a failed run, an input
that could not be read (unless ``--allow-missing``), or any quarantined input with
``--strict``; 2 a usage or configuration error; 130 interrupted (resume with ``--resume``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.config import Config, load_config
from pipeline.engine import Report, rate, run_pipeline, validate
from pipeline.errors import ConfigError, Interrupted, PipelineError
from pipeline.report import OutputFolder, StoryNotFoundError, diff_outputs, explain

DEFAULT_CONFIG = Path("config/pipeline.toml")

DESCRIPTION = """\
Clean and deduplicate Chinese newspaper page dumps.

Reads every file under the input folder (UTF-8, GB18030/GBK, Big5, UTF-16...), decodes and
normalises it, converts Traditional script to Simplified, repairs column breaks, splits
pages into stories, removes duplicate stories, and writes to the output folder:
corpus.jsonl, duplicates.jsonl, quarantine.jsonl, report.json, report.md and report.html
(a page to review the run in a browser)."""

EXIT_CODES = """\
exit codes:
  0    success (quarantined inputs are listed in quarantine.jsonl, not fatal)
  1    a failed run, an input that could not be read (unless --allow-missing), or any
       quarantined input with --strict
  2    a usage or configuration error (no such input folder, an output folder inside
       the input, a bad --set)
  130  interrupted by Ctrl-C or SIGTERM: finished units are kept for --resume"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipeline",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_version(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    clean = commands.add_parser(
        "clean",
        help="clean a folder of page dumps into a corpus",
        description=DESCRIPTION,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_clean_arguments(clean)
    explain_cmd = commands.add_parser(
        "explain",
        help="show where one story came from and what the run did to it",
        description="Show a story's provenance from an output folder: source file and lines, "
        "encoding and how it was chosen, script, each stage that changed the text, and its "
        "duplicate cluster.",
    )
    explain_cmd.add_argument(
        "story_id", metavar="STORY_ID", help="e.g. 2017-08-28-page-1e40cae3-s01"
    )
    explain_cmd.add_argument(
        "--output", metavar="DIR", type=Path, help="output folder (default: output.root)"
    )
    diff_cmd = commands.add_parser(
        "diff",
        help="compare two output folders (exit 0 identical, 1 different)",
        description="Compare two output folders story by story: stories added, removed and "
        "changed (with a short text diff), then quarantine and report.json. Exit code 0 when "
        "they are identical, 1 when they differ, 2 when a folder cannot be read.",
    )
    diff_cmd.add_argument("old", metavar="A", type=Path, help="the old output folder")
    diff_cmd.add_argument("new", metavar="B", type=Path, help="the new output folder")
    diff_cmd.add_argument(
        "--limit", metavar="N", type=int, default=20, help="ids listed per kind (default 20)"
    )
    return parser


def add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="print the version"
    )


def add_clean_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help=f"TOML config file (default: {DEFAULT_CONFIG} if it exists, else built-in defaults)",
    )
    parser.add_argument(
        "--input", metavar="DIR", help="folder of page dumps (overrides input.root)"
    )
    parser.add_argument(
        "--output", metavar="DIR", help="folder for the clean corpus (overrides output.root)"
    )
    parser.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        dest="overrides",
        help="override one config key, e.g. --set dedup.threshold=0.85 "
        "(repeatable; the value is a TOML literal, a bare word is a string)",
    )
    parser.add_argument(
        "--workers",
        metavar="N",
        type=int,
        help="worker processes (default: run.workers, 0 = one per CPU core)",
    )
    parser.add_argument(
        "--engine",
        choices=("local", "ray"),
        help="where the per-file work runs: local processes (default) or Ray Data "
        "(pip install '.[ray]'; run.ray_address points at an existing cluster)",
    )
    parser.add_argument(
        "--index",
        metavar="OLD_OUTPUT",
        action="append",
        default=[],
        help="an earlier output folder to deduplicate against (repeatable): new stories "
        "that repeat one of its stories are dropped, pointing at it; it is not changed",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run: redo only the units it did not finish "
        "(refused if the config, code or input changed)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with 1 if any input was quarantined"
    )
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="exit with 0 even if input files vanished or could not be read during the run "
        "(they are listed in quarantine.jsonl either way)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m pipeline``; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "explain":
        return explain_story(args)
    if args.command == "diff":
        return diff_folders(args)
    return clean(args)


def clean_main(argv: list[str] | None = None) -> int:
    """Entry point of ``clean-corpus``: ``pipeline clean`` without the subcommand word."""
    parser = argparse.ArgumentParser(
        prog="clean-corpus",
        description=DESCRIPTION,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_version(parser)
    add_clean_arguments(parser)
    return clean(parser.parse_args(argv))


def clean(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.WARNING, format="%(levelname)s: %(message)s"
    )
    try:
        cfg = _config(args)
        validate(cfg)
    except ConfigError as err:
        print(f"pipeline: config error: {err}", file=sys.stderr)
        return 2
    progress = not args.quiet and sys.stderr.isatty()
    try:
        report = run_pipeline(cfg, resume=args.resume, progress=progress, index=args.index)
    except Interrupted as err:
        print(f"pipeline: {err}", file=sys.stderr)
        return 130
    except ConfigError as err:  # found only once the run looked at the folders
        print(f"pipeline: config error: {err}", file=sys.stderr)
        return 2
    except PipelineError as err:
        print(f"pipeline: error: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(summary(report))
    if report.failed and not args.allow_missing:
        print(
            f"pipeline: {report.failed} input file(s) could not be read (see quarantine.jsonl; "
            "--allow-missing accepts that)",
            file=sys.stderr,
        )
        return 1
    if args.strict and report.quarantined:
        print(
            f"pipeline: {report.quarantined} input file(s) quarantined (--strict)", file=sys.stderr
        )
        return 1
    return 0


def explain_story(args: argparse.Namespace) -> int:
    """``pipeline explain``: 0 found, 1 no such story, 2 no such output folder."""
    try:
        output = args.output or Path(load_config(_default_config_path()).output.root)
    except ConfigError as err:
        print(f"pipeline: config error: {err}", file=sys.stderr)
        return 2
    try:
        text = explain(OutputFolder(output), args.story_id)
    except StoryNotFoundError as err:
        print(f"pipeline: {err}", file=sys.stderr)
        return 1
    except PipelineError as err:
        print(f"pipeline: {err}", file=sys.stderr)
        return 2
    print(text)
    return 0


def diff_folders(args: argparse.Namespace) -> int:
    """``pipeline diff``: 0 identical, 1 different, 2 a folder cannot be read."""
    try:
        result = diff_outputs(OutputFolder(args.old), OutputFolder(args.new), details=args.limit)
    except PipelineError as err:
        print(f"pipeline: {err}", file=sys.stderr)
        return 2
    print(result.format(args.limit))
    return 0 if result.identical else 1


def _default_config_path() -> Path | None:
    return DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None


def _config(args: argparse.Namespace) -> Config:
    path = args.config
    if path is None and DEFAULT_CONFIG.exists():
        path = DEFAULT_CONFIG
    overrides = list(args.overrides)
    if args.input is not None:
        overrides.append(f"input.root={_toml_string(args.input)}")
    if args.output is not None:
        overrides.append(f"output.root={_toml_string(args.output)}")
    if args.workers is not None:
        overrides.append(f"run.workers={args.workers}")
    if args.engine is not None:
        overrides.append(f"run.engine={_toml_string(args.engine)}")
    return load_config(path, overrides)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def summary(report: Report) -> str:
    """The final tables printed after a run: what happened, how fast, where to look."""
    acc = report.data["accounting"]
    seconds = report.timings.get("total", 0.0) or 1e-9
    total_mb = sum(f["bytes"] for f in report.data["files"]) / 1e6
    resumed = report.resumed
    # The throughput is what this run did itself: a resume's reused units are not its work.
    megabytes = resumed.get("bytes", total_mb * 1e6) / 1e6
    found = acc["stories"]["found"]
    rows = [
        ("files", acc["files"]["found"]),
        ("stories kept", acc["stories"]["kept"]),
        ("duplicates removed", acc["stories"]["duplicates"]),
        ("quarantined files", report.quarantined),
        ("set aside", acc["files"]["set_aside"]),
        ("seconds", f"{seconds:.1f}"),
        ("throughput", f"{rate(megabytes / seconds)} MB/s, {found / seconds:,.0f} stories/s"),
    ]
    if resumed.get("reused"):
        rows.insert(
            -2,
            (
                "resumed",
                f"{resumed['reused']} of {resumed['units']} units reused from the interrupted "
                f"run; {megabytes:,.1f} of {total_mb:,.1f} MB processed now",
            ),
        )
    compiled = report.timings.get("cpu.compile", 0.0)
    if compiled >= 1:
        rows.append(
            (
                "",
                f"of which {compiled:.1f} s compiling the MinHash kernels: a first run's "
                "one-off, numba caches them for later runs",
            )
        )
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    cpu = {k.removeprefix("cpu."): v for k, v in report.timings.items() if k.startswith("cpu.")}
    if cpu:
        lines += ["", "stage            CPU s   MB/s per core"]
        lines += [
            f"{stage:<15} {spent:6.1f}   {rate(megabytes / spent):>8}"
            if spent and stage != "compile"
            else f"{stage:<15} {spent:6.1f}"
            for stage, spent in sorted(cpu.items(), key=lambda item: -item[1])
        ]
    passes = {
        k.removeprefix("pass."): v for k, v in report.timings.items() if k.startswith("pass.")
    }
    lines += ["", "pass             wall s"] + [
        f"{name:<15} {spent:6.1f}" for name, spent in passes.items()
    ]
    lines.append("")
    lines.append(f"output: {report.output}")
    html = report.output / "report.html"
    if html.exists():
        lines.append(f"review: {html}")
    lines.append(f"timings: {report.output / 'run.json'}")
    return "\n".join(lines)
