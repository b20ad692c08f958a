"""Converting many articles into one collection document, here or with the work spread over a
cluster; the command line's ``wirekit convert`` is a thin layer over this.

A collection is made from each article's part (:meth:`Exporter.part`), which needs no other
article, and the step that puts the parts together (:meth:`Exporter.write_parts`: a header,
the newest N, a sort). Here, the exporter does both as the articles arrive
(``Exporter.write_collection``), so memory holds a bounded window of them. On a cluster, each
partition's parts are made on a worker by :func:`export_part` (the article's model and its
part: a graph of a dump, an item of a newsMessage), and this process hands them, in the input
order, to the same ``write_parts``: one code path, so the bytes equal a local run's. A feed's
(and the news sitemap's) part is the article itself: what it draws depends on which articles
are the newest, so a worker would only build each model and send it back, two pickles an
article for the one call into C that builds it here. Those are converted here, with or without
a cluster.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from .config import Config
from .errors import UsageError
from .model import Article
from .plugin import Exporter

PARTITION = 200
"""Articles a cluster task converts: large enough that scheduling costs little next to the work,
small enough that a lost worker costs little to redo."""


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker needs to build the exporter: picklable, so it travels with the tasks."""

    exporter: str
    config: Config
    options: dict[str, str] = field(default_factory=dict)


_BUILT: list[tuple[Job, Exporter]] = []
"""This process's exporter and the job it was built for: a worker converts many partitions of
one job, so it builds the exporter (and whatever that compiles) once."""


def _exporter(job: Job) -> Exporter:
    from . import registry

    if not _BUILT or _BUILT[0][0] != job:
        _BUILT[:] = [(job, registry.exporter(job.exporter)(job.config, **job.options))]
    return _BUILT[0][1]


def export_part(job: Job, records: Sequence[dict[str, Any]]) -> list[tuple[Any, list[Warning]]]:
    """The map stage of a cluster convert: each canonical dict (validated already, where it was
    read) as its part of the collection, with the warnings making it gave. Warnings travel back
    as data, so the user sees them where they ran the command (grouped as usual, and errors
    under ``--strict``), not in a worker's log. The exporter is built once per worker process."""
    exporter = _exporter(job)
    parts: list[tuple[Any, list[Warning]]] = []
    for record in records:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            part = exporter.part(Article.from_dict(record))
        parts.append((part, [w.message for w in caught if isinstance(w.message, Warning)]))
    return parts


def write_collection(
    exporter: Exporter,
    records: Iterable[dict[str, Any]],
    stream: BinaryIO,
    *,
    cluster: str | None = None,
    progress: Callable[[int], None] | None = None,
    cluster_logs: bool = False,
) -> None:
    """The articles of ``records`` (canonical dicts, validated where they were read) as one
    ``exporter`` document on ``stream``, converted here or, when ``cluster`` names one
    (``local:N``, ``dask://HOST:PORT``), on its workers (whose Dask logging reaches the
    terminal only with ``cluster_logs``). Each article's model is built where its part is
    made, once: on a cluster, on the worker. A Ctrl-C on a cluster is taken where the map waits
    (:func:`wirekit.cluster.deferred_interrupts`), never lost in Dask's callbacks."""
    if cluster is None:
        exporter.write_collection(map(Article.from_dict, records), stream)
        return
    if not exporter.splits():
        raise UsageError(
            f"--cluster needs a collection made of parts (Exporter.part and write_parts); "
            f"{exporter.name} makes its document in one piece, so convert it without --cluster"
        )
    if not exporter.archive and type(exporter).part is Exporter.part:  # drawn from articles
        exporter.write_collection(map(Article.from_dict, records), stream)
        return
    from . import cluster as engine

    job = Job(exporter.name, exporter.config, {k: str(v) for k, v in exporter.settings.items()})
    with (
        engine.connect(cluster, verbose=cluster_logs) as client,
        engine.deferred_interrupts() as interrupted,
    ):
        parts = engine.map_ordered(
            client,
            functools.partial(export_part, job),
            engine.partitions(records, PARTITION),
            progress,
            interrupted,
        )
        exporter.write_parts(_warned(parts), stream)
        if interrupted.is_set():  # after the last part: the document is not to be kept
            raise KeyboardInterrupt


def _warned(parts: Iterable[tuple[Any, list[Warning]]]) -> Iterator[Any]:
    """The parts, each after the warnings its worker caught are given again here."""
    for part, caught in parts:
        for warning in caught:
            warnings.warn(warning, stacklevel=2)
        yield part
