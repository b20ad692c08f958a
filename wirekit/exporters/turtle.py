"""Turtle out: the article's schema.org graph (see :mod:`wirekit.rdf`), sorted by subject, with
the ``schema:`` prefix; written by hand, about two orders of magnitude faster than rdflib."""

from __future__ import annotations

from .. import rdf
from ..model import Article
from . import Exporter


class TurtleExporter(Exporter):
    """One article as Turtle."""

    name = "turtle"
    aliases = ("ttl",)
    description = "schema.org RDF as Turtle"
    media_type = "text/turtle"
    file_extension = ".ttl"
    standard = "RDF Turtle"
    standard_version = "1.1"

    def export(self, article: Article) -> bytes:
        return rdf.turtle(article, self.config)
