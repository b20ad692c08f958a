"""Table cells as every reader of (X)HTML tables reads them (HTML bodies of feeds, ninjs and
JSON-LD; NewsML-G2 XHTML; NITF): blocks inside a cell stay apart, and a table nested in a cell
belongs to that cell, not to the outer table, whose rows would otherwise hold it twice."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from wirekit.config import Config
from wirekit.errors import LossyConversionWarning
from wirekit.formats.html.blocks import parse_html
from wirekit.sources import Reader

CELLS = (
    "<tr><th>Place</th><th>Note</th></tr>"
    "<tr><td><p>Pier 1</p><p>north</p></td><td>calm<div>after noon</div></td></tr>"
    "<tr><td>Pier 2</td><td>gusts<table><tr><td>110</td><td>km/h</td></tr></table></td></tr>"
)
ROWS = [
    {"cells": [{"text": "Place", "header": True}, {"text": "Note", "header": True}]},
    {"cells": [{"text": "Pier 1\nnorth"}, {"text": "calm\nafter noon"}]},
    {"cells": [{"text": "Pier 2"}, {"text": "gusts\n110\nkm/h"}]},
]
NESTED = "a table inside a table cell is read as lines of that cell"

G2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:test:cells" version="1"
  standard="NewsML-G2" standardversion="2.35" conformance="power">
 <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>
 <itemMeta><itemClass qcode="ninat:text"/><provider literal="test"/>
  <versionCreated>2025-08-12T09:00:00Z</versionCreated></itemMeta>
 <contentMeta><language tag="en"/><headline>Cells</headline></contentMeta>
 <contentSet><inlineXML contenttype="application/xhtml+xml">
  <html xmlns="http://www.w3.org/1999/xhtml"><head><title>Cells</title></head>
  <body><table>{CELLS}</table></body></html>
 </inlineXML></contentSet>
</newsItem>
"""

NITF = f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf version="-//IPTC//DTD NITF 3.6//EN">
 <head><title>Cells</title><docdata><doc-id id-string="cells-1"/>
  <date.issue norm="20250812T090000Z"/></docdata></head>
 <body><body.head><hedline><hl1>Cells</hl1></hedline></body.head>
  <body.content><table>{CELLS.replace("<div>", "<p>").replace("</div>", "</p>")}</table>
  </body.content></body>
</nitf>
"""


def _body(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (result,) = Reader(Config()).read(path)
    assert result.error is None and result.data is not None, str(result.error)
    lossy = [str(w.message) for w in caught if w.category is LossyConversionWarning]
    return result.data["body"], lossy


def test_html_cells() -> None:
    with pytest.warns(LossyConversionWarning, match=NESTED):
        (table,) = parse_html(f"<table>{CELLS}</table>")
    assert table["rows"] == ROWS


@pytest.mark.parametrize(("name", "document"), [("item.xml", G2), ("story.nitf", NITF)])
def test_xml_cells(tmp_path: Path, name: str, document: str) -> None:
    path = tmp_path / name
    path.write_text(document, encoding="utf-8")
    body, lossy = _body(path)
    assert [block["rows"] for block in body if block["type"] == "table"] == [ROWS]
    assert sum(NESTED in message for message in lossy) == 1


def test_a_cell_without_blocks_reads_as_before() -> None:
    """Inline markup and ``<br>`` inside a cell keep their meaning: one line, a break."""
    (table,) = parse_html("<table><tr><td>wind <b>110</b><br>rain 40</td></tr></table>")
    assert table["rows"] == [{"cells": [{"text": "wind 110\nrain 40"}]}]
