"""What a run learns of each source folder's text from the folder's own pages, so that a new
paper's conventions are read from its own text (self-supervised: no truth, no labels).

The survey pass (``pipeline.engine.survey``) takes from every page two kinds of lines it
can tell without a model (:func:`headline_examples`):

* **headlines**: headline-shaped lines (short, no sentence in them) right above a lead
  formula (本报讯, 新华社…电) or a lead line (本报记者 张三), up to three of them: a line
  above a lead is its story's headline, kicker or deck;
* **prose**: lines with a clause mark (，、；) that are no lead, byline or furniture, up
  to ``MAX_PROSE_CHARS`` characters a page: running text.

:func:`learn_folders` turns them into a :class:`FolderText` per folder:

* ``headline``: log-odds of a character pair in the folder's headlines against its prose,
  shrunk towards zero by how few headlines the folder gave (``EVIDENCE`` lines weigh
  half); a folder without a single lead (wire pages) has none;
* ``pair_logp`` / ``char_logp``: how the folder's prose uses character pairs and
  characters, its counts on top of the model's shipped tables as a prior worth
  ``PRIOR_WEIGHT`` pairs. The pair across a break reads as running text (a wrap) when its
  pointwise mutual information in *this folder's* prose is high: a People's Daily folder
  is measured on People's Daily prose, not on the documentation the model was fitted on.

The line model reads them as features ("B folder headline score", "pair information
across").

>>> headline_examples("湖北推出改革方案\\n本报讯（记者邹明强）湖北省委、省政府下发方案，要求。")
(['湖北推出改革方案'], ['本报讯（记者邹明强）湖北省委、省政府下发方案，要求。'])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from pipeline.layout.facts import describe
from pipeline.layout.model import line_model
from pipeline.layout.signals import CharTables, FolderText, char_slots, codes_of, pair_slots

FOLDER_SLOTS = 1 << 13  # hashed pairs of the headline table
EVIDENCE = 30  # headline lines at which a folder's own headline table weighs half
PRIOR_WEIGHT = 5000.0  # pairs: what the shipped prose tables count as, against a folder's
MAX_PROSE_CHARS = 3000  # prose characters kept per page: plenty, and a bounded survey
_HEAD_ABOVE = 3  # lines above a lead that may be its headline block
_MAX_WIDTH = 32.0


FolderTexts = Mapping[str, FolderText]  # source folder -> what the run learned of it


def headline_examples(text: str) -> tuple[list[str], list[str]]:
    """The page's headline lines (above a lead) and prose lines (running text), stripped."""
    filled = [line.strip() for line in text.split("\n") if line.strip()]
    if not filled:
        return [], []
    facts = describe(filled, _MAX_WIDTH)
    heads: list[str] = []
    taken: set[int] = set()
    for i, fact in enumerate(facts):
        if not (fact.lead or fact.lead_line):
            continue
        for j in range(i - 1, max(i - 1 - _HEAD_ABOVE, -1), -1):
            if not facts[j].heading or j in taken:
                break
            taken.add(j)
            heads.append(filled[j])
    prose: list[str] = []
    size = 0
    for line, fact in zip(filled, facts, strict=True):
        if size >= MAX_PROSE_CHARS:
            break
        if not fact.heading and not fact.alone and any(m in line for m in "，、；,;"):
            prose.append(line)
            size += len(line)
    return heads, prose


def learn_folders(
    pages: Iterable[tuple[str, Sequence[str], Sequence[str]]], prior: CharTables | None = None
) -> dict[str, FolderText]:
    """Per folder, what its pages' ``(folder, headline lines, prose lines)`` teach, with the
    tables ``prior`` (default: the shipped model's) under the prose counts.

    >>> from pipeline.layout.signals import empty_tables
    >>> learned = learn_folders([("gr", ["改革方案"], ["改革，方案"])], empty_tables())
    >>> sorted(learned), learned["gr"].headline.shape, learned["gr"].pair_logp.shape
    (['gr'], (8192,), (16,))
    """
    if prior is None:
        prior = line_model().tables
    heads: dict[str, list[str]] = defaultdict(list)
    prose: dict[str, list[str]] = defaultdict(list)
    for folder, head_lines, prose_lines in pages:
        heads[folder].extend(head_lines)
        prose[folder].extend(prose_lines)
    pair_prior = np.exp(prior.pair_logp.astype(np.float64))
    char_prior = np.exp(prior.char_logp.astype(np.float64))
    learned: dict[str, FolderText] = {}
    for folder in sorted(prose.keys() | heads.keys()):
        pairs = _counts(prose[folder], prior.pair_logp.size, pair=True)
        chars = _counts(prose[folder], prior.char_logp.size, pair=False)
        learned[folder] = FolderText(
            _headline_table(heads[folder], prose[folder]),
            _blend(pairs, pair_prior),
            _blend(chars, char_prior),
        )
    return learned


def _counts(lines: Sequence[str], size: int, *, pair: bool) -> npt.NDArray[np.float64]:
    """Counts per table slot of the pairs (or characters) inside ``lines``."""
    counts = np.zeros(size)
    if not lines:
        return counts
    codes = codes_of("\n".join(lines))
    if pair:
        slots = pair_slots(codes, size)
        inside = (codes[:-1] != 10) & (codes[1:] != 10)
        slots = slots[inside]
    else:
        slots = char_slots(codes[codes != 10], size)
    return counts + np.bincount(slots, minlength=size)


def _blend(
    counts: npt.NDArray[np.float64], prior: npt.NDArray[np.float64]
) -> npt.NDArray[np.float32]:
    """log P per slot: the folder's counts over the prior worth ``PRIOR_WEIGHT`` counts."""
    total = counts.sum() + PRIOR_WEIGHT
    blended: npt.NDArray[np.float32] = np.log(
        (counts + PRIOR_WEIGHT * prior) / total + 1e-12
    ).astype(np.float32)
    return blended


def _headline_table(heads: Sequence[str], prose: Sequence[str]) -> npt.NDArray[np.float32] | None:
    """Log-odds of a pair in the folder's headlines against its prose, shrunk by evidence."""
    if not heads:
        return None
    h = _counts(heads, FOLDER_SLOTS, pair=True)
    b = _counts(prose, FOLDER_SLOTS, pair=True)
    p = (h + 0.5) / (h.sum() + 0.5 * FOLDER_SLOTS)
    q = (b + 0.5) / (b.sum() + 0.5 * FOLDER_SLOTS)
    weight = len(heads) / (len(heads) + EVIDENCE)
    table: npt.NDArray[np.float32] = (weight * np.log(p / q)).astype(np.float32)
    return table


__all__ = [
    "FOLDER_SLOTS",
    "FolderText",
    "FolderTexts",
    "headline_examples",
    "learn_folders",
]
