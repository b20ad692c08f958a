"""``wirekit check``: every file of a published tree against its standard.

A receiver's validator is the judge wirekit's output faces, so the check uses the official ones
wherever they exist: the NewsML-G2 XSD and the ninjs JSON Schema (from the ``specs`` folder; a
file whose schema is not available is reported as not checked, never as passing), wirekit's own
schema for canonical JSON, an RDF parser for every RDF syntax, JSON-LD expanded offline and
compared with the Turtle beside it, and the required elements of RFC 4287, RSS 2.0, JSON Feed
1.1 and the Google News sitemap for the feeds.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson

from wirekit import layout, registry
from wirekit.config import Config
from wirekit.dates import parse as parse_date
from wirekit.errors import WirekitError
from wirekit.site.manifest import MANIFEST
from wirekit.sources import Reader

Status = Literal["ok", "FAIL", "not checked"]
_RDF_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG"}
_RDF_FORMATS[".rdf"] = "RDF_XML"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement on one file."""

    path: str
    status: Status
    detail: str


class CheckFailed(Exception):
    """A file breaks its standard; the message says how."""


class NotChecked(Exception):
    """The file's validator is not available (no specs folder); the message says why."""


def check_tree(root: Path, config: Config | None = None) -> list[Verdict]:
    """A verdict for every file under ``root``, in path order."""
    checker = _Checker(root, config or Config())
    return [checker.verdict(path) for path in sorted(root.rglob("*")) if _checkable(root, path)]


def _checkable(root: Path, path: Path) -> bool:
    return path.is_file() and path.name != MANIFEST and not path.name.startswith(".")


class _Checker:
    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.config = config
        self._by_name: dict[str, Callable[[Path], str]] = {
            layout.ARTICLE_FILES["json"]: self._canonical,
            layout.ARTICLE_FILES["newsml-g2"]: self._newsml,
            layout.ARTICLE_FILES["ninjs"]: self._ninjs,
            layout.ARTICLE_FILES["jsonld"]: self._jsonld,
            layout.COLLECTION_FILES["newsml-g2-message"]: self._newsml,
            layout.COLLECTION_FILES["atom"]: self._atom,
            layout.COLLECTION_FILES["rss"]: self._rss,
            layout.COLLECTION_FILES["jsonfeed"]: self._jsonfeed,
            layout.COLLECTION_FILES["news-sitemap"]: self._sitemap,
            layout.INDEX_FILE: self._html,
        }

    def verdict(self, path: Path) -> Verdict:
        relative = str(path.relative_to(self.root))
        check = self._by_name.get(path.name)
        if check is None and path.suffix in _RDF_FORMATS:
            check = self._rdf
        if check is None:
            return Verdict(relative, "not checked", "no checker for this kind of file")
        try:
            return Verdict(relative, "ok", check(path))
        except NotChecked as exc:
            return Verdict(relative, "not checked", str(exc))
        except (CheckFailed, WirekitError) as exc:
            return Verdict(relative, "FAIL", str(exc))

    # -- the formats with official schemas -----------------------------------------------------

    def _official(self, path: Path, importer: str, what: str) -> str:
        if self.config.specs is None or not self.config.specs.is_dir():
            raise NotChecked(f"no specs folder for the {what} (--specs or the config's specs)")
        problems = registry.importer(importer)(self.config).conformance(path.read_bytes())
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise CheckFailed(f"{problems[0]}{more}")
        return f"valid against the {what}"

    def _newsml(self, path: Path) -> str:
        return self._official(path, "newsml-g2", "NewsML-G2 2.35 XSD")

    def _ninjs(self, path: Path) -> str:
        return self._official(path, "ninjs", "ninjs JSON Schema")

    def _canonical(self, path: Path) -> str:
        results = list(Reader(self.config, "json").read(path))
        for result in results:
            if result.error is not None:
                raise CheckFailed(str(result.error))
        return f"valid against the canonical schema ({len(results)} article)"

    # -- RDF and JSON-LD -----------------------------------------------------------------------

    def _rdf(self, path: Path) -> str:
        return f"parsed: {len(_quads(path.read_bytes(), _RDF_FORMATS[path.suffix]))} statements"

    def _jsonld(self, path: Path) -> str:
        from wirekit.formats.schemaorg.context import inline

        document = inline(orjson.loads(path.read_bytes()))
        expanded = _quads(orjson.dumps(document), "JSON_LD")
        turtle = path.with_name(layout.ARTICLE_FILES["turtle"])
        if not turtle.is_file():
            return f"expanded offline: {len(expanded)} triples (no Turtle beside it)"
        if not _isomorphic(expanded, _quads(turtle.read_bytes(), "TURTLE")):
            raise CheckFailed(f"its graph differs from {turtle.name}'s")
        return f"expanded offline: {len(expanded)} triples, the same graph as {turtle.name}"

    # -- HTML ----------------------------------------------------------------------------------

    def _html(self, path: Path) -> str:
        import lxml.html

        page = lxml.html.document_fromstring(path.read_bytes())
        if not page.get("lang"):
            raise CheckFailed("the <html> element has no lang")
        scripts = page.xpath('//script[@type="application/ld+json"]')
        jsonld = path.with_name(layout.ARTICLE_FILES["jsonld"])
        if path.parent == self.root:
            missing = [
                href
                for href in page.xpath("//main//a/@href")
                if not (self.root / href / layout.INDEX_FILE).is_file()
            ]
            if missing:
                raise CheckFailed(f"links to a missing article: {missing[0]}")
            return f"links {len(page.xpath('//main//a'))} articles, all present"
        if len(scripts) != 1:
            raise CheckFailed(f"{len(scripts)} JSON-LD scripts; a page needs exactly one")
        embedded = orjson.loads(scripts[0].text or "")
        if jsonld.is_file() and embedded != orjson.loads(jsonld.read_bytes()):
            raise CheckFailed(f"its JSON-LD differs from {jsonld.name}")
        return "one JSON-LD script" + (f", equal to {jsonld.name}" if jsonld.is_file() else "")

    # -- feeds ---------------------------------------------------------------------------------

    def _atom(self, path: Path) -> str:
        feed = _xml(path)
        _require(feed.tag == f"{ATOM}feed", "the root is not an Atom <feed>")
        _children(feed, ATOM, ("id", "title", "updated"), "feed")
        entries = feed.findall(f"{ATOM}entry")
        feed_author = feed.find(f"{ATOM}author") is not None
        for number, entry in enumerate(entries, 1):
            where = f"entry {number}"
            _children(entry, ATOM, ("id", "title", "updated"), where)
            _require(
                feed_author or entry.find(f"{ATOM}author") is not None,
                f"{where}: no author, and the feed has none (RFC 4287 4.1.1)",
            )
            _require(
                entry.find(f"{ATOM}content") is not None
                or entry.find(f"{ATOM}link[@rel='alternate']") is not None
                or any(link.get("rel") is None for link in entry.findall(f"{ATOM}link")),
                f"{where}: neither content nor an alternate link (RFC 4287 4.1.2)",
            )
            for name in ("updated", "published"):
                for element in entry.findall(f"{ATOM}{name}"):
                    _rfc3339(element.text, f"{where}: {name}")
        return f"Atom with {len(entries)} entries, required elements present"

    def _rss(self, path: Path) -> str:
        from email.utils import parsedate_to_datetime

        rss = _xml(path)
        _require(rss.tag == "rss" and rss.get("version") == "2.0", "the root is not <rss 2.0>")
        channel = rss.find("channel")
        _require(channel is not None, "no <channel>")
        assert channel is not None
        _children(channel, "", ("title", "link", "description"), "channel")
        items = channel.findall("item")
        for number, item in enumerate(items, 1):
            _require(
                item.find("title") is not None or item.find("description") is not None,
                f"item {number}: needs a title or a description",
            )
            for date in item.findall("pubDate"):
                try:
                    parsedate_to_datetime(date.text or "")
                except (TypeError, ValueError):
                    message = f"item {number}: pubDate {date.text!r} is not RFC 822"
                    raise CheckFailed(message) from None
        return f"RSS 2.0 with {len(items)} items, required elements present"

    def _jsonfeed(self, path: Path) -> str:
        feed = orjson.loads(path.read_bytes())
        _require(feed.get("version") == JSON_FEED_VERSION, "version is not JSON Feed 1.1")
        _require(isinstance(feed.get("title"), str), "no title")
        _require(isinstance(feed.get("items"), list), "no items array")
        for number, item in enumerate(feed["items"], 1):
            _require(isinstance(item.get("id"), str), f"item {number}: no string id")
            _require(
                "content_html" in item or "content_text" in item,
                f"item {number}: neither content_html nor content_text",
            )
            for name in ("date_published", "date_modified"):
                if name in item:
                    _rfc3339(item[name], f"item {number}: {name}")
        return f"JSON Feed 1.1 with {len(feed['items'])} items, required members present"

    def _sitemap(self, path: Path) -> str:
        urlset = _xml(path)
        _require(urlset.tag == f"{SITEMAP}urlset", "the root is not a sitemap <urlset>")
        urls = urlset.findall(f"{SITEMAP}url")
        _require(len(urls) <= 1000, "Google News sitemaps hold at most 1,000 URLs")
        for number, url in enumerate(urls, 1):
            where = f"url {number}"
            _children(url, SITEMAP, ("loc",), where)
            news = url.find(f"{NEWS}news")
            _require(news is not None, f"{where}: no news:news")
            assert news is not None
            _children(news, NEWS, ("publication", "publication_date", "title"), where)
            publication = news.find(f"{NEWS}publication")
            assert publication is not None
            _children(publication, NEWS, ("name", "language"), f"{where}: publication")
        return f"news sitemap with {len(urls)} URLs, required elements present"


# --- helpers ----------------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _xml(path: Path) -> Any:
    from wirekit.xml import parse

    return parse(path.read_bytes())


def _children(element: Any, namespace: str, names: tuple[str, ...], where: str) -> None:
    for name in names:
        child = element.find(f"{namespace}{name}")
        _require(
            child is not None and bool((child.text or "").strip() or len(child)),
            f"{where}: <{name}> missing or empty",
        )


def _rfc3339(value: str | None, where: str) -> None:
    try:
        parse_date(value or "")
    except ValueError:
        raise CheckFailed(f"{where}: {value!r} is not an RFC 3339 date-time") from None


def _quads(data: bytes, syntax: str) -> set[Any]:
    import pyoxigraph

    try:
        return set(pyoxigraph.parse(io.BytesIO(data), format=getattr(pyoxigraph.RdfFormat, syntax)))
    except (SyntaxError, ValueError) as exc:
        raise CheckFailed(f"not valid {syntax.replace('_', '-')}: {exc}") from None


_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + name for name in ("double", "float", "decimal")}


def _by_value(quads: set[Any]) -> set[Any]:
    """Quads with numeric literals compared by value: JSON-LD processors disagree on the
    lexical form of a double (PyLD writes ``-9.149800000000001E0``, Oxigraph ``-9.1498E0``)
    while meaning the same number."""
    import pyoxigraph

    normal = set()
    for quad in quads:
        value: Any = quad.object
        if isinstance(value, pyoxigraph.Literal) and value.datatype.value in _NUMERIC:
            value = ("number", float(value.value))
        normal.add((quad.subject, quad.predicate, value, quad.graph_name))
    return normal


def _isomorphic(first: set[Any], second: set[Any]) -> bool:
    """Graph equality; blank nodes are compared by structure (rdflib) only when present."""
    if first == second or _by_value(first) == _by_value(second):
        return True
    import pyoxigraph

    if not any(isinstance(term, pyoxigraph.BlankNode) for quad in first for term in quad):
        return False
    import rdflib
    from rdflib.compare import isomorphic

    graphs = []
    for quads in (first, second):
        graph = rdflib.Graph()
        graph.parse(data="".join(f"{q.triple} .\n" for q in quads), format="nt")
        graphs.append(graph)
    return bool(isomorphic(graphs[0], graphs[1]))


def summarise(verdicts: list[Verdict]) -> Iterator[str]:
    """The table ``wirekit check`` prints: one row per file, then the counts."""
    width = max((len(v.path) for v in verdicts), default=4)
    for verdict in verdicts:
        yield f"{verdict.path.ljust(width)}  {verdict.status:<11}  {verdict.detail}"
    counts = {status: sum(v.status == status for v in verdicts) for status in ("ok", "FAIL")}
    unchecked = len(verdicts) - counts["ok"] - counts["FAIL"]
    yield (
        f"{len(verdicts)} files: {counts['ok']} ok, {counts['FAIL']} failed, "
        f"{unchecked} not checked"
    )
