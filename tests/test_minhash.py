"""The compiled MinHash and the band index against datasketch's own MinHash and MinHashLSH."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH

from pipeline.dedup.candidates import candidate_pairs
from pipeline.dedup.keys import fold_keys
from pipeline.dedup.minhash import band_keys, reference_minhash, signature
from pipeline.dedup.shingles import iter_shingles, shingle_hash32, shingle_set
from pipeline.dedup.stage import dedup_key, key_codepoints
from pipeline.dedup.verify import MIN_CHUNK_PAIRS, _pair_chunks, batch_overlaps, intersection_size

PAGE = Path(__file__).resolve().parents[1] / "data/raw/workers-daily/2017-08-28-page.txt"


def real_stories(count: int = 120, seed: int = 7) -> list[str]:
    """Story-sized cuts (80-1,500 characters) of the real Workers' Daily page."""
    text = PAGE.read_text(encoding="utf-8")
    rng = random.Random(seed)
    stories = []
    for _ in range(count):
        length = rng.randint(80, 1500)
        start = rng.randrange(0, len(text) - length)
        stories.append(text[start : start + length])
    return stories


def codepoints(key: str) -> np.ndarray:
    return np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32)


@pytest.mark.parametrize(
    ("scheme", "num_perm", "seed", "ngram"),
    [
        ("affine32", 128, 1, 5),
        ("affine32", 64, 42, 3),
        ("affine64", 32, 1, 5),
        ("legacy", 32, 1, 4),
    ],
)
def test_signature_is_datasketch_minhash(scheme, num_perm, seed, ngram):
    stories = real_stories()
    assert len(stories) >= 100
    for story in stories:
        key = dedup_key(story)
        sig, head = signature(codepoints(key), ngram, num_perm, seed, scheme, head=40)
        ref = reference_minhash(key, ngram, num_perm, seed, scheme)
        assert sig.dtype == ref.hashvalues.dtype
        assert np.array_equal(sig, ref.hashvalues)
        head_ref = reference_minhash(key[: 40 + ngram - 1], ngram, num_perm, seed, scheme)
        assert np.array_equal(head, head_ref.hashvalues)


def test_shorter_than_ngram_is_an_empty_minhash():
    sig, head = signature(codepoints("工匠"), 5, 16, 1, "affine32", head=8)
    assert np.array_equal(sig, reference_minhash("工匠", 5, 16, 1, "affine32").hashvalues)
    assert np.array_equal(head, sig)


@pytest.mark.parametrize(
    ("shingle", "expected"), [("", 0x811C9DC5), ("a", 0xE40C292C), ("劳模工作室", 3406790484)]
)
def test_shingle_hash32_is_fnv1a_over_code_points(shingle, expected):
    assert shingle_hash32(shingle) == expected


def mutate(text: str, rng: random.Random, rate: float) -> str:
    chars = list(text)
    for i in range(len(chars)):
        if rng.random() < rate:
            chars[i] = rng.choice("己已未末人入的了")
    return "".join(chars)


@pytest.mark.parametrize(("bands", "rows"), [(20, 5), (32, 4), (9, 3)])
def test_band_index_gives_minhashlsh_candidates(bands, rows):
    rng = random.Random(bands)
    base = [dedup_key(s) for s in real_stories(60, seed=bands)]
    keys = base + [mutate(k, rng, rng.choice((0.01, 0.05, 0.15))) for k in base]
    keys += [k[: len(k) * 2 // 3] for k in base[:20]]
    lsh = MinHashLSH(num_perm=128, params=(bands, rows))
    minhashes = []
    for i, key in enumerate(keys):
        m = LeanMinHash(reference_minhash(key, 5, 128, 1, "affine32"))
        minhashes.append(m)
        lsh.insert(i, m)
    expected = {
        (min(i, j), max(i, j)) for i, m in enumerate(minhashes) for j in lsh.query(m) if i != j
    }
    matrix = np.stack(
        [band_keys(signature(codepoints(k), 5, 128, 1, "affine32")[0], bands, rows) for k in keys],
        axis=1,
    )
    found = {tuple(p) for p in candidate_pairs(matrix).tolist()}
    assert len(expected) > 40  # the corpus does have candidates
    assert found == expected


def test_candidate_pairs_respects_eligible_rows():
    keys = np.array([[1, 1, 1, 2]], dtype=np.uint64)
    assert candidate_pairs(keys).tolist() == [[0, 1], [0, 2], [1, 2]]
    eligible = np.array([True, False, True, True])
    assert candidate_pairs(keys, eligible).tolist() == [[0, 2]]
    assert candidate_pairs(np.zeros((2, 0), dtype=np.uint64)).shape == (0, 2)


@pytest.mark.parametrize("ngram", [2, 3, 5])
def test_shingle_set_counts_distinct_shingles(ngram):
    for story in real_stories(30):
        key = dedup_key(story)
        exact = set(iter_shingles(key, ngram))
        mine = shingle_set(key_codepoints(story), ngram)
        assert len(mine) == len(exact)
    a, b = "尤溪县总工会劳模工作室", "尤溪县总工会职工书屋"
    shared = set(iter_shingles(a, ngram)) & set(iter_shingles(b, ngram))
    assert intersection_size(
        shingle_set(codepoints(a), ngram), shingle_set(codepoints(b), ngram)
    ) == len(shared)


def test_overlaps_are_the_same_on_any_number_of_threads() -> None:
    """The pair kernel runs on threads (the workers' cores are idle while the driver
    verifies): cut at group boundaries, the counts are those of one thread."""
    rng = np.random.default_rng(7)
    keys = ["".join(rng.choice(list("工会劳模职工湖北改革方案"), size=40)) for _ in range(300)]
    cps, offsets, _ = fold_keys(keys)
    pairs = np.array([(i, j) for i in range(300) for j in range(i + 1, min(i + 40, 300))])
    assert len(pairs) > 2 * MIN_CHUNK_PAIRS
    one = batch_overlaps(cps, offsets, 4, pairs, threads=1)
    for threads in (2, 3):
        many = batch_overlaps(cps, offsets, 4, pairs, threads=threads)
        assert all(np.array_equal(a, b) for a, b in zip(one, many, strict=True))
    assert len(_pair_chunks(pairs, 3)) == 3
    assert all(pairs[s.start - 1, 0] != pairs[s.start, 0] for s in _pair_chunks(pairs, 3)[1:])
