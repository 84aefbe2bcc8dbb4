"""The line model's training script on TEST-ONLY stories: labels from the truth, labels that
agree with the break truth, a deterministic fit, scores that count what they say."""

from __future__ import annotations

import numpy as np
import pytest
from pipeline.layout.model import (
    FURNITURE,
    HEADLINE,
    HEADLINE_REST,
    PARAGRAPH,
    PARAGRAPH_REST,
    RESTS,
    STORY,
)

from bench.families import page_labels, training_pages
from bench.tests.test_families import _pool
from bench.train_layout import Scores, prepare, samples, true_labels


def test_true_labels_from_roles() -> None:
    labels = {
        "lines": [
            {"line": 0, "role": "furniture", "story": -1, "first": True},
            {"line": 1, "role": "title", "story": 0, "first": True},
            {"line": 2, "role": "title", "story": 0, "first": False},
            {"line": 3, "role": "paragraph", "story": 0, "first": True},
            {"line": 4, "role": "paragraph", "story": 0, "first": False},
            {"line": 5, "role": "paragraph", "story": 1, "first": True},  # a brief's lead
            {"line": 6, "role": "jump", "story": -1, "first": True},
        ]
    }
    assert true_labels(labels) == {
        0: FURNITURE,
        1: HEADLINE,
        2: HEADLINE_REST,
        3: PARAGRAPH,
        4: PARAGRAPH_REST,
        5: STORY,
        6: FURNITURE,
    }


@pytest.mark.parametrize("family", ["wire", "truncated", "two-pages", "jumps"])
def test_rest_labels_are_the_wraps_of_the_break_truth(family: str) -> None:
    for page in training_pages(_pool(dress=True), "measure", [family], 2, seed=3):
        sample = prepare(page)
        assert sample is not None
        wraps = {b["before"]: not b["boundary"] for b in page_labels(page)["breaks"]}  # type: ignore[union-attr]
        for k, line in enumerate(sample.lines.index[1:], start=1):
            if line in wraps and sample.labels[k - 1] != FURNITURE:
                assert (sample.labels[k] in RESTS) is wraps[line], sample.lines.stripped[k]


def test_scores_count_kept_wraps_and_joined_boundaries() -> None:
    truth = np.array([HEADLINE, PARAGRAPH, PARAGRAPH_REST, PARAGRAPH_REST, HEADLINE, PARAGRAPH])
    rule = np.array([False, True, True, False, True, False])  # joins the headline's body
    model = np.array([False, False, True, False, False, False])
    scores = Scores()
    scores.add(truth, rule, model)
    assert (scores.breaks, scores.rule_kept, scores.rule_joined) == (5, 1, 2)
    assert (scores.model_kept, scores.model_joined) == (1, 0)
    assert (scores.heads, scores.heads_rule, scores.heads_model) == (2, 1, 0)


def test_fit_is_deterministic() -> None:
    pytest.importorskip("pycrfsuite")  # the harness's extra (make model)
    from bench.train_layout import fit

    data = samples(_pool(dress=True), "fit", ["wire", "truncated"], 3, 0)  # type: ignore[arg-type]
    first, second = fit(data, quiet=True), fit(data, quiet=True)
    assert np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.transitions, second.transitions)
    assert np.array_equal(first.tables.pair_headline, second.tables.pair_headline)


def test_make_eval_groups_the_families_the_model_is_fitted_on() -> None:
    from pathlib import Path

    from bench.train_layout import HELD_OUT, SEEN

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    line = next(line for line in makefile.splitlines() if line.startswith("MODEL_SEEN :="))
    assert tuple(line.split(":=", 1)[1].strip().split(",")) == SEEN
    assert not set(SEEN) & set(HELD_OUT)
