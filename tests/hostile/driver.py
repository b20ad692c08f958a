"""A fork server that runs ``wirekit`` commands in guarded child processes, fast.

The hostile corpus sends every input through every command: hundreds of runs. Starting a fresh
interpreter for each costs half a second of imports (lxml, rdflib, pyoxigraph, jsonschema); this
server imports them once and forks a child per command, which then runs exactly what the
``wirekit`` console script runs (:func:`wirekit.cli.main`) with:

- its own working folder, ``HOME`` and ``TMPDIR`` (so a stray write lands where the test looks);
- stdin from ``/dev/null`` (or a file), stdout and stderr to files;
- ``RLIMIT_AS`` (the memory bound), ``RLIMIT_CORE`` 0, its own process group (a timeout kills
  it and any pool workers it started);
- the network guard (:mod:`wirekit_test_guard`), logging every attempt to a per-run file;
- optionally another user (``nobody``), for unreadable files when the tests run as root.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout::

    {"argv": [...], "cwd": "...", "stdout": "...", "stderr": "...", "env": {...},
     "timeout": 60, "memory": 1610612736, "user": null, "stdin": null}
    {"code": 1, "signal": null, "timed_out": false, "maxrss_kib": 61234, "seconds": 0.08}

Run it as ``python -m tests.hostile.driver`` from the repository root. Environment variables
must be set when the server starts when they matter to the C runtime (``MALLOC_ARENA_MAX``).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from tests import kill_hook
from tests.hostile.guard import wirekit_test_guard

POLL = 0.002


def _preload() -> None:
    """Import everything a command may use, so children start warm. Nothing here may start a
    thread: forking a multi-threaded process copies only the calling thread."""
    import lxml.etree  # noqa: F401
    import pyoxigraph  # noqa: F401
    import rdflib  # noqa: F401

    import wirekit.cli
    import wirekit.site.check
    import wirekit.site.publish
    import wirekit.store.load
    import wirekit.store.targets
    from wirekit import registry

    for cls in registry.importer_classes():
        _ = cls.name
    for exporter in registry.exporter_classes():
        _ = exporter.name
    # Typer builds the command and imports its parameter types on first use: do it once here.
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for argv in (["formats"], ["convert", "--help"], ["publish", "--help"], ["load", "--help"]):
            with contextlib.suppress(SystemExit):
                wirekit.cli.main(argv)
    specs = os.environ.get("WIREKIT_SPECS")
    if specs:  # the official schemas, compiled once (validate checks against them)
        from wirekit.formats.newsml_g2 import vocab as newsml_g2
        from wirekit.formats.ninjs import reader as ninjs

        newsml_g2.xsd(Path(specs))
        for version in ("2.2", "3.1"):
            ninjs._validator(ninjs._schema_file(Path(specs), version))


def _child(request: dict[str, Any]) -> None:
    """In the forked child: set the stage, run the command, exit with its code. Never returns."""
    code = 70
    try:
        os.setpgid(0, 0)
        os.chdir(request["cwd"])
        for key, value in request.get("env", {}).items():
            os.environ[key] = value
        import tempfile

        tempfile.tempdir = None  # read TMPDIR again
        stdin = os.open(request.get("stdin") or os.devnull, os.O_RDONLY)
        out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(stdin, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        user = request.get("user")
        if user is not None:
            os.setgroups([])
            os.setgid(user)
            os.setuid(user)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        memory = request.get("memory")
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        from wirekit.cli import main

        kill_hook.arm()  # the crash tests' kill at a chosen point, when the run asks for it
        try:
            main(request["argv"])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 70
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Fork, run one command, wait (at most ``timeout`` seconds); the child's fate."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(request)
    deadline = started + float(request.get("timeout", 60))
    timed_out = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(POLL)
    _reap_group(pid)
    return {
        "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "timed_out": timed_out,
        "maxrss_kib": usage.ru_maxrss,
        "seconds": round(time.monotonic() - started, 3),
    }


def _reap_group(pgid: int) -> None:
    """Kill what the child left running in its group (pool workers of a killed publish)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    while True:
        try:
            os.waitpid(-pgid, 0)
        except ChildProcessError:
            return


def serve() -> None:
    wirekit_test_guard.install()
    _preload()
    threads = len(os.listdir("/proc/self/task")) if Path("/proc/self/task").is_dir() else 1
    if threads != 1:
        raise SystemExit(f"the driver must stay single-threaded to fork safely ({threads})")
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        reply = run(json.loads(line))
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    serve()
