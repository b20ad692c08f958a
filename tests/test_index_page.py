"""The published tree's index page: a news front page, written in pieces, whole and in order
however many articles it lists."""

from __future__ import annotations

import dataclasses
import re

from lxml import html

from wirekit.config import Config
from wirekit.site.index_page import pages, render
from wirekit.site.manifest import Entry, Teaser

DESK = Config(publisher={"name": "Desk", "url": "https://desk.example/"})


def test_every_article_is_listed_once_in_the_given_order_across_pieces() -> None:
    entries = [
        Entry(f"s{n}", f"urn:x:{n}", "a", "", f"Story <{n}> & co", "2025-07-30", ())
        for n in range(2345)  # more than one piece's worth
    ]
    pieces = list(render(entries, DESK, ("atom", "index")))
    assert len(pieces) > 2
    page = b"".join(pieces).decode("utf-8")
    assert page.endswith("</html>\n")
    links = re.findall(r'<a href="articles/(s\d+)/">', page)
    assert links == [f"s{n}" for n in range(2345)]
    tree = html.fromstring(page)
    assert tree.xpath("//article[3]//h3/a/text()") == ["Story <2> & co"]
    assert tree.xpath("//link[@rel='alternate']/@href") == ["atom.xml"]
    assert tree.xpath("//footer//a[@href='atom.xml']/text()") == ["Atom"]  # visible, too
    assert tree.xpath("//title/text()") == ["Desk"]
    assert tree.xpath("//header[@class='masthead']//a/@href") == ["https://desk.example/"]


def test_a_front_page_groups_by_day_with_summary_byline_and_isolated_user_text() -> None:
    persian = Teaser("fa-IR", "خلاصه", "سارا احمدی", None)
    english = Teaser("en", "What happened.", "Ana Silva", "Local")
    entries = [
        Entry(
            "a", "urn:x:a", "s", "", "تیتر فارسی", "2025-08-12T09:00:00+03:30", (), teaser=persian
        ),
        Entry(
            "b", "urn:x:b", "s", "", "English headline", "2025-08-12T06:30:00Z", (), teaser=english
        ),
        Entry("c", "urn:x:c", "s", "", "Older", "2025-08-11", ()),
    ]
    tree = html.fromstring(b"".join(render(entries, DESK, ("index",))))
    assert tree.xpath("//h2[@class='day']/text()") == [
        "Tuesday, 12 August 2025",
        "Monday, 11 August 2025",
    ]
    first, second, _ = tree.xpath("//article[@class='teaser']")
    assert first.get("lang") == "fa-IR"
    assert {e.get("dir") for e in first.xpath(".//*[@dir]")} == {"auto"}
    assert first.xpath(".//h3/a/text()") == ["تیتر فارسی"]
    assert first.xpath(".//span[@class='byline']")[0].text_content() == "نوشته سارا احمدی"
    assert "۱۲ اوت ۲۰۲۵" in first.xpath(".//time")[0].text_content()
    assert second.xpath(".//p[@class='summary']/text()") == ["What happened."]
    assert second.xpath(".//span[@class='byline']")[0].text_content() == "By Ana Silva"
    assert second.xpath(".//bdi[@class='section']/text()") == ["Local"]


def test_long_archives_are_paged_and_sections_get_pages_of_their_own() -> None:
    def entry(n: int, section: str | None) -> Entry:
        return dataclasses.replace(
            Entry(f"s{n}", f"urn:x:{n}", "a", "", f"Story {n}", f"2025-07-{30 - n:02d}", ()),
            teaser=Teaser("en", None, None, section),
        )

    entries = [entry(n, "Sport" if n % 2 else "Local news") for n in range(5)]
    drawn = {name: b"".join(page).decode() for name, page in pages(entries, DESK, ("atom",), 2)}
    assert list(drawn) == [
        "index.html",
        "index-2.html",
        "index-3.html",
        "sections/local-news-1013fa2aa74e/index.html",
        "sections/local-news-1013fa2aa74e/index-2.html",
        "sections/sport-9a085dd854f0/index.html",
    ]
    first, second = html.fromstring(drawn["index.html"]), html.fromstring(drawn["index-2.html"])
    assert first.xpath("//main//h3/a/text()") == ["Story 0", "Story 1"]
    assert first.xpath("//a[@rel='next']/@href") == ["index-2.html"]
    assert second.xpath("//a[@rel='prev']/@href") == ["index.html"]
    assert second.xpath("//a[@rel='next']/@href") == ["index-3.html"]
    assert first.xpath("//nav[@class='sections']/a/@href") == [
        "sections/local-news-1013fa2aa74e/",
        "sections/sport-9a085dd854f0/",
    ]
    sport = html.fromstring(drawn["sections/sport-9a085dd854f0/index.html"])
    assert sport.xpath("//h1/text()") == ["Sport"]
    assert sport.xpath("//main//h3/a/@href") == ["../../articles/s1/", "../../articles/s3/"]
    assert sport.xpath("//link[@rel='alternate']/@href") == ["../../atom.xml"]
