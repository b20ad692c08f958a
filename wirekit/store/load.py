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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from wirekit import audience, registry
from wirekit.config import Config
from wirekit.errors import UsageError, WirekitError
from wirekit.model import Article
from wirekit.site.publish import expand, not_public
from wirekit.sources import Reader
from wirekit.store.targets import Graph, Outcome, StoreError, Target

_Batch = dict[str, tuple[str, Graph]]
"""A batch being gathered: graph IRI -> (article id, graph), in input order."""


@dataclass
class LoadSummary:
    """What a load did."""

    articles: int = 0
    """Articles whose graph is now in the store."""
    triples: int = 0
    replaced: int = 0
    """Of those, articles whose graph was there before and was replaced."""
    failures: list[str] = field(default_factory=list)
    """One line per input problem, refusal, or the error that stopped the load."""
    not_loaded: list[str] = field(default_factory=list)
    """Ids of valid articles that did not reach the store, in input order."""
    removed: int = 0
    """Graphs deleted because their article is not public: not live at ``now`` (embargoed,
    withheld, withdrawn) or listed by a published tree as gone."""


class Loader:
    """Loads articles into one target; options at construction, inputs at :meth:`run`.
    ``batch_size`` defaults to the target's (:attr:`wirekit.store.targets.Target.batch_size`)."""

    def __init__(
        self,
        target: Target,
        *,
        config: Config | None = None,
        batch_size: int | None = None,
        progress: Callable[[int], None] | None = None,
        now: str | None = None,
    ) -> None:
        from wirekit.formats.schemaorg.mapping import article_iri

        try:
            self.moment = audience.moment(now)
        except ValueError as exc:
            raise UsageError(f"--now: {exc}") from None
        """The store is public: only articles live at this instant are loaded, and the graphs
        of the others are deleted (the real clock unless ``now`` is given)."""

        self.target = target
        self.config = config or Config()
        self.batch_size = max(1, batch_size or target.batch_size)
        self.progress = progress or (lambda done: None)
        self._iri = article_iri
        self._ntriples = registry.exporter("ntriples")(self.config)
        self.summary = LoadSummary()
        self._stopped: StoreError | None = None
        self._pending: tuple[_Batch, Future[Outcome]] | None = None
        self._retracted: set[str] = set()
        """IRIs of the graphs to delete: articles not live, and a tree's list of them."""

    def run(self, inputs: Iterable[str | Path]) -> LoadSummary:
        """Load every article of the inputs; return the summary.

        Raises :class:`StoreError` when the target cannot be opened, or stops the load (a
        wrong password, a server that is not there) before a single graph was stored.
        """
        self.target.open()
        batch: _Batch = {}
        seen = 0
        # leaving the block waits for the batch being stored, also when interrupted
        inputs = list(inputs)
        for item in inputs:  # what a published tree says must leave the store
            self._retracted.update(not_public(Path(item)))
        with ThreadPoolExecutor(1, thread_name_prefix="wirekit-load") as pool:
            try:
                for result in Reader(self.config).read_all(list(expand(inputs))):
                    seen += 1
                    if result.error is not None:
                        self.summary.failures.append(str(result.error))
                        continue
                    article = result.article
                    assert article is not None
                    if not audience.is_live(article, self.moment):  # its graph goes, later
                        iri = self._iri(article, self.config)
                        self._retracted.add(iri)
                        batch.pop(iri, None)
                        continue
                    if self._stopped is not None:
                        self.summary.not_loaded.append(article.id)
                        continue
                    graph = self._graph(article)
                    if graph is None:
                        continue
                    self._retracted.discard(graph.iri)
                    if graph.iri in batch:  # the same article again: its later version wins
                        self._send(pool, batch)
                        batch = {}
                    batch[graph.iri] = (article.id, graph)
                    if len(batch) >= self.batch_size:
                        self._send(pool, batch)
                        batch = {}
                        self.progress(seen)
                self._send(pool, batch)
                self._collect()
            finally:
                self._pending = None
        self._retract()
        self.progress(seen)
        return self.summary

    def _retract(self) -> None:
        """Delete the graphs of the articles that are not public (each replaced by nothing),
        once everything else is stored; not after the load was stopped."""
        if not self._retracted or self._stopped is not None:
            return
        outcome = self.target.replace([Graph(iri, b"") for iri in sorted(self._retracted)])
        self.summary.removed += len(outcome.stored)
        self.summary.failures.extend(outcome.problems)
        if outcome.stopped is not None:
            self._stopped = outcome.stopped
            self.summary.failures.append(str(outcome.stopped))

    def _graph(self, article: Article) -> Graph | None:
        """The article's graph; ``None`` (and a failure) when it cannot be written as RDF."""
        try:
            return Graph(self._iri(article, self.config), self._ntriples.export(article))
        except WirekitError as exc:
            self.summary.failures.append(f"{article.id}: {exc}")
            self.summary.not_loaded.append(article.id)
            return None

    def _send(self, pool: ThreadPoolExecutor, batch: _Batch) -> None:
        """Hand a batch to the target once the one before has been stored (one at a time,
        in order, so a later version of an article always lands after an earlier one)."""
        if not batch:
            return
        self._collect()
        if self._stopped is not None:
            self.summary.not_loaded.extend(article_id for article_id, _ in batch.values())
            return
        graphs = [graph for _, graph in batch.values()]
        self._pending = (batch, pool.submit(self.target.replace, graphs))

    def _collect(self) -> None:
        """Wait for the batch being stored and account for it, graph by graph."""
        if self._pending is None:
            return
        batch, future = self._pending
        self._pending = None
        outcome = future.result()
        stored = set(outcome.stored)
        summary = self.summary
        summary.replaced += outcome.existed
        summary.failures.extend(outcome.problems)
        for iri, (article_id, graph) in batch.items():
            if iri in stored:
                summary.articles += 1
                summary.triples += graph.triples
            else:
                summary.not_loaded.append(article_id)
        if outcome.stopped is not None and self._stopped is None:
            self._stopped = outcome.stopped
            if summary.articles == 0:  # nothing stored: the reason is all there is to say
                raise outcome.stopped
            summary.failures.append(str(outcome.stopped))

    @property
    def stopped(self) -> WirekitError | None:
        """The error that stopped the load early, if any."""
        return self._stopped
