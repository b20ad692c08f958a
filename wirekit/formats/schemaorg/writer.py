"""schema.org JSON-LD out: the article as a NewsArticle (or the subtype its genre names), written
from :func:`wirekit.formats.schemaorg.mapping.article_node`, the mapping the RDF exporters write
too.

``"@context": "https://schema.org"`` is written as a plain URL, the form search engines expect;
wirekit needs no context file to write it (see :mod:`wirekit.formats.schemaorg.context` for
reading). Two forms, chosen with the ``form`` option:

* ``nested`` (the default): one tree, the article at the root and every person, organisation,
  place and image embedded where it is used. Google's Article guidance and most consumers read
  this form; a node used twice (one Wikidata person as author and mention) is written twice.
* ``graph``: a flattened ``@graph``, each node once (descriptions of one IRI merged), the article
  first, and every link a ``{"@id": ...}`` reference: the form linked-data tools like.

Both expand to the same RDF graph, the one the turtle exporter writes. Keys come in a fixed order
(``@context``, ``@type``, ``@id``, then the mapping's order) and orjson writes them, so the same
article always gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import orjson

from wirekit.audience import PUBLIC
from wirekit.config import Config
from wirekit.errors import UsageError
from wirekit.formats.schemaorg.context import CONTEXT_URL
from wirekit.formats.schemaorg.mapping import Node, Value, article_node, walk
from wirekit.memo import last_result
from wirekit.model import Article
from wirekit.plugin import Exporter, Link

FORMS = ("nested", "graph")
_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE


def document(
    article: Article, form: str = "nested", config: Config | None = None
) -> dict[str, Any]:
    """The article's JSON-LD document as a dict: exactly what the exporter writes (and the html
    exporter embeds), for callers that want the data rather than bytes."""
    root = article_node(article, config)
    if _checked(form) == "graph":
        return {"@context": CONTEXT_URL, "@graph": _flattened(root)}
    return {"@context": CONTEXT_URL, **_nested(root)}


@last_result  # publishing writes an article's JSON-LD file and then its page, which embeds it
def nested(article: Article, config: Config | None) -> bytes:
    """The article's JSON-LD document in the nested form, as its file holds it and as the
    ``html`` exporter embeds it."""
    return orjson.dumps(document(article, "nested", config), option=_OPTIONS)


def _checked(form: str) -> str:
    if form not in FORMS:
        raise UsageError(f"jsonld: form must be one of {', '.join(FORMS)}, not {form!r}")
    return form


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _nested(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": node.type, "@id": node.id}
    for term, values in node.properties:
        out[term] = _one_or_many([_nested(v) if isinstance(v, Node) else _value(v) for v in values])
    return out


def _value(value: Value) -> Any:
    """A value that is no embedded node: a Link as a node reference, anything else as it is."""
    return {"@id": value.iri} if isinstance(value, Link) else value


def _reference(value: Value) -> Any:
    return {"@id": value.id} if isinstance(value, Node) else _value(value)


def _flattened(root: Node) -> list[dict[str, Any]]:
    """Each node once, in order of first appearance; repeated descriptions merged."""
    merged: dict[str, tuple[list[str], dict[str, list[Any]]]] = {}
    for node in walk(root):
        types, properties = merged.setdefault(node.id, ([], {}))
        if node.type not in types:
            types.append(node.type)
        for term, values in node.properties:
            known = properties.setdefault(term, [])
            known.extend(v for v in map(_reference, values) if v not in known)
    return [
        {
            "@type": _one_or_many(types),
            "@id": iri,
            **{term: _one_or_many(values) for term, values in properties.items()},
        }
        for iri, (types, properties) in merged.items()
    ]


class JSONLDExporter(Exporter):
    """One article as schema.org JSON-LD."""

    name = "jsonld"
    aliases = ("json-ld", "schema.org", "schemaorg")
    description = "schema.org NewsArticle JSON-LD (Google Article structured data)"
    media_type = "application/ld+json"
    file_extension = ".jsonld"
    standard = "schema.org"
    standard_version = "30.0"
    audience = PUBLIC
    published_name = "article.jsonld"
    published_order = 50
    negotiation_order = 30
    options: ClassVar[dict[str, str]] = {
        "form": "nested (default): one tree, as search engines read it; "
        "graph: a flattened @graph, each node once",
    }

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self.form = _checked(str(self.settings.get("form", "nested")))

    def export(self, article: Article) -> bytes:
        if self.form == "nested":
            return nested(article, self.config)
        return orjson.dumps(document(article, self.form, self.config), option=_OPTIONS)

    def check(self, path: Path) -> str:
        from wirekit.formats.schemaorg.conformance import jsonld

        return jsonld(path, self.config)
