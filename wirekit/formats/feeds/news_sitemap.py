"""The Google News sitemap out: what search engines crawl first for fresh news.

Google reads a news sitemap as "the articles published in the last two days", at most 1,000 of
them. An exporter cannot read the clock, so "now" is the option ``now`` when given (publishing
passes its ``--now``), else the newest article's publication: the sitemap then lists the
articles published in the two days up to and including that moment. With ``now``, articles dated
after it are not yet published and are left out.

Each ``<url>`` has the page address, ``news:publication`` (the name: option ``name``, else the
configured publisher, else the article's own; the language as Google spells it), the publication
date exactly as the article gives it (a bare date is valid W3C date-time) and the headline. An
article that has no page address, publication date or publisher name cannot be listed: one
``LossyConversionWarning`` counts them, as does one for articles beyond the 1,000.

A news sitemap is an index of pages, not of their text: no body, summary, correction or note
goes into it, by the format's design, and none is warned about; crawlers read them on the page
it lists, which shows the corrections and the public notes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from wirekit.audience import PUBLIC
from wirekit.config import Config
from wirekit.errors import LossyConversionWarning
from wirekit.formats.feeds import common as feeds
from wirekit.formats.feeds import conformance
from wirekit.model import Article
from wirekit.plugin import Exporter

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
_NSMAP: dict[str | None, str] = {None: SITEMAP, "news": NEWS}
WINDOW = timedelta(days=2)
MAX_URLS = 1000
"""Google's limit for one news sitemap."""


def _s(name: str) -> str:
    return f"{{{SITEMAP}}}{name}"


def _n(name: str) -> str:
    return f"{{{NEWS}}}{name}"


def google_language(tag: str) -> str:
    """Google News wants an ISO 639 code, except ``zh-cn`` and ``zh-tw`` for Chinese scripts."""
    primary, *rest = tag.lower().split("-")
    if primary != "zh":
        return primary
    traditional = {"hant", "tw", "hk", "mo"}
    return "zh-tw" if traditional & set(rest) else "zh-cn"


def _published_key(article: Article) -> tuple[datetime, str]:
    assert article.date_published is not None
    return (feeds.moment(article.date_published), article.id)


class NewsSitemapExporter(Exporter):
    """Many articles as a Google News sitemap."""

    name = "news-sitemap"
    aliases = ("google-news-sitemap",)
    description = "Google News sitemap: the articles of the last two days, at most 1,000"
    media_type = "application/xml"
    file_extension = ".xml"
    standard = "Sitemaps protocol with the Google News extension"
    standard_version = "0.9"
    audience = PUBLIC
    collection = True
    published_name = "news-sitemap.xml"
    published_order = 140
    options: ClassVar[Mapping[str, str]] = {
        "now": "the moment the window ends, RFC 3339 (default: the newest publication)",
        "name": "the publication's name as Google News knows it (default: the publisher's)",
    }

    def __init__(self, config: Config | None = None, /, **options: Any) -> None:
        super().__init__(config, **options)
        self.now = feeds.time_option(self.settings, "now")
        self.name_option = feeds.text_option(self.settings, "name")

    def _name(self, article: Article) -> str | None:
        """The publication's name: the option, else the configured publisher, else the
        article's own publisher."""
        if self.name_option:
            return self.name_option
        if self.config.publisher:
            return str(self.config.publisher["name"])
        return article.publisher.name if article.publisher else None

    def write_parts(self, articles: Iterable[Article], stream: BinaryIO) -> None:
        unlisted = 0

        def listable() -> Iterator[Article]:
            nonlocal unlisted
            for article in articles:
                if not feeds.public(article):
                    continue
                link = feeds.article_link(self.config, article)
                if not (link and article.date_published and self._name(article)):
                    unlisted += 1
                elif self.now is None or _published_key(article)[0] <= self.now:
                    yield article

        # one more than the limit, to know whether the window held more than Google takes
        chosen = feeds.newest_first(listable(), MAX_URLS + 1, _published_key).articles
        if unlisted:
            warnings.warn(
                f"news-sitemap: {unlisted} article(s) without a page address, publication date "
                "or publisher name left out",
                LossyConversionWarning,
                stacklevel=2,
            )
        end = self.now or (_published_key(chosen[0])[0] if chosen else None)
        start = None if end is None else _window_start(end)
        shown = [a for a in chosen if start is not None and _published_key(a)[0] >= start]
        if len(shown) > MAX_URLS:
            warnings.warn(
                f"news-sitemap: more than {MAX_URLS:,} articles in the window; "
                f"listed the newest {MAX_URLS:,}",
                LossyConversionWarning,
                stacklevel=2,
            )
        urlset = feeds.xml_root(_s("urlset"), _NSMAP)
        for article in shown[:MAX_URLS]:
            self._url(urlset, article)
        stream.write(feeds.xml_bytes(urlset))

    def _url(self, urlset: Any, article: Article) -> None:
        """One listed article; :meth:`write_parts` made sure each value is there."""
        url = feeds.xml_add(urlset, _s("url"))
        feeds.xml_add(url, _s("loc"), feeds.article_link(self.config, article))
        news = feeds.xml_add(url, _n("news"))
        publication = feeds.xml_add(news, _n("publication"))
        feeds.xml_add(publication, _n("name"), self._name(article))
        feeds.xml_add(publication, _n("language"), google_language(article.language))
        feeds.xml_add(news, _n("publication_date"), article.date_published)
        feeds.xml_add(news, _n("title"), article.headline)

    def check(self, path: Path) -> str:
        return conformance.news_sitemap(path)


def _window_start(end: datetime) -> datetime:
    """Two days before ``end``; the first instant Python can hold when that is earlier."""
    try:
        return end - WINDOW
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC)
