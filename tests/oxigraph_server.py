"""A real Oxigraph server for tests and benchmarks, and small HTTP proxies to put in front of it.

:class:`OxigraphServer` runs ``oxigraph serve`` (the binary of the ``oxigraph`` package, found
next to the running Python) on a free loopback port, waits until it answers a query, and stops
it; it can be killed like a crashed server and started again on the same folder. Oxigraph has no
authentication and always speaks the Graph Store Protocol, so :class:`Proxy` stands in front of
it for what a test needs: a password or a token to check, a graph store that is not there, a
server that fails its first requests. Nothing here listens or connects beyond 127.0.0.1.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import http.server
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fault_server import read_body

HOST = "127.0.0.1"
META_GRAPH = "urn:wirekit:graphs"
CREATED = "urn:wirekit:ArticleGraph"
_ARTICLES = f"FILTER(?g != <{META_GRAPH}>)"


def free_port() -> int:
    """A port nothing listens on now (the system's choice for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def oxigraph_binary() -> Path | None:
    """The ``oxigraph`` command installed beside this Python (the virtualenv's ``bin/``)."""
    candidate = Path(sys.executable).parent / "oxigraph"
    return candidate if candidate.is_file() else None


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` as a context manager."""

    def __init__(self, location: Path, *, startup: float = 20.0) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise FileNotFoundError(f"no oxigraph binary beside {sys.executable}")
        self.binary = binary
        self.location = location
        self.startup = startup
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log = location.parent / f"{location.name}.log"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> OxigraphServer:
        """Start on a free port (the same one as before, after a kill, when it is still free)
        and return once the server answers a query."""
        ports = [self.port] if self.port else []
        ports += [free_port() for _ in range(3)]
        problem = ""
        for port in ports:
            self.port = port
            with self._log.open("ab") as log:
                command = [str(self.binary), "serve", "--location", str(self.location)]
                self.process = subprocess.Popen(
                    [*command, "--bind", f"{HOST}:{port}"],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
            problem = self._wait()
            if not problem:
                return self
            self.kill()
        raise RuntimeError(f"oxigraph did not start: {problem}")

    def _wait(self) -> str:
        """Poll until the server answers ``ASK {}``; the reason when it does not."""
        assert self.process is not None
        deadline = time.monotonic() + self.startup
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"exited with {self.process.returncode}: {self._tail()}"
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                try:
                    connection.request("GET", "/query?query=ASK%7B%7D")
                    if connection.getresponse().status == 200:
                        return ""
                finally:
                    connection.close()
            time.sleep(0.02)
        return f"no answer within {self.startup:g} s: {self._tail()}"

    def _tail(self) -> str:
        try:
            return self._log.read_text(errors="replace")[-500:]
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL, as a crash would: no chance to flush or say goodbye."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """Stop it for good (a kill: the tests need nothing the server would still write)."""
        self.kill()
        self.process = None

    def restart(self) -> OxigraphServer:
        self.kill()
        return self.start()

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- looking inside ------------------------------------------------------------------------

    def select(self, sparql: str) -> list[dict[str, str]]:
        """A SELECT query's rows, each variable's value as text (IRIs bare, literals in their
        N-Triples form, so two different literals never look alike)."""
        import orjson

        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request(
                "POST",
                "/query",
                body=sparql.encode(),
                headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json",
                },
            )
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"query failed: HTTP {response.status} {body[:300]!r}")
        rows: list[dict[str, Any]] = orjson.loads(body)["results"]["bindings"]
        return [{name: _written(term) for name, term in row.items()} for row in rows]

    def dump(self) -> bytes:
        """The whole dataset as N-Quads (``GET /store``)."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            connection.request("GET", "/store", headers={"Accept": "application/n-quads"})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"dump failed: HTTP {response.status} {body[:300]!r}")
        return body

    def quads(self) -> set[str]:
        """Every quad of the article graphs, spelled as pyoxigraph spells a quad
        (``str(Quad)``), so the server's dataset compares with an embedded store's (wirekit's
        record of the graphs it created, in its own graph, is left out)."""
        import pyoxigraph

        data = self.dump()
        record = pyoxigraph.NamedNode(META_GRAPH)
        parsed = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS)
        return {str(q) for q in parsed if q.graph_name != record}

    def graphs(self) -> dict[str, set[str]]:
        """Each named graph's quads, by the graph's IRI (a quad's last term: no IRI holds a
        space)."""
        found: dict[str, set[str]] = {}
        for quad in self.quads():
            graph = quad.rsplit(" ", 1)[1]
            found.setdefault(graph.strip("<>"), set()).add(quad)
        return found

    def count(self) -> int:
        """Triples in article graphs."""
        rows = self.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_ARTICLES} }}"
        )
        return int(rows[0]["n"].split('"')[1])

    def graph_count(self) -> int:
        rows = self.select(
            f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_ARTICLES} }}"
        )
        return int(rows[0]["n"].split('"')[1])

    def managed(self) -> set[str]:
        """The graphs wirekit's record says it created."""
        rows = self.select(f"SELECT ?g WHERE {{ GRAPH <{META_GRAPH}> {{ ?g a <{CREATED}> }} }}")
        return {row["g"] for row in rows}


def _written(term: dict[str, str]) -> str:
    if term["type"] == "uri":
        return term["value"]
    if term["type"] == "bnode":
        return "_:" + term["value"]
    value = term["value"].encode("unicode_escape").decode("ascii")
    if "xml:lang" in term:
        return f'"{value}"@{term["xml:lang"]}'
    datatype = term.get("datatype", "http://www.w3.org/2001/XMLSchema#string")
    return f'"{value}"^^<{datatype}>'


# --- proxies -----------------------------------------------------------------------------------


@dataclass
class ProxyRules:
    """What a :class:`Proxy` checks and how it misbehaves."""

    basic: tuple[str, str] | None = None
    """The user and password it accepts (Basic authentication)."""
    token: str | None = None
    """The bearer token it accepts."""
    no_graph_store: bool = False
    """Answer 405 Method Not Allowed on the graph store path, like a server without it."""
    fail_first: int = 0
    """Answer 503 to this many requests before forwarding any."""
    refuse: str | None = None
    """Answer 413 Content Too Large to a PUT whose path holds this text (one graph)."""
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    """Every request: (method, path, the Authorization header or "")."""
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the client expects of a real server
    server: _ProxyServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _answer(
        self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _allowed(self, header: str) -> bool:
        rules = self.server.rules
        if rules.basic is None and rules.token is None:
            return True
        if rules.token is not None and header == f"Bearer {rules.token}":
            return True
        if rules.basic is not None:
            user, password = rules.basic
            expected = base64.b64encode(f"{user}:{password}".encode()).decode()
            return header == f"Basic {expected}"
        return False

    def _any(self) -> None:
        rules = self.server.rules
        body, _ = read_body(self)  # with its length, or chunked
        header = self.headers.get("Authorization", "")
        with rules.lock:
            rules.seen.append((self.command, self.path, header))
            failing = rules.fail_first > 0
            if failing:
                rules.fail_first -= 1
        if failing:
            self._answer(503, b"busy, try again\n", {"Content-Type": "text/plain"})
            return
        if not self._allowed(header):
            self._answer(401, b"who are you?\n", {"WWW-Authenticate": 'Basic realm="test"'})
            return
        if rules.no_graph_store and urllib.parse.urlsplit(self.path).path == "/store":
            self._answer(405, b"no graph store here\n", {"Allow": "GET, POST"})
            return
        if rules.refuse and self.command == "PUT" and rules.refuse in self.path:
            self._answer(413, b"too large for this test\n", {"Content-Type": "text/plain"})
            return
        forwarded = {
            name: value
            for name, value in self.headers.items()
            if name.lower() in ("content-type", "accept")
        }
        upstream = http.client.HTTPConnection(HOST, self.server.upstream, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body or None, headers=forwarded)
            response = upstream.getresponse()
            payload = response.read()
        except OSError:
            self._answer(502, b"the server behind the proxy is gone\n")
            return
        finally:
            upstream.close()
        kept = {"Content-Type": response.getheader("Content-Type", "")}
        self._answer(response.status, payload, {k: v for k, v in kept.items() if v})

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any


class _ProxyServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    rules: ProxyRules
    upstream: int


class Proxy:
    """An HTTP proxy on a free loopback port that forwards to ``upstream`` (a port) what its
    rules let through; with ``tls`` (a certificate file holding its key too), HTTPS."""

    def __init__(self, upstream: int, rules: ProxyRules, tls: Path | None = None) -> None:
        self.server = _ProxyServer((HOST, 0), _Handler)
        self.server.rules = rules
        self.server.upstream = upstream
        self.rules = rules
        self.scheme = "http"
        if tls is not None:
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{HOST}:{self.server.server_address[1]}"

    def __enter__(self) -> Proxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


@contextlib.contextmanager
def proxy(upstream: int, *, tls: Path | None = None, **rules: Any) -> Iterator[Proxy]:
    """``with proxy(server.port, basic=("loader", "s3cret")) as p: ... p.url ...``"""
    with Proxy(upstream, ProxyRules(**rules), tls) as running:
        yield running


def self_signed(folder: Path) -> Path | None:
    """A certificate for 127.0.0.1 with its key, in one PEM file (``None`` without openssl)."""
    import shutil

    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    key, cert = folder / "key.pem", folder / "cert.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    subject = ["-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}"]
    subprocess.run(
        [openssl, *request, *subject, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    both = folder / "server.pem"
    both.write_bytes(cert.read_bytes() + key.read_bytes())
    return both
