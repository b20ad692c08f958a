"""ninjs 1.x and AP's ninjs profile, read by respelling them as ninjs 3.x.

ninjs 1.x (2013-2016) and the AP Media API's profile of it name things their own way: one
``headline`` string, ``body_xhtml``/``body_html``/``body_text`` and ``description_*`` strings,
``person``/``organisation``/``place``/``subject`` lists of ``{name, code, scheme}``, a ``byline``
string, ``located`` as a string, lower-case dates and rights, renditions and associations as
objects keyed by name. AP adds ``altids``, ``headline_extended``, ``bylines`` (``{by, title}``)
and ``datelinelocation`` (city, country and its codes), and wraps an item as ``{"data":
{"item": ...}}`` (a feed: ``{"data": {"items": [{"item": ...}]}}``). Superdesk's 1.x output adds
``authors`` (``{name, role}``, read as authors with their roles).

:func:`upgrade` turns such an object into the 3.x shape the ninjs reader already maps, plus the
canonical fields 3.x has no place for (the dateline's country, AP's ids and editorial priority,
which go to ``extensions.ap``), so one mapping serves every version. A document that declares a
version wirekit does not read is refused in one line naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wirekit.errors import InputError
from wirekit.formats.ninjs.vocab import credit_role
from wirekit.plugin import warn

JSON = dict[str, Any]
_KNOWN_MAJORS = ("1", "2", "3")
_SIGNATURE = re.compile(
    rb'"(?:body_xhtml|body_html|body_text|description_xhtml|description_html|description_text'
    rb"|headline_extended|altids|datelinelocation|bylines|description_caption"
    rb'|description_creditline|api_version)"\s*:'
)
_BODIES = {
    "body_xhtml": "application/xhtml+xml",
    "body_html": "text/html",
    "body_text": "text/plain",
}
_DESCRIPTIONS = {
    "description_xhtml": ("summary", "application/xhtml+xml"),
    "description_html": ("summary", "text/html"),
    "description_text": ("summary", "text/plain"),
    "description_caption": ("caption", "text/plain"),
    "description_creditline": ("creditline", "text/plain"),
}
_ENTITIES = {"person": "people", "organisation": "organisations", "place": "places"}
_DATES = frozenset(
    {"versionCreated", "firstCreated", "contentCreated", "embargoedUntil", "expires"}
)
"""Dates (in 3.x spelling: the object is respelled from 2.x/1.x lower case first)."""
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_AP_EXTRAS = ("altIds", "editorialpriority", "signals", "textformat", "provider", "photographer")


def sniff(head: bytes) -> float:
    """0.8 (keys only this format has, on the scale of :meth:`wirekit.plugin.Importer.sniff`)
    for a JSON document with a key only ninjs 1.x or AP's profile uses."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return 0.8 if start in (b"{", b"[") and _SIGNATURE.search(head) else 0.0


def items(document: Any) -> tuple[list[Any], bool]:
    """The news objects of a document: AP's wrapped item or feed, else the document itself (a
    list, or one object); and whether there were many."""
    if isinstance(document, Mapping) and isinstance(document.get("data"), Mapping):
        data = document["data"]
        if isinstance(data.get("item"), Mapping):
            return [data["item"]], False
        if isinstance(data.get("items"), list):
            wrapped = data["items"]
            return [i.get("item", i) if isinstance(i, Mapping) else i for i in wrapped], True
    if isinstance(document, Mapping) and "total" in document and "item" in document:
        found = document["item"]  # a search result page (BBC's)
        return (found, True) if isinstance(found, list) else ([found], False)
    if isinstance(document, list):
        return document, True
    return [document], False


def check_version(item: Mapping[str, Any], place: str | None) -> None:
    """Refuse, in one line naming it, a version that is not ninjs 1.x, 2.x or 3.x."""
    declared = item.get("standard")
    version = declared.get("version") if isinstance(declared, Mapping) else None
    if version is None:
        return
    if not isinstance(version, str) or not version.startswith(
        tuple(f"{m}." for m in _KNOWN_MAJORS)
    ):
        raise InputError(
            f"ninjs version {version!r} is not one wirekit reads (1.x, 2.x and 3.x)", place=place
        )


def is_legacy(item: Mapping[str, Any]) -> bool:
    """Whether an object is spelled as ninjs 1.x or AP's profile: none of 2.x/3.x's arrays
    (``headlines``, ``bodies``, ``descriptions``), and a ``headline`` string or a key only the
    old spelling uses."""
    if any(key in item for key in ("headlines", "bodies", "descriptions")):
        return False
    return isinstance(item.get("headline"), str) or any(
        key in item for key in (*_BODIES, *_DESCRIPTIONS, "altids", "datelinelocation", "bylines")
    )


def upgrade(item: Mapping[str, Any], where: str | None) -> tuple[JSON, JSON]:
    """(the object, already respelled from lower case by :func:`~wirekit.formats.ninjs.vocab.
    from_v2`, in ninjs 3.x's shape; canonical fields that 3.x cannot hold). Warnings about
    repaired dates start with ``where``."""
    out: JSON = {}
    extra: JSON = {}
    for key, value in item.items():
        if key in _DATES:
            out[key] = _date(value, key, where)
        elif key not in HANDLED:
            out[key] = value
    if "uri" not in out and isinstance(item.get("guid"), str):
        out["uri"] = item["guid"]  # Superdesk's ninjs names the id guid
    headlines = []
    for role, key in (("main", "headline"), ("sub", "headline_extended")):
        if isinstance(item.get(key), str) and item[key]:
            headlines.append({"role": role, "value": item[key]})
    if headlines:
        out["headlines"] = headlines
    bodies = [
        {"contentType": kind, "value": item[key]}
        for key, kind in _BODIES.items()
        if isinstance(item.get(key), str)
    ]
    if bodies:
        out["bodies"] = bodies
    descriptions = [
        {"role": role, "contentType": kind, "value": item[key]}
        for key, (role, kind) in _DESCRIPTIONS.items()
        if isinstance(item.get(key), str)
    ]
    if descriptions:
        out["descriptions"] = descriptions
    for old, new in _ENTITIES.items():
        if isinstance(item.get(old), list):
            out[new] = [_entity(e) for e in item[old] if isinstance(e, Mapping)]
    subjects = [_entity(s) for s in item.get("subject") or [] if isinstance(s, Mapping)]
    subjects += [
        {"name": word, "rel": "keyword"}
        for word in item.get("keywords") or []
        if isinstance(word, str) and word
    ]
    if subjects:
        out["subjects"] = subjects
    _byline(item, out)
    _located(item, out, extra)
    for key in ("renditions", "associations"):
        if isinstance(item.get(key), Mapping):
            out[key] = [
                _rendition(name, r) for name, r in item[key].items() if isinstance(r, Mapping)
            ]
    ap = {key: item[key] for key in _AP_EXTRAS if item.get(key) not in (None, "", [], {})}
    if ap:
        extra["extensions"] = {"ap": ap}
    return out, extra


HANDLED = frozenset(
    {
        "headline",
        "headline_extended",
        "byline",
        "bylines",
        "authors",
        "located",
        "datelinelocation",
        "subject",
        "keywords",
        "guid",
        "renditions",
        "associations",
        *_BODIES,
        *_DESCRIPTIONS,
        *_ENTITIES,
        *_AP_EXTRAS,
    }
)
"""The 1.x and AP keys :func:`upgrade` reads into 3.x's shape or into ``extensions.ap``."""


def _date(value: Any, key: str, where: str | None) -> Any:
    """A 1.x date-time as RFC 3339: ``+0000`` gets its colon; one without an offset is read as
    UTC, with a warning."""
    if not isinstance(value, str):
        return value
    match = _DATE_TIME.fullmatch(value.strip())
    if match is None:
        return value  # the schema names what is wrong with it
    stamp, zone = match.groups()
    if zone is None:
        warn(where, f"{key} {value} has no offset; read as UTC")
        return stamp + "Z"
    return stamp + (zone if zone == "Z" or ":" in zone else f"{zone[:3]}:{zone[3:]}")


def _entity(value: Mapping[str, Any]) -> JSON:
    """``{name, code, scheme, rel}`` -> ``{name, uri, rel}``: the code under its scheme's IRI."""
    entity: JSON = {key: value[key] for key in ("name", "rel", "uri", "literal") if key in value}
    scheme, code = value.get("scheme"), value.get("code")
    if "uri" not in entity and isinstance(scheme, str) and isinstance(code, str) and code:
        if re.match(r"https?://", scheme):
            entity["uri"] = scheme + code
        else:
            entity["literal"] = f"{scheme}:{code}"
    rels = value.get("rels")
    if "rel" not in entity and isinstance(rels, list) and "direct" in rels:
        entity["rel"] = "about"
    return entity


def _byline(item: Mapping[str, Any], out: JSON) -> None:
    """AP's ``bylines`` (``title`` their role) and Superdesk's ``authors`` (``name``, ``role``)
    as authors; 1.x's ``byline`` string as the byline as printed."""
    people = [
        (b["by"], b.get("title"))
        for b in item.get("bylines") or []
        if isinstance(b, Mapping) and isinstance(b.get("by"), str) and b["by"]
    ]
    people += [
        (a["name"], a.get("role"))
        for a in item.get("authors") or []
        if isinstance(a, Mapping) and isinstance(a.get("name"), str) and a["name"]
    ]
    sources = [
        {"name": name, "role": credit_role("author", role if isinstance(role, str) else None)}
        for name, role in people
    ]
    if sources:
        out["infoSources"] = [*out.get("infoSources", []), *sources]
    if isinstance(item.get("byline"), str) and item["byline"]:
        out["by"] = item["byline"]


def _located(item: Mapping[str, Any], out: JSON, extra: JSON) -> None:
    """1.x's ``located`` string, or AP's ``datelinelocation`` with its country."""
    where = item.get("datelinelocation")
    if isinstance(where, Mapping) and isinstance(where.get("city"), str) and where["city"]:
        out["located"] = where["city"]
        place: JSON = {"name": where["city"]}
        country = where.get("countryname")
        if isinstance(country, str) and country:
            place["country"] = country
        dateline = {"text": where["city"], "place": place}
        extra["dateline"] = dateline
    elif isinstance(item.get("located"), str):
        out["located"] = item["located"]


def _rendition(name: str, value: Mapping[str, Any]) -> JSON:
    rendition: JSON = {"name": name}
    for old, new in (
        ("href", "href"),
        ("mimetype", "contentType"),
        ("width", "width"),
        ("height", "height"),
        ("sizeinbytes", "sizeInBytes"),
        ("type", "type"),
        ("uri", "uri"),
        ("headline", "headline"),
    ):
        if old in value:
            rendition[new] = value[old]
    return rendition
