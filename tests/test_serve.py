"""``wirekit serve`` on loopback: uvicorn started here on a free port, httpx as the client.

Negotiation as real clients send ``Accept``, 303/406/304/404/410, the headers every response
carries, the traversal corpus, and the access log; SPARQL is in test_serve_sparql.py and live
preview in test_serve_preview.py.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT, SEEDS
from tests.oxigraph_server import free_port
from tests.serve_helpers import running, wait_for, wirekit_serve
from wirekit import layout, registry
from wirekit.audience import PUBLIC, SYNDICATION
from wirekit.config import load as load_config
from wirekit.plugin import Exporter
from wirekit.serve import negotiate
from wirekit.serve.app import create_app
from wirekit.serve.run import AccessLog
from wirekit.site.manifest import read as read_manifest
from wirekit.site.manifest import write as write_manifest
from wirekit.site.publish import Publisher

LIVE = "2025-07-30-iran-venezuela-alliance"
WITHHELD = "2025-11-03-hamburg-viaduct-closure-withheld"
CANCELED = "2025-11-20-oslo-metro-smoke-canceled"
EMBARGOED = "2030-01-01-embargoed-budget"
BEFORE = "2029-12-31T12:00:00Z"
AFTER = "2030-01-02T00:00:00Z"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and one article under embargo until 2030, published."""
    inputs = tmp_path_factory.mktemp("inputs")
    for seed in SEEDS.iterdir():
        shutil.copy(seed, inputs / seed.name)
    data = orjson.loads((SEEDS / "2025-08-12-valencia-flash-flood-warning.json").read_bytes())
    data.update(
        id=f"https://news.example.org/id/{EMBARGOED}",
        slug=EMBARGOED,
        url=f"https://news.example.org/articles/{EMBARGOED}/",
        embargoedUntil="2030-01-01T00:00:00Z",
    )
    (inputs / f"{EMBARGOED}.json").write_bytes(orjson.dumps(data))
    out = tmp_path_factory.mktemp("tree")
    summary = Publisher(out, config=load_config(ROOT / "wirekit.toml"), jobs=1).run([inputs])
    assert not summary.failures, summary.failures
    return out


@pytest.fixture(scope="module")
def base(tree: Path) -> Iterator[str]:
    app = create_app(tree, config=load_config(ROOT / "wirekit.toml"), now=BEFORE)
    with running(app) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=10) as session:
        yield session


# --- negotiation ---------------------------------------------------------------------------------

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
    "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
RDFLIB_ANY = (  # rdflib 7 Graph.parse(url) without a format: every parser's media type
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trix, application/trig"
)
JENA = (  # Apache Jena's WebContent.defaultRDFAcceptHeader
    "text/turtle,application/n-triples;q=0.9,application/rdf+xml;q=0.7,"
    "application/trig,application/n-quads;q=0.9,application/ld+json;q=0.8,*/*;q=0.5"
)

TABLE = [
    ("curl", "*/*", "index.html"),
    ("python-requests", "*/*", "index.html"),
    ("no Accept at all", None, "index.html"),
    ("Firefox", FIREFOX, "index.html"),
    ("Chrome", CHROME, "index.html"),
    ("rdflib, no format", RDFLIB_ANY, "article.ttl"),
    ("rdflib, format=turtle", "text/turtle, application/x-turtle, */*;q=0.1", "article.ttl"),
    (
        "rdflib, format=json-ld",
        "application/ld+json, application/json;q=0.9, */*;q=0.1",
        "article.jsonld",
    ),
    ("rdflib, format=nt", "text/plain, */*;q=0.1", "index.html"),
    ("Apache Jena", JENA, "article.ttl"),
    ("W3C RDF validator (RDF/XML only)", "application/rdf+xml", None),
    ("W3C Vapour, RDF/XML over HTML", "application/rdf+xml;q=0.5,text/html;q=.3", "index.html"),
    ("N-Triples", "application/n-triples", "article.nt"),
    ("NewsML-G2", "application/vnd.iptc.g2.newsitem+xml", "newsml-g2.xml"),
    ("ninjs", "application/ninjs+json", "ninjs.json"),
    ("canonical JSON", "application/json", "article.json"),
    ("q-values", "text/turtle;q=0.5, application/ld+json", "article.jsonld"),
    ("q=0 excludes HTML", "text/html;q=0, */*", "article.ttl"),
    ("q=0 on everything", "*/*;q=0", None),
    ("text/* prefers the page", "text/*", "index.html"),
    ("an unknown type alone", "image/png", None),
]


@pytest.mark.parametrize(("accept", "expected"), [t[1:] for t in TABLE], ids=[t[0] for t in TABLE])
def test_negotiation_table(
    client: httpx.Client, tree: Path, accept: str | None, expected: str | None
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    request = client.build_request("GET", f"/articles/{LIVE}/", headers=headers)
    if accept is None:
        del request.headers["Accept"]
    response = client.send(request)
    assert response.headers["Vary"] == "Accept"
    if expected is None:
        assert response.status_code == 406
        assert "text/turtle" in response.text and "application/ld+json" in response.text
        return
    assert response.status_code == 200, response.text
    assert response.headers["Content-Location"] == f"/articles/{LIVE}/{expected}"
    assert response.content == (tree / "articles" / LIVE / expected).read_bytes()


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["text/html", "text/turtle", "application/ld+json", "text/*", "*/*"]),
            st.sampled_from([0, 0.1, 0.5, 0.9, 1]),
        ),
        max_size=5,
    )
)
def test_the_chosen_offer_has_the_highest_quality(ranges: list[tuple[str, float]]) -> None:
    header = ", ".join(f"{media};q={q}" for media, q in ranges) if ranges else None
    offers = ["text/html", "text/turtle", "application/ld+json"]
    chosen = negotiate.choose(header, offers)
    parsed = negotiate.parse(header)
    qualities = {offer: negotiate.quality(parsed, offer) for offer in offers}
    if chosen is None:
        assert all(q == 0 for q in qualities.values())
    else:
        assert qualities[chosen] == max(qualities.values()) > 0
        assert offers.index(chosen) == min(
            offers.index(o) for o, q in qualities.items() if q == qualities[chosen]
        )


# --- the article IRI, suffixes, headers ----------------------------------------------------------


def test_an_article_iri_answers_303_to_its_document(client: httpx.Client) -> None:
    response = client.get(f"/id/{LIVE}", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/articles/{LIVE}/"
    assert response.headers["Vary"] == "Accept"
    followed = client.get(f"/id/{LIVE}", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert followed.headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=followed.text, format="turtle")
    assert (rdflib.URIRef(f"https://news.example.org/id/{LIVE}"), None, None) in graph


def test_an_unknown_iri_and_document_are_404(client: httpx.Client) -> None:
    assert client.get("/id/no-such-article").status_code == 404
    assert client.get("/articles/no-such-article/").status_code == 404
    assert client.get(f"/articles/{LIVE}/no-such-file.ttl").status_code == 404


def test_a_folder_without_its_slash_is_redirected(client: httpx.Client) -> None:
    response = client.get(f"/articles/{LIVE}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/articles/{LIVE}/"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("article.ttl", "text/turtle; charset=utf-8"),
        ("article.nt", "application/n-triples"),
        ("article.jsonld", "application/ld+json"),
        ("article.json", "application/json"),
        ("ninjs.json", "application/ninjs+json"),
        ("newsml-g2.xml", "application/vnd.iptc.g2.newsitem+xml; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
    ],
)
def test_a_format_suffix_serves_that_file(
    client: httpx.Client, tree: Path, name: str, content_type: str
) -> None:
    response = client.get(f"/articles/{LIVE}/{name}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    body = (tree / "articles" / LIVE / name).read_bytes()
    assert response.content == body
    assert response.headers["Content-Length"] == str(len(body))
    links = response.headers["Link"]
    assert f"<{name}>" not in links and f"/{name}>" not in links
    assert links.count('rel="alternate"') == 6
    cors = response.headers.get("Access-Control-Allow-Origin")
    assert cors == (None if name == "index.html" else "*")


def test_conditional_requests_answer_304(client: httpx.Client) -> None:
    url = f"/articles/{LIVE}/"
    first = client.get(url, headers={"Accept": "text/turtle"})
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    other = client.get(url, headers={"Accept": "application/ld+json"})
    assert other.headers["ETag"] != etag
    again = client.get(url, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    since = client.get(url, headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200
    # If-None-Match decides when both are sent
    both = {"Accept": "text/turtle", "If-None-Match": '"other"', "If-Modified-Since": modified}
    assert client.get(url, headers=both).status_code == 200
    top = client.get("/atom.xml")
    assert (
        client.get("/atom.xml", headers={"If-None-Match": top.headers["ETag"]}).status_code == 304
    )


def test_the_tree_files_have_their_media_types(client: httpx.Client) -> None:
    expected = {
        "/": "text/html; charset=utf-8",
        "/index.html": "text/html; charset=utf-8",
        "/atom.xml": "application/atom+xml; charset=utf-8",
        "/rss.xml": "application/rss+xml; charset=utf-8",
        "/feed.json": "application/feed+json",
        "/news-sitemap.xml": "application/xml; charset=utf-8",
        "/all.nq": "application/n-quads",
    }
    for path, content_type in expected.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == content_type, path


def _syndication_collections() -> list[str]:
    """The tree files of every installed syndication collection (the newsMessage among them)."""
    return [
        cls.tree_file()
        for cls in registry.exporter_classes()
        if cls.collection and cls.audience == SYNDICATION
    ]


def test_a_syndication_collection_is_never_served(client: httpx.Client, tree: Path) -> None:
    """The newsMessage carries the withheld story's text, for partners: a public server must
    not hand it out, nor point to it; a live article's own NewsML-G2 and ninjs stay served."""
    message = registry.exporter("newsml-g2-message").tree_file()
    assert b"Hamburg to close" in (tree / message).read_bytes()
    assert message in _syndication_collections()
    for name in _syndication_collections():
        assert client.get(f"/{name}").status_code == 404, name
        assert client.head(f"/{name}").status_code == 404, name
    answers = [client.get("/"), client.get("/void.ttl"), client.get(f"/articles/{LIVE}/")]
    for answer in answers:
        for name in _syndication_collections():
            assert name not in answer.text and name not in answer.headers.get("Link", "")
    assert client.get(f"/articles/{LIVE}/newsml-g2.xml").status_code == 200
    for media_type in ("application/vnd.iptc.g2.newsitem+xml", "application/ninjs+json"):
        answer = client.get(f"/articles/{LIVE}/", headers={"Accept": media_type})
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(media_type)


class _PartnerFeed(Exporter):
    """A plugin's syndication collection, published at the top of the tree."""

    name = "partner-feed"
    media_type = "application/x-partner+xml"
    file_extension = ".xml"
    standard = standard_version = "test"
    collection = True
    audience = SYNDICATION
    published_name = "partners.xml"


class _PublicFeed(_PartnerFeed):
    """The same collection written for the public: served, so the test can tell them apart."""

    name = "public-feed"
    audience = PUBLIC
    published_name = "public-feed.xml"


def test_a_plugin_syndication_collection_is_not_served(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exporter class's audience decides, so a plugin's partner feed is covered too."""
    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    for cls in (_PartnerFeed, _PublicFeed):
        (copy / cls.tree_file()).write_bytes(b"<feed>Hamburg to close</feed>\n")
    defaults = layout.published()
    monkeypatch.setattr(layout, "published", lambda: [*defaults, _PartnerFeed, _PublicFeed])
    app = create_app(copy, config=load_config(ROOT / "wirekit.toml"), now=BEFORE)
    with running(app) as url, httpx.Client(base_url=url, timeout=10) as session:
        assert session.get("/partners.xml").status_code == 404
        assert session.get("/public-feed.xml").status_code == 200


def test_health_and_methods(client: httpx.Client) -> None:
    assert client.get("/healthz").text == "ok\n"
    assert client.post(f"/articles/{LIVE}/").status_code == 405
    head = client.head(f"/articles/{LIVE}/article.ttl")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) > 0


def _pages(tree: Path) -> tuple[str, ...]:
    return read_manifest(tree / ".wirekit-manifest.jsonl").pages


def _crawl(client: httpx.Client, pages: list[str]) -> set[str]:
    """Every same-site link on these pages, as paths, resolved as a browser would."""
    links: set[str] = set()
    for page in pages:
        answer = client.get(page)
        base = str(answer.url)
        for href in re.findall(r'href="([^"]+)"', answer.text):
            target = httpx.URL(base).join(href)
            if target.host == answer.url.host and target.port == answer.url.port:
                links.add(target.path)
    return links


def test_every_page_the_manifest_records_is_served(client: httpx.Client, tree: Path) -> None:
    """The front page and the section pages, with validators like any file of the tree; a
    section's folder URL answers as an article's does (301 to the slash, then the page)."""
    pages = _pages(tree)
    sections = [page for page in pages if page.startswith(f"{layout.SECTIONS}/")]
    assert sections and "index.html" in pages
    for page in pages:
        answer = client.get(f"/{page}")
        assert answer.status_code == 200, page
        assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
        assert answer.content == (tree / page).read_bytes()
        assert (
            answer.headers["Last-Modified"] and "Access-Control-Allow-Origin" not in answer.headers
        )
        again = client.get(f"/{page}", headers={"If-None-Match": answer.headers["ETag"]})
        assert again.status_code == 304, page
    for page in sections:
        folder = page.removesuffix(layout.INDEX_FILE)
        assert client.get(f"/{folder}").content == (tree / page).read_bytes()
        bare = client.get(f"/{folder.rstrip('/')}")
        assert bare.status_code == 301 and bare.headers["Location"] == f"/{folder}"
    assert client.get(f"/{layout.SECTIONS}/").status_code == 404
    assert client.get(f"/{layout.SECTIONS}").status_code == 404
    assert client.get(f"/{layout.SECTIONS}/no-such-section/").status_code == 404


def test_no_link_on_a_page_leads_to_a_404(client: httpx.Client, tree: Path) -> None:
    """What the index and the section pages link (articles, sections, feeds) is served."""
    links = _crawl(client, ["/", *(f"/{page}" for page in _pages(tree))])
    assert any(link.startswith(f"/{layout.SECTIONS}/") for link in links)
    for link in sorted(links):
        assert client.get(link).status_code == 200, link


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tree of more articles than one index page holds."""
    from benchmarks import generate
    from wirekit.site.index_page import PAGE_SIZE

    inputs = tmp_path_factory.mktemp("archive") / "archive.jsonl"
    inputs.write_bytes(generate.jsonl(PAGE_SIZE + 20))
    out = tmp_path_factory.mktemp("paged")
    formats = ["json", "html", layout.INDEX]
    summary = Publisher(out, config=load_config(ROOT / "wirekit.toml"), formats=formats, jobs=1)
    assert not summary.run([inputs]).failures
    return out


def test_the_older_index_pages_are_served(paged: Path) -> None:
    pages = _pages(paged)
    assert layout.index_page(2) in pages
    app = create_app(paged, config=load_config(ROOT / "wirekit.toml"))
    with running(app) as url, httpx.Client(base_url=url, timeout=10) as session:
        front = session.get("/")
        assert f'href="{layout.index_page(2)}"' in front.text
        older = session.get(f"/{layout.index_page(2)}")
        assert older.status_code == 200
        assert older.content == (paged / layout.index_page(2)).read_bytes()
        assert "ETag" in older.headers
        assert session.get(f"/{layout.index_page(3)}").status_code == 404
        for page in pages:
            assert session.get(f"/{page}").status_code == 200, page
        for link in _crawl(session, ["/", f"/{layout.index_page(2)}"]):
            assert session.get(link).status_code == 200, link


# --- editorial states ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/id/{}", "/articles/{}/", "/articles/{}", "/articles/{}/article.ttl"]
)
def test_withheld_and_embargoed_articles_are_404(client: httpx.Client, path: str) -> None:
    """At every URL, the folder's without its slash too: a redirect would say the slug exists."""
    assert client.get(path.format(WITHHELD)).status_code == 404
    assert client.get(path.format(EMBARGOED)).status_code == 404


@pytest.mark.parametrize("path", ["/id/{}", "/articles/{}/", "/articles/{}/article.json"])
def test_a_withdrawn_article_is_410_with_a_tombstone(client: httpx.Client, path: str) -> None:
    response = client.get(path.format(CANCELED))
    assert response.status_code == 410
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "withdrawn" in response.text and 'class="tombstone"' in response.text
    assert "Passengers were led out" not in response.text


def test_a_tree_without_tombstones_still_hides_a_withdrawn_story(
    tree: Path, tmp_path: Path
) -> None:
    """A tree published before tombstones had the story itself at the withdrawn address."""
    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    path = copy / ".wirekit-manifest.jsonl"
    before = read_manifest(path)  # a manifest then had no state: every article read as live
    articles = {
        folder: dataclasses.replace(e, state="live") for folder, e in before.articles.items()
    }
    write_manifest(path, dataclasses.replace(before, articles=articles))
    app = create_app(copy, config=load_config(ROOT / "wirekit.toml"), now=BEFORE)
    with running(app) as url:
        response = httpx.get(f"{url}/articles/{CANCELED}/")
    assert response.status_code == 410
    assert "withdrawn" in response.text and 'class="tombstone"' not in response.text


def test_an_embargo_lifts_at_its_time(tree: Path) -> None:
    app = create_app(tree, config=load_config(ROOT / "wirekit.toml"), now=AFTER)
    with running(app) as url:
        assert httpx.get(f"{url}/articles/{EMBARGOED}/").status_code == 200


# --- safety --------------------------------------------------------------------------------------

TRAVERSAL = [
    "/../../../../etc/passwd",
    "/articles/../../../etc/passwd",
    f"/articles/{LIVE}/../../../wirekit.toml",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/articles/..%2f..%2f..%2fetc%2fpasswd",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/articles//etc/passwd",
    "//etc/passwd",
    "/articles/..\\..\\etc\\passwd",
    "/..%5c..%5cetc%5cpasswd",
    f"/articles/{LIVE}/article.ttl%00.html",
    f"/articles/{LIVE}%00/article.ttl",
    "/.wirekit-manifest.jsonl",
    f"/articles/{LIVE}/.hidden",
    "/articles/",
    "/articles",
    f"/articles/{LIVE}/./article.ttl",
    "/%2farticles",
    "/..;/etc/passwd",
]


def _raw_get(base: str, target: str) -> tuple[int, bytes]:
    """Send the request line exactly as given (a client library would normalise it)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize("target", TRAVERSAL)
def test_the_traversal_corpus_gets_404(base: str, target: str) -> None:
    status, body = _raw_get(base, target)
    assert status in (400, 404), (target, status)
    assert b"root:" not in body and b"base_iri" not in body


def test_a_symlink_out_of_the_tree_is_404(tree: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(tree, copy)
    secret = tmp_path / "secret.ttl"
    secret.write_text("secret")
    target = copy / "articles" / LIVE / "article.ttl"
    target.unlink()
    target.symlink_to(secret)
    inside = copy / "articles" / LIVE / "article.nt"
    inside.unlink()
    inside.symlink_to(copy / "articles" / "2025-08-12-valencia-flash-flood-warning" / "article.nt")
    app = create_app(copy, config=load_config(ROOT / "wirekit.toml"), now=BEFORE)
    with running(app) as url:
        assert httpx.get(f"{url}/articles/{LIVE}/article.ttl").status_code == 404
        assert httpx.get(f"{url}/articles/{LIVE}/").status_code == 200
        assert httpx.get(f"{url}/articles/{LIVE}/article.nt").status_code == 200


def test_the_query_string_never_reaches_the_file_system(client: httpx.Client, tree: Path) -> None:
    response = client.get("/index.html?file=../../etc/passwd&path=/etc/passwd")
    assert response.content == (tree / "index.html").read_bytes()
    assert client.get("/?../wirekit.toml").content == (tree / "index.html").read_bytes()


def test_too_many_header_fields_are_refused(client: httpx.Client) -> None:
    many = {f"X-Filler-{i}": "x" for i in range(150)}
    assert client.get("/", headers=many).status_code == 431
    assert client.get("/", headers={"X-Big": "x" * 20_000}).status_code in (400, 431)


# --- logs and the command ------------------------------------------------------------------------


def _log_line(json: bool) -> str:
    import asyncio
    from typing import Any

    stream = io.StringIO()
    sent: list[dict[str, Any]] = []

    async def hello(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"hello"})

    async def keep(message: Any) -> None:
        sent.append(message)

    async def nothing() -> Any:
        return {"type": "http.disconnect"}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/a b",
        "raw_path": b"/a%20b",
        "query_string": b'x="y"',
        "http_version": "1.1",
        "client": ("192.0.2.1", 4711),
    }
    asyncio.run(AccessLog(hello, json=json, stream=stream)(scope, nothing, keep))
    assert len(sent) == 2
    return stream.getvalue()


def test_the_access_log_is_common_log_format() -> None:
    line = _log_line(json=False)
    assert line.startswith("192.0.2.1 - - [")
    assert line.endswith(' "GET /a%20b?x=\\"y\\" HTTP/1.1" 200 5\n')


def test_the_access_log_as_json() -> None:
    record = orjson.loads(_log_line(json=True))
    assert record["status"] == 200 and record["bytes"] == 5 and record["method"] == "GET"


def test_acceptance_wirekit_serve_follows_303_to_turtle(tree: Path) -> None:
    """`wirekit serve dist/`, then curl -L -H 'Accept: text/turtle' /id/<seed>: Turtle that
    parses. The server stops cleanly on SIGTERM."""
    with wirekit_serve(str(tree), "--now", BEFORE, cwd=ROOT) as (url, process):
        response = httpx.get(
            f"{url}/id/{LIVE}", headers={"Accept": "text/turtle"}, follow_redirects=True
        )
        assert response.status_code == 200
        assert len(rdflib.Graph().parse(data=response.text, format="turtle")) > 20
        process.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal, as a service manager expects
        assert process.wait(15) == -signal.SIGTERM
        stdout = process.stdout.read().decode() if process.stdout else ""
        stderr = process.stderr.read().decode() if process.stderr else ""
    assert "Traceback" not in stderr
    assert f'"GET /id/{LIVE} HTTP/1.1" 303 -' in stdout
    assert f'"GET /articles/{LIVE}/ HTTP/1.1" 200 ' in stdout


def test_serving_a_folder_that_is_no_tree_is_misuse(run_wirekit: object, tmp_path: Path) -> None:
    code, _, err = run_wirekit("serve", str(tmp_path))  # type: ignore[operator]
    assert code == 2
    assert "not a published tree" in err and "Traceback" not in err


def test_without_the_serve_extra_the_error_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    from typer.testing import CliRunner

    from wirekit.cli import app

    monkeypatch.setitem(sys.modules, "wirekit.serve.app", None)
    result = CliRunner().invoke(app, ["serve", str(tmp_path)])
    assert "pip install 'wirekit[serve]'" in str(result.exception)


# --- the README's serving examples ---------------------------------------------------------------

_SERVE_LINES = [
    line.split("  #", 1)[0].strip()
    for block in re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    for line in block.splitlines()
    if line.startswith("wirekit serve")
]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like the repository: seeds, settings, a published dist/ and a loaded store."""
    folder = tmp_path_factory.mktemp("serve-readme")
    shutil.copytree(SEEDS, folder / "seeds")
    shutil.copy(ROOT / "wirekit.toml", folder / "wirekit.toml")
    for command in (["publish", "seeds/", "--out", "dist/"], ["load", "seeds/"]):
        done = subprocess.run(
            [sys.executable, "-m", "wirekit", *command],
            cwd=folder,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    return folder


def test_the_readme_shows_serve_examples() -> None:
    assert len(_SERVE_LINES) >= 3


@pytest.mark.parametrize("line", _SERVE_LINES)
def test_a_readme_serve_example_runs(scratch: Path, line: str) -> None:
    args = shlex.split(line)[2:]
    with wirekit_serve(*args, cwd=scratch) as (url, _):
        response = httpx.get(
            f"{url}/id/{LIVE}", headers={"Accept": "text/turtle"}, follow_redirects=True
        )
        assert response.status_code == 200
        rdflib.Graph().parse(data=response.text, format="turtle")
        assert httpx.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_the_module_level_app_runs_under_uvicorn(scratch: Path) -> None:
    """As the README's production example runs it: `uvicorn wirekit.serve.app:app`."""
    port = free_port()
    uvicorn = Path(sys.executable).parent / "uvicorn"
    process = subprocess.Popen(
        [str(uvicorn), "--host", "127.0.0.1", "--port", str(port), "wirekit.serve.app:app"],
        cwd=scratch,
        env={**os.environ, "WIREKIT_SERVE_DIR": "dist"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(url)
        response = httpx.get(f"{url}/id/{LIVE}", headers={"Accept": "application/ld+json"})
        assert response.status_code == 303
    finally:
        process.terminate()
        process.wait(15)


def test_sigint_stops_the_server_gracefully(tree: Path) -> None:
    with wirekit_serve(str(tree), cwd=ROOT) as (url, process):
        assert httpx.get(f"{url}/healthz").status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(15) == 130
        stderr = process.stderr.read().decode() if process.stderr else ""
    assert "Traceback" not in stderr


def test_an_address_in_use_is_one_line_and_exit_1(run_wirekit: object, tree: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, _, err = run_wirekit("serve", str(tree), "--port", port)  # type: ignore[operator]
    assert code == 1
    assert err.strip().splitlines() == [
        f"wirekit: error: cannot listen on 127.0.0.1 port {port}: Address already in use"
    ]


_SEGMENTS = [
    "..",
    ".",
    "",
    "%2e%2e",
    "..%2f",
    "%2F",
    "\\",
    "..\\..",
    "\x00",
    "articles",
    LIVE,
    WITHHELD,
    "article.ttl",
    "index.html",
    "index-2.html",
    "sections",
    "europe-e595f45dc6c9",
    ".wirekit-manifest.jsonl",
    "etc",
    "passwd",
    "id",
]


@given(st.lists(st.sampled_from(_SEGMENTS), min_size=1, max_size=6))
def test_any_path_answers_only_with_a_file_the_manifest_lists(
    tree_app: tuple[Path, object], segments: list[str]
) -> None:
    """Whatever the path, a 200 carries the bytes of a file the manifest lists, of a live
    article, or of the tree's own top-level files; anything else is not a 200."""
    import asyncio

    root, app = tree_app
    path = "/" + "/".join(segments)
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "query_string": b"",
        "headers": [(b"accept", b"*/*")],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[operator]
    status = sent[0]["status"]
    if status != 200:
        return
    body = b"".join(m.get("body", b"") for m in sent[1:])  # type: ignore[misc]
    allowed = {(root / name).read_bytes() for name in ("index.html", "all.nq")}
    allowed |= {p.read_bytes() for p in (root / "articles" / LIVE).iterdir()}
    allowed |= {(root / page).read_bytes() for page in _pages(root)}
    assert body in allowed, path


@pytest.fixture(scope="module")
def tree_app(tree: Path) -> tuple[Path, object]:
    return tree, create_app(tree, config=load_config(ROOT / "wirekit.toml"), now=BEFORE)


def test_a_request_head_is_not_buffered_without_bound(tree: Path) -> None:
    """`wirekit serve` answers 431 and closes while a huge header is still arriving (the
    head never ends here), yet takes a SPARQL query body larger than the head limit."""
    with wirekit_serve(str(tree), cwd=ROOT) as (url, _):
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
            try:
                for _ in range(200):
                    conn.sendall(b"a" * 4096)
            except OSError:  # the server closed the connection: the point
                pass
            answer = conn.recv(4096)
        assert answer.startswith(b"HTTP/1.1 431 ")
        query = "ASK { " + " " * 60_000 + "}"
        response = httpx.post(
            f"{url}/sparql",
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert response.status_code == 200
