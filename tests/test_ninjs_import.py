"""The ninjs importer: IPTC's official 2.x and 3.x examples (dpa, NTB, TT, IPTC's own) and the
constructed documents import to schema-valid articles, and ``conformance`` judges documents
against the official schema of their own version, with GeoJSON resolved from the specs folder.
"""

from __future__ import annotations

import io
import socket
import warnings
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import SAMPLES as SHARED_SAMPLES
from tests.conftest import seed_files
from wirekit import registry, schema
from wirekit.config import Config
from wirekit.errors import InputError, InputWarning
from wirekit.formats.ninjs.reader import NinjsImporter, _validator
from wirekit.sources import Reader
from wirekit.specs import MissingSpec

NINJS = SHARED_SAMPLES / "ninjs"
"""IPTC's examples and the constructed documents: a corpus in ../shared, read in place."""
SAMPLES = sorted((NINJS / "examples").glob("*/*.json")) + sorted(
    (NINJS / "constructed").glob("*.json")
)
PAIRS = [
    ("2.x/doc22_003_associations_example.json", "3.x/doc31_003_associations_example.json"),
    ("2.x/doc22_004_simple_text_article.json", "3.x/doc31_004_simple_text_article.json"),
    ("2.x/doc22_005_complex_text_article.json", "3.x/doc31_005_complex_text_article.json"),
    ("2.x/dpa_text.json", "3.x/dpa_text.json"),
    ("2.x/ntb_text.json", "3.x/ntb_text.json"),
    ("../constructed/rich_text_article_2.2.json", "../constructed/rich_text_article_3.1.json"),
]


def read(path: Path, config: Config | None = None) -> list[dict[str, Any]]:
    """The valid articles of a file, read the way ``wirekit convert`` reads it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        results = list(Reader(config or Config()).read(path))
    assert all(r.error is None for r in results), [str(r.error) for r in results]
    return [r.article.to_dict() for r in results if r.article is not None]


def parse(item: Any, config: Config | None = None) -> dict[str, Any]:
    return NinjsImporter(config or Config()).article(item)


@pytest.mark.corpus
def test_the_samples_are_all_there() -> None:
    assert len(SAMPLES) == 15


@pytest.mark.corpus
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_official_example_imports_to_a_valid_article(path: Path) -> None:
    head = path.read_bytes()[:4096]
    assert NinjsImporter.sniff(head)
    assert registry.importer_for(head, path) is NinjsImporter
    [article] = read(path)
    assert schema.problems(article) == []
    assert article["id"] == orjson.loads(path.read_bytes())["uri"]
    assert article["headline"] and article["body"]


@pytest.mark.corpus
@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair[1])
def test_the_2x_and_3x_spellings_of_an_example_import_alike(pair: tuple[str, str]) -> None:
    two, three = (NINJS / "examples" / name for name in pair)
    assert read(two) == read(three)


@pytest.mark.corpus
def test_dpa_html_body_becomes_paragraphs_and_its_metadata_comes_along() -> None:
    [article] = read(NINJS / "examples/3.x/dpa_text.json")
    assert (article["language"], article["version"], article["urgency"]) == ("de", 2, 4)
    assert article["dateModified"] == "2019-05-10T16:02:28+02:00"
    assert article["rights"]["copyrightHolder"] == {"name": "dpa"}
    assert article["byline"] == "Von Christian Hollmann, dpa"  # as printed, never a name
    assert len(article["body"]) == 9
    assert {block["type"] for block in article["body"]} == {"paragraph"}
    assert article["body"][0]["text"].startswith("Für Lucien Favre war es «der größte Skandal")


@pytest.mark.corpus
def test_ntb_without_a_body_gets_its_description_with_a_warning() -> None:
    with pytest.warns(InputWarning, match="description stands in"):
        article = parse(orjson.loads((NINJS / "examples/2.x/ntb_text.json").read_bytes()))
    assert article["body"] == [{"type": "paragraph", "text": article["summary"].strip()}]
    assert article["slug"] == "skien-google"
    assert article["language"] == "nb-NO"
    assert "usageTerms" not in article.get("rights", {})  # "" means nothing
    assert article["subjects"][1] == {"scheme": "ninjs", "code": "13010000", "label": "Teknologi"}


@pytest.mark.corpus
def test_tt_picture_places_and_html5_body() -> None:
    [article] = read(NINJS / "examples/3.x/tt_text_image_3.json")
    assert article["slug"] == "militarovning"
    [image] = article["images"]
    assert image["url"].endswith("a001_NormalHires.jpg")
    assert (image["width"], image["height"], image["mediaType"]) == (4724, 3149, "image/jpeg")
    assert image["credit"] == "Karl Melander/TT"
    assert image["caption"].startswith("En stor internationell försvarsövning")
    gotland = next(e for e in article["mentions"] if e["name"] == "Gotland")
    assert gotland["geo"] == {"latitude": 57.6381, "longitude": 18.2979}
    kinds = [block["type"] for block in article["body"]]
    assert kinds[0] == "heading" and kinds.count("blockquote") == 2
    texts = " ".join(block.get("text", "") for block in article["body"])
    assert "Karl Melander" not in texts  # a picture credit inside a figure is not body text
    assert "Militärövning i jätteformat" not in texts.split(" ", 1)[1]  # head/title dropped


@pytest.mark.corpus
def test_constructed_article_keeps_its_structure() -> None:
    [article] = read(NINJS / "constructed/rich_text_article_2.2.json")
    assert article["subheadline"] == "Trial postponed by nationwide lawyers' strike"
    assert article["summary"].startswith("The trial of the captain")
    assert article["embargoedUntil"] == "2013-07-09T11:00:00Z"  # 2.x "embargoed"
    assert article["genres"][0]["scheme"] == "genre" and article["genres"][0]["code"] == "Current"
    assert [s["code"] for s in article["subjects"]] == ["20000111", "20000145"]
    assert article["about"] == [
        {"type": "person", "name": "Francesco Schettino", "wikidata": "Q4421821"}
    ]
    assert article["dateline"] == {"text": "Grosseto, Italy", "place": {"name": "Grosseto, Italy"}}
    assert article["sourceAgency"]["name"] == "Example News"


def test_canonical_json_is_not_taken_for_ninjs() -> None:
    canonical = [p for p in seed_files() if p.suffix == ".json"]
    assert canonical
    for path in canonical:
        head = path.read_bytes()[:4096]
        assert not NinjsImporter.sniff(head), path
        assert registry.importer_for(head, path).name == "json"
    assert not NinjsImporter.sniff(b'{"uri": "x", "headline": "h", "headlines": []}')
    assert not NinjsImporter.sniff(b"uri headlines")


def test_an_array_of_news_objects_yields_one_record_each() -> None:
    good = {"uri": "urn:x:1", "headlines": [{"value": "H"}], "bodies": [{"value": "B"}]}
    data = orjson.dumps([good, "nonsense", {"headlines": []}])
    records = list(NinjsImporter(Config()).read(io.BytesIO(data), "feed.json"))
    assert [r.place for r in records] == ["/0", "/1", "/2"]
    assert records[0].data is not None and records[0].data["body"] == [
        {"type": "paragraph", "text": "B"}
    ]
    assert records[1].error is not None and "JSON object" in str(records[1].error)
    assert records[2].error is not None and "uri" in str(records[2].error)


def test_malformed_json_is_an_input_error_with_the_source() -> None:
    with pytest.raises(InputError, match=r"bad\.json.*malformed JSON"):
        list(NinjsImporter(Config()).read(io.BytesIO(b'{"uri": '), "bad.json"))


def test_what_the_model_requires_is_derived() -> None:
    item = {"uri": "urn:x:1", "title": "From the title", "bodies": [{"value": "Text."}]}
    article = parse(item, Config(language="fr"))
    assert (article["version"], article["language"], article["headline"]) == (
        1,
        "fr",
        "From the title",
    )
    with pytest.warns(InputWarning, match="read as 1"):
        assert parse({**item, "version": "v2"})["version"] == 1
    assert parse({**item, "version": "7", "urgency": 2.0})["urgency"] == 2
    assert parse({**item, "headlines": [{"value": "Line\nbreak"}]})["headline"] == "Line break"
    # a headline of white space alone is none: the title stands in, as for a missing one
    blank = [{"role": "main", "value": "\u00a0\u3000 "}, {"role": "sub", "value": " "}]
    assert parse({**item, "headlines": blank})["headline"] == "From the title"
    assert parse({**item, "headlines": blank})["subheadline"] == " "  # kept as content


def test_foreign_identifiers_and_concepts_are_understood() -> None:
    item = {
        "uri": "urn:x:1",
        "headlines": [{"value": "H"}],
        "bodies": [{"value": "B"}],
        "subjects": [
            {"name": "diplomacy", "uri": "http://cv.iptc.org/newscodes/mediatopic/20000565"},
            {"name": "Ohne Code"},
        ],
        "places": [{"name": "Tehran", "rel": "about", "uri": "https://sws.geonames.org/112931/"}],
        "people": [{"name": "X", "rel": "author", "uri": "https://www.wikidata.org/wiki/Q42"}],
        "infoSources": [{"name": "AP", "role": "publisher", "uri": "not a uri"}],
    }
    article = parse(item)
    assert article["subjects"] == [
        {
            "scheme": "medtop",
            "code": "20000565",
            "label": "diplomacy",
            "uri": "http://cv.iptc.org/newscodes/mediatopic/20000565",
        },
        {"scheme": "ninjs", "code": "Ohne-Code", "label": "Ohne Code"},
    ]
    assert article["about"] == [{"type": "place", "name": "Tehran", "geonames": "112931"}]
    assert article["mentions"] == [{"type": "person", "name": "X", "wikidata": "Q42"}]
    assert article["publisher"] == {"name": "AP"}


# --- conformance ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def importer(specs: Path) -> NinjsImporter:
    return NinjsImporter(Config(specs=specs))


@pytest.mark.corpus
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_official_examples_conform(importer: NinjsImporter, path: Path) -> None:
    assert importer.conformance(path.read_bytes()) == []


def _doc(**fields: Any) -> bytes:
    return orjson.dumps({"uri": "urn:x:1", **fields})


@pytest.mark.parametrize(
    ("document", "pointer", "words"),
    [
        (_doc(urgency="4"), "/urgency", "is not of type 'integer'"),
        (_doc(pubStatus="cancelled"), "/pubStatus", "is not one of"),
        (_doc(versionCreated="2013-07-09 10:37"), "/versionCreated", "is not a 'date-time'"),
        (_doc(headlines=[{"role": "main"}]), "/headlines/0", "'value' is a required property"),
        (_doc(unknown=1), "", "'unknown' was unexpected"),
        (
            _doc(places=[{"name": "P", "geoJSON": {"type": "Point", "coordinates": [1]}}]),
            "/places/0/geoJSON",
            "is not valid under any of the given schemas",
        ),
        # 2.x spelling, so judged by the 2.2 schema, where urgency is any number but pubstatus
        # still has its enumeration
        (
            orjson.dumps({"uri": "u", "versioncreated": "2020-01-01T00:00:00Z", "pubstatus": "x"}),
            "/pubstatus",
            "is not one of",
        ),
    ],
)
def test_invalid_documents_are_reported_with_json_pointers(
    importer: NinjsImporter, document: bytes, pointer: str, words: str
) -> None:
    found = importer.conformance(document)
    assert [problem.pointer for problem in found] == [pointer]
    assert words in found[0].message


def test_each_document_is_judged_by_its_own_version(importer: NinjsImporter) -> None:
    two = orjson.dumps({"uri": "u", "versioncreated": "2020-01-01T00:00:00Z", "urgency": 0})
    assert importer.conformance(two) == []  # 2.2: urgency is any number
    three = orjson.dumps({"standard": {"version": "3.1"}, "uri": "u", "urgency": 0})
    assert [p.pointer for p in importer.conformance(three)] == ["/urgency"]
    declared = orjson.dumps({"standard": {"version": "2.2"}, "uri": "u", "versionCreated": "x"})
    assert [p.pointer for p in importer.conformance(declared)] == [""]  # a 3.x key in 2.2


def test_a_version_without_a_schema_of_its_own_is_judged_by_the_newest_of_its_line(
    importer: NinjsImporter,
) -> None:
    old = {"standard": {"version": "2.1"}, "uri": "u", "versioncreated": "2020-01-01T00:00:00Z"}
    assert importer.conformance(orjson.dumps(old)) == []
    assert [p.pointer for p in importer.conformance(orjson.dumps({**old, "pubstatus": "x"}))] == [
        "/pubstatus"
    ]


def test_an_array_is_judged_item_by_item(importer: NinjsImporter) -> None:
    data = orjson.dumps([{"uri": "a"}, {"uri": "b", "urgency": 10}])
    assert [p.pointer for p in importer.conformance(data)] == ["/1/urgency"]


def test_no_specs_means_no_official_verdict() -> None:
    assert NinjsImporter(Config()).conformance(_doc(urgency="x")) == []


def test_a_specs_folder_without_the_schema_says_how_to_fetch_it(tmp_path: Path) -> None:
    with pytest.raises(MissingSpec, match=r'run "wirekit specs fetch" .*ninjs-schema_3\.1\.json'):
        NinjsImporter(Config(specs=tmp_path)).conformance(_doc())


def test_geojson_is_resolved_locally_with_the_network_cut(
    importer: NinjsImporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("ninjs validation tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    _validator.cache_clear()  # compile again, with the network cut

    def placed(kind: str) -> bytes:
        point = {"type": kind, "coordinates": [11.97, 57.71]}
        return _doc(places=[{"name": "Göteborg"}, {"name": "Göteborg", "geoJSON": point}])

    assert importer.conformance(placed("Point")) == []
    assert [p.pointer for p in importer.conformance(placed("Pointe"))] == ["/places/1/geoJSON"]


def test_the_schema_is_compiled_once_per_process(importer: NinjsImporter) -> None:
    importer.conformance(_doc())
    before = _validator.cache_info()
    for _ in range(3):
        importer.conformance(_doc(urgency=1))
    after = _validator.cache_info()
    assert (after.misses, after.hits) == (before.misses, before.hits + 3)
