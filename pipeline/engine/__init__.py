"""The run: the stage list, units of work, worker processes, shards, the Ray engine."""
