"""eval_layout's plumbing: builds run as subprocesses, pages rebuilt from records, tables."""

from __future__ import annotations

import json
from pathlib import Path

from bench.eval_layout import (
    Build,
    combine,
    prepare_build,
    read_records,
    run_build,
    score_run,
    table,
    wilson,
)
from bench.families import training_pages
from bench.generate import write_corpus
from bench.tests.test_families import _pool

FAMILIES = ["wire", "two-line-head", "jumps", "old-print"]


def _perfect_records(corpus: Path) -> list[dict[str, object]]:
    """What a perfect pipeline would write: one record per true story, fields apart."""
    from bench.generate import unfold_old_glyphs
    from bench.stories import opencc_converter

    t2s = unfold_old_glyphs(opencc_converter("t2s"))  # old glyphs folded, as the truth
    records = []
    for path in sorted((corpus / "truth").rglob("*.json")):
        if path.name == "manifest.json":
            continue
        truth = json.loads(path.read_text("utf-8"))
        source = str(path.relative_to(corpus / "truth").with_suffix(".txt"))
        convert = t2s if truth["script"] == "traditional" else (lambda s: s)
        for k, story in enumerate(truth["stories"]):
            lines = [convert(x) for x in story["text"].split("\n")]
            fields = dict.fromkeys(("kicker", "title", "deck", "byline", "caption"))
            body = []
            for name, line in zip(story["fields"], lines, strict=True):
                if name in fields and name != "byline":
                    fields[name] = line
                elif name == "byline":
                    fields["byline"] = line
                else:
                    body.append(line)
            records.append(
                {
                    "id": f"{source}#{k}",
                    "text": "\n".join(body),
                    "metadata": {
                        **fields,
                        "source": source,
                        "line_span": [k + 1, k + 1],
                        "reporters": [convert(r) for r in story["reporters"]],
                    },
                }
            )
    return records


def test_perfect_records_score_perfectly(tmp_path: Path) -> None:
    pages = list(training_pages(_pool(False), families=FAMILIES, n_pages=4, seed=2))
    corpus = tmp_path / "corpus"
    write_corpus(corpus, pages)
    out = tmp_path / "out"
    out.mkdir()
    lines = [json.dumps(r, ensure_ascii=False) for r in _perfect_records(corpus)]
    (out / "corpus.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    assert sum(len(v) for v in read_records(out).values()) == len(lines)
    results = score_run(corpus, out)
    assert set(results) == set(FAMILIES)
    total = combine(results.values())
    values = total.values()
    assert values["stories 1:1"] == 1.0, total.mechanisms
    assert values["titles"] == 1.0 and values["reporters"] == 1.0
    assert values["boundary F1"] == 1.0 and values["CER"] == 0.0
    assert total.sentences.broken == 0 and total.sentences.sentences > 0
    assert total.furniture.leaked == 0 and total.furniture.lines > 0
    assert total.jumps.lines > 0 and total.jumps.leaked == 0
    text = table(Build("x", tmp_path, "WORKTREE"), "test", "measure", results, ["wire"])
    assert "| **all** |" in text and "| held-out |" in text
    assert "stories 1:1 1 (>= 0.98: met)" in text
    # a pipeline that lost every story of a page misses all of them
    (out / "corpus.jsonl").write_text("", "utf-8")
    assert combine(score_run(corpus, out).values()).stories.recovered == 0


def test_run_build_uses_the_builds_own_code(tmp_path: Path) -> None:
    root = tmp_path / "build"
    package = root / "pipeline"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    (package / "__main__.py").write_text(
        "import pathlib, sys\n"
        "args = sys.argv[1:]\n"
        "out = pathlib.Path(args[args.index('--output') + 1])\n"
        "out.mkdir(parents=True)\n"
        "(out / 'corpus.jsonl').write_text(' '.join(args))\n",
        "utf-8",
    )
    build = Build("fake", root, "fake")
    run_build(build, tmp_path / "in", tmp_path / "out", ["dedup.enabled=false"], 1)
    argv = (tmp_path / "out" / "corpus.jsonl").read_text("utf-8")
    assert argv.startswith("clean --input") and "--set dedup.enabled=false" in argv
    assert "--quiet" in argv


def test_worktree_build() -> None:
    build = prepare_build("WORKTREE")
    assert (build.root / "pipeline" / "__init__.py").exists() and build.name == "worktree"


def test_wilson_interval() -> None:
    lo, hi = wilson(98, 100)
    assert lo < 0.98 < hi and hi <= 1.0
    assert wilson(0, 0) == (0.0, 1.0)
