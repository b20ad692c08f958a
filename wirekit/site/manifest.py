"""The publish manifest: what the last ``wirekit publish`` of a tree wrote, so the next one can
leave alone what has not changed (see :mod:`wirekit.site.publish`).

It is JSON Lines, one record a line, sorted: read and written a line at a time, so a tree of a
million articles never needs its manifest parsed as one document (a whole-document parse peaks
at many times the file's size), and in a committed tree a change shows as the lines of the
articles that changed. A header, then one line per input file read whole without a failure,
then one per article::

    {"manifest":"wirekit publish","version":5,"fingerprint":"...","collections":{...},...}
    {"input":"seeds/a.txt","digest":"<sha256 of its bytes>","folders":["a"]}
    {"folder":"a","id":"...","source":"seeds/a.txt","hash":"...","headline":"...",...}
    {"end":3,"sha256":"<sha256 of the lines before>"}

The manifest is untrusted input: trees are committed and shared. Every line is checked against
the schema of its kind, folders and file names are proved harmless, and a manifest cut short is
told by its missing last line (see :func:`read`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import orjson

from wirekit import layout
from wirekit.errors import WirekitError
from wirekit.files import write_chunks_if_changed

MANIFEST = ".wirekit-manifest.jsonl"
LEGACY = (".wirekit-manifest.json",)
"""Names earlier versions gave the manifest: they still mark a folder as a published tree, and
go when a manifest is written (the tree is then republished whole, being of no known version)."""
VERSION = 5
TEASER_LIMIT = 240
"""Characters of a summary the manifest keeps for the front page."""
_KIND = "wirekit publish"
_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_FOLDER = {"type": "string", "pattern": "^[a-z0-9]([a-z0-9_-]{0,98}[a-z0-9])?$"}
"""A folder as :func:`~wirekit.files.safe_name` makes them: one path segment of lower-case ASCII
letters, digits, ``-`` and ``_``, so it can never name a place outside ``articles/``."""
_PAGE = rf"^({layout.SECTIONS}/[a-z0-9][a-z0-9_-]{{0,99}}/)?{layout.INDEX_PAGE}$"
"""The index pages a tree has (the front page's and each section's, paged): a manifest naming
any other file as a page must not get it removed."""
_FILE = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$"}
"""A file at the top of the tree: one path segment, no hidden or parent name."""


@dataclass(frozen=True, slots=True)
class Teaser:
    """An article as a news front page lists it, besides its headline and date: kept in the
    manifest (a few hundred bytes) so the index never needs the article itself."""

    language: str
    summary: str | None = None
    """The summary, cut to :data:`TEASER_LIMIT` characters."""
    byline: str | None = None
    section: str | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> Teaser:
        summary = " ".join(str(data.get("summary") or "").split()) or None
        if summary is not None and len(summary) > TEASER_LIMIT:
            summary = summary[: TEASER_LIMIT - 1].rstrip() + "…"
        names = ", ".join(str(person["name"]) for person in data.get("authors", ()))
        return cls(str(data["language"]), summary, names or None, data.get("section"))


_RECORDS: dict[str, dict[str, Any]] = {
    "manifest": {
        "type": "object",
        "required": [
            "manifest",
            "version",
            "fingerprint",
            "collections",
            "next_lift",
            "pages",
            "collection_files",
        ],
        "additionalProperties": False,
        "properties": {
            "manifest": {"const": _KIND},
            "version": {"type": "integer"},
            "fingerprint": {"type": "string", "pattern": "^([0-9a-f]{64})?$"},
            "collections": {"type": ["object", "null"]},
            "next_lift": {"type": ["string", "null"]},
            "pages": {"type": "array", "items": {"type": "string", "pattern": _PAGE}},
            "collection_files": {"type": "array", "items": _FILE, "uniqueItems": True},
        },
    },
    "input": {
        "type": "object",
        "required": ["input", "digest", "folders"],
        "additionalProperties": False,
        "properties": {
            "input": {"type": "string", "minLength": 1},
            "digest": _HEX64,
            "folders": {"type": "array", "items": _FOLDER},
        },
    },
    "folder": {
        "type": "object",
        "required": [
            "folder",
            "id",
            "source",
            "hash",
            "headline",
            "date",
            "files",
            "state",
            "embargo",
            "teaser",
        ],
        "additionalProperties": False,
        "properties": {
            "folder": _FOLDER,
            "id": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1},
            "hash": {"type": "string", "pattern": "^([0-9a-f]{64})?$"},
            "headline": {"type": "string"},
            "date": {"type": ["string", "null"]},
            "files": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            "state": {"enum": ["live", "embargoed", "withheld", "withdrawn"]},
            "embargo": {"type": ["string", "null"]},
            "teaser": {
                "type": ["object", "null"],
                "required": ["language"],
                "additionalProperties": False,
                "properties": {member.name: {"type": "string"} for member in fields(Teaser)},
            },
        },
    },
    "end": {
        "type": "object",
        "required": ["end", "sha256"],
        "additionalProperties": False,
        "properties": {"end": {"type": "integer", "minimum": 0}, "sha256": _HEX64},
    },
}
"""A JSON Schema for each kind of record, told apart by its first key: the manifest is
untrusted input (trees are committed and shared, and a hand edit must not steer a delete)."""


class ManifestError(WirekitError):
    """The manifest is damaged, truncated or edited into something wirekit did not write."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What the manifest and the index page remember of one article."""

    folder: str
    id: str
    source: str
    hash: str
    """A hash of the article's canonical JSON and of the code, config and formats that shaped
    its files: equal hashes, equal files."""
    headline: str
    date: str | None
    files: tuple[str, ...]
    state: str = "live"
    """Its :class:`wirekit.audience.State` at the run's ``now``: public outputs list live ones."""
    embargo: str | None = None
    """Its ``embargoedUntil``, so a later run with unchanged input knows when it lifts."""
    teaser: Teaser | None = None
    """What the front page shows of it besides headline and date."""


@dataclass(frozen=True, slots=True)
class Source:
    """An input file read whole without a failure: a hash of its bytes and the folders of its
    articles, in order. The same bytes next time mean the same articles, without reading."""

    digest: str
    folders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Manifest:
    """A run's record; empty for a tree never published."""

    fingerprint: str = ""
    collections: dict[str, Any] | None = None
    """The feed settings the collections were drawn with; None when that run had failures."""
    sources: dict[str, Source] = field(default_factory=dict)
    articles: dict[str, Entry] = field(default_factory=dict)
    pages: tuple[str, ...] = ()
    """The index pages written (the front page's and each section's, paged): a page no
    longer drawn is removed, as one that wirekit can prove it wrote."""
    collection_files: tuple[str, ...] = ()
    """The collections at the top of the tree that wirekit wrote (feeds, the newsMessage, the
    dump), by file name: one no longer drawn is removed, and a file at such a name that is
    listed neither here nor in :attr:`pages` is someone else's, never written over."""
    next_lift: str | None = None
    """The earliest embargo still in force at that run's ``now``: a run at or after it must read
    the embargoed articles' inputs again, changed or not, so that they go public."""
    recorded: bool = field(default=False, compare=False)
    """Whether this is a record read from the tree (a whole manifest of this version), not
    written to it: only a record can tell wirekit's files from someone else's (a first run,
    or one after a damaged or older manifest, has none to go by)."""


def read(path: Path, files: Collection[str] = (), collections: Collection[str] = ()) -> Manifest:
    """The manifest at ``path``; an empty one when there is none.

    Raises :class:`ManifestError`, naming the line, when it is not what wirekit writes: a
    record its schema refuses, a folder that is not one safe path segment, a file name no
    exporter declares (``files`` in an article's folder, ``collections`` at the top), a
    missing or wrong last line (a truncated or edited file).
    An older version is no error: its articles are republished. A value repeated on every
    line (a file list, the archive an article came from) is kept once in memory."""
    sources: dict[str, Source] = {}
    articles: dict[str, Entry] = {}
    shared: dict[Any, Any] = {}
    allowed = frozenset(files)
    digest = hashlib.sha256()
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        return Manifest()
    except OSError as exc:
        raise ManifestError(exc.strerror or str(exc), source=str(path)) from None
    with stream:
        header: dict[str, Any] | None = None
        end: dict[str, Any] | None = None
        for number, line in enumerate(stream, 1):
            record = _record(path, number, line, end is not None)
            if header is None:
                if "manifest" not in record:
                    raise _damaged(path, number, "the first line is not the manifest's header")
                if record["version"] != VERSION:
                    return Manifest()  # another version: every article is written again
                _check_names(path, number, record["collection_files"], collections)
                header = record
            elif "end" in record:
                if record["end"] != number - 1 or record["sha256"] != digest.hexdigest():
                    raise _damaged(path, number, "the last line does not match the lines before")
                end = record
                continue
            elif "folder" in record:
                entry = _entry(path, number, record, allowed, shared)
                articles[entry.folder] = entry
            elif "input" in record:
                sources[record["input"]] = Source(record["digest"], tuple(record["folders"]))
            else:
                raise _damaged(path, number, "a second header")
            digest.update(line)
    if header is None or end is None:
        raise _damaged(path, None, "truncated: its last line is missing")
    return Manifest(
        header["fingerprint"],
        header["collections"],
        sources,
        articles,
        tuple(header["pages"]),
        tuple(header["collection_files"]),
        header["next_lift"],
        recorded=True,
    )


def _record(path: Path, number: int, line: bytes, ended: bool) -> dict[str, Any]:
    """One line, checked against the schema of its kind."""
    if ended:
        raise _damaged(path, number, "a line after the last line")
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise _damaged(path, number, "not JSON") from None
    kind = next(iter(record), None) if isinstance(record, dict) else None
    if kind not in _RECORDS:
        raise _damaged(path, number, "not a manifest record")
    validator = _validator(kind)
    error = None if validator.is_valid(record) else next(validator.iter_errors(record), None)
    if error is not None:
        where = "/".join(str(part) for part in error.instance_path)
        raise _damaged(path, number, f"/{where}: {error.message}")
    return record  # type: ignore[no-any-return]


def _entry(
    path: Path, number: int, record: dict[str, Any], allowed: frozenset[str], shared: dict[Any, Any]
) -> Entry:
    """An article's record, once its file names are proved harmless (its folder, one safe path
    segment, the schema proved): every file a name an exporter declares, so deleting them can
    never reach outside the article's folder."""
    folder = record["folder"]
    files = tuple(record["files"])
    _check_names(path, number, files, allowed)
    return Entry(
        folder,
        record["id"],
        shared.setdefault(record["source"], record["source"]),
        record["hash"],
        record["headline"],
        record["date"],
        shared.setdefault(files, files),
        record["state"],
        record["embargo"],
        Teaser(**record["teaser"]) if record["teaser"] else None,
    )


def _check_names(path: Path, number: int, names: Iterable[str], allowed: Collection[str]) -> None:
    """Every file name a record lists is one an exporter declares (when ``allowed`` is
    given): a hand-edited name must never steer a removal to another file."""
    strange = [name for name in names if name not in allowed]
    if allowed and strange:
        raise _damaged(path, number, f"file {strange[0]!r} is not one an exporter writes")


def _damaged(path: Path, number: int | None, reason: str) -> ManifestError:
    return ManifestError(reason, source=str(path), place=f"line {number}" if number else None)


@functools.cache
def _validator(kind: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_RECORDS[kind])


def write(path: Path, manifest: Manifest) -> bool:
    """Write the manifest a line at a time, atomically, unless it holds these bytes already;
    True if written."""
    for name in LEGACY:
        (path.parent / name).unlink(missing_ok=True)
    return write_chunks_if_changed(path, _lines(manifest))


def _records(manifest: Manifest) -> Iterator[bytes]:
    header = {
        "manifest": _KIND,
        "version": VERSION,
        "fingerprint": manifest.fingerprint,
        "collections": manifest.collections,
        "next_lift": manifest.next_lift,
        "pages": manifest.pages,
        "collection_files": manifest.collection_files,
    }
    yield _line(header)
    for name in sorted(manifest.sources):
        source = manifest.sources[name]
        yield _line({"input": name, "digest": source.digest, "folders": source.folders})
    for folder in sorted(manifest.articles):
        entry = manifest.articles[folder]
        yield _line(
            {
                "folder": entry.folder,
                "id": entry.id,
                "source": entry.source,
                "hash": entry.hash,
                "headline": entry.headline,
                "date": entry.date,
                "files": entry.files,
                "state": entry.state,
                "embargo": entry.embargo,
                "teaser": None if entry.teaser is None else _teaser(entry.teaser),
            }
        )


def _lines(manifest: Manifest) -> Iterator[bytes]:
    """The records, then a last line with their count and a hash of their bytes: a manifest
    cut short (or edited by hand) is then told from one that is whole."""
    digest = hashlib.sha256()
    count = 0
    for line in _records(manifest):
        digest.update(line)
        count += 1
        yield line
    yield _line({"end": count, "sha256": digest.hexdigest()})


def _line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


def _teaser(teaser: Teaser) -> dict[str, str]:
    return {
        member.name: value
        for member in fields(teaser)
        if (value := getattr(teaser, member.name)) is not None
    }
