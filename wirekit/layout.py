"""The shape of a published tree, in one place: publishing writes it and the HTML pages link it.

::

    DIR/index.html                    every article, newest first
    DIR/atom.xml rss.xml feed.json news-sitemap.xml newsmessage.xml all.nq
    DIR/articles/<slug>/index.html    the page, so its URL is <base_url>articles/<slug>/
    DIR/articles/<slug>/article.json  canonical JSON, and one file per other single-article format

The file names are the exporters' own (:attr:`wirekit.plugin.Exporter.published_name`); this
module holds only what is no format's: the articles' folder and the index page. The slug folder
name is always passed through :func:`wirekit.files.safe_name`.
"""

from __future__ import annotations

from wirekit import registry
from wirekit.plugin import Exporter

ARTICLES = "articles"
INDEX = "index"
"""The pseudo-format name of the tree's ``index.html``: not an exporter, publishing draws it."""
INDEX_FILE = "index.html"


def published() -> list[type[Exporter]]:
    """The exporters of the default tree (those that declare a published name), in their
    declared order; imports every exporter module, so only commands that publish ask."""
    declared = [cls for cls in registry.exporter_classes() if cls.published_name]
    return sorted(declared, key=lambda cls: cls.published_order)
