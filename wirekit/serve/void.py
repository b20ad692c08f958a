"""``/void.ttl``: the served dataset described in VoID (W3C Interest Group Note, 2011).

Its IRIs are relative (``<all.nq>``, ``<sparql>``), resolved against the address the
description was fetched from, so it is right behind any host name or proxy without trusting
the request's ``Host`` header.
"""

from __future__ import annotations

import os

from wirekit.serve.site import Site, data_dump

_COUNTS: dict[tuple[int, int], int] = {}


def describe(site: Site, sparql: bool) -> bytes:
    """The VoID description: triples (the lines of the N-Quads dump), the article count, the
    data dump, the SPARQL endpoint when one is offered, and the space of article IRIs."""
    lines = [
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        "<#dataset> a void:Dataset ;",
        f'    void:entities "{len(site.articles)}"^^xsd:integer ;',
        f"    void:uriSpace {_string(site.config.base_iri)} ;",
        "    void:vocabulary <http://schema.org/> ;",
        "    void:rootResource <./> ;",
    ]
    publisher = (site.config.publisher or {}).get("name")
    if isinstance(publisher, str):
        lines.append(
            f"    dcterms:publisher [ a <http://schema.org/Organization> ; "
            f"<http://schema.org/name> {_string(publisher)} ] ;"
        )
    dump = site.top_document(data_dump())
    if dump is not None:
        lines.append(f'    void:triples "{_triples(dump.path)}"^^xsd:integer ;')
        lines.append(f"    void:dataDump <{data_dump()}> ;")
        lines.append("    void:feature <http://www.w3.org/ns/formats/N-Quads> ;")
    if sparql:
        lines.append("    void:sparqlEndpoint <sparql> ;")
    lines[-1] = lines[-1].removesuffix(" ;") + " ."
    return ("\n".join(lines) + "\n").encode()


def _string(text: str) -> str:
    """A Turtle string literal (ECHAR escapes for what must be escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _triples(path: os.PathLike[str]) -> int:
    """The dump's statements: one a line in N-Quads; counted once per version of the file."""
    info = os.stat(path)
    key = (info.st_size, info.st_mtime_ns)
    if key not in _COUNTS:
        count = 0
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                count += chunk.count(b"\n")
        _COUNTS.clear()
        _COUNTS[key] = count
    return _COUNTS[key]
