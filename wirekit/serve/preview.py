"""Live preview (``wirekit serve DIR --watch INPUT…``): republish on every change of the
sources, and reload the pages open in browsers.

The sources are watched with ``watchfiles`` (Rust's ``notify``: inotify on Linux, no polling,
changes batched), and each batch republishes through the library's :class:`Publisher`, which
rewrites only the articles that changed. Open pages learn of it by server-sent events from a
small script that the server injects into HTML responses in preview mode only; published files
never contain it. A source that fails shows its errors on an overlay, and the last good version
stays served, because publishing keeps the files of an article whose source now fails.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import re
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from wirekit.config import Config

EVENTS = "/_wirekit/events"
KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, so proxies do not close it."""
_CSP = re.compile(
    rb'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE
)
_SCRIPT = """(function(){
var show=function(text){var o=document.getElementById("wirekit-overlay");
if(!text){if(o)o.remove();return}
if(!o){o=document.createElement("pre");o.id="wirekit-overlay";o.style.cssText=
"position:fixed;inset:0;margin:0;padding:2rem;background:rgba(40,0,0,.92);color:#fff;"+
"font:14px/1.5 monospace;white-space:pre-wrap;z-index:2147483647;overflow:auto";
document.body.appendChild(o)}o.textContent="wirekit publish failed:\\n\\n"+text};
show(%s);
var s=new EventSource("%s");
s.addEventListener("reload",function(){s.close();location.reload()});
s.addEventListener("failed",function(e){show(JSON.parse(e.data))});
})();"""


class Preview:
    """Watches inputs and republishes ``out``; the app asks it to inject its script and to
    stream events. ``generation`` counts the publishes, so validators change with them."""

    events_path = EVENTS

    def __init__(
        self, out: Path, inputs: Sequence[str], *, config: Config, now: str | None = None
    ) -> None:
        self.out = out
        self.inputs = list(inputs)
        self.config = config
        self.now = now
        self.generation = 0
        self.error: str | None = None
        self.server: Any = None
        """The app serving ``out``: told to read the tree again after each publish."""
        self._listeners: set[asyncio.Queue[tuple[str, str]]] = set()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def publish(self) -> None:
        """Publish the inputs into the tree; remember the failures for the overlay."""
        from wirekit.site.publish import Publisher

        summary = Publisher(self.out, config=self.config, jobs=1, now=self.now).run(self.inputs)
        self.error = "\n".join(summary.failures) or None
        self.generation += 1
        if self.error:
            print(f"wirekit: preview: {self.error}", file=sys.stderr)

    async def start(self) -> None:
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        """Stop watching and end every event stream (so shutdown does not wait for them)."""
        self._stop.set()
        for queue in list(self._listeners):
            queue.put_nowait(("", ""))
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _watch(self) -> None:
        from watchfiles import awatch

        async for _ in awatch(*self.inputs, stop_event=self._stop, debounce=200):
            await asyncio.to_thread(self.publish)
            if self.server is not None:
                self.server.refresh()
            if self.error:
                self.broadcast("failed", orjson.dumps(self.error).decode())
            else:
                self.broadcast("reload", str(self.generation))

    def broadcast(self, event: str, data: str) -> None:
        for queue in list(self._listeners):
            queue.put_nowait((event, data))

    async def events(self, request: Request) -> Response:
        """``/_wirekit/events``: a server-sent event stream of ``reload`` and ``failed``."""
        queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._listeners.add(queue)

        async def stream() -> AsyncIterator[bytes]:
            try:
                yield b"retry: 1000\n\n"
                while not self._stop.is_set():
                    try:
                        event, data = await asyncio.wait_for(queue.get(), KEEPALIVE)
                    except TimeoutError:
                        yield b": keepalive\n\n"
                        continue
                    if not event:
                        return
                    yield f"event: {event}\ndata: {data}\n\n".encode()
            finally:
                self._listeners.discard(queue)

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    def inject(self, page: bytes) -> bytes:
        """The page with the preview script before ``</body>`` (or at its end), showing the
        overlay at once when the last publish failed. A page's own Content-Security-Policy
        (wirekit's pages forbid scripts) is widened, in this response only, to this one script
        by its hash and to event streams from this server."""
        error = orjson.dumps(self.error).decode() if self.error else "null"
        error = error.replace("</", "<\\/").replace("<!--", "<\\!--")
        code = _SCRIPT % (error, EVENTS)
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        allowed = f"'sha256-{digest}'"
        page = _CSP.sub(lambda m: _widen(m, allowed), page)
        script = f"<script data-wirekit-preview>{code}</script>".encode()
        at = page.rfind(b"</body>")
        return page + script if at < 0 else page[:at] + script + page[at:]


def _widen(match: re.Match[bytes], allowed: str) -> bytes:
    """A CSP meta element's policy with the preview script and its event stream allowed."""
    directives = [d.strip() for d in match.group(2).decode().split(";") if d.strip()]
    extra = {"script-src": allowed, "connect-src": "'self'"}
    for index, directive in enumerate(directives):
        name = directive.split()[0].lower()
        if name in extra:
            directives[index] = f"{directive} {extra.pop(name)}"
    directives += [f"{name} {value}" for name, value in extra.items()]
    return match.group(1) + "; ".join(directives).encode() + match.group(3)
