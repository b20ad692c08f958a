"""No network: every socket connection to anything but the loopback interface raises, and every
attempt (loopback included) is written to a log a test can read.

The hostile tests and the crash tests run wirekit in child processes; a module-level patch in
the test process would not reach them, so this module is installed in each child, either by the
fork server (``tests/hostile/driver.py``) or by ``sitecustomize`` on ``PYTHONPATH``. It guards
what Python code can do (urllib, http.client, PyLD's loaders, anything going through
:mod:`socket`); C libraries that open sockets themselves are covered by the tests that point a
hostile document at a live local listener and require it to stay silent.
"""

from __future__ import annotations

import os
import socket
from typing import Any

LOG_VARIABLE = "WIREKIT_NETWORK_LOG"
"""Where attempts are appended, one line each (no log when unset)."""
LOOPBACK = ("127.0.0.1", "::1", "localhost")

_installed: list[bool] = []


class NetworkBlocked(OSError):
    """A connection the guard refused. An :class:`OSError`, like a real network failure, so the
    code under test takes its ordinary error path."""


def _record(what: str) -> None:
    log = os.environ.get(LOG_VARIABLE)
    if log:
        with open(log, "a", encoding="utf-8") as stream:
            stream.write(what.replace("\n", " ") + "\n")


def _host(address: Any) -> str | None:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return None  # AF_UNIX paths and the like


def install() -> None:
    """Patch :mod:`socket` in this process (idempotent)."""
    if _installed:
        return
    _installed.append(True)
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex
    getaddrinfo = socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: Any) -> None:
        host = _host(address)
        if host is not None:
            _record(f"connect {address!r}")
            if host not in LOOPBACK:
                raise NetworkBlocked(f"network access is disabled in tests: {address!r}")
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        host = _host(address)
        if host is not None:
            _record(f"connect_ex {address!r}")
            if host not in LOOPBACK:
                raise NetworkBlocked(f"network access is disabled in tests: {address!r}")
        return connect_ex(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and str(name) not in LOOPBACK:
            _record(f"getaddrinfo {name!r}")
            raise NetworkBlocked(f"name resolution is disabled in tests: {name!r}")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = guarded_getaddrinfo
