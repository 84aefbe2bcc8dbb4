"""Fixtures for the harness's own tests: small corpora built from TEST-ONLY prose."""

from __future__ import annotations

import pytest

from bench.generate import Knobs
from bench.tests.prose_fixture import TEST_ONLY_SIMPLIFIED, TEST_ONLY_TRADITIONAL

SMALL = Knobs(n_papers=3)


@pytest.fixture(scope="session")
def prose() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return TEST_ONLY_SIMPLIFIED, TEST_ONLY_TRADITIONAL
