"""The publish manifest: what the last ``wirekit publish`` of a tree wrote, so the next one can
leave alone what has not changed (see :mod:`wirekit.site.publish`).

It is JSON Lines, one record a line, sorted: read and written a line at a time, so a tree of a
million articles never needs its manifest parsed as one document (a whole-document parse peaks
at many times the file's size), and in a committed tree a change shows as the lines of the
articles that changed. A header, then one line per input file read whole without a failure,
then one per article::

    {"manifest":"wirekit publish","version":3,"fingerprint":"...","collections":{...}}
    {"input":"seeds/a.txt","digest":"<sha256 of its bytes>","folders":["a"]}
    {"folder":"a","id":"...","source":"seeds/a.txt","hash":"...","headline":"...",...}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from wirekit.files import write_chunks_if_changed

MANIFEST = ".wirekit-manifest.jsonl"
LEGACY = (".wirekit-manifest.json",)
"""Names earlier versions gave the manifest: they still mark a folder as a published tree, and
go when a manifest is written (the tree is then republished whole, being of no known version)."""
VERSION = 3
TEASER_LIMIT = 240
"""Characters of a summary the manifest keeps for the front page."""
_KIND = "wirekit publish"


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
    next_lift: str | None = None
    """The earliest embargo still in force at that run's ``now``: a run at or after it must read
    the embargoed articles' inputs again, changed or not, so that they go public."""


def read(path: Path) -> Manifest:
    """The manifest at ``path``; an empty one when it is missing, damaged or of another version
    (the next publish then rewrites every article, which is always safe). A value repeated on
    every line (a file list, the archive an article came from) is kept once in memory."""
    sources: dict[str, Source] = {}
    articles: dict[str, Entry] = {}
    shared: dict[Any, Any] = {}
    try:
        with path.open("rb") as stream:
            header = orjson.loads(stream.readline())
            if header.get("manifest") != _KIND or header.get("version") != VERSION:
                return Manifest()
            for line in stream:
                record = orjson.loads(line)
                if "folder" in record:
                    files = tuple(record["files"])
                    articles[record["folder"]] = Entry(
                        record["folder"],
                        record["id"],
                        shared.setdefault(record["source"], record["source"]),
                        record["hash"],
                        record["headline"],
                        record["date"],
                        shared.setdefault(files, files),
                        record.get("state", "live"),
                        record.get("embargo"),
                        Teaser(**record["teaser"]) if record.get("teaser") else None,
                    )
                else:
                    sources[record["input"]] = Source(record["digest"], tuple(record["folders"]))
    except (OSError, orjson.JSONDecodeError, AttributeError, KeyError, TypeError):
        return Manifest()
    return Manifest(
        header["fingerprint"],
        header.get("collections"),
        sources,
        articles,
        tuple(header.get("pages", ())),
        header.get("next_lift"),
    )


def write(path: Path, manifest: Manifest) -> bool:
    """Write the manifest a line at a time, atomically, unless it holds these bytes already;
    True if written."""
    for name in LEGACY:
        (path.parent / name).unlink(missing_ok=True)
    return write_chunks_if_changed(path, _lines(manifest))


def _lines(manifest: Manifest) -> Iterator[bytes]:
    header = {
        "manifest": _KIND,
        "version": VERSION,
        "fingerprint": manifest.fingerprint,
        "collections": manifest.collections,
        "next_lift": manifest.next_lift,
        "pages": manifest.pages,
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


def _line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


def _teaser(teaser: Teaser) -> dict[str, str]:
    return {
        name: value
        for name in ("language", "summary", "byline", "section")
        if (value := getattr(teaser, name)) is not None
    }
