"""Running the app under uvicorn for ``wirekit serve``: the access log, limits and shutdown.

uvicorn is the ASGI server because it is the most used and best kept one, stops gracefully
on SIGTERM and SIGINT (requests in flight finish, within a deadline), and its httptools
parser is fast; its own access log is replaced by one in the Common Log Format (or JSON
lines with ``--log-json``) that log tools read without configuration.
"""

from __future__ import annotations

import socket
import sys
import time
from typing import Any, TextIO

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirekit.errors import WirekitError

GRACE = 5
"""Seconds requests in flight get to finish after SIGTERM or SIGINT."""
MAX_HEADER_EVENT = 16 * 1024
"""The largest request head the h11 parser buffers (uvicorn's option); the app's own limits
(:data:`wirekit.serve.app.MAX_HEADER_BYTES`) cover the httptools parser too."""
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
        h11_max_incomplete_event_size=MAX_HEADER_EVENT,
        server_header=False,
    )
    shown = f"[{host}]" if ":" in host else host
    bound = sock.getsockname()[1]
    print(f"wirekit: serving {label} at http://{shown}:{bound}/ (Ctrl-C stops)", file=sys.stderr)
    uvicorn.Server(config).run(sockets=[sock])
