"""The property every importer fuzzer checks, one input at a time.

Whatever bytes arrive, an importer followed by validation yields schema-valid Articles, error
records, or raises wirekit's own error (:class:`~wirekit.errors.WirekitError`): never anything
else (a ``KeyError``, a ``RecursionError``, a ``TypeError`` from deep inside), and never takes
more than the fuzzer's per-input timeout. This is what ``wirekit validate`` and ``convert`` do
with a file before any exporter sees it, with the official-schema check (``conformance``) of
NewsML-G2 and ninjs included.

Plain functions, so the regression tests replay saved crashes (``tests/hostile/fuzz/``) through
exactly what the fuzzers run.
"""

# ruff: noqa: PLC0415 - wirekit is imported inside the functions, so that fuzz/run.py can
# import this module first and still have atheris instrument every wirekit module it loads

from __future__ import annotations

import functools
import io
import traceback
import warnings
from pathlib import Path

IMPORTERS = (
    "text",
    "json",
    "newsml-g2",
    "ninjs",
    "jsonld",
    "nitf",
    "feed",
    "jsonfeed",
    "anpa",
    "iptc7901",
)
KNOWN: dict[str, tuple[tuple[type[BaseException], str], ...]] = {}
"""Crashes already found and recorded but not yet fixed, by importer: (exception type, the file
it is raised in). The fuzzers step over them so a smoke run finds *new* ones; the regression test
replays the saved input with ``known=False`` under a strict xfail, which fails as soon as the
bug is fixed, so the entry here is removed with it."""
ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def _importer(name: str) -> object:
    from wirekit import registry
    from wirekit.config import Config
    from wirekit.config import load as load_config
    from wirekit.specs import folder

    found = folder(load_config(ROOT / "wirekit.toml"))
    specs = found if found.is_dir() else None
    return registry.importer(name)(Config(specs=specs, publisher={"name": "Fuzz Desk"}))


def check(name: str, data: bytes, *, known: bool = True) -> int:
    """One input through importer ``name``, validation and the model; how many articles it
    held. Raises only if wirekit broke its promise (anything but a :class:`WirekitError`),
    unless it is one of the :data:`KNOWN` crashes and ``known`` is true."""
    try:
        return _check(name, data)
    except Exception as exc:
        raised_in = traceback.extract_tb(exc.__traceback__)[-1].filename
        if known and any(
            isinstance(exc, kind) and raised_in.endswith(where)
            for kind, where in KNOWN.get(name, ())
        ):
            return 0
        raise


def _check(name: str, data: bytes) -> int:
    from wirekit import schema
    from wirekit.errors import InputError, WirekitError
    from wirekit.model import Article
    from wirekit.plugin import Importer
    from wirekit.sources import MAX_DOCUMENT

    importer = _importer(name)
    assert isinstance(importer, Importer)
    if len(data) > MAX_DOCUMENT:  # the reader refuses these before an importer sees them
        return 0
    articles = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            type(importer).sniff(data[:4096])
            importer.conformance(data)
        except WirekitError:
            pass
        try:
            for record in importer.read(io.BytesIO(data), "fuzz-input"):
                if record.error is not None:
                    if not isinstance(record.error, InputError):
                        raise AssertionError(f"an error record holds {record.error!r}")
                    continue
                if record.data is None:
                    raise AssertionError("a record with neither data nor an error")
                if schema.problems(record.data):
                    continue
                Article.from_dict(record.data).to_dict()
                articles += 1
        except WirekitError:
            pass
    return articles
