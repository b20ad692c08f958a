"""Linked-data stores: an embedded Oxigraph store, or any SPARQL 1.1 server over HTTP.

Both take the same unit of work, a batch of named graphs (one per article, named by the
article's IRI), and *replace* each graph, so loading the same article twice, or rerunning a load
that died halfway, leaves exactly one copy of its triples.

- :class:`EmbeddedStore` drops the graphs that exist and feeds the batch to Oxigraph's bulk
  loader (several times faster than transactional inserts; not atomic, which replacing makes
  harmless: a rerun replaces whatever a crash left).
- :class:`Endpoint` speaks the SPARQL 1.1 Graph Store HTTP Protocol, one ``PUT`` per graph over a
  kept-alive connection; a server without it (404, 405, 415, 501 on the first PUT) gets SPARQL 1.1
  Update instead, ``DROP SILENT GRAPH`` + ``INSERT DATA`` for the whole batch in one request.
  Credentials come from the environment only (never a URL, an argument or a log line); TLS
  certificates are verified; every request has a timeout, and connection errors and 5xx answers
  are retried with exponential backoff.
"""

from __future__ import annotations

import base64
import http.client
import os
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError, WirekitError

USER_VARIABLE = "WIREKIT_ENDPOINT_USER"
PASSWORD_VARIABLE = "WIREKIT_ENDPOINT_PASSWORD"
TOKEN_VARIABLE = "WIREKIT_ENDPOINT_TOKEN"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_NO_GRAPH_STORE = {404, 405, 415, 501}


class StoreError(WirekitError):
    """The store refused or could not be reached. ``fatal`` errors (authentication, a server
    gone for good) stop a load; others fail one batch."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


@dataclass(frozen=True, slots=True)
class Graph:
    """One article's triples, ready to load."""

    iri: str
    ntriples: bytes
    nquads: bytes

    @property
    def triples(self) -> int:
        return self.ntriples.count(b"\n")


class Target:
    """What a load writes to and a query reads from."""

    def replace(self, batch: Sequence[Graph]) -> int:
        """Replace each graph of the batch; return how many of them existed before."""
        raise NotImplementedError

    def query(self, sparql: str) -> tuple[str, bytes]:
        """Run a query: ``("results", SPARQL JSON results)`` or ``("graph", N-Triples)``."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the store."""


class EmbeddedStore(Target):
    """An on-disk Oxigraph store in a folder (created when missing)."""

    def __init__(self, path: Path) -> None:
        import pyoxigraph

        try:
            self._store = pyoxigraph.Store(str(path))
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}", fatal=True) from None
        self._ox = pyoxigraph

    def replace(self, batch: Sequence[Graph]) -> int:
        existed = 0
        for graph in batch:
            node = self._ox.NamedNode(graph.iri)
            if self._store.contains_named_graph(node):
                self._store.remove_graph(node)
                existed += 1
        data = b"".join(graph.nquads for graph in batch)
        try:
            self._store.bulk_load(input=data, format=self._ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"the store refused a batch: {exc}") from None
        return existed

    def query(self, sparql: str) -> tuple[str, bytes]:
        ox = self._ox
        try:
            results = self._store.query(sparql)
        except SyntaxError as exc:
            raise UsageError(f"the query is not valid SPARQL: {exc}") from None
        if isinstance(results, ox.QueryTriples):
            return "graph", results.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        return "results", results.serialize(format=ox.QueryResultsFormat.JSON) or b""

    def close(self) -> None:
        self._store.flush()
        del self._store


def _credentials() -> str | None:
    """The Authorization header's value, from the environment."""
    token = os.environ.get(TOKEN_VARIABLE)
    if token:
        return f"Bearer {token}"
    user = os.environ.get(USER_VARIABLE)
    if user is not None:
        secret = f"{user}:{os.environ.get(PASSWORD_VARIABLE, '')}".encode()
        return "Basic " + base64.b64encode(secret).decode("ascii")
    return None


class Endpoint(Target):
    """A SPARQL 1.1 server. URLs default to Oxigraph server's layout under ``url``
    (``/query``, ``/update``, ``/store``); Fuseki's graph store is ``<dataset>/data``."""

    def __init__(
        self,
        url: str,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        timeout: float = 30.0,
        attempts: int = 5,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        base = url.rstrip("/")
        for candidate in (url, query_url, update_url, graph_store_url):
            if candidate and urllib.parse.urlsplit(candidate).password is not None:
                raise UsageError(
                    f"put credentials in {USER_VARIABLE} and {PASSWORD_VARIABLE} "
                    f"(or {TOKEN_VARIABLE}), not in the URL"
                )
        self.query_url = query_url or f"{base}/query"
        self.update_url = update_url or f"{base}/update"
        self.graph_store_url = graph_store_url or f"{base}/store"
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self.graph_store = True
        self._auth = _credentials()
        self._connections: dict[tuple[str, str, int | None], http.client.HTTPConnection] = {}

    # -- HTTP ----------------------------------------------------------------------------------

    def _connection(self, parts: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        key = (parts.scheme, parts.hostname or "", parts.port)
        connection = self._connections.get(key)
        if connection is None:
            if parts.scheme == "https":
                import ssl

                connection = http.client.HTTPSConnection(
                    parts.hostname or "",
                    parts.port,
                    timeout=self.timeout,
                    context=ssl.create_default_context(),
                )
            elif parts.scheme == "http":
                connection = http.client.HTTPConnection(
                    parts.hostname or "", parts.port, timeout=self.timeout
                )
            else:
                raise UsageError(f"{parts.geturl()}: an endpoint URL is http or https")
            self._connections[key] = connection
        return connection

    def _drop(self, parts: urllib.parse.SplitResult) -> None:
        connection = self._connections.pop((parts.scheme, parts.hostname or "", parts.port), None)
        if connection is not None:
            connection.close()

    def request(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        """One HTTP exchange, retried with exponential backoff on connection errors and 5xx
        answers; 401 and 403 are final. Messages name the URL, never the credentials."""
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        headers = dict(headers)
        if self._auth:
            headers["Authorization"] = self._auth
        where = f"{parts.scheme}://{parts.netloc}{parts.path}"
        problem = ""
        for attempt in range(self.attempts):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                connection = self._connection(parts)
                connection.request(method, target, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self._drop(parts)
                problem = f"cannot reach the server ({type(exc).__name__}: {exc})"
                continue
            if response.status in (401, 403):
                raise StoreError(
                    f"{where}: authentication failed (HTTP {response.status}); check "
                    f"{USER_VARIABLE}/{PASSWORD_VARIABLE} or {TOKEN_VARIABLE}",
                    fatal=True,
                )
            if response.status >= 500:
                problem = f"server error HTTP {response.status}: {_first_line(payload)}"
                continue
            return response.status, payload
        raise StoreError(f"{where}: {problem} after {self.attempts} attempts", fatal=True)

    # -- loading -------------------------------------------------------------------------------

    def replace(self, batch: Sequence[Graph]) -> int:
        if self.graph_store:
            existed = 0
            for index, graph in enumerate(batch):
                status = self._put(graph)
                if status in _NO_GRAPH_STORE:
                    if index:
                        raise StoreError(f"{graph.iri}: the graph store answered HTTP {status}")
                    self.graph_store = False  # no Graph Store Protocol here: use SPARQL Update
                    return self._update(batch)
                existed += status in (200, 204)  # 201 Created: the graph is new
            return existed
        return self._update(batch)

    def _put(self, graph: Graph) -> int:
        url = f"{self.graph_store_url}?graph={urllib.parse.quote(graph.iri, safe='')}"
        headers = {"Content-Type": N_TRIPLES}
        status, payload = self.request("PUT", url, graph.ntriples, headers)
        if status >= 400 and status not in _NO_GRAPH_STORE:
            raise StoreError(
                f"{graph.iri}: the server refused it: HTTP {status} {_first_line(payload)}"
            )
        return status

    def _update(self, batch: Sequence[Graph]) -> int:
        parts = [
            f"DROP SILENT GRAPH <{graph.iri}> ;\nINSERT DATA {{ GRAPH <{graph.iri}> {{\n"
            + graph.ntriples.decode("utf-8")
            + "}} ;\n"
            for graph in batch
        ]
        body = "".join(parts).rstrip(" ;\n").encode("utf-8")
        status, payload = self.request(
            "POST", self.update_url, body, {"Content-Type": "application/sparql-update"}
        )
        if status >= 400:
            raise StoreError(
                f"{self.update_url}: update refused: HTTP {status} {_first_line(payload)}"
            )
        return 0

    # -- querying ------------------------------------------------------------------------------

    def query(self, sparql: str) -> tuple[str, bytes]:
        headers = {
            "Content-Type": "application/sparql-query",
            "Accept": f"{RESULTS_JSON}, {N_TRIPLES};q=0.9",
        }
        status, payload = self.request("POST", self.query_url, sparql.encode("utf-8"), headers)
        if status == 400:
            raise UsageError(f"the server rejected the query: {_first_line(payload)}")
        if status >= 400:
            raise StoreError(f"{self.query_url}: HTTP {status} {_first_line(payload)}")
        return ("results" if payload.lstrip().startswith(b"{") else "graph"), payload

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()


def _first_line(payload: bytes) -> str:
    return payload.decode("utf-8", "replace").strip().split("\n", 1)[0][:200]


def open_target(store: Path | None, endpoint: str | None, **options: Any) -> Target:
    """The embedded store at ``store`` or the server at ``endpoint`` (not both)."""
    if store is not None and endpoint is not None:
        raise UsageError("give --store or --endpoint, not both")
    if endpoint is not None:
        return Endpoint(endpoint, **options)
    assert store is not None
    return EmbeddedStore(store)


def render(kind: str, payload: bytes, form: str) -> str:
    """Query results for people (``table``) or programs (``csv``, ``json``). A CONSTRUCT or
    DESCRIBE result is N-Triples whatever the form."""
    import orjson

    if kind == "graph":
        return payload.decode("utf-8")
    if form == "json":
        return orjson.dumps(orjson.loads(payload), option=orjson.OPT_INDENT_2).decode() + "\n"
    results = orjson.loads(payload)
    if "boolean" in results:
        return ("true" if results["boolean"] else "false") + "\n"
    names: list[str] = results["head"]["vars"]
    rows = [[_term(row.get(name)) for name in names] for row in results["results"]["bindings"]]
    if form == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buffer.getvalue()
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    lines = [
        "  ".join(name.ljust(width) for name, width in zip(names, widths, strict=True)),
        "  ".join("-" * width for width in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _term(binding: dict[str, str] | None) -> str:
    """A bound value as a reader wants it: the IRI or the literal's text; blank when unbound."""
    if binding is None:
        return ""
    return " ".join(binding["value"].split()) if binding["type"] == "literal" else binding["value"]
