"""Atom out (RFC 4287): the feed standard with real dates, ids and rights, newest entries first.

Each entry carries the article's id, headline, authors and contributors, published and updated
times, subjects and keywords as categories, summary, the body as escaped HTML content, rights
(with the licence as a ``rel="license"`` link, RFC 4946), a ``rel="alternate"`` link to the HTML
page and each image as a ``rel="enclosure"`` link, then what installed exporter extensions add
(:class:`wirekit.plugin.FeedEntry`), in their own namespaces. The model knows no image's size
in bytes, so enclosure links carry no ``length``: RFC 4287 makes it advisory, and a made-up
number would be worse than none.

Atom requires an ``updated`` time on the feed and on every entry. The feed's is the newest
article's latest moment; an entry without any date of its own takes the feed's, the latest moment
the feed can vouch for. With no dated article at all (say the last story was withdrawn) the feed's
time is the ``updated`` option, the moment the caller draws it (publishing passes its ``now``), so
a feed with nothing left to list is still a valid, empty feed; without that option there is
nothing true to write, and the export fails instead of reading the clock.

Long archives page with RFC 5005: ``-O page_size=50 -O page=2 -O page_url=...{page}...`` writes
page 2 with ``first``, ``previous``, ``next`` and ``last`` links. Page 1 is the subscription
document, at ``feed_url`` when given. Every page is drawn from one pass over the articles, keeping
``page * page_size`` of them at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from wirekit import dates
from wirekit.audience import PUBLIC
from wirekit.config import Config
from wirekit.errors import ExportError, UsageError
from wirekit.formats.feeds import common as feeds
from wirekit.formats.feeds import conformance
from wirekit.model import Article, Person
from wirekit.plugin import Exporter

ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NSMAP: dict[str | None, str] = {None: ATOM}


def _q(name: str) -> str:
    return f"{{{ATOM}}}{name}"


@dataclass(frozen=True, slots=True)
class _Paging:
    """RFC 5005 paging: which page, how long, and the address template of every page."""

    size: int
    page: int
    url: str
    first_url: str

    def address(self, page: int) -> str:
        return self.first_url if page == 1 else self.url.replace("{page}", str(page))


class AtomExporter(Exporter):
    """Many articles as an Atom 1.0 feed."""

    name = "atom"
    aliases = ("atom1",)
    description = "Atom 1.0 feed (RFC 4287), newest first, optionally paged (RFC 5005)"
    media_type = "application/atom+xml"
    file_extension = ".xml"
    standard = "Atom Syndication Format (IETF RFC 4287)"
    standard_version = "1.0"
    audience = PUBLIC
    collection = True
    published_name = "atom.xml"
    published_order = 110
    feed_label = "Atom"
    options: ClassVar[Mapping[str, str]] = {
        **feeds.CHANNEL_OPTIONS,
        "id": "the feed's permanent IRI (default: its link, else its feed_url)",
        "updated": "the feed's updated time when no article gives one, RFC 3339 (the moment "
        "it is drawn)",
        "page_size": "entries per page, to page a long archive (RFC 5005)",
        "page": "which page to write, from 1 (with page_size)",
        "page_url": "the address of every page, with {page} for its number (with page_size)",
    }

    def __init__(self, config: Config | None = None, /, **options: Any) -> None:
        super().__init__(config, **options)
        self.channel = feeds.channel(self.config, self.settings, self.name, self.tree_file())
        feed_id = feeds.text_option(self.settings, "id") or self.channel.link
        feed_id = feed_id or self.channel.self_link
        if feed_id is None:
            raise UsageError(
                "the atom feed needs a permanent id: set base_url in wirekit.toml "
                "or pass -O id=... (or -O link=...)"
            )
        self.feed_id = feed_id
        self.paging = self._paging()
        self.updated = feeds.time_option(self.settings, "updated")

    def _paging(self) -> _Paging | None:
        size = feeds.int_option(self.settings, "page_size")
        page = feeds.int_option(self.settings, "page")
        url = feeds.text_option(self.settings, "page_url")
        if size is None:
            if page is not None or url is not None:
                raise UsageError("options page and page_url need page_size")
            return None
        if "limit" in self.settings:
            raise UsageError("give either limit or page_size: pages cover the whole archive")
        if url is None or "{page}" not in url:
            raise UsageError("page_size needs page_url, an address with {page} for the number")
        first = self.channel.self_link or url.replace("{page}", "1")
        return _Paging(size, page or 1, url, first)

    def write_parts(self, articles: Iterable[Article], stream: BinaryIO) -> None:
        paging = self.paging
        keep = paging.size * paging.page if paging else self.channel.limit
        chosen = feeds.newest_first(articles, keep)
        updated = feeds.newest(chosen.articles[0]) if chosen.articles else None
        updated = updated or self.updated
        if updated is None:
            raise ExportError(
                "an Atom feed needs an updated time, and no usable article carries a date"
            )
        feed = self._feed(updated)
        entries: Sequence[Article] = chosen.articles
        if paging:
            entries = chosen.articles[(paging.page - 1) * paging.size :]
            self._page_links(feed, paging, chosen.total)
        for article in entries:
            self._entry(feed, article, updated)
        stream.write(feeds.xml_bytes(feed))

    def _feed(self, updated: datetime) -> Any:
        channel = self.channel
        feed = feeds.xml_root(_q("feed"), _NSMAP, {_XML_LANG: channel.language})
        feeds.xml_add(feed, _q("id"), self.feed_id)
        feeds.xml_add(feed, _q("title"), channel.title)
        if channel.description:
            feeds.xml_add(feed, _q("subtitle"), channel.description)
        feeds.xml_add(feed, _q("updated"), dates.rfc3339(updated))
        if channel.link:
            _link(feed, "alternate", channel.link, "text/html")
        self_link = self.paging.address(self.paging.page) if self.paging else channel.self_link
        if self_link:
            _link(feed, "self", self_link, self.media_type)
        if channel.author:
            _person(feed, "author", channel.author)
        else:  # every entry needs an author; the feed's covers those without their own
            feeds.xml_add(feeds.xml_add(feed, _q("author")), _q("name"), channel.title)
        return feed

    def _page_links(self, feed: Any, paging: _Paging, total: int) -> None:
        last = max(1, -(-total // paging.size))
        if paging.page > last:
            raise UsageError(f"page {paging.page} is past the last page ({last})")
        _link(feed, "first", paging.address(1), self.media_type)
        if paging.page > 1:
            _link(feed, "previous", paging.address(paging.page - 1), self.media_type)
        if paging.page < last:
            _link(feed, "next", paging.address(paging.page + 1), self.media_type)
        _link(feed, "last", paging.address(last), self.media_type)

    def _entry(self, feed: Any, article: Article, feed_updated: datetime) -> None:
        entry = feeds.xml_add(feed, _q("entry"), attrs={_XML_LANG: article.language})
        feeds.xml_add(entry, _q("id"), article.id)
        feeds.xml_add(entry, _q("title"), article.headline)
        updated = feeds.newest(article) or feed_updated
        feeds.xml_add(entry, _q("updated"), dates.rfc3339(updated))
        if article.date_published:
            published = dates.rfc3339(feeds.moment(article.date_published))
            feeds.xml_add(entry, _q("published"), published)
        for author in article.authors:
            _person(entry, "author", author)
        for contributor in article.contributors:
            _person(entry, "contributor", contributor)
        for category in feeds.categories(article):
            attrs = {"term": category.term, "scheme": category.scheme, "label": category.label}
            feeds.xml_add(entry, _q("category"), attrs=attrs)
        if article.summary:
            feeds.xml_add(entry, _q("summary"), article.summary)
        feeds.xml_add(entry, _q("content"), feeds.body_html(article), {"type": "html"})
        rights = feeds.rights_text(article.rights)
        if rights:
            feeds.xml_add(entry, _q("rights"), rights)
        link = feeds.article_link(self.config, article)
        if link:
            _link(entry, "alternate", link, "text/html")
        if article.rights and article.rights.license:
            _link(entry, "license", article.rights.license, None)
        for image in article.images:
            attrs = {"rel": "enclosure", "href": image.url, "type": feeds.image_type(image)}
            feeds.xml_add(entry, _q("link"), attrs={**attrs, "title": feeds.image_text(image)})
        feeds.extension_elements(entry, article, "atom", ATOM)

    def check(self, path: Path) -> str:
        return conformance.atom(path)


def _link(parent: Any, rel: str, href: str, media_type: str | None) -> None:
    feeds.xml_add(parent, _q("link"), attrs={"rel": rel, "href": href, "type": media_type})


def _person(parent: Any, role: str, person: Person) -> None:
    if person.name is None:
        return  # known only by a system id (a login): a public feed names no one by it
    element = feeds.xml_add(parent, _q(role))
    feeds.xml_add(element, _q("name"), person.name)
    if person.url:
        feeds.xml_add(element, _q("uri"), person.url)
