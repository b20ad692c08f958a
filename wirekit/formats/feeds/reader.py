"""Syndication feeds in: RSS 0.9x, 1.0 and 2.0 and Atom 1.0 (``feed``), JSON Feed 1.0 and 1.1
(``jsonfeed``). A feed is a collection: every entry becomes one article, in feed order.

XML feeds are read by `feedparser <https://feedparser.readthedocs.io/>`_, the library that has
absorbed two decades of real feeds (every RSS dialect, broken encodings, HTML in titles, a
dozen date formats); writing that again would be a worse copy. It is given the bytes and never a
URL or a file name, so it fetches nothing, and relative links are left as they are
(``resolve_relative_uris=False``). JSON Feed is small and strict JSON, read with the JSON reader
the canonical importer uses.

One entry -> one article:

======================================  ============================================
entry                                   canonical article
======================================  ============================================
``guid`` / Atom ``id`` / JSON ``id``    ``id`` (the link when the id is no IRI)
``link`` / ``url``                      ``url``
``title``                               ``headline`` (HTML titles as their text)
``content:encoded``, Atom ``content``,  ``body`` (HTML read into paragraphs, headings,
``content_html``, ``content_text``      quotes and lists)
``description`` / ``summary``           ``summary``; the body too when there is no content
``pubDate`` / ``published``             ``datePublished``, its offset kept
``updated`` / ``date_modified``         ``dateModified``
``dc:creator`` / ``author(s)``          ``authors`` (each as written)
a ``byline`` element                    ``byline``, when it says more than the names
``category`` / ``tags``                 ``keywords``
``media:content``, ``media:thumbnail``, ``images``
image enclosures, ``image``
``rights`` / ``dc:rights``              ``rights.copyrightNotice``
item, feed or ``xml:lang`` language     ``language``
======================================  ============================================

An entry with only a summary imports with a warning; what an entry holds beyond the table
(comment links, podcast durations, non-image enclosures, producers' own elements) is named in one
warning per feed with how often it occurred, computed as the coverage report computes its
``warned`` lines (:func:`wirekit.coverage.not_carried`). Nothing is dropped in silence.
"""

from __future__ import annotations

import email.utils
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, BinaryIO
from urllib.parse import quote

from wirekit import coverage, xml
from wirekit.config import Config
from wirekit.errors import InputError
from wirekit.formats.canonical.reader import loads
from wirekit.formats.html import blocks as html_blocks
from wirekit.formats.text.reader import derive_headline
from wirekit.plugin import Importer, Record, headline_text, printed_byline, warn, whole_number
from wirekit.schema import accepts

JSON = dict[str, Any]
_XML_FEED = re.compile(rb"<(?:rss|(?:[A-Za-z_][\w.-]*:)?RDF|(?:[A-Za-z_][\w.-]*:)?feed)[\s>/]")
_PLAIN_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*>", re.IGNORECASE)
"""RSS 0.91 declares Netscape's DTD; feedparser drops it. One with an internal subset is refused."""
_ATOM = b"http://www.w3.org/2005/Atom"
_RSS_1 = (b"http://purl.org/rss/1.0/", b"http://my.netscape.com/rdf/simple/0.9/")
"""The namespaces of RSS 1.0 and of RSS 0.90, its RDF ancestor."""
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/1(?:\.1)?"')
_HTML = ("text/html", "application/xhtml+xml", "html", "xhtml")
_MAPPED = frozenset(
    [
        "id",
        "link",
        "title",
        "content",
        "summary",
        "published",
        "updated",
        "author",
        "authors",
        "byline",
        "tags",
        "media_content",
        "media_thumbnail",
        "media_credit",
        "enclosures",
        "rights",
        "language",
    ]
)
_DERIVED = frozenset(["guidislink", "links", "href", "credit", "categories"])
"""What feedparser derives from the mapped elements (or repeats of them): not content."""
_IMAGE_ENCLOSURE = "enclosure of type image"
_JSON_MAPPED = frozenset(
    [
        "id",
        "url",
        "external_url",
        "title",
        "content_html",
        "content_text",
        "summary",
        "date_published",
        "date_modified",
        "author",
        "authors",
        "tags",
        "image",
        "banner_image",
        "attachments",
        "language",
    ]
)


FEED_COVERAGE: dict[str, str] = {
    **dict.fromkeys(_MAPPED - {"enclosures"}, "mapped"),
    _IMAGE_ENCLOSURE: "mapped",
}
"""feedparser's entry key -> ``mapped`` (see :mod:`wirekit.coverage`); what it does not list
(comment links, podcast durations, other enclosures, producers' own elements) is warned."""
JSON_FEED_COVERAGE: dict[str, str] = dict.fromkeys(_JSON_MAPPED, "mapped")
"""JSON Feed item key -> ``mapped``; what it does not list is warned."""


def _entry_paths(entry: Mapping[str, Any]) -> Iterator[str]:
    """An entry's elements as feedparser names them, what it derives from them left out, and
    each enclosure by its type (an image's is read, another's is not)."""
    for key, value in entry.items():
        derived = key in _DERIVED or key.endswith(("_detail", "_parsed"))
        if not derived and key != "enclosures" and value not in (None, "", [], {}):
            yield key
    for enclosure in entry.get("enclosures", []):
        kind = str(enclosure.get("type") or "unknown")
        yield _IMAGE_ENCLOSURE if kind.startswith("image/") else f"enclosure of type {kind}"


def _entries_paths(entries: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """Every entry's elements: what the feed's one warning and its coverage report both
    count."""
    for entry in entries:
        yield from _entry_paths(entry)


def _items_paths(items: Iterable[Any]) -> Iterator[str]:
    """A JSON Feed's items' keys that hold something (an item that is no object has none):
    what the feed's one warning and its coverage report both count."""
    for item in items:
        if isinstance(item, Mapping):
            yield from (key for key, value in item.items() if value not in (None, "", [], {}))


def _text_of(value: str | None, kind: str | None) -> str:
    """An entry's text field as plain text: HTML titles and summaries as their words."""
    if not value:
        return ""
    return html_blocks.plain_text(value) if kind in _HTML else value


def _blocks(value: str, kind: str | None) -> list[JSON]:
    return html_blocks.parse_html(value) if kind in _HTML else html_blocks.parse_plain(value)


def date_time(raw: str | None) -> tuple[str | None, str | None]:
    """(canonical date-time, what was assumed) from an RFC 3339 or RFC 822 date, keeping the
    offset the feed wrote; ``(None, why)`` when it is neither."""
    value = (raw or "").strip()
    if not value:
        return None, None
    if accepts("dateTime", value):
        return value, None
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None
    if parsed is None:
        return None, f"date {value!r} is neither RFC 3339 nor RFC 822; left out"
    assumed = None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
        assumed = f"date {value!r} has no offset; read as UTC"
    written = parsed.isoformat()
    return (
        (written, assumed) if accepts("dateTime", written) else (None, f"date {value!r} left out")
    )


class _Notes:
    """A feed's warnings, grouped: one line per kind of problem with the entries it hit, not
    one line per entry; and one line naming every element no field holds, with its count."""

    def __init__(self) -> None:
        self.places: dict[str, list[str]] = {}

    def add(self, place: str, message: str) -> None:
        places = self.places.setdefault(message, [])
        if place not in places:
            places.append(place)

    def report(self, source: str, paths: Iterable[str], table: Mapping[str, str]) -> None:
        """Say each problem once, then name what of ``paths`` (the feed's coverage paths, as
        its importer's ``coverage_paths`` yields them) ``table`` does not account for: the
        coverage report's ``warned`` lines, computed by :func:`wirekit.coverage.not_carried`."""
        for message, places in self.places.items():
            shown = ", ".join(places[:3]) + (
                f" and {len(places) - 3} more" if len(places) > 3 else ""
            )
            warn(source, f"{shown}: {message}")
        listed = coverage.not_carried(paths, table)
        if listed:
            warn(source, f"not carried (no field in the model): {listed}")


class _Entry:
    """Builds one canonical article from one feed entry, whatever the feed format."""

    def __init__(self, config: Config, notes: _Notes, place: str, language: str | None) -> None:
        self.config = config
        self.notes = notes
        self.place = place
        self.language = language if language and accepts("languageTag", language) else None
        self.out: JSON = {}

    def warn(self, message: str) -> None:
        self.notes.add(self.place, message)

    def article(
        self,
        *,
        ids: tuple[str | None, ...],
        url: str | None,
        title: str,
        body: list[JSON],
        summary: str,
    ) -> JSON:
        config = self.config
        url = url if url and accepts("webUrl", url) else None
        identifier = next((i for i in ids if i and accepts("iri", i)), None) or url
        if identifier is None:
            raw = next((i for i in ids if i), None)
            seed = raw or title or summary or "entry"
            identifier = config.base_iri + quote(seed[:200], safe="")
            self.warn(f"no IRI to identify the entry; the id is {identifier}")
        headline = headline_text(html_blocks.line(title)) if title else None
        summary_text = summary.strip()
        if headline is None:
            lede = summary_text or next((b["text"] for b in body if "text" in b), "")
            headline = headline_text(derive_headline(lede)) if lede else None
            headline = headline or "untitled"
            self.warn("no title; the headline is derived from the text")
        out: JSON = {"id": identifier, "version": 1}
        if url:
            out["url"] = url
        out["headline"] = headline
        if summary_text and body:
            out["summary"] = summary_text
        out["language"] = self.language or config.language
        if not body and summary_text:
            self.warn("only a summary, no full content: the body is the summary")
            body = html_blocks.parse_plain(summary_text)
        if not body:
            self.warn("no content and no summary: the body repeats the headline")
            body = [{"type": "paragraph", "text": headline}]
        out["body"] = body
        self.out = out
        return out

    def dates(self, published: str | None, modified: str | None) -> None:
        for key, raw in (("datePublished", published), ("dateModified", modified)):
            value, assumed = date_time(raw)
            if assumed:
                self.warn(assumed)
            if value and not (key == "dateModified" and value == self.out.get("datePublished")):
                self.out[key] = value

    def people(self, names: list[tuple[str, str | None]], printed: str | None = None) -> None:
        """The authors, and the byline as the feed printed it (a ``byline`` element) when it
        says more than their names; a ``dc:creator`` is kept as an author's name as written,
        so on its own it adds no byline."""
        authors = []
        for name, link in names:
            cleaned = html_blocks.line(name)
            if not cleaned:
                continue
            author: JSON = {"name": cleaned}
            if link and accepts("webUrl", link):
                author["url"] = link
            if author not in authors:
                authors.append(author)
        if authors:
            self.out["authors"] = authors
        byline = printed_byline(html_blocks.line(printed or ""), authors)
        if byline:
            self.out["byline"] = byline

    def keywords(self, words: list[str]) -> None:
        found: list[str] = []
        for word in words:
            cleaned = html_blocks.line(word or "")
            if cleaned and cleaned not in found:
                found.append(cleaned)
        if found:
            self.out["keywords"] = found

    def images(self, candidates: list[JSON]) -> None:
        found: list[JSON] = []
        for candidate in candidates:
            image = {k: v for k, v in candidate.items() if v not in (None, "")}
            if not accepts("webUrl", image.get("url")):
                continue
            image = image if accepts("image", image) else {"url": image["url"]}
            if all(i["url"] != image["url"] for i in found):
                found.append(image)
        if found:
            self.out["images"] = found

    def rights(self, notice: str | None) -> None:
        text = html_blocks.line(_text_of(notice, "text/html")) if notice else ""
        if text:
            self.out["rights"] = {"copyrightNotice": text}
        if self.config.publisher:
            self.out["publisher"] = dict(self.config.publisher)


class FeedImporter(Importer):
    """RSS 0.9x/1.0/2.0 and Atom 1.0 feeds, one article an entry, through feedparser."""

    name = "feed"
    aliases = ("rss", "atom", "syndication")
    description = "RSS 0.9x/1.0/2.0 and Atom 1.0 feeds: one article an entry"
    media_types = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
    file_extensions = (".rss", ".atom", ".xml")

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """An ``rss`` root, or an Atom ``feed`` or RSS 1.0 (or 0.90) ``RDF`` root with its
        namespace: the format's signature."""
        text = xml.head_bytes(head)
        rest = xml.after_prolog(text)
        if not _XML_FEED.match(rest):
            return 0.0
        return float(rest.startswith(b"<rss") or _ATOM in text or any(n in text for n in _RSS_1))

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        parsed = self._parse(stream.read(), source)
        entries = parsed.get("entries") or []
        if not entries:
            raise InputError("the feed has no entries", source=source)
        feed = parsed.get("feed", {})
        language = feed.get("language")
        notes = _Notes()
        for number, entry in enumerate(entries, 1):
            place = f"entry {number}"
            yield Record(self._entry(entry, feed, language, notes, place), place)
        notes.report(source, _entries_paths(entries), FEED_COVERAGE)

    coverage_table = FEED_COVERAGE
    warns_unmapped = True  # one warning a feed names every element no field holds

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """Every entry's elements (see :func:`_entry_paths`)."""
        return _entries_paths(self._parse(data, "").get("entries") or [])

    @staticmethod
    def _parse(data: bytes, source: str) -> Any:
        """feedparser's reading of the bytes, or one line saying why they are no feed."""
        import feedparser

        line = xml.doctype_line(data)
        if line is not None and not _PLAIN_DOCTYPE.match(xml.after_prolog(xml.head_bytes(data))):
            raise InputError(
                "a DOCTYPE that declares entities is refused: they can expand without bound",
                source=source,
                place=f"line {line}",
            )
        try:
            parsed = feedparser.parse(
                io.BytesIO(data), resolve_relative_uris=False, sanitize_html=False
            )
        except (UnicodeError, LookupError) as exc:  # feedparser believes a declared encoding
            reason = " ".join(str(exc).split())
            raise InputError(
                f"not an RSS or Atom feed: cannot decode it: {reason}", source=source
            ) from None
        except (TypeError, ValueError, AttributeError, IndexError, KeyError) as exc:
            # feedparser's own bugs on malformed input (a media:content height with no value
            # raised TypeError under the fuzzer): the file is what is wrong, say so in one line
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())
            raise InputError(
                f"not an RSS or Atom feed: the feed parser gave up: {reason}", source=source
            ) from None
        if not parsed.get("version"):
            problem = parsed.get("bozo_exception")
            why = f": {' '.join(str(problem).split())}" if problem else ""
            raise InputError(f"not an RSS or Atom feed{why}", source=source)
        return parsed

    def _entry(
        self, entry: Any, feed: Any, language: str | None, notes: _Notes, place: str
    ) -> JSON:
        contents = entry.get("content") or []
        content = contents[0] if contents else {}
        builder = _Entry(self.config, notes, place, content.get("language") or language)
        summary_detail = entry.get("summary_detail") or {}
        body_value = content.get("value") or ""
        body = _blocks(body_value, content.get("type")) if body_value.strip() else []
        summary = _text_of(entry.get("summary"), summary_detail.get("type"))
        title_detail = entry.get("title_detail") or {}
        out = builder.article(
            ids=(entry.get("id"),),
            url=entry.get("link"),
            title=_text_of(entry.get("title"), title_detail.get("type")),
            body=body,
            summary=summary,
        )
        builder.dates(entry.get("published"), entry.get("updated"))
        builder.people(
            [(a.get("name") or "", a.get("href")) for a in entry.get("authors") or [] if a],
            entry.get("byline") if isinstance(entry.get("byline"), str) else None,
        )
        builder.keywords([t.get("label") or t.get("term") or "" for t in entry.get("tags") or []])
        credits = [c.get("content") for c in entry.get("media_credit") or [] if c.get("content")]
        images = [
            {
                "url": m.get("url"),
                "mediaType": m.get("type") if accepts("image/mediaType", m.get("type")) else None,
                "width": whole_number(m.get("width"), "image/width"),
                "height": whole_number(m.get("height"), "image/height"),
                "credit": credits[0] if len(credits) == 1 else None,
            }
            for m in entry.get("media_content") or []
            if m.get("medium", "image") == "image"
            and str(m.get("type") or "image/").startswith("image/")
        ]
        images += [{"url": m.get("url")} for m in entry.get("media_thumbnail") or []]
        images += [
            {"url": e.get("href"), "mediaType": e.get("type")}
            for e in entry.get("enclosures") or []
            if str(e.get("type", "")).startswith("image/")
        ]
        builder.images(images)
        builder.rights(entry.get("rights") or feed.get("rights"))
        return out


class JSONFeedImporter(Importer):
    """JSON Feed 1.0 and 1.1: one article an item."""

    name = "jsonfeed"
    aliases = ("json-feed",)
    description = "JSON Feed 1.0 and 1.1: one article an item"
    media_types = ("application/feed+json",)
    file_extensions = (".json",)

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """A JSON Feed version URL as the value of ``version``: a marker only JSON Feed uses."""
        return 0.9 if _JSON_FEED.search(head) else 0.0

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        try:
            document = loads(stream.read())
        except InputError as exc:
            raise exc.located(source) from None
        version = document.get("version") if isinstance(document, Mapping) else None
        if not isinstance(version, str) or not _JSON_FEED.search(f'"version":"{version}"'.encode()):
            found = f"version {version!r}" if version else "no version"
            raise InputError(f"not JSON Feed 1.0 or 1.1 ({found})", source=source)
        items = document.get("items")
        if not isinstance(items, list) or not items:
            raise InputError("the feed has no items", source=source)
        language = document.get("language")
        notes = _Notes()
        for number, item in enumerate(items, 1):
            place = f"item {number}"
            if not isinstance(item, Mapping):
                yield Record(None, place, InputError("an item is not an object", place=place))
                continue
            yield Record(self._item(item, language, notes, place, document), place)
        notes.report(source, _items_paths(items), JSON_FEED_COVERAGE)

    coverage_table = JSON_FEED_COVERAGE
    warns_unmapped = True  # one warning a feed names every key no field holds

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """Every item's keys that hold something (see :func:`_items_paths`)."""
        document = loads(data)
        items = document.get("items") if isinstance(document, Mapping) else None
        return _items_paths(items if isinstance(items, list) else [])

    def _item(
        self,
        item: Mapping[str, Any],
        language: Any,
        notes: _Notes,
        place: str,
        feed: Mapping[str, Any],
    ) -> JSON:
        def string(key: str) -> str:
            value = item.get(key)
            return value if isinstance(value, str) else ""

        builder = _Entry(self.config, notes, place, string("language") or _str(language))
        html = string("content_html")
        text = string("content_text")
        body = _blocks(html, "text/html") if html.strip() else _blocks(text, "text/plain")
        out = builder.article(
            ids=(str(item.get("id") or "") or None, string("external_url") or None),
            url=string("url") or None,
            title=string("title"),
            body=body if (html.strip() or text.strip()) else [],
            summary=string("summary"),
        )
        builder.dates(string("date_published") or None, string("date_modified") or None)
        authors = item.get("authors") or feed.get("authors") or []
        single = item.get("author") or feed.get("author")
        people = [*authors] if isinstance(authors, list) else []
        if isinstance(single, Mapping) and not people:
            people = [single]
        builder.people(
            [
                (_str(p.get("name")), _str(p.get("url")) or None)
                for p in people
                if isinstance(p, Mapping)
            ]
        )
        tags = item.get("tags")
        builder.keywords([t for t in tags if isinstance(t, str)] if isinstance(tags, list) else [])
        images = [{"url": string(key)} for key in ("image", "banner_image") if string(key)]
        for attachment in item.get("attachments") or []:
            if isinstance(attachment, Mapping) and _str(attachment.get("mime_type")).startswith(
                "image/"
            ):
                images.append(
                    {"url": _str(attachment.get("url")), "mediaType": attachment["mime_type"]}
                )
            elif isinstance(attachment, Mapping):
                builder.warn(f"an attachment of type {attachment.get('mime_type')!r} not carried")
        builder.images(images)
        builder.rights(None)
        return out


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
