"""IPTC ninjs 2.x and 3.x in: one news object, or an array of them, to canonical articles.

A document is first respelled into 3.x names (:func:`wirekit.formats.ninjs.vocab.from_v2` is
harmless on 3.x), so one mapping reads both versions and the mixed spellings some producers emit.
The mapping is the ``ninjs`` exporter's backwards, so what that exporter writes comes back field for
field; it is also tolerant of what agencies send (dpa, NTB, TT and IPTC's own examples all import):
what the model requires and ninjs does not is derived (a version of 1, the config's language, a body
from the description when there is none, with a warning).

:meth:`NinjsImporter.conformance` checks a document against the official schema of its own
version, with the GeoJSON schema the ninjs schemas reference by URL served from the specs folder:
nothing is ever fetched.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from wirekit import coverage
from wirekit.config import Config
from wirekit.errors import InputError, Problem
from wirekit.formats.canonical.reader import loads
from wirekit.formats.html import blocks as html_blocks
from wirekit.formats.ninjs import legacy
from wirekit.formats.ninjs import vocab as ninjs
from wirekit.model import MEDIA_TYPES
from wirekit.plugin import (
    Importer,
    Record,
    add_note,
    article_id,
    headline_text,
    location,
    printed_byline,
    slug_from,
    version_from,
    warn,
)
from wirekit.schema import accepts, pointer

JSON = dict[str, Any]

_SNIFF_KEY = re.compile(
    rb'"(?:standard|headlines|bodies|descriptions|versionCreated|versioncreated|firstCreated'
    rb"|firstcreated|contentCreated|contentcreated|embargoedUntil|pubStatus|pubstatus"
    rb"|copyrightHolder|copyrightholder|copyrightNotice|copyrightnotice|edNote|ednote|infoSources"
    rb'|infosources|associations|renditions|slugline|located|representationType|altIds|altids)"'
    rb"\s*:"
)
_SNIFF_URI = re.compile(rb'"uri"\s*:')
_SNIFF_CANONICAL = re.compile(rb'"(?:headline|body)"\s*:')
_ENTITY_KINDS = {"people": "person", "organisations": "organization", "places": "place"}
_ROLE_FIELDS = {role: field for field, role in ninjs.INFO_SOURCE_ROLES.items()}
_HTML_TYPES = ("html", "xhtml")


class NinjsImporter(Importer):
    """IPTC ninjs 2.x and 3.x (News in JSON)."""

    name = "ninjs"
    aliases: ClassVar[tuple[str, ...]] = ("ninjs-3", "ninjs3", "ninjs-2", "ninjs2")
    description = "IPTC ninjs 1.x (and AP's profile), 2.x and 3.x news objects, one or an array"
    media_types: ClassVar[tuple[str, ...]] = ("application/json",)
    file_extensions: ClassVar[tuple[str, ...]] = (".json",)

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """A JSON object with a ``uri`` key and a key only ninjs has, and without the keys every
        canonical article opens with (``headline``, ``body``)."""
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        found = (
            start in (b"{", b"[")
            and _SNIFF_URI.search(head) is not None
            and _SNIFF_KEY.search(head) is not None
            and _SNIFF_CANONICAL.search(head) is None
        )
        return max(0.8 if found else 0.0, legacy.sniff(head))

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        try:
            document = loads(stream.read().removeprefix(b"\xef\xbb\xbf"))
        except InputError as exc:
            raise exc.located(source) from None
        items, many = legacy.items(document)
        for index, item in enumerate(items):
            place = f"/{index}" if many else None
            try:
                yield Record(self.article(item, place, location(source, place)), place)
            except InputError as exc:
                yield Record(None, place, exc)

    def article(self, item: Any, place: str | None = None, where: str | None = None) -> JSON:
        """The canonical article dict of one ninjs news object (2.x or 3.x); warnings about
        what was repaired or left out start with ``where`` (the file and the object)."""
        if not isinstance(item, dict):
            raise InputError("a ninjs news object must be a JSON object", place=place or "/")
        legacy.check_version(item, place)
        if not legacy.is_legacy(item):
            out = _Reader(ninjs.from_v2(item), self.config, where).article()
        else:  # ninjs 1.x or AP's profile, in 3.x's shape
            upgraded, extra = legacy.upgrade(ninjs.from_v2(item), where)
            out = _Reader(upgraded, self.config, where).article()
            if "body" not in out and "type" not in out:  # a text, not a picture or video
                raise InputError(
                    "no text in the news object: only renditions to download (nothing is fetched)",
                    place=place,
                )
            out.update(extra)
        listed = coverage.not_carried(item_paths(item), COVERAGE)
        if listed:  # nothing lost in silence: the coverage report's warned keys, named
            warn(where, f"not carried (no field in the model): {listed}")
        return out

    warns_unmapped = True  # the reader names every key no field holds

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """The keys of each news object (inside AP's and BBC's wrappers): see
        :func:`item_paths`."""
        document = loads(data.removeprefix(b"\xef\xbb\xbf"))
        for item in legacy.items(document)[0]:
            if isinstance(item, dict):
                yield from item_paths(item)

    def conformance(self, data: bytes) -> list[Problem]:
        """Problems against the official schema of each object's own version (2.x or 3.x).

        Malformed JSON raises :class:`InputError`, as reading it would; a specs folder without
        the ninjs schemas is a :class:`~wirekit.specs.MissingSpec`.
        """
        if self.config.specs is None:
            return []
        document = loads(data.removeprefix(b"\xef\xbb\xbf"))
        if not isinstance(document, list):
            return _problems(self.config.specs, document, ())
        found: list[Problem] = []
        for index, item in enumerate(document):
            found.extend(_problems(self.config.specs, item, (index,)))
        return found


def item_paths(item: Mapping[str, Any]) -> Iterator[str]:
    """The keys of one news object in 3.x spelling, as the reader maps them; a 1.x key the
    upgrade reads as ``byline[1.x]``. What :data:`COVERAGE` does not account for of them is the
    reader's one warning and the coverage report's ``warned`` lines alike."""
    old = legacy.is_legacy(item)  # asked of the object as sent, as the reader asks it
    for key in ninjs.from_v2(item):
        yield f"{key}[1.x]" if old and key in legacy.HANDLED else key


# --- conformance ---------------------------------------------------------------------------


def _problems(specs: Path, document: Any, prefix: tuple[int, ...]) -> list[Problem]:
    version = ninjs.schema_version(document) if isinstance(document, dict) else ninjs.LATEST[3]
    validator = _validator(_schema_file(specs, version))
    found = [
        Problem(pointer([*prefix, *error.absolute_path]), error.message)
        for error in validator.iter_errors(document)
    ]
    return sorted(found, key=lambda problem: problem.pointer)


def _schema_file(specs: Path, version: str) -> Path:
    """The schema of ``version`` in the specs folder, else the newest of the same major version
    (found by :func:`wirekit.specs.require`; a missing one says how to fetch it)."""
    from wirekit.specs import BY_NAME, require

    if f"ninjs-{version}" not in BY_NAME:
        version = ninjs.LATEST[int(version[0])]
    schema_file = require(f"ninjs-{version}", specs)
    require("geojson", specs)
    return schema_file


@functools.cache
def _validator(schema_file: Path) -> Any:
    """A compiled validator for one schema file: built once per process."""
    import jsonschema
    from referencing import Registry, Resource

    geojson_file = schema_file.parent / "GeoJSON-schema.json"
    geojson = Resource.from_contents(json.loads(geojson_file.read_text(encoding="utf-8")))
    registry: Registry[Any] = Registry().with_resource(ninjs.GEOJSON_URI, geojson)
    cls = jsonschema.Draft202012Validator
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


# --- mapping -------------------------------------------------------------------------------


def _string(value: Any) -> str | None:
    """A non-empty string, else None: ninjs producers send ``""`` for "nothing"."""
    return value if isinstance(value, str) and value else None


def _text(value: Any) -> str | None:
    """Multi-line text as the model holds it: line breaks as ``\\n``."""
    text = _string(value)
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def _line(value: Any) -> str | None:
    text = _string(value)
    return None if text is None else html_blocks.line(text) or None


def _objects(value: Any) -> list[JSON]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _web_url(value: Any) -> str | None:
    return value if isinstance(value, str) and accepts("webUrl", value) else None


def _set(out: JSON, key: str, value: Any) -> None:
    if value is not None and value not in ([], {}):
        out[key] = value


class _Reader:
    """One ninjs object (in 3.x spelling) read into a canonical article dict."""

    def __init__(self, item: JSON, config: Config, where: str | None = None) -> None:
        self.item = item
        self.config = config
        self.language = config.language
        self.where = where

    def article(self) -> JSON:
        item = self.item
        uri = _string(item.get("uri"))
        if uri is None:
            raise InputError("a ninjs news object needs a uri")
        out: JSON = {"id": article_id(uri, self.config, self.where), "version": self._version()}
        item_type = item.get("type")
        media = item_type in MEDIA_TYPES
        if media:
            out["type"] = item_type
        _set(out, "slug", self._slug())
        url = self._web_page(item)
        _set(out, "url", url)
        _set(out, "headline", self._headline(main=True))
        _set(out, "subheadline", self._headline(ninjs.ROLE_SUBHEADLINE))
        descriptions = self._descriptions(media)
        summary = descriptions.get("summary")
        out.update(descriptions)
        out["language"] = _string(item.get("language")) or self.language
        _set(out, "body", self._body(None if media else summary))  # a picture has no text
        _set(out, "renditions", self._renditions(url))
        for field, key in (
            ("dateCreated", "contentCreated"),
            ("datePublished", "firstCreated"),
            ("dateModified", "versionCreated"),
            ("embargoedUntil", "embargoedUntil"),
            ("expires", "expires"),
            ("pubStatus", "pubStatus"),
        ):
            _set(out, field, _string(item.get(key)))
        _set(out, "urgency", self._urgency())
        _set(out, "genres", self._concepts(item.get("genres")))
        note = _text(item.get("edNote"))
        if note is not None:  # ninjs's edNote is for editors at receiving organisations
            add_note(out, note, "partner")
        located = _line(item.get("located"))
        if located is not None:
            out["dateline"] = {"text": located, "place": {"name": located}}
        self._parties(out)
        self._byline(out)
        _set(out, "rights", self._rights())
        subjects = _objects(item.get("subjects"))
        keywords = [s for s in subjects if s.get("rel") == ninjs.REL_KEYWORD]
        concepts = [s for s in subjects if s.get("rel") != ninjs.REL_KEYWORD]
        _set(out, "subjects", self._concepts(concepts))
        names = (_line(keyword.get("name")) for keyword in keywords)
        _set(out, "keywords", list(dict.fromkeys(name for name in names if name)))
        for rel in (ninjs.REL_ABOUT, ninjs.REL_MENTIONS):
            _set(out, rel, self._entities(rel))
        self._associations(out)
        return out

    # identity and status

    def _version(self) -> int:
        value = self.item.get("version")
        if value is None:
            return 1
        return version_from(value, self.where)

    def _urgency(self) -> Any:
        value = self.item.get("urgency")
        if isinstance(value, float) and value.is_integer():
            return int(value)  # 2.x types it as a number
        return value

    def _slug(self) -> str | None:
        slugline = _string(self.item.get("slugline"))
        if slugline is None:
            return None
        return slug_from(slugline)

    @staticmethod
    def _web_page(item: Mapping[str, Any]) -> str | None:
        """The web page among an object's renditions: named ``web``, else the first HTML one."""
        pages = [r for r in _objects(item.get("renditions")) if _web_url(r.get("href"))]
        chosen = next((r for r in pages if r.get("name") == ninjs.RENDITION_WEB), None) or next(
            (r for r in pages if r.get("contentType") == ninjs.TEXT_HTML), None
        )
        return None if chosen is None else str(chosen["href"])

    # text

    def _headline(self, role: str = ninjs.ROLE_HEADLINE, *, main: bool = False) -> str | None:
        """The headline of ``role``; the main one falls back on the first, then on ``title``.
        For the article's ``main`` headline, one of white space alone counts as none."""

        def usable(value: Any) -> str | None:
            text = _line(value)
            return headline_text(text) if main else text

        headlines = _objects(self.item.get("headlines"))
        for headline in headlines:
            text = usable(headline.get("value")) if headline.get("role") == role else None
            if text:
                return text
        if role != ninjs.ROLE_HEADLINE:
            return None
        first = next((h for h in headlines if h.get("role") != ninjs.ROLE_SUBHEADLINE), None)
        return usable(first.get("value") if first else None) or usable(self.item.get("title"))

    def _descriptions(self, media: bool) -> JSON:
        """The descriptions by role (see ``DESCRIPTION_ROLES``): the first of each field wins.
        One without a role is the summary of a text and the caption of a picture; one of a
        role wirekit has no field for is left out with a warning."""
        out: JSON = {}
        for description in _objects(self.item.get("descriptions")):
            if not _string(description.get("value")):
                continue
            role = _string(description.get("role"))
            field = DESCRIPTION_ROLES.get(role or "", "caption" if media else "summary")
            # an unknown role: a text's first description is still its summary
            if role not in (None, *DESCRIPTION_ROLES) and (media or "summary" in out):
                warn(self.where, f"a description of role {role!r} has no field; left out")
                continue
            text = _plain(description)
            if text is not None and field not in out:
                out[field] = html_blocks.line(text) if field == "creditLine" else text
        return out

    def _body(self, summary: str | None) -> list[JSON]:
        """Blocks from the first HTML body, else from the first plain-text one. With no body at
        all (NTB sends only a description) the summary stands in, with a warning."""
        bodies = [b for b in _objects(self.item.get("bodies")) if _string(b.get("value"))]
        readers = ((_is_html, html_blocks.parse_html), (_is_plain, html_blocks.parse_plain))
        for wanted, parse in readers:
            for body in bodies:
                if wanted(body):
                    blocks = parse(body["value"])
                    if blocks:
                        return blocks
        if summary is not None:
            warn(self.where, "no readable body; the description stands in for it")
            return html_blocks.parse_plain(summary)
        return []

    # classification

    @staticmethod
    def _concepts(value: Any) -> list[JSON]:
        found = (
            ninjs.concept_from_ninjs(_line(item.get("name")), item.get("uri"), item.get("literal"))
            for item in _objects(value)
        )
        return [concept for concept in found if concept is not None]

    def _entities(self, rel: str) -> list[JSON]:
        """People, organisations and places with this ``rel``; any other ``rel`` (or none)
        counts as a mention, the weaker claim."""
        out = []
        for key, kind in _ENTITY_KINDS.items():
            for item in _objects(self.item.get(key)):
                name = _line(item.get("name"))
                item_rel = (
                    item.get("rel") if item.get("rel") == ninjs.REL_ABOUT else ninjs.REL_MENTIONS
                )
                if name is None or item_rel != rel:
                    continue
                entity: JSON = {"type": kind, "name": name}
                places = kind == "place"
                entity.update(ninjs.identified(item.get("uri"), item.get("literal"), places=places))
                if places:
                    _set(entity, "geo", ninjs.geo_from_geojson(item.get("geoJSON")))
                out.append(entity)
        return out

    # parties and rights

    def _parties(self, out: JSON) -> None:
        """Authors, contributors and the organisations around the article, from
        ``infoSources``; a source without a role wirekit knows is the source agency. With no
        author among them, ``by`` names one."""
        for source in _objects(self.item.get("infoSources")):
            name = _line(source.get("name"))
            role = _string(source.get("role"))
            if name is None:
                continue
            credit = ninjs.parse_credit_role(role) if role else None
            if credit is not None:
                kind, person_role = credit
                person: JSON = {"name": name}
                _set(person, "role", _line(person_role))
                _set(person, "url", _web_contact(source))
                person.update(ninjs.identified(source.get("uri"), None))
                out.setdefault("authors" if kind == "author" else "contributors", []).append(person)
                continue
            field = _ROLE_FIELDS.get(role or "", "sourceAgency")
            if field not in out:
                organization: JSON = {"name": name}
                _set(organization, "url", _web_contact(source))
                organization.update(ninjs.identified(source.get("uri"), None))
                out[field] = organization

    def _byline(self, out: JSON) -> None:
        """``by`` is the byline as printed: the authors' display, never a name of its own. It
        is kept when it says more than the authors' names."""
        by = printed_byline(_line(self.item.get("by")), out.get("authors", ()))
        if by:
            out["byline"] = by

    def _renditions(self, web_page: str | None) -> list[JSON]:
        """The files of the object, each with a fetchable address: every rendition but the
        web page the article's url came from."""
        out = []
        for rendition in _objects(self.item.get("renditions")):
            href = _string(rendition.get("href"))
            if href is None or not accepts("iri", href) or _is_web_page(rendition, web_page):
                continue
            found: JSON = {"href": href}
            _set(found, "name", _line(rendition.get("name")))
            _set(found, "mediaType", _string(rendition.get("contentType")))
            for key in ("width", "height", "sizeInBytes", "duration"):
                value = rendition.get(key)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    found[key] = value
            out.append(found if accepts("rendition", found) else {"href": href})
        return out

    def _rights(self) -> JSON:
        item = self.item
        rights: JSON = {}
        holder = _line(item.get("copyrightHolder"))
        if holder is not None:
            rights["copyrightHolder"] = {"name": holder}
        _set(rights, "copyrightNotice", _line(item.get("copyrightNotice")))
        info = item.get("rightsInfo")
        _set(
            rights,
            "license",
            _web_url(info.get("linkedRights")) if isinstance(info, dict) else None,
        )
        _set(rights, "usageTerms", _text(item.get("usageTerms")))
        return rights

    # associations

    def _associations(self, out: JSON) -> None:
        """Pictures and graphics are images; other objects with a web address are related
        articles. An image needs a web address to fetch it: one without is left out."""
        for association in _objects(self.item.get("associations")):
            if association.get("type") in ("picture", "graphic"):
                image = _image(association)
                if image is None:
                    warn(
                        self.where,
                        f"association {association.get('name')!r}: an image with no web "
                        "address; left out",
                    )
                else:
                    out.setdefault("images", []).append(image)
                continue
            url = self._web_page(association) or _web_url(association.get("uri"))
            if url is not None:
                link: JSON = {"url": url}
                _set(link, "title", _Reader(association, self.config)._headline())
                out.setdefault("related", []).append(link)


MAPPED = frozenset(
    {
        "uri",
        "type",
        "version",
        "slugline",
        "renditions",
        "headlines",
        "title",
        "descriptions",
        "language",
        "bodies",
        "contentCreated",
        "firstCreated",
        "versionCreated",
        "embargoedUntil",
        "expires",
        "pubStatus",
        "urgency",
        "genres",
        "edNote",
        "located",
        "infoSources",
        "by",
        "copyrightHolder",
        "copyrightNotice",
        "rightsInfo",
        "usageTerms",
        "subjects",
        "people",
        "organisations",
        "places",
        "associations",
    }
)
"""The ninjs (3.x-spelled) keys the reader maps to the model."""
IGNORED = frozenset(("standard", "representationType", "$schema", "charcount", "wordcount"))
"""Keys left out by rule: they describe the document, not the news (a version, a size)."""
COVERAGE: dict[str, str] = {
    **dict.fromkeys(MAPPED, "mapped"),
    **{f"{key}[1.x]": "mapped" for key in legacy.HANDLED},
    **dict.fromkeys(IGNORED, "describes the document, not the news"),
}
"""ninjs key -> ``mapped`` or the rule it is left out by (see :mod:`wirekit.coverage`)."""
DESCRIPTION_ROLES = {
    ninjs.ROLE_SUMMARY: "summary",
    "abstract": "summary",
    "teaser": "summary",
    ninjs.ROLE_CAPTION: "caption",
    ninjs.ROLE_CREDIT_LINE: "creditLine",
}
"""ninjs description role -> canonical field. AP sends ``caption`` and ``creditline`` with a
picture; add a provider's role here."""


def _is_web_page(rendition: Mapping[str, Any], web_page: str | None) -> bool:
    """Whether a rendition is the article's web page, which is its url and no file of it."""
    named = rendition.get("name") == ninjs.RENDITION_WEB
    page = named or rendition.get("contentType") == ninjs.TEXT_HTML
    return page and rendition.get("href") == web_page


def _is_html(body: Mapping[str, Any]) -> bool:
    content_type = str(body.get("contentType", "")).lower()
    return any(kind in content_type for kind in _HTML_TYPES)


def _is_plain(body: Mapping[str, Any]) -> bool:
    return str(body.get("contentType", ninjs.TEXT_PLAIN)).lower() == ninjs.TEXT_PLAIN


def _plain(description: Mapping[str, Any]) -> str | None:
    value = str(description["value"])
    return _text(html_blocks.plain_text(value) if _is_html(description) else value)


def _web_contact(party: Mapping[str, Any]) -> str | None:
    for contact in _objects(party.get("contactInfo")):
        if contact.get("type") == ninjs.CONTACT_WEB and _web_url(contact.get("value")):
            return str(contact["value"])
    return None


def _image(association: Mapping[str, Any]) -> JSON | None:
    """The image: its address from the first rendition with one (else the object's uri), with
    that rendition's size and type, the caption, the text alternative and the credit (``by``)."""
    renditions = _objects(association.get("renditions"))
    rendition = next((r for r in renditions if _web_url(r.get("href"))), None)
    url = _web_url(rendition.get("href")) if rendition else _web_url(association.get("uri"))
    if url is None:
        return None
    image: JSON = {"url": url}
    descriptions = [d for d in _objects(association.get("descriptions")) if _string(d.get("value"))]
    caption = next((d for d in descriptions if d.get("role") in (ninjs.ROLE_CAPTION, None)), None)
    alt = next((d for d in descriptions if d.get("role") == ninjs.ROLE_ALT_TEXT), None)
    _set(image, "caption", _plain(caption) if caption else None)
    _set(image, "altText", _plain(alt) if alt else None)
    _set(image, "credit", _line(association.get("by")))
    if rendition is not None:
        for key, field in (("width", "width"), ("height", "height")):
            value = rendition.get(key)
            if isinstance(value, int) and accepts(f"image/{field}", value):
                image[field] = value  # ninjs says integer: its text is no size
        content_type = rendition.get("contentType")
        if accepts("image/mediaType", content_type):
            image["mediaType"] = content_type
    return image


NinjsImporter.coverage_table = COVERAGE
