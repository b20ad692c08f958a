"""The ``newsml-g2`` and ``newsml-g2-message`` exporters: valid against the official 2.35
All-Power XSD for every seed and every generated article, golden files per seed, the statuses
and signals receivers act on, and honesty about what NewsML-G2 cannot carry.

The XSD is found by the lookup the CLI uses (fixture ``specs``) and compiled once per process.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import SPECS, seed_files
from tests.strategies import articles
from wirekit import schema
from wirekit.config import Config
from wirekit.errors import ExportError, LossyConversionWarning, UsageError
from wirekit.formats.newsml_g2 import vocab as g2
from wirekit.formats.newsml_g2.message import NewsMLG2MessageExporter
from wirekit.formats.newsml_g2.writer import NewsMLG2Exporter, decimal
from wirekit.model import Article
from wirekit.sources import Reader
from wirekit.specs import require

NS = {"g": g2.NAR, "h": g2.XHTML}
MINIMAL: dict[str, Any] = {
    "id": "urn:example:story:1",
    "version": 1,
    "headline": "Talks resume",
    "language": "en",
    "body": [{"type": "paragraph", "text": "Negotiators met again."}],
}
LOST = re.compile(r"cannot carry (/\S*(?:, /\S*)*): ")

# What each top-level field of the model becomes; the README's table says the same.
CARRIED = {
    "id": "newsItem/@guid",
    "version": "newsItem/@version",
    "slug": "contentMeta/slugline",
    "url": "itemMeta/link[@reluri=IANA canonical]",
    "headline": "contentMeta/headline",
    "subheadline": "contentMeta/headline[@role=wirekit:subheadline]",
    "summary": "contentMeta/description[@role=drol:summary]",
    "language": "@xml:lang, contentMeta/language",
    "body": "contentSet/inlineXML (XHTML) and inlineData (text/plain)",
    "dateCreated": "contentMeta/contentCreated",
    "datePublished": "pubHistory/published/timestamp (a date or a date-time), firstCreated",
    "dateModified": "contentMeta/contentModified, itemMeta/versionCreated",
    "embargoedUntil": "itemMeta/embargoed",
    "expires": "itemMeta/expires (a date or a date-time)",
    "pubStatus": "itemMeta/pubStatus stat:usable|withheld|canceled",
    "urgency": "contentMeta/urgency",
    "genres": "contentMeta/genre",
    "section": "itemMeta/service (wirekit-section:)",
    "signals": "itemMeta/signal sig:update|sig:correction, wirekit:kill (+ stat:canceled)",
    "notes": "itemMeta/edNote (public: role wirekit:publicNote; internal notes stay out)",
    "corrections": "contentMeta/description[@role=wirekit:correction][@modified]",
    "dateline": "contentMeta/dateline, located (country as broader), datelineDate ext. property",
    "authors": "contentMeta/creator",
    "contributors": "contentMeta/contributor",
    "publisher": "contentMeta/infoSource[@role=wirekit:publisher], pubHistory/published",
    "provider": "itemMeta/provider",
    "sourceAgency": "contentMeta/infoSource",
    "creditLine": "contentMeta/creditline",
    "rights": "rightsInfo (holder, notice, usage terms, license link, copyrightYear property)",
    "isAccessibleForFree": "contentMetaExtProperty[@rel=wirekit:isAccessibleForFree]",
    "subjects": "contentMeta/subject[@type=cpnat:abstract]",
    "keywords": "contentMeta/keyword",
    "about": "contentMeta/subject[@type=cpnat:person|organisation|geoArea], assert (geo)",
    "mentions": "as about, with @why=wirekit:mention",
    "related": "itemMeta/link[@rel=irel:seeAlso]",
    "type": "itemMeta/itemClass ninat:text|picture|graphic|video|audio",
    "caption": "contentMeta/description[@role=drol:caption]",
    "byline": "contentMeta/by (else the authors' names)",
    "renditions": "contentSet/remoteContent (href, rendition, size, contenttype, width, height, "
    "duration)",
}
LOSSY = {"images": "pictures travel as their own newsItems in a packageItem"}
IGNORED = {"extensions": "data for plugins; every exporter ignores it"}


@pytest.fixture(scope="session")
def xsd(specs: Path) -> Any:
    """The 2.35 All-Power XSD, compiled once per process (wirekit.formats.newsml_g2.vocab caches
    it)."""
    return g2.xsd(specs)


def valid(xsd: Any, data: bytes) -> etree._Element:
    """The parsed document, after asserting the XSD accepts it (with its complaints if not)."""
    root = etree.fromstring(data)
    if not xsd.validate(root):
        raise AssertionError("\n".join(str(e) for e in xsd.error_log) + "\n" + data.decode())
    return root


def export(article: Article | dict[str, Any], config: Config | None = None) -> bytes:
    if isinstance(article, dict):
        article = Article.from_dict(article)
    return NewsMLG2Exporter(config).export(article)


def quiet_export(article: Article, config: Config | None = None) -> tuple[bytes, list[str]]:
    """The document and the JSON pointers of the fields the exporter said it dropped."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = NewsMLG2Exporter(config).export(article)
    return data, lost_pointers(caught)


def lost_pointers(caught: list[warnings.WarningMessage]) -> list[str]:
    found: list[str] = []
    for warning in caught:
        if issubclass(warning.category, LossyConversionWarning):
            match = LOST.search(str(warning.message))
            assert match, f"a lossy-conversion warning must name the field: {warning.message}"
            found.extend(match.group(1).split(", "))
    return found


def seed_cases() -> Iterator[tuple[str, Article]]:
    """(golden file stem, article) for every article in seeds/, read with the repository's
    config; more seeds are added as colleagues write them."""
    from tests.conftest import ROOT
    from wirekit.config import load

    config = load(ROOT / "wirekit.toml")
    for path in seed_files():
        results = list(Reader(config).read(path))
        for index, result in enumerate(results):
            assert result.article is not None, str(result.error)
            stem = path.stem if len(results) == 1 else f"{path.stem}-{index + 1}"
            yield stem, result.article


@functools.cache
def iptc_aliases() -> frozenset[str]:
    """The scheme aliases of the IPTC catalog (a pinned specification, found by the lookup)."""
    catalog = etree.parse(str(require("iptc-catalog", SPECS)))
    return frozenset(scheme.get("alias") for scheme in catalog.iter(f"{{{g2.NAR}}}scheme"))


# attributes of type QCode / QCodeList in what wirekit writes
QCODE_ATTRIBUTES = ("qcode", "type", "role", "rel", "why")


def undeclared_aliases(root: etree._Element, iptc: set[str]) -> set[str]:
    """Scheme aliases used in QCodes that neither the IPTC catalog nor an inline catalog
    declares (the XSD does not check this)."""
    inline = {s.get("alias") for s in root.iter(f"{{{g2.NAR}}}scheme")}
    used = set()
    for element in root.iter(f"{{{g2.NAR}}}*"):
        for name in QCODE_ATTRIBUTES:
            for qcode in (element.get(name) or "").split():
                used.add(qcode.partition(":")[0])
    return used - iptc - inline


# --- the field table --------------------------------------------------------------------------


def test_every_model_field_is_accounted_for() -> None:
    fields = set(schema.schema()["properties"])
    assert sorted([*CARRIED, *LOSSY, *IGNORED]) == sorted(fields)


def test_the_embedded_iptc_aliases_are_the_catalogs(specs: Path) -> None:
    assert iptc_aliases() == g2.IPTC_ALIASES


# --- validity -----------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")
@pytest.mark.parametrize(("stem", "article"), list(seed_cases()), ids=lambda v: str(v)[:50])
def test_every_seed_is_valid(xsd: Any, repo_config: Config, stem: str, article: Article) -> None:
    """Valid against the XSD, every alias declared (tests/test_golden.py pins the content)."""
    root = valid(xsd, export(article, repo_config))
    assert undeclared_aliases(root, iptc_aliases()) == set()


@given(articles())
def test_every_generated_article_exports_to_a_valid_item(xsd: Any, article: Article) -> None:
    data, _ = quiet_export(article)
    root = valid(xsd, data)
    assert undeclared_aliases(root, iptc_aliases()) == set()


def test_the_validator_would_notice_an_invalid_item(xsd: Any) -> None:
    root = etree.fromstring(export(MINIMAL))
    meta = root.find("g:itemMeta", NS)
    meta.remove(meta.find("g:versionCreated", NS))
    assert not xsd.validate(root)


def test_output_is_deterministic_utf8_with_explicit_namespaces() -> None:
    article = Article.from_dict({**MINIMAL, "headline": "Ça va – «oui» 😀 <&>"})
    first, second = export(article), export(article)
    assert first == second
    assert first.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<newsItem xmlns="')
    assert "Ça va – «oui» 😀 &lt;&amp;&gt;".encode() in first
    root = etree.fromstring(first)
    assert root.get("standardversion") == "2.35" and root.get("conformance") == "power"
    html = root.find(".//g:inlineXML/h:html", NS)
    assert html is not None and html.nsmap[None] == g2.XHTML


# --- what goes where --------------------------------------------------------------------------


def rich() -> dict[str, Any]:
    return {
        **MINIMAL,
        "version": 3,
        "slug": "talks-resume",
        "url": "https://news.example.org/articles/talks-resume/",
        "subheadline": "Second round",
        "summary": "They met.",
        "body": [
            {"type": "paragraph", "text": "First\nline"},
            {"type": "heading", "text": "Background"},
            {"type": "heading", "level": 4, "text": "Detail"},
            {"type": "blockquote", "text": "We talk.", "attribution": "A. Minister"},
            {"type": "blockquote", "text": "Unattributed."},
            {"type": "list", "items": ["one", "two"]},
            {"type": "list", "ordered": True, "items": ["first"]},
        ],
        "dateCreated": "2025-07-30T08:00:00+02:00",
        "datePublished": "2025-07-30T09:15:00+03:30",
        "dateModified": "2025-07-30T10:00:00.5Z",
        "urgency": 3,
        "genres": [{"scheme": "genre", "code": "Current", "label": "Current Events"}],
        "section": "World news",
        "notes": [
            {"text": "Corrects the date.", "audience": "partner"},
            {"text": "Pictures follow.", "audience": "public"},
        ],
        "dateline": {
            "text": "GENEVA, Switzerland –",
            "place": {"name": "GENEVA", "country": "Switzerland", "countryCode": "CH"},
            "date": "2025-07-30",
        },
        "authors": [{"name": "Jane Doe", "role": "senior reporter", "wikidata": "Q42"}],
        "contributors": [{"name": "Ann Editor", "role": "editor"}],
        "publisher": {"name": "Example News", "url": "https://news.example.org/"},
        "sourceAgency": {"name": "Wire & Co"},
        "creditLine": "Example News / Wire",
        "rights": {
            "copyrightHolder": {"name": "Example News"},
            "copyrightNotice": "© 2025 Example News",
            "copyrightYear": 2025,
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "usageTerms": "Editorial use only.",
        },
        "isAccessibleForFree": True,
        "subjects": [
            {"scheme": "medtop", "code": "20000565", "label": "diplomacy"},
            {"scheme": "exsubj", "code": "talks", "uri": "https://example.org/cv/subj/talks"},
        ],
        "keywords": ["talks", "Geneva"],
        "about": [
            {"type": "person", "name": "A. Minister", "wikidata": "Q1", "countryCode": "FR"},
            {
                "type": "place",
                "name": "Geneva",
                "geonames": "2660646",
                "geo": {"latitude": 46.2, "longitude": 6.15},
            },
        ],
        "mentions": [{"type": "organization", "name": "UN", "sameAs": ["https://un.org/"]}],
        "related": [{"url": "https://news.example.org/articles/earlier/", "title": "Earlier"}],
    }


def test_a_rich_article_lands_where_iptc_puts_each_field(xsd: Any) -> None:
    root = valid(xsd, export(rich()))

    def one(path: str) -> etree._Element:
        found = root.xpath(path, namespaces=NS)
        assert len(found) == 1, f"{path}: {found}"
        return found[0]

    assert one("g:itemMeta/g:itemClass/@qcode") == "ninat:text"
    assert one("g:itemMeta/g:provider/@why") == "why:inferred"  # required; from the publisher
    assert one("g:itemMeta/g:versionCreated/text()") == "2025-07-30T10:00:00.5Z"
    assert one("g:itemMeta/g:firstCreated/text()") == "2025-07-30T09:15:00+03:30"
    assert one("g:pubHistory/g:published/g:timestamp/text()") == "2025-07-30T09:15:00+03:30"
    assert one("g:itemMeta/g:service/@qcode") == "wirekit-section:World%20news"
    assert one("g:itemMeta/g:link[@contenttype='text/html'][1]/@reluri").endswith("/canonical")
    assert one("g:itemMeta/g:link[@rel='irel:seeAlso']/g:title/text()") == "Earlier"
    assert one("g:rightsInfo/g:link/@reluri").endswith("/license")
    assert one("g:rightsInfo/g:rightsInfoExtProperty/@value") == "2025"
    assert one("g:contentMeta/g:located/g:broader/@qcode") == "iso3166-1a2:CH"
    assert one("g:contentMeta/g:located/g:broader/g:name/text()") == "Switzerland"
    assert one("g:contentMeta/g:infoSource[@role='wirekit:publisher']/@uri").startswith("https")
    assert one("g:contentMeta/g:infoSource[not(@role)]/g:name/text()") == "Wire & Co"
    assert one("g:contentMeta/g:creator/@role") == "wirekit-role:senior%20reporter"
    assert one("g:contentMeta/g:creator/g:sameAs/@qcode") == "wikidata:Q42"
    assert one("g:contentMeta/g:by/text()") == "Jane Doe"
    assert one("g:contentMeta/g:subject[@qcode='medtop:20000565']/@type") == "cpnat:abstract"
    assert one("g:contentMeta/g:subject[@qcode='wikidata:Q1']/@type") == "cpnat:person"
    assert one("g:contentMeta/g:subject[@qcode='wikidata:Q1']/g:related/@qcode").endswith("FR")
    assert one("g:contentMeta/g:subject[@qcode='geonames:2660646']/@type") == "cpnat:geoArea"
    assert one("g:contentMeta/g:subject[@why='wirekit:mention']/@type") == "cpnat:organisation"
    assert one("g:assert[@qcode='geonames:2660646']/g:geoAreaDetails/g:position/@latitude") == (
        "46.2"
    )
    assert one("g:contentMeta/g:headline[@role='wirekit:subheadline']/text()") == "Second round"
    assert one("g:contentMeta/g:description[@role='drol:summary']/text()") == "They met."
    assert one("g:contentMeta/g:contentMetaExtProperty[@rel='wirekit:datelineDate']/@value") == (
        "2025-07-30"
    )
    schemes = {s.get("alias"): s.get("uri") for s in root.iter(f"{{{g2.NAR}}}scheme")}
    assert schemes["exsubj"] == "https://example.org/cv/subj/"  # from its concepts' IRIs
    assert set(schemes) == {"exsubj", "wirekit", "wirekit-role", "wirekit-section"}
    body = one("g:contentSet/g:inlineXML/h:html/h:body")
    assert [etree.QName(e).localname for e in body] == [
        "p", "h2", "h4", "figure", "blockquote", "ul", "ol"
    ]  # fmt: skip
    assert etree.tostring(body[0], encoding="unicode").endswith(">First<br/>line</p>")
    assert one("g:contentSet/g:inlineXML/@wordcount") == str(Article.from_dict(rich()).word_count)
    assert one("g:contentSet/g:inlineData/text()") == Article.from_dict(rich()).text


def test_dates_follow_the_documented_rule() -> None:
    def stamps(**fields: Any) -> tuple[str, list[str], list[str]]:
        root = etree.fromstring(export({**MINIMAL, **fields}))
        return (
            root.findtext("g:itemMeta/g:versionCreated", namespaces=NS),
            root.xpath("g:itemMeta/g:firstCreated/text()", namespaces=NS),
            root.xpath("g:pubHistory/g:published/g:timestamp/text()", namespaces=NS),
        )

    # a date-only publication goes where a date may stand; versionCreated needs a time
    assert stamps(datePublished="2025-07-30") == ("2025-07-30T00:00:00Z", [], ["2025-07-30"])
    assert stamps(dateCreated="2025-07-29T23:00:00-05:00")[0] == "2025-07-29T23:00:00-05:00"
    assert stamps(dateCreated="2025-07-29T23:00:00Z", datePublished="2025-07-30")[0] == (
        "2025-07-30T00:00:00Z"
    )
    assert stamps()[0] == g2.EPOCH


# --- statuses and signals ------------------------------------------------------------------------

STATUS_CASES: dict[str, tuple[dict[str, Any], str | None, list[str], bool]] = {
    # name: (fields, pubStatus qcode, signal qcodes, pubStatus inferred)
    "embargoed": ({"embargoedUntil": "2025-07-31T06:00:00Z"}, None, [], False),
    "withheld": ({"pubStatus": "withheld"}, "stat:withheld", [], False),
    "canceled": ({"pubStatus": "canceled"}, "stat:canceled", [], False),
    "corrected": (
        {
            "signals": ["correction"],
            "corrections": [{"date": "2025-07-30", "text": "An earlier version misspelt it."}],
        },
        None,
        ["sig:correction"],
        False,
    ),
    "updated and usable": (
        {"pubStatus": "usable", "signals": ["update"]},
        "stat:usable",
        ["sig:update"],
        False,
    ),
    "killed": ({"signals": ["kill"]}, "stat:canceled", [g2.KILL], True),
    "killed, status said": (
        {"pubStatus": "canceled", "signals": ["kill"]},
        "stat:canceled",
        [g2.KILL],
        False,
    ),
}


@pytest.mark.parametrize("name", STATUS_CASES)
def test_statuses_and_signals_validate_and_say_what_receivers_act_on(xsd: Any, name: str) -> None:
    fields, status, signals, inferred = STATUS_CASES[name]
    root = valid(xsd, export({**MINIMAL, "embargoedUntil": "2025-07-31T06:00:00Z", **fields}))
    meta = root.find("g:itemMeta", NS)
    found = meta.find("g:pubStatus", NS)
    assert (None if found is None else found.get("qcode")) == status
    assert (found is not None and found.get("why") == "why:inferred") is inferred
    assert [s.get("qcode") for s in meta.findall("g:signal", NS)] == signals
    names = [etree.QName(e).localname for e in meta]
    assert names.index("embargoed") < names.index("pubStatus") if status else "embargoed" in names


def test_a_correction_is_dated_in_its_description(xsd: Any) -> None:
    root = valid(xsd, export({**MINIMAL, **STATUS_CASES["corrected"][0]}))
    (correction,) = root.xpath("//g:description[@role='wirekit:correction']", namespaces=NS)
    assert correction.get("modified") == "2025-07-30"
    assert correction.text == "An earlier version misspelt it."


# --- what NewsML-G2 cannot carry --------------------------------------------------------------


def test_images_and_logo_sizes_are_named_in_warnings() -> None:
    article = Article.from_dict(
        {
            **MINIMAL,
            "publisher": {"name": "P", "logo": {"url": "https://p.example/l.png", "width": 9}},
            "images": [{"url": "https://p.example/photo.jpg"}],
        }
    )
    _, lost = quiet_export(article)
    assert sorted(lost) == ["/images", "/publisher/logo/width"]


def test_a_recurring_party_concept_or_entity_reports_its_losses_where_it_stands(xsd: Any) -> None:
    """Parties, concepts, entities, rights and places are written once and cached
    (``writer.fragment``); what each loses and the schemes it uses must still be reported in
    every article, under the field where it stands there, and not at all where it is a copy
    (the inferred provider); coordinates, which the cache compares as numbers, stay as written."""
    bad = "https://p.example/a%zz"  # a "%" that starts no escape: percent-encoded, reported
    person = {"name": "Ana", "url": bad, "role": "senior editor"}
    org = {"name": "P", "url": bad, "logo": {"url": "https://p.example/l.png", "width": 9}}
    topic = {"scheme": "ex", "code": "x", "uri": "https://ex.example/x", "label": "X"}
    entity = {"type": "person", "name": "E", "sameAs": [bad], "countryCode": "FR"}
    rights = {"copyrightHolder": org, "license": bad}
    place = {"name": "Paris", "countryCode": "FR", "geo": {"latitude": 48, "longitude": 2}}
    held = ["/rights/copyrightHolder/logo/width", "/rights/copyrightHolder/url", "/rights/license"]
    first = {
        **MINIMAL,
        "rights": rights,
        "dateline": {"text": "PARIS", "place": place},
        "authors": [person],
        "publisher": org,
        "subjects": [topic],
        "about": [entity],
    }
    second = {
        **MINIMAL,
        "rights": rights,
        "dateline": {
            "text": "PARIS",
            "place": {**place, "geo": {"latitude": 48.0, "longitude": 2}},
        },
        "authors": [{"name": "Bo"}, person],
        "contributors": [person],
        "sourceAgency": org,
        "provider": org,
        "subjects": [{"scheme": "ex", "code": "y"}, topic],
        "mentions": [entity],
    }
    once = ["/about/0/sameAs/0", "/authors/0/url", "/publisher/logo/width", "/publisher/url"]
    for fields, expected, latitude in [
        (first, once + held, "48"),
        (
            second,
            [
                *held,
                "/authors/1/url",
                "/contributors/0/url",
                "/mentions/0/sameAs/0",
                "/provider/logo/width",
                "/provider/url",
                "/sourceAgency/logo/width",
                "/sourceAgency/url",
            ],
            "48.0",
        ),
        (first, once + held, "48"),
    ]:
        data, lost = quiet_export(Article.from_dict(fields))
        assert sorted(lost) == sorted(expected)
        root = valid(xsd, data)
        assert undeclared_aliases(root, set(g2.IPTC_ALIASES)) == set()
        schemes = {s.get("alias"): s.get("uri") for s in root.iter(f"{{{g2.NAR}}}scheme")}
        assert schemes["ex"] == "https://ex.example/"
        assert {"wirekit", "wirekit-role"} <= schemes.keys()
        (located,) = root.iterfind(".//g:located/g:geoAreaDetails/g:position", NS)
        assert located.get("latitude") == latitude


def test_an_article_newsml_g2_carries_whole_exports_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", LossyConversionWarning)
        export(rich())


@pytest.mark.parametrize(
    ("fields", "pointer", "written"),
    [
        ({"dateModified": "2025-07-30T23:30:00+15:00"}, "/dateModified", "2025-07-30T08:30:00Z"),
        ({"dateCreated": "0000-01-01T00:00:00Z"}, "/dateCreated", None),
        ({"datePublished": "0000-12-31"}, "/datePublished", None),
    ],
)
def test_a_date_xml_schema_cannot_hold_is_moved_to_utc_or_left_out_with_a_warning(
    xsd: Any, fields: dict[str, Any], pointer: str, written: str | None
) -> None:
    data, lost = quiet_export(Article.from_dict({**MINIMAL, **fields}))
    root = valid(xsd, data)
    assert lost == [pointer]
    values = root.xpath("//g:contentModified/text() | //g:contentCreated/text()", namespaces=NS)
    assert values == ([written] if written else [])


def test_entities_sharing_an_identifier_keep_coordinates_only_when_they_agree(xsd: Any) -> None:
    geo = {"latitude": 1.5, "longitude": 2}
    same = {"type": "place", "name": "X", "wikidata": "Q5", "geo": geo}
    data, lost = quiet_export(Article.from_dict({**MINIMAL, "about": [same], "mentions": [same]}))
    assert lost == []
    other = {**same, "geo": {"latitude": 0, "longitude": 0}}
    data, lost = quiet_export(Article.from_dict({**MINIMAL, "about": [same], "mentions": [other]}))
    valid(xsd, data)
    assert lost == ["/about/0/geo", "/mentions/0/geo"]


def test_strict_conversion_fails_naming_the_field(run_wirekit: Any, tmp_path: Path) -> None:
    source = tmp_path / "story.json"
    source.write_text(json.dumps({**MINIMAL, "images": [{"url": "https://p.example/a.jpg"}]}))
    code, out, err = run_wirekit("convert", str(source), "--to", "newsml-g2", "--strict")
    assert code == 1 and out == ""
    assert "/images" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = run_wirekit("convert", str(source), "--to", "newsml-g2")
    assert code == 0 and out.startswith("<?xml")
    assert "warning" in err and "/images" in err


# --- the newsMessage ------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")
def test_the_seeds_as_one_message_validate_and_hold_the_same_items(
    xsd: Any, repo_config: Config, seed_articles: list[Article]
) -> None:
    message = NewsMLG2MessageExporter(repo_config).export_collection(seed_articles)
    root = valid(xsd, message)
    items = root.findall("g:itemSet/g:newsItem", NS)
    assert len(items) == len(seed_articles)
    for item, article in zip(items, seed_articles, strict=True):
        alone = etree.fromstring(export(article, repo_config))
        standalone = copy.deepcopy(item)  # the item with the namespace it inherits
        assert etree.tostring(standalone, method="c14n2") == etree.tostring(alone, method="c14n2")
    stamps = [i.findtext("g:itemMeta/g:versionCreated", namespaces=NS) for i in items]
    assert root.findtext("g:header/g:sent", namespaces=NS) == max(stamps, key=g2.instant)
    sender = root.findtext("g:header/g:sender", namespaces=NS)
    assert sender == (seed_articles[0].provider or seed_articles[0].publisher).name  # type: ignore[union-attr]


@given(articles(), articles())
def test_generated_messages_validate(xsd: Any, first: Article, second: Article) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        valid(xsd, NewsMLG2MessageExporter().export_collection([first, second]))


def test_sent_is_the_newest_version_in_any_order_or_the_option() -> None:
    old = Article.from_dict({**MINIMAL, "dateModified": "2025-07-30T12:00:00+02:00"})
    new = Article.from_dict({**MINIMAL, "dateModified": "2025-07-30T11:00:00Z"})  # later
    for batch in ([old, new], [new, old]):
        root = etree.fromstring(NewsMLG2MessageExporter().export_collection(batch))
        assert root.findtext("g:header/g:sent", namespaces=NS) == "2025-07-30T11:00:00Z"
    chosen = NewsMLG2MessageExporter(sent="2026-01-01T00:00:00+01:00", sender="Desk")
    root = etree.fromstring(chosen.export_collection([old]))
    assert root.findtext("g:header/g:sent", namespaces=NS) == "2026-01-01T00:00:00+01:00"
    assert root.findtext("g:header/g:sender", namespaces=NS) == "Desk"


@pytest.mark.parametrize("sent", ["yesterday", "2025-07-30T09:00:00", "2025-07-30T09:00:00+15:00"])
def test_a_bad_sent_option_is_a_usage_error(sent: str) -> None:
    with pytest.raises(UsageError, match="sent"):
        NewsMLG2MessageExporter(sent=sent)


def test_an_empty_message_is_refused() -> None:
    with pytest.raises(ExportError):
        NewsMLG2MessageExporter().export_collection([])


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("2025-07-30T09:15:00Z", "2025-07-30T09:15:00Z"),
        ("2025-07-30T09:15:00.123456789+14:00", "2025-07-30T09:15:00.123456789+14:00"),
        ("2025-07-30T09:15:00-14:00", "2025-07-30T09:15:00-14:00"),
        ("2025-07-30T09:15:00+14:01", "2025-07-29T19:14:00Z"),
        ("2025-01-01T01:00:00.5-23:59", "2025-01-02T00:59:00.5Z"),
        ("0001-01-01T00:00:00+15:00", None),  # the same instant is in year 0
        ("9999-12-31T23:00:00-15:00", None),  # ... or in year 10000
        ("0000-06-01T00:00:00Z", None),
    ],
)
@pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")
def test_date_times_xml_schema_cannot_hold_are_moved_or_refused(
    xsd: Any, value: str, written: str | None
) -> None:
    result = g2.date_time(value)
    assert result.value == written
    assert (result.why is None) is (written == value)
    if written is not None:
        assert xsd.validate(etree.fromstring(export({**MINIMAL, "dateModified": value})))


_XS_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**20), 10**20))
def test_a_number_is_an_xs_decimal_that_reads_back_as_itself(number: float) -> None:
    written = decimal(number)
    assert _XS_DECIMAL.fullmatch(written), written
    assert float(written) == number if isinstance(number, float) else int(written) == number
