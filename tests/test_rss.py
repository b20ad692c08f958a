"""The rss exporter against RSS 2.0 (required elements, RFC 822 dates, declared namespaces) and
its extensions: dc:creator, guid/isPermaLink, categories, Media RSS and the enclosure."""

from __future__ import annotations

import email.utils
from datetime import datetime
from typing import Any

import feedparser
import pytest

import wirekit
from tests.test_feeds import (
    FEED_URL,
    NEWEST_FIRST,
    RFC822,
    SAMPLES,
    declared_on_root,
    export,
    sample,
    samples,
    xml,
)
from wirekit import dates
from wirekit.config import Config
from wirekit.errors import UsageError
from wirekit.formats.feeds import common as feeds
from wirekit.model import Article

ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"
NS = {
    "atom": ATOM,
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": MEDIA,
}


def rss(articles: Any, config: Config, **options: Any) -> Any:
    return xml(export("rss", articles, config, **options))


def item_of(name: str, config: Config) -> Any:
    return rss([sample(name)], config).find("channel/item")


@pytest.fixture(params=["seeds", "samples"])
def feed(request: pytest.FixtureRequest, seed_articles: list[Article], repo_config: Config) -> Any:
    articles = seed_articles if request.param == "seeds" else samples()
    return rss(articles, repo_config, feed_url=FEED_URL)


def test_the_channel_has_every_required_element(feed: Any) -> None:
    assert (feed.tag, feed.get("version")) == ("rss", "2.0")
    channel = feed.find("channel")
    for name in ("title", "link", "description"):
        assert len(channel.findall(name)) == 1 and channel.findtext(name)
    assert channel.findtext("language") == "en"
    items = channel.findall("item")
    assert items
    for item in items:
        assert item.findtext("title") or item.findtext("description")
        assert item.findtext("guid")


def test_every_date_is_rfc822(feed: Any) -> None:
    stamps = [e.text for e in feed.iter("pubDate", "lastBuildDate")]
    assert len(stamps) > 1
    for stamp in stamps:
        assert RFC822.fullmatch(stamp), stamp
        assert email.utils.parsedate_to_datetime(stamp).tzinfo is not None


def test_namespaces_are_declared_on_the_root(feed: Any) -> None:
    declared_on_root(feed)
    assert set(feed.nsmap.values()) == set(NS.values())


def test_the_channel_links_itself_and_dates_from_its_newest_item(feed: Any) -> None:
    channel = feed.find("channel")
    self_link = channel.find("atom:link", NS)
    assert dict(self_link.attrib) == {
        "href": FEED_URL,
        "rel": "self",
        "type": "application/rss+xml",
    }
    stamps = [email.utils.parsedate_to_datetime(e.text) for e in channel.iter("pubDate")]
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")) >= max(stamps)


def test_feedparser_reads_it_without_complaint(repo_config: Config) -> None:
    parsed = feedparser.parse(export("rss", samples(), repo_config, feed_url=FEED_URL))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert [entry.id for entry in parsed.entries] == [SAMPLES[n]["id"] for n in NEWEST_FIRST]
    first = parsed.entries[0]
    assert [a["name"] for a in first.authors] == ["Sara Ahmadi", "Luis Pérez"]
    assert first.media_thumbnail[0]["url"] == "https://news.example.org/images/leaders.jpg"
    assert [m["url"] for m in first.media_content] == [
        "https://news.example.org/images/leaders.jpg",
        "https://news.example.org/images/map.png",
    ]
    assert first.content[0].value.startswith("<p>First &lt;b&gt;paragraph")


def test_an_item_carries_everything_the_article_has(repo_config: Config) -> None:
    item = item_of("full", repo_config)
    assert item.findtext("title") == "Tehran & Caracas <sign> a “pact”"
    assert item.findtext("link") == SAMPLES["full"]["url"]
    assert item.findtext("description") == "Two leaders &lt;agree&gt;;\nmore to follow."
    assert item.findtext("content:encoded", None, NS) == feeds.body_html(sample("full"))
    assert [e.text for e in item.findall("dc:creator", NS)] == ["Sara Ahmadi", "Luis Pérez"]
    categories = [(c.text, c.get("domain")) for c in item.findall("category")]
    assert categories == [
        ("diplomacy", "http://cv.iptc.org/newscodes/mediatopic/"),
        ("local:iran", None),
        ("Iran", None),
        ("Venezuela", None),
    ]
    assert item.findtext("pubDate") == "Thu, 31 Jul 2025 08:00:00 +0000"  # its last update
    assert item.findtext("dc:rights", None, NS) == "© 2025 wirekit Sample Desk\nCredit the desk."
    license_link = item.find("atom:link[@rel='license']", NS)
    assert license_link.get("href") == "https://creativecommons.org/licenses/by/4.0/"


def test_guid_is_a_permalink_only_when_it_is_the_page_address(repo_config: Config) -> None:
    guid = item_of("full", repo_config).find("guid")
    assert (guid.text, guid.get("isPermaLink")) == (SAMPLES["full"]["id"], "false")
    guid = item_of("day-only", repo_config).find("guid")
    assert (guid.text, guid.get("isPermaLink")) == (SAMPLES["day-only"]["id"], "true")


def test_a_date_only_publication_is_midnight_utc(repo_config: Config) -> None:
    assert item_of("day-only", repo_config).findtext("pubDate") == "Thu, 31 Jul 2025 00:00:00 +0000"


def test_without_a_publication_date_pub_date_is_the_latest_moment(repo_config: Config) -> None:
    data = {k: v for k, v in SAMPLES["older"].items() if k != "datePublished"}
    modified_only = wirekit.validate({**data, "dateModified": "2025-08-02T10:00:00+02:00"})
    item = rss([modified_only], repo_config).find("channel/item")
    assert item.findtext("pubDate") == "Sat, 02 Aug 2025 10:00:00 +0200"
    undated = item_of("undated", repo_config)
    assert undated.find("pubDate") is None


def test_images_are_media_content_never_a_group_with_one_enclosure(repo_config: Config) -> None:
    item = item_of("full", repo_config)
    assert not list(item.iter(f"{{{MEDIA}}}group"))
    contents = item.findall("media:content", NS)
    assert [(c.get("url"), c.get("type"), c.get("width"), c.get("height")) for c in contents] == [
        ("https://news.example.org/images/leaders.jpg", "image/jpeg", "1200", "800"),
        ("https://news.example.org/images/map.png", "image/png", None, None),
    ]
    assert all(c.get("medium") == "image" for c in contents)
    assert contents[0].findtext("media:description", None, NS) == "The two leaders."
    assert contents[0].findtext("media:credit", None, NS) == "Photo: Agency"
    assert contents[1].findtext("media:description", None, NS) == "A map"
    thumbnails = item.findall("media:thumbnail", NS)
    assert [t.get("url") for t in thumbnails] == ["https://news.example.org/images/leaders.jpg"]
    enclosures = item.findall("enclosure")
    assert [dict(e.attrib) for e in enclosures] == [
        {"url": "https://news.example.org/images/leaders.jpg", "length": "0", "type": "image/jpeg"}
    ]


def test_a_single_image_is_not_wrapped_in_a_group(repo_config: Config) -> None:
    item = item_of("day-only", repo_config)
    assert [child.tag for child in item if child.tag.startswith(f"{{{MEDIA}}}")] == [
        f"{{{MEDIA}}}content",
        f"{{{MEDIA}}}thumbnail",
    ]


def test_an_image_of_unknown_type_gets_media_content_but_no_enclosure(repo_config: Config) -> None:
    item = item_of("undated", repo_config)
    assert item.find("enclosure") is None
    content = item.find("media:content", NS)
    assert content.get("url") == "https://news.example.org/images/photo"
    assert content.get("type") is None


def test_a_channel_needs_a_link() -> None:
    with pytest.raises(UsageError, match="link"):
        export("rss", [sample("full")], Config(publisher={"name": "Desk"}))
    root = rss([sample("full")], Config(publisher={"name": "Desk"}), link="https://x.example/")
    assert root.findtext("channel/link") == "https://x.example/"
    assert root.findtext("channel/description") == "Desk"


def test_options_name_the_channel(repo_config: Config) -> None:
    root = rss(samples(), repo_config, title="T", description="D", language="fa", limit="1")
    channel = root.find("channel")
    assert [channel.findtext(n) for n in ("title", "description", "language")] == ["T", "D", "fa"]
    assert [g.text for g in channel.iter("guid")] == [SAMPLES["full"]["id"]]
    assert channel.find("atom:link", NS).get("href") == "https://news.example.org/rss.xml"
    newest = dates.rfc822(datetime.fromisoformat("2025-07-31T08:00:00+00:00"))
    assert channel.findtext("lastBuildDate") == newest
