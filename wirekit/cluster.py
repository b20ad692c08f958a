"""Running the map stage on a Dask cluster: a thin adapter, so the stages stay engine-neutral.

:mod:`wirekit.pipeline` splits a publish into plan -> map -> reduce. The plan and the reduce run
here, in the process the user started; only the map, a pure function of its partition apart
from its own atomic writes, goes to the cluster. This module knows Dask and nothing of
articles: it takes a picklable function and an iterable of items, and gives back the function's
results in the items' order, whatever order the workers finished in. A Spark or Beam runner
would be another function of the same shape.

Why Dask (``distributed``'s futures, a task a partition, handed back in submission order): pure
Python, runs in-process or on a ``LocalCluster`` for tests, and deploys to Kubernetes, YARN and
HPC queues with its own tools. A worker lost mid-run is retried by the scheduler; the map tasks
are idempotent (every file is written whole, by rename), so the result is still exact;
:class:`Losses` tells the caller to sweep what a killed worker was writing.

Workers must see the inputs' data (it travels with the tasks) and the output folder: on more
than one machine, ``--out`` must be a shared file system mounted at the same path everywhere.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import itertools
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from .errors import UsageError, WirekitError, os_error_line, printable

T = TypeVar("T")
R = TypeVar("R")

LOCAL = "local:"
SCHEMES = ("dask://", "tcp://")
FORMS = (
    "local:N for N workers here, or dask://HOST:PORT (or tcp://HOST:PORT) for a running scheduler"
)
INSTALL = 'install the cluster extra: pip install "wirekit[dask]"'

WORKERS_PER_CORE = 4
"""``local:N`` starts at most this many workers a core. A worker is a process of its own (an
interpreter, about 100 MB before it does anything) running CPU-bound work on one thread: beyond
a few a core they only take turns and memory, and a mistyped N of thousands would start
processes until the machine runs out of memory, without a word."""

CONNECT_TIMEOUT = 5.0
"""Seconds the first contact with a scheduler may take: a refused connection or an unknown
host is said at once, and a scheduler that answers nothing in this time is not there."""

WORKER_WAIT = 120.0
"""Seconds a run waits for a first worker to join a scheduler that has none (workers are often
started alongside the scheduler and take a while to come up); then it gives up, exit 1."""

WINDOW = 64
"""Partitions in flight at once: the plan is read ahead this far and no further, so memory in
the user's process stays bounded however large the archive."""

RETRIES = 3
"""How often a partition is tried again after an error on a worker (a lost worker is
rescheduled by Dask itself and does not count here)."""

POLL = 0.1
"""Seconds between two looks at a deferred interrupt while a task is waited for: how long a
Ctrl-C may go unanswered (see :func:`deferred_interrupts`)."""

STOP_WAIT = 60.0
"""Seconds an interrupted run waits, in all, for the tasks it has in flight to end (see
:meth:`OrderedMap.drain`)."""


class ClusterError(WirekitError):
    """The cluster could not be used: Dask is not installed, the scheduler cannot be reached or
    has no worker, or a partition failed on it (exit 1: the environment, not the command)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Spec:
    """A ``--cluster`` value, checked: a cluster of ``workers`` to start here, or the
    ``address`` of a running scheduler (``tcp://HOST:PORT``, ``host`` and ``port`` apart for
    the first contact)."""

    workers: int = 0
    address: str = ""
    host: str = ""
    port: int = 0


def parse(spec: str) -> Spec:
    """Check a ``--cluster`` value without importing Dask or touching the network, so that a
    mistyped one is misuse (:class:`UsageError`) whether Dask is installed or not, and on a dry
    run too."""
    if spec.startswith(LOCAL):
        workers = spec.removeprefix(LOCAL)
        if not (workers.isascii() and workers.isdigit()) or int(workers) < 1:
            raise UsageError(f"--cluster {spec!r}: say how many workers, as local:2")
        most = (os.cpu_count() or 1) * WORKERS_PER_CORE
        if int(workers) > most:
            raise UsageError(
                f"--cluster {spec!r}: at most {most} workers on this machine "
                f"({WORKERS_PER_CORE} a core); for more, start a scheduler and its workers "
                "and give dask://HOST:PORT"
            )
        return Spec(workers=int(workers))
    scheme = next((s for s in SCHEMES if spec.startswith(s)), None)
    host, _, port = spec.removeprefix(scheme or "").rpartition(":")
    bare = host.removeprefix("[").removesuffix("]")  # an IPv6 address: [::1]:8786
    if (
        scheme is None
        or not bare
        or any(c in bare for c in "/@ ")
        or not (port.isascii() and port.isdigit() and 0 < int(port) < 65536)
    ):
        unsupported = " (TLS is not supported: it needs certificates)" * spec.startswith("tls://")
        raise UsageError(f"--cluster {spec!r}{unsupported}: give {FORMS}")
    return Spec(address=f"tcp://{host}:{int(port)}", host=bare, port=int(port))


def check(spec: str) -> Spec:
    """:func:`parse`, and Dask importable: what a run needs before it touches anything."""
    parsed = parse(spec)
    _client_class()
    return parsed


def _client_class() -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(f"--cluster needs Dask, which is not installed: {INSTALL}") from None
    return Client


def local_cluster(workers: int, *, verbose: bool = False) -> Any:
    """The ``LocalCluster`` of ``local:N``: N single-threaded worker processes on loopback
    (the tests and the scaling benchmark start theirs here too, so they measure this one).

    Its workers are this process's children and share the terminal's process group, so a
    Ctrl-C reaches them too: each ignores SIGINT (:func:`dask_setup`, run in every worker
    process, a restarted one included), and this process, which handles the interrupt, shuts
    them down. A worker would take a Ctrl-C before its preload runs, while it imports Dask, so
    SIGINT is ignored here while the cluster starts: the one disposition a process keeps
    across the ``exec`` of a spawned worker (a blocked mask was tried and is not kept). The
    price: a Ctrl-C in those first seconds is not seen, and has to be pressed again. Their
    logging, and the scheduler's here, is silenced below errors unless ``verbose``: the run's
    own lines say what happened."""
    from distributed import LocalCluster

    with handling(signal.SIGINT, signal.SIG_IGN):
        return LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",  # it cannot be turned off: loopback, any port
            host="127.0.0.1",
            preload=[__name__],
            silence_logs=_log_level(verbose),
        )


@contextlib.contextmanager
def handling(signum: int, handler: Any) -> Iterator[None]:
    """``handler`` for signal ``signum`` while the block runs, then the one before; only in the
    main thread, the only one that may set a handler (elsewhere the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signum, handler)
    try:
        yield
    finally:
        signal.signal(signum, before)


def dask_setup(worker: object) -> None:
    """Dask's preload hook, run in each worker process of :func:`local_cluster` as it starts:
    the terminal's Ctrl-C is the client's to handle, and a worker that took it would print a
    traceback and drop the task it was running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _log_level(verbose: bool) -> int:
    """Dask's own logging: its warnings (a worker removed, a task cancelled) with ``-v``,
    otherwise only what breaks Dask itself."""
    return logging.WARNING if verbose else logging.CRITICAL


@contextlib.contextmanager
def _quiet(verbose: bool) -> Iterator[None]:
    """This process's ``distributed`` logging at :func:`_log_level` while a run uses the
    cluster, as it was afterwards (an embedding program keeps its own setting)."""
    logger = logging.getLogger("distributed")
    before = logger.level
    logger.setLevel(_log_level(verbose))
    try:
        yield
    finally:
        logger.setLevel(before)


@contextlib.contextmanager
def connect(spec: str, *, verbose: bool = False) -> Iterator[Any]:
    """A Dask client for ``spec`` (see :func:`parse`): ``local:N`` starts a ``LocalCluster`` of
    N single-threaded worker processes for this run; ``dask://HOST:PORT`` (or ``tcp://``) joins
    a running scheduler, once it answers and has a worker (see :func:`_await_workers`). The
    client, and a cluster started here, close when the block ends. Dask's logging stays off
    the terminal unless ``verbose`` (see :func:`local_cluster`)."""
    parsed = parse(spec)
    client_class = _client_class()
    if parsed.workers:
        with (
            _quiet(verbose),
            local_cluster(parsed.workers, verbose=verbose) as cluster,
            client_class(cluster) as client,
        ):
            yield client
        return
    _reach(parsed)
    with _quiet(verbose):
        try:
            client = client_class(parsed.address, timeout="20s")
        except OSError as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {parsed.address}: {exc}"
            ) from None
        with client:
            _await_workers(client, parsed.address)
            yield client


def _reach(spec: Spec) -> None:
    """One plain TCP connection to the scheduler, opened and closed: an unknown host or a
    refused port is said at once (Dask's own client tries again and again until its timeout).
    The scheduler logs it, at INFO, as a connection closed before its handshake."""
    try:
        with socket.create_connection((spec.host, spec.port), timeout=CONNECT_TIMEOUT):
            pass
    except socket.gaierror as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {spec.address}: no such host ({exc.strerror})"
        ) from None
    except TimeoutError:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {spec.address}: no answer in {CONNECT_TIMEOUT:g} s"
        ) from None
    except OSError as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {spec.address}: {exc.strerror or exc}"
        ) from None


def _await_workers(client: Any, address: str) -> None:
    """Wait, saying so on stderr, while the scheduler has no worker: its tasks would wait
    forever. Gives up after :data:`WORKER_WAIT` seconds."""
    if client.nthreads():
        return
    print(
        f"wirekit: waiting for workers: the scheduler at {printable(address)} has 0 "
        f"(giving up after {WORKER_WAIT:g} s)",
        file=sys.stderr,
        flush=True,
    )
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except TimeoutError:
        raise ClusterError(
            f"no worker joined the Dask scheduler at {address} in {WORKER_WAIT:g} s; start "
            f"some (dask worker {address}) and run again"
        ) from None


class Losses:
    """Whether the cluster lost a worker while the block ran (``with Losses(client) as
    losses: ...``, then ``losses.lost``). Dask runs a lost worker's partitions again elsewhere,
    so the results are whole; but a worker killed in the middle of writing leaves the file or
    folder it was writing under its temporary name, for the caller to sweep. Two signals, so
    neither a late event nor a worker that came and went is missed: the scheduler's
    ``remove-worker`` events while the block runs, and a worker of the start missing at the
    end (a nanny restarts a killed worker under a new address)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.lost = False
        self._start: set[str] = set()

    def __enter__(self) -> Losses:
        self._start = set(self.client.nthreads())
        self.client.subscribe_topic("all", self._event)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.lost and exc[0] is None:
                self.lost = not self._start <= set(self.client.nthreads())
        finally:
            self.client.unsubscribe_topic("all")

    def _event(self, event: tuple[float, Any]) -> None:
        _, message = event
        if isinstance(message, dict) and message.get("action") == "remove-worker":
            self.lost = True


def partitions(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size``, in order."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def map_ordered(
    client: Any,
    function: Callable[[Sequence[T]], list[R]],
    batches: Iterable[list[T]],
    progress: Callable[[int], None] | None = None,
    interrupted: threading.Event | None = None,
) -> OrderedMap[T, R]:
    """``function`` over each batch on the cluster; iterated, its results, batch after batch, in
    order (see :class:`OrderedMap`)."""
    return OrderedMap(client, function, batches, progress, interrupted)


class OrderedMap(Generic[T, R]):
    """``function`` over each batch on the cluster, its results handed on in the batches' order.

    Each batch is one task, submitted as it is read. At most :data:`WINDOW` are in flight: when
    the window is full, the oldest is waited for and its results handed on, so the workers
    stay busy while memory here stays bounded. ``progress`` hears how many items each batch
    held as its results are handed on. A run interrupted while it iterates calls
    :meth:`drain`, so that no task of it is still at work when the caller lets go.

    ``interrupted``, when given, is the caller's Ctrl-C, taken where the map waits: once it is
    set, the wait raises ``KeyboardInterrupt`` (see :func:`deferred_interrupts`).
    """

    def __init__(
        self,
        client: Any,
        function: Callable[[Sequence[T]], list[R]],
        batches: Iterable[list[T]],
        progress: Callable[[int], None] | None = None,
        interrupted: threading.Event | None = None,
    ) -> None:
        self.client = client
        self.function = function
        self.batches = batches
        self.progress = progress
        self.interrupted = interrupted
        self.window: collections.deque[tuple[Any, int]] = collections.deque()
        self.handing: collections.deque[R] = collections.deque()
        """The results of the batch being handed on, not yet taken by the caller."""

    def __iter__(self) -> Iterator[R]:
        for batch in self.batches:
            self._check()
            future = self.client.submit(
                _Partition(self.function, batch), pure=False, retries=RETRIES
            )
            self.window.append((future, len(batch)))
            if len(self.window) >= WINDOW:
                yield from self._hand_on()
        while self.window:
            yield from self._hand_on()

    def _hand_on(self) -> Iterator[R]:
        """The oldest batch's results, one by one; those the caller has not taken when it is
        interrupted stay in :attr:`handing`, for :meth:`drain`."""
        self.handing.extend(self._oldest())
        while self.handing:
            yield self.handing.popleft()

    def drain(self, wait: float = STOP_WAIT) -> tuple[list[R], int]:
        """After an interrupt: wait for every task still in flight to end, up to ``wait``
        seconds in all, and give back the results the caller had not taken yet and those of the
        tasks that ended (failures are dropped: the run is over), with how many did not end in
        time; those are cancelled.

        Why wait rather than cancel: Dask cannot stop a running task (a cancelled one runs on
        in its worker's thread, its result thrown away), so a caller that cancelled and let go
        would leave tasks writing after it. The caller first tells its tasks to stop (the
        publish rewrites its running marker, which they read before each article, see
        :func:`wirekit.site.publish.map_on_worker`): then one not yet started ends at once, and
        one at work ends after the article it is writing, and the results say what they
        wrote."""
        deadline = time.monotonic() + wait
        results: list[R] = list(self.handing)
        self.handing.clear()
        while self.window:
            future, _ = self.window[0]
            try:
                results.extend(future.result(timeout=max(0.0, deadline - time.monotonic())))
            except TimeoutError:
                break
            except (Exception, asyncio.CancelledError):  # it wrote nothing more: it is over
                pass
            self.window.popleft()
        late = len(self.window)
        if late:
            self.client.cancel([future for future, _ in self.window])
            self.window.clear()
        return results, late

    def _oldest(self) -> list[R]:
        """The oldest partition's results; it leaves the window only once they are here, so
        that :meth:`drain` still waits for it after an interrupt. An error its task raised
        (after its retries) is told apart from the cluster going away by the future's status,
        not by the error's type: a worker's ``OSError`` (a disk the workers cannot write) is
        the partition's, while losing the scheduler raises an ``OSError`` of Dask's own here."""
        future, size = self.window[0]
        try:
            results = self._result(future)
        except Exception as exc:
            if future.status != "error":
                raise ClusterError(f"the cluster went away: {exc}") from None
            if isinstance(exc, WirekitError):
                raise
            cause = (
                os_error_line(exc) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
            )
            raise ClusterError(f"a partition failed on the cluster: {cause}") from None
        self.window.popleft()
        if self.progress is not None:
            self.progress(size)
        return list(results)

    def _check(self) -> None:
        """Raise the interrupt the caller deferred, if there was one."""
        if self.interrupted is not None and self.interrupted.is_set():
            raise KeyboardInterrupt

    def _result(self, future: Any) -> Any:
        """The task's result, waited for in steps of :data:`POLL` seconds so that an interrupt
        the caller defers is acted on while a task is still at work."""
        while True:
            self._check()
            try:
                return future.result(timeout=POLL)
            except TimeoutError:
                # the task's own error is raised as it is (it may be a TimeoutError, or have
                # come just after the wait's): any other state is looked at again
                if future.status == "error":
                    return future.result()


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[threading.Event]:
    """Ctrl-C and SIGTERM, while the block runs, set the event it yields instead of raising.

    By default Python raises ``KeyboardInterrupt`` wherever the main thread happens to be, and
    in a process that talks to a cluster that is often inside Dask's own callbacks (its
    garbage-collection diagnostics run at any allocation), where the exception is printed as
    "ignored" and lost: the run went on to its end and exited 0, a traceback on the terminal.
    Deferred, the interrupt is raised where the caller can act on it: where
    :class:`OrderedMap` waits, and where the caller checks the event. SIGTERM (a job
    scheduler's or service manager's stop) would end the process at once and leave the run's
    tasks writing on the workers; it is taken as Ctrl-C."""
    interrupted = threading.Event()

    def defer(signum: int, frame: object) -> None:
        interrupted.set()

    with handling(signal.SIGINT, defer), handling(signal.SIGTERM, defer):
        yield interrupted


@dataclasses.dataclass(frozen=True, slots=True, repr=False)
class _Partition(Generic[T, R]):
    """One batch's work as a single callable, so that Dask sees no arguments at all.

    Why not a ``dask.bag`` or ``client.submit(function, batch)``: a bag made from a sequence
    hashes its whole content to name its partition (``dask.base.tokenize`` walks every value of
    every article: it cost more of the client's time than all the rest of a publish), and a
    list or dict argument is walked item by item in search of futures. The batch here is
    pickled once and sent with its task, nothing more; ``pure=False`` names the task by a
    random key, since the same batch is never worth computing once for two callers.
    """

    function: Callable[[Sequence[T]], list[R]]
    items: list[T]

    def __call__(self) -> list[R]:
        return self.function(self.items)

    def __repr__(self) -> str:
        """The task's name on the dashboard and in its key; Dask asks for it three times a
        task, and the dataclass's own would spell out every item."""
        return "wirekit-partition"
