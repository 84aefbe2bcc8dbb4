"""Scores for the pipeline against generated truth. Pure functions over plain Python data.

Contracts
---------
Every function takes strings, lists and dicts, never pipeline objects.

*Characters.* Text is compared on its non-whitespace (NWS) characters after
``alignment.canonical`` folds punctuation (ASCII ``,;:()?!`` to full-width, every double
quote to “, every single quote to ‘, full-width letters/digits to ASCII). So the changes the
pipeline may make while repairing lines (remove whitespace between characters, insert a
space between Latin words, widen ASCII punctuation, curl straight quotes) are free. Removing
a hyphen the generator inserted at a line end is free too, because the truth has no hyphen
there; removing any other character costs one edit.

*Boundaries.* The truth text of a page has one field (kicker, title, deck, own-line lead,
body paragraph, byline, caption) per line. A boundary is a line break between two NWS
characters; it is identified by its NWS position k ("between NWS characters k-1 and k",
``alignment.line_gaps``). A predicted boundary is a line break kept in the repaired text
between two NWS characters (blank lines count once). Repaired text is aligned to the truth
text on canonical NWS characters, so furniture left in the repaired text (a deletion in
the alignment) and small damage do not shift positions; a predicted boundary that falls
only next to furniture (before the first or after the last story character) is ignored.

*Stories.* A true story is a mapping with ``"text"`` (all its lines as printed, title
included) and optionally ``"title"``. A predicted story is a string (its text) or a mapping
with ``"text"`` and optionally ``"title"``. Both lists are in page order.

*Dedup.* Clusterings are mappings ``{doc_id: cluster_label}`` over the same ids. ``kept`` is
the set of ids the pipeline kept; ``completeness`` maps ids to the truth score from the
generator (the original full copy has the cluster's maximum).

Counts are returned as frozen dataclasses that add up (``sum(scores, Counts())``), so a
corpus score is the micro-average over pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from bench.alignment import aligned_positions, canonical, edit_distance, gap_intervals, line_gaps

MIN_OVERLAP = 5  # characters a predicted story must share with a true story to overlap it
MIN_SIMILARITY = 0.98  # 1 - edit distance / longer length, for a story to count as recovered


def _ratio(num: float, den: float, empty: float = 1.0) -> float:
    return num / den if den else empty


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class BoundaryCounts:
    """True positives, false positives and false negatives of boundary decisions."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: BoundaryCounts) -> BoundaryCounts:
        return BoundaryCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


def truth_boundaries(truth_text: str) -> list[int]:
    """Boundary positions of a truth text (one field per line), in NWS characters.

    >>> truth_boundaries("抓落实 见实效\\n贵阳市总工会\\n本报讯（记者李丰）正文。")
    [6, 12]
    """
    return line_gaps(truth_text)


def match_boundaries(intervals: Sequence[tuple[int, int]], truth: Sequence[int]) -> int:
    """Number of one-to-one matches between sorted intervals and sorted truth positions."""
    matched = 0
    t = 0
    for lo, hi in intervals:
        while t < len(truth) and truth[t] < lo:
            t += 1
        if t < len(truth) and truth[t] <= hi:
            matched += 1
            t += 1
    return matched


def score_boundaries(repaired: str, truth_text: str) -> BoundaryCounts:
    """Boundary precision/recall of repaired page text against the truth text.

    >>> truth = "标题\\n本报讯　第一段。\\n第二段。"
    >>> score_boundaries("标题\\n本报讯 第一段。\\n第二段。", truth)
    BoundaryCounts(tp=2, fp=0, fn=0)
    >>> score_boundaries("工人日报 第3版\\n标题\\n本报讯 第一\\n段。第二段。", truth)
    BoundaryCounts(tp=1, fp=1, fn=1)
    """
    pred = canonical(repaired)
    gold = canonical(truth_text)
    truth = truth_boundaries(truth_text)
    aligned = aligned_positions(pred, gold)
    intervals = [
        (lo, hi)
        for lo, hi in gap_intervals(aligned, line_gaps(repaired), len(gold))
        if hi > 0 and lo < len(gold)
    ]
    tp = match_boundaries(intervals, truth)
    return BoundaryCounts(tp=tp, fp=len(intervals) - tp, fn=len(truth) - tp)


LineBreakTruth = Mapping[str, object] | Sequence[object]


def _line_break(brk: LineBreakTruth) -> tuple[int, bool, str]:
    """(nws, boundary, kind) of a truth JSON entry ``[offset, nws, boundary, kind]`` or dict."""
    if isinstance(brk, Mapping):
        return int(str(brk["nws"])), bool(brk["boundary"]), str(brk["kind"])
    return int(str(brk[1])), bool(brk[2]), str(brk[3])


def score_line_breaks(
    raw: str,
    repaired: str,
    line_breaks: Sequence[LineBreakTruth],
) -> dict[str, BoundaryCounts]:
    """Boundary counts per kind of raw line break, to see which damage the pipeline misses.

    ``line_breaks`` is the page truth's ``line_truth``: entries ``[offset, nws, boundary,
    kind]`` (or dicts with those keys), ``nws`` being the position in raw NWS characters. A
    break counts as kept when a line break of the repaired text maps onto it. Here ``fp``
    counts wraps that were kept and ``tp`` boundaries kept; breaks next to furniture (kind
    ``"furniture"``) are left out. Repaired breaks at no raw break are under ``"inserted"``.

    >>> raw = "标题\\n本报讯第\\n一段。\\n第二段。"
    >>> breaks = [[2, 2, True, "field"], [7, 6, False, "wrap"], [11, 9, True, "field"]]
    >>> score_line_breaks(raw, "标题\\n本报讯第\\n一段。第二段。", breaks)
    {'field': BoundaryCounts(tp=1, fp=0, fn=1), 'wrap': BoundaryCounts(tp=0, fp=1, fn=0)}
    """
    pred = canonical(repaired)
    raw_nws = canonical(raw)
    aligned = aligned_positions(pred, raw_nws)
    intervals = [
        iv
        for iv in gap_intervals(aligned, line_gaps(repaired), len(raw_nws))
        if iv[1] > 0 and iv[0] < len(raw_nws)
    ]
    result: dict[str, BoundaryCounts] = {}
    used = [False] * len(intervals)
    i = 0
    for pos, is_boundary, kind in sorted(_line_break(b) for b in line_breaks):
        while i < len(intervals) and intervals[i][1] < pos:
            i += 1
        kept = i < len(intervals) and intervals[i][0] <= pos
        if kept:
            used[i] = True
            i += 1
        if kind == "furniture":
            continue
        delta = BoundaryCounts(
            tp=int(kept and is_boundary),
            fp=int(kept and not is_boundary),
            fn=int(is_boundary and not kept),
        )
        result[kind] = result.get(kind, BoundaryCounts()) + delta
    extra = used.count(False)
    if extra:
        result["inserted"] = BoundaryCounts(fp=extra)
    return result


@dataclass(frozen=True, slots=True)
class ErrorRate:
    """Edit operations and truth length; ``rate`` is the character error rate (CER)."""

    edits: int = 0
    length: int = 0

    def __add__(self, other: ErrorRate) -> ErrorRate:
        return ErrorRate(self.edits + other.edits, self.length + other.length)

    @property
    def rate(self) -> float:
        return _ratio(self.edits, self.length, empty=0.0 if not self.edits else 1.0)


def char_error_rate(predicted: str, truth: str) -> ErrorRate:
    """Levenshtein edits between canonical NWS characters, over the truth length.

    >>> char_error_rate("本报讯(记者 张三)今天\\n开会。", "本报讯（记者张三）今天开会。")
    ErrorRate(edits=0, length=14)
    >>> char_error_rate("本报讯己经开会", "本报讯已经开会。").edits
    2
    """
    gold = canonical(truth)
    return ErrorRate(edits=edit_distance(canonical(predicted), gold), length=len(gold))


def similarity(a: str, b: str) -> float:
    """1 - edit distance / length of the longer string, on canonical NWS characters.

    >>> similarity("今天 开会。", "今天开会!")
    0.8
    """
    ca, cb = canonical(a), canonical(b)
    return 1.0 - _ratio(edit_distance(ca, cb), max(len(ca), len(cb)), empty=0.0)


@dataclass(frozen=True, slots=True)
class StoryCounts:
    """Story segmentation counts; ``recovered_share`` and ``title_share`` are the scores."""

    true_stories: int = 0
    predicted_stories: int = 0
    recovered: int = 0  # true stories matched 1:1
    titled: int = 0  # true stories that have a title
    titles_exact: int = 0  # of those, title equal to the title of the best-overlapping prediction
    named: int = 0  # true stories whose lead names reporters
    reporters_exact: int = 0  # of those, the same names as the best-overlapping prediction's

    def __add__(self, other: StoryCounts) -> StoryCounts:
        return StoryCounts(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return (
            self.true_stories,
            self.predicted_stories,
            self.recovered,
            self.titled,
            self.titles_exact,
            self.named,
            self.reporters_exact,
        )

    @property
    def recovered_share(self) -> float:
        return _ratio(self.recovered, self.true_stories)

    @property
    def title_share(self) -> float:
        return _ratio(self.titles_exact, self.titled)

    @property
    def reporters_share(self) -> float:
        return _ratio(self.reporters_exact, self.named)


def _story_fields(
    story: str | Mapping[str, object],
) -> tuple[str, str | None, tuple[str, ...]]:
    if isinstance(story, str):
        return story, None, ()
    title = story.get("title")
    reporters = cast(Sequence[str], story.get("reporters") or ())
    return str(story["text"]), (str(title) if title else None), tuple(reporters)


def story_overlaps(predicted: Sequence[str], truth: Sequence[str]) -> Counter[tuple[int, int]]:
    """``{(predicted index, true index): shared aligned characters}`` on canonical NWS text.

    >>> pred, gold = ["标题一正文一。标题二", "正文二。"], ["标题一正文一。", "标题二正文二。"]
    >>> sorted(story_overlaps(pred, gold).items())
    [((0, 0), 7), ((0, 1), 3), ((1, 1), 4)]
    """
    pred_owner = [i for i, s in enumerate(predicted) for _ in canonical(s)]
    gold_owner = [k for k, s in enumerate(truth) for _ in canonical(s)]
    pred_all = "".join(canonical(s) for s in predicted)
    gold_all = "".join(canonical(s) for s in truth)
    counts: Counter[tuple[int, int]] = Counter()
    for i, j in enumerate(aligned_positions(pred_all, gold_all)):
        if j >= 0:
            counts[pred_owner[i], gold_owner[j]] += 1
    return counts


def score_stories(
    predicted: Sequence[str | Mapping[str, object]],
    truth: Sequence[Mapping[str, object]],
) -> StoryCounts:
    """Stories recovered one-to-one, and titles and reporters found exactly, on one page.

    A true story is recovered when exactly one predicted story overlaps it (shares at least
    ``MIN_OVERLAP`` aligned characters), that predicted story overlaps no other true story,
    and their texts have ``similarity`` >= ``MIN_SIMILARITY``. A title is exact when the
    title of the predicted story overlapping the true story most equals the true title in
    canonical form; its reporters are, when they are the same names in the same order.

    >>> truth = [{"text": "标题一\\n正文一，很长的一段。", "title": "标题一"},
    ...          {"text": "标题二\\n正文二，也很长的一段。", "title": "标题二"}]
    >>> counts = score_stories([{"text": "标题一 正文一,很长的一段。", "title": "标题一"},
    ...                {"text": "标题二\\n正文二，也很长的一段。", "title": "正文二"}], truth)
    >>> counts.true_stories, counts.recovered, counts.titled, counts.titles_exact
    (2, 2, 2, 1)
    >>> merged = "标题一\\n正文一，很长的一段。标题二\\n正文二，也很长的一段。"
    >>> counts = score_stories([merged], truth)
    >>> counts.predicted_stories, counts.recovered, counts.titles_exact
    (1, 0, 0)
    """
    pred_text, pred_title, pred_names = (
        zip(*(_story_fields(s) for s in predicted), strict=True) if predicted else ((), (), ())
    )
    gold_text, gold_title, gold_names = (
        zip(*(_story_fields(s) for s in truth), strict=True) if truth else ((), (), ())
    )
    overlaps = {
        pair: n for pair, n in story_overlaps(pred_text, gold_text).items() if n >= MIN_OVERLAP
    }
    by_true: dict[int, list[int]] = {}
    by_pred: dict[int, list[int]] = {}
    for p, t in overlaps:
        by_true.setdefault(t, []).append(p)
        by_pred.setdefault(p, []).append(t)
    recovered = titles = names = 0
    for t, text in enumerate(gold_text):
        preds = by_true.get(t, [])
        recovered += _is_recovered(preds, by_pred, t, pred_text, text)
        if not preds:
            continue
        best = max(preds, key=lambda p: (overlaps[p, t], -p))
        if gold_title[t]:
            title = pred_title[best]
            titles += int(title is not None and canonical(title) == canonical(gold_title[t]))
        if gold_names[t]:
            names += int(pred_names[best] == gold_names[t])
    return StoryCounts(
        true_stories=len(gold_text),
        predicted_stories=len(pred_text),
        recovered=recovered,
        titled=sum(1 for x in gold_title if x),
        titles_exact=titles,
        named=sum(1 for x in gold_names if x),
        reporters_exact=names,
    )


def _is_recovered(
    preds: Sequence[int],
    by_pred: Mapping[int, Sequence[int]],
    t: int,
    pred_text: Sequence[str],
    text: str,
) -> bool:
    return (
        len(preds) == 1
        and list(by_pred[preds[0]]) == [t]
        and similarity(pred_text[preds[0]], text) >= MIN_SIMILARITY
    )


def recovered_stories(predicted: Sequence[str], truth: Sequence[str]) -> list[bool]:
    """For each true story (text), whether it is recovered 1:1 (as ``score_stories``).

    >>> truth = ["标题一正文一。", "标题二正文二。"]
    >>> recovered_stories(["标题一正文一。", "标题二正文二。"], truth)
    [True, True]
    >>> recovered_stories(["标题一正文一。标题二正文二。"], truth)
    [False, False]
    """
    overlaps = [pair for pair, n in story_overlaps(predicted, truth).items() if n >= MIN_OVERLAP]
    by_true: dict[int, list[int]] = {}
    by_pred: dict[int, list[int]] = {}
    for p, t in overlaps:
        by_true.setdefault(t, []).append(p)
        by_pred.setdefault(p, []).append(t)
    return [
        _is_recovered(by_true.get(t, []), by_pred, t, predicted, text)
        for t, text in enumerate(truth)
    ]


# --------------------------------------------------------------------------- dedup


def _comb2(n: int) -> int:
    return n * (n - 1) // 2


@dataclass(frozen=True, slots=True)
class PairCounts:
    """Same-cluster pairs: predicted and true (tp), predicted only (fp), true only (fn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    total: int = 0  # all pairs, C(n, 2)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


def _contingency(
    truth: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
) -> tuple[Counter[tuple[Hashable, Hashable]], Counter[Hashable], Counter[Hashable]]:
    if truth.keys() != predicted.keys():
        missing = sorted(truth.keys() ^ predicted.keys())[:5]
        msg = f"truth and predicted clusterings must cover the same ids; differ on {missing}"
        raise ValueError(msg)
    cells = Counter((truth[k], predicted[k]) for k in truth)
    return cells, Counter(truth.values()), Counter(predicted.values())


def pair_counts(truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> PairCounts:
    """Pairwise counts from the contingency table (no quadratic loop over documents).

    >>> pair_counts({"a": 1, "b": 1, "c": 1, "d": 2}, {"a": "x", "b": "x", "c": "y", "d": "y"})
    PairCounts(tp=1, fp=1, fn=2, total=6)
    """
    cells, true_sizes, pred_sizes = _contingency(truth, predicted)
    tp = sum(_comb2(n) for n in cells.values())
    return PairCounts(
        tp=tp,
        fp=sum(_comb2(n) for n in pred_sizes.values()) - tp,
        fn=sum(_comb2(n) for n in true_sizes.values()) - tp,
        total=_comb2(len(truth)),
    )


def adjusted_rand_index(
    truth: Mapping[str, Hashable],
    predicted: Mapping[str, Hashable],
) -> float:
    """Adjusted Rand index (Hubert and Arabie 1985): 1 for identical clusterings, ~0 by chance.

    >>> adjusted_rand_index({"a": 1, "b": 1, "c": 2}, {"a": 5, "b": 5, "c": 6})
    1.0
    >>> truth, crossed = {"a": 1, "b": 1, "c": 2, "d": 2}, {"a": 1, "b": 2, "c": 1, "d": 2}
    >>> round(adjusted_rand_index(truth, crossed), 3)
    -0.5
    """
    pairs = pair_counts(truth, predicted)
    index = pairs.tp
    true_pairs = pairs.tp + pairs.fn
    pred_pairs = pairs.tp + pairs.fp
    if pairs.total == 0:
        return 1.0
    expected = true_pairs * pred_pairs / pairs.total
    maximum = (true_pairs + pred_pairs) / 2
    if maximum == expected:  # both clusterings trivial (all singletons or one cluster)
        return 1.0
    return (index - expected) / (maximum - expected)


def clusters_from_duplicates(
    ids: Iterable[str],
    duplicate_of: Mapping[str, str],
) -> dict[str, str]:
    """Cluster label per id from ``duplicate_of`` pointers (dropped id -> kept id).

    Chains are followed to the kept root; ids that are not dropped label themselves.

    >>> clusters_from_duplicates(["a", "b", "c", "d"], {"b": "a", "c": "b"})
    {'a': 'a', 'b': 'a', 'c': 'a', 'd': 'd'}
    """
    labels: dict[str, str] = {}
    for doc in ids:
        seen = {doc}
        root = doc
        while root in duplicate_of:
            root = duplicate_of[root]
            if root in seen:
                msg = f"duplicate_of has a cycle through {root!r}"
                raise ValueError(msg)
            seen.add(root)
        labels[doc] = root
    return labels


@dataclass(frozen=True, slots=True)
class DedupScores:
    """Pairwise counts, ARI and best-copy counts of one dedup run."""

    pairs: PairCounts
    ari: float
    clusters: int  # true clusters with two or more copies
    best_kept: int  # of those, clusters whose kept copies include a most complete one

    @property
    def best_kept_share(self) -> float:
        return _ratio(self.best_kept, self.clusters)


def count_best_kept(
    truth: Mapping[str, Hashable], kept: Iterable[str], completeness: Mapping[str, float]
) -> tuple[int, int]:
    """(clusters with >= 2 copies, clusters where a kept copy has the maximum completeness).

    A cluster all of whose copies were dropped counts as a failure (text was lost).

    >>> truth = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}
    >>> count_best_kept(truth, ["b", "c", "e"], {"a": 1.0, "b": 0.6, "c": 1.0, "d": 1.0, "e": 1})
    (2, 1)
    """
    clusters = sum(n >= 2 for n in Counter(truth.values()).values())
    return clusters, clusters - len(best_missed(truth, kept, completeness))


def best_missed(
    truth: Mapping[str, Hashable], kept: Iterable[str], completeness: Mapping[str, float]
) -> list[Hashable]:
    """The clusters of >= 2 copies where no kept copy has the maximum completeness.

    >>> truth = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}
    >>> best_missed(truth, ["b", "c", "e"], {"a": 1.0, "b": 0.6, "c": 1.0, "d": 1.0, "e": 1})
    [1]
    """
    kept_set = set(kept)
    members: dict[Hashable, list[str]] = {}
    for doc, label in truth.items():
        members.setdefault(label, []).append(doc)
    missed = []
    for label, docs in members.items():
        if len(docs) < 2:
            continue
        top = max(completeness[d] for d in docs)
        kept_scores = [completeness[d] for d in docs if d in kept_set]
        if not (kept_scores and max(kept_scores) >= top - 1e-9):
            missed.append(label)
    return missed


def score_dedup(
    truth: Mapping[str, Hashable],
    duplicate_of: Mapping[str, str],
    completeness: Mapping[str, float],
) -> DedupScores:
    """All dedup scores from the pipeline's ``duplicate_of`` pointers (dropped -> kept).

    >>> truth = {"a": 1, "b": 1, "c": 2}
    >>> s = score_dedup(truth, {"b": "a"}, {"a": 1.0, "b": 0.5, "c": 1.0})
    >>> (s.pairs.f1, s.ari, s.best_kept_share)
    (1.0, 1.0, 1.0)
    """
    predicted = clusters_from_duplicates(truth, duplicate_of)
    kept = [doc for doc in truth if doc not in duplicate_of]
    clusters, best = count_best_kept(truth, kept, completeness)
    return DedupScores(
        pairs=pair_counts(truth, predicted),
        ari=adjusted_rand_index(truth, predicted),
        clusters=clusters,
        best_kept=best,
    )
