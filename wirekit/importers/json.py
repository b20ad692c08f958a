"""Canonical JSON: one article, an array of articles, or JSON Lines for archives.

JSON Lines is read one line at a time, so an archive of millions of articles is converted in flat
memory, and a broken line is reported by its number without losing the others. Parsing uses
orjson: several times faster than the standard library, and strict where strictness protects
exporters (it refuses lone surrogates, NaN and Infinity, which no XML or RDF output could carry).
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from ..errors import InputError
from . import Importer, Record

_LONG_NUMBER = re.compile(rb"[0-9]{19,}")


def loads(data: bytes | str, *, place: str | None = None) -> Any:
    """Parse JSON, turning orjson's complaint into an :class:`InputError` at its position.

    orjson reads an integer beyond 64 bits as an inexact float, silently. When the text holds a
    run of 19 digits or more, the standard library parses it again, exactly (it is already known
    to be strict JSON, so the two parsers cannot disagree otherwise).
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        reason = exc.msg
        if "surrogates not allowed" in reason or "not valid UTF-8" in reason:
            reason = "not valid UTF-8 (a lone surrogate or a bad byte)"
        where = f"line {exc.lineno}, column {exc.colno}" if place is None else place
        raise InputError(f"malformed JSON: {reason}", place=where) from None
    if _LONG_NUMBER.search(data.encode() if isinstance(data, str) else data):
        return json.loads(data)
    return value


class JSONImporter(Importer):
    """wirekit's canonical article JSON (see ``wirekit schema``)."""

    name = "json"
    aliases = ("canonical", "jsonl", "ndjson")
    description = "canonical article JSON: one article, an array, or JSON Lines"
    media_types = ("application/json", "application/jsonl", "application/x-ndjson")
    file_extensions = (".json", ".jsonl", ".ndjson")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")

    def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
        try:
            if source.lower().endswith((".jsonl", ".ndjson")):
                yield from self._lines(stream)
                return
            data = stream.read().removeprefix(codecs.BOM_UTF8)
            try:
                document = loads(data)
            except InputError as exc:
                if "unexpected content after document" not in exc.message:
                    raise
                # several documents one after another: JSON Lines without the extension
                yield from self._lines(io.BytesIO(data))
                return
            yield from self._document(document)
        except InputError as exc:
            raise exc.located(source) from None

    @staticmethod
    def _document(document: Any) -> Iterator[Record]:
        if isinstance(document, list):
            for index, item in enumerate(document):
                yield Record(_object(item, f"/{index}"), f"/{index}")
        else:
            yield Record(_object(document, None))

    @staticmethod
    def _lines(stream: BinaryIO) -> Iterator[Record]:
        """One record per line; a broken line becomes an error record and reading goes on."""
        for number, raw in enumerate(stream, 1):
            line = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
            if line.strip():
                place = f"line {number}"
                try:
                    yield Record(_object(loads(line, place=place), place), place)
                except InputError as exc:
                    yield Record(None, place, exc)


_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
}


def _object(value: Any, place: str | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        kind = _KINDS.get(type(value), "null")
        raise InputError(f"an article must be a JSON object, not {kind}", place=place or "/")
    return value
