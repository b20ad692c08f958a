"""The jsonld importer: wirekit's own JSON-LD back to the same article, other publishers' pages
read as they are written, and never a fetch."""

from __future__ import annotations

import copy
import warnings
from typing import Any

import orjson
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.strategies import articles
from tests.test_schemaorg_support import no_network  # noqa: F401 (an autouse fixture)
from wirekit import registry, schema
from wirekit.config import Config
from wirekit.errors import InputError, InputWarning
from wirekit.formats.schemaorg.mapping import article_node, canonical_double, walk
from wirekit.formats.schemaorg.reader import JSONLDImporter
from wirekit.formats.schemaorg.writer import document
from wirekit.model import Article

pytestmark = pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")

NOT_CARRIED = ("slug", "embargoedUntil", "pubStatus", "urgency", "signals", "notes")
NOT_CARRIED += ("provider", "related", "extensions", "type", "caption", "byline", "renditions")


def carried(article: Article) -> dict[str, Any]:
    """What a jsonld round trip gives back: the article without what schema.org cannot carry
    (see wirekit.formats.schemaorg.reader.CARRIED), the body as paragraphs split at blank lines."""
    data = copy.deepcopy(article.to_dict())
    for key in NOT_CARRIED:
        data.pop(key, None)
    paragraphs = [p for p in article.text.split("\n\n") if p] or [article.text]
    data["body"] = [{"type": "paragraph", "text": p} for p in paragraphs]
    data.get("dateline", {}).pop("date", None)
    for person in data.get("authors", []):
        person.pop("role", None)
    for field in ("authors", "contributors"):  # system ids stay out of public outputs
        people = [{k: v for k, v in p.items() if k != "id"} for p in data.pop(field, [])]
        if any("name" in p for p in people):
            data[field] = [p for p in people if "name" in p]
    places = [data.get("dateline", {}).get("place", {})]
    for entity in data.get("about", []) + data.get("mentions", []):
        if entity["type"] != "place":
            entity.pop("geo", None)
        places.append(entity)
    for place in places:  # at the 16 significant digits of JSON-LD's xsd:double
        if "geo" in place:
            place["geo"] = {k: float(canonical_double(v)) for k, v in place["geo"].items()}
    return data


def imported(data: bytes | str, config: Config | None = None) -> list[dict[str, Any]]:
    raw = data.encode() if isinstance(data, str) else data
    records = list(JSONLDImporter(config or Config()).parse(raw))
    found = [r.data for r in records if r.data is not None]
    for item in found:
        assert schema.problems(item) == [], item
    return found


def round_trip(article: Article, form: str = "nested") -> dict[str, Any]:
    (data,) = imported(registry.exporter("jsonld")(form=form).export(article))
    return data


# --- round trips -----------------------------------------------------------------------------


def test_the_seeds_come_back_as_they_went_out(seed_articles: list[Article]) -> None:
    seed_articles = [a for a in seed_articles if a.body]  # a picture is no schema.org Article
    for article in seed_articles:
        assert round_trip(article) == carried(article)
    clean = [a for a in seed_articles if not repeats(a)]
    assert 0 < len(clean) < len(seed_articles)  # Valencia names Q8818 twice
    for article in clean:
        assert round_trip(article, "graph") == carried(article)


@given(articles())
def test_the_round_trip_is_the_identity_on_every_carried_field(article: Article) -> None:
    assume(article.text)  # a body of empty table cells has no articleBody to carry
    assert round_trip(article) == carried(article)


def repeats(article: Article) -> bool:
    """Whether a node IRI is used twice (one Wikidata person as author and mention, one concept
    listed twice): the flattened @graph writes each IRI once, descriptions and lists merged as
    RDF's sets are, so such an article cannot come back unchanged from that form."""
    ids = [node.id for node in walk(article_node(article))]
    return len(ids) != len(set(ids))


@given(articles())
def test_the_graph_form_round_trips_too_where_no_iri_is_used_twice(article: Article) -> None:
    assume(not repeats(article) and article.text)
    assert round_trip(article, "graph") == carried(article)


def test_the_html_page_embeds_what_the_importer_reads(seed_articles: list[Article]) -> None:
    html = registry.exporter("html")(alternates="none")
    for article in (a for a in seed_articles if a.body):
        (data,) = imported(html.export(article))
        assert data == carried(article)


# --- other publishers' pages -----------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="es"><head><title>x</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BreadcrumbList",
 "itemListElement": []}</script>
<script type="application/ld+json">
//<![CDATA[
{"@context": "https://schema.org/", "@graph": [
  {"@type": "WebPage", "@id": "https://diario.example/a/#webpage", "url": "https://diario.example/a/"},
  {"type": "NewsArticle", "id": "https://diario.example/a/#article",
   "isPartOf": {"@id": "https://diario.example/a/#webpage"},
   "headline": "Riada en Valencia\\n", "inLanguage": {"@type": "Language", "alternateName": "es"},
   "datePublished": {"@value": "2025-08-12T06:30:00+02:00", "@type": "Date"},
   "author": [{"@id": "https://diario.example/#/person/1"}, "Redacción"],
   "publisher": {"@id": "https://diario.example/#org"},
   "image": ["https://diario.example/img/1.jpg", {"@id": "https://diario.example/a/#primaryimage"}],
   "keywords": ["riada", "Valencia", "riada"], "isAccessibleForFree": "False",
   "about": {"@type": "City", "name": "Valencia", "sameAs": ["https://www.wikidata.org/wiki/Q8818",
             "http://sws.geonames.org/2509954/"]},
   "articleBody": "Primer párrafo.\\n\\nSegundo párrafo.", "correction": "Corregido el título."},
  {"@type": "Person", "@id": "https://diario.example/#/person/1", "name": "Ana Ruiz",
   "url": "https://diario.example/autores/ana/"},
  {"@type": "NewsMediaOrganization", "@id": "https://diario.example/#org", "name": "El Diario",
   "logo": "https://diario.example/logo.png"},
  {"@type": "ImageObject", "@id": "https://diario.example/a/#primaryimage",
   "contentUrl": "https://diario.example/img/2.jpg", "width": "1200", "caption": "La riada."}
]}
//]]>
</script>
<script type="application/ld+json">{"broken": </script>
</head><body><p>No JSON-LD down here</p></body></html>"""


def test_a_publishers_page_is_read_as_written() -> None:
    with pytest.warns(InputWarning) as caught:
        (data,) = imported(PAGE)
    messages = sorted(str(w.message) for w in caught)
    assert messages[0].startswith("JSON-LD block 3: malformed JSON") and "skipped" in messages[0]
    assert messages[1:] == [
        "https://diario.example/a/#article: not carried (no field in the model): isPartOf",
        "https://diario.example/a/#article: removed control characters",
    ]
    assert data == {
        "id": "https://diario.example/a/#article",
        "version": 1,
        "headline": "Riada en Valencia ",
        "language": "es",
        "body": [
            {"type": "paragraph", "text": "Primer párrafo."},
            {"type": "paragraph", "text": "Segundo párrafo."},
        ],
        "datePublished": "2025-08-12T06:30:00+02:00",
        "corrections": [{"text": "Corregido el título."}],
        "authors": [
            {"name": "Ana Ruiz", "url": "https://diario.example/autores/ana/"},
            {"name": "Redacción"},
        ],
        "publisher": {"name": "El Diario", "logo": {"url": "https://diario.example/logo.png"}},
        "isAccessibleForFree": False,
        "keywords": ["riada", "Valencia"],
        "about": [
            {"type": "place", "name": "Valencia", "wikidata": "Q8818", "geonames": "2509954"}
        ],
        "images": [
            {"url": "https://diario.example/img/1.jpg"},
            {"url": "https://diario.example/img/2.jpg", "caption": "La riada.", "width": 1200},
        ],
    }


def test_prefixed_terms_the_https_namespace_and_inline_contexts_all_read_as_schema_org() -> None:
    doc = {
        "@context": [{"s": "https://schema.org/", "body": "s:articleBody"}],
        "@type": "s:OpinionNewsArticle",
        "@id": "urn:x:1",
        "s:headline": "H",
        "body": "B",
        "http://schema.org/inLanguage": "de",
        "https://example.org/other": "ignored",
    }
    (data,) = imported(orjson.dumps(doc))
    assert data == {
        "id": "urn:x:1",
        "version": 1,
        "headline": "H",
        "language": "de",
        "body": [{"type": "paragraph", "text": "B"}],
        "genres": [{"scheme": "genre", "code": "Opinion"}],
    }


def test_what_the_page_does_not_say_comes_from_the_config() -> None:
    doc = {"@context": {"@vocab": "http://schema.org/"}, "@type": "Article", "headline": "Ça va"}
    with pytest.warns(InputWarning, match="no articleBody"):
        doc["description"] = "Summary."
        (data,) = imported(orjson.dumps(doc), Config(base_iri="urn:desk:", language="fr"))
    assert data["id"] == "urn:desk:ca-va"
    assert data["language"] == "fr"
    assert data["body"] == [{"type": "paragraph", "text": "Summary."}]


@pytest.mark.parametrize(
    ("body", "paragraphs"),
    [
        ("One.\n\nTwo.\nStill two.", ["One.", "Two.\nStill two."]),
        ("One.\n\n\n\nTwo.", ["One.", "Two."]),
        ("\n\n", ["\n\n"]),
        (" ", [" "]),
    ],
)
def test_the_body_is_split_into_paragraphs_at_blank_lines(body: str, paragraphs: list[str]) -> None:
    doc = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "h"}
    (data,) = imported(orjson.dumps({**doc, "articleBody": body}))
    assert data["body"] == [{"type": "paragraph", "text": p} for p in paragraphs]


def test_every_article_on_a_page_is_a_record() -> None:
    two = [
        {"@context": "https://schema.org", "@type": "NewsArticle", "@id": f"urn:a:{i}",
         "headline": f"H{i}", "articleBody": "B"}
        for i in (1, 2)
    ]  # fmt: skip
    records = list(JSONLDImporter(Config()).parse(orjson.dumps(two)))
    assert [(r.place, r.data and r.data["id"]) for r in records] == [
        ("article 1", "urn:a:1"),
        ("article 2", "urn:a:2"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"@context": "https://schema.org", "@type": "WebPage", "name": "x"}', "no schema.org"),
        (b'{"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": "b"}',
         "no headline"),
        ('{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "\u3000",'
         ' "name": " ", "articleBody": "b"}', "no headline"),
        (b'{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "h"}',
         "no articleBody"),
        (b'{"@context": "https://schema.org", "@type": "NewsArticle", "headline": ', "malformed"),
        (b"\xff{}", "not UTF-8"),
        (b"<html><body>nothing</body></html>", "no schema.org"),
    ],
)  # fmt: skip
def test_unreadable_input_is_an_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        imported(data)


# --- contexts: resolved locally, never fetched -----------------------------------------------


@pytest.mark.parametrize(
    "context",
    [
        "https://example.org/context.jsonld",
        ["https://schema.org", "http://example.org/extra"],
        {"@import": "https://schema.org"},
        {"author": {"@id": "schema:author", "@context": "https://example.org/scoped"}},
    ],
)
def test_an_unknown_remote_context_is_an_input_error_not_a_fetch(
    context: Any, request: pytest.FixtureRequest
) -> None:
    doc = {"@context": context, "@type": "NewsArticle", "headline": "h", "articleBody": "b"}
    with pytest.raises(InputError, match=r"not available offline|@import"):
        imported(orjson.dumps(doc))
    page = f'<script type="application/ld+json">{orjson.dumps(doc).decode()}</script>'
    with pytest.warns(InputWarning), pytest.raises(InputError, match=r"block 1.*(offline|@import)"):
        imported(page)
    assert request.getfixturevalue("no_network") == []


def test_the_network_guard_catches_a_connection(request: pytest.FixtureRequest) -> None:
    import socket
    import urllib.request

    attempts = request.getfixturevalue("no_network")
    with pytest.raises(OSError, match="network access"):
        urllib.request.urlopen("https://schema.org", timeout=1)
    with pytest.raises(OSError, match="network access"):
        socket.socket().connect(("192.0.2.1", 80))
    assert len(attempts) == 2
    attempts.clear()  # the guard worked; let the test pass


# --- recognising the format ------------------------------------------------------------------


def test_sniffing_is_cheap_and_specific(seed_articles: list[Article]) -> None:
    jsonld = registry.exporter("jsonld")().export(seed_articles[0])
    canonical = registry.exporter("json")().export(seed_articles[0])
    page = registry.exporter("html")(alternates="none").export(seed_articles[0])
    assert JSONLDImporter.sniff(jsonld[:4096])
    assert JSONLDImporter.sniff(b"\xef\xbb\xbf [" + jsonld[:100])
    assert not JSONLDImporter.sniff(canonical[:4096])
    assert JSONLDImporter.sniff(page[:4096])
    assert not JSONLDImporter.sniff(b"<!doctype html><html><body>plain</body></html>")
    assert not JSONLDImporter.sniff(b"date 2025-07-30 TEHRAN - text")
    assert registry.importer_for(jsonld[:4096], "article.json").name == "jsonld"
    assert registry.importer_for(canonical[:4096], "article.json").name == "json"
    assert registry.importer_for(b"", "page.html").name == "jsonld"
    assert registry.importer_for(b"", "article.jsonld").name == "jsonld"


def test_control_characters_from_other_publishers_are_repaired_with_a_warning() -> None:
    doc = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Two\tlines\r\n",
        "articleBody": "Body\x00text",
        "keywords": ["a\nb"],
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (data,) = imported(orjson.dumps(doc))
    assert data["headline"] == "Two lines "
    assert data["body"] == [{"type": "paragraph", "text": "Bodytext"}]
    assert data["keywords"] == ["a b"]
    assert any(issubclass(w.category, InputWarning) for w in caught)


def test_the_document_function_is_what_the_exporter_writes(seed_articles: list[Article]) -> None:
    for form in ("nested", "graph"):
        exporter = registry.exporter("jsonld")(form=form)
        for article in seed_articles:
            assert orjson.loads(exporter.export(article)) == document(article, form)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(
        st.sampled_from(
            ["@id", "@type", "@value", "@list", "@graph", "id", "type", "headline", "author",
             "name", "articleBody", "image", "about", "sameAs", "inLanguage", "schema:url",
             "publisher", "logo", "correction", "genre", "termCode", "geo", "latitude", "x"]
        ),
        inner,
        max_size=5,
    ),
    max_leaves=20,
)  # fmt: skip


@given(st.dictionaries(st.sampled_from(["headline", "articleBody", "author", "@graph"]), _JSON))
def test_any_json_ld_is_read_or_refused_with_an_input_error(extra: dict[str, Any]) -> None:
    doc = {"@context": "https://schema.org", "@type": "NewsArticle", **extra}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        try:
            records = list(JSONLDImporter(Config()).parse(orjson.dumps(doc)))
        except InputError:
            return
    assert records and all(isinstance(r.data, dict) for r in records)


def test_the_html_scan_keeps_within_a_memory_budget() -> None:
    """A 9 MB page of nothing but ``<a `` took an HTML parser 1.6 GB; the scan keeps the page
    and the blocks it finds, nothing per tag (issue 16)."""
    import tracemalloc

    from wirekit.config import Config
    from wirekit.formats.schemaorg.reader import JSONLDImporter

    page = b"<html>" + b"<a " * 3_000_000
    importer = JSONLDImporter(Config())
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"no schema\.org Article"):
            list(importer.parse(page, "huge.html"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(page) + (8 << 20), f"{peak >> 20} MB for a {len(page) >> 20} MB page"
