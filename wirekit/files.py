"""Writing files so that a crash never leaves half of one, and naming them so that no article id
can steer a write outside the output folder."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import itertools
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE)
NAME_LIMIT = 100


_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_serial = itertools.count()
_RUN = {"id": secrets.token_hex(6)}
"""This process's mark on its temporary files (forked workers inherit it, see
:func:`set_run_id`): a sweep removes a temporary only when it carries a run id recorded as
wirekit's, never a ``.something.tmp`` of the user's."""
_RUN_TEMPORARY = re.compile(r"\..*\.(?P<run>[0-9a-f]{12})-[0-9]+-[0-9]+\.tmp")


def is_run_temporary(name: str) -> bool:
    """Whether a file name is one of wirekit's temporaries (of any run)."""
    return _RUN_TEMPORARY.fullmatch(name) is not None


def run_id() -> str:
    """The id this process's temporary files carry."""
    return _RUN["id"]


def set_run_id(value: str) -> None:
    """Mark this process's temporaries with ``value`` (a pool worker takes its parent's)."""
    _RUN["id"] = value


def _temporary_name(path: Path) -> str:
    """``.<name>.<run id>-<pid>-<n>.tmp`` beside ``path``: unique to this process and this
    call, so parallel writers never share one, and swept by :func:`remove_stale_temporaries`
    only for a run id it was given."""
    return f"{path.parent}{os.sep}{_prefix(path)}{_RUN['id']}-{os.getpid()}-{next(_serial)}.tmp"


def _prefix(path: Path) -> str:
    """How every temporary of ``path`` begins: ``.<name, cut>.``."""
    return f".{path.name[:40]}."


def _temporary(path: Path) -> tuple[int, str]:
    """Create a temporary file beside ``path`` (and the folder if need be), mode 0644."""
    name = _temporary_name(path)
    try:
        try:
            return os.open(name, _TEMPORARY_FLAGS, 0o644), name
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(name, _TEMPORARY_FLAGS, 0o644), name
    except OSError as exc:
        raise _about(path, exc) from None


def _put(temporary: str, path: Path) -> None:
    """Rename a finished temporary into place (one atomic step)."""
    try:
        os.replace(temporary, path)
    except OSError as exc:  # a folder where the file goes, say
        raise _about(path, exc) from None


def _about(path: Path, exc: OSError) -> OSError:
    """The same error about ``path``, the file the caller named, not the temporary beside it
    that the operator never heard of (shown as ``PATH: cause``)."""
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A reader (or a process killed mid-write) sees either the old file or the new one, never a
    mixture: rename is atomic on POSIX file systems. Three system calls and a write: publishing
    writes seven files an article, so this is on its hot path.
    """
    fd, temporary = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        _put(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def atomic_stream(path: Path) -> Iterator[BinaryIO]:
    """Like :func:`atomic_write`, for output too large to hold in memory: write to the stream;
    the file appears, whole, when the block ends without an error."""
    fd, temporary = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        _put(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
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


class _Unchanged(Exception):
    """Raised inside :func:`atomic_stream` to drop the temporary file: the bytes were there."""


def write_chunks_if_changed(path: Path, chunks: Iterable[bytes]) -> bool:
    """:func:`write_if_changed` for output made a piece at a time (a manifest, an index page of
    every article), never holding all of it: the pieces go to a temporary file while they are
    compared with the file there, and the temporary replaces it only if the bytes differ."""
    try:
        old: BinaryIO | None = path.open("rb")
    except FileNotFoundError:
        old = None
    try:
        with atomic_stream(path) as stream:
            same = old is not None
            for chunk in chunks:
                stream.write(chunk)
                same = same and old is not None and old.read(len(chunk)) == chunk
            if same and old is not None and not old.read(1):
                raise _Unchanged
    except _Unchanged:
        return False
    finally:
        if old is not None:
            old.close()
    return True


def atomic_folder(target: Path, files: dict[str, bytes]) -> None:
    """Write a set of files into ``target`` so that each appears whole.

    A new folder is filled under a temporary name and renamed into place in one step (one rename
    instead of one per file); into an existing folder each file goes by :func:`atomic_write`.
    """
    if not target.exists():
        staging = _staging_folder(target)
        try:
            for name, data in files.items():
                with open(os.path.join(staging, name), "wb") as stream:
                    stream.write(data)
            os.rename(staging, target)
            return
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if not target.exists():
                raise
            # another writer made the folder meanwhile: fall through to file by file
    for name, data in files.items():
        atomic_write(target / name, data)


def _staging_folder(target: Path) -> str:
    """Make a new, empty temporary folder beside ``target`` (and its parent if need be): one
    ``mkdir``, which fails rather than reuse a folder that is there."""
    name = _temporary_name(target)
    try:
        os.mkdir(name)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(name)
    return name


def remove_temporaries_of(path: Path) -> None:
    """The temporaries of ``path`` itself, of any run: for a file that only the holder of its
    folder's lock writes (publish's running marker), one left over is a run killed while
    writing it, before its id was on record for :func:`remove_stale_temporaries`."""
    for leftover in path.parent.glob(f"{glob.escape(_prefix(path))}*.tmp"):
        if _RUN_TEMPORARY.fullmatch(leftover.name) and not leftover.is_dir():
            leftover.unlink(missing_ok=True)


def remove_stale_temporaries(folder: Path, run_ids: Iterable[str]) -> int:
    """Delete the temporary files and folders that killed runs with these ids left behind
    under ``folder``; anything else, however it is named, stays."""
    wanted = set(run_ids)
    count = 0
    for leftover in sorted(folder.rglob(".*.tmp"), reverse=True):
        match = _RUN_TEMPORARY.fullmatch(leftover.name)
        if match is None or match["run"] not in wanted:
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
        count += 1
    return count


LOCK = ".wirekit-lock"
"""The lock file wirekit takes in a folder it writes (a published tree), kept between runs."""
_HELD: set[int] = set()
"""Descriptors of the locks this process holds."""


def _forget_locks() -> None:
    """In a forked child (a pool worker): close the inherited lock descriptors, so the lock
    lives exactly as long as the process that took it; a worker orphaned by a killed run
    must not keep the next run waiting."""
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_locks)


@contextlib.contextmanager
def locked(folder: Path, wait: float, *, name: str = LOCK) -> Iterator[None]:
    """Hold an exclusive ``fcntl.flock`` on ``folder``'s lock file (``name`` in it), so one
    writer at a time. Waits up to ``wait`` seconds for another holder, then raises
    :class:`~wirekit.errors.WirekitError` naming what is locked. The operating system releases
    the lock of a process that dies, however it dies. A published tree keeps its lock file
    inside; an embedded store, whose folder belongs to Oxigraph, keeps it beside (see
    :meth:`wirekit.store.targets.EmbeddedStore.lock`)."""
    import fcntl
    import time

    from wirekit.errors import WirekitError

    fd = os.open(folder / name, getattr(os, "O_CLOEXEC", 0) | os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    held = folder if name == LOCK else folder / name.removesuffix(LOCK)[1:]
                    raise WirekitError(
                        f"another wirekit run is writing {held}; try again when it is done, "
                        "or give --wait more seconds"
                    ) from None
                time.sleep(0.05)
        _HELD.add(fd)
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)  # closing the descriptor releases the lock


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
    """``folder / name`` after checking that it cannot leave ``folder``: belt and braces over
    :func:`safe_name`. A name must be one plain path component; a symbolic link found there
    must point inside. Cheap (one ``lstat``), because publishing asks it for every article."""
    if name in ("", ".", "..") or any(c in name for c in "/\\\0"):
        raise ValueError(f"refusing to write outside {folder}: {name!r}")
    target = folder / name
    if target.is_symlink() and folder.resolve() not in target.resolve().parents:
        raise ValueError(f"refusing to follow {target} outside {folder}")
    return target
