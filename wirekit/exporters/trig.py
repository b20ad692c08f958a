"""TriG out: articles' schema.org graphs (see :mod:`wirekit.rdf`) as Turtle inside one named
graph per article IRI; the readable twin of N-Quads, and a collection format like it."""

from __future__ import annotations

from collections.abc import Iterable

from .. import rdf
from ..model import Article
from . import Exporter


class TriGExporter(Exporter):
    """Articles as TriG, one named graph each."""

    name = "trig"
    description = "schema.org RDF as TriG, one named graph per article"
    media_type = "application/trig"
    file_extension = ".trig"
    standard = "RDF TriG"
    standard_version = "1.1"
    collection = True

    def export(self, article: Article) -> bytes:
        return rdf.trig([article], self.config)

    def export_collection(self, articles: Iterable[Article]) -> bytes:
        return rdf.trig(articles, self.config)
