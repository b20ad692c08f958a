"""N-Triples out: the article's schema.org graph (see :mod:`wirekit.rdf`) as canonical, sorted
N-Triples, one triple per line, so two versions of an article diff line by line."""

from __future__ import annotations

from .. import rdf
from ..model import Article
from . import Exporter


class NTriplesExporter(Exporter):
    """One article as N-Triples."""

    name = "ntriples"
    aliases = ("nt", "n-triples")
    description = "schema.org RDF as sorted, canonical N-Triples"
    media_type = "application/n-triples"
    file_extension = ".nt"
    standard = "RDF N-Triples"
    standard_version = "1.1"

    def export(self, article: Article) -> bytes:
        return rdf.ntriples(article, self.config)
