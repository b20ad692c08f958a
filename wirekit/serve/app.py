"""The ASGI application: a published tree as linked data.

``create_app(DIR)`` builds it; ``wirekit.serve.app:app`` builds it from the environment
(``WIREKIT_SERVE_DIR``, and optionally ``WIREKIT_CONFIG``, ``WIREKIT_SERVE_STORE`` or
``WIREKIT_SERVE_ENDPOINT``) so a production ASGI server can run it::

    WIREKIT_SERVE_DIR=dist gunicorn -k uvicorn.workers.UvicornWorker wirekit.serve.app:app

Starlette is used for its small, well-kept request and response types and its test client;
the routing is a few dictionary look-ups of our own (see :mod:`wirekit.serve.site`), because
every path must be a key the manifest knows and never a path on disk.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from wirekit import audience, layout
from wirekit.audience import State
from wirekit.config import Config
from wirekit.config import load as load_config
from wirekit.serve import negotiate
from wirekit.serve.site import VOID, Document, Format, Site

if TYPE_CHECKING:
    from wirekit.serve.preview import Preview
    from wirekit.serve.sparql import Sparql

MAX_HEADERS = 100
MAX_HEADER_BYTES = 16 * 1024
"""Request header limits: more is answered with 431 before any work is done."""
HEALTH = "/healthz"
ARTICLES = f"/{layout.ARTICLES}/"
_CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Link, ETag"}
_METHODS = ("GET", "HEAD")


class Server:
    """The application's state: the tree, the clock, the SPARQL service and live preview. It
    is itself the ASGI callable."""

    def __init__(
        self,
        site: Site,
        *,
        now: str | None = None,
        sparql: Sparql | None = None,
        preview: Preview | None = None,
    ) -> None:
        self.site = site
        self.fixed_now = audience.moment(now) if now else None
        self.sparql = sparql
        self.preview = preview
        if preview is not None:
            preview.server = self

    def refresh(self) -> None:
        """Read the tree again after a publish, and let SPARQL see the new dump."""
        self.site.reload()
        if self.sparql is not None:
            self.sparql.refresh()

    def now(self) -> datetime:
        """The moment embargoes are judged at: ``--now`` when given, else the clock, read anew
        for every request (:func:`wirekit.audience.moment`)."""
        return self.fixed_now or audience.moment(None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = _limits(scope) or await self.route(request)
        await response(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.preview is not None:
                    await self.preview.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.preview is not None:
                    await self.preview.stop()
                if self.sparql is not None:
                    self.sparql.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def route(self, request: Request) -> Response:
        """Dispatch by path. Every branch looks its name up in a table; nothing here joins a
        request path onto a folder, and the query string is read only by SPARQL."""
        path: str = request.scope["path"]
        method = request.method
        if path == "/sparql" and self.sparql is not None:
            return await self.sparql.handle(request)
        if self.preview is not None and path == self.preview.events_path:
            return await self.preview.events(request)
        if method not in _METHODS:
            return PlainTextResponse(
                "method not allowed\n", 405, headers={"Allow": ", ".join(_METHODS)}
            )
        if path == HEALTH:
            return PlainTextResponse("ok\n", headers={"Cache-Control": "no-store"})
        if path.startswith(ARTICLES):
            return self.article_path(request, path[len(ARTICLES) :])
        id_path = self.site.id_path
        if path.startswith(id_path) and len(path) > len(id_path):
            return self.article_iri(path[len(id_path) :])
        name = path[1:]
        if name == VOID:
            return self.void()
        if name.endswith("/") or not name:  # a folder's URL: its index page
            name += layout.INDEX_FILE
        elif self.site.is_page_folder(name):  # the folder's URL ends in a slash
            return Response(b"", 301, headers={"Location": f"{path}/"})
        document = self.site.top_document(name)
        if document is None:
            return _not_found()
        return self.send(request, document)

    # -- articles ------------------------------------------------------------------------------

    def article_iri(self, rest: str) -> Response:
        """``/id/<slug>``: 303 See Other to the document about the thing (the httpRange-14
        answer), which then negotiates; Vary: Accept, since the next hop does."""
        folder = self.site.folder_for_iri(rest)
        if folder is None:
            return _not_found()
        gone = self._unavailable(folder)
        if gone is not None:
            return gone
        return Response(
            b"",
            303,
            headers={"Location": f"{ARTICLES}{folder}/", "Vary": "Accept", **_CORS},
        )

    def article_path(self, request: Request, rest: str) -> Response:
        folder, slash, file_name = rest.partition("/")
        if folder not in self.site.articles:
            return _not_found()
        gone = self._unavailable(folder)  # before the redirect: it would say the slug exists
        if gone is not None:
            return gone
        if not slash:  # /articles/<slug>: the document's URL ends in a slash
            return Response(b"", 301, headers={"Location": f"{ARTICLES}{folder}/"})
        offered = self.site.article_formats(folder)
        if file_name:  # a format suffix: that file, no negotiation
            document = self.site.article_document(folder, file_name)
            if document is None:
                return _not_found()
            return self.send(request, document, self._alternates(folder, offered, document))
        return self.negotiate(request, folder, offered)

    def negotiate(self, request: Request, folder: str, offered: Sequence[Format]) -> Response:
        """``/articles/<slug>/``: the representation the ``Accept`` header prefers, or 406
        with what there is."""
        by_type: dict[str, Format] = {}
        for form in offered:
            by_type.setdefault(form.media_type, form)
        chosen = negotiate.choose(request.headers.get("accept"), list(by_type))
        links = self._alternates(folder, offered, None)
        if chosen is None:
            lines = [f"{f.media_type}\t{ARTICLES}{folder}/{f.file_name}" for f in by_type.values()]
            body = "no acceptable representation; on offer:\n" + "\n".join(lines) + "\n"
            return PlainTextResponse(body, 406, headers={"Link": links, "Vary": "Accept"})
        document = self.site.article_document(folder, by_type[chosen].file_name)
        if document is None:
            return _not_found()
        return self.send(
            request,
            document,
            self._alternates(folder, offered, document),
            {"Vary": "Accept", "Content-Location": f"{ARTICLES}{folder}/{document.path.name}"},
        )

    def _alternates(self, folder: str, offered: Sequence[Format], current: Document | None) -> str:
        """The ``Link`` header naming the article's other representations."""
        return ", ".join(
            f'<{ARTICLES}{folder}/{f.file_name}>; rel="alternate"; type="{f.media_type}"'
            for f in offered
            if current is None or f.file_name != current.format.file_name
        )

    def _unavailable(self, folder: str) -> Response | None:
        """404 for an article withheld or under embargo (as if it did not exist), 410 Gone for
        one withdrawn, with the tombstone page publishing left at its address (or, in a tree
        published before tombstones, a minimal one: never the story itself)."""
        state = self.site.public_state(folder, self.now())
        if state is State.LIVE:
            return None
        if state is not State.WITHDRAWN:
            return _not_found()
        tombstone = self.site.tombstone(folder)
        if tombstone is not None:
            try:
                return self._page(tombstone.path.read_bytes(), 410)
            except OSError:
                pass
        page = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="robots" content="noindex"><title>Withdrawn</title></head>\n'
            "<body><h1>This story has been withdrawn</h1>"
            '<p><a href="/">All articles</a></p></body></html>\n'
        )
        return self._page(page.encode(), 410)

    def _page(self, html: bytes, status: int) -> Response:
        body = self.preview.inject(html) if self.preview is not None else html
        return Response(body, status, media_type="text/html")

    # -- files ---------------------------------------------------------------------------------

    def send(
        self,
        request: Request,
        document: Document,
        links: str = "",
        extra: dict[str, str] | None = None,
    ) -> Response:
        """A file with its validators, or 304 when the client's copy is current."""
        etag = document.etag
        if self.preview is not None:
            etag = f'"{etag.strip(chr(34))}-{self.preview.generation}"'
        headers = {"ETag": etag, "Last-Modified": document.last_modified, **(extra or {})}
        if links:
            headers["Link"] = links
        if document.format.is_data:
            headers.update(_CORS)
        if _not_modified(request, etag, document.modified):
            return Response(b"", 304, headers=headers)
        try:
            body = document.path.read_bytes()
        except OSError:
            return _not_found()
        if self.preview is not None and not document.format.is_data:
            body = self.preview.inject(body)
        return Response(body, 200, headers=headers, media_type=document.format.content_type)

    def void(self) -> Response:
        """``/void.ttl``: the dataset described in VoID, made from the manifest."""
        from wirekit.serve.void import describe

        body = describe(self.site, sparql=self.sparql is not None)
        return Response(body, 200, headers=dict(_CORS), media_type="text/turtle; charset=utf-8")


def _limits(scope: Scope) -> Response | None:
    """431 for a request with too many or too large headers."""
    headers = scope["headers"]
    if len(headers) > MAX_HEADERS or sum(len(k) + len(v) for k, v in headers) > MAX_HEADER_BYTES:
        return PlainTextResponse("request header fields too large\n", 431)
    return None


def _not_found() -> Response:
    return PlainTextResponse("not found\n", 404)


def _not_modified(request: Request, etag: str, modified: float) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match decides when present; else If-Modified-Since."""
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return int(modified) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


def create_app(
    root: str | Path,
    *,
    config: Config | None = None,
    store: Path | None = None,
    endpoint: str | None = None,
    now: str | None = None,
    query_timeout: float = 10.0,
    row_limit: int = 10_000,
    preview: Preview | None = None,
) -> Server:
    """The ASGI application serving the published tree at ``root``. SPARQL queries go to
    ``endpoint`` when given, else to the store folder (``store``, else the config's) when it
    exists, else to the tree's own N-Quads dump, loaded into memory."""
    from wirekit.serve.site import data_dump
    from wirekit.serve.sparql import Sparql

    config = config or load_config(None)
    site = Site(Path(root), config)
    if store is not None and not store.is_dir():
        from wirekit.errors import UsageError

        raise UsageError(f"no store at {store}: load something first, or leave --store out")
    chosen = store or (config.store if config.store.is_dir() else None)
    sparql = Sparql(
        store=None if endpoint else chosen,
        dump=None if endpoint or chosen else site.root / data_dump(),
        endpoint=endpoint,
        timeout=query_timeout,
        row_limit=row_limit,
    )
    return Server(site, now=now, sparql=sparql, preview=preview)


def from_environment() -> Server:
    """The app as ``WIREKIT_SERVE_DIR`` and its companions describe it."""
    root = os.environ.get("WIREKIT_SERVE_DIR")
    if not root:
        from wirekit.errors import UsageError

        raise UsageError("set WIREKIT_SERVE_DIR to the published tree to serve")
    config_path = os.environ.get("WIREKIT_CONFIG")
    store = os.environ.get("WIREKIT_SERVE_STORE")
    return create_app(
        root,
        config=load_config(Path(config_path) if config_path else None),
        store=Path(store) if store else None,
        endpoint=os.environ.get("WIREKIT_SERVE_ENDPOINT") or None,
    )


def __getattr__(name: str) -> Server:
    """``wirekit.serve.app:app``, built on first use, so importing this module reads nothing."""
    if name == "app":
        app = from_environment()
        globals()["app"] = app
        return app
    raise AttributeError(name)
