"""The committed sample pages decode to exactly the text they were written from."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.config import EncodingConfig
from pipeline.errors import DecodeError
from pipeline.text.encoding import decode_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "data" / "raw" / "samples"


def _load_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "data" / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SAMPLES = _load_samples()

EXPECTED_CODEC = {
    "utf8-bom.txt": ("utf_8", "bom"),
    "gb18030-rare-characters.txt": ("gb18030", "detected"),
    "gbk-brief.txt": ("gb18030", "detected"),
    "gbk-short-caption.txt": ("gb18030", "folder"),
    "big5-hkscs-traditional.txt": ("big5hkscs", "detected"),
    "utf16le-bom.txt": ("utf_16_le", "bom"),
    "utf16le-no-bom.txt": ("utf_16_le", "utf-16"),
    "crlf-line-endings.txt": ("utf_8", "utf-8"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES.SAMPLES))
def test_sample_decodes_to_its_text(name: str) -> None:
    _, text = SAMPLES.SAMPLES[name]
    decoded = decode_bytes(
        (SAMPLES_DIR / name).read_bytes(), EncodingConfig(), folder_codec="gb18030"
    )
    assert decoded.text == text
    assert (decoded.encoding, decoded.method) == EXPECTED_CODEC[name]


def test_committed_samples_are_what_the_script_writes() -> None:
    for name, (codec, text) in SAMPLES.SAMPLES.items():
        assert (SAMPLES_DIR / name).read_bytes() == text.encode(codec), name
    assert (SAMPLES_DIR / "invalid-byte-at-300.txt").read_bytes() == SAMPLES.invalid_bytes()
    assert (SAMPLES_DIR / "page-scan.png").read_bytes() == SAMPLES.tiny_png()


def test_gb18030_sample_holds_characters_outside_gb2312() -> None:
    data = (SAMPLES_DIR / "gb18030-rare-characters.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")  # 𠀀 and 㐀 are four-byte GB18030
    big5 = (SAMPLES_DIR / "big5-hkscs-traditional.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        big5.decode("big5")  # 𨋢 is HKSCS only


@pytest.mark.parametrize(
    ("name", "reason", "offset", "cfg"),
    [
        ("invalid-byte-at-300.txt", "invalid-bytes", 300, EncodingConfig(on_invalid="quarantine")),
        ("page-scan.png", "binary", None, EncodingConfig()),
    ],
)
def test_bad_samples_are_refused_with_reason_and_offset(
    name: str, reason: str, offset: int | None, cfg: EncodingConfig
) -> None:
    with pytest.raises(DecodeError) as err:
        decode_bytes((SAMPLES_DIR / name).read_bytes(), cfg)
    assert (err.value.reason, err.value.offset) == (reason, offset)


def test_the_stray_byte_sample_decodes_with_one_replacement_by_default() -> None:
    decoded = decode_bytes((SAMPLES_DIR / "invalid-byte-at-300.txt").read_bytes())
    assert (decoded.method, decoded.replacements) == ("damaged-utf-8", 1)
