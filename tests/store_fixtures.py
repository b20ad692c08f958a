"""What the store tests share: the ``cli`` fixture (``wirekit`` in this process), the seeds'
expected quads, and the README's example queries with the answers they must give.

A test module makes its own ``cli`` fixture from :func:`in_process` (a fixture imported from
another module would trip the linter's redefinition check at every use).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wirekit.cli import main
from wirekit.config import Config
from wirekit.formats.schemaorg import rdf
from wirekit.model import Article

SEED_ID = "https://news.example.org/id/2025-07-30-iran-venezuela-alliance"
SEED_HEADLINE = "Iranian President Masoud Pezeshkian and his Venezuelan counterpart"
CONFIG = ROOT / "wirekit.toml"


def _live_seeds() -> int:
    """How many seed articles a store holds: the live ones (a store is public), counted with
    the rule load applies, so adding a seed does not break the counts the tests expect."""
    from tests.conftest import seed_files
    from wirekit.audience import is_live, moment
    from wirekit.config import load as load_config
    from wirekit.sources import Reader

    now = moment(None)
    reader = Reader(load_config(CONFIG))
    results = (result for path in seed_files() for result in reader.read(path))
    return sum(1 for r in results if r.article is not None and is_live(r.article, now))


LIVE_SEEDS = _live_seeds()
HEADLINE_QUERY = f"SELECT ?headline WHERE {{ <{SEED_ID}> <http://schema.org/headline> ?headline }}"
"""Needs the default graph to be the union of the graphs, as the embedded store makes it."""
IN_GRAPH_QUERY = (
    f"SELECT ?headline WHERE {{ GRAPH <{SEED_ID}> "
    f"{{ <{SEED_ID}> <http://schema.org/headline> ?headline }} }}"
)
"""The same for any server (a server's default graph is its own affair)."""

# The README's example queries ("Linked-data stores"), each with what it must answer for seeds/.
# They use GRAPH, so they mean the same on the embedded store and on any server.
MENTIONS = """\
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?article ?headline WHERE {
  GRAPH ?article {
    ?article schema:mentions ?person ; schema:headline ?headline .
    ?person a schema:Person ; schema:name "Lucía Ferrer" .
  }
}
"""
DATELINE = """\
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?article ?dateline ?headline WHERE {
  GRAPH ?article {
    ?article schema:locationCreated ?place ; schema:headline ?headline .
    ?place schema:name ?name .
    OPTIONAL { ?article schema:dateline ?dateline }
    FILTER(LCASE(STR(?name)) = "valencia")
  }
}
"""
NEWEST = """\
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?published ?headline ?article WHERE {
  GRAPH ?article {
    ?article schema:about ?subject ;
             schema:datePublished ?published ;
             schema:headline ?headline .
    ?subject schema:termCode "medtop:20001362" .
  }
  BIND(COALESCE(xsd:dateTime(STR(?published)),
                xsd:dateTime(CONCAT(STR(?published), "T00:00:00"))) AS ?when)
}
ORDER BY DESC(?when)
LIMIT 10
"""
VALENCIA = "https://news.example.org/id/2025-08-12-valencia-flash-flood-warning"
OSLO = "https://news.example.org/id/2025-11-20-oslo-metro-smoke-canceled"
HAMBURG = "https://news.example.org/id/2025-11-03-hamburg-viaduct-closure-withheld"
LISBON = "urn:newsml:news.example.org:20251007:lisbon-tram-fares"
README_QUERIES: dict[str, tuple[str, list[str]]] = {
    # name: (query, the ?article column of its answer, in order)
    "mentions a person": (MENTIONS, [VALENCIA]),
    "by dateline place": (DATELINE, [VALENCIA]),
    "newest by subject": (NEWEST, [LISBON]),  # Oslo's story was withdrawn: not in a store
}

Cli = Callable[..., tuple[int, str, str]]


def in_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """For a ``cli`` fixture: run ``wirekit`` in this process, (exit code, stdout, stderr).
    Environment variables given as keywords are set for the run (``None`` removes one); the
    monkeypatch undoes them, and what ``main()`` changes, when the test ends."""
    import warnings

    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # main() replaces it

    def run(*args: str | Path, **env: str | None) -> tuple[int, str, str]:
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([str(a) for a in args])
        out, err = capsys.readouterr()
        code = exited.value.code
        return (code if isinstance(code, int) else 1), out, err

    return run


def errors(stderr: str) -> list[str]:
    """stderr without the lossy-conversion warnings the seeds raise on every load."""
    lines = stderr.splitlines()
    return [line for line in lines if line and not line.startswith("wirekit: warning:")]


def stored_quads(path: Path) -> set[str]:
    """Every quad of a store's article graphs, each in Oxigraph's one spelling (the default
    graph holds wirekit's record of the graphs it created, not articles)."""
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(path))
    try:
        return {str(quad) for quad in store if quad.graph_name != pyoxigraph.DefaultGraph()}
    finally:
        del store


def expected_quads(articles: list[Article], config: Config) -> set[str]:
    """What the nquads exporter writes for the live ones of these articles (a store is public),
    spelled as an Oxigraph store spells
    it (a store keeps a number's value, not its lexical form: ``-9.1498E0`` comes back as
    ``-9.1498``)."""
    import pyoxigraph

    from wirekit.audience import is_live, moment

    live = [article for article in articles if is_live(article, moment(None))]
    store = pyoxigraph.Store()
    store.load(rdf.nquads(live, config), format=pyoxigraph.RdfFormat.N_QUADS)
    return {str(quad) for quad in store}


def by_graph(quads: set[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for quad in quads:
        found.setdefault(quad.removesuffix(" .").rsplit(" ", 1)[1], set()).add(quad)
    return found
