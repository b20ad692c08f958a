"""The small public API: ``wirekit.read``, ``wirekit.validate``, ``wirekit.write``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import wirekit
from tests.conftest import SEED_ARTICLE
from wirekit import (
    Article,
    Config,
    InputError,
    UnknownFormat,
    UsageError,
    ValidationError,
    WirekitError,
)

VALID: dict[str, Any] = {
    "id": "urn:example:story:1",
    "version": 1,
    "headline": "Talks resume",
    "language": "en",
    "body": [{"type": "paragraph", "text": "Negotiators met again."}],
}


def other(n: int) -> dict[str, Any]:
    return {**VALID, "id": f"urn:example:story:{n}"}


def test_the_public_names() -> None:
    for name in wirekit.__all__:
        assert getattr(wirekit, name) is not None
    assert {"read", "write", "validate", "Article", "Config", "WirekitError"} <= set(
        wirekit.__all__
    )
    for error in ("InputError", "UsageError", "UnknownFormat", "ValidationError", "ExportError"):
        assert issubclass(getattr(wirekit, error), WirekitError)
    assert issubclass(ValidationError, InputError)


def test_read_the_seed(repo_config: Config) -> None:
    [article] = wirekit.read(SEED_ARTICLE, config=repo_config)
    assert isinstance(article, Article)
    assert article.dateline is not None
    assert article.dateline.text == "TEHRAN –"
    assert article.date_published == "2025-07-30"
    assert len(article.body) == 16
    assert article.publisher is not None
    assert article.id.startswith(repo_config.base_iri)


def test_read_with_a_forced_format(tmp_path: Path) -> None:
    path = tmp_path / "story.dat"
    path.write_bytes(SEED_ARTICLE.read_bytes())
    [article] = wirekit.read(str(path), format="text")
    assert article.slug == "story"
    with pytest.raises(UnknownFormat):
        list(wirekit.read(path, format="nosuch"))


def test_read_json_lines_lazily(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(other(1)) + "\n{broken\n" + json.dumps(other(3)) + "\n")
    found = wirekit.read(path)
    assert next(found).id == "urn:example:story:1"
    with pytest.raises(InputError) as raised:
        next(found)
    assert raised.value.source == str(path)
    assert raised.value.place == "line 2"


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("missing.json", None, InputError),
        ("bad.txt", b"\xff", InputError),
        ("invalid.json", json.dumps({**VALID, "version": 0}).encode(), ValidationError),
    ],
)
def test_read_raises_wirekit_errors(
    tmp_path: Path, name: str, data: bytes | None, error: type[Exception]
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(error) as raised:
        list(wirekit.read(path))
    assert raised.value.source == str(path)  # type: ignore[attr-defined]


def test_validate_returns_an_article() -> None:
    article = wirekit.validate(VALID)
    assert isinstance(article, Article)
    assert article.to_dict() == VALID


def test_validate_reports_every_problem_at_once() -> None:
    bad = {**VALID, "version": 0, "headline": "", "extra": True}
    del bad["language"]
    with pytest.raises(ValidationError) as raised:
        wirekit.validate(bad)
    pointers = sorted(problem.pointer for problem in raised.value.problems)
    # an empty headline is both too short and has nothing to read in it
    assert pointers == ["", "", "/headline", "/headline", "/version"]
    assert "language" in str(raised.value)
    assert "extra" in str(raised.value)


@pytest.mark.parametrize("data", [None, [], "article", 1])
def test_validate_refuses_what_is_not_an_article(data: Any) -> None:
    with pytest.raises(ValidationError):
        wirekit.validate(data)


def test_write_one_article() -> None:
    article = wirekit.validate(VALID)
    output = wirekit.write(article, "json")
    assert isinstance(output, bytes)
    assert json.loads(output) == VALID
    assert wirekit.write([article], "json") == output
    assert wirekit.write(article, "application/json") == output


def test_write_a_collection() -> None:
    articles = [wirekit.validate(other(n)) for n in range(3)]
    output = wirekit.write(iter(articles), "jsonl")
    assert [json.loads(line)["id"] for line in output.splitlines()] == [a.id for a in articles]
    assert len(wirekit.write(articles[0], "jsonl").splitlines()) == 1


def test_write_refuses_many_articles_to_a_single_article_format() -> None:
    articles = [wirekit.validate(other(n)) for n in range(2)]
    with pytest.raises(UsageError, match="one article per document"):
        wirekit.write(articles, "json")


def test_write_unknown_format_and_option() -> None:
    article = wirekit.validate(VALID)
    with pytest.raises(UnknownFormat, match="did you mean 'json'"):
        wirekit.write(article, "jsn")
    with pytest.raises(ValueError):
        wirekit.write(article, "jsn")
    with pytest.raises(UsageError, match="no option"):
        wirekit.write(article, "json", colour="blue")


def test_read_write_read_round_trip(tmp_path: Path, repo_config: Config) -> None:
    [article] = wirekit.read(SEED_ARTICLE, config=repo_config)
    path = tmp_path / "seed.json"
    path.write_bytes(wirekit.write(article, "json"))
    [again] = wirekit.read(path)
    assert again == article
    assert again.to_dict() == article.to_dict()


@pytest.mark.parametrize("number", [2**64, -(2**63) - 1])
def test_write_any_valid_article(number: int) -> None:
    article = wirekit.validate({**VALID, "extensions": {"example": {"n": number}}})
    assert json.loads(wirekit.write(article, "json"))["extensions"]["example"]["n"] == number
