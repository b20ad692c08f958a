"""The RDF exporters: the article's schema.org graph (see :mod:`wirekit.formats.schemaorg.rdf`)
in each common syntax. Turtle and N-Triples are single-article formats; N-Quads and TriG put each
article in the named graph of its IRI, so a whole archive goes into one file that a triple store
loads in one pass, and reloading an article replaces exactly its graph."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from wirekit.audience import PUBLIC
from wirekit.formats.schemaorg import rdf
from wirekit.model import Article
from wirekit.plugin import Exporter


class TurtleExporter(Exporter):
    """One article as Turtle."""

    name = "turtle"
    aliases = ("ttl",)
    description = "schema.org RDF as Turtle"
    media_type = "text/turtle"
    file_extension = ".ttl"
    standard = "RDF Turtle"
    standard_version = "1.1"
    audience = PUBLIC

    def export(self, article: Article) -> bytes:
        return rdf.turtle(article, self.config)


class NTriplesExporter(Exporter):
    """One article as N-Triples."""

    name = "ntriples"
    aliases = ("nt", "n-triples")
    description = "schema.org RDF as sorted, canonical N-Triples"
    media_type = "application/n-triples"
    file_extension = ".nt"
    standard = "RDF N-Triples"
    standard_version = "1.1"
    audience = PUBLIC

    def export(self, article: Article) -> bytes:
        return rdf.ntriples(article, self.config)


class NQuadsExporter(Exporter):
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

    def export(self, article: Article) -> bytes:
        return rdf.nquads([article], self.config)

    def write_collection(self, articles: Iterable[Article], stream: BinaryIO) -> None:
        stream.writelines(rdf.nquads_chunks(articles, self.config))


class TriGExporter(Exporter):
    """Articles as TriG, one named graph each."""

    name = "trig"
    description = "schema.org RDF as TriG, one named graph per article"
    media_type = "application/trig"
    file_extension = ".trig"
    standard = "RDF TriG"
    standard_version = "1.1"
    audience = PUBLIC
    collection = True

    def export(self, article: Article) -> bytes:
        return rdf.trig([article], self.config)

    def write_collection(self, articles: Iterable[Article], stream: BinaryIO) -> None:
        stream.writelines(rdf.trig_chunks(articles, self.config))


class RDFXMLExporter(Exporter):
    """One article as RDF/XML."""

    name = "rdfxml"
    aliases = ("rdf-xml", "rdf/xml")
    description = "schema.org RDF as RDF/XML"
    media_type = "application/rdf+xml"
    file_extension = ".rdf"
    standard = "RDF/XML"
    standard_version = "1.1"
    audience = PUBLIC

    def export(self, article: Article) -> bytes:
        return rdf.rdfxml(article, self.config)
