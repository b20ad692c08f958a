"""N-Quads out: articles' schema.org graphs (see :mod:`wirekit.rdf`), each in the named graph of
the article's IRI. A collection format: a whole archive goes into one file that a triple store
loads in one pass, and reloading an article replaces exactly its graph."""

from __future__ import annotations

from collections.abc import Iterable

from .. import rdf
from ..model import Article
from . import Exporter


class NQuadsExporter(Exporter):
    """Articles as N-Quads, one named graph each."""

    name = "nquads"
    aliases = ("nq", "n-quads")
    description = "schema.org RDF as N-Quads, one named graph per article"
    media_type = "application/n-quads"
    file_extension = ".nq"
    standard = "RDF N-Quads"
    standard_version = "1.1"
    collection = True

    def export(self, article: Article) -> bytes:
        return rdf.nquads([article], self.config)

    def export_collection(self, articles: Iterable[Article]) -> bytes:
        return rdf.nquads(articles, self.config)
