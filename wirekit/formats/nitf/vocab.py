"""What the NITF importer and exporter share: the namespace, the XSD, and NITF's dates.

NITF 3.x (3.2 to 3.6) comes in two shapes: the 3.5/3.6 XSD puts every element in the namespace
:data:`NS`, while most archives (and the DTD versions 3.0-3.4) use no namespace at all. The
importer reads both by local name; the exporter writes 3.6 in the namespace, so that its output
validates against the NITF 3.6 XSD of the official specifications (``wirekit specs``).

Dates (the ``norm`` attribute of ``date.issue``, ``date.release``, ``date.expire`` and
``story.date``) are ISO 8601 in its basic form, ``20250730T091500+0330``; real files also send the
extended form, a space for the ``T``, ``+0000`` and no offset at all, and placeholders such as
``YYYYMMDD000000-HHMM``. :func:`read_date` takes all of them; :func:`write_date` writes the basic
form, which reads back to the same canonical value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirekit.errors import Problem

NS = "http://iptc.org/std/NITF/2006-10-18/"
VERSION = "-//IPTC//DTD NITF 3.6//EN"
CHANGE_DATE = "September 11, 2009"
"""The 3.6 XSD fixes ``change.date`` and ``change.time``: written as it demands."""
CHANGE_TIME = "12:26"
STANDARD_VERSION = "3.6"
MEDIA_TYPE = "application/nitf+xml"
SUBJECT_SCHEME = "subj"
"""The IPTC Subject Codes, which ``tobject.subject/@tobject.subject.refnum`` holds."""
ENTITY_TAGS = {"person": "person", "org": "organization", "location": "place"}
"""NITF's tagged names (in ``identified-content`` and in running text) -> entity types."""
TAGS_OF = {kind: tag for tag, kind in ENTITY_TAGS.items()}

_DATE = re.compile(
    r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})"
    r"(?:[T ]([0-9]{2}):?([0-9]{2})(?::?([0-9]{2})(\.[0-9]{1,9})?)?)?"
    r"\s*(Z|[+-][0-9]{2}:?[0-9]{2})?"
)


@dataclass(frozen=True, slots=True)
class Date:
    """A canonical date or date-time read from a NITF one, and what had to be assumed."""

    value: str | None
    assumed: str | None = None


def read_date(norm: str | None) -> Date:
    """A canonical date (``2025-07-30``) or date-time from a NITF ``norm`` value."""
    value = (norm or "").strip()
    match = _DATE.fullmatch(value)
    if match is None:
        return Date(None, f"{value!r} is not an ISO 8601 date; left out") if value else Date(None)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    date = f"{year}-{month}-{day}"
    if hour is None:
        return Date(date)
    stamp = f"{date}T{hour}:{minute}:{second or '00'}{fraction or ''}"
    assumed = None
    if zone is None:
        zone, assumed = "Z", f"{value} has no offset; read as UTC"
    elif zone != "Z" and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    return Date(stamp + zone, assumed)


def write_date(value: str) -> str:
    """A canonical date or date-time in ISO 8601's basic form, as NITF's ``norm`` has it."""
    date, _, time = value.partition("T")
    written = date.replace("-", "")
    if not time:
        return written
    zone_at = len(time) - 1 if time.endswith("Z") else max(time.rfind("+"), time.rfind("-"))
    clock, zone = time[:zone_at], time[zone_at:]
    return f"{written}T{clock.replace(':', '')}{zone.replace(':', '')}"


def xsd_path(specs: Path) -> Path:
    """The NITF 3.6 XSD in a specifications folder (found by :func:`wirekit.specs.require`, as
    are the files it includes and imports); a missing one says how to fetch it."""
    from wirekit.specs import require

    schema_file = require("nitf", specs)
    require("nitf-ruby", specs)
    require("nitf-xml-xsd", specs)
    return schema_file


def problems(root: Any, specs: Path) -> list[Problem]:
    """What the NITF 3.6 XSD says about a parsed document (compiled once per process)."""
    from wirekit.formats.newsml_g2 import vocab as g2

    return g2.xsd_problems(root, g2.compiled_xsd(str(xsd_path(specs).resolve())))


def sets_off_title(printed: str) -> bool:
    """Whether a byline's words so far let a ``byttl`` follow as it is: nothing before it, or
    a separator (``By BERNARD CONDON, <byttl>``); else a reader sets the title off with a
    comma, as a person reading the line would."""
    return not printed.strip() or printed.rstrip()[-1] in ",;/-–—"
