"""Linked-data stores: an embedded Oxigraph store, or any SPARQL 1.1 server over HTTP.

Both take the same unit of work, a batch of named graphs (one per article, named by the
article's IRI), and *replace* each graph, so loading the same article twice, or rerunning a load
that died halfway, leaves exactly one copy of its triples. Every graph is reported on its own
(:class:`Outcome`), so a load that fails partway can name exactly the articles that did not
reach the store.

- :class:`EmbeddedStore` drops the graphs that exist and feeds the batch to Oxigraph's bulk
  loader (two to three times faster than transactional inserts; not atomic, which replacing
  makes harmless: whatever a crash leaves of a graph, the rerun drops and loads again).
- :class:`Endpoint` speaks the SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT`` per graph, from
  a few threads each with its own kept-alive connection, because a server stores one graph
  faster than it takes one request to cross the loopback and back. A server without the protocol
  (404, 405, 415 or 501 for the first ``PUT``) gets SPARQL 1.1 Update instead, ``DROP SILENT
  GRAPH`` + ``INSERT DATA`` for a few graphs per request. Every request is idempotent, so every
  request may be retried. Credentials come from the environment only (never a URL, an argument
  or a log line); TLS certificates are verified; every request has a timeout, and connection
  errors, 429 and 5xx answers are retried with exponential backoff.
"""

from __future__ import annotations

import base64
import http.client
import os
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirekit.errors import UsageError, WirekitError

USER_VARIABLE = "WIREKIT_ENDPOINT_USER"
PASSWORD_VARIABLE = "WIREKIT_ENDPOINT_PASSWORD"
TOKEN_VARIABLE = "WIREKIT_ENDPOINT_TOKEN"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"
SPARQL_QUERY = "application/sparql-query"
_NO_GRAPH_STORE = frozenset({404, 405, 415, 501})
"""What a server without the Graph Store Protocol answers a ``PUT`` with."""
_RETRIED = frozenset({429})
"""Answers below 500 that mean "try again later"."""


class StoreError(WirekitError):
    """The store refused or could not be reached. A ``fatal`` error (authentication, a server
    gone for good, a store that cannot be opened) stops a load; others fail their graphs only."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


@dataclass(frozen=True, slots=True)
class Graph:
    """One article's triples, ready to load: canonical N-Triples (one triple a line, each
    ending in `` .\\n``, as :func:`wirekit.formats.schemaorg.rdf.ntriples` writes them)."""

    iri: str
    ntriples: bytes

    @property
    def triples(self) -> int:
        return self.ntriples.count(b"\n")

    @property
    def nquads(self) -> bytes:
        """The same triples in the graph named by :attr:`iri`. A literal cannot hold a raw line
        break in canonical N-Triples, so every `` .\\n`` ends a statement."""
        return self.ntriples.replace(b" .\n", f" <{self.iri}> .\n".encode())


@dataclass(slots=True)
class Outcome:
    """What replacing one batch did, graph by graph. A graph of the batch that is not in
    :attr:`stored` did not reach the store (or may not have: a request whose answer was lost
    counts as not stored, which is safe because a rerun replaces)."""

    stored: list[str] = field(default_factory=list)
    """IRIs of the graphs now in the store, replaced."""
    existed: int = 0
    """How many of those replaced a graph of the same name."""
    problems: list[str] = field(default_factory=list)
    """One line for each refusal that did not stop the load."""
    stopped: StoreError | None = None
    """The fatal error that ended the batch (and should end the load), if any."""


class Target:
    """What a load writes to and a query reads from."""

    batch_size = 500
    """Articles per batch when the load does not say: each batch is a round of requests."""

    def open(self) -> None:
        """Get ready to write; raise a fatal :class:`StoreError` when that is impossible, so a
        load fails before reading its inputs rather than after."""

    def replace(self, batch: Sequence[Graph]) -> Outcome:
        """Replace each graph of the batch (IRIs are distinct within a batch)."""
        raise NotImplementedError

    def query(self, sparql: str) -> tuple[str, bytes]:
        """Run a query: ``("results", SPARQL JSON results)`` or ``("graph", N-Triples)``."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the store; closing twice is harmless."""


# --- the embedded store ----------------------------------------------------------------------


class EmbeddedStore(Target):
    """An on-disk Oxigraph store in a folder (created when a load first writes to it).

    A load opens it for writing, which locks it; a query opens it read-only, which does not,
    so queries run while a load is going on and beside each other (they see the store as it
    was when they opened it). In queries the default graph is the union of the article graphs,
    so ``GRAPH`` is needed only to ask which article a fact comes from.
    """

    batch_size = 5000
    """Each batch is one run of the bulk loader, which writes new files and folds them into the
    store, at a cost that grows with the number of runs: on 20,000 articles, batches of 5,000
    loaded 10 to 40% faster than batches of 500 (it varies with what else the machine does)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: Any = None
        self._writable = False

    def _open(self, *, writable: bool) -> Any:
        if self._store is not None and (self._writable or not writable):
            return self._store
        import pyoxigraph

        self.close()
        opener = pyoxigraph.Store if writable else pyoxigraph.Store.read_only
        try:
            if writable:  # Oxigraph makes the store's folder, not the folders above it
                self.path.parent.mkdir(parents=True, exist_ok=True)
            store = opener(str(self.path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(_open_problem(self.path, exc), fatal=True) from None
        self._store, self._writable = store, writable
        return store

    def open(self) -> None:
        self._open(writable=True)

    def replace(self, batch: Sequence[Graph]) -> Outcome:
        import pyoxigraph

        store = self._open(writable=True)
        outcome = Outcome()
        try:
            for graph in batch:
                node = pyoxigraph.NamedNode(graph.iri)
                if store.contains_named_graph(node):
                    store.remove_graph(node)
                    outcome.existed += 1
            data = b"".join([graph.nquads for graph in batch])
            store.bulk_load(input=data, format=pyoxigraph.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as exc:  # wirekit wrote bad N-Quads: a bug, one batch
            outcome.existed = 0
            outcome.problems.append(f"{self.path}: the store refused a batch: {_line(exc)}")
        except (OSError, RuntimeError) as exc:  # a full disk, a failing device: stop
            outcome.existed = 0
            outcome.stopped = StoreError(f"{self.path}: cannot write: {_line(exc)}", fatal=True)
        else:
            outcome.stored = [graph.iri for graph in batch]
        return outcome

    def query(self, sparql: str) -> tuple[str, bytes]:
        import pyoxigraph as ox

        store = self._open(writable=False)
        try:
            results = store.query(sparql, use_default_graph_as_union=True)
            if isinstance(results, ox.QueryTriples):
                return "graph", results.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
            return "results", results.serialize(format=ox.QueryResultsFormat.JSON) or b""
        except SyntaxError as exc:
            raise UsageError(f"the query is not valid SPARQL: {_line(exc)}") from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{self.path}: the query failed: {_line(exc)}") from None

    def close(self) -> None:
        store, self._store = self._store, None
        if store is not None and self._writable:
            store.flush()
        self._writable = False


def _open_problem(path: Path, exc: BaseException) -> str:
    """Why a store folder cannot be opened, in words that say what to do about it."""
    text = _line(exc)
    if "LOCK:" in text or "lock hold" in text:  # RocksDB's LOCK file, held by someone else
        return (
            f"{path}: the store is in use by another process (another wirekit load?); "
            "run one load at a time"
        )
    if "not a directory" in text:
        return f"{path}: not a store: it is a file, and a store is a folder"
    if isinstance(exc, RuntimeError) or "Corruption" in text:
        return f"{path}: the store is damaged ({text}); load into a new folder, or restore a backup"
    return f"{path}: cannot open the store: {text}"


# --- SPARQL 1.1 servers ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str


def _credentials() -> str | None:
    """The Authorization header's value, from the environment (a token wins)."""
    token = os.environ.get(TOKEN_VARIABLE)
    if token:
        return f"Bearer {token}"
    user = os.environ.get(USER_VARIABLE)
    if user:
        secret = f"{user}:{os.environ.get(PASSWORD_VARIABLE, '')}".encode()
        return "Basic " + base64.b64encode(secret).decode("ascii")
    return None


def _checked_url(url: str) -> urllib.parse.SplitResult:
    """The URL's parts, if it is one wirekit can use. The message never repeats a URL that
    holds credentials."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"an endpoint URL may not hold credentials: put them in {USER_VARIABLE} and "
            f"{PASSWORD_VARIABLE} (or {TOKEN_VARIABLE})"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url}: an endpoint URL is http:// or https:// and names a host")
    return parts


class Endpoint(Target):
    """A SPARQL 1.1 server. URLs default to Oxigraph server's layout under ``url``
    (``/query``, ``/update``, ``/store``); Fuseki's graph store is ``<dataset>/data``.

    ``connections`` requests run at once (one thread and one kept-alive connection each);
    ``attempts`` counts tries of one request, ``backoff`` is the first wait between them
    (doubled each time); ``update_graphs`` is how many graphs one SPARQL Update carries.
    """

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
        connections: int = 4,
        update_graphs: int = 50,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        base = url.rstrip("/")
        _checked_url(base)
        self.query_url = query_url or f"{base}/query"
        self.update_url = update_url or f"{base}/update"
        self.graph_store_url = graph_store_url or f"{base}/store"
        for each in (self.query_url, self.update_url, self.graph_store_url):
            _checked_url(each)
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.connections = max(1, connections)
        self.update_graphs = max(1, update_graphs)
        self.sleep = sleep
        self.graph_store: bool | None = None
        """Whether the server speaks the Graph Store Protocol; ``None`` until the first PUT."""
        self._auth = _credentials()
        self._local = threading.local()
        self._opened: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    # -- HTTP ----------------------------------------------------------------------------------

    def _connection(
        self, parts: urllib.parse.SplitResult
    ) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's connection to the URL's server, and whether it is new."""
        connections: dict[tuple[str, str, int | None], http.client.HTTPConnection]
        connections = self._local.__dict__.setdefault("connections", {})
        key = (parts.scheme, parts.hostname or "", parts.port)
        connection = connections.get(key)
        if connection is not None:
            return connection, False
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                parts.hostname or "",
                parts.port,
                timeout=self.timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = http.client.HTTPConnection(
                parts.hostname or "", parts.port, timeout=self.timeout
            )
        connections[key] = connection
        with self._lock:
            self._opened.append(connection)
        return connection, True

    def _drop(self, parts: urllib.parse.SplitResult) -> None:
        connections = self._local.__dict__.get("connections", {})
        connection = connections.pop((parts.scheme, parts.hostname or "", parts.port), None)
        if connection is not None:
            connection.close()

    def request(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> Response:
        """One HTTP exchange, retried with exponential backoff on connection errors, 429 and
        5xx answers (every request wirekit sends is idempotent, so a retry is always safe);
        401 and 403 and an untrusted certificate are final. Messages name the URL, never the
        credentials."""
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        headers = dict(headers)
        if self._auth:
            headers["Authorization"] = self._auth
        where = f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
        where += parts.path
        problem = ""
        attempt = 0
        while attempt < self.attempts:
            connection, fresh = self._connection(parts)
            try:
                connection.request(method, target, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except ssl.SSLCertVerificationError as exc:
                self._drop(parts)
                raise StoreError(
                    f"{where}: the server's TLS certificate is not trusted "
                    f"({exc.verify_message}); give its CA in SSL_CERT_FILE",
                    fatal=True,
                ) from None
            except (OSError, http.client.HTTPException) as exc:
                self._drop(parts)
                if not fresh:  # the server closed a kept-alive connection: not a failure
                    continue
                problem = f"cannot reach the server ({type(exc).__name__}: {_line(exc)})"
            else:
                if response.will_close:
                    self._drop(parts)
                if response.status in (401, 403):
                    raise StoreError(
                        f"{where}: authentication failed (HTTP {response.status}); check "
                        f"{USER_VARIABLE} and {PASSWORD_VARIABLE}, or {TOKEN_VARIABLE}",
                        fatal=True,
                    )
                if response.status < 500 and response.status not in _RETRIED:
                    content_type = response.getheader("Content-Type", "") or ""
                    return Response(response.status, payload, content_type.split(";")[0])
                problem = f"HTTP {response.status} {_first_line(payload)}".rstrip()
            attempt += 1
            if attempt < self.attempts:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        raise StoreError(f"{where}: {problem} (gave up after {self.attempts} attempts)", fatal=True)

    # -- loading -------------------------------------------------------------------------------

    def replace(self, batch: Sequence[Graph]) -> Outcome:
        outcome = Outcome()
        rest = list(batch)
        while self.graph_store is None and rest:  # a first PUT says if the protocol is there
            first = rest.pop(0)
            try:
                status = self._put(first)
            except StoreError as exc:  # refused, yet not for want of the protocol: try another
                _record(outcome, [first], exc)
                if exc.fatal:
                    return outcome
                continue
            self.graph_store = status not in _NO_GRAPH_STORE
            if self.graph_store:
                _record(outcome, [first], int(status in (200, 204)))
            else:
                rest.insert(0, first)
        if self.graph_store:
            results = self._map(self._put_one, [[graph] for graph in rest])
        else:
            size = self.update_graphs
            chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
            results = self._map(self._update, chunks)
        for graphs, result in results:
            _record(outcome, graphs, result)
        return outcome

    def _map(
        self, work: Callable[[Sequence[Graph]], int], items: Sequence[Sequence[Graph]]
    ) -> list[tuple[Sequence[Graph], int | StoreError | None]]:
        """Run ``work`` on each item, ``connections`` at a time; each result is how many graphs
        existed, or the error. Once an error is fatal, items not yet begun are skipped
        (``None``): the server is gone, or refuses us."""
        stop = threading.Event()

        def one(item: Sequence[Graph]) -> int | StoreError | None:
            if stop.is_set():
                return None
            try:
                return work(item)
            except StoreError as exc:
                if exc.fatal:
                    stop.set()
                return exc

        if self.connections == 1 or len(items) <= 1:
            return [(item, one(item)) for item in items]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.connections, thread_name_prefix="wirekit-http")
        return list(zip(items, self._pool.map(one, items), strict=True))

    def _put(self, graph: Graph) -> int:
        """PUT one graph; return the status (201: new; 200, 204: replaced; before the protocol
        is known to be there, also a "no graph store" answer)."""
        separator = "&" if "?" in self.graph_store_url else "?"
        url = f"{self.graph_store_url}{separator}graph={urllib.parse.quote(graph.iri, safe='')}"
        response = self.request("PUT", url, graph.ntriples, {"Content-Type": N_TRIPLES})
        status = response.status
        if status >= 400 and not (status in _NO_GRAPH_STORE and self.graph_store is None):
            raise StoreError(
                f"{graph.iri}: the graph store refused it: HTTP {status} "
                f"{_first_line(response.body)}".rstrip()
            )
        return status

    def _put_one(self, graphs: Sequence[Graph]) -> int:
        (graph,) = graphs
        return int(self._put(graph) in (200, 204))

    def _update(self, graphs: Sequence[Graph]) -> int:
        """Replace a few graphs in one SPARQL Update request (atomic on every server we know);
        return how many existed before."""
        existed = self._existing(graphs)
        body = " ;\n".join(
            f"DROP SILENT GRAPH <{g.iri}> ;\nINSERT DATA {{ GRAPH <{g.iri}> {{\n"
            + g.ntriples.decode("utf-8")
            + "} }"
            for g in graphs
        ).encode("utf-8")
        response = self.request("POST", self.update_url, body, {"Content-Type": SPARQL_UPDATE})
        if response.status in _NO_GRAPH_STORE:
            raise StoreError(
                f"{self.update_url}: neither the Graph Store Protocol ({self.graph_store_url}) "
                f"nor SPARQL Update is there (HTTP {response.status}); check --endpoint "
                "and --graph-store",
                fatal=True,
            )
        if response.status >= 400:
            raise StoreError(
                f"{self.update_url}: update refused: HTTP {response.status} "
                f"{_first_line(response.body)}".rstrip()
            )
        return existed

    def _existing(self, graphs: Sequence[Graph]) -> int:
        """How many of the graphs hold triples now, for the summary (0 when the server will
        not say)."""
        import orjson

        values = " ".join(f"<{g.iri}>" for g in graphs)
        sparql = (
            f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} "
            "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }"
        )
        try:
            kind, payload = self.query(sparql)
            return len(orjson.loads(payload)["results"]["bindings"]) if kind == "results" else 0
        except StoreError as exc:
            if exc.fatal:
                raise
            return 0
        except (UsageError, ValueError, KeyError, TypeError):
            return 0

    # -- querying ------------------------------------------------------------------------------

    def query(self, sparql: str) -> tuple[str, bytes]:
        headers = {
            "Content-Type": SPARQL_QUERY,
            "Accept": f"{RESULTS_JSON}, {N_TRIPLES};q=0.9",
        }
        response = self.request("POST", self.query_url, sparql.encode("utf-8"), headers)
        if response.status == 400:
            raise UsageError(f"the server rejected the query: {_first_line(response.body)}")
        if response.status >= 400:
            raise StoreError(
                f"{self.query_url}: HTTP {response.status} {_first_line(response.body)}".rstrip()
            )
        if response.content_type == RESULTS_JSON or (
            not response.content_type and response.body.lstrip().startswith(b"{")
        ):
            return "results", response.body
        if response.content_type in (N_TRIPLES, "text/plain", ""):
            return "graph", response.body
        raise StoreError(
            f"{self.query_url}: answered {response.content_type}, not SPARQL JSON results "
            "or N-Triples"
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()
        self._local = threading.local()


def _record(outcome: Outcome, graphs: Sequence[Graph], result: int | StoreError | None) -> None:
    """Add one request's result to a batch's outcome: how many of its graphs existed, an
    error, or ``None`` for a request skipped after a fatal error."""
    if isinstance(result, StoreError):
        if not result.fatal:
            outcome.problems.append(str(result))
        elif outcome.stopped is None:
            outcome.stopped = result
    elif result is not None:
        outcome.stored.extend(graph.iri for graph in graphs)
        outcome.existed += result


def _line(exc: BaseException) -> str:
    """An exception's message on one line (a library's may span several)."""
    return " ".join(str(exc).split())[:300]


def _first_line(payload: bytes) -> str:
    return payload.decode("utf-8", "replace").strip().split("\n", 1)[0][:200]


def open_target(store: Path | None, endpoint: str | None, **options: Any) -> Target:
    """The embedded store at ``store`` or the server at ``endpoint`` (not both)."""
    if store is not None and endpoint is not None:
        raise UsageError("give --store or --endpoint, not both")
    if endpoint is not None:
        return Endpoint(endpoint, **options)
    if store is None:
        raise UsageError("give --store or --endpoint")
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
