"""IPTC NITF 3.6 out: one article as one ``nitf`` document, valid against the 3.6 XSD.

Each field goes where the ``nitf`` importer reads it from (the table in
:mod:`wirekit.formats.nitf.reader`), so NITF -> canonical -> NITF is stable and canonical -> NITF
-> canonical is the identity on what NITF carries. Text keeps its exact white space: the document
declares ``xml:space="preserve"``. Elements follow the XSD's sequences (``head`` before ``body``;
``title``, ``meta``, ``docdata``, ``pubdata``; ``hedline``, ``byline``, ``distributor``,
``dateline``, ``abstract``), and images are ``media`` elements at the end of ``body.content``.

What NITF cannot hold (the article's URL, its creation and modification dates, genres, signals,
contributors, related links, entities in the text...) is reported in one
:class:`~wirekit.errors.LossyConversionWarning` per reason, naming the fields by JSON pointer.
``extensions.nitf`` (``meta`` and ``tagline``, which the importer fills from a NITF document) is
written back, so a NITF document's own furniture survives the trip.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wirekit.audience import KILLED, SYNDICATION, syndication_status
from wirekit.formats.newsml_g2.writer import encode, report
from wirekit.formats.nitf import vocab as nitf
from wirekit.model import (
    Article,
    Block,
    BlockQuote,
    Entity,
    Heading,
    ListBlock,
    Paragraph,
    Table,
    json_name,
)
from wirekit.plugin import Exporter, conforms, notes_for_partners
from wirekit.xml import Writer

Lost = list[tuple[str, str, bool]]
_NO_PLACE = "NITF has no element for it"
UNWRITTEN = (
    "url",
    "dateCreated",
    "dateModified",
    "genres",
    "signals",
    "contributors",
    "creditLine",
    "isAccessibleForFree",
    "related",
    "mentions",
    "caption",
    "renditions",
)
"""The model's fields NITF has no element for. (``type`` is judged on its own in
:meth:`write`: a text story's type is what NITF holds.)"""


class NITFExporter(Exporter):
    """One article as a NITF 3.6 document."""

    name = "nitf"
    aliases = ("nitf-3.6",)
    description = "IPTC NITF 3.6 document, valid against the 3.6 XSD"
    media_type = nitf.MEDIA_TYPE
    file_extension = ".nitf"
    standard = "IPTC NITF"
    standard_version = nitf.STANDARD_VERSION
    audience = SYNDICATION
    """Like NewsML-G2, NITF carries status and embargo (``management-status``, ``date.release``)
    to partners, and the editor's note."""

    def check(self, path: Path) -> str:
        """Against the official NITF XSD, through the importer's conformance."""
        from wirekit.formats.nitf.reader import NITFImporter

        what = f"NITF {nitf.STANDARD_VERSION} XSD"
        return conforms(NITFImporter(self.config), path.read_bytes(), what)

    def export(self, article: Article) -> bytes:
        document = _Document(article)
        document.write()
        report(article, document.lost, self.name)
        return encode(document.out)


class _Document:
    """The state of one document being written, and what it had to leave out."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.out = Writer()
        self.lost: Lost = []

    def lose(self, pointer: str, why: str = _NO_PLACE) -> None:
        self.lost.append((pointer, why, False))

    def write(self) -> None:
        a, out = self.article, self.out
        if a.type not in (None, "text"):
            self.lose("/type", "NITF holds a text story; a media item's type is not written")
        for key in UNWRITTEN:
            if getattr(a, _attr(key)) not in (None, ()):
                self.lose(f"/{key}")
        out.start(
            "nitf",
            {
                "xmlns": nitf.NS,
                "version": nitf.VERSION,
                "change.date": nitf.CHANGE_DATE,
                "change.time": nitf.CHANGE_TIME,
                "baselang": a.language,
                "xml:space": "preserve",
            },
        )
        self.head()
        out.start("body")
        self.body_head()
        out.start("body.content")
        for block in a.body:
            self.block(block)
        self.images()
        out.end("body.content")
        tagline = self.extension("tagline")
        if isinstance(tagline, str) and tagline:
            out.start("body.end")
            out.leaf("tagline", tagline)
            out.end("body.end")
        out.end("body")
        out.end("nitf")

    def extension(self, key: str) -> Any:
        found = (self.article.extensions or {}).get("nitf")
        return found.get(key) if isinstance(found, Mapping) else None

    # --- head -------------------------------------------------------------------------------

    def head(self) -> None:
        a, out = self.article, self.out
        out.start("head")
        out.leaf("title", a.headline)
        meta = self.extension("meta")
        if isinstance(meta, Mapping):
            for name, content in meta.items():
                if isinstance(content, str):
                    out.empty("meta", {"name": str(name), "content": content})
        status = syndication_status(a)
        out.start("docdata", {"management-status": status} if status else None)
        if a.pub_status not in (None, status):
            self.lose("/pubStatus", KILLED)
        doc_id = {"id-string": a.id}
        if a.source_agency is not None:
            doc_id = {"regsrc": a.source_agency.name, **doc_id}
            self.party_details("/sourceAgency", a.source_agency)
        out.empty("doc-id", doc_id)
        du_key = {"version": str(a.version)}
        if a.slug:
            du_key = {"key": a.slug, **du_key}
        out.empty("du-key", du_key)
        if a.urgency is not None:
            out.empty("urgency", {"ed-urg": str(a.urgency)})
        if a.date_published:
            out.empty("date.issue", {"norm": nitf.write_date(a.date_published)})
        if a.embargoed_until:
            out.empty("date.release", {"norm": nitf.write_date(a.embargoed_until)})
        if a.expires:
            out.empty("date.expire", {"norm": nitf.write_date(a.expires)})
        for note in notes_for_partners(a):  # a syndication format: never an internal note
            out.empty("ed-msg", {"info": note})
        for index, correction in enumerate(a.corrections):
            out.empty("correction", {"info": correction.text})
            if correction.date:
                self.lose(f"/corrections/{index}/date")
        self.rights()
        if a.keywords:
            out.start("key-list")
            for keyword in a.keywords:
                out.empty("keyword", {"key": keyword})
            out.end("key-list")
        self.identified_content()
        out.end("docdata")
        pubdata: dict[str, str] = {}
        if a.publisher is not None:
            pubdata["name"] = a.publisher.name
            self.party_details("/publisher", a.publisher)
        if a.section:
            pubdata["position.section"] = a.section
        if pubdata:
            out.empty("pubdata", pubdata)
        out.end("head")

    def party_details(self, pointer: str, party: Any) -> None:
        """NITF names organisations and people; their links and logos are lost."""
        for key in ("url", "logo", "wikidata", "same_as", "role"):
            if getattr(party, key, None) not in (None, ()):
                self.lose(f"{pointer}/{json_name(key)}")

    def rights(self) -> None:
        rights = self.article.rights
        if rights is None:
            return
        copyright_: dict[str, str] = {}
        if rights.copyright_holder is not None:
            copyright_["holder"] = rights.copyright_holder.name
            self.party_details("/rights/copyrightHolder", rights.copyright_holder)
        if rights.copyright_year is not None:
            copyright_["year"] = str(rights.copyright_year)
        if copyright_:
            self.out.empty("doc.copyright", copyright_)
        if rights.usage_terms:
            self.out.empty("doc.rights", {"limitations": rights.usage_terms})
        for key, value in (
            ("copyrightNotice", rights.copyright_notice),
            ("license", rights.license),
        ):
            if value:
                self.lose(f"/rights/{key}")

    def identified_content(self) -> None:
        a, out = self.article, self.out
        if not a.about and not a.subjects:
            return
        out.start("identified-content")
        for index, entity in enumerate(a.about):
            self.entity(entity, f"/about/{index}")
        for index, subject in enumerate(a.subjects):
            attributes = {"idsrc": subject.scheme, "value": subject.code}
            if subject.label:
                out.leaf("classifier", subject.label, attributes)
            else:
                out.empty("classifier", attributes)
            if subject.uri:
                self.lose(f"/subjects/{index}/uri")
        out.end("identified-content")

    def entity(self, entity: Entity, pointer: str) -> None:
        tag = nitf.TAGS_OF[entity.type]
        attributes = None
        if entity.wikidata and tag != "location":
            attributes = {"idsrc": "wikidata", "value": entity.wikidata}
        elif entity.wikidata:
            attributes = {"code-source": "wikidata", "location-code": entity.wikidata}
        self.out.leaf(tag, entity.name, attributes)
        for key in ("geonames", "same_as", "country_code", "geo"):
            if getattr(entity, key) not in (None, ()):
                self.lose(f"{pointer}/{json_name(key)}")

    # --- body.head --------------------------------------------------------------------------

    def body_head(self) -> None:
        a, out = self.article, self.out
        out.start("body.head")
        out.start("hedline")
        out.leaf("hl1", a.headline)
        if a.subheadline and a.subheadline != a.headline:  # one the reader takes for a repeat
            out.leaf("hl2", a.subheadline)
        out.end("hedline")
        printed = a.byline is not None and self.byline_as_printed()
        if a.byline is not None and not printed:
            self.lose("/byline", "the byline as printed names no author, or not each in order")
        for index, author in enumerate(a.authors):
            if not author.name:  # a provider's system id alone is no name to print
                self.lose(f"/authors/{index}")
                continue
            if not printed:
                out.start("byline")
                out.leaf("person", author.name)
                if author.role:
                    out.leaf("byttl", author.role)
                out.end("byline")
            for key in ("id", "url", "wikidata", "same_as"):
                if getattr(author, key) not in (None, ()):
                    self.lose(f"/authors/{index}/{json_name(key)}")
        if a.provider is not None:
            out.leaf("distributor", a.provider.name)
            self.party_details("/provider", a.provider)
        if a.dateline is not None:
            self.dateline()
        if a.summary:
            out.start("abstract")
            out.leaf("p", a.summary)
            out.end("abstract")
        out.end("body.head")

    def byline_as_printed(self) -> bool:
        """The byline as printed, as one ``byline``: its words as they stand, each author's
        name inside it marked as a ``person`` and their shared role as ``byttl`` (``Von
        <person>Almut Kipp</person>, dpa``), which is how the reader takes names, role and the
        printed line back. False, with nothing written, when the line does not name every
        author in order, or the authors' one role after them (set off as the reader expects):
        then each author gets a ``byline`` of their own and the printed line is a loss."""
        a = self.article
        assert a.byline is not None
        named = [author for author in a.authors if author.name]
        roles = {author.role for author in named}
        if not named or len(roles) > 1:
            return False
        marks = [("person", author.name or "") for author in named]
        (role,) = roles
        if role:
            marks.append(("byttl", role))
        pieces: list[tuple[str | None, str]] = []
        rest = a.byline
        for tag, words in marks:
            before, found, rest = rest.partition(words)
            head = "".join(piece for _, piece in pieces) + before
            if not found or (tag == "byttl" and not nitf.sets_off_title(head)):
                return False
            pieces += [(None, before), (tag, words)]
        pieces.append((None, rest))
        out = self.out
        out.start("byline")
        for element, piece in pieces:
            if element is None:
                out.text(piece)
            else:
                out.leaf(element, piece)
        out.end("byline")
        return True

    def dateline(self) -> None:
        dateline, out = self.article.dateline, self.out
        assert dateline is not None
        out.start("dateline")
        out.text(dateline.text)
        place = dateline.place
        if place is not None:
            out.start("location")
            out.leaf("city", place.name)
            if place.country or place.country_code:
                code = {"iso-cc": place.country_code} if place.country_code else None
                out.leaf("country", place.country or "", code)
            out.end("location")
            for key in ("geo", "geonames", "wikidata"):
                if getattr(place, key) is not None:
                    self.lose(f"/dateline/place/{key}")
        if dateline.date:
            out.empty("story.date", {"norm": nitf.write_date(dateline.date)})
        out.end("dateline")

    # --- body.content -----------------------------------------------------------------------

    def block(self, block: Block) -> None:
        out = self.out
        if isinstance(block, Paragraph):
            out.leaf("p", block.text)
        elif isinstance(block, Heading):
            out.leaf("hl2", block.text)
            if block.level not in (None, 2):
                self.lose("/body/*/level", "NITF has one level of crosshead, hl2")
        elif isinstance(block, BlockQuote):
            out.start("bq")
            out.start("block")
            out.leaf("p", block.text)
            out.end("block")
            if block.attribution:
                out.leaf("credit", block.attribution)
            out.end("bq")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            out.start(tag)
            for item in block.items:
                out.leaf("li", item)
            out.end(tag)
        elif isinstance(block, Table):
            self.table(block)
        else:  # a block kind added to the model after this exporter: its words, not nothing
            out.leaf("p", block.text_content)
            self.lose(f"/body/*[type={block.kind}]", "NITF gets the block's text only")

    def table(self, table: Table) -> None:
        """A table block: its caption, then a row per ``tr``, header cells as ``th``."""
        out = self.out
        out.start("table")
        caption = _one_line(table.caption or "")
        if caption:
            out.leaf("caption", caption)
        for row in table.rows:
            out.start("tr")
            for cell in row.cells:
                out.leaf("th" if cell.header else "td", _one_line(cell.text))
            out.end("tr")
        out.end("table")

    def images(self) -> None:
        out = self.out
        for image in self.article.images:
            out.start("media", {"media-type": "image"})
            reference = {"source": image.url}
            if image.media_type:
                reference["mime-type"] = image.media_type
            if image.alt_text:
                reference["alternate-text"] = image.alt_text
            if image.height is not None:
                reference["height"] = str(image.height)
            if image.width is not None:
                reference["width"] = str(image.width)
            out.empty("media-reference", reference)
            if image.caption:
                out.leaf("media-caption", image.caption)
            if image.credit:
                out.leaf("media-producer", image.credit)
            out.end("media")


def _attr(key: str) -> str:
    """``dateCreated`` -> ``date_created``."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def _one_line(text: str) -> str:
    """A caption or cell as one line, as NITF readers (wirekit's too) take it: a line break or
    tab in it becomes a space and the edges are trimmed; other text is kept exactly."""
    if not re.search(r"[\t\n\r\x00-\x08\x0b-\x1f]", text):
        return text
    return re.sub(r"[ \t\n\r\x00-\x08\x0b-\x1f]+", " ", text).strip(" ")
