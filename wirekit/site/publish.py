"""The published tree: every article in every format, feeds at the top, kept current cheaply.

An input file whose bytes hash as they did at the last run, and whose articles' files are all
there, is not even read: its articles are taken from the manifest. Every other input is read,
validated and hashed; an article whose hash (its canonical JSON plus a fingerprint of the code,
the config and the chosen formats) matches the manifest, and whose files are all there, is left
alone, and the others go to a process pool that exports and writes them. Collection files (feeds,
the newsMessage, the index page) are drawn from the newest articles and written only when their
bytes change, and not drawn at all when no article changed. An archive (the N-Quads dump) is
assembled from the articles' files of the format it declares (N-Triples), or streamed in a second
reading pass when those are not published.
Every file is written under a temporary name and renamed, so a publish killed at any moment
leaves each file whole (the old version or the new), and the next run finishes the job: the
manifest is written last.

No article content accumulates: articles stream through, the feeds keep only the newest
``feed_size`` (a bounded heap), and the dump, the manifest and the index page are streamed. What
grows is the bookkeeping: one small entry per article (folder, id, hash, headline, date) and one
per input file (its hash and its articles' folders), under 1 KB an article in all.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import heapq
import importlib
import os
import stat
import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from wirekit import audience, layout, registry
from wirekit.audience import PUBLIC, SYNDICATION, State
from wirekit.config import Config
from wirekit.dates import latest, parse, rfc3339, timestamp
from wirekit.errors import ExportError, UsageError, ValidationError, WirekitError
from wirekit.files import (
    atomic_folder,
    atomic_stream,
    inside,
    remove_stale_temporaries,
    safe_name,
    write_chunks_if_changed,
    write_if_changed,
)
from wirekit.model import Article
from wirekit.plugin import Exporter
from wirekit.schema import schema_text
from wirekit.site.manifest import LEGACY, MANIFEST, Entry, Manifest, Source, Teaser
from wirekit.site.manifest import read as read_manifest
from wirekit.site.manifest import write as write_manifest
from wirekit.sources import STDIN, Reader, Result

RUNNING = ".wirekit-publishing"
"""Present while a publish runs: found at the start, it means the last run was killed, and the
tree is swept for its temporary files (a walk of every folder, too slow to do every time)."""
DEFAULT_FEED_SIZE = 100
TOMBSTONE_FORMAT = "html"
"""The format whose file a withdrawn article keeps, as a tombstone: its page."""
NOT_PUBLIC = ".wirekit-not-public.jsonl"
"""The graphs that must not be in a public store, ``{"graph": IRI}`` a line, sorted: every article
of the tree that is not live, and every article that left the tree. ``wirekit load`` deletes
them. Absent when there are none."""
POOL_THRESHOLD = 24
"""Below this many changed articles a process pool costs more to start than it saves."""
IN_FLIGHT_PER_JOB = 8

_Ranked = tuple[float, str, int, str, dict[str, Any] | None]
"""An article in the running for the feeds: time, id and arrival (the order), its folder, and
its canonical dict, or None when its input was not read this run (see :meth:`_newest`)."""


def available_formats() -> tuple[str, ...]:
    """The default tree's formats (installed exporters that declare a published name), plus
    the index page."""
    return (*(cls.name for cls in layout.published()), layout.INDEX)


@dataclass
class Summary:
    """What a publish did, for the closing report and for tests."""

    articles: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    failures: list[str] = field(default_factory=list)
    """One line per problem: file, place and reason."""
    failed_sources: list[str] = field(default_factory=list)
    public: int = 0
    """Of the articles, those live at the run's ``now``: the public outputs show these."""
    next_lift: str | None = None
    """When the next embargo lifts (RFC 3339), if one is in force: publish again then."""


# --- the worker side: one process-wide set of exporters, built once per process -------------

_EXPORTERS: dict[str, Exporter] = {}


def _start_pool_worker(config: Config, formats: tuple[str, ...], show: Callable[..., None]) -> None:
    """The pool's initializer: warnings shown as the parent shows them (the command line's one
    line each, or a library caller's own), whatever way the process was started."""
    warnings.showwarning = show
    _start_worker(config, formats)


def _start_worker(config: Config, formats: tuple[str, ...]) -> None:
    """Build the exporters once per process (in a pool worker, or inline). A page that links
    its sibling formats (``alternates``) links exactly the ones being published."""
    _EXPORTERS.clear()
    for name in formats:
        cls = registry.exporter(name)
        options = {}
        if "alternates" in cls.options:
            options["alternates"] = ",".join(f for f in formats if f != name) or "none"
        _EXPORTERS[name] = cls(config, **options)


def _write_article(data: dict[str, Any], folder: str, state: State) -> tuple[str, int]:
    """Export one article to every single-article format its public ``state`` allows, then
    write the files; return the folder and how many files were written. Every output is made
    before any file is written, so an exporter that fails leaves the article's folder as it was.

    Syndication formats carry every article; public ones only a live one, and a withdrawn one
    gets a tombstone where its page was, so that links to it do not break."""
    article = Article.from_dict(data)
    files = {}
    for exporter in _EXPORTERS.values():
        if state is State.LIVE or exporter.audience == SYNDICATION:
            files[exporter.tree_file()] = exporter.export(article)
        elif state is State.WITHDRAWN and exporter.name == TOMBSTONE_FORMAT:
            from wirekit.formats.html.page import tombstone

            files[exporter.tree_file()] = tombstone(article, exporter.config).encode("utf-8")
    atomic_folder(Path(folder), files)
    return folder, len(files)


# --- the coordinating side --------------------------------------------------------------------


def expand(inputs: Iterable[str | Path]) -> list[str]:
    """Input files: files as given, folders searched (sorted, recursively) for inputs. A
    published tree (it has a manifest) contributes its canonical ``article.json`` files only,
    not the same articles again in every other format."""
    found: list[str] = []
    suffixes = registry.importer_extensions()
    for item in inputs:
        path = Path(item)
        if path.is_dir() and any((path / name).is_file() for name in (MANIFEST, *LEGACY)):
            canonical = registry.exporter("json").tree_file()
            found.extend(str(p) for p in sorted(path.glob(f"{layout.ARTICLES}/*/{canonical}")))
        elif path.is_dir():
            found.extend(
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(".")
            )
        else:
            found.append(str(item))
    return found


def fingerprint(config: Config, formats: Sequence[str]) -> str:
    """A hash of everything but the article that shapes the output: wirekit's code and schema,
    the code of every plugin importer, of every plugin exporter used and of every exporter
    extension, the config and the formats. Changing any of them republishes (importers count
    because an unchanged input is not read again: new importer code must read it anew)."""
    digest = hashlib.sha256()
    modules = set(Path(__file__).parent.rglob("*.py"))
    plugins: list[type[Any]] = [registry.importer(name) for name in registry.names("importer")]
    plugins += [registry.exporter(name) for name in formats if name != layout.INDEX]
    plugins += [type(extension) for extension in registry.extensions()]
    for cls in plugins:
        module = importlib.import_module(cls.__module__)
        if module.__file__:
            modules.add(Path(module.__file__))
    for path in sorted(modules):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    settings = [
        config.base_iri,
        config.base_url,
        config.language,
        config.publisher,
        config.provider,
        config.rights,
        sorted(formats),
    ]
    digest.update(schema_text().encode())
    digest.update(orjson.dumps(settings, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


class Publisher:
    """Publishes inputs into a folder. Options at construction, inputs at :meth:`run`."""

    def __init__(
        self,
        out: Path,
        *,
        config: Config | None = None,
        formats: Sequence[str] | None = None,
        jobs: int | None = None,
        feed_size: int = DEFAULT_FEED_SIZE,
        now: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.out = out
        self.config = config or Config()
        known = available_formats()
        for name in formats or ():
            if name not in known:
                registry.exporter(name)  # an unknown name raises, with a suggestion
        self.formats = tuple(formats) if formats else known
        chosen = {name: registry.exporter(name) for name in self.formats if name != layout.INDEX}
        self.single = tuple(name for name, cls in chosen.items() if not cls.collection)
        self.file_names = tuple(chosen[name].tree_file() for name in self.single)
        self.files_of = {
            state: tuple(
                chosen[name].tree_file()
                for name in self.single
                if state is State.LIVE
                or chosen[name].audience == SYNDICATION
                or (state is State.WITHDRAWN and name == TOMBSTONE_FORMAT)
            )
            for state in State
        }
        """The files an article's folder holds in each public state."""
        self.archives = {name: cls for name, cls in chosen.items() if cls.archive}
        """The collections of every article (the N-Quads dump), streamed rather than drawn
        from the newest articles."""
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.feed_size = feed_size
        self.now = now
        try:
            self.moment = audience.moment(now)
        except ValueError as exc:
            raise UsageError(f"--now: {exc}") from None
        """The instant every article's public state is judged at (the real clock unless
        ``now`` is given)."""
        self.feeds = {
            name: self._collection_exporter(name)
            for name, cls in chosen.items()
            if cls.collection and not cls.archive
        }
        """The collection exporters other than the archives, by format, with their file names:
        built here, so a feed that cannot be made (no title for it) is misuse found before
        any article is written."""
        self.progress = progress or (lambda done: None)
        self.summary = Summary()
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: list[tuple[dict[str, Any], str, State]] = []
        self._futures: list[tuple[str, Future[tuple[str, int]]]] = []
        self._sources_of: dict[str, str] = {}
        self._broken: set[str] = set()
        """Folders of articles an exporter refused this run: left out of the collections."""
        self._seen = 0
        self._pages: tuple[str, ...] = ()
        """The index pages of the tree (see :attr:`Manifest.pages`)."""

    # -- one run -------------------------------------------------------------------------------

    def run(self, inputs: Iterable[str | Path]) -> Summary:
        """Publish every input; return what happened. Bad inputs are reported, not raised."""
        self.out.mkdir(parents=True, exist_ok=True)
        running = self.out / RUNNING
        if running.exists():  # the last run was killed: sweep the temporary files it left
            remove_stale_temporaries(self.out)
        running.touch()
        sources = expand(inputs)
        stamp = fingerprint(self.config, self.formats)
        before = self._load_manifest(stamp)
        old = before.articles
        self._pages = before.pages
        entries: dict[str, Entry] = {}
        newest: dict[str, list[_Ranked]] = {PUBLIC: [], SYNDICATION: []}
        read: dict[str, Source] = {}
        _start_worker(self.config, self.single)
        reader = Reader(self.config, build=False)
        try:
            for source in sources:
                record = self._publish_source(source, reader, stamp, before, entries, newest)
                if record is not None:
                    read[source] = record
            self._drain()
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
        for folder in self._broken:
            del entries[folder]
        self._keep_entries_of_failed_sources(entries, old)
        self._remove_stale(entries, old)
        self._write_not_public(entries, old)
        changed = entries.keys() != old.keys() or any(
            old[folder].hash != entry.hash for folder, entry in entries.items()
        )
        settings = self._collection_settings()
        if changed or before.collections != settings or not self._collections_there():
            self._write_collections(newest, entries, sources, changed)
        else:
            self.summary.unchanged += len(self.collection_files)
        failed = set(self.summary.failed_sources)
        kept = {source: record for source, record in read.items() if source not in failed}
        # written last; the next run may skip only the inputs read whole without a failure,
        # and draws the collections again after a run with failures
        lift = audience.next_lift(
            (e.embargo for e in entries.values() if e.state == State.EMBARGOED), self.moment
        )
        self.summary.next_lift = None if lift is None else rfc3339(lift)
        collections = None if failed else settings
        lines = Manifest(stamp, collections, kept, entries, self._pages, self.summary.next_lift)
        write_manifest(self.out / MANIFEST, lines)
        running.unlink()
        self.summary.articles = len(entries)
        self.summary.public = sum(e.state == State.LIVE for e in entries.values())
        return self.summary

    def _publish_source(
        self,
        source: str,
        reader: Reader,
        stamp: str,
        before: Manifest,
        entries: dict[str, Entry],
        newest: dict[str, list[_Ranked]],
    ) -> Source | None:
        """One input: its articles taken from the manifest when its bytes have not changed,
        else read and taken one by one. Returns what the manifest should remember of it."""
        digest = _digest(source)
        known = before.sources.get(source)
        if (
            known is not None
            and known.digest == digest
            and self._reusable(known, before, entries)
            and not self._lifted(known, before)
        ):
            for folder in known.folders:
                entry = entries[folder] = before.articles[folder]
                self._seen += 1
                self.summary.unchanged += len(entry.files)
                self._remember_newest(newest, entry, None)
                self.progress(self._seen)
            return known
        folders = [
            taken
            for result in reader.read(source)
            if (taken := self._take(result, stamp, before.articles, entries, newest)) is not None
        ]
        return None if digest is None else Source(digest, tuple(folders))

    def _reusable(self, known: Source, before: Manifest, entries: dict[str, Entry]) -> bool:
        """Whether an unchanged input's articles can be taken as the manifest has them: their
        files are all there, and no earlier input has claimed one of their folders this run."""
        articles = self.out / layout.ARTICLES
        return not any(
            folder not in before.articles
            or folder in entries
            or not _holds(articles / folder, before.articles[folder].files)
            for folder in known.folders
        )

    def _lifted(self, known: Source, before: Manifest) -> bool:
        """Whether an embargo on one of an unchanged input's articles has lifted since the last
        run: its articles must then be taken anew, to go public. The manifest's earliest embargo
        makes this one comparison on nearly every run."""
        if before.next_lift is None or parse(before.next_lift) > self.moment:
            return False
        return any(
            (entry := before.articles.get(folder)) is not None
            and entry.state == State.EMBARGOED
            and entry.embargo is not None
            and parse(entry.embargo) <= self.moment
            for folder in known.folders
        )

    def _take(
        self,
        result: Result,
        stamp: str,
        old: dict[str, Entry],
        entries: dict[str, Entry],
        newest: dict[str, list[_Ranked]],
    ) -> str | None:
        """One read result: report it, or decide whether its files must be written. Returns
        the article's folder, None for a failure."""
        self._seen += 1
        if result.error is not None:
            self._fail(result.source, result.error)
            return None
        data = result.data
        assert data is not None
        folder = _folder_of(data)
        if folder in entries:
            first = entries[folder].source
            message = f"article folder {folder!r} is already used by {first}; change a slug"
            self._fail(result.source, WirekitError(message, place=result.place))
            return None
        state = audience.public_state(data, self.moment)
        content = hashlib.sha256(
            f"{stamp} {state}".encode() + orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
        ).hexdigest()
        date = latest(data.get("dateModified"), data.get("datePublished"), data.get("dateCreated"))
        entry = Entry(
            folder, data["id"], result.source, content, data["headline"], date, self.files_of[state]
        )
        embargo = data.get("embargoedUntil")
        entry = dataclasses.replace(entry, state=state, embargo=embargo, teaser=Teaser.of(data))
        entries[folder] = entry
        self._remember_newest(newest, entry, data)
        target = self._folder(folder)
        if self._unchanged(entry, old.get(folder), target):
            self.summary.unchanged += len(entry.files)
            self.progress(self._seen)
        else:
            self._dispatch(data, target, result.source, state)
        return folder

    def _fail(self, source: str, error: WirekitError) -> None:
        if isinstance(error, ValidationError):
            prefix = ": ".join(p for p in (error.source, error.place) if p)
            self.summary.failures.extend(f"{prefix}: {problem}" for problem in error.problems)
        else:
            self.summary.failures.append(str(error.located(source)))
        self.summary.failed_sources.append(source)
        self.progress(self._seen)

    def _remember_newest(
        self, heaps: dict[str, list[_Ranked]], entry: Entry, data: dict[str, Any] | None
    ) -> None:
        """Keep the newest ``feed_size`` articles in bounded min-heaps whose top is the oldest
        kept, so memory does not grow with the archive. Ties go by id, for determinism. The
        dicts are kept, not Articles: only the few that stay need building. Syndication
        collections draw on every article, public ones on the live ones only."""
        ranked = (_timestamp(entry.date), entry.id, self._seen, entry.folder, data)
        _push(heaps[SYNDICATION], ranked, self.feed_size)
        if entry.state == State.LIVE:
            _push(heaps[PUBLIC], ranked, self.feed_size)

    def _newest(self, heap: list[_Ranked], entries: dict[str, Entry]) -> list[Article]:
        """The feeds' articles, newest first, leaving out any an exporter refused. An article
        of an input that was not read this run (it had not changed) is read again here: only
        the inputs holding the newest few, and only when some article changed."""
        ranked = [r for r in sorted(heap, reverse=True) if r[3] in entries]
        missing = {r[3] for r in ranked if r[4] is None}
        found: dict[str, dict[str, Any]] = {}
        reader = Reader(self.config, build=False)
        for source in sorted({entries[folder].source for folder in missing}):
            for result in reader.read(source):
                data = result.data
                folder = _folder_of(data) if data is not None else None
                if data is not None and folder in missing and entries[folder].id == data["id"]:
                    found[folder] = data
        chosen = (data or found.get(folder) for *_, folder, data in ranked)
        return [Article.from_dict(data) for data in chosen if data is not None]

    @staticmethod
    def _unchanged(entry: Entry, before: Entry | None, target: Path) -> bool:
        return (
            before is not None
            and before.hash == entry.hash
            and before.files == entry.files
            and _holds(target, entry.files)
        )

    def _folder(self, folder: str) -> Path:
        return inside(self.out / layout.ARTICLES, folder)

    # -- writing articles, inline or in a pool -------------------------------------------------

    def _dispatch(self, data: dict[str, Any], folder: Path, source: str, state: State) -> None:
        target = str(folder)
        self._sources_of[target] = source
        if self._pool is None and self.jobs > 1:
            self._waiting.append((data, target, state))
            if len(self._waiting) >= POOL_THRESHOLD:
                self._pool = ProcessPoolExecutor(
                    self.jobs,
                    initializer=_start_pool_worker,
                    initargs=(self.config, self.single, warnings.showwarning),
                )
                for waiting in self._waiting:
                    self._submit(*waiting)
                self._waiting.clear()
        elif self._pool is not None:
            self._submit(data, target, state)
        else:
            self._collect(target, functools.partial(_write_article, data, target, state))

    def _submit(self, data: dict[str, Any], target: str, state: State) -> None:
        assert self._pool is not None
        while len(self._futures) >= self.jobs * IN_FLIGHT_PER_JOB:
            self._collect(*self._futures.pop(0))
        self._futures.append((target, self._pool.submit(_write_article, data, target, state)))

    def _collect(
        self, target: str, work: Future[tuple[str, int]] | Callable[[], tuple[str, int]]
    ) -> None:
        """Count a finished article, or report it: an exporter's own error (or a lossy
        conversion under --strict) fails that article alone."""
        source = self._sources_of.pop(target)  # kept only while in flight: memory stays flat
        try:
            _, count = work.result() if isinstance(work, Future) else work()
        except (WirekitError, Warning) as exc:
            error = exc if isinstance(exc, WirekitError) else WirekitError(str(exc))
            self._fail(source, error)
            self._broken.add(Path(target).name)
            return
        self.summary.written += count
        self.progress(self._seen)

    def _drain(self) -> None:
        for data, target, state in self._waiting:
            self._collect(target, functools.partial(_write_article, data, target, state))
        self._waiting.clear()
        while self._futures:
            self._collect(*self._futures.pop(0))

    # -- what goes away, what stays ------------------------------------------------------------

    def _keep_entries_of_failed_sources(
        self, entries: dict[str, Entry], old: dict[str, Entry]
    ) -> None:
        """An article that was published and whose source now fails keeps its published files:
        a bad edit must not take a story off the site."""
        failed = set(self.summary.failed_sources)
        for folder, entry in old.items():
            if entry.source in failed and folder not in entries:
                entries[folder] = entry

    def _remove_stale(self, entries: dict[str, Entry], old: dict[str, Entry]) -> None:
        """Remove what the manifest says we wrote for articles whose source is gone, and files of
        formats no longer chosen."""
        for folder, entry in old.items():
            now = entries.get(folder)
            if now is not None and now.files == entry.files:  # the common case: nothing to do
                continue
            keep = set(now.files) if now is not None else set()
            target = self._folder(folder)
            for name in entry.files:
                if name not in keep and (target / name).is_file():
                    (target / name).unlink()
                    self.summary.removed += 1
            if folder not in entries and target.is_dir() and not any(target.iterdir()):
                target.rmdir()

    def _write_not_public(self, entries: dict[str, Entry], old: dict[str, Entry]) -> None:
        """The list of graphs a public store must not hold (:data:`NOT_PUBLIC`): the articles
        of the tree that are not live, those that left it this run, and those listed before,
        less every live one. ``wirekit load`` deletes them."""
        from wirekit.formats.schemaorg.mapping import id_iri

        path = self.out / NOT_PUBLIC
        live = {id_iri(e.id, self.config) for e in entries.values() if e.state == State.LIVE}
        hidden = {id_iri(e.id, self.config) for e in entries.values() if e.state != State.LIVE}
        gone = {id_iri(e.id, self.config) for f, e in old.items() if f not in entries}
        iris = sorted((set(not_public(self.out)) | hidden | gone) - live)
        if iris:
            lines = (orjson.dumps({"graph": iri}, option=orjson.OPT_APPEND_NEWLINE) for iri in iris)
            write_if_changed(path, b"".join(lines))
        else:
            path.unlink(missing_ok=True)

    # -- collections ---------------------------------------------------------------------------

    @property
    def collection_files(self) -> list[str]:
        """The files at the top of the tree that this publish draws."""
        names = [file_name for file_name, _ in self.feeds.values()]
        names.extend(cls.tree_file() for cls in self.archives.values())
        if layout.INDEX in self.formats:
            names.append(layout.INDEX_FILE)
        return names

    def _collection_settings(self) -> dict[str, Any]:
        """What shapes the collections besides the articles and the fingerprint: a change of
        either redraws them even when no article changed."""
        return {"feed_size": self.feed_size, "now": self.now}

    def _collections_there(self) -> bool:
        return all((self.out / name).is_file() for name in self.collection_files)

    def _write_collections(
        self,
        newest: dict[str, list[_Ranked]],
        entries: dict[str, Entry],
        sources: list[str],
        changed: bool,
    ) -> None:
        drawn: dict[str, list[Article]] = {}
        for name in self.formats:
            if name == layout.INDEX:
                live = [e for e in entries.values() if e.state == State.LIVE]
                self._write_index(sorted(live, key=_newest_first_entry))
            elif name in self.archives:
                self._write_archive(self.archives[name], sources, entries, changed)
            elif name in self.feeds:
                file_name, exporter = self.feeds[name]
                side = SYNDICATION if exporter.audience == SYNDICATION else PUBLIC
                if side not in drawn:
                    drawn[side] = self._newest(newest[side], entries)
                try:
                    data = exporter.export_collection(drawn[side])
                except ExportError as exc:  # e.g. an Atom feed with no dated article at all
                    self._drop_collection(file_name, exc)
                    continue
                self._write_top(file_name, data)

    def _write_index(self, ordered: list[Entry]) -> None:
        """The front page and the section pages, each paged; the pages of the last run that
        are not drawn again (a section gone, an archive shrunk) are removed."""
        from wirekit.site.index_page import pages

        written = []
        for name, page in pages(ordered, self.config, self.formats):
            path = self._under(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._count(write_chunks_if_changed(path, page))
            written.append(name)
        for name in sorted(set(self._pages) - set(written)):
            path = self._under(name)
            if path.is_file():
                path.unlink()
                self.summary.removed += 1
                folder = path.parent
                while folder != self.out and not any(folder.iterdir()):  # sections/<name>/
                    folder.rmdir()
                    folder = folder.parent
        self._pages = tuple(written)

    def _under(self, name: str) -> Path:
        """``name`` (``a/b/c``) inside the tree, each part checked by :func:`inside`."""
        path = self.out
        for part in name.split("/"):
            path = inside(path, part)
        return path

    def _drop_collection(self, file_name: str, error: ExportError) -> None:
        """A collection that cannot be drawn must not keep stale content: its old file goes
        (it is one of this publish's collection files), and the failure is reported."""
        path = self.out / file_name
        if path.is_file():
            path.unlink()
            self.summary.removed += 1
        self.summary.failures.append(f"{path}: {error}")

    def _collection_exporter(self, name: str) -> tuple[str, Exporter]:
        cls = registry.exporter(name)
        file_name = cls.tree_file()
        options = {}
        if self.now and "now" in cls.options:
            options["now"] = self.now
        if "updated" in cls.options:  # a feed left with nothing to list is still drawn, empty
            options["updated"] = rfc3339(self.moment)
        if self.config.base_url and "feed_url" in cls.options:  # the feed's self link
            options["feed_url"] = f"{self.config.base_url.rstrip('/')}/{file_name}"
        return file_name, cls(self.config, **options)

    def _write_top(self, file_name: str, data: bytes) -> None:
        self._count(write_if_changed(self.out / file_name, data))

    def _count(self, written: bool) -> None:
        if written:
            self.summary.written += 1
        else:
            self.summary.unchanged += 1

    def _write_archive(
        self,
        cls: type[Exporter],
        sources: list[str],
        entries: dict[str, Entry],
        changed: bool,
    ) -> None:
        """Every article in one file (the N-Quads dump: each article's named graph), written
        only when some article changed (or the file is missing). It holds the articles the
        tree holds: not those that failed, nor a second one claiming a folder."""
        path = self.out / cls.tree_file()
        if not changed and path.is_file():
            self.summary.unchanged += 1
            return
        exporter = cls(self.config)
        source = registry.exporter(cls.assembled_from) if cls.assembled_from else None
        with atomic_stream(path) as stream:
            if source is not None and source.tree_file() in self.file_names:
                self._assemble(exporter, source.tree_file(), stream, entries)
            else:
                self._stream_archive(exporter, stream, sources, entries)
        self.summary.written += 1

    def _assemble(
        self, exporter: Exporter, name: str, stream: BinaryIO, entries: dict[str, Entry]
    ) -> None:
        """An archive from the articles' published files it is assembled from (N-Quads from
        the N-Triples), so no article is read or mapped again."""
        articles = self.out / layout.ARTICLES
        for folder, entry in entries.items():
            if name not in entry.files:  # kept from a run with other formats: its source fails
                continue
            path = articles / folder / name
            try:
                part = path.read_bytes()
            except OSError as exc:
                where = exporter.tree_file()
                self.summary.failures.append(f"{path}: not in {where}: {exc.strerror or exc}")
                continue
            stream.write(exporter.assemble(part, entry.id))

    def _stream_archive(
        self, exporter: Exporter, stream: BinaryIO, sources: list[str], entries: dict[str, Entry]
    ) -> None:
        """An archive when what it is assembled from is not published: every input read again,
        in a second streaming pass; an article the archive cannot write fails alone."""
        for result in Reader(self.config).read_all(list(sources)):
            if result.article is None or result.data is None:
                continue
            entry = entries.get(_folder_of(result.data))
            if entry is None or entry.source != result.source or entry.id != result.article.id:
                continue
            if exporter.audience == PUBLIC and entry.state != State.LIVE:
                continue
            try:
                stream.write(exporter.export(result.article))
            except ExportError as exc:  # not in the manifest, so the next run tries again
                self._fail(result.source, exc.located(result.source))
                del entries[_folder_of(result.data)]

    # -- the manifest --------------------------------------------------------------------------

    def _load_manifest(self, stamp: str) -> Manifest:
        """The previous run's record; when the code, config or formats changed since, only its
        articles (so stale folders are still removed), every one forced to be rewritten."""
        before = read_manifest(self.out / MANIFEST)
        if before.fingerprint == stamp:
            return before
        forced = {folder: dataclasses.replace(e, hash="") for folder, e in before.articles.items()}
        return Manifest(articles=forced, pages=before.pages)


def not_public(tree: Path) -> list[str]:
    """The graph IRIs a published tree says a public store must not hold (:data:`NOT_PUBLIC`);
    none when it has no such list or it cannot be read (the next publish writes it anew)."""
    try:
        with (tree / NOT_PUBLIC).open("rb") as stream:
            return [str(orjson.loads(line)["graph"]) for line in stream if line.strip()]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return []


def _digest(source: str) -> str | None:
    """A hash of an input file's bytes; None for stdin, anything but a regular file (a device
    such as /dev/zero never ends, a FIFO blocks) or a file that cannot be read: reading it
    will say why."""
    try:
        if source == STDIN or not stat.S_ISREG(os.stat(source).st_mode):
            return None
        with open(source, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def _folder_of(data: dict[str, Any]) -> str:
    """The folder an article is published in: its slug, or else its id, made safe."""
    return safe_name(data.get("slug") or data["id"])


def _holds(folder: Path, names: tuple[str, ...]) -> bool:
    """Whether a folder holds all these files: one directory read instead of a stat each."""
    try:
        return set(names) <= set(os.listdir(folder))
    except FileNotFoundError:
        return False


def _timestamp(value: str | None) -> float:
    """Seconds since the epoch of a model date (see :mod:`wirekit.dates`); no date at all
    counts as older than everything."""
    return float("-inf") if value is None else timestamp(value)


def _newest_first_entry(entry: Entry) -> tuple[float, str]:
    return (-_timestamp(entry.date), entry.id)


def _push(heap: list[_Ranked], ranked: _Ranked, size: int) -> None:
    """Keep ``ranked`` in a min-heap of at most ``size``, whose top is the oldest kept."""
    if len(heap) < size:
        heapq.heappush(heap, ranked)
    elif ranked[:2] > heap[0][:2]:
        heapq.heapreplace(heap, ranked)
