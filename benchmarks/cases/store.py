"""Loading into stores (issue 6): the embedded Oxigraph store, and an Oxigraph server over HTTP.

Every pass loads the run's archive (``--articles``; the issue's figures come from
``python -m benchmarks --only store --articles 20000 --repeats 3 --budget 600``) into an empty
store of its own. An embedded case deletes the store of its previous pass first; a server case
runs one pass on a server started for it (a second pass would time replacing, not loading).
Rates are in triples.

- Embedded: the baseline is pyoxigraph's plain transactional ``Store.extend``, fed the same
  N-Quads wirekit loads (parsed by ``pyoxigraph.parse``), one transaction per batch of
  articles as ``wirekit load`` makes them. ``wirekit EmbeddedStore`` replaces the same batches
  of graphs through the bulk loader; the issue asks for at least twice the baseline.
- Server: each case starts its own ``oxigraph serve`` on a free loopback port (the binary of the
  ``oxigraph`` package, beside the running Python; the case is not measured without it) and
  stops it when its pass ends. The baseline sends one SPARQL ``INSERT DATA`` per article over a
  kept-alive connection; ``wirekit Endpoint`` replaces the same graphs with the Graph Store
  Protocol. The issue's goal there is absolute, at least 25,000 triples/s, so a note under the
  table gives the verdict.
- ``wirekit load → …`` is the whole command from the archive's ``.jsonl`` file: reading,
  validating, writing RDF and storing, with the next batch read while one is stored. It has no
  goal of its own (the baselines start from RDF already written); it shows what a user gets.
"""

from __future__ import annotations

import atexit
import http.client
import shutil
import time
import warnings
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..runner import Context, Pass, Skip, case

if TYPE_CHECKING:
    from tests.oxigraph_server import OxigraphServer
    from wirekit.store.targets import Graph

SECTION = "store"
EMBEDDED_BASELINE = "pyoxigraph Store.extend"
SERVER_BASELINE = "INSERT DATA per article"
SERVER_GOAL = 25_000
"""Triples per second into the server (issue 6)."""
SMALL = 2000
"""Below this many articles, the rates say little (a note says so)."""


_GRAPHS: weakref.WeakKeyDictionary[Context, list[Graph]] = weakref.WeakKeyDictionary()


def _graphs(ctx: Context) -> list[Graph]:
    """The archive's graphs, as ``wirekit load`` makes them: of its live articles (built once
    per run)."""
    cached = _GRAPHS.get(ctx)
    if cached is None:
        if ctx.n < SMALL:
            ctx.note(
                f"store: {ctx.n:,} articles time opening stores and starting servers more than "
                "loading; the issue's figures come from --articles 20000"
            )
        from wirekit.audience import is_live, moment
        from wirekit.formats.schemaorg import rdf
        from wirekit.formats.schemaorg.mapping import article_iri
        from wirekit.store.targets import Graph

        now = moment(None)  # a store is public: load takes the live articles only
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lossy-conversion notes are the export section's
            cached = [
                Graph(article_iri(a, ctx.config), rdf.ntriples(a, ctx.config))
                for a in ctx.articles
                if is_live(a, now)
            ]
        _GRAPHS[ctx] = cached
    return cached


def _batches(graphs: Sequence[Graph], size: int) -> list[Sequence[Graph]]:
    """Batches of ``size`` graphs: ``wirekit load`` sends ``Target.batch_size`` articles at a
    time by default, and the baselines get the same batches."""
    return [graphs[i : i + size] for i in range(0, len(graphs), size)]


def _fresh(ctx: Context, name: str) -> Path:
    """A folder for a new store, under the run's scratch folder."""
    path = ctx.scratch / "stores" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _empty_stores(ctx: Context, name: str) -> Callable[[], Path]:
    """A new, empty store folder for each pass; the previous pass's store is deleted first
    (unlinking a few large files: milliseconds), so passes neither replace graphs nor fill
    the disk."""
    base = _fresh(ctx, name)
    base.mkdir(exist_ok=True)
    passes = 0

    def fresh() -> Path:
        nonlocal passes
        shutil.rmtree(base / str(passes), ignore_errors=True)
        passes += 1
        return base / str(passes)

    return fresh


# --- embedded ------------------------------------------------------------------------------------


@case(SECTION, EMBEDDED_BASELINE, unit="triple", detail="baseline", warmup=False)
def pyoxigraph_extend(ctx: Context) -> Pass:
    import pyoxigraph

    from wirekit.store.targets import EmbeddedStore

    graphs = _graphs(ctx)
    size = EmbeddedStore.batch_size
    batches = [b"".join(g.nquads for g in batch) for batch in _batches(graphs, size)]
    total = sum(g.triples for g in graphs)
    stores = _empty_stores(ctx, "embedded-extend")

    def run() -> int:
        store = pyoxigraph.Store(str(stores()))
        for data in batches:
            store.extend(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))
        store.flush()
        assert len(store) == total
        del store
        return total

    return run


@case(
    SECTION,
    "wirekit EmbeddedStore",
    baseline=EMBEDDED_BASELINE,
    goal=2,
    unit="triple",
    detail="replace, bulk loader",
    warmup=False,
)
def wirekit_embedded(ctx: Context) -> Pass:
    from wirekit.store.targets import EmbeddedStore

    graphs = _graphs(ctx)
    batches = _batches(graphs, EmbeddedStore.batch_size)
    total = sum(g.triples for g in graphs)
    stores = _empty_stores(ctx, "embedded-wirekit")

    def run() -> int:
        store = EmbeddedStore(stores())
        for batch in batches:
            outcome = store.replace(batch)
            assert outcome.stopped is None and len(outcome.stored) == len(batch), outcome
        store.close()
        return total

    return run


@case(
    SECTION,
    "wirekit load → embedded",
    baseline=EMBEDDED_BASELINE,
    unit="triple",
    detail=".jsonl file, end to end",
    warmup=False,
)
def wirekit_load_embedded(ctx: Context) -> Pass:
    from wirekit.store.load import Loader
    from wirekit.store.targets import EmbeddedStore

    archive, config = ctx.jsonl_file, ctx.config
    total = sum(g.triples for g in _graphs(ctx))
    stores = _empty_stores(ctx, "embedded-load")

    def run() -> int:
        store = EmbeddedStore(stores())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            summary = Loader(store, config=config).run([archive])
        store.close()
        assert summary.triples == total and not summary.failures, summary.failures[:3]
        return summary.triples

    return run


# --- a server ------------------------------------------------------------------------------------


def _server(ctx: Context, name: str) -> OxigraphServer:
    """A fresh ``oxigraph serve``, stopped at exit whatever happens to the run."""
    try:
        from tests.oxigraph_server import OxigraphServer, oxigraph_binary
    except ImportError as exc:  # benchmarks run from the repository, beside tests/
        raise Skip(f"cannot import tests.oxigraph_server: {exc}") from exc
    if oxigraph_binary() is None:
        raise Skip("no oxigraph server binary beside this Python (pip install oxigraph)")
    server = OxigraphServer(_fresh(ctx, f"server-{name}"))
    atexit.register(server.stop)
    return server.start()


def _timed_against_goal(
    ctx: Context, label: str, server: OxigraphServer, work: Callable[[], int]
) -> Pass:
    """The pass: ``work`` timed, its rate in a note with the issue's absolute goal, and the
    server stopped afterwards (a kill: milliseconds)."""
    note = len(ctx.notes)
    ctx.note(f"{label}: not measured")

    def run() -> int:
        start = time.perf_counter()
        try:
            triples = work()
        finally:
            elapsed = time.perf_counter() - start
            server.stop()
        rate = triples / elapsed if elapsed > 0 else float("inf")
        verdict = "PASS" if rate >= SERVER_GOAL else "FAIL"
        ctx.notes[note] = (
            f"{label}: {rate:,.0f} triples/s into the server; goal ≥ {SERVER_GOAL:,}: {verdict}"
        )
        return triples

    return run


@case(SECTION, SERVER_BASELINE, unit="triple", detail="baseline, HTTP", repeats=1, warmup=False)
def insert_data(ctx: Context) -> Pass:
    graphs = _graphs(ctx)
    bodies = [f"INSERT DATA {{ GRAPH <{g.iri}> {{\n".encode() + g.ntriples + b"} }" for g in graphs]
    total = sum(g.triples for g in graphs)
    server = _server(ctx, "insert-data")

    def work() -> int:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        headers = {"Content-Type": "application/sparql-update"}
        for body in bodies:
            connection.request("POST", "/update", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 204, response.status
        connection.close()
        return total

    return _timed_against_goal(ctx, SERVER_BASELINE, server, work)


@case(
    SECTION,
    "wirekit Endpoint",
    baseline=SERVER_BASELINE,
    unit="triple",
    detail="Graph Store Protocol PUTs",
    repeats=1,
    warmup=False,
)
def wirekit_endpoint(ctx: Context) -> Pass:
    from wirekit.store.targets import Endpoint

    graphs = _graphs(ctx)
    batches = _batches(graphs, Endpoint.batch_size)
    total = sum(g.triples for g in graphs)
    server = _server(ctx, "endpoint")

    def work() -> int:
        endpoint = Endpoint(server.url)
        try:
            for batch in batches:
                outcome = endpoint.replace(batch)
                assert outcome.stopped is None and len(outcome.stored) == len(batch), outcome
        finally:
            endpoint.close()
        return total

    return _timed_against_goal(ctx, "wirekit Endpoint", server, work)


@case(
    SECTION,
    "wirekit load → server",
    baseline=SERVER_BASELINE,
    unit="triple",
    detail=".jsonl file, end to end",
    repeats=1,
    warmup=False,
)
def wirekit_load_server(ctx: Context) -> Pass:
    from wirekit.store.load import Loader
    from wirekit.store.targets import Endpoint

    archive, config = ctx.jsonl_file, ctx.config
    total = sum(g.triples for g in _graphs(ctx))
    server = _server(ctx, "load")

    def work() -> int:
        endpoint = Endpoint(server.url)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                summary = Loader(endpoint, config=config).run([archive])
        finally:
            endpoint.close()
        assert summary.triples == total and not summary.failures, summary.failures[:3]
        return summary.triples

    return _timed_against_goal(ctx, "wirekit load → server", server, work)
