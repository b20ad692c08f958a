"""RDF: one graph in every syntax, the same graph as the JSON-LD, read by rdflib and pyoxigraph."""

from __future__ import annotations

from pathlib import Path

import orjson
import pyoxigraph
import pytest
import rdflib
from hypothesis import given
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from tests.strategies import articles
from tests.test_schemaorg_support import (
    RDFLIB_DEPRECATIONS,
    expand_to_graph,
    no_network,  # noqa: F401 (an autouse fixture)
    official_loader,
    parse_rdflib,
)
from wirekit import registry
from wirekit.formats.schemaorg import rdf
from wirekit.formats.schemaorg.context import inline
from wirekit.model import Article

SYNTAXES = ("turtle", "ntriples", "nquads", "trig", "rdfxml")
OXIGRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
}
SCHEMA_DATE = rdflib.URIRef("http://schema.org/Date")


pytestmark = [
    RDFLIB_DEPRECATIONS,
    # what schema.org cannot carry is the mapping's business (tests/test_schemaorg.py)
    pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning"),
]


def export(name: str, article: Article, **options: str) -> bytes:
    return registry.exporter(name)(**options).export(article)


def assert_isomorphic(expected: rdflib.Graph, actual: rdflib.Graph, what: str) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        missing = sorted(only_expected.serialize(format="nt").splitlines())[:5]
        extra = sorted(only_actual.serialize(format="nt").splitlines())[:5]
        pytest.fail(f"{what}: graphs differ\nonly expected: {missing}\nonly actual: {extra}")


def oxigraph_triples(data: bytes, syntax: str) -> set[tuple[str, str, str]]:
    """What pyoxigraph reads, as N-Triples terms, graph names dropped."""
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in pyoxigraph.parse(data, format=OXIGRAPH_FORMATS[syntax])
    }


# --- the JSON-LD and the RDF are one graph ---------------------------------------------------


def check_jsonld_is_the_turtle_graph(article: Article, specs: Path) -> None:
    turtle = parse_rdflib(export("turtle", article), "turtle")
    for form in ("nested", "graph"):
        jsonld = expand_to_graph(export("jsonld", article, form=form), official_loader(specs))
        assert_isomorphic(turtle, jsonld, f"{article.id}: jsonld ({form}) vs turtle")


def test_the_seeds_jsonld_expands_to_their_turtle_graph(
    seed_articles: list[Article], specs: Path
) -> None:
    assert len(seed_articles) >= 7
    for article in seed_articles:
        check_jsonld_is_the_turtle_graph(article, specs)


@given(article=articles())
def test_any_articles_jsonld_expands_to_its_turtle_graph(article: Article, specs: Path) -> None:
    check_jsonld_is_the_turtle_graph(article, specs)


def test_rdflib_reads_the_jsonld_offline_as_the_same_graph(seed_articles: list[Article]) -> None:
    """A second JSON-LD processor, given the document with its context inlined, agrees."""
    for article in seed_articles:
        document = inline(orjson.loads(export("jsonld", article)))
        jsonld = rdflib.Graph().parse(data=orjson.dumps(document), format="json-ld")
        assert_isomorphic(parse_rdflib(export("turtle", article), "turtle"), jsonld, article.id)


# --- every syntax, both libraries ------------------------------------------------------------


def check_every_syntax(article: Article) -> None:
    outputs = {name: export(name, article) for name in SYNTAXES}
    reference = parse_rdflib(outputs["ntriples"], "ntriples")
    oxigraph_reference = oxigraph_triples(outputs["ntriples"], "ntriples")
    assert len(reference) == len(oxigraph_reference) == len(rdf.triples(article))
    for name, data in outputs.items():
        assert_isomorphic(reference, parse_rdflib(data, name), f"{article.id}: rdflib, {name}")
        assert oxigraph_triples(data, name) == oxigraph_reference, f"{article.id}: oxigraph, {name}"
    assert_isomorphic(reference, rdf.graph(article), f"{article.id}: rdf.graph")


def test_the_seeds_parse_alike_in_every_syntax_with_rdflib_and_pyoxigraph(
    seed_articles: list[Article],
) -> None:
    for article in seed_articles:
        check_every_syntax(article)


@given(articles())
def test_any_article_parses_alike_in_every_syntax_with_rdflib_and_pyoxigraph(
    article: Article,
) -> None:
    check_every_syntax(article)


def test_text_survives_escaping_exactly() -> None:
    nasty = (
        'quote " backslash \\ newline \n tab \t del \x7f c1 \x85 rtl \u200f emoji 👩‍👩‍👧 ]]> <>&'
    )
    article = Article.from_dict(
        {
            "id": "urn:wirekit:escape",
            "version": 1,
            "headline": "h",
            "language": "en",
            "body": [{"type": "paragraph", "text": nasty}],
        }
    )
    for name in SYNTAXES:
        data = export(name, article)
        found = {
            q.object.value
            for q in pyoxigraph.parse(data, format=OXIGRAPH_FORMATS[name])
            if q.predicate.value == "http://schema.org/articleBody"
        }
        assert found == {nasty}, name
        assert rdflib.Literal(nasty) in set(parse_rdflib(data, name).objects()), name
    assert b"\\u007F" in export("ntriples", article)


def test_dates_are_schema_dates_written_as_the_article_holds_them() -> None:
    article = Article.from_dict(
        {
            "id": "urn:wirekit:dates",
            "version": 1,
            "headline": "h",
            "language": "en",
            "body": [{"type": "paragraph", "text": "t"}],
            "datePublished": "2025-07-30",
            "dateModified": "2025-07-31T09:15:00Z",
            "dateCreated": "2025-07-29T23:00:00.5+03:30",
        }
    )
    graph = parse_rdflib(export("turtle", article), "turtle")
    schema = rdflib.Namespace("http://schema.org/")
    for term, value in [
        ("datePublished", "2025-07-30"),
        ("dateModified", "2025-07-31T09:15:00Z"),
        ("dateCreated", "2025-07-29T23:00:00.5+03:30"),
    ]:
        literal = graph.value(rdflib.URIRef(article.id), schema[term])
        assert literal == rdflib.Literal(value, datatype=SCHEMA_DATE), term
    store = pyoxigraph.Store()
    store.load(export("nquads", article), format=pyoxigraph.RdfFormat.N_QUADS)
    (row,) = store.query("SELECT ?d WHERE { GRAPH ?g { ?a <http://schema.org/dateModified> ?d } }")
    assert row["d"] == pyoxigraph.Literal(
        "2025-07-31T09:15:00Z", datatype=pyoxigraph.NamedNode(str(SCHEMA_DATE))
    )


# --- identity across articles ----------------------------------------------------------------


def test_the_same_person_in_two_articles_is_one_node_a_store_joins(
    seed_articles: list[Article],
) -> None:
    wikidata = "http://www.wikidata.org/entity/Q4115189"
    holders = [a for a in seed_articles if f"<{wikidata}>" in {s for s, _, _ in rdf.triples(a)}]
    assert len(holders) == 2
    for article in holders:
        graph = parse_rdflib(export("turtle", article), "turtle")
        assert (None, None, rdflib.URIRef(wikidata)) in graph
    store = pyoxigraph.Store()
    store.load(rdf.nquads(seed_articles), format=pyoxigraph.RdfFormat.N_QUADS)
    rows = store.query(
        f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{
                ?article ?role <{wikidata}> . ?article a ?type }} }}"""
    )
    assert sorted(row["g"].value for row in rows) == sorted(a.id for a in holders)


def test_each_article_is_the_named_graph_of_its_iri(seed_articles: list[Article]) -> None:
    for quads in (
        rdf.quads(seed_articles),
        list(pyoxigraph.parse(rdf.trig(seed_articles), format=pyoxigraph.RdfFormat.TRIG)),
    ):
        names = {q.graph_name.value for q in quads}
        assert names == {a.id for a in seed_articles}
        for article in seed_articles:
            inside = {
                (q.subject, q.predicate, q.object)
                for q in quads
                if q.graph_name.value == article.id
            }
            assert len(inside) == len(rdf.triples(article))
    single = registry.exporter("nquads")().export(seed_articles[0])
    assert single == rdf.nquads(seed_articles[:1])
    assert registry.exporter("nquads").collection and registry.exporter("trig").collection


def test_no_blank_nodes_so_reloading_an_article_adds_nothing(
    seed_articles: list[Article],
) -> None:
    store = pyoxigraph.Store()
    data = rdf.nquads(seed_articles)
    store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)
    count = len(store)
    store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)
    assert len(store) == count == sum(len(rdf.triples(a)) for a in seed_articles)
    assert b"_:" not in data


# --- canonical output ------------------------------------------------------------------------


def test_outputs_are_deterministic_and_sorted(seed_articles: list[Article]) -> None:
    for article in seed_articles:
        for name in (*SYNTAXES, "jsonld"):
            assert export(name, article) == export(name, Article.from_dict(article.to_dict()))
        lines = export("ntriples", article).decode().splitlines()
        assert lines == sorted(set(lines))
        turtle = export("turtle", article).decode()
        assert turtle.startswith("@prefix schema: <http://schema.org/> .\n\n<")
        assert "https://schema.org/" not in turtle
        subjects = [line.split(" ", 1)[0] for line in turtle.splitlines() if line[:1] == "<"]
        assert subjects == sorted(subjects)
