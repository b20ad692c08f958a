"""IPTC NewsML-G2 in: a ``newsItem``, or every item of a ``newsMessage``, to canonical articles.

The mapping is the ``newsml-g2`` exporter's backwards (see :mod:`wirekit.formats.newsml_g2.vocab`
for the shared vocabulary and date rules), so what wirekit writes comes back field for field. It
also reads what agencies send, which is rarely what the XSD says:

* Parsing goes through :mod:`wirekit.xml`: a DOCTYPE (and with it XXE, external DTDs and entity
  bombs) is refused with one line, and nothing is ever fetched.
* Quirks are repaired with an :class:`~wirekit.errors.InputWarning`: offsets without a colon
  (``+0200``), date-times without an offset (read as UTC), empty or out-of-range urgencies,
  elements out of the XSD's order. ``wirekit validate`` reports the same files as invalid.
* White space follows ``xml:space``. wirekit's items declare ``preserve`` and every character
  comes back; in other files text is pretty-printed XML, so runs of white space become one
  space, as a browser would show them.
* What the model requires and a file may lack is derived, with a warning: the id from the guid
  (under the configured base IRI when the guid is not an IRI), the headline from the title,
  slugline or summary, the body from the plain-text rendition, the summary or the headline. The
  language comes from ``language``, ``xml:lang`` or the configured default; the version is
  ``@version`` (default 1).
* Bodies may be XHTML (namespaced or not) or NITF; paragraphs, headings, block quotes and lists
  are read, page furniture (``header``, ``footer``, ``h1``) is not.
* Entities (``subject`` of type ``cpnat:person``, ``cpnat:organisation``, ``cpnat:geoArea``,
  ``cpnat:poi``) take their coordinates, and their name when the subject has none, from the
  ``assert`` about the same concept. Concepts without a QCode, and other item classes' data
  (a package's group set, hop history), are not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, BinaryIO, ClassVar

from wirekit import coverage, dates, xml
from wirekit.config import Config
from wirekit.errors import InputError, Problem
from wirekit.formats.newsml_g2 import vocab as g2
from wirekit.plugin import (
    Importer,
    Record,
    article_id,
    headline_text,
    location,
    printed_byline,
    slug_from,
    table_block,
    table_rows,
    version_from,
    warn,
    whole_number,
)
from wirekit.schema import accepts

JSON = dict[str, Any]
_N = "{" + g2.NAR + "}"
_XML_SPACE = "{" + g2.XML + "}space"
_XML_LANG = "{" + g2.XML + "}lang"
_SIGNALS = {"sig:update": "update", "sig:correction": "correction", g2.KILL: "kill"}
_MAPPED_ELEMENTS = (
    "itemMeta",
    "contentMeta",
    "contentSet",
    "rightsInfo",
    "assert",
    "pubHistory",
    "itemMeta/itemClass",
    "itemMeta/provider",
    "itemMeta/versionCreated",
    "itemMeta/firstCreated",
    "itemMeta/embargoed",
    "itemMeta/pubStatus",
    "itemMeta/service",
    "itemMeta/title",
    "itemMeta/edNote",
    "itemMeta/expires",
    "contentMeta/urgency",
    "contentMeta/contentCreated",
    "contentMeta/contentModified",
    "contentMeta/located",
    "contentMeta/infoSource",
    "contentMeta/creator",
    "contentMeta/contributor",
    "contentMeta/language",
    "contentMeta/genre",
    "contentMeta/subject",
    "contentMeta/keyword",
    "contentMeta/slugline",
    "contentMeta/headline",
    "contentMeta/dateline",
    "contentMeta/by",
    "contentMeta/creditline",
    "contentMeta/contentMetaExtProperty",
    "contentSet/inlineXML",
    "contentSet/inlineData",
    "contentSet/remoteContent",
    "rightsInfo/copyrightHolder",
    "rightsInfo/copyrightNotice",
    "rightsInfo/usageTerms",
    "rightsInfo/link",
    "rightsInfo/rightsInfoExtProperty",
)
COVERAGE: dict[str, str] = {
    **dict.fromkeys(_MAPPED_ELEMENTS, "mapped"),
    **{f"contentMeta/description[{role}]": "mapped" for role in g2.SUMMARY_ROLES},
    **{f"contentMeta/description[{role}]": "mapped" for role in g2.CAPTION_ROLES},
    f"contentMeta/description[{g2.CORRECTION}]": "mapped",
    **{f"itemMeta/signal[{code}]": "mapped" for code in _SIGNALS},
    "itemMeta/signal": "a provider's processing signal: only update, correction and kill say "
    "something to receivers about the news",
    "itemMeta/link[irel:seeAlso]": "mapped",
    f"itemMeta/link[{g2.CANONICAL_REL}]": "mapped",
    "catalogRef": "a catalog of schemes: QCodes keep their scheme",
    "catalog": "a catalog of schemes: QCodes keep their scheme",
    "itemMeta/fileName": "a transport file name, not the news",
    "itemMeta/generator": "the provider's software",
    "itemMeta/profile": "the provider's processing profile",
    "itemMeta/role": "the item's place in the provider's workflow",
    "itemMeta/memberOf": "the provider's packaging",
    "itemMeta/versionedId": "the guid and version are read instead",
}
"""Input element -> ``mapped`` or the rule it is left out by (see :mod:`wirekit.coverage`).
What it does not list (``contentMeta/altId``, ``rating``, ``exclAudience``, descriptions of other
roles, a package's ``groupSet``, links of other relations...) has no field in the model and is
named in one :class:`~wirekit.errors.InputWarning` per item."""
_QUALIFIED = {
    "contentMeta/description": ("role",),
    "itemMeta/edNote": ("role",),
    "itemMeta/signal": ("qcode",),
    "itemMeta/link": ("rel", "reluri"),
}
"""Elements whose role, code or relation decides where they go: listed with it, ``[role]``."""
_ITEMS = ("newsItem", "packageItem")
_NO_NEWS = {
    "conceptItem": "one concept of a vocabulary",
    "conceptSet": "concepts of a vocabulary",
    "knowledgeItem": "a vocabulary",
    "planningItem": "coverage planned, not yet news",
    "catalog": "a scheme catalog",
}
"""NewsML-G2 documents that are valid G2 but hold no news: one clear line, not "not NewsML-G2"."""
_SNIFF = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:newsItem|newsMessage|packageItem|conceptItem|conceptSet|knowledgeItem|planningItem)[\s>/]"
)
_NAR_BYTES = g2.NAR.encode()
_ENTITY_TYPES = {
    "cpnat:person": "person",
    "cpnat:organisation": "organization",
    "cpnat:geoArea": "place",
    "cpnat:poi": "place",
}

_STATUSES = {"stat:usable": "usable", "stat:withheld": "withheld", "stat:canceled": "canceled"}
_INTEGER = re.compile(r"-?[0-9]+")
_XML_WHITE = re.compile(r"[ \t\n\r]+")
_XML_BLANKS = " \t\n\r"
"""What XML counts as white space, and all that may be trimmed from a value: ``str.strip()``
would also take a no-break space, NEL or U+2028, which are content (and may end an IRI)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)"
    r"(Z|[+-][0-9]{2}:[0-9]{2}|[+-][0-9]{4})?"
)
_BR = "\x00"  # stands for <br/> while inline text is gathered; XML text cannot contain it
_SECONDARY_NAMES = ("nrol:short", "nrol:mnemonic")
_HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6, "hl2": 2}
CONTAINERS = frozenset(("div", "section", "article", "main", "block", "body.content"))
"""XHTML and NITF elements whose content :meth:`ItemReader._blocks` reads in their place."""
BLOCKS = frozenset(("p", *_HEADINGS, "blockquote", "bq", "figure", "table", "ul", "ol"))
"""The XHTML and NITF elements :meth:`ItemReader._block` reads into a body block: what a body's
coverage table (NITF's) calls mapped."""

# the XSD's order for itemMeta, and contentMeta's administrative group before its descriptive one
_ITEM_META_SEQUENCE = (
    "itemClass provider versionCreated firstCreated embargoed pubStatus role fileName generator "
    "profile service title edNote memberOf instanceOf signal altRep deliverableOf hash expires "
    "origRep incomingFeedId metadataCreator link itemMetaExtProperty"
)
_ITEM_META_ORDER = {name: index for index, name in enumerate(_ITEM_META_SEQUENCE.split())}
_ANY_ORDER = (
    "located infoSource creator contributor audience exclAudience altId rating userInteraction"
)
_ADMINISTRATIVE = {
    "icon": 0,
    "urgency": 1,
    "contentCreated": 2,
    "contentModified": 3,
    "digitalSourceType": 4,
    **dict.fromkeys(_ANY_ORDER.split(), 5),
}
_DESCRIPTIVE = 6
_CONTENT_META_END = 7  # contentMetaExtProperty and foreign elements


def _tag(name: str) -> str:
    return _N + name


def _role_codes(element: Any) -> list[str]:
    return (element.get("role") or "").split()


_ITEM_TYPES = frozenset(("text", "picture", "graphic", "video", "audio"))
_RENDITION_NUMBERS = {"width": "width", "height": "height", "sizeInBytes": "size"}
_DURATION_UNITS = {"seconds": 1, "milliseconds": 0.001, "minutes": 60}
_NONPUBLIC = re.compile(r"(?i)(?:^|:)(?:non-?public|internal|private)$")
"""A ``pubconstraint`` or role code that keeps a note inside the provider's customers' newsroom:
dpa's ``dpapconstraint:nonpublic``, STT's ``sttnote:private``."""
_NOTEPAD_ROLE = "dpaednoterole:notepad"
_NOTEPAD_SECTIONS = {"np-public": "partner", "np-nonpublic": "internal"}


def note_audience(element: Any) -> str:
    """Who may read an ``edNote``: ``internal`` when a publishing constraint or its role says
    non-public or private, ``public`` for wirekit's own public-note role (and a role that says
    public), else ``partner``: an editorial note is for editors at receiving organisations."""
    codes = (element.get("pubconstraint") or "").split() + _role_codes(element)
    if any(_NONPUBLIC.search(code) for code in codes):
        return "internal"
    if g2.PUBLIC_NOTE in codes or any(code.endswith(":public") for code in codes):
        return "public"
    return "partner"


class NewsMLG2Importer(Importer):
    """IPTC NewsML-G2: a ``newsItem`` (or ``packageItem``), or every item of a ``newsMessage``."""

    name = "newsml-g2"
    aliases = ("newsml", "g2", "newsml-g2-message", "newsitem", "newsmessage")
    description = "IPTC NewsML-G2: a newsItem, or every item of a newsMessage"
    media_types = (g2.ITEM_MEDIA_TYPE, g2.MESSAGE_MEDIA_TYPE)
    file_extensions = (".xml",)
    fallback = 1  # an .xml file nothing recognises is most likely NewsML-G2 gone wrong

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """A NewsML-G2 root element and the NewsML-G2 namespace in the first bytes."""
        text = xml.head_bytes(head)
        return float(_NAR_BYTES in text and bool(_SNIFF.match(xml.after_prolog(text))))

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        try:
            root = xml.parse(stream.read())
        except InputError as exc:
            raise exc.located(source) from None
        name = xml.local_name(root.tag)
        if name == "NewsML":  # the 1.x standard: other elements, no namespace
            raise InputError(
                "NewsML 1.x, not NewsML-G2: wirekit reads NewsML-G2 and has no NewsML 1.x reader",
                source=source,
            )
        if root.tag.startswith(_N) and name in _NO_NEWS:
            raise InputError(f"holds no news item: a {name} ({_NO_NEWS[name]})", source=source)
        if not root.tag.startswith(_N) or name not in (*_ITEMS, "newsMessage"):
            raise InputError(
                f"not NewsML-G2: the root element is {name or root.tag!r}, not a newsItem, "
                "packageItem or newsMessage",
                source=source,
            )
        if name != "newsMessage":
            yield Record(ItemReader(root, self.config, source, None).article())
            return
        item_set = root.find(_tag("itemSet"))
        items = [] if item_set is None else [e for e in item_set if isinstance(e.tag, str)]
        if not items:
            raise InputError("the newsMessage has no items", source=source)
        for number, item in enumerate(items, 1):
            place = f"item {number}"
            try:
                if item.tag not in (_N + "newsItem", _N + "packageItem"):
                    kind = xml.local_name(item.tag)
                    raise InputError(f"holds no news item: a {kind}", place=place)
                yield Record(ItemReader(item, self.config, source, place).article(), place)
            except InputError as exc:
                yield Record(None, place, exc)

    coverage_table = COVERAGE
    warns_unmapped = True  # each item names what no field holds (ItemReader._not_carried)

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """Each item's parts and their children (see :func:`item_paths`); nothing for a
        document that holds no news item, which its reader refuses in one line."""
        root = xml.parse(data)
        if xml.local_name(root.tag) == "newsMessage" and root.tag.startswith(_N):
            for item in root.iter(_N + "newsItem", _N + "packageItem"):
                yield from item_paths(item)
        elif root.tag in (_N + "newsItem", _N + "packageItem"):
            yield from item_paths(root)

    def conformance(self, data: bytes) -> list[Problem]:
        """The document against the NewsML-G2 2.35 All-Power XSD from ``config.specs``."""
        if self.config.specs is None:
            return []
        return g2.problems(xml.parse(data), self.config.specs)


def item_paths(item: Any) -> Iterator[str]:
    """``itemMeta``, ``contentMeta/subject``, ``contentMeta/description[drol:teaser]``...: an
    item's parts and their children, those whose role, code or relation decides where they go
    qualified by it (see :data:`_QUALIFIED`)."""
    for part in item:
        if not isinstance(part.tag, str):
            continue
        name = xml.local_name(part.tag)
        yield name
        if name not in ("itemMeta", "contentMeta", "contentSet", "rightsInfo"):
            continue
        for child in part:
            if not isinstance(child.tag, str):
                continue
            path = f"{name}/{xml.local_name(child.tag)}"
            qualifier = next((child.get(a) for a in _QUALIFIED.get(path, ()) if child.get(a)), None)
            yield f"{path}[{qualifier}]" if qualifier else path


class ItemReader:
    """One ``newsItem`` (or ``packageItem``) element -> one canonical article dict."""

    coverage_table: ClassVar[Mapping[str, str]] = COVERAGE
    """The table its importer's coverage report judges the elements by."""

    def __init__(self, item: Any, config: Config, source: str, place: str | None) -> None:
        self.item = item
        self.config = config
        self.source, self.place = source, place
        self.prefix = location(source, place)
        self.preserve = _preserves(item)
        self.meta = _child(item, "itemMeta")
        self.content = _child(item, "contentMeta")
        self.language = self._language()

    def warn(self, message: str) -> None:
        warn(self.prefix, message)

    # --- text -------------------------------------------------------------------------------

    def line(self, value: str | None) -> str | None:
        """A single line: pretty-printing (and, in preserved text, any control character)
        collapsed; ``None`` when nothing is left."""
        if value is None:
            return None
        if not self.preserve or _CONTROL.search(value) or "\n" in value or "\t" in value:
            value = _XML_WHITE.sub(" ", _CONTROL.sub(" ", value)).strip(" ")
        return value or None

    def text(self, value: str | None) -> str | None:
        """Multi-line text: exact where white space is preserved, one line otherwise."""
        if value is None:
            return None
        if not self.preserve:
            return self.line(value)
        value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return value or None

    def inline(self, element: Any) -> str | None:
        """The text of an XHTML or NITF block, ``<br/>`` as a newline."""
        return self._inline_text(_gather(element))

    def _inline_text(self, gathered: str) -> str | None:
        """:meth:`inline` of text :func:`_gather` collected."""
        if self.preserve:
            return self.text(gathered.replace(_BR, "\n"))
        parts = [self.line(part) or "" for part in gathered.split(_BR)]
        return "\n".join(parts).strip("\n") or None

    def content_text(self, element: Any) -> str | None:
        return None if element is None else self.text("".join(element.itertext()))

    def content_line(self, element: Any) -> str | None:
        return None if element is None else self.line("".join(element.itertext()))

    # --- the article ------------------------------------------------------------------------

    def article(self) -> JSON:
        if self.meta is None:
            raise InputError("the item has no itemMeta", source=self.source, place=self.place)
        out: JSON = {"id": self._id(), "version": self._version()}
        item_type = self._item_type()
        if item_type != "text":
            out["type"] = item_type
        slug = self._slug()
        if slug:
            out["slug"] = slug
        url = self._canonical_url()
        if url:
            out["url"] = url
        headline, subheadline = self._headlines()
        summary = self._descriptions(*g2.SUMMARY_ROLES)
        out["headline"] = headline or self._derived_headline(summary)
        if subheadline:
            out["subheadline"] = subheadline
        if summary:
            out["summary"] = summary[0]
        caption = self._descriptions(*g2.CAPTION_ROLES)
        if caption:
            out["caption"] = caption[0]
        out["language"] = self.language
        body = self._body()
        if body:
            out["body"] = body
        elif item_type == "text":
            out["body"] = self._derived_body(summary, out["headline"])
        renditions = self._renditions()
        if renditions:
            out["renditions"] = renditions
        self._dates(out)
        self._status(out)
        self._descriptive(out)
        self._parties(out)
        self._byline(out)
        self._rights(out)
        self._check_order()
        self._not_carried()
        return out

    def coverage_paths(self) -> Iterator[str]:
        """The item's elements as its importer's coverage report names them."""
        return item_paths(self.item)

    def _not_carried(self) -> None:
        """One warning naming every element of the item that no field holds: the coverage
        report's ``warned`` lines, computed from the same paths and the same table."""
        listed = coverage.not_carried(self.coverage_paths(), self.coverage_table)
        if listed:
            self.warn(f"not carried (no field in the model): {listed}")

    def _item_type(self) -> str:
        """``ninat:picture`` (or the older ``icls:picture``) -> ``picture``; a composite or an
        unknown class is read as text."""
        item_class = _child(self.meta, "itemClass")
        code = "" if item_class is None else (item_class.get("qcode") or "")
        scheme, _, kind = code.strip(_XML_BLANKS).partition(":")
        if scheme in ("ninat", "icls") and kind in _ITEM_TYPES:
            return kind
        return "text"

    def _renditions(self) -> list[JSON]:
        """The ``remoteContent`` of a picture, graphic, video or audio item: one rendition
        each, with its name, media type, size in pixels and bytes, and duration."""
        content_set = _child(self.item, "contentSet")
        renditions = []
        for element in _children(content_set, "remoteContent"):
            href = (element.get("href") or "").strip(_XML_BLANKS)
            if not accepts("iri", href):
                self.warn(f"a remoteContent without an href IRI ({href!r}) is left out")
                continue
            rendition: JSON = {"href": href}
            name = self.line(element.get("rendition"))
            if name:
                rendition["name"] = g2.term_text(name, g2.RENDITIONS) or name
            for key, attribute in _RENDITION_NUMBERS.items():
                value = _number(element.get(attribute))
                if value is not None:
                    rendition[key] = value
            media_type = self.line(element.get("contenttype"))
            if media_type:
                rendition["mediaType"] = media_type
            self._duration(rendition, element)
            renditions.append(rendition if accepts("rendition", rendition) else {"href": href})
        return renditions

    def _duration(self, rendition: JSON, element: Any) -> None:
        value = _number(element.get("duration"))
        if value is None:
            return
        unit = (element.get("durationunit") or "timeunit:seconds").strip(_XML_BLANKS)
        scale = _DURATION_UNITS.get(unit.partition(":")[2])
        if scale is None:
            self.warn(f"a rendition's duration in {unit} is left out: not a unit of time")
            return
        rendition["duration"] = value * scale

    def _byline(self, out: JSON) -> None:
        """``by`` as printed, when it says more than the authors' names (a writer that had only
        the names wrote them there)."""
        by = printed_byline(self.content_line(_child(self.content, "by")), out.get("authors", ()))
        if by:
            out["byline"] = by

    def _language(self) -> str:
        element = _child(self.content, "language")
        for candidate in (
            None if element is None else element.get("tag"),
            self.item.get(_XML_LANG),
        ):
            if candidate and accepts("languageTag", candidate.strip(_XML_BLANKS)):
                return str(candidate.strip(_XML_BLANKS))
        return self.config.language

    def _id(self) -> str:
        guid = (self.item.get("guid") or "").strip(_XML_BLANKS)
        return article_id(guid or "item", self.config, self.prefix)

    def _version(self) -> int:
        return version_from((self.item.get("version") or "1").strip(_XML_BLANKS), self.prefix)

    def _slug(self) -> str | None:
        slugline = self.line(_text_of(_child(self.content, "slugline")))
        if slugline is None:
            return None
        return slug_from(slugline)

    def _headlines(self) -> tuple[str | None, str | None]:
        """The headline and the subheadline (a headline whose role says ``sub``)."""
        main = sub = None
        for element in _children(self.content, "headline"):
            text = self.content_line(element)
            if text is None:
                continue
            role = element.get("role") or ""
            if role == g2.SUBHEADLINE or "sub" in role.partition(":")[2].lower():
                sub = sub or text
            else:
                main = main or headline_text(text)
        return main, sub

    def _derived_headline(self, summary: list[str]) -> str:
        """A headline from what else names the item, when it has none."""
        nitf_title = self.item.find(f".//{{{g2.NITF}}}hl1")
        candidates = (
            ("the NITF hedline", self.content_line(nitf_title)),
            ("the title", self.content_line(_child(self.meta, "title"))),
            ("the slugline", self.content_line(_child(self.content, "slugline"))),
            ("the summary", self.line(summary[0]) if summary else None),
            ("the guid", self.line(self.item.get("guid"))),
        )
        for where, text in candidates:
            found = headline_text(text)
            if found:
                self.warn(f"no headline; using {where}")
                return found
        self.warn("no headline; using 'untitled'")
        return "untitled"

    def _descriptions(self, *roles: str) -> list[str]:
        """The texts of the descriptions of these roles, the earlier role first."""
        found: list[tuple[int, str]] = []
        for element in _children(self.content, "description"):
            ranks = [roles.index(code) for code in _role_codes(element) if code in roles]
            if ranks:
                text = self.content_text(element)
                if text:
                    found.append((min(ranks), text))
        return [text for _, text in sorted(found, key=lambda pair: pair[0])]

    # --- body -------------------------------------------------------------------------------

    def _body(self) -> list[JSON]:
        content_set = _child(self.item, "contentSet")
        if content_set is None:
            return []
        for inline in _children(content_set, "inlineXML"):
            for root in inline:
                name = xml.local_name(root.tag)
                if name == "html":
                    blocks = list(self._blocks(_local_child(root, "body")))
                elif name == "nitf":
                    body = _local_child(root, "body")
                    blocks = list(self._blocks(_local_child(body, "body.content")))
                else:
                    continue
                if blocks:
                    return blocks
        for inline in _children(content_set, "inlineData"):
            if (inline.get("contenttype") or "text/plain").startswith("text/plain"):
                text = "".join(inline.itertext())
                paragraphs = [self.text(p) for p in re.split(r"\n[ \t\r]*\n", text)]
                found = [
                    {"type": "paragraph", "text": p}
                    for p in paragraphs
                    if p and p.strip(_XML_BLANKS)
                ]
                if found:
                    self.warn("no XHTML or NITF body; paragraphs read from the plain text")
                    return found
        return []

    def _blocks(self, parent: Any) -> Iterator[JSON]:
        """Paragraphs, headings, block quotes and lists, in order, from XHTML or NITF; the
        content of containers (``div``, ``section``, NITF ``block``) in its place."""
        if parent is None:
            return
        for element in parent:
            name = xml.local_name(element.tag)
            if name in CONTAINERS:
                yield from self._blocks(element)
                continue
            block = self._block(name, element)
            if block:
                yield block

    def _block(self, name: str, element: Any) -> JSON | None:
        if name == "p":
            text = self.inline(element)  # None when empty (or only white space, unless kept)
            return {"type": "paragraph", "text": text} if text else None
        if name in _HEADINGS:
            heading = self.line(_gather(element).replace(_BR, " "))
            if not heading:
                return None
            block: JSON = {"type": "heading", "text": heading}
            if _HEADINGS[name] != 2:
                block["level"] = _HEADINGS[name]
            return block
        if name in ("blockquote", "bq"):
            return self._quote(element, None)
        if name == "figure":
            quoted = _local_child(element, "blockquote")
            caption = _local_child(element, "figcaption")
            return None if quoted is None else self._quote(quoted, caption)
        if name == "table":
            return self._table(element)
        if name in ("ul", "ol"):
            items = [self.inline(li) for li in element if xml.local_name(li.tag) == "li"]
            kept = [item for item in items if item]
            if not kept:
                return None
            listed: JSON = {"type": "list", "items": kept}
            if name == "ol":
                listed["ordered"] = True
            return listed
        return None

    def _table(self, element: Any) -> JSON | None:
        """An XHTML or NITF table: its rows (inside ``thead``, ``tbody`` and ``tfoot`` too),
        every cell kept, empty ones included, so that columns stay in line."""
        return table_block(table_rows(element, self._cell_text), self._table_caption(element))

    def _cell_text(self, cell: Any) -> str:
        """A table cell's text: its inline content (an XHTML cell may hold markup), each block
        inside it (paragraphs, a nested table's cells) a line of its own."""
        return "\n".join(line for line in map(self._inline_text, cell_lines(cell)) if line)

    def _table_caption(self, table: Any) -> str | None:
        caption = _local_child(table, "caption")
        return None if caption is None else self.inline(caption)

    def _quote(self, element: Any, caption: Any) -> JSON | None:
        """A block quote: its paragraphs (or its own text) and an attribution from a
        ``figcaption``, ``footer``, ``cite`` or NITF ``credit``."""
        parts = [e for e in element if xml.local_name(e.tag) in ("p", "block")]
        credit = caption
        for child in element:
            if xml.local_name(child.tag) in ("footer", "cite", "credit"):
                credit = child
        if parts:
            texts = [self.inline(p) for p in parts]
            text = "\n".join(t for t in texts if t)
        else:
            text = self.inline(element) or ""
        if not text:
            return None
        block: JSON = {"type": "blockquote", "text": text}
        attribution = None if credit is None else self.line(_gather(credit).replace(_BR, " "))
        if attribution:
            block["attribution"] = attribution
        return block

    def _derived_body(self, summary: list[str], headline: str) -> list[JSON]:
        text, where = (summary[0], "summary") if summary else (headline, "headline")
        self.warn(f"no body text; the body repeats the {where}")
        return [{"type": "paragraph", "text": text}]

    # --- dates ------------------------------------------------------------------------------

    def date_time(self, element: Any, name: str) -> str | None:
        """A canonical date-time from a NewsML-G2 one, repairing what agencies get wrong."""
        raw = _text_of(element)
        value = raw.strip(_XML_BLANKS) if raw else ""
        if not value:
            return None
        match = _DATE_TIME.fullmatch(value)
        if match is None:
            self.warn(f"{name} {value!r} is not a date-time with an offset; left out")
            return None
        stamp, zone = match.groups()
        if zone is None:
            return self._local(name, value, stamp)
        if len(zone) == 5:
            repaired = f"{zone[:3]}:{zone[3:]}"
            self.warn(f"{name} {value}: offset {zone} without a colon read as {repaired}")
            zone = repaired
        candidate = stamp + zone
        if not accepts("dateTime", candidate):
            self.warn(f"{name} {value!r} is not a valid date-time; left out")
            return None
        return candidate

    def _local(self, name: str, value: str, stamp: str) -> str | None:
        """A time without an offset, read in the provider's zone (config ``zones``, else
        :data:`wirekit.dates.PROVIDER_ZONES`), else as UTC; the warning names the assumption."""
        provider = _child(self.meta, "provider")
        who = None if provider is None else provider.get("qcode") or provider.get("literal")
        zone = dates.provider_zone(who, self.config.zones)
        if zone is None:
            self.warn(f"{name} {value} has no offset; read as UTC (no zone known for its provider)")
            candidate = stamp + "Z"
        else:
            candidate = dates.in_zone(stamp, zone)
            self.warn(f"{name} {value} has no offset; read as {zone} time ({who}'s zone)")
        return candidate if accepts("dateTime", candidate) else None

    def date_or_time(self, element: Any, name: str) -> str | None:
        value = (_text_of(element) or "").strip(_XML_BLANKS)
        if _DATE.fullmatch(value):
            return value if accepts("date", value) else None
        return self.date_time(element, name)

    def _dates(self, out: JSON) -> None:
        created = self.date_time(_child(self.content, "contentCreated"), "contentCreated")
        published = None
        history = _child(self.item, "pubHistory")
        for element in _children(history, "published"):
            published = self.date_or_time(_child(element, "timestamp"), "pubHistory timestamp")
            if published:
                break
        published = published or self.date_time(_child(self.meta, "firstCreated"), "firstCreated")
        modified = self.date_time(_child(self.content, "contentModified"), "contentModified")
        if modified is None:
            version = self.date_time(_child(self.meta, "versionCreated"), "versionCreated")
            if version is not None and version != g2.version_created(None, published, created):
                modified = version
        embargoed = self.date_time(_child(self.meta, "embargoed"), "embargoed")
        expires = self.date_or_time(_child(self.meta, "expires"), "expires")
        for key, value in (
            ("dateCreated", created),
            ("datePublished", published),
            ("dateModified", modified),
            ("embargoedUntil", embargoed),
            ("expires", expires),
        ):
            if value:
                out[key] = value

    # --- item metadata ----------------------------------------------------------------------

    def _status(self, out: JSON) -> None:
        """The item's status and workflow metadata, one small reader a field."""
        for key, read in (
            ("pubStatus", self._pub_status),
            ("urgency", self._urgency),
            ("genres", self._genres),
            ("section", self._section),
            ("signals", self._signals),
            ("notes", self._notes),
            ("corrections", self._corrections),
            ("related", self._related),
        ):
            value = read()
            if value:
                out[key] = value

    def _pub_status(self) -> str | None:
        status = _child(self.meta, "pubStatus")
        if status is None or status.get("why") == g2.INFERRED:
            return None  # the writer's inference is not the source's word
        return _STATUSES.get(status.get("qcode") or "")

    def _urgency(self) -> int | None:
        urgency = _child(self.content, "urgency")
        if urgency is None:
            return None
        raw = (urgency.text or "").strip(_XML_BLANKS)
        level = whole_number(raw, "urgency")
        if level is None:
            self.warn(f"urgency {raw!r} is not one the schema accepts; left out")
        return level

    def _genres(self) -> list[JSON]:
        return [c for e in _children(self.content, "genre") if (c := self.concept(e))]

    def _section(self) -> str | None:
        for service in _children(self.meta, "service"):
            section = g2.term_text(service.get("qcode"), g2.SECTIONS)
            if section is not None:
                return self.content_line(_child(service, "name")) or section
        return None

    def _signals(self) -> list[str]:
        signals: list[str] = []
        for element in _children(self.meta, "signal"):
            signal = _SIGNALS.get(element.get("qcode") or "")
            if signal and signal not in signals:
                signals.append(signal)
        return signals

    def _notes(self) -> list[JSON]:
        """Every ``edNote`` once, with its audience (see :func:`note_audience`). A provider's
        notepad that repeats the separate notes is read for its public part only."""
        elements = _children(self.meta, "edNote")
        separate_internal = any(note_audience(e) == "internal" for e in elements)
        notes: list[JSON] = []
        for element in elements:
            audience = note_audience(element)
            if _NOTEPAD_ROLE in _role_codes(element):
                notes.extend(self._notepad(element, audience, separate_internal))
                continue
            text = self.content_text(element)
            if text and text.strip(_XML_BLANKS):
                notes.append({"text": text, "audience": audience})
        return notes

    def _notepad(self, element: Any, audience: str, skip_internal: bool) -> Iterator[JSON]:
        """dpa's notepad: XHTML sections marked public (``np-public``) and non-public
        (``np-nonpublic``); the non-public one repeats the separate non-public notes."""
        sections = [e for e in element.iter(f"{{{g2.XHTML}}}section") if e.get("class")]
        marked = [e for e in sections if e.get("class") in _NOTEPAD_SECTIONS]
        for section in marked or [element]:
            kind = _NOTEPAD_SECTIONS.get(section.get("class") or "", audience)
            if kind == "internal" and skip_internal:
                continue
            lines = [self.line("".join(e.itertext())) for e in section if isinstance(e.tag, str)]
            text = "\n".join(line for line in lines if line)
            if text:
                yield {"text": text, "audience": kind}

    def _corrections(self) -> list[JSON]:
        corrections = []
        for element in _children(self.content, "description"):
            if g2.CORRECTION in _role_codes(element):
                text = self.content_text(element)
                if text:
                    correction: JSON = {"text": text}
                    date = (element.get("modified") or "").strip(_XML_BLANKS)
                    if date and accepts("dateOrDateTime", date):
                        correction["date"] = date
                    corrections.append(correction)
        return corrections

    def _related(self) -> list[JSON]:
        related = []
        for link in _children(self.meta, "link"):
            href = (link.get("href") or "").strip(_XML_BLANKS)
            if link.get("rel") == "irel:seeAlso" and accepts("webUrl", href):
                entry = {"url": href}
                title = self.content_line(_child(link, "title")) or self.line(link.get("title"))
                if title:
                    entry["title"] = title
                related.append(entry)
        return related

    def _canonical_url(self) -> str | None:
        for link in _children(self.meta, "link"):
            href = (link.get("href") or "").strip(_XML_BLANKS)
            if link.get("reluri") == g2.CANONICAL_REL and accepts("webUrl", href):
                return href
        return None

    # --- descriptive metadata ---------------------------------------------------------------

    def concept(self, element: Any) -> JSON | None:
        """A ``scheme:code`` concept with its label and IRI, if the QCode fits the model."""
        scheme, _, code = (element.get("qcode") or "").strip(_XML_BLANKS).partition(":")
        concept: JSON = {"scheme": scheme, "code": code}
        label = self.name_of(element)
        if label:
            concept["label"] = label
        uri = (element.get("uri") or "").strip(_XML_BLANKS)
        if uri and accepts("iri", uri):
            concept["uri"] = uri
        return concept if accepts("concept", concept) else None

    def name_of(self, element: Any) -> str | None:
        """The display name of a concept or party: its first ``name`` that is not a short or
        mnemonic form."""
        names = _children(element, "name")
        preferred = [n for n in names if n.get("role") not in _SECONDARY_NAMES] or names
        for name in preferred:
            text = self.content_line(name)
            if text:
                return text
        return None

    def _descriptive(self, out: JSON) -> None:
        keywords: list[str] = []
        for element in _children(self.content, "keyword"):
            keyword = self.content_line(element)
            if keyword and keyword not in keywords:
                keywords.append(keyword)
        if keywords:
            out["keywords"] = keywords
        credit = self.content_line(_child(self.content, "creditline"))
        if credit:
            out["creditLine"] = credit
        dateline = self.content_line(_child(self.content, "dateline"))
        place = self._located()
        if dateline or place:  # located alone (IPTC's LISTING_1, Superdesk): the place
            out["dateline"] = {"text": dateline or (place or {})["name"]}
            if place:
                out["dateline"]["place"] = place
            date = self._extension("contentMetaExtProperty", g2.DATELINE_DATE)
            if date and accepts("date", date):
                out["dateline"]["date"] = date
        free = self._extension("contentMetaExtProperty", g2.FREE)
        if free in ("true", "false", "1", "0"):
            out["isAccessibleForFree"] = free in ("true", "1")
        self._subjects(out)

    def _extension(self, tag: str, rel: str) -> str | None:
        """The value of the extension property ``rel`` (in contentMeta or rightsInfo)."""
        parent = (
            self.content if tag == "contentMetaExtProperty" else _child(self.item, "rightsInfo")
        )
        for element in _children(parent, tag):
            if element.get("rel") == rel:
                return (element.get("value") or "").strip(_XML_BLANKS)
        return None

    def _located(self) -> JSON | None:
        located = _child(self.content, "located")
        if located is None:
            return None
        name = self.name_of(located) or self.line(located.get("literal"))
        if not name:
            return None
        place: JSON = {"name": name}
        self._identifiers(place, located, kind="place")
        for broader in _children(located, "broader"):
            qcode = broader.get("qcode") or ""
            is_country = broader.get("type") in ("loctyp:Country", "cptype:country")
            if is_country or qcode.startswith("iso3166-1a2:"):
                country = self.name_of(broader) or self.line(broader.get("literal"))
                if country:
                    place["country"] = country
                code = qcode.partition(":")[2]
                if qcode.startswith("iso3166-1a2:") and accepts("countryCode", code):
                    place["countryCode"] = code
                break
        if "countryCode" not in place:
            _set_country_code(place, located)
        position = located.find(f"{_N}geoAreaDetails/{_N}position")
        if position is None:
            position = located.find(f"{_N}POIDetails/{_N}position")
        geo = _geo(position)
        if geo:
            place["geo"] = geo
        return place if accepts("place", place) else {"name": name}

    def _identifiers(self, target: JSON, element: Any, kind: str) -> None:
        """Wikidata and GeoNames ids from the element's QCode and its ``sameAs`` QCodes; for
        entities also the ``sameAs`` IRIs."""
        qcodes = [element.get("qcode") or ""]
        same_as: list[str] = []
        for same in _children(element, "sameAs"):
            qcodes.append(same.get("qcode") or "")
            uri = (same.get("uri") or "").strip(_XML_BLANKS)
            if uri and accepts("iri", uri) and uri not in same_as:
                same_as.append(uri)
        for qcode in qcodes:
            scheme, _, code = qcode.strip(_XML_BLANKS).partition(":")
            if scheme == "wikidata" and accepts("wikidataId", code):
                target.setdefault("wikidata", code)
            elif scheme == "geonames" and accepts("geonamesId", code):
                target.setdefault("geonames", code)
        if same_as and kind != "place":
            target["sameAs"] = same_as

    def _subjects(self, out: JSON) -> None:
        asserts = self._asserts()
        subjects: list[JSON] = []
        about: list[JSON] = []
        mentions: list[JSON] = []
        for element in _children(self.content, "subject"):
            kind = _ENTITY_TYPES.get(element.get("type") or "")
            key = element.get("qcode") or element.get("literal") or element.get("uri")
            found = asserts.get(key) if key else None
            name = self.name_of(element) or (self.name_of(found) if found is not None else None)
            if kind and name:
                entity = self._entity(element, kind, name, found)
                (mentions if element.get("why") == g2.MENTION else about).append(entity)
            elif element.get("qcode"):
                concept = self.concept(element)
                if concept:
                    subjects.append(concept)
        for key, values in (("subjects", subjects), ("about", about), ("mentions", mentions)):
            if values:
                out[key] = values

    def _asserts(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for element in _children(self.item, "assert"):
            key = element.get("qcode") or element.get("literal") or element.get("uri")
            if key:
                found.setdefault(key, element)
        return found

    def _entity(self, element: Any, kind: str, name: str, asserted: Any) -> JSON:
        entity: JSON = {"type": kind, "name": name}
        self._identifiers(entity, element, kind="entity")
        if kind == "place":
            links = [b for b in _children(element, "broader") if b.get("type") == "loctyp:Country"]
        else:
            links = [r for r in _children(element, "related") if r.get("rel") == g2.COUNTRY]
        country = (links[0].get("qcode") or "") if links else ""
        code = country.partition(":")[2]
        if country.startswith("iso3166-1a2:") and accepts("countryCode", code):
            entity["countryCode"] = code
        elif kind == "place":  # the place is a country: dpa's sameAs iso3166-1a2:DE
            _set_country_code(entity, element)
        if asserted is not None:
            for details in ("geoAreaDetails", "POIDetails"):
                geo = _geo(asserted.find(f"{_N}{details}/{_N}position"))
                if geo:
                    entity["geo"] = geo
                    break
        return entity if accepts("entity", entity) else {"type": kind, "name": name}

    # --- parties and rights -----------------------------------------------------------------

    def party(self, element: Any, person: bool) -> JSON | None:
        """A person or organisation from a NewsML-G2 party element. A person's QCode, or a
        literal without a ``name``, is the provider's system id (a login such as
        ``winkhaus.uta``): kept as the person's ``id``, never made into a name."""
        if person:
            return self.person(element)
        name = (
            self.name_of(element)
            or self.line(element.get("literal"))
            or self.line((element.get("qcode") or "").partition(":")[2])
            or self.line(element.get("uri"))
        )
        if not name:
            return None
        return self._details({"name": name}, element, person)

    def person(self, element: Any) -> JSON | None:
        party: JSON = {}
        name = self.name_of(element)
        if name:
            party["name"] = name
        qcode = self.line(element.get("qcode"))
        literal = self.line(element.get("literal"))
        person_id = qcode or (literal if literal != name else None)
        if person_id:
            party["id"] = person_id
        if not party:
            uri = self.line(element.get("uri"))
            if not uri:
                return None
            party["name"] = uri
        return self._details(party, element, True)

    def _details(self, party: JSON, element: Any, person: bool) -> JSON:
        """A party's role, web address, logo and identifiers, where they are valid."""
        first = dict(party)
        if person:
            role = None
            for code in _role_codes(element):
                role = g2.term_text(code, g2.ROLES) or self.line(code.partition(":")[2])
                break
            if role:
                party["role"] = role
        uri = (element.get("uri") or "").strip(_XML_BLANKS)
        if accepts("webUrl", uri):
            party["url"] = uri
        if not person:
            for info in _children(element, "remoteInfo"):
                href = (info.get("href") or "").strip(_XML_BLANKS)
                if info.get("reluri") == g2.ICON_REL and accepts("webUrl", href):
                    party["logo"] = {"url": href}
                    break
        self._identifiers(party, element, kind="party")
        definition = "person" if person else "organization"
        if accepts(definition, party):
            return party
        return first

    def _parties(self, out: JSON) -> None:
        provider = _child(self.meta, "provider")
        if provider is not None and provider.get("why") != g2.INFERRED:
            organization = self.party(provider, person=False)
            if organization:
                out["provider"] = organization
        for element in _children(self.content, "infoSource"):
            key = "publisher" if g2.PUBLISHER in _role_codes(element) else "sourceAgency"
            if key not in out:
                organization = self.party(element, person=False)
                if organization:
                    out[key] = organization
        authors, contributors = [], []
        for tag in ("creator", "contributor"):
            for element in _children(self.content, tag):
                person = self.person(element)
                if person is None:
                    continue
                if tag == "contributor":
                    contributors.append(person)
                elif "name" in person:
                    authors.append(person)
                else:  # a creator known only by a login credits no one by name
                    person.setdefault("role", "creator")
                    contributors.append(person)
        if authors:
            out["authors"] = authors
        if contributors:
            out["contributors"] = contributors

    def _rights(self, out: JSON) -> None:
        info = _child(self.item, "rightsInfo")
        if info is None:
            return
        rights: JSON = {}
        holder = _child(info, "copyrightHolder")
        if holder is not None:
            organization = self.party(holder, person=False)
            if organization:
                rights["copyrightHolder"] = organization
        notice = self.content_line(self._in_language(info, "copyrightNotice"))
        if notice:
            rights["copyrightNotice"] = notice
        year = self._extension("rightsInfoExtProperty", g2.COPYRIGHT_YEAR)
        copyright_year = whole_number(year, "rights/copyrightYear")
        if copyright_year is not None:
            rights["copyrightYear"] = copyright_year
        for link in _children(info, "link"):
            href = (link.get("href") or "").strip(_XML_BLANKS)
            if link.get("reluri") == g2.LICENSE_REL and accepts("webUrl", href):
                rights["license"] = href
                break
        terms = self.content_text(self._in_language(info, "usageTerms"))
        if terms:
            rights["usageTerms"] = terms
        if rights:
            out["rights"] = rights

    def _in_language(self, parent: Any, name: str) -> Any:
        """The first ``name`` child in the article's language, else the first one."""
        elements = _children(parent, name)
        for element in elements:
            if element.get(_XML_LANG) in (None, self.language):
                return element
        return elements[0] if elements else None

    # --- quirks -----------------------------------------------------------------------------

    def _check_order(self) -> None:
        """Warn once about elements out of the order the XSD requires (real agency files)."""
        wrong = _out_of_order(self.meta, _ITEM_META_ORDER.get, "itemMeta")
        wrong += _out_of_order(self.content, _content_meta_rank, "contentMeta")
        if wrong:
            self.warn(f"elements out of the order the XSD requires: {', '.join(wrong)}")


def _content_meta_rank(name: str) -> int | None:
    if name in _ADMINISTRATIVE:
        return _ADMINISTRATIVE[name]
    if name == "contentMetaExtProperty":
        return _CONTENT_META_END
    return _DESCRIPTIVE


def _out_of_order(parent: Any, rank: Callable[[str], int | None], where: str) -> list[str]:
    """The children that come after something the XSD wants after them; any NewsML-G2
    element after a foreign (extension) element is out of order too."""
    if parent is None:
        return []
    wrong, highest, foreign = [], -1, False
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if not child.tag.startswith(_N):
            foreign = True
            continue
        name = xml.local_name(child.tag)
        position = rank(name)
        if position is None:
            continue
        if position < highest or foreign:
            wrong.append(f"{where}/{name}")
        highest = max(highest, position)
    return wrong


def _set_country_code(target: JSON, element: Any) -> None:
    """A place that is a country says so with its own or a ``sameAs`` ISO 3166 QCode."""
    qcodes = [element.get("qcode") or ""] + [
        s.get("qcode") or "" for s in _children(element, "sameAs")
    ]
    for qcode in qcodes:
        scheme, _, code = qcode.strip(_XML_BLANKS).partition(":")
        if scheme == "iso3166-1a2" and accepts("countryCode", code):
            target["countryCode"] = code
            return


def _preserves(element: Any) -> bool:
    """Whether ``xml:space="preserve"`` is in force at the element."""
    while element is not None:
        value = element.get(_XML_SPACE)
        if value is not None:
            return bool(value == "preserve")
        element = element.getparent()
    return False


def _child(parent: Any, name: str) -> Any:
    return None if parent is None else parent.find(_N + name)


def _children(parent: Any, name: str) -> list[Any]:
    return [] if parent is None else parent.findall(_N + name)


def _local_child(parent: Any, name: str) -> Any:
    """The first child with a local name, whatever its namespace (XHTML may come without one)."""
    if parent is None:
        return None
    return next((e for e in parent if xml.local_name(e.tag) == name), None)


def _text_of(element: Any) -> str | None:
    return None if element is None else element.text


_BLOCKS_IN_CELLS = frozenset(
    {"p", "div", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "hr", "figure"}
    | {"figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "block", "hl2"}
)
"""XHTML (and NITF) elements that start a line of their own inside a table cell."""


def cell_lines(cell: Any) -> list[str]:
    """A cell's text as :func:`_gather` collects it, cut where a block inside it starts or
    ends: a cell with two paragraphs, or a nested table, must not run their words together."""
    lines = [cell.text or ""]

    def walk(element: Any) -> None:
        for child in element:
            if isinstance(child.tag, str):
                name = xml.local_name(child.tag)
                if name == "br":
                    lines[-1] += _BR
                elif name in _BLOCKS_IN_CELLS:
                    lines.append(child.text or "")
                    walk(child)
                    lines.append("")
                else:
                    lines[-1] += child.text or ""
                    walk(child)
            lines[-1] += child.tail or ""

    walk(cell)
    return lines


def _gather(element: Any) -> str:
    """An element's text with its inline children's, each ``<br/>`` as :data:`_BR`."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_BR if xml.local_name(child.tag) == "br" else _gather(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _number(text: str | None) -> int | float | None:
    value = (text or "").strip(_XML_BLANKS)
    if not value:
        return None
    try:
        return int(value) if _INTEGER.fullmatch(value) else float(value)
    except ValueError:
        return None


def _geo(position: Any) -> JSON | None:
    if position is None:
        return None
    latitude, longitude = _number(position.get("latitude")), _number(position.get("longitude"))
    if latitude is None or longitude is None:
        return None
    geo = {"latitude": latitude, "longitude": longitude}
    return geo if accepts("geo", geo) else None
