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

import collections
import contextlib
import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from .errors import UsageError, WirekitError

T = TypeVar("T")
R = TypeVar("R")

LOCAL = "local:"
SCHEMES = ("dask://", "tcp://", "tls://")
INSTALL = 'install the cluster extra: pip install "wirekit[dask]"'

WINDOW = 64
"""Partitions in flight at once: the plan is read ahead this far and no further, so memory in
the user's process stays bounded however large the archive."""

RETRIES = 3
"""How often a partition is tried again after an error on a worker (a lost worker is
rescheduled by Dask itself and does not count here)."""


class ClusterError(WirekitError):
    """The cluster could not be reached or a partition failed on it."""


def _client_class() -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(f"--cluster needs Dask: {INSTALL}") from None
    return Client


def local_cluster(workers: int) -> Any:
    """The ``LocalCluster`` of ``local:N``: N single-threaded worker processes on loopback
    (the tests and the scaling benchmark start theirs here too, so they measure this one)."""
    from distributed import LocalCluster

    return LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address="127.0.0.1:0",  # it cannot be turned off: loopback, any port
        host="127.0.0.1",
    )


@contextlib.contextmanager
def connect(spec: str) -> Iterator[Any]:
    """A Dask client for ``spec``: ``local:N`` starts a ``LocalCluster`` of N single-threaded
    worker processes for this run; ``dask://HOST:PORT`` (or ``tcp://``) joins a running
    scheduler. The client, and a cluster started here, close when the block ends."""
    client_class = _client_class()
    if spec.startswith(LOCAL):
        workers = spec.removeprefix(LOCAL)
        if not (workers.isascii() and workers.isdigit()) or int(workers) < 1:
            raise UsageError(f"--cluster {spec!r}: say how many workers, as local:2")
        with local_cluster(int(workers)) as cluster, client_class(cluster) as client:
            yield client
        return
    if not spec.startswith(SCHEMES):
        raise UsageError(
            f"--cluster {spec!r}: give local:N for a cluster of N workers here, "
            "or dask://HOST:PORT for a running scheduler"
        )
    address = "tcp://" + spec.removeprefix("dask://") if spec.startswith("dask://") else spec
    try:
        client = client_class(address, timeout="20s")
    except OSError as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        yield client


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
) -> Iterator[R]:
    """``function`` over each batch on the cluster; its results, batch after batch, in order.

    Each batch is one task, submitted as it is read. At most :data:`WINDOW` are in flight: when
    the window is full, the oldest is waited for and its results handed on, so the workers
    stay busy while memory here stays bounded. ``progress`` hears how many items each batch
    held as its results are handed on.
    """
    window: collections.deque[tuple[Any, int]] = collections.deque()
    for batch in batches:
        future = client.submit(_Partition(function, batch), pure=False, retries=RETRIES)
        window.append((future, len(batch)))
        if len(window) >= WINDOW:
            yield from _oldest(window, progress)
    while window:
        yield from _oldest(window, progress)


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


def _oldest(
    window: collections.deque[tuple[Any, int]], progress: Callable[[int], None] | None
) -> list[Any]:
    future, size = window.popleft()
    try:
        results = future.result()
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"the cluster went away: {exc}") from None
    except Exception as exc:  # a worker's error, re-raised here by Dask
        if isinstance(exc, WirekitError):
            raise
        raise ClusterError(
            f"a partition failed on the cluster: {type(exc).__name__}: {exc}"
        ) from None
    if progress is not None:
        progress(size)
    return list(results)
