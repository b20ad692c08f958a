"""Shared pieces of the schema.org, JSON-LD and RDF tests (no tests of its own; named ``test_*``
only so it sits with the modules it serves). Import what a module needs; importing
:func:`no_network` makes it apply to every test of the importing module.
"""

from __future__ import annotations

import functools
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import rdflib

from wirekit.formats.schemaorg.context import Loader, document_loader

RDFLIB_DEPRECATIONS = pytest.mark.filterwarnings(
    "ignore:.*(ConjunctiveGraph|default_context).*:DeprecationWarning"
)
"""rdflib 7.6's own parsers use its deprecated ConjunctiveGraph: noise, not our business."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail the test if anything opens a connection or resolves a host name, even when the
    code under test catches the error: every attempt is recorded and checked at the end."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args[1:] if args and isinstance(args[0], socket.socket) else args)
        raise OSError(f"network access attempted in a test: {args!r}")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts
    assert not attempts, f"the test tried to use the network: {attempts}"


@functools.cache
def official_loader(specs: Path) -> Loader:
    """A PyLD document loader serving the official schema.org 30.0 context from ``specs`` (the
    fixture: the lookup ``wirekit specs`` installs into)."""
    return document_loader(specs / "schemaorg" / "schemaorgcontext.jsonld")


def to_nquads(document: bytes | dict[str, Any], loader: Loader) -> str:
    """A JSON-LD document's RDF as PyLD (a JSON-LD 1.1 processor) writes it, with the context
    served by ``loader``."""
    from pyld import jsonld

    data = orjson.loads(document) if isinstance(document, bytes) else document
    nquads: str = jsonld.to_rdf(data, {"format": "application/n-quads", "documentLoader": loader})
    return nquads


def expand_to_graph(document: bytes | dict[str, Any], loader: Loader) -> rdflib.Graph:
    """The same, parsed into an rdflib Graph."""
    return rdflib.Graph().parse(data=to_nquads(document, loader), format="nt")  # one graph


def parse_rdflib(data: bytes, syntax: str) -> rdflib.Graph:
    """One RDF output as rdflib reads it (the default graph of a dataset's union)."""
    if syntax in ("nquads", "trig"):
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=syntax)
        union = rdflib.Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return rdflib.Graph().parse(data=data, format={"rdfxml": "xml"}.get(syntax, syntax))
