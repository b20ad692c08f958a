"""Export: every exporter in wirekit's registry, found at run time, next to the canonical ``json``
exporter (an orjson dump of ``Article.to_dict``, the floor every format is measured against).

Single-article exporters write each article of the archive; collection exporters (feeds, message
envelopes, datasets) get the whole archive in one call. An exporter that raises for some articles
is timed on the others and the failures are listed under the table; one that cannot be loaded,
built or used for any article is reported as not measured. None of these fails the run.

Goals from the issues go in :data:`GOALS`. A baseline that is not an exporter (rdflib for the RDF
formats) is a case of its own, in its own module of ``benchmarks/cases/``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from ..runner import Case, Context, Pass, Skip, provider

if TYPE_CHECKING:
    from wirekit.model import Article
    from wirekit.plugin import Exporter

SECTION = "export"
FLOOR = "json"

GOALS: dict[str, tuple[str, float]] = {
    # exporter name -> (baseline case, lowest acceptable ratio of rates)
    "newsml-g2": (FLOOR, 0.4),  # issue 20 (issue 3 asked 1/3): XML at most 2.5x the JSON dump
    # issue 4 adds e.g. "turtle": ("rdflib Graph + turtle", 10) with its rdflib baseline case
}


@provider
def exporters() -> Iterator[Case]:
    from wirekit import registry

    found = registry.names("exporter")  # reads entry points; imports no exporter yet
    for name in sorted(found, key=lambda n: n != FLOOR):
        baseline, goal = GOALS.get(name, (None if name == FLOOR else FLOOR, None))
        detail = "the floor" if name == FLOOR else ""
        yield Case(
            SECTION,
            name,
            functools.partial(_prepare, name),
            baseline=baseline,
            goal=goal,
            detail=detail,
            warmup=False,  # the set-up writes every article once, which warms it up
        )


class _Exports(Protocol):
    def export(self, article: Article, /) -> bytes: ...


def _prepare(name: str, ctx: Context) -> Pass:
    from wirekit import registry

    try:
        exporter = registry.load("exporter", name)(ctx.config)
    except Exception as exc:
        raise Skip(f"cannot load or build it: {type(exc).__name__}: {exc}") from exc
    articles = ctx.articles
    if exporter.collection:
        return _collection(name, exporter, articles, ctx)
    good = _working(name, exporter, articles, ctx)
    export = exporter.export

    def run() -> int:
        for article in good:
            export(article)
        return len(good)

    return run


def _working(
    name: str, exporter: _Exports, articles: Sequence[Article], ctx: Context
) -> list[Article]:
    """The articles the exporter writes without raising; the others are noted, not fatal."""
    good: list[Article] = []
    failures: dict[str, int] = {}
    first: dict[str, str] = {}
    for index, article in enumerate(articles):
        try:
            exporter.export(article)
        except Exception as exc:
            kind = type(exc).__name__
            failures[kind] = failures.get(kind, 0) + 1
            first.setdefault(kind, f"article {index} ({article.id}): {exc}".splitlines()[0])
        else:
            good.append(article)
    for kind, count in failures.items():
        ctx.note(
            f"{name}: {count} of {len(articles)} articles raised {kind} and were left out; "
            f"first: {first[kind][:160]}"
        )
    if not good:
        raise Skip("it raised for every article (see the notes)")
    return good


def _collection(name: str, exporter: Exporter, articles: Sequence[Article], ctx: Context) -> Pass:
    batch = list(articles)
    try:
        exporter.export_collection(batch)
    except Exception:
        # find the articles it cannot write, one by one, and time it on the rest
        batch = _working(name, _Single(exporter), batch, ctx)
        try:
            exporter.export_collection(batch)
        except Exception as exc:
            raise Skip(f"it fails on the whole archive: {type(exc).__name__}: {exc}") from exc

    def run() -> int:
        exporter.export_collection(batch)
        return len(batch)

    return run


class _Single:
    """A collection exporter seen as a single-article one, to try articles one at a time."""

    def __init__(self, exporter: Exporter) -> None:
        self.exporter = exporter

    def export(self, article: Article) -> bytes:
        return self.exporter.export_collection([article])
