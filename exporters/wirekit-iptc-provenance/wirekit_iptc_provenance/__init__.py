"""A wirekit exporter extension: IPTC's ``digitalSourceType`` (NewsML-G2 2.33) and ``dataMining``
(NewsML-G2 2.34) from an article's ``extensions.iptc``, in every output that can carry them:

- NewsML-G2, where the XSD places them: the first in ``contentMeta``'s administrative metadata,
  the second at the end of ``rightsInfo``; both FlexPropType elements, written with the
  NewsCode's ``uri``;
- schema.org (JSON-LD and every RDF syntax): ``digitalSourceType`` as the member of schema.org's
  ``IPTCDigitalSourceEnumeration`` named after the IPTC code. schema.org has no data-mining
  property, so ``dataMining`` stays out of it;
- feeds: the same two NAR elements in an Atom entry and an RSS item (extension elements in
  IPTC's namespace), and a ``_iptc`` custom object in a JSON Feed item.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from wirekit.errors import LossyConversionWarning
from wirekit.plugin import Element, ExporterExtension, FeedEntry, JSONLDValue, Link

__all__ = ["ProvenanceExtension"]

KEY = "iptc"
DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
DATA_MINING = "http://cv.iptc.org/newscodes/dataminingusage/"
NAR = "http://iptc.org/std/nar/2006-10-01/"
SCHEMA = "http://schema.org/"
ABOUT = "https://iptc.org/std/NewsML-G2/"
"""What a JSON Feed reader that does not know ``_iptc`` may read about it."""
SCHEMA_ORG_SOURCES = frozenset(
    {
        "algorithmicMedia", "algorithmicallyEnhanced", "composite", "compositeCapture",
        "compositeSynthetic", "compositeWithTrainedAlgorithmicMedia", "dataDrivenMedia",
        "digitalArt", "digitalCapture", "minorHumanEdits", "multiFrameComputationalCapture",
        "negativeFilm", "positiveFilm", "print", "screenCapture", "trainedAlgorithmicMedia",
        "virtualRecording",
    }
)  # fmt: skip
"""The IPTC codes schema.org 30.0 enumerates, each as ``<Code>DigitalSource``: the test checks
this against the official context."""
VOCABULARIES = {"digitalSourceType": DIGITAL_SOURCE_TYPE, "dataMining": DATA_MINING}
"""Each field the extension reads from ``extensions.iptc``, with its NewsCodes vocabulary."""
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,63}")


def _warn(message: str) -> None:
    warnings.warn(LossyConversionWarning(f"extensions.{KEY}.{message}"), stacklevel=4)


def _code(extensions: Mapping[str, Any], field: str) -> str | None:
    """The NewsCode's code the article gives for ``field`` (a code, or its URI); None when it
    gives none, and with a warning when what it gives is no code."""
    data = extensions.get(KEY)
    value = data.get(field) if isinstance(data, Mapping) else None
    if value is None:
        return None
    vocabulary = VOCABULARIES[field]
    code = value.removeprefix(vocabulary) if isinstance(value, str) else ""
    if _CODE.fullmatch(code):
        return code
    _warn(f"{field}: {value!r} is no code of {vocabulary}; left out")
    return None


class ProvenanceExtension(ExporterExtension):
    """IPTC provenance: how the content was made, and whether it may be mined."""

    name = "iptc-provenance"

    def newsml_content_meta(self, extensions: Mapping[str, Any]) -> Sequence[Element]:
        source = _code(extensions, "digitalSourceType")
        return (
            (Element("digitalSourceType", {"uri": DIGITAL_SOURCE_TYPE + source}),) if source else ()
        )

    def newsml_rights_info(self, extensions: Mapping[str, Any]) -> Sequence[Element]:
        mining = _code(extensions, "dataMining")
        return (Element("dataMining", {"uri": DATA_MINING + mining}),) if mining else ()

    def jsonld_properties(self, extensions: Mapping[str, Any]) -> Mapping[str, JSONLDValue]:
        source = _code(extensions, "digitalSourceType")
        if source is None:
            return {}
        if source not in SCHEMA_ORG_SOURCES:
            _warn(f"digitalSourceType: schema.org enumerates no {source!r}; left out of it")
            return {}
        member = f"{SCHEMA}{source[0].upper()}{source[1:]}DigitalSource"
        return {"digitalSourceType": Link(member)}

    def feed_entry(self, extensions: Mapping[str, Any]) -> FeedEntry | None:
        codes = {field: _code(extensions, field) for field in VOCABULARIES}
        uris = {field: VOCABULARIES[field] + code for field, code in codes.items() if code}
        if not uris:
            return None
        elements = [Element(f"{{{NAR}}}{field}", {"uri": uri}) for field, uri in uris.items()]
        return FeedEntry(atom=elements, rss=elements, jsonfeed={"_iptc": {"about": ABOUT, **uris}})
