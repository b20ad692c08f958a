"""The published tree's index page, written in pieces: whole and in order however many."""

from __future__ import annotations

import re

from lxml import html

from wirekit.config import Config
from wirekit.site.index_page import render
from wirekit.site.manifest import Entry


def test_every_article_is_listed_once_in_the_given_order_across_pieces() -> None:
    entries = [
        Entry(f"s{n}", f"urn:x:{n}", "a", "", f"Story <{n}> & co", "2025-07-30", ())
        for n in range(2345)  # more than one piece's worth
    ]
    pieces = list(render(entries, Config(publisher={"name": "Desk"}), ("atom", "index")))
    assert len(pieces) > 2
    page = b"".join(pieces).decode("utf-8")
    assert page.endswith("</html>\n")
    links = re.findall(r'<li><a href="articles/(s\d+)/">', page)
    assert links == [f"s{n}" for n in range(2345)]
    tree = html.fromstring(page)
    assert tree.xpath("//li[3]/a/text()") == ["Story <2> & co"]
    assert tree.xpath("//link[@rel='alternate']/@href") == ["atom.xml"]
    assert tree.xpath("//title/text()") == ["Desk"]
