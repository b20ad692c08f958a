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

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html import escape
from typing import Any

from .model import AnyBlock, BlockQuote, Concept, Geo, Heading, ListBlock, Paragraph

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
_WIKIDATA_URI = re.compile(r"https?://www\.wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]{0,11})\Z")
_GEONAMES_URI = re.compile(r"https?://sws\.geonames\.org/([1-9][0-9]{0,11})/?\Z")
_GEONAMES_LITERAL = re.compile(r"geonames:([1-9][0-9]{0,11})\Z")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`\ufffe\uffff]+\Z")


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
        match = _GEONAMES_LITERAL.match(literal)
        if match:
            out["geonames"] = match.group(1)
    if isinstance(uri, str):
        wikidata = _WIKIDATA_URI.match(uri)
        geonames = _GEONAMES_URI.match(uri) if places else None
        if wikidata:
            out["wikidata"] = wikidata.group(1)
        elif geonames:
            out.setdefault("geonames", geonames.group(1))
        elif _IRI.match(uri):
            out["sameAs"] = [uri]
    return out


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
_QCODE = re.compile(r"([A-Za-z][A-Za-z0-9_.-]{0,63}):([^\s:]{1,256})\Z")
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


def concept_from_ninjs(name: str | None, uri: Any, literal: Any) -> JSON | None:
    """A canonical concept from a ninjs subject or genre, or None when it names nothing.

    The scheme and code come from a QCode literal, else from an IPTC URI, else the code is the
    literal (or the URI's last segment, or the name) in :data:`UNKNOWN_SCHEME`.
    """
    uri = uri if isinstance(uri, str) and _IRI.match(uri) else None
    literal = literal if isinstance(literal, str) and literal else None
    scheme_code: tuple[str, str] | None = None
    qcode = _QCODE.match(literal) if literal else None
    if qcode:
        scheme_code = (qcode.group(1), qcode.group(2))
    elif uri:
        scheme_code = next(
            (
                (alias, uri[len(base) :])
                for alias, base in SCHEMES.items()
                if uri.startswith(base) and _QCODE.match(f"{alias}:{uri[len(base) :]}")
            ),
            None,
        )
    if scheme_code is None:
        source = literal or (uri.rstrip("/").rsplit("/", 1)[-1] if uri else None) or name
        code = _CODE_BREAKS.sub("-", source).strip("-")[:256] if source else ""
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
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return {"latitude": float(latitude), "longitude": float(longitude)}


# --- the body as HTML ----------------------------------------------------------------------


def render_html(blocks: Iterable[AnyBlock]) -> str:
    """The body as an HTML fragment, every piece of text escaped.

    A newline inside a block becomes ``<br>``, so a literal line break in the markup is never
    ours: :func:`parse_html` may then treat those as the source formatting of other producers.
    A quotation's attribution goes in a ``figcaption``, outside the ``blockquote``, as HTML asks.
    """
    return "".join(map(_html_block, blocks))


def _inline(text: str) -> str:
    return escape(text, quote=False).replace("\n", "<br>")


def _html_block(block: AnyBlock) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_inline(block.text)}</p>"
    if isinstance(block, Heading):
        level = block.level or 2
        return f"<h{level}>{_inline(block.text)}</h{level}>"
    if isinstance(block, BlockQuote):
        quote = f"<blockquote>{_inline(block.text)}</blockquote>"
        if block.attribution is None:
            return quote
        return f"<figure>{quote}<figcaption>{_inline(block.attribution)}</figcaption></figure>"
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>{''.join(f'<li>{_inline(item)}</li>' for item in block.items)}</{tag}>"
    raise TypeError(f"no HTML for body block {type(block).__name__}")


def parse_html(markup: str) -> list[JSON]:
    """Canonical body blocks from an HTML body: paragraphs, headings, block quotes, lists.

    Exact for :func:`render_html`'s output and tolerant of other producers' markup (a whole
    document, ``section``/``div`` wrappers, implied end tags, line-wrapped source); the content
    of ``head``, ``script``, ``style`` and the like is dropped.

    The markup is parsed by libxml2's HTML parser (through lxml): linear time, no network, no
    DTD, comments and processing instructions removed. The standard library's ``html.parser``
    would do, but before Python 3.13.4 it goes quadratic on unterminated tags (24 KB of ``<a ``
    take seconds), and an importer reads whatever a wire sends.
    """
    from lxml import etree

    reader = _BlockReader()
    root = etree.fromstring(markup.encode("utf-8"), _html_parser())
    if root is not None:  # None: nothing but white space
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else "#other"  # e.g. a doctype
            if event == "end":
                reader.end(tag)
                if element.tail:
                    reader.data(element.tail)
            elif not reader.start(tag):
                walker.skip_subtree()
            elif element.text:
                reader.data(element.text)
    return reader.finish()


@functools.cache
def _html_parser() -> Any:
    """One parser per process: building it costs more than parsing a short body."""
    from lxml import etree

    return etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )


def parse_plain(text: str) -> list[JSON]:
    """Paragraphs of a plain-text body: separated by blank lines, or by line breaks when the
    text has no blank line (as TT sends it)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = re.split(r"\n[ \t]*\n", text)
    if len(chunks) == 1:
        chunks = text.split("\n")
    return [{"type": "paragraph", "text": chunk.strip()} for chunk in chunks if chunk.strip()]


def plain_text(markup: str) -> str:
    """The text of an HTML fragment (a description sent as HTML), blocks on their own lines."""
    return "\n\n".join(_block_text(block) for block in parse_html(markup))


def _block_text(block: JSON) -> str:
    return "\n".join(block["items"]) if block["type"] == "list" else str(block["text"])


_HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
"""Tag -> level; the article's own title is the headline, so an ``h1`` in a body is a section."""
_LEAVES = frozenset({"p", *_HEADINGS})
_CONTAINERS = frozenset({"li", "blockquote", "figcaption"})
_SKIPPED = frozenset(
    {
        "#other",
        "head",
        "title",
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "object",
        "svg",
    }
    | {"math", "select", "textarea", "button"}
)
_BOUNDARIES = frozenset(
    {"address", "article", "aside", "body", "caption", "dd", "div", "dl", "dt", "fieldset"}
    | {"figure", "footer", "form", "header", "hr", "html", "main", "nav", "pre", "section"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "tr"}
)
_SOURCE_BREAK = re.compile(r"[ \t\f]*[\r\n][ \t\r\n\f]*")
_MARK = "\x00"
"""Stands for a line break in the markup's source until a block ends; the canonical schema
forbids NUL, so no real text contains it."""


class _Frame:
    """An open element that collects text: ``own`` is False for an element opened inside a
    container, whose text simply flows into the container's."""

    __slots__ = ("depth", "own", "parts", "tag")

    def __init__(self, tag: str, own: bool, depth: int = 0) -> None:
        self.tag = tag
        self.own = own
        self.depth = depth
        self.parts: list[str] = []


class _BlockReader:
    """Turns the start, text and end of HTML elements, in document order, into canonical blocks
    (see :func:`parse_html`). The parser has already resolved implied end tags; what is left
    here is which text belongs to which block."""

    def __init__(self) -> None:
        self.blocks: list[JSON] = []
        self._frames: list[_Frame] = []
        self._lists: list[JSON] = []
        self._loose: list[str] = []
        self._figures = 0  # open figures: media and their credits, not body text
        self._quote: JSON | None = None  # a block quote in the open figure, awaiting attribution

    # events

    def start(self, tag: str) -> bool:
        """An element starts; False when its content is not body text and must be skipped."""
        if tag in _SKIPPED or (tag == "figcaption" and self._quote is None):
            return False  # a figcaption without a quote before it is a picture's caption
        if tag == "br":
            self._append("\n")
        elif tag in _LEAVES or tag in ("blockquote", "figcaption"):
            self._open(tag)
        elif tag in ("ul", "ol"):
            self._open_list(ordered=tag == "ol")
        elif tag == "li":
            self._open_item()
        elif tag in _BOUNDARIES:
            self._end_paragraph()
            self._flush_loose()
            if tag == "figure":
                self._figures += 1
                self._quote = None
        return True

    def end(self, tag: str) -> None:
        if tag in _LEAVES or tag in _CONTAINERS:
            self._close_through(tag)
        elif tag in ("ul", "ol"):
            self._close_list()
        elif tag in _BOUNDARIES:
            self._end_paragraph()
            self._flush_loose()
            if tag == "figure" and self._figures:
                self._figures -= 1
                self._quote = None

    def data(self, text: str) -> None:
        self._append(_SOURCE_BREAK.sub(_MARK, text))

    def finish(self) -> list[JSON]:
        while self._frames:
            self._pop()
        while self._lists:
            self._close_list()
        self._flush_loose()
        return self.blocks

    # structure

    def _container(self) -> _Frame | None:
        return next((f for f in reversed(self._frames) if f.tag in _CONTAINERS), None)

    def _end_paragraph(self) -> None:
        """HTML ends an open ``p`` or heading when another block starts."""
        if self._frames and self._frames[-1].tag in _LEAVES:
            self._pop()

    def _open(self, tag: str) -> None:
        self._end_paragraph()
        container = self._container()
        if container is not None and tag != "figcaption":
            if "".join(container.parts).strip(" \t" + _MARK):
                container.parts.append("\n")
            self._frames.append(_Frame(tag, own=False))
            return
        self._flush_loose()
        self._frames.append(_Frame(tag, own=True))

    def _open_list(self, ordered: bool) -> None:
        self._end_paragraph()
        item = self._container()
        if item is not None and item.tag == "li":
            self._emit_item(item)  # the outer item's words come before the nested items
            item.parts.clear()
        if not self._lists:
            self._flush_loose()
            block: JSON = {"type": "list", "items": []}
            if ordered:
                block["ordered"] = True
            self._lists.append(block)
        else:
            self._lists.append(self._lists[-1])

    def _open_item(self) -> None:
        self._end_paragraph()
        depth = len(self._lists)
        if self._frames and self._frames[-1].tag == "li" and self._frames[-1].depth == depth:
            self._pop()
        if not self._lists:
            self._open_list(ordered=False)
            depth = 1
        self._frames.append(_Frame("li", own=True, depth=depth))

    def _close_through(self, tag: str) -> None:
        if any(frame.tag == tag for frame in self._frames):
            while self._frames[-1].tag != tag:
                self._pop()
            self._pop()

    def _close_list(self) -> None:
        if not self._lists:
            return
        self._end_paragraph()
        depth = len(self._lists)
        while self._frames and self._frames[-1].tag == "li" and self._frames[-1].depth >= depth:
            self._pop()
        block = self._lists.pop()
        if not self._lists and block["items"]:
            self.blocks.append(block)

    def _pop(self) -> None:
        frame = self._frames.pop()
        if not frame.own:
            return
        if frame.tag == "li":
            self._emit_item(frame)
            return
        text = _finish(frame.parts)
        if not text:
            return
        if frame.tag == "p":
            self.blocks.append({"type": "paragraph", "text": text})
        elif frame.tag in _HEADINGS:
            heading: JSON = {"type": "heading", "text": line(text)}
            if _HEADINGS[frame.tag] != 2:
                heading["level"] = _HEADINGS[frame.tag]
            self.blocks.append(heading)
        elif frame.tag == "blockquote":
            self._quote = {"type": "blockquote", "text": text}
            self.blocks.append(self._quote)
        elif frame.tag == "figcaption" and self._quote is not None:
            self._quote["attribution"] = line(text)
            self._quote = None

    def _emit_item(self, frame: _Frame) -> None:
        text = _finish(frame.parts)
        if text and self._lists:
            self._lists[-1]["items"].append(text)

    # text

    def _append(self, text: str) -> None:
        owner = next((f for f in reversed(self._frames) if f.own), None)
        (owner.parts if owner is not None else self._loose).append(text)

    def _flush_loose(self) -> None:
        """Text outside any block becomes a paragraph of its own, white space collapsed; in a
        figure it is a picture's credit or the like, and goes."""
        text = " ".join("".join(self._loose).replace(_MARK, " ").split())
        self._loose.clear()
        if text and not self._figures:
            self.blocks.append({"type": "paragraph", "text": text})


def _finish(parts: list[str]) -> str:
    """A block's text: source line breaks dropped at its edges and next to ``<br>``, a space
    elsewhere; everything else exactly as written."""
    text = re.sub(_MARK + "*\n" + _MARK + "*", "\n", "".join(parts)).strip(_MARK)
    return re.sub(_MARK + "+", " ", text)


def line(text: str) -> str:
    """Text for a single-line field: line breaks and tabs (which the schema forbids there)
    become single spaces."""
    return re.sub(r"[\t\n\r]+", " ", text)
