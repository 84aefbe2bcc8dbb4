"""Old-print variant glyphs fold to their standard forms, in the text and in the dedup key
(issue 18, part 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.dedup import dedup_key
from pipeline.text import fold_variants, variant_table, variants
from pipeline.text.variants import read_tongyong, tongyong

# A Republican-era sentence as old type prints it, and as today's type does.
OLD = "淸末民初，上海吿示囘收舊書，硏究所衞生科靑年職員鄕下槪不收費，卽日旣已施行。"
NEW = "清末民初，上海告示回收旧书，研究所卫生科青年职员乡下概不收费，即日既已施行。"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("淸吿囘硏衞靑鄕槪卽旣", "清告回研卫青乡概即既"),
        ("衛生", "衛生"),  # Big5 holds 衛: OpenCC's to convert, not ours
        ("乾坤，著名", "乾坤，著名"),  # GB 2312 / Big5 characters never fold
        ("本报讯，中文 ABC 123。", "本报讯，中文 ABC 123。"),
        ("王镕、李堃、陶喆、张淼", "王镕、李堃、陶喆、张淼"),  # standard name characters
    ],
    ids=["old-print", "big5-char", "ambiguous-in-opencc", "plain", "names"],
)
def test_fold_variants(raw: str, expected: str) -> None:
    assert fold_variants(raw) == expected


def test_the_table_is_derived_and_one_to_one() -> None:
    for script, charset in (("simplified", "gb2312"), ("traditional", "big5")):
        table = variant_table(script)
        assert len(table) > 1000  # derived from the data, not a hand list
        assert all(len(v) == 1 for v in table.values())
        for glyph, standard in table.items():
            standard.encode(charset)  # the standard form is the charset's
            with pytest.raises(UnicodeEncodeError):
                chr(glyph).encode(charset)


UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")


@pytest.mark.skipif(not UNIHAN.exists(), reason="Debian's unicode-data is not installed")
def test_the_standard_character_table_is_unihans_ktgh() -> None:
    shipped = (Path(variants.__file__).parent / variants.TONGYONG).read_text("utf-8").strip()
    assert read_tongyong(UNIHAN) == shipped


def test_the_standard_character_table_has_8105_characters() -> None:
    assert len(tongyong()) == 8105 and "镕" in tongyong() and "淸" not in tongyong()


def test_folding_is_idempotent() -> None:
    once = fold_variants(OLD)
    assert fold_variants(once) == once


def test_the_dedup_key_folds_them_too() -> None:
    assert dedup_key(OLD) == dedup_key(NEW)


def test_an_old_print_page_comes_out_in_standard_glyphs(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    old = "舊書回收\n\n" + OLD.replace("旧书", "舊書") + "\n"
    (root / "minguo.txt").write_text(old, encoding="utf-8")
    (root / "today.txt").write_text("旧书回收\n\n" + NEW + "\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["clean", "--input", str(root), "--output", str(out), "--quiet", "--workers", "1"]
    assert main(args) == 0
    (kept,) = [json.loads(x) for x in (out / "corpus.jsonl").read_text("utf-8").splitlines()]
    (removed,) = [json.loads(x) for x in (out / "duplicates.jsonl").read_text("utf-8").splitlines()]
    assert removed["kind"] == "exact"  # one key: the same text in old and new type
    old_copy = kept if kept["metadata"]["source"] == "minguo.txt" else removed
    assert old_copy["text"] == NEW
    assert old_copy["metadata"]["steps"] == ["convert.t2s", "variants"]
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["counts"]["variants"] == 1
    assert main([*args[:-2], "--set", "convert.variants=false", "--workers", "1"]) == 0
    lines = [*(out / "corpus.jsonl").read_text("utf-8").splitlines()]
    lines += (out / "duplicates.jsonl").read_text("utf-8").splitlines()
    assert any("淸末" in json.loads(x)["text"] for x in lines)  # the switch turns it off
