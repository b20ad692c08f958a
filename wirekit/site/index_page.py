"""The published tree's ``index.html``: every article, newest first, and the feeds.

It is drawn from the publish manifest's small per-article entries, not from Articles, so a tree
of a million articles does not need a million Articles in memory to list them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from typing import Protocol

from wirekit import layout, registry
from wirekit.config import Config

_FEEDS = (("atom", "Atom feed"), ("rss", "RSS feed"), ("jsonfeed", "JSON Feed"))
"""The feeds a browser may offer to subscribe to, with the titles of their links."""

_BATCH = 1000
"""Articles listed per piece written."""
_STYLE = (
    "body{font:1.05rem/1.55 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}"
    "li{margin:.6rem 0}time{color:#555;font-size:.9rem;margin-left:.5rem}"
)


class IndexEntry(Protocol):
    """What the index needs of an article (the publish manifest's entries have it)."""

    @property
    def folder(self) -> str: ...
    @property
    def headline(self) -> str: ...
    @property
    def date(self) -> str | None: ...


def render(
    entries: Iterable[IndexEntry], config: Config, formats: Iterable[str]
) -> Iterator[bytes]:
    """The page, as pieces of UTF-8 to write one after the other: a tree of a million articles
    lists them all, and the page is never whole in memory. ``entries`` come newest first;
    ``formats`` are the published ones, so the page links only feeds that exist."""
    title = escape(str((config.publisher or {}).get("name", "Articles")))
    published = set(formats)
    links = [(registry.exporter(name), label) for name, label in _FEEDS if name in published]
    feeds = "".join(
        f'<link rel="alternate" type="{cls.media_type}" href="{cls.tree_file()}" title="{label}">\n'
        for cls, label in links
    )
    yield (
        f'<!DOCTYPE html>\n<html lang="{escape(config.language)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n{feeds}<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{title}</h1></header>\n<main>\n<ul>\n"
    ).encode()
    batch: list[str] = []
    for entry in entries:
        batch.append(_item(entry))
        if len(batch) == _BATCH:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    yield ("".join(batch) + "</ul>\n</main>\n</body>\n</html>\n").encode("utf-8")


def _item(entry: IndexEntry) -> str:
    href = escape(f"{layout.ARTICLES}/{entry.folder}/", quote=True)
    when = ""
    if entry.date:
        when = f'<time datetime="{escape(entry.date)}">{escape(entry.date[:10])}</time>'
    return f'<li><a href="{href}">{escape(entry.headline)}</a>{when}</li>\n'
