"""wirekit's benchmarks: a deterministic synthetic archive and a runner that prints every figure
next to a baseline measured in the same run (``python -m benchmarks``)."""
