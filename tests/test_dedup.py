"""Dedup: keys, the exact stage, verified near duplicates, clusters, best copy, the index."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import DedupConfig
from pipeline.dedup.index import (
    SketchTable,
    load_index,
    load_sketches,
    save_sketches,
)
from pipeline.dedup.stage import (
    KEY_VERSION,
    Deduplicator,
    decide,
    dedup_key,
    drop_duplicates,
    key_codepoints,
    sketch,
    sketch_table,
)
from pipeline.document import Document, Stats
from pipeline.engine.shards import write_index
from pipeline.errors import ConfigError, PipelineError

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "data/raw/workers-daily/2017-08-28-page.txt").read_text(encoding="utf-8")
CFG = DedupConfig()


def cut(start: str, end: str | None, nth: int = 0) -> str:
    """The page text from the ``nth`` occurrence of ``start`` up to ``end``."""
    at = -1
    for _ in range(nth + 1):
        at = PAGE.index(start, at + 1)
    return PAGE[at : PAGE.index(end, at + 1) if end else len(PAGE)].strip()


def page_stories() -> list[Document]:
    """The sample page cut into its stories by hand, as segmentation will cut it."""
    yx_deck = "实现由“1人作贡献”到“1+1群作贡献”"
    parts = [
        (
            "hubei",
            "湖北推出产业工人队伍建设改革方案",
            {},
            cut("本报讯(记者邹明强)", "本报讯(记者卢翔)"),
        ),
        ("jiangxi", None, {}, cut("本报讯(记者卢翔)", "内蒙古工会全方位")),
        ("neimenggu", "内蒙古工会全方位帮扶困难职工", {}, cut("本报讯(记者李玉波", "广州在地铁")),
        (
            "guangzhou",
            "广州在地铁建设项目推行“产业工人卡”",
            {},
            cut("本报讯(记者叶小钟", "本报通讯员"),
        ),
        ("train", None, {"truncated": True}, cut("“列车长,12车厢", "变群众上访")),
        ("dacheng", "大城县信访与工会工作“联姻”", {}, cut("本报讯 连续5年", yx_deck)),
        (
            "youxi-1",
            None,
            {"deck": yx_deck, "byline": "孙富常"},
            cut("本报讯(记者吴锋思", "(孙富常)"),
        ),
        ("games", "趣味运动会", {}, cut("8月26日,中铁电气化局", "尤溪县总用劳模")),
        (
            "youxi-2",
            "尤溪县总用劳模智慧培育新工匠",
            {"deck": yx_deck},
            cut("本报讯(记者吴锋思", "此外,贵阳市总工会", nth=1),
        ),
        ("guiyang-a", None, {"fragment": True}, cut("此外,贵阳市总工会", "抓落实")),
        ("guiyang", "贵阳市总重点培育农民工创业示范企业", {}, cut("“现在这里的近百名职工", None)),
    ]
    return [
        Document(f"wd-{name}", text, "workers-daily/2017-08-28-page.txt", "utf_8", title=title)
        if not extra
        else replace(
            Document(f"wd-{name}", text, "workers-daily/2017-08-28-page.txt", "utf_8", title=title),
            **extra,
        )
        for name, title, extra, text in parts
    ]


def run(docs: list[Document], cfg: DedupConfig = CFG):
    table = sketch_table(docs, cfg)
    return decide(table, cfg, lambda rows: [docs[int(r)].text for r in rows])


def doc(story_id: str, text: str, **fields) -> Document:
    return Document(story_id, text, f"{story_id}.txt", "utf_8", **fields)


# --- Keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("尤溪縣總工會", "尤溪县总工会"),  # Traditional -> Simplified
        ("５家勞模工作室，２０１６年", "5家劳模工作室2016年"),  # width, digits kept
        ("“高速织机”……（孙富常）", "高速织机孙富常"),  # punctuation removed
        ("本报讯 (记者 邹明强)\n湖北", "本报讯记者邹明强湖北"),  # spaces and ASCII
        ("GDP增长Ｂ超", "gdp增长b超"),  # Latin lowercased and width-folded
        ("乾隆年间 干部 幹部", "干隆年间干部干部"),  # a fold: every script meets
        ("劳模工作室培育新工匠", "劳模工作室培育新工匠"),  # must not change
        ("這套軟體透過網路更新資訊", "这套软件透过网络更新信息"),  # Taiwan words: mainland's
        ("劳模智慧 人工智能", "劳模智慧人工智慧"),  # a fold: 智能 is 智慧 in Taiwan
        ("接著 著名", "接着着名"),  # Taiwan's variant 著 of 着, folded everywhere alike
        ("1990-2000年", "19902000年"),
        ("", ""),
    ],
)
def test_dedup_key(raw, expected):
    assert dedup_key(raw) == expected
    assert "".join(map(chr, key_codepoints(raw).tolist())) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("尤溪縣总工會，。“”（）ＡＢ１２ab12 \n\u3000\ufffd𠀀")))
def test_key_codepoints_equals_dedup_key(text):
    assert "".join(map(chr, key_codepoints(text).tolist())) == dedup_key(text)


def reference_key(text: str) -> str:
    """Fold 2 in plain Python: leftmost, then longest word first, as ``re`` alternation is."""
    from pipeline.dedup.folds import fold_chars, regional_phrases

    words = dict(regional_phrases())
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w)))))
    return pattern.sub(lambda m: words[m.group()], fold_chars(text))


def test_regional_fold_equals_a_plain_python_fold():
    rng = random.Random(5)
    taiwan = opencc.OpenCC("s2twp.json")
    texts = [PAGE[i : i + rng.randint(0, 600)] for i in range(0, len(PAGE) - 600, 97)]
    texts += [taiwan.convert(t) for t in texts]
    # 数据机 -> 调制解调器 lengthens the key past the first buffer: folded again, whole
    texts += ["數據機" * 500 + "，資料夾", "", "數據"]
    keys = [dedup_key(t) for t in texts]
    assert keys == [reference_key(t) for t in texts]
    assert "".join(keys) == "".join(map(chr, key_codepoints("".join(texts)).tolist()))


def test_taiwan_vocabulary_reprint_gets_the_mainland_key():
    taiwan, back = opencc.OpenCC("s2twp.json"), opencc.OpenCC("t2s.json")
    for story in page_stories():
        copy = back.convert(taiwan.convert(story.text))  # a Taiwan paper, then t2s
        assert dedup_key(copy) == dedup_key(story.text)


# --- The sample page -------------------------------------------------------------------------


def test_sample_page_dedups_the_youxi_story_only():
    docs = page_stories()
    result = run(docs)
    assert set(result.dropped) == {"wd-youxi-1"}
    decision = result.dropped["wd-youxi-1"]
    assert decision.duplicate_of == "wd-youxi-2"  # the copy headed 尤溪县总用劳模智慧培育新工匠
    kept = result.kept["wd-youxi-2"]
    assert kept.also_printed_in == (("wd-youxi-1", "workers-daily/2017-08-28-page.txt"),)
    assert kept.merge == (("byline", "wd-youxi-1"),)
    out = list(drop_duplicates(docs, CFG, Stats(), removed := []))
    assert [d.id for d in out] == [d.id for d in docs if d.id != "wd-youxi-1"]
    assert next(d for d in out if d.id == "wd-youxi-2").byline == "孙富常"
    assert [(d.id, x.kind) for d, x in removed] == [("wd-youxi-1", "exact")]


def test_page_stories_share_lead_formulas_but_stay_apart():
    docs = page_stories()
    assert sum(d.text.startswith("本报讯") for d in docs) >= 6
    result = run([d for d in docs if not d.id.startswith("wd-youxi")])
    assert result.dropped == {}


# --- Duplicates and near-misses --------------------------------------------------------------


def test_identical_texts_collapse_and_empty_keys_never_match():
    text = page_stories()[0].text
    docs = [doc("a", text), doc("b", text), doc("c", "，。"), doc("d", ""), doc("e", " \n")]
    result = run(docs)
    assert set(result.dropped) == {"b"}
    assert result.dropped["b"].kind == "exact"
    assert result.counts["empty"] == 3


def test_short_keys_match_exactly_only_and_are_counted():
    docs = [
        doc("a", "职工趣味运动会举办"),
        doc("b", "职工趣味运动会举办。"),
        doc("c", "职工趣味运动会举行"),
    ]
    result = run(docs)
    assert {k: v.kind for k, v in result.dropped.items()} == {"b": "exact"}
    assert result.counts["short"] == 3


def test_traditional_and_simplified_copies_collapse():
    simplified = page_stories()[2].text
    traditional = opencc.OpenCC("s2t.json").convert(simplified)
    assert traditional != simplified
    result = run([doc("hk", traditional), doc("cn", simplified)])
    assert list(result.dropped) == ["hk"] or list(result.dropped) == ["cn"]
    assert next(iter(result.dropped.values())).jaccard >= CFG.threshold


@pytest.mark.parametrize("share", [0.4, 0.6, 0.8])
def test_a_truncated_copy_is_contained_and_the_full_copy_kept(share):
    full = page_stories()[2]
    cut_copy = doc("b-cut", full.text[: int(len(full.text) * share)], title=full.title)
    result = run([cut_copy, full])
    decision = result.dropped["b-cut"]
    assert decision.duplicate_of == full.id
    assert decision.containment >= CFG.containment
    assert decision.kind == ("contained" if decision.jaccard < CFG.threshold else "near")


def test_ocr_errors_and_quote_variants_are_near_duplicates():
    original = page_stories()[3].text
    rng = random.Random(3)
    chars = list(original.replace("“", "「").replace("”", "」"))
    for i in rng.sample(range(len(chars)), len(chars) // 100):
        chars[i] = "己" if chars[i] != "己" else "已"
    result = run([doc("a", original), doc("b", "".join(chars))])
    assert result.dropped["b"].kind == "near"


def test_boilerplate_lead_and_topic_do_not_make_duplicates():
    lead = "本报讯（记者邹明强 通讯员蔡苗）"
    boiler = (
        "据了解，产业工人队伍建设改革是党中央着眼于推动实施制造强国战略作出的重大决策部署，"
        "各级工会要增强大局意识和全局观念，切实把思想和行动统一到中央决策部署上来。"
    )
    stories = page_stories()
    docs = [
        doc("x", lead + stories[1].text[12:] + boiler, title="产业工人队伍建设改革"),
        doc("y", lead + stories[3].text[14:] + boiler, title="产业工人队伍建设改革"),
        doc("z", lead + stories[10].text[:300] + boiler, title="产业工人队伍建设改革"),
    ]
    assert run(docs).dropped == {}


def segments(count: int) -> list[str]:
    key = dedup_key("".join(d.text for d in page_stories()))  # equal lengths: ids decide
    return [key[i * 120 : (i + 1) * 120] for i in range(count)]


def test_decide_takes_any_equivalent_candidate_finder():
    """The driver may find LSH candidates elsewhere (the Ray engine's shuffle): any function
    giving the same pairs, in any order and orientation, gives the same decisions."""
    taiwan = opencc.OpenCC("s2twp.json")
    stories = page_stories()
    docs = [
        *stories,
        doc("tw-youxi", taiwan.convert(stories[6].text)[:-30]),
        doc("cut-guiyang", stories[-1].text[: len(stories[-1].text) * 2 // 3]),
        doc("ocr-hubei", "".join(c for i, c in enumerate(stories[0].text) if i % 40)),
    ]

    def by_dict(keys, eligible):  # MinHashLSH's way: a dict of lists per band
        rows = np.arange(keys.shape[1]) if eligible is None else np.flatnonzero(eligible)
        found = set()
        for band in keys:
            buckets: dict[int, list[int]] = {}
            for row in rows[::-1].tolist():
                buckets.setdefault(int(band[row]), []).append(row)
            found |= {(b, a) for m in buckets.values() for a in m for b in m if a < b}
        return np.array(sorted(found, reverse=True), dtype=np.int64).reshape(-1, 2)

    table = sketch_table(docs, CFG)
    reference = decide(table, CFG, lambda rows: [docs[int(r)].text for r in rows])
    other = decide(table, CFG, lambda rows: [docs[int(r)].text for r in rows], candidates=by_dict)
    assert reference.counts["candidates"] >= 3
    assert len(reference.dropped) >= 4
    assert other == reference


def test_clusters_never_chain():
    parts = segments(14)
    a, b, c = "".join(parts[0:10]), "".join(parts[2:12]), "".join(parts[4:14])
    # a ~ b ~ c but a !~ c. With a the best copy (it has a title), b joins a and c stays.
    result = run([doc("a", a, title="标题"), doc("b", b), doc("c", c)])
    assert {k: v.duplicate_of for k, v in result.dropped.items()} == {"b": "a"}
    # Otherwise b, which both others agree with, is kept and both join it directly.
    result = run([doc("a", a), doc("b", b), doc("c", c)])
    assert {k: v.duplicate_of for k, v in result.dropped.items()} == {"a": "b", "c": "b"}
    assert all(d.jaccard >= CFG.threshold for d in result.dropped.values())


def test_best_copy_rule():
    text = page_stories()[2].text
    docs = [
        doc("a", text, truncated=True, title="标题"),  # marked truncated
        doc("b", text[: len(text) * 3 // 4], title="标题"),  # much shorter
        doc("c", text + "\ufffd", title=None, caption="图片说明"),  # no title
        doc("d", text + "\ufffd", title="标题"),  # a defect
        doc("e", text, title="标题"),  # complete, but no credit...
        doc("f", text + "。", title="标题", byline="孙富常"),  # ...this one has a byline
    ]
    result = run(docs)
    kept = [d.id for d in docs if d.id not in result.dropped]
    assert kept == ["f"]
    assert result.kept["f"].merge == (("caption", "c"),)
    # the rest in rank order: e agrees with f best, d has a defect, c no title, a and b cut
    assert [i for i, _ in result.kept["f"].also_printed_in] == ["e", "d", "c", "a", "b"]


def test_complete_copies_tie_on_credits_then_support_then_id():
    text = page_stories()[2].text
    docs = [
        doc("g", text.replace("，", ","), title="标题"),  # a punctuation variant...
        doc("e", text, title="标题"),  # ...and two exact copies, which support each other
        doc("f", text, title="标题"),
    ]
    assert [d.id for d in docs if d.id not in run(docs).dropped] == ["e"]


def test_a_short_story_cut_by_a_fifth_is_a_shorter_copy():
    """24 characters are a lead formula in a long story, but 30 % of an 80-character one:
    the copies cut short lose even when they agree with more copies than the full one."""
    text = (
        "本报讯今年以来福建省尤溪县总工会量身定制的5家劳模工作室里53人的工匠团队"
        "完成了17项新工艺新技术的专利申报劳模智慧成了新工匠成长的孵化器和催化剂"
    )
    assert 70 <= len(dedup_key(text)) <= 80
    docs = [
        doc("a-cut", text[: len(text) * 7 // 10], title="标题"),
        doc("b-full", text, title="标题"),
        doc("c-cut", text[: len(text) * 7 // 10 + 3], title="标题"),
        doc("d-cut", text[: len(text) * 7 // 10 - 2], title="标题"),
    ]
    result = run(docs)
    assert "b-full" not in result.dropped
    assert set(result.dropped) == {"a-cut", "c-cut", "d-cut"}


def test_every_cluster_has_one_survivor_and_nothing_is_lost():
    rng = random.Random(5)
    base = page_stories()
    docs = list(base)
    for n, story in enumerate(base * 2):
        text = story.text
        if rng.random() < 0.5:
            text = text[: int(len(text) * rng.uniform(0.5, 0.9))]
        docs.append(doc(f"copy-{n:02d}", text.replace("，", ",")))
    result = run(docs)
    ids = [d.id for d in docs]
    assert set(result.dropped) <= set(ids)
    for decision in result.dropped.values():
        assert decision.duplicate_of not in result.dropped  # one hop to a survivor
        assert decision.duplicate_of in result.kept
    removed = [i for k in result.kept.values() for i, _ in k.also_printed_in]
    assert sorted(removed) == sorted(result.dropped)


def decisions_json(docs: list[Document]) -> str:
    result = run(docs)
    return json.dumps(
        {
            "dropped": {
                k: [v.duplicate_of, v.kind, v.jaccard, v.containment]
                for k, v in sorted(result.dropped.items())
            },
            "kept": {k: [v.also_printed_in, v.merge] for k, v in sorted(result.kept.items())},
        },
        sort_keys=True,
    )


def test_results_do_not_depend_on_input_order():
    docs = page_stories() + [
        doc(f"t{i}", d.text[: len(d.text) // 2]) for i, d in enumerate(page_stories())
    ]
    expected = decisions_json(docs)
    for seed in range(3):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        assert decisions_json(shuffled) == expected


def test_results_do_not_depend_on_the_text_batches(monkeypatch):
    # Texts are read back in batches bounded by stories and by characters; the smallest
    # batches (one story, or one pair) must decide exactly as one batch does.
    import pipeline.dedup.verify as verify

    docs = page_stories() + [
        doc(f"t{i}", d.text[: len(d.text) // 2]) for i, d in enumerate(page_stories())
    ]
    expected = decisions_json(docs)
    assert run(docs, replace(CFG, verify_batch=2)).dropped == run(docs).dropped
    monkeypatch.setattr(verify, "VERIFY_CHARS", 1)
    assert decisions_json(docs) == expected


def test_results_do_not_depend_on_the_hash_seed():
    script = (
        "import sys; sys.path.insert(0, 'tests'); import test_dedup as t\n"
        "docs = t.page_stories() + [t.doc(f'c{i}', d.text[: len(d.text) * 2 // 3])"
        " for i, d in enumerate(t.page_stories())]\n"
        "print(t.decisions_json(docs))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["dropped"]


# --- Storage and the incremental index ------------------------------------------------------


def test_sketches_round_trip_without_pickle(tmp_path):
    table = sketch_table(page_stories(), CFG)
    with (tmp_path / "unit.npz").open("wb") as handle:
        save_sketches(handle, table)
    loaded = load_sketches(tmp_path / "unit.npz")
    for name, array in table.to_arrays().items():
        assert np.array_equal(array, loaded.to_arrays()[name]), name
    assert loaded.id(0) == "wd-hubei"
    with np.load(tmp_path / "unit.npz", allow_pickle=False) as raw:
        assert all(raw[name].dtype != object for name in raw.files)


def test_index_stays_small_per_story():
    docs = [  # ids as the run makes them, ten stories a page
        Document(
            f"workers-daily-2017-08-page-6ed0{i // 10:04d}-s{i % 10:02d}",
            d.text,
            f"workers-daily/2017/08/{i // 10:04d}-page.txt",
            "utf_8",
        )
        for i, d in enumerate(page_stories() * 10)
    ]
    table = sketch_table(docs, CFG)
    # 300 bytes a story before dates (296 here, with these long ids); a date costs 4 more.
    assert table.nbytes / len(table) <= 304


def test_incremental_run_drops_new_copies_of_old_stories(tmp_path):
    old_docs = page_stories()
    old = sketch_table(old_docs, CFG)
    old_result = decide(old, CFG, lambda rows: [old_docs[int(r)].text for r in rows])
    kept_rows = np.array([i for i, d in enumerate(old_docs) if d.id not in old_result.dropped])
    write_index(tmp_path, old.select(kept_rows), CFG)
    index, _ = load_index(tmp_path, CFG, KEY_VERSION)
    assert len(index) == len(old_docs) - 1
    old_kept = [old_docs[i] for i in kept_rows.tolist()]
    full = old_docs[2]
    new_docs = [
        doc("new-a", full.text[: len(full.text) // 2], title="更好的标题"),
        doc("new-b", "本报讯（记者）" + "全新的报道内容，与旧语料无关。" * 8),
        doc("new-c", old_docs[0].text + "（新华社）", title="长一点的新版本"),
    ]
    table = SketchTable.concat([index, sketch_table(new_docs, CFG)])
    texts = [d.text for d in old_kept] + [d.text for d in new_docs]
    result = decide(table, CFG, lambda rows: [texts[int(r)] for r in rows], frozen=len(index))
    assert {k: v.duplicate_of for k, v in result.dropped.items()} == {
        "new-a": full.id,
        "new-c": old_docs[0].id,
    }
    assert result.kept[full.id].merge == ()  # the earlier corpus is never rewritten


def test_index_made_with_other_settings_is_refused(tmp_path):
    write_index(tmp_path, sketch_table(page_stories()[:2], CFG), CFG)
    with pytest.raises(PipelineError, match="other settings"):
        load_index(tmp_path, replace(CFG, ngram=5), KEY_VERSION)
    with pytest.raises(PipelineError, match="no readable dedup index"):
        load_index(tmp_path / "missing", CFG, KEY_VERSION)


def test_load_texts_must_return_what_was_sketched():
    docs = page_stories()[:2]
    twin = doc("twin", docs[0].text[:-40])
    table = sketch_table([*docs, twin], CFG)
    with pytest.raises(PipelineError, match="unlike its sketch"):
        decide(table, CFG, lambda rows: ["别的文字" for _ in rows])


def test_config_is_validated():
    with pytest.raises(ConfigError, match=r"bands x dedup\.rows"):
        DedupConfig(bands=30, rows=5)
    with pytest.raises(ConfigError, match="min_key_length"):
        DedupConfig(min_key_length=3)


def test_sketch_records_best_copy_features():
    s = sketch(doc("a", "劳模\n智慧\ufffd" * 10, title="标题", truncated=True, byline="某"), CFG)
    assert s.defects == 20
    assert s.key_length == 40  # U+FFFD is a defect, not key content
    assert s.flags & 1 and s.flags & 2 and not s.flags & 4


# --- Library use and properties --------------------------------------------------------------


def test_deduplicator_matches_the_corpus_path():
    docs = page_stories()
    dd = Deduplicator()
    decisions = {d.id: dd.add(d.id, d.text) for d in docs}
    assert {k: v.duplicate_of for k, v in decisions.items() if v} == {"wd-youxi-2": "wd-youxi-1"}
    assert len(dd) == len(docs) - 1
    with pytest.raises(ValueError, match="already added"):
        dd.add("wd-hubei", "任何文字")


TEXT = st.text(alphabet=st.sampled_from("劳模智慧培育新工匠尤溪县，。“”A1 \n"), max_size=80)


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, max_size=12), st.randoms(use_true_random=False))
def test_dedup_properties(texts, rnd):
    base = page_stories()[0].text
    texts = texts + [base + t for t in texts[:3]] + [base]
    docs = [doc(f"d{i:02d}", t) for i, t in enumerate(texts)]
    out = list(drop_duplicates(docs, CFG, Stats(), removed := []))
    kept_ids = [d.id for d in out]
    assert sorted(kept_ids + [d.id for d, _ in removed]) == sorted(d.id for d in docs)
    assert kept_ids == [d.id for d in docs if d.id in set(kept_ids)]  # order preserved
    keys = {}
    for d in out:
        key = dedup_key(d.text)
        assert not key or key not in keys, "identical keys must collapse"
        keys[key] = d.id


def test_sketch_table_batch_equals_sketch_per_story():
    stories = [*page_stories(), doc("tw", "尤溪縣總工會「量身定制」的５家勞模工作室\ufffd\n培育")]
    table = sketch_table(stories, CFG)
    for row, story in enumerate(stories):
        one = sketch(story, CFG)
        assert table.key_length[row] == one.key_length == len(dedup_key(story.text))
        assert table.digests[row].tobytes() == one.digest
        assert (table.bands[:, row] == one.bands).all()
        assert (table.defects[row], table.flags[row]) == (one.defects, one.flags)


def test_a_copy_that_lost_its_byline_never_wins_by_numbers():
    # A reprint that dropped the byline, printed twice, must not outvote the original:
    # the copy with more credits (byline, reporters, caption) is the more complete one.
    text = page_stories()[2].text
    docs = [
        doc("a", text, title="标题"),  # reprints without the byline...
        doc("b", text.replace("，", ","), title="标题"),
        doc("c", text, title="标题", byline="孙富常"),  # ...and the original
        doc("d", text[:-3], title="标题"),
    ]
    result = run(docs)
    assert [d.id for d in docs if d.id not in result.dropped] == ["c"]
    assert result.kept["c"].merge == ()


def test_deduplicator_add_teaches_what_text_it_takes():
    # Issue #17 item 12: add("x", None) raised "sequence item 0: expected str instance".
    dd = Deduplicator()
    for bad in (None, "本报讯".encode()):
        with pytest.raises(
            TypeError, match=r"takes the story's text as a str, got (NoneType|bytes)"
        ):
            dd.add("x", bad)  # type: ignore[arg-type]
    assert len(dd) == 0
