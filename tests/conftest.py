"""Shared fixtures: the peer suites in ../shared/peer, the sample data, golden updates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# CI checks the clone out beside ../shared; elsewhere PEER_DIR may point at a copy.
PEER = Path(os.environ.get("PEER_DIR", ROOT.parent / "shared" / "peer"))

# The suite draws the same examples on every run (derandomize), so that CI passes or fails
# on the code, not on the draw. HYPOTHESIS_PROFILE=explore draws new examples on every run
# (1,000 for a test that sets no count of its own): run it to look for counterexamples, and
# pin what it finds with @example.
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile(
    "explore", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=1000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite data/clean from data/raw instead of comparing against it",
    )


def peer_dir(name: str) -> Path:
    """The peer suite folder ``name``, or skip the test saying where it was looked for."""
    path = PEER / name
    if not path.is_dir():
        pytest.skip(f"peer suite {name!r} not found at {path} (CI has ../shared beside the clone)")
    return path
