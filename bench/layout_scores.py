"""Scores of a pipeline's stories on one page against the layout truth. Pure functions.

Inputs are plain data: the pipeline's story records (``corpus.jsonl`` / ``duplicates.jsonl``
lines: ``text`` and ``metadata`` with ``source``, ``line_span``, ``kicker``, ``title``,
``deck``, ``byline``, ``caption``, ``reporters``), the page's decoded raw text and its
truth JSON (``bench.generate.page_truth``). Nothing here imports ``pipeline``.

* ``rebuild_page``: the page as the pipeline segmented it, stories in line order, each one
  field per line: kicker, title, deck, the text's paragraphs, byline, caption. A byline the
  pipeline split off goes back on its own line only where the raw page printed it on a
  line of its own (the record does not say whether it was joined).
* ``broken_sentences``: predicted line breaks that fall inside a truth sentence (not at a
  true boundary and not after 。！？…), per truth sentence.
* ``furniture_leaked``: truth furniture lines (and, apart, jump marks) whose characters
  reach the predicted text (half or more of them aligned to predicted characters).
* ``error_mechanisms``: why each true story missed 1:1, from the truth's field labels
  (see ``MECHANISMS``).
* ``score_page`` adds everything up in a ``LayoutCounts``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.alignment import aligned_positions, canonical, gap_intervals, line_gaps
from bench.metrics import (
    BoundaryCounts,
    ErrorRate,
    StoryCounts,
    char_error_rate,
    recovered_stories,
    score_boundaries,
    score_stories,
    story_overlaps,
    truth_boundaries,
)

# A sentence ends with one of these, perhaps followed by closing quotes or brackets.
SENTENCE_END_RE = re.compile(r"[。！？…!?]+[”’」』）)\"']*")
CONNECTIVE_RE = re.compile(
    r"^(?:此外|同时|另外|与此同时|据了解|据介绍|记者了解到|值得一提的是|另据|此前|对此|然而|但是|因此)"
)
HEADING_FIELDS = frozenset({"kicker", "title", "deck"})
MECHANISMS = (
    "headline swallowed without lead",
    "headline after truncated story",
    "body line read as headline",
    "orphaned tail glued",
    "connective paragraph cut off",
    "merged with story above",
    "merged with story below",
    "split at another field",
    "split inside a line",
    "text differs",
)
LEAK_SHARE = 0.5  # a furniture line leaks when this share of its characters reaches the text


@dataclass(frozen=True, slots=True)
class SentenceCounts:
    """Predicted breaks inside truth sentences, and truth sentences."""

    broken: int = 0
    sentences: int = 0

    def __add__(self, other: SentenceCounts) -> SentenceCounts:
        return SentenceCounts(self.broken + other.broken, self.sentences + other.sentences)

    @property
    def per_10k(self) -> float:
        return 10_000 * self.broken / self.sentences if self.sentences else 0.0


@dataclass(frozen=True, slots=True)
class LeakCounts:
    """Truth lines of one kind (furniture, jump marks) and how many reached the text."""

    leaked: int = 0
    lines: int = 0

    def __add__(self, other: LeakCounts) -> LeakCounts:
        return LeakCounts(self.leaked + other.leaked, self.lines + other.lines)

    @property
    def share(self) -> float:
        return self.leaked / self.lines if self.lines else 0.0


@dataclass(slots=True)
class LayoutCounts:
    """Everything ``score_page`` counts; ``+=`` adds pages up (micro-averages)."""

    pages: int = 0
    boundaries: BoundaryCounts = field(default_factory=BoundaryCounts)
    cer: ErrorRate = field(default_factory=ErrorRate)
    stories: StoryCounts = field(default_factory=StoryCounts)
    sentences: SentenceCounts = field(default_factory=SentenceCounts)
    furniture: LeakCounts = field(default_factory=LeakCounts)
    jumps: LeakCounts = field(default_factory=LeakCounts)
    mechanisms: Counter[str] = field(default_factory=Counter)

    def __iadd__(self, other: LayoutCounts) -> LayoutCounts:
        self.pages += other.pages
        self.boundaries += other.boundaries
        self.cer += other.cer
        self.stories += other.stories
        self.sentences += other.sentences
        self.furniture += other.furniture
        self.jumps += other.jumps
        self.mechanisms.update(other.mechanisms)
        return self

    def values(self) -> dict[str, float]:
        """The headline numbers (what the tables print)."""
        return {
            "pages": self.pages,
            "stories": self.stories.true_stories,
            "stories 1:1": self.stories.recovered_share,
            "boundary precision": self.boundaries.precision,
            "boundary recall": self.boundaries.recall,
            "boundary F1": self.boundaries.f1,
            "broken sentences per 10k": self.sentences.per_10k,
            "CER": self.cer.rate,
            "titles": self.stories.title_share,
            "furniture leaked": self.furniture.share,
            "jump marks leaked": self.jumps.share,
            "reporters": self.stories.reporters_share,
        }


# --------------------------------------------------------------------------- rebuilding


def record_fields(record: Mapping[str, Any], own_line_byline: bool) -> list[str]:
    """One story record's printed lines, in print order (byline joined unless own line)."""
    meta = record["metadata"]
    text = record["text"] or ""
    byline = meta.get("byline")
    if byline:
        text = f"{text}\n{byline}" if own_line_byline or not text else text + byline
    parts = (meta.get("kicker"), meta.get("title"), meta.get("deck"), text, meta.get("caption"))
    return [p for p in parts if p]


def _key(text: str) -> str:
    return "".join(text.split())


def rebuild_page(
    records: Sequence[Mapping[str, Any]],
    raw: str,
    to_simplified: Callable[[str], str] = lambda text: text,
) -> tuple[str, list[dict[str, object]]]:
    """(page text, predicted stories) from one page's story records.

    Records are put in ``line_span`` order. ``raw`` is the decoded input page, which
    tells whether a byline stood on a line of its own; ``to_simplified`` maps raw lines
    to the script the pipeline wrote (t2s on Traditional pages).

    >>> recs = [
    ...     {"text": "正文二。", "metadata": {"line_span": [4, 5], "title": "标题二",
    ...      "byline": "（李丰）", "reporters": []}},
    ...     {"text": "正文一。\\n第二段。", "metadata": {"line_span": [1, 3], "title": "标题一",
    ...      "byline": None, "reporters": ["张三"]}},
    ... ]
    >>> raw = "标题一\\n正文一。\\n第二段。\\n标题二\\n正文二。（李丰）\\n"
    >>> text, stories = rebuild_page(recs, raw)
    >>> text
    '标题一\\n正文一。\\n第二段。\\n标题二\\n正文二。（李丰）'
    >>> [s["title"] for s in stories], stories[0]["reporters"]
    (['标题一', '标题二'], ['张三'])
    """
    lines = {_key(to_simplified(line)) for line in raw.split("\n")}
    ordered = sorted(records, key=lambda r: tuple(r["metadata"].get("line_span") or (0, 0)))
    stories: list[dict[str, object]] = []
    page: list[str] = []
    for record in ordered:
        meta = record["metadata"]
        byline = meta.get("byline")
        fields = record_fields(record, bool(byline) and _key(byline) in lines)
        text = "\n".join(fields)
        page.append(text)
        stories.append(
            {
                "text": text,
                "title": meta.get("title") or "",
                "reporters": list(meta.get("reporters") or ()),
            }
        )
    return "\n".join(page), stories


# --------------------------------------------------------------------------- measures


def count_sentences(truth_text: str) -> int:
    """Sentences of a truth text: sentence ends, plus each line that ends without one.

    >>> count_sentences("标题\\n第一句。第二句！“第三句。”\\n被截断的")
    5
    """
    total = 0
    for line in truth_text.split("\n"):
        if not line.strip():
            continue
        ends = list(SENTENCE_END_RE.finditer(line))
        total += len(ends) + (not ends or ends[-1].end() < len(line.rstrip()))
    return total


def _sentence_end_positions(gold: str) -> set[int]:
    """NWS positions k (gap before gold[k]) that follow a sentence end."""
    return {m.end() for m in SENTENCE_END_RE.finditer(gold)}


def broken_sentences(predicted: str, truth_text: str) -> SentenceCounts:
    """Predicted line breaks inside a truth sentence: at no true boundary and not right
    after a sentence end. Breaks next to furniture only are ignored (as in
    ``score_boundaries``).

    >>> truth = "标题\\n第一句话很长。第二句话也很长。"
    >>> broken_sentences("标题\\n第一句话\\n很长。\\n第二句话也很长。", truth)
    SentenceCounts(broken=1, sentences=3)
    """
    pred, gold = canonical(predicted), canonical(truth_text)
    aligned = aligned_positions(pred, gold)
    boundaries = set(truth_boundaries(truth_text))
    ends = _sentence_end_positions(gold)
    broken = 0
    for lo, hi in gap_intervals(aligned, line_gaps(predicted), len(gold)):
        if hi <= 0 or lo >= len(gold):
            continue
        span = range(lo, hi + 1)
        if any(k in boundaries or k in ends for k in span):
            continue
        broken += 1
    return SentenceCounts(broken, count_sentences(truth_text))


def line_spans(raw_lines: Sequence[str]) -> list[tuple[int, int]]:
    """Canonical NWS span [start, end) of every raw line in the canonical page."""
    spans = []
    position = 0
    for line in raw_lines:
        n = len(canonical(line))
        spans.append((position, position + n))
        position += n
    return spans


def furniture_leaked(
    predicted: str, raw_lines: Sequence[str], indices: Sequence[int]
) -> LeakCounts:
    """How many of the raw lines ``indices`` (furniture, or jump marks) reach ``predicted``.

    ``raw_lines`` are the page's lines in the predicted text's script. A line leaks when
    at least ``LEAK_SHARE`` of its characters align to predicted characters.

    >>> raw = ["工人日报 2017年8月28日", "标题", "正文。", "8"]
    >>> furniture_leaked("标题\\n正文。\\n8", raw, [0, 3])
    LeakCounts(leaked=1, lines=2)
    """
    gold = "".join(canonical(line) for line in raw_lines)
    aligned = aligned_positions(canonical(predicted), gold)
    hit = [False] * len(gold)
    for j in aligned:
        if j >= 0:
            hit[j] = True
    spans = line_spans(raw_lines)
    leaked = 0
    counted = 0
    for i in indices:
        start, end = spans[i]
        if end == start:
            continue
        counted += 1
        leaked += sum(hit[start:end]) >= LEAK_SHARE * (end - start)
    return LeakCounts(leaked, counted)


def _owners(pred_texts: Sequence[str], gold_all: str) -> list[int]:
    """For each canonical character of the concatenated truth, the predicted story it is
    aligned from (-1: none)."""
    owner = [i for i, s in enumerate(pred_texts) for _ in canonical(s)]
    pred_all = "".join(canonical(s) for s in pred_texts)
    gold_owner = [-1] * len(gold_all)
    for i, j in enumerate(aligned_positions(pred_all, gold_all)):
        if j >= 0:
            gold_owner[j] = owner[i]
    return gold_owner


def _majority(values: Sequence[int]) -> int:
    counts = Counter(v for v in values if v >= 0)
    return counts.most_common(1)[0][0] if counts else -1


def error_mechanisms(
    pred_texts: Sequence[str], truth_stories: Sequence[Mapping[str, Any]]
) -> Counter[str]:
    """Why each true story that is not recovered 1:1 was missed.

    ``truth_stories`` entries need ``lines`` (the story's printed lines, in the script of
    ``pred_texts``) and ``fields`` (a field name per line), plus ``truncated``, ``kind``
    and ``lead``/``lead_inline``. In order of precedence:

    Two true stories that end in one predicted story (the last line of the upper one and
    the first of the lower one in the same prediction) are both counted, under the reason
    of their join:

    * headline after truncated story: the upper story stops mid-sentence and the lower one
      opens with a headline (the headline joined to it, or the cut line pulled into the
      headline block);
    * headline swallowed without lead: the lower story has a headline and no lead;
    * orphaned tail glued: the lower story is a tail or fragment (no headline);
    * else merged with story above / below.

    A story that is not joined to a neighbour but split:
    * connective paragraph cut off: where a paragraph opens with 此外 / 据介绍 / 同时 ...;
    * body line read as headline: where another body paragraph starts;
    * split at another field (lead, byline, caption, a heading line), split inside a line
      (a kept wrap); else text differs (similarity below 0.98).

    >>> truth = [
    ...     {"lines": ["标题一", "正文一，很长的一段。"], "fields": ["title", "paragraph"],
    ...      "truncated": False, "kind": "news", "lead": ""},
    ...     {"lines": ["标题二", "正文二，也很长的一段。"], "fields": ["title", "paragraph"],
    ...      "truncated": False, "kind": "news", "lead": ""},
    ... ]
    >>> merged = "标题一\\n正文一，很长的一段。标题二\\n正文二，也很长的一段。"
    >>> sorted(error_mechanisms([merged], truth).items())
    [('headline swallowed without lead', 2)]
    """
    gold_texts = ["\n".join(s["lines"]) for s in truth_stories]
    flags = recovered_stories(pred_texts, gold_texts)
    gold_all = "".join(canonical(t) for t in gold_texts)
    owner = _owners(pred_texts, gold_all)
    # per story: per field (start, end) in gold_all
    spans: list[list[tuple[int, int]]] = []
    position = 0
    for story in truth_stories:
        fields = []
        for line in story["lines"]:
            n = len(canonical(line))
            fields.append((position, position + n))
            position += n
        spans.append(fields)
    field_owner = [[_majority(owner[a:b]) for a, b in fields] for fields in spans]
    n = len(truth_stories)
    joined = [
        bool(field_owner[t])
        and bool(field_owner[t + 1])
        and field_owner[t][-1] >= 0
        and field_owner[t][-1] == field_owner[t + 1][0]
        for t in range(n - 1)
    ]
    result: Counter[str] = Counter()
    for t, story in enumerate(truth_stories):
        if flags[t] or not spans[t]:
            continue
        if t > 0 and joined[t - 1]:
            result[_join_kind(truth_stories[t - 1], story, "merged with story above")] += 1
        elif t + 1 < n and joined[t]:
            result[_join_kind(story, truth_stories[t + 1], "merged with story below")] += 1
        else:
            result[_split_kind(story, field_owner[t], spans[t], owner)] += 1
    return result


def _join_kind(upper: Mapping[str, Any], lower: Mapping[str, Any], other: str) -> str:
    """Why two neighbouring true stories ended in one predicted story (both are counted)."""
    headed = any(name in HEADING_FIELDS for name in lower["fields"])
    if upper.get("truncated") and headed:
        return "headline after truncated story"
    if headed and not lower.get("lead"):
        return "headline swallowed without lead"
    if lower.get("kind") in ("tail", "fragment"):
        return "orphaned tail glued"
    return other


def _split_kind(
    story: Mapping[str, Any],
    owners: Sequence[int],
    spans: Sequence[tuple[int, int]],
    owner: Sequence[int],
) -> str:
    names = list(story["fields"])
    lines = list(story["lines"])
    for i in range(1, len(owners)):
        if owners[i] >= 0 and owners[i - 1] >= 0 and owners[i] != owners[i - 1]:
            if names[i] == "paragraph" and CONNECTIVE_RE.match(lines[i].lstrip()):
                return "connective paragraph cut off"
            if names[i] == "paragraph":
                return "body line read as headline"
            return "split at another field"
    for a, b in spans:
        inside = {o for o in owner[a:b] if o >= 0}
        if len(inside) > 1:
            return "split inside a line"
    return "text differs"


def truth_story_lines(entry: Mapping[str, Any], simplified: bool) -> list[str]:
    """A truth story's printed lines in the pipeline's script."""
    text = entry.get("text_simplified", entry["text"]) if simplified else entry["text"]
    return str(text).split("\n")


def score_page(
    records: Sequence[Mapping[str, Any]],
    raw: str,
    truth: Mapping[str, Any],
    to_simplified: Callable[[str], str] = lambda text: text,
) -> LayoutCounts:
    """All layout scores of one page: the pipeline's records of it against its truth.

    ``raw`` is the decoded input (LF newlines); ``to_simplified`` converts raw text and
    truth names to the pipeline's script on Traditional pages (t2s).
    """
    simplified = truth["script"] == "traditional"
    convert = to_simplified if simplified else (lambda text: text)
    page_text, predicted = rebuild_page(records, raw, convert)
    key = "text_simplified" if simplified else "text"
    gold_text = truth[key]
    gold = [
        {
            "text": "\n".join(truth_story_lines(s, simplified)),
            "title": s.get("title_simplified", s["title"]) if simplified else s["title"],
            "reporters": [convert(r) for r in s.get("reporters", [])],
            "lines": truth_story_lines(s, simplified),
            "fields": s.get("fields") or ["paragraph"] * len(truth_story_lines(s, simplified)),
            "truncated": s.get("truncated", False),
            "kind": s.get("kind", "news"),
            "lead": s.get("lead", ""),
        }
        for s in truth["stories"]
    ]
    raw_lines = [convert(line) for line in raw.split("\n")]
    roles = truth.get("lines") or []
    furniture = [int(r[0]) for r in roles if r[1] == "furniture"]
    jumps = [int(r[0]) for r in roles if r[1] == "jump"]
    counts = LayoutCounts(pages=1)
    counts.boundaries = score_boundaries(page_text, gold_text)
    counts.cer = char_error_rate(page_text, gold_text)
    counts.stories = score_stories(predicted, gold)
    counts.sentences = broken_sentences(page_text, gold_text)
    counts.furniture = furniture_leaked(page_text, raw_lines, furniture)
    counts.jumps = furniture_leaked(page_text, raw_lines, jumps)
    counts.mechanisms = error_mechanisms([str(p["text"]) for p in predicted], gold)
    return counts


__all__ = [
    "MECHANISMS",
    "LayoutCounts",
    "LeakCounts",
    "SentenceCounts",
    "broken_sentences",
    "count_sentences",
    "error_mechanisms",
    "furniture_leaked",
    "rebuild_page",
    "score_page",
    "story_overlaps",
]
