"""wirekit.formats.ninjs.vocab, the pieces both ninjs directions share: the 2.x/3.x spelling table
(checked against IPTC's schemas), identifiers, concepts, and the body as HTML, both ways."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from wirekit.formats.html import blocks as html_blocks
from wirekit.formats.ninjs import vocab as ninjs
from wirekit.model import Block, Concept


def _property_names(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found.update(value)
            _property_names(value, found)
    elif isinstance(node, list):
        for value in node:
            _property_names(value, found)
    return found


def _names(specs: Path, version: str) -> set[str]:
    text = (specs / "ninjs" / f"ninjs-schema_{version}.json").read_text(encoding="utf-8")
    return _property_names(json.loads(text), set())


def test_the_spelling_table_matches_the_official_schemas(specs: Path) -> None:
    three, two = _names(specs, "3.1"), _names(specs, "2.2")
    # every 2.2 name is the respelling of a 3.1 name (bar a 2.x-only ticker symbol field)
    assert {name for name in two if ninjs.FROM_V2.get(name, name) not in three} == {"ticker"}
    # every 3.1 name that 2.2 also has is respelled to exactly that name
    shared = {name for name in three if name.lower() in two or name == "embargoedUntil"}
    assert {name: ninjs.TO_V2.get(name, name) for name in shared} == {
        name: "embargoed" if name == "embargoedUntil" else name.lower() for name in shared
    }


def test_respelling_leaves_geojson_and_values_alone() -> None:
    three = {
        "versionCreated": "x",
        "places": [{"geoJSON": {"type": "Point", "coordinates": [1, 2]}, "name": "pubStatus"}],
        "embargoedUntil": "y",
    }
    two = ninjs.to_v2(three)
    assert two == {
        "versioncreated": "x",
        "places": [{"geojson": {"type": "Point", "coordinates": [1, 2]}, "name": "pubStatus"}],
        "embargoed": "y",
    }
    assert ninjs.from_v2(two) == three
    assert ninjs.from_v2(three) == three  # harmless on 3.x


@pytest.mark.parametrize(
    ("document", "version"),
    [
        ({"standard": {"version": "3.0"}, "uri": "u"}, "3.0"),
        ({"standard": {"version": "2.1.1"}, "uri": "u"}, "2.1"),
        ({"uri": "u", "versioncreated": "x"}, "2.2"),
        ({"uri": "u", "bodies": [{"contenttype": "text/plain", "value": "v"}]}, "2.2"),
        ({"uri": "u", "versionCreated": "x"}, "3.1"),
        ({"uri": "u", "headlines": [{"value": "v"}]}, "3.1"),
        ({"uri": "u", "versioncreated": "x", "pubStatus": "usable"}, "3.1"),
    ],
)
def test_the_schema_version_comes_from_standard_else_from_the_spelling(
    document: dict[str, Any], version: str
) -> None:
    assert ninjs.schema_version(document) == version


@given(st.sampled_from(["author", "contributor"]), st.none() | strategies.line())
def test_credit_roles_read_back_exactly(kind: str, role: str | None) -> None:
    assert ninjs.parse_credit_role(ninjs.credit_role(kind, role)) == (kind, role)


def test_identifiers_prefer_wikidata_and_keep_geonames_as_a_literal() -> None:
    both, lost = ninjs.identify("Q5943", ["https://x.example/a"], "112931")
    assert both == {"uri": "http://www.wikidata.org/entity/Q5943", "literal": "geonames:112931"}
    assert lost
    assert ninjs.identified(both["uri"], both["literal"], places=True) == {
        "geonames": "112931",
        "wikidata": "Q5943",
    }
    assert ninjs.identify(None, ["https://x.example/a"]) == ({"uri": "https://x.example/a"}, False)
    assert ninjs.identify(None, ["a:1", "b:2"])[1]
    assert ninjs.identify(None, [], "1")[0] == {
        "uri": "http://sws.geonames.org/1",
        "literal": "geonames:1",
    }
    assert ninjs.identified("http://sws.geonames.org/1", None) == {
        "sameAs": ["http://sws.geonames.org/1"]
    }  # not a place: a GeoNames id means nothing there
    assert ninjs.identified("no uri at all", "geonames:1") == {}


def test_concepts_carry_their_qcode_and_gain_their_iptc_uri() -> None:
    concept = Concept(scheme="medtop", code="20000565", label="diplomacy")
    out = ninjs.concept_to_ninjs(concept)
    assert out == {
        "name": "diplomacy",
        "uri": "http://cv.iptc.org/newscodes/mediatopic/20000565",
        "literal": "medtop:20000565",
    }
    assert ninjs.concept_from_ninjs(out["name"], out["uri"], out["literal"]) == {
        "scheme": "medtop",
        "code": "20000565",
        "label": "diplomacy",
        "uri": "http://cv.iptc.org/newscodes/mediatopic/20000565",
    }
    assert ninjs.concept_to_ninjs(Concept(scheme="x", code="1")) == {"literal": "x:1"}
    assert ninjs.concept_from_ninjs(None, "http://tt.se/spec/sector/1.0/INR", None) == {
        "scheme": "ninjs",
        "code": "INR",
        "uri": "http://tt.se/spec/sector/1.0/INR",
    }
    assert ninjs.concept_from_ninjs(None, None, None) is None


def test_geojson_points_are_longitude_first() -> None:
    assert ninjs.geo_from_geojson({"type": "Point", "coordinates": [51.4, 35.7]}) == {
        "latitude": 35.7,
        "longitude": 51.4,
    }
    for other in (
        {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
        {"type": "Point", "coordinates": [1, 95]},
        {"type": "Point", "coordinates": [True, 1]},
        {"type": "Point", "coordinates": [1]},
    ):
        assert ninjs.geo_from_geojson(other) is None


# --- the body ------------------------------------------------------------------------------


def _normal(block: dict[str, Any]) -> dict[str, Any]:
    """HTML cannot say a level-2 heading, a bulleted list or a data cell out loud: those are
    the defaults."""
    out = {
        k: v
        for k, v in block.items()
        if not (k == "level" and v == 2) and not (k == "ordered" and v is False)
    }
    if "rows" in out:
        out["rows"] = [
            {"cells": [{k: v for k, v in c.items() if v is not False} for c in row["cells"]]}
            for row in out["rows"]
        ]
    return out


@given(st.lists(strategies.block, min_size=1, max_size=6))
def test_html_reads_back_exactly(blocks: list[dict[str, Any]]) -> None:
    markup = html_blocks.render_html(Block.from_dict(block) for block in blocks)  # type: ignore[misc]
    assert html_blocks.parse_html(markup) == [_normal(block) for block in blocks]


@pytest.mark.parametrize(
    ("markup", "blocks"),
    [
        ("<p>a</p> <p>b &amp; c</p>", [("paragraph", "a"), ("paragraph", "b & c")]),
        ("<section><p>one<p>two</section>", [("paragraph", "one"), ("paragraph", "two")]),
        ("<p>\n    wrapped\n    source\n</p>", [("paragraph", "wrapped source")]),
        ("<p>line<br>\n  next</p>", [("paragraph", "line\nnext")]),
        ("[ ... ]", [("paragraph", "[ ... ]")]),
        ("<div>loose   text <b>bold</b></div>", [("paragraph", "loose text bold")]),
        ("<h1>Top</h1><h4>Four</h4>", [("heading", "Top"), ("heading", "Four")]),
        ("<blockquote><p>one</p><p>two</p></blockquote>", [("blockquote", "one\ntwo")]),
        ("<ul><li>a<ul><li>b</li></ul>c</li><li>d</ul>", [("list", ["a", "b", "c", "d"])]),
        ("<ol><li>x<li>y</ol>", [("list", ["x", "y"])]),
        (
            "<html><head><title>T</title><style>p{}</style></head><body><script>x()</script>"
            "<p>kept</p><figure><img src=x><div>Credit/TT</div><figcaption>c</figcaption>"
            "</figure></body></html>",
            [("paragraph", "kept")],
        ),
        (
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
            [("paragraph", "<script>alert(1)</script>")],
        ),
        ("<p></p><p>\n</p><ul><li></li></ul>", []),
    ],
)
def test_other_producers_html_becomes_sensible_blocks(
    markup: str, blocks: list[tuple[str, Any]]
) -> None:
    found = html_blocks.parse_html(markup)
    assert [(b["type"], b.get("text", b.get("items"))) for b in found] == blocks


@pytest.mark.parametrize(
    "hostile",
    ["<a " * 100_000, '<a href="' * 50_000, "<!--" * 50_000, "<div>" * 100_000 + "x"],
    ids=["unterminated tags", "unterminated quotes", "unterminated comments", "deep nesting"],
)
def test_hostile_markup_is_parsed_in_linear_time(hostile: str) -> None:
    """The standard library's html.parser takes minutes on the first of these (Python < 3.13.4)."""
    started = time.perf_counter()
    html_blocks.parse_html(hostile)
    assert time.perf_counter() - started < 2


def test_levels_lists_and_attributions_survive() -> None:
    found = html_blocks.parse_html(
        "<h1>a</h1><h3>b</h3><ol><li>c</li></ol>"
        "<figure><blockquote>q</blockquote><figcaption>Who\n  said it</figcaption></figure>"
    )
    assert found == [
        {"type": "heading", "text": "a"},
        {"type": "heading", "text": "b", "level": 3},
        {"type": "list", "items": ["c"], "ordered": True},
        {"type": "blockquote", "text": "q", "attribution": "Who said it"},
    ]


def test_plain_text_bodies_split_on_blank_lines_else_on_lines() -> None:
    assert html_blocks.parse_plain("a\r\nb\n\n c \n") == [
        {"type": "paragraph", "text": "a\nb"},
        {"type": "paragraph", "text": "c"},
    ]
    assert html_blocks.parse_plain("one\ntwo\n") == [
        {"type": "paragraph", "text": "one"},
        {"type": "paragraph", "text": "two"},
    ]
