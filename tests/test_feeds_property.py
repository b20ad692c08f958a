"""Property: for any schema-valid articles, with adversarial Unicode, every feed exporter
succeeds, its output parses (feedparser without a bozo flag; the JSON Feed rules; lxml for the
sitemap) and it holds every article it should, computed here independently of
wirekit.formats.feeds.common."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, timezone, tzinfo

import feedparser
import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from tests.strategies import articles
from tests.test_feeds import FEED_URL, export, sample
from tests.test_jsonfeed import check_jsonfeed
from wirekit.config import Config
from wirekit.errors import ExportError
from wirekit.model import Article


def _public(items: list[Article]) -> list[Article]:
    return [a for a in items if a.pub_status in (None, "usable") and "kill" not in a.signals]


def _ids(items: list[Article]) -> Counter[str]:
    return Counter(a.id for a in _public(items))


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parsed(data: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _check_atom(items: list[Article], config: Config) -> None:
    dated = (a.newest_date or any(c.date for c in a.corrections) for a in _public(items))
    if not any(dated):  # a correction's date counts: it is when the entry last changed
        with pytest.raises(ExportError):
            export("atom", items, config)
        return
    parsed = _parsed(export("atom", items, config, feed_url=FEED_URL))
    assert parsed.version == "atom10"
    assert Counter(entry.id for entry in parsed.entries) == _ids(items)


def _check_rss(items: list[Article], config: Config) -> None:
    parsed = _parsed(export("rss", items, config, feed_url=FEED_URL))
    assert parsed.version == "rss20"
    assert Counter(entry.id for entry in parsed.entries) == _ids(items)


def _check_jsonfeed(items: list[Article], config: Config) -> None:
    feed = check_jsonfeed(export("jsonfeed", items, config))
    assert Counter(item["id"] for item in feed["items"]) == _ids(items)


_FIRST = datetime.min.replace(tzinfo=UTC)


def _check_news_sitemap(items: list[Article], config: Config, now: str | None) -> None:
    options = {"now": now} if now else {}
    root = etree.fromstring(export("news-sitemap", items, config, **options))
    listed = [(a, _instant(a.date_published)) for a in _public(items) if a.date_published]
    listed = [(a, p) for a, p in listed if a.url or a.slug]
    end = _instant(now) if now else max((p for _, p in listed), default=None)
    expected = [
        a.url or config.article_url(a.slug or "")
        for a, p in listed
        if end is not None and end - min(timedelta(days=2), end - _FIRST) <= p <= end
    ]
    found = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert Counter(found) == Counter(expected)


def _now(data: st.DataObject, items: list[Article]) -> str | None:
    """No ``now``, or one near an article's publication, so the window's edges get tested."""
    published = [a.date_published for a in items if a.date_published]
    if not published or not data.draw(st.booleans()):
        return None
    near = _instant(data.draw(st.sampled_from(published)))
    moment = near + timedelta(minutes=data.draw(st.integers(-4 * 24 * 60, 4 * 24 * 60)))
    return moment.isoformat()


# One test for the four feeds: generating articles costs far more than exporting them.
@pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")
@given(st.lists(articles(), max_size=4), st.data())
def test_every_feed_holds_every_public_article(
    repo_config: Config, items: list[Article], data: st.DataObject
) -> None:
    _check_atom(items, repo_config)
    _check_rss(items, repo_config)
    _check_jsonfeed(items, repo_config)
    _check_news_sitemap(items, repo_config, _now(data, items))


_BASE = datetime(2025, 7, 31, tzinfo=UTC)
_ZONES = [UTC, timezone(timedelta(hours=3, minutes=30)), timezone(timedelta(hours=-5))]
_minutes = st.integers(-5 * 24 * 60, 24 * 60)
_drafts = st.tuples(_minutes, st.sampled_from(_ZONES), st.booleans(), st.booleans())


def _dated(number: int, minutes: int, zone: tzinfo, day_only: bool, public: bool) -> Article:
    moment = (_BASE + timedelta(minutes=minutes)).astimezone(zone)
    published = moment.date().isoformat() if day_only else moment.isoformat()
    return msgspec.structs.replace(
        sample("day-only"),
        id=f"urn:x:{number}",
        url=f"https://x.example/{number}",
        date_published=published,
        pub_status=None if public else "withheld",
    )


@pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")
@given(st.lists(_drafts, max_size=8), st.one_of(st.none(), _minutes))
def test_the_news_sitemap_window_at_its_edges(
    repo_config: Config, drafts: list[tuple[int, tzinfo, bool, bool]], now: int | None
) -> None:
    """Publication times close together, in several offsets, some date-only, and ``now`` near
    them: the cases where an off-by-one in the window shows."""
    items = [_dated(n, *draft) for n, draft in enumerate(drafts)]
    moment = None if now is None else (_BASE + timedelta(minutes=now)).isoformat()
    _check_news_sitemap(items, repo_config, moment)
