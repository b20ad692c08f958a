"""Every file of the real agency corpus in ../shared/corpus (issue 17's acceptance), read in
place and never copied: a file that holds no news item gives one clear line; every other file
imports with a coverage report free of unwarned losses (every element mapped, left out by a
documented rule, or named in a warning the reader gave), exports to every single-article format,
validly where an official schema judges it (NewsML-G2, ninjs, NITF), and no internal note reaches
any output but the canonical JSON.

Marked ``corpus``: skipped, saying why, where ../shared is absent.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from wirekit import coverage, registry
from wirekit.config import Config
from wirekit.model import Article
from wirekit.plugin import PUBLIC, Importer
from wirekit.sources import Reader

pytestmark = pytest.mark.corpus

FILES = sorted(
    str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md"
)
NO_NEWS = (
    "holds no news item",
    "NewsML 1.x, not NewsML-G2",
    "XML with a DOCTYPE declaration is refused",
    "no text in the news object",
)
"""The one-line reasons a corpus file gives no article: it holds none, or none wirekit can read
without fetching (an AP item whose text is only a download link) or risk (a DOCTYPE)."""
JUDGED = {"newsml-g2": "newsml-g2", "ninjs": "ninjs", "ninjs-2": "ninjs", "nitf": "nitf"}
"""Exporter -> the importer whose conformance check (the official XSD or JSON Schema) judges it."""
SINGLE = [n for n in registry.names("exporter") if not registry.exporter(n).collection]


@pytest.fixture(scope="module")
def judges(specs: Path) -> dict[str, object]:
    config = Config(specs=specs)
    return {name: registry.importer(name)(config) for name in set(JUDGED.values())}


@pytest.fixture(scope="module")
def writers() -> dict[str, object]:
    config = Config(publisher={"name": "Corpus Desk"}, base_url="https://desk.example/")
    return {name: registry.exporter(name)(config) for name in SINGLE}


@pytest.mark.parametrize("name", FILES)
def test_a_corpus_file_imports_and_exports_validly_or_says_in_one_line_why_not(
    name: str, judges: dict[str, object], writers: dict[str, object]
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = list(Reader(Config()).read_all([str(CORPUS / name)]))
    assert results, name
    read_as = {result.importer for result in results if result.article is not None}
    if read_as:
        (importer,) = read_as  # one file, one importer
        assert importer is not None, name
        _nothing_lost_in_silence(name, importer, [str(w.message) for w in caught])
    for result in results:
        if result.error is not None:
            message = str(result.error)
            assert "\n" not in message and message.count(str(CORPUS / name)) <= 1, message
            assert any(reason in message for reason in NO_NEWS), message
            continue
        assert result.article is not None
        _exports(result.article, judges, writers)


def _nothing_lost_in_silence(name: str, importer: Importer, warned: list[str]) -> None:
    """The file's coverage report by the importer that read it lists each of its elements, and
    none is not carried; each one the report calls warned is named, by its path, in a warning
    reading it gave."""
    lines = coverage.of_file(str(CORPUS / name), importer)
    assert lines, (name, "no coverage report")
    lost = [line.path for line in lines if line.status == coverage.NOT_CARRIED]
    assert not lost, (name, lost)
    said = "\n".join(warned)
    warned_lines = [line.path for line in lines if line.status == coverage.WARNED]
    unnamed = [path for path in warned_lines if path not in said]
    assert not unnamed, (name, unnamed, warned)


def _exports(article: Article, judges: dict[str, object], writers: dict[str, object]) -> None:
    internal = [n.text for n in article.notes if n.audience == "internal" and len(n.text) > 8]
    for name, writer in writers.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = writer.export(article)  # type: ignore[attr-defined]
        if name != "json":
            text = data.decode("utf-8", "replace")
            leaked = [note for note in internal if note in text]
            assert not leaked, (article.id, name, leaked)
        if name in JUDGED:
            problems = judges[JUDGED[name]].conformance(data)  # type: ignore[attr-defined]
            assert problems == [], (article.id, name, [str(p) for p in problems[:3]])
        elif writer.audience == PUBLIC:  # type: ignore[attr-defined]
            partner = [n.text for n in article.notes if n.audience == "partner" and len(n.text) > 8]
            text = data.decode("utf-8", "replace")
            assert not [note for note in partner if note in text], (article.id, name)
