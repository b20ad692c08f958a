"""A load that SIGKILLs itself at a point the crash tests choose, whatever the machine's load.

Killing a load from outside at a moment of wall time lands where the work happens only on an
idle machine: on two busy cores the load may not have begun replacing, or may have finished.
Here the test says how many of the embedded store's batches must be stored first; the load
dies inside the next one, a chosen number of seconds into it (the store's transaction releases
the GIL, so the timer fires while Oxigraph writes), or as it returns, if that comes sooner.
Every kill therefore lands between the first graph replaced and the last.

``WIREKIT_TEST_KILL=BATCHES:SECONDS`` arms it; only the tests set or read that variable. Two ways
in: :func:`arm` (the hostile fork server calls it in each child, after setting the run's
environment) and ``python -m tests.kill_hook ARGS...``, which is ``wirekit ARGS...`` armed.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Sequence

VARIABLE = "WIREKIT_TEST_KILL"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm() -> None:
    """Wrap :meth:`EmbeddedStore.replace` as ``WIREKIT_TEST_KILL`` says (nothing if unset)."""
    spec = os.environ.get(VARIABLE)
    if not spec:
        return
    from wirekit.store.targets import EmbeddedStore, Graph, Outcome

    batches, seconds = spec.split(":")
    stored, delay = int(batches), float(seconds)
    real = EmbeddedStore.replace
    calls = 0

    def replace(self: EmbeddedStore, batch: Sequence[Graph]) -> Outcome:
        nonlocal calls
        calls += 1
        if calls <= stored:
            return real(self, batch)
        timer = threading.Timer(delay, _die)
        timer.daemon = True
        timer.start()
        real(self, batch)
        _die()
        raise AssertionError("unreachable: the process is gone")

    EmbeddedStore.replace = replace  # type: ignore[method-assign]


if __name__ == "__main__":
    from wirekit.cli import main

    arm()
    main(sys.argv[1:])
