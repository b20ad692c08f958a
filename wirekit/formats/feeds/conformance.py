"""What ``wirekit check`` asks of the feeds: the required elements of RFC 4287 (Atom), RSS 2.0,
JSON Feed 1.1 and the Google News sitemap, and dates in the syntax each one names.

None of them has an official schema to validate against, so these are the rules a receiver's
validator enforces first (the W3C Feed Validator's errors, Google's sitemap rules).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from wirekit.dates import parse as parse_date
from wirekit.errors import CheckFailed

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
SITEMAP_LIMIT = 1000
"""Google News sitemaps hold at most this many URLs."""


def atom(path: Path) -> str:
    """An Atom feed's required elements (RFC 4287 4.1.1, 4.1.2) and RFC 3339 dates."""
    feed = _xml(path)
    _require(feed.tag == f"{ATOM}feed", "the root is not an Atom <feed>")
    _children(feed, ATOM, ("id", "title", "updated"), "feed")
    entries = feed.findall(f"{ATOM}entry")
    feed_author = feed.find(f"{ATOM}author") is not None
    for number, entry in enumerate(entries, 1):
        where = f"entry {number}"
        _children(entry, ATOM, ("id", "title", "updated"), where)
        _require(
            feed_author or entry.find(f"{ATOM}author") is not None,
            f"{where}: no author, and the feed has none (RFC 4287 4.1.1)",
        )
        _require(
            entry.find(f"{ATOM}content") is not None
            or entry.find(f"{ATOM}link[@rel='alternate']") is not None
            or any(link.get("rel") is None for link in entry.findall(f"{ATOM}link")),
            f"{where}: neither content nor an alternate link (RFC 4287 4.1.2)",
        )
        for name in ("updated", "published"):
            for element in entry.findall(f"{ATOM}{name}"):
                _rfc3339(element.text, f"{where}: {name}")
    if not entries:
        return "Atom with no entries (nothing live to list), required elements present"
    return f"Atom with {len(entries)} entries, required elements present"


def rss(path: Path) -> str:
    """An RSS 2.0 channel's required elements, and RFC 822 item dates."""
    from email.utils import parsedate_to_datetime

    root = _xml(path)
    _require(root.tag == "rss" and root.get("version") == "2.0", "the root is not <rss 2.0>")
    channel = root.find("channel")
    _require(channel is not None, "no <channel>")
    assert channel is not None
    _children(channel, "", ("title", "link", "description"), "channel")
    items = channel.findall("item")
    for number, item in enumerate(items, 1):
        _require(
            item.find("title") is not None or item.find("description") is not None,
            f"item {number}: needs a title or a description",
        )
        for date in item.findall("pubDate"):
            try:
                parsedate_to_datetime(date.text or "")
            except (TypeError, ValueError):
                message = f"item {number}: pubDate {date.text!r} is not RFC 822"
                raise CheckFailed(message) from None
    return f"RSS 2.0 with {len(items)} items, required elements present"


def jsonfeed(path: Path) -> str:
    """A JSON Feed 1.1's required members, and RFC 3339 dates."""
    feed = orjson.loads(path.read_bytes())
    _require(feed.get("version") == JSON_FEED_VERSION, "version is not JSON Feed 1.1")
    _require(isinstance(feed.get("title"), str), "no title")
    _require(isinstance(feed.get("items"), list), "no items array")
    for number, item in enumerate(feed["items"], 1):
        _require(isinstance(item.get("id"), str), f"item {number}: no string id")
        _require(
            "content_html" in item or "content_text" in item,
            f"item {number}: neither content_html nor content_text",
        )
        for name in ("date_published", "date_modified"):
            if name in item:
                _rfc3339(item[name], f"item {number}: {name}")
    return f"JSON Feed 1.1 with {len(feed['items'])} items, required members present"


def news_sitemap(path: Path) -> str:
    """A Google News sitemap's required elements and its size limit."""
    urlset = _xml(path)
    _require(urlset.tag == f"{SITEMAP}urlset", "the root is not a sitemap <urlset>")
    urls = urlset.findall(f"{SITEMAP}url")
    _require(len(urls) <= SITEMAP_LIMIT, "Google News sitemaps hold at most 1,000 URLs")
    for number, url in enumerate(urls, 1):
        where = f"url {number}"
        _children(url, SITEMAP, ("loc",), where)
        news = url.find(f"{NEWS}news")
        _require(news is not None, f"{where}: no news:news")
        assert news is not None
        _children(news, NEWS, ("publication", "publication_date", "title"), where)
        publication = news.find(f"{NEWS}publication")
        assert publication is not None
        _children(publication, NEWS, ("name", "language"), f"{where}: publication")
    return f"news sitemap with {len(urls)} URLs, required elements present"


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _xml(path: Path) -> Any:
    from wirekit.xml import parse

    return parse(path.read_bytes())


def _children(element: Any, namespace: str, names: tuple[str, ...], where: str) -> None:
    for name in names:
        child = element.find(f"{namespace}{name}")
        _require(
            child is not None and bool((child.text or "").strip() or len(child)),
            f"{where}: <{name}> missing or empty",
        )


def _rfc3339(value: str | None, where: str) -> None:
    try:
        parse_date(value or "")
    except ValueError:
        raise CheckFailed(f"{where}: {value!r} is not an RFC 3339 date-time") from None
