"""The same stages on a Dask cluster give byte-identical output, even when a worker dies
(issue 20).

One ``LocalCluster`` of two worker processes serves the module; the command line joins it as it
would join any running scheduler (``--cluster tcp://HOST:PORT``), so the tests also cover that
path. ``--cluster local:N``, which starts a cluster for one run, is covered once.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from benchmarks import generate
from wirekit.cluster import local_cluster

from .conftest import ROOT
from .conftest import tree_bytes as tree

distributed = pytest.importorskip("distributed")

ARTICLES = 2000
NOW = "2026-01-01T00:00:00Z"
"""Both runs of a comparison judge embargoes at the same moment."""
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def workers_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working folder of the module's workers: not the command's, as on a real cluster."""
    return tmp_path_factory.mktemp("workers")


@pytest.fixture(scope="module")
def scheduler(workers_folder: Path) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workers_folder)  # the worker processes start here, and stay here
        cluster = local_cluster(2)
    with cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.jsonl"
    path.write_bytes(generate.jsonl(ARTICLES))
    return path


COLLECTIONS = (
    "nquads",
    "jsonl",
    "trig",
    "atom",
    "rss",
    "jsonfeed",
    "news-sitemap",
    "newsml-g2-message",
)
"""Every built-in collection format: each is made from its articles' parts on the cluster."""
OPTIONS = {"news-sitemap": ("-O", "now=2025-12-17T00:00:00Z")}
"""The sitemap lists two days up to its ``now``: a moment with articles of the archive before."""


@pytest.mark.parametrize("name", COLLECTIONS)
def test_convert_on_a_cluster_is_byte_identical(
    name: str, archive: Path, scheduler: str, tmp_path: Path, run_wirekit: Run
) -> None:
    local, remote = tmp_path / "local.out", tmp_path / "cluster.out"
    common = ("convert", str(archive), "--to", name, "--now", NOW, *OPTIONS.get(name, ()))
    code, _, err = run_wirekit(*common, "-o", str(local))
    assert code == 0, err
    code, _, err = run_wirekit(*common, "-o", str(remote), "--cluster", scheduler)
    assert code == 0, err
    assert local.stat().st_size > 600  # a document with entries, not an empty feed
    assert remote.read_bytes() == local.read_bytes()


def test_every_collection_format_is_covered() -> None:
    """A collection format added later is added to the comparison too."""
    from wirekit import registry

    built_in = {cls.name for cls in registry.exporter_classes() if cls.collection}
    assert built_in == set(COLLECTIONS)


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
        (["--to", "html", "--cluster", "local:2"], "collection formats"),
        (["--to", "nquads", "--cluster", "local:two"], "local:2"),
        (["--to", "nquads", "--cluster", "spark://x:7077"], "dask://HOST:PORT"),
        (["--to", "nquads", "--cluster", "tcp://"], "dask://HOST:PORT"),
        (["--to", "nquads", "--cluster", "dask://"], "dask://HOST:PORT"),
        (["--to", "nquads", "--cluster", "tls://127.0.0.1:1"], "TLS is not supported"),
        (["--to", "nquads", "--cluster", "local:99999"], "at most"),
    ],
)
def test_misuse_is_one_line_and_exit_2(args: list[str], message: str, run_wirekit: Run) -> None:
    seed = ROOT / "seeds" / "2025-08-12-valencia-flash-flood-warning.json"
    code, _, err = run_wirekit("convert", str(seed), *args)
    assert code == 2, err
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("dask://", "dask://HOST:PORT"),
        ("tcp://host:http", "dask://HOST:PORT"),
        ("dask://host:65536", "dask://HOST:PORT"),
        ("local:abc", "local:2"),
        ("local:0", "local:2"),
        ("junk", "dask://HOST:PORT"),
        (f"local:{(os.cpu_count() or 1) * 4 + 1}", "4 a core"),
    ],
)
def test_a_bad_spec_is_misuse_before_dask_is_needed(
    spec: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsed before Dask is imported: without Dask, a typo is still a typo (exit 2)."""
    from wirekit import cluster
    from wirekit.errors import UsageError

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(UsageError, match=re.escape(message)), cluster.connect(spec):
        pass


def test_the_bound_on_local_workers_is_the_machine_s(monkeypatch: pytest.MonkeyPatch) -> None:
    from wirekit import cluster

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert cluster.parse("local:8").workers == 8
    assert cluster.parse("dask://[::1]:8786").address == "tcp://[::1]:8786"
    with pytest.raises(cluster.UsageError, match="at most 8 workers"):
        cluster.parse("local:9")


def test_without_dask_the_run_stops_before_the_tree_is_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing extra is the environment's fault (exit 1), said before --out is made."""
    from wirekit.cli import main

    monkeypatch.setitem(sys.modules, "distributed", None)
    out = tmp_path / "site"
    with pytest.raises(SystemExit) as exited:
        main(["publish", str(ROOT / "seeds"), "--out", str(out), "--cluster", "local:2"])
    assert exited.value.code == 1
    assert 'pip install "wirekit[dask]"' in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cluster", "junk", "--dry-run"], "dask://HOST:PORT"),
        (["--cluster", "local:2", "--jobs", "4"], "not both"),
    ],
)
def test_publish_misuse_of_cluster_is_exit_2(
    args: list[str], message: str, tmp_path: Path, run_wirekit: Run
) -> None:
    out = tmp_path / "site"
    code, _, err = run_wirekit("publish", str(ROOT / "seeds"), "--out", str(out), *args)
    assert code == 2, err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def _closed_port() -> int:
    """A loopback port nothing listens on: one the system just gave and took back."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("host", ["127.0.0.1", "nohost.invalid"])
def test_a_scheduler_that_is_not_there_is_said_at_once(
    host: str, tmp_path: Path, run_wirekit: Run
) -> None:
    """Refused, or no such host: one line saying which (not Dask's timeout after 20 s), and
    no lock or marker left in a --out the run would have made."""
    out = tmp_path / "site"
    spec = f"dask://{host}:{_closed_port()}"
    code, _, err = run_wirekit("publish", str(ROOT / "seeds"), "--out", str(out), "--cluster", spec)
    assert code == 1, err
    assert err.startswith("wirekit: error: cannot reach the Dask scheduler at tcp://")
    assert ("Connection refused" if host == "127.0.0.1" else "no such host") in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_scheduler_without_workers_is_waited_for_then_given_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wirekit import cluster as engine
    from wirekit.site.publish import Publisher

    monkeypatch.setattr(engine, "WORKER_WAIT", 0.5)
    out = tmp_path / "site"
    with local_cluster(0) as empty:
        publisher = Publisher(out, formats=["json"], cluster=empty.scheduler_address)
        with pytest.raises(engine.ClusterError, match=r"no worker joined .* in 0\.5 s"):
            publisher.run([ROOT / "seeds"])
    assert "waiting for workers: the scheduler at tcp://127.0.0.1:" in capsys.readouterr().err
    assert not out.exists()


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


def test_a_relative_out_reaches_the_workers_absolute(
    scheduler: str, workers_folder: Path, tmp_path: Path, run_wirekit: Run
) -> None:
    """The workers run in a folder of their own; --out is the command's, as given."""
    given = (str(ROOT / "seeds"), "--now", NOW, "--config", str(ROOT / "wirekit.toml"))
    code, _, err = run_wirekit("publish", *given, "--out", "local", cwd=tmp_path)
    assert code == 0, err
    code, _, err = run_wirekit(
        "publish", *given, "--out", "site", "--cluster", scheduler, cwd=tmp_path
    )
    assert code == 0, err
    assert list(workers_folder.iterdir()) == []
    assert tree(tmp_path / "site") == tree(tmp_path / "local")


def test_an_article_that_cannot_be_written_fails_alone_on_the_cluster(
    scheduler: str, tmp_path: Path, run_wirekit: Run
) -> None:
    """A file where an article's folder goes: that article's one line, the rest published,
    the summary printed; not a failed partition or a cluster gone away."""
    out = tmp_path / "site"
    seeds = str(ROOT / "seeds")
    assert run_wirekit("publish", seeds, "--out", str(out), "--now", NOW)[0] == 0
    blocked = sorted((out / "articles").iterdir())[0]
    shutil.rmtree(blocked)
    blocked.write_text("not a folder", encoding="utf-8")
    code, stdout, err = run_wirekit(
        "publish", seeds, "--out", str(out), "--now", NOW, "--cluster", scheduler
    )
    assert code == 1
    problems = [line for line in err.splitlines() if "warning:" not in line]
    assert problems[0].endswith(f"{blocked}: cannot write the article's folder: Not a directory")
    assert problems[1].startswith("wirekit: failed: ")
    assert len(problems) == 2
    assert " articles (" in stdout  # the closing summary


def test_a_partition_s_os_error_is_not_the_cluster_going_away(scheduler: str) -> None:
    """Dask raises a task's error here as it was; an OSError is the partition's (a disk the
    workers cannot write), told apart from a lost scheduler by the future's status."""
    from wirekit import cluster as engine

    def unwritable(items: Sequence[int]) -> list[int]:
        raise OSError(errno.EACCES, "Permission denied", "/shared/site/articles")

    with distributed.Client(scheduler) as client:
        results = engine.map_ordered(client, unwritable, [[1, 2]])
        with pytest.raises(engine.ClusterError) as raised:
            list(results)
    assert str(raised.value) == (
        "a partition failed on the cluster: /shared/site/articles: Permission denied"
    )


def test_a_partition_s_own_timeout_is_its_failure(scheduler: str) -> None:
    """The map waits for a task in short steps, each of which may time out: a TimeoutError the
    task raised itself is still the partition's failure, not a wait to go on with."""
    from wirekit import cluster as engine

    def times_out(items: Sequence[int]) -> list[int]:
        raise TimeoutError("the agency's server did not answer")

    with distributed.Client(scheduler) as client, pytest.raises(engine.ClusterError) as raised:
        list(engine.map_ordered(client, times_out, [[1, 2]]))
    assert str(raised.value) == (
        "a partition failed on the cluster: the agency's server did not answer"
    )


def test_a_deferred_interrupt_is_raised_where_the_map_waits(scheduler: str) -> None:
    """A Ctrl-C the caller defers (see the next test) is raised while the map waits for a task
    still at work, not once the task has ended; the task is then drained as after any
    interrupt."""
    import threading

    from wirekit import cluster as engine

    def held(items: Sequence[int]) -> list[int]:
        distributed.Event("wirekit-test-held").wait(60)
        return list(items)

    interrupted = threading.Event()
    with distributed.Client(scheduler) as client:
        release = distributed.Event("wirekit-test-held", client=client)
        results = engine.map_ordered(client, held, [[1, 2]], interrupted=interrupted)
        threading.Timer(0.3, interrupted.set).start()
        with pytest.raises(KeyboardInterrupt):
            list(results)
        (future, _), *_ = results.window
        assert future.status == "pending"  # raised during the wait
        release.set()
        assert results.drain() == ([1, 2], 0)


def test_ctrl_c_and_sigterm_only_set_the_event_while_interrupts_are_deferred() -> None:
    """Python raises a Ctrl-C wherever the main thread is, inside Dask's callbacks too, where it
    is printed as ignored and lost (a run then went on to the end and exited 0)."""
    from wirekit import cluster as engine

    for sig in (signal.SIGINT, signal.SIGTERM):
        before = signal.getsignal(sig)
        with engine.deferred_interrupts() as interrupted:
            os.kill(os.getpid(), sig)
            assert interrupted.wait(10)
        assert signal.getsignal(sig) is before


# --- interrupted and killed runs ------------------------------------------------------------


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``dask scheduler`` and ``dask worker`` (two single-threaded worker processes) on
    127.0.0.1, as an operator starts them, from a working folder of their own; stopped after."""
    home = tmp_path_factory.mktemp("dask-home")
    address_file = home / "scheduler.json"
    dask = Path(sys.executable).with_name("dask")
    processes = [
        subprocess.Popen(
            [dask, *command, "--scheduler-file", str(address_file), "--no-dashboard"],
            cwd=home,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for command in (
            ["scheduler", "--host", "127.0.0.1", "--port", "0"],
            ["worker", "--host", "127.0.0.1", "--nworkers", "2", "--nthreads", "1"],
        )
    ]
    try:
        with distributed.Client(scheduler_file=str(address_file), timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            address = client.scheduler.address
        yield address
    finally:
        for process in reversed(processes):
            os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def folders(out: Path) -> dict[str, int]:
    """The tree's article folders (temporaries included) with their modification times. A
    temporary renamed into place between the listing and its stat is left out, not taken for
    an empty tree (under load, that made every folder look newly written)."""
    try:
        entries = list(os.scandir(out / "articles"))
    except FileNotFoundError:
        return {}
    found = {}
    for entry in entries:
        with contextlib.suppress(FileNotFoundError):
            found[entry.name] = entry.stat().st_mtime_ns
    return found


def start_publish(archive: Path, out: Path, cluster: str) -> subprocess.Popen[bytes]:
    """``wirekit publish`` in a process group of its own, taking Ctrl-C as from a terminal
    (a test runner's children may inherit SIGINT ignored). ``--out`` is given relative to the
    command's working folder, which a remote worker does not share."""
    command = ["publish", str(archive), "--out", out.name, "--now", NOW, "--cluster", cluster]
    command += ["--config", str(ROOT / "wirekit.toml")]
    return subprocess.Popen(
        [sys.executable, "-m", "wirekit", *command],
        cwd=out.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )


def signal_when_written(process: subprocess.Popen[bytes], out: Path, sig: int, count: int) -> None:
    """Send ``sig`` to the run's process group once ``count`` article folders are written
    (partitions of 100 are then at work on both workers)."""
    import time

    deadline = time.monotonic() + 180
    while len(folders(out)) < count:
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "the run wrote nothing"
        time.sleep(0.02)
    os.killpg(process.pid, sig)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.filterwarnings("ignore::Warning")
def test_an_interrupted_remote_run_stops_its_tasks_first(
    sig: int, archive: Path, remote: str, tmp_path: Path
) -> None:
    """Ctrl-C (or a service manager's SIGTERM) at a remote cluster: wirekit stops the tasks on
    the workers (which do not see the signal) before it sweeps and unlocks, so nothing is
    written into the tree after it exits, and its one line counts the folders that are there.
    ``--out`` is relative: the workers, started elsewhere, write where the command means."""
    import re
    import time

    out = tmp_path / "site"
    process = start_publish(archive, out, remote)
    signal_when_written(process, out, sig, 150)
    _, err = process.communicate(timeout=120)
    at_exit = folders(out)
    time.sleep(2)  # a task still at work would finish its article, or its partition, by now
    assert folders(out) == at_exit
    assert process.returncode == 130, err
    text = err.decode()
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if not line.startswith("wirekit: warning: ")]
    assert lines[0].startswith("wirekit: interrupted: waiting up to 60 s for "), text
    written = re.fullmatch(r"wirekit: interrupted: (\d+) article folders written, .*", lines[1])
    assert written is not None, text
    assert len(lines) == 2, text
    assert int(written[1]) == len(at_exit)
    assert not [name for name in at_exit if name.endswith(".tmp")]


@pytest.mark.filterwarnings("ignore::Warning")
def test_a_killed_runs_tasks_stop_when_the_next_run_takes_the_tree(
    archive: Path, remote: str, tmp_path: Path
) -> None:
    """SIGKILL of wirekit mid-run: nothing runs in it any more, and its tasks on the workers
    would write on to the end of their partitions. Once the next run has taken the tree (the
    lock and its running marker, what a run does before it plans), each task writes at most
    the article it was already writing, one a worker thread, and then nothing."""
    import time

    from wirekit.files import locked
    from wirekit.site.ownership import RUNNING
    from wirekit.site.publish import running_mark

    out = tmp_path / "site"
    process = start_publish(archive, out, remote)
    signal_when_written(process, out, signal.SIGKILL, 150)
    process.communicate(timeout=60)
    with locked(out, 30):
        marker = out / RUNNING
        marker.write_bytes(running_mark("0123456789ab"))
        taken = marker.stat().st_mtime_ns
        before = folders(out)
        time.sleep(3)  # on the old code, the killed run's tasks write the rest of their partitions
        after = folders(out)
    changed = [name for name, mtime in after.items() if mtime > taken or name not in before]
    assert len(changed) <= 2, f"{len(changed)} folders written after the next run took the tree"


def test_ctrl_c_on_a_local_cluster_is_one_line(archive: Path, tmp_path: Path) -> None:
    """The LocalCluster's workers share the terminal's process group: they ignore its Ctrl-C
    (the command stops them), and Dask's logging stays off the terminal without -v."""
    out = tmp_path / "site"
    process = start_publish(archive, out, "local:2")
    signal_when_written(process, out, signal.SIGINT, 150)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    lines = [line for line in err.decode().splitlines() if not line.startswith("wirekit: warning")]
    assert len(lines) == 2, err.decode()
    assert all(line.startswith("wirekit: interrupted: ") for line in lines), err.decode()
