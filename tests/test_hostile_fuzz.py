"""Inputs the fuzzers crashed on, kept in ``tests/hostile/fuzz/<importer>/`` and replayed
through the very property the fuzzers check (:func:`fuzz.harness.check`), so a fixed crash
stays fixed. ``python fuzz/run.py IMPORTER --seconds N`` finds new ones; copy a crashing input
here before fixing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.harness import IMPORTERS, check
from tests.test_schemaorg_support import no_network  # noqa: F401 (an autouse fixture)
from wirekit import registry

SAVED = Path(__file__).parent / "hostile" / "fuzz"
CASES = sorted(
    (folder.name, path)
    for folder in SAVED.iterdir()
    if folder.is_dir()
    for path in folder.iterdir()
)


def test_every_importer_has_a_fuzzer() -> None:
    """A new built-in importer gets its harness (and its smoke run in ``make test``)."""
    built_in = {
        cls.name for cls in registry.importer_classes() if cls.__module__.startswith("wirekit.")
    }
    assert built_in == set(IMPORTERS)
    assert {name for name, _ in CASES} <= set(IMPORTERS)


UNFIXED: dict[str, str] = {}
"""Saved crashes whose fix belongs to another file's owner: strict xfails, so fixing one fails
the test until its entry here and in ``fuzz.harness.KNOWN`` is removed."""


def _params() -> list[object]:
    params: list[object] = []
    for importer, path in CASES:
        key = f"{importer}/{path.name}"
        marks = [pytest.mark.xfail(strict=True, reason=UNFIXED[key])] if key in UNFIXED else []
        params.append(pytest.param(importer, path, id=key, marks=marks))
    return params


@pytest.mark.parametrize(("importer", "path"), _params())
def test_a_saved_crash_stays_fixed(importer: str, path: Path) -> None:
    check(importer, path.read_bytes(), known=False)


def test_every_known_crash_has_its_saved_input() -> None:
    """A crash the fuzzers step over (``fuzz.harness.KNOWN``) is replayed here, unmasked."""
    from fuzz.harness import KNOWN

    assert {name for name, _ in CASES if f"{name}/" in "".join(UNFIXED)} == set(KNOWN)


def test_the_property_can_fail() -> None:
    """The harness lets through only wirekit's own errors: anything else is the crash a
    fuzzer reports."""
    from collections.abc import Iterator
    from typing import BinaryIO

    from fuzz import harness
    from wirekit.plugin import Importer, Record

    class Broken(Importer):
        def read(self, stream: BinaryIO, source: str) -> Iterator[Record]:
            raise KeyError("a bug")

    original = harness._importer
    harness._importer = lambda name: Broken()  # type: ignore[assignment]
    try:
        with pytest.raises(KeyError):
            check("json", b"{}")
    finally:
        harness._importer = original
