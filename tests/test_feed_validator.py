"""Feeds under the W3C Feed Validator (``../shared/tools/feedvalidator``), warnings counted as
well as errors: the published seeds' feeds, feeds converted outside a tree (their rel=self link
derived from base_url), and an Atom feed left with nothing to list."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED
from wirekit import write
from wirekit.config import load as load_config
from wirekit.model import Article
from wirekit.site.publish import Publisher

VALIDATOR = SHARED / "tools" / "feedvalidator" / "src"
BASE = "https://news.example.org/"

pytestmark = [
    pytest.mark.corpus,  # reads ../shared in place
    pytest.mark.skipif(not VALIDATOR.is_dir(), reason="no ../shared feed validator"),
]


def problems(data: bytes, address: str) -> list[str]:
    """Every error and warning the validator reports (its "AA" level), one line each."""
    if str(VALIDATOR) not in sys.path:
        sys.path.insert(0, str(VALIDATOR))
    import feedvalidator
    from feedvalidator import compatibility
    from feedvalidator.formatter.text_plain import Formatter

    events: Any = feedvalidator.validateStream(
        io.BytesIO(data), firstOccurrenceOnly=1, base=address
    )
    return list(Formatter(compatibility.AA(events["loggedEvents"])))


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feeds") / "dist"
    Publisher(out, config=load_config(ROOT / "wirekit.toml"), jobs=1).run([ROOT / "seeds"])
    return out


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_the_published_feeds_are_clean(tree: Path, name: str) -> None:
    assert problems((tree / name).read_bytes(), BASE + name) == []


@pytest.mark.parametrize(("form", "name"), [("atom", "atom.xml"), ("rss", "rss.xml")])
def test_a_converted_feed_has_its_self_link_and_is_clean(
    seed_articles: list[Article], form: str, name: str
) -> None:
    config = load_config(ROOT / "wirekit.toml")
    live = [a for a in seed_articles if a.status == "usable" and "kill" not in a.signals]
    data = write(live, form, config=config)
    assert f'href="{BASE}{name}"'.encode() in data
    assert problems(data, BASE + name) == []


def test_an_atom_feed_with_nothing_to_list_is_valid() -> None:
    config = load_config(ROOT / "wirekit.toml")
    data = write([], "atom", config=config, updated="2025-08-13T09:00:00Z")
    assert b"<entry" not in data
    assert problems(data, BASE + "atom.xml") == []
