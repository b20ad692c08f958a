"""What the feed exporters (``atom``, ``rss``, ``jsonfeed``, ``news-sitemap``) share, written once.

Each feed module knows only its own vocabulary; everything two of them would otherwise both
decide lives here, so the four cannot disagree about it:

- **which articles, in which order**: never a withheld, cancelled or killed story (the caller
  leaves out embargoed ones, judged at its ``now``), newest first by their latest known moment
  (the latest of modified, published and created), ties broken by id. Selection streams the
  input through :func:`heapq.nlargest`, so a feed of the newest N holds N articles in memory
  however long the archive is;
- **feed-level metadata** (title, home page, self address, language) from the options, else the
  config. A required value that neither gives is a :class:`~wirekit.errors.UsageError` naming the
  setting to add, never a made-up title or address;
- **dates**, through :mod:`wirekit.dates` (a date-only value is 00:00 UTC);
- **the article's page** (``url``, else ``<base_url>articles/<slug>/``), its body as HTML, its
  rights as plain text, its subjects and keywords as categories, its images' media types;
- **what exporter extensions add** to an entry (:class:`wirekit.plugin.FeedEntry`): namespaced
  elements in Atom and RSS, custom objects in JSON Feed, and a ``LossyConversionWarning`` where
  an extension cannot serve a feed's syntax;
- **XML hygiene**: every string on its way into an XML tree passes :func:`xml_safe`, the one place
  that drops what XML 1.0 cannot carry (the schema already forbids it; this is the belt to its
  braces).

Corrections and public notes travel in every entry's content, after the body, as the page
shows them (partner and internal notes never do). Otherwise feeds are summaries that link to the
full article, so fields a feed format has no place for (datelines, entities, ``expires``) are
left out without a ``LossyConversionWarning``.
"""

from __future__ import annotations

import heapq
import html
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from wirekit import dates, registry
from wirekit.audience import State, public_state
from wirekit.config import Config
from wirekit.errors import ExportError, LossyConversionWarning, UsageError
from wirekit.formats.html import blocks as html_blocks
from wirekit.model import Article, Concept, Image, Person, Rights

DEFAULT_LIMIT = 100
"""Entries in a feed unless ``limit`` says otherwise: what feed readers poll, not an archive."""

CHANNEL_OPTIONS: Mapping[str, str] = {
    "title": "the feed's title (default: the configured publisher's name)",
    "link": "the site's home page (default: base_url, else the publisher's url)",
    "self": "the address the feed itself is published at, its rel=self link (default: base_url "
    "and the feed's file in a published tree)",
    "feed_url": "the same as self",
    "description": "one sentence about the feed",
    "language": "the feed's language, BCP 47 (default: the configured language)",
    "limit": f"keep only the newest N articles (default {DEFAULT_LIMIT})",
}

# Everything XML 1.0 cannot carry: C0 controls but tab, newline and carriage return; surrogates;
# U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_IMAGE_TYPES = {
    "avif": "image/avif",
    "gif": "image/gif",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "svg": "image/svg+xml",
    "webp": "image/webp",
}
"""A fixed table rather than :mod:`mimetypes`, whose answers depend on the machine's files."""


# --- options ---------------------------------------------------------------------------------


def text_option(settings: Mapping[str, Any], name: str) -> str | None:
    """An option's value as a string; absent or empty means not given."""
    value = settings.get(name)
    return None if value is None or value == "" else str(value)


def int_option(settings: Mapping[str, Any], name: str) -> int | None:
    """A positive whole number given as ``-O name=N`` (a string) or from Python (an int)."""
    value = text_option(settings, name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise UsageError(f"option {name} must be a whole number of at least 1, not {value!r}")
    return number


def time_option(settings: Mapping[str, Any], name: str) -> datetime | None:
    """An RFC 3339 date-time (or a date, meaning 00:00 UTC) given as an option."""
    value = text_option(settings, name)
    if value is None:
        return None
    try:
        return dates.parse(value)
    except ValueError as exc:
        raise UsageError(f"option {name}: {exc}") from None


# --- feed-level metadata ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Channel:
    """A feed's own metadata, resolved once per exporter instance from options and config."""

    title: str
    link: str | None
    """The site's home page: Atom's alternate link, RSS's channel link, JSON Feed's home page."""
    self_link: str | None
    description: str | None
    language: str
    author: Person | None
    """The publisher, credited as the feed's author where the format has one."""
    limit: int


def channel(config: Config, settings: Mapping[str, Any], feed: str, tree_file: str) -> Channel:
    """The feed metadata; raises :class:`UsageError` when no title can be found. The feed's own
    address (``rel="self"``, which feed validators want) is the ``self`` option, else where the
    feed sits in a published tree (``tree_file``) under ``base_url``."""
    publisher = config.publisher or {}
    author = Person(name=publisher["name"], url=publisher.get("url")) if publisher else None
    title = text_option(settings, "title") or (author.name if author else None)
    if title is None:
        raise UsageError(
            f"the {feed} feed needs a title: set [publisher] name in wirekit.toml "
            "or pass -O title=..."
        )
    return Channel(
        title=title,
        link=text_option(settings, "link") or config.base_url or publisher.get("url"),
        self_link=text_option(settings, "self")
        or text_option(settings, "feed_url")
        or (f"{config.base_url.rstrip('/')}/{tree_file}" if config.base_url else None),
        description=text_option(settings, "description"),
        language=text_option(settings, "language") or config.language,
        author=author,
        limit=int_option(settings, "limit") or DEFAULT_LIMIT,
    )


# --- which articles, in which order ----------------------------------------------------------


def public(article: Article) -> bool:
    """Whether an article may appear in a public feed at all: never a withheld, cancelled or
    killed story (:func:`wirekit.audience.public_state`). An embargo depends on the moment,
    which the command judges: publishing hands the feeds live articles only."""
    return public_state(article, None) is State.LIVE


def moment(value: str) -> datetime:
    """A model date as an aware datetime; an unreadable one is an :class:`ExportError`."""
    try:
        return dates.parse(value)
    except ValueError as exc:
        raise ExportError(str(exc)) from None


def newest(article: Article) -> datetime | None:
    """The article's latest known moment: the latest of modified, published and created, and
    of its corrections' dates, since a correction changes what readers see (feed readers
    refetch an entry whose time moves)."""
    try:
        value = article.newest_date
        corrected = dates.latest(*(c.date for c in article.corrections))
    except ValueError as exc:  # the model compares its dates as instants, so it parses them
        raise ExportError(str(exc)) from None
    times = [moment(v) for v in (value, corrected) if v is not None]
    return max(times, default=None)


def updated_key(article: Article) -> tuple[bool, datetime, str]:
    """Sort key: dated before undated, then the latest known moment, then the id."""
    latest = newest(article)
    return (False, _EARLIEST, article.id) if latest is None else (True, latest, article.id)


@dataclass(frozen=True, slots=True)
class Selection:
    """The articles a feed shows, newest first, and how many usable articles were offered."""

    articles: list[Article]
    total: int


def newest_first(
    articles: Iterable[Article],
    limit: int,
    key: Callable[[Article], Any] = updated_key,
) -> Selection:
    """The ``limit`` newest usable articles by ``key``, newest first.

    The input is consumed once and never materialised: :func:`heapq.nlargest` keeps ``limit``
    articles at most, so a feed of 100 costs the same memory for an archive of a million.
    """
    seen = 0

    def usable() -> Iterator[Article]:
        nonlocal seen
        for article in articles:
            if public(article):
                seen += 1
                yield article

    chosen = heapq.nlargest(limit, usable(), key=key)
    return Selection(chosen, seen)


# --- an article's parts, as feeds show them ---------------------------------------------------


def article_link(config: Config, article: Article) -> str | None:
    """The address of the article's HTML page: its own ``url``, else where publishing puts it."""
    if article.url:
        return article.url
    return config.article_url(article.slug) if article.slug else None


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def body_html(article: Article) -> str:
    """The body as an HTML fragment (the same markup as the article page), after a media
    item's picture, video or audio, then its corrections and its public notes, so that a
    reader of the feed sees what was corrected and what the editors told the public, as on the
    page (the editorial rules, #14)."""
    from wirekit.formats.html.page import corrections_section, public_notes

    media = html_blocks.media_html(article).rstrip("\n")
    body = html_blocks.render_html(article.body)
    return media + body + corrections_section(article) + public_notes(article)


def full_text(article: Article) -> str:
    """The body, then the corrections, then the public notes, as plain text separated by
    blank lines, for formats that carry text (as :func:`body_html` does for HTML)."""
    lines = [f"{c.date}: {c.text}" if c.date else c.text for c in article.corrections]
    return "\n\n".join(p for p in (article.text, *lines, *article.notes_for("public")) if p)


def text_html(text: str) -> str:
    """Plain text made safe to stand where a format expects HTML (RSS's description)."""
    return _escape(text)


def rights_text(rights: Rights | None) -> str | None:
    """The rights as plain text: the notice (else ``© year holder``), then the usage terms."""
    if rights is None:
        return None
    parts = []
    if rights.copyright_notice:
        parts.append(rights.copyright_notice)
    elif rights.copyright_holder or rights.copyright_year:
        holder = rights.copyright_holder.name if rights.copyright_holder else None
        year = str(rights.copyright_year) if rights.copyright_year else None
        parts.append(" ".join(part for part in ("©", year, holder) if part))
    if rights.usage_terms:
        parts.append(rights.usage_terms)
    return "\n".join(parts) or None


@dataclass(frozen=True, slots=True)
class Category:
    """A subject (term: its QCode) or a keyword (term: the word), as feeds categorise."""

    term: str
    scheme: str | None = None
    """The vocabulary's IRI, when the concept's own IRI shows it."""
    label: str | None = None


def _scheme_iri(concept: Concept) -> str | None:
    """``http://cv.iptc.org/newscodes/mediatopic/`` for a concept whose IRI ends in its code."""
    uri, code = concept.uri, concept.code
    if uri and len(uri) > len(code) and uri.endswith(code) and uri[-len(code) - 1] in "/#:=":
        return uri[: -len(code)]
    return None


def categories(article: Article) -> list[Category]:
    """Subjects first (by QCode, with their scheme and label), then keywords."""
    found = [Category(c.qcode, _scheme_iri(c), c.label) for c in article.subjects]
    found.extend(Category(keyword) for keyword in article.keywords)
    return found


def image_type(image: Image) -> str | None:
    """The image's media type: declared, else guessed from the URL's extension."""
    if image.media_type:
        return image.media_type
    path = image.url.split("?", 1)[0].split("#", 1)[0]
    extension = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return _IMAGE_TYPES.get(extension)


def image_text(image: Image) -> str | None:
    """What to say about an image where a format has one field: its caption, else its alt text."""
    return image.caption or image.alt_text


# --- exporter extensions ---------------------------------------------------------------------

_CUSTOM_KEY = re.compile(r"_[A-Za-z]")
"""How JSON Feed 1.1 names an extension's custom object: an underscore, then a letter."""


def _extension_parts(
    article: Article, syntax: Literal["atom", "rss", "jsonfeed"]
) -> Iterator[tuple[str, Any]]:
    """(extension name, what it gives ``syntax``) for each installed exporter extension with
    something for the article's entry; one that cannot serve ``syntax`` is a warning."""
    for extension, entry in registry.contributions(article, lambda e, data: e.feed_entry(data)):
        if entry is None:
            continue
        part = getattr(entry, syntax)
        if part is None:
            warnings.warn(
                LossyConversionWarning(
                    f"{article.id}: the exporter extension {extension.name} adds to feed "
                    f"entries but cannot serve {syntax}; what it adds is left out there"
                ),
                stacklevel=3,
            )
            continue
        yield extension.name, part


def extension_elements(
    parent: Any, article: Article, syntax: Literal["atom", "rss"], core: str
) -> None:
    """Append what exporter extensions add to an Atom ``entry`` or RSS ``item``: elements in
    namespaces of their own, never in none nor in the feed's ``core`` namespace, where they
    would break the feed's own vocabulary."""
    for name, elements in _extension_parts(article, syntax):
        for element in elements:
            namespace = element.tag[1:].partition("}")[0] if element.tag[:1] == "{" else ""
            if namespace in ("", core):
                raise ExportError(
                    f"the exporter extension {name} gives the {syntax} entry <{element.tag}>, "
                    "which is in no namespace of its own",
                    place="/extensions",
                )
            xml_add(parent, element.tag, element.text, element.attributes)


def extension_members(article: Article) -> dict[str, Any]:
    """What exporter extensions add to a JSON Feed item: custom objects, named as JSON Feed 1.1
    asks (``_`` and a letter first), each given by one extension only."""
    members: dict[str, Any] = {}
    for name, given in _extension_parts(article, "jsonfeed"):
        for key, value in given.items():
            if not (_CUSTOM_KEY.match(key) and isinstance(value, Mapping)) or key in members:
                raise ExportError(
                    f"the exporter extension {name} gives the JSON Feed item {key!r}: JSON "
                    "Feed 1.1 takes custom objects, each named with _ and a letter first, once",
                    place="/extensions",
                )
            members[key] = dict(value)
    return members


# --- XML -------------------------------------------------------------------------------------


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (lxml would refuse them)."""
    return _NOT_XML.sub("", text)


def xml_root(
    tag: str, nsmap: Mapping[str | None, str], attrs: Mapping[str, str] | None = None
) -> Any:
    """A new document element declaring ``nsmap``: every namespace the document uses."""
    from lxml import etree

    return etree.Element(tag, {k: xml_safe(v) for k, v in (attrs or {}).items()}, nsmap=nsmap)


def xml_add(
    parent: Any,
    tag: str,
    text: str | None = None,
    attrs: Mapping[str, str | None] | None = None,
) -> Any:
    """Append a child element; ``None`` attributes are left out, all text is made XML-safe."""
    from lxml import etree

    clean = {k: xml_safe(v) for k, v in (attrs or {}).items() if v is not None}
    child = etree.SubElement(parent, tag, clean)
    if text is not None:
        child.text = xml_safe(text)
    return child


def xml_bytes(root: Any) -> bytes:
    """The document as UTF-8 with an XML declaration, indented, ending in a newline."""
    from lxml import etree

    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
