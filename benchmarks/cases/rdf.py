"""RDF and JSON-LD export next to an rdflib baseline measured in the same run (issue 4).

The baseline is what a Python shop would write: build an ``rdflib.Graph`` from the same mapping
(:func:`wirekit.formats.schemaorg.rdf.graph`, term by term) and ``serialize`` it. wirekit writes
N-Triples and Turtle by hand from the same statements; issue 4 asks both to be at least 10 times
faster. Rates are in triples, so articles of different sizes weigh what they hold. The rdflib cases
run on part of the archive (they are slow and the articles are alike throughout); the ``export``
section times the same exporters per article against the ``json`` floor.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..runner import Context, Pass, case

if TYPE_CHECKING:
    from wirekit.model import Article

SECTION = "rdf"
GOAL = 10
BASELINE_SHARE = 300
"""The rdflib cases time at most this many articles (or the whole archive if smaller)."""


def _triples(articles: Sequence[Article]) -> int:
    from wirekit.formats.schemaorg import rdf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lossy-conversion notes are the export section's
        return sum(len(rdf.triples(a)) for a in articles)


def _timed(articles: Sequence[Article], write: Callable[[Article], object]) -> Pass:
    total = _triples(articles)

    def run() -> int:
        for article in articles:
            write(article)
        return total

    return run


def _baseline(ctx: Context, syntax: str) -> Pass:
    from wirekit.formats.schemaorg import rdf

    articles = ctx.articles[: max(min(ctx.n, BASELINE_SHARE), 1)]
    if len(articles) < ctx.n:
        ctx.note(f"rdflib Graph + {syntax}: timed on the first {len(articles):,} articles")
    return _timed(articles, lambda a: rdf.graph(a).serialize(format=syntax))


@case(SECTION, "rdflib Graph + nt", unit="triple", detail="baseline")
def rdflib_ntriples(ctx: Context) -> Pass:
    return _baseline(ctx, "nt")


@case(SECTION, "rdflib Graph + turtle", unit="triple", detail="baseline")
def rdflib_turtle(ctx: Context) -> Pass:
    return _baseline(ctx, "turtle")


@case(SECTION, "rdflib Graph + json-ld", unit="triple", detail="baseline")
def rdflib_jsonld(ctx: Context) -> Pass:
    return _baseline(ctx, "json-ld")


@case(SECTION, "wirekit ntriples", baseline="rdflib Graph + nt", goal=GOAL, unit="triple")
def wirekit_ntriples(ctx: Context) -> Pass:
    from wirekit.formats.schemaorg import rdf

    return _timed(ctx.articles, rdf.ntriples)


@case(SECTION, "wirekit turtle", baseline="rdflib Graph + turtle", goal=GOAL, unit="triple")
def wirekit_turtle(ctx: Context) -> Pass:
    from wirekit.formats.schemaorg import rdf

    return _timed(ctx.articles, rdf.turtle)


@case(SECTION, "wirekit jsonld", baseline="rdflib Graph + json-ld", unit="triple")
def wirekit_jsonld(ctx: Context) -> Pass:
    from wirekit.formats.schemaorg.writer import JSONLDExporter

    return _timed(ctx.articles, JSONLDExporter(ctx.config).export)
