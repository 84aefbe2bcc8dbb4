"""The dedup corpus: determinism, cluster truth and completeness truth."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest

from bench.metrics import score_dedup
from bench.reprints import (
    ReprintKnobs,
    make_copy,
    make_original,
    make_reprint_corpus,
    ocr_confusions,
    write_reprint_corpus,
)
from bench.tests.prose_fixture import TEST_ONLY_SIMPLIFIED

KNOBS = ReprintKnobs(copies=(2, 6), paragraphs=(2, 3), near_miss=0.5)


def corpus(seed: int = 1):  # type: ignore[no-untyped-def]
    return make_reprint_corpus(seed, 8, TEST_ONLY_SIMPLIFIED, KNOBS)


def test_deterministic_and_shuffled() -> None:
    docs = corpus()
    assert docs == corpus()
    assert docs != corpus(2)
    assert [d.id for d in docs] == [f"d{i:06d}" for i in range(len(docs))]
    originals = [i for i, d in enumerate(docs) if d.variant == "original"]
    assert originals != list(range(len(originals)))  # originals are not simply first


def test_cluster_and_completeness_truth() -> None:
    docs = corpus()
    clusters = defaultdict(list)
    for doc in docs:
        clusters[doc.cluster].append(doc)
    assert len([c for c in clusters if c.startswith("c")]) == 8
    for cluster, members in clusters.items():
        if cluster.startswith("n"):  # near misses: their own one-member clusters
            continue
        originals = [d for d in members if d.variant == "original"]
        assert len(originals) == 1
        assert originals[0].completeness == 1.0
        assert max(d.completeness for d in members) == 1.0
        for doc in members:
            if "truncated" in doc.variant:
                assert doc.completeness < 0.9
            if doc.variant.startswith(("ocr", "dropped")):
                assert doc.completeness < 1.0
            if doc.variant in ("exact", "punct", "quotes", "retitled"):
                assert doc.completeness == 1.0
    near = [d for d in docs if d.variant.startswith("near-miss")]
    assert near and all(d.related and d.related != d.cluster for d in near)
    assert all(len(clusters[d.cluster]) == 1 for d in near)


def test_variants_do_what_they_say() -> None:
    rng = random.Random(0)
    original = make_original(rng, "c1", TEST_ONLY_SIMPLIFIED[:3])
    trad = make_copy(rng, original, "traditional", KNOBS)
    assert trad.script == "traditional" and trad.body != original.body
    assert trad.completeness > 0.95  # after t2s it is (nearly) the original again
    cut = make_copy(rng, original, "truncated", KNOBS)
    assert original.body.startswith(cut.body.split("\n")[0])
    assert 0.3 < cut.completeness < 0.9
    ocr = make_copy(rng, original, "ocr", KNOBS)
    assert len(ocr.body) == len(original.body) and ocr.body != original.body
    with pytest.raises(ValueError, match="unknown reprint variant"):
        make_copy(rng, original, "bogus", KNOBS)


def test_ocr_table_has_lookalikes() -> None:
    table = ocr_confusions()
    assert "已" in table["己"] and "末" in table["未"]


def test_truth_as_prediction_is_perfect(tmp_path: Path) -> None:
    docs = corpus()
    truth = {d.id: d.cluster for d in docs}
    completeness = {d.id: d.completeness for d in docs}
    best = {}
    for doc in docs:  # keep the most complete copy of each cluster, drop the rest
        if doc.cluster not in best or doc.completeness > completeness[best[doc.cluster]]:
            best[doc.cluster] = doc.id
    duplicate_of = {d.id: best[d.cluster] for d in docs if best[d.cluster] != d.id}
    scores = score_dedup(truth, duplicate_of, completeness)
    assert (scores.pairs.f1, scores.ari, scores.best_kept_share) == (1.0, 1.0, 1.0)
    write_reprint_corpus(tmp_path, docs)
    written = json.loads((tmp_path / "truth" / "reprints.json").read_text("utf-8"))
    assert set(written) == set(truth)
    assert (tmp_path / "input" / "reprints" / f"{docs[0].id}.txt").read_text("utf-8") == docs[
        0
    ].text + "\n"


def test_too_little_prose_is_an_error() -> None:
    with pytest.raises(ValueError, match="disjoint stories"):
        make_reprint_corpus(0, 500, TEST_ONLY_SIMPLIFIED, KNOBS)


def test_too_few_distinct_windows_is_a_value_error() -> None:
    # Repeated prose gives many disjoint windows but few distinct ones: the size check
    # counts the distinct ones, so the run stops with its message, not StopIteration.
    repeated = list(TEST_ONLY_SIMPLIFIED[:6]) * 5
    with pytest.raises(ValueError, match="disjoint stories"):
        make_reprint_corpus(0, 4, repeated, KNOBS)
