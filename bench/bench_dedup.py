"""Microbenchmark of the dedup stage against the datasketch textbook path, same stories, same run.

    .venv/bin/python -m bench.bench_dedup [--stories 6000]

Stories are real Chinese prose (bench/prose.py) cut to newspaper story sizes. Prints MB/s
(UTF-8 bytes of story text per second, one core) for:

- textbook: ``MinHash.bulk`` of the key's 5-gram shingles with datasketch's default SHA-1,
  then ``MinHashLSH.insert`` (the usual way, as issue 5 measures it);
- hash only: key folding plus hashing every shingle, no permutations (the floor);
- ours, signatures: key folding, the numba MinHash kernel and band keys (``sketch``);
- ours, dedup stage: ``sketch`` plus ``decide`` (exact stage, band index, verification);

and the index bytes per story, with the ratios.
"""

from __future__ import annotations

import argparse
import random
import time

from datasketch import MinHash, MinHashLSH
from pipeline.config import DedupConfig
from pipeline.dedup import decide, dedup_key, key_codepoints, sketch, sketch_table
from pipeline.document import Document
from pipeline.minhash import shingle_set

from bench.prose import load_paragraphs


def make_stories(count: int, seed: int = 1) -> list[str]:
    """Stories of 3-12 consecutive real paragraphs (~300-3,000 characters), 10 % reprinted."""
    paragraphs = load_paragraphs("simplified")
    rng = random.Random(seed)
    stories = []
    for _ in range(count):
        if stories and rng.random() < 0.1:
            base = rng.choice(stories)
            stories.append(base[: int(len(base) * rng.uniform(0.5, 1.0))])
            continue
        start = rng.randrange(len(paragraphs) - 12)
        stories.append("".join(paragraphs[start : start + rng.randint(3, 12)]))
    return stories


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=6000)
    parser.add_argument("--textbook-stories", type=int, default=1500)
    args = parser.parse_args(argv)
    cfg = DedupConfig()
    stories = make_stories(args.stories)
    docs = [
        Document(f"bench-{i:06d}-s01", s, f"bench/{i // 10}.txt", "utf_8")
        for i, s in enumerate(stories)
    ]
    mb = sum(len(s.encode("utf-8")) for s in stories) / 1e6
    sketch(docs[0], cfg)  # compile / load the kernels outside the timing

    book = stories[: args.textbook_stories]
    book_mb = sum(len(s.encode("utf-8")) for s in book) / 1e6

    def textbook() -> None:
        sets = [[k[i : i + 5].encode() for i in range(len(k) - 4)] for k in map(dedup_key, book)]
        minhashes = MinHash.bulk(sets, num_perm=128, seed=1, scheme="affine32")
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        for i, m in enumerate(minhashes):
            lsh.insert(i, m)

    t_book = timed(textbook)
    t_floor = timed(lambda: [shingle_set(key_codepoints(s), cfg.ngram) for s in stories])
    t_sig = timed(lambda: [sketch(d, cfg) for d in docs])
    table = sketch_table(docs, cfg)
    t_decide = timed(lambda: decide(table, cfg, lambda rows: [stories[int(r)] for r in rows]))
    rates = {
        "datasketch textbook (SHA-1 bulk + MinHashLSH)": book_mb / t_book,
        "floor: fold key + hash every shingle": mb / t_floor,
        "ours: signatures (sketch: key, MinHash, bands)": mb / t_sig,
        "ours: dedup stage (sketch + decide)": mb / (t_sig + t_decide),
    }
    print(f"{len(stories)} stories, {mb:.1f} MB UTF-8 (textbook on {len(book)}, {book_mb:.1f} MB)")
    print(
        f"config: ngram {cfg.ngram}, num_perm {cfg.num_perm}, bands {cfg.bands}x{cfg.rows}, "
        f"head {cfg.head_bands}x{cfg.head_rows}, scheme {cfg.scheme}"
    )
    base = rates["datasketch textbook (SHA-1 bulk + MinHashLSH)"]
    for name, rate in rates.items():
        print(f"  {name:<48} {rate:8.1f} MB/s  {rate / base:6.1f}x textbook")
    print(f"  decide alone: {t_decide:.2f} s for {len(stories)} stories")
    per_story = table.nbytes / len(table)
    print(
        f"index bytes per story in memory: {per_story:.0f} "
        f"(band keys {table.bands.nbytes / len(table):.0f}); "
        f"10 million stories: {per_story * 1e7 / 2**30:.1f} GiB"
    )


if __name__ == "__main__":
    main()
