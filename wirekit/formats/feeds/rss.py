"""RSS 2.0 out: the feed every reader and aggregator understands, with the usual extensions.

RSS itself has no place for several things a news feed needs, so the established modules fill
in, each declared on the root: Dublin Core (``dc:creator`` for bylines, since RSS's ``author``
must be an e-mail address; ``dc:rights``), ``content:encoded`` for the full body (``description``
holds the summary, or the body when there is none), Media RSS for images and Atom for the
channel's ``rel="self"`` link and an item's licence (RFC 4946).

Decisions:

- ``guid`` is the article's id, with ``isPermaLink="true"`` only when the id is the very address
  of the article's page.
- ``pubDate`` is the article's latest moment (RFC 822, in the newsroom's offset): its first
  publication, or its last update or correction since, so that readers see a changed story as
  changed and refetch it (a ``dc:date`` beside ``pubDate`` would say the same twice, which the
  W3C validator warns about). The ``guid`` stays, so a reader does not show the story twice.
- ``category`` is a subject's label, its code in ``domain``'s scheme when it has no label.
- Images: each one is a ``media:content`` directly in the item, never wrapped in
  ``media:group`` (a group means one thing in several renditions, and the W3C validator rejects
  a group of one); the first is also the item's ``media:thumbnail`` and its one ``enclosure``
  (RSS allows one per item). RSS requires an enclosure's ``length`` in bytes, which the model
  does not know: following the RSS Advisory Board's best practices, an unknown size is written
  as ``length="0"``.
- What installed exporter extensions add (:class:`wirekit.plugin.FeedEntry`) ends the item, in
  their own namespaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from wirekit import dates
from wirekit.audience import PUBLIC
from wirekit.config import Config
from wirekit.errors import UsageError
from wirekit.formats.feeds import common as feeds
from wirekit.formats.feeds import conformance
from wirekit.model import Article, Image
from wirekit.plugin import Exporter

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
_NSMAP: dict[str | None, str] = {"atom": ATOM, "content": CONTENT, "dc": DC, "media": MEDIA}
UNKNOWN_LENGTH = "0"


class RSSExporter(Exporter):
    """Many articles as an RSS 2.0 channel."""

    name = "rss"
    aliases = ("rss2",)
    description = "RSS 2.0 feed with Dublin Core, content:encoded and Media RSS, newest first"
    media_type = "application/rss+xml"
    file_extension = ".xml"
    standard = "RSS (RSS Advisory Board)"
    standard_version = "2.0"
    audience = PUBLIC
    collection = True
    published_name = "rss.xml"
    published_order = 120
    feed_label = "RSS"
    options = feeds.CHANNEL_OPTIONS

    def __init__(self, config: Config | None = None, /, **options: Any) -> None:
        super().__init__(config, **options)
        self.channel = feeds.channel(self.config, self.settings, self.name, self.tree_file())
        if self.channel.link is None:
            raise UsageError(
                "an RSS channel needs a link: set base_url in wirekit.toml or pass -O link=..."
            )
        self.link: str = self.channel.link

    def write_parts(self, articles: Iterable[Article], stream: BinaryIO) -> None:
        chosen = feeds.newest_first(articles, self.channel.limit).articles
        rss = feeds.xml_root("rss", _NSMAP, {"version": "2.0"})
        channel = feeds.xml_add(rss, "channel")
        feeds.xml_add(channel, "title", self.channel.title)
        feeds.xml_add(channel, "link", self.link)
        feeds.xml_add(channel, "description", self.channel.description or self.channel.title)
        feeds.xml_add(channel, "language", self.channel.language)
        newest = feeds.newest(chosen[0]) if chosen else None
        if newest:
            feeds.xml_add(channel, "lastBuildDate", dates.rfc822(newest))
        if self.channel.self_link:
            attrs = {"href": self.channel.self_link, "rel": "self", "type": self.media_type}
            feeds.xml_add(channel, f"{{{ATOM}}}link", attrs=attrs)
        for article in chosen:
            self._item(channel, article)
        stream.write(feeds.xml_bytes(rss))

    def _item(self, channel: Any, article: Article) -> None:
        item = feeds.xml_add(channel, "item")
        feeds.xml_add(item, "title", article.headline)
        link = feeds.article_link(self.config, article)
        if link:
            feeds.xml_add(item, "link", link)
        body = feeds.body_html(article)
        summary = feeds.text_html(article.summary) if article.summary else body
        feeds.xml_add(item, "description", summary)
        feeds.xml_add(item, f"{{{CONTENT}}}encoded", body)
        for author in article.authors:
            feeds.xml_add(item, f"{{{DC}}}creator", author.name)
        for category in feeds.categories(article):
            text = category.label or category.term
            feeds.xml_add(item, "category", text, {"domain": category.scheme})
        permalink = "true" if article.id == link else "false"
        feeds.xml_add(item, "guid", article.id, {"isPermaLink": permalink})
        published = feeds.newest(article)
        if published:
            feeds.xml_add(item, "pubDate", dates.rfc822(published))
        rights = feeds.rights_text(article.rights)
        if rights:
            feeds.xml_add(item, f"{{{DC}}}rights", rights)
        if article.rights and article.rights.license:
            attrs = {"rel": "license", "href": article.rights.license}
            feeds.xml_add(item, f"{{{ATOM}}}link", attrs=attrs)
        if article.images:
            _images(item, article.images)
        feeds.extension_elements(item, article, "rss", "")

    def check(self, path: Path) -> str:
        return conformance.rss(path)


def _images(item: Any, images: Iterable[Image]) -> None:
    first, *_ = images
    media_type = feeds.image_type(first)
    enclosure = {"url": first.url, "length": UNKNOWN_LENGTH, "type": media_type}
    if media_type:  # RSS requires the type too; an image of unknown type gets no enclosure
        feeds.xml_add(item, "enclosure", attrs=enclosure)
    for image in images:
        size = {"width": _number(image.width), "height": _number(image.height)}
        attrs = {"url": image.url, "medium": "image", "type": feeds.image_type(image), **size}
        content = feeds.xml_add(item, f"{{{MEDIA}}}content", attrs=attrs)
        text = feeds.image_text(image)
        if text:
            feeds.xml_add(content, f"{{{MEDIA}}}description", text, {"type": "plain"})
        if image.credit:
            feeds.xml_add(content, f"{{{MEDIA}}}credit", image.credit)
    thumbnail = {"url": first.url, "width": _number(first.width), "height": _number(first.height)}
    feeds.xml_add(item, f"{{{MEDIA}}}thumbnail", attrs=thumbnail)


def _number(value: int | None) -> str | None:
    return None if value is None else str(value)
