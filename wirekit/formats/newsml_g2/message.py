"""IPTC NewsML-G2 2.35 ``newsMessage``: many articles as one syndication envelope.

The ``header`` says when the message was sent and by whom; the ``itemSet`` holds one
``newsItem`` per article, written by the very :class:`~wirekit.formats.newsml_g2.writer.ItemWriter`
the single-item exporter uses, so an item inside a message is the same as on its own.

Writers read no clock: ``sent`` is the newest ``versionCreated`` among the items (the moment
the newest of them was made, so the same articles always give the same bytes) unless the
``sent`` option sets it. ``sender`` is the first article's provider (else its publisher, else
the configured provider) unless the ``sender`` option names one.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, NamedTuple

from wirekit.audience import SYNDICATION
from wirekit.config import Config
from wirekit.errors import ExportError, UsageError
from wirekit.formats.newsml_g2 import vocab as g2
from wirekit.formats.newsml_g2.writer import (
    CATALOG_REF,
    ItemWriter,
    check,
    encode,
    fallback_provider,
    report,
)
from wirekit.model import Article, Organization
from wirekit.plugin import Exporter
from wirekit.schema import part_problems
from wirekit.xml import Writer

_SPOOL_IN_MEMORY = 8 << 20
"""Bytes of items a message keeps in memory before its spool moves to a temporary file."""


class NewsMLG2MessageExporter(Exporter):
    """Many articles as one NewsML-G2 2.35 ``newsMessage``."""

    name = "newsml-g2-message"
    aliases = ("newsmessage", "g2-message")
    description = "IPTC NewsML-G2 newsMessage: a header and one newsItem per article"
    media_type = g2.MESSAGE_MEDIA_TYPE
    file_extension = ".xml"
    standard = "IPTC NewsML-G2"
    standard_version = g2.STANDARD_VERSION
    audience = SYNDICATION
    collection = True
    published_name = "newsmessage.xml"
    published_order = 150
    options: ClassVar[dict[str, str]] = {
        "sent": "when the message is sent, RFC 3339 with an offset (default: the newest item's "
        "versionCreated)",
        "sender": "who sends it (default: the first article's provider or publisher)",
    }

    def __init__(self, config: Config | None = None, **options: Any) -> None:
        super().__init__(config, **options)
        sent = self.settings.get("sent")
        if sent is not None and (
            part_problems("dateTime", sent) or g2.date_time(sent).value != sent
        ):
            raise UsageError(
                f"{self.name}: sent must be an RFC 3339 date-time with an offset within ±14:00 "
                f"(such as 2025-07-30T09:15:00Z), not {sent!r}"
            )
        self.fallback = fallback_provider(self.config)
        self.writer = ItemWriter(self.fallback)

    def check(self, path: Path) -> str:
        return check(path, self.config)

    def part(self, article: Article) -> _Item:
        """The article's ``newsItem``, with what the header needs of it: the item's
        ``versionCreated`` and the party that may send it."""
        out = Writer()
        stamp, lost = self.writer.item(out, article, namespace=False)
        report(article, lost, self.name)
        return _Item(
            encode(out, first=False, last=False), stamp, article.provider or article.publisher
        )

    def write_parts(self, parts: Iterable[_Item], stream: BinaryIO) -> None:
        """The header needs the newest item's time and the first item's sender, so the items go
        to a spool first (in memory while small, a temporary file beyond that), then the header
        and the spooled items are written out: memory stays flat however long the message."""
        latest: str | None = None
        first: _Item | None = None
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as items:
            for item in parts:
                if latest is None or g2.instant(item.stamp) > g2.instant(latest):
                    latest = item.stamp
                first = first or item
                items.write(item.data)
            if first is None or latest is None:
                raise ExportError("a newsMessage needs at least one article")
            head = Writer()
            head.start("newsMessage", {"xmlns": g2.NAR})
            head.start("header")
            head.leaf("sent", self.settings.get("sent") or latest)
            head.parts.append(CATALOG_REF)
            party = first.party or self.fallback
            name = self.settings.get("sender") or (party.name if party is not None else None)
            if name:
                head.leaf("sender", name)
            head.end("header")
            head.start("itemSet")
            stream.write(encode(head, last=False))
            items.seek(0)
            shutil.copyfileobj(items, stream)
        stream.write(b"</itemSet></newsMessage>\n")


class _Item(NamedTuple):
    """An article's part of a newsMessage (see :meth:`NewsMLG2MessageExporter.part`)."""

    data: bytes
    """The ``newsItem`` element, as it goes into the ``itemSet``."""
    stamp: str
    """Its ``versionCreated``: the newest of them is when the message is sent."""
    party: Organization | None
    """Its provider, else its publisher: the first item's sends the message."""
