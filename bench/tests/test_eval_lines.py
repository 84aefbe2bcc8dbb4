"""The table ``make eval`` prints: one column per seed, a target met only on every seed."""

from __future__ import annotations

from pipeline.config import LinesConfig, SegmentConfig

from bench.eval_lines import TARGETS, evaluate, report
from bench.generate import generate_pages
from bench.tests.conftest import SMALL


def test_report_has_a_column_per_seed_and_judges_every_seed(prose) -> None:  # type: ignore[no-untyped-def]
    simplified, traditional = prose
    by_seed = {
        seed: evaluate(
            list(generate_pages(seed, 3, SMALL, simplified, traditional)),
            LinesConfig(),
            SegmentConfig(),
        )
        for seed in (1, 2)
    }
    table = report(by_seed, details=True)
    header = next(line for line in table.splitlines() if line.startswith("| measure"))
    assert header == "| measure | seed 1 | seed 2 | target | met |"
    cer = next(line for line in table.splitlines() if line.startswith("| CER |"))
    assert cer.endswith("| yes |") == all(s.cer.rate <= TARGETS["CER"] for s in by_seed.values())
    f1 = next(line for line in table.splitlines() if line.startswith("| boundary F1 |"))
    target = TARGETS["boundary F1"]
    assert f1.endswith("| yes |") == all(s.boundaries.f1 >= target for s in by_seed.values())
    assert "seed 2:" in table and "| truth break kind |" in table
