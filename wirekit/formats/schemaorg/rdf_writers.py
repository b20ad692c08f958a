"""The RDF exporters: the article's schema.org graph (see :mod:`wirekit.formats.schemaorg.rdf`)
in each common syntax. Turtle and N-Triples are single-article formats; N-Quads and TriG put each
article in the named graph of its IRI, so a whole archive goes into one file that a triple store
loads in one pass, and reloading an article replaces exactly its graph."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, ClassVar

from wirekit.audience import PUBLIC
from wirekit.formats.schemaorg import rdf
from wirekit.model import Article
from wirekit.plugin import Exporter


class _RDFExporter(Exporter):
    """What the RDF syntaxes share: their check is that Oxigraph parses the file."""

    syntax: ClassVar[str]
    """Oxigraph's ``RdfFormat`` name of the syntax."""

    def check(self, path: Path) -> str:
        from wirekit.formats.schemaorg.conformance import rdf as parses

        return parses(path, self.syntax)


class TurtleExporter(_RDFExporter):
    """One article as Turtle."""

    name = "turtle"
    aliases = ("ttl",)
    description = "schema.org RDF as Turtle"
    media_type = "text/turtle"
    file_extension = ".ttl"
    standard = "RDF Turtle"
    standard_version = "1.1"
    audience = PUBLIC
    syntax = "TURTLE"
    published_name = "article.ttl"
    published_order = 60
    negotiation_order = 20

    def export(self, article: Article) -> bytes:
        return rdf.turtle(article, self.config)


class NTriplesExporter(_RDFExporter):
    """One article as N-Triples."""

    name = "ntriples"
    aliases = ("nt", "n-triples")
    description = "schema.org RDF as sorted, canonical N-Triples"
    media_type = "application/n-triples"
    file_extension = ".nt"
    standard = "RDF N-Triples"
    standard_version = "1.1"
    audience = PUBLIC
    syntax = "N_TRIPLES"
    published_name = "article.nt"
    published_order = 70
    negotiation_order = 40

    def export(self, article: Article) -> bytes:
        return rdf.ntriples(article, self.config)


class NQuadsExporter(_RDFExporter):
    """Articles as N-Quads, one named graph each."""

    name = "nquads"
    aliases = ("nq", "n-quads")
    description = "schema.org RDF as N-Quads, one named graph per article"
    media_type = "application/n-quads"
    file_extension = ".nq"
    standard = "RDF N-Quads"
    standard_version = "1.1"
    audience = PUBLIC
    collection = True
    syntax = "N_QUADS"
    published_name = "all.nq"
    published_order = 160
    archive = True
    assembled_from = "ntriples"

    def export(self, article: Article) -> bytes:
        return rdf.nquads_graph(article, self.config)

    def assemble(self, part: bytes, article_id: str) -> bytes:
        """An article's N-Quads are its sorted N-Triples lines, each naming the article's graph
        (a raw line feed ends every line and occurs nowhere else: literals escape it)."""
        from wirekit.formats.schemaorg.mapping import id_iri

        return part.replace(b" .\n", f" <{id_iri(article_id, self.config)}> .\n".encode())


class TriGExporter(_RDFExporter):
    """Articles as TriG, one named graph each."""

    name = "trig"
    description = "schema.org RDF as TriG, one named graph per article"
    media_type = "application/trig"
    file_extension = ".trig"
    standard = "RDF TriG"
    standard_version = "1.1"
    audience = PUBLIC
    collection = True
    syntax = "TRIG"

    def export(self, article: Article) -> bytes:
        return rdf.trig([article], self.config)

    def part(self, article: Article) -> bytes:
        return rdf.trig_graph(article, self.config)

    def write_parts(self, parts: Iterable[bytes], stream: BinaryIO) -> None:
        stream.writelines(rdf.trig_document(parts))


class RDFXMLExporter(_RDFExporter):
    """One article as RDF/XML."""

    name = "rdfxml"
    aliases = ("rdf-xml", "rdf/xml")
    description = "schema.org RDF as RDF/XML"
    media_type = "application/rdf+xml"
    file_extension = ".rdf"
    standard = "RDF/XML"
    standard_version = "1.1"
    audience = PUBLIC
    syntax = "RDF_XML"

    def export(self, article: Article) -> bytes:
        return rdf.rdfxml(article, self.config)
