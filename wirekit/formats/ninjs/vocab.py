"""How wirekit's model speaks IPTC ninjs: what the ninjs exporters and the ninjs importer share.

ninjs 3.x and 2.x are one format in two spellings. 3.0 renamed every key to camelCase (and
``embargoed`` to ``embargoedUntil``) and changed nothing a text article uses, so the exporters
build one 3.x document and :func:`to_v2` respells it, and the importer respells whatever it reads
with :func:`from_v2` before mapping it: the mapping exists once, for both versions.

Every value-level mapping with two directions keeps both directions side by side here
(identifiers to URIs and back, concepts, GeoJSON points, body blocks to HTML and back), because
the round trip canonical -> ninjs -> canonical holds only while the two directions agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from wirekit.model import Concept, Geo
from wirekit.schema import accepts, limit

JSON = dict[str, Any]

# --- versions and spellings ----------------------------------------------------------------

SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json#"
GEOJSON_URI = "https://geojson.org/schema/GeoJSON.json"
"""Where the ninjs schemas ``$ref`` GeoJSON; validators map it to a local copy."""
LATEST = {2: "2.2", 3: "3.1"}
"""The newest published schema of each major version, used when a document names no other."""


def standard(version: str) -> JSON:
    """The ``standard`` object that tells a receiver which schema validates the document."""
    return {"name": "ninjs", "version": version, "schema": SCHEMA_URI.format(version=version)}


# Every 3.x key spelled differently in 2.x. tests/test_ninjs_mapping.py derives the same table
# from the two official schemas, so a key IPTC renames in a later version cannot slip past.
_CAMEL = (
    "altIds",
    "charCount",
    "contactInfo",
    "contentCreated",
    "contentType",
    "copyrightHolder",
    "copyrightNotice",
    "digitalSourceType",
    "edNote",
    "encodedRights",
    "firstCreated",
    "geoJSON",
    "infoSources",
    "langId",
    "linkedRights",
    "postalCode",
    "pubStatus",
    "representationType",
    "rightsInfo",
    "sizeInBytes",
    "symbolType",
    "trustIndicators",
    "usageTerms",
    "versionCreated",
    "wordCount",
)
TO_V2: Mapping[str, str] = {name: name.lower() for name in _CAMEL} | {"embargoedUntil": "embargoed"}
FROM_V2: Mapping[str, str] = {v2: v3 for v3, v2 in TO_V2.items()}
_OPAQUE = frozenset({"geoJSON", "geojson"})
"""GeoJSON objects keep GeoJSON's own spelling in both versions: never respelled."""


def to_v2(document: Any) -> Any:
    """A 3.x document (or part of one) in 2.x spelling."""
    return _respell(document, TO_V2)


def from_v2(document: Any) -> Any:
    """A 2.x document in 3.x spelling. 3.x keys pass unchanged, so it is safe on either version
    (and on the mixed spellings some producers emit)."""
    return _respell(document, FROM_V2)


def _respell(value: Any, names: Mapping[str, str]) -> Any:
    """Keys renamed at every depth. It runs once per exported 2.2 article, so it descends only
    into containers, tested by exact type: JSON gives plain dicts and lists, and this is ~40%
    faster than ``isinstance``."""
    if type(value) is dict:
        return {
            names.get(key, key): _respell(item, names)
            if (type(item) is dict or type(item) is list) and key not in _OPAQUE
            else item
            for key, item in value.items()
        }
    if type(value) is list:
        return [
            _respell(item, names) if type(item) is dict or type(item) is list else item
            for item in value
        ]
    return value


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            if key not in _OPAQUE:
                yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def schema_version(document: Mapping[str, Any]) -> str:
    """The schema version a document claims (``standard.version``, cut to major.minor), else
    the newest of the major version its key spelling gives away (3 when nothing does)."""
    declared = document.get("standard")
    version = declared.get("version") if isinstance(declared, dict) else None
    if isinstance(version, str):
        match = re.match(r"([23])\.([0-9]+)", version)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    keys = set(_keys(document))
    spelled_v2 = bool(keys & FROM_V2.keys()) and not keys & TO_V2.keys()
    return LATEST[2 if spelled_v2 else 3]


# --- words ninjs leaves free, as wirekit fills them -----------------------------------------

REL_ABOUT = "about"
REL_MENTIONS = "mentions"
REL_KEYWORD = "keyword"
"""``subjects[].rel`` of a free-text keyword: ninjs has no keyword field."""
ROLE_HEADLINE = "main"
ROLE_SUBHEADLINE = "sub"
ROLE_SUMMARY = "summary"
ROLE_CAPTION = "caption"
ROLE_CREDIT_LINE = "creditline"
"""AP's description role for a picture's credit line."""
ROLE_ALT_TEXT = "alt"
ROLE_HTML_BODY = "main"
ROLE_TEXT_BODY = "text"
RENDITION_WEB = "web"
"""The rendition that is the article's (or a related article's) web page."""
RENDITION_IMAGE = "original"
INFO_SOURCE_ROLES = {"publisher": "publisher", "provider": "provider", "sourceAgency": "source"}
"""Model field -> ``infoSources[].role`` of the organisations around the article."""
CONTACT_WEB = "web"
"""``contactInfo[].type`` of a party's web page."""
TEXT_PLAIN = "text/plain"
TEXT_HTML = "text/html"


def credit_role(kind: str, role: str | None) -> str:
    """``infoSources[].role`` of an author or contributor: ``author``, ``contributor
    (photographer)``. Readable as it stands, and :func:`parse_credit_role` undoes it exactly."""
    return kind if role is None else f"{kind} ({role})"


_CREDIT_ROLE = re.compile(r"(author|contributor)(?: \((.+)\))?\Z", re.DOTALL)


def parse_credit_role(value: str) -> tuple[str, str | None] | None:
    """(``author`` or ``contributor``, the person's role) from :func:`credit_role`'s output."""
    match = _CREDIT_ROLE.match(value)
    return None if match is None else (match.group(1), match.group(2))


# --- identifiers ---------------------------------------------------------------------------

WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "http://sws.geonames.org/"
"""Both as the IPTC catalog expands the ``wikidata`` and ``geonames`` aliases."""
_WIKIDATA_URI = re.compile(r"https?://www\.wikidata\.org/(?:entity|wiki)/([^/]+)\Z")
_GEONAMES_URI = re.compile(r"https?://sws\.geonames\.org/([^/]+)/?\Z")
_GEONAMES_LITERAL = re.compile(r"geonames:(.+)\Z", re.DOTALL)
"""Where the ids sit; whether they are ids is the schema's (``wikidataId``, ``geonamesId``)."""


def identify(
    wikidata: str | None, same_as: Sequence[str], geonames: str | None = None
) -> tuple[JSON, bool]:
    """The ``uri`` and ``literal`` of a ninjs party or place, and whether some of ``same_as``
    had to be left out.

    ninjs gives a thing one ``uri``: the Wikidata item wins because receivers resolve it most
    widely, then the first other IRI, then the GeoNames feature. A GeoNames id also goes in
    ``literal`` as the IPTC QCode ``geonames:<id>``, so a place keeps both of its usual ids.
    """
    uri = (
        WIKIDATA + wikidata
        if wikidata
        else same_as[0]
        if same_as
        else GEONAMES + geonames
        if geonames
        else None
    )
    out: JSON = {}
    if uri is not None:
        out["uri"] = uri
    if geonames:
        out["literal"] = f"geonames:{geonames}"
    return out, len(same_as) > (0 if wikidata else 1)


def identified(uri: Any, literal: Any, *, places: bool = False) -> JSON:
    """The canonical ``wikidata``, ``geonames`` (for places) and ``sameAs`` of a ninjs object's
    ``uri`` and ``literal``: :func:`identify` backwards."""
    out: JSON = {}
    if places and isinstance(literal, str):
        geonames = _id(_GEONAMES_LITERAL, literal, "geonamesId")
        if geonames:
            out["geonames"] = geonames
    if isinstance(uri, str):
        wikidata = _id(_WIKIDATA_URI, uri, "wikidataId")
        geonames = _id(_GEONAMES_URI, uri, "geonamesId") if places else None
        if wikidata:
            out["wikidata"] = wikidata
        elif geonames:
            out.setdefault("geonames", geonames)
        elif accepts("iri", uri):
            out["sameAs"] = [uri]
    return out


def _id(where: re.Pattern[str], text: str, definition: str) -> str | None:
    """The id ``where`` finds in ``text``, when the schema accepts it as ``definition``."""
    match = where.match(text)
    return match.group(1) if match and accepts(definition, match.group(1)) else None


# --- concepts ------------------------------------------------------------------------------

SCHEMES = {
    "medtop": "http://cv.iptc.org/newscodes/mediatopic/",
    "subj": "http://cv.iptc.org/newscodes/subjectcode/",
    "genre": "http://cv.iptc.org/newscodes/genre/",
}
"""The IPTC schemes articles use, as the IPTC catalog expands their aliases: ninjs wants URIs
where NewsML-G2 has QCodes."""
UNKNOWN_SCHEME = "ninjs"
"""The scheme of a code a ninjs document gives without saying its scheme (a bare literal)."""
_CODE_BREAKS = re.compile(r"[\s:]+")


def concept_uri(concept: Concept) -> str | None:
    """The concept's own URI, else the one its IPTC scheme gives it."""
    if concept.uri is not None:
        return concept.uri
    base = SCHEMES.get(concept.scheme)
    return None if base is None else base + concept.code


def concept_to_ninjs(concept: Concept) -> JSON:
    """A subject or genre: the label as ``name``, the URI, and the QCode as ``literal`` (an
    identifier as free text), which keeps scheme and code apart for the way back."""
    out: JSON = {}
    if concept.label is not None:
        out["name"] = concept.label
    uri = concept_uri(concept)
    if uri is not None:
        out["uri"] = uri
    out["literal"] = concept.qcode
    return out


def _qcode(scheme: str, code: str) -> tuple[str, str] | None:
    """(scheme, code) when the schema accepts both as a concept's."""
    if accepts("concept/scheme", scheme) and accepts("concept/code", code):
        return scheme, code
    return None


def concept_from_ninjs(name: str | None, uri: Any, literal: Any) -> JSON | None:
    """A canonical concept from a ninjs subject or genre, or None when it names nothing.

    The scheme and code come from a QCode literal, else from an IPTC URI, else the code is the
    literal (or the URI's last segment, or the name) in :data:`UNKNOWN_SCHEME`.
    """
    uri = uri if isinstance(uri, str) and accepts("iri", uri) else None
    literal = literal if isinstance(literal, str) and literal else None
    scheme_code = _qcode(*literal.partition(":")[::2]) if literal else None
    if scheme_code is None and uri:
        scheme_code = next(
            (
                found
                for alias, base in SCHEMES.items()
                if uri.startswith(base) and (found := _qcode(alias, uri[len(base) :]))
            ),
            None,
        )
    if scheme_code is None:
        source = literal or (uri.rstrip("/").rsplit("/", 1)[-1] if uri else None) or name
        cut = limit("concept/code", "maxLength")
        code = _CODE_BREAKS.sub("-", source).strip("-")[:cut] if source else ""
        if not code:
            return None
        scheme_code = (UNKNOWN_SCHEME, code)
    out: JSON = {"scheme": scheme_code[0], "code": scheme_code[1]}
    if name:
        out["label"] = name
    if uri:
        out["uri"] = uri
    return out


# --- places --------------------------------------------------------------------------------


def geojson(geo: Geo) -> JSON:
    """A GeoJSON point: longitude first, as GeoJSON orders coordinates."""
    return {"type": "Point", "coordinates": [geo.longitude, geo.latitude]}


def geo_from_geojson(value: Any) -> JSON | None:
    """Canonical coordinates of a GeoJSON point; None for any other geometry."""
    if not isinstance(value, dict) or value.get("type") != "Point":
        return None
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    longitude, latitude = coordinates[0], coordinates[1]
    if not all(
        isinstance(c, int | float) and not isinstance(c, bool) for c in (longitude, latitude)
    ):
        return None
    geo = {"latitude": float(latitude), "longitude": float(longitude)}
    return geo if accepts("geo", geo) else None
