"""RDF from the schema.org mapping: one set of triples per article, written by hand in N-Triples,
N-Quads, Turtle and TriG, through pyoxigraph in RDF/XML, and handed to library users as an
``rdflib.Graph`` or pyoxigraph quads.

Every syntax comes from :func:`statements`, which reads the nodes of
:func:`wirekit.formats.schemaorg.mapping.article_node` with the term definitions of the schema.org
context (:func:`wirekit.formats.schemaorg.context.terms`): a string is an IRI, a ``schema:Date`` or
a plain literal exactly as a JSON-LD processor reads the jsonld exporter's output. See
:mod:`wirekit.formats.schemaorg.mapping` for the namespace (``http://schema.org/``) and date
decisions.

Why hand-written serialisers: publishing must not wait on RDF. rdflib builds a graph at about
50,000 triples/s and writes Turtle at about 7,000; making N-Triples terms as strings and sorting
them is one to two orders of magnitude faster, and the output is canonical for free: triples
are deduplicated and sorted, literals escaped as canonical N-Triples wants (``\\"``, ``\\\\``,
``\\n``, ``\\r``, and ``\\uXXXX`` for the other controls), so the same article always gives the
same bytes. Turtle and TriG are those sorted terms grouped by subject and predicate, with the
``schema:`` prefix. RDF/XML is rare and fiddly, so pyoxigraph writes it from the N-Triples. The
named graph of an article (N-Quads, TriG, :func:`quads`) is its IRI, so a store can replace one
article's facts atomically.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from wirekit.config import Config
from wirekit.formats.schemaorg.context import terms
from wirekit.formats.schemaorg.mapping import Node, article_iri, article_node, canonical_double
from wirekit.memo import last_result
from wirekit.model import Article
from wirekit.plugin import Link

__all__ = [
    "article_iri",
    "graph",
    "nquads",
    "ntriples",
    "quads",
    "rdfxml",
    "statements",
    "trig",
    "triples",
    "turtle",
]

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"
SCHEMA = "http://schema.org/"
PREFIXES = {"schema": SCHEMA}


def triples(article: Article, config: Config | None = None) -> list[tuple[str, str, str]]:
    """An article's triples, sorted, as N-Triples terms (``<iri>``, ``"text"``,
    ``"1"^^<…#integer>``): the one graph every RDF syntax writes."""
    return [_split(line) for line in sorted_statements(article_node(article, config))]


def _split(line: str) -> tuple[str, str, str]:
    """A statement's three terms: no IRI holds a space, so the first two spaces divide them."""
    subject, predicate, term = line.split(" ", 2)
    return subject, predicate, term


class _TermWriter(NamedTuple):
    """How one schema.org term is written: its predicate, and for a string value whether it is
    an IRI or a literal with this datatype suffix (``""``, ``^^<http://schema.org/Date>``)."""

    predicate: str
    iri: bool
    suffix: str


class _Writers(dict[str, _TermWriter]):
    """Term -> how it is written; a term not in the context is an absolute IRI an exporter
    extension adds (the mapping lets no other through), whose strings are plain literals."""

    def __missing__(self, term: str) -> _TermWriter:
        writer = self[term] = _TermWriter(f"<{term}>", False, "")
        return writer


@functools.cache
def _writers() -> _Writers:
    """Each term's definition in the schema.org context, in N-Triples terms, built once."""
    writers = _Writers()
    for term, definition in terms().items():
        coercion = definition.coercion
        suffix = f"^^<{coercion}>" if coercion not in (None, "@id", XSD_STRING) else ""
        writers[term] = _TermWriter(f"<{definition.iri}>", coercion == "@id", suffix)
    return writers


_RDF_TYPE = f"<{RDF_TYPE}>"
_BOOLEANS = {True: f'"true"^^<{XSD_BOOLEAN}>', False: f'"false"^^<{XSD_BOOLEAN}>'}


@last_result  # Turtle and N-Triples of one article are written one after the other
def sorted_statements(root: Node) -> list[str]:
    """:func:`statements` in the canonical order."""
    return sorted(statements(root))


def statements(root: Node) -> set[str]:
    """The triples of a node tree, each once, as N-Triples lines without the final `` .``.
    The one place where a node's values become RDF, read with each term's definition in the
    schema.org context: a string is an IRI (``"@type": "@id"``), a typed literal
    (``schema:Date``) or a plain one; a Link is an IRI; numbers and booleans become what
    JSON-LD makes of them.
    It is the hot path of every RDF export, hence one loop, no calls but :func:`escape`, and
    strings rather than term objects."""
    writers = _writers()
    found: set[str] = set()
    add = found.add
    stack = [(root, f"<{root.id}>")]
    while stack:
        node, subject = stack.pop()
        add(f"{subject} {_RDF_TYPE} {writers[node.type].predicate}")
        for term, values in node.properties:
            predicate, is_iri, suffix = writers[term]
            for value in values:
                if isinstance(value, str):
                    written = f"<{value}>" if is_iri else f'"{escape(value)}"{suffix}'
                elif isinstance(value, Node):
                    written = f"<{value.id}>"
                    stack.append((value, written))
                elif isinstance(value, Link):
                    written = f"<{value.iri}>"
                elif isinstance(value, bool):
                    written = _BOOLEANS[value]
                elif isinstance(value, int):
                    written = f'"{value}"^^<{XSD_INTEGER}>'
                else:
                    written = f'"{canonical_double(value)}"^^<{XSD_DOUBLE}>'
                add(f"{subject} {predicate} {written}")
    return found


# --- escaping --------------------------------------------------------------------------------

_SPECIAL = re.compile(r'["\\\n\r\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
_ESCAPED = re.compile(r'\\(?:([\\"])|(n)|(r)|u([0-9A-F]{4}))')


def escape(text: str) -> str:
    """A string's body in an N-Triples or Turtle literal, escaped as canonical N-Triples does;
    most strings need nothing, and one regular-expression scan says so."""
    if _SPECIAL.search(text) is None:
        return text
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def unescape(text: str) -> str:
    """The inverse of :func:`escape`, to read wirekit's own N-Triples terms back."""
    return _ESCAPED.sub(_unescaped, text) if "\\" in text else text


def _unescaped(match: re.Match[str]) -> str:
    quoted, newline, carriage, code = match.groups()
    if quoted:
        return str(quoted)
    return "\n" if newline else "\r" if carriage else chr(int(code, 16))


# --- line-based syntaxes ---------------------------------------------------------------------


def ntriples(article: Article, config: Config | None = None) -> bytes:
    """The article as canonical, sorted N-Triples."""
    lines = sorted_statements(article_node(article, config))  # the canonical order
    return (" .\n".join(lines) + " .\n").encode()


def nquads_graph(article: Article, config: Config | None = None) -> bytes:
    """One article's N-Quads: its sorted statements in the named graph of its own IRI. A dump
    is these, one after another."""
    root = article_node(article, config)
    end = f" <{root.id}> .\n"
    return "".join([line + end for line in sorted_statements(root)]).encode()


def nquads(articles: Iterable[Article], config: Config | None = None) -> bytes:
    """Articles as N-Quads, each in the named graph of its own IRI, sorted within each."""
    return b"".join(nquads_graph(article, config) for article in articles)


# --- Turtle and TriG -------------------------------------------------------------------------

_BARE = tuple(f"^^<{datatype}>" for datatype in (XSD_INTEGER, XSD_BOOLEAN, XSD_DOUBLE))


@functools.cache
def _prefixed() -> dict[str, str]:
    """``<http://schema.org/headline>`` -> ``schema:headline``, for every term wirekit uses."""
    return {f"<{d.iri}>": "schema:" + d.iri.removeprefix(SCHEMA) for d in terms().values()}


def _turtle_term(term: str, names: dict[str, str]) -> str:
    """An N-Triples term in Turtle: prefixed where it can be, numbers and booleans bare (their
    canonical forms are Turtle's own syntax for them)."""
    if term[0] == "<":
        return names.get(term, term)
    if term[-1] == '"':
        return term
    quoted, _, datatype = term.rpartition("^^")
    if term.endswith(_BARE):
        return quoted[1:-1]
    return f"{quoted}^^{names.get(datatype, datatype)}"


def _turtle_statements(root: Node) -> Iterator[str]:
    """One statement per subject, subjects sorted, ``a`` first, then the predicates, each with
    its objects sorted and joined by commas."""
    names = _prefixed()
    rows = [_split(line) for line in sorted_statements(root)]
    for subject, group in groupby(rows, key=itemgetter(0)):
        parts: list[str] = []
        for predicate, objects in groupby(group, key=itemgetter(1)):
            listed = ", ".join([_turtle_term(o, names) for _, _, o in objects])
            if predicate == _RDF_TYPE:
                parts.insert(0, f"a {listed}")
            else:
                parts.append(f"{names.get(predicate, predicate)} {listed}")
        yield f"{subject} " + " ;\n    ".join(parts) + " .\n"


def _prefix_lines() -> str:
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())


def turtle(article: Article, config: Config | None = None) -> bytes:
    """The article as Turtle."""
    body = "\n".join(_turtle_statements(article_node(article, config)))
    return (_prefix_lines() + "\n" + body).encode()


def trig_graph(article: Article, config: Config | None = None) -> bytes:
    """One article's named graph in TriG, made without the others (see :func:`trig_document`)."""
    root = article_node(article, config)
    return (f"<{root.id}> {{\n" + "\n".join(_turtle_statements(root)) + "}\n").encode()


def trig_document(graphs: Iterable[bytes]) -> Iterator[bytes]:
    """A TriG document from its articles' :func:`trig_graph`: the prefixes the graphs use, then
    the graphs, a blank line between two."""
    yield (_prefix_lines() + "\n").encode()
    separator = b""
    for graph in graphs:
        yield separator + graph
        separator = b"\n"


def trig(articles: Iterable[Article], config: Config | None = None) -> bytes:
    """Articles as TriG, each in the named graph of its own IRI."""
    return b"".join(trig_document(trig_graph(article, config) for article in articles))


# --- through libraries -----------------------------------------------------------------------


def rdfxml(article: Article, config: Config | None = None) -> bytes:
    """The article as RDF/XML, written by pyoxigraph from the sorted N-Triples."""
    import pyoxigraph

    parsed = pyoxigraph.parse(ntriples(article, config), format=pyoxigraph.RdfFormat.N_TRIPLES)
    output = pyoxigraph.serialize(parsed, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=PREFIXES)
    assert output is not None, "serialize returns bytes when given no output"
    return output


def quads(articles: Iterable[Article], config: Config | None = None) -> list[pyoxigraph.Quad]:
    """pyoxigraph quads, each article in the named graph of its IRI: what ``Store.extend``
    takes. For bulk loads, ``Store.load(nquads(articles), format=RdfFormat.N_QUADS)``."""
    import pyoxigraph

    data = nquads(articles, config)
    return list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))


def graph(article: Article, config: Config | None = None) -> rdflib.Graph:
    """The article as an ``rdflib.Graph`` named by its IRI, built term by term from the same
    statements (this is also the rdflib baseline wirekit's writers are measured against)."""
    import rdflib

    root = article_node(article, config)
    result = rdflib.Graph(identifier=rdflib.URIRef(root.id))
    result.bind("schema", SCHEMA, override=True, replace=True)
    for line in statements(root):  # no need to sort them
        s, p, o = _split(line)
        result.add((rdflib.URIRef(s[1:-1]), rdflib.URIRef(p[1:-1]), _rdflib_term(o)))
    return result


def _rdflib_term(term: str) -> Any:
    import rdflib

    if term[0] == "<":
        return rdflib.URIRef(term[1:-1])
    if term[-1] == '"':
        return rdflib.Literal(unescape(term[1:-1]))
    quoted, _, datatype = term.rpartition("^^")
    return rdflib.Literal(unescape(quoted[1:-1]), datatype=rdflib.URIRef(datatype[1:-1]))
