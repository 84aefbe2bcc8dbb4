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
    width = np.array([f.width for f in facts])
    cwidth = np.array([f.column_width for f in facts])
    heading = np.array([f.heading for f in facts])
    alone = np.array([f.alone for f in facts])
    running = cwidth[(~heading) & (~alone) & (width >= 6)]
    column = float(np.median(running)) if running.size else float(max(cwidth.max(), 1.0))
    rel = cwidth / max(column, 1.0)
    ends = np.array([f.ends for f in facts])
    score = headline_scores(text, tables.pair_headline)
    own = np.zeros(n)
    if folder is not None and folder.headline is not None:
        own = headline_scores(text, folder.headline)
    prose = tables
    if folder is not None:
        prose = replace(tables, pair_logp=folder.pair_logp, char_logp=folder.char_logp)
    first_chars = codes_of("".join(s[0] for s in text))
    last_chars = codes_of("".join(s[-1] for s in text))
    first_score = tables.first_boundary[char_slots(first_chars, tables.first_boundary.size)]
    last_score = tables.last_boundary[char_slots(last_chars, tables.last_boundary.size)]
    across = [False, *words_across(text)]
    information = np.concatenate(([0.0], pair_information(text, prose)))
    edge = clause_edges(text)
    pairs = page_pairs(text)
    indents = np.asarray(indented, dtype=bool)
    blank = np.asarray(blanks) > 0
    # Page habits: indents mean paragraph starts when lines that continue a sentence are
    # seldom indented; blank lines mean boundaries when most sentence ends have one and
    # most open breaks do not.
    open_above = np.concatenate(([False], ~ends[:-1] & ~heading[:-1] & ~alone[:-1]))
    after_end = np.concatenate(([False], ends[:-1]))
    page_indents = bool(indents.sum() >= 2) and (
        not open_above.any() or bool(indents[open_above].mean() < 0.2)
    )
    page_blanks = (
        after_end.sum() >= 3
        and open_above.sum() >= 3
        and blank[after_end].mean() >= _HABIT_SHARE
        and blank[open_above].mean() < _HABIT_SHARE
    )
    fn_end, fn_start = w.function_end, w.function_start
    col = INDEX
    rules = list(rule_wraps) if rule_wraps is not None else [False] * n
    for i in range(n):
        f, s, row = facts[i], stripped[i], x[i]
        row[col["bias"]] = 1.0
        row[col["rules wrap"]] = rules[i]
        row[col["rules wrap, word across"]] = rules[i] and across[i]
        row[col["rules boundary, word across"]] = not rules[i] and across[i]
        row[col["first line"]] = i == 0
        row[col["last line"]] = i == n - 1
        row[col["top edge"]] = i < 4
        row[col["bottom edge"]] = i >= n - 4
        r = rel[i]
        row[col["B width < 0.3 column"]] = r < 0.3
        row[col["B width < 0.6 column"]] = r < 0.6
        row[col["B width < 0.85 column"]] = r < 0.85
        full_b = abs(cwidth[i] - column) <= _TOLERANCE
        row[col["B full width"]] = full_b
        row[col["B wider than column"]] = cwidth[i] > column + _TOLERANCE
        row[col["B width <= 4"]] = width[i] <= 4
        row[col["B width <= 10"]] = width[i] <= 10
        row[col["B ends sentence"]] = f.ends
        row[col["B ends clause mark"]] = s[-1] in "，、；：,;:"
        marks = sum(s.count(m) for m in "，、；,;")
        row[col["B no mark inside"]] = marks == 0
        row[col["B one clause mark"]] = marks == 1
        row[col["B clause marks"]] = marks >= 2
        row[col["B heading-shaped"]] = f.heading
        row[col["B kicker-like"]] = f.heading and is_kicker_like(s, 10)
        row[col["B lead"]] = f.lead
        row[col["B lead line"]] = f.lead_line
        row[col["B byline"]] = f.byline
        row[col["B credit"]] = f.credit
        row[col["B furniture shape"]] = f.furniture is not None
        row[col["B opens caption"]] = w.caption_start.match(s) is not None
        row[col["B connective"]] = w.connective.match(s) is not None
        row[col["B digits only"]] = s.isdigit() or (s.replace(" ", "").isdigit())
        row[col["B indented"]] = indents[i]
        row[col["B starts no-line-start mark"]] = s[0] in NO_LINE_START
        row[col["B headline score"]] = score[i]
        row[col["B headline score > 0"]] = score[i] > 0
        row[col["B folder headline score"]] = own[i]
        row[col["B folder headline score > 0"]] = own[i] > 0
        row[col["B first char boundary score"]] = first_score[i]
        if i + 1 < n:
            g = facts[i + 1]
            row[col["C lead or lead line"]] = g.lead or g.lead_line
            row[col["C heading-shaped"]] = g.heading
            row[col["C byline"]] = g.byline
            row[col["C same width as B"]] = abs(cwidth[i + 1] - cwidth[i]) <= _TOLERANCE
            row[col["B heading, C lead"]] = f.heading and (g.lead or g.lead_line)
        row[col["blank before"]] = blank[i]
        row[col["page indents"]] = page_indents
        row[col["page indents, B indented"]] = page_indents and indents[i]
        row[col["page indents, B not indented"]] = page_indents and not indents[i]
        row[col["page blanks"]] = page_blanks
        row[col["page blanks, blank before"]] = page_blanks and blank[i]
        row[col["page blanks, no blank before"]] = page_blanks and not blank[i]
        row[col["B short, B ends sentence"]] = r < 0.6 and f.ends
        if i == 0:
            continue
        e, a = facts[i - 1], stripped[i - 1]
        ra = rel[i - 1]
        full_a = abs(cwidth[i - 1] - column) <= _TOLERANCE
        row[col["A ends sentence"]] = e.ends
        row[col["A ends clause mark"]] = a[-1] in "，、；：,;:"
        row[col["A ends no-line-end mark"]] = a[-1] in NO_LINE_END
        row[col["A heading-shaped"]] = e.heading
        row[col["A lead"]] = e.lead
        row[col["A lead line"]] = e.lead_line
        row[col["A byline"]] = e.byline
        row[col["A credit"]] = e.credit
        row[col["A alone"]] = e.alone
        row[col["A width < 0.6 column"]] = ra < 0.6
        row[col["A width < 0.85 column"]] = ra < 0.85
        row[col["A full width"]] = full_a
        row[col["A wider than column"]] = cwidth[i - 1] > column + _TOLERANCE
        row[col["A headline score"]] = score[i - 1]
        row[col["A folder headline score"]] = own[i - 1]
        row[col["A last char boundary score"]] = last_score[i - 1]
        row[col["A ends function word"]] = a[-1] in fn_end
        row[col["B starts particle"]] = s[0] in fn_start
        diff = cwidth[i] - cwidth[i - 1]
        row[col["same width"]] = abs(diff) <= _TOLERANCE
        row[col["B wider than A"]] = diff > _TOLERANCE
        row[col["B narrower than A"]] = diff < -_TOLERANCE
        row[col["dictionary word across"]] = across[i]
        row[col["pair information across"]] = information[i]
        row[col["pair information across > 0"]] = information[i] > 0
        row[col["page pair across"]] = pairs[i - 1]
        row[col["clause edge"]] = edge[i - 1]
        row[col["Latin across"]] = a[-1] in _LATIN and s[0] in _LATIN
        row[col["digit across"]] = a[-1] in _DIGITS and s[0] in _DIGITS
        row[col["A ends sentence, A full"]] = e.ends and full_a
        row[col["A ends sentence, A short"]] = e.ends and ra < 0.85
        row[col["A open, A full"]] = not e.ends and full_a
        row[col["A open, A short"]] = not e.ends and ra < 0.85
        row[col["A heading, B heading"]] = e.heading and f.heading
        row[col["A heading, B full"]] = e.heading and full_b
        row[col["A heading, word across"]] = e.heading and across[i]
        row[col["B heading, A ends sentence"]] = f.heading and e.ends
        row[col["B heading, A open"]] = f.heading and not e.ends and not e.heading
    return x


__all__ = ["FEATURES", "INDEX", "CharTables", "empty_tables", "page_features"]
