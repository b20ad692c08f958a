"""The published tree: every article in every format, feeds at the top, kept current cheaply.

The local engine over the stages of :mod:`wirekit.pipeline`: plan, then map the changed
articles (inline, or in a process pool once there are enough of them), then reduce. An input
file whose bytes hash as they did at the last run, and whose articles' files are all there, is
not even read; an article whose hash (its canonical JSON plus a fingerprint of the code, the
config and the chosen formats) matches the manifest, and whose files are all there, is left
alone. Collection files (feeds, the newsMessage, the index page) are written only when their
bytes change, and not drawn at all when no article changed. Every file is written under a
temporary name and renamed, so a publish killed at any moment leaves each file whole (the old
version or the new), and the next run finishes the job: the manifest is written last.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from wirekit import audience, files
from wirekit.cluster import STOP_WAIT, OrderedMap
from wirekit.config import Config
from wirekit.errors import Interrupted, UsageError, WirekitError
from wirekit.files import atomic_write, locked, remove_stale_temporaries
from wirekit.guard import DEFAULT_MAX_REMOVE
from wirekit.pipeline import (
    DEFAULT_FEED_SIZE,
    NOT_PUBLIC,
    Reduction,
    Row,
    Settings,
    Summary,
    Task,
    available_formats,
    choose_formats,
    collection_exporters,
    expand,
    map_partition,
    not_public,
    plan,
)
from wirekit.site import ownership
from wirekit.site.ownership import RUNNING

__all__ = [
    "NOT_PUBLIC",
    "RUNNING",
    "Publisher",
    "Summary",
    "available_formats",
    "expand",
    "not_public",
]

POOL_THRESHOLD = 24
"""Below this many changed articles a process pool costs more to start than it saves."""
BATCH = 8
"""Articles a pool task publishes: one task an article cost this process (pickling, the pool's
queues and its threads) about as much CPU as the plan and the reduce together, on cores the
workers need; a few articles a task divide that, and still spread the work evenly."""
IN_FLIGHT_PER_JOB = 4
"""Batches in flight per worker process: enough that none waits for work, few enough that
memory stays flat."""
PARTITION = 100
"""Articles a cluster task publishes: enough that scheduling costs little next to the writing,
few enough that a lost worker's partition is cheap to redo."""


class Publisher:
    """Publishes inputs into a folder. Options at construction, inputs at :meth:`run`; each run
    plans anew and reports only its own counts."""

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
        max_remove: float = DEFAULT_MAX_REMOVE,
        prune: bool = False,
        dry_run: bool = False,
        force: bool = False,
        wait: float = 0.0,
        cluster: str | None = None,
        cluster_logs: bool = False,
    ) -> None:
        self.out = out
        self.config = config or Config()
        self.formats = choose_formats(formats)
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.feed_size = feed_size
        self.now = now
        self.progress = progress or (lambda done: None)
        self.max_remove = max_remove
        self.prune = prune
        self.dry_run = dry_run
        self.force = force
        """Publish into a non-empty folder that is not a published tree, and write over files
        at the tree's names that the manifest does not record (removing nothing)."""
        self.wait = wait
        """Seconds to wait for another run writing the same folder."""
        self.cluster = cluster
        """Where the map stage runs: None for this machine's processes, else a Dask cluster
        (``local:N``, ``dask://HOST:PORT``; see :mod:`wirekit.cluster`)."""
        self.cluster_logs = cluster_logs
        """Let Dask's own logging reach the terminal (``-v``)."""
        moment = audience.moment(now)  # misuse is found before a run: a bad --now,
        collection_exporters(self.formats, self.config, now, moment)  # a feed without a title
        if cluster is not None:  # a bad --cluster, or no Dask: before the tree is touched
            from wirekit import cluster as engine

            if jobs is not None:
                raise UsageError(
                    "give --jobs or --cluster, not both: --jobs is this machine's worker "
                    "processes, and with --cluster the cluster's workers do the work"
                )
            if dry_run:  # it maps nothing on the cluster: the spec is checked, Dask not needed
                engine.parse(cluster)
            else:
                engine.check(cluster)

    def run(self, inputs: Iterable[str | Path]) -> Summary:
        """Publish every input; return what happened. Bad inputs are reported, not raised;
        misuse (overlapping input and output, a foreign folder) raises :class:`UsageError`,
        and Ctrl-C :class:`Interrupted` once the tree is consistent again."""
        inputs = list(inputs)
        ownership.refuse_overlap(inputs, self.out)
        if self.out.exists() and not self.out.is_dir():
            raise UsageError(f"{self.out}: --out is a file, not a folder")
        if self.dry_run:
            return self._run(inputs, None, unfinished=(self.out / RUNNING).exists())
        if not self.force and self.out.is_dir():  # before the lock file is made in it
            ownership.refuse_foreign(self.out)
        # the cluster is reached (or started) before the tree is touched: a scheduler that is
        # not there leaves no lock and no marker in a folder this run would have made
        with self._cluster() as client:
            self.out.mkdir(parents=True, exist_ok=True)
            with locked(self.out, self.wait):
                if not self.force:
                    ownership.refuse_foreign(self.out)
                running = self.out / RUNNING
                unfinished = running.exists()  # the last run was killed or stopped
                killed = running.read_text("ascii", "replace").split() if unfinished else []
                if killed:  # sweep the temporary files the unfinished runs left
                    remove_stale_temporaries(self.out, killed)
                files.remove_temporaries_of(running)  # a run killed while writing it
                atomic_write(running, running_mark(files.run_id()))
                summary = self._run(inputs, client, unfinished=unfinished)
                running.unlink()
        return summary

    def _cluster(self) -> contextlib.AbstractContextManager[Any]:
        """A Dask client for ``--cluster`` (see :func:`wirekit.cluster.connect`), or nothing
        for a run on this machine."""
        if self.cluster is None:
            return contextlib.nullcontext()
        from wirekit import cluster as engine

        return engine.connect(self.cluster, verbose=self.cluster_logs)

    def _run(self, inputs: list[str | Path], client: Any, *, unfinished: bool) -> Summary:
        """Plan, map (here, or on ``client``'s cluster when there is one), reduce;
        ``unfinished``: the running marker says the last run did not finish."""
        engine: _Run | _ClusterRun | None = None
        recorded = 0
        try:
            the_plan = plan(
                inputs,
                self.out,
                config=self.config,
                formats=self.formats,
                feed_size=self.feed_size,
                now=self.now,
                max_remove=self.max_remove,
                prune=self.prune,
                dry_run=self.dry_run,
                force=self.force,
                unfinished=unfinished,
            )
            recorded = len(the_plan.before.articles)
            reduction = Reduction(the_plan)
            stopped = the_plan.blocked()
            if stopped:  # before reading or writing anything
                summary = reduction.summary
                summary.failed_sources.extend(the_plan.unfound)
                summary.failures.extend(f"{name}: {why}" for name, why in the_plan.unfound.items())
                summary.failures.extend(stopped)
                return summary
            engine = (
                _Run(the_plan.settings, self.jobs, self.progress, reduction, self.dry_run)
                if client is None  # no --cluster, or a dry run: it writes nothing to spread
                else _ClusterRun(the_plan.settings, client, self.progress, reduction)
            )
            engine.map(the_plan.tasks())
            return reduction.finish()
        except KeyboardInterrupt:
            if not self.dry_run:  # the marker stays: the next run judges every article again
                remove_stale_temporaries(self.out, [files.run_id()])
            written = engine.published if engine is not None else 0
            raise Interrupted(
                f"interrupted: {_count(written, 'article folder')} written, none recorded yet "
                f"(the manifest still holds {_count(recorded, 'article')}, as before this run); "
                "the tree is consistent; run again to finish"
            ) from None


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def running_mark(run_id: str) -> bytes:
    """The running marker's content while run ``run_id`` holds the tree: a cluster's task
    writes an article's folder only while the marker reads exactly this (see
    :func:`map_on_worker`)."""
    return f"{run_id}\n".encode()


def _start_pool_worker(run_id: str) -> None:
    """The pool's initializer: Ctrl-C is the parent's to handle (a worker finishes its article
    and prints no traceback), and temporaries carry the parent's run id, whatever way the
    process was started. (Warnings come back in the rows: see :func:`map_partition`.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    files.set_run_id(run_id)


class _Run:
    """One run's mapping: tasks inline until there are enough for a pool to pay, then in
    batches of :data:`BATCH` in a pool with a bounded number in flight, so memory stays flat.
    Rows go straight into the reduction; a batch with a folder still in flight waits for it,
    so one folder is never written by two workers at once (two tasks for one folder in one
    batch are written one after the other, in order)."""

    def __init__(
        self,
        settings: Settings,
        jobs: int,
        progress: Callable[[int], None],
        reduction: Reduction,
        dry_run: bool,
    ) -> None:
        self.settings = settings
        self.jobs = jobs
        self.progress = progress
        self.reduction = reduction
        self.dry_run = dry_run
        self.seen = 0
        self.published = 0
        self.pool: ProcessPoolExecutor | None = None
        self.waiting: list[Task] = []
        self.batch: list[Task] = []
        self.futures: list[tuple[set[str], Future[list[Row]]]] = []

    def map(self, items: Iterable[Row | Task]) -> None:
        try:
            for item in items:
                self.seen += 1
                if isinstance(item, Row):
                    self._done([item])
                elif self.dry_run:  # what would be written, without writing it
                    self._done([dataclasses.replace(item.row, written=len(item.row.files))])
                else:
                    self._dispatch(item)
            for task in self.waiting:
                self._done(map_partition(self.settings, [task]))
            self.waiting.clear()
            if self.batch:
                self._flush()
            while self.futures:
                self._take_oldest()
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)  # waits for the batches at work
            for _, future in self.futures:  # left on an interrupt: count what those wrote
                if not future.cancelled() and future.exception() is None:
                    self.published += sum(bool(row.written) for row in future.result())

    def _dispatch(self, task: Task) -> None:
        if self.pool is None and self.jobs > 1:
            self.waiting.append(task)
            if len(self.waiting) >= POOL_THRESHOLD:
                # Ctrl-C waits while the workers are forked: one landing inside a fork handler
                # (logging's) is printed as an ignored exception, a traceback on the terminal
                blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                try:
                    self.pool = ProcessPoolExecutor(
                        self.jobs,
                        initializer=_start_pool_worker,
                        initargs=(files.run_id(),),
                    )
                    for waiting in self.waiting:
                        self._submit(waiting)
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                self.waiting.clear()
        elif self.pool is not None:
            self._submit(task)
        else:
            self._done(map_partition(self.settings, [task]))

    def _submit(self, task: Task) -> None:
        self.batch.append(task)
        if len(self.batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        assert self.pool is not None
        folders = {task.row.folder for task in self.batch if task.row.folder is not None}
        while len(self.futures) >= self.jobs * IN_FLIGHT_PER_JOB or any(
            not folders.isdisjoint(busy) for busy, _ in self.futures
        ):
            self._take_oldest()
        self.futures.append((folders, self.pool.submit(map_partition, self.settings, self.batch)))
        self.batch = []

    def _take_oldest(self) -> None:
        """The oldest batch's rows, once it is done; it leaves the list only then, so a Ctrl-C
        while waiting for it leaves it there to be counted (see :meth:`map`)."""
        rows = self.futures[0][1].result()
        self.futures.pop(0)
        self._done(rows)

    def _done(self, rows: list[Row]) -> None:
        for row in rows:
            self.reduction.add(row)
            self.published += bool(row.written)
        self.progress(self.seen)


def map_on_worker(run_id: str, settings: Settings, tasks: Sequence[Task]) -> list[Row]:
    """:func:`~wirekit.pipeline.map_partition` on a cluster's worker, whose temporary files
    carry this run's id like a local worker's, so an interrupted run's are swept by the next.

    Before each article's folder, the task reads the tree's running marker: it writes only
    while the marker names its run (:func:`running_mark`), and otherwise stops, the rest of
    its articles failed as "not written". Why this guard, and not the client's connection or
    Dask's cancellation: Dask cannot stop a running task, and the client cannot reach the
    workers at all once it is killed (SIGKILL) or cut off, while the marker is what every run
    writes under the tree's lock before it touches anything. So a task of a run that was
    interrupted (its client rewrites the marker, then waits for its tasks) stops after the
    article it is writing; one of a killed run writes until its partition ends or, at the
    latest, stops at the next article once a new run has taken the tree, which that run does
    before it plans, well before it writes any folder. The marker is one small file, read
    once an article (next to the 2-3 ms an article's writing costs); a marker missing at a
    task's start means the workers do not see ``--out``, an error of the environment."""
    files.set_run_id(run_id)
    marker = settings.out / RUNNING
    mark = running_mark(run_id)
    rows: list[Row] = []
    for number, task in enumerate(tasks):
        try:
            current = marker.read_bytes()
        except FileNotFoundError:
            if number == 0:
                raise WirekitError(
                    f"{marker}: this run's marker is not there on a worker; the workers must "
                    "see --out at the same path (a shared file system)"
                ) from None
            current = b""
        if current != mark:
            rows.extend(
                dataclasses.replace(rest.row, failure=(f"{rest.row.source}: not written: stopped",))
                for rest in tasks[number:]
            )
            break
        rows.extend(map_partition(settings, [task]))
    return rows


class _ClusterRun:
    """One run's mapping on a Dask cluster: the changed articles go in partitions of
    :data:`PARTITION` to the workers, and their rows come back in order into the reduction,
    which runs here like the plan. A folder is never written by two partitions at once: a task
    for a folder already sent waits, and is written here after the cluster's work, in order,
    as the local engine would (two inputs claiming one folder are rare). When the cluster lost
    a worker meanwhile, this run's temporary files are swept before the reduce: Dask wrote the
    lost partitions again elsewhere, but a worker killed mid-write leaves what it was writing.

    Interrupted (Ctrl-C or SIGTERM, taken where the map waits or reads its next partition:
    :func:`wirekit.cluster.deferred_interrupts`), the run stops its tasks before it lets go of
    the tree: it rewrites the running marker, which its tasks read before each article
    (:func:`map_on_worker`), and waits for every task in flight to end
    (:meth:`wirekit.cluster.OrderedMap.drain`), counting the folders they wrote; only then does
    :meth:`Publisher.run` sweep and unlock."""

    def __init__(
        self,
        settings: Settings,
        client: Any,
        progress: Callable[[int], None],
        reduction: Reduction,
    ) -> None:
        self.settings = settings  # its out is absolute: workers have working folders of their own
        self.client = client
        """A Dask client, connected by :meth:`Publisher._cluster` before the tree was touched."""
        self.progress = progress
        self.reduction = reduction
        self.seen = 0
        self.published = 0
        self.sent: set[str] = set()
        self.later: list[Task] = []

    def map(self, items: Iterable[Row | Task]) -> None:
        from wirekit import cluster

        work = functools.partial(map_on_worker, files.run_id(), self.settings)
        batches = cluster.partitions(self._tasks(items), PARTITION)
        with cluster.deferred_interrupts() as interrupted, cluster.Losses(self.client) as losses:
            rows = cluster.map_ordered(self.client, work, batches, self._advance, interrupted)
            try:
                for row in rows:
                    self._done(row)
                if interrupted.is_set():  # after the last task was waited for: still a stop
                    raise KeyboardInterrupt
            except KeyboardInterrupt:
                self._stop(rows)
                raise
        if losses.lost:  # what a killed worker was writing, under this run's temporary names
            remove_stale_temporaries(self.settings.out, [files.run_id()])
            self.reduction.summary.notes.append(
                "the cluster lost a worker during the run; Dask ran its partitions again"
            )
        for task in self.later:
            for row in map_partition(self.settings, [task]):
                self._done(row)
        self.progress(self.seen)

    def _stop(self, rows: OrderedMap[Task, Row]) -> None:
        """Tell this run's tasks to stop and wait until none is at work (see the class)."""
        atomic_write(self.settings.out / RUNNING, f"{files.run_id()} stopped\n".encode())
        if rows.window:
            print(
                f"wirekit: interrupted: waiting up to {STOP_WAIT:.0f} s for "
                f"{len(rows.window)} tasks on the cluster to stop",
                file=sys.stderr,
            )
        done, late = rows.drain()
        self.published += sum(bool(row.written) for row in done)
        if late:
            print(
                f"wirekit: {late} tasks on the cluster did not stop in time; they write no "
                "article once their current one is done",
                file=sys.stderr,
            )

    def _tasks(self, items: Iterable[Row | Task]) -> Iterator[Task]:
        """The tasks for the cluster; rows that needed no work go straight to the reduction."""
        for item in items:
            self.seen += 1
            if isinstance(item, Row):
                self._done(item)
                continue
            assert item.row.folder is not None
            if item.row.folder in self.sent:
                self.later.append(item)
                continue
            self.sent.add(item.row.folder)
            yield item

    def _advance(self, _: int) -> None:
        self.progress(self.seen)

    def _done(self, row: Row) -> None:
        self.reduction.add(row)
        self.published += bool(row.written)
