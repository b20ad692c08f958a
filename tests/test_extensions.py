"""Exporter extensions (``wirekit.exporter_extensions``): plugins add to an existing output from an
article's ``extensions`` without writing a new format. The example shipped in
``exporters/wirekit-iptc-provenance`` (installed by ``make`` as a package of its own) writes IPTC's
``digitalSourceType`` and ``dataMining``; its NewsML-G2 stays valid against the 2.35 XSD."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from importlib.metadata import entry_points
from typing import Any

import pytest

from tests.conftest import SEED_ARTICLE
from tests.test_newsml_g2_export import export, valid
from tests.test_newsml_g2_export import xsd as xsd  # noqa: PLC0414 (the fixture)
from wirekit import registry
from wirekit.config import Config
from wirekit.errors import LossyConversionWarning
from wirekit.model import Article
from wirekit.plugin import Element, ExporterExtension
from wirekit.sources import Reader

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
PROVENANCE = {"digitalSourceType": "digitalCapture", "dataMining": "DMI-PROHIBITED"}


@pytest.fixture(scope="module")
def seed() -> Article:
    (result,) = Reader(Config()).read(SEED_ARTICLE)
    assert result.article is not None
    return result.article


def _with(article: Article, extensions: dict[str, Any] | None, **changes: Any) -> Article:
    return Article.from_dict({**article.to_dict(), "extensions": extensions, **changes})


def test_the_example_is_installed_as_a_package_of_its_own() -> None:
    (entry,) = [e for e in entry_points(group=registry.EXTENSIONS) if e.name == "iptc-provenance"]
    assert entry.dist is not None and entry.dist.name == "wirekit-iptc-provenance"
    assert [type(e).__name__ for e in registry.extensions()] == ["ProvenanceExtension"]


@pytest.mark.parametrize("rights", [True, False], ids=["with rights", "without rights"])
def test_provenance_goes_where_the_xsd_puts_it(seed: Article, xsd: Any, rights: bool) -> None:
    article = _with(seed, {"iptc": PROVENANCE})
    if not rights:
        article = Article.from_dict({k: v for k, v in article.to_dict().items() if k != "rights"})
    root = valid(xsd, export(article))
    (source_type,) = root.iter(f"{NAR}digitalSourceType")
    assert source_type.getparent().tag == f"{NAR}contentMeta"
    assert source_type.get("uri") == "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    (mining,) = root.iter(f"{NAR}dataMining")
    assert mining.getparent().tag == f"{NAR}rightsInfo"
    assert mining.get("uri") == "http://cv.iptc.org/newscodes/dataminingusage/DMI-PROHIBITED"


def test_without_extension_data_nothing_changes(seed: Article) -> None:
    assert export(_with(seed, None)) == export(_with(seed, {"other": {"x": 1}}))
    assert b"digitalSourceType" not in export(seed)


def test_a_value_that_is_no_newscode_is_left_out_with_a_warning(seed: Article, xsd: Any) -> None:
    article = _with(seed, {"iptc": {"digitalSourceType": "made <up>", "dataMining": 7}})
    with pytest.warns(LossyConversionWarning, match="digitalSourceType: 'made <up>'"):
        root = valid(xsd, export(article))
    assert list(root.iter(f"{NAR}digitalSourceType")) == list(root.iter(f"{NAR}dataMining")) == []


class _Rating(ExporterExtension):
    """A test extension that uses the other output points."""

    name = "rating"

    def jsonld_properties(self, extensions: Mapping[str, Any]) -> Mapping[str, Any]:
        return {"contentRating": extensions["rating"]} if "rating" in extensions else {}

    def feed_entry(self, extensions: Mapping[str, Any]) -> Sequence[Element]:
        rating = extensions.get("rating")
        return (Element("{https://example.org/rating}rating", {}, rating),) if rating else ()


def test_jsonld_and_feed_points(seed: Article, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "extensions", lambda: (_Rating(),))
    article = _with(seed, {"rating": "PG"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = json.loads(registry.exporter("jsonld")(Config()).export(article))
        atom = registry.exporter("atom")(Config(), title="Desk", id="urn:example:feed")
        feed = atom.export_collection([article])
    assert document["contentRating"] == "PG"
    from lxml import etree

    (rating,) = etree.fromstring(feed).iter("{https://example.org/rating}rating")
    assert rating.text == "PG" and rating.getparent().tag == "{http://www.w3.org/2005/Atom}entry"
