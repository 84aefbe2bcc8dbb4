"""What the line model reads about every line of a page: one row of numbers per line.

The model (``pipeline.layout.model``) labels each non-blank line of a page with its role
(furniture, headline, headline continued, paragraph start, paragraph continued, a story's
start without a headline); a row here describes line B and the break above it, between the
line before (A) and B, and looks one line further down (C). Every column is named in
``FEATURES``; the training script (``bench/train_layout.py``) and the run compute them with
this one function, so they cannot drift apart.

What a row holds:

* **layout facts** of B, A and C, from ``pipeline.layout.facts`` (sentence end, headline
  shape, lead, byline, credit, furniture shape...), widths against the page's own column
  (the median width of its running lines) and against each other;
* **page habits**: whether the page indents paragraph starts or puts blank lines after
  sentence ends (then an indent or a blank line says something), how often a clause mark
  follows A's last character and precedes B's first *on this page*;
* **text**: a dictionary word across the break (jieba, ``pipeline.layout.lexicon``), a Han
  pair the page itself uses across it, and how headline-like B's characters are (a
  character-pair table of the model, and one the run learned from the folder's own
  headlines, ``pipeline.layout.adapt``);
* the **rule engine's verdict** on the break (``pipeline.layout.columns``), which the
  model learns to overrule where the text says otherwise;
* a few **conjunctions** the linear model cannot form itself (A ends a sentence and is a
  full line of the column; A is headline-shaped and B is too).

Everything is computed for a whole page at once; the Python work per line is a few
comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from pipeline.layout.facts import LineFacts, describe
from pipeline.layout.lexicon import words_across
from pipeline.layout.shapes import NO_LINE_END, NO_LINE_START, is_kicker_like
from pipeline.layout.signals import (
    CharTables,
    FolderText,
    char_slots,
    clause_edges,
    codes_of,
    empty_tables,
    headline_scores,
    page_pairs,
    pair_information,
    simplified,
)
from pipeline.layout.words import words

# A page marks paragraph starts by indents / sentence-final boundaries by blank lines when
# at least this share of such lines does: below it an indent or a blank line is noise.
_HABIT_SHARE = 0.5
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
_TOLERANCE = 1.5  # Han widths: two lines of one column differ by at most this much

FEATURES: tuple[str, ...] = (
    "bias",
    "rules wrap",
    "rules wrap, word across",
    "rules boundary, word across",
    "first line",
    "last line",
    "top edge",
    "bottom edge",
    # B, the line itself
    "B width < 0.3 column",
    "B width < 0.6 column",
    "B width < 0.85 column",
    "B full width",
    "B wider than column",
    "B width <= 4",
    "B width <= 10",
    "B ends sentence",
    "B ends clause mark",
    "B no mark inside",
    "B one clause mark",
    "B clause marks",
    "B heading-shaped",
    "B kicker-like",
    "B lead",
    "B lead line",
    "B byline",
    "B credit",
    "B furniture shape",
    "B opens caption",
    "B connective",
    "B digits only",
    "B indented",
    "B starts no-line-start mark",
    "B headline score",
    "B headline score > 0",
    "B folder headline score",
    "B folder headline score > 0",
    "B first char boundary score",
    # A, the line above, and the break
    "A ends sentence",
    "A ends clause mark",
    "A ends no-line-end mark",
    "A heading-shaped",
    "A lead",
    "A lead line",
    "A byline",
    "A credit",
    "A alone",
    "A width < 0.6 column",
    "A width < 0.85 column",
    "A full width",
    "A wider than column",
    "A headline score",
    "A folder headline score",
    "A last char boundary score",
    "A ends function word",
    "B starts particle",
    "same width",
    "B wider than A",
    "B narrower than A",
    "blank before",
    "page indents",
    "page indents, B indented",
    "page indents, B not indented",
    "page blanks",
    "page blanks, blank before",
    "page blanks, no blank before",
    "dictionary word across",
    "pair information across",
    "pair information across > 0",
    "page pair across",
    "clause edge",
    "Latin across",
    "digit across",
    # C, the line below
    "C lead or lead line",
    "C heading-shaped",
    "C byline",
    "C same width as B",
    # conjunctions
    "A ends sentence, A full",
    "A ends sentence, A short",
    "A open, A full",
    "A open, A short",
    "A heading, B heading",
    "A heading, B full",
    "A heading, word across",
    "B heading, C lead",
    "B heading, A ends sentence",
    "B heading, A open",
    "B short, B ends sentence",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}


def page_features(
    stripped: Sequence[str],
    indented: Sequence[bool],
    blanks: Sequence[int],
    tables: CharTables,
    facts: Sequence[LineFacts] | None = None,
    *,
    max_width: float = 32.0,
    folder: FolderText | None = None,
    rule_wraps: Sequence[bool] | None = None,
) -> npt.NDArray[np.float32]:
    """One row of ``FEATURES`` per line of a page.

    Args:
        stripped: the page's non-blank lines, stripped.
        indented: whether each line was indented (an ideographic space, a tab, two spaces).
        blanks: the blank lines before each.
        tables: the model's character tables.
        facts: ``describe(stripped, max_width)`` when the caller has it already.
        max_width: ``headline.max_width``.
        folder: what the run learned of the page's source folder
            (``pipeline.layout.adapt``); None: nothing (folder scores 0, the model's own
            prose tables).
        rule_wraps: per line, whether the rule engine's column-break rule
            (``pipeline.layout.columns``) joins it to the line above; None: it does not.

    >>> rows = page_features(["湖北推出改革方案", "本报讯 全省推出方案。"], [False, False],
    ...                      [0, 0], empty_tables())
    >>> rows.shape == (2, len(FEATURES)), float(rows[1, INDEX["B lead"]])
    (True, 1.0)
    """
    n = len(stripped)
    x = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if n == 0:
        return x
    facts = list(facts) if facts is not None else describe(list(stripped), max_width)
    w = words()
    text = simplified(stripped)  # the dictionary and the tables are Simplified

    def fact(index: int) -> npt.NDArray[np.bool_]:
        return np.fromiter((f[index] for f in facts), bool, n)

    width = np.fromiter((f.width for f in facts), float, n)
    cwidth = np.fromiter((f.column_width for f in facts), float, n)
    ends, heading, byline = fact(_ENDS), fact(_HEADING), fact(_BYLINE)
    lead, lead_line, credit, alone = fact(_LEAD), fact(_LEAD_LINE), fact(_CREDIT), fact(_ALONE)
    furniture = np.fromiter((f.furniture is not None for f in facts), bool, n)
    running = cwidth[(~heading) & (~alone) & (width >= 6)]
    column = float(np.median(running)) if running.size else float(max(cwidth.max(), 1.0))
    rel = cwidth / max(column, 1.0)
    score = headline_scores(text, tables.pair_headline)
    own = np.zeros(n)
    if folder is not None and folder.headline is not None:
        own = headline_scores(text, folder.headline)
    prose = tables
    if folder is not None:
        prose = replace(tables, pair_logp=folder.pair_logp, char_logp=folder.char_logp)
    first_chars = codes_of("".join(s[0] for s in text))
    last_chars = codes_of("".join(s[-1] for s in text))
    indents = np.asarray(indented, dtype=bool)
    blank = np.asarray(blanks) > 0
    rules = np.asarray(rule_wraps, dtype=bool) if rule_wraps is not None else np.zeros(n, bool)
    across = np.array([False, *words_across(text)])
    information = np.concatenate(([0.0], pair_information(text, prose)))
    # Page habits: indents mean paragraph starts when lines that continue a sentence are
    # seldom indented; blank lines mean boundaries when most sentence ends have one and
    # most open breaks do not.
    open_above = _above(~ends & ~heading & ~alone, False)
    after_end = _above(ends, False)
    page_indents = bool(indents.sum() >= 2) and (
        not open_above.any() or bool(indents[open_above].mean() < 0.2)
    )
    page_blanks = bool(
        after_end.sum() >= 3
        and open_above.sum() >= 3
        and blank[after_end].mean() >= _HABIT_SHARE
        and blank[open_above].mean() < _HABIT_SHARE
    )
    marks = np.fromiter((sum(map(line.count, "，、；,;")) for line in stripped), int, n)
    last = [line[-1] for line in stripped]
    first = [line[0] for line in stripped]
    full = np.abs(cwidth - column) <= _TOLERANCE
    diff = cwidth - _above(cwidth, np.nan)  # nan on the first line: no comparison holds
    columns: dict[str, npt.ArrayLike] = {
        "bias": 1.0,
        "rules wrap": rules,
        "rules wrap, word across": rules & across,
        "rules boundary, word across": ~rules & across,
        "first line": np.arange(n) == 0,
        "last line": np.arange(n) == n - 1,
        "top edge": np.arange(n) < 4,
        "bottom edge": np.arange(n) >= n - 4,
        "B width < 0.3 column": rel < 0.3,
        "B width < 0.6 column": rel < 0.6,
        "B width < 0.85 column": rel < 0.85,
        "B full width": full,
        "B wider than column": cwidth > column + _TOLERANCE,
        "B width <= 4": width <= 4,
        "B width <= 10": width <= 10,
        "B ends sentence": ends,
        "B ends clause mark": np.fromiter((c in _CLAUSE_END for c in last), bool, n),
        "B no mark inside": marks == 0,
        "B one clause mark": marks == 1,
        "B clause marks": marks >= 2,
        "B heading-shaped": heading,
        "B kicker-like": np.fromiter(
            (h and is_kicker_like(line, 10) for h, line in zip(heading, stripped, strict=True)),
            bool,
            n,
        ),
        "B lead": lead,
        "B lead line": lead_line,
        "B byline": byline,
        "B credit": credit,
        "B furniture shape": furniture,
        "B opens caption": np.fromiter(
            (w.caption_start.match(line) is not None for line in stripped), bool, n
        ),
        "B connective": np.fromiter(
            (w.connective.match(line) is not None for line in stripped), bool, n
        ),
        "B digits only": np.fromiter(
            (line.replace(" ", "").isdigit() for line in stripped), bool, n
        ),
        "B indented": indents,
        "B starts no-line-start mark": np.fromiter((c in NO_LINE_START for c in first), bool, n),
        "B headline score": score,
        "B headline score > 0": score > 0,
        "B folder headline score": own,
        "B folder headline score > 0": own > 0,
        "B first char boundary score": tables.first_boundary[
            char_slots(first_chars, tables.first_boundary.size)
        ],
        "A ends sentence": _above(ends, False),
        "A ends clause mark": _above(np.fromiter((c in _CLAUSE_END for c in last), bool, n), False),
        "A ends no-line-end mark": _above(
            np.fromiter((c in NO_LINE_END for c in last), bool, n), False
        ),
        "A heading-shaped": _above(heading, False),
        "A lead": _above(lead, False),
        "A lead line": _above(lead_line, False),
        "A byline": _above(byline, False),
        "A credit": _above(credit, False),
        "A alone": _above(alone, False),
        "A width < 0.6 column": _above(rel < 0.6, False),
        "A width < 0.85 column": _above(rel < 0.85, False),
        "A full width": _above(full, False),
        "A wider than column": _above(cwidth > column + _TOLERANCE, False),
        "A headline score": _above(score, 0.0),
        "A folder headline score": _above(own, 0.0),
        "A last char boundary score": _above(
            tables.last_boundary[char_slots(last_chars, tables.last_boundary.size)], 0.0
        ),
        "A ends function word": _above(
            np.fromiter((c in w.function_end for c in last), bool, n), False
        ),
        "B starts particle": np.fromiter((c in w.function_start for c in first), bool, n),
        "same width": np.abs(diff) <= _TOLERANCE,
        "B wider than A": diff > _TOLERANCE,
        "B narrower than A": diff < -_TOLERANCE,
        "blank before": blank,
        "page indents": page_indents,
        "page indents, B indented": page_indents & indents,
        "page indents, B not indented": page_indents & ~indents,
        "page blanks": page_blanks,
        "page blanks, blank before": page_blanks & blank,
        "page blanks, no blank before": page_blanks & ~blank,
        "dictionary word across": across,
        "pair information across": information,
        "pair information across > 0": information > 0,
        "page pair across": np.array([False, *page_pairs(text)]),
        "clause edge": np.array([0.0, *clause_edges(text)]),
        "Latin across": _above(np.fromiter((c in _LATIN for c in last), bool, n), False)
        & np.fromiter((c in _LATIN for c in first), bool, n),
        "digit across": _above(np.fromiter((c in _DIGITS for c in last), bool, n), False)
        & np.fromiter((c in _DIGITS for c in first), bool, n),
        "C lead or lead line": _below(lead | lead_line, False),
        "C heading-shaped": _below(heading, False),
        "C byline": _below(byline, False),
        "C same width as B": np.abs(_below(cwidth, np.inf) - cwidth) <= _TOLERANCE,
        "A ends sentence, A full": _above(ends & full, False),
        "A ends sentence, A short": _above(ends & (rel < 0.85), False),
        "A open, A full": _above(~ends & full, False),
        "A open, A short": _above(~ends & (rel < 0.85), False),
        "A heading, B heading": _above(heading, False) & heading,
        "A heading, B full": _above(heading, False) & full,
        "A heading, word across": _above(heading, False) & across,
        "B heading, C lead": heading & _below(lead | lead_line, False),
        "B heading, A ends sentence": heading & _above(ends, False),
        "B heading, A open": heading & _above(~ends & ~heading, False),
        "B short, B ends sentence": (rel < 0.6) & ends,
    }
    for name, values in columns.items():
        x[:, INDEX[name]] = values
    # Features of the line above are 0 on the first line, by _above; so is the break.
    return x


def _above(values: npt.NDArray[Any], first: Any) -> npt.NDArray[Any]:
    """``values`` shifted one line down: each line gets the line above's, the first ``first``."""
    out = np.empty_like(values)
    out[1:] = values[:-1]
    out[:1] = first
    return out


def _below(values: npt.NDArray[Any], last: Any) -> npt.NDArray[Any]:
    """``values`` shifted one line up: each line gets the line below's, the last ``last``."""
    out = np.empty_like(values)
    out[:-1] = values[1:]
    out[-1:] = last
    return out


# Indices of LineFacts fields (a NamedTuple: positional access is the cheapest).
_ENDS, _HEADING, _BYLINE, _LEAD, _LEAD_LINE, _CREDIT = 2, 3, 4, 5, 6, 7
_ALONE = 10
_CLAUSE_END = frozenset("，、；：,;:")


__all__ = ["FEATURES", "INDEX", "CharTables", "empty_tables", "page_features"]
