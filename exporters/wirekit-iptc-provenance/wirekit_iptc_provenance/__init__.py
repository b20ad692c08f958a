"""A wirekit exporter extension: IPTC's ``digitalSourceType`` (NewsML-G2 2.33) and ``dataMining``
(NewsML-G2 2.34) from an article's ``extensions.iptc``, written where the NewsML-G2 XSD places
them: the first in ``contentMeta``'s administrative metadata, the second at the end of
``rightsInfo``. Both are FlexPropType elements and are written with the NewsCode's ``uri``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from wirekit.errors import LossyConversionWarning
from wirekit.plugin import Element, ExporterExtension

__all__ = ["ProvenanceExtension"]

KEY = "iptc"
DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
DATA_MINING = "http://cv.iptc.org/newscodes/dataminingusage/"
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,63}")


def _uri(value: Any, vocabulary: str, field: str) -> str | None:
    """The NewsCode's URI for a code or for the URI itself; None (with a warning) otherwise."""
    if value is None:
        return None
    if isinstance(value, str) and value.startswith(vocabulary):
        code = value[len(vocabulary) :]
    else:
        code = value if isinstance(value, str) else ""
    if _CODE.fullmatch(code):
        return vocabulary + code
    warnings.warn(
        f"extensions.{KEY}.{field}: {value!r} is no code of {vocabulary}; left out",
        LossyConversionWarning,
        stacklevel=4,
    )
    return None


class ProvenanceExtension(ExporterExtension):
    """IPTC provenance in NewsML-G2: how the content was made, and whether it may be mined."""

    name = "iptc-provenance"

    def newsml_content_meta(self, extensions: Mapping[str, Any]) -> Sequence[Element]:
        data = extensions.get(KEY)
        if not isinstance(data, Mapping):
            return ()
        uri = _uri(data.get("digitalSourceType"), DIGITAL_SOURCE_TYPE, "digitalSourceType")
        return (Element("digitalSourceType", {"uri": uri}),) if uri else ()

    def newsml_rights_info(self, extensions: Mapping[str, Any]) -> Sequence[Element]:
        data = extensions.get(KEY)
        if not isinstance(data, Mapping):
            return ()
        uri = _uri(data.get("dataMining"), DATA_MINING, "dataMining")
        return (Element("dataMining", {"uri": uri}),) if uri else ()
