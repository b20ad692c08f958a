"""The news-sitemap exporter: the Google News elements, the two-day window (with and without
``now``), the 1,000-URL limit and what cannot be listed."""

from __future__ import annotations

import warnings
from typing import Any

import msgspec
import pytest

import wirekit
from tests.test_feeds import SAMPLES, declared_on_root, export, sample, samples, xml
from wirekit.config import Config
from wirekit.errors import LossyConversionWarning, UsageError
from wirekit.formats.feeds.news_sitemap import google_language
from wirekit.model import Article

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"s": SITEMAP, "news": NEWS}


def sitemap(articles: Any, config: Config, **options: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossyConversionWarning)
        return xml(export("news-sitemap", articles, config, **options))


def locs(root: Any) -> list[str]:
    return [loc.text for loc in root.findall("s:url/s:loc", NS)]


def test_every_url_has_the_google_news_elements(
    seed_articles: list[Article], repo_config: Config
) -> None:
    root = sitemap(seed_articles, repo_config)
    assert root.tag == f"{{{SITEMAP}}}urlset"
    declared_on_root(root)
    assert root.nsmap == {None: SITEMAP, "news": NEWS}
    urls = root.findall("s:url", NS)
    assert urls
    for url in urls:
        assert url.findtext("s:loc", None, NS).startswith("https://news.example.org/articles/")
        news = url.find("news:news", NS)
        assert news.findtext("news:publication/news:name", None, NS) == "wirekit Sample Desk"
        assert news.findtext("news:publication/news:language", None, NS)
        assert news.findtext("news:publication_date", None, NS)
        assert news.findtext("news:title", None, NS)


def test_an_url_carries_the_article(repo_config: Config) -> None:
    url = sitemap([sample("full")], repo_config).find("s:url", NS)
    assert url.findtext("s:loc", None, NS) == SAMPLES["full"]["url"]
    assert url.findtext("news:news/news:publication/news:language", None, NS) == "fa"
    assert url.findtext("news:news/news:publication_date", None, NS) == "2025-07-30T09:15:00+03:30"
    assert url.findtext("news:news/news:title", None, NS) == "Tehran & Caracas <sign> a “pact”"


def test_without_now_the_window_is_the_two_days_up_to_the_newest_publication(
    repo_config: Config,
) -> None:
    # day-only is the newest publication (07-31 00:00Z); full was published 07-30 05:45Z;
    # older on 07-25 is out, withheld is never listed, undated cannot be
    with pytest.warns(LossyConversionWarning, match="1 article"):
        root = xml(export("news-sitemap", samples(), repo_config))
    assert locs(root) == [SAMPLES["day-only"]["url"], SAMPLES["full"]["url"]]
    dates = [e.text for e in root.iter(f"{{{NEWS}}}publication_date")]
    assert dates == ["2025-07-31", "2025-07-30T09:15:00+03:30"]  # as the article gives them


def test_now_ends_the_window_and_leaves_out_what_is_not_yet_published(repo_config: Config) -> None:
    root = sitemap(samples(), repo_config, now="2025-07-30T12:00:00Z")
    assert locs(root) == [SAMPLES["full"]["url"]]
    root = sitemap(samples(), repo_config, now="2025-07-27")
    assert locs(root) == [SAMPLES["older"]["url"]]
    assert locs(sitemap(samples(), repo_config, now="2025-09-01")) == []


def test_the_window_is_exactly_two_days_inclusive(repo_config: Config) -> None:
    base = sample("day-only")
    stamps = ["2025-07-31T12:00:00Z", "2025-07-29T12:00:00Z", "2025-07-29T11:59:59Z"]
    articles = [
        msgspec.structs.replace(
            base, id=f"urn:x:{n}", url=f"https://x.example/{n}", date_published=s
        )
        for n, s in enumerate(stamps)
    ]
    assert locs(sitemap(articles, repo_config)) == ["https://x.example/0", "https://x.example/1"]
    at_newest = sitemap(articles, repo_config, now="2025-07-31T12:00:00+00:00")
    assert locs(at_newest) == ["https://x.example/0", "https://x.example/1"]


def test_more_than_googles_limit_keeps_the_newest_thousand(repo_config: Config) -> None:
    base = sample("day-only")
    articles = [
        msgspec.structs.replace(
            base,
            id=f"urn:x:{n:04d}",
            url=f"https://x.example/{n:04d}",
            date_published=f"2025-07-31T{n // 60 % 24:02d}:{n % 60:02d}:00Z",
        )
        for n in range(1200)
    ]
    with pytest.warns(LossyConversionWarning, match="more than 1,000"):
        root = xml(export("news-sitemap", articles, repo_config))
    listed = locs(root)
    assert len(listed) == 1000
    assert listed[0] == "https://x.example/1199" and listed[-1] == "https://x.example/0200"


def test_exactly_googles_limit_is_no_loss(repo_config: Config) -> None:
    base = sample("day-only")
    articles = [
        msgspec.structs.replace(base, id=f"urn:x:{n}", url=f"https://x.example/{n}")
        for n in range(1000)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error", LossyConversionWarning)
        assert len(locs(xml(export("news-sitemap", articles, repo_config)))) == 1000


def test_the_publication_name_comes_from_the_option_config_or_article() -> None:
    bare = Config(base_url="https://news.example.org/")
    full = sample("full")
    with pytest.warns(LossyConversionWarning, match="publisher name"):
        assert locs(xml(export("news-sitemap", [full], bare))) == []
    named = sitemap([full], bare, name="The Desk")
    assert named.findtext(".//news:name", None, NS) == "The Desk"
    own = wirekit.validate({**SAMPLES["full"], "publisher": {"name": "Own Paper"}})
    assert sitemap([own], bare).findtext(".//news:name", None, NS) == "Own Paper"


def test_a_bad_now_is_a_usage_error(repo_config: Config) -> None:
    with pytest.raises(UsageError, match="now"):
        export("news-sitemap", [], repo_config, now="tomorrow")


def test_an_empty_sitemap_is_still_a_sitemap(repo_config: Config) -> None:
    root = sitemap([], repo_config)
    assert root.tag == f"{{{SITEMAP}}}urlset" and len(root) == 0


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("fa-IR", "fa"),
        ("zh-Hans", "zh-cn"),
        ("zh-CN", "zh-cn"),
        ("zh-Hant-TW", "zh-tw"),
        ("zh-TW", "zh-tw"),
        ("zh-HK", "zh-tw"),
        ("zh", "zh-cn"),
    ],
)
def test_languages_are_spelled_as_google_wants(tag: str, expected: str) -> None:
    assert google_language(tag) == expected
