from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import ConvertConfig
from pipeline.document import Document, Stats
from pipeline.errors import ConfigError
from pipeline.text.conversion import (
    SOURCE_SCRIPT,
    Converter,
    available_configs,
    convert,
    detect_script,
    to_simplified,
)
from tests.conftest import PEER, peer_dir


def doc(text: str) -> Document:
    return Document("p", text, "a.txt", "big5hkscs")


def test_traditional_page_becomes_simplified_and_is_recorded() -> None:
    stats = Stats()
    (out,) = convert([doc("香港電車公司昨日宣佈，明年起分批更新車隊。")], ConvertConfig(), stats)
    assert out.text == "香港电车公司昨日宣布，明年起分批更新车队。"
    assert (out.script, out.steps) == ("traditional", ("convert.t2s",))
    assert stats.events["convert.t2s"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "湖北推出产业工人队伍建设改革方案",  # Simplified: not touched by t2s
        "Workers' Daily, 2017",  # no Han at all
        "",
    ],
)
def test_only_the_source_script_is_converted(text: str) -> None:
    (out,) = convert([doc(text)], ConvertConfig(), Stats())
    assert out.text == text and out.steps == ()


def test_none_skips_conversion_but_still_records_the_script() -> None:
    (out,) = convert([doc("內蒙古工會")], ConvertConfig(config="none"), Stats())
    assert (out.text, out.script) == ("內蒙古工會", "traditional")


def test_unknown_config_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown OpenCC config 't2x'"):
        Converter("t2x")
    assert {"t2s", "s2t", "tw2s", "hk2s"} <= set(available_configs())


def test_surrogates_never_reach_opencc() -> None:
    assert to_simplified("檢查\ud800產業") == "检查\ud800产业"


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("內蒙古工會全方位幫扶困難職工", "traditional"),
        ("内蒙古工会全方位帮扶困难职工", "simplified"),
        ("内蒙古工会 內蒙古工會", "mixed"),
        ("中文 ABC", "unknown"),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def _opencc_pairs() -> list[Any]:
    path = PEER / "opencc" / "testcases.json"
    if not path.exists():
        return [pytest.param(None, None, None, id="peer-suite-missing")]
    raw = path.read_text(encoding="utf-8")
    # Upstream's file has comments and trailing commas; its own test strips them the same way.
    raw = re.sub(r"//[^\n]*|/\*.*?\*/", "", raw, flags=re.S)
    raw = re.sub(r",(\s*[}\]])", r"\1", raw)
    cases = json.loads(raw)["cases"]
    return [
        pytest.param(c["input"], config, expected, id=f"{c['id']}-{config}")
        for c in cases
        for config, expected in sorted(c["expected"].items())
    ]


@pytest.mark.parametrize(("text", "config", "expected"), _opencc_pairs())
def test_opencc_pairs_through_the_converter(text: str | None, config: str, expected: str) -> None:
    if text is None:
        peer_dir("opencc")
        return
    assert to_simplified(text, config=config) == expected  # cached: one OpenCC per config


def test_opencc_pairs_through_the_convert_stage() -> None:
    # The stage converts a document only when it is in the config's source script; a pair
    # whose input is already in the target script must then come out unchanged, which
    # OpenCC's own expectation confirms for every pair where input == expected.
    pairs = [p.values for p in _opencc_pairs()]
    if pairs[0][0] is None:
        peer_dir("opencc")
    passed = skipped = 0
    for text, config, expected in pairs:
        (out,) = convert([doc(text)], ConvertConfig(config=config), Stats())
        if out.text == expected:
            passed += 1
        else:
            # Not converted because its script is not the config's source script.
            assert out.text == text and out.script != SOURCE_SCRIPT.get(config), (text, config)
            skipped += 1
    assert passed + skipped == len(pairs) == 543
    # 512 pass; the other 31 are inputs already in the target script (or without any
    # script-specific character), which the stage leaves alone by design.
    assert skipped <= 31, f"{skipped} pairs left unconverted by script detection"


def test_opencc_golden_document() -> None:
    golden = peer_dir("opencc") / "golden"
    text = (golden / "input" / "us_constitution_zhs.txt").read_text(encoding="utf-8")
    for out_file in sorted((golden / "output").glob("*.txt")):
        config = out_file.name.split(".")[1]
        (out,) = convert([doc(text)], ConvertConfig(config=config), Stats())
        assert out.text == out_file.read_text(encoding="utf-8"), config


def test_opencc_cli_edge_cases_hold_for_the_binding() -> None:
    cases = json.loads((peer_dir("opencc") / "cli-edge-cases.json").read_text(encoding="utf-8"))[
        "cases"
    ]
    checked = 0
    for case in cases:
        if not isinstance(case.get("input"), str) or "config" not in case:
            continue
        out = to_simplified(case["input"], config=case["config"])
        if "expected_output" in case:
            assert out == case["expected_output"], case["upstream_test"]
        for part in case.get("output_contains", []):
            assert part in out, case["upstream_test"]
        for part in case.get("output_not_contains", []):
            assert part not in out, case["upstream_test"]
        checked += 1
    assert checked >= 5


def test_doc_path_is_a_path() -> None:
    assert isinstance(PEER, Path)
