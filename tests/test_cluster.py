"""The same stages on a Dask cluster give byte-identical output, even when a worker dies
(issue 20).

One ``LocalCluster`` of two worker processes serves the module; the command line joins it as it
would join any running scheduler (``--cluster tcp://HOST:PORT``), so the tests also cover that
path. ``--cluster local:N``, which starts a cluster for one run, is covered once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmarks import generate
from wirekit.cluster import local_cluster

from .conftest import ROOT

distributed = pytest.importorskip("distributed")

ARTICLES = 2000
NOW = "2026-01-01T00:00:00Z"
"""Both runs of a comparison judge embargoes at the same moment."""
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with local_cluster(2) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.jsonl"
    path.write_bytes(generate.jsonl(ARTICLES))
    return path


@pytest.mark.parametrize("name", ["nquads", "jsonl"])
def test_convert_on_a_cluster_is_byte_identical(
    name: str, archive: Path, scheduler: str, tmp_path: Path, run_wirekit: Run
) -> None:
    local, remote = tmp_path / "local.out", tmp_path / "cluster.out"
    code, _, err = run_wirekit("convert", str(archive), "--to", name, "-o", str(local))
    assert code == 0, err
    code, _, err = run_wirekit(
        "convert", str(archive), "--to", name, "-o", str(remote), "--cluster", scheduler
    )
    assert code == 0, err
    assert remote.read_bytes() == local.read_bytes()


def test_warnings_from_the_workers_are_shown_here(
    archive: Path, scheduler: str, run_wirekit: Run
) -> None:
    """A lossy export on a worker is a warning on the user's terminal, and --strict makes it
    an error that leaves no output behind, as in a local run."""
    code, _, err = run_wirekit("convert", str(archive), "--to", "nquads", "--cluster", scheduler)
    assert code == 0
    assert "wirekit: warning: " in err
    code, out, err = run_wirekit(
        "convert", str(archive), "--to", "nquads", "--strict", "--cluster", scheduler
    )
    assert code == 1
    assert out == ""
    assert "Traceback" not in err


def test_a_local_cluster_for_one_run(tmp_path: Path, run_wirekit: Run) -> None:
    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.json"))
    local, remote = tmp_path / "local.nq", tmp_path / "cluster.nq"
    assert run_wirekit("convert", *seeds, "--to", "nquads", "-o", str(local))[0] == 0
    code, _, err = run_wirekit(
        "convert", *seeds, "--to", "nquads", "-o", str(remote), "--cluster", "local:2"
    )
    assert code == 0, err
    assert remote.read_bytes() == local.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "trig", "--cluster", "local:2"], "archive formats"),
        (["--to", "html", "--cluster", "local:2"], "collection formats"),
        (["--to", "nquads", "--cluster", "local:two"], "local:2"),
        (["--to", "nquads", "--cluster", "spark://x:7077"], "dask://HOST:PORT"),
    ],
)
def test_misuse_is_one_line_and_exit_2(args: list[str], message: str, run_wirekit: Run) -> None:
    seed = ROOT / "seeds" / "2025-08-12-valencia-flash-flood-warning.json"
    code, _, err = run_wirekit("convert", str(seed), *args)
    assert code == 2, err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_without_dask_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from wirekit import cluster
    from wirekit.errors import UsageError

    monkeypatch.setitem(sys.modules, "distributed", None)
    with (
        pytest.raises(UsageError, match=r'pip install "wirekit\[dask\]"'),
        cluster.connect("local:1"),
    ):
        pass


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a tree by its path inside it, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def local_tree(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "site"
    done = subprocess.run(
        [sys.executable, "-m", "wirekit", "publish", str(archive), "--out", str(out), "--now", NOW],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_publish_on_a_cluster_is_byte_identical(
    archive: Path, scheduler: str, local_tree: Path, tmp_path: Path, run_wirekit: Run
) -> None:
    """The acceptance test: 2,000 articles, the manifest included."""
    out = tmp_path / "site"
    code, _, err = run_wirekit(
        "publish", str(archive), "--out", str(out), "--now", NOW, "--cluster", scheduler
    )
    assert code == 0, err
    local, remote = tree(local_tree), tree(out)
    assert sorted(remote) == sorted(local)
    assert [name for name in local if remote[name] != local[name]] == []


@pytest.mark.filterwarnings("ignore::Warning")  # the archive's lossy conversions, 25,000 of them
def test_a_lost_worker_changes_nothing(archive: Path, local_tree: Path, tmp_path: Path) -> None:
    """A worker process killed while its partitions are being published: Dask runs them again
    elsewhere, and since a partition writes each folder whole by rename, the tree is exact."""
    from wirekit.config import load as load_config
    from wirekit.site.publish import Publisher

    killed: list[int] = []
    with (
        local_cluster(2) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = sorted(client.run(os.getpid).values())

        def kill_once(done: int) -> None:
            """At the first partition handed back, while the others are still at work."""
            if not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        out = tmp_path / "site"
        publisher = Publisher(
            out,
            config=load_config(ROOT / "wirekit.toml"),
            now=NOW,
            cluster=cluster.scheduler_address,
            progress=kill_once,
        )
        summary = publisher.run([archive])
    assert killed, "no worker was killed during the run"
    assert summary.failures == []
    local, remote = tree(local_tree), tree(out)
    assert sorted(remote) == sorted(local)
    assert [name for name in local if remote[name] != local[name]] == []


def test_a_lost_worker_is_noticed() -> None:
    """The signal the publish sweeps its temporary files on: off while the workers live, on
    once the scheduler has removed a killed one (its nanny starts a new one meanwhile)."""
    import time

    from wirekit import cluster as engine

    with (
        local_cluster(1) as cluster,
        distributed.Client(cluster) as client,
    ):
        with engine.Losses(client) as calm:
            client.submit(sum, [1, 2], pure=False).result()
        assert not calm.lost
        with engine.Losses(client) as losses:
            ((address, pid),) = client.run(os.getpid).items()
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while address in client.nthreads():
                assert time.monotonic() < deadline, "the scheduler never removed the worker"
                time.sleep(0.1)
        assert losses.lost
