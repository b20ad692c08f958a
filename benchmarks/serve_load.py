"""``python -m benchmarks.serve_load``: ``wirekit serve`` under concurrent clients on loopback,
next to the same files served by ``python -m http.server`` and by a bare uvicorn static-files
app, measured in the same run.

Each server runs as its own process on a free 127.0.0.1 port; the clients are asyncio tasks of
this process speaking plain HTTP/1.1 over kept-alive sockets (a reconnect when the server closes,
as http.server does after every answer), so the client costs as little as it can. A scenario
sends a bounded number of requests from ``--clients`` tasks at once, rotating over the
articles, and prints requests per second and the 50th and 99th percentile latency.

- *article page*: wirekit negotiates ``/articles/<slug>/`` with a browser's ``Accept``; the
  baselines serve the folder's ``index.html``.
- *Turtle document*: wirekit negotiates ``/articles/<slug>/`` with ``Accept: text/turtle``;
  the baselines serve ``article.ttl``.
- *small SPARQL*: one article's headline by ``GET /sparql`` (wirekit only).

Goals (issue 19): at least 2x http.server, within 1.5x of bare static files for negotiated
documents, p99 under 50 ms at 50 clients for documents on the 2-core machine.

    python -m benchmarks.serve_load                   # 200 articles, 50 clients, 3,000 requests
    python -m benchmarks.serve_load --clients 10 --requests 500
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from collections.abc import Coroutine, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import generate

HOST = "127.0.0.1"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
STATIC_APP = """
import os
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
app = Starlette(routes=[Mount("/", StaticFiles(directory=os.environ["TREE"], html=True))])
"""


@dataclass(frozen=True, slots=True)
class Result:
    server: str
    scenario: str
    requests: int
    seconds: float
    latencies: list[float]
    failures: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


async def _exchange(
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None,
    port: int,
    target: str,
    accept: str,
) -> tuple[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None, int]:
    """One request on a kept-alive connection (opened when needed); its status, and the
    connection again unless the server closes it."""
    if connection is None:
        connection = await asyncio.open_connection(HOST, port)
    reader, writer = connection
    writer.write(
        f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nAccept: {accept}\r\n\r\n".encode("latin-1")
    )
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:
        await reader.read()
        headers["connection"] = "close"
    if headers.get("connection", "").lower() == "close" or lines[0].startswith("HTTP/1.0"):
        writer.close()
        return None, status
    return connection, status


async def _load(port: int, targets: list[tuple[str, str]], clients: int, total: int) -> Result:
    latencies: list[float] = []
    failures = 0
    counter = iter(range(total))

    async def client() -> None:
        nonlocal failures
        connection = None
        for index in counter:
            target, accept = targets[index % len(targets)]
            started = time.perf_counter()
            try:
                connection, status = await _exchange(connection, port, target, accept)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                connection, status = None, 0
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures += 1
        if connection is not None:
            connection[1].close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return Result("", "", total, time.perf_counter() - started, latencies, failures)


def _run(load: Coroutine[Any, Any, Result]) -> Result:
    """Run the clients on uvloop when it is there (uvicorn's own loop): the cheaper the
    client, the less it takes from the servers it measures."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(load)
    return uvloop.run(load)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def _server(command: list[str], port: int, env: dict[str, str], cwd: str) -> Iterator[None]:
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with contextlib.closing(__import__("socket").create_connection((HOST, port), 1)):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{command[0]} did not start") from None
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _publish(n: int, folder: Path) -> tuple[Path, list[str]]:
    """A tree of ``n`` generated articles; returns it with the folders of the live ones (the
    others are 404 or 410 from wirekit, which the baselines know nothing of)."""
    from datetime import UTC, datetime

    from wirekit.audience import State
    from wirekit.config import load as load_config
    from wirekit.serve.site import Site
    from wirekit.site.publish import Publisher

    archive = folder / "archive.jsonl"
    archive.write_bytes(generate.jsonl(n))
    tree = folder / "tree"
    config = load_config(Path(__file__).resolve().parent.parent / "wirekit.toml")
    with warnings.catch_warnings():  # the synthetic archive's lossy fields are not the point
        warnings.simplefilter("ignore")
        Publisher(tree, config=config).run([archive])
    site = Site(tree, config)
    now = datetime.now(UTC)
    return tree, sorted(f for f in site.articles if site.public_state(f, now) is State.LIVE)


def site_iri(tree: Path, folder: str) -> str:
    """The IRI of the article published in ``folder`` (as the manifest has its id)."""
    from wirekit.formats.schemaorg.mapping import id_iri
    from wirekit.site.manifest import MANIFEST
    from wirekit.site.manifest import read as read_manifest

    return id_iri(read_manifest(tree / MANIFEST).articles[folder].id)


def run(articles: int, clients: int, requests: int, out: object = sys.stdout) -> list[Result]:
    """Every server and scenario; print the table and return the results."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as scratch:
        tree, folders = _publish(articles, Path(scratch))
        (Path(scratch) / "static_app.py").write_text(STATIC_APP)
        python = sys.executable
        bin_dir = Path(python).parent
        servers = {
            "wirekit serve": (
                [python, "-m", "wirekit", "serve", str(tree), "--port", "{port}"],
                {},
            ),
            "python -m http.server": (
                [python, "-m", "http.server", "{port}", "--bind", HOST, "--directory", str(tree)],
                {},
            ),
            "bare uvicorn static files": (
                [str(bin_dir / "uvicorn"), "--port", "{port}", "--no-access-log", "static_app:app"],
                {"TREE": str(tree), "PYTHONPATH": scratch},
            ),
        }
        pages = [(f"/articles/{f}/", FIREFOX) for f in folders]
        files = [(f"/articles/{f}/index.html", FIREFOX) for f in folders]
        turtle = [(f"/articles/{f}/", "text/turtle") for f in folders]
        ttl_files = [(f"/articles/{f}/article.ttl", "*/*") for f in folders]
        iris = [site_iri(tree, f) for f in folders[:50]]
        sparql = [
            (
                "/sparql?"
                + urllib.parse.urlencode(
                    {"query": f"SELECT ?h WHERE {{ <{iri}> <http://schema.org/headline> ?h }}"}
                ),
                "application/sparql-results+json",
            )
            for iri in iris
        ]
        for server, (template, env) in servers.items():
            port = _free_port()
            command = [part.replace("{port}", str(port)) for part in template]
            wirekit = server == "wirekit serve"
            scenarios = {
                "article page": pages if wirekit else files,
                "Turtle document": turtle if wirekit else ttl_files,
            }
            if wirekit:
                scenarios["small SPARQL"] = sparql
            with _server(command, port, env, scratch):
                for scenario, targets in scenarios.items():
                    _run(_load(port, targets, min(clients, 4), min(requests, 100)))  # warm up
                    result = _run(_load(port, targets, clients, requests))
                    results.append(
                        Result(
                            server,
                            scenario,
                            result.requests,
                            result.seconds,
                            result.latencies,
                            result.failures,
                        )
                    )
    _print(results, clients, out)
    return results


def _print(results: Sequence[Result], clients: int, out: object) -> None:
    write = out.write  # type: ignore[attr-defined]
    cores = os.cpu_count()
    write(f"wirekit serve under load: {clients} concurrent clients on loopback, {cores} cores\n")
    columns = f"{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}"
    write(f"{'scenario':<18}{'server':<28}{columns}  ratio\n")
    by_key = {(r.server, r.scenario): r for r in results}
    for result in results:
        ratios = []
        for other, short in (
            ("python -m http.server", "http.server"),
            ("bare uvicorn static files", "static"),
        ):
            base = by_key.get((other, result.scenario))
            if result.server == "wirekit serve" and base is not None:
                ratios.append(f"{result.rate / base.rate:.2f}x {short}")
        write(
            f"{result.scenario:<18}{result.server:<28}{result.rate:>9.0f}"
            f"{result.percentile(50):>9.1f}{result.percentile(99):>9.1f}{result.failures:>8}  "
            f"{', '.join(ratios)}\n"
        )
    write("goals: >= 2x http.server; >= 1/1.5 of static for negotiated documents; p99 < 50 ms\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve_load", description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args(argv)
    results = run(args.articles, args.clients, args.requests)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
