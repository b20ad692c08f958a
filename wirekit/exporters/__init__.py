"""Exporters: one canonical Article (or many, for collections) -> bytes in a standard format.

An exporter knows one format and nothing of files, clocks or the network: ids and timestamps come
from the articles or from options, so the same input always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ..model import Article
from ..plugin import Plugin


class Exporter(Plugin):
    """Base class of exporters.

    A single-article exporter implements :meth:`export`; a collection exporter (feeds, message
    envelopes, datasets) sets ``collection = True`` and implements :meth:`export_collection`.
    """

    media_type: ClassVar[str]
    file_extension: ClassVar[str]
    """With the dot: ``".xml"``."""
    standard: ClassVar[str]
    """The standard it implements, as its publisher names it."""
    standard_version: ClassVar[str]
    collection: ClassVar[bool] = False

    def export(self, article: Article) -> bytes:
        """One article as one document."""
        raise NotImplementedError

    def export_collection(self, articles: Iterable[Article]) -> bytes:
        """Many articles as one document."""
        raise NotImplementedError
