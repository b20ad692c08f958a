"""The published tree's ``index.html``: a news front page of every live article, newest first.

Each story shows its headline, summary, byline and date, grouped under the day it was
published, below the publisher's masthead, with the feeds offered both to browsers
(``<link rel="alternate">``, autodiscovery) and to readers (visible links in the footer).

It is drawn from the publish manifest's small per-article entries (:class:`Teaser`), not from
Articles, so a tree of a million articles does not need a million Articles in memory to list
them, and it is streamed. The page speaks the site's language (``language`` in wirekit.toml);
every string that comes from an article is marked with the article's own ``lang`` and with
``dir="auto"`` (a block of its own, so the direction is found from its own text), and runs of
article text inside a line (byline, section) sit in ``<bdi>``, so a Persian byline on an
English page is isolated from the date beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from typing import Protocol

from wirekit import layout, registry
from wirekit.config import Config
from wirekit.formats.html.i18n import day_heading, messages
from wirekit.formats.html.page import (
    STYLE,
    Masthead,
    masthead,
    site_footer,
    text_direction,
    time_element,
)
from wirekit.site.manifest import Teaser

_FEEDS = (("atom", "Atom"), ("rss", "RSS"), ("jsonfeed", "JSON Feed"))
"""The feeds a browser may offer to subscribe to, with the titles of their links."""

_BATCH = 1000
"""Articles listed per piece written."""
_STYLE = STYLE + (
    ".day{font-size:.95rem;text-transform:uppercase;letter-spacing:.05em;margin:2rem 0 .5rem;"
    "padding-bottom:.25rem;border-bottom:1px solid}"
    ".teaser{margin:0 0 1.25rem}"
    ".teaser h3{font-size:1.3rem;line-height:1.25;margin:0 0 .25rem}"
    ".teaser h3 a{color:inherit}"
    ".teaser p{margin:.2rem 0}"
    ".meta{font-size:.875rem;opacity:.85}"
    ".feeds a{margin-inline-end:.75rem}"
)


class IndexEntry(Protocol):
    """What the index needs of an article (the publish manifest's entries have it)."""

    @property
    def folder(self) -> str: ...
    @property
    def headline(self) -> str: ...
    @property
    def date(self) -> str | None: ...
    @property
    def teaser(self) -> Teaser | None: ...


def render(
    entries: Iterable[IndexEntry], config: Config, formats: Iterable[str]
) -> Iterator[bytes]:
    """The page, as pieces of UTF-8 to write one after the other: a tree of a million articles
    lists them all, and the page is never whole in memory. ``entries`` come newest first;
    ``formats`` are the published ones, so the page links only feeds that exist."""
    site = Masthead.of(config)
    language = config.language
    labels = messages(language)
    title = escape(site.name if site else "Articles")
    published = set(formats)
    links = [(registry.exporter(name), label) for name, label in _FEEDS if name in published]
    head_links = "".join(
        f'<link rel="alternate" type="{cls.media_type}" href="{cls.tree_file()}" '
        f'title="{escape(label)}">\n'
        for cls, label in links
    )
    visible = " ".join(f'<a href="{cls.tree_file()}">{escape(label)}</a>' for cls, label in links)
    feeds = f'<p class="feeds">{labels("feeds")}: {visible}</p>' if links else ""
    direction = text_direction(language)
    dir_attribute = f' dir="{direction}"' if direction else ""
    yield (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"{dir_attribute}>\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n{head_links}<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{masthead(site, labels)}<main>\n<h1>{labels('latest')}</h1>\n"
    ).encode()
    batch: list[str] = []
    day = None
    for entry in entries:
        this_day = entry.date[:10] if entry.date else ""
        if this_day != day:
            day = this_day
            heading = escape(day_heading(this_day, language)) if this_day else ""
            batch.append(f'<h2 class="day">{heading}</h2>\n' if heading else "<hr>\n")
        batch.append(_item(entry, language))
        if len(batch) >= _BATCH:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    batch.append(f"</main>\n{site_footer(site, labels, feeds)}</body>\n</html>\n")
    yield "".join(batch).encode("utf-8")


def _item(entry: IndexEntry, site_language: str) -> str:
    """One story: everything from the article in its own language, its direction found from
    the text itself (``dir="auto"``), and isolated from what surrounds it."""
    href = escape(f"{layout.ARTICLES}/{entry.folder}/", quote=True)
    teaser = entry.teaser
    language = teaser.language if teaser else site_language
    labels = messages(language)
    parts = [
        f'<article class="teaser" lang="{escape(language)}">\n'
        f'<h3 dir="auto"><a href="{href}">{escape(entry.headline)}</a></h3>\n'
    ]
    if teaser and teaser.summary:
        parts.append(f'<p class="summary" dir="auto">{escape(teaser.summary)}</p>\n')
    meta = []
    if teaser and teaser.section:
        meta.append(f'<bdi class="section">{escape(teaser.section)}</bdi>')
    if teaser and teaser.byline:
        meta.append(
            f'<span class="byline">{labels("by")} <bdi>{escape(teaser.byline)}</bdi></span>'
        )
    if entry.date:
        meta.append(time_element(entry.date, language))
    if meta:
        parts.append(f'<p class="meta" dir="auto">{" · ".join(meta)}</p>\n')
    parts.append("</article>\n")
    return "".join(parts)
