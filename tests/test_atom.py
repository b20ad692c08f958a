"""The atom exporter against RFC 4287 (required elements, date formats, namespaces), what each
entry carries, and RFC 5005 paging."""

from __future__ import annotations

import html
from typing import Any

import feedparser
import msgspec
import pytest
from rfc3339_validator import validate_rfc3339

from tests.test_feeds import (
    FEED_URL,
    NEWEST_FIRST,
    RFC3339,
    SAMPLES,
    declared_on_root,
    export,
    sample,
    samples,
    xml,
)
from wirekit.config import Config
from wirekit.errors import ExportError, UsageError
from wirekit.formats.feeds import common as feeds
from wirekit.model import Article

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}


def atom(articles: Any, config: Config, **options: Any) -> Any:
    return xml(export("atom", articles, config, **options))


def one(parent: Any, path: str) -> Any:
    found = parent.findall(path, NS)
    assert len(found) == 1, f"expected exactly one {path}, found {len(found)}"
    return found[0]


@pytest.fixture(params=["seeds", "samples"])
def feed(request: pytest.FixtureRequest, seed_articles: list[Article], repo_config: Config) -> Any:
    articles = seed_articles if request.param == "seeds" else samples()
    return atom(articles, repo_config, feed_url=FEED_URL)


def test_the_feed_has_every_required_element(feed: Any) -> None:
    assert feed.tag == f"{{{ATOM}}}feed"
    for name in ("id", "title", "updated"):
        assert one(feed, f"a:{name}").text
    feed_author = feed.find("a:author/a:name", NS)
    entries = feed.findall("a:entry", NS)
    assert entries
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert one(entry, f"a:{name}").text
        assert feed_author is not None or entry.find("a:author/a:name", NS) is not None
        has_content = entry.find("a:content", NS) is not None
        assert has_content or entry.find("a:link[@rel='alternate']", NS) is not None


def test_every_date_is_rfc3339(feed: Any) -> None:
    stamps = feed.findall(".//a:updated", NS) + feed.findall(".//a:published", NS)
    assert stamps
    for stamp in stamps:
        assert RFC3339.fullmatch(stamp.text) and validate_rfc3339(stamp.text), stamp.text


def test_namespaces_are_declared_on_the_root(feed: Any) -> None:
    declared_on_root(feed)
    assert feed.nsmap == {None: ATOM}


def test_feed_level_links_and_author(feed: Any) -> None:
    assert one(feed, "a:link[@rel='self']").get("href") == FEED_URL
    assert one(feed, "a:link[@rel='self']").get("type") == "application/atom+xml"
    assert one(feed, "a:link[@rel='alternate']").get("href") == "https://news.example.org/"
    assert one(feed, "a:id").text == "https://news.example.org/"
    assert one(feed, "a:author/a:name").text == "wirekit Sample Desk"


def test_feedparser_reads_it_without_complaint(repo_config: Config) -> None:
    parsed = feedparser.parse(export("atom", samples(), repo_config, feed_url=FEED_URL))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [entry.id for entry in parsed.entries] == [SAMPLES[n]["id"] for n in NEWEST_FIRST]
    first = parsed.entries[0]
    assert [tag.term for tag in first.tags][:1] == ["medtop:20000565"]
    assert [link.href for link in first.enclosures] == [
        "https://news.example.org/images/leaders.jpg",
        "https://news.example.org/images/map.png",
    ]


def test_an_entry_carries_everything_the_article_has(repo_config: Config) -> None:
    entry = atom([sample("full")], repo_config).find("a:entry", NS)
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "fa-IR"
    assert one(entry, "a:id").text == "urn:newsml:news.example.org:20250730:full"
    assert one(entry, "a:title").text == "Tehran & Caracas <sign> a “pact”"
    assert one(entry, "a:published").text == "2025-07-30T09:15:00+03:30"
    assert one(entry, "a:updated").text == "2025-07-31T08:00:00Z"
    authors = [
        (a.findtext("a:name", None, NS), a.findtext("a:uri", None, NS))
        for a in entry.findall("a:author", NS)
    ]
    assert authors == [
        ("Sara Ahmadi", "https://news.example.org/people/sara/"),
        ("Luis Pérez", None),
    ]
    assert one(entry, "a:contributor/a:name").text == "An Editor"
    category = entry.find("a:category", NS)
    assert dict(category.attrib) == {
        "term": "medtop:20000565",
        "scheme": "http://cv.iptc.org/newscodes/mediatopic/",
        "label": "diplomacy",
    }
    assert one(entry, "a:summary").text == "Two leaders <agree>;\nmore to follow."
    content = one(entry, "a:content")
    assert content.get("type") == "html"
    assert content.text == feeds.body_html(sample("full"))
    assert "First &lt;b&gt;paragraph" in content.text  # article text stays text once unescaped
    assert html.unescape(content.text).startswith("<p>First <b>")
    assert one(entry, "a:rights").text == "© 2025 wirekit Sample Desk\nCredit the desk."
    alternate = one(entry, "a:link[@rel='alternate']")
    assert (alternate.get("href"), alternate.get("type")) == (SAMPLES["full"]["url"], "text/html")
    license_link = one(entry, "a:link[@rel='license']")
    assert license_link.get("href") == "https://creativecommons.org/licenses/by/4.0/"
    enclosures = entry.findall("a:link[@rel='enclosure']", NS)
    assert [(e.get("href"), e.get("type"), e.get("length")) for e in enclosures] == [
        ("https://news.example.org/images/leaders.jpg", "image/jpeg", None),
        ("https://news.example.org/images/map.png", "image/png", None),
    ]


def test_entries_come_newest_first_without_withheld_stories(repo_config: Config) -> None:
    ids = [e.text for e in atom(samples(), repo_config).findall("a:entry/a:id", NS)]
    assert ids == [SAMPLES[name]["id"] for name in NEWEST_FIRST]


def test_the_feed_is_as_new_as_its_newest_article_and_undated_entries_share_it(
    repo_config: Config,
) -> None:
    root = atom(samples(), repo_config)
    assert one(root, "a:updated").text == "2025-07-31T08:00:00Z"
    undated = root.findall("a:entry", NS)[-1]
    assert one(undated, "a:id").text == "urn:wirekit:undated"
    assert one(undated, "a:updated").text == "2025-07-31T08:00:00Z"
    assert undated.find("a:published", NS) is None
    page = one(undated, "a:link[@rel='alternate']").get("href")
    assert page == "https://news.example.org/articles/undated/"


def test_with_no_dated_article_the_export_fails_rather_than_read_the_clock(
    repo_config: Config,
) -> None:
    with pytest.raises(ExportError, match="updated"):
        export("atom", [sample("undated"), sample("withheld")], repo_config)
    with pytest.raises(ExportError):
        export("atom", [], repo_config)


def test_a_feed_with_no_publisher_credits_its_title_as_author() -> None:
    config = Config(base_url="https://x.example/")
    root = atom([sample("day-only")], config, title="Desk")
    assert one(root, "a:author/a:name").text == "Desk"
    assert root.find("a:entry/a:author", NS) is None


def test_the_id_comes_from_the_option_then_the_link_and_must_exist() -> None:
    bare = Config()
    with pytest.raises(UsageError, match="id"):
        export("atom", [sample("full")], bare, title="T")
    root = atom([sample("full")], bare, title="T", id="tag:x.example,2025:feed")
    assert one(root, "a:id").text == "tag:x.example,2025:feed"
    assert root.find("a:link[@rel='alternate']", NS) is None
    root = atom([sample("full")], bare, title="T", feed_url=FEED_URL)
    assert one(root, "a:id").text == FEED_URL


def test_limit_keeps_the_newest(repo_config: Config) -> None:
    ids = [e.text for e in atom(samples(), repo_config, limit="2").findall("a:entry/a:id", NS)]
    assert ids == [SAMPLES[name]["id"] for name in NEWEST_FIRST[:2]]


# --- RFC 5005 paging --------------------------------------------------------------------------

PAGES = "https://news.example.org/atom/{page}.xml"


def _archive(count: int) -> list[Article]:
    base = sample("day-only")
    return [
        msgspec.structs.replace(
            base, id=f"urn:x:{n:02d}", date_published=f"2025-07-{n:02d}", url=None
        )
        for n in range(1, count + 1)
    ]


def _links(root: Any) -> dict[str, str]:
    wanted = {"first", "previous", "next", "last", "self"}
    return {
        link.get("rel"): link.get("href")
        for link in root.findall("a:link", NS)
        if link.get("rel") in wanted
    }


def test_pages_partition_the_archive_newest_first_with_rfc5005_links(repo_config: Config) -> None:
    archive = _archive(5)
    seen = []
    for page in (1, 2, 3):
        options = {"page_size": "2", "page": str(page), "page_url": PAGES, "feed_url": FEED_URL}
        root = atom(archive, repo_config, **options)
        seen.append([e.text for e in root.findall("a:entry/a:id", NS)])
        links = _links(root)
        assert links["first"] == FEED_URL
        assert links["last"] == PAGES.format(page=3)
        assert links["self"] == (FEED_URL if page == 1 else PAGES.format(page=page))
        assert links.get("previous") == (
            None if page == 1 else FEED_URL if page == 2 else PAGES.format(page=2)
        )
        assert links.get("next") == (None if page == 3 else PAGES.format(page=page + 1))
        assert one(root, "a:updated").text == "2025-07-05T00:00:00Z"
        assert one(root, "a:id").text == "https://news.example.org/"
    assert seen == [["urn:x:05", "urn:x:04"], ["urn:x:03", "urn:x:02"], ["urn:x:01"]]
    assert not feedparser.parse(
        export("atom", archive, repo_config, page_size="2", page_url=PAGES)
    ).bozo


def test_paging_options_are_checked(repo_config: Config) -> None:
    archive = _archive(3)
    with pytest.raises(UsageError, match="past the last page"):
        export("atom", archive, repo_config, page_size="2", page="3", page_url=PAGES)
    with pytest.raises(UsageError, match="page_url"):
        export("atom", archive, repo_config, page_size="2")
    with pytest.raises(UsageError, match="page_url"):
        export("atom", archive, repo_config, page_size="2", page_url="https://x.example/a.xml")
    with pytest.raises(UsageError, match="limit"):
        export("atom", archive, repo_config, page_size="2", page_url=PAGES, limit="5")
    with pytest.raises(UsageError, match="page_size"):
        export("atom", archive, repo_config, page="2")
