"""Microbenchmark of the dedup stage against the datasketch textbook path, same stories, same run.

    .venv/bin/python -m bench.bench_dedup [--stories 6000] [--traditional]

Stories are real Chinese prose (bench/prose.py) cut to newspaper story sizes. Prints MB/s
(UTF-8 bytes of story text per second, one core) for:

- textbook: ``MinHash.bulk`` of the key's 5-gram shingles with datasketch's default SHA-1,
  then ``MinHashLSH.query`` and ``insert`` per story (the usual way, as issue 5 measures it);
- hash only: key folding plus hashing every shingle into distinct sets, no permutations
  (the floor);
- ours, signatures: ``sketch_table`` once per unit of stories, as the workers call it (key
  folding, defects, the numba MinHash kernel and band keys, digests);
- ours, dedup stage: ``sketch`` plus ``decide`` (exact stage, band index, verification);

and the index bytes per story, with the ratios. ``--traditional`` prints every story as a
Taiwan paper would (OpenCC ``s2twp``: 軟體, 網路, 資訊) and converts it back with the
pipeline's convert stage (``t2s``), as the workers sketch it: keys full of regional words.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH
from pipeline.config import DedupConfig
from pipeline.dedup.index import SketchTable
from pipeline.dedup.keys import fold_keys
from pipeline.dedup.stage import decide, dedup_key, sketch_table
from pipeline.dedup.verify import batch_overlaps
from pipeline.document import Document
from pipeline.text.conversion import to_simplified

from bench.prose import load_paragraphs
from bench.stories import opencc_converter


def make_stories(count: int, seed: int = 1, *, dense: bool = False) -> list[str]:
    """Stories of real prose (~300-3,000 characters), 10 % of them reprints of an earlier one
    (whole, or cut to 50-100 %).

    The prose holds only ~550,000 characters, so it cannot give 6,000 stories of distinct
    paragraphs. The default keeps stories distinct as a newspaper's are: the first ones
    take 3-12 consecutive paragraphs that no other story takes, later ones are sentences
    drawn at random from all the prose, as long as such a window would be (real text; two
    stories share a sentence now and then, as stories share quotes and formulas).
    ``dense`` is the earlier sampler: 3-12 consecutive paragraphs from anywhere, so every
    paragraph is in ~5 stories and ~90 % of the stories overlap another one (a worst case
    for verification, not a newspaper).
    """
    paragraphs = load_paragraphs("simplified")
    rng = random.Random(seed)
    sentences = [x + "。" for p in paragraphs for x in p.split("。") if len(x) >= 8]
    stories: list[str] = []
    start = 0
    while len(stories) < count:
        if stories and rng.random() < 0.1:
            base = rng.choice(stories)
            stories.append(base[: int(len(base) * rng.uniform(0.5, 1.0))])
            continue
        size = rng.randint(3, 12)
        if dense:
            at = rng.randrange(len(paragraphs) - 12)
            stories.append("".join(paragraphs[at : at + size]))
        elif start + size <= len(paragraphs):
            stories.append("".join(paragraphs[start : start + size]))
            start += size
        else:  # as long as a window of ``size`` paragraphs would be
            at = rng.randrange(len(paragraphs) - 12)
            wanted = sum(map(len, paragraphs[at : at + size]))
            story = ""
            while len(story) < wanted:
                story += rng.choice(sentences)
            stories.append(story)
    return stories


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls (the machine's cores are shared: medians)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sketch_units(docs: list[Document], cfg: DedupConfig, unit: int) -> SketchTable:
    """What the workers do: one ``sketch_table`` call per batch, then the driver's concat."""
    return SketchTable.concat(
        [sketch_table(docs[i : i + unit], cfg) for i in range(0, len(docs), unit)]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=6000)
    parser.add_argument("--textbook-stories", type=int, default=1500)
    parser.add_argument("--unit", type=int, default=1000, help="stories per sketch_table call")
    parser.add_argument("--repeat", type=int, default=5, help="timings are medians of this many")
    parser.add_argument(
        "--dense", action="store_true", help="the overlapping sampler (see make_stories)"
    )
    parser.add_argument(
        "--traditional", action="store_true", help="Taiwan-vocabulary stories (s2twp, then t2s)"
    )
    args = parser.parse_args(argv)
    cfg = DedupConfig()
    stories = make_stories(args.stories, dense=args.dense)
    if args.traditional:
        taiwan = opencc_converter("s2twp")  # Traditional with Taiwan vocabulary
        stories = [to_simplified(taiwan(s)) for s in stories]
    docs = [
        Document(f"bench-{i:06d}-s01", s, f"bench/{i // 10}.txt", "utf_8")
        for i, s in enumerate(stories)
    ]
    mb = sum(len(s.encode("utf-8")) for s in stories) / 1e6
    sketch_table(docs[:2], cfg)  # compile / load the kernels outside the timing

    book = stories[: args.textbook_stories]
    book_mb = sum(len(s.encode("utf-8")) for s in book) / 1e6

    def textbook() -> None:
        sets = [[k[i : i + 5].encode() for i in range(len(k) - 4)] for k in map(dedup_key, book)]
        minhashes = MinHash.bulk(sets, num_perm=128, seed=1, scheme="affine32")
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        for i, m in enumerate(minhashes):
            lsh.query(m)
            lsh.insert(i, m)

    def load(rows: npt.NDArray[np.int64]) -> list[str]:
        return [stories[r] for r in rows.tolist()]

    t_book = median_time(textbook, max(1, args.repeat // 2))
    t_floor = median_time(lambda: fold_and_hash(stories, cfg.ngram), args.repeat)
    t_sig = median_time(lambda: sketch_units(docs, cfg, args.unit), args.repeat)
    table = sketch_units(docs, cfg, args.unit)
    t_decide = median_time(lambda: decide(table, cfg, load), args.repeat)
    result = decide(table, cfg, load)
    rates = {
        "datasketch textbook (SHA-1 bulk + MinHashLSH)": book_mb / t_book,
        "floor: fold keys + hash every shingle": mb / t_floor,
        "ours: signatures (sketch_table per unit)": mb / t_sig,
        "ours: dedup stage (sketch + decide)": mb / (t_sig + t_decide),
    }
    sampler = "dense (overlapping paragraphs)" if args.dense else "distinct stories"
    sampler += ", Taiwan vocabulary (s2twp, t2s)" if args.traditional else ""
    print(
        f"{len(stories)} {sampler}, {mb:.1f} MB UTF-8 (textbook on {len(book)}, {book_mb:.1f} MB)"
    )
    print(
        f"config: ngram {cfg.ngram}, num_perm {cfg.num_perm}, bands {cfg.bands}x{cfg.rows}, "
        f"head {cfg.head_bands}x{cfg.head_rows}, scheme {cfg.scheme}; "
        f"medians of {args.repeat} runs, sketch_table per {args.unit} stories"
    )
    base = rates["datasketch textbook (SHA-1 bulk + MinHashLSH)"]
    for name, rate in rates.items():
        print(f"  {name:<48} {rate:8.1f} MB/s  {rate / base:6.1f}x textbook")
    counts = result.counts
    print(
        f"  decide alone: {t_decide:.3f} s ({mb / t_decide:.0f} MB/s); "
        f"{counts.get('candidates', 0)} candidate pairs, {counts.get('verified', 0)} verified"
    )
    ratio = rates["ours: dedup stage (sketch + decide)"] / base
    print(f"dedup stage vs textbook: {ratio:.1f}x (target >= 30x)")
    per_story = table.nbytes / len(table)
    print(
        f"index bytes per story in memory: {per_story:.0f} "
        f"(band keys {table.bands.nbytes / len(table):.0f}); "
        f"10 million stories: {per_story * 1e7 / 2**30:.1f} GiB"
    )


def fold_and_hash(stories: list[str], ngram: int) -> None:
    """The floor: keys folded and every shingle hashed, no permutations, no index."""
    cps, offsets, _ = fold_keys(stories)
    batch_overlaps(cps, offsets, ngram, np.empty((0, 2), dtype=np.int64))


if __name__ == "__main__":
    main()
