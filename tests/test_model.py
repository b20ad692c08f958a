"""The typed model mirrors the schema exactly, round-trips every valid article, and is immutable.

The schema is the only list of fields: for the article and for each object in ``$defs``, the
class in ``wirekit.model`` must have the same fields (``json_name`` maps snake_case to the
schema's camelCase) in the same order, the same required fields, and types of the same shape.
The classes are msgspec Structs; their fields are read with ``msgspec.structs.fields``.
"""

from __future__ import annotations

import inspect
import json
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Union

import msgspec
import pytest

from tests.conftest import seed_files
from tests.test_schema import DEFS, SCHEMA, SHOULD_PASS, load, ref_name
from wirekit import model
from wirekit.config import Config
from wirekit.model import (
    AnyBlock,
    Article,
    Block,
    BlockQuote,
    Heading,
    ListBlock,
    Node,
    Paragraph,
    json_name,
)
from wirekit.sources import Reader

# schema object -> the class that mirrors it; a new object definition must be added here
CLASSES: dict[str, type[Node]] = {
    "(article)": model.Article,
    "block": model.Block,
    "paragraph": model.Paragraph,
    "heading": model.Heading,
    "blockquote": model.BlockQuote,
    "list": model.ListBlock,
    "table": model.Table,
    "tableRow": model.TableRow,
    "tableCell": model.TableCell,
    "concept": model.Concept,
    "person": model.Person,
    "logo": model.Logo,
    "organization": model.Organization,
    "geo": model.Geo,
    "place": model.Place,
    "entity": model.Entity,
    "dateline": model.Dateline,
    "correction": model.Correction,
    "rights": model.Rights,
    "image": model.Image,
    "link": model.Link,
    "note": model.Note,
    "rendition": model.Rendition,
}
BLOCK_KINDS: list[str] = DEFS["block"]["properties"]["type"]["enum"]
OBJECTS = {"(article)": SCHEMA, **{n: d for n, d in DEFS.items() if d.get("type") == "object"}}
DATACLASSES = [name for name in OBJECTS if name != "block"]


def _fields(cls: Any) -> tuple[msgspec.structs.FieldInfo, ...]:
    return msgspec.structs.fields(cls)


def test_every_schema_object_has_a_class_and_every_class_an_object() -> None:
    assert sorted(OBJECTS) == sorted(CLASSES)
    defined = {
        cls
        for _, cls in inspect.getmembers(model, inspect.isclass)
        if issubclass(cls, Node) and cls is not Node and cls.__module__ == model.__name__
    }
    assert defined == set(CLASSES.values())


@pytest.mark.parametrize("name", DATACLASSES)
def test_class_fields_are_the_schema_properties_in_schema_order(name: str) -> None:
    definition, cls = OBJECTS[name], CLASSES[name]
    properties = list(definition["properties"])
    if issubclass(cls, Block):
        # a block's `type` is the class itself: the class attribute `kind`, not a field
        assert properties[0] == "type"
        assert cls.kind == definition["properties"]["type"]["const"]
        assert "kind" not in {f.name for f in _fields(cls)}
        properties = properties[1:]
    fields = [json_name(f.name) for f in _fields(cls)]
    assert fields == properties


@pytest.mark.parametrize("name", DATACLASSES)
def test_required_fields_are_exactly_those_without_defaults(name: str) -> None:
    definition, cls = OBJECTS[name], CLASSES[name]
    required = set(definition.get("required", [])) - ({"type"} if issubclass(cls, Block) else set())
    no_default = {json_name(f.name) for f in _fields(cls) if f.required}
    assert no_default == required
    for f in _fields(cls):
        if json_name(f.name) not in required:
            # absent is () for arrays (never empty in the schema) and None for the rest
            is_array = typing.get_origin(typing.get_type_hints(cls)[f.name]) is tuple
            assert f.default == (() if is_array else None), f.name


def _schema_shape(node: Mapping[str, Any]) -> Any:
    name = ref_name(node)
    if name == "block":
        return ("union", frozenset(("node", CLASSES[kind].__name__) for kind in BLOCK_KINDS))
    if name is not None:
        target = DEFS[name]
        if target.get("type") == "object":
            return ("node", CLASSES[name].__name__)
        return _schema_shape(target)
    if "enum" in node:
        return ("enum", frozenset(node["enum"]))
    if "allOf" in node:  # a definition narrowed by a constraint: the definition's shape
        return _schema_shape(node["allOf"][0])
    if "anyOf" in node:
        shapes = {_schema_shape(member) for member in node["anyOf"]}
        assert len(shapes) == 1, node
        return shapes.pop()
    kind = node["type"]
    if kind == "array":
        return ("array", _schema_shape(node["items"]))
    if kind == "object":
        return ("object",)
    python = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}[kind]
    return ("scalar", python)


def _hint_shape(hint: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if inner == [int, float]:  # a JSON number, kept as written (3 stays 3)
            return ("scalar", "float")
        if len(inner) == 1:
            return _hint_shape(inner[0])
        return ("union", frozenset(_hint_shape(a) for a in inner))
    if origin is tuple:
        assert len(args) == 2 and args[1] is Ellipsis, hint
        return ("array", _hint_shape(args[0]))
    if origin is Literal:
        return ("enum", frozenset(args))
    if origin in (Mapping, dict):
        return ("object",)
    if isinstance(hint, type) and issubclass(hint, Node):
        return ("node", hint.__name__)
    return ("scalar", hint.__name__)


@pytest.mark.parametrize("name", DATACLASSES)
def test_field_types_have_the_schema_shape(name: str) -> None:
    definition, cls = OBJECTS[name], CLASSES[name]
    hints = typing.get_type_hints(cls)
    for f in _fields(cls):
        expected = _schema_shape(definition["properties"][json_name(f.name)])
        assert _hint_shape(hints[f.name]) == expected, f"{cls.__name__}.{f.name}"


def test_block_kinds_match_the_schema_branches() -> None:
    block = DEFS["block"]
    assert list(block["properties"]) == ["type"]
    classes = {cls.kind: cls for cls in typing.get_args(AnyBlock)}
    assert set(classes) == set(BLOCK_KINDS)
    for branch in block["allOf"]:
        kind = branch["if"]["properties"]["type"]["const"]
        target = ref_name(branch["then"])
        assert target is not None
        assert classes[kind] is CLASSES[target]
    assert sorted(b["if"]["properties"]["type"]["const"] for b in block["allOf"]) == sorted(
        BLOCK_KINDS
    )


def test_json_name_is_camel_case() -> None:
    assert json_name("id") == "id"
    assert json_name("date_published") == "datePublished"
    assert json_name("is_accessible_for_free") == "isAccessibleForFree"
    assert json_name("same_as") == "sameAs"


# --- round trips ---------------------------------------------------------------------------


def _seed_dicts() -> list[Any]:
    """The canonical dict of every seed as its importer produces it, before the model."""
    reader = Reader(_repo_config())
    cases = []
    for path in seed_files():
        with path.open("rb") as stream:
            importer = reader.importer_for(stream.peek(4096), str(path))
            for record in importer.read(stream, str(path)):
                cases.append(pytest.param(record.data, id=path.name))
    return cases


def _repo_config() -> Config:
    from wirekit.config import load as load_config

    return load_config(Path(__file__).resolve().parent.parent / "wirekit.toml")


@pytest.mark.parametrize("data", _seed_dicts())
def test_seed_round_trips_through_the_model(data: dict[str, Any]) -> None:
    article = Article.from_dict(data)
    assert article.to_dict() == data
    assert Article.from_dict(article.to_dict()) == article


@pytest.mark.parametrize("path", SHOULD_PASS, ids=lambda p: p.name)
def test_valid_corpus_document_round_trips_through_the_model(path: Path) -> None:
    data = load(path)
    assert Article.from_dict(data).to_dict() == data


def test_to_dict_writes_keys_in_schema_order_and_leaves_absent_values_out() -> None:
    data = load(Path(__file__).parent / "schema_corpus" / "should_pass" / "every-field.json")
    shuffled = dict(reversed(list(data.items())))
    out = Article.from_dict(shuffled).to_dict()
    assert list(out) == [k for k in SCHEMA["properties"] if k in data]
    minimal = Article(
        id="urn:x:1", version=1, headline="H", language="en", body=(Paragraph(text="t"),)
    )
    assert minimal.to_dict() == {
        "id": "urn:x:1",
        "version": 1,
        "headline": "H",
        "language": "en",
        "body": [{"type": "paragraph", "text": "t"}],
    }


def test_from_dict_refuses_unknown_fields() -> None:
    with pytest.raises(ValueError, match="html"):
        Article.from_dict(
            {
                "id": "urn:x:1",
                "version": 1,
                "headline": "H",
                "language": "en",
                "body": [{"type": "paragraph", "text": "t"}],
                "html": "<p>",
            }
        )


def test_blocks_become_their_classes() -> None:
    data = load(Path(__file__).parent / "schema_corpus" / "should_pass" / "every-block-kind.json")
    body = Article.from_dict(data).body
    assert [type(b) for b in body] == [
        Paragraph,
        Heading,
        Heading,
        Heading,
        BlockQuote,
        BlockQuote,
        ListBlock,
        ListBlock,
        ListBlock,
    ]
    assert body[1].to_dict() == {"type": "heading", "text": "Section, level absent"}
    assert isinstance(body[8], ListBlock) and body[8].items == ("first", "second")


# --- immutability --------------------------------------------------------------------------


@pytest.fixture()
def article() -> Article:
    return Article.from_dict(
        load(Path(__file__).parent / "schema_corpus" / "should_pass" / "every-field.json")
    )


def test_article_is_immutable(article: Article) -> None:
    with pytest.raises(AttributeError):
        article.headline = "Changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del article.headline
    with pytest.raises((AttributeError, TypeError)):
        article.not_a_field = 1  # type: ignore[attr-defined]
    assert article.dateline is not None
    with pytest.raises(AttributeError):
        article.dateline.text = "Changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        article.body[0].text = "Changed"  # type: ignore[misc,union-attr]
    for name in ("body", "authors", "keywords", "images", "signals", "subjects"):
        assert isinstance(getattr(article, name), tuple), name
    assert isinstance(article.authors[0].same_as, tuple)
    assert hash(article) == hash(Article.from_dict(article.to_dict()))


def test_extensions_cannot_be_changed_through_the_input_or_the_output() -> None:
    data = load(Path(__file__).parent / "schema_corpus" / "should_pass" / "extensions.json")
    before = json.dumps(data["extensions"], sort_keys=True)
    article = Article.from_dict(data)
    data["extensions"]["a"]["smuggled"] = 1
    article.to_dict()["extensions"]["photo-desk"]["nested"] = None
    assert json.dumps(article.to_dict()["extensions"], sort_keys=True) == before


# --- helper properties ---------------------------------------------------------------------


def _article(**fields: Any) -> Article:
    base: dict[str, Any] = {
        "id": "urn:x:1",
        "version": 1,
        "headline": "H",
        "language": "en",
        "body": (Paragraph(text="t"),),
    }
    return Article(**(base | fields))


def test_status_defaults_to_usable() -> None:
    assert _article().status == "usable"
    assert _article(pub_status="usable").status == "usable"
    assert _article(pub_status="withheld").status == "withheld"
    assert _article(pub_status="canceled").status == "canceled"


def test_text_and_word_count() -> None:
    article = _article(
        body=(
            Paragraph(text="The council  voted."),
            Heading(level=3, text="What next"),
            BlockQuote(text="We are ready.", attribution="The mayor"),
            BlockQuote(text="No attribution."),
            ListBlock(ordered=True, items=("first item", "second\titem")),
        )
    )
    assert article.text == (
        "The council  voted.\n\nWhat next\n\nWe are ready.\nThe mayor\n\nNo attribution."
        "\n\nfirst item\nsecond\titem"
    )
    assert article.word_count == 3 + 2 + 3 + 2 + 2 + 4
    # a zero-width non-joiner joins the parts of a Persian word; it is not white space
    assert _article(body=(Paragraph(text="سه\u200cشنبه تعطیل"),)).word_count == 2


def test_newest_date_is_the_latest_instant_and_modified_wins_a_tie() -> None:
    created, published, modified = (
        "2025-07-30T08:00:00+03:30",  # 04:30 UTC
        "2025-07-30",  # a date alone: 00:00 UTC
        "2025-07-30T12:00:00Z",
    )
    assert _article().newest_date is None
    assert _article(date_created=created).newest_date == created
    assert _article(date_created=created, date_published=published).newest_date == created
    full = _article(date_created=created, date_published=published, date_modified=modified)
    assert full.newest_date == modified
    embargoed = _article(
        date_published="2025-09-18T06:00:00Z", date_modified="2025-09-17T18:00:00Z"
    )
    assert embargoed.newest_date == "2025-09-18T06:00:00Z"
    tie = _article(date_published="2025-07-30T12:00:00+00:00", date_modified=modified)
    assert tie.newest_date == modified


def test_whole_number_floats_become_integers() -> None:
    data = {**_article().to_dict(), "version": 3.0, "urgency": 2.0}
    article = Article.from_dict(data)
    assert article.version == 3 and type(article.version) is int
    assert type(article.urgency) is int
