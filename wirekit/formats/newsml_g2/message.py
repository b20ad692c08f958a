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

from collections.abc import Iterable
from typing import Any, ClassVar

from wirekit.audience import SYNDICATION
from wirekit.config import Config
from wirekit.errors import ExportError, UsageError
from wirekit.formats.newsml_g2 import vocab as g2
from wirekit.formats.newsml_g2.writer import (
    CATALOG_REF,
    ItemWriter,
    encode,
    fallback_provider,
    report,
)
from wirekit.model import Article
from wirekit.plugin import Exporter
from wirekit.schema import part_problems
from wirekit.xml import Writer


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

    def export_collection(self, articles: Iterable[Article]) -> bytes:
        out = Writer()
        out.start("newsMessage", {"xmlns": g2.NAR})
        out.start("header")
        sent = out.placeholder()
        out.parts.append(CATALOG_REF)
        sender = out.placeholder()
        out.end("header")
        out.start("itemSet")
        stamps: list[str] = []
        first: Article | None = None
        for article in articles:
            stamp, lost = self.writer.item(out, article, namespace=False)
            report(article, lost, self.name)
            stamps.append(stamp)
            first = first or article
        if first is None:
            raise ExportError("a newsMessage needs at least one article")
        out.end("itemSet")
        out.end("newsMessage")
        helper = Writer()
        helper.leaf("sent", self.settings.get("sent") or max(stamps, key=g2.instant))
        party = first.provider or first.publisher or self.fallback
        name = self.settings.get("sender") or (party.name if party is not None else None)
        if name:
            helper.leaf("sender", name)
        out.fill(sent, helper.parts[0])
        out.fill(sender, "".join(helper.parts[1:]))
        return encode(out)
