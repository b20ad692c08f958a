"""Publishing in three public stages, so that a local run and a cluster run share one logic.

::

    plan(inputs, out, ...)  -> Plan     expand the inputs in a stable order, number the inputs
                                        and the records in them, compute the fingerprint
    plan.tasks()            -> Row|Task read the inputs a record at a time: a Row for what needs
                                        no work (unchanged, reused, or failed), a Task to map
    map_partition(s, tasks) -> [Row]    convert and write one partition's articles atomically;
                                        one row an article, failures as data, never raised
    reduce(plan, rows)      -> Summary  order the rows, settle duplicate ids, remove what went,
                                        write the collections and, last, the manifest

:func:`map_partition` is a plain module-level function of picklable arguments, pure apart from
its own atomic writes into the article folders it is given, so any engine (a process pool, a
cluster) can run it anywhere that sees ``--out``. The planner claims every article folder as it
reads, so no two tasks of a run ever write one folder; :func:`reduce` needs only the rows, in any
order. :mod:`wirekit.site.publish` is the local engine built from these stages.

No article content accumulates: rows are small (folder, id, hashes, headline, dates), the feeds'
articles are kept in a bounded heap, and the dump, the manifest and the index page are streamed.
"""

from __future__ import annotations

import collections
import dataclasses
import errno
import functools
import hashlib
import heapq
import importlib
import os
import stat
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from wirekit import audience, layout, registry
from wirekit.audience import PUBLIC, SYNDICATION, State
from wirekit.config import Config
from wirekit.dates import latest, parse, rfc3339, timestamp
from wirekit.errors import ExportError, ValidationError, WirekitError, os_error_line
from wirekit.files import atomic_folder, atomic_stream, inside, write_chunks_if_changed
from wirekit.files import write_if_changed as _write_if_changed
from wirekit.guard import DEFAULT_MAX_REMOVE, too_many_removed
from wirekit.model import Article
from wirekit.plugin import Exporter
from wirekit.schema import schema_text
from wirekit.site.manifest import (
    LEGACY,
    MANIFEST,
    Entry,
    Manifest,
    ManifestError,
    Source,
    Teaser,
)
from wirekit.site.manifest import read as read_manifest
from wirekit.site.manifest import write as write_manifest
from wirekit.sources import STDIN, Reader, Result

__all__ = [
    "Plan",
    "Reduction",
    "Row",
    "Settings",
    "Summary",
    "Task",
    "available_formats",
    "choose_formats",
    "collection_exporters",
    "expand",
    "fingerprint",
    "map_partition",
    "plan",
    "reduce",
    "version_rank",
]

DEFAULT_FEED_SIZE = 100
TOMBSTONE_FORMAT = "html"
"""The format whose file a withdrawn article keeps, as a tombstone: its page."""
NOT_PUBLIC = ".wirekit-not-public.jsonl"
"""The graphs that must not be in a public store, ``{"graph": IRI}`` a line, sorted: every article
of the tree that is not live, and every article that left the tree. ``wirekit load`` deletes
them. Absent when there are none."""

_Ranked = tuple[float, str, tuple[int, int], str, dict[str, Any] | None]
"""An article in the running for the feeds: time, id and arrival (the order), its folder, and
its canonical dict, or None when its input was not read this run (see :func:`_newest`)."""


def available_formats() -> tuple[str, ...]:
    """The default tree's formats (installed exporters that declare a published name), plus
    the index page."""
    return (*(cls.name for cls in layout.published()), layout.INDEX)


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


def _unfound(given: Sequence[str]) -> dict[str, str]:
    """The inputs that :func:`expand` finds no file in, with why."""
    unfound = {}
    for name in given:
        if name != STDIN and not os.path.exists(name):
            unfound[name] = "no such file or folder"
        elif os.path.isdir(name) and not expand([name]):
            unfound[name] = "a folder with no file wirekit reads"
    return unfound


def fingerprint(config: Config, formats: Sequence[str]) -> str:
    """A hash of everything but the article that shapes the output: wirekit's code and schema,
    the code of every plugin importer, of every plugin exporter used and of every exporter
    extension, the config and the formats. Changing any of them republishes (importers count
    because an unchanged input is not read again: new importer code must read it anew)."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    # each file by a name that does not depend on where it is installed (the sort order of full
    # paths did: a compiled build unpacked elsewhere gave the same code another fingerprint)
    sources = {path.relative_to(package).as_posix(): path for path in package.rglob("*.py")}
    plugins: list[type[Any]] = [registry.importer(name) for name in registry.names("importer")]
    plugins += [registry.exporter(name) for name in formats if name != layout.INDEX]
    plugins += [type(extension) for extension in registry.extensions()]
    for cls in plugins:
        module = importlib.import_module(cls.__module__)
        # a built-in's source is counted above, even where it runs compiled (an extension's
        # bytes differ from build to build; its source is what says what it writes)
        if module.__file__ and not Path(module.__file__).is_relative_to(package):
            sources[module.__name__] = Path(module.__file__)
    for name in sorted(sources):
        digest.update(name.encode())
        digest.update(sources[name].read_bytes())
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
    notes: list[str] = field(default_factory=list)
    """Things the operator should know that are not failures (a duplicate id settled)."""
    added: list[str] = field(default_factory=list)
    """The folders of articles published for the first time."""
    updated: list[str] = field(default_factory=list)
    removed_articles: list[str] = field(default_factory=list)
    """The folders of articles taken off the tree (with ``dry_run``: that would be)."""


# --- the stages' data ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything :func:`map_partition` needs besides its tasks; picklable, so a worker anywhere
    can build the same exporters."""

    out: Path
    """The tree, absolute: the settings travel to workers that run in other folders (a
    relative path would put the articles under each worker's own working folder)."""
    config: Config
    single: tuple[str, ...]
    """The single-article formats, in the order their files are made."""
    file_names: tuple[str, ...]
    """The file each of them takes in an article's folder."""
    fingerprint: str
    files_of: dict[str, tuple[str, ...]]
    """The files an article's folder holds in each public state (:class:`State`)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One record of one input, as the map (or the planner, for what needed no work) leaves it.
    ``source_no`` and ``record_no`` order the rows the same way whatever engine made them."""

    source_no: int
    record_no: int
    source: str
    folder: str | None = None
    id: str | None = None
    headline: str = ""
    date: str | None = None
    """The latest of its modified, published and created dates: the feeds' order."""
    modified: str | None = None
    version: int = 0
    hash: str = ""
    files: tuple[str, ...] = ()
    state: str = State.LIVE
    """Its public state at the run's ``now`` (:func:`wirekit.audience.public_state`)."""
    embargo: str | None = None
    teaser: Teaser | None = None
    """What the front page shows of it besides headline and date."""
    written: int = 0
    """Files written for it this run (0: its files were there already)."""
    unchanged: int = 0
    """Files left alone because they hold what they should."""
    failure: tuple[str, ...] = ()
    """One line per problem (file, place, reason): the record is not published."""
    warned: tuple[tuple[type[Warning], str], ...] = ()
    """The warnings its export gave (a field a format cannot carry), as data: a worker's
    own display would be lost to the command's count of them. :meth:`Reduction.add` shows
    them where the run is reported."""
    unproven: tuple[str, ...] = ()
    """Files already in the article's recorded folder at names the manifest does not record
    for it: :func:`map_partition` writes the article only if each holds exactly what it
    would write (see :meth:`Plan._unproven`)."""


@dataclass(frozen=True, slots=True)
class Task:
    """An article to convert and write: its canonical dict, and the row to return for it."""

    data: dict[str, Any]
    row: Row

    def __reduce__(self) -> tuple[Any, ...]:
        """A task travels to a worker with its article as JSON text: pickling an article's dict
        costs several times what orjson takes to write and read it, and an engine may pickle a
        task more than once on its way (Dask's scheduler unpickles and pickles it again). A
        canonical dict holds only JSON's types, so the text gives back an equal dict, keys in
        the same order; anything orjson would not write exactly (an integer beyond 64 bits, a
        subclass) travels as a plain pickle instead."""
        try:
            text = orjson.dumps(self.data, option=_EXACT)
        except orjson.JSONEncodeError:
            return (Task, (self.data, self.row))
        return (_task_from_json, (text, self.row))


_EXACT = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)
"""orjson options under which anything but JSON's own types is refused, not converted."""


def _task_from_json(text: bytes, row: Row) -> Task:
    return Task(orjson.loads(text), row)


# --- plan ---------------------------------------------------------------------------------------


class Plan:
    """The inputs of one run in a stable order, the fingerprint, the previous run's record, and
    the reading of the inputs (:meth:`tasks`). A plan is used once: a second run plans anew."""

    def __init__(
        self,
        out: Path,
        sources: Sequence[str],
        *,
        unfound: dict[str, str] | None = None,
        config: Config,
        formats: tuple[str, ...],
        feed_size: int,
        now: str | None,
        max_remove: float = DEFAULT_MAX_REMOVE,
        prune: bool = False,
        dry_run: bool = False,
        force: bool = False,
        unfinished: bool = False,
    ) -> None:
        self.out = out
        self.unfound = unfound or {}
        """Inputs as given that gave no file to read (a mistyped or empty folder), with why:
        named, and counted as failed, when the run stops before reading (:meth:`too_many_gone`)."""
        self.max_remove = max_remove
        """The share of the published articles a run may remove unless ``prune``."""
        self.prune = prune
        self.dry_run = dry_run
        """Read and decide, write nothing: the summary says what would be done."""
        self.force = force
        """Write over a file at one of the tree's own names (a feed's, an index page's) that
        the manifest does not record, instead of refusing it (see :meth:`in_the_way`)."""
        self.unfinished = unfinished
        """The last run on the tree did not finish (killed, or stopped with Ctrl-C): it may have
        written article folders its manifest never recorded, so nothing is taken as unchanged
        on the manifest's word (see :meth:`_previous`)."""
        self.notes: list[str] = [
            f"{os.fsencode(name).decode('utf-8', 'backslashreplace')}: the file name is not "
            "UTF-8; skipped (rename it)"
            for name in sources
            if not _utf8(name)
        ]
        """What the operator should hear of the planning (a damaged manifest, a skipped name)."""
        self.sources = tuple(name for name in sources if _utf8(name))
        """The inputs, numbered by their place here."""
        self.config = config
        self.formats = formats
        self.feed_size = feed_size
        self.now = now
        chosen = {name: registry.exporter(name) for name in formats if name != layout.INDEX}
        single = tuple(name for name, cls in chosen.items() if not cls.collection)
        self.moment = audience.moment(now)
        """The instant every article's public state is judged at (the real clock unless
        ``now`` is given)."""
        self.settings = Settings(
            out.absolute(),  # a worker elsewhere, in another working folder, writes there too
            config,
            single,
            tuple(chosen[name].tree_file() for name in single),
            fingerprint(config, formats),
            {
                state: tuple(
                    chosen[name].tree_file()
                    for name in single
                    if carries(state, name, chosen[name].audience)
                )
                for state in State
            },
        )
        self.archives = {name: cls for name, cls in chosen.items() if cls.archive}
        """The collections of every article (the N-Quads dump), streamed rather than drawn
        from the newest articles."""
        self.feeds = collection_exporters(formats, config, now, self.moment)
        self.before = self._previous()
        self.folders = layout.Folders(
            ((f, e.id) for f, e in self.before.articles.items()), self._free
        )
        """Article folders: a reused slug gets a suffix from the id, and so does a slug whose
        folder is on disk but not provably wirekit's; an article keeps the folder the last run
        gave it (see :class:`wirekit.layout.Folders`)."""
        self.read: dict[str, Source] = {}
        """What the manifest may remember of each input read whole (filled by :meth:`tasks`)."""
        self.newest: dict[str, list[_Ranked]] = {PUBLIC: [], SYNDICATION: []}
        """The newest ``feed_size`` articles seen, with their dicts when they were read: every
        one for syndication collections, the live ones for public collections."""

    @property
    def collection_files(self) -> list[str]:
        """The files at the top of the tree that this publish draws."""
        names = [file_name for file_name, _ in self.feeds.values()]
        names.extend(cls.tree_file() for cls in self.archives.values())
        if layout.INDEX in self.formats:
            names.append(layout.INDEX_FILE)
        return names

    def collection_settings(self) -> dict[str, Any]:
        """What shapes the collections besides the articles and the fingerprint: a change of
        either redraws them even when no article changed."""
        return {"feed_size": self.feed_size, "now": self.now}

    def _previous(self) -> Manifest:
        """The previous run's record; when the code, config or formats changed since, only its
        articles (so stale folders are still removed), every one forced to be rewritten."""
        try:
            before = read_manifest(self.out / MANIFEST, declared_files(), declared_collections())
        except ManifestError as exc:
            self.notes.append(
                f"{exc}; publishing every article and collection again and removing nothing "
                "(the manifest is rewritten at the end of this run)"
            )
            return Manifest()
        if (
            before.fingerprint == self.settings.fingerprint
            and not self._clock_went_back(before)
            and not self._after_unfinished_run()
        ):
            return before
        forced = {folder: dataclasses.replace(e, hash="") for folder, e in before.articles.items()}
        return Manifest(
            articles=forced,
            pages=before.pages,
            collection_files=before.collection_files,
            recorded=before.recorded,
        )

    def _clock_went_back(self, before: Manifest) -> bool:
        """Whether this run's moment is earlier than the ``--now`` the last run was given (a
        mistaken ``--now`` in the future, corrected): an article live then may be under
        embargo now, and the inputs that did not change would not be read, so every article
        is judged again, and the operator told. (A run on the real clock records no moment,
        so that a tree published twice from the same inputs is byte-identical.)"""
        judged = (before.collections or {}).get("now")
        try:  # the manifest is untrusted: a "now" that is no date is no earlier moment
            if not isinstance(judged, str) or parse(judged) <= self.moment:
                return False
        except ValueError:
            return False
        self.notes.append(
            f"this run's time, {rfc3339(self.moment)}, is earlier than the last run's, {judged}: "
            "every article is judged again"
        )
        return True

    def _after_unfinished_run(self) -> bool:
        """Whether the last run did not finish. Its folders hold what it wrote, the manifest
        what the run before it wrote: inputs put back as they were (the stopped run's change
        was a mistake) would match the manifest, and the mistake would stay online. So every
        article is judged and written again, and the operator told."""
        if self.unfinished:
            self.notes.append(
                "the last run did not finish (killed or stopped): every article is judged and "
                "written again"
            )
        return self.unfinished

    def too_many_gone(self) -> str | None:
        """Why this run must stop before it reads or writes anything: the inputs it was given
        have lost more than ``max_remove`` of the published articles' sources (a mistyped or
        empty input folder), unless told to ``prune``. None if it may go on (:func:`reduce`
        checks again once every input is read)."""
        old = self.before.articles
        inputs = {os.path.realpath(source) for source in self.sources}
        per_source = collections.Counter(entry.source for entry in old.values())
        # a path resolved once an input, not once an article: realpath walks every component
        going = sum(n for source, n in per_source.items() if os.path.realpath(source) not in inputs)
        return None if self.prune else _too_many(self, going, len(old))

    def blocked(self) -> list[str]:
        """Why this run must stop before it reads or writes anything, a line a reason: too
        many articles would go (:meth:`too_many_gone`), or a file wirekit did not write stands
        where one of this run's collections goes (:meth:`in_the_way`; the index pages past
        the first are known only once every input is read, and :func:`reduce` asks again)."""
        stopped = self.too_many_gone()
        refused = self.in_the_way(self.collection_files)
        return [
            *([stopped] if stopped else []),
            *(_not_written_by_wirekit(self.out, name) for name in refused),
        ]

    def in_the_way(self, names: Iterable[str]) -> list[str]:
        """Of these files of the tree (``atom.xml``, ``sections/culture/index-2.html``) that
        this run is about to write, those someone else's file stands in the way of: something
        is there, at the name or at a folder on the way to it, and the manifest does not
        record it. The record alone decides, not the contents (a page can be copied, and what
        this run would write is known only once it is drawn, too late to refuse before
        writing); a tree with none (a first run, or one after a damaged or older manifest)
        takes the tree's names as wirekit's, as ``force`` does."""
        if self.force or not self.before.recorded:
            # a link is never written through, whatever the record says
            return [name for name in names if _through_link(self.out, name)]
        recorded = self.recorded_names
        return [
            name
            for name in names
            if _through_link(self.out, name) or (name not in recorded and _occupied(self.out, name))
        ]

    @functools.cached_property
    def recorded_names(self) -> frozenset[str]:
        """The tree-level files (pages, collections) the last run's manifest records as
        wirekit's, as a set: a large archive has thousands of index pages."""
        return frozenset((*self.before.pages, *self.before.collection_files))

    def path(self, name: str) -> Path:
        """A file of the tree by its name there (``a/b/c``), each part checked by
        :func:`inside`."""
        path = self.out
        for part in name.split("/"):
            path = inside(path, part)
        return path

    def folder(self, name: str) -> Path:
        """An article folder of the tree; a :class:`WirekitError` when a symbolic link stands
        there: writing through it would write outside the tree (or into another article's
        folder), and removing it would remove what the operator put there."""
        target = self.out / layout.ARTICLES / name
        if target.is_symlink():  # an lstat only: asked before inside() checks the name
            raise WirekitError(
                f"{target}: a symbolic link where the article's folder should be; wirekit "
                "neither follows nor removes it (put the folder back, or remove the link)"
            )
        return inside(self.out / layout.ARTICLES, name)

    def _free(self, name: str, article_id: str) -> bool:
        """Whether a folder name the manifest does not record may be given to this article:
        no such entry is on disk, or a folder is whose canonical file names this very article
        (what a run killed before its manifest, or a run after a damaged manifest, left). A
        folder made by hand, a link or a file is taken, so the article goes elsewhere."""
        target = self.out / layout.ARTICLES / name
        if not os.path.lexists(target):
            return True
        if target.is_symlink() or not target.is_dir():
            return False
        canonical = target / registry.exporter("json").tree_file()
        try:
            data = orjson.loads(canonical.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return False
        return isinstance(data, dict) and data.get("id") == article_id

    def tasks(self) -> Iterator[Row | Task]:
        """Read every input in order, a record at a time: an input whose bytes are as the
        manifest remembers, and whose articles' files are all there, is not read at all.
        Claims each article's folder as it goes (the first claimant keeps it), so no two tasks
        write one folder."""
        claimed: dict[str, Row] = {}
        reader = Reader(self.config, build=False)
        for number, source in enumerate(self.sources):
            digest = _digest(source)
            known = self.before.sources.get(source)
            if (
                known is not None
                and known.digest == digest
                and self._reusable(source, known, claimed)
                and not self._lifted(known)
            ):
                for record, folder in enumerate(known.folders):
                    entry = self.before.articles[folder]
                    row = _row_of(number, record, entry, unchanged=len(entry.files))
                    claimed[folder] = row
                    self._remember(row, None)
                    yield row
                self.read[source] = known
                continue
            folders: list[str] = []
            for record, result in enumerate(reader.read(source)):
                item = self._take(number, record, result, claimed)
                row = item.row if isinstance(item, Task) else item
                if row.folder is not None and not row.failure:
                    folders.append(row.folder)
                yield item
            if digest is not None:
                self.read[source] = Source(digest, tuple(folders))

    def _reusable(self, source: str, known: Source, claimed: dict[str, Row]) -> bool:
        """Whether an unchanged input's articles can be taken as the manifest has them: the
        manifest says they are this input's (a manifest naming another file as an article's
        source never gets that file read), their files are all there, and no earlier input
        has claimed one of their folders this run."""
        articles = self.out / layout.ARTICLES
        return not any(
            folder not in self.before.articles
            or self.before.articles[folder].source != source
            or folder in claimed
            or not _holds(articles / folder, self.before.articles[folder].files)
            for folder in known.folders
        )

    def _lifted(self, known: Source) -> bool:
        """Whether an embargo on one of an unchanged input's articles has lifted since the last
        run: its articles must then be taken anew, to go public. The manifest's earliest embargo
        makes this one comparison on nearly every run."""
        before = self.before
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
        self, number: int, record: int, result: Result, claimed: dict[str, Row]
    ) -> Row | Task:
        if result.error is not None:
            return Row(number, record, result.source, failure=_failure_lines(result.error))
        assert result.data is not None
        folder, data = _placed(self, result.data)
        state = audience.public_state(data, self.moment)
        content = hashlib.sha256(
            f"{self.settings.fingerprint} {state}".encode()
            + orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
        ).hexdigest()
        row = Row(
            number,
            record,
            result.source,
            folder,
            data["id"],
            data["headline"],
            latest(data.get("dateModified"), data.get("datePublished"), data.get("dateCreated")),
            data.get("dateModified"),
            data.get("version") or 0,
            content,
            self.settings.files_of[state],
            state,
            data.get("embargoedUntil"),
            Teaser.of(data),
        )
        earlier = claimed.get(folder)
        if earlier is not None and earlier.id != row.id:
            message = (
                f"article folder {folder!r} is already used by {earlier.source}; change a slug"
            )
            error = WirekitError(message, place=result.place).located(result.source)
            return Row(number, record, result.source, failure=_failure_lines(error))
        if earlier is not None and _rank(row) < _rank(earlier):
            return row  # an older copy of an article in this folder: not written (see reduce)
        before = self.before.articles.get(folder)
        try:  # refuses a name that could leave the tree, or a link, before any worker
            target = self.folder(folder)
        except WirekitError as exc:
            failure = _failure_lines(exc.located(result.source))
            return Row(number, record, result.source, failure=failure)
        unproven = self._unproven(target, before, row)
        if unproven:
            row = dataclasses.replace(row, unproven=unproven)
        claimed[folder] = row
        self._remember(row, data)
        if (
            before is not None
            and before.hash == row.hash
            and before.files == row.files
            and _holds(target, row.files)
        ):
            return dataclasses.replace(row, unchanged=len(row.files))
        return Task(data, row)

    @staticmethod
    def _unproven(target: Path, before: Entry | None, row: Row) -> tuple[str, ...]:
        """The files standing in an article's recorded folder where its new files go (an
        embargo lifts, and the page goes where someone put an ``index.html`` of their own)
        that the manifest does not record. Such a file may be one a run stopped before its
        manifest wrote (a format added back, then Ctrl-C): only the article's export can
        tell, by holding exactly its bytes, so :func:`map_partition` decides. Otherwise the
        article is refused and stays where it is rather than move: its address may be
        announced already, and a quiet move would change it."""
        if before is None or before.id != row.id:
            return ()  # a folder new to the manifest is free (see _free), or not there at all
        new = [name for name in row.files if name not in before.files]
        if not new:
            return ()
        try:
            present = set(os.listdir(target))
        except FileNotFoundError:
            return ()
        return tuple(name for name in new if name in present)

    def _remember(self, row: Row, data: dict[str, Any] | None) -> None:
        """Keep the newest ``feed_size`` articles in bounded min-heaps whose top is the oldest
        kept, so memory does not grow with the archive. Ties go by id, for determinism. The
        dicts are kept, not Articles: only the few that stay need building. Syndication
        collections draw on every article, public ones on the live ones only."""
        assert row.folder is not None and row.id is not None
        ranked = (_timestamp(row.date), row.id, _order(row), row.folder, data)
        _push(self.newest[SYNDICATION], ranked, self.feed_size)
        if row.state == State.LIVE:
            _push(self.newest[PUBLIC], ranked, self.feed_size)


def plan(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    config: Config | None = None,
    formats: Sequence[str] | None = None,
    feed_size: int = DEFAULT_FEED_SIZE,
    now: str | None = None,
    max_remove: float = DEFAULT_MAX_REMOVE,
    prune: bool = False,
    dry_run: bool = False,
    force: bool = False,
    unfinished: bool = False,
) -> Plan:
    """Plan a publish of ``inputs`` into ``out``: nothing is read or written yet.
    ``unfinished``: the last run on ``out`` did not finish (see :attr:`Plan.unfinished`)."""
    given = [str(item) for item in inputs]
    return Plan(
        Path(out),
        expand(given),
        unfound=_unfound(given),
        config=config or Config(),
        formats=choose_formats(formats),
        feed_size=feed_size,
        now=now,
        max_remove=max_remove,
        prune=prune,
        dry_run=dry_run,
        force=force,
        unfinished=unfinished,
    )


# --- map ----------------------------------------------------------------------------------------

_EXPORTERS: dict[tuple[str, tuple[str, ...]], dict[str, Exporter]] = {}
"""This process's exporters, by the fingerprint (which covers the config) and the formats."""


def exporters(settings: Settings) -> dict[str, Exporter]:
    """The single-article exporters, built once per process and settings. A page that links
    its sibling formats (``alternates``) links exactly the ones being published, and the
    canonical JSON of a tree carries no internal note (``notes``)."""
    key = (settings.fingerprint, settings.single)
    built = _EXPORTERS.get(key)
    if built is None:
        _EXPORTERS.clear()
        built = _EXPORTERS[key] = {}
        for name in settings.single:
            cls = registry.exporter(name)
            options = {}
            if "alternates" in cls.options:
                others = ",".join(f for f in settings.single if f != name)
                options["alternates"] = others or "none"
            if "notes" in cls.options:  # a tree is read by the world: no internal note in it
                options["notes"] = "shared"
            built[name] = cls(settings.config, **options)
    return built


def shows(state: str, audience: str) -> bool:
    """Whether a format for ``audience`` shows an article in public ``state``: syndication
    formats carry every article, public ones only a live one."""
    return state == State.LIVE or audience == SYNDICATION


def carries(state: str, name: str, audience: str) -> bool:
    """Whether an article's folder in public ``state`` holds format ``name``'s file: what
    :func:`shows` it, and for a withdrawn one a tombstone where its page was, so that links to
    it do not break."""
    return shows(state, audience) or (state == State.WITHDRAWN and name == TOMBSTONE_FORMAT)


def _files_of(article: Article, state: str, built: dict[str, Exporter]) -> dict[str, bytes]:
    """An article's files in its public ``state`` (see :func:`carries`)."""
    files = {}
    for name, exporter in built.items():
        if shows(state, exporter.audience):
            files[exporter.tree_file()] = exporter.export(article)
        elif carries(state, name, exporter.audience):  # a withdrawn article's page
            from wirekit.formats.html.page import tombstone

            files[exporter.tree_file()] = tombstone(article, exporter.config).encode("utf-8")
    return files


def map_partition(settings: Settings, tasks: Sequence[Task]) -> list[Row]:
    """Export each task's article to every single-article format and write its folder; one row
    each, in the tasks' order. Every output is made before any file is written, so an exporter
    that fails (or a lossy conversion under ``--strict``) leaves that article's folder as it
    was. An article's problem comes back in its row, never raised, so one bad article (a dict
    the model refuses, a folder that cannot be written) fails alone on any engine; only a file
    system the tree cannot be written to at all (:data:`UNWRITABLE`) stops the run."""
    built = exporters(settings)
    articles = settings.out / layout.ARTICLES
    rows: list[Row] = []
    for task in tasks:
        row = task.row
        with warnings.catch_warnings(record=True) as caught:
            try:
                target, article = _prepared(articles, task)
                files = _files_of(article, row.state, built)
            except (WirekitError, Warning) as exc:
                error = exc if isinstance(exc, WirekitError) else WirekitError(str(exc))
                rows.append(_failed(row, error))
                continue
        warned = tuple((w.category, str(w.message)) for w in caught)
        foreign = next(
            (name for name in row.unproven if not _holds_bytes(target, name, files)), None
        )
        if foreign is not None:
            error = WirekitError(
                f"{target / foreign}: not written by wirekit, and the article's {foreign} goes "
                "there; move it away and publish again"
            )
            rows.append(_failed(row, error))
            continue
        try:
            atomic_folder(target, files)
        except OSError as exc:
            if exc.errno in UNWRITABLE:
                raise WirekitError(f"{os_error_line(exc)}: the tree cannot be written") from None
            error = WirekitError(f"{target}: cannot write the article's folder: {exc.strerror}")
            rows.append(_failed(row, error))
            continue
        rows.append(dataclasses.replace(row, written=len(files), warned=warned))
    return rows


UNWRITABLE = frozenset({errno.EROFS, errno.ENOSPC, errno.EDQUOT})
"""Errors writing an article's folder that are the file system's, not the article's: every
article after it would fail alike, so :func:`map_partition` raises them, one line for the run."""


def _failed(row: Row, error: WirekitError) -> Row:
    """The row of an article :func:`map_partition` could not write: its problems, one line
    each, located at its input."""
    return dataclasses.replace(row, failure=_failure_lines(error.located(row.source)))


def _prepared(articles: Path, task: Task) -> tuple[Path, Article]:
    """A task's folder in the tree and its article. The planner makes tasks only of validated
    articles in folders it checked; a task made by hand (the stages are public) may hold
    anything, and is refused as the article's failure."""
    row = task.row
    if row.folder is None:
        raise WirekitError("the task names no article folder")
    try:
        target = inside(articles, row.folder)
    except ValueError as exc:
        raise WirekitError(str(exc)) from None
    try:
        return target, Article.from_dict(task.data)
    except ValueError as exc:  # msgspec's ValidationError: a missing field, a wrong type
        raise WirekitError(f"not a canonical article: {exc}") from None


# --- reduce -------------------------------------------------------------------------------------


def reduce(the_plan: Plan, rows: Iterable[Row]) -> Summary:
    """Settle a run from its rows, in any order: the articles the tree holds, what goes, the
    collections, and last the manifest (so a run killed before it is finished by the next)."""
    reduction = Reduction(the_plan)
    for row in rows:
        reduction.add(row)
    return reduction.finish()


class Reduction:
    """The reduce stage as a fold, so an engine need not keep its rows: :meth:`add` each row as
    it comes, then :meth:`finish`. Keeps one entry an article (and its place in the order)."""

    def __init__(self, the_plan: Plan) -> None:
        self.plan = the_plan
        self.summary = Summary()
        self.out = the_plan.out
        self._entries: dict[str, tuple[tuple[int, int], Entry, tuple[int, float]]] = {}
        """Folder -> its row's order, its entry, and its rank among copies of its id."""
        self._ids: dict[str, str] = {}
        """Article id -> the folder of the copy kept so far."""
        self._written: dict[str, tuple[str, ...]] = {}
        """Folders written this run, with their files: this run can prove it wrote them."""
        self._failures: list[tuple[tuple[int, int], Row]] = []
        self._read = 0
        self._pages = the_plan.before.pages
        """The index pages of the tree (see :attr:`Manifest.pages`)."""
        self._collection_files = the_plan.before.collection_files
        """The collections of the tree (see :attr:`Manifest.collection_files`)."""

    def add(self, row: Row) -> None:
        for category, message in row.warned:
            warnings.showwarning(category(f"{row.source}: {message}"), category, row.source, 0)
        summary = self.summary
        summary.written += row.written
        summary.unchanged += row.unchanged
        if row.written:
            assert row.folder is not None
            self._written[row.folder] = row.files
        if row.failure:
            self._failures.append((_order(row), row))
            return
        assert row.folder is not None and row.id is not None
        self._read += 1
        entry = Entry(
            row.folder,
            row.id,
            self.plan.sources[row.source_no],  # one string an input, not one an article
            row.hash,
            row.headline,
            row.date,
            _shared(row.files, self.plan.settings.files_of[row.state]),
            row.state,
            row.embargo,
            row.teaser,
        )
        rank = _rank(row)
        held = self._ids.get(row.id)
        if held is not None:
            self._settle_duplicate(held, row, entry, rank)
            return
        self._ids[row.id] = row.folder
        self._entries[row.folder] = (_order(row), entry, rank)

    def _settle_duplicate(self, held: str, row: Row, entry: Entry, rank: tuple[int, float]) -> None:
        """Two inputs with one article id are one article: the later version (by ``version``,
        then ``dateModified``, then the order of the inputs) wins, and this is reported."""
        order, kept, kept_rank = self._entries[held]
        new_wins = (rank, _order(row)) > (kept_rank, order)
        winner, loser = (entry, kept) if new_wins else (kept, entry)
        self.summary.notes.append(
            duplicate_note(winner.source, winner.id, f"{loser.source} (folder {loser.folder!r})")
        )
        if new_wins:
            del self._entries[held]
            self._ids[entry.id] = entry.folder
            self._entries[entry.folder] = (_order(row), entry, rank)

    def finish(self) -> Summary:
        plan, summary = self.plan, self.summary
        summary.notes[:0] = plan.notes
        summary.notes.sort()
        for _, row in sorted(self._failures, key=lambda failure: failure[0]):
            summary.failures.extend(row.failure)
            summary.failed_sources.append(row.source)
        old = plan.before.articles
        if self._read == 0:
            summary.failures.append(
                f"{plan.out}: no article read from the inputs; nothing published, nothing removed"
            )
            return summary
        entries = {
            folder: entry for folder, (_, entry, _) in sorted(self._entries.items(), key=_first)
        }
        self._keep_entries_of_failed_sources(entries, old)
        going = [folder for folder in old if folder not in entries]
        kept_ids = {entry.id for entry in entries.values()}
        lost = sum(old[folder].id not in kept_ids for folder in going)  # not merely moved
        stopped = None if plan.prune else _too_many(plan, lost, len(old))
        if stopped is not None:
            summary.failures.append(stopped)
            for folder in going:
                entries[folder] = old[folder]
            going = []
        summary.removed_articles = sorted(going)
        summary.added = sorted(f for f in self._written if f in entries and f not in old)
        summary.updated = sorted(f for f in self._written if f in entries and f in old)
        changed = entries.keys() != old.keys() or any(
            old[folder].hash != entry.hash for folder, entry in entries.items()
        )
        settings = plan.collection_settings()
        drawing = changed or plan.before.collections != settings or not self._collections_there()
        pages = self._index_pages(entries) if drawing else []
        tops = [name for name in plan.collection_files if name != layout.INDEX_FILE]
        refused = set(plan.in_the_way([*tops, *(name for name, _ in pages)]) if drawing else ())
        summary.failures.extend(_not_written_by_wirekit(self.out, name) for name in sorted(refused))
        if plan.dry_run:
            summary.articles = len(entries)
            return summary
        self._remove_stale(entries, old)
        self._remove_superseded(entries)
        self._write_not_public(entries, old)
        if drawing:
            self._claim(
                [name for name in tops if name not in refused],
                [name for name, _ in pages if name not in refused],
            )
            self._write_collections(entries, changed, pages, refused)
        else:
            summary.unchanged += len(plan.collection_files)
        self._remove_undrawn_collections()
        failed = set(summary.failed_sources)
        kept = {
            source: record
            for source, record in plan.read.items()
            if source not in failed and _all_from(source, record.folders, entries)
        }
        # written last; the next run may skip only the inputs read whole without a failure,
        # and draws the collections again after a run with failures or a file in their way
        lift = audience.next_lift(
            (e.embargo for e in entries.values() if e.state == State.EMBARGOED), plan.moment
        )
        summary.next_lift = None if lift is None else rfc3339(lift)
        manifest = Manifest(
            plan.settings.fingerprint,
            None if failed or refused else settings,  # a file in the way: drawn again next run
            kept,
            entries,
            self._pages,
            self._collection_files,
            summary.next_lift,
        )
        write_manifest(self.out / MANIFEST, manifest)
        summary.articles = len(entries)
        summary.public = sum(e.state == State.LIVE for e in entries.values())
        return summary

    def _write_not_public(self, entries: dict[str, Entry], old: dict[str, Entry]) -> None:
        """The list of graphs a public store must not hold (:data:`NOT_PUBLIC`): the articles
        of the tree that are not live, those that left it this run, and those listed before,
        less every live one. ``wirekit load`` deletes them."""
        from wirekit.formats.schemaorg.mapping import id_iri

        config = self.plan.config
        path = self.out / NOT_PUBLIC
        live = {id_iri(e.id, config) for e in entries.values() if e.state == State.LIVE}
        hidden = {id_iri(e.id, config) for e in entries.values() if e.state != State.LIVE}
        gone = {id_iri(e.id, config) for f, e in old.items() if f not in entries}
        iris = sorted((set(not_public(self.out)) | hidden | gone) - live)
        if iris:
            lines = (orjson.dumps({"graph": iri}, option=orjson.OPT_APPEND_NEWLINE) for iri in iris)
            _write_if_changed(path, b"".join(lines))
        else:
            path.unlink(missing_ok=True)

    def _remove_superseded(self, entries: dict[str, Entry]) -> None:
        """Remove the files this run wrote into a folder it then gave up (the losing copy of a
        duplicate id): it can prove it wrote them."""
        for folder, files in self._written.items():
            if folder not in entries:
                self._remove_from(folder, files, emptied=True)

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
        """Remove what the manifest says we wrote for articles whose source is gone, and files
        of formats no longer chosen."""
        for folder, entry in old.items():
            now = entries.get(folder)
            if now is not None and now.files == entry.files:  # the common case: nothing to do
                continue
            keep = set(now.files) if now is not None else set()
            gone = [name for name in entry.files if name not in keep]
            self._remove_from(folder, gone, emptied=folder not in entries)

    def _remove_from(self, folder: str, names: Iterable[str], *, emptied: bool) -> None:
        """Remove the named files of an article folder, each one wirekit can prove it wrote,
        and the folder itself when ``emptied`` and nothing else (a user's file) is left in it.
        A link in the folder's place is left alone, and said."""
        try:
            target = self.plan.folder(folder)
        except WirekitError as exc:
            self.summary.failures.append(str(exc))
            return
        for name in names:
            self._remove(target / name)
        if emptied and target.is_dir() and not any(target.iterdir()):
            target.rmdir()

    def _remove(self, path: Path) -> bool:
        """Remove one file of the tree and count it; False when it was not there."""
        if not path.is_file():
            return False
        path.unlink()
        self.summary.removed += 1
        return True

    # -- collections -----------------------------------------------------------------------------

    def _collections_there(self) -> bool:
        return all((self.out / name).is_file() for name in self.plan.collection_files)

    def _index_pages(self, entries: dict[str, Entry]) -> list[tuple[str, Iterator[bytes]]]:
        """The index pages this run draws (the front page and each section's, paged), by
        name: each page's content is made only as it is written."""
        if layout.INDEX not in self.plan.formats:
            return []
        from wirekit.site.index_page import pages

        live = sorted(
            (e for e in entries.values() if e.state == State.LIVE), key=_newest_first_entry
        )
        return list(pages(live, self.plan.config, self.plan.formats))

    def _claim(self, tops: list[str], pages: list[str]) -> None:
        """Record in the manifest the files of the tree this run is about to write for the
        first time, before it writes them: a run killed after writing one must leave it
        provably wirekit's, or the next run would refuse it as someone else's. The manifest
        is the last run's with these names added, so it stays as true as it was. A tree with
        no record has nothing to add to (its next run takes the tree's names as wirekit's)."""
        before, recorded = self.plan.before, self.plan.recorded_names
        new_tops = [name for name in tops if name not in recorded]
        new_pages = [name for name in pages if name not in recorded]
        if before.recorded and (new_tops or new_pages):
            claimed = dataclasses.replace(
                before,
                pages=(*before.pages, *new_pages),
                collection_files=(*before.collection_files, *new_tops),
            )
            write_manifest(self.out / MANIFEST, claimed)

    def _write_collections(
        self,
        entries: dict[str, Entry],
        changed: bool,
        pages: list[tuple[str, Iterator[bytes]]],
        refused: set[str],
    ) -> None:
        """Draw this run's collections and index pages, but none that a file wirekit did not
        write stands in the way of (``refused``, reported already)."""
        plan = self.plan
        orders = {folder: order for folder, (order, _, _) in self._entries.items()}
        drawn: dict[str, list[Article]] = {}
        written: list[str] = []
        for name in plan.formats:
            if name == layout.INDEX:
                self._write_index([(page, chunks) for page, chunks in pages if page not in refused])
            elif name in plan.archives and plan.archives[name].tree_file() not in refused:
                self._write_archive(plan.archives[name], entries, changed)
                written.append(plan.archives[name].tree_file())
            elif name in plan.feeds and plan.feeds[name][0] not in refused:
                file_name, exporter = plan.feeds[name]
                side = SYNDICATION if exporter.audience == SYNDICATION else PUBLIC
                if side not in drawn:
                    drawn[side] = _newest(plan, plan.newest[side], entries, orders)
                try:
                    data = exporter.export_collection(drawn[side])
                except ExportError as exc:  # e.g. an Atom feed with no dated article at all
                    self._drop_collection(file_name, exc)
                    continue
                self._count(_write_if_changed(self.out / file_name, data))
                written.append(file_name)
        self._collection_files = tuple(sorted(written))

    def _remove_undrawn_collections(self) -> None:
        """The collections and index pages that an earlier run drew and this run's formats
        leave out (``--formats json,atom`` after a full publish): they would go on showing
        articles as they were, a story withheld since among them, so they go, as an article's
        files of a format left out do. Only those the manifest records: a file of one of
        these names that wirekit did not write stays (a damaged manifest removes nothing)."""
        plan = self.plan
        drawn = set(plan.collection_files)
        undrawn = [name for name in plan.before.collection_files if name not in drawn]
        for name in undrawn:
            self._remove(self.out / name)
        self._collection_files = tuple(n for n in self._collection_files if n not in undrawn)
        if layout.INDEX not in plan.formats:
            self._remove_pages(self._pages)
            self._pages = ()

    def _write_index(self, pages: list[tuple[str, Iterator[bytes]]]) -> None:
        """The front page and the section pages, each paged; the pages of the last run that
        are not drawn again (a section gone, an archive shrunk) are removed."""
        written = []
        for name, page in pages:
            path = self.plan.path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._count(write_chunks_if_changed(path, page))
            written.append(name)
        self._remove_pages(set(self._pages) - set(written))
        self._pages = tuple(written)

    def _remove_pages(self, names: Iterable[str]) -> None:
        """Index pages of an earlier run, and the section folders they leave empty."""
        for name in sorted(names):
            if _through_link(self.out, name):  # never removed through a link (it was refused)
                continue
            path = self.plan.path(name)
            if self._remove(path):
                folder = path.parent
                while folder != self.out and not any(folder.iterdir()):  # sections/<name>/
                    folder.rmdir()
                    folder = folder.parent

    def _drop_collection(self, file_name: str, error: ExportError) -> None:
        """A collection that cannot be drawn must not keep stale content: its old file goes
        when the manifest records it, and the failure is reported."""
        path = self.out / file_name
        if file_name in self.plan.before.collection_files:
            self._remove(path)
        self.summary.failures.append(f"{path}: {error}")

    def _count(self, written: bool) -> None:
        if written:
            self.summary.written += 1
        else:
            self.summary.unchanged += 1

    def _write_archive(self, cls: type[Exporter], entries: dict[str, Entry], changed: bool) -> None:
        """Every article in one file (the N-Quads dump: each article's named graph), written
        only when some article changed (or the file is missing). It holds the articles the
        tree holds: not those that failed, nor a second copy of one id."""
        path = self.out / cls.tree_file()
        if not changed and path.is_file():
            self.summary.unchanged += 1
            return
        exporter = cls(self.plan.config)
        source = registry.exporter(cls.assembled_from) if cls.assembled_from else None
        with atomic_stream(path) as stream:
            if source is not None and source.tree_file() in self.plan.settings.file_names:
                self._assemble(exporter, source.tree_file(), stream, entries)
            else:
                self._stream_archive(exporter, stream, entries)
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
                part = inside(self.plan.folder(folder), name).read_bytes()
            except WirekitError:  # a link in its place, already reported: not followed
                continue
            except OSError as exc:
                where = exporter.tree_file()
                self.summary.failures.append(f"{path}: not in {where}: {exc.strerror or exc}")
                continue
            stream.write(exporter.assemble(part, entry.id))

    def _stream_archive(
        self, exporter: Exporter, stream: BinaryIO, entries: dict[str, Entry]
    ) -> None:
        """An archive when what it is assembled from is not published: every input read again,
        in a second streaming pass; an article the archive cannot write fails alone."""
        for result in Reader(self.plan.config).read_all(list(self.plan.sources)):
            if result.article is None or result.data is None:
                continue
            folder, data = _placed(self.plan, result.data)
            entry = entries.get(folder)
            if entry is None or entry.source != result.source or entry.id != result.article.id:
                continue
            if not shows(entry.state, exporter.audience):
                continue
            try:
                stream.write(exporter.export(Article.from_dict(data)))
            except ExportError as exc:  # not in the manifest, so the next run tries again
                self.summary.failures.extend(_failure_lines(exc.located(result.source)))
                self.summary.failed_sources.append(result.source)
                del entries[folder]


def _newest(
    the_plan: Plan,
    heap: list[_Ranked],
    entries: dict[str, Entry],
    orders: dict[str, tuple[int, int]],
) -> list[Article]:
    """The feeds' articles, newest first, leaving out any an exporter refused. An article of an
    input that was not read this run (it had not changed) is read again here: only the inputs
    holding the newest few, and only when some article changed, and only inputs of this run."""
    ranked = [r for r in sorted(heap, reverse=True) if orders.get(r[3]) == r[2]]
    missing = {r[3] for r in ranked if r[4] is None}
    found: dict[str, dict[str, Any]] = {}
    reader = Reader(the_plan.config, build=False)
    for source in sorted({entries[folder].source for folder in missing}):
        for result in reader.read(source):
            if result.data is None:
                continue
            folder, data = _placed(the_plan, result.data)
            if folder in missing and entries[folder].id == data["id"]:
                found[folder] = data
    chosen = (data or found.get(folder) for *_, folder, data in ranked)
    return [Article.from_dict(data) for data in chosen if data is not None]


def declared_files() -> frozenset[str]:
    """Every file name an installed single-article exporter takes in an article's folder: the
    only names a publish ever removes there."""
    return frozenset(cls.tree_file() for cls in registry.exporter_classes() if not cls.collection)


def declared_collections() -> frozenset[str]:
    """Every file name an installed collection exporter takes at the top of a tree: the only
    collection names a manifest may record."""
    return frozenset(cls.tree_file() for cls in registry.exporter_classes() if cls.collection)


def choose_formats(formats: Sequence[str] | None) -> tuple[str, ...]:
    """The formats to publish: those asked for (an unknown name raises, with a suggestion), or
    every format of the standard tree that is installed."""
    known = available_formats()
    for name in formats or ():
        if name not in known:
            registry.exporter(name)
    return tuple(formats) if formats else known


def collection_exporters(
    formats: Sequence[str], config: Config, now: str | None, moment: datetime
) -> dict[str, tuple[str, Exporter]]:
    """The collection exporters other than the archives, by format, with their file names: built
    when a run is planned, so a feed that cannot be made (no title for it) is misuse found
    before any article is written. ``moment`` is the run's (``now``, or the clock read once for
    the run), which a feed left with nothing to list gives as its update time."""
    chosen = {name: registry.exporter(name) for name in formats if name != layout.INDEX}
    return {
        name: _collection_exporter(name, config, now, moment)
        for name, cls in chosen.items()
        if cls.collection and not cls.archive
    }


def _collection_exporter(
    name: str, config: Config, now: str | None, moment: datetime
) -> tuple[str, Exporter]:
    cls = registry.exporter(name)
    file_name = cls.tree_file()
    options = {}
    if now and "now" in cls.options:
        options["now"] = now
    if "updated" in cls.options:  # a feed left with nothing to list is still drawn, empty
        options["updated"] = rfc3339(moment)
    return file_name, cls(config, **options)  # a feed's self link: base_url and its file


# --- small helpers ------------------------------------------------------------------------------


def _row_of(number: int, record: int, entry: Entry, *, unchanged: int) -> Row:
    return Row(
        number,
        record,
        entry.source,
        entry.folder,
        entry.id,
        entry.headline,
        entry.date,
        hash=entry.hash,
        files=entry.files,
        state=entry.state,
        embargo=entry.embargo,
        teaser=entry.teaser,
        unchanged=unchanged,
    )


def _push(heap: list[_Ranked], ranked: _Ranked, size: int) -> None:
    """Keep ``ranked`` in a min-heap of at most ``size``, whose top is the oldest kept."""
    if len(heap) < size:
        heapq.heappush(heap, ranked)
    elif ranked[:2] > heap[0][:2]:
        heapq.heapreplace(heap, ranked)


def not_public(tree: Path) -> list[str]:
    """The graph IRIs a published tree says a public store must not hold (:data:`NOT_PUBLIC`);
    none when it has no such list or it cannot be read (the next publish writes it anew). The
    list is a file anyone can edit, and ``load`` writes its IRIs into SPARQL, so a name that
    is not an IRI (RFC 3987, as Oxigraph checks it: no ``>``, space or brace can pass) is left
    out, and the next publish drops it."""
    import pyoxigraph

    try:
        with (tree / NOT_PUBLIC).open("rb") as stream:
            named = [str(orjson.loads(line)["graph"]) for line in stream if line.strip()]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return []
    graphs = []
    for iri in named:
        try:
            pyoxigraph.NamedNode(iri)
        except ValueError:
            continue
        graphs.append(iri)
    return graphs


def _too_many(the_plan: Plan, going: int, published: int) -> str | None:
    return too_many_removed(
        str(the_plan.out), going, published, the_plan.max_remove, "published articles"
    )


def _shared(files: tuple[str, ...], usual: tuple[str, ...]) -> tuple[str, ...]:
    """The run's own tuple of file names when equal: one tuple for all, not one an article."""
    return usual if files == usual else files


def _rank(row: Row) -> tuple[int, float]:
    return version_rank(row.version, row.modified)


def version_rank(version: int, modified: str | None) -> tuple[int, float]:
    """Which of two copies of one article is the later version: ``version``, then
    ``dateModified`` (ties go to the later input). Publish and load settle duplicate ids by
    it, so a store never keeps a version the published tree replaced."""
    return (version, _timestamp(modified))


def duplicate_note(winner: str, article_id: str, loser: str) -> str:
    """What publish and load say of an article read twice (``winner`` and ``loser`` name the
    two copies' inputs): one article, the later version kept (see :func:`version_rank`)."""
    return f"{winner}: article {article_id} is also in {loser}; kept this one, the later version"


def _order(row: Row) -> tuple[int, int]:
    return (row.source_no, row.record_no)


def _first(item: tuple[str, tuple[tuple[int, int], Entry, tuple[int, float]]]) -> tuple[int, int]:
    return item[1][0]


def _all_from(source: str, folders: Iterable[str], entries: dict[str, Entry]) -> bool:
    """Whether the tree holds every one of these folders as the article of ``source``: only
    then may the next run take them from the manifest without reading the input."""
    return all((entry := entries.get(f)) is not None and entry.source == source for f in folders)


def _failure_lines(error: WirekitError) -> tuple[str, ...]:
    """One line per problem: every problem of a validation error, else the error itself."""
    if isinstance(error, ValidationError):
        prefix = ": ".join(p for p in (error.source, error.place) if p)
        return tuple(f"{prefix}: {problem}" for problem in error.problems)
    return (str(error),)


def _utf8(name: str) -> bool:
    """Whether a file name is text: one that was not UTF-8 on disk comes out of the file
    system with surrogates, which no manifest, feed or message can hold."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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


def _placed(the_plan: Plan, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The folder an article is published in (the one the plan gave it: its slug, a reused
    one with a suffix from its id, or else its id, made safe), and its canonical dict as the
    tree publishes it: with the address of its page in that folder as its ``url`` when it
    brings none and the site's address is known. Only here is the folder known, so every
    link to the page (the page's own canonical link and JSON-LD, the feeds, the sitemap) takes
    it from here, and a reused slug's second article is not linked to the first one's page.
    A ``url`` that is the site's page for the slug (the text reader guesses it so, not knowing
    the folder) means this page, and is the folder's too."""
    slug = data.get("slug")
    folder = the_plan.folders.folder(slug, data["id"])
    config = the_plan.config
    given = data.get("url")
    if given and (slug is None or given != config.article_url(slug)):
        return folder, data
    url = config.article_url(folder)
    return folder, data if url is None or url == given else {**data, "url": url}


def _holds_bytes(folder: Path, name: str, files: dict[str, bytes]) -> bool:
    """Whether a file of an article's folder (not a link) holds exactly what the article's
    export made for that name: writing it would change nothing, so it is wirekit's to keep."""
    path = folder / name
    try:
        return not path.is_symlink() and path.read_bytes() == files[name]
    except OSError:  # a folder, or unreadable: not what wirekit writes
        return False


def _not_written_by_wirekit(tree: Path, name: str) -> str:
    if _through_link(tree, name):
        return (
            f"{tree / name}: a symbolic link, or a file, stands on the way to it; wirekit "
            "neither writes through it nor removes it (put a plain folder back)"
        )
    return (
        f"{tree / name}: not written by wirekit (the manifest does not record it); move it "
        "away: wirekit will not overwrite it unless given --force"
    )


def _through_link(tree: Path, name: str) -> bool:
    """Whether writing ``name`` (``a/b/c``) in ``tree`` would go through something wirekit
    does not make: anything but a plain folder on the way there (a link to a folder outside
    the tree, a file), or a link at the name itself. One ``lstat`` a part."""
    path = tree
    parts = name.split("/")
    for part in parts[:-1]:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return False
        if not stat.S_ISDIR(mode):
            return True
    return (path / parts[-1]).is_symlink()


def _occupied(tree: Path, name: str) -> bool:
    """Whether something stands at ``name`` in ``tree``, or in the way of it: a file, folder
    or link at the name, or anything but a plain folder on the way there."""
    return _through_link(tree, name) or os.path.lexists(tree / name)


def _holds(folder: Path, names: tuple[str, ...]) -> bool:
    """Whether a folder holds all these files: one directory read instead of a stat each.
    A symbolic link in the folder's place holds nothing (``O_NOFOLLOW``, at no extra cost),
    so its article is read again and refused (:meth:`Plan.folder`), never taken as published."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:  # not there, a link (ELOOP), or not a folder
        return False
    try:
        return set(names) <= set(os.listdir(fd))
    finally:
        os.close(fd)


def _timestamp(value: str | None) -> float:
    """Seconds since the epoch of a model date (see :mod:`wirekit.dates`); no date at all
    counts as older than everything."""
    return float("-inf") if value is None else timestamp(value)


def _newest_first_entry(entry: Entry) -> tuple[float, str]:
    return (-_timestamp(entry.date), entry.id)
