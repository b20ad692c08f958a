"""IPTC ninjs 3.1 ("News in JSON"): one article as one ninjs news object.

The document is valid against IPTC's official schema for every article the canonical schema
accepts (the tests check it on the seeds and on generated articles). ninjs has no registered
media type; IPTC and the agencies that speak it (AP, dpa, NTB, TT) serve it as
``application/json``, and so does this exporter.

Dates map by meaning: ``firstCreated`` (when the first version was created) is the first
publication, ``versionCreated`` this version's modification, ``contentCreated`` the content's
creation. Names, ids and links have no dedicated ninjs fields for a text article's people, so
authors and contributors go into ``infoSources`` beside the publisher, provider and source agency
(``by`` stays the display byline), keywords into ``subjects`` with ``rel: keyword``, and the web
page into a ``web`` rendition.

What ninjs has no place for (a section, signals, corrections, a credit line, a dateline's printed
text...) is left out with a :class:`~wirekit.errors.LossyConversionWarning` naming the field,
which ``--strict`` turns into an error. ``extensions`` is plugin data that exporters ignore by the
model's contract, so it goes without a warning. Keys come in a fixed order and text as unescaped
UTF-8, so the same article always gives the same bytes.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import orjson

from wirekit.audience import KILLED, SYNDICATION, syndication_status
from wirekit.errors import LossyConversionWarning, UsageError
from wirekit.formats.html import blocks as html_blocks
from wirekit.formats.ninjs import vocab as ninjs
from wirekit.model import Article, Concept, Entity, Image, Link, Organization, Person, Rendition
from wirekit.plugin import Exporter, conforms, notes_for_partners

JSON = dict[str, Any]

_UNCARRIED = ("section", "signals", "corrections", "isAccessibleForFree")
"""Model fields with no place in ninjs at all."""
_DATELINE_PLACE_DETAILS = ("country", "countryCode", "geo", "geonames", "wikidata")
_ENTITY_KEYS = {"person": "people", "organization": "organisations", "place": "places"}
_WHY = {
    "datePublished": "a date without a time: every ninjs date has one",
    "expires": "a date without a time: every ninjs date has one",
    "sameAs": "ninjs gives a party one uri",
    "dateline.text": "ninjs has only the place's name, as located",
    "contributors": "a person known only by a system id: ninjs names every party",
    "id": "ninjs has no system id for a person",
    "pubStatus": KILLED,
}
"""Why a field is lost, where its name alone would puzzle: ninjs carries it in other cases."""


class _Lost:
    """The fields one document had to leave out, in the order met, each named once."""

    def __init__(self) -> None:
        self.fields: dict[str, None] = {}

    def add(self, field: str) -> None:
        self.fields[field] = None

    def value(self, field: str, value: object) -> None:
        """Record ``field`` if the article has a value for it (``False`` is a value)."""
        if value is not None and value != ():
            self.add(field)


def document(article: Article, version: str = "3.1") -> tuple[JSON, list[str]]:
    """The article as a ninjs 3.x document (3.x spelling whatever ``version`` says), and the
    fields it could not carry, as paths like ``about[].sameAs``."""
    lost = _Lost()
    out: JSON = {
        "standard": ninjs.standard(version),
        "uri": article.id,
        "type": article.type or "text",
        "representationType": "full",
        "version": str(article.version),
    }
    _put(out, "firstCreated", _date_time(article.date_published, "datePublished", lost))
    _put(out, "versionCreated", article.date_modified)
    _put(out, "contentCreated", article.date_created)
    _put(out, "embargoedUntil", article.embargoed_until)
    _put(out, "expires", _date_time(article.expires, "expires", lost))
    status = syndication_status(article)
    _put(out, "pubStatus", status)
    if article.pub_status not in (None, status):
        lost.add("pubStatus")
    _put(out, "urgency", article.urgency)
    _rights(out, article, lost)
    # a syndication output: partner and public notes go, internal ones stay in the canonical JSON
    _put(out, "edNote", "\n\n".join(notes_for_partners(article)) or None)
    out["language"] = article.language
    _put(out, "slugline", article.slug)
    _put(out, "by", article.by)
    _dateline(out, article, lost)
    out["headlines"] = _headlines(article)
    descriptions = [
        _description(role, value)
        for role, value in (
            (ninjs.ROLE_SUMMARY, article.summary),
            (ninjs.ROLE_CAPTION, article.caption),
            (ninjs.ROLE_CREDIT_LINE, article.credit_line),
        )
        if value is not None
    ]
    _put(out, "descriptions", descriptions)
    if article.body:
        out["bodies"] = _bodies(article)
    _put(out, "genres", [ninjs.concept_to_ninjs(genre) for genre in article.genres])
    _put(out, "subjects", _subjects(article.subjects, article.keywords))
    for kind, key in _ENTITY_KEYS.items():
        _put(out, key, _entities(article, kind, lost))
    _put(out, "infoSources", _info_sources(article, lost))
    renditions = [_rendition(number, r) for number, r in enumerate(article.renditions, 1)]
    if article.url is not None:
        renditions.append(_web_rendition(article.url))
    _put(out, "renditions", renditions)
    _put(out, "associations", _associations(article.images, article.related))
    for field in _UNCARRIED:
        lost.value(field, getattr(article, _attribute(field)))
    return out, list(lost.fields)


def _date_time(value: str | None, field: str, lost: _Lost) -> str | None:
    """A model date that may be a day alone, as ninjs's date-time: a day alone is lost, since
    every ninjs date carries a time and inventing one would lie."""
    if value is not None and "T" not in value:
        lost.add(field)
        return None
    return value


@functools.cache
def _attribute(field: str) -> str:
    """The model's attribute for a schema name: ``creditLine`` -> ``credit_line``."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in field)


def _put(out: JSON, key: str, value: Any) -> None:
    if value is not None and value != []:
        out[key] = value


def _rights(out: JSON, article: Article, lost: _Lost) -> None:
    """ninjs has the holder's name, the notice, the usage terms and one rights link."""
    rights = article.rights
    if rights is None:
        return
    holder = rights.copyright_holder
    if holder is not None:
        out["copyrightHolder"] = holder.name
        for field in ("url", "logo", "wikidata", "sameAs"):
            lost.value(f"rights.copyrightHolder.{field}", getattr(holder, _attribute(field)))
    _put(out, "copyrightNotice", rights.copyright_notice)
    _put(out, "usageTerms", rights.usage_terms)
    if rights.license is not None:
        out["rightsInfo"] = {"linkedRights": rights.license}
    lost.value("rights.copyrightYear", rights.copyright_year)


def _dateline(out: JSON, article: Article, lost: _Lost) -> None:
    """``located`` is the name of the place a story comes from; the rest of a dateline (its
    printed text, its date, the place's details) has no place in ninjs."""
    dateline = article.dateline
    if dateline is None:
        return
    place = dateline.place
    if place is None:
        lost.add("dateline")
        return
    out["located"] = place.name
    if dateline.text != place.name:
        lost.add("dateline.text")
    lost.value("dateline.date", dateline.date)
    for field in _DATELINE_PLACE_DETAILS:
        lost.value(f"dateline.place.{field}", getattr(place, _attribute(field)))


def _headlines(article: Article) -> list[JSON]:
    headlines = [{"role": ninjs.ROLE_HEADLINE, "value": article.headline}]
    if article.subheadline is not None:
        headlines.append({"role": ninjs.ROLE_SUBHEADLINE, "value": article.subheadline})
    return headlines


def _description(role: str, value: str) -> JSON:
    return {"role": role, "contentType": ninjs.TEXT_PLAIN, "value": value}


def _bodies(article: Article) -> list[JSON]:
    """The body twice: as HTML for structure and as plain text for the simplest receivers."""
    text = article.text
    counts = {"charCount": len(text), "wordCount": article.word_count}
    return [
        {
            "role": ninjs.ROLE_HTML_BODY,
            "contentType": ninjs.TEXT_HTML,
            **counts,
            "value": html_blocks.render_html(article.body),
        },
        {"role": ninjs.ROLE_TEXT_BODY, "contentType": ninjs.TEXT_PLAIN, **counts, "value": text},
    ]


def _subjects(subjects: Sequence[Concept], keywords: Sequence[str]) -> list[JSON]:
    """Subject codes, then the free-text keywords, which ninjs has no field of their own for."""
    out = [ninjs.concept_to_ninjs(subject) for subject in subjects]
    out.extend({"name": keyword, "rel": ninjs.REL_KEYWORD} for keyword in keywords)
    return out


def _entities(article: Article, kind: str, lost: _Lost) -> list[JSON]:
    """One ninjs array per kind of entity; ``rel`` says whether the article is about it or
    mentions it. The order across kinds is lost: ninjs keeps one array for each."""
    out = []
    for rel, field, entities in (
        (ninjs.REL_ABOUT, "about", article.about),
        (ninjs.REL_MENTIONS, "mentions", article.mentions),
    ):
        for entity in entities:
            if entity.type == kind:
                out.append(_entity(entity, rel, f"{field}[]", lost))
    return out


def _entity(entity: Entity, rel: str, path: str, lost: _Lost) -> JSON:
    item: JSON = {"name": entity.name, "rel": rel}
    geonames = entity.geonames if entity.type == "place" else None
    identifiers, same_as_lost = ninjs.identify(entity.wikidata, entity.same_as, geonames)
    item.update(identifiers)
    if same_as_lost:
        lost.add(f"{path}.sameAs")
    if geonames is None:
        lost.value(f"{path}.geonames", entity.geonames)
    lost.value(f"{path}.countryCode", entity.country_code)
    if entity.geo is not None:
        if entity.type == "place":
            item["geoJSON"] = ninjs.geojson(entity.geo)
        else:
            lost.add(f"{path}.geo")
    return item


def _info_sources(article: Article, lost: _Lost) -> list[JSON]:
    """The parties behind the article: the organisations around it, and its authors and
    contributors, since ninjs has no creator field (``by`` is a display string)."""
    out = []
    for field, role in ninjs.INFO_SOURCE_ROLES.items():
        organization = getattr(article, _attribute(field))
        if organization is not None:
            out.append(_organization(organization, role, field, lost))
    for kind, field, people in (
        ("author", "authors", article.authors),
        ("contributor", "contributors", article.contributors),
    ):
        out.extend(item for person in people if (item := _person(person, kind, f"{field}[]", lost)))
    return out


def _organization(organization: Organization, role: str, path: str, lost: _Lost) -> JSON:
    item: JSON = {"name": organization.name, "role": role}
    identifiers, same_as_lost = ninjs.identify(organization.wikidata, organization.same_as)
    item.update(identifiers)
    if same_as_lost:
        lost.add(f"{path}.sameAs")
    lost.value(f"{path}.logo", organization.logo)
    _put(item, "contactInfo", _web(organization.url))
    return item


def _person(person: Person, kind: str, path: str, lost: _Lost) -> JSON | None:
    if person.name is None:  # an infoSource's name is for names, never a login
        lost.add(path.removesuffix("[]"))
        return None
    lost.value(f"{path}.id", person.id)
    item: JSON = {"name": person.name, "role": ninjs.credit_role(kind, person.role)}
    identifiers, same_as_lost = ninjs.identify(person.wikidata, person.same_as)
    item.update(identifiers)
    if same_as_lost:
        lost.add(f"{path}.sameAs")
    _put(item, "contactInfo", _web(person.url))
    return item


def _web(url: str | None) -> list[JSON]:
    return [] if url is None else [{"type": ninjs.CONTACT_WEB, "value": url}]


def _rendition(number: int, rendition: Rendition) -> JSON:
    """A media item's file; ninjs names every rendition, so a nameless one is numbered."""
    item: JSON = {"name": rendition.name or f"rendition{number}", "href": rendition.href}
    _put(item, "contentType", rendition.media_type)
    _put(item, "width", rendition.width)
    _put(item, "height", rendition.height)
    _put(item, "sizeInBytes", rendition.size_in_bytes)
    _put(item, "duration", rendition.duration)
    return item


def _web_rendition(url: str) -> JSON:
    return {"name": ninjs.RENDITION_WEB, "href": url, "contentType": ninjs.TEXT_HTML}


def _associations(images: Iterable[Image], related: Iterable[Link]) -> list[JSON]:
    """Images as picture objects, then related articles as text objects. An association's
    ``uri`` identifies it; the address to fetch goes in a rendition's ``href``, as ninjs asks."""
    out = [_image(number, image) for number, image in enumerate(images, 1)]
    out.extend(_related(number, link) for number, link in enumerate(related, 1))
    return out


def _image(number: int, image: Image) -> JSON:
    item: JSON = {"name": f"image{number}", "uri": image.url, "type": "picture"}
    _put(item, "by", image.credit)
    descriptions = [
        _description(role, value)
        for role, value in (
            (ninjs.ROLE_CAPTION, image.caption),
            (ninjs.ROLE_ALT_TEXT, image.alt_text),
        )
        if value is not None
    ]
    _put(item, "descriptions", descriptions)
    rendition: JSON = {"name": ninjs.RENDITION_IMAGE, "href": image.url}
    _put(rendition, "contentType", image.media_type)
    _put(rendition, "width", image.width)
    _put(rendition, "height", image.height)
    item["renditions"] = [rendition]
    return item


def _related(number: int, link: Link) -> JSON:
    item: JSON = {"name": f"related{number}", "uri": link.url, "type": "text"}
    if link.title is not None:
        item["headlines"] = [{"role": ninjs.ROLE_HEADLINE, "value": link.title}]
    item["renditions"] = [_web_rendition(link.url)]
    return item


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise UsageError(f"option {name} takes true or false, not {value!r}")


class NinjsExporter(Exporter):
    """One article as an IPTC ninjs 3.1 news object."""

    name = "ninjs"
    aliases: ClassVar[tuple[str, ...]] = ("ninjs-3", "ninjs3")
    description = "IPTC ninjs 3.1 (News in JSON), one news object per article"
    media_type = "application/json"
    file_extension = ".json"
    standard = "IPTC ninjs"
    standard_version = "3.1"
    audience = SYNDICATION
    published_name: ClassVar[str | None] = "ninjs.json"
    published_order = 40
    negotiation_order = 60
    served_media_type: ClassVar[str | None] = "application/ninjs+json"
    options: ClassVar[dict[str, str]] = {
        "compact": "true: one line, no indentation (default false: two-space indentation)"
    }

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        compact = _flag("compact", self.settings.get("compact", False))
        self._dump_options = orjson.OPT_APPEND_NEWLINE | (0 if compact else orjson.OPT_INDENT_2)

    def export(self, article: Article) -> bytes:
        built, lost = document(article, self.standard_version)
        for field in lost:
            why = _WHY.get(field) or _WHY.get(field.rsplit(".", 1)[-1])
            warnings.warn(
                f"{article.id}: ninjs {self.standard_version} cannot carry {field}"
                + (f" ({why})" if why else ""),
                LossyConversionWarning,
                stacklevel=2,
            )
        return orjson.dumps(self.spell(built), option=self._dump_options)

    @staticmethod
    def spell(built: JSON) -> JSON:
        """The document in this version's spelling; 3.x is how it is built."""
        return built

    def check(self, path: Path) -> str:
        """Against the official JSON Schema of the document's own version."""
        from wirekit.formats.ninjs.reader import NinjsImporter

        return conforms(NinjsImporter(self.config), path.read_bytes(), "ninjs JSON Schema")
