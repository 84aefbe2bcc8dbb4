"""Write the small sample pages in ``data/raw/samples/``, one per encoding we support.

The texts are our own, written for these samples. Each entry gives the file name, the codec
its bytes are written in, and the text it must decode to; ``tests/test_samples.py`` checks
the committed files against this table. Run ``python data/make_samples.py`` to rewrite them.
"""

from __future__ import annotations

import codecs
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).parent / "raw" / "samples"

UTF8_BOM = """\
社区图书馆延长开放时间

本报讯（记者王晓燕）为方便上班族借阅，市图书馆各社区分馆自9月1日起延长开放时间，工作日晚间开放至21时。

据介绍，今年以来全市社区分
馆共接待读者12.6万人次，借阅图书31万册，“夜间书房”成为不少年轻人下班后的去处。
"""

# 镕 and 堃 are outside GB2312; 𠀀 (U+20000) and 㐀 (U+3400) are four-byte GB18030.
GB18030_RARE = """\
技术能手王镕获评省级劳模

本报讯（通讯员李堃）近日，省总工会公布新一批省级劳动模范名单，某机械厂高级技师王镕榜上有名。

王镕从事数控加工二十年，带出徒弟四十余人，攻克技术难题十七项。他出生在𠀀家坳，村名里的“𠀀”字连厂里的电脑都打不出来，人事档案上一直手写。同村的㐀姓人家也有这样的烦恼。
"""

GBK_BRIEF = """\
快递小哥有了“暖心驿站”

本报讯 记者从市总工会获悉，全市首批30家户外劳动者服务站日前投入使用，为快递员、环卫工人等提供饮水、休息、充电等服务。

市总工会有关负责人表示，年底前服务站将增加到100家，覆盖主要商圈和交通枢纽。
"""

# Too short to detect on its own: it takes the codec of the other files in its folder.
GBK_SHORT = "图为新建成的社区图书馆。\n"

# Traditional script as a Hong Kong paper prints it, with the HKSCS character 𨋢 (lift).
BIG5_HKSCS = """\
香港電車更新車隊

本報訊　香港電車公司昨日宣佈，明年起分批更新車隊，新車設有較寬敞的車廂及更多扶手。

該公司表示，部分車站將加裝升降機（俗稱「𨋢」），方便長者及輪椅使用者上落。
"""

UTF16_BOM = """\
高温天气送清凉

本报讯（记者刘建国）连日来持续高温，市总工会组织20支慰问队伍深入建筑工地、环卫站点，为一线职工送去防暑降温物品。

慰问队伍还向职工宣传防暑知识，提醒用人单位合理调整作息时间。
"""

UTF16_NO_BOM = """\
职工书屋添新书

本报讯 近日，区总工会向辖区内25家企业职工书屋配送图书5000余册，涵盖技能培训、法律知识、文学历史等类别。
"""

CRLF = (
    "夜校开课了\r\n"
    "\r\n"
    "本报讯（记者陈思远）9月5日晚，市职工夜校秋季班开课，首批开设插花、摄影、短视频制作等12门课程，"
    "500余名职工报名参加。\r\n"
    "\r\n"
    "夜校负责人说，课程全部免费，学员可通过\r\n"
    "工会App在线选课。\r\n"
)

# One stray byte in otherwise valid UTF-8, at a known offset.
INVALID_OFFSET = 300
INVALID_BASE = """\
环卫工人爱心早餐

本报讯 每天清晨5点30分，城区12家爱心早餐店准时为环卫工人送上热腾腾的早餐。这项活动由区总工会联合爱心企业发起，已坚持三年，累计提供早餐20余万份。

不少市民也加入进来，有人捐款，有人当志愿者，让这份温暖延续下去。
"""

SAMPLES: dict[str, tuple[str, str]] = {
    "utf8-bom.txt": ("utf_8_sig", UTF8_BOM),
    "gb18030-rare-characters.txt": ("gb18030", GB18030_RARE),
    "gbk-brief.txt": ("gbk", GBK_BRIEF),
    "gbk-short-caption.txt": ("gbk", GBK_SHORT),
    "big5-hkscs-traditional.txt": ("big5hkscs", BIG5_HKSCS),
    "utf16le-bom.txt": ("utf_16", UTF16_BOM),  # Python's utf_16 writes a LE BOM here
    "utf16le-no-bom.txt": ("utf_16_le", UTF16_NO_BOM),
    "crlf-line-endings.txt": ("utf_8", CRLF),
}


def invalid_bytes() -> bytes:
    data = INVALID_BASE.encode("utf-8")
    # Insert just before a character boundary so that only the inserted byte is invalid.
    cut = INVALID_OFFSET
    while data[cut] & 0xC0 == 0x80:
        cut += 1
    assert cut == INVALID_OFFSET, "choose an offset on a character boundary"
    return data[:cut] + b"\xff" + data[cut:]


def tiny_png() -> bytes:
    """A 1x1 white PNG: a page scan that slipped into the text dump."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for name, (codec, text) in SAMPLES.items():
        (HERE / name).write_bytes(codecs.encode(text, codec))
    (HERE / "invalid-byte-at-300.txt").write_bytes(invalid_bytes())
    (HERE / "page-scan.png").write_bytes(tiny_png())


if __name__ == "__main__":
    main()
