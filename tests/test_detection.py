"""Format detection scores, it does not race: on stdin every importer rates the first bytes and
the highest score wins, so the generic canonical JSON importer no longer claims a ninjs or a
JSON-LD document because it happens to start with ``{``."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SEED_ARTICLE, seed_files
from wirekit import registry
from wirekit.config import Config
from wirekit.model import Article
from wirekit.plugin import Importer
from wirekit.sources import Reader

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def article() -> Article:
    (result,) = Reader(Config()).read(SEED_ARTICLE)
    assert result.article is not None
    return result.article


def _single(name: str) -> Callable[[Article], bytes]:
    def make(article: Article) -> bytes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return registry.exporter(name)(Config()).export(article)

    return make


def _collection(name: str) -> Callable[[Article], bytes]:
    def make(article: Article) -> bytes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return registry.exporter(name)(Config()).export_collection([article, article])

    return make


# what is on stdin -> the importer that must read it
CASES = [
    pytest.param(_single("ninjs"), "ninjs", id="ninjs 3.x"),
    pytest.param(_single("ninjs-2"), "ninjs", id="ninjs 2.x"),
    pytest.param(_single("jsonld"), "jsonld", id="JSON-LD"),
    pytest.param(_single("json"), "json", id="canonical JSON"),
    pytest.param(_collection("jsonl"), "json", id="JSON Lines"),
    pytest.param(_single("newsml-g2"), "newsml-g2", id="NewsML-G2 item"),
    pytest.param(_collection("newsml-g2-message"), "newsml-g2", id="NewsML-G2 message"),
    pytest.param(_single("html"), "jsonld", id="HTML with JSON-LD"),
    pytest.param(lambda _: SEED_ARTICLE.read_bytes(), "text", id="wire text"),
]


@pytest.mark.parametrize(("make", "expected"), CASES)
def test_stdin_is_recognised_by_the_highest_score(
    make: Callable[[Article], bytes], expected: str, article: Article, tmp_path: Path
) -> None:
    data = make(article)
    assert registry.importer_for(data[:4096], None) is registry.importer(expected)
    unnamed = tmp_path / "input"  # no extension: every importer sniffs, as for stdin
    unnamed.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = list(Reader(Config()).read(unnamed))
    assert [r.error for r in results if r.error] == []
    assert {r.article.headline for r in results if r.article} == {article.headline}


@pytest.mark.parametrize(("make", "expected"), CASES)
def test_every_score_is_between_0_and_1(
    make: Callable[[Article], bytes], expected: str, article: Article
) -> None:
    head = make(article)[:4096]
    for cls in registry.importer_classes():
        assert 0.0 <= float(cls.sniff(head)) <= 1.0, cls.name


def test_cat_ninjs_into_convert_reads_it_as_ninjs(run_wirekit: Run, article: Article) -> None:
    """The issue's first bug: `cat ninjs.json | wirekit convert - --to json` exited 1."""
    code, out, err = run_wirekit("convert", "-", "--to", "json", stdin=_single("ninjs")(article))
    assert code == 0, err
    assert '"headline"' in out


def _scoring(name: str, score: float) -> type[Importer]:
    return type(name, (Importer,), {"name": name, "sniff": classmethod(lambda cls, head: score)})


def test_a_tie_goes_to_the_importer_registered_first(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second, low = _scoring("json", 0.5), _scoring("ninjs", 0.5), _scoring("jsonld", 0.2)
    monkeypatch.setattr(registry, "importer_classes", lambda: iter([low, second, first]))
    assert registry.names("importer").index("json") < registry.names("importer").index("ninjs")
    assert registry.importer_for(b"{}", None) is first
    monkeypatch.setattr(registry, "importer_classes", lambda: iter([low, _scoring("ninjs", 0.6)]))
    assert registry.importer_for(b"{}", None).name == "ninjs"


def test_nothing_recognisable_on_stdin_is_refused_with_a_hint() -> None:
    with pytest.raises(registry.UnknownFormat, match="--from"):
        registry.importer_for(b"", None)


def test_a_file_extension_claimed_once_needs_no_sniffing() -> None:
    assert registry.importer_for(b"{}", "story.txt") is registry.importer("text")
    assert registry.importer_for(b"not json", "seed.json") is registry.importer("json")
    assert all(path.suffix in registry.importer_extensions() for path in seed_files())


# --- looking up imports only what it must ------------------------------------------------------


def _imported_by(code: str) -> set[str]:
    """The wirekit.formats modules a fresh interpreter imports to run ``code``, as
    ``python -X importtime`` reports them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"from wirekit import registry\n{code}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    names = (line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines())
    return {name for name in names if name.startswith("wirekit.formats.")}


@pytest.mark.parametrize(
    ("code", "families"),
    [
        ("registry.exporter('ttl')", ("schemaorg",)),
        ("registry.exporter('application/ld+json')", ("schemaorg",)),
        # the NITF reader shares the NewsML-G2 reader's body reading, so it imports it
        ("registry.importer('application/nitf+xml')", ("nitf", "newsml_g2")),
    ],
)
def test_a_lookup_by_alias_or_media_type_imports_only_what_it_must(
    code: str, families: tuple[str, ...]
) -> None:
    imported = _imported_by(code)
    assert any(name.startswith(f"wirekit.formats.{families[0]}.") for name in imported)
    allowed = tuple(f"wirekit.formats.{family}" for family in families)
    assert {name for name in imported if not name.startswith(allowed)} == set()


def test_a_misspelt_name_imports_no_format_module() -> None:
    code = "try:\n    registry.exporter('turtel')\nexcept ValueError as e:\n    print(e)"
    assert _imported_by(code) == set()


def test_the_generated_table_of_built_ins_matches_the_classes() -> None:
    from wirekit._builtins import KEYS

    assert registry.builtin_keys() == KEYS, (
        "wirekit/_builtins.py is stale: run `.venv/bin/python -m wirekit.registry` and commit it"
    )
