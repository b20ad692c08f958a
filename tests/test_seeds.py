"""The sample articles in ``seeds/``: they all read cleanly, the original one comes out as the issue
describes it, and together they exercise every field the schema has (so a field added to the
schema without a seed that uses it fails here)."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import SEED_ARTICLE, SEEDS, SHARED, seed_files
from tests.test_schema import property_paths
from wirekit.config import Config
from wirekit.model import MEDIA_TYPES, Article, BlockQuote, Heading, ListBlock, Paragraph, Table
from wirekit.sources import Reader
from wirekit.specs import require

ORIGINAL_SEED = SHARED / "seeds" / "000_af496c2b99f57040.txt"
SEED_NAME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*\.(txt|json|jsonl)")
# Seeds are fiction: their links stay on reserved example domains (RFC 2606). Concept IRIs of the
# IPTC vocabularies are identifiers of real codes and allowed.
ALLOWED_HOSTS = ("example.org", "example.com", "cv.iptc.org")
RTL_SCRIPT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@pytest.fixture(scope="module")
def seeds(repo_config: Config) -> dict[Path, list[Article]]:
    """Each seed file and the articles read from it, warnings turned into errors."""
    reader = Reader(repo_config)
    found: dict[Path, list[Article]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for path in seed_files():
            results = list(reader.read(path))
            assert results, f"{path.name}: no article"
            for result in results:
                assert result.error is None, str(result.error)
            found[path] = [r.article for r in results if r.article is not None]
    return found


@pytest.fixture(scope="module")
def canonical(seeds: dict[Path, list[Article]]) -> list[dict[str, Any]]:
    return [article.to_dict() for articles in seeds.values() for article in articles]


def values_at(data: Any, path: str) -> list[Any]:
    """The values at a schema property path (``*``: any array item or any object member)."""
    nodes = [data]
    for segment in path.split("/")[1:]:
        following: list[Any] = []
        for node in nodes:
            if segment == "*":
                if isinstance(node, list):
                    following.extend(node)
                elif isinstance(node, dict):
                    following.extend(node.values())
            elif isinstance(node, dict) and segment in node:
                following.append(node[segment])
        nodes = following
    return nodes


# --- every seed ----------------------------------------------------------------------------


def test_there_are_at_least_five_seeds_in_both_formats() -> None:
    files = seed_files()
    assert len(files) >= 5
    assert {p.suffix for p in files} >= {".txt", ".json"}
    others = [
        p for p in SEEDS.iterdir() if p not in files and not p.name.startswith((".", "README"))
    ]
    assert others == [], f"seeds/ holds only .txt, .json and .jsonl articles: {others}"


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name)
def test_seed_reads_without_error_or_warning(path: Path, seeds: dict[Path, list[Article]]) -> None:
    assert SEED_NAME.fullmatch(path.name), f"{path.name}: name it YYYY-MM-DD-subject.ext"
    articles = seeds[path]
    assert len(articles) == 1
    article = articles[0]
    assert article.body or article.type in MEDIA_TYPES  # a picture's content is its renditions
    if article.date_published is not None:
        assert path.name.startswith(article.date_published[:10]), "named after its date"


def test_seeds_have_distinct_ids_and_slugs(seeds: dict[Path, list[Article]]) -> None:
    articles = [a for found in seeds.values() for a in found]
    assert len({a.id for a in articles}) == len(articles)
    assert len({a.slug for a in articles}) == len(articles)


def test_wirekit_validate_accepts_every_seed(run_wirekit: Any) -> None:
    names = [str(p.relative_to(SEEDS.parent)) for p in seed_files()]
    code, out, err = run_wirekit("validate", *names)
    assert code == 0, err
    assert "invalid" not in out + err
    for name in names:
        assert f"{name}: valid" in out.splitlines(), out


def test_seed_links_stay_on_example_domains() -> None:
    for path in seed_files():
        for url in re.findall(r"https?://[^\s<>\"]+", path.read_text(encoding="utf-8")):
            host = urlsplit(url).hostname or ""
            assert host.endswith(ALLOWED_HOSTS), f"{path.name}: {url}"


# --- the original seed ---------------------------------------------------------------------


@pytest.mark.corpus
def test_original_seed_is_byte_identical_to_the_shared_copy() -> None:
    assert ORIGINAL_SEED.is_file(), f"missing: {ORIGINAL_SEED}"
    assert SEED_ARTICLE.read_bytes() == ORIGINAL_SEED.read_bytes()


def test_original_seed_reads_as_the_issue_describes(seeds: dict[Path, list[Article]]) -> None:
    (article,) = seeds[SEED_ARTICLE]
    assert article.dateline is not None and article.dateline.place is not None
    assert article.dateline.place.name == "TEHRAN"
    assert article.dateline.text == "TEHRAN –"
    assert article.dateline.date == "2025-07-30"
    assert article.date_published == "2025-07-30"
    assert all(isinstance(block, Paragraph) for block in article.body)
    assert len(article.body) == 16
    first = article.body[0]
    assert isinstance(first, Paragraph)
    assert first.text.startswith("Iranian President Masoud Pezeshkian")
    assert 0 < len(article.headline) <= 110
    assert article.headline.startswith("Iranian President Masoud Pezeshkian")
    assert "TEHRAN" not in article.headline and "\n" not in article.headline
    # every word of the file is in the body but the header and the dateline
    words = SEED_ARTICLE.read_text(encoding="utf-8").split()
    assert words[:4] == ["date", "2025-07-30", "TEHRAN", "–"]
    assert article.word_count == len(words) - 4


# --- together, the seeds exercise the whole model ------------------------------------------


def test_seeds_cover_every_property_of_the_schema(canonical: list[dict[str, Any]]) -> None:
    paths = property_paths()
    assert len(paths) > 100, "the schema walker found too little"
    uncovered = [path for path in paths if not any(values_at(d, path) for d in canonical)]
    assert uncovered == [], f"no seed article has these fields; add them to a seed: {uncovered}"


def _all(seeds: dict[Path, list[Article]]) -> Iterator[Article]:
    for articles in seeds.values():
        yield from articles


def test_seeds_cover_every_status_signal_and_kind(seeds: dict[Path, list[Article]]) -> None:
    articles = list(_all(seeds))
    assert {a.status for a in articles} == {"usable", "withheld", "canceled"}
    assert {s for a in articles for s in a.signals} == {"update", "correction", "kill"}
    assert {e.type for a in articles for e in (*a.about, *a.mentions)} == {
        "person",
        "organization",
        "place",
    }
    kinds = {type(b) for a in articles for b in a.body}
    assert kinds == {Paragraph, Heading, BlockQuote, ListBlock, Table}
    lists = [b for a in articles for b in a.body if isinstance(b, ListBlock)]
    assert {bool(b.ordered) for b in lists} == {True, False}
    assert any(isinstance(b, BlockQuote) and b.attribution for a in articles for b in a.body)
    levels = {b.level for a in articles for b in a.body if isinstance(b, Heading)}
    assert len(levels) >= 2
    assert {a.is_accessible_for_free for a in articles} >= {True, False}


def test_seeds_include_the_special_cases(seeds: dict[Path, list[Article]]) -> None:
    articles = list(_all(seeds))
    embargoed = [a for a in articles if a.embargoed_until]
    assert embargoed
    corrected = [a for a in articles if "correction" in a.signals]
    assert any(a.corrections and a.notes and a.version > 1 for a in corrected)
    assert any(a.status == "canceled" and "kill" in a.signals for a in articles)
    assert any(a.status == "withheld" and a.notes for a in articles)
    assert any(a.date_published and len(a.date_published) == 10 for a in articles)
    offsets = [d for a in articles for d in (a.date_created, a.date_modified) if d]
    assert any(
        re.search(r"[+-][0-9]{2}:[0-9]{2}\Z", d) and not d.endswith("+00:00") for d in offsets
    )
    rtl = [a for a in articles if a.language.split("-")[0] in ("ar", "fa", "he", "ur")]
    assert rtl, "a non-English article in a right-to-left script"
    for article in rtl:
        assert RTL_SCRIPT.search(article.headline) and RTL_SCRIPT.search(article.text)
    assert len([a for a in articles if len(a.authors) > 1]) >= 2
    assert any(len(a.contributors) > 1 for a in articles)


def _concepts(specs: Path) -> dict[str, dict[str, Any]]:
    medtop = json.loads(require("mediatopic", specs).read_text(encoding="utf-8"))["concepts"]
    genre = json.loads(require("genre", specs).read_text(encoding="utf-8"))
    return {c["qcode"]: c for c in [*medtop, *genre["conceptSet"]]}


def test_seed_concepts_are_current_iptc_codes(
    seeds: dict[Path, list[Article]], specs: Path
) -> None:
    known = _concepts(specs)
    for article in _all(seeds):
        for concept in (*article.subjects, *article.genres):
            assert concept.scheme in ("medtop", "genre"), concept
            found = known.get(concept.qcode)
            assert found is not None, f"{article.slug}: unknown code {concept.qcode}"
            assert not found.get("retired"), f"{article.slug}: retired code {concept.qcode}"
            if concept.uri is not None:
                assert concept.uri == found["uri"]
            if concept.label is not None and article.language.startswith("en"):
                assert concept.label == found["prefLabel"]["en-GB"], concept.qcode
