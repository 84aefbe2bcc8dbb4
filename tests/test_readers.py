from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import InputConfig
from pipeline.io.readers import SourceFile, discover, display_path, read_file, read_raw


def make(tmp_path: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def paths(root: Path, **kw: object) -> tuple[list[str], list[tuple[str, str]]]:
    found, skipped = discover(InputConfig(root=str(root), **kw))  # type: ignore[arg-type]
    return [f.path for f in found], [(q.path, q.reason) for q in skipped]


def test_recursive_sorted_and_globbed(tmp_path: Path) -> None:
    make(
        tmp_path,
        {"b/2.txt": b"x", "b/10.txt": b"x", "a.txt": b"x", "c/d/e.png": b"x", ".hidden": b"x"},
    )
    assert paths(tmp_path)[0] == ["a.txt", "b/10.txt", "b/2.txt", "c/d/e.png"]
    assert paths(tmp_path, include=("*.txt",))[0] == ["a.txt", "b/10.txt", "b/2.txt"]
    assert paths(tmp_path, exclude=("c/*",))[0] == ["a.txt", "b/10.txt", "b/2.txt"]


def test_fifo_is_set_aside_not_read(tmp_path: Path) -> None:
    make(tmp_path, {"page.txt": "湖北".encode()})
    os.mkfifo(tmp_path / "pipe.txt")
    assert paths(tmp_path) == (["page.txt"], [("pipe.txt", "not-a-regular-file")])


def test_symlinks_inside_are_followed_outside_are_not(tmp_path: Path) -> None:
    root = make(tmp_path / "in", {"a/page.txt": b"x"})
    make(tmp_path / "out", {"secret.txt": b"x"})
    (root / "inside.txt").symlink_to(root / "a" / "page.txt")
    (root / "outside.txt").symlink_to(tmp_path / "out" / "secret.txt")
    found, skipped = paths(root)
    assert found == ["a/page.txt", "inside.txt"]
    assert skipped == [("outside.txt", "symlink-outside-input")]
    _, (outside,) = discover(InputConfig(root=str(root)))
    assert outside.detail.endswith("outside the input folder (input.follow_symlinks)")
    assert paths(root, follow_symlinks=True)[0] == ["a/page.txt", "inside.txt", "outside.txt"]


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    root = make(tmp_path, {"a/page.txt": b"x"})
    (root / "a" / "loop").symlink_to(root / "a")  # folder loop
    (root / "self.txt").symlink_to(root / "self.txt")  # file loop
    found, skipped = paths(root)
    assert found == ["a/page.txt"]
    assert sorted(skipped) == [("a/loop", "symlink-loop"), ("self.txt", "symlink-loop")]


def test_undecodable_file_names_are_shown_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(b"page-\xff.txt")
    (tmp_path / name).write_bytes("湖北".encode())
    (found,), _ = discover(InputConfig(root=str(tmp_path)))
    assert found.path == "page-\\xff.txt"
    assert read_file(found, 1 << 20).data == "湖北".encode()
    assert display_path(name) == "page-\\xff.txt"


def test_vanished_file_raises_oserror_naming_it(tmp_path: Path) -> None:
    make(tmp_path, {"page.txt": b"x"})
    (source,), _ = discover(InputConfig(root=str(tmp_path)))
    (tmp_path / "page.txt").unlink()
    with pytest.raises(FileNotFoundError):
        read_file(source, 1 << 20)


def test_oversize_and_fifo_refused_at_read(tmp_path: Path) -> None:
    make(tmp_path, {"big.txt": b"x" * 100})
    with pytest.raises(OSError, match=r"over input\.max_file_bytes"):
        read_file(SourceFile("big.txt", str(tmp_path / "big.txt"), 100), 10)
    os.mkfifo(tmp_path / "late.txt")  # a FIFO where a file was listed must not block
    with pytest.raises(OSError, match="FIFO"):
        read_file(SourceFile("late.txt", str(tmp_path / "late.txt"), 0), 10)


def test_missing_root(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        discover(InputConfig(root=str(tmp_path / "nope")))


def test_read_raw_library_helper(tmp_path: Path) -> None:
    make(tmp_path, {"b.txt": b"2", "a.txt": b"1"})
    assert [(r.path, r.data) for r in read_raw(tmp_path)] == [("a.txt", b"1"), ("b.txt", b"2")]
