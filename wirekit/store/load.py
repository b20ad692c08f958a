"""``wirekit load``: every article's triples into a store, one named graph per article.

Articles stream from the inputs (files, folders, or a published tree, whose ``article.json``
files are read) into batches; each batch replaces its graphs in the target. The RDF comes from
the same exporter as the published ``.nt`` files (and the ``.nq`` files say the same in the
article's graph), so the store holds exactly what the tree publishes.

While the target stores one batch, the next is read and turned into RDF: the two take about as
long as each other, so overlapping them nearly halves a load. A graph the store refuses fails
its article alone; a store that cannot be reached, or refuses the credentials, stops the load,
and every article not loaded is named, so that a rerun (which replaces, never duplicates)
completes the job. A load that stops before anything was stored raises instead: there is
nothing to list but the reason.

A graph wirekit did not create is never replaced or removed: the target keeps a record of the
graphs wirekit created, and before a batch is stored one question per batch
(:meth:`~wirekit.store.targets.Target.held`) says which of its graphs the store holds and which
of those the record names. An article whose graph the store holds without that record is not
loaded, and the input is named; so is a graph said to be not public, which stays.

Two copies of one article (one IRI) among the inputs are one article: the later version wins
(:func:`wirekit.pipeline.version_rank`, publish's rule), the summary counts it once, and a note
names both inputs, as publish's does.

The store is public: only articles live at ``now`` (:func:`wirekit.audience.is_live`) are
loaded; the graphs of the others, and those a published tree lists as no longer public
(:data:`wirekit.site.publish.NOT_PUBLIC`), are removed once the rest is stored.

With ``sync``, the store's set of article graphs is made equal to the inputs': the graphs that
wirekit created (the target keeps a record of them) whose article is no longer among the inputs
are removed too: none of them when they are more than ``max_remove`` of the graphs wirekit
created there (publish's guard, :func:`wirekit.guard.too_many_removed`) unless ``prune``
says that is meant, and none when an input failed (its article's graph would look gone).
``dry_run`` reads everything and changes nothing.

A :class:`Loader` holds the options; each :meth:`Loader.run` keeps its state in its own
:class:`_Run`, so a second run never reports the first one's counts.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from wirekit import audience, registry
from wirekit.config import Config
from wirekit.errors import WirekitError
from wirekit.guard import DEFAULT_MAX_REMOVE, too_many_removed
from wirekit.model import Article
from wirekit.pipeline import duplicate_note, expand, not_public, version_rank
from wirekit.sources import Reader
from wirekit.store.targets import Graph, Outcome, StoreError, Target

WHAT = "article graphs wirekit loaded"
"""What the remove guard counts in a store."""


class _Copy(NamedTuple):
    """One article as read, on its way to the store."""

    article_id: str
    graph: Graph
    where: str
    """The input it came from, and the place in it: what a message about it names."""


_Batch = dict[str, _Copy]
"""A batch being gathered: graph IRI -> the article's copy, in input order."""

BATCH_BYTES = 4 << 20
"""A batch is sent once its N-Triples reach this size, however few articles it holds, so that
memory stays bounded whatever the articles' size (two batches are held: one being stored, one
being gathered). A 300 MB archive of 100 articles peaked at 211 MB with 16 MiB, 181 MB with 4 MiB
(``python -m benchmarks.store_memory``); big articles fill a batch alone, small ones still go
by the thousand."""


_M_MMAP_THRESHOLD = -3
"""``mallopt``'s number for the mmap threshold (glibc's ``malloc.h``)."""
BIG_BLOCK = 128 << 10
"""From this size up, a block gets its own mapping (glibc's own starting threshold)."""


def keep_big_blocks_apart() -> None:
    """Have glibc's malloc give every block of :data:`BIG_BLOCK` or more its own mapping, which
    goes back to the system when the block is freed; a process-wide setting, for the process
    that runs a load (the command line's).

    That is glibc's rule only until the first such block is freed: then it raises the threshold
    to that block's size (up to 32 MiB), so the next articles' multi-megabyte strings (a body's
    text, its literal, its N-Triples) come from the heap, which they fragment and which never
    shrinks. An embedded load of a 300 MB archive of 100 articles peaked at 251 MB that way, at
    156 MB with the threshold held (``python -m benchmarks.store_memory --embedded``). Where the C
    library has no ``mallopt`` (macOS, Windows) this does nothing."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(_M_MMAP_THRESHOLD, BIG_BLOCK)


@dataclass
class LoadSummary:
    """What a load did."""

    articles: int = 0
    """Articles whose graph is now in the store (with ``dry_run``: would be)."""
    triples: int = 0
    replaced: int = 0
    """Of those, articles whose graph was there before the load and was replaced."""
    failures: list[str] = field(default_factory=list)
    """One line per input problem, refusal, or the error that stopped the load."""
    not_loaded: list[str] = field(default_factory=list)
    """Ids of valid articles that did not reach the store, in input order, each once."""
    removed: int = 0
    """Graphs deleted because their article is not public: not live at ``now`` (embargoed,
    withheld, withdrawn) or listed by a published tree as gone."""
    gone: list[str] = field(default_factory=list)
    """Graphs ``sync`` removed because their article left the inputs (with ``dry_run``: would
    remove), sorted."""
    notes: list[str] = field(default_factory=list)
    """Things the operator should know that are not failures: an article read twice (the
    later version loaded), a graph said to be not public that wirekit did not create, and so
    left where it is."""
    dry_run: bool = False


class Loader:
    """Loads articles into one target; options at construction, inputs at :meth:`run`.
    ``batch_size`` defaults to the target's (:attr:`wirekit.store.targets.Target.batch_size`);
    ``now`` (RFC 3339) is the moment articles are judged live at, the clock unless given."""

    def __init__(
        self,
        target: Target,
        *,
        config: Config | None = None,
        batch_size: int | None = None,
        progress: Callable[[int], None] | None = None,
        sync: bool = False,
        max_remove: float = DEFAULT_MAX_REMOVE,
        prune: bool = False,
        dry_run: bool = False,
        now: str | None = None,
        wait: float = 0.0,
    ) -> None:
        from wirekit.formats.schemaorg.mapping import article_iri

        audience.moment(now)  # a bad --now is misuse found before any run
        self.now = now
        """The moment each run judges articles live at (RFC 3339); None: the clock, read when
        that run starts, so a Loader used again judges its next run at its own time."""
        self.target = target
        self.config = config or Config()
        self.batch_size = max(1, batch_size or target.batch_size)
        self.progress = progress or (lambda done: None)
        self.sync = sync
        self.max_remove = max_remove
        self.prune = prune
        self.dry_run = dry_run
        self.wait = wait
        """Seconds to wait while another load writes the same embedded store."""
        self.iri = article_iri
        self.ntriples = registry.exporter("ntriples")(self.config)
        self._last: _Run | None = None

    def run(self, inputs: Iterable[str | Path]) -> LoadSummary:
        """Load every article of the inputs; return the summary.

        Raises :class:`StoreError` when the target cannot be opened, or stops the load (a
        wrong password, a server that is not there) before a single graph was stored, and
        :class:`~wirekit.errors.WirekitError` when another load holds the embedded store for
        longer than ``wait`` seconds.
        """
        self._last = _Run(self)
        if self.dry_run:  # reads only: queries run beside a load, and so may this
            return self._last.execute(inputs)
        with self.target.lock(self.wait):
            return self._last.execute(inputs)

    @property
    def stopped(self) -> WirekitError | None:
        """The error that stopped the last run early, if any."""
        return self._last.stopped if self._last is not None else None


class _Run:
    """One load's state: its summary, the batch being stored, what it has seen."""

    def __init__(self, plan: Loader) -> None:
        self.plan = plan
        self.moment = audience.moment(plan.now)
        self.summary = LoadSummary(dry_run=plan.dry_run)
        self.stopped: StoreError | None = None
        self.pending: tuple[_Batch, Future[tuple[dict[str, bool], Outcome]]] | None = None
        self.present: set[str] = set()
        """IRIs of the articles read (and not withdrawn), whatever became of them."""
        self.loaded: dict[str, tuple[int, bool]] = {}
        """The graphs this run stored (with ``dry_run``: would store), each with its triples
        and whether the store held it before: wirekit's, as much as those the store's record
        names. An article read twice is one entry, its last copy's."""
        self.refused: set[str] = set()
        """IRIs of the graphs the store holds without wirekit's record: left as they are."""
        self.missing: set[str] = set()
        """The ids in the summary's ``not_loaded``, so that each is named once."""
        self.retracted: set[str] = set()
        """IRIs of the graphs to delete: articles not live, and a tree's list of them."""
        self.latest: dict[str, tuple[tuple[int, float], str, str | None]] = {}
        """The latest version read of each article (see :func:`wirekit.pipeline.version_rank`),
        with its input and place: an earlier copy read after it is skipped, as publish skips
        it, so an older live version never brings back a story a later version withheld."""
        self.input_failed = False

    def execute(self, inputs: Iterable[str | Path]) -> LoadSummary:
        plan = self.plan
        inputs = list(inputs)
        for item in inputs:  # what a published tree says must leave the store
            self.retracted.update(not_public(Path(item)))
        if not plan.dry_run:
            plan.target.open()
        # sync compares the record as it was before this run stored anything
        managed = plan.target.managed() if plan.sync else None
        batch: _Batch = {}
        seen = size = 0
        # leaving the block waits for the batch being stored, also when interrupted
        with ThreadPoolExecutor(1, thread_name_prefix="wirekit-load") as pool:
            try:
                for result in Reader(plan.config).read_all(list(expand(inputs))):
                    seen += 1
                    if result.error is not None:
                        self.summary.failures.append(str(result.error))
                        self.input_failed = True
                        continue
                    article = result.article
                    assert article is not None
                    iri = plan.iri(article, plan.config)
                    if not self._latest(article, iri, result.source, result.place):
                        continue  # an earlier version of one read before: that one stands
                    earlier = batch.pop(iri, None)  # this copy takes its place
                    size -= len(earlier.graph.ntriples) if earlier is not None else 0
                    if not audience.is_live(article, self.moment):  # its graph goes, later
                        self.retracted.add(iri)
                        continue
                    graph = self._graph(article, iri)
                    if graph is None:
                        continue
                    self.retracted.discard(graph.iri)
                    if self.stopped is not None:
                        self._not_loaded(article.id)
                        continue
                    where = _named(result.source, result.place)
                    batch[graph.iri] = _Copy(article.id, graph, where)
                    size += len(graph.ntriples)
                    if len(batch) >= plan.batch_size or size >= BATCH_BYTES:
                        self._send(pool, batch)
                        batch, size = {}, 0
                        plan.progress(seen)
                self._send(pool, batch)
                self._collect()
            finally:
                self.pending = None
        plan.progress(seen)
        self._remove(managed)
        return self.summary

    def _latest(self, article: Article, iri: str, source: str, place: str | None) -> bool:
        """Whether this copy of an article is the latest version read so far (publish's rule,
        ties to the later input). A second copy is a note naming both inputs, in publish's
        words: the article is one, loaded once and counted once."""
        rank = version_rank(article.version, article.date_modified)
        held = self.latest.get(iri)
        newer = held is None or rank >= held[0]
        if newer:
            self.latest[iri] = (rank, source, place)
        if held is not None:
            here, there = _named(source, place), _named(held[1], held[2])
            winner, loser = (here, there) if newer else (there, here)
            self.summary.notes.append(duplicate_note(winner, article.id, loser))
        return newer

    def _graph(self, article: Article, iri: str) -> Graph | None:
        """The article's graph; ``None`` (and a failure) when it cannot be written as RDF."""
        plan = self.plan
        try:
            graph = Graph(iri, plan.ntriples.export(article))
        except WirekitError as exc:
            self.summary.failures.append(f"{article.id}: {exc}")
            self._not_loaded(article.id)
            self.input_failed = True
            return None
        self.present.add(graph.iri)
        return graph

    def _not_loaded(self, article_id: str) -> None:
        if article_id not in self.missing:
            self.missing.add(article_id)
            self.summary.not_loaded.append(article_id)

    def _send(self, pool: ThreadPoolExecutor, batch: _Batch) -> None:
        """Hand a batch to the target once the one before has been stored (one at a time,
        in order, so a later version of an article always lands after an earlier one)."""
        if not batch:
            return
        self._collect()
        if self.stopped is not None:
            for copy in batch.values():
                self._not_loaded(copy.article_id)
            return
        graphs = [copy.graph for copy in batch.values()]
        self.pending = (batch, pool.submit(self._store, graphs))

    def _store(self, graphs: list[Graph]) -> tuple[dict[str, bool], Outcome]:
        """Which of the batch's graphs the store holds and whose they are (one question for
        the batch); then replace the graphs but those the store holds without wirekit's record
        (with ``dry_run``: say they would be). Runs beside the reading of the next batch."""
        try:
            held = self.plan.target.held([graph.iri for graph in graphs])
        except StoreError as exc:
            if not exc.fatal:  # an answer wirekit cannot read, as every batch would get: stop
                exc = StoreError(f"{exc} (nothing replaced)", fatal=True)
            return {}, Outcome(stopped=exc)
        ours = [graph for graph in graphs if held.get(graph.iri, True)]
        if self.plan.dry_run or not ours:
            return held, Outcome(stored=[graph.iri for graph in ours])
        return held, self.plan.target.replace(ours)

    def _collect(self) -> None:
        """Wait for the batch being stored and account for it, graph by graph."""
        if self.pending is None:
            return
        batch, future = self.pending
        self.pending = None
        held, outcome = future.result()
        stored = set(outcome.stored)
        summary = self.summary
        summary.failures.extend(outcome.problems)
        for iri, copy in batch.items():
            if iri in stored:
                self._loaded(iri, copy, iri in held)
            elif held.get(iri) is False:
                self._refuse(iri, copy)
            else:
                self._not_loaded(copy.article_id)
        if outcome.stopped is not None and self.stopped is None:
            self.stopped = outcome.stopped
            if summary.articles == 0:  # nothing stored: the reason is all there is to say
                raise outcome.stopped
            summary.failures.append(str(outcome.stopped))

    def _loaded(self, iri: str, copy: _Copy, existed: bool) -> None:
        """Count a graph stored; an article stored again (a later copy) counts once, with
        its last copy's triples, as replaced only when the store held it before this run."""
        summary = self.summary
        before = self.loaded.get(iri)
        if before is None:
            summary.articles += 1
            summary.replaced += existed
        else:
            summary.triples -= before[0]
            existed = before[1]
        summary.triples += copy.graph.triples
        self.loaded[iri] = (copy.graph.triples, existed)
        if copy.article_id in self.missing:  # an earlier copy failed; this one made it
            self.missing.discard(copy.article_id)
            summary.not_loaded.remove(copy.article_id)

    def _refuse(self, iri: str, copy: _Copy) -> None:
        """An article whose graph the store holds without wirekit's record: someone else's,
        which stays as it is. Named once, however many copies of the article were read."""
        if iri not in self.refused:
            self.refused.add(iri)
            self.summary.failures.append(
                f"{copy.where}: graph <{iri}> is in {self.plan.target.name}, but wirekit did "
                "not create it: not replaced; if this article is to take its place, drop that "
                f"graph (DROP GRAPH <{iri}>) and load again"
            )
        self._not_loaded(copy.article_id)

    def _unload(self, removed: set[str]) -> None:
        """Take the graphs this run stored and then removed (a later copy of the article was
        not public) out of the counts of what it loaded."""
        summary = self.summary
        for iri in removed & self.loaded.keys():
            triples, existed = self.loaded.pop(iri)
            summary.articles -= 1
            summary.triples -= triples
            summary.replaced -= existed

    def _remove(self, managed: set[str] | None) -> None:
        """Once the rest is stored (and not after the load was stopped): delete the graphs of
        the articles that are not public, and under ``sync`` the graphs wirekit created whose
        articles left the inputs (within the guard, and only after a clean load).

        Both go by the rule loading goes by: a graph the store holds goes only when the store's
        record says wirekit created it (or this run stored it). The names of the graphs that
        are not public come from untrusted text (a tree's :data:`~wirekit.pipeline.NOT_PUBLIC`
        list is a file anyone can edit, an article's id is anyone's to choose), so a graph they
        name that wirekit did not create stays, and the operator is told; a named graph the
        store does not hold is dropped as before, which changes nothing but the count."""
        plan, summary = self.plan, self.summary
        if self.stopped is not None:
            return
        self.retracted -= self.refused  # someone else's graph, said once already (_refuse)
        if self.retracted:
            try:
                held = self.plan.target.held(sorted(self.retracted - self.loaded.keys()))
                foreign = {iri for iri, ours in held.items() if not ours}
            except StoreError as exc:  # cannot tell what is there: remove none of them
                summary.failures.append(f"{exc} (not removing the graphs wirekit did not record)")
                foreign = set()
                self.retracted &= self.loaded.keys()
            summary.notes.extend(
                f"{plan.target.name}: graph <{iri}> is said to be not public, but wirekit did "
                "not create it: left in the store"
                for iri in sorted(foreign)
            )
            self.retracted -= foreign
        managed = managed or set()
        gone = managed - self.present - self.retracted if plan.sync else set()
        if gone and self.input_failed:
            summary.failures.append(
                f"sync: {len(gone)} graphs not removed, because an input failed (its article "
                "would look gone); fix that and load again"
            )
            gone = set()
        elif not plan.prune and (
            stopped := too_many_removed(
                plan.target.name, len(gone), len(managed), plan.max_remove, WHAT
            )
        ):
            summary.failures.append(f"sync: {stopped}")
            gone = set()
        if plan.dry_run:
            summary.removed, summary.gone = len(self.retracted), sorted(gone)
            self._unload(self.retracted)
            return
        doomed = sorted(self.retracted | gone)
        if not doomed:
            return
        outcome = plan.target.remove(doomed)
        done = set(outcome.stored)
        summary.removed = len(done & self.retracted)
        summary.gone = sorted(done & gone)
        self._unload(done)
        summary.failures.extend(outcome.problems)
        if outcome.stopped is not None:
            self.stopped = outcome.stopped
            summary.failures.append(str(outcome.stopped))


def _named(source: str, place: str | None) -> str:
    """An input as messages name it: the file, and the place in it when it holds several."""
    return f"{source}: {place}" if place else source
