"""The helpers the feed exporters share (wirekit.formats.feeds.common, wirekit.dates), and what
holds for all four feeds alike: determinism, bounded memory, withheld stories kept out, the command
line.

The sample articles and small helpers at the top are imported by the per-feed test modules.
"""

from __future__ import annotations

import dataclasses
import email.utils
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar

import msgspec
import pytest
from hypothesis import given
from lxml import etree

import wirekit
from tests.strategies import date_time
from wirekit import dates, registry
from wirekit.config import Config
from wirekit.errors import ExportError, UsageError
from wirekit.formats.feeds import common as feeds
from wirekit.model import Article, Concept, Image, Rights

FEEDS = ("atom", "rss", "jsonfeed", "news-sitemap")
CHANNEL_FEEDS = ("atom", "rss", "jsonfeed")
FEED_URL = "https://news.example.org/feed.xml"

# --- sample articles: every field a feed shows, and each special case once ---------------------

_FULL: dict[str, Any] = {
    "id": "urn:newsml:news.example.org:20250730:full",
    "version": 2,
    "slug": "full",
    "url": "https://news.example.org/articles/full/",
    "headline": "Tehran & Caracas <sign> a “pact”",
    "summary": "Two leaders <agree>;\nmore to follow.",
    "language": "fa-IR",
    "body": [
        {"type": "paragraph", "text": "First <b>paragraph</b> & more."},
        {"type": "heading", "level": 3, "text": "A crosshead"},
        {"type": "blockquote", "text": "We stand firm.", "attribution": "A minister"},
        {"type": "list", "ordered": True, "items": ["one", "two"]},
        {"type": "list", "items": ["bullet"]},
    ],
    "datePublished": "2025-07-30T09:15:00+03:30",
    "dateModified": "2025-07-31T08:00:00Z",
    "authors": [
        {"name": "Sara Ahmadi", "url": "https://news.example.org/people/sara/"},
        {"name": "Luis Pérez"},
    ],
    "contributors": [{"name": "An Editor", "role": "editor"}],
    "subjects": [
        {
            "scheme": "medtop",
            "code": "20000565",
            "label": "diplomacy",
            "uri": "http://cv.iptc.org/newscodes/mediatopic/20000565",
        },
        {"scheme": "local", "code": "iran"},
    ],
    "keywords": ["Iran", "Venezuela"],
    "images": [
        {
            "url": "https://news.example.org/images/leaders.jpg",
            "caption": "The two leaders.",
            "altText": "Two men shaking hands",
            "credit": "Photo: Agency",
            "width": 1200,
            "height": 800,
            "mediaType": "image/jpeg",
        },
        {"url": "https://news.example.org/images/map.png", "altText": "A map"},
    ],
    "rights": {
        "copyrightHolder": {"name": "wirekit Sample Desk"},
        "copyrightNotice": "© 2025 wirekit Sample Desk",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "usageTerms": "Credit the desk.",
    },
}
_DAY_ONLY: dict[str, Any] = {  # its id is its page's address: the RSS guid is a permalink
    "id": "https://news.example.org/articles/day-only/",
    "version": 1,
    "slug": "day-only",
    "url": "https://news.example.org/articles/day-only/",
    "headline": "Known only by its day",
    "language": "en",
    "body": [{"type": "paragraph", "text": "Wire copy with a date line."}],
    "datePublished": "2025-07-31",
    "images": [{"url": "https://news.example.org/images/only-one.webp", "caption": "Just one"}],
}
_WITHHELD: dict[str, Any] = {
    "id": "urn:wirekit:withheld",
    "version": 1,
    "slug": "withheld",
    "headline": "Under embargo",
    "language": "en",
    "body": [{"type": "paragraph", "text": "Not yet."}],
    "datePublished": "2025-08-01T00:00:00Z",
    "pubStatus": "withheld",
}
_UNDATED: dict[str, Any] = {  # no date, no url: its page comes from base_url and its slug
    "id": "urn:wirekit:undated",
    "version": 1,
    "slug": "undated",
    "headline": "No date at all",
    "language": "en",
    "body": [{"type": "paragraph", "text": "Timeless."}],
    "images": [{"url": "https://news.example.org/images/photo"}],
}
_OLDER: dict[str, Any] = {
    "id": "urn:wirekit:older",
    "version": 1,
    "url": "https://news.example.org/articles/older/",
    "headline": "Five days earlier",
    "language": "zh-Hant-TW",
    "body": [{"type": "paragraph", "text": "Old news."}],
    "datePublished": "2025-07-25T12:00:00-05:00",
}
SAMPLES = {"full": _FULL, "day-only": _DAY_ONLY, "withheld": _WITHHELD}
SAMPLES |= {"undated": _UNDATED, "older": _OLDER}
NEWEST_FIRST = ["full", "day-only", "older", "undated"]
"""The public samples by their latest moment: full (modified 07-31 08:00Z), day-only (07-31
00:00Z), older (07-25), undated last; withheld is never shown."""


def sample(name: str) -> Article:
    """A sample as an Article, validated against the schema (so the samples cannot drift)."""
    return wirekit.validate(SAMPLES[name])


def samples() -> list[Article]:
    return [sample(name) for name in SAMPLES]


def export(feed: str, articles: Any, config: Config, /, **options: Any) -> bytes:
    """Export through the registry, as the command line and publishing do."""
    return registry.exporter(feed)(config, **options).export_collection(articles)


def channel_options(name: str) -> dict[str, str]:
    return {"feed_url": FEED_URL} if name in CHANNEL_FEEDS else {}


def xml(data: bytes) -> Any:
    return etree.fromstring(data)


def declared_on_root(root: Any) -> None:
    """Every namespace any element or attribute uses is declared on the document element."""
    declared = set(root.nsmap.values()) | {"http://www.w3.org/XML/1998/namespace"}
    for node in root.iter():
        names = [node.tag, *node.attrib]
        used = {n[1:].split("}")[0] for n in names if isinstance(n, str) and n.startswith("{")}
        assert used <= declared, f"{node.tag}: {used - declared} not declared on the root"


RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
)
RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}",
)


# --- dates -------------------------------------------------------------------------------------


def test_a_date_only_value_is_midnight_utc() -> None:
    assert dates.parse("2025-07-30") == datetime(2025, 7, 30, tzinfo=UTC)
    assert dates.parse("2025-07-30").utcoffset() == timedelta(0)


def test_date_times_keep_their_offset_and_fractions_are_truncated() -> None:
    parsed = dates.parse("2025-07-30T09:15:00.123456789+03:30")
    assert parsed.utcoffset() == timedelta(hours=3, minutes=30)
    assert parsed.microsecond == 123456
    assert dates.parse("2025-07-30T09:15:00-05:00") == datetime(2025, 7, 30, 14, 15, tzinfo=UTC)
    assert dates.parse("2025-07-30T09:15:00-00:00").utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value",
    ["2025-07-30 09:15:00Z", "2025-07-30T09:15:00", "20250730", "2025-W31-3", "2025-02-30", ""],
)
def test_only_the_two_schema_shapes_parse(value: str) -> None:
    with pytest.raises(ValueError):
        dates.parse(value)


def test_formats_are_written_by_hand_for_any_year_and_offset() -> None:
    early = datetime(999, 1, 5, 7, 8, 9, 120000, tzinfo=timezone(timedelta(hours=-5, minutes=-30)))
    assert dates.rfc3339(early) == "0999-01-05T07:08:09.12-05:30"
    assert dates.rfc822(early) == "Sat, 05 Jan 0999 07:08:09 -0530"
    utc = dates.parse("2025-07-30T09:15:00+00:00")
    assert dates.rfc3339(utc) == "2025-07-30T09:15:00Z"
    assert dates.rfc822(utc) == "Wed, 30 Jul 2025 09:15:00 +0000"


@given(date_time())
def test_written_dates_read_back_as_the_same_moment(value: str) -> None:
    moment = dates.parse(value)
    assert dates.parse(dates.rfc3339(moment)) == moment
    again = email.utils.parsedate_to_datetime(dates.rfc822(moment))
    assert again == moment.replace(microsecond=0)
    assert RFC822.fullmatch(dates.rfc822(moment))
    assert dates.timestamp(value) == moment.timestamp()


# --- options and feed metadata -------------------------------------------------------------


def test_channel_takes_options_over_config(repo_config: Config) -> None:
    default = feeds.channel(repo_config, {}, "rss", "rss.xml")
    assert (default.title, default.link, default.language) == (
        "wirekit Sample Desk",
        "https://news.example.org/",
        "en",
    )
    assert default.limit == feeds.DEFAULT_LIMIT
    assert default.self_link == "https://news.example.org/rss.xml"  # its place in a tree
    assert default.author is not None and default.author.url == "https://news.example.org/"
    given = {"title": "T", "link": "https://x.example/", "feed_url": FEED_URL, "limit": "5"}
    options = {**given, "language": "de", "description": "D"}
    chosen = feeds.channel(repo_config, options, "rss", "rss.xml")
    assert (chosen.title, chosen.link, chosen.self_link, chosen.limit) == (
        "T",
        "https://x.example/",
        FEED_URL,
        5,
    )
    assert (chosen.language, chosen.description) == ("de", "D")
    own = feeds.channel(repo_config, {"self": "https://y.example/f.xml"}, "rss", "rss.xml")
    assert own.self_link == "https://y.example/f.xml"  # -O self=URL
    bare = feeds.channel(dataclasses.replace(repo_config, base_url=None), {}, "rss", "rss.xml")
    assert bare.self_link is None


@pytest.mark.parametrize("name", CHANNEL_FEEDS)
def test_the_self_option_reaches_every_feed_exporter(name: str, repo_config: Config) -> None:
    """``-O self=URL`` as the command line passes it, a keyword named ``self``: every feed
    exporter takes it (its config is positional-only, as the base class's)."""
    exporter = registry.exporter(name)(repo_config, self="https://y.example/own.xml")
    assert exporter.channel.self_link == "https://y.example/own.xml"


@pytest.mark.parametrize("name", CHANNEL_FEEDS)
def test_a_feed_without_a_title_says_which_setting_to_add(name: str) -> None:
    with pytest.raises(UsageError, match="publisher"):
        registry.exporter(name)(Config(base_url="https://x.example/"))
    registry.exporter(name)(Config(base_url="https://x.example/"), title="Named")


@pytest.mark.parametrize("value", ["0", "-3", "ten", "1.5"])
def test_limit_must_be_a_positive_whole_number(repo_config: Config, value: str) -> None:
    with pytest.raises(UsageError, match="limit"):
        registry.exporter("rss")(repo_config, limit=value)


def test_options_come_as_strings_or_python_values(repo_config: Config) -> None:
    items = samples()
    assert export("jsonfeed", items, repo_config, limit="2") == export(
        "jsonfeed", items, repo_config, limit=2
    )


# --- selection ---------------------------------------------------------------------------------


def test_newest_first_orders_by_latest_moment_and_keeps_out_withheld_stories() -> None:
    chosen = feeds.newest_first(samples(), 10)
    assert [a.slug or a.id for a in chosen.articles] == [
        "full",
        "day-only",
        "urn:wirekit:older",
        "undated",
    ]
    assert chosen.total == 4
    assert [a.id for a in feeds.newest_first(samples(), 2).articles] == [
        _FULL["id"],
        _DAY_ONLY["id"],
    ]


def test_ties_go_by_id_whatever_the_input_order() -> None:
    base = sample("day-only")
    twins = [msgspec.structs.replace(base, id=f"urn:x:{n}") for n in "bca"]
    assert [a.id for a in feeds.newest_first(twins, 3).articles] == [
        "urn:x:c",
        "urn:x:b",
        "urn:x:a",
    ]


def test_cancelled_stories_are_kept_out_too() -> None:
    killed = msgspec.structs.replace(sample("full"), pub_status="canceled")
    assert feeds.newest_first([killed], 5).articles == []


@pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")
@pytest.mark.parametrize("name", FEEDS)
def test_input_order_does_not_change_a_byte(name: str, repo_config: Config) -> None:
    items = samples()
    first = export(name, items, repo_config, **channel_options(name))
    again = export(name, list(reversed(items)), repo_config, **channel_options(name))
    assert first == again
    assert export(name, items, repo_config, **channel_options(name)) == first


class _Counted(Article):
    """An Article that counts how many of its kind are alive, to catch an exporter that keeps
    (or lists) the whole input."""

    alive: ClassVar[int] = 0
    peak: ClassVar[int] = 0

    def __post_init__(self) -> None:  # runs for every new instance, replace()'s included
        super().__post_init__()
        _Counted.alive += 1
        _Counted.peak = max(_Counted.peak, _Counted.alive)

    def __del__(self) -> None:
        _Counted.alive -= 1


def _many(count: int) -> Iterator[Article]:
    base = _Counted(
        **{f.name: getattr(sample("full"), f.name) for f in msgspec.structs.fields(Article)}
    )
    start = datetime(2025, 7, 1, tzinfo=UTC)
    for n in range(count):
        moment = dates.rfc3339(start + timedelta(minutes=n))
        url = f"https://news.example.org/articles/{n}/"
        yield msgspec.structs.replace(
            base, id=f"urn:x:{n}", url=url, date_published=moment, date_modified=None
        )
    del base


@pytest.mark.parametrize("name", CHANNEL_FEEDS)
def test_limit_keeps_only_the_newest_in_memory(name: str, repo_config: Config) -> None:
    _Counted.alive = _Counted.peak = 0
    data = export(name, _many(3000), repo_config, limit="10")
    assert _Counted.peak <= 10 + 3, f"{name} held {_Counted.peak} articles at once"
    assert b"urn:x:2999" in data and b"urn:x:2990" in data
    assert b"urn:x:2989" not in data


def test_the_news_sitemap_holds_at_most_googles_limit(repo_config: Config) -> None:
    _Counted.alive = _Counted.peak = 0
    with pytest.warns(wirekit.LossyConversionWarning, match="1,000"):
        data = export("news-sitemap", _many(4000), repo_config)
    assert _Counted.peak <= 1001 + 3
    assert len(xml(data)) == 1000


# --- an article's parts -----------------------------------------------------------------------


def test_body_html_escapes_every_text_and_maps_each_block() -> None:
    """Feeds carry the same markup as the article page (one renderer for both)."""
    assert feeds.body_html(sample("full")) == (
        "<p>First &lt;b&gt;paragraph&lt;/b&gt; &amp; more.</p>"
        "<h3>A crosshead</h3>"
        "<figure><blockquote>We stand firm.</blockquote>"
        "<figcaption>A minister</figcaption></figure>"
        "<ol><li>one</li><li>two</li></ol>"
        "<ul><li>bullet</li></ul>"
    )


def test_article_link_falls_back_to_the_published_tree(repo_config: Config) -> None:
    assert feeds.article_link(repo_config, sample("full")) == _FULL["url"]
    expected = "https://news.example.org/articles/undated/"
    assert feeds.article_link(repo_config, sample("undated")) == expected
    assert feeds.article_link(Config(), sample("undated")) is None


def test_rights_text() -> None:
    assert (
        feeds.rights_text(sample("full").rights) == "© 2025 wirekit Sample Desk\nCredit the desk."
    )
    holder = wirekit.validate({**_DAY_ONLY, "rights": {"copyrightYear": 2024}}).rights
    assert feeds.rights_text(holder) == "© 2024"
    assert feeds.rights_text(Rights(license="https://x.example/")) is None
    assert feeds.rights_text(None) is None


def test_categories_carry_the_scheme_iri_only_when_the_concept_shows_it() -> None:
    found = feeds.categories(sample("full"))
    assert [(c.term, c.scheme, c.label) for c in found] == [
        ("medtop:20000565", "http://cv.iptc.org/newscodes/mediatopic/", "diplomacy"),
        ("local:iran", None, None),
        ("Iran", None, None),
        ("Venezuela", None, None),
    ]
    odd = Concept(scheme="x", code="42", uri="https://x.example/a42")
    assert feeds.categories(msgspec.structs.replace(sample("full"), subjects=(odd,), keywords=()))[
        0
    ] == feeds.Category("x:42")


@pytest.mark.parametrize(
    ("url", "declared", "expected"),
    [
        ("https://x.example/a.JPG", None, "image/jpeg"),
        ("https://x.example/a.png?w=2#f", None, "image/png"),
        ("https://x.example/a.jpg", "image/webp", "image/webp"),
        ("https://x.example/photo", None, None),
        ("https://x.example/v1.2/photo", None, None),
    ],
)
def test_image_type(url: str, declared: str | None, expected: str | None) -> None:
    assert feeds.image_type(Image(url=url, media_type=declared)) == expected


def test_xml_safe_drops_what_xml_cannot_carry() -> None:
    assert (
        feeds.xml_safe("a\x00b\x1fc\ufffe\uffffd\ud800e\tf\ng\u0085h😀") == "abcde\tf\ng\u0085h😀"
    )


@pytest.mark.parametrize("name", ["atom", "rss", "news-sitemap"])
def test_control_characters_that_slip_past_the_schema_never_reach_the_xml(
    name: str, repo_config: Config
) -> None:
    hostile = msgspec.structs.replace(
        sample("full"), headline="bad\x00 \x1bheadline\ufffe", summary="s\x07"
    )
    root = xml(export(name, [hostile], repo_config, **channel_options(name)))
    text = "".join(root.itertext())
    assert "bad headline" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", text)


# --- no date to go on -----------------------------------------------------------------------


def test_an_unreadable_date_is_an_export_error(repo_config: Config) -> None:
    broken = msgspec.structs.replace(sample("full"), date_modified="yesterday")
    with pytest.raises(ExportError, match="yesterday"):
        export("rss", [broken], repo_config)


# --- through the command line ---------------------------------------------------------------


def test_the_command_line_passes_options_as_strings(run_wirekit: Any, tmp_path: Any) -> None:
    source = tmp_path / "two.jsonl"
    lines = [json.dumps(SAMPLES[name], ensure_ascii=False) for name in ("full", "day-only")]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_wirekit(
        "convert", str(source), "--to", "rss", "-O", "limit=1", "-O", f"feed_url={FEED_URL}"
    )
    assert code == 0, err
    root = xml(out.encode())
    assert [g.text for g in root.iter("guid")] == [_FULL["id"]]
    assert root.find("channel/{http://www.w3.org/2005/Atom}link").get("href") == FEED_URL
    code, _, err = run_wirekit("convert", str(source), "--to", "rss", "-O", "limit=none")
    assert code == 2 and "limit" in err
