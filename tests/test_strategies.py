"""The article strategies produce only schema-valid articles, so property tests test exporters,
not the generator."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from tests.strategies import article_dicts
from wirekit import schema
from wirekit.model import Article


@given(article_dicts())
def test_generated_articles_are_valid_and_round_trip_through_the_model(
    data: dict[str, Any],
) -> None:
    assert schema.problems(data) == []
    assert Article.from_dict(data).to_dict() == data
