"""IPTC ninjs 2.2: the same news object as ``ninjs`` (3.1), in 2.x's lower-case spelling.

Receivers built before ninjs 3.0 (2021-2024) read only the 2.x names (``versioncreated``,
``contenttype``, ``embargoed``...); 2.2 is the last of that line. The mapping is the 3.1 exporter's,
respelled by :func:`wirekit.formats.ninjs.vocab.to_v2`, so the two versions cannot drift apart.
"""

from __future__ import annotations

from typing import ClassVar

from wirekit.formats.ninjs import vocab as ninjs
from wirekit.formats.ninjs.writer import JSON, NinjsExporter


class Ninjs2Exporter(NinjsExporter):
    """One article as an IPTC ninjs 2.2 news object."""

    name = "ninjs-2"
    aliases: ClassVar[tuple[str, ...]] = ("ninjs2",)
    description = "IPTC ninjs 2.2 (News in JSON, lower-case 2.x names), one news object per article"
    standard_version = "2.2"
    published_name = None
    negotiation_order = 65  # after 3.1: a client asking for ninjs gets the current version

    @staticmethod
    def spell(built: JSON) -> JSON:
        spelled: JSON = ninjs.to_v2(built)
        return spelled
