"""What a run tells the person waiting for it while it runs: a bar per pass that moves
within a unit of work (workers report each file, or each part of a big one, as they finish
it), and how long numba spent compiling kernels, a first run's one-off cost that would
otherwise read as a slow run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from numba.core import event

Tick = Callable[[int], None]  # "this many more bytes are done"


@contextlib.contextmanager
def bar(label: str, total: int, *, shown: bool, unit: str = "B") -> Iterator[Any]:
    """A tqdm bar on stderr (nothing when not ``shown``), gone when its pass is done."""
    from tqdm import tqdm

    scale = unit == "B"
    with tqdm(
        total=total, desc=label, unit=unit, unit_scale=scale, disable=not shown, leave=False
    ) as progress:
        yield progress


def pool_tick(counter: Any) -> Tick:
    """A worker process's :data:`Tick`: adds to a shared ``multiprocessing.Value``."""

    def tick(done: int) -> None:
        with counter.get_lock():
            counter.value += done

    return tick


# numba's event API is untyped: its listener is handled as Any.
_TIMING_LISTENER: Any = event.TimingListener


@contextlib.contextmanager
def compile_timer() -> Iterator[Any]:
    """Measure the seconds numba spends compiling (not loading cached) kernels meanwhile,
    in this process: :func:`compiled_seconds` of what it yields."""
    listener = _TIMING_LISTENER()
    with event.install_listener("numba:compile", listener):
        yield listener


def compiled_seconds(listener: Any) -> float:
    return float(listener.duration) if listener.done else 0.0


def rate(value: float) -> str:
    """A throughput with the digits that matter: 0.03, 2.5, 41.

    >>> rate(0.0312), rate(2.46), rate(41.2)
    ('0.031', '2.5', '41')
    """
    if value >= 10:
        return f"{value:.0f}"
    if value >= 1:
        return f"{value:.1f}"
    return f"{value:.2g}"
