"""Reading: a path or stdin -> the right importer -> validated Articles, one result each.

This is the one way into the model. Every article passes schema validation here, once, before
any exporter sees it, and every failure becomes a result carrying the source and the place
instead of an exception, so a batch goes on past a bad file and reports it at the end.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from wirekit import registry, schema
from wirekit.config import Config
from wirekit.errors import InputError, ValidationError, WirekitError
from wirekit.model import Article
from wirekit.plugin import Importer

STDIN = "-"
_SNIFF_BYTES = 4096
MAX_DOCUMENT = 16 * 1024 * 1024
"""The most bytes one document (a file, or one line of JSON Lines) may have: 16 MiB, hundreds of
times a long article. Exporters hold several copies of an article's text at once (escaped, as
HTML, in the embedded JSON-LD), so without a bound one oversized input could take a batch's
whole memory; with it, every command stays within 1.5 GiB (the hostile-input tests enforce
that). JSON Lines archives are read a line at a time and may be of any size."""


@dataclass(frozen=True, slots=True)
class Result:
    """One article read from ``source``, or the error that prevented it."""

    source: str
    place: str | None
    article: Article | None = None
    error: WirekitError | None = None
    data: dict[str, Any] | None = None
    """The canonical dict the article was built from (valid, shared: do not change it)."""
    importer: Importer | None = None
    """The importer that read the source (forced by ``--from`` or recognised), None when the
    source could not be opened or recognised: what a coverage report of the source must read it
    with, so it describes the format the reading used (see :func:`wirekit.coverage.of_file`)."""


class _Bounded(io.BufferedIOBase):
    """A binary stream that refuses, with an :class:`InputError`, to hand out a document (one
    ``read()`` of everything) or a line longer than ``limit`` bytes, so no input can make an
    importer hold more than that at once. It reads at most ``limit + 1`` bytes to find out."""

    def __init__(self, raw: BinaryIO, limit: int = MAX_DOCUMENT) -> None:
        super().__init__()
        self._raw = raw
        self._limit = limit
        self._lines = 0

    def readable(self) -> bool:
        return True

    def _mib(self) -> str:
        return f"{self._limit / 1024 / 1024:g} MiB"

    def _remaining(self) -> int | None:
        """Bytes left in a regular file (known without reading); None for a pipe or the like."""
        try:
            status = os.fstat(self._raw.fileno())
            if not stat.S_ISREG(status.st_mode):
                return None
            return status.st_size - self._raw.tell()
        except (OSError, ValueError, AttributeError):
            return None

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size >= 0:
            return self._raw.read(size)
        remaining = self._remaining()
        if remaining is not None and remaining <= self._limit:
            data = self._raw.read()  # no buffer of the limit's size for a small file
        else:
            data = self._raw.read(self._limit + 1)  # a buffered stream: short only at the end
        if len(data) > self._limit:
            raise InputError(
                f"larger than {self._mib()}, the most wirekit reads as one document "
                "(split it, or make it JSON Lines)"
            )
        return data

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def readline(self, size: int | None = -1) -> bytes:
        limit = self._limit if size is None or size < 0 else min(size, self._limit)
        line = self._raw.readline(limit + 1)
        self._lines += 1
        if len(line) > self._limit:
            rest = line
            while rest and not rest.endswith(b"\n"):  # skip the rest of it, a chunk at a time
                rest = self._raw.readline(self._limit)
            message = f"longer than {self._mib()}, the most wirekit reads as one line; skipped"
            raise InputError(message, place=f"line {self._lines}")
        return line

    def peek(self, size: int = 0) -> bytes:
        peek = getattr(self._raw, "peek", None)
        return peek(size) if peek is not None else b""


def _open(source: str) -> BinaryIO:
    if source == STDIN:
        return sys.stdin.buffer
    path = Path(source)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
            raise InputError("is a device or a socket, not a file (- reads stdin)", source=source)
        return path.open("rb")
    except FileNotFoundError:
        reason = "no such file" if not path.is_symlink() else "a broken symbolic link"
    except IsADirectoryError:
        reason = "is a folder, not a file"
    except PermissionError:
        reason = "permission denied"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise InputError(reason, source=source)


def _peekable(stream: BinaryIO) -> tuple[BinaryIO, bytes]:
    """The stream (read into memory when it cannot peek, like some stand-ins for stdin), bounded
    (see :data:`MAX_DOCUMENT`), and its first bytes, for recognising the format without
    consuming them."""
    peek = getattr(stream, "peek", None)
    if peek is None:
        data = _Bounded(stream).read()
        return _Bounded(io.BytesIO(data)), data[:_SNIFF_BYTES]  # type: ignore[return-value]
    return _Bounded(stream), peek(_SNIFF_BYTES)[:_SNIFF_BYTES]  # type: ignore[return-value]


class Reader:
    """Reads sources with one importer instance per format, so options and caches are built
    once for a whole batch."""

    def __init__(
        self, config: Config | None = None, format: str | None = None, *, build: bool = True
    ) -> None:
        self.config = config or Config()
        self.build = build
        """False: results carry the validated dict only, for callers that may not need an
        Article (publishing skips building one for an unchanged article)."""
        self.forced = registry.importer(format) if format else None
        self._instances: dict[type[Importer], Importer] = {}

    def importer_for(self, head: bytes, source: str) -> Importer:
        cls = self.forced or registry.importer_for(head, None if source == STDIN else source)
        if cls not in self._instances:
            self._instances[cls] = cls(self.config)
        return self._instances[cls]

    def read(self, source: str | Path, *, conformance: bool = False) -> Iterator[Result]:
        """Every article in one source, validated; errors come out as results, never raised.

        With ``conformance``, a document in a format with an official schema (NewsML-G2, ninjs)
        is checked against it first, so ``wirekit validate`` reports what the standard says
        as well as what wirekit's model says.
        """
        name = str(source)
        try:
            stream = _open(name)
        except InputError as exc:
            yield Result(name, None, error=exc)
            return
        opened = stream
        importer: Importer | None = None
        try:
            stream, head = _peekable(stream)
            importer = self.importer_for(head, name)
            if conformance and type(importer).conformance is not Importer.conformance:
                data = stream.read()
                found = importer.conformance(data)
                if found:
                    place = f"official {importer.name} schema"
                    error = ValidationError(found, source=name, place=place)
                    yield Result(name, place, error=error, importer=importer)
                stream = io.BytesIO(data)
            count = 0
            for record in importer.read(stream, name):
                count += 1
                if record.error is not None:
                    located = record.error.located(name)
                    yield Result(name, record.place, error=located, importer=importer)
                    continue
                assert record.data is not None, "a record holds data or an error"
                found = schema.problems(record.data)
                if found:
                    error = ValidationError(found, source=name, place=record.place)
                    yield Result(name, record.place, error=error, importer=importer)
                else:
                    article = Article.from_dict(record.data) if self.build else None
                    yield Result(name, record.place, article, data=record.data, importer=importer)
            if count == 0:
                empty = InputError("no articles in it", source=name)
                yield Result(name, None, error=empty, importer=importer)
        except WirekitError as exc:
            yield Result(name, exc.place, error=exc.located(name), importer=importer)
        finally:
            if opened is not sys.stdin.buffer:
                opened.close()

    def read_all(self, sources: list[str | Path]) -> Iterator[Result]:
        for source in sources:
            yield from self.read(source)
