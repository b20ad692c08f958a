"""What every importer and exporter declares, and how it takes options.

A plugin is a class, found through an entry point, whose class attributes say what it is (Pygments'
formatters and rdflib's plugins work the same way): listing formats reads only these attributes, so
a plugin module must import its heavy libraries (lxml, rdflib) inside the functions that use them.
Options come in at construction and data at call time, so one instance serves a whole archive.

Importers turn bytes in some newsroom format into canonical article dicts: they know one format
and nothing of exporters, and yield plain dicts, not Articles, because validation against the
schema happens once, at the model boundary, after them. Exporters turn one Article (or many, for
collections) into bytes: they know one format and nothing of files, clocks or the network.

Beside the bases live what every plugin shares: the repair rules every importer applies to a
value the schema refuses (:func:`article_id`, :func:`slug_from`, :func:`version_from`,
:func:`whole_number`, each asking :func:`wirekit.schema.accepts`), and the exporter extension
points (:class:`ExporterExtension`, with :class:`Element`, :class:`Link` and :class:`FeedEntry`
for what an extension gives). They live here, beside the registry, so that the registry never
imports a format package.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar
from urllib.parse import quote

from wirekit.audience import PUBLIC
from wirekit.config import Config
from wirekit.errors import (
    CheckFailed,
    InputError,
    InputWarning,
    LossyConversionWarning,
    NotChecked,
    Problem,
    UsageError,
)
from wirekit.model import Article, names_byline
from wirekit.schema import accepts, readable
from wirekit.xml import local_name


class Plugin:
    """Common ground of importers and exporters."""

    name: ClassVar[str]
    """The entry-point name: lower-case, unique within its kind."""
    aliases: ClassVar[tuple[str, ...]] = ()
    """Other names users may type."""
    description: ClassVar[str] = ""
    """One line for ``wirekit formats``."""
    options: ClassVar[Mapping[str, str]] = {}
    """The options it takes (``-O name=value``): name -> what it does."""

    def __init__(self, config: Config | None = None, /, **options: Any) -> None:
        unknown = set(options) - set(self.options)
        if unknown:
            known = ", ".join(sorted(self.options)) or "none"
            raise UsageError(
                f"{self.name} takes no option {sorted(unknown)[0]!r} (its options: {known})"
            )
        self.config = config or Config()
        self.settings: dict[str, Any] = options

    @classmethod
    def lookup_keys(cls) -> tuple[str, ...]:
        """Every key this plugin is found under, lower-cased."""
        return (cls.name, *cls.aliases)


def warn(where: str | None, message: str) -> None:
    """An :class:`InputWarning` that starts with ``where`` (the file, and the article in it),
    so in a batch's log a repaired or skipped part can be traced to its page."""
    warnings.warn(InputWarning(f"{where}: {message}" if where else message), stacklevel=3)


def add_note(out: dict[str, Any], text: str, audience: str) -> None:
    """Add a note about the article for ``audience`` (``public``, ``partner`` or ``internal``)
    to a canonical dict: the one way importers record a note, with who may read it."""
    out.setdefault("notes", []).append({"text": text, "audience": audience})


_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})


def table_rows(table: Any, cell_text: Callable[[Any], str]) -> list[dict[str, Any]]:
    """The rows of an (X)HTML or NITF ``table`` element, as :func:`table_block` takes them:
    the table's own, directly or in ``thead``, ``tbody`` and ``tfoot``, every ``th`` and ``td``
    kept (empty ones too, so that columns stay in line). A table inside a cell keeps its rows
    to itself: ``cell_text`` reads them into that cell, one line each, and the lost layout is a
    :class:`LossyConversionWarning`."""
    rows = []
    for row in _own_rows(table):
        cells = []
        for cell in row:
            kind = local_name(cell.tag)
            if kind in ("td", "th"):
                if next(cell.iterdescendants("{*}table"), None) is not None:
                    warnings.warn(
                        LossyConversionWarning(
                            "a table inside a table cell is read as lines of that cell; its "
                            "rows and columns are lost"
                        ),
                        stacklevel=3,
                    )
                text = cell_text(cell)
                cells.append({"text": text, "header": True} if kind == "th" else {"text": text})
        if cells:
            rows.append({"cells": cells})
    return rows


def _own_rows(table: Any) -> Iterator[Any]:
    for child in table:
        kind = local_name(child.tag)
        if kind == "tr":
            yield child
        elif kind in _ROW_GROUPS:
            yield from (row for row in child if local_name(row.tag) == "tr")


def table_block(rows: list[dict[str, Any]], caption: str | None) -> dict[str, Any] | None:
    """A canonical table block from its rows of cells (empty cells kept, so that columns stay
    in line) and its caption; None for a table without rows, or one that says nothing (no
    caption, no cell with text), which the schema refuses as it refuses an empty paragraph. The
    one way importers build a table."""
    if not rows or not (caption or any(cell["text"] for row in rows for cell in row["cells"])):
        return None
    block: dict[str, Any] = {"type": "table"}
    if caption:
        block["caption"] = caption
    block["rows"] = rows
    return block


def notes_for_partners(article: Article) -> tuple[str, ...]:
    """The notes a syndication output may carry: public and partner ones, never internal."""
    return article.notes_for("public", "partner")


def printed_byline(printed: str | None, authors: Iterable[Mapping[str, Any]]) -> str | None:
    """The byline as the source printed it, kept only when it says more than the authors' names
    (a writer that had only the names wrote them there): the one rule importers set ``byline``
    by."""
    if not printed or printed == names_byline(author["name"] for author in authors):
        return None
    return printed


def headline_text(text: str | None) -> str | None:
    """``text`` when it can be a headline, else None: a headline of white space alone is no
    headline, so the importer falls back as it does for a missing one."""
    return text if text and readable(text) else None


SLUG_LIMIT = 80
"""The length a derived slug is cut to (a word boundary at most this far): shorter than the
schema allows, so that URLs stay readable."""


def slugify(text: str, limit: int = SLUG_LIMIT) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary; may be empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or "-".join(words)[:limit].strip("-")


# --- what every importer does with a value the schema refuses: one rule, asked of the schema ---


def article_id(value: str, config: Config, where: str | None) -> str:
    """The id of an article whose source names ``value``: the value itself when the schema
    accepts it as an IRI; otherwise (a space, a control character, ``<``...) the value kept under
    the configured base IRI, percent-encoded, with a warning. Every importer applies this one
    fallback, so the same id comes out whatever format carried it."""
    if accepts("iri", value):
        return value
    derived = config.base_iri + quote(value, safe="")
    warn(where, f"the id {value!r} is not an IRI the schema accepts; the id is {derived}")
    return derived


def slug_from(text: str) -> str | None:
    """A source's slug as given when the schema accepts it, else derived from it (or None)."""
    return text if accepts("slug", text) else (slugify(text) or None)


def version_from(value: object, where: str | None) -> int:
    """A source's version when it is a whole number the schema accepts (its text too), else 1
    with a warning."""
    version = whole_number(value, "version")
    if version is not None:
        return version
    warn(where, f"version {value!r} is not a whole number the schema accepts; read as 1")
    return 1


def whole_number(value: object, definition: str) -> int | None:
    """``value`` (a whole number, or its ASCII digits as text) when the schema accepts it as
    ``definition`` (``version``, ``urgency``, ``image/width``, ``rights/copyrightYear``), else
    None: how importers read a number the schema bounds, without a copy of its limits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and len(text) < _DIGITS):
            return None
        number = int(text)
    return number if accepts(definition, number) else None


_DIGITS = 20
"""Longer digit strings are not even parsed: no number the schema accepts is that long."""


def location(source: str | None, place: str | None) -> str | None:
    """``source: place`` for a message, leaving out what is unknown."""
    return ": ".join(p for p in (source, place) if p) or None


@dataclass(frozen=True, slots=True)
class Record:
    """One canonical article dict, or the error that stopped one, and where in its source it is.

    An importer that reads many articles from one source (JSON Lines, a newsMessage) yields an
    error record for a broken one and goes on, so one bad line does not lose the rest.
    """

    data: dict[str, Any] | None
    place: str | None = None
    """``line 42`` in a JSON Lines file, ``/3`` in an array, ``item 2`` in a newsMessage."""
    error: InputError | None = None


class Importer(Plugin):
    """Base class of importers. Subclasses implement :meth:`read` and usually :meth:`sniff`."""

    media_types: ClassVar[tuple[str, ...]] = ()
    file_extensions: ClassVar[tuple[str, ...]] = ()
    """Extensions with the dot, lower-case: ``(".txt",)``."""
    fallback: ClassVar[int] = 0
    """Who reads a file that no importer recognises by its first bytes: of the importers claiming
    its extension, the one with the highest fallback, which then reports what is wrong with it
    in its own words (NewsML-G2 for ``.xml``: a newsItem whose root lies past the sniffed bytes,
    behind a long DOCTYPE, is still NewsML-G2's to refuse)."""

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """How surely the first bytes of a file are in this format, from 0 (not at all) to 1
        (its own signature). Must be cheap. The highest score wins; ties go to the importer
        registered first (built-ins before plugins, then by name: see
        :func:`wirekit.registry.importer_for`). The scale the built-ins keep to:

        - 1.0: the format's signature (a NewsML-G2 or NITF root element in its namespace);
        - 0.9: a marker only this format uses (JSON-LD's ``@context``, a page's JSON-LD script);
        - 0.8: keys only this format has (ninjs);
        - 0.6: keys the format opens with (canonical JSON's ``headline``);
        - 0.1: anything of the right kind (any JSON, any plain text): a last resort.
        """
        return 0.0

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        """Yield the articles in ``stream``. ``source`` names it in errors and may seed ids."""
        raise NotImplementedError

    coverage_table: ClassVar[Mapping[str, str]] = {}
    """Input element or field -> ``mapped`` or the rule it is left out by (see
    :mod:`wirekit.coverage`); what is not listed is not carried."""
    warns_unmapped: ClassVar[bool] = False
    """True when reading names every element no field holds in a warning."""

    def coverage_paths(self, data: bytes) -> Iterator[str]:
        """Every element or field of ``data``, once per occurrence, as the table names them."""
        return iter(())

    def conformance(self, data: bytes) -> list[Problem]:
        """Problems of a whole input document against its format's *official* schema (the
        NewsML-G2 XSD, the ninjs JSON Schema), for ``wirekit validate``.

        Empty when the document conforms, or when the format has no official schema or the
        config names no folder of specifications (``specs``). Pointers are XPath-like or JSON
        pointers, whichever the format uses.
        """
        return []


class Exporter(Plugin):
    """Base class of exporters.

    A single-article exporter implements :meth:`export`; a collection exporter (feeds, message
    envelopes, datasets) sets ``collection = True`` and implements :meth:`write_parts`, with
    :meth:`part` when each article has a piece of the document that can be made on its own (an
    item of a newsMessage, a graph of a dump). The collection is then one code path however it
    is run: here, :meth:`write_collection` is ``write_parts(map(part, articles))``; on a
    cluster, workers make the parts and this process writes them in order
    (:mod:`wirekit.convert`), so the bytes are the same. A format whose document can grow with
    the archive writes the parts as they arrive, so converting millions of articles holds a
    bounded window of them. A plugin may implement :meth:`export_collection` alone instead; it
    then runs in one process only.
    """

    media_type: ClassVar[str]
    file_extension: ClassVar[str]
    """With the dot: ``".xml"``."""
    standard: ClassVar[str]
    """The standard it implements, as its publisher names it."""
    standard_version: ClassVar[str]
    collection: ClassVar[bool] = False
    audience: ClassVar[str] = PUBLIC
    """Who reads the output: :data:`~wirekit.audience.PUBLIC` (the default, the safe side: the
    caller passes live articles only and no non-public material may appear) or
    :data:`~wirekit.audience.SYNDICATION` (partners: every article, with status and embargo)."""
    published_name: ClassVar[str | None] = None
    """The file it takes in a published tree (in each article's folder, or at the top of the tree
    for a collection), which makes it one of the formats ``wirekit publish`` writes by default;
    None keeps it out of the default tree, and asked for by name it gets :meth:`tree_file`."""
    published_order: ClassVar[int] = 1000
    """Its place among a tree's formats: the order of a page's alternate links, of an article's
    files in the manifest and of the index page's feed links (lower comes first)."""
    negotiation_order: ClassVar[int] = 1000
    """Its place among an article's formats when a client rates several equally (``wirekit
    serve``'s content negotiation, and the order of its ``Link`` headers): lower wins. HTML
    comes first, because ``*/*`` and no ``Accept`` mean a browser or a human; Turtle first among
    the data formats, being the one every RDF client reads."""
    served_media_type: ClassVar[str | None] = None
    """The media type it is negotiated under when its own :attr:`media_type` belongs to another
    format there (ninjs writes ``application/json``, which a server gives canonical JSON, and is
    served as the ``application/ninjs+json`` IPTC documents); None: its own."""
    feed_label: ClassVar[str | None] = None
    """For a feed a browser or reader subscribes to: the title of the links to it that a page
    offers (``<link rel="alternate">`` autodiscovery and the index page's footer)."""
    archive: ClassVar[bool] = False
    """A collection that holds every article of a tree (a dataset dump), made by concatenating
    :meth:`export` of each, rather than drawn from the newest ``feed_size`` articles."""
    assembled_from: ClassVar[str | None] = None
    """For an archive: the single-article format whose published files :meth:`assemble` turns
    into this one's parts without reading the articles again."""

    @classmethod
    def tree_file(cls) -> str:
        """The file name it takes in a published tree: the declared one, else one made from the
        format's name (``article.markdown.md``, ``markdown.md`` for a collection)."""
        if cls.published_name:
            return cls.published_name
        return f"{'' if cls.collection else 'article.'}{cls.name}{cls.file_extension}"

    @classmethod
    def negotiated_media_type(cls) -> str:
        """The media type a server offers it under (see :attr:`served_media_type`)."""
        return cls.served_media_type or cls.media_type

    def export(self, article: Article) -> bytes:
        """One article as one document."""
        raise NotImplementedError

    @classmethod
    def splits(cls) -> bool:
        """Whether its collection is made from :meth:`part` and :meth:`write_parts`, so that a
        cluster can make the parts."""
        return cls.archive or cls.write_parts is not Exporter.write_parts

    def part(self, article: Article) -> Any:
        """One article's piece of the collection, made without the others: on a cluster, on a
        worker, so it must pickle. An archive's is the article's own document (:meth:`export`);
        by default, otherwise, the article itself, for a collection drawn from whole articles
        (a feed chooses the newest and draws only those)."""
        return self.export(article) if self.archive else article

    def write_parts(self, parts: Iterable[Any], stream: BinaryIO) -> None:
        """The collection from its articles' :meth:`part`, in the articles' order, written to
        ``stream``. What needs the whole collection (a header, the newest N, a sort) is done
        here, in the process that writes the document.

        Nothing is written when the exporter refuses the collection before its first byte (a
        newsMessage with no article), so a caller writing into a temporary file loses nothing.
        An archive's document is its parts one after another.
        """
        if not self.archive:
            raise NotImplementedError
        stream.writelines(parts)

    def export_collection(self, articles: Iterable[Article]) -> bytes:
        """Many articles as one document, in memory."""
        buffer = io.BytesIO()
        self.write_collection(articles, buffer)
        return buffer.getvalue()

    def write_collection(self, articles: Iterable[Article], stream: BinaryIO) -> None:
        """Many articles as one document, written to ``stream`` as the articles arrive."""
        if self.splits():
            self.write_parts(map(self.part, articles), stream)
        elif type(self).export_collection is Exporter.export_collection:
            raise NotImplementedError
        else:
            stream.write(self.export_collection(articles))

    def assemble(self, part: bytes, article_id: str) -> bytes:
        """An archive's part for one article from its published :attr:`assembled_from` file."""
        raise NotImplementedError

    def check(self, path: Path) -> str:
        """Judge a file this exporter wrote into a published tree (``wirekit check``) against its
        standard: return what was found, raise :class:`~wirekit.errors.CheckFailed` when the
        file breaks the standard, :class:`~wirekit.errors.NotChecked` when no judge is at hand.

        It takes the path, not only the bytes, because some checks compare a file with its
        siblings (the JSON-LD with the Turtle beside it, a page with its JSON-LD).
        """
        raise NotChecked(f"{self.name} declares no check")


def conforms(importer: Importer, data: bytes, what: str) -> str:
    """An exporter's check against an official schema, through the importer that reads its
    format (:meth:`Importer.conformance`): never passing when the schema is not at hand."""
    if importer.config.specs is None:  # check_tree fills it in by wirekit.specs' lookup
        raise NotChecked(f"no specifications folder for the {what} (see wirekit specs path)")
    problems = importer.conformance(data)  # a missing file: MissingSpec, a NotChecked
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CheckFailed(f"{problems[0]}{more}")
    return f"valid against the {what}"


# --- exporter extensions ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Element:
    """An element an extension adds to an XML output: its tag, attributes and text, which the
    exporter escapes and writes in its own place for them."""

    tag: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    text: str | None = None

    def xml(self) -> str:
        """The element as XML, attribute values and text escaped."""
        from wirekit.xml import escape_attribute, escape_text

        head = "".join(f' {k}="{escape_attribute(v)}"' for k, v in self.attributes.items())
        if self.text is None:
            return f"<{self.tag}{head}/>"
        return f"<{self.tag}{head}>{escape_text(self.text)}</{self.tag}>"


@dataclass(frozen=True, slots=True)
class Link:
    """An IRI as the value of a JSON-LD property an extension adds: ``{"@id": ...}`` in JSON-LD,
    ``<iri>`` in RDF, whatever the property; a plain string there would be a literal."""

    iri: str


JSONLDValue = str | int | float | bool | Link
"""A value an extension gives a JSON-LD property: a literal (a string, a number, a boolean) or
a :class:`Link`."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """What an extension adds to one article's entry in each feed syntax.

    ``atom`` and ``rss`` are elements in a namespace of the extension's, their tags in Clark
    notation (``{https://example.org/ns}rating``), appended to the Atom ``entry`` or the RSS
    ``item``; ``jsonfeed`` is JSON Feed custom objects for the item, each key ``_`` and a letter
    first and each value an object, as JSON Feed 1.1 asks of extensions. ``None`` says the
    extension cannot serve that syntax: the exporter then warns (``LossyConversionWarning``)
    that the entry's extension data is left out there. An empty value adds nothing.
    """

    atom: Sequence[Element] | None = None
    rss: Sequence[Element] | None = None
    jsonfeed: Mapping[str, Mapping[str, Any]] | None = None

    @classmethod
    def xml(cls, *elements: Element) -> FeedEntry:
        """The same namespaced elements in Atom and RSS, and nothing JSON Feed can carry."""
        return cls(atom=elements, rss=elements)


class ExporterExtension:
    """Adds to an existing output without writing a new format (as feedgen's ``extend_atom``
    and ``extend_rss`` do), from the data an article carries in ``extensions``.

    Registered under the entry-point group ``wirekit.exporter_extensions``; every exporter that
    has a named output point asks every installed extension (in name order) for its
    contribution there. Each method is one output point and receives the article's
    ``extensions`` (empty when it has none); returning nothing adds nothing. What an extension
    adds must keep the output valid against its standard: the NewsML-G2 points sit where the
    XSD allows the elements they name, and the exporters refuse what would break theirs.
    """

    name: ClassVar[str]
    """The entry-point name."""

    def newsml_content_meta(self, extensions: Mapping[str, Any]) -> Sequence[Element]:
        """NewsML-G2 ``contentMeta`` administrative elements, written after ``contentModified``
        (where the 2.35 XSD places ``digitalSourceType``)."""
        return ()

    def newsml_rights_info(self, extensions: Mapping[str, Any]) -> Sequence[Element]:
        """NewsML-G2 ``rightsInfo`` elements, written at its end (where ``dataMining`` goes); a
        ``rightsInfo`` is written for them when the article has no rights of its own."""
        return ()

    def jsonld_properties(
        self, extensions: Mapping[str, Any]
    ) -> Mapping[str, JSONLDValue | Sequence[JSONLDValue]]:
        """Properties of the article's schema.org node, part of the one mapping
        (:mod:`wirekit.formats.schemaorg.mapping`): so in the JSON-LD (both forms, and the HTML
        page's data) and in every RDF syntax, the same triples.

        A key is a term of wirekit's schema.org context, whose definition then says what a
        string means (an IRI or a typed literal), as it does for the mapping's own values; or
        an absolute IRI, for another vocabulary (or a schema.org term outside the context),
        under which a string is a plain literal. A property the article's node already has is
        the mapping's: the extension's value is left out with a ``LossyConversionWarning``."""
        return {}

    def feed_entry(self, extensions: Mapping[str, Any]) -> FeedEntry | None:
        """What to add to the article's entry in each feed syntax (see :class:`FeedEntry`);
        None when the article gives it nothing to add."""
        return None
