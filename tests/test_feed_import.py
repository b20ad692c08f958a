"""Syndication feeds in: RSS, Atom and JSON Feed entries as articles, on committed fixtures and on
the feeds in 13 languages in ../shared/corpus/feeds (read in place)."""

from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS as SHARED_CORPUS
from wirekit import registry
from wirekit.config import Config
from wirekit.errors import InputError, InputWarning
from wirekit.formats.feeds.reader import FeedImporter, JSONFeedImporter, date_time
from wirekit.sources import Reader

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
CORPUS = SHARED_CORPUS / "feeds"


def read(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = list(Reader(Config()).read(path))
    for result in results:
        assert result.error is None, str(result.error)
    return [r.data for r in results if r.data], [
        str(w.message) for w in caught if w.category is InputWarning
    ]


def test_an_rss_item_maps_content_media_creator_categories_and_dates() -> None:
    (first, second), warned = read(FIXTURES / "rss2.xml")
    assert first["id"] == "urn:example:feed:1"
    assert first["url"] == "https://news.example.org/2025/07/30/kraene"
    assert first["headline"] == "Hafenkräne stehen still"
    assert first["summary"] == "Sturm legt den Hafen lahm."
    assert first["language"] == "de-DE"
    assert first["body"] == [
        {"type": "paragraph", "text": "Der Sturm kam am Morgen."},
        {"type": "heading", "text": "Schiffe warten"},
        {"type": "list", "items": ["Terminal 1", "Terminal 2"]},
    ]
    assert first["datePublished"] == "2025-07-30T09:15:00+02:00"  # the offset is kept
    assert first["authors"] == [{"name": "Jana Beispiel"}]
    assert first["keywords"] == ["Häfen", "Wetter"]
    assert first["images"] == [
        {
            "url": "https://img.example.org/kran.jpg",
            "width": 1200,
            "height": 800,
            "mediaType": "image/jpeg",
        },
        {"url": "https://img.example.org/kran-klein.png", "mediaType": "image/png"},
    ]
    assert first["rights"] == {"copyrightNotice": "© 2025 Example Desk"}
    # an entry with only a summary imports, with a warning
    assert second["body"] == [{"type": "paragraph", "text": "Nur dieser Satz."}]
    assert "summary" not in second
    assert second["id"] == "https://news.example.org/2025/07/30/kurz"
    assert second["datePublished"] == "2025-07-30T10:00:00+00:00"
    assert any("entry 2: only a summary" in w for w in warned)
    unread = next(w for w in warned if "not carried" in w)
    assert unread.endswith(
        "not carried (no field in the model): slash_comments, enclosure of type audio/mpeg"
    )  # each once, so without a count


def test_an_atom_entry_maps_content_author_and_both_dates() -> None:
    (entry,), _ = read(FIXTURES / "atom.xml")
    assert entry["id"] == "urn:example:atom:1"
    assert entry["headline"] == "Cranes stop"
    assert entry["language"] == "en-GB"
    assert entry["body"] == [
        {"type": "paragraph", "text": "The storm came at dawn."},
        {"type": "blockquote", "text": "Never seen this."},
    ]
    assert entry["summary"] == "Storm closes the port."
    assert entry["datePublished"] == "2025-07-30T09:15:00+03:30"
    assert entry["dateModified"] == "2025-07-30T11:00:00+03:30"
    assert entry["authors"] == [{"name": "Jane Doe", "url": "https://news.example.org/jane"}]
    assert entry["keywords"] == ["Ports"]


def test_json_feed_items_are_articles() -> None:
    (first, second), warned = read(FIXTURES / "feed.json")
    assert first["id"] == "https://news.example.org/cranes"
    assert first["body"] == [{"type": "paragraph", "text": "The storm came."}]
    assert first["summary"] == "Storm."
    assert first["datePublished"] == "2025-07-30T09:15:00-04:00"
    assert first["dateModified"] == "2025-07-30T10:15:00-04:00"
    assert first["authors"] == [{"name": "Jane Doe", "url": "https://news.example.org/jane"}]
    assert first["keywords"] == ["ports", "weather"]
    assert first["images"] == [{"url": "https://img.example.org/cranes.jpg"}]
    assert second["id"] == Config().base_iri + "2"
    assert second["headline"] == "Plain text only"
    assert [b["text"] for b in second["body"]] == ["Plain text only.", "Second paragraph."]
    assert second["authors"] == [{"name": "Desk"}]  # the feed's authors stand for the item's
    assert any("audio/mpeg" in w for w in warned)
    assert any(w.endswith("not carried (no field in the model): _example") for w in warned)


def test_feeds_are_recognised_by_content() -> None:
    for name, cls in (("rss2.xml", FeedImporter), ("atom.xml", FeedImporter)):
        head = (FIXTURES / name).read_bytes()[:4096]
        assert registry.importer_for(head, name) is cls
    head = (FIXTURES / "feed.json").read_bytes()[:4096]
    assert registry.importer_for(head, "feed.json") is JSONFeedImporter


def test_convert_gives_every_entry(run_wirekit: Any) -> None:
    code, out, _ = run_wirekit("convert", str(FIXTURES / "rss2.xml"), "--to", "jsonl")
    assert code == 0
    assert [json.loads(line)["headline"] for line in out.splitlines()] == [
        "Hafenkräne stehen still",
        "Nur eine Zusammenfassung",
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"/>',
            "DOCTYPE that declares entities is refused",
        ),
        (b"<rss version='2.0'><channel><title>t</title></channel></rss>", "no entries"),
        (b"<html><body>not a feed</body></html>", "not an RSS or Atom feed"),
        (  # found by the fuzzer: feedparser trusts the declared encoding and raised
            b'<?xml version="1.0" encoding="utf-\xd6\xd68"?><feed xmlns="http://www.w3.org/2005/Atom">'
            b"<title>t</title><entry><title>e</title></entry></feed>",
            "cannot decode it",
        ),
        (  # found by the fuzzer: an end tag feedparser handles without its start raised TypeError
            b"<rss version='2.0'><channel><title>t</title><item><title>x</title></height>"
            b"</item></channel></rss>",
            "the feed parser gave up",
        ),
    ],
)
def test_bad_feeds_are_one_line(document: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        list(FeedImporter().read(io.BytesIO(document), "in.xml"))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_json_feed_of_another_version_is_refused_naming_it() -> None:
    document = b'{"version": "https://jsonfeed.org/version/2", "items": []}'
    with pytest.raises(InputError, match=re.escape("version 'https://jsonfeed.org/version/2'")):
        list(JSONFeedImporter().read(io.BytesIO(document), "in.json"))


def test_nothing_is_fetched_for_a_link_or_an_external_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the feed importer opened a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    document = (
        b'<?xml version="1.0"?><?xml-stylesheet href="http://127.0.0.1:9/s.xsl"?>'
        b'<rss version="2.0" xml:base="http://127.0.0.1:9/"><channel><title>t</title>'
        b"<item><title>T</title><link>/relative</link><description>D</description></item>"
        b"</channel></rss>"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (record,) = FeedImporter().read(io.BytesIO(document), "in.xml")
    assert record.data is not None
    # the link is read against the document's own xml:base, as XML Base says; nothing is opened
    assert record.data["url"] == "http://127.0.0.1:9/relative"


def test_dates_keep_their_offsets() -> None:
    assert date_time("Wed, 30 Jul 2025 09:15:00 +0530") == ("2025-07-30T09:15:00+05:30", None)
    assert date_time("2025-07-30T09:15:00Z") == ("2025-07-30T09:15:00Z", None)
    value, assumed = date_time("2025-07-30T09:15:00")
    assert value == "2025-07-30T09:15:00+00:00"
    assert assumed is not None and "no offset" in assumed
    assert date_time("sometime")[0] is None


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*")))
def test_every_corpus_feed_imports_every_entry(name: str) -> None:
    articles, warned = read(CORPUS / name)
    assert articles
    assert all("\n" not in w for w in warned)


def test_rss_0_91_with_netscapes_doctype_imports() -> None:
    document = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel>'
        b"<title>Desk</title><link>https://news.example.org/</link><language>en</language>"
        b"<item><title>Cranes stop</title><link>https://news.example.org/cranes</link>"
        b"<description>The storm came.</description></item></channel></rss>"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        (record,) = FeedImporter().read(io.BytesIO(document), "old.rss")
    assert record.data is not None
    assert record.data["headline"] == "Cranes stop"
    assert record.data["url"] == "https://news.example.org/cranes"
    assert record.data["body"] == [{"type": "paragraph", "text": "The storm came."}]


def test_rss_0_90_and_1_0_are_recognised_by_their_rdf_namespace() -> None:
    for namespace in ("http://my.netscape.com/rdf/simple/0.9/", "http://purl.org/rss/1.0/"):
        head = (
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            f' xmlns="{namespace}"><channel><title>t</title></channel>'
        ).encode()
        assert registry.importer_for(head, "feed.xml") is FeedImporter, namespace


def test_a_date_with_a_day_too_large_for_a_machine_integer_is_left_out() -> None:
    """Found by the fuzzer: email.utils raised OverflowError for it."""
    value, problem = date_time("Mon, 99999999999999999999 Jul 2025 10:00:00 +0000")
    assert value is None
    assert problem is not None and "left out" in problem


def test_a_byline_element_is_the_printed_byline_and_a_creator_stays_an_author(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        "<item><title>A</title><guid>urn:x:a</guid><description>Text.</description>"
        "<dc:creator>Jane Doe</dc:creator><byline>By Jane Doe in Lisbon</byline></item>"
        "<item><title>B</title><guid>urn:x:b</guid><description>Text.</description>"
        "<dc:creator>Jane Doe</dc:creator><byline>Jane Doe</byline></item>"
        "</channel></rss>"
    )
    (first, second), warned = read(path)
    assert first["authors"] == second["authors"] == [{"name": "Jane Doe"}]
    assert first["byline"] == "By Jane Doe in Lisbon"
    assert "byline" not in second  # it would only repeat the name
    assert not [w for w in warned if "not carried" in w]  # byline is mapped
