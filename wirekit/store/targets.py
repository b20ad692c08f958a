"""Linked-data stores: an embedded Oxigraph store, or any SPARQL 1.1 server over HTTP.

Both take the same unit of work, a batch of named graphs (one per article, named by the
article's IRI), and *replace* each graph, so loading the same article twice, or rerunning a load
that died halfway, leaves exactly one copy of its triples. Every graph is reported on its own
(:class:`Outcome`), so a load that fails partway can name exactly the articles that did not
reach the store.

Each stored graph is recorded as wirekit's (``<graph> a <urn:wirekit:ArticleGraph>``), never
after the graph itself: a load that dies between the two must not leave a graph of its own
that the record does not name, since loads never replace or remove such a graph (it is someone
else's, :meth:`Target.held`); a record naming a graph that never arrived is harmless.

- :class:`EmbeddedStore` drops the graphs that exist and feeds the batch to Oxigraph's bulk
  loader (two to three times faster than transactional inserts; not atomic, which replacing
  makes harmless: whatever a crash leaves of a graph, the rerun drops and loads again).
- :class:`Endpoint` speaks the SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT`` per graph, its
  body sent in pieces as they are made (chunked transfer coding), from a few threads each with
  its own kept-alive connection, because a server stores one graph faster than it takes one
  request to cross the loopback and back. A server without the protocol
  (404, 405, 415 or 501 for the first ``PUT``) gets SPARQL 1.1 Update instead, ``DROP SILENT
  GRAPH`` + ``INSERT DATA`` for a few graphs per request. Every request is idempotent, so every
  request may be retried. Credentials come from the environment only (never a URL, an argument
  or a log line: every message shows a URL through :func:`wirekit.store.http.redact`); TLS
  certificates are verified. Each phase of an exchange has a deadline (not a per-read timeout),
  retries fit in a budget, and only 200/201/204 count as stored (see :meth:`Endpoint.request`).
"""

from __future__ import annotations

import base64
import contextlib
import glob
import http.client
import io
import itertools
import os
import shutil
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from wirekit import files
from wirekit.errors import UsageError, WirekitError
from wirekit.store.http import Watchdog, checked_url, origin, printable, redact
from wirekit.store.results import Answer

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
_STORED = frozenset({200, 201, 204})
"""The only answers that say a graph was stored (or an update done)."""
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 5


class StoreError(WirekitError):
    """The store refused or could not be reached. A ``fatal`` error (authentication, a server
    gone for good, a store that cannot be opened) stops a load; others fail their graphs only."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


CHUNK_BYTES = 1 << 16
"""The size of the pieces a graph is sent or bulk-loaded in (:meth:`Graph.chunks`)."""


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
        """The same triples in the graph named by :attr:`iri`, whole."""
        return b"".join(self.chunks(quads=True))

    def chunks(self, *, quads: bool = False, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        """The graph's N-Triples, or with ``quads`` its N-Quads in the graph named by
        :attr:`iri`, in pieces of at most about ``size`` bytes, each made when it is asked for:
        sending or bulk-loading a graph never needs a second copy of it whole.

        A literal cannot hold a raw line break in canonical N-Triples, so every `` .\\n`` ends a
        statement, and becomes `` <graph> .\\n`` in N-Quads. A piece of N-Quads ends at the last
        statement's end within ``size``; a statement longer than that is cut ``size - 2`` bytes
        on, which can never split its `` .\\n`` (the line break lies further on)."""
        data = self.ntriples
        size = max(3, size)
        if not quads:
            view = memoryview(data)
            for start in range(0, len(data), size):
                yield bytes(view[start : start + size])
            return
        named = f" <{self.iri}> .\n".encode()
        start = 0
        while start < len(data):
            stop = data.rfind(b"\n", start, start + size) + 1 or min(start + size - 2, len(data))
            yield data[start:stop].replace(b" .\n", named)
            start = stop


@dataclass(slots=True)
class Outcome:
    """What replacing one batch did, graph by graph. A graph of the batch that is not in
    :attr:`stored` did not reach the store (or may not have: a request whose answer was lost
    counts as not stored, which is safe because a rerun replaces)."""

    stored: list[str] = field(default_factory=list)
    """IRIs of the graphs now in the store, replaced."""
    problems: list[str] = field(default_factory=list)
    """One line for each refusal that did not stop the load."""
    stopped: StoreError | None = None
    """The fatal error that ended the batch (and should end the load), if any."""


class Target:
    """What a load writes to and a query reads from."""

    batch_size = 500
    """Articles per batch when the load does not say: each batch is a round of requests."""
    update_graphs = 50
    """Graphs one SPARQL Update removes (or, on a server without the Graph Store Protocol,
    replaces): one request, or one transaction."""

    @property
    def name(self) -> str:
        """The store as a message names it (a server's URL through :func:`redact`)."""
        return "the store"

    def open(self) -> None:
        """Get ready to write; raise a fatal :class:`StoreError` when that is impossible, so a
        load fails before reading its inputs rather than after."""

    def lock(self, wait: float) -> contextlib.AbstractContextManager[None]:
        """Held by a load while it writes. A server keeps its own order: nothing to hold here."""
        return contextlib.nullcontext()

    def replace(self, batch: Sequence[Graph]) -> Outcome:
        """Replace each graph of the batch (IRIs are distinct within a batch), and record it as
        wirekit's. This replaces whatever is there: that a graph someone else made is left
        alone is the load's to decide, by :meth:`held`, which a dry run asks as well."""
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        """Run one SPARQL Update (one request, or one transaction); raise a :class:`StoreError`
        unless it succeeded, ``fatal`` when the store cannot be written at all (so that no
        further update is tried), not when only this update was refused."""
        raise NotImplementedError

    def query(self, sparql: str) -> Answer:
        """Run a query; the answer is read as it is written (call its ``close`` after)."""
        raise NotImplementedError

    def _ask(self, sparql: str) -> Answer:
        """One of wirekit's own questions about its record: a server that refuses it (HTTP
        400, which :meth:`query` reports as a usage error, for a query of the user's) is the
        store's failure here, not the user's."""
        try:
            return self.query(sparql)
        except UsageError as exc:
            raise StoreError(
                f"{self.name}: cannot ask which graphs wirekit created: {exc}"
            ) from None

    def managed(self) -> set[str]:
        """The graphs wirekit created here (recorded as it stores them), without opening the
        store for writing: what ``load --sync`` may remove."""
        answer = self._ask(_managed_query(self.meta))
        try:
            return {row["g"]["value"] for row in answer.rows or () if "g" in row}
        finally:
            answer.close()

    def held(self, iris: Sequence[str]) -> dict[str, bool]:
        """Which of these graphs the store holds now, each with whether the record says wirekit
        created it: one question for a whole batch (one request to a server for every
        :data:`HELD_PER_QUERY` graphs), asked before graphs are replaced or removed, because a
        graph the record does not name is someone else's, which wirekit never replaces or
        removes. Empty when asked of none."""
        found: dict[str, bool] = {}
        for start in range(0, len(iris), HELD_PER_QUERY):
            values = " ".join(f"<{iri}>" for iri in iris[start : start + HELD_PER_QUERY])
            answer = self._ask(
                f"SELECT ?g ?ours WHERE {{ VALUES ?g {{ {values} }} "
                "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } "
                f"BIND(EXISTS {{ {_recorded(self.meta, '?g')} }} AS ?ours) }}"
            )
            try:
                for row in answer.rows or ():
                    if "g" in row:
                        found[row["g"]["value"]] = row.get("ours", {}).get("value") == "true"
            finally:
                answer.close()
        return found

    def remove(self, iris: Sequence[str]) -> Outcome:
        """Drop these graphs and their records, :attr:`update_graphs` at a time, each step one
        :meth:`update`. A step refused fails its graphs alone; one that finds the store
        cannot be written (a fatal error) ends the removal. The two stores differ only in what
        they count as fatal, which each one's :meth:`update` decides."""
        outcome = Outcome()
        for start in range(0, len(iris), self.update_graphs):
            chunk = iris[start : start + self.update_graphs]
            try:
                self.update(_remove_update(chunk, self.meta))
            except StoreError as exc:
                _record(outcome, [], exc)
                if exc.fatal:
                    break
                continue
            outcome.stored.extend(chunk)
        return outcome

    def close(self) -> None:
        """Release the store; closing twice is harmless."""

    meta = ""
    """Where the record of created graphs lives, as a SPARQL graph clause opener ("" for the
    default graph)."""


HELD_PER_QUERY = 1000
"""Graphs one :meth:`Target.held` query asks about: a batch of the default size (500) in one
request, and a query of some 100 KB at most however large ``--batch-size`` makes a batch (a
server may refuse a bigger request)."""
META_GRAPH = "urn:wirekit:graphs"
"""The graph where a server keeps the record of the article graphs wirekit created (the
embedded store keeps it in its default graph, which its queries do not see)."""
CREATED = "urn:wirekit:ArticleGraph"
"""The class of a graph wirekit created: ``<graph> a <urn:wirekit:ArticleGraph>``."""
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _records(iris: Iterable[str], meta: str) -> str:
    """The record's triples naming these graphs, as update data: in the ``meta`` graph when
    there is one (an endpoint's), else in the default graph."""
    triples = "".join(f"<{iri}> <{_RDF_TYPE}> <{CREATED}> .\n" for iri in iris)
    return f"{meta} {{\n{triples}}}\n" if meta else triples


def _replace_update(graphs: Sequence[Graph], meta: str) -> str:
    """One SPARQL Update that replaces the graphs and records them (a transaction on Oxigraph,
    and on every server we know)."""
    drops = "".join(f"DROP SILENT GRAPH <{g.iri}> ;\n" for g in graphs)
    inserts = "".join(f"GRAPH <{g.iri}> {{\n{g.ntriples.decode('utf-8')}}}\n" for g in graphs)
    return f"{drops}INSERT DATA {{\n{inserts}{_records((g.iri for g in graphs), meta)}}}"


def _remove_update(iris: Sequence[str], meta: str) -> str:
    drops = "".join(f"DROP SILENT GRAPH <{iri}> ;\n" for iri in iris)
    return f"{drops}DELETE DATA {{\n{_records(iris, meta)}}}"


def _recorded(meta: str, graph: str) -> str:
    """The pattern that says wirekit's record names ``graph`` (a variable or an IRI)."""
    pattern = f"{graph} <{_RDF_TYPE}> <{CREATED}>"
    return f"{meta} {{ {pattern} }}" if meta else pattern


def _managed_query(meta: str) -> str:
    return f"SELECT ?g WHERE {{ {_recorded(meta, '?g')} }}"


# --- the embedded store ----------------------------------------------------------------------


class EmbeddedStore(Target):
    """An on-disk Oxigraph store in a folder.

    A load opens it for writing, which locks it; a query opens it read-only, which does not,
    so queries run while a load is going on and beside each other (they see the store as it
    was when they opened it). In queries the default graph is the union of the article graphs,
    so ``GRAPH`` is needed only to ask which article a fact comes from; the store's own default
    graph keeps the record of the graphs wirekit created, out of the queries' sight.

    Readers never see a graph half replaced:

    - into a store that exists, each batch is one transaction (a SPARQL Update that drops the
      batch's graphs and inserts them again), so a reader sees the old graphs or the new ones;
    - a store that does not exist yet is built beside its place with the bulk loader (two to
      five times faster than transactions, and not atomic, which nobody can see there) and
      moved into place with one rename when the load ends: readers find no store, then the
      whole of it.
    """

    update_graphs = 100
    """Graphs a removal drops in one transaction."""
    batch_size = 5000
    """Each batch is one run of the bulk loader, which writes new files and folds them into the
    store, at a cost that grows with the number of runs: on 20,000 articles, batches of 5,000
    loaded 10 to 40% faster than batches of 500 (it varies with what else the machine does)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: Any = None
        self._writable = False
        self._building: Path | None = None
        """The folder a new store is built in, until :meth:`close` moves it into place."""
        self._built = 0
        self._unflushed = 0
        """N-Triples bytes written in transactions since the store last wrote its memory out."""

    def _open(self, *, writable: bool) -> Any:
        if self._store is not None and (self._writable or not writable):
            return self._store
        import pyoxigraph

        self.close()
        where = self.path
        try:
            if writable:
                _refuse_foreign(self.path)
            if writable and not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _sweep(self.path)
                where = self._building = self.path.parent / (
                    f".{self.path.name}.loading-{os.getpid()}-{time.monotonic_ns()}"
                )
            store = pyoxigraph.Store(str(where)) if writable else _read_only(where)
        except (OSError, RuntimeError) as exc:
            self._building = None
            raise StoreError(_open_problem(self.path, exc), fatal=True) from None
        self._store, self._writable = store, writable
        return store

    @property
    def name(self) -> str:
        return str(self.path)

    def open(self) -> None:
        self._open(writable=True)

    def lock(self, wait: float) -> contextlib.AbstractContextManager[None]:
        """One load at a time, as for a published tree: ``.<store>.wirekit-lock`` beside the
        store (its folder is Oxigraph's, and a new store is built beside it and renamed in)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return files.locked(self.path.parent, wait, name=f".{self.path.name}{files.LOCK}")

    def replace(self, batch: Sequence[Graph]) -> Outcome:
        import pyoxigraph

        store = self._open(writable=True)
        outcome = Outcome()
        try:
            if self._building is not None:  # nobody reads it yet: the bulk loader, fast
                for graph in batch:  # a graph an earlier batch of this load stored
                    store.remove_graph(pyoxigraph.NamedNode(graph.iri))
                pieces = itertools.chain(  # the record first, as a server's (Endpoint.replace)
                    [_records((g.iri for g in batch), "").encode()],
                    *(graph.chunks(quads=True) for graph in batch),
                )
                store.bulk_load(input=_Reader(pieces), format=pyoxigraph.RdfFormat.N_QUADS)
            else:  # readers are there: one transaction
                self.update(_replace_update(batch, self.meta))
                self._unflushed += sum(len(graph.ntriples) for graph in batch)
                if self._unflushed >= FLUSH_BYTES:
                    store.flush()
                    self._unflushed = 0
        except StoreError as exc:
            _record(outcome, [], exc)
        except (SyntaxError, ValueError) as exc:
            _record(outcome, [], self._refused(exc))
        except (OSError, RuntimeError) as exc:
            _record(outcome, [], self._unwritable(exc))
        else:
            outcome.stored = [graph.iri for graph in batch]
            self._built += len(batch)
        return outcome

    def update(self, sparql: str) -> None:
        store = self._open(writable=True)
        try:
            store.update(sparql)
        except (SyntaxError, ValueError) as exc:
            raise self._refused(exc) from None
        except (OSError, RuntimeError) as exc:
            raise self._unwritable(exc) from None

    def _refused(self, exc: BaseException) -> StoreError:
        """Oxigraph refused what wirekit wrote (a bug of wirekit's): that step fails alone."""
        return StoreError(f"{self.path}: the store refused what wirekit wrote: {_line(exc)}")

    def _unwritable(self, exc: BaseException) -> StoreError:
        """A full disk, a failing device: nothing more can be written, so the load stops."""
        return StoreError(f"{self.path}: cannot write: {_line(exc)}", fatal=True)

    def managed(self) -> set[str]:
        import pyoxigraph as ox

        if self._store is None and not self.path.is_dir():
            return set()
        store = self._open(writable=False) if self._store is None else self._store
        pattern = store.quads_for_pattern(
            None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(CREATED), ox.DefaultGraph()
        )
        return {quad.subject.value for quad in pattern}

    def held(self, iris: Sequence[str]) -> dict[str, bool]:
        """As :meth:`Target.held`, from the store's indexes (two lookups a graph; the record is
        in the default graph, which the store's queries do not see). A named graph Oxigraph
        knows counts as held even when empty: someone made it."""
        import pyoxigraph as ox

        if self._store is None and not self.path.is_dir():
            return {}
        store = self._open(writable=False) if self._store is None else self._store
        created, kind = ox.NamedNode(CREATED), ox.NamedNode(_RDF_TYPE)
        nodes = ((iri, ox.NamedNode(iri)) for iri in iris)
        return {
            iri: ox.Quad(node, kind, created, ox.DefaultGraph()) in store
            for iri, node in nodes
            if store.contains_named_graph(node)
        }

    def query(self, sparql: str) -> Answer:
        from wirekit.store import results

        store = self._open(writable=False)

        def fail(reason: str) -> StoreError:
            return StoreError(f"{self.path}: the query failed: {reason}")

        try:
            found = store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise UsageError(f"the query is not valid SPARQL: {_line(exc)}") from None
        except (OSError, RuntimeError) as exc:
            raise fail(_line(exc)) from None
        return results.from_oxigraph(found, fail)

    def close(self) -> None:
        """Release the store; a store built beside its place moves in now (with one rename),
        or, when nothing reached it, is deleted (wirekit made that folder, under a name of its
        own)."""
        store, self._store = self._store, None
        if store is not None and self._writable:
            store.flush()
        del store  # Oxigraph lets go of the folder when the last reference goes
        self._writable = False
        building, self._building = self._building, None
        if building is None:
            return
        if self._built and not self.path.exists():
            building.rename(self.path)
        else:
            shutil.rmtree(building, ignore_errors=True)
            if self._built:
                raise StoreError(
                    f"{self.path}: another process made a store here during the load; "
                    "this load's store was dropped: load again",
                    fatal=True,
                )


FLUSH_BYTES = 16 << 20
"""After transactions have written this much N-Triples, the store writes its memory tables out:
RocksDB keeps every write of an open store in memory until a table fills (tens of megabytes for
each of Oxigraph's dozen column families), so a reload of a 300 MB archive of 1,000 articles
grew to 499 MB before this, and peaks at 139 MB with it (the bulk loader writes files directly:
nothing to flush). Memory is bought with time: that reload took 22 to 31 s instead of 17 s;
flushing every 32 MiB took 21 s but peaked at 164 MB, too close to the 200 MB goal once the
articles are big."""


def _sweep(path: Path) -> None:
    """Delete the stores that loads killed before their rename left beside ``path``: folders
    named as :class:`EmbeddedStore` names them, whose process is gone."""
    for folder in path.parent.glob(f".{glob.escape(path.name)}.loading-*"):
        pid = folder.name.rsplit(".loading-", 1)[1].split("-", 1)[0]
        if not (pid.isascii() and pid.isdigit()) or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # alive, someone else's


def _read_only(path: Path, tries: int = 20) -> Any:
    """The store opened read-only. A load writing to it meanwhile may delete a file that the
    store's manifest still names as the reader opens it (RocksDB compacts as it goes): the
    next try reads the newer manifest, so a reader waits a moment instead of failing."""
    import pyoxigraph

    for attempt in range(tries):
        try:
            return pyoxigraph.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if "No such file" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


STORE_MARKS = ("CURRENT", "IDENTITY")
"""Files every Oxigraph (RocksDB) store folder holds."""


def _refuse_foreign(path: Path) -> None:
    """Refuse a folder that holds files but is not an Oxigraph store: opening it would make
    RocksDB write its files among the user's and, on a later open, remove or rename theirs."""
    try:
        present = set(os.listdir(path))
    except (FileNotFoundError, NotADirectoryError):
        return  # a new store, or a file (which opening reports)
    if present and not all(mark in present for mark in STORE_MARKS):
        shown = ", ".join(sorted(present)[:3]) + (" ..." if len(present) > 3 else "")
        raise UsageError(
            f"{path}: not empty and not an Oxigraph store (it holds {shown}); refusing to load "
            "into it: give --store an empty or new folder, or an existing store"
        )


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


@dataclass(slots=True)
class Response:
    """An answer. ``body`` holds it whole, unless it was asked for as a stream: then ``stream``
    reads it (within the answer's deadline) and :meth:`close` must be called."""

    status: int
    content_type: str
    body: bytes = b""
    location: str = ""
    stream: http.client.HTTPResponse | None = None
    done: Callable[[], None] = lambda: None

    def close(self) -> None:
        self.done()


def _credentials() -> str | None:
    """The Authorization header's value, from the environment (a token wins). A value that
    cannot go in a header is a usage error naming the variable, never its value: sent as it
    is, ``http.client`` would refuse the header with a message quoting it whole."""
    token = os.environ.get(TOKEN_VARIABLE)
    if token:
        if not all("!" <= character <= "~" for character in token):
            raise UsageError(
                f"{TOKEN_VARIABLE}: a bearer token is visible ASCII characters only (no space, "
                "no line break)"
            )
        return f"Bearer {token}"
    user = os.environ.get(USER_VARIABLE)
    if user:
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if ":" in user or not (user + password).isprintable():
            raise UsageError(
                f"{USER_VARIABLE} and {PASSWORD_VARIABLE}: no control characters (a line break, "
                "say), and no ':' in the user name (basic authentication cannot carry them)"
            )
        secret = f"{user}:{password}".encode()
        return "Basic " + base64.b64encode(secret).decode("ascii")
    return None


def credential_secrets() -> list[str]:
    """What the environment's credentials look like wherever they might be quoted: the values,
    and the Authorization header made of them (whose base64 gives the password away)."""
    values = [os.environ.get(name, "") for name in (PASSWORD_VARIABLE, TOKEN_VARIABLE)]
    try:
        header = _credentials()
    except UsageError:
        header = None
    return [value for value in (*values, *(header or "").split()[1:]) if value]


class _Late(Exception):
    """A phase of an exchange passed its deadline."""


Body = bytes | Callable[[], Iterable[bytes]] | None
"""What a request sends: bytes, or a function that makes the body's pieces anew for each try
(a graph's :meth:`Graph.chunks`), sent as they are made with HTTP/1.1 chunked transfer coding,
so an upload holds one piece at a time beyond the graph itself, whatever its size."""


class Endpoint(Target):
    """A SPARQL 1.1 server. URLs default to Oxigraph server's layout under ``url``
    (``/query``, ``/update``, ``/store``); Fuseki's graph store is ``<dataset>/data``.

    ``timeout`` is the deadline of each phase of an exchange: connecting, sending the request,
    and receiving the whole answer. ``budget`` (three timeouts unless given) bounds one request
    with all its retries; ``attempts`` counts tries within it and ``backoff`` is the first wait
    between them (doubled each time). ``connections`` requests run at once (one thread and one
    kept-alive connection each); ``update_graphs`` is how many graphs one SPARQL Update carries.
    """

    def __init__(
        self,
        url: str,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        timeout: float = 60.0,
        budget: float | None = None,
        attempts: int = 5,
        backoff: float = 0.5,
        connections: int = 4,
        update_graphs: int = 50,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        checked_url(url)
        base = self.url = url.rstrip("/")
        self.query_url = query_url or f"{base}/query"
        self.update_url = update_url or f"{base}/update"
        self.graph_store_url = graph_store_url or f"{base}/store"
        for each in (self.query_url, self.update_url, self.graph_store_url):
            checked_url(each)
        self.timeout = timeout
        self.budget = budget if budget is not None else 3 * timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.connections = max(1, connections)
        self.update_graphs = max(1, update_graphs)
        self.sleep = sleep
        self.graph_store: bool | None = None
        """Whether the server speaks the Graph Store Protocol; ``None`` until the first PUT."""
        self.chunked = True
        """Whether graphs are sent in pieces; a server that answers 411 to that turns it off."""
        self._auth = _credentials()
        self._local = threading.local()
        self._opened: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._watchdog = Watchdog()
        self.meta = f"GRAPH <{META_GRAPH}>"

    @property
    def name(self) -> str:
        return redact(self.url)

    # -- HTTP ----------------------------------------------------------------------------------

    def _connection(
        self, parts: urllib.parse.SplitResult
    ) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's connection to the URL's server, and whether it is new."""
        connections: dict[tuple[str, str, int], http.client.HTTPConnection]
        connections = self._local.__dict__.setdefault("connections", {})
        key = origin(parts)
        connection = connections.get(key)
        if connection is not None and connection.sock is not None:
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
        connection = connections.pop(origin(parts), None)
        if connection is not None:
            connection.close()

    def _exchange(
        self,
        parts: urllib.parse.SplitResult,
        method: str,
        body: Body,
        headers: dict[str, str],
        limit: float,
        stream: bool,
    ) -> Response:
        """One try: connect, send and receive, each phase within ``limit`` seconds. Raises
        :class:`_Late` when a phase runs out."""
        connection, fresh = self._connection(parts)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if fresh:
            connection.timeout = limit
            try:
                connection.connect()  # one connect (plus TLS): the socket timeout bounds it
            except TimeoutError:
                raise _Late("connecting") from None
        sock = connection.sock
        assert sock is not None
        sock.settimeout(limit)
        alarm = self._watchdog.arm(sock, limit)  # the whole upload, every piece of it
        try:
            connection.request(
                method, target, body=body() if callable(body) else body, headers=headers
            )
        except (OSError, http.client.HTTPException) as exc:
            if self._watchdog.disarm(alarm) or isinstance(exc, TimeoutError):
                raise _Late("sending the request") from None
            raise
        if self._watchdog.disarm(alarm):
            raise _Late("sending the request")
        alarm = self._watchdog.arm(sock, limit)
        try:
            response = connection.getresponse()
            answer = Response(
                response.status,
                (response.getheader("Content-Type", "") or "").split(";")[0].strip().lower(),
                location=response.getheader("Location", "") or "",
            )
            if stream and response.status == 200:
                answer.stream = response

                def done() -> None:
                    late = self._watchdog.disarm(alarm)
                    self._drop(parts)
                    if late:
                        raise _Late("receiving the answer")

                answer.done = done
                return answer
            answer.body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            if self._watchdog.disarm(alarm) or isinstance(exc, TimeoutError):
                raise _Late("receiving the answer") from None
            raise
        if self._watchdog.disarm(alarm):
            raise _Late("receiving the answer")
        if response.will_close:
            self._drop(parts)
        return answer

    def request(
        self,
        method: str,
        url: str,
        body: Body,
        headers: dict[str, str],
        *,
        stream: bool = False,
    ) -> Response:
        """One HTTP exchange, retried with exponential backoff on lost connections, missed
        deadlines, 429 and 5xx answers, while the budget lasts (every request wirekit sends is
        idempotent, so a retry is always safe). A host that does not resolve, a connection
        refused, 401 and 403 and an untrusted certificate are final at once. A redirect is
        followed only when it keeps the method (307, 308) and stays on the same origin, so
        credentials never go elsewhere. Messages name the URL through :func:`redact`."""
        parts = checked_url(url)
        headers = dict(headers)
        if self._auth:
            headers["Authorization"] = self._auth
        started = time.monotonic()
        problem = ""
        attempt = redirects = 0
        while attempt < self.attempts:
            limit = max(0.001, min(self.timeout, self.budget - (time.monotonic() - started)))
            tried = self._try(parts, method, body, headers, limit, stream)
            if isinstance(tried, str):
                if not tried:  # the server had closed a kept-alive connection: not a failure
                    continue
                problem = tried
            elif tried.status in (401, 403):
                raise StoreError(
                    f"{_where(parts)}: authentication failed (HTTP {tried.status}); check "
                    f"{USER_VARIABLE} and {PASSWORD_VARIABLE}, or {TOKEN_VARIABLE}",
                    fatal=True,
                )
            elif tried.status in _REDIRECTS:
                parts = self._redirect(parts, tried, redirects)
                redirects += 1
                continue
            elif tried.status < 500 and tried.status not in _RETRIED:
                return tried
            else:
                problem = f"HTTP {tried.status} {printable(tried.body)}".rstrip()
            attempt += 1
            wait = self.backoff * 2 ** (attempt - 1)
            if attempt >= self.attempts:
                break
            if time.monotonic() - started + wait >= self.budget:
                problem += f"; its {self.budget:g} s budget is spent"
                break
            self.sleep(wait)
        raise StoreError(
            f"{_where(parts)}: {problem} (gave up after {attempt} attempts)", fatal=True
        )

    def _try(
        self,
        parts: urllib.parse.SplitResult,
        method: str,
        body: Body,
        headers: dict[str, str],
        limit: float,
        stream: bool,
    ) -> Response | str:
        """One attempt: the answer, or why there is none when a retry may help ("" when a
        kept-alive connection had been closed by the server). Raises the final errors."""
        where = _where(parts)
        kept = self._kept(parts)
        try:
            return self._exchange(parts, method, body, headers, limit, stream)
        except ssl.SSLCertVerificationError as exc:
            self._drop(parts)
            raise StoreError(
                f"{where}: the server's TLS certificate is not trusted "
                f"({exc.verify_message}); give its CA in SSL_CERT_FILE",
                fatal=True,
            ) from None
        except socket.gaierror as exc:
            self._drop(parts)
            raise StoreError(
                f"{where}: cannot reach the server: its host name does not resolve ({_line(exc)})",
                fatal=True,
            ) from None
        except ConnectionRefusedError:
            self._drop(parts)
            raise StoreError(
                f"{where}: cannot reach the server (connection refused)", fatal=True
            ) from None
        except _Late as exc:
            self._drop(parts)
            return f"no answer in time ({exc} took over {limit:.3g} s)"
        except (OSError, http.client.HTTPException) as exc:
            self._drop(parts)
            return "" if kept else f"cannot reach the server ({type(exc).__name__}: {_line(exc)})"

    def _kept(self, parts: urllib.parse.SplitResult) -> bool:
        """Whether this thread holds an open connection to the URL's server (which the server
        may have closed meanwhile)."""
        connection = self._local.__dict__.get("connections", {}).get(origin(parts))
        return connection is not None and connection.sock is not None

    def _redirect(
        self, parts: urllib.parse.SplitResult, response: Response, hops: int
    ) -> urllib.parse.SplitResult:
        """Where a redirect may be followed to, or the error that names it."""
        here = urllib.parse.urlunsplit(parts)
        there = urllib.parse.urljoin(here, response.location) if response.location else ""
        why = "it names no location"
        if there:
            try:
                next_parts = checked_url(there)
            except UsageError:
                why = "not a URL wirekit can use"
            else:
                if origin(next_parts) != origin(parts):
                    why = "another origin (credentials go only to the one given)"
                elif response.status not in (307, 308):
                    why = "it would change the request (only 307 and 308 keep it)"
                elif hops >= _MAX_REDIRECTS:
                    why = f"more than {_MAX_REDIRECTS} redirects"
                else:
                    return next_parts
        raise StoreError(
            f"{_where(parts)}: HTTP {response.status} redirect to {redact(there) or '(none)'} "
            f"not followed: {why}",
            fatal=True,
        )

    # -- loading -------------------------------------------------------------------------------

    def replace(self, batch: Sequence[Graph]) -> Outcome:
        """Replace the graphs with ``PUT`` (or SPARQL Update), recording them first: a PUT
        cannot carry the record, and a graph stored by a load that died before recording it
        would look like someone else's to every later load, which leaves such graphs alone.
        Recorded first, a graph the load never stored is named in the record, which is
        harmless (wirekit creates it on the rerun, and dropping it changes nothing)."""
        outcome = Outcome()
        if batch and self.graph_store is not False:  # the update path records as it stores
            try:
                self.update(f"INSERT DATA {{ {_records((g.iri for g in batch), self.meta)}}}")
            except StoreError as exc:
                why = f"{exc} (recording the graphs before loading them)"
                _record(outcome, [], StoreError(why, fatal=exc.fatal))
                return outcome
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
                _record(outcome, [first], True)
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

    def update(self, sparql: str) -> None:
        """Send one SPARQL Update. Fatal: a server without SPARQL Update, and what
        :meth:`request` finds fatal (the server gone, credentials refused); any other answer
        that is not a success refuses this update alone."""
        body = sparql.encode("utf-8")
        response = self.request("POST", self.update_url, body, {"Content-Type": SPARQL_UPDATE})
        if response.status in _NO_GRAPH_STORE:
            raise StoreError(
                f"{redact(self.update_url)}: neither the Graph Store Protocol "
                f"({redact(self.graph_store_url)}) nor SPARQL Update is there "
                f"(HTTP {response.status}); check --endpoint and --graph-store",
                fatal=True,
            )
        if response.status not in _STORED:
            raise StoreError(
                f"{redact(self.update_url)}: update refused: HTTP {response.status} "
                f"{printable(response.body)}".rstrip()
            )

    def _map(
        self, work: Callable[[Sequence[Graph]], None], items: Sequence[Sequence[Graph]]
    ) -> list[tuple[Sequence[Graph], bool | StoreError]]:
        """Run ``work`` on each item, ``connections`` at a time; each result is True (stored)
        or the error. Once an error is fatal, items not yet begun are skipped (False): the
        server is gone, or refuses us."""
        stop = threading.Event()

        def one(item: Sequence[Graph]) -> bool | StoreError:
            if stop.is_set():
                return False
            try:
                work(item)
                return True
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
        is known to be there, also a "no graph store" answer). Anything else, a 202 or a 206
        included, is a refusal: only those three say the graph is stored.

        The body goes in pieces (chunked transfer coding), still in one request: one ``PUT`` is
        what makes the replacement atomic on Oxigraph and Fuseki, where several requests per
        graph would show readers a graph half loaded. A server that answers 411 (Length
        Required) gets the graph whole with its length, now and for the rest of the load."""
        separator = "&" if "?" in self.graph_store_url else "?"
        url = f"{self.graph_store_url}{separator}graph={urllib.parse.quote(graph.iri, safe='')}"
        headers = {"Content-Type": N_TRIPLES}
        body: Body = graph.chunks if self.chunked else graph.ntriples
        response = self.request("PUT", url, body, headers)
        status = response.status
        if status == 411 and self.chunked:  # a server (or a proxy) that wants the length first
            self.chunked = False
            response = self.request("PUT", url, graph.ntriples, headers)
            status = response.status
        if status in _STORED or (status in _NO_GRAPH_STORE and self.graph_store is None):
            return status
        raise StoreError(
            f"{graph.iri}: the graph store refused it: HTTP {status} "
            f"{printable(response.body)}".rstrip()
        )

    def _put_one(self, graphs: Sequence[Graph]) -> None:
        (graph,) = graphs
        self._put(graph)

    def _update(self, graphs: Sequence[Graph]) -> None:
        """Replace a few graphs, and record them, in one SPARQL Update request (atomic on
        every server we know)."""
        self.update(_replace_update(graphs, self.meta))

    # -- querying ------------------------------------------------------------------------------

    def query(self, sparql: str) -> Answer:
        """Ask the server; the answer streams. It counts only as a 200 in SPARQL JSON results
        or N-Triples (what was asked for) that parses; anything else is one line naming the
        status, the media type and the answer's first 200 bytes."""
        from wirekit.store import results

        headers = {"Content-Type": SPARQL_QUERY, "Accept": f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"}
        response = self.request(
            "POST", self.query_url, sparql.encode("utf-8"), headers, stream=True
        )
        if response.status == 400:
            raise UsageError(f"the server rejected the query: {printable(response.body)}")
        stream = response.stream
        head = _Head(stream) if stream is not None else None

        def fail(reason: str) -> StoreError:
            seen = head.seen if head is not None else response.body
            kind = response.content_type or "no media type"
            return StoreError(
                f"{redact(self.query_url)}: HTTP {response.status} {kind}: {reason}: "
                f"{printable(seen)!r}"
            )

        if head is None:
            raise fail("not an answer")
        try:
            if response.content_type == RESULTS_JSON:
                answer = results.from_json(head, fail)
            elif response.content_type == N_TRIPLES:
                answer = results.from_ntriples(head, fail)
            else:
                head.read(200)  # to quote it
                raise fail("not SPARQL JSON results or N-Triples")
        except BaseException:
            self._finish(response)
            raise
        answer.close = lambda: self._finish(response)
        return answer

    def _finish(self, response: Response) -> None:
        try:
            response.close()
        except _Late:
            raise StoreError(
                f"{redact(self.query_url)}: no answer in time (receiving the answer took over "
                f"{self.timeout:.3g} s)"
            ) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()
        self._local = threading.local()


def _record(outcome: Outcome, graphs: Sequence[Graph], result: bool | StoreError) -> None:
    """Add one step's result to an outcome: its graphs stored (True), an error, or False for a
    step skipped after a fatal error."""
    if isinstance(result, StoreError):
        if not result.fatal:
            outcome.problems.append(str(result))
        elif outcome.stopped is None:
            outcome.stopped = result
    elif result:
        outcome.stored.extend(graph.iri for graph in graphs)


def _line(exc: BaseException) -> str:
    """An exception's message on one line (a library's may span several)."""
    return " ".join(str(exc).split())[:300]


def _where(parts: urllib.parse.SplitResult) -> str:
    """A URL for messages: scheme, host, port and path, through :func:`redact`."""
    return redact(urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))


class _Reader(io.RawIOBase, IO[bytes]):
    """Pieces of bytes as a binary file, read as they are made: the bulk loader takes a batch
    of graphs a piece at a time, never the batch's N-Quads whole."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces = pieces
        self.piece = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.piece:
            piece = next(self.pieces, None)
            if piece is None:
                return 0
            self.piece = memoryview(piece)
        count = min(len(buffer), len(self.piece))
        buffer[:count] = self.piece[:count]
        self.piece = self.piece[count:]
        return count


class _Head(io.RawIOBase, IO[bytes]):
    """A stream that keeps the first 200 bytes it read, to quote in an error."""

    def __init__(self, raw: http.client.HTTPResponse) -> None:
        self.raw = raw
        self.seen = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(min(len(buffer), 1 << 16))
        if len(self.seen) < 200:
            self.seen += data[: 200 - len(self.seen)]
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size if size >= 0 else None)
        if len(self.seen) < 200:
            self.seen += data[: 200 - len(self.seen)]
        return data


def open_target(store: Path | None, endpoint: str | None, **options: Any) -> Target:
    """The embedded store at ``store`` or the server at ``endpoint`` (not both)."""
    if store is not None and endpoint is not None:
        raise UsageError("give --store or --endpoint, not both")
    if endpoint is not None:
        return Endpoint(endpoint, **options)
    if store is None:
        raise UsageError("give --store or --endpoint")
    return EmbeddedStore(store)
