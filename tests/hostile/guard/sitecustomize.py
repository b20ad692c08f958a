"""Loaded by every Python process started with this folder on ``PYTHONPATH`` (the crash tests'
``wirekit`` subprocesses and their pool workers): no network, and a memory ceiling."""

from __future__ import annotations

import os
import resource
import sys

if os.environ.get("WIREKIT_GUARD") == "1":
    sys.path.insert(0, os.path.dirname(__file__))
    import wirekit_test_guard  # type: ignore[import-not-found]

    wirekit_test_guard.install()
    limit = int(os.environ.get("WIREKIT_MEMORY_LIMIT", "0"))
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    del sys.path[0]
