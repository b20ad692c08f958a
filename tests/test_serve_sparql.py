"""``/sparql`` and ``/void.ttl`` of ``wirekit serve``: the SPARQL 1.1 Protocol's query forms,
media types and errors with their status codes, on loopback; and the proxy to a real server."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import orjson
import pytest
import rdflib

from tests.conftest import ROOT, SEEDS
from tests.fault_server import FaultServer
from tests.oxigraph_server import OxigraphServer, oxigraph_binary
from tests.serve_helpers import running
from tests.store_fixtures import LIVE_SEEDS
from wirekit.config import load as load_config
from wirekit.serve.app import create_app
from wirekit.serve.sparql import federated, query_form
from wirekit.site.publish import Publisher

SCHEMA = "PREFIX schema: <http://schema.org/> "
HEADLINES = (
    SCHEMA + "SELECT ?a ?h WHERE { ?a a schema:NewsArticle ; schema:headline ?h } ORDER BY ?a"
)
LIVE = "https://news.example.org/id/2025-07-30-iran-venezuela-alliance"
PUBLIC = LIVE_SEEDS
"""The seeds' live articles: the dump leaves out the withheld and the withdrawn one."""
TRIPLE = f"<{LIVE}> ?p ?o"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tree")
    summary = Publisher(out, config=load_config(ROOT / "wirekit.toml"), jobs=1).run([SEEDS])
    assert not summary.failures
    return out


@pytest.fixture(scope="module")
def client(tree: Path) -> Iterator[httpx.Client]:
    app = create_app(
        tree, config=load_config(ROOT / "wirekit.toml"), query_timeout=3, row_limit=100
    )
    with running(app) as url, httpx.Client(base_url=url, timeout=30) as session:
        yield session


def _select(client: httpx.Client, accept: str, **kwargs: object) -> httpx.Response:
    return client.get("/sparql", params={"query": HEADLINES}, headers={"Accept": accept})


def test_select_as_json_by_get_and_both_posts(client: httpx.Client) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    answers = [
        client.get("/sparql", params={"query": HEADLINES}, headers=accept),
        client.post("/sparql", data={"query": HEADLINES}, headers=accept),
        client.post(
            "/sparql",
            content=HEADLINES.encode(),
            headers={**accept, "Content-Type": "application/sparql-query"},
        ),
    ]
    for response in answers:
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == "application/sparql-results+json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        bindings = orjson.loads(response.content)["results"]["bindings"]
        assert len(bindings) == PUBLIC
        assert bindings[0]["a"] == {"type": "uri", "value": LIVE}
        assert bindings[0]["h"]["type"] == "literal"
    assert answers[0].content == answers[1].content == answers[2].content


def test_select_as_xml_csv_and_tsv(client: httpx.Client) -> None:
    xml = _select(client, "application/sparql-results+xml")
    assert xml.headers["Content-Type"] == "application/sparql-results+xml; charset=utf-8"
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    assert len(ElementTree.fromstring(xml.content).findall(f".//{namespace}result")) == PUBLIC
    rows = list(csv.reader(io.StringIO(_select(client, "text/csv").text)))
    assert rows[0] == ["a", "h"] and len(rows) == PUBLIC + 1
    tsv = _select(client, "text/tab-separated-values")
    assert tsv.headers["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    assert tsv.text.splitlines()[0] == "?a\t?h"
    assert _select(client, "*/*").headers["Content-Type"] == "application/sparql-results+json"


def test_ask(client: httpx.Client) -> None:
    query = f"ASK {{ <{LIVE}> ?p ?o }}"
    response = client.get("/sparql", params={"query": query})
    assert orjson.loads(response.content) == {"head": {}, "boolean": True}
    xml = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert b"<boolean>true</boolean>" in xml.content


@pytest.mark.parametrize(
    ("accept", "rdflib_format", "content_type"),
    [
        ("text/turtle", "turtle", "text/turtle; charset=utf-8"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("application/n-triples", "nt", "application/n-triples"),
    ],
)
def test_construct_and_describe(
    client: httpx.Client, accept: str, rdflib_format: str, content_type: str
) -> None:
    for query in (
        f"CONSTRUCT {{ <{LIVE}> ?p ?o }} WHERE {{ <{LIVE}> ?p ?o }}",
        f"DESCRIBE <{LIVE}>",
    ):
        response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == content_type
        graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
        assert (rdflib.URIRef(LIVE), None, None) in graph


def test_a_dataset_from_the_protocol_parameters(client: httpx.Client) -> None:
    params = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": LIVE}
    one = orjson.loads(client.get("/sparql", params=params).content)
    whole = orjson.loads(client.get("/sparql", params={"query": params["query"]}).content)
    count = int(one["results"]["bindings"][0]["n"]["value"])
    assert 0 < count < int(whole["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    ("request_args", "status"),
    [
        ({"method": "GET", "url": "/sparql"}, 400),
        ({"method": "GET", "url": "/sparql", "params": {"query": "SELEKT nonsense"}}, 400),
        (
            {
                "method": "GET",
                "url": "/sparql",
                "params": [("query", "ASK {}"), ("query", "ASK {}")],
            },
            400,
        ),
        ({"method": "GET", "url": "/sparql", "params": {"update": "CLEAR ALL"}}, 403),
        ({"method": "GET", "url": "/sparql", "params": {"query": "DROP ALL"}}, 403),
        ({"method": "POST", "url": "/sparql", "data": {"update": "CLEAR ALL"}}, 403),
        (
            {
                "method": "POST",
                "url": "/sparql",
                "content": b"INSERT DATA { <a:b> <a:c> <a:d> }",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            403,
        ),
        (
            {
                "method": "POST",
                "url": "/sparql",
                "content": b"ASK {}",
                "headers": {"Content-Type": "text/plain"},
            },
            415,
        ),
        ({"method": "PUT", "url": "/sparql", "content": b"x"}, 405),
        (
            {
                "method": "GET",
                "url": "/sparql",
                "params": {"query": "ASK {}"},
                "headers": {"Accept": "text/turtle"},
            },
            406,
        ),
        (
            {
                "method": "GET",
                "url": "/sparql",
                "params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                "headers": {"Accept": "text/csv"},
            },
            406,
        ),
        (
            {
                "method": "POST",
                "url": "/sparql",
                "content": b"ASK {" + b" " * (2 << 20) + b"}",
                "headers": {"Content-Type": "application/sparql-query"},
            },
            413,
        ),
    ],
)
def test_protocol_errors(
    client: httpx.Client, request_args: dict[str, object], status: int
) -> None:
    response = client.request(**request_args)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.text.strip() and "Traceback" not in response.text


def test_preflight(client: httpx.Client) -> None:
    response = client.options("/sparql")
    assert response.status_code == 204
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_the_row_limit_fails_clearly(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    assert "more than 100 rows" in response.text


def test_a_query_past_the_timeout_is_stopped_and_the_server_goes_on(client: httpx.Client) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response = client.get("/sparql", params={"query": slow})
    assert response.status_code == 503
    assert "timeout" in response.text
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_query_forms_are_told_apart() -> None:
    assert query_form("PREFIX s: <http://x/select> # DELETE\nASK {}") == "ask"
    assert query_form("prefix insert: <x:> select * { ?s insert:y 'delete' }") == "select"
    assert query_form("BASE <x:> DESCRIBE <y:>") == "describe"
    assert query_form("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }") == "update"


FEDERATED = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o.SERVICE<http://127.0.0.1:9/>{} }",
    # Oxigraph reads a number or true run into the keyword as two tokens
    "SELECT * WHERE { ?s ?p 1SERVICE<http://127.0.0.1:9/>{} }",
    "SELECT * WHERE { ?s ?p trueSERVICE<http://127.0.0.1:9/>{} }",
    # < as less-than before text shaped like an IRI, to hide the keyword in it...
    "SELECT*WHERE{BIND(<http://127.0.0.1:9/> AS ?x)FILTER(1<2)SERVICE?x#>\n{?s?p?o}}",
    # ... or to make the quotes after it look like a string's
    "SELECT * WHERE { FILTER(1<2)BIND('#>' AS ?b) SERVICE <http://127.0.0.1:9/> {} "
    "FILTER(?b != '') }",
    # decoded before parsing by servers that follow SPARQL 1.1 section 19.2 (Jena)
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> {} }",
]
NOT_FEDERATED = [
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "SELECT * WHERE { ?s <http://www.w3.org/ns/sparql-service-description#endpoint> ?o }",
    "SELECT * WHERE { ?s ?p 'a SERVICE <x> {}' }",
    'SELECT * WHERE { ?s ?p "a SERVICE <x> {}" }',
    "SELECT * WHERE { ?s ?p '''it's a '' SERVICE\n<x> {}''' }",
    'SELECT * WHERE { ?s ?p """a "quoted" SERVICE\n<x> {}""" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <x> {}",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:SERVICE ex:aService }",
    "SELECT ?service WHERE { ?s ?p ?service FILTER(?s < 3) }",
]


@pytest.mark.parametrize("query", FEDERATED)
def test_a_service_clause_is_found_as_a_sparql_token(query: str) -> None:
    assert federated(query), query


@pytest.mark.parametrize("query", NOT_FEDERATED)
def test_service_is_no_keyword_in_an_iri_string_comment_or_name(query: str) -> None:
    assert not federated(query), query
    assert query_form(query) == "select"


def test_checking_a_large_query_stays_cheap() -> None:
    """Every IRI here has a '#', so each is also read as if its '<' were less-than."""
    query = "SELECT * WHERE { " + "?s <http://x/a#b> 'x' . " * 40_000 + "}"
    started = time.perf_counter()
    assert not federated(query)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("query", [FEDERATED[0], FEDERATED[2]])
def test_a_federated_query_is_refused_before_it_runs(client: httpx.Client, query: str) -> None:
    """Nothing is sent to the host the query names; the answer says why, in one line."""
    with FaultServer(lambda handler: handler.reply(200, b"{}")) as probe:
        aimed = query.replace("http://127.0.0.1:9/", f"{probe.url}/probe")
        for response in (
            client.get("/sparql", params={"query": aimed}),
            client.post("/sparql", data={"query": aimed}),
        ):
            assert response.status_code == 400
            assert "SERVICE" in response.text and len(response.text.splitlines()) == 1
        assert probe.seen == []


def test_a_proxied_endpoint_gets_no_federated_query_and_its_errors_stay_its_own(
    tree: Path,
) -> None:
    """The endpoint is never asked a federated query; what it answers to a failure (a stack
    trace, another server's page) is not passed on to the client."""
    payload = b"<html>SECRET internal stack trace\nat db.internal:5432</html>"
    statuses = iter([400, 500])
    with FaultServer(lambda handler: handler.reply(next(statuses), payload)) as endpoint:
        app = create_app(tree, config=load_config(ROOT / "wirekit.toml"), endpoint=endpoint.url)
        with running(app) as url:
            refused = httpx.get(f"{url}/sparql", params={"query": FEDERATED[0]})
            assert refused.status_code == 400 and endpoint.seen == []
            for status in (400, 502):
                failed = httpx.get(f"{url}/sparql", params={"query": "ASK {}"})
                assert failed.status_code == status
                assert "SECRET" not in failed.text and "db.internal" not in failed.text
                assert len(failed.text.splitlines()) == 1
        assert len(endpoint.seen) == 2


def test_void_describes_the_dataset(client: httpx.Client, tree: Path) -> None:
    response = client.get("/void.ttl")
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    base = str(client.base_url) + "/void.ttl"
    graph = rdflib.Graph().parse(data=response.text, format="turtle", publicID=base)
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(base + "#dataset")
    lines = (tree / "all.nq").read_bytes().count(b"\n")
    assert graph.value(dataset, void.triples).toPython() == lines
    assert str(graph.value(dataset, void.dataDump)) == str(client.base_url) + "/all.nq"
    assert str(graph.value(dataset, void.sparqlEndpoint)) == str(client.base_url) + "/sparql"


@pytest.mark.skipif(oxigraph_binary() is None, reason="the oxigraph server is not installed")
def test_proxying_a_configured_endpoint(tree: Path, tmp_path: Path) -> None:
    with OxigraphServer(tmp_path / "db") as server:
        httpx.post(
            f"{server.url}/store",
            content=(tree / "all.nq").read_bytes(),
            headers={"Content-Type": "application/n-quads"},
        ).raise_for_status()
        config = load_config(ROOT / "wirekit.toml")
        app = create_app(tree, config=config, endpoint=server.url, row_limit=100)
        with running(app) as url:
            query = SCHEMA + "SELECT ?h WHERE { GRAPH ?g { ?a schema:headline ?h } }"
            response = httpx.get(f"{url}/sparql", params={"query": query})
            assert response.status_code == 200, response.text
            assert len(orjson.loads(response.content)["results"]["bindings"]) == PUBLIC
            bad = httpx.get(f"{url}/sparql", params={"query": "SELEKT"})
            assert bad.status_code == 400
            assert httpx.get(f"{url}/sparql", params={"update": "CLEAR ALL"}).status_code == 403
            rows = httpx.get(
                f"{url}/sparql", params={"query": query}, headers={"Accept": "text/csv"}
            )
            assert rows.headers["Content-Type"] == "text/csv; charset=utf-8"
            assert len(rows.text.splitlines()) == PUBLIC + 1
            graph = httpx.get(
                f"{url}/sparql",
                params={
                    "query": f"CONSTRUCT {{ <{LIVE}> ?p ?o }} WHERE {{ GRAPH ?g {{ {TRIPLE} }} }}"
                },
                headers={"Accept": "application/ld+json"},
            )
            assert (rdflib.URIRef(LIVE), None, None) in rdflib.Graph().parse(
                data=graph.content, format="json-ld"
            )
            everything = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
            over = httpx.get(f"{url}/sparql", params={"query": everything})
            assert over.status_code == 400 and "more than 100 rows" in over.text


def test_the_store_is_read_again_after_a_load(tree: Path, tmp_path: Path) -> None:
    """A server left running sees what a later ``wirekit load`` adds to its store."""
    from wirekit.store.load import Loader
    from wirekit.store.targets import EmbeddedStore

    config = load_config(ROOT / "wirekit.toml")
    store = tmp_path / "store"
    seeds = sorted(p for p in SEEDS.iterdir() if p.suffix in (".txt", ".json"))

    def load(paths: list[Path]) -> None:
        target = EmbeddedStore(store)
        try:
            Loader(target, config=config).run([str(p) for p in paths])
        finally:
            target.close()

    load(seeds[:1])
    count = SCHEMA + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"
    app = create_app(tree, config=config, store=store)
    with running(app) as url:

        def articles() -> int:
            answer = orjson.loads(httpx.get(f"{url}/sparql", params={"query": count}).content)
            return int(answer["results"]["bindings"][0]["n"]["value"])

        assert articles() == 1
        load(seeds[1:3])
        assert articles() == 3
