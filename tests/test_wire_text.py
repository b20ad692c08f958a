"""ANPA-1312 and IPTC 7901 wire text: framing, header, heading, dateline, end mark and charset,
on committed fixtures and on the agency files in ../shared/corpus/wire-text (read in place)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS as SHARED_CORPUS
from tests.test_nitf import note_texts
from wirekit import registry
from wirekit.config import Config
from wirekit.errors import InputError, InputWarning
from wirekit.formats.text.reader import TextImporter
from wirekit.formats.text.wire import ANPAImporter, IPTC7901Importer, decode_wire
from wirekit.sources import Reader

FIXTURES = Path(__file__).parent / "fixtures" / "wire"
CORPUS = SHARED_CORPUS / "wire-text"


def read(path: Path) -> tuple[dict[str, Any], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (result,) = Reader(Config()).read(path)
    assert result.error is None, str(result.error)
    assert result.data is not None
    return result.data, [str(w.message) for w in caught if w.category is InputWarning]


def test_anpa_1312_framing_header_heading_and_end_mark() -> None:
    data, warned = read(FIXTURES / "anpa-1312.tst")
    assert data["headline"] == "Harbour cranes stop in storm"
    assert data["slug"] == "bc-eu-harbour-cranes"
    assert data["urgency"] == 3  # priority u: urgent
    assert data["datePublished"] == "2025-07-30T09:15:00Z"
    assert note_texts(data) == ["Eds: Updates with port statement. With AP Photos."]
    assert data["authors"] == [
        {"name": "JANE DOE", "role": "Associated Press"},
        {"name": "JOHN ROE", "role": "Associated Press"},
    ]
    assert data["byline"] == "By JANE DOE and JOHN ROE"  # as printed
    assert data["dateline"] == {
        "text": "ROTTERDAM, Netherlands (AP) —",
        "place": {"name": "ROTTERDAM", "country": "Netherlands"},
        "date": "2025-07-30",
    }
    assert data["sourceAgency"] == {"name": "AP"}
    assert [b["text"] for b in data["body"]] == [
        "Winds of 110 km/h stopped every crane in the port on Wednesday, the port authority said.",
        "Ships waited at anchor — some for six hours.",  # ANPA's seven-bit dash
    ]
    assert data["extensions"]["wire"] == {
        "format": "ANPA-1312",
        "charset": "us-ascii",
        "service": "a",
        "sequence": "1234",
        "formatId": "brief",
        "priority": "u",
        "category": "i",
        "keyword": "BC-EU--Harbour-Cranes",
        "take": "1stLd-Writethru",
        "wordCount": 120,
        "keywordLine": "BC-EU--Harbour-Cranes, 1st Ld-Writethru,120",
        "endMark": "AP-WF-07-30-25 0915GMT",
    }
    assert warned == []


def test_iptc_7901_in_an_odd_charset_is_detected_and_reported() -> None:
    data, warned = read(FIXTURES / "iptc7901-cp1252.txt")
    assert warned == [
        f"{FIXTURES / 'iptc7901-cp1252.txt'}: charset: not UTF-8; read as windows-1252"
    ]
    assert data["extensions"]["wire"]["charset"] == "windows-1252"
    assert data["headline"] == "Hamburg port closes as storm hits northern Germany"
    assert data["keywords"] == ["Germany", "ports"]
    assert data["urgency"] == 3
    assert data["signals"] == ["update"]  # 1ST LEAD
    assert data["extensions"]["wire"]["marks"] == ["1ST LEAD"]
    assert data["authors"] == [{"name": "Jana Beispiel"}]
    assert data["dateline"]["text"] == "Hamburg (dpa) –"
    assert data["dateline"]["place"] == {"name": "Hamburg"}
    assert data["sourceAgency"] == {"name": "dpa"}
    assert (
        data["body"][1]["text"] == "“We have never seen this,” said a crane driver in Mühlenwerder."
    )
    assert data["datePublished"] == "2025-07-30T09:15:00Z"
    # the part for editors only is a note, never body text
    assert "not for publication" in "\n".join(note_texts(data))
    if "notes" in data:  # the model's notes carry their audience: staff contacts stay inside
        assert [note["audience"] for note in data["notes"]] == ["partner", "internal"]
        assert "Tel:" in data["notes"][1]["text"]
    assert all("Tel:" not in b["text"] for b in data["body"])
    assert data["extensions"]["wire"]["signOff"] == "dpa jb xy"


def test_charsets_in_order_of_likelihood() -> None:
    assert decode_wire(b"plain") == ("plain", "us-ascii")
    assert decode_wire("Mühle".encode()) == ("Mühle", "utf-8")
    assert decode_wire("Mühle – “x”".encode("cp1252")) == ("Mühle – “x”", "windows-1252")
    assert decode_wire(b"\x81\xfc") == ("\x81ü", "iso-8859-1")


def test_wire_text_is_recognised_among_text_files() -> None:
    anpa = (FIXTURES / "anpa-1312.tst").read_bytes()
    iptc = (FIXTURES / "iptc7901-cp1252.txt").read_bytes()
    assert registry.importer_for(iptc, "story.txt") is IPTC7901Importer
    assert registry.importer_for(anpa, "story.txt") is ANPAImporter
    assert registry.importer_for(b"headline Plain\n\nText.", "story.txt") is TextImporter


@pytest.mark.parametrize("importer", [ANPAImporter, IPTC7901Importer])
def test_text_without_framing_is_one_line(importer: type[ANPAImporter]) -> None:
    with pytest.raises(InputError) as caught:
        list(importer(Config()).read(io.BytesIO(b"no framing here"), "in.txt"))
    assert str(caught.value) == (
        "in.txt: no SOH ... STX framing: not ANPA-1312 or IPTC 7901 wire text"
    )


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*")))
def test_every_agency_wire_file_imports(name: str) -> None:
    data, warned = read(CORPUS / name)
    assert data["headline"]
    assert data["extensions"]["wire"]["format"] in ("ANPA-1312", "IPTC 7901")
    assert all("\n" not in w for w in warned)
    if name == "superdesk-core__dpa_four_line.txt":  # the odd-charset sample
        assert data["extensions"]["wire"]["charset"] == "windows-1252"


def test_text_outside_the_framing_is_named_and_reported(tmp_path: Path) -> None:
    """What lies after the end mark's line (or before SOH) is read by nothing: one warning
    names it, and the coverage report calls it warned, not mapped."""
    from wirekit import coverage

    path = tmp_path / "story.tst"
    path.write_bytes(
        (FIXTURES / "anpa-1312.tst").read_bytes() + b"\nSERVICE MESSAGE: resend 1234\n"
    )
    _, warned = read(path)
    assert any(
        "not carried (outside the framing read): text after the end mark" in w for w in warned
    )
    fates = {line.path: line.status for line in coverage.of_file(str(path), ANPAImporter())}
    assert fates == {
        "header": coverage.MAPPED,
        "text": coverage.MAPPED,
        "end mark": coverage.MAPPED,
        "text after the end mark": coverage.WARNED,
    }
