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

from wirekit.errors import InputError
from wirekit.plugin import Importer, Record, add_note

_ESCAPED_COLON = re.compile(rb"\\u003[aA]")
_DIGITS_AS_ZERO = b"".join(b"0" if byte in b"0123456789" else b" " for byte in range(256))
"""A ``bytes.translate`` table writing every digit as ``0`` and anything else as a space: runs of
digits are then found by a plain substring search (a regular expression takes ten times as
long on an article)."""
_LONG_RUN = b"0" * 19
"""19 digits, as many as 2**63 has: orjson reads integers exactly up to 64 bits and anything
longer as an inexact float. A run inside a string (a long id) only costs the exact parse."""
MAX_DEPTH = 100
"""The deepest nesting of arrays and objects accepted. An article needs six levels (extensions,
which plugins fill freely, more); the tools after the importer have their own limits, lower than
orjson's 1,024 (orjson writes at most 254 levels, jsonschema-rs reports errors about at most
about 250), so a deeper document is refused here, with a clear message, rather than breaking one
of them later."""


class _DuplicateKey(Exception):
    """Raised from the standard library's parser on the second occurrence of a key."""

    def __init__(self, key: str) -> None:
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object hook for :func:`json.loads` that refuses a key seen twice in one object."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (a walk with a stack, not recursion)."""
    deepest = 0
    stack = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        deepest = max(deepest, depth)
        for child in item.values() if type(item) is dict else item:
            if type(child) is dict or type(child) is list:
                push((child, depth + 1))
    return deepest if type(value) is dict or type(value) is list else 0


def _exact(value: Any, raw: bytes, place: str | None) -> bool:
    """Whether orjson read ``raw`` exactly as the strict reading below would; raises
    :class:`InputError` when it nests deeper than :data:`MAX_DEPTH`.

    Every test is a scan of bytes in C, not a walk over the parsed values. Nesting cannot go
    deeper than the text has brackets, so only a document with more than ``MAX_DEPTH`` of them
    is walked to measure it. A dropped duplicate key takes its colon with it: orjson writes
    every kept key with one colon and every colon in a string as it is, so the text has more
    colons than the values written out again exactly when a key was repeated (unless a colon
    was written ``\\u003a``, which only the exact reading can tell).
    """
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        message = f"JSON nested more than {MAX_DEPTH} levels deep is refused"
        raise InputError(message, place=place)
    return (
        _LONG_RUN not in raw.translate(_DIGITS_AS_ZERO)
        and raw.count(b":") == orjson.dumps(value).count(b":")
        and _ESCAPED_COLON.search(raw) is None
    )


def loads(data: bytes | str, *, place: str | None = None) -> Any:
    """Parse JSON, turning orjson's complaint into an :class:`InputError` at its position.

    Nesting deeper than :data:`MAX_DEPTH` is refused. Two things orjson does silently are caught
    here. It keeps the last of duplicate keys (``{"headline": "a", "headline": "b"}``), which
    would let one producer's file say two things to two readers; such a document is refused,
    naming the key. And it reads an integer beyond 64 bits as an inexact float. Both are ruled
    out by cheap scans of the bytes (see :func:`_exact`); only when one cannot rule them out
    does the standard library parse the text again, exactly and checking every object's keys
    (the text is already known to be strict JSON, so the two parsers cannot disagree
    otherwise).
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        reason = exc.msg
        if "surrogates not allowed" in reason or "not valid UTF-8" in reason:
            reason = "not valid UTF-8 (a lone surrogate or a bad byte)"
        where = f"line {exc.lineno}, column {exc.colno}" if place is None else place
        raise InputError(f"malformed JSON: {reason}", place=where) from None
    raw = data.encode() if isinstance(data, str) else data
    if _exact(value, raw, place):
        return value
    try:
        return json.loads(data, object_pairs_hook=_unique)
    except _DuplicateKey as exc:
        key = json.dumps(exc.key)
        raise InputError(f"malformed JSON: duplicate key {key}", place=place) from None
    except (RecursionError, ValueError) as exc:  # deeper than Python's stack, or a huge integer
        what = "nested too deeply" if isinstance(exc, RecursionError) else "a number too long"
        raise InputError(f"malformed JSON: {what} to read exactly", place=place) from None


_SNIFF_HEADLINE = re.compile(rb'"headline"\s*:')


class JSONImporter(Importer):
    """wirekit's canonical article JSON (see ``wirekit schema``)."""

    name = "json"
    aliases = ("canonical", "jsonl", "ndjson")
    description = "canonical article JSON: one article, an array, or JSON Lines"
    media_types = ("application/json", "application/jsonl", "application/x-ndjson")
    file_extensions = (".json", ".jsonl", ".ndjson")

    @classmethod
    def sniff(cls, head: bytes) -> float:
        """Any JSON a little; an object with the keys every article has (``headline``, in the
        schema's order after ``id``) more, below the formats with a marker of their own."""
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"["):
            return 0.0
        return 0.6 if _SNIFF_HEADLINE.search(head) else 0.1

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
        """One record per line; a broken line becomes an error record and reading goes on,
        past a line too long to read too (the reader's bounded stream skips it and says so)."""
        number = 0
        while True:
            number += 1
            try:
                raw = stream.readline()
            except InputError as exc:
                yield Record(None, exc.place or f"line {number}", exc)
                continue
            if not raw:
                return
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
    return migrate(value)


def migrate(article: dict[str, Any]) -> dict[str, Any]:
    """A model 1.x article in model 2.0's shape: its ``editorNote``, a note to editors at
    receiving organisations, becomes a partner note, so that archives written before notes
    carried their audience still read (and their notes still never reach a public page)."""
    if "editorNote" not in article or "notes" in article:
        return article
    migrated = {key: value for key, value in article.items() if key != "editorNote"}
    add_note(migrated, article["editorNote"], "partner")
    return migrated
