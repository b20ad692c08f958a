"""Benchmark cases, one module per area. The runner imports every module here, so a new area
(RDF baselines, publishing, store loading) is a new module and touches no other file."""
