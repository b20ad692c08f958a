"""What ``wirekit check`` asks of schema.org output: every RDF syntax parses (Oxigraph's
parsers), and the JSON-LD, expanded offline with the shipped context, is the same graph as the
Turtle published beside it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson

from wirekit.config import Config
from wirekit.errors import CheckFailed

_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + name for name in ("double", "float", "decimal")}


def rdf(path: Path, syntax: str) -> str:
    """A file in an RDF syntax (an Oxigraph ``RdfFormat`` name) parses; how many statements."""
    return f"parsed: {len(_quads(path.read_bytes(), syntax))} statements"


def jsonld(path: Path, config: Config) -> str:
    """The JSON-LD expands offline, to the graph of the Turtle beside it when there is one."""
    from wirekit import registry
    from wirekit.formats.schemaorg.context import inline

    document = inline(orjson.loads(path.read_bytes()))
    expanded = _quads(orjson.dumps(document), "JSON_LD")
    turtle = path.with_name(registry.exporter("turtle").tree_file())
    if not turtle.is_file():
        return f"expanded offline: {len(expanded)} triples (no Turtle beside it)"
    if not _isomorphic(expanded, _quads(turtle.read_bytes(), "TURTLE")):
        raise CheckFailed(f"its graph differs from {turtle.name}'s")
    return f"expanded offline: {len(expanded)} triples, the same graph as {turtle.name}"


def _quads(data: bytes, syntax: str) -> set[Any]:
    import pyoxigraph

    try:
        return set(pyoxigraph.parse(io.BytesIO(data), format=getattr(pyoxigraph.RdfFormat, syntax)))
    except (SyntaxError, ValueError) as exc:
        raise CheckFailed(f"not valid {syntax.replace('_', '-')}: {exc}") from None


def _by_value(quads: set[Any]) -> set[Any]:
    """Quads with numeric literals compared by value: JSON-LD processors disagree on the
    lexical form of a double (PyLD writes ``-9.149800000000001E0``, Oxigraph ``-9.1498E0``)
    while meaning the same number."""
    import pyoxigraph

    normal = set()
    for quad in quads:
        value: Any = quad.object
        if isinstance(value, pyoxigraph.Literal) and value.datatype.value in _NUMERIC:
            value = ("number", float(value.value))
        normal.add((quad.subject, quad.predicate, value, quad.graph_name))
    return normal


def _isomorphic(first: set[Any], second: set[Any]) -> bool:
    """Graph equality; blank nodes are compared by structure (rdflib) only when present."""
    if first == second or _by_value(first) == _by_value(second):
        return True
    import pyoxigraph

    if not any(isinstance(term, pyoxigraph.BlankNode) for quad in first for term in quad):
        return False
    import rdflib
    from rdflib.compare import isomorphic

    graphs = []
    for quads in (first, second):
        graph = rdflib.Graph()
        graph.parse(data="".join(f"{q.triple} .\n" for q in quads), format="nt")
        graphs.append(graph)
    return bool(isomorphic(graphs[0], graphs[1]))
