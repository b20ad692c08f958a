"""The test side of the fork server (:mod:`tests.hostile.driver`): a few servers, one per core,
each fed from its own thread, so a batch of runs takes wall time divided by the cores."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from wirekit.specs import folder

ROOT = Path(__file__).resolve().parent.parent.parent
SPECS = folder()
"""The official specifications, where the CLI's lookup finds them."""
MEMORY_LIMIT = 1536 * 1024 * 1024
"""The memory bound every hostile run must stay within: 1.5 GiB of address space
(``RLIMIT_AS``), with glibc held to two malloc arenas so that the bound measures memory used,
not address space reserved per thread."""
TIMEOUT = 60.0
"""No hostile input may take a command longer than this (the slowest, a 100 MB line, takes a
few seconds)."""


@dataclass(frozen=True)
class Run:
    """One command to run: arguments after ``wirekit``, in a working folder."""

    argv: tuple[str, ...]
    cwd: Path
    name: str
    env: dict[str, str] = field(default_factory=dict)
    user: int | None = None
    stdin: Path | None = None
    timeout: float = TIMEOUT


@dataclass(frozen=True)
class Outcome:
    """What a run did: exit code (None if killed by a signal), its output, memory and time."""

    run: Run
    code: int | None
    signal: int | None
    timed_out: bool
    stdout: str
    stderr: str
    maxrss_kib: int
    seconds: float
    network: list[str]
    """Every connection attempt the guard saw (loopback included)."""


class _Server:
    def __init__(self) -> None:
        env = {**os.environ, "MALLOC_ARENA_MAX": "2", "PYTHONDONTWRITEBYTECODE": "1"}
        env["WIREKIT_SPECS"] = str(SPECS)
        env.pop("WIREKIT_DEBUG", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile.driver"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._read() == {"ready": True}

    def _read(self) -> Any:
        stream: IO[str] | None = self.process.stdout
        assert stream is not None
        line = stream.readline()
        if not line:
            raise RuntimeError("the hostile driver died")
        return json.loads(line)

    def run(self, run: Run) -> Outcome:
        logs = run.cwd / ".runs"
        logs.mkdir(exist_ok=True)
        logs.chmod(0o777)  # a run as another user writes its network log here
        out, err, net = (logs / f"{run.name}.{kind}" for kind in ("out", "err", "net"))
        request = {
            "argv": list(run.argv),
            "cwd": str(run.cwd),
            "stdout": str(out),
            "stderr": str(err),
            "env": {
                "HOME": str(run.cwd),
                "TMPDIR": str(run.cwd),
                "WIREKIT_NETWORK_LOG": str(net),
                **run.env,
            },
            "timeout": run.timeout,
            "memory": MEMORY_LIMIT,
            "user": run.user,
            "stdin": str(run.stdin) if run.stdin else None,
        }
        stream = self.process.stdin
        assert stream is not None
        stream.write(json.dumps(request) + "\n")
        stream.flush()
        reply = self._read()
        network = net.read_text(encoding="utf-8").splitlines() if net.exists() else []
        return Outcome(
            run,
            reply["code"],
            reply["signal"],
            reply["timed_out"],
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
            reply["maxrss_kib"],
            reply["seconds"],
            network,
        )

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


class Pool:
    """``workers`` fork servers; :meth:`map` runs a batch in parallel, in order of the input."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._servers = [_Server() for _ in range(self.workers)]

    def map(self, runs: Iterable[Run]) -> Iterator[Outcome]:
        work: queue.Queue[tuple[int, Run] | None] = queue.Queue()
        items = list(runs)
        for index, item in enumerate(items):
            work.put((index, item))
        results: dict[int, Outcome | BaseException] = {}

        def serve(server: _Server) -> None:
            while True:
                try:
                    next_item = work.get_nowait()
                except queue.Empty:
                    return
                assert next_item is not None
                index, item = next_item
                try:
                    results[index] = server.run(item)
                except BaseException as exc:  # reported in the caller's thread
                    results[index] = exc

        threads = [threading.Thread(target=serve, args=(s,)) for s in self._servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for index in range(len(items)):
            found = results[index]
            if isinstance(found, BaseException):
                raise found
            yield found

    def close(self) -> None:
        for server in self._servers:
            server.close()
