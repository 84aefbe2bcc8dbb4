from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config, load_config
from pipeline.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_lists_every_key_with_its_default() -> None:
    # The TOML file documents the defaults: loading it must equal the dataclass defaults.
    assert load_config(ROOT / "config" / "pipeline.toml") == Config()
    text = (ROOT / "config" / "pipeline.toml").read_text(encoding="utf-8")
    for section, values in Config().to_dict().items():
        assert f"[{section}]" in text
        for key in values:
            assert f"\n{key} =" in text, f"{section}.{key} missing from config/pipeline.toml"


@pytest.mark.parametrize(
    ("override", "check"),
    [
        ("dedup.threshold=0.85", lambda c: c.dedup.threshold == 0.85),
        ("convert.config=none", lambda c: c.convert.config == "none"),
        ("convert.config='s2t'", lambda c: c.convert.config == "s2t"),
        ("run.workers=3", lambda c: c.run.workers == 3),
        ('input.exclude=["*.png"]', lambda c: c.input.exclude == ("*.png",)),
        (
            "dedup.threshold=1",
            lambda c: c.dedup.threshold == 1.0 and isinstance(c.dedup.threshold, float),
        ),
    ],
    ids=["float", "bare-word", "quoted", "int", "list", "int-for-float"],
)
def test_overrides(override: str, check: object) -> None:
    cfg = load_config(None, [override])
    assert callable(check) and check(cfg)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("dedup.threshold=1.5", "dedup.threshold must be in (0, 1], got 1.5"),
        ("dedup.treshold=0.8", "unknown key dedup.treshold"),
        ("dedupe.threshold=0.8", "unknown section [dedupe]"),
        ("dedup.num_perm=many", "dedup.num_perm must be an integer, got 'many'"),
        ("normalize.width=1", "normalize.width must be true or false"),
        ("encoding.candidates=['latin_1']", "unsupported ['latin_1']"),
        ("encoding.on_invalid=ignore", "must be one of ['quarantine', 'replace']"),
        ("threshold=0.5", "--set expects SECTION.KEY=VALUE"),
        ("run.workers=-1", "run.workers must be >= 0"),
    ],
)
def test_bad_values_fail_with_a_message_that_teaches(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as err:
        load_config(None, [override])
    assert message in str(err.value)


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[dedup\nthreshold = 0.8\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(bad)


def test_effective_config_is_plain_json_data() -> None:
    data = Config().to_dict()
    assert data["encoding"]["candidates"] == ["utf_8", "gb18030", "big5hkscs", "utf_16", "utf_32"]
    assert data["dedup"]["scheme"] == "affine32"


def test_one_headline_section_is_what_both_stages_read() -> None:
    cfg = load_config(None, ["headline.max_width=40"])
    assert cfg.lines.headline.max_width == cfg.segment.headline.max_width == 40
    assert "headline" not in cfg.to_dict()["lines"]
    with pytest.raises(ConfigError, match=r"segment.max_heading_width is now headline.max_width"):
        load_config(None, ["segment.max_heading_width=40"])
