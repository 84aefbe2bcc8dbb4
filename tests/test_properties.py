"""Invariants over generated text (hypothesis)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.text.mojibake import repair_mojibake
from pipeline.text.normalization import RULES, normalize_text

# Han, full- and half-width punctuation, ASCII letters and digits, spaces and breaks,
# controls and invisible characters: the mix a page dump holds.
PIECES = st.sampled_from(
    list("湖北省产业工人队伍建设改革方案本报讯记者邹明强內蒙古工會")
    + list("，。、；：？！（）“”《》…—　")
    + list(",.;:?!()\"'-+/%@")
    + list("abcXYZ0123456789ＡＢＣ０１２")
    + list("{}`_")  # code: calls, JSON objects, inline code (pipeline.text.code)
    + [
        "\u00a0",  # no-break space
        "\u2003",  # em space
        " ",
        " ",
        "\t",
        "\n",
        "\n",
        "\r\n",
        "\r",
        "\x00",
        "\x1b",
        "\u200b",
        "\ufeff",
        "\u2028",
        "\ud800",
        "\x85",
    ]
)
TEXT = st.lists(PIECES, max_size=80).map("".join)

TARGETED = {  # for each rule, the characters it may change; text without them is untouched
    "line_endings": set("\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e"),
    "invisible": set("\u200b\u2060\ufeff"),
    "controls": {chr(c) for c in (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0))},
    "surrogates": {chr(c) for c in range(0xD800, 0xE000)},
    "width": set("ＡＢＣ０１２"),
    "punctuation": set(",;:?!()"),
    "quotes": set('"'),
    "spaces": set(" \t\u00a0\u1680\u202f\u205f") | {chr(c) for c in range(0x2000, 0x200B)},
}


@given(TEXT)
@example("，,\n,")  # a mark whose neighbour converts in the same pass (found by hypothesis)
@example("1,\n,湖")
@example('""湖""')  # a quote pair that forms only once the inner one is curled
@example(",\n\t\n湖")  # a tab-only line that the spaces rule empties after punctuation ran
def test_every_rule_is_idempotent(text: str) -> None:
    for _, rule in RULES:
        once = rule(text)
        assert rule(once) == once
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(TEXT)
def test_rules_never_change_text_without_their_target_characters(text: str) -> None:
    for switch, rule in RULES:
        if not set(text) & TARGETED[switch]:
            assert rule(text) == text, switch


@given(TEXT)
def test_normalisation_never_adds_non_space_text_or_reorders_han(text: str) -> None:
    out = normalize_text(text)
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    assert [c for c in out if "\u4e00" <= c <= "\u9fff"] == han
    assert len(out) <= len(text)


@given(TEXT)
def test_mojibake_repair_is_stable(text: str) -> None:
    once = repair_mojibake(text)
    assert repair_mojibake(once) == once
