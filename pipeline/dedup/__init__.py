"""Stories -> duplicate decisions: dedup keys, MinHash sketches, the index, verified
candidates, clusters and the best copy of each."""
