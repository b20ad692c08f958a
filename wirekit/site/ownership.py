"""What a publish may touch: never its own inputs, and never a folder that is not its own.

wirekit deletes only what it can prove it wrote, so before it writes at all it makes sure that
the output cannot be (or hold, or sit inside) one of the inputs, symbolic links resolved, and
that a folder it is pointed at is empty or a tree it published.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from wirekit.errors import UsageError
from wirekit.files import LOCK, is_run_temporary
from wirekit.site.manifest import LEGACY, MANIFEST
from wirekit.sources import STDIN

RUNNING = ".wirekit-publishing"
"""Present while a publish runs, holding its run id: found at the start, it means a run was
killed, and the temporaries carrying its id are swept."""
MARKS = (MANIFEST, *LEGACY, RUNNING)
"""Files whose presence says a folder is a tree wirekit publishes (or was publishing)."""


def refuse_overlap(inputs: Iterable[str | Path], out: Path) -> None:
    """Refuse inputs that are the output folder, lie inside it or hold it: the run would read
    its own output back (the site grows) or overwrite its sources."""
    target = os.path.realpath(out)
    for item in inputs:
        if str(item) == STDIN:
            continue
        source = os.path.realpath(item)
        if source == target or _within(source, target) or _within(target, source):
            raise UsageError(
                f"{item} and --out {out} overlap (the same folder, or one inside the other, "
                "links resolved): choose an --out outside the inputs"
            )


def _within(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def refuse_foreign(out: Path) -> None:
    """Refuse a folder that holds files but is not a published tree: publishing would overwrite
    files of the same names (``index.html``, ``rss.xml``) that wirekit did not write. Asked
    before the lock is taken (so a refused folder gets no lock file) and again holding it (a
    first run beside this one may have begun the tree meanwhile)."""
    present = sorted(
        name for name in os.listdir(out) if name != LOCK and not is_run_temporary(name)
    )
    if present and not any(name in present for name in MARKS):
        shown = ", ".join(present[:3]) + (
            f" and {len(present) - 3} more" if len(present) > 3 else ""
        )
        raise UsageError(
            f"{out}: not empty and not a published tree (it holds {shown}); refusing to publish "
            "into it: choose an empty folder, or pass --force to write into it anyway"
        )
