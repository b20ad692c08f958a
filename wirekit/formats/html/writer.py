"""HTML out: a standalone, accessible HTML5 page per article, its schema.org JSON-LD embedded.

The structured data is the ``jsonld`` exporter's document, byte for byte apart from escaping, so
what search engines read in the page can never drift from the JSON-LD wirekit publishes beside
it. The page links the article's other formats with ``rel="alternate"`` by their file names in a
published tree (:meth:`wirekit.plugin.Exporter.tree_file`), relative to the page's own folder.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from wirekit import layout, registry
from wirekit.audience import PUBLIC
from wirekit.config import Config
from wirekit.errors import UsageError
from wirekit.formats.html.page import Alternate, Masthead, render
from wirekit.model import Article
from wirekit.plugin import Exporter

NO_ALTERNATES = "none"


class HTMLExporter(Exporter):
    """One article as an HTML page."""

    name = "html"
    aliases = ("html5",)
    description = "a standalone, accessible HTML5 page embedding the schema.org JSON-LD"
    media_type = "text/html"
    file_extension = ".html"
    standard = "HTML"
    standard_version = "Living Standard"
    audience = PUBLIC
    published_name = "index.html"
    published_order = 10
    negotiation_order = 10
    options: ClassVar[Mapping[str, str]] = {
        "alternates": "the other formats to link with <link rel=alternate>: comma-separated "
        f"names, or '{NO_ALTERNATES}' (default: every installed format of the article folder)",
    }

    def __init__(self, config: Config | None = None, **options: Any) -> None:
        super().__init__(config, **options)
        chosen = self.settings.get("alternates")
        self._alternates = alternates(None if chosen is None else str(chosen))
        self._site = Masthead.of(self.config)

    @functools.cached_property
    def _json_ld(self) -> Exporter:
        """Made on first use, so listing or configuring this exporter needs no jsonld module."""
        return registry.exporter("jsonld")(self.config)

    def export(self, article: Article) -> bytes:
        json_ld = self._json_ld.export(article)
        page = render(article, json_ld=json_ld, alternates=self._alternates, site=self._site)
        return page.encode("utf-8")

    def check(self, path: Path) -> str:
        from wirekit.formats.html.conformance import page

        return page(path)


@functools.cache
def alternates(chosen: str | None) -> tuple[Alternate, ...]:
    """The alternate links for an ``alternates`` option value, resolved once per process.

    By default, every single-article format of the default published tree
    (:func:`wirekit.layout.published`); a list may name any single-article format (aliases
    too), and plugins get the file name publishing gives them. The page itself is never its
    own alternate.
    """
    if chosen is None:
        wanted = [cls.name for cls in layout.published() if not cls.collection]
    elif chosen.strip().lower() == NO_ALTERNATES:
        wanted = []
    else:
        wanted = [name.strip() for name in chosen.split(",") if name.strip()]
    links: dict[str, Alternate] = {}
    for name in wanted:
        cls = registry.exporter(name)
        if cls.collection:
            raise UsageError(f"html: {cls.name} writes collections, not one article's file")
        if cls is not HTMLExporter and cls.name not in links:
            links[cls.name] = Alternate(
                href=cls.tree_file(),
                media_type=cls.media_type,
                title=f"{cls.standard} {cls.standard_version}",
            )
    return tuple(links.values())
