"""``/sparql``: the SPARQL 1.1 Protocol, read-only, over the embedded store or a proxied server.

- Queries come by ``GET ?query=``, by ``POST`` of a form (``query=``) or of
  ``application/sparql-query``, with ``default-graph-uri`` and ``named-graph-uri`` as the
  protocol defines them. An update, in any of those shapes, is refused with 403.
- SELECT and ASK answer in SPARQL results JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE in
  Turtle, JSON-LD or N-Triples, as ``Accept`` prefers (406 when it accepts none of them).
- A query runs in a worker process, which is killed when the query takes longer than the
  timeout (503), so a runaway query cannot hang the server or keep a core busy; one that
  yields more rows (or triples) than the limit fails with 400 saying so. Oxigraph cannot be
  interrupted from another thread, which is why the worker is a process.

Without a store folder, the workers load the tree's ``all.nq`` into memory, so a published
tree is queryable with nothing loaded.
"""

from __future__ import annotations

import asyncio
import bisect
import multiprocessing
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import orjson
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from wirekit.serve import negotiate
from wirekit.serve.site import content_type

RESULTS = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
}
"""Media types of SELECT and ASK results -> Oxigraph's ``QueryResultsFormat`` names; the
first is what ``*/*`` gets."""
GRAPHS = {
    "text/turtle": "TURTLE",
    "application/ld+json": "JSON_LD",
    "application/n-triples": "N_TRIPLES",
}
"""Media types of CONSTRUCT and DESCRIBE results -> Oxigraph's ``RdfFormat`` names."""
MAX_BODY = 1 << 20
"""The largest query body read, in bytes (413 beyond)."""
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
}
_NAME = "\\w\u00b7\u0300-\u036f\u203f\u2040"
"""Characters of SPARQL names (PN_CHARS and VARNAME, roughly: every letter and digit)."""
_TOKEN = re.compile(
    "|".join(
        (
            r"""(?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}"""
            r"""|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')|(?P<comment>\#)""",
            r"""(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)""",
            rf"(?P<variable>[?$][{_NAME}]+)",
            rf"(?P<prefix>[{_NAME}.-]*):(?:[{_NAME}.:-]|%[0-9A-Fa-f]{{2}}"
            r"""|\\[_~.!$&'()*+,;=/?#@%-])*""",
            rf"(?P<word>[{_NAME}]+)",
            r".",
        )
    ),
    re.DOTALL,
)
"""One SPARQL token at a time (see :func:`_tokens`): a string literal (any of the four quote
forms), which says nothing; the start of a comment, which runs to the end of the line; an IRI;
a variable; a prefixed name (its prefix, then a local part, which can hold no keyword); a bare
word (keywords, numbers, ``true``); or any other character."""
_LEAVES_EXPRESSION = re.compile(r"[)'#]")
"""What, in an IRI-shaped ``<...>``, could end an expression or start a string or comment if
its ``<`` were the less-than operator (see :func:`federated`)."""
_BREAK = re.compile(r"[\n\r]")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORMS = {"select", "ask", "construct", "describe"}
_UPDATES = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}


class SparqlError(Exception):
    """A query the protocol answers with an error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct``, ``describe``, or ``update`` for any update
    operation; ``select`` when it cannot tell (the engine then reports the syntax error).
    Only bare words count: not those in IRIs, strings, comments, variables or prefixed names."""
    for token in _tokens(text, 0, _line_breaks(text)):
        word = (token.group("word") or "").lower()
        if word in _FORMS:
            return word
        if word in _UPDATES:
            return "update"
    return "select"


def federated(text: str) -> bool:
    """Whether the query may hold a ``SERVICE`` (a federated query, which would have the
    engine send requests wherever the query says: to the host's own network, say).

    pyoxigraph (0.5) has no option that turns ``SERVICE`` off, and a proxied server may
    federate too, so the query is read here as a SPARQL tokenizer reads it, and the check
    leans to refusing: a word or a prefix that merely *contains* ``service`` counts (Oxigraph
    reads ``1SERVICE`` and ``trueSERVICE`` as two tokens), and only string literals, comments,
    IRIs, variables and the local part of a prefixed name (``ex:SERVICE``) can hide it. Two
    readings are checked besides the plain one:

    - ``<`` before IRI-shaped text is an IRI where a term may stand, but the less-than operator
      in an expression (``FILTER(?a<1)SERVICE?x#>``). Where the text holds a ``)``, ``'`` or
      ``#`` (the only ways out of an expression, or into a string or comment that would
      change what follows), reading on from there as code is tried as well.
    - SPARQL 1.1 has ``\\u`` escapes decoded before parsing, which some servers do (Jena) and
      Oxigraph does not: the query is checked as written and decoded.
    """
    decoded = _UCHAR.sub(_char, text)
    return _service(text) or (decoded != text and _service(decoded))


def _char(escape: re.Match[str]) -> str:
    code = int(escape.group(1) or escape.group(2), 16)
    return chr(code) if code < 0x110000 else "\ufffd"


def _service(text: str) -> bool:
    """:func:`federated` for one text. Every reading resumes at a token boundary as code, and
    readings that meet again go on as one; a comment skips to the next line break by bisection.
    A query whose readings would still take more than a few passes over it to check (it would
    have to be made for that) counts as federated: the check must stay cheap, and refuse."""
    breaks = _line_breaks(text)
    budget = 4 * len(text) + 4096
    pending, seen = [0], set()
    while pending:
        for token in _tokens(text, pending.pop(), breaks):
            if token.start() in seen:
                break
            seen.add(token.start())
            budget -= token.end() - token.start()
            if budget < 0:
                return True
            kind = token.lastgroup
            if kind == "iri":
                way_out = _LEAVES_EXPRESSION.search(token.group(), 1)
                if way_out is not None:
                    pending.append(token.start() + way_out.start())
            elif kind in ("word", "prefix") and "SERVICE" in token.group(kind).upper():
                return True  # upper(), not lower(): ı and ſ are I and S to case-blind parsers
    return False


def _line_breaks(text: str) -> list[int]:
    return [found.start() for found in _BREAK.finditer(text)]


def _tokens(text: str, position: int, breaks: list[int]) -> Iterator[re.Match[str]]:
    """The tokens of ``text`` from ``position`` on, read as code; a comment is skipped to the
    next of the line ``breaks`` (found by bisection, so skipping costs no scan of the line)."""
    while position < len(text):
        token = _TOKEN.match(text, position)
        assert token is not None  # the last alternative matches any character
        if token.lastgroup == "comment":
            after = bisect.bisect_left(breaks, position)
            position = breaks[after] if after < len(breaks) else len(text)
            continue
        yield token
        position = token.end()


@dataclass(frozen=True, slots=True)
class Job:
    """One query, as a worker runs it."""

    query: str
    format: str
    graph_result: bool
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    row_limit: int


# --- the worker process -------------------------------------------------------------------------


def _worker(connection: Connection, store: str | None, dump: str | None) -> None:
    """Open the store (or load the dump into memory), then answer jobs until the pipe closes.
    A store opened read-only sees it as it was when opened, so it is opened again when its
    folder has changed since (a ``wirekit load`` writes new files there)."""
    import pyoxigraph as ox

    opened = -1
    database: Any = None
    if store is None:
        database = ox.Store()
        if dump is not None and Path(dump).is_file():
            database.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
    while True:
        try:
            job: Job = connection.recv()
        except EOFError:
            return
        try:
            if store is not None and (changed := os.stat(store).st_mtime_ns) != opened:
                database, opened = ox.Store.read_only(store), changed
            connection.send(("ok", _run(database, job)))
        except SparqlError as exc:
            connection.send(("error", exc.status, str(exc)))
        except SyntaxError as exc:
            connection.send(("error", 400, f"the query is not valid SPARQL: {_line(exc)}"))
        except OSError:  # the store's files, or (were one let through) a remote server's answer
            connection.send(("error", 500, "the query failed: the store could not be read"))
        except (RuntimeError, ValueError) as exc:  # an evaluation error, the engine's own words
            connection.send(("error", 500, f"the query failed: {_line(exc)}"))


def _run(database: Any, job: Job) -> bytes:
    import pyoxigraph as ox

    options: dict[str, Any] = {}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
    results = database.query(job.query, **options)
    if isinstance(results, ox.QueryBoolean):
        return results.serialize(format=getattr(ox.QueryResultsFormat, job.format)) or b""
    if isinstance(results, ox.QueryTriples):
        if not job.graph_result:
            raise SparqlError(406, "a CONSTRUCT or DESCRIBE answers with RDF, not with results")
        return _graph(_bounded(results, job.row_limit, "triples"), job.format)
    if job.graph_result:
        raise SparqlError(406, "a SELECT or ASK answers with query results, not with RDF")
    variables = [v.value for v in results.variables]
    rows = [
        {name: _term(solution[name]) for name in variables if solution[name] is not None}
        for solution in _bounded(results, job.row_limit, "rows")
    ]
    return _results(
        orjson.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}), job.format
    )


def _graph(triples: list[Any], form: str) -> bytes:
    """Triples in an Oxigraph ``RdfFormat`` (by name)."""
    import pyoxigraph as ox

    return ox.serialize(triples, format=getattr(ox.RdfFormat, form)) or b""


def _results(document: bytes, form: str) -> bytes:
    """SPARQL results JSON in an Oxigraph ``QueryResultsFormat`` (by name)."""
    import pyoxigraph as ox

    if form == "JSON":
        return document
    parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=getattr(ox.QueryResultsFormat, form)) or b""


def _reformat(body: bytes, job: Job) -> bytes:
    """A proxied answer (N-Triples, or results JSON), held to the row limit, in the job's
    format."""
    import pyoxigraph as ox

    try:
        if job.graph_result:
            triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            return _graph(_bounded(triples, job.row_limit, "triples"), job.format)
        document = orjson.loads(body)
        rows = document.get("results", {}).get("bindings", [])
        _bounded(rows, job.row_limit, "rows")
    except (SyntaxError, ValueError, AttributeError):
        raise SparqlError(502, "the SPARQL endpoint's answer cannot be read") from None
    return _results(body, job.format)


def _bounded(items: Any, limit: int, what: str) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        if len(kept) == limit:
            raise SparqlError(
                400, f"the query yields more than {limit} {what} (the limit); add a LIMIT"
            )
        kept.append(item)
    return kept


def _term(term: Any) -> dict[str, Any]:
    """A term as SPARQL 1.1 results JSON writes it (RDF-star triples as ``triple``)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    parts = ("subject", "predicate", "object")
    return {"type": "triple", "value": {p: _term(getattr(term, p)) for p in parts}}


def _line(exc: BaseException) -> str:
    """The first line of an error's message, cut short: what follows it (Oxigraph puts a
    remote server's answer there) never reaches the client."""
    first = str(exc).strip().partition("\n")[0]
    return " ".join(first.split())[:300]


class _Process:
    """A worker process and its end of the pipe."""

    def __init__(self, store: str | None, dump: str | None) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, store, dump), daemon=True)
        self.process.start()
        child.close()

    def ask(self, job: Job, timeout: float) -> tuple[Any, ...] | None:
        """The worker's answer, or None when it took longer than ``timeout`` seconds."""
        self.connection.send(job)
        if not self.connection.poll(timeout):
            return None
        answer: tuple[Any, ...] = self.connection.recv()
        return answer

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


# --- the protocol -------------------------------------------------------------------------------


class Sparql:
    """The ``/sparql`` service: parses protocol requests and runs them on a few workers (or
    forwards them to ``endpoint``)."""

    def __init__(
        self,
        *,
        store: Path | None = None,
        dump: Path | None = None,
        endpoint: str | None = None,
        timeout: float = 10.0,
        row_limit: int = 10_000,
        workers: int = 2,
    ) -> None:
        self.store = str(store) if store is not None else None
        self.dump = str(dump) if dump is not None else None
        self.timeout = timeout
        self.row_limit = row_limit
        self.endpoint: Any = None
        if endpoint is not None:
            from wirekit.store.targets import Endpoint

            self.endpoint = Endpoint(endpoint, timeout=timeout, attempts=1)
        self._size = max(1, workers)
        self._idle: asyncio.Queue[_Process] | None = None

    async def handle(self, request: Request) -> Response:
        """Answer one protocol request; every failure is a status and one line of text."""
        try:
            if request.method == "OPTIONS":
                return Response(b"", 204, headers=_CORS)
            query, defaults, named = await self._read(request)
            form = query_form(query)
            if form == "update":
                raise SparqlError(403, "this endpoint is read-only: updates are refused")
            if federated(query):
                raise SparqlError(
                    400, "this endpoint queries its own data only: SERVICE (federation) is refused"
                )
            return await self._answer(request, query, form, defaults, named)
        except SparqlError as exc:
            return PlainTextResponse(f"{exc}\n", exc.status, headers=_CORS)

    async def _read(self, request: Request) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """The query and its dataset from a GET or a POST, as SPARQL 1.1 Protocol 2.1 says."""
        params = parse_qs(request.scope.get("query_string", b"").decode("latin-1"))
        if request.method == "GET":
            pass
        elif request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await self._body(request)
            if kind == FORM:
                for key, values in parse_qs(body.decode("utf-8", "replace")).items():
                    params.setdefault(key, []).extend(values)
            elif kind == QUERY:
                params.setdefault("query", []).append(body.decode("utf-8", "replace"))
            elif kind == UPDATE:
                raise SparqlError(403, "this endpoint is read-only: updates are refused")
            else:
                raise SparqlError(
                    415, f"POST a query as {QUERY} or {FORM}, not {kind or 'no content type'}"
                )
        else:
            raise SparqlError(405, "use GET or POST")
        if "update" in params:
            raise SparqlError(403, "this endpoint is read-only: updates are refused")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise SparqlError(400, "give exactly one query (the query parameter)")
        defaults = tuple(params.get("default-graph-uri", []))
        named = tuple(params.get("named-graph-uri", []))
        return queries[0], defaults, named

    @staticmethod
    async def _body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if (
            declared is not None
            and declared.isascii()
            and declared.isdigit()
            and int(declared) > MAX_BODY
        ):
            raise SparqlError(413, f"the request body is larger than {MAX_BODY} bytes")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise SparqlError(413, f"the request body is larger than {MAX_BODY} bytes")
        return body

    async def _answer(
        self,
        request: Request,
        query: str,
        form: str,
        defaults: tuple[str, ...],
        named: tuple[str, ...],
    ) -> Response:
        graph_result = form in ("construct", "describe")
        table = GRAPHS if graph_result else RESULTS
        media = negotiate.choose(request.headers.get("accept"), list(table))
        if media is None:
            offers = ", ".join(table)
            raise SparqlError(406, f"no acceptable result format; on offer: {offers}")
        headers = {**_CORS, "Vary": "Accept"}
        job = Job(query, table[media], graph_result, defaults, named, self.row_limit)
        body = await (self._run(job) if self.endpoint is None else self._forward(job))
        return Response(body, 200, headers=headers, media_type=content_type(media))

    async def _run(self, job: Job) -> bytes:
        """Run a job on an idle worker; kill the worker if it overruns the timeout."""
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self._size):
                self._idle.put_nowait(_Process(self.store, self.dump))
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise SparqlError(503, "every query worker is busy; try again later") from None
        try:
            answer = await asyncio.to_thread(worker.ask, job, self.timeout)
        except (OSError, EOFError) as exc:
            worker.kill()
            self._idle.put_nowait(_Process(self.store, self.dump))
            raise SparqlError(500, f"the query worker failed: {_line(exc)}") from None
        if answer is None:
            worker.kill()
            self._idle.put_nowait(_Process(self.store, self.dump))
            raise SparqlError(
                503, f"the query took longer than {self.timeout:g} s (the timeout) and was stopped"
            )
        self._idle.put_nowait(worker)
        if answer[0] == "error":
            raise SparqlError(answer[1], answer[2])
        body: bytes = answer[1]
        return body

    async def _forward(self, job: Job) -> bytes:
        """Ask the configured server for results JSON or N-Triples (which every SPARQL server
        writes), hold them to the row limit, and answer in the format negotiated here."""
        from urllib.parse import urlencode

        from wirekit.store.targets import StoreError

        fields = [("query", job.query)]
        fields += [("default-graph-uri", g) for g in job.default_graphs]
        fields += [("named-graph-uri", g) for g in job.named_graphs]
        accept = "application/n-triples" if job.graph_result else "application/sparql-results+json"
        headers = {"Content-Type": FORM, "Accept": accept}
        request = urlencode(fields).encode()
        try:
            answer = await asyncio.wait_for(
                asyncio.to_thread(
                    self.endpoint.request, "POST", self.endpoint.query_url, request, headers
                ),
                self.timeout,
            )
        except TimeoutError:
            message = f"the endpoint did not answer within {self.timeout:g} s"
            raise SparqlError(503, message) from None
        except StoreError:  # its message names the endpoint, which is the operator's business
            raise SparqlError(502, "the SPARQL endpoint could not be reached") from None
        if answer.status >= 400:  # its body is the endpoint's, and is never passed on
            status = answer.status if answer.status in (400, 503) else 502
            raise SparqlError(status, f"the SPARQL endpoint answered HTTP {answer.status}")
        return await asyncio.to_thread(_reformat, answer.body, job)

    def refresh(self) -> None:
        """Stop the workers, so the next query sees the store (or the dump) as it is now."""
        idle, self._idle = self._idle, None
        while idle is not None and not idle.empty():
            idle.get_nowait().kill()

    def close(self) -> None:
        self.refresh()
        if self.endpoint is not None:
            self.endpoint.close()
