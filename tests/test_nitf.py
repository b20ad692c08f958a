"""NITF 3.x in and NITF 3.6 out: the mapping on committed fixtures, XSD validity for the seeds
and for generated articles, the round trips, and the real agency files in ../shared/corpus."""

from __future__ import annotations

import copy
import io
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from tests.conftest import CORPUS as SHARED_CORPUS
from tests.strategies import articles
from wirekit import registry, xml
from wirekit.config import Config
from wirekit.errors import CheckFailed, InputError, InputWarning, LossyConversionWarning
from wirekit.formats.nitf import vocab as nitf
from wirekit.formats.nitf.reader import NITFImporter
from wirekit.formats.nitf.writer import UNWRITTEN, NITFExporter
from wirekit.model import Article
from wirekit.plugin import printed_byline
from wirekit.sources import Reader

FIXTURES = Path(__file__).parent / "fixtures" / "nitf"
CORPUS = SHARED_CORPUS / "nitf"


def read(path: Path, config: Config | None = None) -> tuple[dict[str, Any], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = list(Reader(config or Config()).read(path))
    assert len(results) == 1
    assert results[0].error is None, str(results[0].error)
    assert results[0].data is not None
    return results[0].data, [str(w.message) for w in caught if w.category is InputWarning]


def note_texts(data: dict[str, Any]) -> list[str]:
    """The texts of an article's notes, in the model's notes or its single editor's note."""
    if "notes" in data:
        return [note["text"] for note in data["notes"]]
    return [data["editorNote"]] if "editorNote" in data else []


def export(article: Article) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossyConversionWarning)
        return NITFExporter().export(article)


def reimport(data: bytes) -> dict[str, Any]:
    records = list(NITFImporter().read(io.BytesIO(data), "out.nitf"))
    assert records[0].data is not None
    return records[0].data


def test_a_nitf_3_2_file_maps_head_body_head_body_content_and_body_end() -> None:
    data, warned = read(FIXTURES / "wire-3-2.xml")
    assert data["id"] == Config().base_iri + "xa-2025-0042"
    assert (data["version"], data["slug"]) == (3, "harbour-cranes")
    assert data["headline"] == "Harbour cranes stop as storm hits the coast"
    assert data["subheadline"] == "Port closed until noon"
    assert data["summary"] == "Winds of 110 km/h closed the port."
    assert data["language"] == "en-GB"
    assert data["datePublished"] == "2025-07-30T09:15:00+02:00"
    assert data["embargoedUntil"] == "2025-07-30T10:00:00Z"
    assert (data["pubStatus"], data["urgency"]) == ("usable", 4)
    assert note_texts(data) == ["Corrects the wind speed"]
    assert data["keywords"] == ["ports", "weather"]
    assert data["about"] == [{"type": "organization", "name": "Port Authority"}]
    assert data["subjects"] == [
        {"scheme": "medtop", "code": "20000349", "label": "weather"},
        {"scheme": "subj", "code": "04000000", "label": "Economy"},
    ]
    assert data["rights"] == {"copyrightHolder": {"name": "Example Agency"}, "copyrightYear": 2025}
    assert data["publisher"] == {"name": "The Example Times"}
    assert data["section"] == "Business"
    assert data["sourceAgency"] == {"name": "XA"}
    assert data["provider"] == {"name": "Example Agency"}
    assert data["authors"] == [
        {"name": "Jane Doe", "role": "Staff writers"},
        {"name": "John Roe", "role": "Staff writers"},
    ]
    assert data["dateline"] == {
        "text": "ROTTERDAM, July 30 -",
        "place": {"name": "Rotterdam", "country": "Netherlands", "countryCode": "NL"},
        "date": "2025-07-30",
    }
    kinds = [block["type"] for block in data["body"]]
    assert kinds == ["paragraph", "heading", "blockquote", "list", "paragraph", "table"]
    assert data["body"][0]["text"] == (
        "The Port Authority stopped all cranes at 6 a.m., said Piet de Vries."
    )
    assert data["body"][2] == {
        "type": "blockquote",
        "text": "We have never seen this.",
        "attribution": "a crane driver",
    }
    assert data["body"][4]["text"] == "Wind  110\nRain   40"  # pre keeps its lines
    assert data["body"][5] == {  # the model's table block: every cell, header cells marked
        "type": "table",
        "caption": "Gusts",
        "rows": [
            {"cells": [{"text": "Place", "header": True}, {"text": "km/h", "header": True}]},
            {"cells": [{"text": "Pier 1"}, {"text": "110"}]},
        ],
    }
    assert data["images"] == [
        {
            "url": "https://img.example.org/cranes.jpg",
            "caption": "Idle cranes at Pier 1.",
            "altText": "Idle cranes",
            "credit": "Photo: Example Agency",
            "width": 1200,
            "height": 800,
            "mediaType": "image/jpeg",
        }
    ]
    assert data["mentions"] == [
        {"type": "organization", "name": "Port Authority"},
        {"type": "person", "name": "Piet de Vries"},
    ]
    assert data["extensions"] == {
        "nitf": {"meta": {"desk": "Business"}, "tagline": "Reporting by Jane Doe"}
    }
    # nothing lost in silence: what the model cannot hold is named
    unread = next(w for w in warned if "not carried" in w)
    for name in ("tobject.property", "body.content/media[video]"):
        assert name in unread
    assert data["expires"] == "2025-08-30T10:00:00Z"


def test_the_not_carried_warning_and_the_coverage_report_are_one_computation(
    tmp_path: Path,
) -> None:
    """What no field holds, wherever it sits (another owner's subject codes, an unknown tagged
    name, a footnote inside a block), is named once, by the path the report gives it; what
    the body reader reads (a ``div`` strayed in from XHTML) is mapped in both; a classifier
    that names no concept is a value left out, warned on its own."""
    from wirekit import coverage

    path = tmp_path / "story.xml"
    path.write_text(
        "<nitf><head><title>T</title>"
        '<tobject><tobject.subject tobject.subject.ipr="AP" tobject.subject.refnum="x1"/>'
        '<tobject.subject tobject.subject.refnum="04000000"/></tobject>'
        '<docdata><doc-id id-string="urn:x:1"/><identified-content><org>UN</org>'
        "<event>Summit</event><event>Vote</event><classifier>no code</classifier>"
        "</identified-content></docdata></head>"
        "<body><body.head><hedline><hl1>Headline</hl1></hedline></body.head>"
        "<body.content><div><p>One.</p></div><block><p>Two.</p><fn>A footnote.</fn></block>"
        "</body.content></body></nitf>"
    )
    data, warned = read(path)
    assert [b["text"] for b in data["body"]] == ["One.", "Two."]
    (listed,) = [w for w in warned if "not carried" in w]
    assert listed == (
        f"{path}: not carried (no field in the model): tobject/tobject.subject[AP], "
        "identified-content/event (2), body.content/fn"
    )
    assert any("identified-content/classifier" in w and "left out" in w for w in warned)
    fates = {line.path: line.status for line in coverage.of_file(str(path), NITFImporter())}
    assert {p for p, fate in fates.items() if fate == coverage.WARNED} == {
        "tobject/tobject.subject[AP]",
        "identified-content/event",
        "body.content/fn",
    }
    assert coverage.NOT_CARRIED not in fates.values()
    for mapped in ("tobject/tobject.subject[IPTC]", "body.content/div", "body.content/block"):
        assert fates[mapped] == coverage.MAPPED


def test_the_3_6_namespace_reads_like_plain_nitf_and_a_missing_offset_is_named() -> None:
    data, warned = read(FIXTURES / "namespaced-3-6.xml")
    assert data["id"] == "urn:example:nitf:1"
    assert data["body"] == [{"type": "paragraph", "text": "One paragraph."}]
    assert data["datePublished"] == "2025-07-30T09:15:00Z"
    assert any("has no offset; read as UTC" in w for w in warned)


def test_nitf_is_recognised_by_content() -> None:
    head = (FIXTURES / "wire-3-2.xml").read_bytes()[:4096]
    assert NITFImporter.sniff(head)
    assert registry.importer_for(head, "story.xml") is NITFImporter
    assert not NITFImporter.sniff(b'<?xml version="1.0"?><newsItem xmlns="x"/>')


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<nitf><head>", "malformed XML"),
        (b"<html/>", "not NITF: the root element is 'html'"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(document: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        list(NITFImporter().read(io.BytesIO(document), "in.nitf"))
    assert message in str(caught.value)
    assert str(caught.value).startswith("in.nitf")
    assert "\n" not in str(caught.value)


def test_dates_read_every_shape_agencies_send() -> None:
    assert nitf.read_date("20151210T191044Z").value == "2015-12-10T19:10:44Z"
    assert nitf.read_date("20170102T222800+0000").value == "2017-01-02T22:28:00+00:00"
    assert nitf.read_date("2016-05-24 20:53:25+00:00").value == "2016-05-24T20:53:25+00:00"
    assert nitf.read_date("20250730").value == "2025-07-30"
    assert nitf.read_date("YYYYMMDD000000-HHMM").value is None
    for value in ("2025-07-30", "2025-07-30T09:15:00.5+03:30", "2025-07-30T09:15:00-00:00"):
        assert nitf.read_date(nitf.write_date(value)).value == value


def test_seeds_export_valid_nitf(seed_articles: list[Article], specs: Path) -> None:
    for article in seed_articles:
        output = export(article)
        assert nitf.problems(xml.parse(output), specs) == [], article.id


def test_what_nitf_cannot_carry_is_reported() -> None:
    article = Article.from_dict(
        {
            "id": "urn:x:1",
            "version": 1,
            "headline": "H",
            "language": "en",
            "body": [{"type": "heading", "level": 3, "text": "Sub"}],
            "url": "https://example.org/a",
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        NITFExporter().export(article)
    messages = [str(w.message) for w in caught if w.category is LossyConversionWarning]
    assert any("/url" in m for m in messages)
    assert any("/body/*/level" in m for m in messages)
    assert not any("/type" in m for m in messages)
    story = Article.from_dict({**article.to_dict(), "type": "text"})  # said outright: a story
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        NITFExporter().export(story)
    assert not [w for w in caught if "/type" in str(w.message)]


def _one_line(text: str) -> str:
    """A table's caption or cell as NITF's reader gives it back: XML white space collapsed."""
    if not re.search(r"[\t\n\r\x00-\x08\x0b-\x1f]", text):
        return text
    return re.sub(r"[ \t\n\r\x00-\x08\x0b-\x1f]+", " ", text).strip(" ")


def carried(data: dict[str, Any]) -> dict[str, Any]:
    """What a canonical article keeps through NITF (the mapping in the reader's table)."""
    out = copy.deepcopy(data)
    for key in (*UNWRITTEN, "extensions"):
        out.pop(key, None)
    if out.get("subheadline") == out["headline"]:
        del out["subheadline"]
    out.pop("type", None)  # a story: a later model's media types are lost with a warning
    if "kill" in data.get("signals", ()):  # NITF has no signals: a kill is its status
        out["pubStatus"] = "canceled"
    for block in out.get("body", []):
        block.pop("level", None)
        if block.get("ordered") is False:
            del block["ordered"]
        for row in block.get("rows", []):  # a data cell need not say so; a cell is one line
            row["cells"] = [
                {"text": _one_line(c["text"]), **({"header": True} if c.get("header") else {})}
                for c in row["cells"]
            ]
        if "caption" in block:
            block["caption"] = _one_line(block["caption"])
            if not block["caption"]:
                del block["caption"]
    for key in ("publisher", "provider", "sourceAgency"):
        if key in out:
            out[key] = {"name": out[key]["name"]}
    out["authors"] = [
        {k: v for k, v in a.items() if k in ("name", "role")} for a in out.get("authors", [])
    ]
    out["corrections"] = [{"text": c["text"]} for c in out.get("corrections", [])]
    # NITF's ed-msg is for partners: internal notes never leave, public ones come back as partner
    shared = [n for n in out.pop("notes", []) if n["audience"] != "internal"]
    out["notes"] = [{"text": n["text"], "audience": "partner"} for n in shared]
    out["authors"] = [a for a in out["authors"] if a.get("name")]
    out["subjects"] = [{k: v for k, v in s.items() if k != "uri"} for s in out.get("subjects", [])]
    out["about"] = [
        {k: v for k, v in e.items() if k in ("type", "name", "wikidata")}
        for e in out.get("about", [])
    ]
    rights = out.pop("rights", {})
    kept = {k: v for k, v in rights.items() if k in ("copyrightYear", "usageTerms")}
    if "copyrightHolder" in rights:
        kept["copyrightHolder"] = {"name": rights["copyrightHolder"]["name"]}
    if kept:
        out["rights"] = kept
    if "dateline" in out and "place" in out["dateline"]:
        place = out["dateline"]["place"]
        out["dateline"]["place"] = {
            k: v for k, v in place.items() if k in ("name", "country", "countryCode")
        }
    return {k: v for k, v in out.items() if v != []}


@given(article=articles())
def test_generated_articles_are_valid_nitf_and_come_back(article: Article, specs: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LossyConversionWarning)
        output = NITFExporter().export(article)
    assert nitf.problems(xml.parse(output), specs) == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        back = reimport(output)
    expected = carried(article.to_dict())
    expected.pop("byline", None)
    if article.byline is not None and not any("/byline" in str(w.message) for w in caught):
        # written as printed, it reads back by the one rule every importer keeps a byline by
        kept = printed_byline(article.byline, expected.get("authors", []))
        expected |= {"byline": kept} if kept else {}
    assert back == expected
    assert export(Article.from_dict(back)) == output


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.xml")))
def test_agency_nitf_imports_exports_valid_and_is_stable(name: str, specs: Path) -> None:
    data, warned = read(CORPUS / name)
    output = export(Article.from_dict(data))
    assert nitf.problems(xml.parse(output), specs) == []
    again = reimport(output)
    assert export(Article.from_dict(again)) == output  # NITF -> canonical -> NITF is stable
    assert all("\n" not in w for w in warned)


def test_the_exporter_checks_its_own_files(tmp_path: Path, specs: Path) -> None:
    article = Article.from_dict(
        {"id": "urn:x:1", "version": 1, "headline": "H", "language": "en", "body": []}
        | {"body": [{"type": "paragraph", "text": "P"}]}
    )
    good = tmp_path / "good.nitf"
    good.write_bytes(export(article))
    assert NITFExporter(Config(specs=specs)).check(good) == "valid against the NITF 3.6 XSD"
    bad = tmp_path / "bad.nitf"
    bad.write_bytes(good.read_bytes().replace(b"<body>", b"<body><nonsense/>"))
    with pytest.raises(CheckFailed, match="nonsense"):
        NITFExporter(Config(specs=specs)).check(bad)


def test_validate_holds_namespaced_nitf_to_the_xsd_and_dtd_era_nitf_to_none(
    specs: Path,
) -> None:
    importer = NITFImporter(Config(specs=specs))
    plain = (FIXTURES / "wire-3-2.xml").read_bytes()
    assert importer.conformance(plain) == []  # no namespace: a DTD-era document
    namespaced = (FIXTURES / "namespaced-3-6.xml").read_bytes()
    assert importer.conformance(namespaced) == []
    broken = namespaced.replace(b"<body.head>", b"<body.head><nonsense/>")
    assert any("nonsense" in str(problem) for problem in importer.conformance(broken))


def test_publish_takes_nitf_and_feeds_as_inputs(run_wirekit: Any, tmp_path: Path) -> None:
    feed = Path(__file__).parent / "fixtures" / "feeds" / "rss2.xml"
    out = tmp_path / "site"
    code, _, err = run_wirekit(
        "publish", str(FIXTURES / "wire-3-2.xml"), str(feed), "--out", str(out)
    )
    assert code == 0, err
    assert len(list((out / "articles").iterdir())) == 3  # one NITF story, two feed entries


@pytest.mark.parametrize("year", ["²025", "２０２５", "٢٠٢٥"])
def test_a_copyright_year_in_other_digits_is_left_out_not_a_crash(year: str) -> None:
    """Found by the fuzzer: ``'²025'.isdigit()`` is true, and ``int`` refused it."""
    document = (
        "<nitf><head><title>t</title><docdata>"
        f'<doc.copyright holder="Desk" year="{year}"/>'
        "</docdata></head><body><body.head><hedline><hl1>Headline</hl1></hedline></body.head>"
        "<body.content><p>Text.</p></body.content></body></nitf>"
    ).encode()
    records = list(NITFImporter().read(io.BytesIO(document), "in.nitf"))
    assert records[0].data is not None
    assert "copyrightYear" not in records[0].data.get("rights", {})


@pytest.mark.parametrize(
    ("byline", "authors", "printed"),
    [
        ("By BERNARD CONDON<byttl>AP Business Writer</byttl>",
         [{"name": "BERNARD CONDON", "role": "AP Business Writer"}],
         "By BERNARD CONDON, AP Business Writer"),
        ("By Benjamin Wright, Press Association",
         [{"name": "Benjamin Wright"}, {"name": "Press Association"}],
         "By Benjamin Wright, Press Association"),
        ("<person>Mia Rabson</person><byttl>The Canadian Press</byttl>",
         [{"name": "Mia Rabson", "role": "The Canadian Press"}], None),  # as wirekit writes it
        ("Geir Molnes / Faktisk.no", [{"name": "Geir Molnes / Faktisk.no"}], None),
    ],
)  # fmt: skip
def test_a_byline_with_words_of_its_own_is_kept_as_printed(
    byline: str, authors: list[dict[str, str]], printed: str | None, tmp_path: Path
) -> None:
    path = tmp_path / "byline.xml"
    path.write_text(
        "<nitf><head><docdata><doc-id id-string='urn:x:1'/></docdata></head><body><body.head>"
        f"<hedline><hl1>H</hl1></hedline><byline>{byline}</byline></body.head>"
        "<body.content><p>Text.</p></body.content></body></nitf>"
    )
    data, _ = read(path)
    assert data["authors"] == authors
    assert data.get("byline") == printed


@pytest.mark.parametrize(
    ("byline", "authors", "written"),
    [
        (
            "Von Almut Kipp und Jan Roe, dpa",
            [{"name": "Almut Kipp", "role": "dpa"}, {"name": "Jan Roe", "role": "dpa"}],
            "Von <person>Almut Kipp</person> und <person>Jan Roe</person>, <byttl>dpa</byttl>",
        ),
        ("BY MARKO DJURICA", [{"name": "MARKO DJURICA"}], "BY <person>MARKO DJURICA</person>"),
        # the reader would set a title off with a comma that the printed line does not have
        ("By Jane Doe Staff", [{"name": "Jane Doe", "role": "Staff"}], None),
        ("By Jan Roe and Jane Doe", [{"name": "Jane Doe"}, {"name": "Jan Roe"}], None),
        ("By Staff", [], None),
    ],
)
def test_the_byline_as_printed_is_written_around_its_authors(
    byline: str, authors: list[dict[str, str]], written: str | None, specs: Path
) -> None:
    """The printed byline is one ``byline`` with each author a ``person`` inside it, and it
    reads back as it was; one that does not name the authors in order is a loss, said."""
    article = Article.from_dict(
        {"id": "urn:x:1", "version": 1, "headline": "H", "language": "en", "byline": byline}
        | ({"authors": authors} if authors else {})
        | {"body": [{"type": "paragraph", "text": "P"}]}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LossyConversionWarning)
        output = NITFExporter().export(article)
    assert nitf.problems(xml.parse(output), specs) == []
    lost = [str(w.message) for w in caught if "/byline" in str(w.message)]
    back = reimport(output)
    if written is None:
        assert len(lost) == 1 and "byline" not in back
    else:
        assert f"<byline>{written}</byline>".encode() in output and not lost
        assert (back["byline"], back["authors"]) == (byline, authors)
