"""``wirekit load``: every article's triples into a store, one named graph per article.

Articles stream from the inputs (files, folders, or a published tree, whose ``article.json``
files are read) into batches; each batch replaces its graphs in the target. The RDF comes from
the same exporters as the published ``.nt`` and ``.nq`` files, so the store holds exactly what
the tree publishes. A batch the store refuses fails its articles alone; a store that cannot be
reached, or refuses the credentials, stops the load, and every article not loaded is named so
that a rerun (which replaces, never duplicates) completes the job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import registry
from .config import Config
from .errors import WirekitError
from .publish import expand
from .reader import Reader
from .store import Graph, StoreError, Target

DEFAULT_BATCH = 500


@dataclass
class LoadSummary:
    """What a load did."""

    articles: int = 0
    triples: int = 0
    replaced: int = 0
    failures: list[str] = field(default_factory=list)
    """One line per input problem or article not loaded."""
    not_loaded: list[str] = field(default_factory=list)
    """Ids of valid articles that did not reach the store."""


class Loader:
    """Loads articles into one target; options at construction, inputs at :meth:`run`."""

    def __init__(
        self,
        target: Target,
        *,
        config: Config | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        from .schemaorg import article_iri

        self.target = target
        self.config = config or Config()
        self.batch_size = batch_size
        self.progress = progress or (lambda done: None)
        self._iri = article_iri
        self._ntriples = registry.exporter("ntriples")(self.config)
        self._nquads = registry.exporter("nquads")(self.config)
        self.summary = LoadSummary()
        self._stopped: StoreError | None = None

    def run(self, inputs: Iterable[str | Path]) -> LoadSummary:
        batch: list[tuple[str, Graph]] = []
        seen = 0
        for result in Reader(self.config).read_all(list(expand(inputs))):
            seen += 1
            if result.error is not None:
                self.summary.failures.append(str(result.error))
                continue
            article = result.article
            assert article is not None
            graph = Graph(
                self._iri(article, self.config),
                self._ntriples.export(article),
                self._nquads.export(article),
            )
            batch.append((article.id, graph))
            if len(batch) >= self.batch_size:
                self._send(batch)
                batch = []
                self.progress(seen)
        if batch:
            self._send(batch)
        self.progress(seen)
        return self.summary

    def _send(self, batch: list[tuple[str, Graph]]) -> None:
        """Replace a batch's graphs; once the store is gone, only count what was not loaded."""
        graphs = [graph for _, graph in batch]
        if self._stopped is None:
            try:
                self.summary.replaced += self.target.replace(graphs)
            except StoreError as exc:
                self.summary.failures.append(str(exc))
                if exc.fatal:
                    self._stopped = exc
            else:
                self.summary.articles += len(batch)
                self.summary.triples += sum(graph.triples for graph in graphs)
                return
        self.summary.not_loaded.extend(article_id for article_id, _ in batch)

    @property
    def stopped(self) -> WirekitError | None:
        """The error that stopped the load early, if any."""
        return self._stopped
