"""The shape of a published tree, in one place: publishing writes it and the HTML pages link it.

::

    DIR/index.html                    every article, newest first
    DIR/atom.xml rss.xml feed.json news-sitemap.xml newsmessage.xml all.nq
    DIR/articles/<slug>/index.html    the page, so its URL is <base_url>articles/<slug>/
    DIR/articles/<slug>/article.json  canonical JSON, and one file per other single-article format

The slug folder name is always passed through :func:`wirekit.files.safe_name`.
"""

from __future__ import annotations

ARTICLES = "articles"
INDEX = "index"
"""The pseudo-format name of the tree's ``index.html``: not an exporter, publishing draws it."""
INDEX_FILE = "index.html"

# format name -> file name inside an article's folder
ARTICLE_FILES: dict[str, str] = {
    "html": "index.html",
    "json": "article.json",
    "newsml-g2": "newsml-g2.xml",
    "ninjs": "ninjs.json",
    "jsonld": "article.jsonld",
    "turtle": "article.ttl",
    "ntriples": "article.nt",
}

# format name -> file name at the top of the tree
COLLECTION_FILES: dict[str, str] = {
    "atom": "atom.xml",
    "rss": "rss.xml",
    "jsonfeed": "feed.json",
    "news-sitemap": "news-sitemap.xml",
    "newsml-g2-message": "newsmessage.xml",
    "nquads": "all.nq",
}


def article_file(format_name: str, file_extension: str) -> str:
    """The file an article's folder holds for a format; plugins get ``article.<name><ext>``."""
    return ARTICLE_FILES.get(format_name, f"article.{format_name}{file_extension}")
