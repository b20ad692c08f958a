"""The ``newsml-g2`` importer: every official, constructed and real-world sample in
``../shared/specs/newsml-g2`` (the ``samples`` fixture: a corpus, read in place) becomes
schema-valid articles with its headline, dates, subjects and paragraphs; agency quirks are
repaired with a warning; ``conformance`` finds what the XSD finds; and canonical -> NewsML-G2
-> canonical is the identity on every field NewsML-G2 carries.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from tests.strategies import articles
from tests.test_newsml_g2_export import MINIMAL, export, quiet_export, rich, seed_cases
from wirekit import registry, schema
from wirekit.config import Config
from wirekit.errors import InputError, InputWarning, UsageError
from wirekit.formats.newsml_g2 import vocab as g2
from wirekit.formats.newsml_g2.message import NewsMLG2MessageExporter
from wirekit.formats.newsml_g2.reader import NewsMLG2Importer
from wirekit.model import Article, names_byline
from wirekit.sources import Reader
from wirekit.specs import MissingSpec

JSON = dict[str, Any]


def sample_files(samples: Path) -> list[Path]:
    return sorted((samples / "newsml-g2").glob("*/*.xml"))


def read(data: bytes, config: Config | None = None) -> list[JSON]:
    """The article dicts of a document (errors raised), warnings left to the caller."""
    records = list(NewsMLG2Importer(config).read(io.BytesIO(data), "test.xml"))
    for record in records:
        if record.error is not None:
            raise record.error
    return [r.data for r in records if r.data is not None]


def read_quietly(data: bytes) -> tuple[list[JSON], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = read(data)
    return found, [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


def item(meta: str = "", content: str = "", body: str = "", *, head: str = "") -> bytes:
    """A small newsItem around the given pieces (a real agency file would be longer)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="{g2.NAR}" guid="urn:x:1" version="2" standard="NewsML-G2"
  standardversion="2.35" xml:lang="en">{head}
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider literal="Agency"/>
    <versionCreated>2025-07-30T10:00:00Z</versionCreated>{meta}
  </itemMeta>
  <contentMeta>{content}<headline>Headline</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="{g2.XHTML}"><body>{body or "<p>Text.</p>"}</body></html>
  </inlineXML></contentSet>
</newsItem>""".encode()


# --- the samples ------------------------------------------------------------------------------

# file name -> (headline start, dates, at least this many subjects, first paragraph start)
EXPECTED: dict[str, tuple[str, dict[str, str], int, str]] = {
    "rich_text_newsitem.xml": (
        "Captain of wrecked cruise ship",
        {"dateCreated": "2013-07-09T08:00:00Z", "dateModified": "2013-07-09T10:35:00Z"},
        2,
        "GROSSETO, Italy (Example News) -- The trial",
    ),
    "LISTING_2_NewsML-G2_Text_Document.xml": (
        'Fed to halt QE to avert "bubble"',  # the file pads it with a space
        {"dateCreated": "2016-11-21T15:21:06-05:00", "dateModified": "2018-11-21T16:22:45-05:00"},
        3,
        "(New York, NY - October 21) Et, sent luptat luptat, commy Nim zzriureet",
    ),
    "Receiver_View.xml": (
        'Fed to halt QE to avert "bubble"',
        {"dateModified": "2018-11-21T16:22:45-05:00"},
        3,
        "(New York, NY - November 21) Et, sent",
    ),
    "newsmlvalidator__reuters_BBO-SOX-CARDINALS.xml": (
        "World Series: Lester, Wainwright set for Game 1",
        {"datePublished": "2013-10-21T19:20:44.000Z"},
        9,
        "The Sports Xchange",
    ),
    "superdesk-core__dpa.xml": (
        "Eintracht in London",
        {"dateModified": "2022-10-11T11:14:42+02:00"},
        2,
        "London (dpa) - 2019 gab es bittere Tränen",
    ),
    "superdesk-core__reuters_text.INVALID.xml": (
        "Soccer-Smiling Benitez pleads",
        {"datePublished": "2013-03-01T15:09:04.000Z"},
        12,
        "By Toby Davis",
    ),
    "superdesk-core__stt_newsml_location_rich.xml": (
        "Tuhannet rohingya-pakolaiset",
        {"dateCreated": "2017-08-29T17:15:41+03:00"},  # STT's local time: Helsinki, summer
        8,
        "Ainakin 6 000 rohingya-vähemmistöön kuuluvaa siviiliä on paennut",
    ),
    "xml-newsml-g2__apa_NewsItem_Text_2.28.xml": (
        "Saisonstart im Schweizerhaus",
        {"dateCreated": "2012-03-15T09:09:00+01:00", "embargoedUntil": "2012-03-15T12:00:00+01:00"},
        5,
        "",  # its body holds only the headline and a subtitle
    ),
}


def test_every_sample_file_reads_into_schema_valid_articles(samples: Path) -> None:
    reader = Reader(Config())
    seen = set()
    for path in sample_files(samples):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = list(reader.read(path))
        assert results, path.name
        for result in results:
            assert result.error is None, f"{path.name}: {result.error}"
            assert result.article is not None
            article = result.article.to_dict()
            assert schema.problems(article) == []
            if path.name in EXPECTED and path.name not in seen:
                seen.add(path.name)
                headline, dates, subjects, first = EXPECTED[path.name]
                assert article["headline"].startswith(headline), path.name
                assert {k: article.get(k) for k in dates} == dates, path.name
                assert len(article.get("subjects", [])) + len(article.get("about", [])) >= subjects
                assert article["body"][0].get("text", "").startswith(first), path.name
    assert seen == set(EXPECTED)


def test_a_message_gives_one_record_per_item_in_order(samples: Path) -> None:
    path = samples / "newsml-g2" / "constructed" / "newsmessage_two_items.xml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        records = list(NewsMLG2Importer().read(path.open("rb"), str(path)))
    assert [r.place for r in records] == ["item 1", "item 2"]
    assert [r.data["headline"] for r in records if r.data] == [
        "Captain of wrecked cruise ship on trial in Italy",
        "Costa Concordia captain on trial",  # a packageItem: its headline stands in for a body
    ]


def test_a_message_item_that_holds_no_article_is_an_error_record_and_reading_goes_on() -> None:
    message = f"""<newsMessage xmlns="{g2.NAR}"><header><sent>2025-01-01T00:00:00Z</sent></header>
      <itemSet><conceptItem guid="urn:x:c" standard="NewsML-G2" standardversion="2.35"/>
      {item().decode().split("?>", 1)[1]}</itemSet></newsMessage>""".encode()
    records = list(NewsMLG2Importer().read(io.BytesIO(message), "m.xml"))
    assert records[0].error is not None and records[0].place == "item 1"
    assert "conceptItem" in str(records[0].error)
    assert records[1].data is not None and records[1].data["headline"] == "Headline"


def test_the_rich_example_maps_back_to_the_model(samples: Path) -> None:
    data = (samples / "newsml-g2" / "constructed" / "rich_text_newsitem.xml").read_bytes()
    (article,), _ = read_quietly(data)
    assert article["id"] == "urn:newsml:example.com:20130709:costa-trial"
    assert article["version"] == 3 and article["language"] == "en-GB"
    assert article["subheadline"] == "Trial postponed by nationwide lawyers' strike"
    assert article["slug"] == "italy-ship-trial"
    assert article["embargoedUntil"] == "2013-07-09T11:00:00Z"
    assert article["signals"] == ["update"] and article["pubStatus"] == "usable"
    assert article["dateline"] == {
        "text": "GROSSETO, Italy, July 9",
        "place": {"name": "Grosseto", "country": "Italy", "countryCode": "IT"},
    }
    assert [a["name"] for a in article["authors"]] == ["Paolo Santalucia", "Frances D'Emilio"]
    assert article["subjects"][0] == {
        "scheme": "medtop",
        "code": "20000111",
        "label": "trial (court)",
    }
    assert {"type": "person", "name": "Francesco Schettino", "wikidata": "Q4421821"} in (
        article["about"]
    )
    assert article["rights"]["usageTerms"] == "Editorial use only."
    assert article["related"] == [{"url": "https://www.example.com/news/costa-concordia-trial"}]
    assert article["provider"] == {"name": "Example News", "url": "https://www.example.com/"}


def test_asserts_give_entities_their_coordinates_and_names(samples: Path) -> None:
    ap = (samples / "newsml-g2" / "examples" / "ap_metadata_example.xml").read_bytes()
    (article,), _ = read_quietly(ap)
    kentucky = next(e for e in article["about"] if e["name"] == "Kentucky")
    assert kentucky["geo"] == {"latitude": -84.87762, "longitude": 38.20042}
    dpa = (samples / "newsml-g2" / "realworld" / "superdesk-core__dpa.xml").read_bytes()
    (article,), _ = read_quietly(dpa)
    stadium = next(e for e in article["about"] if e["name"].startswith("Tottenham"))
    assert stadium["geo"] == {"latitude": 51.6047, "longitude": -0.06809}
    germany = next(e for e in article["about"] if e["name"] == "Deutschland")
    assert germany["wikidata"] == "Q183"


def test_nitf_bodies_are_read(samples: Path) -> None:
    path = samples / "newsml-g2" / "examples" / "LISTING_2_NewsML-G2_Text_Document.xml"
    (article,), _ = read_quietly(path.read_bytes())
    assert len(article["body"]) == 2
    assert article["body"][1]["text"].endswith("esto cons dolutpat, si.")
    assert "\n" not in article["body"][0]["text"]  # pretty-printing is not text


# --- quirks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meta", "content", "field", "value", "warning"),
    [
        ("<firstCreated>2025-07-30T12:00:00+0200</firstCreated>", "", "datePublished",
         "2025-07-30T12:00:00+02:00", "without a colon"),
        ("<firstCreated>2025-07-30T12:00:00</firstCreated>", "", "datePublished",
         "2025-07-30T12:00:00Z", "no offset"),
        ("", "<urgency></urgency>", "urgency", None, "urgency ''"),
        ("", "<urgency>12</urgency>", "urgency", None, "urgency '12'"),
        ("", "<contentCreated>2025-07-30</contentCreated>", "dateCreated", None, "left out"),
    ],
)  # fmt: skip
def test_agency_quirks_are_repaired_with_a_warning(
    meta: str, content: str, field: str, value: Any, warning: str
) -> None:
    (article,), found = read_quietly(item(meta, content))
    assert article.get(field) == value
    assert any(warning in message for message in found), found
    assert all(message.startswith("test.xml: ") for message in found)


def test_elements_out_of_order_are_read_with_one_warning(samples: Path) -> None:
    path = samples / "newsml-g2" / "realworld" / "superdesk-core__reuters_text.INVALID.xml"
    (article,), found = read_quietly(path.read_bytes())
    assert article["notes"] == [{"text": "Editorial Note", "audience": "partner"}]
    assert found == [
        "test.xml: item 1: elements out of the order the XSD requires: itemMeta/edNote, "
        "contentMeta/located",
        "test.xml: item 1: not carried (no field in the model): contentMeta/altId (2)",
    ]


def test_derived_required_fields_are_announced() -> None:
    bare = f"""<newsItem xmlns="{g2.NAR}" guid="simplest test" version="x" standard="NewsML-G2"
      standardversion="2.35"><itemMeta><itemClass qcode="ninat:text"/><provider literal="P"/>
      <versionCreated>2020-06-22T12:00:00+03:00</versionCreated><title>The title</title>
      </itemMeta></newsItem>""".encode()
    (article,), found = read_quietly(bare)
    assert article["id"] == "urn:wirekit:article:simplest%20test"
    assert article["version"] == 1 and article["language"] == "en"
    assert article["headline"] == "The title"
    assert article["body"] == [{"type": "paragraph", "text": "The title"}]
    assert article["dateModified"] == "2020-06-22T12:00:00+03:00"
    assert len(found) == 4  # id, version, headline, body
    blank = bare.replace(b"</itemMeta>", '</itemMeta><contentMeta><headline xml:space="preserve">'
                         '\u3000\u00a0 </headline></contentMeta>'.encode())  # fmt: skip
    (article,), found = read_quietly(blank)
    assert article["headline"] == "The title"  # white space alone is no headline
    assert "test.xml: no headline; using the title" in found


def test_xhtml_furniture_is_skipped_and_structure_kept() -> None:
    body = (
        "<header><h1>Headline</h1><ul><li>slug</li></ul></header>"
        "<section><p>  One\n   two <b>bold</b><br/>next  </p>"
        "<h3>Sub</h3><blockquote><p>Quote</p><footer>Someone</footer></blockquote>"
        "<ol><li>a</li><li></li></ol><p> </p></section>"
    )
    (article,), _ = read_quietly(item(body=body))
    assert article["body"] == [
        {"type": "paragraph", "text": "One two bold\nnext"},
        {"type": "heading", "level": 3, "text": "Sub"},
        {"type": "blockquote", "text": "Quote", "attribution": "Someone"},
        {"type": "list", "ordered": True, "items": ["a"]},
    ]


# --- detection and validation -----------------------------------------------------------------


def test_sniff_is_specific(samples: Path) -> None:
    for path in sample_files(samples):
        assert NewsMLG2Importer.sniff(path.read_bytes()[:4096]), path.name
    utf16 = (samples / "newsml-g2" / "constructed" / "rich_text_newsitem.xml").read_text("utf-8")
    assert NewsMLG2Importer.sniff(utf16.replace('"UTF-8"', '"UTF-16"').encode("utf-16"))
    assert not NewsMLG2Importer.sniff(b'{"headline": "http://iptc.org/std/nar/2006-10-01/"}')
    assert not NewsMLG2Importer.sniff(b'<feed xmlns="http://www.w3.org/2005/Atom"><title/>')
    assert not NewsMLG2Importer.sniff(b'<newsItem xmlns="urn:other"/>')
    assert registry.importer_for(item(), "story.xml") is NewsMLG2Importer


def test_conformance_finds_the_ordering_errors_and_accepts_the_valid_samples(
    specs: Path, samples: Path
) -> None:
    importer = NewsMLG2Importer(Config(specs=specs))
    for path in sample_files(samples):
        found = importer.conformance(path.read_bytes())
        if "INVALID" in path.name:
            assert [p.pointer for p in found] == [
                "line 51 /newsMessage/itemSet/newsItem/itemMeta/edNote",
                "line 76 /newsMessage/itemSet/newsItem/contentMeta/located",
            ]
            assert all("not expected" in p.message for p in found)
        else:
            assert found == [], path.name
    assert NewsMLG2Importer(Config()).conformance(b"<not-even-read/>") == []
    assert g2.xsd(specs) is g2.xsd(specs)  # compiled once per process


def test_conformance_without_the_xsd_says_how_to_fetch_it(tmp_path: Path) -> None:
    with pytest.raises(
        MissingSpec, match=re.escape('run "wirekit specs fetch" to check NewsML-G2')
    ):
        NewsMLG2Importer(Config(specs=tmp_path)).conformance(item())


def test_the_xsd_loader_fetches_nothing(tmp_path: Path, specs: Path) -> None:
    remote = tmp_path / "remote.xsd"
    remote.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:x" schemaLocation="http://127.0.0.1:9/x.xsd"/></xs:schema>'
    )
    (tmp_path / "xml.xsd").write_bytes((specs / "newsml-g2" / "xml.xsd").read_bytes())
    with pytest.raises(UsageError, match="cannot load"):
        g2.compiled_xsd(str(remote))


def test_validate_reports_the_xsd_problems_through_the_cli(
    run_wirekit: Any, specs: Path, samples: Path
) -> None:
    invalid = samples / "newsml-g2" / "realworld" / "superdesk-core__reuters_text.INVALID.xml"
    code, out, err = run_wirekit("validate", str(invalid))  # specs by the lookup
    assert code == 1
    assert "itemMeta/edNote: Element 'edNote': This element is not expected." in err
    assert "Traceback" not in err
    good = samples / "newsml-g2" / "constructed" / "rich_text_newsitem.xml"
    code, out, err = run_wirekit("validate", "--specs", str(specs), str(good))
    assert code == 0, err
    assert out.splitlines()[0].endswith("valid")
    assert "coverage: " in out.splitlines()[1]  # and what became of its elements, summed up


# --- round trips ------------------------------------------------------------------------------


def without(data: JSON, pointer: str) -> None:
    """Remove what a JSON pointer names, if it is there."""
    *path, last = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node: Any = data
    for step in path:
        node = node[int(step)] if isinstance(node, list) else node.get(step)
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(last, None)


def comparable(data: JSON, lost: list[str]) -> JSON:
    """The article as NewsML-G2 carries it: without ``extensions`` (every exporter ignores it)
    and the fields the exporter warned about; a level-2 heading and a bulleted list need not
    say so."""
    out = {k: v for k, v in data.items() if (k, v) not in (("extensions", v), ("type", "text"))}
    for pointer in lost:
        without(out, pointer)
    out["body"] = [
        {k: v for k, v in b.items() if (k, v) not in (("level", 2), ("ordered", False))}
        for b in out.get("body", [])
    ]
    # internal notes never leave through a syndication output: by rule, not a loss
    notes = [n for n in out.pop("notes", []) if n["audience"] != "internal"]
    if notes:
        out["notes"] = notes
    names = names_byline(a["name"] for a in out.get("authors", []))
    if out.get("byline") == names:  # a byline of the authors' names says nothing more
        del out["byline"]
    for block in out["body"]:
        for row in block.get("rows", []):
            row["cells"] = [{k: v for k, v in c.items() if v is not False} for c in row["cells"]]
    return out


def round_trip(article: Article) -> tuple[JSON, JSON]:
    data, lost = quiet_export(article)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (back,) = read(data)
    assert not caught, [str(w.message) for w in caught]  # wirekit's own items need no repair
    assert schema.problems(back) == []
    return comparable(article.to_dict(), lost), comparable(back, lost)


@given(articles())
def test_round_trip_is_the_identity_on_every_carried_field(article: Article) -> None:
    expected, back = round_trip(article)
    assert back == expected


def test_round_trip_of_the_seeds_and_a_rich_article() -> None:
    for _, article in seed_cases():
        expected, back = round_trip(article)
        assert back == expected, article.id
    expected, back = round_trip(Article.from_dict(rich()))
    assert back == expected


def test_round_trip_keeps_every_character() -> None:
    text = "  two  spaces,\ttab,\n\nblank line, trailing  \n"
    article = Article.from_dict(
        {
            **MINIMAL,
            "headline": " padded & <odd> ",
            "summary": text,
            "body": [
                {"type": "paragraph", "text": text},
                {"type": "list", "items": [" ", "\n"]},
                {"type": "blockquote", "text": "a\nb", "attribution": " x "},
            ],
            "authors": [{"name": "X", "role": "100% <senior> editor"}],
            "section": "World & more",
        }
    )
    expected, back = round_trip(article)
    assert back == expected


def test_a_killed_article_comes_back_killed_without_an_invented_status() -> None:
    (back,) = read(export({**MINIMAL, "signals": ["kill"]}))
    assert back["signals"] == ["kill"] and "pubStatus" not in back
    (back,) = read(export({**MINIMAL, "pubStatus": "canceled"}))
    assert back["pubStatus"] == "canceled" and "signals" not in back


def test_a_message_round_trips_item_by_item() -> None:
    batch = [Article.from_dict(MINIMAL), Article.from_dict(rich())]
    back = read(NewsMLG2MessageExporter().export_collection(batch))
    assert [comparable(b, []) for b in back] == [comparable(a.to_dict(), []) for a in batch]


def test_hostile_input_is_refused_by_the_importer() -> None:
    hostile = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + item()[38:]
    with pytest.raises(InputError, match="DOCTYPE"):
        read(hostile)


def test_a_table_that_says_nothing_is_dropped_like_an_empty_paragraph() -> None:
    """A table of empty cells and no caption holds no text (the schema refuses it); one with a
    single filled cell keeps every empty cell, so that columns stay in line."""
    empty = "<table><tr><th></th><td> </td></tr><tr><td></td></tr></table>"
    kept = "<table><tr><th>Index</th><td></td></tr></table>"
    (article,), _ = read_quietly(item(body=f"<p>Text.</p>{empty}{kept}"))
    assert article["body"] == [
        {"type": "paragraph", "text": "Text."},
        {"type": "table", "rows": [{"cells": [{"text": "Index", "header": True}, {"text": ""}]}]},
    ]
    assert Article.from_dict(article).text == "Text.\n\nIndex\t"
