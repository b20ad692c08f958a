"""Publishing on a Dask ``LocalCluster``: one worker next to two, in the same run (issue 20).

Only the speed-up counts on a 2-core machine (the goal: at least 1.6x with two workers). Each
cluster is started once, before its passes, and stopped when the run ends; a pass publishes the
run's archive into an empty folder, so the plan, the map on the workers and the reduce are all
timed, but not the cluster's start. Without Dask installed (``wirekit[dask]``) both cases skip.
"""

from __future__ import annotations

import atexit
import itertools
from pathlib import Path

from ..runner import Context, Pass, Skip, case

SECTION = "publish"
ONE = "wirekit publish --cluster, 1 worker"
GOAL = 1.6


def _cluster_publish(ctx: Context, workers: int) -> Pass:
    try:
        from distributed import LocalCluster
    except ImportError as exc:
        raise Skip(f"no Dask: {exc}") from exc
    from wirekit.site.publish import Publisher

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address="127.0.0.1:0",
        host="127.0.0.1",
    )
    atexit.register(cluster.close)
    rounds = itertools.count()

    def run() -> int:
        out: Path = ctx.scratch / f"cluster-{workers}-{next(rounds)}"
        summary = Publisher(
            out, config=ctx.config, cluster=cluster.scheduler_address, prune=True
        ).run([ctx.jsonl_file])
        if summary.failures:
            raise AssertionError(f"cluster publish failed: {summary.failures[0]}")
        return ctx.n

    return run


@case(SECTION, ONE, detail="LocalCluster, an empty folder each pass", repeats=2)
def one_worker(ctx: Context) -> Pass:
    return _cluster_publish(ctx, 1)


@case(
    SECTION,
    "wirekit publish --cluster, 2 workers",
    baseline=ONE,
    goal=GOAL,
    detail="LocalCluster, an empty folder each pass",
    repeats=2,
)
def two_workers(ctx: Context) -> Pass:
    return _cluster_publish(ctx, 2)
