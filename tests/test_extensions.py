"""Exporter extensions (``wirekit.exporter_extensions``): plugins add to an existing output from an
article's ``extensions`` without writing a new format. The example shipped in
``exporters/wirekit-iptc-provenance`` (installed by ``make`` as a package of its own) writes IPTC's
``digitalSourceType`` and ``dataMining``; its NewsML-G2 stays valid against the 2.35 XSD."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from collections.abc import Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

import pytest
from lxml import etree
from wirekit_iptc_provenance import SCHEMA_ORG_SOURCES

from tests.conftest import ROOT, SEED_ARTICLE
from tests.test_newsml_g2_export import export, valid
from tests.test_newsml_g2_export import xsd as xsd  # noqa: PLC0414 (the fixture)
from tests.test_registry import _pip_install, _wirekit, _with_path
from wirekit import registry
from wirekit.config import Config
from wirekit.config import load as load_config
from wirekit.errors import ExportError, LossyConversionWarning
from wirekit.formats.schemaorg.conformance import _quads
from wirekit.model import Article
from wirekit.plugin import Element, ExporterExtension, FeedEntry, Link
from wirekit.site.check import check_tree
from wirekit.site.publish import Publisher
from wirekit.sources import Reader

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
PROVENANCE = {"digitalSourceType": "digitalCapture", "dataMining": "DMI-PROHIBITED"}
MEMBER = "http://schema.org/DigitalCaptureDigitalSource"
PROVENANCE_URIS = {
    "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
    "dataMining": "http://cv.iptc.org/newscodes/dataminingusage/DMI-PROHIBITED",
}


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


def test_the_schema_org_members_are_the_official_ones(specs: Path) -> None:
    """Every IPTC code the extension writes as a schema.org member is one schema.org 30.0 has."""
    official = json.loads((specs / "schemaorg" / "schemaorgcontext.jsonld").read_bytes())
    members = {term for term in official["@context"] if term.endswith("DigitalSource")}
    assert {f"{c[0].upper()}{c[1:]}DigitalSource" for c in SCHEMA_ORG_SOURCES} == members


# --- JSON-LD: one mapping, so the JSON-LD (both forms) and every RDF syntax say the same --------

VOCAB = "https://example.org/vocab#"


class _Rating(ExporterExtension):
    """A test extension that uses the JSON-LD and feed points as a third party's would."""

    name = "rating"
    properties: ClassVar[dict[str, Any]] = {}
    feed: ClassVar[FeedEntry | None] = None

    def jsonld_properties(self, extensions: Mapping[str, Any]) -> Mapping[str, Any]:
        return self.properties if "rating" in extensions else {}

    def feed_entry(self, extensions: Mapping[str, Any]) -> FeedEntry | None:
        return self.feed if "rating" in extensions else None


@pytest.fixture()
def rating(monkeypatch: pytest.MonkeyPatch) -> type[_Rating]:
    monkeypatch.setattr(registry, "extensions", lambda: (_Rating(),))
    monkeypatch.setattr(_Rating, "properties", {})
    monkeypatch.setattr(_Rating, "feed", None)
    return _Rating


def _triples(data: bytes, syntax: str) -> set[Any]:
    """The statements of a document, graph names dropped (N-Quads and TriG name the article's)."""
    from wirekit.formats.schemaorg.context import inline

    if syntax == "JSON_LD":
        data = json.dumps(inline(json.loads(data))).encode()
    return {(q.subject, q.predicate, q.object) for q in _quads(data, syntax)}


def _export(name: str, article: Article, **options: Any) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exporter = registry.exporter(name)(Config(), **options)
        return (
            exporter.export_collection([article])
            if exporter.collection
            else exporter.export(article)
        )


RDF_SYNTAXES = {
    "turtle": "TURTLE",
    "ntriples": "N_TRIPLES",
    "nquads": "N_QUADS",
    "trig": "TRIG",
    "rdfxml": "RDF_XML",
}


def test_extension_properties_are_the_same_triples_in_json_ld_and_every_rdf_syntax(
    seed: Article, rating: type[_Rating]
) -> None:
    import pyoxigraph

    rating.properties = {
        f"{VOCAB}rating": "PG",  # another vocabulary's property: a string is a plain literal
        f"{VOCAB}stars": [4, 4.5],
        f"{VOCAB}reviewed": True,
        f"{VOCAB}reviewer": Link("https://example.org/people/ann"),
        "digitalSourceType": Link("http://schema.org/DigitalCaptureDigitalSource"),
    }
    article = _with(seed, {"rating": "PG"})
    nested = json.loads(_export("jsonld", article))
    assert nested["digitalSourceType"] == {"@id": "http://schema.org/DigitalCaptureDigitalSource"}
    assert nested[f"{VOCAB}stars"] == [4, 4.5]
    graph = _triples(_export("jsonld", article), "JSON_LD")
    subject = pyoxigraph.NamedNode(article.id)
    expected = {
        (subject, pyoxigraph.NamedNode(f"{VOCAB}rating"), pyoxigraph.Literal("PG")),
        (subject, pyoxigraph.NamedNode(f"{VOCAB}reviewer"), pyoxigraph.NamedNode(
            "https://example.org/people/ann"
        )),
        (subject, pyoxigraph.NamedNode("http://schema.org/digitalSourceType"), pyoxigraph.NamedNode(
            "http://schema.org/DigitalCaptureDigitalSource"
        )),
    }  # fmt: skip
    assert expected <= graph
    assert _triples(_export("jsonld", article, form="graph"), "JSON_LD") == graph
    for name, syntax in RDF_SYNTAXES.items():
        assert _triples(_export(name, article), syntax) == graph, name
    without = _triples(_export("jsonld", _with(seed, None)), "JSON_LD")
    assert len(graph - without) == 6, "each value one triple more, the rest unchanged"


def test_a_property_the_node_has_stays_the_mappings(seed: Article, rating: type[_Rating]) -> None:
    rating.properties = {"headline": "Not this one"}
    with pytest.warns(LossyConversionWarning, match="rating's JSON-LD property 'headline'"):
        document = json.loads(
            registry.exporter("jsonld")(Config()).export(_with(seed, {"rating": 1}))
        )
    assert document["headline"] == seed.headline


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"contentRating": "PG"}, "neither a property of wirekit's schema.org context"),
        ({"NewsArticle": "x"}, "neither a property of wirekit's schema.org context"),
        ({"schema:x": "x"}, "reads schema: as a prefix"),
        ({f"{VOCAB}x": {"nested": 1}}, "a dict is no JSON-LD value"),
        ({f"{VOCAB}x": float("nan")}, "no number JSON can hold"),
        ({"license": "not an IRI"}, "cannot write the IRI 'not an IRI'"),
        ({f"{VOCAB}x": Link("urn:x:a b")}, "cannot write the IRI 'urn:x:a b'"),
    ],
    ids=["unknown term", "a type", "a prefix", "an object", "NaN", "IRI term", "bad Link"],
)
def test_what_json_ld_cannot_say_is_one_clean_error(
    seed: Article, rating: type[_Rating], properties: dict[str, Any], message: str
) -> None:
    rating.properties = properties
    data = {k: v for k, v in seed.to_dict().items() if k != "rights"}
    article = Article.from_dict({**data, "extensions": {"rating": 1}})
    with pytest.raises(ExportError, match=re.escape(message)):
        registry.exporter("turtle")(Config()).export(article)


def test_wirekit_check_passes_on_a_tree_with_extension_data(
    seed: Article, tmp_path: Path, specs: Path
) -> None:
    """The installed example adds digitalSourceType to the schema.org graph: the published
    JSON-LD and Turtle carry the same triple, so check's comparison of the two passes."""
    source = tmp_path / "in" / "story.json"
    source.parent.mkdir()
    source.write_text(json.dumps(_with(seed, {"iptc": PROVENANCE}).to_dict()), "utf-8")
    config = load_config(ROOT / "wirekit.toml")
    out = tmp_path / "dist"
    assert not Publisher(out, config=config, jobs=1).run([source.parent]).failures
    folder = out / "articles" / str(seed.slug)
    document = json.loads((folder / "article.jsonld").read_bytes())
    assert document["digitalSourceType"] == {"@id": MEMBER}
    turtle = (folder / "article.ttl").read_text("utf-8")
    assert f"schema:digitalSourceType <{MEMBER}>" in turtle
    verdicts = {v.path: v for v in check_tree(out, config.override(specs=specs))}
    failed = {path: v.detail for path, v in verdicts.items() if v.status != "ok"}
    assert not failed
    jsonld = verdicts[f"articles/{seed.slug}/article.jsonld"]
    assert "the same graph as article.ttl" in jsonld.detail
    feed = json.loads((out / "feed.json").read_bytes())
    assert feed["items"][0]["_iptc"]["dataMining"] == PROVENANCE_URIS["dataMining"]
    (element,) = etree.fromstring((out / "atom.xml").read_bytes()).iter(f"{NAR}digitalSourceType")
    assert element.get("uri") == PROVENANCE_URIS["digitalSourceType"]


def test_an_iptc_code_schema_org_lacks_is_left_out_of_it(seed: Article) -> None:
    article = _with(seed, {"iptc": {"digitalSourceType": "humanEdits"}})
    with pytest.warns(LossyConversionWarning, match="schema.org enumerates no 'humanEdits'"):
        document = json.loads(registry.exporter("jsonld")(Config()).export(article))
    assert "digitalSourceType" not in document


# --- feeds: each syntax gets what the extension gives it, or a warning --------------------------

RATING = "{https://example.org/rating}rating"
FEEDS = {
    "atom": {"id": "urn:example:feed"},
    "rss": {"link": "https://example.org/"},
    "jsonfeed": {},
}


def _feed(name: str, article: Article) -> bytes:
    exporter = registry.exporter(name)(Config(), title="Desk", **FEEDS[name])
    return exporter.export_collection([article])


def test_xml_elements_reach_atom_and_rss_and_json_feed_warns(
    seed: Article, rating: type[_Rating]
) -> None:
    rating.feed = FeedEntry.xml(Element(RATING, {"scheme": "mpaa"}, "PG"))
    article = _with(seed, {"rating": "PG"})
    parents = {"atom": "{http://www.w3.org/2005/Atom}entry", "rss": "item"}
    for name, parent in parents.items():
        (element,) = etree.fromstring(_feed(name, article)).iter(RATING)
        assert (element.text, element.get("scheme")) == ("PG", "mpaa")
        assert element.getparent().tag == parent
    with pytest.warns(LossyConversionWarning, match="rating adds to feed entries but cannot serve"):
        item = json.loads(_feed("jsonfeed", article))["items"][0]
    assert not [key for key in item if key.startswith("_")]


def test_json_feed_takes_custom_objects(seed: Article, rating: type[_Rating]) -> None:
    rating.feed = FeedEntry(jsonfeed={"_rating": {"value": "PG"}})
    item = json.loads(_feed("jsonfeed", _with(seed, {"rating": "PG"})))["items"][0]
    assert item["_rating"] == {"value": "PG"}
    with pytest.warns(LossyConversionWarning, match="cannot serve atom"):
        assert b"rating" not in _feed("atom", _with(seed, {"rating": "PG"}))


@pytest.mark.parametrize(
    ("entry", "feed", "message"),
    [
        (FeedEntry(jsonfeed={"rating": {}}), "jsonfeed", "takes custom objects"),
        (FeedEntry(jsonfeed={"_1": {}}), "jsonfeed", "takes custom objects"),
        (FeedEntry(jsonfeed={"_rating": "PG"}), "jsonfeed", "takes custom objects"),
        (FeedEntry.xml(Element("rating", {}, "PG")), "rss", "in no namespace of its own"),
        (FeedEntry.xml(Element("{http://www.w3.org/2005/Atom}x")), "atom", "no namespace of"),
    ],
    ids=["no underscore", "no letter", "no object", "RSS, no namespace", "Atom's own"],
)
def test_what_a_feed_cannot_take_is_one_clean_error(
    seed: Article, rating: type[_Rating], entry: FeedEntry, feed: str, message: str
) -> None:
    rating.feed = entry
    with pytest.raises(ExportError, match=message):
        _feed(feed, _with(seed, {"rating": "PG"}))


# --- the example, installed as a third party's package would be --------------------------------

EXTENSION = ROOT / "exporters" / "wirekit-iptc-provenance"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built and pip-installed into a folder of its own, as a user installs it."""
    target = tmp_path_factory.mktemp("extension")
    _pip_install(EXTENSION, target)
    assert (target / "wirekit_iptc_provenance" / "__init__.py").is_file()
    return target


def test_installed_elsewhere_it_is_the_copy_wirekit_finds(installed: Path) -> None:
    """On its own path the installed copy is found, not the development checkout's, so the
    tests below run the package as built."""
    probe = (
        "from wirekit import registry; import sys; "
        "(extension,) = registry.extensions(); "
        "print(sys.modules[type(extension).__module__].__file__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=_with_path(installed),
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(installed)


def test_installed_elsewhere_it_reaches_newsml_jsonld_and_feeds(
    installed: Path, seed: Article, tmp_path: Path
) -> None:
    story = tmp_path / "story.json"
    story.write_text(json.dumps(_with(seed, {"iptc": PROVENANCE}).to_dict()), "utf-8")
    outputs = {}
    for name in ("newsml-g2", "jsonld", "jsonfeed"):
        options = ["-O", "title=Desk"] if name == "jsonfeed" else []
        done = _wirekit("convert", str(story), "--to", name, *options, path=[installed])
        assert done.returncode == 0, done.stderr
        outputs[name] = done.stdout
    (element,) = etree.fromstring(outputs["newsml-g2"].encode()).iter(f"{NAR}digitalSourceType")
    assert element.get("uri") == PROVENANCE_URIS["digitalSourceType"]
    assert json.loads(outputs["jsonld"])["digitalSourceType"] == {"@id": MEMBER}
    (item,) = json.loads(outputs["jsonfeed"])["items"]
    assert item["_iptc"]["digitalSourceType"] == PROVENANCE_URIS["digitalSourceType"]


class _Meddler(ExporterExtension):
    """A careless extension: it writes into what it is given at every output point."""

    name = "meddler"
    refused: ClassVar[list[str]] = []

    def _meddle(self, point: str, extensions: Mapping[str, Any]) -> None:
        try:
            extensions["rating"] = "changed by " + point  # type: ignore[index]
        except TypeError:
            self.refused.append(point)

    def newsml_content_meta(self, extensions: Mapping[str, Any]) -> tuple[Element, ...]:
        self._meddle("newsml", extensions)
        return ()

    def jsonld_properties(self, extensions: Mapping[str, Any]) -> Mapping[str, Any]:
        self._meddle("jsonld", extensions)
        return {}

    def feed_entry(self, extensions: Mapping[str, Any]) -> FeedEntry | None:
        self._meddle("feed", extensions)
        return None


@pytest.mark.parametrize("data", [{}, {"rating": "PG"}], ids=["none", "some"])
def test_an_extension_cannot_change_what_the_next_output_is_given(
    seed: Article, monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]
) -> None:
    """Every output point hands the article's extension data over read-only, so one
    extension (or one format) cannot change what another, or the next format, sees."""
    article, given = _with(seed, data), dict(data)
    monkeypatch.setattr(registry, "extensions", lambda: (_Meddler(),))
    monkeypatch.setattr(_Meddler, "refused", [])
    for name in ("newsml-g2", "jsonld"):
        _export(name, article)
    _feed("atom", article)
    assert _Meddler.refused == ["newsml", "jsonld", "feed"]
    assert article.extensions == given
