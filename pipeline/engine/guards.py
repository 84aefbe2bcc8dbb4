"""What stops a run or refuses to start it: input and output folders it cannot use,
SIGTERM, and the environment errors (disk full, read-only output, Ctrl-C) that end it
with one clear message.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from pipeline.config import Config
from pipeline.errors import ConfigError, Interrupted, PipelineError


def check_folders(cfg: Config) -> None:
    """Refuse input and output folders a run cannot use, as usage errors: a missing input
    folder, a file given for either folder, an output folder inside the input folder.

    Discovery reads every file under ``input.root``: a second run would read the first
    one's corpus.jsonl, dedup index and reports as pages (and find them all duplicates).

    Raises:
        ConfigError: naming the folder, what is wrong and what to give instead.
    """
    root, output = Path(cfg.input.root), Path(cfg.output.root)
    if not root.exists():
        msg = f"input.root {root}: no such folder (--input names the folder of page dumps)"
        raise ConfigError(msg)
    if not root.is_dir():
        msg = (
            f"input.root {root} is a file, not a folder: --input takes the folder that holds "
            f"the page dumps; to read only some of its files, give the folder and a glob: "
            f"--input {root.parent} --set 'input.include=[\"{root.name}\"]'"
        )
        raise ConfigError(msg)
    if output.exists() and not output.is_dir():
        msg = (
            f"output.root {output} is a file, not a folder: --output names the folder the "
            "corpus and the reports are written to"
        )
        raise ConfigError(msg)
    real_root, real_output = root.resolve(), output.resolve()  # symlinks followed
    if real_output == real_root or real_root in real_output.parents:
        msg = (
            f"output.root {output} is inside input.root {root}: a second run would read "
            "the corpus, the dedup index and the reports as pages; choose an output folder "
            f"outside the input (e.g. --output {root.parent / (root.name + '-clean')})"
        )
        raise ConfigError(msg)


class _Stopped(BaseException):
    """SIGTERM, raised where the run happens to be. A BaseException, like Ctrl-C's
    KeyboardInterrupt, so that no ``except Exception`` on the way (a stage that raises
    quarantines its page and the run goes on) can mistake the stop for a bad page."""


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops the run like Ctrl-C: temp files removed, finished units kept."""

    def stop(signum: int, frame: FrameType | None) -> None:
        msg = f"stopped by signal {signal.Signals(signum).name}"
        raise _Stopped(msg)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signal handling to the caller
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def environment_errors(output: Path) -> Iterator[None]:
    """Turn what stops a run (disk full, read-only output, Ctrl-C) into one clear error."""
    try:
        yield
    except KeyboardInterrupt as err:
        msg = f"{output}: interrupted; finished units are kept, continue with --resume"
        raise Interrupted(msg) from err
    except (Interrupted, _Stopped) as err:
        msg = f"{output}: {err}; finished units are kept, continue with --resume"
        raise Interrupted(msg) from err
    except OSError as err:
        where = err.filename or output
        msg = f"{where}: cannot write output: {err.strerror or err}; previous output left as it was"
        raise PipelineError(msg) from err
