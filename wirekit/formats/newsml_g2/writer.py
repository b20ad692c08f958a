"""IPTC NewsML-G2 2.35: one article as one ``newsItem``, valid against the All-Power XSD.

Valid by construction: :class:`ItemWriter` writes elements in the order the XSD's sequences demand
(``pubStatus`` after ``embargoed``, links after signals, the administrative group of ``contentMeta``
before the descriptive one...), writes every date in a form XML Schema accepts (see
:mod:`wirekit.formats.newsml_g2.vocab`) and uses QCodes only from the IPTC catalog it references or
from schemes it declares inline. The tests check it against the XSD for every seed and for generated
articles.

Faithful where it can be: every field the model shares with NewsML-G2 is written where IPTC puts
it, and the importer reads each back from there, so canonical -> NewsML-G2 -> canonical is the
identity on those fields. Text keeps its exact white space: the item declares
``xml:space="preserve"``, and a newline inside a paragraph is an XHTML ``<br/>``. What NewsML-G2
cannot hold (images, logo sizes, dates XML Schema cannot write) is dropped with a
:class:`~wirekit.errors.LossyConversionWarning` that names the field by its JSON pointer.
``extensions`` is ignored, as the schema says every exporter does.

Fast enough to publish archives: the item is written straight out as text, in document order,
with :class:`wirekit.xml.Writer` (an lxml tree costs several times more per element and per
attribute, see the module's notes there); static pieces (the catalog reference, the XHTML root,
the item's fixed attributes) are constants, and the pieces that recur from item to item (parties,
concepts, entities, rights, datelines' places) are written once and cached, with what they lost
and the schemes they use. Tests parse every output with lxml and validate it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Concatenate, Generic, NamedTuple, ParamSpec, TypeVar, cast

from wirekit import registry
from wirekit.audience import KILLED, SYNDICATION, syndication_status
from wirekit.config import Config
from wirekit.errors import ExportError, LossyConversionWarning
from wirekit.formats.html.blocks import table_markup
from wirekit.formats.newsml_g2 import vocab as g2
from wirekit.model import (
    Article,
    Block,
    BlockQuote,
    Concept,
    Entity,
    Geo,
    Heading,
    ListBlock,
    Organization,
    Paragraph,
    Person,
    Place,
    Rights,
    Table,
)
from wirekit.plugin import Exporter, conforms
from wirekit.xml import Writer
from wirekit.xml import escape_attribute as attr
from wirekit.xml import escape_text as text

CPNAT = {"person": "cpnat:person", "organization": "cpnat:organisation", "place": "cpnat:geoArea"}
SIGNALS = {"update": "sig:update", "correction": "sig:correction", "kill": g2.KILL}
COUNTRY_TYPE = "loctyp:Country"
HEADINGS = {level: f"h{level}" for level in range(2, 7)}
ITEM_ATTRIBUTES = (
    f' standard="{g2.STANDARD}" standardversion="{g2.STANDARD_VERSION}" '
    f'conformance="{g2.CONFORMANCE}"'
)
NAR_DECLARATION = f' xmlns="{g2.NAR}"'
CATALOG_REF = f'<catalogRef href="{g2.IPTC_CATALOG}"/>'
HTML_START = f'<html xmlns="{g2.XHTML}">'
HTML_TYPE = ' contenttype="text/html"'
INFERRED = f' why="{g2.INFERRED}"'
MENTION = f' why="{g2.MENTION}"'
PUBLISHER_ROLE = f' role="{g2.PUBLISHER}"'
ABSTRACT = ' type="cpnat:abstract"'
FRAGMENTS = 4096
"""Pieces of each kind (parties, concepts, entities...) whose XML an exporter process keeps
(see :func:`fragment`), the most recently used: bounded whatever the archive's size. One pass
over 20,000 generated articles, whose parties rarely recur, leaves about 4 MB in them."""
Lost = list[tuple[str, str, bool]]
"""What could not be written: (JSON pointer, why, whether it depends on this article's values)."""
Geography = tuple[dict[str, int], dict[str, list[tuple[str, Geo]]]]
"""Entities by identifier: how many share each, and the coordinates of those that have them."""


def decimal(number: int | float) -> str:
    """A coordinate as an ``xs:decimal`` (no exponent) that reads back as the same float:
    Python's shortest repr, unless it has an exponent (``1e-07``) or is no number at all, which
    :class:`~decimal.Decimal` spells out (ten times the cost, so only then). An integer stays
    one (``48``, not ``48.0``): hence ``int | float``, which to mypy says no more than ``float``,
    but which keeps mypyc (the compiled build) from turning an int into a float on the way in."""
    if isinstance(number, int):
        return str(number)
    written = repr(number)
    if "e" in written or "n" in written:  # 1e-07, inf, nan
        return format(Decimal(written), "f")
    return written


@functools.lru_cache(maxsize=4096)
def any_uri_attribute(value: str) -> tuple[str, bool]:
    """An IRI written as an ``xs:anyURI`` attribute value, and whether that changed it. Cached:
    an item holds a dozen IRIs and most recur from item to item (the publisher, the licence,
    Wikidata entities, schemes), and rewriting and escaping each was a tenth of an item's cost."""
    written = g2.any_uri(value)
    return attr(written), written != value


T = TypeVar("T")
P = ParamSpec("P")


class Fragment(NamedTuple, Generic[T]):
    """A piece of an item as :func:`fragment` caches it: what was written, and its notes."""

    value: T
    lost: tuple[tuple[str, str, bool], ...]
    """As :data:`Lost`, each pointer relative to the fragment's field (``/url``)."""
    aliases: tuple[tuple[str, str | None], ...]


class _Notes:
    """What writing some XML had to note: the fields it could not write, by JSON pointer, and
    the scheme aliases it used, each with a URI for its declaration if one is known. An item
    has one; so has each cached fragment (see :func:`fragment`), its pointers relative to the
    field the fragment writes."""

    __slots__ = ("aliases", "lost")

    def __init__(self) -> None:
        self.lost: Lost = []
        self.aliases: dict[str, str | None] = {}

    def lose(self, pointer: str, why: str, specific: bool = False) -> None:
        self.lost.append((pointer, why, specific))

    def iri(self, value: str, pointer: str | None = None) -> str:
        """An IRI as an ``xs:anyURI`` attribute value. The schema allows IRIs the XSD's type
        refuses (a ``%`` that starts no escape, brackets outside an IP literal, a second ``#``,
        a colon inside a host name); those characters are percent-encoded so the item stays
        valid, and the loss is reported: the IRI no longer reads back as it was written."""
        written, changed = any_uri_attribute(value)
        if changed and pointer is not None:  # no pointer: a copy reported elsewhere
            self.lose(pointer, "characters xs:anyURI refuses were percent-encoded", True)
        return written

    def use(self, alias: str, uri: str | None = None) -> None:
        """Note a scheme alias the XML uses, with a URI for it if one is known."""
        if alias not in g2.IPTC_ALIASES and self.aliases.get(alias) is None:
            self.aliases[alias] = uri

    def merge(self, piece: Fragment[T], pointer: str | None) -> T:
        """A cached fragment's value, its notes taken over (its losses only when it has a
        pointer: without one, it is a copy of a field reported elsewhere)."""
        value, lost, aliases = piece
        if lost and pointer is not None:
            self.lost.extend((pointer + rest, why, specific) for rest, why, specific in lost)
        for alias, uri in aliases:
            self.use(alias, uri)
        return value


def fragment(build: Callable[Concatenate[_Notes, P], T]) -> Callable[P, Fragment[T]]:
    """``build`` (XML from immutable model values, noting into its first argument) as a cached
    :class:`Fragment`. Parties, concepts, entities, rights, places and sections recur from item
    to item (an agency's reporters, its publisher and its rights, IPTC media topics, Wikidata
    entities, datelines), and writing each anew was a third of an item's cost; the cache is
    bounded so that an archive's memory stays flat. The arguments are frozen model Structs and
    strings: equal arguments give equal XML, except numbers (``3 == 3.0``), so no fragment
    writes one that it is not given as an ``int``."""

    def write(*args: P.args, **kwargs: P.kwargs) -> Fragment[T]:
        notes = _Notes()
        value = build(notes, *args, **kwargs)
        return Fragment(value, tuple(notes.lost), tuple(notes.aliases.items()))

    cached = functools.lru_cache(maxsize=FRAGMENTS)(write)
    return cast(Callable[P, Fragment[T]], functools.update_wrapper(cached, build))


@fragment
def party(notes: _Notes, tag: str, party: Organization | Person, extra: str = "") -> str:
    """A person or organisation as a NewsML-G2 party: identified by its web address (or its
    name as a literal), named, with its logo and its equivalent identifiers. ``extra`` is more
    attributes, written."""
    head = f' uri="{notes.iri(party.url, "/url")}"' if party.url else ""
    inner = "" if party.name is None else f"<name>{text(party.name)}</name>"
    if isinstance(party, Person) and party.id is not None:
        head = person_id(notes, party, head)
    head = head or f' literal="{attr(party.name or "")}"'
    if isinstance(party, Person):
        if party.role is not None:
            head += f' role="{attr(g2.term(g2.ROLES, party.role))}"'
            notes.use(g2.ROLES)
    elif party.logo is not None:
        logo = notes.iri(party.logo.url, "/logo/url")
        inner += f'<remoteInfo href="{logo}" reluri="{g2.ICON_REL}"/>'
        for size in ("width", "height"):
            if getattr(party.logo, size) is not None:
                notes.lose(f"/logo/{size}", "a party's remoteInfo has no size")
    if party.wikidata is not None:
        inner += f'<sameAs qcode="wikidata:{party.wikidata}"/>'
    for index, iri in enumerate(party.same_as):
        inner += f'<sameAs uri="{notes.iri(iri, f"/sameAs/{index}")}"/>'
    return f"<{tag}{head}{extra}>{inner}</{tag}>"


def person_id(notes: _Notes, person: Person, head: str) -> str:
    """A person's system id: its QCode, or its literal when it names no one; a literal id
    beside a name or a web address has nowhere to go."""
    assert person.id is not None
    if g2.is_qcode(person.id):
        notes.use(person.id.split(":", 1)[0])
        return f'{head} qcode="{attr(person.id)}"'
    if head or person.name is not None:
        notes.lose("/id", "a party has one literal, its name", specific=True)
        return head
    return f' literal="{attr(person.id)}"'


@fragment
def concept(notes: _Notes, tag: str, concept: Concept, head: str) -> str:
    """A genre or subject concept: its QCode, its IRI, its label."""
    head += f' qcode="{concept.scheme}:{attr(concept.code)}"'  # a scheme is an NCName
    scheme_uri = None
    if concept.uri is not None:
        head += f' uri="{notes.iri(concept.uri, "/uri")}"'
        if concept.uri.endswith(concept.code):
            scheme_uri = concept.uri[: -len(concept.code)]
    notes.use(concept.scheme, scheme_uri)
    if concept.label is None:
        return f"<{tag}{head}/>"
    return f"<{tag}{head}><name>{text(concept.label)}</name></{tag}>"


@fragment
def entity(notes: _Notes, entity: Entity, mention: bool) -> tuple[str, str]:
    """An entity as a ``subject`` of the right ``cpnat:`` type: (its identifier, XML). Its
    coordinates are not part of it (see :meth:`_Item.asserts`)."""
    found = ids(entity.wikidata, entity.geonames)
    if found:
        key, head = found[0], f' qcode="{found[0]}"'
    else:
        key, head = entity.name, f' literal="{attr(entity.name)}"'
    if mention:
        head += MENTION
        notes.use(g2.TERMS)
    related = relations(
        notes, found, entity.same_as, entity.country_code, None, entity.type == "place"
    )
    return key, (
        f'<subject type="{CPNAT[entity.type]}"{head}><name>{text(entity.name)}</name>'
        f"{related}</subject>"
    )


@fragment
def rights_info(notes: _Notes, rights: Rights) -> str:
    """What ``rightsInfo`` says of the article's rights: an agency's items share them."""
    written = ""
    if rights.copyright_holder is not None:
        holder = party("copyrightHolder", rights.copyright_holder)
        written += notes.merge(holder, "/copyrightHolder")
    if rights.copyright_notice is not None:
        written += f"<copyrightNotice>{text(rights.copyright_notice)}</copyrightNotice>"
    if rights.usage_terms is not None:
        written += f"<usageTerms>{text(rights.usage_terms)}</usageTerms>"
    if rights.license is not None:
        written += (
            f'<link reluri="{g2.LICENSE_REL}" href="{notes.iri(rights.license, "/license")}"/>'
        )
    if rights.copyright_year is not None:
        written += (
            f'<rightsInfoExtProperty rel="{g2.COPYRIGHT_YEAR}" value="{rights.copyright_year}"/>'
        )
        notes.use(g2.TERMS)
    return written


@fragment
def published(notes: _Notes, publisher: Organization) -> tuple[str, str]:
    """The publisher in ``pubHistory/published``: its attributes and its name element (the
    timestamp goes between). A copy of the ``infoSource``, which reports what it loses."""
    head = f' uri="{notes.iri(publisher.url)}"' if publisher.url else ""
    return head or f' literal="{attr(publisher.name)}"', f"<name>{text(publisher.name)}</name>"


@fragment
def located(notes: _Notes, place: Place) -> str:
    """Where the story was filed from: the dateline's place, its country as ``broader``; all
    but its coordinates and the end tag, which the item adds (the cache compares coordinates
    as numbers, ``3 == 3.0``, but writes them as written)."""
    found = ids(place.wikidata, place.geonames)
    head = f' qcode="{found[0]}"' if found else f' literal="{attr(place.name)}"'
    related = relations(notes, found, (), place.country_code, place.country, place=True)
    return f'<located type="cpnat:geoArea"{head}><name>{text(place.name)}</name>{related}'


@fragment
def service(notes: _Notes, section: str) -> str:
    """The section as a ``service`` in wirekit's section scheme."""
    notes.use(g2.SECTIONS)
    qcode = attr(g2.term(g2.SECTIONS, section))
    return f'<service qcode="{qcode}"><name>{text(section)}</name></service>'


def relations(
    notes: _Notes,
    found: Sequence[str],
    same_as: Iterable[str],
    country_code: str | None,
    country: str | None,
    place: bool,
) -> str:
    """The identifiers after the first, equivalent IRIs, and the country: ``broader`` for a
    place (it lies in the country), ``related`` for a person or organisation."""
    written = "".join(f'<sameAs qcode="{qcode}"/>' for qcode in found[1:])
    for index, iri in enumerate(same_as):
        written += f'<sameAs uri="{notes.iri(iri, f"/sameAs/{index}")}"/>'
    if country_code is None and country is None:
        return written
    if place:
        tag, head = "broader", f' type="{COUNTRY_TYPE}"'
    else:
        tag, head = "related", f' rel="{g2.COUNTRY}"'
        notes.use(g2.TERMS)
    if country_code is not None:
        head += f' qcode="iso3166-1a2:{country_code}"'
    elif country is not None:
        head += f' literal="{attr(country)}"'
    if country is None:
        return f"{written}<{tag}{head}/>"
    return f"{written}<{tag}{head}><name>{text(country)}</name></{tag}>"


@functools.lru_cache(maxsize=FRAGMENTS)
def inline_catalog(schemes: tuple[tuple[str, str | None], ...]) -> str:
    """The ``catalog`` declaring the schemes an item uses beyond IPTC's: (alias, URI if the item
    knows one), sorted. Most items use one of a few such sets, so each is written once."""
    written = "<catalog>"
    for alias, known in schemes:
        uri = known or g2.SCHEMES.get(alias) or f"urn:wirekit:scheme:{alias}:"
        written += f'<scheme alias="{alias}" uri="{any_uri_attribute(uri)[0]}"/>'
    return written + "</catalog>"


def ids(wikidata: str | None, geonames: str | None) -> list[str]:
    """A place's or entity's QCodes, Wikidata's first."""
    found = []
    if wikidata is not None:
        found.append("wikidata:" + wikidata)
    if geonames is not None:
        found.append("geonames:" + geonames)
    return found


def position(geo: Geo) -> str:
    latitude, longitude = decimal(geo.latitude), decimal(geo.longitude)
    return (
        f'<geoAreaDetails><position latitude="{latitude}" longitude="{longitude}"/>'
        "</geoAreaDetails>"
    )


class ItemWriter:
    """Writes ``newsItem`` elements; the ``newsml-g2-message`` exporter shares one.

    ``fallback_provider`` is written (marked ``why:inferred``) when an article names neither a
    provider nor a publisher, because ``itemMeta/provider`` is required.
    """

    def __init__(self, fallback_provider: Organization | None = None) -> None:
        self.fallback_provider = fallback_provider

    def item(self, out: Writer, article: Article, *, namespace: bool = True) -> tuple[str, Lost]:
        """Write the ``newsItem`` to ``out``; return its ``versionCreated`` and what could not
        be written. ``namespace`` declares the NewsML-G2 namespace on it (not needed inside a
        ``newsMessage``, which declares it)."""
        return _Item(self, out, article).write(namespace)


class _Item(_Notes):
    """The state of one item being written: where to, the scheme aliases it uses, the fields
    it had to drop. Each part of the item is one f-string, appended in document order: per
    element, a method call costs more than the formatting, and archives are large."""

    __slots__ = ("article", "out", "parts", "writer")

    def __init__(self, writer: ItemWriter, out: Writer, article: Article) -> None:
        super().__init__()
        self.writer = writer
        self.parts = out.parts
        self.out = out
        self.article = article

    # --- helpers ----------------------------------------------------------------------------

    def party(
        self, tag: str, who: Organization | Person, pointer: str | None, extra: str = ""
    ) -> str:
        """A party (see :func:`party`), its losses reported under ``pointer``."""
        return self.merge(party(tag, who, extra), pointer)

    def date(self, tag: str, value: str | None, pointer: str, how: Any) -> str:
        """A date element, if the value can be written at all (dates need no escaping)."""
        if value is None:
            return ""
        written = how(value)
        if written.why:
            self.lose(pointer, written.why, specific=True)
        return "" if written.value is None else f"<{tag}>{written.value}</{tag}>"

    # --- the item ---------------------------------------------------------------------------

    def write(self, namespace: bool) -> tuple[str, Lost]:
        a, parts = self.article, self.parts
        parts.append(
            f'<newsItem{NAR_DECLARATION if namespace else ""} guid="{attr(a.id)}" '
            f'version="{a.version}"{ITEM_ATTRIBUTES} xml:lang="{a.language}" '
            f'xml:space="preserve">{CATALOG_REF}'
        )
        catalog = self.out.placeholder()
        self.pub_history()
        self.rights()
        stamp = self.item_meta()
        geo = self.content_meta()
        self.asserts(geo)
        self.content_set()
        parts.append("</newsItem>")
        if a.images:
            self.lose("/images", "pictures travel as their own newsItems in a packageItem")
        if self.aliases:
            self.out.fill(catalog, inline_catalog(tuple(sorted(self.aliases.items()))))
        return stamp, self.lost

    def pub_history(self) -> None:
        """``datePublished`` as the timestamp of the first publication, which may be a date."""
        a = self.article
        if a.date_published is None:
            return
        head, name = ("", "") if a.publisher is None else self.merge(published(a.publisher), None)
        timestamp = self.date("timestamp", a.date_published, "/datePublished", g2.date_or_time)
        self.parts.append(
            f"<pubHistory><published{head}>{timestamp}{name}</published></pubHistory>"
        )

    def extended(self, point: str) -> str:
        """What the installed exporter extensions add at a named output point."""
        written = ""
        for _, elements in registry.contributions(
            self.article, lambda extension, data: getattr(extension, point)(data)
        ):
            written += "".join(element.xml() for element in elements)
        return written

    def rights(self) -> None:
        """``rightsInfo``: the article's rights, then what extensions add (for them, one is
        written when the article has no rights of its own)."""
        rights = self.article.rights
        added = self.extended("newsml_rights_info")
        if rights is None and not added:
            return
        written = "" if rights is None else self.merge(rights_info(rights), "/rights")
        self.parts.append(f"<rightsInfo>{written}{added}</rightsInfo>")

    def item_meta(self) -> str:
        a = self.article
        stamp = g2.version_created(a.date_modified, a.date_published, a.date_created)
        item_class = f'<itemClass qcode="ninat:{a.type or "text"}"/>'
        parts = self.parts
        parts.append(f"<itemMeta>{item_class}{self.provider()}")
        parts.append(f"<versionCreated>{stamp}</versionCreated>")
        if a.date_published is not None and "T" in a.date_published:
            written = g2.date_time(a.date_published).value  # its loss is reported once, above
            if written is not None:
                parts.append(f"<firstCreated>{written}</firstCreated>")
        parts.append(self.date("embargoed", a.embargoed_until, "/embargoedUntil", g2.date_time))
        status = syndication_status(a)
        if status is not None:
            why = f' why="{g2.INFERRED}"' if status != a.pub_status else ""
            parts.append(f'<pubStatus qcode="stat:{status}"{why}/>')
            if a.pub_status not in (None, status):
                self.lose("/pubStatus", KILLED)
        if a.section is not None:
            parts.append(self.merge(service(a.section), None))
        for note in a.notes:  # a syndication output: internal notes stay in the canonical JSON
            if note.audience == "public":
                parts.append(f'<edNote role="{g2.PUBLIC_NOTE}">{text(note.text)}</edNote>')
                self.use(g2.TERMS)
            elif note.audience == "partner":
                parts.append(f"<edNote>{text(note.text)}</edNote>")
        for signal in a.signals:
            parts.append(f'<signal qcode="{SIGNALS[signal]}"/>')
            if signal == "kill":
                self.use(g2.TERMS)
        parts.append(self.date("expires", a.expires, "/expires", g2.date_or_time))
        if a.url is not None:
            canonical = self.iri(a.url, "/url")
            parts.append(f'<link reluri="{g2.CANONICAL_REL}" href="{canonical}"{HTML_TYPE}/>')
        for index, link in enumerate(a.related):
            href = self.iri(link.url, f"/related/{index}/url")
            head = f'<link rel="irel:seeAlso" href="{href}"{HTML_TYPE}'
            if link.title is None:
                parts.append(head + "/>")
            else:
                parts.append(f"{head}><title>{text(link.title)}</title></link>")
        parts.append("</itemMeta>")
        return stamp

    def provider(self) -> str:
        """The required provider: the article's own, else its publisher or the configured
        one, marked as inferred so that reading it back does not invent a provider."""
        a = self.article
        if a.provider is not None:
            return self.party("provider", a.provider, "/provider")
        fallback = a.publisher or self.writer.fallback_provider
        if fallback is not None:
            return self.party("provider", fallback, None, INFERRED)
        return f'<provider literal="unknown"{INFERRED}/>'

    def content_meta(self) -> Geography:
        """``contentMeta``; returns the entities' coordinates by concept identifier, for the
        ``assert`` elements (a ``subject`` cannot hold coordinates itself)."""
        self.parts.append("<contentMeta>")
        self.administrative()
        geo = self.descriptive()
        self.parts.append("</contentMeta>")
        return geo

    def administrative(self) -> None:
        """The administrative group of ``contentMeta``: urgency, dates, place, credits."""
        a = self.article
        add = self.parts.append
        if a.urgency is not None:
            add(f"<urgency>{a.urgency}</urgency>")
        add(self.date("contentCreated", a.date_created, "/dateCreated", g2.date_time))
        add(self.date("contentModified", a.date_modified, "/dateModified", g2.date_time))
        add(self.extended("newsml_content_meta"))
        if a.dateline is not None and a.dateline.place is not None:
            place = a.dateline.place
            add(self.merge(located(place), None))
            add("</located>" if place.geo is None else f"{position(place.geo)}</located>")
        if a.publisher is not None:
            add(self.party("infoSource", a.publisher, "/publisher", PUBLISHER_ROLE))
            self.use(g2.TERMS)
        if a.source_agency is not None:
            add(self.party("infoSource", a.source_agency, "/sourceAgency"))
        for index, person in enumerate(a.authors):  # a person has no logo to lose
            add(self.party("creator", person, f"/authors/{index}"))
        for index, person in enumerate(a.contributors):
            add(self.party("contributor", person, f"/contributors/{index}"))

    def descriptive(self) -> Geography:
        """The descriptive group of ``contentMeta``: what the article is about and its
        texts about itself; returns the entities' coordinates (see :meth:`content_meta`)."""
        a = self.article
        add = self.parts.append
        add(f'<language tag="{a.language}"/>')
        for index, genre in enumerate(a.genres):
            add(self.merge(concept("genre", genre, ""), f"/genres/{index}"))
        for index, subject in enumerate(a.subjects):
            add(self.merge(concept("subject", subject, ABSTRACT), f"/subjects/{index}"))
        geo: Geography = ({}, {})
        for field, entities in (("about", a.about), ("mentions", a.mentions)):
            for index, named in enumerate(entities):
                piece = entity(named, field == "mentions")
                key, written = self.merge(piece, f"/{field}/{index}")
                add(written)
                geo[0][key] = geo[0].get(key, 0) + 1
                if named.geo is not None:
                    geo[1].setdefault(key, []).append((f"/{field}/{index}/geo", named.geo))
        for keyword in a.keywords:
            add(f"<keyword>{text(keyword)}</keyword>")
        if a.slug is not None:
            add(f"<slugline>{a.slug}</slugline>")
        add(f"<headline>{text(a.headline)}</headline>")
        if a.subheadline is not None:
            add(f'<headline role="{g2.SUBHEADLINE}">{text(a.subheadline)}</headline>')
            self.use(g2.TERMS)
        if a.dateline is not None:
            add(f"<dateline>{text(a.dateline.text)}</dateline>")
        if a.by is not None:
            add(f"<by>{text(a.by)}</by>")
        if a.credit_line is not None:
            add(f"<creditline>{text(a.credit_line)}</creditline>")
        if a.summary is not None:
            add(f'<description role="drol:summary">{text(a.summary)}</description>')
        if a.caption is not None:
            add(f'<description role="drol:caption">{text(a.caption)}</description>')
        add(self.corrections())
        add(self.content_extensions())
        return geo

    def corrections(self) -> str:
        """Published corrections as descriptions in wirekit's correction role, dated."""
        written = ""
        for index, correction in enumerate(self.article.corrections):
            head = f' role="{g2.CORRECTION}"'
            if correction.date is not None:
                date = g2.date_or_time(correction.date)
                if date.why:
                    self.lose(f"/corrections/{index}/date", date.why, specific=True)
                if date.value is not None:
                    head += f' modified="{date.value}"'
            written += f"<description{head}>{text(correction.text)}</description>"
            self.use(g2.TERMS)
        return written

    def content_extensions(self) -> str:
        """What NewsML-G2 has no element for but its extension properties hold exactly."""
        a = self.article
        written = ""
        if a.dateline is not None and a.dateline.date is not None:
            date = g2.date(a.dateline.date)
            if date.value is None:
                self.lose("/dateline/date", date.why or "", specific=True)
            else:
                written += (
                    f'<contentMetaExtProperty rel="{g2.DATELINE_DATE}" value="{date.value}"/>'
                )
                self.use(g2.TERMS)
        if a.is_accessible_for_free is not None:
            value = "true" if a.is_accessible_for_free else "false"
            written += f'<contentMetaExtProperty rel="{g2.FREE}" value="{value}"/>'
            self.use(g2.TERMS)
        return written

    def asserts(self, geography: Geography) -> None:
        """Entities' coordinates, asserted about the concept their subject names. Entities that
        share an identifier but not their coordinates cannot be told apart: their coordinates
        are dropped, with a warning each."""
        counts, located = geography
        for key, found in located.items():
            values = {value for _, value in found}
            if len(values) > 1 or counts[key] > len(found):
                for pointer, _ in found:
                    self.lose(pointer, "another entity has the same identifier", True)
                continue
            kind = "qcode" if key.startswith(("wikidata:", "geonames:")) else "literal"
            self.parts.append(f'<assert {kind}="{attr(key)}">{position(found[0][1])}</assert>')

    def content_set(self) -> None:
        """The body twice: XHTML (structure) and plain text (every character, for receivers
        that cannot read markup)."""
        a = self.article
        if not a.body and not a.renditions:
            return
        parts = self.parts
        parts.append("<contentSet>")
        if a.body:  # the longest pieces: appended as they are, they are copied once, at the end
            plain = a.text
            parts.append(
                '<inlineXML contenttype="application/xhtml+xml" '
                f'wordcount="{len(plain.split())}">{HTML_START}<head><title>{text(a.headline)}'
                "</title></head><body>"
            )
            parts.extend(map(block, a.body))
            parts.append('</body></html></inlineXML><inlineData contenttype="text/plain">')
            parts.append(text(plain))
            parts.append("</inlineData>")
        parts.extend(self.remote_content(index) for index in range(len(a.renditions)))
        parts.append("</contentSet>")

    def remote_content(self, index: int) -> str:
        """One rendition of a picture, graphic, video or audio item as ``remoteContent``."""
        rendition = self.article.renditions[index]
        head = f' href="{self.iri(rendition.href, f"/renditions/{index}/href")}"'
        if rendition.name is not None:
            name = rendition.name
            if not g2.is_qcode(name):
                name = g2.term(g2.RENDITIONS, name)
            self.use(name.split(":", 1)[0])
            head += f' rendition="{attr(name)}"'
        if rendition.size_in_bytes is not None:
            head += f' size="{rendition.size_in_bytes}"'
        if rendition.media_type is not None:
            head += f' contenttype="{attr(rendition.media_type)}"'
        for name in ("width", "height"):
            value = getattr(rendition, name)
            if value is not None:
                head += f' {name}="{value}"'
        if rendition.duration is not None:
            head += f' duration="{decimal(rendition.duration)}" durationunit="timeunit:seconds"'
        return f"<remoteContent{head}/>"


def block(block: Block) -> str:
    """One body block as XHTML."""
    if isinstance(block, Paragraph):
        return f"<p>{lines(block.text)}</p>"
    if isinstance(block, Heading):
        tag = HEADINGS[block.level or 2]
        return f"<{tag}>{text(block.text)}</{tag}>"
    if isinstance(block, BlockQuote):
        quoted = f"<blockquote><p>{lines(block.text)}</p></blockquote>"
        if block.attribution is None:
            return quoted
        return f"<figure>{quoted}<figcaption>{text(block.attribution)}</figcaption></figure>"
    if isinstance(block, Table):
        return table_markup(block, lines)
    assert isinstance(block, ListBlock)
    tag = "ol" if block.ordered else "ul"
    items = "".join(f"<li>{lines(item)}</li>" for item in block.items)
    return f"<{tag}>{items}</{tag}>"


def lines(value: str) -> str:
    """Text for XHTML, each newline as ``<br/>`` so that browsers show it too."""
    escaped = text(value)
    return escaped.replace("\n", "<br/>") if "\n" in escaped else escaped


def fallback_provider(config: Config) -> Organization | None:
    """The configured provider (or publisher) for articles that name neither."""
    data = config.provider or config.publisher
    return Organization.from_dict(data) if data else None


def report(article: Article, lost: Lost, format_name: str) -> None:
    """A :class:`LossyConversionWarning` naming every field that could not be written, by its
    JSON pointer, one warning per reason. The article's id leads the message only when the loss
    depends on its values (a date XML Schema cannot write), so that a format-wide loss (images,
    logo sizes) reads the same for every article and Python's filters show it once."""
    if not lost:
        return
    grouped: dict[tuple[str, bool], list[str]] = {}
    for pointer, why, specific in lost:
        grouped.setdefault((why, specific), []).append(pointer)
    for (why, specific), pointers in grouped.items():
        lead = f"{article.id}: " if specific else ""
        message = f"{lead}{format_name} cannot carry {', '.join(pointers)}: {why}"
        warnings.warn(LossyConversionWarning(message), stacklevel=3)


def encode(out: Writer, *, first: bool = True, last: bool = True) -> bytes:
    """A document, or a piece of one streamed out (see :meth:`Writer.take`), as UTF-8: the
    first piece takes the declaration, the last the final newline. Text no XML document can
    hold (lone surrogates) is our own error."""
    if last:
        out.parts.append("\n")
    try:
        return out.take(declaration=first)
    except UnicodeEncodeError as exc:
        raise ExportError(f"text that no XML document can hold: {exc.reason}") from None


class NewsMLG2Exporter(Exporter):
    """One article as a NewsML-G2 2.35 ``newsItem`` (All-Power conformance)."""

    name = "newsml-g2"
    aliases = ("newsml", "g2", "newsitem")
    description = "IPTC NewsML-G2 newsItem, valid against the 2.35 All-Power XSD"
    media_type = g2.ITEM_MEDIA_TYPE
    file_extension = ".xml"
    standard = "IPTC NewsML-G2"
    standard_version = g2.STANDARD_VERSION
    audience = SYNDICATION
    published_name = "newsml-g2.xml"
    published_order = 30
    negotiation_order = 50

    def __init__(self, config: Config | None = None, **options: Any) -> None:
        super().__init__(config, **options)
        self.writer = ItemWriter(fallback_provider(self.config))

    def check(self, path: Path) -> str:
        return check(path, self.config)

    def export(self, article: Article) -> bytes:
        out = Writer()
        _, lost = self.writer.item(out, article)
        report(article, lost, self.name)
        return encode(out)


def check(path: Path, config: Config) -> str:
    """A newsItem or newsMessage against the official XSD (the importer's conformance)."""
    from wirekit.formats.newsml_g2.reader import NewsMLG2Importer

    what = f"NewsML-G2 {g2.STANDARD_VERSION} XSD"
    return conforms(NewsMLG2Importer(config), path.read_bytes(), what)
