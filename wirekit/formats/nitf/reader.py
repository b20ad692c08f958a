"""IPTC NITF 3.x in (3.2 to 3.6, with or without the 3.6 namespace): one ``nitf`` document, one
article.

The mapping (and the ``nitf`` exporter writes each field back where it is read from):

=============================================  ================================================
NITF                                           canonical article
=============================================  ================================================
``docdata/doc-id/@id-string``                  ``id`` (under the base IRI when not an IRI)
``docdata/doc-id/@regsrc``                     ``sourceAgency``
``docdata/du-key/@version``, ``@key``          ``version``, ``slug``
``docdata/@management-status``                 ``pubStatus``
``docdata/urgency/@ed-urg``                    ``urgency``
``docdata/date.issue``, ``date.release``,      ``datePublished``, ``embargoedUntil``,
``date.expire``                                ``expires``
``docdata/ed-msg/@info``                       a note for partners
``docdata/correction/@info``                   ``corrections``
``docdata/identified-content``                 ``about`` (person, org, location), ``subjects``
                                               (classifier: ``@idsrc`` scheme, ``@value`` code)
``docdata/key-list/keyword``                   ``keywords``
``docdata/doc.copyright``, ``doc.rights``      ``rights`` (holder, year; ``@limitations``)
``tobject/tobject.subject``                    ``subjects`` in the IPTC Subject Codes (``subj``)
``pubdata/@name``                              ``publisher``
``head/meta``, ``body.end/tagline``            ``extensions.nitf`` (``meta``, ``tagline``)
``hedline/hl1``, ``hl2`` (or ``head/title``)   ``headline``, ``subheadline``
``byline`` (``person``, ``byttl``)             ``authors`` (``byttl`` as the role)
``distributor``                                ``provider``
``dateline`` (``location``, ``story.date``)    ``dateline`` (its place and date)
``abstract``                                   ``summary``
``body.content``: p, hl2, bq, ol/ul, pre,      ``body``; ``media`` of type image -> ``images``;
``block``, table, media                        names tagged in the text -> ``mentions``
=============================================  ================================================

What has no place in the model (``evloc``, ``series``, ``doc-scope``, other media types...) is
named in one :class:`~wirekit.errors.InputWarning` per document, never dropped in silence: the
elements of :func:`document_paths` that :data:`COVERAGE` does not account for, which are the
coverage report's ``warned`` lines too (:func:`wirekit.coverage.not_carried`). Text
follows ``xml:space`` as in the NewsML-G2 importer, whose XHTML/NITF body reader this one extends:
NITF bodies inside NewsML-G2 and NITF documents are read by the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from wirekit import xml
from wirekit.config import Config
from wirekit.errors import InputError, Problem
from wirekit.formats.newsml_g2.reader import BLOCKS, CONTAINERS, ItemReader, cell_lines
from wirekit.formats.nitf import vocab as nitf
from wirekit.plugin import (
    Importer,
    Record,
    add_note,
    article_id,
    headline_text,
    printed_byline,
    slug_from,
    slugify,
    version_from,
    whole_number,
)
from wirekit.schema import accepts
from wirekit.xml import local_name

JSON = dict[str, Any]
_SNIFF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?nitf[\s>/]")
_STATUSES = {"usable": "usable", "withheld": "withheld", "canceled": "canceled"}
_BY = re.compile(r"^(?:by|von|par|por|di|av|af)\s+", re.IGNORECASE)
_NAMES = re.compile(r"\s*(?:,|\band\b|\bund\b|\bet\b|\by\b|\bog\b|&)\s*")
_MAPPED = (
    "head",
    "body",
    "head/meta",
    "head/tobject",
    "head/docdata",
    "head/pubdata",
    "head/urgency",  # a common misplacement of docdata's
    "tobject/tobject.subject[IPTC]",
    "docdata/doc-id",
    "docdata/du-key",
    "docdata/urgency",
    "docdata/date.issue",
    "docdata/date.release",
    "docdata/date.expire",
    "docdata/ed-msg",
    "docdata/correction",
    "docdata/identified-content",
    *(f"identified-content/{name}" for name in (*nitf.ENTITY_TAGS, "classifier")),
    "docdata/key-list",
    "docdata/doc.copyright",
    "docdata/doc.rights",
    "body.head/hedline",
    "body.head/byline",
    "body.head/distributor",
    "body.head/dateline",
    "body.head/abstract",
    # what the body reader makes blocks of, and the containers it reads in their place
    *(f"body.content/{name}" for name in sorted(BLOCKS | CONTAINERS | {"pre", "media[image]"})),
    "body.end/tagline",
)
COVERAGE: dict[str, str] = {
    **dict.fromkeys(_MAPPED, "mapped"),
    "head/title": "the document's title: the headline is hl1's, the title only stands in for it",
}
"""NITF element -> ``mapped`` or the rule it is left out by (see :mod:`wirekit.coverage`), by
the paths :func:`document_paths` gives them. What it does not list is named in the reader's one
warning."""


def _children(parent: Any, name: str) -> list[Any]:
    """Children by local name, so namespaced 3.6 and plain 3.x read alike."""
    return [] if parent is None else [e for e in parent if local_name(e.tag) == name]


def _child(parent: Any, name: str) -> Any:
    found = _children(parent, name)
    return found[0] if found else None


class NITFImporter(Importer):
    """IPTC NITF 3.x: one ``nitf`` document as one article."""

    name = "nitf"
    aliases = ("nitf-3",)
    description = "IPTC News Industry Text Format 3.x (3.2 to 3.6), with or without namespace"
    media_types = (nitf.MEDIA_TYPE,)
    file_extensions = (".nitf", ".xml")

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """A ``nitf`` root element after the prolog."""
        return float(bool(_SNIFF.match(xml.after_prolog(xml.head_bytes(head)))))

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        try:
            root = xml.parse(stream.read())
            if local_name(root.tag) != "nitf":
                raise InputError(f"not NITF: the root element is {local_name(root.tag)!r}")
            yield Record(DocumentReader(root, self.config, source).article())
        except InputError as exc:
            raise exc.located(source) from None

    coverage_table = COVERAGE
    warns_unmapped = True  # DocumentReader._not_carried names every element no field holds

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """The document's elements (see :func:`document_paths`); nothing for another root,
        which its reader refuses in one line."""
        root = xml.parse(data)
        if local_name(root.tag) == "nitf":
            yield from document_paths(root)

    def conformance(self, data: bytes) -> list[Problem]:
        """A document in the NITF namespace against the NITF 3.6 XSD from ``config.specs``.
        NITF without the namespace (3.0 to 3.4, and most archives) was defined by a DTD, which
        wirekit never loads: there is no official schema to hold it to."""
        if self.config.specs is None:
            return []
        root = xml.parse(data)
        if not str(root.tag).startswith("{" + nitf.NS + "}"):
            return []
        return nitf.problems(root, self.config.specs)


def document_paths(root: Any) -> Iterator[str]:
    """``head``, ``body``, and the children that say something of ``head``, ``tobject`` (a
    subject by its ``ipr``: ``tobject/tobject.subject[AP]``), ``docdata``,
    ``identified-content``, ``body.head``, ``body.content`` and ``body.end``
    (``docdata/date.expire``); a ``body.content`` container's children in its place, as the
    body reader reads them (``body.content/media[video]`` inside a ``block``)."""
    head, body = _child(root, "head"), _child(root, "body")
    yield from (name for name, part in (("head", head), ("body", body)) if part is not None)
    docdata = _child(head, "docdata")
    for part, parents in (
        ("head", [head]),
        ("tobject", _children(head, "tobject")),
        ("docdata", [docdata]),
        ("identified-content", _children(docdata, "identified-content")),
        ("body.head", _children(body, "body.head")),
        ("body.content", _children(body, "body.content")),
        ("body.end", _children(body, "body.end")),
    ):
        for parent in parents:
            yield from _child_paths(part, parent)


def _child_paths(part: str, parent: Any) -> Iterator[str]:
    """``part/child`` for each child of ``parent`` that says something; in ``body.content``,
    a container's children after it, under the same part."""
    for child in [] if parent is None else parent:
        name = local_name(child.tag)
        if name and _has_content(child):
            yield f"{part}/{_qualified(name, child)}"
            if part == "body.content" and name in CONTAINERS:
                yield from _child_paths(part, child)


class DocumentReader(ItemReader):
    """One ``nitf`` element -> one canonical article dict. It is the NewsML-G2 item reader's
    body and text handling (white space, ``<br/>``, paragraphs, headings, quotes, lists) with
    NITF's head, its block elements (``pre``, ``media``, ``table``) and its tagged names."""

    coverage_table = COVERAGE

    def __init__(self, root: Any, config: Config, source: str) -> None:
        super().__init__(root, config, source, None)
        self.head = _child(root, "head")
        self.docdata = _child(self.head, "docdata")
        body = _child(root, "body")
        self.body_head = _child(body, "body.head")
        self.body_contents = _children(body, "body.content")
        self.body_end = _child(body, "body.end")
        self.images: list[JSON] = []
        self.mentions: list[JSON] = []
        baselang = (root.get("baselang") or "").strip()
        if baselang and accepts("languageTag", baselang):
            self.language = baselang

    def coverage_paths(self) -> Iterator[str]:
        """The document's elements as its importer's coverage report names them."""
        return document_paths(self.item)

    def article(self) -> JSON:
        out: JSON = {"id": self._doc_id(), "version": self._du_version()}
        slug = self._du_slug()
        if slug:
            out["slug"] = slug
        hedline = _child(self.body_head, "hedline")
        headline = headline_text(self.content_line(_child(hedline, "hl1")))
        if headline is None:
            headline = self._fallback_headline()
        out["headline"] = headline
        sub = self.content_line(_child(hedline, "hl2"))
        if sub and sub != headline:
            out["subheadline"] = sub
        summary = self._abstract()
        if summary:
            out["summary"] = summary
        out["language"] = self.language
        body = [b for content in self.body_contents for b in self._blocks(content)]
        out["body"] = body or self._derived_body([summary] if summary else [], headline)
        self._docdata(out)
        self._byline(out)
        self._body_head(out)
        self._head(out)
        if self.images:
            out["images"] = self.images
        if self.mentions:
            out["mentions"] = self.mentions
        self._not_carried()
        return out

    # --- identity ---------------------------------------------------------------------------

    def _doc_id(self) -> str:
        doc_id = _child(self.docdata, "doc-id")
        raw = self.line(None if doc_id is None else doc_id.get("id-string")) or ""
        if raw:
            return article_id(raw, self.config, self.prefix)
        title = self.content_line(_child(self.head, "title")) or self._hl1() or "item"
        derived = self.config.base_iri + (slugify(title) or "item")
        self.warn(f"no doc-id; the id is {derived}")
        return derived

    def _hl1(self) -> str | None:
        return self.content_line(_child(_child(self.body_head, "hedline"), "hl1"))

    def _du_version(self) -> int:
        du_key = _child(self.docdata, "du-key")
        raw = (du_key.get("version") or "") if du_key is not None else ""
        return version_from(raw, self.prefix) if raw else 1

    def _du_slug(self) -> str | None:
        du_key = _child(self.docdata, "du-key")
        key = self.line(None if du_key is None else du_key.get("key"))
        if not key:
            return None
        return slug_from(key)

    def _fallback_headline(self) -> str:
        for where, text in (
            ("the title", self.content_line(_child(self.head, "title"))),
            ("the abstract", self._abstract()),
        ):
            found = headline_text(self.line(text))
            if found:
                self.warn(f"no hl1 headline; using {where}")
                return found
        self.warn("no headline; using 'untitled'")
        return "untitled"

    def _abstract(self) -> str | None:
        abstract = _child(self.body_head, "abstract")
        if abstract is None:
            return None
        parts = [self.inline(p) for p in abstract.iter() if local_name(p.tag) == "p"]
        text = "\n".join(p for p in parts if p) or self.inline(abstract)
        return text or None

    # --- body -------------------------------------------------------------------------------

    def _block(self, name: str, element: Any) -> JSON | None:
        if name == "media":
            self._media(element)
            return None
        if name == "pre":
            # preformatted: its white space is the content, whatever xml:space says
            text = "".join(element.itertext()).replace("\r\n", "\n").replace("\r", "\n")
            text = text.strip("\n")
            return {"type": "paragraph", "text": text} if text.strip() else None
        if name == "table":
            return self._table(element)
        if name == "p":
            self._tagged_names(element)
        block = super()._block(name, element)
        if block is None and name in BLOCKS and "".join(element.itertext()).strip():
            # an element it reads, whose text lies outside the parts read (a list's outside
            # its items): an element it does not read is in the not-carried warning
            self.warn(f"body.content/{name}: text outside the parts it is read from; left out")
        return block

    def _cell_text(self, cell: Any) -> str:
        """NITF cells keep their own white-space rules: their text as it is, collapsed unless
        preserved, each block inside a line of its own (the table itself is read as the base
        reader reads XHTML tables)."""
        return "\n".join(line for line in map(self.text, cell_lines(cell)) if line)

    def _table_caption(self, table: Any) -> str | None:
        return self.content_text(_child(table, "caption"))

    def _media(self, media: Any) -> None:
        kind = media.get("media-type") or ""
        reference = _child(media, "media-reference")
        source = "" if reference is None else (reference.get("source") or "").strip()
        if kind != "image":  # not carried: named by its type in the coverage paths
            return
        if not accepts("webUrl", source):
            self.warn(f"an image without a web address ({source!r}) is left out")
            return
        image: JSON = {"url": source}
        caption = self.content_text(_child(media, "media-caption"))
        if caption:
            image["caption"] = caption
        alt = self.text(reference.get("alternate-text"))
        if alt:
            image["altText"] = alt
        credit = self.content_line(_child(media, "media-producer"))
        if credit:
            image["credit"] = credit
        for key in ("width", "height"):
            size = whole_number(reference.get(key), f"image/{key}")
            if size is not None:
                image[key] = size
        mime = (reference.get("mime-type") or "").strip()
        if accepts("image/mediaType", mime):
            image["mediaType"] = mime
        self.images.append(image if accepts("image", image) else {"url": source})

    def _tagged_names(self, paragraph: Any) -> None:
        """People, organisations and places tagged in running text become mentions."""
        for element in paragraph.iter():
            kind = nitf.ENTITY_TAGS.get(local_name(element.tag))
            name = self.line("".join(element.itertext())) if kind else None
            if kind and name:
                entity = {"type": kind, "name": name}
                if entity not in self.mentions:
                    self.mentions.append(entity)

    # --- head -------------------------------------------------------------------------------

    def date(self, element: Any, what: str) -> str | None:
        if element is None:
            return None
        found = nitf.read_date(element.get("norm"))
        if found.assumed:
            self.warn(f"{what}: {found.assumed}")
        return found.value

    def _docdata(self, out: JSON) -> None:
        docdata = self.docdata
        if docdata is None:
            return
        status = _STATUSES.get((docdata.get("management-status") or "").strip())
        if status:
            out["pubStatus"] = status
        urgency = _child(docdata, "urgency")
        if urgency is None:
            urgency = _child(self.head, "urgency")  # a common misplacement
        level = (urgency.get("ed-urg") or "").strip() if urgency is not None else ""
        urgency_level = whole_number(level, "urgency")
        if urgency_level is not None:
            out["urgency"] = urgency_level
        elif level:
            self.warn(f"urgency {level!r} is not one the schema accepts; left out")
        for tag, key in (
            ("date.issue", "datePublished"),
            ("date.release", "embargoedUntil"),
            ("date.expire", "expires"),
        ):
            value = self.date(_child(docdata, tag), tag)
            if value and (key != "embargoedUntil" or "T" in value):
                out[key] = value
            elif value:
                self.warn(f"{tag} {value} has no time; left out")
        for message in _children(docdata, "ed-msg"):
            note = self.text(message.get("info"))
            if note:
                add_note(out, note, "partner")
        corrections = [
            {"text": text}
            for c in _children(docdata, "correction")
            if (text := self.text(c.get("info")))
        ]
        if corrections:
            out["corrections"] = corrections
        self._organization(out, "sourceAgency", _child(docdata, "doc-id"), "regsrc")
        self._identified(out, _children(docdata, "identified-content"))
        keywords: list[str] = []
        for key_list in _children(docdata, "key-list"):
            for keyword in _children(key_list, "keyword"):
                word = self.line(keyword.get("key")) or self.content_line(keyword)
                if word and word not in keywords:
                    keywords.append(word)
        if keywords:
            out["keywords"] = keywords
        self._copyright(out, docdata)

    def _organization(self, out: JSON, key: str, element: Any, attribute: str) -> None:
        """An organisation named by an attribute (``doc-id/@regsrc``, ``pubdata/@name``)."""
        name = self.line(_attribute(element, attribute))
        if name:
            out[key] = {"name": name}

    def _identified(self, out: JSON, contents: list[Any]) -> None:
        """People, organisations and places as ``about``, classifiers as ``subjects``; any
        other child is in the not-carried warning, by its path."""
        about: list[JSON] = []
        subjects: list[JSON] = []
        for element in (element for content in contents for element in content):
            name = local_name(element.tag)
            kind = nitf.ENTITY_TAGS.get(name)
            text = self.line("".join(element.itertext()))
            if kind and text:
                entity: JSON = {"type": kind, "name": text}
                wikidata = _wikidata(element)
                if wikidata:
                    entity["wikidata"] = wikidata
                about.append(entity)
            elif name == "classifier" and _has_content(element):
                scheme, code = element.get("idsrc"), element.get("value")
                concept: JSON = {"scheme": scheme, "code": code}
                if text:
                    concept["label"] = text
                if accepts("concept", concept):
                    subjects.append(concept)
                else:
                    self.warn(
                        f"identified-content/classifier idsrc={scheme!r} value={code!r}: no "
                        "concept the schema accepts; left out"
                    )
        if about:
            out["about"] = about
        if subjects:
            out["subjects"] = subjects

    def _copyright(self, out: JSON, docdata: Any) -> None:
        rights: JSON = {}
        copyright_ = _child(docdata, "doc.copyright")
        holder = self.line(_attribute(copyright_, "holder"))
        if holder:
            rights["copyrightHolder"] = {"name": holder}
        year = whole_number(_attribute(copyright_, "year"), "rights/copyrightYear")
        if year is not None:
            rights["copyrightYear"] = year
        terms = self.text(_attribute(_child(docdata, "doc.rights"), "limitations"))
        if terms:
            rights["usageTerms"] = terms
        if rights:
            out["rights"] = rights

    def _head(self, out: JSON) -> None:
        head = self.head
        subjects = list(out.get("subjects", []))
        for tobject in _children(head, "tobject"):
            for subject in _children(tobject, "tobject.subject"):
                if _ipr(subject) != "IPTC":  # another owner's codes: in the not-carried warning
                    continue
                code = (subject.get("tobject.subject.refnum") or "").strip()
                concept: JSON = {"scheme": nitf.SUBJECT_SCHEME, "code": code}
                label = self.line(
                    subject.get("tobject.subject.detail")
                    or subject.get("tobject.subject.matter")
                    or subject.get("tobject.subject.type")
                )
                if label:
                    concept["label"] = label
                if accepts("concept", concept):
                    subjects.append(concept)
                elif code:
                    self.warn(f"tobject.subject {code!r}: no IPTC Subject Code; left out")
        if subjects:
            out["subjects"] = subjects
        pubdata = _child(head, "pubdata")
        self._organization(out, "publisher", pubdata, "name")
        section = self.line(_attribute(pubdata, "position.section"))
        if section:
            out["section"] = section
        extension: JSON = {}
        meta = {
            name: content
            for element in _children(head, "meta")
            if (name := element.get("name")) and (content := element.get("content"))
        }
        if meta:
            extension["meta"] = meta
        tagline = self.content_text(_child(self.body_end, "tagline"))
        if tagline:
            extension["tagline"] = tagline
        if extension:
            out["extensions"] = {"nitf": extension}

    # --- body.head --------------------------------------------------------------------------

    def _byline(self, out: JSON) -> None:
        """Each ``byline``'s people as ``authors`` (``byttl`` as their role), and the bylines
        as printed as ``byline`` when one has words of its own (``By BERNARD CONDON``) and
        they say more than the names: one of ``person`` and ``byttl`` alone, as wirekit writes
        them, says nothing the authors do not."""
        authors: list[JSON] = []
        printed: list[str] = []
        worded = False
        for byline in _children(self.body_head, "byline"):
            role = self.content_line(_child(byline, "byttl"))
            people = [self.content_line(p) for p in _children(byline, "person")]
            names = [n for n in people if n]
            own = self.line((byline.text or "") + "".join(c.tail or "" for c in byline))
            worded = worded or own is not None
            if not names:
                names = _names(own or "")
            for name in names:
                author: JSON = {"name": name}
                if role:
                    author["role"] = role
                authors.append(author)
            line = self._printed(byline)
            if line:
                printed.append(line)
        if authors:
            out["authors"] = authors
        byline = printed_byline("; ".join(printed), authors)
        if worded and byline:
            out["byline"] = byline

    def _printed(self, byline: Any) -> str | None:
        """A byline as a reader sees it, its title set off by a comma where the markup alone
        separates it (``By BERNARD CONDON<byttl>AP Business Writer</byttl>``)."""
        text = byline.text or ""
        for child in byline:
            words = "".join(child.itertext())
            if local_name(child.tag) == "byttl" and not nitf.sets_off_title(text):
                text = text.rstrip() + ", "
            text += words + (child.tail or "")
        return self.line(text)

    def _body_head(self, out: JSON) -> None:
        distributor = self.content_line(_child(self.body_head, "distributor"))
        if distributor:
            out["provider"] = {"name": distributor}
        dateline = _child(self.body_head, "dateline")
        # the printed text is the dateline's own; its tagged location spells the place out
        own = (
            None
            if dateline is None
            else (dateline.text or "") + "".join(c.tail or "" for c in dateline)
        )
        text = self.line(own) or self.content_line(dateline)
        if dateline is not None and text:
            found: JSON = {"text": text}
            place = self._place(_child(dateline, "location"))
            if place:
                found["place"] = place
            story_date = _child(dateline, "story.date")
            day = self.date(story_date, "story.date")
            if day:
                found["date"] = day[:10]
            out["dateline"] = found

    def _place(self, location: Any) -> JSON | None:
        if location is None:
            return None
        city = self.content_line(_child(location, "city"))
        country = self.content_line(_child(location, "country"))
        name = city or self.content_line(location)
        if not name:
            return None
        place: JSON = {"name": name}
        if country and city:
            place["country"] = country
        code = (_attribute(_child(location, "country"), "iso-cc") or "").strip()
        if city and accepts("countryCode", code):
            place["countryCode"] = code
        return place


def _qualified(name: str, element: Any) -> str:
    """``media[video]``, ``tobject.subject[AP]``: an element by what decides where it goes (a
    medium's type, the owner of a subject's codes)."""
    if name == "media":
        return f"media[{(element.get('media-type') or '').strip() or 'unknown'}]"
    if name == "tobject.subject":
        return f"tobject.subject[{_ipr(element)}]"
    return name


def _ipr(subject: Any) -> str:
    """Who owns a ``tobject.subject``'s codes: IPTC's Subject Codes unless it names another."""
    return (subject.get("tobject.subject.ipr") or "").strip() or "IPTC"


def _attribute(element: Any, name: str) -> str | None:
    return None if element is None else element.get(name)


def _wikidata(element: Any) -> str | None:
    """A Wikidata id from ``idsrc``/``value`` (people, organisations) or ``code-source``/
    ``location-code`` (places)."""
    for source, value in (("idsrc", "value"), ("code-source", "location-code")):
        code = element.get(value)
        if element.get(source) == "wikidata" and accepts("wikidataId", code):
            return str(code)
    return None


def _has_content(element: Any) -> bool:
    """Whether an element says anything: text or an attribute with a value."""
    return bool("".join(element.itertext()).strip()) or any(
        v.strip() for v in element.attrib.values()
    )


def _names(printed: str) -> list[str]:
    """The people a printed byline names: ``By Jane Doe and John Roe`` -> two names."""
    text = _BY.sub("", printed).strip()
    return [name for name in _NAMES.split(text) if name.strip()] if text else []
