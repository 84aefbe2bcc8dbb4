"""The run: the stage list, units of work, worker processes, shards, the Ray engine."""

from __future__ import annotations

from pipeline.engine.progress import rate
from pipeline.engine.run import Report, run_pipeline, validate
from pipeline.engine.stages import build_stages

__all__ = ["Report", "build_stages", "rate", "run_pipeline", "validate"]
