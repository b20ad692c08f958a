"""Golden files: each feed of the seeds and of the samples, compared after canonicalisation.

XML is compared as C14N 2.0 and JSON with sorted keys, so only a change in content fails, never
attribute order or key order. The seeds grow as colleagues add them: after a deliberate change,
regenerate with ``pytest --accept`` and review the diff of ``tests/golden/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from tests.test_feeds import FEEDS, channel_options, export, samples
from wirekit import registry
from wirekit.config import Config
from wirekit.model import Article

GOLDEN = Path(__file__).parent / "golden"


def canonical(data: bytes, extension: str) -> str:
    if extension == ".json":
        return json.dumps(json.loads(data), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return etree.tostring(etree.fromstring(data), method="c14n2").decode("utf-8") + "\n"


@pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")
@pytest.mark.parametrize("name", FEEDS)
@pytest.mark.parametrize("case", ["seeds", "samples"])
def test_feed_matches_its_golden_file(
    request: pytest.FixtureRequest,
    name: str,
    case: str,
    seed_articles: list[Article],
    repo_config: Config,
) -> None:
    articles = seed_articles if case == "seeds" else samples()
    extension = registry.exporter(name).file_extension
    path = GOLDEN / name / f"{case}{extension}"
    data = export(name, articles, repo_config, **channel_options(name))
    if request.config.getoption("--accept"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.is_file(), f"{path} is missing; run pytest --accept to write it"
    expected = canonical(path.read_bytes(), extension)
    assert canonical(data, extension) == expected, (
        f"the {name} feed of the {case} changed; if on purpose, run pytest --accept "
        "and review the diff of tests/golden/"
    )
