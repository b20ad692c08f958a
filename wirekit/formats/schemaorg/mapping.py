"""The one mapping from an Article to schema.org nodes.

The jsonld exporter writes these nodes as JSON-LD and :mod:`wirekit.formats.schemaorg.rdf` writes
them as triples, both reading each term's meaning from the same context
(:func:`wirekit.formats.schemaorg.context.terms`), so the JSON-LD and the RDF cannot disagree. Two
decisions make "the same graph" well defined:

* **Namespace: ``http://schema.org/``.** The JSON-LD says ``"@context": "https://schema.org"``
  (what search engines expect), and that context's ``@vocab`` is ``http://schema.org/``, so every
  processor expands it to ``http://`` IRIs. The RDF uses the same IRIs, so a store holding both
  sees one graph; ``https://schema.org/`` appears nowhere in wirekit's output.
* **Dates: literals typed ``schema:Date``, lexical form untouched.** The context coerces
  ``datePublished``, ``dateModified``, ``dateCreated``, ``expires`` (46 terms in all) to
  ``schema:Date``, so that is what the JSON-LD means, and the RDF says the same. The value is
  written exactly as the article holds it: a date-time keeps its offset
  (``2025-07-30T09:15:00+03:30``), a date-only ``datePublished`` stays a bare date
  (``2025-07-30``): wirekit never invents a time or a time zone. Because neither rdflib nor
  Oxigraph knows ``schema:Date``, neither normalises the lexical form (they normalise
  ``xsd:dateTime`` differently), so the literal is byte-identical in every tool; compare dates
  in SPARQL with ``xsd:dateTime(str(?d))``.

Numbers follow JSON-LD's rules too: integers are ``xsd:integer``; coordinates with a fraction
are ``xsd:double`` in JSON-LD's canonical form (:func:`canonical_double`), and whole coordinates
are written as integers, so every JSON-LD processor reads the same literal.

**Node IRIs, not blank nodes.** The article's IRI is its ``id`` (:func:`article_iri`: an id
that RDF or JSON-LD would misread becomes the configured base IRI plus the percent-encoded id,
with a warning). A person, organisation or place with a Wikidata id is
``http://www.wikidata.org/entity/Q…`` (else one with a GeoNames id is
``https://sws.geonames.org/…/``), and a concept with a URI is that URI, so the same entity in two
articles is one node and a store joins them. Every other node gets an IRI minted from the
article's (``<article>#author-1``, ``#image-2``, ``#publisher-logo``: :class:`Minter`). Blank
nodes would make every load of the same article add fresh copies to a store and make graphs
comparable only by isomorphism; minted IRIs make loads idempotent and outputs diffable. Two nodes
with one global IRI are one node: their descriptions merge, as RDF says they must.

What schema.org has no place for is dropped with a :class:`LossyConversionWarning` (an author's
role, a person's coordinates, related links, a dateline date that is not the publication day).
Workflow fields that public structured data should not carry (slug, pubStatus, urgency, signals,
embargo, editor's note, provider, extensions) are left out silently; what installed exporter
extensions make of ``extensions`` (:meth:`wirekit.plugin.ExporterExtension.jsonld_properties`)
joins the article's node here, so every writer of these nodes carries it. An IRI that RDF or JSON-LD
would misread (in ``url``, ``sameAs``, a licence...) is an :class:`ExportError`.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, Union, cast
from urllib.parse import quote

from wirekit import registry
from wirekit.config import Config
from wirekit.errors import ExportError, LossyConversionWarning
from wirekit.formats.schemaorg.context import TermDefinition, prefixes, terms
from wirekit.memo import last_result
from wirekit.model import (
    Article,
    Concept,
    Correction,
    Entity,
    Geo,
    Image,
    Logo,
    Organization,
    Person,
    Place,
    names_byline,
)
from wirekit.plugin import JSONLDValue, Link
from wirekit.schema import accepts

WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"

Value = Union["Node", str, int, float, bool, Link]


class Node(NamedTuple):
    """One schema.org node: its IRI, its type (a schema.org term) and its properties in output
    order, each term once with one or more values. A string value is an IRI or a literal as the
    term's definition in the context says; a Node value is embedded; a :class:`Link` is an IRI
    whatever the term (an exporter extension's). A term is one of the context's, or an absolute
    IRI an extension adds. (A named tuple because mapping an archive makes millions; test for
    Node before testing for tuple.)"""

    id: str
    type: str
    properties: tuple[tuple[str, tuple[Value, ...]], ...]


GENRE_TYPES: dict[str, str] = {
    "Analysis": "AnalysisNewsArticle",
    "Opinion": "OpinionNewsArticle",
    "Background": "BackgroundNewsArticle",
    "Review": "ReviewNewsArticle",
    "Help_Us_to_Report": "AskPublicNewsArticle",
    "From_the_Scene": "ReportageNewsArticle",
    "Satire": "SatiricalArticle",
    "Advertiser_Supplied": "AdvertiserContentArticle",
    "Sponsored": "AdvertiserContentArticle",
}
"""IPTC genre code (scheme ``genre``) -> the schema.org Article subtype that says the same."""

ENTITY_TYPES: dict[str, str] = {
    "person": "Person",
    "organization": "Organization",
    "place": "Place",
}

_WIKIDATA_IRI = re.compile(r"https?://www\.wikidata\.org/(?:entity|wiki)/([^/]+)")
_GEONAMES_IRI = re.compile(r"https?://sws\.geonames\.org/([^/]+)/?")
"""Where the ids sit; whether they are ids is the schema's (``wikidataId``, ``geonamesId``)."""


def wikidata_id(iri: str) -> str | None:
    """``Q5943`` for a Wikidata entity IRI or page URL, else None."""
    found = _WIKIDATA_IRI.fullmatch(iri)
    return found.group(1) if found and accepts("wikidataId", found.group(1)) else None


def geonames_id(iri: str) -> str | None:
    """``112931`` for a GeoNames feature IRI, else None."""
    found = _GEONAMES_IRI.fullmatch(iri)
    return found.group(1) if found and accepts("geonamesId", found.group(1)) else None


def article_type(genres: Iterable[Concept]) -> str:
    """NewsArticle, or the subtype the first IPTC genre with one names."""
    for genre in genres:
        if genre.scheme == "genre" and genre.code in GENRE_TYPES:
            return GENRE_TYPES[genre.code]
    return "NewsArticle"


class Minter:
    """IRIs for nodes without an identity of their own, minted from the article's IRI: a
    fragment (``<article>#author-1``), or a fragment suffix if the IRI already has one."""

    def __init__(self, article_iri: str) -> None:
        self.base = article_iri + ("-" if "#" in article_iri else "#")

    def __call__(self, local: str) -> str:
        return self.base + local

    def minted(self, iri: str) -> bool:
        """Whether an IRI is one of this article's minted ones (the importer asks)."""
        return iri.startswith(self.base)


def canonical_double(value: int | float) -> str:
    """The lexical form JSON-LD processors give a JSON number with a fraction (PyLD and
    jsonld.js: 16 significant digits, ``3.56892E1``), so the RDF says what the JSON-LD means."""
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")


def id_iri(article_id: str, config: Config | None = None) -> str:
    """The IRI an article id stands for: the id itself when RDF and JSON-LD read it as written,
    else the configured base IRI followed by the percent-encoded id (stable, and always valid)."""
    if _iri_problem(article_id) is None:
        return article_id
    return _iri((config or Config()).base_iri + quote(article_id, safe=""), "/id")


def article_iri(article: Article, config: Config | None = None) -> str:
    """The article's IRI (see :func:`id_iri`), its node's ``@id`` and its named graph; one
    other than the id comes with a :class:`LossyConversionWarning`."""
    iri = id_iri(article.id, config)
    if iri == article.id:
        return iri
    problem = _iri_problem(article.id)
    warnings.warn(
        LossyConversionWarning(f"/id: not usable as an IRI ({problem}); the IRI is {iri}"),
        stacklevel=2,
    )
    return iri


@last_result  # publishing maps one Article for JSON-LD, the page, Turtle and N-Triples in a row
def article_node(article: Article, config: Config | None = None) -> Node:
    """The article as a tree of schema.org nodes, the article at the root."""
    return _Mapping(article, article_iri(article, config)).article()


def walk(root: Node) -> Iterator[Node]:
    """Every node of a tree, depth first, the root first (repeats included)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        for _, values in reversed(node.properties):
            stack.extend(v for v in reversed(values) if isinstance(v, Node))


def _node(iri: str, type_: str, *pairs: tuple[str, Value | Sequence[Value] | None]) -> Node:
    """A node from (term, value-or-values) pairs, leaving out absent and empty ones. (The
    mapping's hot spot: ``type() is`` because a Node is a tuple too, and is faster.)"""
    properties: list[tuple[str, tuple[Value, ...]]] = []
    for term, value in pairs:
        if value is None:
            continue
        kind = type(value)
        if kind is tuple or kind is list:
            if value:
                properties.append((term, tuple(cast("Sequence[Value]", value))))
        else:
            properties.append((term, (cast("Value", value),)))
    return Node(iri, type_, tuple(properties))


def _lossy(pointer: str, what: str) -> None:
    warnings.warn(
        LossyConversionWarning(f"{pointer}: schema.org has no place for {what}; dropped"),
        stacklevel=2,
    )


@functools.lru_cache(maxsize=4096)
def _iri_problem(iri: str) -> str | None:
    """Why an IRI cannot be written (None when it can): pyoxigraph's RFC 3987 check, which every
    strict RDF parser shares, and JSON-LD's reading of ``prefix:x`` as a compact IRI."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(iri)
    except ValueError as exc:
        return str(exc)
    scheme = iri.partition(":")[0]
    if scheme in prefixes():
        return f"JSON-LD with the schema.org context reads {scheme}: as a prefix"
    return None


def _iri(iri: str, pointer: str) -> str:
    problem = _iri_problem(iri)
    if problem is not None:
        raise ExportError(f"cannot write the IRI {iri!r} as linked data: {problem}", place=pointer)
    return iri


def _extension_term(key: str, where: str) -> TermDefinition | None:
    """A key an extension gives: a property of the schema.org context (its definition) or an
    absolute IRI (None: no definition, its strings are plain literals)."""
    definition = terms().get(key)
    if definition is not None and key[:1].islower():
        return definition
    if ":" in key:
        _iri(key, "/extensions")
        return None
    raise ExportError(
        f"{where} is neither a property of wirekit's schema.org context nor an absolute IRI "
        "(write a schema.org term outside the context as http://schema.org/...)",
        place="/extensions",
    )


def _extension_value(value: JSONLDValue, definition: TermDefinition | None, where: str) -> Value:
    """A value an extension gives, as the mapping holds it: a Link's IRI and a string under an
    IRI-valued term checked as the mapping's own, a float as :func:`_number` writes it."""
    if isinstance(value, Link):
        return Link(_iri(value.iri, "/extensions"))
    if isinstance(value, str):
        is_iri = definition is not None and definition.coercion == "@id"
        return _iri(value, "/extensions") if is_iri else value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{where}: {value} is no number JSON can hold", place="/extensions")
        return _number(value)
    if isinstance(value, int):  # bool too
        return value
    raise ExportError(
        f"{where}: a {type(value).__name__} is no JSON-LD value here (strings, numbers, "
        "booleans and Links are)",
        place="/extensions",
    )


def _number(value: int | float) -> int | float:
    """A whole float as an int, so JSON writes ``35`` and every processor reads xsd:integer.
    Any other at the 16 significant digits of :func:`canonical_double`: the JSON-LD then holds
    the very double its RDF holds whichever processor reads it (PyLD writes 16 digits, and
    Oxigraph keeps the 17 some doubles need), a change below a nanometre on the ground. The
    rounding comes first: 100.99999999999997 rounds to 101, a whole number, written as one.
    (``int | float`` because coordinates may be either: to mypyc, which compiles this module in
    the compiled build, a ``float`` parameter turns an int into a float on the way in.)"""
    rounded = float(canonical_double(value))  # coordinates: an int in JSON is exact here too
    return int(rounded) if rounded.is_integer() else rounded


class _Mapping:
    """One article's mapping: the article, its IRI minter, and a method per kind of node."""

    def __init__(self, article: Article, iri: str) -> None:
        self.a = article
        self.iri = iri
        self.mint = Minter(iri)

    def article(self) -> Node:
        a = self.a
        self._check_lossy()
        url = _iri(a.url, "/url") if a.url else None
        rights = a.rights
        holder = licence = year = notice = None
        if rights is not None:
            holder = self._organization(
                rights.copyright_holder,
                "Organization",
                "copyright-holder",
                "/rights/copyrightHolder",
            )
            licence = _iri(rights.license, "/rights/license") if rights.license else None
            year, notice = rights.copyright_year, rights.copyright_notice
        about = [self._entity(e, "about", "about", i) for i, e in enumerate(a.about)]
        mentions = [self._entity(e, "mention", "mentions", i) for i, e in enumerate(a.mentions)]
        node = _node(
            self.iri,
            article_type(a.genres),
            ("identifier", a.id),
            ("url", url),
            ("mainEntityOfPage", url),
            ("headline", a.headline),
            ("alternativeHeadline", a.subheadline),
            ("description", a.summary),
            ("inLanguage", a.language),
            ("datePublished", a.date_published),
            ("dateModified", a.date_modified),
            ("dateCreated", a.date_created),
            ("expires", a.expires),
            ("version", a.version),
            ("genre", self._concepts(a.genres, "genre", "genres")),
            ("articleSection", a.section),
            ("keywords", a.keywords),
            ("dateline", a.dateline.text if a.dateline else None),
            ("locationCreated", self._dateline_place()),
            ("author", [self._person(p, "author", "authors", i) for i, p in enumerate(a.authors)]),
            ("contributor", [  # someone known only by a login is no one to show the public
                self._contributor(p, i) for i, p in enumerate(a.contributors) if p.name
            ]),
            ("publisher", self._organization(
                a.publisher, "NewsMediaOrganization", "publisher", "/publisher"
            )),
            ("sourceOrganization", self._organization(
                a.source_agency, "Organization", "source-organization", "/sourceAgency"
            )),
            ("creditText", a.credit_line),
            ("copyrightHolder", holder),
            ("copyrightYear", year),
            ("copyrightNotice", notice),
            ("license", licence),
            ("usageInfo", self._usage_terms()),
            ("isAccessibleForFree", a.is_accessible_for_free),
            ("image", [self._image(image, i) for i, image in enumerate(a.images)]),
            ("about", about + self._concepts(a.subjects, "subject", "subjects")),
            ("mentions", mentions),
            ("correction", [self._correction(c, i) for i, c in enumerate(a.corrections)]),
            ("wordCount", a.word_count),
            ("articleBody", a.text),
        )  # fmt: skip
        added = self._extended({term for term, _ in node.properties})
        return node._replace(properties=node.properties + added) if added else node

    def _extended(self, taken: set[str]) -> tuple[tuple[str, tuple[Value, ...]], ...]:
        """What installed exporter extensions add to the article's node (see
        :meth:`wirekit.plugin.ExporterExtension.jsonld_properties`), in their name order; a
        property the node has already stays the mapping's."""
        added: list[tuple[str, tuple[Value, ...]]] = []
        properties = registry.contributions(self.a, lambda e, data: e.jsonld_properties(data))
        for extension, given_properties in properties:
            for key, given in given_properties.items():
                where = f"the exporter extension {extension.name}'s JSON-LD property {key!r}"
                if key in taken:
                    warnings.warn(
                        LossyConversionWarning(
                            f"/extensions: {where}: the article's node has it already; left out"
                        ),
                        stacklevel=2,
                    )
                    continue
                definition = _extension_term(key, where)
                listed = given if isinstance(given, list | tuple) else (given,)
                values = tuple(_extension_value(value, definition, where) for value in listed)
                if values:
                    added.append((key, values))
                    taken.add(key)
        return tuple(added)

    def _check_lossy(self) -> None:
        a = self.a
        for i, person in enumerate(a.authors):
            if person.role is not None:
                _lossy(f"/authors/{i}/role", "an author's role (Google wants a bare Person)")
        if a.related:
            _lossy("/related", "links to related articles on an Article")
        if a.byline is not None and a.byline != names_byline(p.name for p in a.authors if p.name):
            _lossy("/byline", "the byline as printed (authors are named one by one)")
        for field, value in (("caption", a.caption), ("renditions", a.renditions)):
            if value:
                _lossy(f"/{field}", "a media item's content on an Article")
        if a.notes_for("public"):  # partner and internal notes never reach a public output
            _lossy("/notes", "public notes")
        dateline = a.dateline
        if dateline and dateline.date and dateline.date != (a.date_published or "")[:10]:
            _lossy("/dateline/date", "a dateline date other than the publication day")

    def _identity(
        self,
        wikidata: str | None,
        geonames: str | None,
        same_as: Sequence[str],
        local: str,
        pointer: str,
    ) -> tuple[str, list[str]]:
        """(node IRI, sameAs IRIs): the Wikidata IRI, else the GeoNames IRI, else a minted one.
        sameAs lists the Wikidata and GeoNames IRIs first, the node's own included, because
        search engines and most JSON consumers read sameAs and never @id; then the others."""
        known = [WIKIDATA + wikidata] if wikidata else []
        known += [f"{GEONAMES}{geonames}/"] if geonames else []
        links = [_iri(link, f"{pointer}/sameAs/{i}") for i, link in enumerate(same_as)]
        return (known[0] if known else self.mint(local)), known + links

    def _person(self, person: Person, local: str, field: str, index: int) -> Node:
        pointer = f"/{field}/{index}"
        iri, links = self._identity(
            person.wikidata, None, person.same_as, f"{local}-{index + 1}", pointer
        )
        url = _iri(person.url, f"{pointer}/url") if person.url else None
        return _node(
            iri,
            "Person",
            ("name", person.name),  # a provider's system id is for its systems, not the public
            ("url", url),
            ("sameAs", links),
        )

    def _contributor(self, person: Person, index: int) -> Node:
        node = self._person(person, "contributor", "contributors", index)
        if person.role is None:
            return node
        role_iri = self.mint(f"contributor-{index + 1}-role")
        return _node(role_iri, "Role", ("roleName", person.role), ("contributor", node))

    def _organization(
        self, org: Organization | None, type_: str, local: str, pointer: str
    ) -> Node | None:
        if org is None:
            return None
        iri, links = self._identity(org.wikidata, None, org.same_as, local, pointer)
        url = _iri(org.url, f"{pointer}/url") if org.url else None
        return _node(
            iri,
            type_,
            ("name", org.name),
            ("url", url),
            ("logo", self._logo(org.logo, f"{local}-logo", f"{pointer}/logo")),
            ("sameAs", links),
        )

    def _logo(self, logo: Logo | None, local: str, pointer: str) -> Node | None:
        if logo is None:
            return None
        url = _iri(logo.url, f"{pointer}/url")
        return _node(
            self.mint(local),
            "ImageObject",
            ("url", url),
            ("contentUrl", url),
            ("width", logo.width),
            ("height", logo.height),
        )

    def _image(self, image: Image, index: int) -> Node:
        url = _iri(image.url, f"/images/{index}/url")
        return _node(
            self.mint(f"image-{index + 1}"),
            "ImageObject",
            ("url", url),
            ("contentUrl", url),
            ("caption", image.caption),
            ("description", image.alt_text),
            ("creditText", image.credit),
            ("width", image.width),
            ("height", image.height),
            ("encodingFormat", image.media_type),
        )

    def _concepts(self, concepts: Sequence[Concept], local: str, field: str) -> list[Node]:
        """Controlled-vocabulary codes as DefinedTerms: the QCode as termCode, the concept URI
        (when known) as the node IRI, so topics join across articles."""
        return [
            _node(
                _iri(c.uri, f"/{field}/{i}/uri") if c.uri else self.mint(f"{local}-{i + 1}"),
                "DefinedTerm",
                ("termCode", c.qcode),
                ("name", c.label),
            )
            for i, c in enumerate(concepts)
        ]

    def _geo(self, geo: Geo | None, local: str) -> Node | None:
        if geo is None:
            return None
        return _node(
            self.mint(f"{local}-geo"),
            "GeoCoordinates",
            ("latitude", _number(geo.latitude)),
            ("longitude", _number(geo.longitude)),
        )

    def _address(self, country_code: str | None, local: str) -> Node | None:
        if country_code is None:
            return None
        return _node(
            self.mint(f"{local}-address"), "PostalAddress", ("addressCountry", country_code)
        )

    def _entity(self, entity: Entity, local: str, field: str, index: int) -> Node:
        name = f"{local}-{index + 1}"
        pointer = f"/{field}/{index}"
        iri, links = self._identity(entity.wikidata, entity.geonames, entity.same_as, name, pointer)
        geo = None
        if entity.type == "place":
            geo = self._geo(entity.geo, name)
        elif entity.geo is not None:
            _lossy(f"{pointer}/geo", f"the coordinates of a {entity.type}")
        return _node(
            iri,
            ENTITY_TYPES[entity.type],
            ("name", entity.name),
            ("address", self._address(entity.country_code, name)),
            ("geo", geo),
            ("sameAs", links),
        )

    def _dateline_place(self) -> Node | None:
        place: Place | None = self.a.dateline.place if self.a.dateline else None
        if place is None:
            return None
        local = "location-created"
        iri, links = self._identity(place.wikidata, place.geonames, (), local, "/dateline/place")
        country = None
        if place.country is not None:
            country = _node(self.mint(f"{local}-country"), "Country", ("name", place.country))
        return _node(
            iri,
            "Place",
            ("name", place.name),
            ("containedInPlace", country),
            ("address", self._address(place.country_code, local)),
            ("geo", self._geo(place.geo, local)),
            ("sameAs", links),
        )

    def _correction(self, correction: Correction, index: int) -> Node:
        return _node(
            self.mint(f"correction-{index + 1}"),
            "CorrectionComment",
            ("text", correction.text),
            ("datePublished", correction.date),
        )

    def _usage_terms(self) -> Node | None:
        rights = self.a.rights
        if rights is None or rights.usage_terms is None:
            return None
        return _node(self.mint("usage-terms"), "CreativeWork", ("text", rights.usage_terms))
