"""Publishing on a Dask ``LocalCluster``: one worker on one core next to two workers on two
cores, in the same run, into a folder on disk and into one in memory (issue 20).

Only the speed-up counts on a 2-core machine (the goal: at least 1.6x with two workers). Each
case publishes the run's archive into an empty folder a pass, so the plan and the reduce (which
run in this process, with the scheduler) are timed along with the map on the workers; the
clusters are started once, before the passes, and their start is not timed.

Each case gets as many cores as it has workers, and everything of the run shares them: this
process (plan, reduce, client and scheduler) and the cluster's processes are pinned to the same
cores (Linux CPU affinity, thread by thread). Without that, the one-worker case would run its
plan and reduce on the second core for free, next to its worker, and the comparison would be
of two cores against two cores. Both cases of a pair do the same work; the plan's and the
reduce's serial share counts against both. The runner ignores warnings in timed passes; the
workers are told to ignore them too, as the local publish's forked pool inherits it, so that
neither case ships and prints the archive's 25,000 lossy-conversion warnings.

Two pairs, because the tree's files cost what the machine's file system makes them cost, and
that part may not scale with cores at all: on the 2-core VM this was written on, creating an
article's folder of seven files on ext4 took 1-2 ms of kernel time, with the same wall time for
one process as for two, and about 0.05 ms on a tmpfs. The pair on disk (the run's scratch
folder) is what this machine gives; the pair in memory (a tmpfs at ``/dev/shm``, skipped where
there is none) is what the engine does with a second core. Without Dask (``wirekit[dask]``),
with fewer than two cores, or where CPU affinity cannot be set, every case skips.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..runner import Context, Pass, Skip, case

SECTION = "publish"
GOAL = 1.6
SHM = Path("/dev/shm")

_CLUSTERS: dict[int, tuple[Any, set[int]]] = {}
"""The run's clusters by their number of workers, with their cores: one of each size serves
both folders."""


@contextlib.contextmanager
def _pinned(cores: set[int]) -> Iterator[None]:
    """Every thread of this process on ``cores`` for the block (affinity is a thread's on Linux,
    and the Dask client's event loop and the scheduler run in threads of their own); a process
    started meanwhile inherits the mask of the thread that starts it."""
    threads = [int(tid) for tid in os.listdir("/proc/self/task")]
    before = os.sched_getaffinity(0)
    for tid in threads:
        with contextlib.suppress(ProcessLookupError):  # a thread that ended meanwhile
            os.sched_setaffinity(tid, cores)
    try:
        yield
    finally:
        for tid in (int(tid) for tid in os.listdir("/proc/self/task")):
            with contextlib.suppress(ProcessLookupError):
                os.sched_setaffinity(tid, before)


def _cluster(workers: int) -> tuple[Any, set[int]]:
    """A LocalCluster of ``workers`` single-threaded processes on as many cores, and the cores."""
    if workers in _CLUSTERS:
        return _CLUSTERS[workers]
    try:
        from distributed import Client
    except ImportError as exc:
        raise Skip(f"no Dask: {exc}") from exc
    from wirekit.cluster import local_cluster

    if not hasattr(os, "sched_setaffinity") or not os.path.isdir("/proc/self/task"):
        raise Skip("CPU affinity cannot be set here")
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        raise Skip(f"{len(available)} core: the scaling needs two")
    cores = set(available[:workers])
    with _pinned(cores):  # the worker processes inherit the mask
        cluster = local_cluster(workers)
    atexit.register(cluster.close)
    with Client(cluster) as client:  # type: ignore[no-untyped-call]
        client.run(warnings.simplefilter, "ignore")
    _CLUSTERS[workers] = cluster, cores
    return cluster, cores


def _on_disk(ctx: Context) -> Path:
    return ctx.scratch


def _in_memory(ctx: Context) -> Path:
    """A folder on the tmpfs at /dev/shm, removed when the run ends."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise Skip(f"no /proc/mounts: {exc}") from exc
    if not any(line.split()[1:3] == [str(SHM), "tmpfs"] for line in mounts):
        raise Skip(f"no tmpfs at {SHM}")
    folder = Path(tempfile.mkdtemp(prefix="wirekit-bench-", dir=SHM))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _cluster_publish(ctx: Context, workers: int, where: Callable[[Context], Path]) -> Pass:
    from wirekit.site.publish import Publisher

    cluster, cores = _cluster(workers)
    folder = where(ctx)
    rounds = itertools.count()

    def run() -> int:
        out = folder / f"cluster-{workers}-{next(rounds)}"
        with _pinned(cores):
            summary = Publisher(
                out, config=ctx.config, cluster=cluster.scheduler_address, prune=True
            ).run([ctx.jsonl_file])
        if summary.failures:
            raise AssertionError(f"cluster publish failed: {summary.failures[0]}")
        return ctx.n

    return run


def _pair(label: str, where: Callable[[Context], Path], detail: str) -> None:
    """The two cases of one folder: one worker, and two against it."""
    one = f"wirekit publish --cluster, 1 worker on 1 core, {label}"
    two = f"wirekit publish --cluster, 2 workers on 2 cores, {label}"

    @case(SECTION, one, detail=detail, repeats=2)
    def one_worker(ctx: Context) -> Pass:
        return _cluster_publish(ctx, 1, where)

    @case(SECTION, two, baseline=one, goal=GOAL, detail=detail, repeats=2)
    def two_workers(ctx: Context) -> Pass:
        return _cluster_publish(ctx, 2, where)


_pair("to disk", _on_disk, "LocalCluster, an empty folder of the scratch disk each pass")
_pair("to tmpfs", _in_memory, "LocalCluster, an empty folder of /dev/shm each pass")
