"""Running the app under uvicorn for ``wirekit serve``: the access log, limits and shutdown.

uvicorn is the ASGI server because it is the most used and best kept one, stops gracefully
on SIGTERM and SIGINT (requests in flight finish, within a deadline), and its httptools
parser is fast; its own access log is replaced by one in the Common Log Format (or JSON
lines with ``--log-json``) that log tools read without configuration.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
import time
from typing import Any, TextIO

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirekit.errors import WirekitError

GRACE = 5
"""Seconds requests in flight get to finish after SIGTERM or SIGINT."""
MAX_HEAD = 32 * 1024
"""The most bytes of a request head (request line and header fields) read before answering 431
and closing: the parser would otherwise buffer a header of any size. The app's own, finer
limits (:data:`wirekit.serve.app.MAX_HEADER_BYTES`, :data:`~wirekit.serve.app.MAX_HEADERS`)
apply to what gets through."""
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 32\r\nconnection: close\r\n\r\nrequest header fields too large\n"
)
CONCURRENCY = 1000
"""Connections and requests at once; more get 503 at once instead of queueing without end."""


class AccessLog:
    """ASGI middleware writing one line per request once its response is sent."""

    def __init__(self, app: ASGIApp, *, json: bool = False, stream: TextIO | None = None) -> None:
        self.app = app
        self.json = json
        self.stream = stream or sys.stdout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen: dict[str, int] = {"status": 500, "bytes": 0}

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:  # the server sends no body for HEAD
            size = 0 if scope["method"] == "HEAD" else seen["bytes"]
            self.write(scope, seen["status"], size)

    def write(self, scope: Scope, status: int, size: int) -> None:
        client = scope.get("client") or ("-", 0)
        target = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        if query:
            target += "?" + query
        request = f"{scope['method']} {target} HTTP/{scope.get('http_version', '1.1')}"
        now = time.time()
        if self.json:
            record: dict[str, Any] = {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
                "remote": client[0],
                "method": scope["method"],
                "path": target,
                "status": status,
                "bytes": size,
            }
            line = orjson.dumps(record).decode()
        else:
            stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now))
            # Common Log Format; the request is escaped as Apache does, so a line stays a line
            escaped = request.encode("unicode_escape").decode("ascii").replace('"', '\\"')
            line = f'{client[0]} - - [{stamp}] "{escaped}" {status} {size or "-"}'
        print(line, file=self.stream, flush=True)


def _bounded_protocol() -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol, counting the bytes of each request head as they arrive."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class BoundedHead(HttpToolsProtocol):
        head = 0
        reading_head = True
        tail = b""

        def data_received(self, data: bytes) -> None:
            if self.reading_head:  # count up to the blank line that ends the head, not the body
                end = (self.tail + data).find(b"\r\n\r\n")
                self.head += len(data) if end < 0 else max(0, end - len(self.tail))
                self.tail = data[-3:]
                if self.head > MAX_HEAD:
                    self.transport.write(_TOO_LARGE)
                    self.transport.close()
                    return
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self.reading_head = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self.reading_head, self.head, self.tail = True, 0, b""
            super().on_message_complete()

    return BoundedHead


def serve(app: ASGIApp, host: str, port: int, *, log_json: bool = False, label: str = "") -> None:
    """Serve ``app`` until SIGTERM or SIGINT. The socket is bound first, so an address in use
    is one line and exit code 1, and the first line on stderr names the URL really listened
    on (port 0 picks a free one)."""
    import uvicorn

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise WirekitError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    config = uvicorn.Config(
        AccessLog(app, json=log_json),
        access_log=False,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=GRACE,
        limit_concurrency=CONCURRENCY,
        http=_bounded_protocol(),
        server_header=False,
    )
    shown = f"[{host}]" if ":" in host else host
    bound = sock.getsockname()[1]
    print(f"wirekit: serving {label} at http://{shown}:{bound}/ (Ctrl-C stops)", file=sys.stderr)

    class Server(uvicorn.Server):
        """uvicorn's server, remembering the signal that stopped it."""

        stopped_by: int | None = None

        def handle_exit(self, sig: int, frame: Any) -> None:
            self.stopped_by = sig
            super().handle_exit(sig, frame)

    server = Server(config)
    server.run(sockets=[sock])
    if server.stopped_by == signal.SIGINT:  # Ctrl-C is exit 130 after the graceful shutdown,
        raise KeyboardInterrupt  # whenever uvicorn's own re-raise of the signal would land
