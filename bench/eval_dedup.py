"""Score the dedup stage on the harness's reprint corpus (bench/reprints.py).

    .venv/bin/python -m bench.eval_dedup                  # the table, default config
    .venv/bin/python -m bench.eval_dedup --sweep          # how the parameters were chosen
    .venv/bin/python -m bench.eval_dedup --details        # every error, by category

Stories reach dedup as segmentation will hand them over: the headline in ``title``, the
byline in ``byline``, the lead and paragraphs in ``text``, converted with the pipeline's
``convert`` stage (t2s). Prints pairwise precision/recall/F1, the adjusted
Rand index, the share of clusters whose kept copy is a most complete one, and the recall of
true duplicate pairs by their key Jaccard similarity (the S-curve after verification).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import replace
from itertools import combinations

from pipeline.config import ConvertConfig, DedupConfig
from pipeline.dedup.shingles import shingle_set
from pipeline.dedup.stage import decide, dedup_key, key_codepoints, sketch_table
from pipeline.dedup.verify import intersection_size
from pipeline.document import Document, Stats
from pipeline.text.conversion import convert

from bench.metrics import best_missed, clusters_from_duplicates, score_dedup
from bench.reprints import Copy, make_reprint_corpus

TARGETS = {"precision": 0.998, "f1": 0.99, "best_kept": 0.99}
BUCKETS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def documents(copies: list[Copy], convert_config: str = "t2s") -> list[Document]:
    """The copies as dedup receives them: fields as segmentation separates them, after the
    pipeline's ``convert`` stage.

    The headline goes to ``title`` and the byline to ``byline``; the lead stays at the
    start of ``text`` (segmentation keeps it in the body).
    """
    docs = []
    for c in copies:
        lines = list(c.paragraphs)
        if c.lead:
            lines[0] = c.lead + lines[0]
        docs.append(
            Document(
                c.id,
                "\n".join(lines),
                f"reprints/{c.id}.txt",
                "utf_8",
                title=c.title or None,
                byline=c.byline or None,
            )
        )
    return list(convert(docs, ConvertConfig(config=convert_config), Stats()))


def evaluate(copies: list[Copy], docs: list[Document], cfg: DedupConfig) -> dict[str, object]:
    t0 = time.perf_counter()
    table = sketch_table(docs, cfg)
    t1 = time.perf_counter()
    result = decide(table, cfg, lambda rows: [docs[int(r)].text for r in rows])
    t2 = time.perf_counter()
    truth = {c.id: c.cluster for c in copies}
    duplicate_of = {k: v.duplicate_of for k, v in result.dropped.items()}
    scores = score_dedup(truth, duplicate_of, {c.id: c.completeness for c in copies})
    return {
        "precision": scores.pairs.precision,
        "recall": scores.pairs.recall,
        "f1": scores.pairs.f1,
        "ari": scores.ari,
        "best_kept": scores.best_kept_share,
        "clusters": scores.clusters,
        "sketch_s": t1 - t0,
        "decide_s": t2 - t1,
        "candidates": result.counts.get("candidates", 0),
        "verified": result.counts.get("verified", 0),
        "duplicate_of": duplicate_of,
        "kinds": Counter(d.kind for d in result.dropped.values()),
        "index_bytes": table.nbytes / len(table),
    }


def recall_curve(
    copies: list[Copy], docs: list[Document], duplicate_of: dict[str, str], ngram: int
) -> list[tuple[str, int, float]]:
    """True duplicate pairs bucketed by key Jaccard, and the share put in one cluster."""
    predicted = clusters_from_duplicates([c.id for c in copies], duplicate_of)
    sets = {d.id: shingle_set(key_codepoints(d.text), ngram) for d in docs}
    by_cluster: dict[str, list[str]] = {}
    for c in copies:
        by_cluster.setdefault(c.cluster, []).append(c.id)
    found: Counter[int] = Counter()
    total: Counter[int] = Counter()
    for members in by_cluster.values():
        for a, b in combinations(members, 2):
            shared = intersection_size(sets[a], sets[b])
            union = len(sets[a]) + len(sets[b]) - shared
            jaccard = shared / union if union else 1.0
            bucket = next(i for i in range(len(BUCKETS) - 1) if jaccard < BUCKETS[i + 1])
            total[bucket] += 1
            found[bucket] += predicted[a] == predicted[b]
    return [
        (f"{BUCKETS[i]:.1f}-{min(BUCKETS[i + 1], 1.0):.1f}", total[i], found[i] / total[i])
        for i in range(len(BUCKETS) - 1)
        if total[i]
    ]


def details(copies: list[Copy], docs: list[Document], duplicate_of: dict[str, str]) -> None:
    """Print every error by category: wrong merges (near misses apart), missed pairs by the
    variants of their two copies, and each cluster whose kept copy is not a most complete one.
    """
    predicted = clusters_from_duplicates([c.id for c in copies], duplicate_of)
    texts = {d.id: d.text for d in docs}
    near_misses = [c for c in copies if c.variant.startswith("near-miss")]
    wrong: Counter[str] = Counter()
    merged_together: dict[str, list[Copy]] = {}  # a wrong pair shares a predicted cluster
    for c in sorted(copies, key=lambda c: c.id):
        merged_together.setdefault(predicted[c.id], []).append(c)
    for group in merged_together.values():
        for a, b in combinations(group, 2):
            if a.cluster != b.cluster:
                how = next(
                    (c.variant for c in (a, b) if c.variant.startswith("near-miss")), "other"
                )
                wrong[how] += 1
    merged = sum(
        any(predicted[c.id] == predicted[o.id] for o in copies if o.cluster == c.related)
        for c in near_misses
    )
    print(f"near misses merged with the story they resemble: {merged} of {len(near_misses)}")
    print(f"wrong pairs by cause: {dict(sorted(wrong.items())) or 'none'}")
    missed: Counter[tuple[str, str]] = Counter()
    members: dict[str, list[Copy]] = {}
    for c in copies:
        members.setdefault(c.cluster, []).append(c)
    for group in members.values():
        for a, b in combinations(group, 2):
            if predicted[a.id] != predicted[b.id]:
                pair = sorted(v.split(":")[0] for v in (a.variant, b.variant))
                missed[pair[0], pair[1]] += 1
    print(f"missed pairs ({sum(missed.values())}) by variants:")
    for (x, y), count in missed.most_common(15):
        print(f"  {count:>4}  {x} ~ {y}")
    print("clusters whose kept copies miss the most complete one:")
    missed_best = best_missed(
        {c.id: c.cluster for c in copies},
        (c.id for c in copies if c.id not in duplicate_of),
        {c.id: c.completeness for c in copies},
    )
    for cluster in sorted(map(str, missed_best)):
        group = members[cluster]
        print(f"  {cluster}:")
        for c in sorted(group, key=lambda c: -c.completeness):
            mark = "kept" if c.id not in duplicate_of else f"-> {duplicate_of[c.id]}"
            print(
                f"    {c.id} {c.variant:<28} complete {c.completeness:.4f} "
                f"key {len(dedup_key(texts[c.id])):>5}  title {bool(c.title):d}  {mark}"
            )


def print_table(name: str, row: dict[str, object]) -> None:
    print(
        f"{name:<34} P {row['precision']:.4f}  R {row['recall']:.4f}  F1 {row['f1']:.4f}  "
        f"ARI {row['ari']:.4f}  best {row['best_kept']:.4f}  "
        f"cand {row['candidates']:>6}  verified {row['verified']:>6}  "
        f"{row['sketch_s']:.2f}+{row['decide_s']:.2f} s"
    )


SWEEP = (
    ("default", {}),
    ("ngram=3", {"ngram": 3}),
    ("ngram=5", {"ngram": 5}),
    ("ngram=5 threshold=0.8 containment=0.9", {"ngram": 5, "threshold": 0.8, "containment": 0.9}),
    ("threshold=0.5", {"threshold": 0.5}),
    ("threshold=0.7", {"threshold": 0.7}),
    ("threshold=0.8", {"threshold": 0.8}),
    ("containment=0.7", {"containment": 0.7}),
    ("containment=0.9", {"containment": 0.9}),
    ("bands=16 rows=8 (LSH ~0.71)", {"bands": 16, "rows": 8}),
    ("bands=32 rows=4 (LSH ~0.42)", {"bands": 32, "rows": 4, "head_bands": 0}),
    ("bands=64 rows=2 (near-exhaustive)", {"bands": 64, "rows": 2, "head_bands": 0}),
    ("no head bands", {"head_bands": 0}),
    ("head_bands=4", {"head_bands": 4}),
    ("num_perm=64 bands=12 rows=5", {"num_perm": 64, "bands": 12, "head_bands": 4}),
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sweep", action="store_true", help="also score other parameters")
    parser.add_argument("--details", action="store_true", help="print every error by category")
    parser.add_argument(
        "--convert",
        default="t2s",
        help="the convert stage's OpenCC config before dedup (default t2s, the pipeline's; "
        "tw2sp also turns Taiwan vocabulary such as 軟體 back into 软件)",
    )
    args = parser.parse_args(argv)
    copies = make_reprint_corpus(args.seed, args.clusters)
    docs = documents(copies, args.convert)
    variants = Counter(c.variant.split(":")[0] for c in copies)
    print(
        f"reprint corpus: seed {args.seed}, {len(copies)} stories, {args.clusters} clusters, "
        f"convert {args.convert}"
    )
    print("variants:", ", ".join(f"{k} {v}" for k, v in sorted(variants.items())))
    cfg = DedupConfig()
    row = evaluate(copies, docs, cfg)
    print()
    print_table("default", row)
    print(f"kinds dropped: {dict(sorted(row['kinds'].items()))}")  # type: ignore[union-attr]
    print(f"index bytes per story (in memory): {row['index_bytes']:.0f}")
    ok = all(float(row[k]) >= v for k, v in TARGETS.items())  # type: ignore[arg-type]
    print("targets (precision >= 0.998, F1 >= 0.99, best copy >= 0.99):", "met" if ok else "MISSED")
    print()
    print(f"recall of true duplicate pairs by key Jaccard ({cfg.ngram}-grams):")
    for label, count, share in recall_curve(copies, docs, row["duplicate_of"], cfg.ngram):  # type: ignore[arg-type]
        print(f"  J {label}: {count:>6} pairs, recall {share:.4f}")
    if args.details:
        print()
        details(copies, docs, row["duplicate_of"])  # type: ignore[arg-type]
    if args.sweep:
        print()
        for name, changes in SWEEP[1:]:
            print_table(name, evaluate(copies, docs, replace(cfg, **changes)))


if __name__ == "__main__":
    main()
