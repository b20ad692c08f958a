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

from collections.abc import Iterable, Iterator, Sequence
from html import escape
from typing import Protocol

from wirekit import layout, registry
from wirekit.config import Config
from wirekit.files import safe_name
from wirekit.formats.html.i18n import Messages, day_heading, messages
from wirekit.formats.html.page import (
    STYLE,
    Masthead,
    masthead,
    site_footer,
    text_direction,
    time_element,
)
from wirekit.plugin import Exporter
from wirekit.site.manifest import Teaser

_BATCH = 1000
"""Articles listed per piece written."""
PAGE_SIZE = 100
"""Stories on one page of the front page (or of a section's): a long archive goes on over
``index-2.html``, ``index-3.html``..., each linking the newer and the older page."""
_STYLE = STYLE + (
    ".day{font-size:.95rem;text-transform:uppercase;letter-spacing:.05em;margin:2rem 0 .5rem;"
    "padding-bottom:.25rem;border-bottom:1px solid}"
    ".teaser{margin:0 0 1.25rem}"
    ".teaser h3{font-size:1.3rem;line-height:1.25;margin:0 0 .25rem}"
    ".teaser h3 a{color:inherit}"
    ".teaser p{margin:.2rem 0}"
    ".meta{font-size:.875rem;opacity:.85}"
    ".feeds a,.sections a,.paging a{margin-inline-end:.75rem}"
    ".sections{margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.25rem}"
    ".paging{margin:2rem 0}"
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


def pages(
    entries: Sequence[IndexEntry], config: Config, formats: Iterable[str], size: int = PAGE_SIZE
) -> Iterator[tuple[str, Iterator[bytes]]]:
    """Every page of the front page and of each section, as (path in the tree, pieces):
    ``index.html`` and its older pages, then ``sections/<section>/index.html`` and theirs, for
    every section an article carries. ``entries`` come newest first. A page's content is
    made only as its pieces are read, so listing the pages costs next to nothing."""
    formats = tuple(formats)
    by_section: dict[str, list[IndexEntry]] = {}  # one pass, newest first within each
    for entry in entries:
        if entry.teaser is not None and entry.teaser.section:
            by_section.setdefault(entry.teaser.section, []).append(entry)
    links = [(name, f"{layout.SECTIONS}/{safe_name(name)}/") for name in sorted(by_section)]
    listings: list[tuple[str, str | None, Sequence[IndexEntry]]] = [("", None, entries)]
    listings.extend((folder, name, by_section[name]) for name, folder in links)
    for folder, section, chosen in listings:
        count = max(1, -(-len(chosen) // size))
        for number in range(1, count + 1):
            # not a slice: a page's entries are taken only when it is drawn, so a caller can
            # list every page (the publish checks their names before it writes any) for nothing
            first, last = (number - 1) * size, min(number * size, len(chosen))
            part = map(chosen.__getitem__, range(first, last))
            paging = (
                layout.index_page(number - 1) if number > 1 else None,
                layout.index_page(number + 1) if number < count else None,
            )
            page = render(
                part,
                config,
                formats,
                root="../../" if folder else "",
                section=section,
                sections=links,
                paging=paging,
            )
            yield f"{folder}{layout.index_page(number)}", page


def render(
    entries: Iterable[IndexEntry],
    config: Config,
    formats: Iterable[str],
    *,
    root: str = "",
    section: str | None = None,
    sections: Sequence[tuple[str, str]] = (),
    paging: tuple[str | None, str | None] = (None, None),
) -> Iterator[bytes]:
    """One page, as pieces of UTF-8 to write one after the other: a page of a million articles
    is never whole in memory. ``entries`` come newest first; ``formats`` are the published
    ones, so the page links only feeds that exist. ``root`` leads from the page to the top of
    the tree; ``sections`` are (name, folder) to link; ``paging`` the newer and older pages."""
    site = Masthead.of(config)
    language = config.language
    labels = messages(language)
    title = escape(site.name if site else "Articles")
    heading = escape(section) if section else labels("latest")
    links = _feeds(formats)
    head_links = "".join(
        f'<link rel="alternate" type="{cls.media_type}" href="{root}{cls.tree_file()}" '
        f'title="{escape(label)}">\n'
        for cls, label in links
    )
    visible = " ".join(
        f'<a href="{root}{cls.tree_file()}">{escape(label)}</a>' for cls, label in links
    )
    feeds = f'<p class="feeds">{labels("feeds")}: {visible}</p>' if links else ""
    direction = text_direction(language)
    dir_attribute = f' dir="{direction}"' if direction else ""
    yield (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"{dir_attribute}>\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n{head_links}<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{masthead(site, labels)}{_section_links(sections, root)}"
        f'<main>\n<h1 dir="auto">{heading}</h1>\n'
    ).encode()
    batch: list[str] = []
    day = None
    for entry in entries:
        this_day = entry.date[:10] if entry.date else ""
        if this_day != day:
            day = this_day
            heading = escape(day_heading(this_day, language)) if this_day else ""
            batch.append(f'<h2 class="day">{heading}</h2>\n' if heading else "<hr>\n")
        batch.append(_item(entry, language, root))
        if len(batch) >= _BATCH:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    batch.append(f"</main>\n{_paging(paging, labels)}{site_footer(site, labels, feeds)}")
    batch.append("</body>\n</html>\n")
    yield "".join(batch).encode("utf-8")


def _feeds(formats: Iterable[str]) -> list[tuple[type[Exporter], str]]:
    """The published formats a page offers to subscribe to (those with a feed label), with
    their labels, in their published order."""
    chosen = sorted(
        (registry.exporter(name) for name in formats if name != layout.INDEX),
        key=lambda cls: cls.published_order,
    )
    return [(cls, cls.feed_label) for cls in chosen if cls.feed_label]


def _section_links(sections: Sequence[tuple[str, str]], root: str) -> str:
    if not sections:
        return ""
    links = " ".join(
        f'<a href="{root}{escape(folder, quote=True)}" dir="auto">{escape(name)}</a>'
        for name, folder in sections
    )
    return f'<nav class="sections">{links}</nav>\n'


def _paging(paging: tuple[str | None, str | None], labels: Messages) -> str:
    newer, older = paging
    links = []
    if newer:
        links.append(f'<a rel="prev" href="{newer}">{labels("newer")}</a>')
    if older:
        links.append(f'<a rel="next" href="{older}">{labels("older")}</a>')
    return f'<nav class="paging">{" ".join(links)}</nav>\n' if links else ""


def _item(entry: IndexEntry, site_language: str, root: str = "") -> str:
    """One story: everything from the article in its own language, its direction found from
    the text itself (``dir="auto"``), and isolated from what surrounds it."""
    href = escape(f"{root}{layout.ARTICLES}/{entry.folder}/", quote=True)
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
