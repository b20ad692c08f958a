"""The jsonfeed exporter against JSON Feed 1.1: required keys, types, dates, no nulls.

feedparser 6.0 has no JSON Feed parser (it reads JSON as broken XML), so :func:`check_jsonfeed`
holds the specification's rules instead; the property tests use it too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from rfc3339_validator import validate_rfc3339

import wirekit
from tests.test_feeds import FEED_URL, NEWEST_FIRST, SAMPLES, export, sample, samples
from wirekit.config import Config
from wirekit.formats.feeds import common as feeds
from wirekit.model import Article

VERSION = "https://jsonfeed.org/version/1.1"
_TOP = {
    "version": str,
    "title": str,
    "home_page_url": str,
    "feed_url": str,
    "description": str,
    "language": str,
    "authors": list,
    "items": list,
}
_ITEM = {
    "id": str,
    "url": str,
    "title": str,
    "content_html": str,
    "content_text": str,
    "summary": str,
    "image": str,
    "date_published": str,
    "date_modified": str,
    "authors": list,
    "tags": list,
    "language": str,
}


def _typed(obj: dict[str, Any], types: dict[str, type]) -> None:
    unknown = set(obj) - set(types)
    assert not unknown, f"keys JSON Feed 1.1 does not define: {unknown}"
    for key, value in obj.items():
        assert isinstance(value, types[key]), f"{key} is {type(value).__name__}"


def check_jsonfeed(data: bytes) -> dict[str, Any]:
    """The parsed feed, after checking it against JSON Feed 1.1's rules."""
    feed = json.loads(data)
    assert feed["version"] == VERSION
    assert feed["title"]
    _typed(feed, _TOP)
    for author in feed.get("authors", []):
        assert author["name"] and set(author) <= {"name", "url", "avatar"}
    for item in feed["items"]:
        _typed(item, _ITEM)
        assert item["id"]
        assert "content_html" in item or "content_text" in item
        for key in ("date_published", "date_modified"):
            if key in item:
                assert validate_rfc3339(item[key]), item[key]
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
    return feed


@pytest.fixture(params=["seeds", "samples"])
def articles(request: pytest.FixtureRequest, seed_articles: list[Article]) -> list[Article]:
    return seed_articles if request.param == "seeds" else samples()


def test_the_feed_meets_the_specification(articles: list[Article], repo_config: Config) -> None:
    data = export("jsonfeed", articles, repo_config, feed_url=FEED_URL)
    feed = check_jsonfeed(data)
    assert feed["items"]
    assert data.endswith(b"}\n") and b"\\u" not in data  # UTF-8 text, not escapes
    assert (feed["home_page_url"], feed["feed_url"]) == ("https://news.example.org/", FEED_URL)
    assert feed["authors"] == [{"name": "wirekit Sample Desk", "url": "https://news.example.org/"}]
    assert feed["language"] == "en"


def test_items_come_newest_first_without_withheld_stories(repo_config: Config) -> None:
    feed = check_jsonfeed(export("jsonfeed", samples(), repo_config))
    assert [item["id"] for item in feed["items"]] == [SAMPLES[n]["id"] for n in NEWEST_FIRST]


def test_an_item_carries_everything_the_article_has(repo_config: Config) -> None:
    item = check_jsonfeed(export("jsonfeed", [sample("full")], repo_config))["items"][0]
    full = sample("full")
    assert item == {
        "id": "urn:newsml:news.example.org:20250730:full",
        "url": "https://news.example.org/articles/full/",
        "title": "Tehran & Caracas <sign> a “pact”",
        "content_html": feeds.body_html(full),
        "content_text": full.text,
        "summary": "Two leaders <agree>;\nmore to follow.",
        "image": "https://news.example.org/images/leaders.jpg",
        "date_published": "2025-07-30T09:15:00+03:30",
        "date_modified": "2025-07-31T08:00:00Z",
        "authors": [
            {"name": "Sara Ahmadi", "url": "https://news.example.org/people/sara/"},
            {"name": "Luis Pérez"},
        ],
        "tags": ["diplomacy", "local:iran", "Iran", "Venezuela"],
        "language": "fa-IR",
    }


def test_absent_values_are_left_out_and_a_date_only_value_is_midnight_utc(
    repo_config: Config,
) -> None:
    feed = check_jsonfeed(export("jsonfeed", [sample("day-only"), sample("undated")], repo_config))
    day_only, undated = feed["items"]
    assert day_only["date_published"] == "2025-07-31T00:00:00Z"
    assert "date_modified" not in day_only and "authors" not in day_only
    assert undated["url"] == "https://news.example.org/articles/undated/"
    assert not {"date_published", "summary", "tags"} & set(undated)
    assert feed["feed_url"] == "https://news.example.org/feed.json"  # its place under base_url
    assert "description" not in feed


def test_tags_do_not_repeat(repo_config: Config) -> None:
    data = {**SAMPLES["full"], "keywords": ["diplomacy", "Iran"]}
    item = check_jsonfeed(export("jsonfeed", [wirekit.validate(data)], repo_config))["items"][0]
    assert item["tags"] == ["diplomacy", "local:iran", "Iran"]


def test_options_name_the_feed_and_limit_it(repo_config: Config) -> None:
    options = {"title": "T", "description": "D", "language": "de", "limit": "2"}
    feed = check_jsonfeed(export("jsonfeed", samples(), repo_config, **options))
    assert [feed[k] for k in ("title", "description", "language")] == ["T", "D", "de"]
    assert len(feed["items"]) == 2
