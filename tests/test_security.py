"""Nothing in the input (file names, content, records, an index) can make the run write
outside its output folder, run code, or follow links out of the input folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import DedupConfig, load_config
from pipeline.dedup.index import INDEX_JSON, INDEX_NPZ, index_settings, load_index
from pipeline.dedup.stage import KEY_VERSION
from pipeline.engine.run import run_pipeline
from pipeline.errors import PipelineError
from tests.stories import STORIES

SAFE_ID = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def everything_under(root: Path) -> set[Path]:
    return set(root.rglob("*"))


def test_hostile_names_and_ids_stay_inside_the_output(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "a").mkdir(parents=True)
    (src / "a" / "..%2F..%2Fetc%2Fpasswd.txt").write_text(STORIES[0], encoding="utf-8")
    (src / "a" / "name\nwith\nnewlines.txt").write_text(STORIES[1], encoding="utf-8")
    (src / os.fsdecode(b"bytes-\xff\xfe.txt")).write_text(STORIES[2], encoding="utf-8")
    records = [
        {"id": "../../../tmp/evil", "text": STORIES[3]},
        {"id": "/etc/shadow", "text": STORIES[4]},
    ]
    (src / "records.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    before = (
        everything_under(tmp_path) - everything_under(out)
        if out.exists()
        else everything_under(tmp_path)
    )
    run_pipeline(
        load_config(None, [f'input.root="{src}"', f'output.root="{out}"', "run.workers=1"])
    )
    created = everything_under(tmp_path) - before
    assert all(out in p.parents or p == out for p in created), created
    for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        story_id = json.loads(line)["id"]
        assert "/" not in story_id and ".." not in story_id
        assert set(story_id) <= SAFE_ID | {chr(c) for c in range(0x3400, 0xA000)}, story_id


def test_links_out_of_the_input_are_not_followed(tmp_path: Path) -> None:
    src, secret = tmp_path / "in", tmp_path / "secret"
    src.mkdir()
    secret.mkdir()
    (secret / "password.txt").write_text("本报讯 机密文件不应进入语料库。" * 5, encoding="utf-8")
    (src / "link.txt").symlink_to(secret / "password.txt")
    (src / "dir").symlink_to(secret)
    run_pipeline(
        load_config(
            None, [f'input.root="{src}"', f'output.root="{tmp_path / "out"}"', "run.workers=1"]
        )
    )
    assert (tmp_path / "out" / "corpus.jsonl").read_text(encoding="utf-8") == ""
    reasons = [
        json.loads(line)["reason"]
        for line in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()
    ]
    assert reasons == ["symlink-outside-input", "symlink-outside-input"]


def test_an_index_holding_pickled_objects_is_refused(tmp_path: Path) -> None:
    cfg = DedupConfig()
    header = {"settings": index_settings(cfg, KEY_VERSION), "stories": 1}
    (tmp_path / INDEX_JSON).write_text(json.dumps(header), encoding="utf-8")
    with (tmp_path / INDEX_NPZ).open("wb") as handle:  # an object array needs pickle to load
        np.savez(handle, ids=np.array([object()], dtype=object))
    with pytest.raises(PipelineError, match="no readable dedup index"):
        load_index(tmp_path, cfg, KEY_VERSION)


def test_config_values_are_validated_not_evaluated(tmp_path: Path) -> None:
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError):
        load_config(None, ["dedup.num_perm=__import__('os').system('true')"])
    cfg = load_config(None, ["output.root=__import__('os')"])  # a bare word is only a string
    assert cfg.output.root == "__import__('os')"
