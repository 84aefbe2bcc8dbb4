"""Find input files and read their bytes, surviving whatever the input folder holds.

Discovery walks the input root in a fixed order (byte order of the names), applies the
include/exclude globs, and sets aside what must not be read: FIFOs and devices (a FIFO
would block the run), symlinks that leave the root or loop, unreadable folders. Each is
reported with a reason instead of crashing the run or hanging it.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import InputConfig
from pipeline.document import Quarantined, RawFile


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to read. ``path`` is relative to the root, ``/``-separated and printable
    (undecodable name bytes appear as ``\\xNN``); ``location`` is what ``open`` takes."""

    path: str
    location: str
    size: int


def display_path(name: str) -> str:
    """A file name safe to print and to write as UTF-8 JSON.

    >>> display_path("page\\udcff.txt")
    'page\\\\xff.txt'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(cfg: InputConfig) -> tuple[list[SourceFile], list[Quarantined]]:
    """List the files under ``cfg.root`` to process, and those set aside with a reason.

    Raises:
        FileNotFoundError: the root itself does not exist (a usage error, not bad input).
    """
    root = os.path.abspath(cfg.root)
    if not os.path.isdir(root):
        raise FileNotFoundError(errno.ENOENT, "input folder not found", cfg.root)
    found: list[SourceFile] = []
    skipped: list[Quarantined] = []
    seen_dirs = {_dir_key(os.stat(root))}
    _walk(cfg, root, "", seen_dirs, found, skipped)
    return found, skipped


def _dir_key(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _wants_hidden(cfg: InputConfig) -> bool:
    return any(g.startswith(".") or "/." in g for g in cfg.include)


def _selected(cfg: InputConfig, rel: str) -> bool:
    return any(fnmatch.fnmatchcase(rel, g) for g in cfg.include) and not any(
        fnmatch.fnmatchcase(rel, g) for g in cfg.exclude
    )


def _walk(
    cfg: InputConfig,
    root: str,
    rel_dir: str,
    seen_dirs: set[tuple[int, int]],
    found: list[SourceFile],
    skipped: list[Quarantined],
) -> None:
    here = os.path.join(root, rel_dir) if rel_dir else root
    try:
        with os.scandir(here) as it:
            entries = sorted(it, key=lambda e: os.fsencode(e.name))
    except OSError as err:
        skipped.append(_skip(rel_dir or ".", "unreadable", _why(err)))
        return
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        shown = display_path(rel)
        if entry.name.startswith(".") and not _wants_hidden(cfg):
            continue  # hidden files and folders (.git, .DS_Store, .work) unless a glob names them
        try:
            st = os.stat(entry.path)  # follows links: a loop raises ELOOP here
        except OSError as err:
            reason = "symlink-loop" if err.errno == errno.ELOOP else "unreadable"
            if _selected(cfg, rel) or stat.S_ISDIR(_lstat_mode(entry.path)):
                skipped.append(_skip(shown, reason, _why(err)))
            continue
        if entry.is_symlink() and not _link_allowed(cfg, root, entry.path):
            if _selected(cfg, rel) or stat.S_ISDIR(st.st_mode):
                target = display_path(os.path.realpath(entry.path))
                detail = f"points to {target}, outside the input folder (input.follow_symlinks)"
                skipped.append(_skip(shown, "symlink-outside-input", detail))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = _dir_key(st)
            if key in seen_dirs:
                skipped.append(_skip(shown, "symlink-loop", "folder already visited"))
                continue
            _walk(cfg, root, rel, seen_dirs | {key}, found, skipped)
            continue
        if not _selected(cfg, rel):
            continue
        if not stat.S_ISREG(st.st_mode):
            skipped.append(_skip(shown, "not-a-regular-file", _file_kind(st.st_mode)))
            continue
        found.append(SourceFile(shown, entry.path, st.st_size))


def _lstat_mode(path: str) -> int:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return 0


def _link_allowed(cfg: InputConfig, root: str, path: str) -> bool:
    if cfg.follow_symlinks:
        return True
    target = os.path.realpath(path)
    return target == root or target.startswith(root + os.sep)


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return f"a {name}, not a file"
    return "not a regular file"


def _why(err: OSError) -> str:
    name = errno.errorcode.get(err.errno or 0, "error")
    return f"{name}: {err.strerror or err}"


def _skip(path: str, reason: str, detail: str) -> Quarantined:
    return Quarantined(path, reason, detail, stage="discover")


def read_file(source: SourceFile, max_bytes: int) -> RawFile:
    """Read one file's bytes, refusing anything that is not (or no longer) a regular file.

    Raises:
        OSError: the file vanished, became unreadable, or is oversize/not regular (errno set).
    """
    return RawFile(source.path, b"".join(read_blocks(source, max_bytes, max_bytes)))


def read_blocks(source: SourceFile, block_bytes: int, max_bytes: int) -> Iterator[bytes]:
    """The file's bytes in blocks of ``block_bytes`` (the last may be shorter).

    Opened non-blocking and checked with fstat, so a FIFO that replaced a file since
    discovery cannot hang the run, and a file that grew past ``max_bytes`` is refused.

    Raises:
        OSError: the file vanished, became unreadable, or is oversize/not regular (errno set).
    """
    fd = os.open(source.location, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, _file_kind(st.st_mode), source.path)
        if st.st_size > max_bytes:
            detail = f"{st.st_size} bytes, over input.max_file_bytes={max_bytes}"
            raise OSError(errno.EFBIG, detail, source.path)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            while block := handle.read(block_bytes):
                yield block
    finally:
        os.close(fd)


def read_raw(root: str | Path) -> Iterator[RawFile]:
    """Every readable file under ``root`` in sorted order: the library's simple reader."""
    files, _ = discover(InputConfig(root=str(root)))
    for source in files:
        yield read_file(source, InputConfig().max_file_bytes)
