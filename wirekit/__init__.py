"""wirekit: news articles from the newsroom's formats into the standards partners consume.

Importers turn newsroom input (wire copy, canonical JSON, NewsML-G2, ninjs, JSON-LD) into one
canonical, schema-validated :class:`Article`; exporters turn Articles into IPTC, schema.org, RDF
and feed formats. This module is the small public API, and stays cheap to import: heavy libraries
load only when a format that needs them is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from wirekit.config import Config
    from wirekit.errors import (
        ExportError,
        InputError,
        InputWarning,
        LossyConversionWarning,
        UnknownFormat,
        UsageError,
        ValidationError,
        WirekitError,
    )
    from wirekit.model import Article

_HOMES = {
    "Config": "wirekit.config",
    "Article": "wirekit.model",
    **dict.fromkeys(
        (
            "ExportError",
            "InputError",
            "InputWarning",
            "LossyConversionWarning",
            "UnknownFormat",
            "UsageError",
            "ValidationError",
            "WirekitError",
        ),
        "wirekit.errors",
    ),
}
"""Where each public name lives. They load on first use (PEP 562), so that importing the
package costs next to nothing: the ``wirekit`` command's start-up, up to the point where it can
catch a Ctrl-C, is then only Python's own (see :mod:`wirekit.__main__`)."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'wirekit' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "Article",
    "Config",
    "ExportError",
    "InputError",
    "InputWarning",
    "LossyConversionWarning",
    "UnknownFormat",
    "UsageError",
    "ValidationError",
    "WirekitError",
    "read",
    "validate",
    "write",
]


def read(
    source: str | Path, *, format: str | None = None, config: Config | None = None
) -> Iterator[Article]:
    """Every article in a file (``-`` for stdin), validated. Raises on the first bad one; use
    :class:`wirekit.sources.Reader` to collect errors and go on instead."""
    from wirekit.sources import Reader

    for result in Reader(config, format).read(source):
        if result.error is not None:
            raise result.error
        assert result.article is not None
        yield result.article


def validate(data: Any) -> Article:
    """A canonical dict as an Article, or :class:`ValidationError` listing every problem."""
    from wirekit import schema
    from wirekit.model import Article

    schema.validate(data)
    return Article.from_dict(data)


def write(
    articles: Article | Iterable[Article],
    format: str,
    *,
    config: Config | None = None,
    **options: Any,
) -> bytes:
    """One article, or many for a collection format, as bytes in ``format``."""
    from wirekit import registry
    from wirekit.errors import UsageError
    from wirekit.model import Article

    exporter = registry.exporter(format)(config, **options)
    if exporter.collection:
        return exporter.export_collection([articles] if isinstance(articles, Article) else articles)
    if isinstance(articles, Article):
        return exporter.export(articles)
    batch = list(articles)
    if len(batch) != 1:
        raise UsageError(f"{exporter.name} writes one article per document, not {len(batch)}")
    return exporter.export(batch[0])
