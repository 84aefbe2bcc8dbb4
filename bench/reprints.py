"""A dedup corpus with known clusters: reprints of stories, damaged copies, near misses.

Each cluster starts from an original story made of real prose paragraphs (never shared
between clusters, nor near-identical to another cluster's) and adds copies that a
newspaper archive really contains: exact reprints, re-headlined reprints, OCR look-alike
substitutions, dropped characters, punctuation and quote variants, added or removed
bylines and leads, shortened copies and Traditional-script copies. Near-miss
*non*-duplicates are stories of their own cluster that share a long sentence, the lead
formula, or the headline with another cluster.

``completeness`` of a copy is the share of the original's characters it holds, in order
(a Levenshtein alignment of the bodies, canonical punctuation, after OpenCC t2s for
Traditional copies). The original is 1.0; exact and punctuation-only copies and copies that
only add a lead or a byline tie with it; every damaged or shortened copy is below it.

Real OCR confusions are mined at run time from FASPell's OCR data in
``shared/peer/ocr-postcorrection-faspell/`` (GPL-3.0, read only, never copied into the
repository) when it is present, and merged with a small built-in look-alike table.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from bench.alignment import canonical, opcodes
from bench.render import HALFWIDTH
from bench.stories import (
    CONNECTIVES,
    make_byline,
    make_lead,
    make_name,
    make_title,
    opencc_converter,
)

LOOKALIKES = (
    "己已",
    "已巳",
    "未末",
    "人入",
    "日曰",
    "士土",
    "天夭",
    "大太",
    "王玉",
    "刀力",
    "千干",
    "于千",
    "田由",
    "由甲",
    "甲申",
    "免兔",
    "戍戌",
    "准淮",
    "侯候",
    "洒酒",
    "拔拨",
    "析折",
    "贝见",
    "冶治",
    "壁璧",
    "辨辩",
    "今令",
    "余佘",
    "衰哀",
    "汩汨",
    "间问",
    "门闩",
    "白自",
    "目且",
    "儿几",
    "八人",
    "上土",
    "工土",
    "午牛",
    "矢失",
)
PEER_DIR = Path(os.environ.get("BENCH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
FASPELL_FILES = ("ocr_train_3575.txt", "ocr_test_1000.txt")
STRAIGHT_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
CORNER_QUOTES = str.maketrans(
    {"\u201c": "\u300c", "\u201d": "\u300d", "\u2018": "\u300e", "\u2019": "\u300f"}
)
HALF_PUNCT = str.maketrans(HALFWIDTH)  # ，；：（）？！ as a page set in ASCII prints them


@dataclass(frozen=True, slots=True)
class ReprintKnobs:
    """Mix of copies per cluster and of near misses."""

    copies: tuple[int, int] = (0, 5)  # copies per cluster besides the original
    paragraphs: tuple[int, int] = (2, 5)  # paragraphs per original story
    near_miss: float = 0.15  # per cluster: also make a near-miss story resembling it
    ocr_rate: tuple[float, float] = (0.005, 0.03)
    drop_rate: tuple[float, float] = (0.003, 0.02)
    truncate: tuple[float, float] = (0.4, 0.8)
    variants: tuple[tuple[str, float], ...] = (
        ("exact", 2),
        ("retitled", 2),
        ("ocr", 3),
        ("dropped", 2),
        ("punct", 2),
        ("quotes", 1),
        ("byline", 2),
        ("lead", 2),
        ("truncated", 3),
        ("traditional", 3),
        ("traditional+truncated", 1),
        ("ocr+punct", 1),
    )


@dataclass(frozen=True, slots=True)
class Copy:
    """One document of the dedup corpus and its truth."""

    id: str
    cluster: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    byline: str
    variant: str  # original | exact | ocr | byline-added | ... | near-miss:<how>
    completeness: float
    script: str = "simplified"
    related: str = ""  # near misses: the cluster they resemble but do not belong to

    @property
    def body(self) -> str:
        """Lead, paragraphs and byline, one paragraph per line (title excluded)."""
        lines = list(self.paragraphs)
        if self.lead:
            lines[0] = self.lead + lines[0]
        if self.byline:
            lines[-1] += self.byline
        return "\n".join(lines)

    @property
    def text(self) -> str:
        """The document as the pipeline gets it: headline line, then the body."""
        return f"{self.title}\n{self.body}" if self.title else self.body


@cache
def ocr_confusions() -> dict[str, tuple[str, ...]]:
    """Correct character -> characters OCR read instead, most frequent first.

    From FASPell's OCR lines when ``shared/peer`` is present, plus ``LOOKALIKES`` both ways.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for name in FASPELL_FILES:
        path = PEER_DIR / "peer" / "ocr-postcorrection-faspell" / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and len(parts[1]) == len(parts[2]):
                counts.update(
                    (good, bad)
                    for bad, good in zip(parts[1], parts[2], strict=True)
                    if bad != good and "\u4e00" <= good <= "\u9fff"
                )
    for pair in LOOKALIKES:
        counts[pair[0], pair[1]] += 5
        counts[pair[1], pair[0]] += 5
    table: dict[str, list[tuple[int, str]]] = {}
    for (good, bad), n in counts.items():
        table.setdefault(good, []).append((-n, bad))
    return {good: tuple(bad for _, bad in sorted(v)) for good, v in sorted(table.items())}


def substitute_ocr(text: str, rate: float, rng: random.Random) -> str:
    """Replace confusable characters by an OCR misreading; ~``rate`` of all characters.

    >>> substitute_ocr("已经", 1.0, random.Random(0)) != "已经"
    True
    """
    table = ocr_confusions()
    candidates = [i for i, ch in enumerate(text) if ch in table]
    if not candidates:
        return text
    n = min(len(candidates), max(1, round(rate * len(text))))
    chars = list(text)
    for i in rng.sample(candidates, n):
        options = table[chars[i]]
        chars[i] = options[0] if rng.random() < 0.6 else rng.choice(options)
    return "".join(chars)


def drop_chars(text: str, rate: float, rng: random.Random) -> str:
    """Delete about ``rate`` of the characters (never the line breaks)."""
    n = max(1, round(rate * len(text)))
    positions = [i for i, ch in enumerate(text) if ch != "\n"]
    gone = set(rng.sample(positions, min(n, len(positions))))
    return "".join(ch for i, ch in enumerate(text) if i not in gone)


def truncate_paragraphs(paragraphs: Sequence[str], share: float) -> tuple[str, ...]:
    """Keep the first ``share`` of the characters (cut inside a paragraph if needed).

    >>> truncate_paragraphs(["一二三四", "五六七八"], 0.75)
    ('一二三四', '五六')
    """
    budget = round(share * sum(len(p) for p in paragraphs))
    out: list[str] = []
    for p in paragraphs:
        if budget <= 0:
            break
        out.append(p[:budget])
        budget -= len(p)
    return tuple(out)


def completeness_of(copy: Copy, original: Copy) -> float:
    """The share of the original's body the copy holds, in order (see module doc): the
    original's characters left equal by a Levenshtein alignment, over its length.

    What a copy adds (a lead, a byline) costs nothing, as the issue's rule "the longest
    body that contains the others" wants; what it loses, cuts or misreads does.
    """
    body = copy.body if copy.script == "simplified" else opencc_converter("t2s")(copy.body)
    gold = canonical(original.body)
    held = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes(gold, canonical(body)) if tag == "equal")
    return round(held / max(1, len(gold)), 4)


def make_copy(rng: random.Random, original: Copy, variant: str, knobs: ReprintKnobs) -> Copy:
    """Apply one variant (or a ``+``-joined combination) to the original.

    ``byline`` adds a byline to a story without one and removes it otherwise; ``lead``
    removes the lead, or changes it to another formula, or adds one. The copy's
    ``variant`` names what was done (``byline-added``, ``lead-removed``, ``traditional:s2hk``).
    """
    title, lead, paragraphs, byline = (
        original.title,
        original.lead,
        original.paragraphs,
        original.byline,
    )
    script = "simplified"
    done: list[str] = []
    for step in variant.split("+"):
        name = step
        if step == "retitled":
            title = make_title(rng, paragraphs)
        elif step == "ocr":
            paragraphs = tuple(
                substitute_ocr(p, rng.uniform(*knobs.ocr_rate), rng) for p in paragraphs
            )
        elif step == "dropped":
            paragraphs = tuple(
                drop_chars(p, rng.uniform(*knobs.drop_rate), rng) for p in paragraphs
            )
        elif step == "punct":
            paragraphs = tuple(p.translate(HALF_PUNCT) for p in paragraphs)
        elif step == "quotes":
            table = rng.choice((STRAIGHT_QUOTES, CORNER_QUOTES))
            title = title.translate(table)
            paragraphs = tuple(p.translate(table) for p in paragraphs)
        elif step == "byline":
            name = "byline-removed" if byline else "byline-added"
            byline = "" if byline else make_byline(rng)
        elif step == "lead":
            if lead and rng.random() < 0.5:
                lead, name = "", "lead-removed"
            else:
                name = "lead-changed" if lead else "lead-added"
                lead = make_lead(rng, rng.randint(1, 12), rng.randint(1, 28)).text
        elif step == "truncated":
            paragraphs = truncate_paragraphs(paragraphs, rng.uniform(*knobs.truncate))
            byline = ""
        elif step == "traditional":
            config = rng.choice(("s2t", "s2twp", "s2hk"))
            convert = opencc_converter(config)
            table = CORNER_QUOTES if rng.random() < 0.7 else str.maketrans({})
            title, lead, byline = (convert(t).translate(table) for t in (title, lead, byline))
            paragraphs = tuple(convert(p).translate(table) for p in paragraphs)
            script, name = "traditional", f"traditional:{config}"
        elif step != "exact":
            msg = f"unknown reprint variant {step!r}"
            raise ValueError(msg)
        done.append(name)
    copy = Copy(
        id="",
        cluster=original.cluster,
        title=title,
        lead=lead,
        paragraphs=paragraphs,
        byline=byline,
        variant="+".join(done),
        completeness=1.0,
        script=script,
    )
    return replace(copy, completeness=completeness_of(copy, original))


def make_original(rng: random.Random, cluster: str, body: Sequence[str]) -> Copy:
    """An original story: headline, maybe a lead and a byline, real prose paragraphs."""
    lead = make_lead(rng, rng.randint(1, 12), rng.randint(1, 28)).text if rng.random() < 0.7 else ""
    byline = make_byline(rng) if rng.random() < 0.4 else ""
    return Copy(
        id="",
        cluster=cluster,
        title=make_title(rng, body),
        lead=lead,
        paragraphs=tuple(body),
        byline=byline,
        variant="original",
        completeness=1.0,
    )


def make_near_miss(
    rng: random.Random,
    original: Copy,
    cluster: str,
    body: Sequence[str],
) -> Copy:
    """A different story that shares a long sentence, the lead or the headline with one."""
    how = rng.choice(("boilerplate", "lead", "headline"))
    story = make_original(rng, cluster, body)
    if how == "boilerplate":
        sentences = [s + "。" for p in original.paragraphs for s in p.split("。") if len(s) >= 30]
        shared = rng.choice(sentences) if sentences else original.paragraphs[0]
        paragraphs = list(story.paragraphs)
        paragraphs.insert(rng.randint(0, len(paragraphs)), rng.choice(CONNECTIVES) + shared)
        story = replace(story, paragraphs=tuple(paragraphs))
    elif how == "lead":
        story = replace(story, lead=original.lead or f"本报讯（记者{make_name(rng)}）")
    else:
        story = replace(story, title=original.title)
    return replace(story, variant=f"near-miss:{how}", related=original.cluster)


def make_reprint_corpus(
    seed: int = 0,
    n_clusters: int = 300,
    paragraphs: Sequence[str] | None = None,
    knobs: ReprintKnobs | None = None,
) -> list[Copy]:
    """Documents of ``n_clusters`` clusters plus near misses, shuffled, ids ``d000000``...

    Each cluster's original uses paragraphs no other cluster uses (consecutive source
    paragraphs, for topic coherence) and no near copy of them (``_distinct_windows``).
    Raises ``ValueError`` when ``paragraphs`` are too few.
    """
    knobs = knobs or ReprintKnobs()
    if paragraphs is None:
        from bench.prose import load_paragraphs

        paragraphs = load_paragraphs("simplified")
    rng = random.Random(f"{seed}:reprints")
    starts = list(range(0, len(paragraphs) - knobs.paragraphs[1], knobs.paragraphs[1]))
    rng.shuffle(starts)
    starts = list(_distinct_windows(paragraphs, starts, knobs.paragraphs[1]))
    needed = round(n_clusters * (1 + knobs.near_miss)) + 1
    if len(starts) < needed:
        msg = (
            f"{len(paragraphs)} paragraphs give at most {len(starts)} disjoint stories; "
            f"{n_clusters} clusters with near misses need {needed}"
        )
        raise ValueError(msg)
    names, weights = zip(*knobs.variants, strict=True)
    docs: list[Copy] = []
    next_start = iter(starts)
    for c in range(n_clusters):
        crng = random.Random(f"{seed}:cluster:{c}")
        start = next(next_start)
        body = paragraphs[start : start + crng.randint(*knobs.paragraphs)]
        original = make_original(crng, f"c{c:05d}", body)
        docs.append(original)
        for variant in crng.choices(names, weights, k=crng.randint(*knobs.copies)):
            docs.append(make_copy(crng, original, variant, knobs))
        if crng.random() < knobs.near_miss:
            start = next(next_start)
            body = paragraphs[start : start + crng.randint(*knobs.paragraphs)]
            docs.append(make_near_miss(crng, original, f"n{c:05d}", body))
    rng.shuffle(docs)
    return [replace(d, id=f"d{i:06d}") for i, d in enumerate(docs)]


# Two windows of prose are too alike to be different stories when this share of one's
# character 8-grams is in the other: LibreOffice's help prints near-identical paragraphs
# (圆扇形 / 椭圆扇形, 已填色 / 未填色), which would plant unlabelled duplicates.
WINDOW_OVERLAP = 0.2


def _distinct_windows(paragraphs: Sequence[str], starts: Sequence[int], size: int) -> Iterator[int]:
    """``starts`` in order, without windows of ``size`` paragraphs that share more than
    ``WINDOW_OVERLAP`` of their 8-grams with a window given before.

    >>> prose = ["甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉", "甲乙丙丁戊己庚辛壬"]
    >>> list(_distinct_windows(prose, [0, 1, 2], 1))
    [0, 1]
    """
    seen: dict[str, int] = {}  # 8-gram -> the window that had it first
    for start in starts:
        text = "\n".join(paragraphs[start : start + size])
        grams = {text[i : i + 8] for i in range(len(text) - 7)}
        shared = Counter(seen[g] for g in grams if g in seen)
        if shared and max(shared.values()) > WINDOW_OVERLAP * len(grams):
            continue
        for gram in grams:
            seen.setdefault(gram, start)
        yield start


def write_reprint_corpus(out_dir: Path | str, docs: Sequence[Copy]) -> None:
    """Write ``input/reprints/<id>.txt`` (UTF-8) and ``truth/reprints.json``."""
    import json

    out = Path(out_dir)
    (out / "input" / "reprints").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (out / "input" / "reprints" / f"{doc.id}.txt").write_text(doc.text + "\n", encoding="utf-8")
    truth = {
        doc.id: {
            "cluster": doc.cluster,
            "completeness": doc.completeness,
            "variant": doc.variant,
            "script": doc.script,
            "related": doc.related,
            "title": doc.title,
            "text": doc.text,
        }
        for doc in docs
    }
    (out / "truth" / "reprints.json").write_text(
        json.dumps(truth, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m bench.reprints OUT [--clusters N] [--seed S]``: write a dedup corpus."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Write a dedup corpus with known clusters.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--clusters", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    docs = make_reprint_corpus(args.seed, args.clusters)
    write_reprint_corpus(args.out, docs)
    variants = Counter(d.variant.split(":")[0] for d in docs)
    print(
        f"{len(docs)} documents in {len({d.cluster for d in docs})} clusters -> {args.out}; "
        f"variants: {dict(sorted(variants.items()))}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
