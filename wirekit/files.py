"""Writing files so that a crash never leaves half of one, and naming them so that no article id
can steer a write outside the output folder."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE)
NAME_LIMIT = 100


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A reader (or a process killed mid-write) sees either the old file or the new one, never a
    mixture: rename is atomic on POSIX file systems.
    """
    with atomic_stream(path) as stream:
        stream.write(data)


@contextlib.contextmanager
def atomic_stream(path: Path) -> Iterator[BinaryIO]:
    """Like :func:`atomic_write`, for output too large to hold in memory: write to the stream;
    the file appears, whole, when the block ends without an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless the file already holds exactly these bytes; True if written.
    Leaving identical files alone keeps their times, so rsync and caches see no change."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files a killed writer left behind (``.name.XXXX.tmp``)."""
    count = 0
    for leftover in folder.rglob(".*.tmp"):
        leftover.unlink(missing_ok=True)
        count += 1
    return count


def safe_name(wanted: str) -> str:
    """A file or folder name derived from untrusted text (an id, a slug, a headline).

    Only lower-case ASCII letters, digits, ``-`` and ``_`` survive, so no separator, no ``..``,
    no drive letter and no control character can. Whenever the text had to change (or was a
    Windows device name such as ``con``), a hash of the original is appended, so two different
    ids never share a file.
    """
    ascii_text = unicodedata.normalize("NFKD", wanted).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9_-]+", "-", ascii_text.lower()).strip("-_")
    digest = hashlib.sha256(wanted.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    if not name:
        return f"article-{digest}"
    if name != wanted or len(name) > NAME_LIMIT or _WINDOWS_RESERVED.fullmatch(name):
        # changed or cut: a hash of the original keeps two different ids apart
        name = f"{name[: NAME_LIMIT - 13].rstrip('-_')}-{digest}"
    return name


def inside(folder: Path, name: str) -> Path:
    """``folder / name`` after checking that it cannot leave ``folder``; belt and braces over
    :func:`safe_name`."""
    root = folder.resolve()
    target = (root / name).resolve()
    if root != target.parent:
        raise ValueError(f"refusing to write outside {folder}: {name!r}")
    return target
