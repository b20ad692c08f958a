"""Golden files: each seed's JSON-LD and Turtle, compared canonically (JSON values, RDF graphs by
isomorphism), so a formatting choice is not a failure but any change of meaning is. Regenerate on
purpose with ``pytest --accept``."""

from __future__ import annotations

import difflib
from pathlib import Path

import orjson
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.test_schemaorg_support import (
    RDFLIB_DEPRECATIONS,
    no_network,  # noqa: F401 (an autouse fixture)
)
from wirekit import registry
from wirekit.model import Article

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"jsonld": ".jsonld", "turtle": ".ttl"}

pytestmark = [
    RDFLIB_DEPRECATIONS,
    pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning"),
]


def same(name: str, expected: bytes, actual: bytes) -> bool:
    if name == "jsonld":
        return bool(orjson.loads(expected) == orjson.loads(actual))
    graphs = (rdflib.Graph().parse(data=data, format="turtle") for data in (expected, actual))
    return isomorphic(*graphs)


@pytest.mark.parametrize("name", FORMATS)
def test_seed_outputs_match_their_golden_files(
    name: str, seed_articles: list[Article], request: pytest.FixtureRequest
) -> None:
    folder = GOLDEN / name
    exporter = registry.exporter(name)()
    outputs = {f"{a.slug}{FORMATS[name]}": exporter.export(a) for a in seed_articles}
    stale = {p.name for p in folder.glob(f"*{FORMATS[name]}")} - set(outputs)
    if request.config.getoption("--accept"):
        folder.mkdir(parents=True, exist_ok=True)
        for file, data in outputs.items():
            (folder / file).write_bytes(data)
        for file in stale:
            (folder / file).unlink()
        return
    assert not stale, f"golden files without a seed: {sorted(stale)}; run pytest --accept"
    for file, data in outputs.items():
        path = folder / file
        assert path.is_file(), f"no golden file {path}; run pytest --accept"
        old = path.read_bytes()
        if not same(name, old, data):
            diff = difflib.unified_diff(
                old.decode().splitlines(), data.decode().splitlines(), lineterm="", n=1
            )
            pytest.fail(f"{path} changed; if on purpose, run pytest --accept\n" + "\n".join(diff))
