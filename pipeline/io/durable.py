"""The one way the pipeline puts bytes on disk: a temp file, fsync, rename, fsync the folder.

Every output and every work file goes through :func:`durable_open`: the file is written
under a temp name in its destination folder, flushed and fsynced, then moved onto its
final name with ``os.replace`` (atomic on POSIX within one filesystem), and the folder is
fsynced so that the rename survives a power loss. A crash leaves the old file or the new
one, never half of one, and a temp file a killed run left behind is found by its prefix
(:func:`remove_stale_temps`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

TEMP_PREFIX = ".tmp-"


@contextlib.contextmanager
def durable_open(path: str | Path, mode: Literal["w", "wb"] = "w") -> Iterator[IO[Any]]:
    """Open a temp file beside ``path`` (text as UTF-8 with ``\\n`` newlines, or bytes with
    ``mode="wb"``); on success make it durable and move it onto ``path``.

    On any error, Ctrl-C included, the temp file is removed and ``path`` is untouched.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=f"-{path.name}", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        handle: IO[Any]
        if mode == "wb":
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the data itself is synced
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path) -> int:
    """Delete the temp files a killed run left in ``folder``; return how many."""
    removed = 0
    for stale in folder.glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
            removed += 1
    return removed
