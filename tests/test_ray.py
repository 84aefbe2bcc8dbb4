"""The Ray engine gives exactly the local engine's output (skipped without the ray extra)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import load_config
from pipeline.dedup.candidates import candidate_pairs
from pipeline.engine.run import output_files, run_pipeline
from tests.test_kill_resume import make_corpus

ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install '.[ray]')")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def local_ray():  # type: ignore[no-untyped-def]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def digests(cfg_overrides: list[str]) -> dict[str, str]:
    cfg = load_config(ROOT / "config" / "pipeline.toml", cfg_overrides)
    run_pipeline(cfg)
    out = Path(cfg.output.root)
    return {n: hashlib.sha256((out / n).read_bytes()).hexdigest() for n in output_files(cfg)}


@pytest.mark.usefixtures("local_ray")
def test_ray_engine_writes_the_local_engines_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    src = tmp_path / "in"
    make_corpus(src, 2000)
    (src / "seed").mkdir()
    (src / "seed" / "page.txt").write_bytes(
        (ROOT / "data" / "raw" / "workers-daily" / "2017-08-28-page.txt").read_bytes()
    )
    common = [f'input.root="{src}"', "run.workers=2", "run.unit_files=100"]
    local = digests([*common, f'output.root="{tmp_path / "local"}"'])
    on_ray = digests([*common, f'output.root="{tmp_path / "ray"}"', 'run.engine="ray"'])
    assert on_ray == local


@pytest.mark.usefixtures("local_ray")
def test_band_key_shuffle_on_ray_finds_the_local_pairs() -> None:
    from pipeline.engine.ray import ray_candidate_pairs

    rng = np.random.default_rng(1)
    keys = rng.integers(0, 50, size=(6, 400), dtype=np.uint64)  # many collisions
    eligible = rng.random(400) < 0.9
    assert np.array_equal(ray_candidate_pairs(keys, eligible), candidate_pairs(keys, eligible))
