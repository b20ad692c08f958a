"""The html exporter: one standalone, accessible page per article, its JSON-LD embedded safely.

Pages are read back with html5lib, which implements the HTML standard's parsing algorithm as
browsers do, so what the tests see is what a browser (or a crawler) builds. The embedded JSON-LD
is compared with the live ``jsonld`` exporter, never with a copy of its output.
"""

from __future__ import annotations

import json
from typing import Any

import extruct
import html5lib  # type: ignore[import-untyped]
import lxml.html
import pytest
from hypothesis import given
from lxml import etree

from tests.strategies import articles
from wirekit import layout, registry, schema
from wirekit.config import Config
from wirekit.errors import UnknownFormat, UsageError
from wirekit.formats.html.page import (
    DESCRIPTION_LIMIT,
    description,
    script_json,
    text_direction,
    time_element,
)
from wirekit.formats.html.writer import HTMLExporter, alternates
from wirekit.model import Article, Heading, Paragraph
from wirekit.plugin import Exporter

# What the embedded JSON-LD cannot carry is the jsonld exporter's to report and test, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::wirekit.errors.LossyConversionWarning")

GOLDEN_ALTERNATES = "json,jsonld"
"""Goldens link a fixed set of formats, so a colleague installing another exporter does not
change them; the default set is checked in test_default_alternates_are_the_installed_formats."""
JSON_LD_SLOT = "(the jsonld exporter's document: see test_extruct_finds_the_jsonld_document)"

RICH: dict[str, Any] = {
    "id": "https://news.example.org/id/harbour-reopens",
    "version": 3,
    "slug": "harbour-reopens",
    "url": "https://news.example.org/articles/harbour-reopens/",
    "headline": 'Harbour reopens after storm & "repairs"',
    "subheadline": "Ferries resume on Monday",
    "summary": "The harbour reopened on Sunday,\nthree days after the storm.",
    "language": "en",
    "body": [
        {"type": "paragraph", "text": "The harbour reopened on Sunday after <three> days."},
        {"type": "heading", "text": "What changed"},
        {"type": "paragraph", "text": "The quay was rebuilt.\nThe lights work again."},
        {"type": "heading", "level": 3, "text": "Ferries"},
        {"type": "blockquote", "text": "We are open again.", "attribution": "Ana Silva"},
        {"type": "blockquote", "text": "Words nobody signed."},
        {"type": "list", "ordered": True, "items": ["Check the timetable", "Buy a ticket"]},
        {"type": "list", "items": ["Pier 1: open", "Pier 2: closed"]},
    ],
    "dateCreated": "2025-07-29T18:00:00Z",
    "datePublished": "2025-07-30T09:15:00.123456+03:30",
    "dateModified": "2025-07-30T12:45:00Z",
    "section": "Local",
    "corrections": [
        {"date": "2025-07-31", "text": "An earlier version misspelt Ana Silva's name."},
        {"text": "An undated correction."},
    ],
    "dateline": {"text": "PORTO –", "place": {"name": "Porto", "countryCode": "PT"}},
    "authors": [
        {"name": "Rui Costa", "url": "https://news.example.org/authors/rui-costa"},
        {"name": "Mia O'Neil"},
    ],
    "contributors": [
        {"name": "Jo Lee", "role": "photographer", "url": "https://news.example.org/jo-lee"},
        {"name": "Sam Park"},
    ],
    "publisher": {"name": "wirekit Sample Desk", "url": "https://news.example.org/"},
    "creditLine": "Additional reporting by the wirekit Sample Desk",
    "rights": {
        "copyrightHolder": {"name": "wirekit Sample Desk", "url": "https://news.example.org/"},
        "copyrightNotice": "© 2025 wirekit Sample Desk. Some rights reserved.",
        "copyrightYear": 2025,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "usageTerms": "Free to republish with credit.",
    },
    "images": [
        {
            "url": "https://news.example.org/img/harbour.jpg",
            "caption": "Ferries in the harbour on Sunday.",
            "altText": "Two white ferries moored at a stone quay",
            "credit": "Jo Lee / wirekit",
            "width": 1200,
            "height": 800,
            "mediaType": "image/jpeg",
        },
        {"url": "https://news.example.org/img/routes.png", "caption": "The ferry routes."},
    ],
}

PERSIAN: dict[str, Any] = {
    "id": "https://news.example.org/id/tehran-metro",
    "version": 1,
    "url": "https://news.example.org/articles/tehran-metro/",
    "headline": "خط جدید مترو تهران افتتاح شد",
    "language": "fa-IR",
    "body": [
        {"type": "heading", "text": "مسیر"},
        {"type": "paragraph", "text": "خط ۱۰ مترو تهران امروز افتتاح شد."},
    ],
    "datePublished": "2025-07-30",
    "dateline": {"text": "تهران –"},
    "rights": {"copyrightHolder": {"name": "wirekit Sample Desk"}, "copyrightYear": 2025},
}

HOSTILE = (
    "</script><script>alert(1)</script> <!-- <script> ]]> & &amp; \"' onerror=alert(2) \u2028\u2029"
)

FIXTURES = {"rich": RICH, "persian": PERSIAN}


def article(data: dict[str, Any]) -> Article:
    schema.validate(data)
    return Article.from_dict(data)


def parse(page: bytes) -> tuple[etree._Element, list[str]]:
    """The page as a browser builds it, and the parse errors html5lib reports."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("lxml"), namespaceHTMLElements=False)
    root = parser.parse(page).getroot()
    return root, [error[1] for error in parser.errors]


def text_of(element: etree._Element) -> str:
    """The element's text as a reader gets it: a ``<br>`` is the line break it stands for."""
    nodes = element.xpath(".//text() | .//br")
    return "".join(node if isinstance(node, str) else "\n" for node in nodes)


def json_ld_of(root: etree._Element) -> Any:
    (script,) = root.iter("script")
    assert script.get("type") == "application/ld+json"
    return json.loads(script.text)


@pytest.fixture(scope="module")
def json_ld() -> Exporter:
    return registry.exporter("jsonld")(Config())


@pytest.fixture(scope="module")
def html() -> HTMLExporter:
    return HTMLExporter(Config())


@pytest.fixture(scope="module")
def rich(html: HTMLExporter) -> etree._Element:
    root, errors = parse(html.export(article(RICH)))
    assert errors == []
    return root


# --- the embedded JSON-LD ------------------------------------------------------------------


def test_extruct_finds_the_jsonld_document(
    seed_articles: list[Article], repo_config: Config
) -> None:
    json_ld = registry.exporter("jsonld")(repo_config)
    html = HTMLExporter(repo_config)
    for item in [*seed_articles, article(RICH), article(PERSIAN)]:
        found = extruct.extract(html.export(item), syntaxes=["json-ld"], uniform=False)
        assert found["json-ld"] == [json.loads(json_ld.export(item))], item.id


def test_no_article_text_can_leave_the_script_element(
    html: HTMLExporter, json_ld: Exporter
) -> None:
    hostile = article(
        {
            "id": "urn:wirekit:hostile",
            "version": 1,
            "headline": HOSTILE.replace("\u2028\u2029", ""),
            "summary": HOSTILE,
            "language": "en",
            "body": [{"type": "paragraph", "text": HOSTILE}],
            "authors": [{"name": "<!--", "url": "https://example.org/a'&b=1"}],
            "images": [{"url": "https://example.org/i.png", "altText": HOSTILE}],
        }
    )
    page = html.export(hostile)
    root, errors = parse(page)
    assert errors == []
    assert len(list(root.iter("script"))) == 1
    assert json_ld_of(root) == json.loads(json_ld.export(hostile))
    assert [text_of(p) for p in root.iter("p") if HOSTILE in text_of(p)] == [HOSTILE, HOSTILE]
    assert root.find(".//header//a").get("href") == "https://example.org/a'&b=1"
    assert root.find(".//img").get("alt") == HOSTILE
    # libxml2's parser, which extruct uses, ends a script differently: it must agree
    assert len(lxml.html.document_fromstring(page).xpath("//script")) == 1


def test_script_json_escapes_what_could_end_the_script() -> None:
    document = json.dumps({"a": ["</script>", "<!--", "&", "\u2028\u2029", "\\<"]}).encode()
    safe = script_json(document)
    assert not set("<>&\u2028\u2029") & set(safe)
    assert json.loads(safe) == json.loads(document)


@given(articles())
def test_every_article_gives_a_page_embedding_its_json_ld(
    html: HTMLExporter, json_ld: Exporter, item: Article
) -> None:
    root, errors = parse(html.export(item))
    # raw C1 controls and non-characters are parse errors, yet the only way to keep them
    assert set(errors) <= {"invalid-codepoint"}
    assert [script.get("type") for script in root.iter("script")] == ["application/ld+json"]
    assert json_ld_of(root) == json.loads(json_ld.export(item))
    assert text_of(root.find(".//h1")) == item.headline
    paragraphs = [text_of(p) for p in root.iter("p")]
    for block in item.body:
        if isinstance(block, Paragraph):
            assert any(block.text in text for text in paragraphs), block.text


# --- golden pages ------------------------------------------------------------------------


def canonical(page: bytes) -> str:
    """The page as parsed, attributes sorted, the JSON-LD (the jsonld exporter's) set aside."""
    root, _ = parse(page)
    for element in root.iter(etree.Element):
        attributes = sorted(element.attrib.items())
        element.attrib.clear()
        element.attrib.update(attributes)
    for script in root.iter("script"):
        script.text = JSON_LD_SLOT
    text: str = etree.tostring(root, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    return text + "\n"


# --- the head ----------------------------------------------------------------------------


def test_head_carries_language_title_description_and_links(rich: etree._Element) -> None:
    assert rich.get("lang") == "en"
    assert rich.get("dir") is None
    head = rich.find("head")
    assert head.find("meta[@charset]").get("charset") == "utf-8"
    assert text_of(head.find("title")) == f"{RICH['headline']} – wirekit Sample Desk"
    assert head.find("meta[@name='description']").get("content") == (
        "The harbour reopened on Sunday, three days after the storm."
    )
    assert head.find("meta[@name='viewport']").get("content") == (
        "width=device-width, initial-scale=1"
    )
    assert head.find("meta[@name='author']").get("content") == "Rui Costa, Mia O'Neil"
    (canonical_link,) = head.findall("link[@rel='canonical']")
    assert canonical_link.get("href") == RICH["url"]


@pytest.mark.parametrize(
    ("language", "direction"),
    [
        ("ar", "rtl"),
        ("fa-IR", "rtl"),
        ("he", "rtl"),
        ("ur-PK", "rtl"),
        ("az-Arab", "rtl"),
        ("pa-Arab-PK", "rtl"),
        ("ar-Latn", None),
        ("en", None),
        ("EN-gb", None),
        ("zh-Hans", None),
        ("de-x-arab", None),
    ],
)
def test_text_direction(language: str, direction: str | None) -> None:
    assert text_direction(language) == direction


def test_a_right_to_left_page_marks_its_english_words(
    html: HTMLExporter, rich: etree._Element
) -> None:
    root, errors = parse(html.export(article(PERSIAN)))
    assert errors == []
    assert (root.get("lang"), root.get("dir")) == ("fa-IR", "rtl")
    assert root.find(".//span[@lang='en']") is None  # Persian has its own words
    assert text_of(root.find(".//p[@class='dates']")).startswith("منتشر شده در ۳۰ ژوئیه ۲۰۲۵")
    hebrew, errors = parse(html.export(article({**PERSIAN, "language": "he"})))
    assert errors == []
    assert hebrew.get("dir") == "rtl"
    assert [span.text for span in hebrew.iterfind(".//span[@lang='en']")] == ["Published"]
    assert rich.find(".//span[@lang]") is None


def test_description_prefers_the_summary_then_the_first_paragraph_with_words() -> None:
    words = " ".join(["word"] * 100)
    base = {**PERSIAN, "body": [{"type": "paragraph", "text": " \n\t "}]}
    assert description(article(base)) is None
    with_text = {**base, "body": [*base["body"], {"type": "paragraph", "text": f"  {words}"}]}
    shortened = description(article(with_text))
    assert shortened is not None
    assert shortened == " ".join(["word"] * 32) + "…"  # every whole word that fits
    assert len(shortened) == DESCRIPTION_LIMIT
    assert description(article({**with_text, "summary": "A\n\nsummary."})) == "A summary."
    unbroken = "字" * 300
    cut = description(article({**base, "summary": unbroken}))
    assert cut == "字" * (DESCRIPTION_LIMIT - 1) + "…"


def test_alternates_link_the_chosen_formats_by_their_file_names(
    html: HTMLExporter,
) -> None:
    chosen = HTMLExporter(Config(), alternates="canonical, json,jsonld,html")
    root, _ = parse(chosen.export(article(RICH)))
    links = [
        (link.get("href"), link.get("type")) for link in root.iterfind(".//link[@rel='alternate']")
    ]
    assert links == [
        ("article.json", "application/json"),
        ("article.jsonld", "application/ld+json"),
    ]
    quiet, _ = parse(HTMLExporter(Config(), alternates="none").export(article(RICH)))
    assert quiet.find(".//link[@rel='alternate']") is None


def test_default_alternates_are_the_published_single_article_formats_in_order() -> None:
    expected = [
        (cls.tree_file(), cls.media_type)
        for cls in layout.published()
        if not cls.collection and cls.name != "html"
    ]
    assert [(link.href, link.media_type) for link in alternates(None)] == expected
    assert [href for href, _ in expected] == [
        "article.json",
        "newsml-g2.xml",
        "ninjs.json",
        "article.jsonld",
        "article.ttl",
        "article.nt",
    ]


def test_alternates_refuse_collections_and_unknown_formats() -> None:
    with pytest.raises(UsageError, match="jsonl writes collections"):
        HTMLExporter(Config(), alternates="jsonl")
    with pytest.raises(UnknownFormat, match="jsnold"):
        HTMLExporter(Config(), alternates="jsnold")


def test_nothing_is_loaded_from_elsewhere(rich: etree._Element) -> None:
    loaders = "//script[@src] | //iframe | //object | //embed | //audio | //video | //source"
    assert rich.xpath(loaders) == []
    for link in rich.iter("link"):
        assert set(link.get("rel", "").split()) <= {"canonical", "alternate"}
    (style,) = rich.iter("style")
    assert "url(" not in style.text
    assert "@import" not in style.text
    policy = rich.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "default-src 'none'" in policy
    assert {img.get("src")[:8] for img in rich.iter("img")} == {"https://"}


# --- the article -------------------------------------------------------------------------


def test_landmarks_and_heading_order(rich: etree._Element) -> None:
    (main,) = rich.iter("main")
    (article_element,) = main.iter("article")
    outline = "header figure p h2 p h3 figure blockquote ol ul figure section footer"
    assert [child.tag for child in article_element] == outline.split()
    headings = [(e.tag, text_of(e)) for e in rich.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    body_headings = [
        (f"h{block.level or 2}", block.text)
        for block in article(RICH).body
        if isinstance(block, Heading)
    ]
    assert headings == [("h1", RICH["headline"]), *body_headings, ("h2", "Corrections")]
    assert article_element.find("header/h1") is not None
    assert rich.find(".//header/h1/..").getparent() is article_element


def test_header_has_byline_and_dates(rich: etree._Element) -> None:
    header = rich.find(".//article/header")
    assert [text_of(p) for p in header.iterfind("p")] == [
        "Local",
        "Ferries resume on Monday",
        RICH["summary"],
        "By Rui Costa, Mia O'Neil",
        "Published 30 July 2025, 09:15 GMT+03:30 · Updated 30 July 2025, 12:45 GMT",
    ]
    (author_link,) = header.iterfind(".//a[@rel='author']")
    assert author_link.get("href") == RICH["authors"][0]["url"]
    times = [time.get("datetime") for time in header.iter("time")]
    assert times == ["2025-07-30T09:15:00.123+03:30", "2025-07-30T12:45:00Z"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-30", '<time datetime="2025-07-30">30 July 2025</time>'),
        (
            "2025-07-30T09:15:00Z",
            '<time datetime="2025-07-30T09:15:00Z">30 July 2025, 09:15 GMT</time>',
        ),
        (
            "1999-12-31T23:59:59.5-05:00",
            '<time datetime="1999-12-31T23:59:59.5-05:00">31 December 1999, 23:59 GMT-05:00</time>',
        ),
        ("<not a date>", '<time datetime="&lt;not a date&gt;">&lt;not a date&gt;</time>'),
    ],
)
def test_time_element(value: str, expected: str) -> None:
    assert time_element(value) == expected


def test_figures_carry_alt_text_caption_credit_and_size(rich: etree._Element) -> None:
    lead, second = (f for f in rich.iter("figure") if f.find("img") is not None)
    image = lead.find("img")
    assert dict(image.attrib) == {
        "src": "https://news.example.org/img/harbour.jpg",
        "alt": "Two white ferries moored at a stone quay",
        "width": "1200",
        "height": "800",
    }
    assert text_of(lead.find("figcaption")) == "Ferries in the harbour on Sunday. Jo Lee / wirekit"
    assert lead.find("figcaption/small").text == "Jo Lee / wirekit"
    assert second.find("img").get("alt") is None  # unknown, not decorative
    assert second.find("img").get("loading") == "lazy"


def test_body_blocks_become_their_elements(rich: etree._Element) -> None:
    body = rich.find(".//article")
    paragraphs = [text_of(p) for p in body.iterfind("p")]
    assert paragraphs == [
        "PORTO – The harbour reopened on Sunday after <three> days.",
        "The quay was rebuilt.\nThe lights work again.",  # a <br>: the line break is not text
    ]
    assert len(body.findall("p[2]/br")) == 1
    assert body.find("p/span[@class='dateline']").text == "PORTO –"
    quoted = body.find("figure[blockquote]")
    assert text_of(quoted.find("blockquote")) == "We are open again."
    assert text_of(quoted.find("figcaption")) == "Ana Silva"  # the stylesheet prints the dash
    assert text_of(body.find("blockquote")) == "Words nobody signed."
    assert [text_of(li) for li in body.iterfind("ol/li")] == ["Check the timetable", "Buy a ticket"]
    assert [text_of(li) for li in body.iterfind("ul/li")] == ["Pier 1: open", "Pier 2: closed"]


def test_a_dateline_before_a_heading_stands_alone(html: HTMLExporter) -> None:
    root, _ = parse(html.export(article(PERSIAN)))
    first, heading = list(root.find(".//article"))[1:3]
    assert (first.tag, text_of(first), heading.tag) == ("p", "تهران –", "h2")


def test_corrections_and_footer(rich: etree._Element) -> None:
    corrections = rich.find(".//section[@aria-labelledby='corrections']")
    assert corrections.find("h2").get("id") == "corrections"
    items = list(corrections.iter("li"))
    assert items[0].find("time").get("datetime") == "2025-07-31"
    assert [text_of(li) for li in items] == [
        "31 July 2025 An earlier version misspelt Ana Silva's name.",
        "An undated correction.",
    ]
    footer = rich.find(".//article/footer")
    assert [text_of(p) for p in footer.iterfind("p")] == [
        "Contributors: Jo Lee (photographer), Sam Park",
        "Additional reporting by the wirekit Sample Desk",
        "© 2025 wirekit Sample Desk. Some rights reserved.",
        "License: https://creativecommons.org/licenses/by/4.0/",
        "Free to republish with credit.",
    ]
    assert footer.find(".//a[@rel='license']").get("href") == RICH["rights"]["license"]


def test_copyright_without_notice_names_year_and_holder(html: HTMLExporter) -> None:
    rights = {key: value for key, value in RICH["rights"].items() if key != "copyrightNotice"}
    root, _ = parse(html.export(article({**RICH, "rights": rights})))
    copyright_line = root.find(".//footer/p[@class='copyright']")
    assert text_of(copyright_line) == "© 2025 wirekit Sample Desk"
    assert copyright_line.find(".//a").get("href") == "https://news.example.org/"


def test_registered_under_its_name_and_media_type() -> None:
    assert registry.exporter("html") is HTMLExporter
    assert registry.exporter("text/html") is HTMLExporter


@pytest.mark.parametrize(
    ("changes", "indexed"),
    [
        ({}, True),
        ({"pubStatus": "usable"}, True),
        ({"pubStatus": "withheld"}, False),
        ({"pubStatus": "canceled"}, False),
        ({"signals": ["kill"]}, False),
        ({"signals": ["correction"]}, True),
    ],
)
def test_pages_of_stories_not_for_use_ask_not_to_be_indexed(
    html: HTMLExporter, changes: dict[str, Any], indexed: bool
) -> None:
    base = {k: v for k, v in PERSIAN.items() if k not in ("pubStatus", "signals")}
    page = html.export(article({**base, **changes})).decode()
    assert ('<meta name="robots" content="noindex">' not in page) is indexed
