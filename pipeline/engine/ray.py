"""The Ray engine (``run.engine = "ray"``): the same passes on a Ray cluster.

The local engine maps units over a process pool; this one maps them over Ray Data actors
that run exactly the same worker functions (``pipeline.engine.work``), so both engines write
the same bytes. LSH candidate pairs can also be found with a Ray shuffle (group by band
key) instead of a local sort. Decisions and writing stay on the driver: they need the
whole index and stream the output in input order.

Ray is an optional extra (``pip install '.[ray]'``). On a cluster, the input and output
folders must be on storage every node sees (the units' work files are written by the
workers and read by the driver).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from pipeline.errors import PipelineError

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

RAY_MISSING = "run.engine = 'ray' needs Ray: pip install '.[ray]' (or use the default local engine)"


def ensure_ray(address: str, num_cpus: int) -> Any:
    """Import Ray and connect: to ``address`` (an existing cluster, e.g. ``ray://head:10001``
    or ``auto``), or to a local instance with ``num_cpus`` CPUs when it is empty."""
    try:
        import ray
    except ImportError as err:
        raise PipelineError(RAY_MISSING) from err
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=num_cpus, **kwargs)
    return ray


class _Mapper:
    """A Ray Data actor: set up once like a pool worker, then apply ``fn`` per item."""

    def __init__(self, fn: Callable[[Any], Any], init: Callable[..., None], args: tuple[Any, ...]):
        init(*args)
        self.fn = fn

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        # As pickled bytes: Ray Data would turn dicts into Arrow structs and fill every key
        # a row lacks with None, and JSON cannot carry the survey's results (dataclasses)
        # or tuples. Pickle only travels between this run's own processes, as in a Pool.
        return {"index": row["index"], "result": pickle.dumps(self.fn(row["item"]))}


def ray_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    init: Callable[..., None],
    init_args: tuple[Any, ...],
    workers: int,
) -> Iterator[R]:
    """``map(fn, items)`` in input order on Ray Data actors (``workers`` of them)."""
    data = _ray_data()
    if not items:
        return iter(())
    context = data.DataContext.get_current()
    context.execution_options.preserve_order = True
    rows = [{"index": i, "item": item} for i, item in enumerate(items)]
    ds = data.from_items(rows, override_num_blocks=len(rows))
    mapped = ds.map(
        _Mapper,
        fn_constructor_args=(fn, init, init_args),
        compute=data.ActorPoolStrategy(size=max(1, min(workers, len(items)))),
        num_cpus=1,
    )
    results = sorted(mapped.iter_rows(), key=lambda row: row["index"])
    return (pickle.loads(row["result"]) for row in results)


def ray_candidate_pairs(
    keys: npt.NDArray[np.uint64], eligible: npt.NDArray[np.bool_] | None = None
) -> npt.NDArray[np.int64]:
    """LSH candidate pairs by a Ray shuffle: rows grouped by (band, key), every pair within
    a group, deduplicated and sorted. The same pairs as
    ``pipeline.dedup.candidates.candidate_pairs``.

    ``keys`` is band-major (bands, n) as in ``SketchTable.bands``.
    """
    data = _ray_data()
    bands, n = keys.shape
    rows = np.arange(n, dtype=np.int64)
    if eligible is not None:
        rows = rows[eligible]
    if rows.size < 2:
        return np.zeros((0, 2), dtype=np.int64)
    band = np.repeat(np.arange(bands, dtype=np.int64), rows.size)
    key = keys[:, rows].reshape(-1)
    ds = data.from_numpy(np.stack([band, key.view(np.int64), np.tile(rows, bands)], axis=1))
    ds = ds.map_batches(_split_columns, batch_format="numpy")
    groups = ds.groupby(["band", "key"]).map_groups(_pairs_of_group, batch_format="numpy")
    found = [np.stack([b["a"], b["b"]], axis=1) for b in groups.iter_batches(batch_format="numpy")]
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.unique(np.concatenate(found).astype(np.int64), axis=0)
    return pairs


def _ray_data() -> Any:
    """``ray.data``, typed loosely: Ray's own annotations reject its documented uses (a
    callable class for ``map``), and the module is absent without the extra."""
    import ray.data

    return ray.data


def _split_columns(batch: dict[str, npt.NDArray[Any]]) -> dict[str, npt.NDArray[Any]]:
    data = batch["data"]
    return {"band": data[:, 0], "key": data[:, 1], "row": data[:, 2]}


def _pairs_of_group(group: dict[str, npt.NDArray[Any]]) -> dict[str, npt.NDArray[np.int64]]:
    members = np.unique(group["row"].astype(np.int64))
    if members.size < 2:
        return {"a": np.zeros(0, dtype=np.int64), "b": np.zeros(0, dtype=np.int64)}
    a, b = np.triu_indices(members.size, k=1)
    return {"a": members[a], "b": members[b]}
