"""datatrove's own pipeline doing the nearest job to ours (a script for its own venv).

Run by ``bench.peer_datatrove`` with the interpreter of ``bench/.cache/venv-datatrove``, so
it imports only datatrove and the standard library: ``python datatrove_job.py IN WORK
WORKERS``. IN holds JSONL files of decoded pages (``{"id", "text"}``); the job is
datatrove's documented local MinHash deduplication (examples/minhash_deduplication.py)
with its Chinese-aware pieces: the Gopher repetition and FineWeb quality filters (a pass
of their own over every page) and the MinHash signature stage with ``language="cmn"``
(spaCy's Chinese tokenizer with jieba underneath), on WORKERS processes. It prints one
JSON object: wall seconds per stage and in all.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    from datatrove.executor.local import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
    )
    from datatrove.pipeline.filters import FineWebQualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    source, work, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    language = "cmn"
    config = MinhashConfig()  # 5-grams of words, 14 buckets x 8 hashes

    def reader() -> JsonlReader:
        return JsonlReader(source, glob_pattern="*.jsonl")

    def stage(pipeline: list[object], tasks: int, name: str) -> LocalPipelineExecutor:
        return LocalPipelineExecutor(
            pipeline=pipeline,
            tasks=tasks,
            workers=min(workers, tasks),
            logging_dir=f"{work}/logs/{name}",
            start_method="spawn",
        )

    stages = {
        "quality filters": stage(
            # Timed over every page; their verdicts are not passed on (with defaults set for
            # English text they drop most Chinese pages, and the dedup stages would then
            # run on a fraction of the pages ours does).
            [
                reader(),
                GopherRepetitionFilter(language=language),
                FineWebQualityFilter(language=language),
            ],
            workers,
            "filter",
        ),
        "signatures": stage(
            [
                reader(),
                MinhashDedupSignature(f"{work}/signatures", config=config, language=language),
            ],
            workers,
            "signatures",
        ),
        "buckets": stage(
            [MinhashDedupBuckets(f"{work}/signatures", f"{work}/buckets", config=config)],
            config.num_buckets,
            "buckets",
        ),
        "clusters": stage(
            [MinhashDedupCluster(f"{work}/buckets", f"{work}/remove_ids", config=config)],
            1,
            "clusters",
        ),
        "filter duplicates": stage(
            [
                reader(),
                MinhashDedupFilter(f"{work}/remove_ids"),
                JsonlWriter(f"{work}/deduplicated"),
            ],
            workers,
            "dedup-filter",
        ),
    }
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for name, executor in stages.items():
        t0 = time.perf_counter()
        executor.run()
        seconds[name] = time.perf_counter() - t0
    seconds["total"] = time.perf_counter() - started
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
