"""The schema.org JSON-LD context, offline: a trimmed copy shipped with wirekit, and loaders that
map the schema.org context URLs to it and refuse every other remote context.

Why a trimmed copy, and not the official file or ``config.specs``: JSON-LD processors fetch
``https://schema.org`` on every parse (rdflib has no hook to stop it, and hangs with no timeout on a
network that swallows connections), so wirekit must resolve the context itself, at run time, without
any specifications installed. The official context is 212 KB and 3,081 terms; wirekit needs its
keyword aliases and prefixes plus the few dozen terms it writes and reads. Parsing the trimmed
context costs under a millisecond instead of 5 to 14, and every term definition in it is copied
verbatim from the pinned official release (30.0) by :func:`trim`, so it means exactly what the
official context means for those terms. A test regenerates it from the official file (``wirekit
specs``) and compares; to regenerate after changing :data:`TERMS`::

    python -m wirekit.formats.schemaorg.context "$(wirekit specs path schemaorg-context)"

The same term definitions drive the RDF writers (:func:`terms`): the predicate IRI and the
coercion (``@id`` or a datatype) that a JSON-LD processor would apply to a value are read from
here, which is why wirekit's Turtle and its JSON-LD cannot disagree.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from wirekit.errors import InputError

DATA_FILE = "schemaorg-context.jsonld"
"""The trimmed context, a file in the wirekit package."""

CONTEXT_URL = "https://schema.org"
"""What wirekit writes as ``@context``: the form search engines expect."""

SCHEMA_ORG_CONTEXT_URLS = frozenset(
    f"{scheme}://schema.org{path}"
    for scheme in ("http", "https")
    for path in ("", "/", "/docs/jsonldcontext.json", "/docs/jsonldcontext.jsonld")
)
"""Every URL under which schema.org serves its context; all resolve to the local copy."""

TERMS: tuple[str, ...] = (
    # types
    "AdvertiserContentArticle", "AnalysisNewsArticle", "Article", "AskPublicNewsArticle",
    "BackgroundNewsArticle", "CorrectionComment", "Country", "CreativeWork", "Date",
    "DefinedTerm", "GeoCoordinates", "ImageObject", "NewsArticle", "NewsMediaOrganization",
    "OpinionNewsArticle", "Organization", "Person", "Place", "PostalAddress",
    "ReportageNewsArticle", "ReviewNewsArticle", "Role", "SatiricalArticle",
    # properties
    "about", "addressCountry", "address", "alternativeHeadline", "articleBody",
    "articleSection", "author", "caption", "containedInPlace", "contentUrl", "contributor",
    "copyrightHolder", "copyrightNotice", "copyrightYear", "correction", "creditText",
    "dateCreated", "dateModified", "datePublished", "dateline", "description",
    "digitalSourceType", "encodingFormat", "expires", "genre", "geo", "headline", "height",
    "identifier", "image", "inLanguage",
    "isAccessibleForFree", "keywords", "latitude", "license", "locationCreated", "logo",
    "longitude", "mainEntityOfPage", "mentions", "name", "publisher", "roleName", "sameAs",
    "sourceOrganization", "termCode", "text", "url", "usageInfo", "version", "width",
    "wordCount",
)  # fmt: skip
"""The schema.org terms wirekit writes or reads, besides the aliases and prefixes; with the
properties its own exporter extensions add (``digitalSourceType``, by wirekit-iptc-provenance),
which an extension may name by term (any other it names by its full IRI)."""

_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")


def trim(official: Mapping[str, Any], terms: tuple[str, ...] = TERMS) -> dict[str, Any]:
    """The official context document cut down to its keyword aliases, prefixes and ``terms``,
    every definition copied as it is. Raises KeyError for a term the official context lacks."""
    source = official["@context"]
    kept = {k: v for k, v in source.items() if isinstance(v, str)}  # @vocab, aliases, prefixes
    kept.update((term, source[term]) for term in sorted(terms))
    return {"@context": kept}


@functools.cache
def context_document() -> dict[str, Any]:
    """The trimmed context document, ``{"@context": {...}}``, read once per process."""
    data = resources.files(__package__).joinpath(DATA_FILE).read_bytes()
    document: dict[str, Any] = orjson.loads(data)
    return document


class TermDefinition(NamedTuple):
    """What a JSON-LD processor makes of a term: its IRI, and how it types a string value."""

    iri: str
    coercion: str | None
    """``"@id"`` (the string is an IRI), a datatype IRI, or None (a plain string)."""


@functools.cache
def terms() -> dict[str, TermDefinition]:
    """Term -> definition, with every compact IRI expanded, for the terms in :data:`TERMS`."""
    source = context_document()["@context"]
    table = {}
    for term in TERMS:
        definition = source[term]
        if isinstance(definition, str):
            definition = {"@id": definition}
        coercion = definition.get("@type")
        if coercion is not None and coercion != "@id":
            coercion = expand(coercion, source)
        table[term] = TermDefinition(expand(definition["@id"], source), coercion)
    return table


def expand(value: str, source: Mapping[str, Any]) -> str:
    """A term, a compact IRI (``schema:url``) or an IRI, expanded against a context object."""
    definition = source.get(value)
    if definition is not None:
        target = definition if isinstance(definition, str) else definition["@id"]
        return target if target == value else expand(target, source)
    prefix, colon, suffix = value.partition(":")
    if colon and not suffix.startswith("//") and isinstance(source.get(prefix), str):
        return str(source[prefix]) + suffix
    if colon:
        return value
    return str(source["@vocab"]) + value


@functools.cache
def prefixes() -> frozenset[str]:
    """Names that a JSON-LD 1.1 processor reads as a prefix in ``prefix:suffix``. An IRI with
    such a scheme (``dc:x``) would be misread, so the mapping refuses to write one."""
    source = context_document()["@context"]
    return frozenset(
        name
        for name, value in source.items()
        if isinstance(value, str) and not name.startswith("@") and value.endswith(_GEN_DELIMS)
    )


def resolve(url: str) -> dict[str, Any]:
    """The context document for a remote context URL: the local copy for schema.org, an
    :class:`InputError` for anything else. Never fetches."""
    if url in SCHEMA_ORG_CONTEXT_URLS:
        return context_document()
    raise InputError(
        f"the JSON-LD context {url!r} is not available offline; wirekit resolves only the "
        "schema.org context, locally, and never fetches one"
    )


def inline(document: Any) -> Any:
    """A copy of a JSON-LD document with every remote ``@context`` reference replaced by the
    context it names (see :func:`resolve`), so that no processor has anything left to fetch."""
    if isinstance(document, list):
        return [inline(item) for item in document]
    if not isinstance(document, dict):
        return document
    copy = {}
    for key, value in document.items():
        if key == "@context":
            copy[key] = local_context(value)
        elif key == "@import":
            raise InputError("JSON-LD @import is not supported: it would fetch a context")
        else:
            copy[key] = inline(value)
    return copy


def local_context(value: Any) -> Any:
    """An ``@context`` value with every URL in it replaced by the context it names."""
    if isinstance(value, str):
        return resolve(value)["@context"]
    if isinstance(value, list):
        return [local_context(item) for item in value]
    return inline(value)  # an object: its scoped contexts may name more


Loader = Callable[[str, Any], dict[str, Any]]


def document_loader(context_file: Path | None = None) -> Loader:
    """A PyLD document loader that serves the schema.org context from ``context_file`` (the
    official file, in tests) or the trimmed copy, and raises :class:`InputError` for any other
    URL. PyLD is not a wirekit dependency; this is a plain function it accepts."""
    if context_file is None:
        document = context_document()
    else:
        document = orjson.loads(context_file.read_bytes())

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url not in SCHEMA_ORG_CONTEXT_URLS:
            resolve(url)  # raises
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }

    return load


def main(argv: list[str]) -> int:
    """Regenerate the trimmed context from the official file named in ``argv``."""
    if len(argv) != 1:
        print(
            "usage: python -m wirekit.formats.schemaorg.context OFFICIAL_CONTEXT.jsonld",
            file=sys.stderr,
        )
        return 2
    official = orjson.loads(Path(argv[0]).read_bytes())
    target = Path(__file__).with_name(DATA_FILE)
    target.write_bytes(orjson.dumps(trim(official), option=orjson.OPT_INDENT_2) + b"\n")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
