"""A misbehaving SPARQL endpoint on 127.0.0.1, for the tests of what wirekit does with one.

:class:`FaultServer` answers every request with what its ``answer`` function writes, raw: a slow
trickle, a redirect, an empty 204, junk with a 200, a 401, a huge streamed answer, or nothing at
all (it can also stop listening, like a server killed mid-load). It records each request's
method, path and Authorization header. Nothing here listens or connects beyond 127.0.0.1.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


@dataclass
class Seen:
    method: str
    path: str
    authorization: str
    body: bytes = b""
    chunks: int | None = None
    """How many chunks a chunked body came in (``None``: it came with its length)."""


def read_body(handler: http.server.BaseHTTPRequestHandler) -> tuple[bytes, int | None]:
    """A request's body, and how many chunks it came in (``None``: it came with its length)."""
    if handler.headers.get("Transfer-Encoding", "").lower() != "chunked":
        return handler.rfile.read(int(handler.headers.get("Content-Length") or 0)), None
    parts = []
    while True:
        size = int(handler.rfile.readline().split(b";")[0], 16)
        parts.append(handler.rfile.read(size))
        assert handler.rfile.read(2) == b"\r\n", "a chunk ends with CRLF"
        if size == 0:
            return b"".join(parts), len(parts) - 1


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _any(self) -> None:
        seen = Seen(self.command, self.path, self.headers.get("Authorization", ""))
        if self.server.read_body:
            seen.body, seen.chunks = read_body(self)
        with self.server.lock:
            self.server.seen.append(seen)
        try:
            self.server.answer(self)
        except OSError:  # the client hung up (as it should, on a deadline)
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _any

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        """A whole answer with its length."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream(self, status: int, chunks: Iterator[bytes], content_type: str) -> None:
        """An answer of unknown length: chunked, written as ``chunks`` yields."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    answer: Callable[[_Handler], None]
    read_body: bool
    stopped: threading.Event
    seen: list[Seen]
    lock: threading.Lock


@dataclass
class FaultServer:
    """``with FaultServer(lambda h: h.reply(307, headers={...})) as s: ... s.url ...``

    The request's body is read whole before ``answer`` is called, unless ``read_body`` is
    false: then ``answer`` reads what it wants of it (or nothing, like a stalled server)."""

    answer: Callable[[_Handler], None]
    seen: list[Seen] = field(default_factory=list)
    read_body: bool = True
    receive_buffer: int | None = None
    """``SO_RCVBUF`` of the server's connections, set before it listens (so it bounds the
    window it offers)."""

    def __post_init__(self) -> None:
        self.server = _Server((HOST, 0), _Handler, bind_and_activate=False)
        if self.receive_buffer is not None:
            self.server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)
        self.server.server_bind()
        self.server.server_activate()
        self.server.answer = self.answer
        self.server.read_body = self.read_body
        self.server.stopped = threading.Event()
        self.server.seen = self.seen
        self.server.lock = threading.Lock()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        port: int = self.server.server_address[1]
        return port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and stop listening (later connections are refused)."""
        self.server.stopped.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)

    def __exit__(self, *exc: object) -> None:
        if self._thread.is_alive():
            self.stop()


def bookkeeping(handler: _Handler) -> bool:
    """Answer what a load asks and writes around the graphs it stores, as a store that holds
    none of them, and say whether this request was that: a query (which graphs are there, and
    whose) gets no rows, an update (the record of the graphs wirekit creates) is done. For a
    test whose server misbehaves only when graphs are stored."""
    if handler.path.startswith("/query"):
        body = b'{"head":{"vars":["g","ours"]},"results":{"bindings":[]}}'
        handler.reply(200, body, {"Content-Type": "application/sparql-results+json"})
        return True
    if handler.path.startswith("/update"):
        handler.reply(204)
        return True
    return False


def trickle(
    handler: _Handler, every: float = 0.5, content_type: str = "application/sparql-results+json"
) -> None:
    """One byte every ``every`` seconds, for ever (until the client hangs up)."""
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    while True:
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(every)


def stall_upload(handler: _Handler) -> None:
    """Read the first 64 KiB of a request's body, then nothing more until the server stops: a
    server that stalls mid-upload (give it a small ``receive_buffer``, or the system takes in
    megabytes on its behalf)."""
    handler.rfile.read(1 << 16)
    handler.server.stopped.wait()


def huge_results(rows: int, width: int = 100) -> Iterator[bytes]:
    """A SPARQL JSON results answer of ``rows`` rows, each about ``width`` + 60 bytes,
    made as it is sent."""
    yield b'{"head":{"vars":["s","o"]},"results":{"bindings":['
    filler = "x" * width
    batch = []
    for number in range(rows):
        batch.append(
            (
                ("," if number else "")
                + f'{{"s":{{"type":"uri","value":"http://example.org/{number}"}},'
                + f'"o":{{"type":"literal","value":"{filler}"}}}}'
            ).encode()
        )
        if len(batch) == 1000:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch)
    yield b"]}}"
