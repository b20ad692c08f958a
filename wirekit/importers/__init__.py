"""Importers: bytes in some newsroom format -> canonical article dicts.

An importer knows one format and nothing of exporters. It yields plain dicts, not Articles,
because validation against the schema happens once, at the model boundary, after it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from ..errors import InputError, InputWarning, Problem
from ..plugin import Plugin
from ..schema import readable


def warn(where: str | None, message: str) -> None:
    """An :class:`InputWarning` that starts with ``where`` (the file, and the article in it),
    so in a batch's log a repaired or skipped part can be traced to its page."""
    warnings.warn(InputWarning(f"{where}: {message}" if where else message), stacklevel=3)


def headline_text(text: str | None) -> str | None:
    """``text`` when it can be a headline, else None: a headline of white space alone is no
    headline, so the importer falls back as it does for a missing one."""
    return text if text and readable(text) else None


def location(source: str | None, place: str | None) -> str | None:
    """``source: place`` for a message, leaving out what is unknown."""
    return ": ".join(p for p in (source, place) if p) or None


@dataclass(frozen=True, slots=True)
class Record:
    """One canonical article dict, or the error that stopped one, and where in its source it is.

    An importer that reads many articles from one source (JSON Lines, a newsMessage) yields an
    error record for a broken one and goes on, so one bad line does not lose the rest.
    """

    data: dict[str, Any] | None
    place: str | None = None
    """``line 42`` in a JSON Lines file, ``/3`` in an array, ``item 2`` in a newsMessage."""
    error: InputError | None = None


class Importer(Plugin):
    """Base class of importers. Subclasses implement :meth:`read` and usually :meth:`sniff`."""

    media_types: ClassVar[tuple[str, ...]] = ()
    file_extensions: ClassVar[tuple[str, ...]] = ()
    """Extensions with the dot, lower-case: ``(".txt",)``."""

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """Whether the first bytes of a file look like this format. Must be cheap."""
        return False

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        """Yield the articles in ``stream``. ``source`` names it in errors and may seed ids."""
        raise NotImplementedError

    def conformance(self, data: bytes) -> list[Problem]:
        """Problems of a whole input document against its format's *official* schema (the
        NewsML-G2 XSD, the ninjs JSON Schema), for ``wirekit validate``.

        Empty when the document conforms, or when the format has no official schema or the
        config names no folder of specifications (``specs``). Pointers are XPath-like or JSON
        pointers, whichever the format uses.
        """
        return []
