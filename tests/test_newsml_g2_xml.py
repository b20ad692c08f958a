""":mod:`wirekit.xml`, which NewsML-G2 and the other XML formats share.

Reading: hostile XML (``tests/hostile/xml/``) is refused with one line, by the parser and
through the command line (exit code 1, exactly one line on stderr); nothing is read from the disk
or fetched from the network. Writing: whatever text the model allows comes back from a parser
exactly as it went into :class:`~wirekit.xml.Writer`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from tests.strategies import text
from wirekit import xml
from wirekit.errors import InputError
from wirekit.xml import Writer

HOSTILE = Path(__file__).parent / "hostile" / "xml"
FILES = sorted(HOSTILE.glob("*.xml"))
# what each sample is refused for
REASONS = {
    "billion-laughs.xml": "DOCTYPE",
    "deep-nesting.xml": "nested more than 256 levels",
    "doctype-newsitem.xml": "DOCTYPE",
    "doctype-newsitem-utf16.xml": "DOCTYPE",
    "external-dtd.xml": "DOCTYPE",
    "parameter-entity-oob.xml": "DOCTYPE",
    "quadratic-blowup.xml": "DOCTYPE",
    "xxe-local-file.xml": "DOCTYPE",
}


def test_every_sample_has_a_reason() -> None:
    assert sorted(p.name for p in FILES) == sorted(REASONS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_parser_refuses_it_in_one_line(path: Path) -> None:
    with pytest.raises(InputError) as caught:
        xml.parse(path.read_bytes())
    message = str(caught.value)
    assert REASONS[path.name] in message
    assert "\n" not in message and len(message) < 300
    assert "root:" not in message  # nothing of /etc/passwd


def test_the_hardened_parser_holds_even_without_the_doctype_check() -> None:
    """The second wall: what the byte scan might miss, the parser itself does not do."""
    root = etree.fromstring((HOSTILE / "xxe-local-file.xml").read_bytes(), xml.parser())
    assert "root:" not in "".join(root.itertext())
    for name in ("billion-laughs.xml", "quadratic-blowup.xml", "parameter-entity-oob.xml"):
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring((HOSTILE / name).read_bytes(), xml.parser())


def test_an_external_dtd_is_not_read(tmp_path: Path) -> None:
    """The external DTD sample, pointed at a DTD on disk that defines the entity it uses: a
    parser that loaded DTDs or substituted entities would put the DTD's text in the headline
    (libxml2 2.13+ has no HTTP client, so a DTD on disk is the case a careless parser still
    falls for)."""
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY remote "LEAKED FROM THE DTD">')
    data = (HOSTILE / "external-dtd.xml").read_bytes()
    data = data.replace(b"http://127.0.0.1:9/evil.dtd", dtd.as_uri().encode())
    with pytest.raises(InputError, match="DOCTYPE"):
        xml.parse(data)
    root = etree.fromstring(data, xml.parser())  # the bare parser, without the DOCTYPE check
    assert "LEAKED" not in "".join(root.itertext())
    careless = etree.XMLParser(load_dtd=True, resolve_entities=True)
    assert "LEAKED" in "".join(etree.fromstring(data, careless).itertext())  # the test can fail


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_cli_exits_1_with_one_line_and_no_traceback(run_wirekit: Any, path: Path) -> None:
    code, out, err = run_wirekit("convert", str(path), "--to", "json")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"wirekit: {path}: ")
    assert REASONS[path.name] in lines[0]
    assert "Traceback" not in err and "root:" not in err


# --- writing --------------------------------------------------------------------------------


@given(text(200), text(60))
def test_written_text_and_attributes_read_back_exactly(content: str, value: str) -> None:
    out = Writer()
    out.start("root", {"a": value, "b": "]]>&<\"'"})
    out.leaf("leaf", content, {"c": content})
    out.text(content)
    out.empty("empty", {"d": value})
    out.end("root")
    root = etree.fromstring(out.take(declaration=True), xml.parser())
    assert root.get("a") == value and root.get("b") == "]]>&<\"'"
    assert root[0].text == (content or None) and root[0].get("c") == content
    assert root[0].tail == (content or None)
    assert root[1].get("d") == value


def test_a_placeholder_is_filled_in_place() -> None:
    out = Writer()
    out.start("r")
    hole = out.placeholder()
    out.leaf("b", "2")
    out.fill(hole, "<a>1</a>")
    out.end("r")
    assert out.take() == b"<r><a>1</a><b>2</b></r>"
    assert out.take() == b"", "take forgets what it returned"


@given(st.text(st.sampled_from('<>&"\t\n\r x'), max_size=20))
def test_escaping_is_minimal_and_complete(value: str) -> None:
    escaped = xml.escape_attribute(value)
    assert not set(escaped) & set('<>"\t\n\r')
    assert etree.fromstring(f'<r a="{escaped}"/>'.encode()).get("a") == value
