"""Score collation on the harness's reprint corpus (bench/reprints.py, OCR confusions).

    .venv/bin/python -m bench.eval_collation                      # default corpus
    .venv/bin/python -m bench.eval_collation --drop-originals     # no clean copy printed

Stories reach dedup as ``bench.eval_dedup.documents`` hands them over (fields split, t2s);
the pipeline's ``decide`` makes the clusters and ``collate`` mends each kept copy with its
removed ones, exactly as a run does. The truth is each cluster's original paragraphs.

* An **error** of a kept copy is an OCR misreading: a Han character its paragraphs read
  otherwise than the original's, aligned on the collation fold (the lead, which copies
  change on purpose, is left out).
* An error is **majority-correctable** when, at its place, at least two of the cluster's
  other copies and a strict majority of all copies that read it (the kept one included)
  print the original character.
* A **false correction** is a change that does not bring the kept copy closer to the
  original (folded edit distance, the change applied alone); the target is none on kept
  copies without errors.

Prints the errors before and after, the share of majority-correctable errors fixed
(target >= 90 %), and the false corrections.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.config import DedupConfig
from pipeline.dedup import apply_changes, collate, decide, sketch_table
from pipeline.dedup.collation import Change, fold_for_collation
from pipeline.document import Document
from pipeline.text import HAN_RE, to_simplified
from rapidfuzz.distance import Levenshtein

from bench.eval_dedup import documents
from bench.reprints import Copy, ReprintKnobs, make_reprint_corpus


@dataclass
class Counts:
    kept_copies: int = 0  # kept copies of clusters with at least two removed copies
    errors_before: int = 0
    errors_after: int = 0
    correctable: int = 0
    correctable_fixed: int = 0
    changes: int = 0
    false_corrections: int = 0
    clean_kept: int = 0  # kept copies without errors
    clean_kept_changed: int = 0  # ...that collation changed anyway


def readings(text: str, original: str) -> dict[int, str]:
    """Original position -> the character ``text`` prints there (folded), where the two
    agree or differ by a substitution of the same length."""
    a, b = fold_for_collation(original), fold_for_collation(text)
    found: dict[int, str] = {}
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal" or (
            op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start
        ):
            for k in range(op.src_end - op.src_start):
                found[op.src_start + k] = b[op.dest_start + k]
    return found


def errors(text: str, original: str) -> set[int]:
    """Original positions of Han characters ``text`` misreads."""
    gold = fold_for_collation(original)
    return {
        q
        for q, char in readings(text, original).items()
        if char != gold[q] and HAN_RE.match(gold[q]) and HAN_RE.match(char)
    }


def paragraphs(copy: Copy) -> str:
    """The copy's paragraphs as the pipeline holds them (Traditional copies after t2s)."""
    text = "\n".join(copy.paragraphs)
    return to_simplified(text) if copy.script == "traditional" else text


def score(copies: Sequence[Copy], docs: Sequence[Document], cfg: DedupConfig) -> Counts:
    by_id = {c.id: c for c in copies}
    texts = {d.id: d.text for d in docs}
    steps = {d.id: any(s.startswith("convert.") for s in d.steps) for d in docs}
    originals = {c.cluster: "\n".join(c.paragraphs) for c in copies if c.variant == "original"}
    table = sketch_table(docs, cfg)
    result = decide(table, cfg, lambda rows: [docs[int(r)].text for r in rows])
    counts = Counts()
    for kept_id, kept in sorted(result.kept.items()):
        removed = [i for i, _ in kept.also_printed_in]
        copy = by_id[kept_id]
        original = originals.get(copy.cluster)
        if len(removed) < 2 or original is None:
            continue
        counts.kept_copies += 1
        text = texts[kept_id]
        offset = len(text) - len(paragraphs(copy))  # the lead before the paragraphs
        converted = {i for i in removed if steps[i] != steps[kept_id]}
        changes = collate(text, [(i, texts[i]) for i in removed], converted)
        mended = apply_changes(text, changes)
        before, after = errors(text[offset:], original), errors(mended[offset:], original)
        counts.errors_before += len(before)
        counts.errors_after += len(after)
        counts.changes += len(changes)
        counts.false_corrections += sum(
            not _closer(text[offset:], c, offset, original) for c in changes
        )
        if not before:
            counts.clean_kept += 1
            counts.clean_kept_changed += bool(changes)
        gold = fold_for_collation(original)
        others = [readings(texts[i], original) for i in removed if by_id[i].cluster == copy.cluster]
        for q in before:
            votes = [r[q] for r in others if q in r]
            right = sum(v == gold[q] for v in votes)
            if right >= 2 and 2 * right > len(votes) + 1:
                counts.correctable += 1
                counts.correctable_fixed += q not in after
    return counts


def _closer(paragraphs_text: str, change: Change, offset: int, original: str) -> bool:
    """Whether ``change`` alone brings the kept copy's paragraphs closer to the original
    (folded edit distance): a false correction is a change that does not."""
    gold = fold_for_collation(original)
    before = Levenshtein.distance(fold_for_collation(paragraphs_text), gold)
    mended = apply_changes(paragraphs_text, [replace(change, position=change.position - offset)])
    return Levenshtein.distance(fold_for_collation(mended), gold) < before


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--drop-originals",
        action="store_true",
        help="leave every cluster's clean original out, so that damaged copies are kept",
    )
    args = parser.parse_args(argv)
    knobs = ReprintKnobs(copies=(2, 6))  # collation needs clusters of three or more
    copies = make_reprint_corpus(args.seed, args.clusters, knobs=knobs)
    printed = [c for c in copies if not (args.drop_originals and c.variant == "original")]
    counts = score(copies, documents(printed), DedupConfig())  # the truth keeps the originals
    fixed = counts.correctable_fixed / max(counts.correctable, 1)
    print(
        f"reprint corpus: seed {args.seed}, {args.clusters} clusters, {len(printed)} stories"
        f"{', originals left out' if args.drop_originals else ''}"
    )
    print(f"kept copies with >= 2 removed copies: {counts.kept_copies}")
    print(f"OCR errors in them: {counts.errors_before} before, {counts.errors_after} after")
    print(
        f"majority-correctable errors fixed: {counts.correctable_fixed} of {counts.correctable}"
        f" ({fixed:.1%}; target >= 90 %)"
    )
    print(
        f"changes: {counts.changes}; false corrections: {counts.false_corrections}; kept copies "
        f"without errors changed: {counts.clean_kept_changed} of {counts.clean_kept} (target 0)"
    )


if __name__ == "__main__":
    main()
