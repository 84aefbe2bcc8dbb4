"""``map`` over worker processes (or Ray actors) in input order, with a progress bar that
moves as the workers finish files, not only units."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from multiprocessing import get_context
from pathlib import Path
from typing import TypeVar

from pipeline.config import Config
from pipeline.engine.progress import bar
from pipeline.engine.ray import ensure_ray, ray_map
from pipeline.engine.survey import Survey
from pipeline.engine.work import init_pool_worker, init_worker

T = TypeVar("T")
R = TypeVar("R")

POLL_SECONDS = 0.25  # how often the driver redraws the bar while a unit is under way


def parallel(
    cfg: Config,
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    init: tuple[Config, Path, Survey],
    progress: bool,
    label: str,
    *,
    live: bool = False,
) -> Iterator[R]:
    """``map(fn, items)`` in input order over ``workers`` processes (or Ray actors), with a
    progress bar in bytes. With ``live`` the workers tick the bytes of each file as they
    finish it (``init_worker``'s ``tick``), else the bar moves one item at a time. On any
    exception (or Ctrl-C) the pool is terminated, so no worker outlives the run.
    """
    sizes = [int(getattr(item, "size", 0)) for item in items]
    with bar(label, sum(sizes), shown=progress) as shown:
        if cfg.run.engine == "ray":
            ensure_ray(cfg.run.ray_address, workers)
            results = ray_map(fn, items, init_worker, init, workers)
            for size, result in zip(sizes, results, strict=True):
                yield result
                shown.update(size)
            return
        if workers <= 1 or len(items) <= 1 or sum(sizes) < cfg.run.pool_min_bytes:
            init_worker(*init, shown.update if live else None)
            for size, item in zip(sizes, items, strict=True):
                yield fn(item)
                if not live:
                    shown.update(size)
            return
        ctx = get_context("spawn")  # no fork: a forked tqdm or OpenCC thread could deadlock
        counter = ctx.Value("q", 0) if live else None
        with ctx.Pool(min(workers, len(items)), init_pool_worker, (*init, counter)) as pool:
            pending = pool.imap(fn, items)
            for size in sizes:
                while True:
                    try:
                        result = pending.next(timeout=POLL_SECONDS)
                    except multiprocessing.TimeoutError:
                        if counter is not None:
                            shown.update(counter.value - shown.n)
                        continue
                    break
                yield result
                shown.update(counter.value - shown.n if counter is not None else size)
