"""RDF/XML out: the article's schema.org graph (see :mod:`wirekit.rdf`) for tools that read
nothing else; pyoxigraph writes it from the sorted triples, so it is deterministic too."""

from __future__ import annotations

from .. import rdf
from ..model import Article
from . import Exporter


class RDFXMLExporter(Exporter):
    """One article as RDF/XML."""

    name = "rdfxml"
    aliases = ("rdf-xml", "rdf/xml")
    description = "schema.org RDF as RDF/XML"
    media_type = "application/rdf+xml"
    file_extension = ".rdf"
    standard = "RDF/XML"
    standard_version = "1.1"

    def export(self, article: Article) -> bytes:
        return rdf.rdfxml(article, self.config)
