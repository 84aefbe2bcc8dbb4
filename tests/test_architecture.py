"""The rooms of ``pipeline/`` and the one way imports flow between them (STYLE.md section 1).

    face (pipeline/__init__, __main__, cli)  imports anything
    engine   imports io, text, layout, dedup, report
    report   imports io, text, dedup          (never engine)
    layout   imports text                     (never dedup)
    dedup    imports text                     (never layout)
    io, text import the ground floor only
    ground floor (config, document, errors)   imports nothing of the package but itself

Every room may import the ground floor and its own modules; another room only through its
face (``from pipeline.text import ...``, never ``pipeline.text.normalization``). Every
import counts, also one inside a function. No module is over 400 lines (config.py aside),
and the modules import each other without a cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
ROOMS = ("io", "text", "layout", "dedup", "engine", "report")
GROUND = ("config", "document", "errors")
FACE = ("__init__", "__main__", "cli")
# The rooms each room may import, besides the ground floor and itself.
ALLOWED = {
    "face": {"*"},
    "engine": {"io", "text", "layout", "dedup", "report"},
    "report": {"io", "text", "dedup"},
    "layout": {"text"},
    "dedup": {"text"},
    "io": set(),
    "text": set(),
    "ground": set(),
}
MAX_LINES = 400


def room_of(module: str) -> str:
    """``pipeline.layout.lines`` -> ``layout``; the face and the ground floor by name."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in FACE:
        return "face"
    if parts[1] in GROUND:
        return "ground"
    assert parts[1] in ROOMS, f"{module}: not in a room"
    return parts[1]


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path = PACKAGE) -> Iterator[tuple[int, str]]:
    """(line, module) of every ``pipeline`` import in ``path``, at any depth."""
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package.pop()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # A relative import is resolved against the importing package.
            base = package[: len(package) - node.level + 1] if node.level else []
            names = [".".join([*base, node.module] if node.module else base)]
        else:
            continue
        yield from ((node.lineno, name) for name in names if name.split(".")[0] == "pipeline")


def violations(root: Path = PACKAGE) -> list[str]:
    """Every import against the rooms' rules, as ``file:line: what``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        source = module_name(path, root)
        mine = room_of(source)
        for line, target in imports(path, root):
            theirs = room_of(target)
            where = f"{path.relative_to(root.parent)}:{line}"
            if theirs in (mine, "ground") or "*" in ALLOWED[mine]:
                continue
            if theirs == "face":
                found.append(f"{where}: {source} imports the package face ({target})")
            elif theirs not in ALLOWED[mine]:
                found.append(f"{where}: {mine} must not import {theirs} ({target})")
            elif target != f"pipeline.{theirs}":
                found.append(f"{where}: {target} is inside {theirs}: import pipeline.{theirs}")
    return found


def test_imports_flow_one_way_through_the_rooms_faces() -> None:
    assert violations() == []


def test_a_forbidden_import_is_found(tmp_path: Path) -> None:
    """The check itself: a copy of the package with one import against the layers."""
    copy = tmp_path / "pipeline"
    for path in PACKAGE.rglob("*.py"):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    shapes = copy / "layout" / "shapes.py"
    shapes.write_text(
        shapes.read_text(encoding="utf-8") + "\nfrom pipeline.dedup import dedup_key\n"
    )
    words = copy / "text" / "scripts.py"
    words.write_text(
        words.read_text(encoding="utf-8") + "\nfrom pipeline.text.chars import HAN_RE\n"
    )
    report = copy / "report" / "markdown.py"
    report.write_text(
        report.read_text(encoding="utf-8") + "\ndef f() -> None:\n    import pipeline.engine.run\n"
    )
    found = violations(copy)
    assert len(found) == 2
    assert "layout must not import dedup (pipeline.dedup)" in found[0]
    assert "report must not import engine (pipeline.engine.run)" in found[1]


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and path.name != "config.py"
    }
    assert long == {}


def test_modules_import_each_other_without_a_cycle() -> None:
    graph = {
        module_name(path): {name for _, name in imports(path)} for path in PACKAGE.rglob("*.py")
    }

    # An import of a package means its __init__; "pipeline.text.X" names a module or an
    # object inside one: keep the longest known module it starts with.
    def resolve(name: str) -> str:
        parts = name.split(".")
        while ".".join(parts) not in graph:
            parts.pop()
        return ".".join(parts)

    edges = {m: {resolve(n) for n in names} - {m} for m, names in graph.items()}
    # A package's face imports its own modules; those never import it back (checked by
    # the rules above for other rooms, and here for every module).
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for nxt in sorted(edges[module]):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [module, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])


def test_importing_the_package_builds_nothing_heavy() -> None:
    """OpenCC converters and the layout patterns are built on first use, not at import."""
    code = (
        "import pipeline, pipeline.text.scripts as s, pipeline.layout.words as w\n"
        "print(s._converters.cache_info().currsize, w.words.cache_info().currsize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["0", "0"]
