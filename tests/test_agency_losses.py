"""Issue 17's silent losses, one test each, on small fixtures of our own (tests/fixtures/agency)
that reproduce each structure, and again on the real agency files in ../shared/corpus (tests
marked ``corpus``, skipped with the reason when the corpus is absent).

1 tables, 2 notes and their audience, 3 pictures/video/audio, 4 bylines and creator ids,
5 repeated slugs, 6 teasers, 7 ninjs description roles, 8 located, 9 ISO country codes,
10 clear errors, 11 times without an offset.
"""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path
from typing import Any

import orjson
import pytest

from wirekit import layout, registry
from wirekit.config import Config
from wirekit.errors import InputError
from wirekit.formats.newsml_g2.reader import NewsMLG2Importer
from wirekit.formats.ninjs.reader import NinjsImporter
from wirekit.model import Article, Table
from wirekit.sources import Reader

FIXTURES = Path(__file__).parent / "fixtures" / "agency"
DPA = FIXTURES / "dpa-text.xml"
PICTURE = FIXTURES / "picture.xml"
AP_IMAGE = FIXTURES / "ap-image.json"
JSON = dict[str, Any]


def read(path: Path, config: Config | None = None) -> tuple[list[JSON], list[str]]:
    """The article dicts of a file and the warnings reading it gave."""
    importer = registry.importer("ninjs" if path.suffix == ".json" else "newsml-g2")(config)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = list(importer.read(io.BytesIO(path.read_bytes()), path.name))
    errors = [r.error for r in records if r.error is not None]
    if errors:
        raise errors[0]
    return [r.data for r in records if r.data is not None], [str(w.message) for w in caught]


def one(path: Path, config: Config | None = None) -> JSON:
    (article,), _ = read(path, config)
    return article


def export(name: str, article: JSON) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        config = Config(publisher={"name": "Desk"}, base_url="https://desk.example/")
        exporter = registry.exporter(name)(config)
        if exporter.collection:
            return exporter.export_collection([Article.from_dict(article)]).decode()
        return exporter.export(Article.from_dict(article)).decode()


# --- 1. tables -------------------------------------------------------------------------------


def test_a_table_is_read_with_every_cell_and_written_by_every_exporter() -> None:
    article = one(DPA)
    (table,) = [b for b in article["body"] if b["type"] == "table"]
    assert table["caption"] == "MDAX"
    assert [[c["text"] for c in row["cells"]] for row in table["rows"]] == [
        ["Wert", "Kurs", "Änderung"],
        ["Aareal Bank", "35,10", "+0,4"],
        ["Airbus", "72,60", ""],  # an empty cell is kept: columns stay in line
    ]
    assert all(c.get("header") for c in table["rows"][0]["cells"])
    for name in ("html", "newsml-g2", "ninjs", "jsonld", "nitf"):
        out = export(name, article)
        assert "Aareal Bank" in out and "72,60" in out, name
    assert "<th>Wert</th>" in export("newsml-g2", article)
    jsonld = json.loads(export("jsonld", article))
    assert "Aareal Bank\t35,10\t+0,4" in json.dumps(jsonld, ensure_ascii=False).replace("\\t", "\t")


@pytest.mark.corpus
def test_the_mdax_table_keeps_its_fifty_rows(real_corpus: Path) -> None:
    path = real_corpus / "newsml-g2/dpa-2017/urn:newsml:dpa.com:20090101:170629-90-027178.xml"
    (article,), _ = read(path)
    tables = [Article.from_dict(article).body[i] for i, b in enumerate(article["body"])]
    rows = sum(len(b.rows) for b in tables if isinstance(b, Table))
    assert rows >= 50


# --- 2. notes and their audience --------------------------------------------------------------


def test_non_public_notes_are_internal_read_once_and_never_leave() -> None:
    article = one(DPA)
    internal = [n["text"] for n in article["notes"] if n["audience"] == "internal"]
    assert internal == ["Redaktion: Erika Muster, +49 30 0000 0000, <muster.erika@dpa.example>"]
    assert sum("Erika Muster" in n["text"] for n in article["notes"]) == 1  # notepad not repeated
    assert "Nach Börsenschluss" in export("ninjs", article)  # a partner note reaches partners
    for name in ("html", "newsml-g2", "ninjs", "nitf", "jsonld", "rss", "atom", "jsonfeed"):
        assert "Erika Muster" not in export(name, article), name
    assert "Erika Muster" in export("json", article)  # only the canonical JSON keeps it


@pytest.mark.corpus
def test_no_dpa_nonpublic_note_reaches_ninjs_or_newsml_g2(real_corpus: Path) -> None:
    from lxml import etree

    checked = 0
    for path in sorted((real_corpus / "newsml-g2/dpa-2017").glob("*.xml")):
        root = etree.parse(str(path))
        secret = [
            "".join(e.itertext()).strip()
            for e in root.iter("{*}edNote")
            if "nonpublic" in (e.get("pubconstraint") or "")
        ]
        if not secret:
            continue
        articles, _ = read(path)
        for article in articles:
            for name in ("ninjs", "newsml-g2", "html"):
                out = export(name, article)
                assert not any(text in out for text in secret if len(text) > 8), (path, name)
        checked += 1
    assert checked >= 10


# --- 3. pictures, video, audio ----------------------------------------------------------------


def test_a_picture_item_is_a_picture_with_renditions_and_no_invented_body() -> None:
    article = one(PICTURE)
    assert article["type"] == "picture"
    assert "body" not in article
    assert article["caption"] == "A woman casts her ballot inside a polling station."
    assert [r["name"] for r in article["renditions"]] == ["rend:baseImage", "rend:thumbnail"]
    assert (
        article["renditions"][0] | {"sizeInBytes": 772617, "width": 3500}
        == article["renditions"][0]
    )
    for name in ("newsml-g2", "ninjs"):  # round trips through both syndication formats
        data = export(name, article).encode()
        importer = NewsMLG2Importer() if name == "newsml-g2" else NinjsImporter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (back,) = [r.data for r in importer.read(io.BytesIO(data), "x")]
        assert back is not None
        assert back["renditions"] == article["renditions"]
        assert back["caption"] == article["caption"]
        assert back["type"] == "picture"
    assert 'src="http://pictures.example/GM1E0001-BASEIMAGE"' in export("html", article)


@pytest.mark.corpus
def test_real_media_items_keep_their_media(real_corpus: Path) -> None:
    (picture,), _ = read(real_corpus / "newsml-g2/agencies/superdesk-core__picture.xml")
    assert picture["type"] == "picture" and "body" not in picture
    assert len(picture["renditions"]) >= 3 and picture["caption"].startswith("A woman casts")
    (image,), _ = read(real_corpus / "ninjs/newsinjson__3.0__ap_image.json")
    assert image["type"] == "picture" and image["renditions"]


# --- 4. bylines and creator ids ---------------------------------------------------------------


def test_the_byline_is_printed_and_a_login_is_never_a_name() -> None:
    article = one(DPA)
    assert article["byline"] == "Von Almut Kipp, dpa"
    assert "authors" not in article
    assert article["contributors"] == [{"id": "dpaeditor:winkhaus.uta", "role": "creator"}]
    page = export("html", article)
    assert "Von Almut Kipp, dpa" in page and "winkhaus" not in page
    assert "<by>Von Almut Kipp, dpa</by>" in export("newsml-g2", article)
    assert orjson.loads(export("ninjs", article))["by"] == "Von Almut Kipp, dpa"
    picture = one(PICTURE)
    assert picture["byline"] == "MARKO EXAMPLE"
    assert picture["contributors"] == [{"id": "X01390", "role": "creator"}]


# --- 5. repeated slugs ------------------------------------------------------------------------


def test_folders_are_unique_and_stable() -> None:
    folders = layout.Folders()
    first = folders.folder("borse-frankfurt", "urn:a")
    second = folders.folder("borse-frankfurt", "urn:b")
    assert first == "borse-frankfurt"
    assert second.startswith("borse-frankfurt-") and len(second) == len(first) + 9
    assert folders.folder("borse-frankfurt", "urn:b") == second  # the same id, the same folder
    again = layout.Folders([(first, "urn:a"), (second, "urn:b")])
    assert again.folder("borse-frankfurt", "urn:b") == second  # whatever the order next run
    assert layout.Folders().folder("borse-frankfurt", "urn:b") == "borse-frankfurt"


def _same_slug(tmp_path: Path, count: int) -> list[Path]:
    text = DPA.read_text(encoding="utf-8")
    paths = []
    for number in range(count):
        path = tmp_path / "in" / f"item{number}.xml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text.replace("170629-99-00001", f"170629-99-0000{number}"), "utf-8")
        paths.append(path)
    return paths


def test_convert_to_a_folder_keeps_every_article_of_a_reused_slug(
    run_wirekit: Any, tmp_path: Path
) -> None:
    inputs = _same_slug(tmp_path, 3)
    code, _, err = run_wirekit(
        "convert", *map(str, inputs), "--to", "ninjs", "-o", f"{tmp_path}/out/"
    )
    assert code == 0, err
    assert len(list((tmp_path / "out").iterdir())) == 3


def test_publish_keeps_every_article_of_a_reused_slug(run_wirekit: Any, tmp_path: Path) -> None:
    _same_slug(tmp_path, 3)
    code, _, err = run_wirekit("publish", str(tmp_path / "in"), "--out", str(tmp_path / "site"))
    assert code == 0, err
    folders = sorted(p.name for p in (tmp_path / "site" / "articles").iterdir())
    assert len(folders) == 3 and folders[0] == "borse-frankfurt"


# --- 6. teasers -------------------------------------------------------------------------------


def test_a_teaser_is_the_summary() -> None:
    assert one(DPA)["summary"] == "Der Dax hat am Donnerstag leicht zugelegt."


# --- 7. ninjs description roles, expires, altIds ---------------------------------------------


def test_ninjs_caption_and_credit_line_go_to_their_fields_and_the_rest_is_named() -> None:
    (article,), found = read(AP_IMAGE)
    assert article["caption"] == "Workers pick grapes in the valley on Wednesday."
    assert article["creditLine"] == "AP Photo/Jane Example"
    assert "summary" not in article and "body" not in article
    assert article["expires"] == "2024-10-04T10:00:00Z"
    assert any(m.endswith("not carried (no field in the model): altIds") for m in found)


@pytest.mark.corpus
def test_ap_image_caption_is_kept_and_the_credit_line_is_no_summary(real_corpus: Path) -> None:
    (article,), _ = read(real_corpus / "ninjs/newsinjson__3.0__ap_image.json")
    assert "caption" in article
    assert article.get("summary") != article.get("creditLine")
    assert "body" not in article


# --- 8. located -------------------------------------------------------------------------------


def test_located_without_a_dateline_is_the_dateline_place() -> None:
    assert one(DPA)["dateline"] == {"text": "Berlin", "place": {"name": "Berlin"}}


@pytest.mark.corpus
def test_superdesk_located_is_read(real_corpus: Path) -> None:
    (article,), _ = read(real_corpus / "newsml-g2/agencies/superdesk-core__text.xml")
    assert "Bangalore" in article["dateline"]["place"]["name"]


# --- 9. ISO country codes ---------------------------------------------------------------------


def test_a_country_subject_gets_its_iso_code() -> None:
    assert one(DPA)["about"] == [{"type": "place", "name": "Deutschland", "countryCode": "DE"}]


# --- 10. errors -------------------------------------------------------------------------------


def test_a_concept_item_holds_no_news_item_in_one_line(run_wirekit: Any) -> None:
    path = FIXTURES / "concept.xml"
    code, out, err = run_wirekit("convert", str(path), "--to", "json")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"wirekit: {path}: holds no news item: a conceptItem (one concept of a vocabulary)"
    ]


def test_an_item_error_names_its_file_once() -> None:
    broken = DPA.read_bytes().replace(b"itemMeta>", b"x>")
    with pytest.raises(InputError) as caught:
        list(NewsMLG2Importer().read(io.BytesIO(broken), "f.xml"))
    assert str(caught.value) == "f.xml: the item has no itemMeta"
    message = b"<newsMessage xmlns='http://iptc.org/std/nar/2006-10-01/'><itemSet>%s</itemSet>"
    wrapped = message % broken.split(b"?>", 1)[1] + b"</newsMessage>"
    (record,) = NewsMLG2Importer().read(io.BytesIO(wrapped), "f.xml")
    assert record.error is not None
    assert str(record.error.located("f.xml")).count("f.xml") == 1


# --- 11. times without an offset ---------------------------------------------------------------


def test_a_time_without_an_offset_is_read_in_the_providers_zone_and_says_so() -> None:
    (article,), found = read(DPA)
    assert article["dateCreated"] == "2017-06-29T13:50:00+02:00"  # summer time in Berlin
    assert any("read as Europe/Berlin time" in message for message in found)
    (article,), found = read(DPA, Config(zones={"dpa": "America/New_York"}))
    assert article["dateCreated"] == "2017-06-29T13:50:00-04:00"


@pytest.mark.corpus
def test_stt_local_times_are_finnish(real_corpus: Path) -> None:
    (article,), found = read(real_corpus / "newsml-g2/agencies/superdesk-core__stt1.xml")
    stamps = [article.get(k, "") for k in ("dateCreated", "dateModified", "datePublished")]
    assert any(s.endswith(("+02:00", "+03:00")) for s in stamps), stamps
    assert any("Europe/Helsinki" in message for message in found)


# --- the coverage report ----------------------------------------------------------------------


def test_convert_report_says_what_became_of_each_input_element(run_wirekit: Any) -> None:
    code, _, err = run_wirekit("convert", str(AP_IMAGE), "--to", "json", "--report")
    assert code == 0, err
    lines = err.splitlines()
    assert any("descriptions" in line and "mapped" in line for line in lines), err
    assert any("expires" in line and "mapped" in line for line in lines), err
    assert any("altIds" in line and "warned" in line for line in lines), err
    assert any("standard" in line and "ignored by rule" in line for line in lines), err
    code, out, err = run_wirekit("validate", str(DPA))
    assert code == 0, err
    assert "coverage: 20 mapped, 1 ignored by rule, 0 warned, 0 not carried" in out


def test_the_report_judges_a_file_by_the_format_the_conversion_read_it_as(
    run_wirekit: Any, tmp_path: Path
) -> None:
    """A NewsML-G2 item saved as ``.txt`` is plain text by its extension, and NewsML-G2 when
    ``--from`` says so: each time, the report names the format the conversion used and lists
    that format's elements, never what a sniff of its own would make of the file."""
    story = tmp_path / "story.txt"
    story.write_bytes(DPA.read_bytes())
    for forced, name, headline in (
        ((), "text", "<?xml"),
        (("--from", "newsml-g2"), "newsml-g2", "Dax schließt mit leichten Gewinnen"),
    ):
        code, out, err = run_wirekit("convert", str(story), *forced, "--to", "json", "--report")
        assert code == 0, err
        assert json.loads(out)["headline"].startswith(headline)  # what the conversion read
        report = [line for line in err.splitlines() if line.startswith(f"wirekit: {story}: ")]
        assert report[0] == f"wirekit: {story}: read as {name}"
        paths = {line.removeprefix(f"wirekit: {story}: ").split()[0] for line in report[1:]}
        assert ("itemMeta" in paths) is (name == "newsml-g2"), paths
        assert ("body" in paths) is (name == "text"), paths


@pytest.mark.corpus
def test_the_coverage_report_covers_every_agency_file(real_corpus: Path) -> None:
    """Every NewsML-G2 and ninjs file gets a report, and every element in it a known fate;
    what is not carried is counted there, so a loss is measured instead of hidden."""
    from wirekit import coverage

    files = sorted((real_corpus / "newsml-g2").rglob("*.xml"))
    files += sorted((real_corpus / "ninjs").glob("newsinjson__3.0__*.json"))
    reader = Reader(Config())
    for path in files:
        (importer,) = {result.importer for result in reader.read(path)}
        assert importer is not None, path
        lines = coverage.of_file(str(path), importer)
        assert lines, path
        assert any(line.status == coverage.MAPPED for line in lines), path
        assert {line.status for line in lines} <= {
            coverage.MAPPED,
            coverage.IGNORED,
            coverage.WARNED,
            coverage.NOT_CARRIED,
        }


def test_what_no_field_holds_is_named_in_one_warning_and_the_report_agrees() -> None:
    """Elements the model has no place for are named, each by the path the coverage report
    gives it, in one warning; the report calls them warned and nothing not carried."""
    from wirekit import coverage

    path = FIXTURES / "unmapped.xml"
    (article,), found = read(path)
    assert article["signals"] == ["update"]
    (warning,) = [message for message in found if "not carried" in message]
    lines = {line.path: line for line in coverage.of_file(str(path), NewsMLG2Importer())}
    warned = {p for p, line in lines.items() if line.status == coverage.WARNED}
    assert warned == {
        "itemMeta/link[irel:derivedFrom]",
        "itemMeta/link",
        "contentMeta/exclAudience",
        "contentMeta/altId",
        "contentMeta/rating",
        "contentMeta/description[descRole:moreInfo]",
    }
    assert all(p in warning for p in warned), warning
    assert "contentMeta/altId (2)" in warning
    assert lines["itemMeta/signal[edStat:U]"].status == coverage.IGNORED
    assert lines["itemMeta/signal[sig:update]"].status == coverage.MAPPED
    assert lines["itemMeta/link[irel:seeAlso]"].status == coverage.MAPPED
    assert not [p for p, line in lines.items() if line.status == coverage.NOT_CARRIED]


TESTS = Path(__file__).parent
COVERED = {
    "newsml-g2": FIXTURES / "unmapped.xml",
    "ninjs": AP_IMAGE,
    "nitf": TESTS / "fixtures" / "nitf" / "wire-3-2.xml",
    "anpa": TESTS / "fixtures" / "wire" / "anpa-1312.tst",
    "iptc7901": TESTS / "fixtures" / "wire" / "iptc7901-cp1252.txt",
    "feed": TESTS / "fixtures" / "feeds" / "rss2.xml",
    "jsonfeed": TESTS / "fixtures" / "feeds" / "feed.json",
    "jsonld": TESTS / "golden" / "html" / "2025-07-30-iran-venezuela-alliance.html",
    "text": TESTS.parent / "seeds" / "2025-07-30-iran-venezuela-alliance.txt",
}


@pytest.mark.parametrize("name", sorted(COVERED))
def test_every_importer_reports_coverage_and_warns_what_it_does_not_carry(name: str) -> None:
    """Each importer of agency and publisher input declares a coverage table: its report on a
    file of ours lists the file's elements, calls none of them not carried, and each one it
    calls warned is named, by that path, in a warning reading the file gave."""
    from wirekit import coverage

    path = COVERED[name]
    importer = registry.importer(name)()
    assert registry.importer_for(path.read_bytes()[:4096], str(path)) is type(importer)
    assert importer.coverage_table, name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert all(r.error is None for r in importer.read(io.BytesIO(path.read_bytes()), "f"))
    said = "\n".join(str(w.message) for w in caught)
    lines = coverage.of_file(str(path), importer)
    assert any(line.status == coverage.MAPPED for line in lines), name
    assert not [line.path for line in lines if line.status == coverage.NOT_CARRIED]
    unnamed = [
        line.path for line in lines if line.status == coverage.WARNED and line.path not in said
    ]
    assert not unnamed, (unnamed, said)
