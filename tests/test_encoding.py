from __future__ import annotations

import codecs

import pytest

from pipeline.config import EncodingConfig
from pipeline.document import Quarantined, RawFile, Stats
from pipeline.errors import DecodeError
from pipeline.text.charstats import foreign_share, plausibility
from pipeline.text.decoding import decode, majority_codec
from pipeline.text.encoding import decode_bytes
from pipeline.text.mojibake import repair_mojibake

SIMPLIFIED = (
    "本报讯（记者邹明强）湖北省委、省政府日前下发《湖北省产业工人队伍建设改革实施方案》，"
    "明确要求坚持党委统一领导。"
)
TRADITIONAL = (
    "本報訊（記者鄒明強）湖北省委、省政府日前下發《湖北省產業工人隊伍建設改革實施方案》，"
    "明確要求堅持黨委統一領導。"
)
JAPANESE = "東京都は今日、新しい図書館を開館しました。多くの市民が訪れ、本を借りていきました。"
KOREAN = "서울시는 오늘 새로운 도서관을 열었습니다. 많은 시민들이 방문해 책을 빌려 갔습니다."


def reason(data: bytes, cfg: EncodingConfig | None = None) -> tuple[str, int | None]:
    with pytest.raises(DecodeError) as err:
        decode_bytes(data, cfg)
    return err.value.reason, err.value.offset


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf_8_sig", "utf_8"),
        ("utf_16", "utf_16_le"),
        ("utf_16_be", "utf_16_be"),
        ("utf_32", "utf_32_le"),
        ("utf_32_be", "utf_32_be"),
    ],
)
def test_bom_decides(codec: str, expected: str) -> None:
    data = codecs.encode(SIMPLIFIED, codec)
    if codec in ("utf_16_be", "utf_32_be"):
        data = codecs.BOM_UTF16_BE + data if codec == "utf_16_be" else codecs.BOM_UTF32_BE + data
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding, decoded.method) == (SIMPLIFIED, expected, "bom")


@pytest.mark.parametrize(
    "data",
    [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b" \n\t\r\n", "\u3000\n".encode()],
    ids=["empty", "utf8-bom-only", "utf16-bom-only", "whitespace", "ideographic-space"],
)
def test_empty_files_are_empty(data: bytes) -> None:
    assert reason(data)[0] == "empty"


def test_strict_utf8_and_ascii() -> None:
    assert decode_bytes(SIMPLIFIED.encode()).method == "utf-8"
    assert decode_bytes(b"Workers' Daily, page 3\n").encoding == "utf_8"


@pytest.mark.parametrize("codec", ["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"])
def test_wide_encodings_without_bom(codec: str) -> None:
    decoded = decode_bytes(SIMPLIFIED.encode(codec))
    assert (decoded.text, decoded.encoding) == (SIMPLIFIED, codec)


def test_short_utf16_without_bom_is_not_called_binary() -> None:
    # Chinese UTF-16 has no NUL bytes at all; ASCII UTF-16 has half NULs (BAD-INPUTS row 8).
    assert decode_bytes("湖北省产业工人".encode("utf_16_le")).encoding == "utf_16_le"
    assert decode_bytes("Page 3: 湖北".encode("utf_16_le")).encoding == "utf_16_le"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" * 4,
        bytes(range(256)) * 4,
    ],
    ids=["png", "gif", "zip", "all-bytes"],
)
def test_binary_is_quarantined_before_any_guess(data: bytes) -> None:
    assert reason(data)[0] == "binary"


def test_one_nul_is_not_binary() -> None:
    decoded = decode_bytes(("湖北" * 200 + "\x00" + "江西" * 200).encode())
    assert "\x00" in decoded.text  # removed and counted later, by normalize


def test_invalid_byte_reports_its_offset_and_the_remedy_when_quarantined() -> None:
    data = SIMPLIFIED.encode() * 4
    bad = data[:300] + b"\xff" + data[300:]
    cfg = EncodingConfig(on_invalid="quarantine")
    assert reason(bad, cfg) == ("invalid-bytes", 300)
    with pytest.raises(DecodeError, match=r'encoding\.on_invalid = "replace" decodes sparse'):
        decode_bytes(bad, cfg)


def test_a_stray_byte_is_replaced_and_counted_by_default() -> None:
    # Issue #17 item 2: one 0x80 in a 2.5 MB page quarantined the whole page.
    data = SIMPLIFIED.encode() * 4
    bad = data[:300] + b"\x80" + data[300:]
    decoded = decode_bytes(bad)
    assert (decoded.replacements, decoded.replaced_at) == (1, (100,))
    assert decoded.text == (SIMPLIFIED * 4)[:100] + "\ufffd" + (SIMPLIFIED * 4)[100:]
    assert (decoded.encoding, decoded.method) == ("utf_8", "damaged-utf-8")
    big = SIMPLIFIED.encode() * 30_000  # 2.6 MB
    page = big[:1_300_005] + b"\x80" + big[1_300_005:]
    assert decode_bytes(page).replacements == 1


def test_adjacent_bad_bytes_are_one_replacement() -> None:
    data = SIMPLIFIED.encode() * 40
    decoded = decode_bytes(data[:300] + b"\xff\xfe\x80" + data[300:])
    assert decoded.replacements == 1 and decoded.text.count("\ufffd") == 1


def test_dense_damage_is_quarantined_at_the_first_bad_byte() -> None:
    data = SIMPLIFIED.encode() * 4  # 660 bytes: one flaw allowed, two are too many
    bad = data[:30] + b"\xff" + data[30:300] + b"\xff" + data[300:]
    assert reason(bad) == ("invalid-bytes", 30)
    with pytest.raises(
        DecodeError,
        match=r"2 invalid sequences in 662 bytes, more than one "
        r"per 4,096 \(encoding.min_bytes_per_invalid\)",
    ):
        decode_bytes(bad)
    assert decode_bytes(bad, EncodingConfig(min_bytes_per_invalid=1)).replacements == 2


def test_a_legacy_page_with_a_stray_byte_is_replaced_too() -> None:
    data = (SIMPLIFIED * 3).encode("gb18030")
    decoded = decode_bytes(data[:60] + b"\xff" + data[60:])
    assert (decoded.encoding, decoded.replacements) == ("gb18030", 1)
    assert decoded.text.replace("\ufffd", "") == SIMPLIFIED * 3


def test_mixed_utf8_and_gb18030_lines_each_decode_with_their_codec() -> None:
    utf8_part = (SIMPLIFIED * 4)[:200]
    gb_part = "内蒙古工会全方位帮扶困难职工，把精准贯穿解困脱困全过程。" * 7
    data = utf8_part.encode() + b"\n" + gb_part.encode("gb18030") + b"\n"
    decoded = decode_bytes(data)
    assert decoded.text == f"{utf8_part}\n{gb_part}\n"
    assert (decoded.encoding, decoded.method) == ("utf_8+gb18030", "mixed")


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (TRADITIONAL, "big5", "big5hkscs"),
        ("技师王镕、通讯员李堃：" + SIMPLIFIED, "gbk", "gb18030"),
        ("𠀀家坳的㐀姓人家。" + SIMPLIFIED, "gb18030", "gb18030"),
        ("加裝升降機（俗稱「𨋢」）。" + TRADITIONAL, "big5hkscs", "big5hkscs"),
    ],
    ids=["gb2312", "gbk", "big5", "gbk-not-gb2312", "gb18030-4-byte", "hkscs"],
)
def test_legacy_codecs_decide_by_content(text: str, codec: str, expected: str) -> None:
    decoded = decode_bytes(text.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.method) == (text, expected, "detected")


def test_gb_and_big5_both_decode_and_the_better_reading_wins() -> None:
    # Every byte pair of this GB text is also valid Big5: scoring must pick GB.
    text = "本报讯记者邹明强湖北省委省政府日前下发"
    data = text.encode("gb18030")
    assert data.decode("big5hkscs")  # the wrong reading exists...
    assert decode_bytes(data).encoding == "gb18030"  # ...and loses


def test_short_legacy_file_takes_its_folder_codec() -> None:
    data = "图为新建成的社区图书馆。".encode("gbk")
    decoded = decode_bytes(data, folder_codec="gb18030")
    assert (decoded.text, decoded.method) == ("图为新建成的社区图书馆。", "folder")


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (JAPANESE, "euc_jp"),
        (JAPANESE, "shift_jis"),
        (JAPANESE, "utf_8"),
        (JAPANESE, "iso2022_jp"),
        (KOREAN, "euc_kr"),
        (KOREAN, "utf_8"),
    ],
)
def test_japanese_and_korean_pages_are_not_chinese(text: str, codec: str) -> None:
    assert reason((text * 3).encode(codec))[0] == "not-chinese"


def test_bytes_only() -> None:
    with pytest.raises(TypeError, match=r"normalize_text\(\)"):
        decode_bytes("湖北")  # type: ignore[arg-type]


def test_foreign_share_and_plausibility() -> None:
    assert foreign_share(SIMPLIFIED) == 0.0
    assert foreign_share(KOREAN) == 1.0
    assert plausibility(SIMPLIFIED) > 0.95
    assert plausibility(SIMPLIFIED.encode("utf-8").decode("gb18030", "replace")) < 0.5


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("鍒犻櫎鏂囦欢", "删除文件"),
        ("ä¸­æ–‡æŠ¥çº¸", "中文报纸"),
        ("第一行正常\n鍒犻櫎鏂囦欢", "第一行正常\n删除文件"),
    ],
    ids=["utf8-as-gbk", "utf8-as-cp1252", "one-line-of-two"],
)
def test_repair_mojibake(broken: str, fixed: str) -> None:
    assert repair_mojibake(broken) == fixed


@pytest.mark.parametrize(
    "text",
    [
        SIMPLIFIED,
        TRADITIONAL,
        "政府有关部门各司其职，工会",
        "1.6亿元、K154/152/3次、COVID-19",
        "Café au lait, naïve résumé",
        "ЧӦ",
        "鍒",  # one character that happens to re-encode: not better Chinese, left alone
        "",
    ],
)
def test_repair_mojibake_leaves_correct_text_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def test_decode_stage_quarantines_with_offset_and_goes_on() -> None:
    data = SIMPLIFIED.encode() * 4
    raws = [
        RawFile("a/good.txt", SIMPLIFIED.encode("gb18030")),
        RawFile("a/bad.txt", data[:300] + b"\xff" + data[300:]),
        RawFile("a/scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        RawFile("a/mojibake.txt", "鍒犻櫎鏂囦欢".encode()),
    ]
    stats = Stats()
    quarantine: list[Quarantined] = []
    docs = list(decode(raws, EncodingConfig(on_invalid="quarantine"), stats, quarantine))
    assert [d.source for d in docs] == ["a/good.txt", "a/mojibake.txt"]
    assert docs[0].encoding == "gb18030" and docs[0].text == SIMPLIFIED
    assert docs[1].text == "删除文件" and docs[1].steps == ("repair_mojibake",)
    assert [(q.path, q.reason, q.offset) for q in quarantine] == [
        ("a/bad.txt", "invalid-bytes", 300),
        ("a/scan.png", "binary", None),
    ]
    assert stats.chars["decoded"] == len(SIMPLIFIED) + len("鍒犻櫎鏂囦欢")
    assert stats.chars["repair_mojibake"] == 2  # six mojibake characters became four


def test_majority_codec() -> None:
    assert majority_codec(["gb18030", "utf_8", "gb18030", "big5hkscs"]) == "gb18030"
    assert majority_codec(["big5hkscs", "gb18030"]) == "big5hkscs"  # tie: sorted order
    assert majority_codec(["utf_8"]) is None
