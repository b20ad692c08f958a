"""schema.org JSON-LD in: a JSON-LD document, or an HTML page with NewsArticle JSON-LD in its
``<script type="application/ld+json">`` blocks (one or several, ``@graph`` or nested), such as the
pages publishers put online.

How it reads: each block's keys and types are resolved through its contexts by rdflib's JSON-LD
context processor (aliases such as ``type``, prefixes such as ``schema:``, ``@vocab``, scoped
contexts), after :mod:`wirekit.formats.schemaorg.context` has replaced every schema.org context URL
with the local copy and refused any other remote context with an :class:`InputError`: nothing is
fetched, ever. The JSON tree is then walked as it is written rather than turned into triples,
because RDF forgets order and a byline, a keyword list or a gallery has one. A node given only by
reference (``{"@id": ...}``, the ``@graph`` form) is looked up among the document's other nodes; a
node described in place is read as described. ``https://schema.org/`` terms are read as
``http://schema.org/`` ones, since publishers write both.

The round trip ``canonical -> jsonld -> canonical`` is the identity on :data:`CARRIED`. It is not on
what schema.org cannot carry (see :mod:`wirekit.formats.schemaorg.mapping`), and ``articleBody`` is
plain text: it comes back as paragraphs split at blank lines. What the page leaves out comes from
the config: the language, and an id (``<base_iri><slug of the headline>``) when the page has no IRI
for the article.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import quote

from wirekit import coverage
from wirekit.config import Config
from wirekit.errors import InputError
from wirekit.formats.canonical.reader import loads
from wirekit.formats.schemaorg.context import SCHEMA_ORG_CONTEXT_URLS, local_context
from wirekit.formats.schemaorg.mapping import (
    ENTITY_TYPES,
    GENRE_TYPES,
    Minter,
    geonames_id,
    wikidata_id,
)
from wirekit.formats.text.reader import decode
from wirekit.plugin import (
    Importer,
    Record,
    article_id,
    headline_text,
    location,
    slugify,
    warn,
)
from wirekit.schema import accepts

CARRIED = (
    "id", "version", "url", "headline", "subheadline", "summary", "language",
    "dateCreated", "datePublished", "dateModified", "expires", "genres", "section", "keywords",
    "dateline (text and place)", "authors (but their roles)", "contributors", "publisher",
    "sourceAgency", "creditLine", "rights", "isAccessibleForFree", "subjects",
    "about and mentions (but the coordinates of people and organisations)", "images",
    "corrections", "body (when every block is a paragraph without a blank line inside)",
)  # fmt: skip
"""The canonical fields a jsonld round trip gives back unchanged (except that a Wikidata or
GeoNames IRI written in ``sameAs`` comes back as the ``wikidata`` or ``geonames`` field)."""

_MAPPED = (
    "headline", "identifier", "version", "url", "mainEntityOfPage", "alternativeHeadline",
    "description", "inLanguage", "articleBody", "dateCreated", "datePublished", "dateModified",
    "genre", "articleSection", "correction", "dateline", "locationCreated", "author",
    "contributor", "publisher", "sourceOrganization", "creditText", "copyrightHolder",
    "copyrightNotice", "copyrightYear", "license", "usageInfo", "isAccessibleForFree", "about",
    "keywords", "mentions", "image", "expires",
)  # fmt: skip
COVERAGE: dict[str, str] = {
    **dict.fromkeys(_MAPPED, "mapped"),
    "name": "the headline's other spelling, read when there is no headline",
    "wordCount": "counted from the body",
}
"""An article node's schema.org property -> ``mapped`` or the rule it is left out by (see
:mod:`wirekit.coverage`); what it does not list (``speakable``, ``isPartOf``, ``video``...) is
named in one warning an article."""
_SCHEMA = ("http://schema.org/", "https://schema.org/")
_KEYWORDS = ("@id", "@type", "@graph", "@included", "@value", "@list", "@set")
_ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "Report", "LiveBlogPosting", *GENRE_TYPES.values()}
)
_TYPE_GENRES = {schema_type: code for code, schema_type in reversed(GENRE_TYPES.items())}
_ENTITY_KINDS = {schema_type: kind for kind, schema_type in ENTITY_TYPES.items()} | {
    **dict.fromkeys(("NewsMediaOrganization", "Corporation", "GovernmentOrganization", "NGO",
                     "PoliticalParty", "EducationalOrganization", "SportsTeam"), "organization"),
    **dict.fromkeys(("Country", "City", "State", "AdministrativeArea", "Landform",
                     "LandmarksOrHistoricalBuildings", "TouristAttraction"), "place"),
}  # fmt: skip
_DIGITS = re.compile(r"\s*[0-9]{1,9}\s*")
_NOT_IN_LINE = re.compile(r"[\x00-\x1f\ufffe\uffff]+")
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@dataclass
class _View:
    """A node as written: its IRI, its schema.org types and properties (local names), each
    property's values in document order (strings, numbers, booleans or nested views)."""

    id: str | None = None
    types: list[str] = field(default_factory=list)
    props: dict[str, list[Any]] = field(default_factory=dict)

    def filled(self) -> Iterator[str]:
        """The properties that hold a value: an article node's coverage paths, which its one
        "not carried" warning and the coverage report both judge by :data:`COVERAGE`."""
        return (name for name, values in self.props.items() if values)


@functools.cache
def _contexts() -> tuple[Any, Any]:
    """(the empty active context, the schema.org one), processed once per process (about a
    millisecond each time otherwise). rdflib's contexts are not changed by use."""
    from rdflib.plugins.shared.jsonld.context import Context

    root = Context()
    return root, root.subcontext(local_context("https://schema.org"))


class _Document:
    """The nodes of one page or file, and an index of their descriptions by IRI."""

    def __init__(self) -> None:
        self.root, self.schema = _contexts()
        self.nodes: list[_View] = []
        self.index: dict[str, list[_View]] = {}

    def add(self, document: Any, ctx: Any = None) -> None:
        """Read a document (or the members of a ``@graph``, in their active context)."""
        for item in _listed(document):
            if isinstance(item, dict):
                self._node(item, ctx or self.root)

    def _context(self, ctx: Any, value: Any) -> Any:
        if ctx is self.root and isinstance(value, str) and value in SCHEMA_ORG_CONTEXT_URLS:
            return self.schema  # the common case, processed once
        local = local_context(value)  # InputError for a remote context
        try:
            return ctx.subcontext(local)
        except Exception as exc:  # rdflib raises anything on a malformed context
            raise InputError(f"unusable @context: {exc!r}") from None

    @staticmethod
    def _keyword(key: str, ctx: Any) -> str | None:
        if key.startswith("@"):
            return key
        return next((k for k in _KEYWORDS if key in ctx.get_keys(k)), None)

    def _node(self, obj: dict[str, Any], ctx: Any) -> _View:
        if "@context" in obj:
            ctx = self._context(ctx, obj["@context"])
        ctx = ctx.get_context_for_type(obj) or ctx
        view = _View()
        self.nodes.append(view)
        for key, value in obj.items():
            keyword = self._keyword(key, ctx)
            if keyword == "@id" and isinstance(value, str):
                view.id = value
            elif keyword == "@type":
                view.types = [t for t in map(_local, map(ctx.expand, _listed(value))) if t]
            elif keyword in ("@graph", "@included"):
                self.add(value, ctx)
            elif keyword is None and (name := _local(ctx.expand(key))):
                term = ctx.terms.get(key)
                inner = ctx.get_context_for_term(term) if term else ctx
                view.props.setdefault(name, []).extend(self._values(value, inner))
        if view.id and view.props:
            self.index.setdefault(view.id, []).append(view)
        return view

    def _values(self, value: Any, ctx: Any) -> Iterator[Any]:
        for item in _listed(value):
            if not isinstance(item, dict):
                if item is not None:
                    yield item
                continue
            keys = {self._keyword(k, ctx): v for k, v in item.items()}
            if "@value" in keys:
                if keys["@value"] is not None:
                    yield keys["@value"]
            elif "@list" in keys or "@set" in keys:
                yield from self._values(keys.get("@list", keys.get("@set")), ctx)
            else:
                yield self._node(item, ctx)

    def described(self, value: Any) -> _View | None:
        """A node value as described: in place, or, for a bare reference or an IRI string, by
        merging the document's descriptions of that IRI. None for a plain literal."""
        if isinstance(value, _View) and value.props:
            return value
        iri = value.id if isinstance(value, _View) else value
        found = self.index.get(iri) if isinstance(iri, str) else None
        if not found:
            return value if isinstance(value, _View) else None
        merged = _View(iri, list(value.types) if isinstance(value, _View) else [])
        for description in found:
            merged.types.extend(t for t in description.types if t not in merged.types)
            for name, values in description.props.items():
                merged.props.setdefault(name, []).extend(values)
        return merged

    def articles(self) -> list[_View]:
        """The article nodes, each IRI once, in document order."""
        seen: set[str] = set()
        found = []
        for view in self.nodes:
            fresh = view.id is None or view.id not in seen
            if fresh and view.props and _ARTICLE_TYPES.intersection(view.types):
                found.append(view)
                seen.add(view.id or "")
        return found


def _local(iri: Any) -> str | None:
    """``headline`` for a schema.org IRI (http or https), else None."""
    if isinstance(iri, str):
        for namespace in _SCHEMA:
            if iri.startswith(namespace):
                return iri[len(namespace) :] or None
    return None


_OPENING = re.compile(r"<!--|<(script|style|textarea|title|xmp|noscript)(?=[\s/>])", re.I)
"""What the scan stops at: a comment, or an element whose content is text, not markup (a
``<script>`` written inside one of those is no script)."""
_TYPE = re.compile(r"""(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_TAG_LIMIT = 16_384
"""The most a start tag's attributes may take; a page whose tag does not end by then has no
script there."""


def _script_blocks(text: str) -> Iterator[str]:
    """The text of every ``<script type="application/ld+json">`` in a page, found with a scan
    that builds no tree and keeps nothing but the blocks: the only state is a position in the
    text, so a page of nothing but ``<a `` costs its own size and one pass (an HTML parser
    kept a partial tag for each, 1.6 GB for a 9 MB page). Comments are skipped, and the
    content of a raw-text element is skipped to its end tag, as HTML5 tokenizes them."""
    position = 0
    while (found := _OPENING.search(text, position)) is not None:
        if found.group(1) is None:  # a comment, to its end (or the end of the page)
            end = text.find("-->", found.end())
            position = len(text) if end < 0 else end + 3
            continue
        name = found.group(1).lower()
        start = found.end()
        close = _tag_end(text, start)
        if close < 0:
            position = start
            continue
        closing = re.compile(f"</{name}(?=[\\s/>])", re.I).search(text, close + 1)
        content_end = len(text) if closing is None else closing.start()
        if name == "script":
            kind = _TYPE.search(text, start, close)
            value = next((g for g in kind.groups() if g is not None), "") if kind else ""
            if value.partition(";")[0].strip().lower() == "application/ld+json":
                yield _WRAPPER.sub("", text[close + 1 : content_end])
        position = content_end if closing is None else closing.end()


def _tag_end(text: str, start: int) -> int:
    """Where the start tag whose attributes begin at ``start`` ends (its ``>``, quoted values
    passed over), or -1 when it does not end within :data:`_TAG_LIMIT`."""
    quote = ""
    for index in range(start, min(len(text), start + _TAG_LIMIT)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index
    return -1


def _is_html(text: str) -> bool:
    return text.lstrip()[:1] == "<"


class JSONLDImporter(Importer):
    """schema.org NewsArticle JSON-LD, alone or embedded in HTML pages."""

    name = "jsonld"
    aliases = ("json-ld", "schema.org", "schemaorg")
    description = "schema.org NewsArticle JSON-LD, alone or in the <script> blocks of HTML pages"
    media_types = ("application/ld+json", "text/html")
    file_extensions = (".jsonld", ".json", ".html", ".htm")

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """JSON with an ``@context``, or HTML whose head names ``application/ld+json``."""
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start in (b"{", b"["):
            found = b'"@context"' in head
        else:
            found = start == b"<" and b"application/ld+json" in head.lower()
        return 0.9 if found else 0.0

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        try:
            yield from self.parse(stream.read(), source)
        except InputError as exc:
            raise exc.located(source) from None

    coverage_table = COVERAGE
    warns_unmapped = True  # each article names the properties no field holds

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """The properties of each article node, as the reader resolves them."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reading said it already
            articles = self._document(data, "")[0].articles()
        for view in articles:
            yield from view.filled()

    def parse(self, data: bytes, source: str | None = None) -> Iterator[Record]:
        """One file's bytes -> a record per article node (not yet validated). Warnings about
        what was repaired or skipped name ``source`` and the article, so a batch's log says
        which page."""
        document, skipped = self._document(data, source)
        articles = document.articles()
        if not articles:
            why = f" ({skipped[0]})" if skipped else ""
            raise InputError(f"no schema.org Article or NewsArticle node found{why}")
        many = len(articles) > 1
        for index, view in enumerate(articles):
            place = f"article {index + 1}" if many else None
            canonical = _Canonical(document, self.config, location(source, place))
            yield Record(canonical.article(view), place)

    @staticmethod
    def _document(data: bytes, source: str | None) -> tuple[_Document, list[str]]:
        """The nodes of a JSON-LD file or of a page's JSON-LD blocks, and the blocks skipped
        (each with a warning naming ``source``)."""
        text = decode(data)
        document = _Document()
        skipped: list[str] = []
        if _is_html(text):
            for number, block in enumerate(_script_blocks(text), 1):
                try:
                    document.add(loads(block, place=f"JSON-LD block {number}"))
                except InputError as exc:  # a page's other blocks may still hold the article
                    skipped.append(f"JSON-LD block {number}: {exc.message}")
                    warn(source, f"{skipped[-1]}; block skipped")
        else:
            document.add(loads(text))
        return document, skipped


class _Canonical:
    """Views -> canonical dicts: the inverse of :mod:`wirekit.formats.schemaorg.mapping`'s
    mapping."""

    def __init__(self, document: _Document, config: Config, where: str | None = None) -> None:
        self.doc = document
        self.config = config
        self.where = where
        """The file and article, for warnings."""
        self.repaired = False

    # --- values -------------------------------------------------------------------------

    def _strings(self, view: _View, name: str) -> list[str]:
        return [v for v in view.props.get(name, ()) if isinstance(v, str)]

    def _string(self, view: _View, name: str) -> str | None:
        found = self._strings(view, name)
        return found[0] if found else None

    def _line(self, view: _View, name: str) -> str | None:
        value = self._string(view, name)
        return None if value is None else self._clean(_NOT_IN_LINE, " ", value)

    def _text(self, view: _View, name: str) -> str | None:
        value = self._string(view, name)
        return None if value is None else self._clean(_NOT_IN_TEXT, "", value)

    def _clean(self, pattern: re.Pattern[str], replacement: str, value: str) -> str:
        cleaned = pattern.sub(replacement, value)
        self.repaired = self.repaired or cleaned != value
        return cleaned

    def _nodes(self, view: _View, name: str) -> list[_View]:
        found = (self.doc.described(v) for v in view.props.get(name, ()))
        return [v for v in found if v is not None]

    def _node(self, view: _View, name: str) -> _View | None:
        found = self._nodes(view, name)
        return found[0] if found else None

    @staticmethod
    def _integer(view: _View, name: str) -> int | None:
        for value in view.props.get(name, ()):
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, str) and _DIGITS.fullmatch(value):
                return int(value)
        return None

    @staticmethod
    def _number(view: _View, name: str) -> float | None:
        for value in view.props.get(name, ()):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            try:
                return float(value)
            except (TypeError, ValueError):
                continue
        return None

    # --- the article --------------------------------------------------------------------

    def article(self, view: _View) -> dict[str, Any]:
        headline = headline_text(self._line(view, "headline")) or headline_text(
            self._line(view, "name")
        )
        if not headline:
            raise InputError("the article node has no headline")
        out: dict[str, Any] = {"id": self._id(view, headline)}
        out["version"] = self._integer(view, "version") or 1
        _put(out, "url", self._string(view, "url"))
        out["headline"] = headline
        _put(out, "subheadline", self._line(view, "alternativeHeadline"))
        _put(out, "summary", self._text(view, "description"))
        out["language"] = self._language(view)
        out["body"] = self._body(view, out.get("summary"))
        for name in ("dateCreated", "datePublished", "dateModified"):
            _put(out, name, self._string(view, name))
        _put(out, "expires", self._expires(view))
        _put(out, "genres", self._concepts(view, "genre") or self._genre_from_type(view))
        _put(out, "section", self._line(view, "articleSection"))
        _put(out, "corrections", self._corrections(view))
        _put(out, "dateline", self._dateline(view))
        _put(out, "authors", self._people(view, "author"))
        _put(out, "contributors", self._people(view, "contributor"))
        _put(out, "publisher", self._organization(view, "publisher"))
        _put(out, "sourceAgency", self._organization(view, "sourceOrganization"))
        _put(out, "creditLine", self._line(view, "creditText"))
        _put(out, "rights", self._rights(view))
        _put(out, "isAccessibleForFree", self._boolean(view, "isAccessibleForFree"))
        _put(out, "subjects", self._concepts(view, "about"))
        _put(out, "keywords", list(dict.fromkeys(self._keywords(view))))
        _put(out, "about", self._entities(self._nodes(view, "about")))
        _put(out, "mentions", self._entities(self._nodes(view, "mentions")))
        images = (self._picture(value, details=True) for value in view.props.get("image", ()))
        _put(out, "images", [image for image in images if image])
        if self.repaired:
            warn(self.where, f"{out['id']}: removed control characters")
        listed = coverage.not_carried(view.filled(), COVERAGE)
        if listed:
            warn(self.where, f"{out['id']}: not carried (no field in the model): {listed}")
        return out

    def _id(self, view: _View, headline: str) -> str:
        identifier = self._string(view, "identifier")
        if identifier and view.id == self.config.base_iri + quote(identifier, safe=""):
            return identifier  # an id no IRI could be as written (see schemaorg.article_iri)
        candidates = [view.id, *self._strings(view, "url")]
        candidates += self._strings(view, "mainEntityOfPage")
        for candidate in candidates:
            if candidate and not candidate.startswith("_:") and accepts("iri", candidate):
                return candidate
        if view.id and not view.id.startswith("_:"):  # named, but not as the schema accepts
            return article_id(view.id, self.config, self.where)
        return f"{self.config.base_iri}{slugify(headline) or 'article'}"

    def _language(self, view: _View) -> str:
        for value in view.props.get("inLanguage", ()):
            language = self.doc.described(value)
            tags = [value] if language is None else self._strings(language, "alternateName")
            for tag in tags:
                if isinstance(tag, str) and accepts("languageTag", tag):
                    return tag
        return self.config.language

    def _body(self, view: _View, summary: str | None) -> list[dict[str, str]]:
        text = self._text(view, "articleBody")
        if text is None and summary is not None:
            warn(self.where, "no articleBody: the body is the description")
            text = summary
        if not text:
            raise InputError("the article node has no articleBody (and no description)")
        paragraphs = [p for p in text.split("\n\n") if p] or [text]  # or only blank lines
        return [{"type": "paragraph", "text": p} for p in paragraphs]

    def _expires(self, view: _View) -> str | None:
        """``expires`` when it is a date or a date-time with an offset: a page's advice to
        search engines is not worth refusing the article for, so another value is warned."""
        value = self._string(view, "expires")
        if value is None or accepts("dateOrDateTime", value):
            return value
        warn(self.where, f"expires {value!r} is not a date or a date-time with an offset; left out")
        return None

    def _keywords(self, view: _View) -> Iterator[str]:
        for value in self._strings(view, "keywords"):
            keyword = self._clean(_NOT_IN_LINE, " ", value)
            if keyword:
                yield keyword

    def _boolean(self, view: _View, name: str) -> bool | None:
        for value in view.props.get(name, ()):
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
        return None

    def _genre_from_type(self, view: _View) -> list[dict[str, str]]:
        codes = [_TYPE_GENRES[t] for t in view.types if t in _TYPE_GENRES]
        return [{"scheme": "genre", "code": codes[0]}] if codes else []

    def _concepts(self, view: _View, name: str) -> list[dict[str, str]]:
        """DefinedTerms whose termCode is a QCode (``medtop:20000565``)."""
        mint = Minter(view.id) if view.id else None
        concepts = []
        for term in self._nodes(view, name):
            scheme, colon, code = (self._string(term, "termCode") or "").partition(":")
            if "DefinedTerm" not in term.types or not colon:
                continue
            concept = {"scheme": scheme, "code": code}
            _put(concept, "label", self._line(term, "name"))
            if term.id and not term.id.startswith("_:") and not (mint and mint.minted(term.id)):
                concept["uri"] = term.id
            concepts.append(concept)
        return concepts

    def _identity(self, node: _View, out: dict[str, Any], geonames: bool = True) -> None:
        """``wikidata`` (and, where the canonical field exists, ``geonames``) from the node's
        IRI, else from the first such IRI in its sameAs, which then drops every IRI of that id;
        the rest of sameAs as it is."""
        same_as = self._strings(node, "sameAs")
        parsers = [("wikidata", wikidata_id)] + ([("geonames", geonames_id)] if geonames else [])
        for key, parse in parsers:
            found = (parse(node.id) if node.id else None) or next(
                filter(None, map(parse, same_as)), None
            )
            if found is not None:
                same_as = [s for s in same_as if parse(s) != found]
                out[key] = found
        _put(out, "sameAs", list(dict.fromkeys(same_as)))

    def _people(self, view: _View, name: str) -> list[dict[str, Any]]:
        people = []
        for value in view.props.get(name, ()):
            node = self.doc.described(value)
            if node is None:
                if isinstance(value, str):
                    people.append({"name": self._clean(_NOT_IN_LINE, " ", value)})
                continue
            role = None
            if "Role" in node.types:
                role = self._line(node, "roleName")
                node = self._node(node, name)
                if node is None:
                    continue
            person: dict[str, Any] = {}
            _put(person, "name", self._line(node, "name"))
            if "name" not in person:
                continue
            _put(person, "role", role)
            _put(person, "url", self._string(node, "url"))
            identity: dict[str, Any] = {}
            self._identity(node, identity, geonames=False)
            person.update(identity)
            people.append(person)
        return people

    def _organization(self, view: _View, name: str) -> dict[str, Any] | None:
        """The first value of ``name`` as an organisation; a bare string is its name."""
        values = view.props.get(name, ())
        node = self.doc.described(values[0]) if values else None
        if node is None:
            return {"name": values[0]} if values and isinstance(values[0], str) else None
        org_name = self._line(node, "name")
        if org_name is None:
            return None
        org: dict[str, Any] = {"name": org_name}
        _put(org, "url", self._string(node, "url"))
        logo = node.props.get("logo", ())
        _put(org, "logo", self._picture(logo[0], details=False) if logo else None)
        self._identity(node, org, geonames=False)
        return org

    def _picture(self, value: Any, details: bool) -> dict[str, Any] | None:
        """An image (``details``) or a logo from an ImageObject or a bare URL."""
        image = self.doc.described(value)
        if image is None:
            return {"url": value} if isinstance(value, str) else None
        url = self._string(image, "contentUrl") or self._string(image, "url")
        if url is None:
            return None
        out: dict[str, Any] = {"url": url}
        if details:
            _put(out, "caption", self._text(image, "caption"))
            _put(out, "altText", self._text(image, "description"))
            _put(out, "credit", self._line(image, "creditText"))
        _put(out, "width", self._integer(image, "width"))
        _put(out, "height", self._integer(image, "height"))
        if details:
            _put(out, "mediaType", self._string(image, "encodingFormat"))
        return out

    def _geo(self, node: _View) -> dict[str, float] | None:
        geo = self._node(node, "geo")
        if geo is None:
            return None
        latitude, longitude = self._number(geo, "latitude"), self._number(geo, "longitude")
        if latitude is None or longitude is None:
            return None
        return {"latitude": latitude, "longitude": longitude}

    def _country_code(self, node: _View) -> str | None:
        address = self._node(node, "address")
        value = self._string(address, "addressCountry") if address else None
        return value if value and accepts("countryCode", value) else None

    def _entities(self, nodes: list[_View]) -> list[dict[str, Any]]:
        entities = []
        for node in nodes:
            kind = next((_ENTITY_KINDS[t] for t in node.types if t in _ENTITY_KINDS), None)
            name = self._line(node, "name")
            if kind is None or name is None:
                continue
            entity: dict[str, Any] = {"type": kind, "name": name}
            self._identity(node, entity)
            _put(entity, "countryCode", self._country_code(node))
            _put(entity, "geo", self._geo(node) if kind == "place" else None)
            entities.append(entity)
        return entities

    def _dateline(self, view: _View) -> dict[str, Any] | None:
        text = self._line(view, "dateline")
        if text is None:
            return None
        dateline: dict[str, Any] = {"text": text}
        node = self._node(view, "locationCreated")
        name = self._line(node, "name") if node else None
        if node is not None and name is not None:
            place: dict[str, Any] = {"name": name}
            country = self._node(node, "containedInPlace")
            _put(place, "country", self._line(country, "name") if country else None)
            _put(place, "countryCode", self._country_code(node))
            _put(place, "geo", self._geo(node))
            identity: dict[str, Any] = {}
            self._identity(node, identity)
            _put(place, "geonames", identity.get("geonames"))
            _put(place, "wikidata", identity.get("wikidata"))
            dateline["place"] = place
        return dateline

    def _rights(self, view: _View) -> dict[str, Any] | None:
        rights: dict[str, Any] = {}
        _put(rights, "copyrightHolder", self._organization(view, "copyrightHolder"))
        _put(rights, "copyrightNotice", self._line(view, "copyrightNotice"))
        _put(rights, "copyrightYear", self._integer(view, "copyrightYear"))
        _put(rights, "license", self._string(view, "license"))
        usage = self._node(view, "usageInfo")
        _put(rights, "usageTerms", self._text(usage, "text") if usage else None)
        return rights or None

    def _corrections(self, view: _View) -> list[dict[str, str]]:
        """CorrectionComments (or bare strings) that have a text."""
        corrections = []
        for value in view.props.get("correction", ()):
            node = self.doc.described(value)
            correction: dict[str, str] = {}
            if node is None:
                _put(correction, "text", value if isinstance(value, str) else None)
            else:
                _put(correction, "date", self._string(node, "datePublished"))
                _put(correction, "text", self._text(node, "text"))
            if "text" in correction:
                corrections.append(correction)
        return corrections


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Set a canonical field, leaving out absent values and empty lists (the schema's way)."""
    if value is None or (isinstance(value, (list, dict)) and not value):
        return
    out[key] = value
