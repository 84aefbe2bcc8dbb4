"""Peer suites for decoding: charset-normalizer's test files and its coverage corpus.

Read from ../shared/peer (never copied here); each test skips with the reason when absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import DecodeError
from pipeline.text.encoding import decode_bytes
from tests.conftest import PEER, peer_dir

CHINESE_FOLDERS = ("big5", "gb2312", "gb18030")
UNICODE_FOLDERS = (
    "utf_8",
    "utf_16",
    "utf_16_be",
    "utf_16_le",
    "utf_32",
    "utf_32_be",
    "utf_32_le",
    "ascii",
)
FOREIGN_FOLDERS = (
    "euc_jp",
    "shift_jis",
    "cp932",
    "euc_kr",
    "cp949",
    "johab",
    "iso2022_jp",
    "iso2022_kr",
)

# GB2312 as Python decodes it differs from GB18030 in two mappings; GB18030's are the
# standard's own and what Chinese text means (—— is two EM DASHes, · a middle dot).
GB2312_TO_GB18030 = str.maketrans({"\u2015": "\u2014", "\u30fb": "\u00b7"})


def _files(folders: tuple[str, ...]) -> list[Any]:
    root = PEER / "char-dataset"
    if not root.is_dir():
        return [pytest.param(None, id="peer-suite-missing")]
    return [
        pytest.param(path, id=f"{path.parent.name}/{path.name}")
        for folder in folders
        for path in sorted((root / folder).glob("*"))
        if path.is_file()
    ]


def _folder_text(path: Path) -> str:
    codec = {"utf_16": "utf_16", "utf_32": "utf_32", "ascii": "utf_8"}.get(
        path.parent.name, path.parent.name
    )
    text = path.read_bytes().decode(codec)
    return text.removeprefix("\ufeff")


@pytest.mark.parametrize("path", _files(CHINESE_FOLDERS + UNICODE_FOLDERS))
def test_text_files_decode_to_their_folders_codec(path: Path | None) -> None:
    if path is None:
        peer_dir("char-dataset")
        return
    try:
        decoded = decode_bytes(path.read_bytes())
    except DecodeError as err:
        # Only non-Chinese pages may be refused, and only as what they are.
        assert path.parent.name == "utf_8" and err.reason == "not-chinese", err
        return
    assert decoded.text == _folder_text(path).translate(
        GB2312_TO_GB18030 if path.parent.name == "gb2312" else {}
    )


@pytest.mark.parametrize("path", _files(("None",)))
def test_binary_files_are_binary(path: Path | None) -> None:
    if path is None:
        peer_dir("char-dataset")
        return
    with pytest.raises(DecodeError) as err:
        decode_bytes(path.read_bytes())
    assert err.value.reason == "binary"


@pytest.mark.parametrize("path", _files(FOREIGN_FOLDERS))
def test_japanese_and_korean_pages_never_enter_as_chinese(path: Path | None) -> None:
    if path is None:
        peer_dir("char-dataset")
        return
    with pytest.raises(DecodeError) as err:
        decode_bytes(path.read_bytes())
    assert err.value.reason in ("not-chinese", "binary")


def test_charset_normalizer_chinese_sample() -> None:
    root = peer_dir("charset-normalizer")
    expected = json.loads((root / "expected.json").read_text(encoding="utf-8"))["cases"]
    chinese = [c for c in expected if c["language"] == "Chinese"]
    assert chinese
    for case in chinese:
        data = (root / case["file"]).read_bytes()
        decoded = decode_bytes(data)
        assert decoded.text == data.decode(case["encoding"])
        assert decoded.encoding == {"big5": "big5hkscs"}.get(case["encoding"], case["encoding"])


def _inline_cases() -> list[Any]:
    path = PEER / "charset-normalizer" / "inline-cases.json"
    if not path.exists():
        return [pytest.param(None, id="peer-suite-missing")]
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return [
        pytest.param(c, id=f"{c['test']}-{i}") for i, c in enumerate(cases) if "payload_hex" in c
    ]


@pytest.mark.parametrize("case", _inline_cases())
def test_charset_normalizer_inline_payloads(case: dict[str, Any] | None) -> None:
    if case is None:
        peer_dir("charset-normalizer")
        return
    data = bytes.fromhex(case["payload_hex"])
    expect = case["expect"]
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        if expect.get("is_binary"):
            assert err.reason == "binary"
        elif expect.get("decoded") == "" or not data:
            assert err.reason == "empty"
        else:
            # Refusing is fine for payloads that are not Chinese text (cp1251, cp949 snippets),
            # never for UTF text, which must decode.
            assert expect.get("best_encoding") not in ("utf_8", "utf_16", "utf_32", "ascii"), err
        return
    assert not expect.get("is_binary")
    if "decoded" in expect and expect.get("best_encoding") != "utf_7":
        assert decoded.text == expect["decoded"]
