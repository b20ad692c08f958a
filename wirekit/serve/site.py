"""What a served tree holds, as the publish manifest says: the only files ``wirekit serve`` will
ever answer with, their media types, and each article's validators and state.

Nothing here looks a request path up on the file system. A path is a key into tables built from
the manifest (an article's folder and the file names its entry lists, or one of the tree's
top-level files), so ``..``, encoded or doubled slashes, backslashes, NUL and hidden files can
only miss; a file that is a symbolic link is served only when it resolves inside the tree.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import orjson

from wirekit import audience, layout, registry
from wirekit.audience import State
from wirekit.config import Config
from wirekit.errors import UsageError, WirekitError
from wirekit.formats.schemaorg.mapping import id_iri
from wirekit.model import Article
from wirekit.site.manifest import MANIFEST, Entry
from wirekit.site.manifest import read as read_manifest

VOID = "void.ttl"
_CHARSET = "; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Format:
    """One format an article (or the tree) is served in."""

    name: str
    media_type: str
    file_name: str
    order: int = 0
    """Its exporter's :attr:`~wirekit.plugin.Exporter.negotiation_order`: between offers a
    client rates equally, the lower wins."""

    @property
    def content_type(self) -> str:
        return content_type(self.media_type)

    @property
    def is_data(self) -> bool:
        """Whatever is not a page: served with CORS, so scripts on other sites can read it."""
        return self.media_type != "text/html"


@dataclass(frozen=True, slots=True)
class Document:
    """A file the manifest knows, with its validators."""

    path: Path
    format: Format
    etag: str
    last_modified: str
    modified: float


def content_type(media_type: str) -> str:
    """The ``Content-Type`` header for a media type: text and XML say their charset (always
    UTF-8 here); JSON and N-Triples/N-Quads need not (their media types define UTF-8)."""
    if media_type.startswith("text/") or media_type.endswith(("+xml", "/xml")):
        return media_type + _CHARSET
    return media_type


def data_dump() -> str:
    """The N-Quads dump's file: the ``nquads`` exporter's name for it in a published tree."""
    return registry.exporter("nquads").tree_file()


def _formats() -> dict[str, Format]:
    """Every installed exporter's published article file, by file name: its media type, file
    name and rank are the exporter class's own facts."""
    table: dict[str, Format] = {}
    for cls in registry.exporter_classes():
        if cls.collection:
            continue
        file_name = cls.tree_file()
        media_type = cls.negotiated_media_type()
        table[file_name] = Format(cls.name, media_type, file_name, cls.negotiation_order)
    return table


PAGE = Format(layout.INDEX, "text/html", layout.INDEX_FILE)
"""The tree's index pages (the front page's and each section's, paged), which the manifest
lists by name (:attr:`wirekit.site.manifest.Manifest.pages`)."""


def _top_formats() -> dict[str, Format]:
    """The tree's own files besides its pages: the public collections, the VoID description.

    A collection whose exporter writes for syndication (the NewsML-G2 newsMessage, a plugin's
    partner feed) is left out, so it is 404 like any file the table lacks: it carries withheld
    and embargoed stories with their text, for partners, and ``serve`` is a public site. The
    exporter class's ``audience`` decides, not the file's name."""
    table: dict[str, Format] = {}
    for cls in layout.published():
        if cls.collection and cls.audience != audience.SYNDICATION:
            table[cls.tree_file()] = Format(cls.name, cls.media_type, cls.tree_file())
    table[VOID] = Format("void", "text/turtle", VOID)
    return table


def http_date(moment: float) -> str:
    """An IMF-fixdate (RFC 9110), whole seconds."""
    return format_datetime(datetime.fromtimestamp(int(moment), UTC), usegmt=True)


class Site:
    """A published tree, read from its manifest. :meth:`reload` reads it again (live preview
    does after each publish); a request in flight keeps the tables it started with."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.config = config
        self.id_path = urlsplit(config.base_iri).path or "/"
        self.formats = _formats()
        self.top = _top_formats()
        self._validators: dict[tuple[str, int, int], tuple[str, float]] = {}
        self._canonical = registry.exporter("json").tree_file()
        self._page = registry.exporter("html").tree_file()
        self._offers: dict[tuple[str, ...], list[Format]] = {}
        self.reload()

    def reload(self) -> None:
        """Read the manifest again; refuse a folder that is no published tree."""
        manifest_path = self.root / MANIFEST
        if not manifest_path.is_file():
            raise UsageError(
                f"{self.root}: not a published tree (no {MANIFEST}); run wirekit publish first"
            )
        manifest = read_manifest(manifest_path)
        articles = dict(manifest.articles)
        by_iri: dict[str, str] = {}
        for folder, entry in articles.items():
            iri = id_iri(entry.id, self.config)
            if iri.startswith(self.config.base_iri):
                by_iri[unquote(iri[len(self.config.base_iri) :])] = folder
        self.articles, self.by_iri, self.pages = articles, by_iri, frozenset(manifest.pages)

    # -- look-ups: a miss is None, and the caller answers 404 ------------------------------------

    def folder_for_iri(self, rest: str) -> str | None:
        """The folder of the article whose IRI is the base IRI followed by ``rest`` (decoded,
        as the IRI's own percent-encoding is decoded for the look-up)."""
        return self.by_iri.get(rest)

    def article_formats(self, folder: str) -> list[Format]:
        """The formats the article's folder holds, in the server's order of preference (their
        exporters' negotiation order, then file names)."""
        files = self.articles[folder].files
        offers = self._offers.get(files)
        if offers is None:  # articles share their file lists, so this is worked out a few times
            held = [self.formats[name] for name in files if name in self.formats]
            offers = self._offers[files] = sorted(held, key=_preference)
        return offers

    def article_document(self, folder: str, file_name: str) -> Document | None:
        """One of the files the manifest lists for an article, if it is there."""
        entry = self.articles.get(folder)
        if entry is None or file_name not in entry.files or file_name not in self.formats:
            return None
        path = self.root / layout.ARTICLES / folder / file_name
        return self._document(path, self.formats[file_name], entry)

    def tombstone(self, folder: str) -> Document | None:
        """The page publishing left at a withdrawn article's address, if it did (the manifest
        records the article's state when its files were written)."""
        if self.articles[folder].state != State.WITHDRAWN:
            return None
        return self.article_document(folder, self._page)

    def top_document(self, file_name: str) -> Document | None:
        """One of the tree's top-level files (not the generated VoID description), or one of
        its index pages (``index-2.html``, ``sections/<section>/index.html``...): their paths,
        the manifest's, are proved to be such (:mod:`wirekit.site.manifest`)."""
        form = PAGE if file_name in self.pages else self.top.get(file_name)
        if form is None or file_name == VOID:
            return None
        return self._document(self.root / file_name, form, None)

    def is_page_folder(self, path: str) -> bool:
        """Whether ``path`` (no leading or trailing slash) is a folder whose index page the
        tree has, like ``sections/<section>``: its URL ends in a slash, as an article's does."""
        return f"{path}/{layout.INDEX_FILE}" in self.pages

    def _document(self, path: Path, form: Format, entry: Entry | None) -> Document | None:
        """The file with its validators, or None when it is missing, not a regular file, or a
        link that leads out of the tree. The ETag is the manifest's article hash (which names
        the bytes of every file the article has) with the format; a top-level file, which the
        manifest has no hash for, is hashed once per size and modification time. Last-Modified
        is the file's modification time: publishing rewrites a file only when its bytes change."""
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                if self.real_root not in path.resolve().parents:
                    return None
                info = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        tag = self._digest(path, info) if entry is None else f'"{entry.hash[:32]}-{form.name}"'
        return Document(path, form, tag, http_date(info.st_mtime), info.st_mtime)

    def _digest(self, path: Path, info: os.stat_result) -> str:
        key = (str(path), info.st_size, info.st_mtime_ns)
        known = self._validators.get(key)
        if known is None:
            with path.open("rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()[:32]
            known = self._validators[key] = (f'"{digest}"', info.st_mtime)
        return known[0]

    def public_state(self, folder: str, now: datetime) -> State:
        """The article's state at ``now``, as :func:`wirekit.audience.public_state` decides
        it; an article whose canonical JSON cannot be read counts as withheld (the safe side)."""
        entry = self.articles[folder]
        canonical = os.path.join(self.root, layout.ARTICLES, folder, self._canonical)
        article = _article(canonical, entry.hash)
        return State.WITHHELD if article is None else audience.public_state(article, now)


def _preference(form: Format) -> tuple[int, str]:
    return (form.order, form.file_name)


@functools.lru_cache(maxsize=4096)
def _article(path: str, content_hash: str) -> Article | None:
    """The article in a canonical JSON file, read once per version (the manifest's hash names
    it); the most recently asked few thousand are kept, so memory stays bounded."""
    try:
        return Article.from_dict(orjson.loads(Path(path).read_bytes()))
    except (OSError, orjson.JSONDecodeError, WirekitError, KeyError, TypeError, ValueError):
        return None
