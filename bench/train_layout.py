"""Fit the line model (``make model``): a linear-chain CRF over page lines, deterministic.

    python -m bench.train_layout                  # fit, write pipeline/layout/line_model.npz
    python -m bench.train_layout --lofo           # also leave-one-family-out
    python -m bench.train_layout --research-pd    # also a People's Daily variant (never saved)

What it fits on: the **Debian fit split** only (``bench.sources``: two thirds of the
documentation files, under their real headings), printed by the layout families in
``SEEN`` (``bench.families``); the families in ``HELD_OUT`` are never shown to it. People's
Daily (research-only, PKU licence) is measure-only for the shipped model: nothing derived
from it is written. ``--research-pd`` fits a variant on People's Daily fit days (1-20)
to report what such fitting would add; it is printed, never saved.

How: every page goes through the pipeline's own normalisation and script conversion (so
the model sees lines as the run does), its lines are labelled from the truth
(``page_labels``: furniture and jump marks F; kicker, title, deck, author H, their wrapped
rest h; a paragraph's first line P, its rest p, S where it opens a story with no
headline), features are ``pipeline.layout.features.page_features``. The character tables
(headline pairs, boundary characters) are counted on the training lines; the CRF is
trained on features whose tables were counted on the *other* half of the pages
(two-fold cross-fitting), so that it does not learn to trust tables that have seen its
own lines. Then python-crfsuite (L-BFGS, L2) fits weights and transitions, which are
written as arrays with the final tables. Same seed, same file.

It then scores the model itself (no pipeline run: ``bench.eval_layout`` does that) on the
measure splits of both sources, per family, seen and held out: break errors (wraps kept,
boundaries joined) per 1,000 breaks and story starts (precision, recall).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pipeline.config import ConvertConfig, NormalizeConfig
from pipeline.layout.adapt import headline_examples, learn_folders
from pipeline.layout.columns import rule_links
from pipeline.layout.facts import describe
from pipeline.layout.features import FEATURES, page_features
from pipeline.layout.labels import PageLines, page_lines
from pipeline.layout.model import (
    FURNITURE,
    HEADLINE,
    HEADLINE_REST,
    LABELS,
    PARAGRAPH,
    PARAGRAPH_REST,
    RESTS,
    STORY,
    LineModel,
    decode,
)
from pipeline.layout.rules import allowed_labels
from pipeline.layout.signals import CharTables, FolderText, char_slots, codes_of, pair_slots
from pipeline.text import convert_text, detect_script, normalize_text

from bench.families import FAMILY_NAMES, page_labels, training_pages

REPO = Path(__file__).resolve().parents[1]
MODEL_PATH = REPO / "pipeline" / "layout" / "line_model.npz"
# Families the shipped model is fitted on, and those held out entirely. Held out: each
# prints a convention no seen family prints at all (a tail before its headline, old
# type, a two-line running head, jump marks, notices between stories); the seen ones
# cover the basic variables (columns, leads, truncation, headline blocks, author lines,
# furniture at either edge, two pages in a file).
SEEN = (
    "generator",
    "wire",
    "truncated",
    "short-open",
    "headblock",
    "author-line",
    "two-pages",
    "page-number",
)
HELD_OUT = tuple(name for name in FAMILY_NAMES if name not in SEEN)
PAIR_SLOTS = 1 << 14
CHAR_SLOTS = 1 << 12
PROSE_PAIR_SLOTS = 1 << 14
PROSE_CHAR_SLOTS = 1 << 11
SMOOTHING = 1.0
C2 = 1.0  # L2 penalty of the CRF
IMPOSSIBLE = -1000.0  # the weight of a transition no training page shows
ITERATIONS = 150
MAX_WIDTH = 32.0
HEADING_ROLES = frozenset({"kicker", "title", "deck", "author"})
NOT_STORY = frozenset({"furniture", "jump"})


@dataclass(frozen=True, slots=True)
class Sample:
    """One page as the model sees it, with the true label of every line."""

    family: str
    lines: PageLines
    labels: npt.NDArray[np.int64]
    rules: list[bool]  # the rule engine joins the line to the one above
    folder: str = ""  # the paper (source folder) the page belongs to
    text: str = ""  # the page as the run sees it (normalised, converted)
    # The folder's headline and prose lines, as the survey pass would take them.
    folder_heads: tuple[str, ...] = ()
    folder_prose: tuple[str, ...] = ()


def true_labels(labels: dict[str, object]) -> dict[int, int]:
    """The model label of every non-blank raw line (by line number), from ``page_labels``."""
    out: dict[int, int] = {}
    previous_story = -2
    for entry in labels["lines"]:  # type: ignore[attr-defined]
        role, story, first = entry["role"], entry["story"], entry["first"]
        if role in NOT_STORY:
            out[entry["line"]] = FURNITURE
            continue
        starts_story = story != previous_story
        previous_story = story
        if role in HEADING_ROLES:
            out[entry["line"]] = HEADLINE if first else HEADLINE_REST
        elif not first:
            out[entry["line"]] = PARAGRAPH_REST
        else:
            out[entry["line"]] = STORY if starts_story else PARAGRAPH
    return out


def prepare(page: object) -> Sample | None:
    """A generated page as the run sees it (normalised, converted), with its labels; None
    when normalisation changed the number of lines (never seen, but then the labels would
    not line up)."""
    labels = page_labels(page)  # type: ignore[arg-type]
    raw = str(labels["raw"])
    text = normalize_text(raw, NormalizeConfig())
    text, _ = convert_text(text, ConvertConfig(), detect_script(text))
    lines = text.split("\n")
    if len(lines) != len(raw.split("\n")):
        return None
    view = page_lines(lines)
    truth = true_labels(labels)
    if any(i not in truth for i in view.index):
        return None
    y = np.array([truth[i] for i in view.index], dtype=np.int64)
    links = rule_links(text)
    if len(links) != len(view.index) - 1:
        return None
    rules = [False, *(link is not None for link in links)]
    return Sample(str(labels["family"]), view, y, rules, str(page.paper), text)  # type: ignore[attr-defined]


def samples(
    source: str, split: str, families: Sequence[str], pages: int, seed: int
) -> list[Sample]:
    """The pages of ``families``, each with the headline table its folder (paper) gives, as
    the survey pass would learn it from the folder's pages (no truth read)."""
    out = []
    for page in training_pages(source, split, families, pages, seed):
        sample = prepare(page)
        if sample is not None:
            out.append(sample)
    heads: dict[str, list[str]] = {}
    prose: dict[str, list[str]] = {}
    for sample in out:
        h, p = headline_examples(sample.text)
        heads.setdefault(sample.folder, []).extend(h)
        prose.setdefault(sample.folder, []).extend(p)
    return [
        replace(s, folder_heads=tuple(heads[s.folder]), folder_prose=tuple(prose[s.folder]))
        for s in out
    ]


_FOLDERS: dict[tuple[str, int], FolderText] = {}


def folder_text(sample: Sample, tables: CharTables) -> FolderText:
    """What the run would learn of the sample's folder, over the tables ``tables``."""
    key = (sample.folder, id(tables))
    if key not in _FOLDERS:
        pages = [(sample.folder, sample.folder_heads, sample.folder_prose)]
        _FOLDERS[key] = learn_folders(pages, tables)[sample.folder]
    return _FOLDERS[key]


# --------------------------------------------------------------------------- tables


def _log_odds(yes: npt.NDArray[np.float64], no: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    size = yes.size
    p = (yes + SMOOTHING) / (yes.sum() + SMOOTHING * size)
    q = (no + SMOOTHING) / (no.sum() + SMOOTHING * size)
    return np.log(p / q).astype(np.float32)


def fit_tables(data: Iterable[Sample]) -> CharTables:
    """The character tables counted on ``data``: pairs in headline lines against pairs in
    paragraph lines; a line's last character before a boundary against before a wrap; a
    line's first character after a boundary against after a wrap."""
    head = np.zeros(PAIR_SLOTS)
    body = np.zeros(PAIR_SLOTS)
    last_b, last_w = np.zeros(CHAR_SLOTS), np.zeros(CHAR_SLOTS)
    first_b, first_w = np.zeros(CHAR_SLOTS), np.zeros(CHAR_SLOTS)
    pair_counts, char_counts = np.zeros(PROSE_PAIR_SLOTS), np.zeros(PROSE_CHAR_SLOTS)
    for sample in data:
        for text, label in zip(sample.lines.stripped, sample.labels.tolist(), strict=True):
            if label == FURNITURE or len(text) < 2:
                continue
            codes = codes_of(text)
            slots = pair_slots(codes, PAIR_SLOTS)
            target = head if label in (HEADLINE, HEADLINE_REST) else body
            np.add.at(target, slots, 1.0)
            if target is body:  # running prose: what a wrap's pair reads like
                np.add.at(pair_counts, pair_slots(codes, PROSE_PAIR_SLOTS), 1.0)
                np.add.at(char_counts, char_slots(codes, PROSE_CHAR_SLOTS), 1.0)
        y = sample.labels
        story = y != FURNITURE
        for i in range(1, len(y)):
            if not (story[i] and story[i - 1]):
                continue
            wrap = y[i] in RESTS
            last = char_slots(codes_of(sample.lines.stripped[i - 1][-1]), CHAR_SLOTS)[0]
            first = char_slots(codes_of(sample.lines.stripped[i][0]), CHAR_SLOTS)[0]
            (last_w if wrap else last_b)[last] += 1
            (first_w if wrap else first_b)[first] += 1
    return CharTables(
        _log_odds(head, body),
        _log_odds(last_b, last_w),
        _log_odds(first_b, first_w),
        _log_probability(pair_counts),
        _log_probability(char_counts),
    )


def _log_probability(counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    return np.log((counts + SMOOTHING) / (counts.sum() + SMOOTHING * counts.size)).astype(
        np.float32
    )


def features_of(sample: Sample, tables: CharTables) -> npt.NDArray[np.float32]:
    lines = sample.lines
    return page_features(
        lines.stripped,
        lines.indented,
        lines.blanks,
        tables,
        max_width=MAX_WIDTH,
        rule_wraps=sample.rules,
        folder=folder_text(sample, tables),
    )


# --------------------------------------------------------------------------- the CRF


def fit(data: Sequence[Sample], *, quiet: bool = False) -> LineModel:
    """The model fitted on ``data`` (deterministic: crfsuite's L-BFGS has no randomness)."""
    import pycrfsuite  # the harness's extra: only fitting needs it

    even, odd = data[0::2], data[1::2]
    tables_even, tables_odd = fit_tables(even), fit_tables(odd)
    trainer = pycrfsuite.Trainer(verbose=False)
    for k, sample in enumerate(data):
        x = features_of(sample, tables_odd if k % 2 == 0 else tables_even)
        items = [{f"f{j}": float(row[j]) for j in np.flatnonzero(row).tolist()} for row in x]
        trainer.append(items, [LABELS[y] for y in sample.labels.tolist()])
    trainer.set_params({"c1": 0.0, "c2": C2, "max_iterations": ITERATIONS})
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "crf.model")
        started = time.perf_counter()
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        tagger.close()
    if not quiet:
        print(f"CRF fitted on {len(data)} pages in {time.perf_counter() - started:.1f} s")
    weights = np.zeros((len(FEATURES), len(LABELS)))
    for (attr, label), value in info.state_features.items():
        weights[int(attr[1:]), LABELS.index(label)] = value
    transitions = np.zeros((len(LABELS), len(LABELS)))
    for (a, b), value in info.transitions.items():
        transitions[LABELS.index(a), LABELS.index(b)] = value
    # A transition the training pages never show is no weight 0 (crfsuite only fits those
    # it sees) but impossible: a paragraph's rest right under a headline, a rest of
    # furniture. The label grammar forbids it.
    seen = np.zeros((len(LABELS), len(LABELS)), dtype=bool)
    for sample in data:
        seen[sample.labels[:-1], sample.labels[1:]] = True
    transitions[~seen] = IMPOSSIBLE
    return LineModel(weights, transitions, fit_tables(data))


# Candidate values of the rule trust (``LineModel.rule_trust``), tried on held-back pages.
TRUST_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


def fit_trust(model: LineModel, data: Sequence[Sample]) -> float:
    """The rule trust with the fewest break errors on ``data`` (pages of the fit split the
    CRF did not see), as line repair decides; the smallest on ties."""
    best, best_errors = TRUST_GRID[0], None
    for trust in TRUST_GRID:
        total = Scores()
        for scores in score(replace(model, rule_trust=trust), data).values():
            total = total.plus(scores)
        print(f"  rule trust {trust}: {total.model_errors} break errors on {len(data)} pages")
        if best_errors is None or total.model_errors < best_errors:
            best, best_errors = trust, total.model_errors
    return best


def save(model: LineModel, path: Path) -> None:
    """The model as a NumPy archive (no pickle): float16 tables, float32 weights."""
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            features=np.array(FEATURES),
            labels=np.array(LABELS),
            weights=model.weights.astype(np.float32),
            transitions=model.transitions.astype(np.float32),
            pair_headline=model.tables.pair_headline.astype(np.float16),
            last_boundary=model.tables.last_boundary.astype(np.float16),
            first_boundary=model.tables.first_boundary.astype(np.float16),
            pair_logp=model.tables.pair_logp.astype(np.float16),
            char_logp=model.tables.char_logp.astype(np.float16),
            rule_trust=np.float32(model.rule_trust),
        )


def predict(model: LineModel, sample: Sample) -> npt.NDArray[np.int64]:
    lines = sample.lines
    facts = describe(lines.stripped, MAX_WIDTH)
    x = page_features(
        lines.stripped,
        lines.indented,
        lines.blanks,
        model.tables,
        facts,
        rule_wraps=sample.rules,
        folder=folder_text(sample, model.tables),
    )
    return decode(
        x, allowed_labels(lines.stripped, facts, max_width=MAX_WIDTH), model, sample.rules
    )


# --------------------------------------------------------------------------- scores


def wraps(model: LineModel, sample: Sample) -> npt.NDArray[np.bool_]:
    """Per line, whether line repair joins it to the line above, as the lines stage decides
    a first pass: the model cuts what the rule joined, never joins what it keeps apart."""
    return np.isin(predict(model, sample), RESTS) & np.array(sample.rules, dtype=bool)


@dataclass
class Scores:
    """Break decisions of the rule engine and of the model against the truth."""

    breaks: int = 0
    rule_kept: int = 0  # a wrap read as a boundary
    rule_joined: int = 0  # a boundary read as a wrap
    model_kept: int = 0
    model_joined: int = 0
    heads: int = 0  # breaks under a headline line that are boundaries
    heads_rule: int = 0  # ...joined by the rule
    heads_model: int = 0  # ...joined with the model

    def add(
        self,
        truth: npt.NDArray[np.int64],
        rule: npt.NDArray[np.bool_],
        model: npt.NDArray[np.bool_],
    ) -> None:
        wrap = np.isin(truth, RESTS)[1:]
        inside = (truth[1:] != FURNITURE) & (truth[:-1] != FURNITURE)
        under_head = inside & np.isin(truth[:-1], (HEADLINE, HEADLINE_REST)) & ~wrap
        rule, model = rule[1:], model[1:]
        self.breaks += int(inside.sum())
        self.rule_kept += int((inside & wrap & ~rule).sum())
        self.rule_joined += int((inside & ~wrap & rule).sum())
        self.model_kept += int((inside & wrap & ~model).sum())
        self.model_joined += int((inside & ~wrap & model).sum())
        self.heads += int(under_head.sum())
        self.heads_rule += int((under_head & rule).sum())
        self.heads_model += int((under_head & model).sum())

    def plus(self, other: Scores) -> Scores:
        return Scores(*(getattr(self, f) + getattr(other, f) for f in Scores.__dataclass_fields__))

    @property
    def model_errors(self) -> int:
        return self.model_kept + self.model_joined

    def row(self) -> str:
        def rate(kept: int, joined: int) -> str:
            return f"{1000 * (kept + joined) / max(self.breaks, 1):.1f} ({kept} + {joined})"

        return (
            f"{self.breaks} | {rate(self.rule_kept, self.rule_joined)} | "
            f"{rate(self.model_kept, self.model_joined)} | {self.heads} | "
            f"{self.heads_rule} -> {self.heads_model}"
        )


def score(model: LineModel, data: Sequence[Sample]) -> dict[str, Scores]:
    out: dict[str, Scores] = {}
    for sample in data:
        rule = np.array(sample.rules, dtype=bool)
        out.setdefault(sample.family, Scores()).add(sample.labels, rule, wraps(model, sample))
    return out


def report(title: str, per_family: dict[str, Scores], seen: Sequence[str]) -> None:
    print(f"\n{title}\n")
    print(
        "| family | group | breaks | rule engine: errors /1000 (wraps kept + boundaries "
        "joined) | with the model | boundaries under a headline | of them joined: rule -> "
        "model |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    groups: dict[str, Scores] = {"seen": Scores(), "held-out": Scores()}
    for name in FAMILY_NAMES:
        if name not in per_family:
            continue
        group = "seen" if name in seen else "held-out"
        s = per_family[name]
        print(f"| {name} | {group} | {s.row()} |")
        groups[group] = groups[group].plus(s)
    for group, s in groups.items():
        if s.breaks:
            print(f"| **{group}** | | {s.row()} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=60, help="fit pages per family")
    parser.add_argument("--measure-pages", type=int, default=30, help="scored pages per family")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--held-back-pages", type=int, default=10, help="per family, for the trust")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--lofo", action="store_true", help="leave-one-family-out models too")
    parser.add_argument("--research-pd", action="store_true", help="a People's Daily variant")
    parser.add_argument("--no-score", action="store_true")
    args = parser.parse_args(None if argv is None else list(argv))
    started = time.perf_counter()
    fit_data = samples("debian", "fit", SEEN, args.pages, args.seed)
    print(f"{len(fit_data)} fit pages ({time.perf_counter() - started:.0f} s)")
    model = fit(fit_data)
    held_back = samples("debian", "fit", SEEN, args.held_back_pages, args.seed + 7)
    model = replace(model, rule_trust=fit_trust(model, held_back))
    print(f"rule trust {model.rule_trust}")
    save(model, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    if args.no_score and not (args.lofo or args.research_pd):
        return 0
    measure = {
        source: samples(source, "measure", FAMILY_NAMES, args.measure_pages, args.seed + 1)
        for source in ("debian", "pdaily")
    }
    for source, data in measure.items():
        report(f"shipped model, {source} measure", score(model, data), SEEN)
    if args.research_pd:
        pd_fit = samples("pdaily", "fit", SEEN, args.pages, args.seed)
        research = fit(pd_fit)  # never saved: People's Daily is research-only
        research = replace(research, rule_trust=model.rule_trust)
        report(
            "research variant fitted on People's Daily fit days, pdaily measure",
            score(research, measure["pdaily"]),
            SEEN,
        )
    if args.lofo:
        every = samples("debian", "fit", FAMILY_NAMES, args.pages, args.seed)
        lofo: dict[str, dict[str, Scores]] = {"debian": {}, "pdaily": {}}
        for name in FAMILY_NAMES:
            model_without = fit([s for s in every if s.family != name], quiet=True)
            model_without = replace(model_without, rule_trust=model.rule_trust)
            for source, data in measure.items():
                scores = score(model_without, [s for s in data if s.family == name])
                lofo[source].update(scores)
        for source in lofo:
            report(
                f"leave-one-family-out, {source} measure (each row: fitted without it)",
                lofo[source],
                (),
            )
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
