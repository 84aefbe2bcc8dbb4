"""The line model: a linear-chain CRF over a page's lines, fitted by ``bench/train_layout.py``
(``make model``) and shipped as ``pipeline/layout/line_model.npz``.

Each non-blank line of a page gets one label (``LABELS``): page furniture, a headline line,
a headline's wrapped rest, a paragraph start, a paragraph's wrapped rest, or the start of a
story printed without a headline (a brief's lead, a notice, the tail of a story from
elsewhere). A break is a wrap when the line below it is labelled a rest; line repair
(``pipeline.layout.lines``) takes the model's word where it cuts what the rule engine
joined. All six labels are fitted, though only the rests decide today: the others carry
the structure (a headline's rest follows a headline, a paragraph's rest a paragraph), and
segmentation by them was measured and not kept (bench/README.md, "The line model").

The score of a labelling is the sum over lines of ``features @ weights[:, label]`` plus a
transition weight between consecutive labels (a rest follows its own kind, a headline is
followed by a paragraph start...). The best labelling is found by Viterbi, where the hand
rules that are certain (``pipeline.layout.rules``: kinsoku marks, lead formulas, numbers
and Latin words cut by the column, bylines and furniture on lines of their own) remove the
labels they rule out before the search, so the model decides only what they leave open.

The file holds the weights (``FEATURES`` x ``LABELS``), the transitions, the character
tables of ``pipeline.layout.features.CharTables`` and the names of the features it was
fitted with (a model fitted with other features is refused with a message that says so).
It is read once per process, on first use.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numba
import numpy as np
import numpy.typing as npt

from pipeline.errors import PipelineError
from pipeline.layout.features import FEATURES, CharTables

LABELS: tuple[str, ...] = ("F", "H", "h", "P", "p", "S")
FURNITURE, HEADLINE, HEADLINE_REST, PARAGRAPH, PARAGRAPH_REST, STORY = range(len(LABELS))
RESTS = (HEADLINE_REST, PARAGRAPH_REST)
LABEL_NAMES = {
    "F": "page furniture or a jump mark",
    "H": "a headline line (kicker, title, deck, author line)",
    "h": "a headline's wrapped rest",
    "P": "a paragraph's first line (or a lead, byline, caption, subhead line)",
    "p": "a paragraph's wrapped rest",
    "S": "the first line of a story without a headline (brief, notice, tail)",
}
MODEL_FILE = "line_model.npz"
# Allowed labels per line, as bit masks over LABELS.
ANY = (1 << len(LABELS)) - 1
REST = (1 << HEADLINE_REST) | (1 << PARAGRAPH_REST)
START = ANY & ~REST


@dataclass(frozen=True, slots=True)
class LineModel:
    """Weights of the line CRF and its character tables."""

    weights: npt.NDArray[np.float64]  # (len(FEATURES), len(LABELS))
    transitions: npt.NDArray[np.float64]  # (len(LABELS), len(LABELS)): from, to
    tables: CharTables
    # Added to the score of the labels that agree with the rule engine's verdict on a
    # break: how much more evidence the model needs to overrule it (fitted on held-back
    # pages of the fit split by bench/train_layout.py).
    rule_trust: float = 0.0


def load_model(path: Path | None = None) -> LineModel:
    """The model in ``path`` (default: the one shipped in the package).

    Raises:
        PipelineError: the file was fitted with other features or labels than this code's.
    """
    if path is None:
        data = resources.files("pipeline.layout").joinpath(MODEL_FILE).read_bytes()
    else:
        data = path.read_bytes()
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        names = tuple(str(name) for name in arrays["features"])
        labels = tuple(str(name) for name in arrays["labels"])
        if names != FEATURES or labels != LABELS:
            msg = (
                f"{path or MODEL_FILE}: the line model was fitted with other features or "
                "labels than pipeline.layout.features.FEATURES / model.LABELS; refit it "
                "with `make model` (python -m bench.train_layout)"
            )
            raise PipelineError(msg)
        return LineModel(
            weights=arrays["weights"].astype(np.float64),
            transitions=arrays["transitions"].astype(np.float64),
            tables=CharTables(
                arrays["pair_headline"].astype(np.float32),
                arrays["last_boundary"].astype(np.float32),
                arrays["first_boundary"].astype(np.float32),
                arrays["pair_logp"].astype(np.float32),
                arrays["char_logp"].astype(np.float32),
            ),
            rule_trust=float(arrays["rule_trust"]),
        )


@functools.cache
def line_model() -> LineModel:
    """The shipped model, read once per process."""
    return load_model()


def decode(
    features: npt.NDArray[np.float32],
    allowed: npt.NDArray[np.int64],
    model: LineModel,
    rule_wraps: Sequence[bool] | None = None,
) -> npt.NDArray[np.int64]:
    """The best labelling of a page's lines: Viterbi over ``features @ weights`` and the
    transitions, each line restricted to the labels its bit mask ``allowed`` keeps; the
    labels that agree with ``rule_wraps`` (the rule engine's verdict per line) get
    ``model.rule_trust`` more.

    >>> from pipeline.layout.signals import empty_tables
    >>> m = LineModel(np.zeros((len(FEATURES), len(LABELS))), np.zeros((6, 6)), empty_tables())
    >>> decode(np.zeros((2, len(FEATURES)), np.float32), np.array([1 << 3, REST]), m).tolist()
    [3, 2]
    """
    if len(features) == 0:
        return np.zeros(0, dtype=np.int64)
    scores = features.astype(np.float64) @ model.weights
    if rule_wraps is not None and model.rule_trust:
        wraps = np.asarray(rule_wraps, dtype=bool)
        agree = np.zeros(scores.shape, dtype=bool)
        agree[:, list(RESTS)] = wraps[:, None]
        agree[:, [k for k in range(len(LABELS)) if k not in RESTS]] = ~wraps[:, None]
        scores = scores + model.rule_trust * agree
    return _viterbi(scores, model.transitions, allowed.astype(np.int64))


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _viterbi(
    scores: npt.NDArray[np.float64],
    transitions: npt.NDArray[np.float64],
    allowed: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    n, k = scores.shape
    worst = -1e300
    best = np.full(k, worst)
    back = np.zeros((n, k), dtype=np.int64)
    for j in range(k):
        if allowed[0] >> j & 1:
            best[j] = scores[0, j]
    for i in range(1, n):
        nxt = np.full(k, worst)
        for j in range(k):
            if not (allowed[i] >> j & 1):
                continue
            top, arg = worst, 0
            for q in range(k):
                if best[q] <= worst:
                    continue
                value = best[q] + transitions[q, j]
                if value > top:
                    top, arg = value, q
            if top > worst:
                nxt[j] = top + scores[i, j]
                back[i, j] = arg
        best = nxt
    labels = np.zeros(n, dtype=np.int64)
    last = 0
    for j in range(k):
        if best[j] > best[last]:
            last = j
    labels[n - 1] = last
    for i in range(n - 1, 0, -1):
        labels[i - 1] = back[i, labels[i]]
    return labels
