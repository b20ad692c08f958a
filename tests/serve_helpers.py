"""Serving for tests and benchmarks: uvicorn on a free loopback port, in a thread of this
process or as the real ``wirekit serve`` command, started and stopped by the caller."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.oxigraph_server import HOST, free_port


@contextlib.contextmanager
def running(app: Any, **options: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread; yield its base URL (no trailing slash)."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        lifespan="on",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
        **options,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextlib.contextmanager
def wirekit_serve(
    *args: str, cwd: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run the real ``wirekit serve`` on a free port until its startup line; yield the URL
    and the process. It is stopped with SIGTERM, as a service manager would."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "wirekit", "serve", *args, "--port", str(port)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    line = process.stderr.readline().decode()
    url = f"http://{HOST}:{port}"
    try:
        assert f"{url}/" in line, line + process.stderr.read().decode()
        wait_for(url)
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(url: str) -> None:
    import httpx

    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
