"""JSON Feed 1.1 out: the feed for clients that would rather not parse XML.

Items carry the body twice, as ``content_html`` and ``content_text``, since the specification
lets a client pick; dates are RFC 3339 (a date-only publication is 00:00 UTC that day); ``tags``
are the keywords and the subjects' labels (their QCodes when unlabelled), without repeats. A
value the article lacks is left out rather than written as ``null``, as the specification asks.
The output is indented UTF-8 with a final newline, keys in the specification's order; what
installed exporter extensions add (:class:`wirekit.plugin.FeedEntry`) follows as custom objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from wirekit import dates
from wirekit.audience import PUBLIC
from wirekit.config import Config
from wirekit.formats.feeds import common as feeds
from wirekit.formats.feeds import conformance
from wirekit.model import Article, Person
from wirekit.plugin import Exporter

VERSION = "https://jsonfeed.org/version/1.1"
_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE


class JSONFeedExporter(Exporter):
    """Many articles as a JSON Feed."""

    name = "jsonfeed"
    aliases = ("json-feed",)
    description = "JSON Feed 1.1, newest first"
    media_type = "application/feed+json"
    file_extension = ".json"
    standard = "JSON Feed"
    standard_version = "1.1"
    audience = PUBLIC
    collection = True
    published_name = "feed.json"
    published_order = 130
    feed_label = "JSON Feed"
    options = feeds.CHANNEL_OPTIONS

    def __init__(self, config: Config | None = None, /, **options: Any) -> None:
        super().__init__(config, **options)
        self.channel = feeds.channel(self.config, self.settings, self.name, self.tree_file())

    def write_parts(self, articles: Iterable[Article], stream: BinaryIO) -> None:
        chosen = feeds.newest_first(articles, self.channel.limit).articles
        channel = self.channel
        feed = _present(
            {
                "version": VERSION,
                "title": channel.title,
                "home_page_url": channel.link,
                "feed_url": channel.self_link,
                "description": channel.description,
                "language": channel.language,
                "authors": [_author(channel.author)] if channel.author else None,
            }
        )
        feed["items"] = [self._item(article) for article in chosen]
        stream.write(orjson.dumps(feed, option=_OPTIONS))

    def _item(self, article: Article) -> dict[str, Any]:
        tags = [category.label or category.term for category in feeds.categories(article)]
        item = _present(
            {
                "id": article.id,
                "url": feeds.article_link(self.config, article),
                "title": article.headline,
                "content_html": feeds.body_html(article),
                "content_text": feeds.full_text(article),
                "summary": article.summary,
                "image": article.images[0].url if article.images else None,
                "date_published": _date(article.date_published),
                "date_modified": _modified(article),
                "authors": [_author(person) for person in article.authors] or None,
                "tags": list(dict.fromkeys(tags)) or None,
                "language": article.language,
            }
        )
        return {**item, **feeds.extension_members(article)}

    def check(self, path: Path) -> str:
        return conformance.jsonfeed(path)


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _author(person: Person) -> dict[str, Any]:
    return _present({"name": person.name, "url": person.url})


def _modified(article: Article) -> str | None:
    """When the article last changed: modified, or corrected since, so readers refetch it."""
    if article.date_modified is None and not article.corrections:
        return None
    latest = feeds.newest(article)
    return dates.rfc3339(latest) if latest else None


def _date(value: str | None) -> str | None:
    return dates.rfc3339(feeds.moment(value)) if value else None
