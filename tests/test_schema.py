"""The canonical JSON Schema: a well-formed draft 2020-12 schema, documented on every property, and
enforced identically by the fast validator (jsonschema-rs) and the reference one (jsonschema).

The corpus in ``schema_corpus/`` is laid out like IPTC's test suites: ``should_pass/`` documents
must be valid, ``should_fail/`` documents invalid, each with exactly the JSON pointers named in
``should_fail/expected.json``, and both validators must agree on every one.

The schema walkers at the top (``properties``, ``property_paths``...) are shared with the seed,
model and exporter tests, which need the same view of the schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from wirekit import schema as wschema
from wirekit.errors import ValidationError

SCHEMA: Mapping[str, Any] = wschema.schema()
DEFS: Mapping[str, Mapping[str, Any]] = SCHEMA["$defs"]
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

CORPUS = Path(__file__).parent / "schema_corpus"
MANIFEST = CORPUS / "should_fail" / "expected.json"
SHOULD_PASS = sorted((CORPUS / "should_pass").glob("*.json"))
SHOULD_FAIL = sorted(p for p in (CORPUS / "should_fail").glob("*.json") if p != MANIFEST)

# Documents on which jsonschema-rs and jsonschema give different verdicts today. Each one is a
# real defect (in the reference validator's regex dialect or in the schema), kept in the corpus
# and marked as an expected failure: `strict` turns the mark into a failure the day it is fixed,
# so the entry has to be removed then.
_PYTHON_DOLLAR = (
    "jsonschema runs `pattern` with Python's re.search, where `$` also matches before a final "
    "newline; ECMA-262 (which JSON Schema specifies, and jsonschema-rs follows) does not. So the "
    "reference validator accepts a trailing LF in every `^...$` pattern (line, slug, dateTime, "
    "webUrl, iri, languageTag, wikidataId, countryCode ...) and jsonschema-rs rejects it"
)
KNOWN_DISAGREEMENTS: dict[str, str] = {}
"""Corpus files the two validators judge differently, with the reason: none today. The corpus
keeps the cases that once disagreed (a trailing newline against Python's ``$``; ``\\s`` in
concept codes, whose meaning differs between ECMA-262 and Python)."""


# --- walking the schema --------------------------------------------------------------------

_ANY = object()


def ref_name(node: Mapping[str, Any]) -> str | None:
    """The ``$defs`` name a node refers to, if it has a ``$ref``."""
    ref = node.get("$ref")
    if ref is None:
        return None
    assert ref.startswith("#/$defs/"), f"only local $defs references are expected: {ref}"
    return str(ref.removeprefix("#/$defs/"))


def _if_matches(condition: Mapping[str, Any], value: Any) -> bool:
    """Whether ``value`` satisfies an ``if`` of the one form the schema uses: required keys
    whose values are consts."""
    unsupported = set(condition) - {"properties", "required"}
    assert not unsupported, f"the schema walker does not understand if: {condition}"
    if not isinstance(value, Mapping) or not set(condition.get("required", ())) <= set(value):
        return False
    for key, test in condition["properties"].items():
        assert set(test) == {"const"}, f"the schema walker does not understand if: {condition}"
        if value.get(key) != test["const"]:
            return False
    return True


def subschemas(node: Mapping[str, Any], value: Any = _ANY) -> Iterator[Mapping[str, Any]]:
    """``node`` and every schema combined with it: ``$ref`` targets, ``allOf``/``anyOf``/``oneOf``
    members, and the ``then`` branches whose ``if`` holds for ``value`` (all of them when no value
    is given), breadth first, each once."""
    queue = [node]
    seen: set[int] = set()
    while queue:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        name = ref_name(current)
        if name is not None:
            queue.append(DEFS[name])
        for keyword in ("allOf", "anyOf", "oneOf"):
            queue.extend(current.get(keyword, []))
        if "then" in current and (value is _ANY or _if_matches(current["if"], value)):
            queue.append(current["then"])


def properties(node: Mapping[str, Any], value: Any = _ANY) -> dict[str, Mapping[str, Any]]:
    """Every property a node allows (for ``value``, when given), in schema order."""
    merged: dict[str, Mapping[str, Any]] = {}
    for sub in subschemas(node, value):
        for name, child in sub.get("properties", {}).items():
            merged.setdefault(name, child)
    return merged


def items_schema(node: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return next((s["items"] for s in subschemas(node) if isinstance(s.get("items"), dict)), None)


def additional_schema(node: Mapping[str, Any]) -> Mapping[str, Any] | None:
    extra = (s.get("additionalProperties") for s in subschemas(node))
    return next((s for s in extra if isinstance(s, dict)), None)


def property_paths(node: Mapping[str, Any] = SCHEMA, prefix: str = "", depth: int = 0) -> list[str]:
    """Every property path the schema allows, ``*`` standing for any array index or any key of
    an open object: ``/authors/*/sameAs``, ``/body/*/attribution``, ``/extensions/*``..."""
    assert depth < 20, f"the schema nests too deep at {prefix}: a recursive $ref?"
    paths: list[str] = []
    for name, child in properties(node).items():
        path = f"{prefix}/{name}"
        paths.append(path)
        paths.extend(property_paths(child, path, depth + 1))
    items = items_schema(node)
    if items is not None:
        paths.extend(property_paths(items, f"{prefix}/*", depth + 1))
    extra = additional_schema(node)
    if extra is not None:
        paths.append(f"{prefix}/*")
        paths.extend(property_paths(extra, f"{prefix}/*", depth + 1))
    return list(dict.fromkeys(paths))


def all_property_schemas() -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(owner, property name, property schema) for every ``properties`` entry in the file, but
    those of ``if`` conditions, which test values rather than declare properties."""

    def walk(owner: str, node: Any) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        if isinstance(node, dict):
            for name, child in node.get("properties", {}).items():
                yield owner, name, child
            for key, child in node.items():
                if key not in ("properties", "if"):
                    yield from walk(owner, child)
                else:
                    for child_schema in child.values():
                        yield from walk(owner, child_schema)
        elif isinstance(node, list):
            for child in node:
                yield from walk(owner, child)

    root = {key: value for key, value in SCHEMA.items() if key != "$defs"}
    yield from walk("(article)", root)
    for name, definition in DEFS.items():
        yield from walk(f"$defs/{name}", definition)


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value an RFC 6901 pointer names in ``document``; KeyError or IndexError if none."""
    value = document
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the schema itself ---------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    import jsonschema
    import jsonschema_rs

    assert SCHEMA["$schema"] == DRAFT_2020_12
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert jsonschema_rs.meta.is_valid(dict(SCHEMA))
    assert jsonschema.validators.validator_for(SCHEMA) is jsonschema.Draft202012Validator


def test_every_reference_resolves_and_every_definition_is_used() -> None:
    text = wschema.schema_text()
    used = set(re.findall(r'"\$ref":\s*"#/\$defs/([^"]+)"', text))
    refs = set(re.findall(r'"\$ref":\s*"([^"]+)"', text))
    assert all(ref.startswith("#/$defs/") for ref in refs), f"non-local $ref: {sorted(refs)}"
    assert used <= set(DEFS), f"$ref to missing definitions: {sorted(used - set(DEFS))}"
    assert set(DEFS) <= used, f"definitions nothing refers to: {sorted(set(DEFS) - used)}"


def test_schema_id_carries_the_model_version() -> None:
    version = wschema.model_version()
    assert re.fullmatch(r"[0-9]+\.[0-9]+", version), version
    assert f"/article/{version}/" in SCHEMA["$id"]
    assert SCHEMA["$id"].startswith("https://")
    assert version in SCHEMA["title"]


def test_every_property_at_every_level_has_a_description() -> None:
    undocumented = [
        f"{owner}/properties/{name}"
        for owner, name, child in all_property_schemas()
        if "description" not in child
        and not (ref_name(child) and "description" in DEFS[ref_name(child) or ""])
    ]
    assert undocumented == [], f"properties without a description: {undocumented}"


def test_every_definition_has_a_description() -> None:
    assert "description" in SCHEMA
    assert [name for name, d in DEFS.items() if "description" not in d] == []


def test_the_schema_closes_every_object() -> None:
    """Unknown properties are rejected everywhere but in the one extension object."""
    open_objects = []
    for name, node in [("(article)", SCHEMA), *DEFS.items()]:
        if node.get("type") == "object" and node.get("additionalProperties") is not False:
            open_objects.append(name)
    # `block` is closed by its if/then branches, each of which is closed itself
    assert open_objects == ["block"]
    assert properties(SCHEMA)["extensions"]["additionalProperties"] == {"type": "object"}


def test_property_paths_walks_refs_and_branches() -> None:
    paths = property_paths()
    for expected in (
        "/id",
        "/authors/*/sameAs",
        "/body/*/attribution",
        "/body/*/ordered",
        "/rights/copyrightHolder/logo/width",
        "/dateline/place/geo/latitude",
        "/extensions/*",
    ):
        assert expected in paths
    assert len(paths) == len(set(paths))


# --- the corpus ----------------------------------------------------------------------------


def test_corpus_is_big_enough() -> None:
    assert len(SHOULD_PASS) >= 12
    assert len(SHOULD_FAIL) >= 25


def test_manifest_names_every_failing_file_and_only_those() -> None:
    manifest = load(MANIFEST)
    assert sorted(manifest) == [p.name for p in SHOULD_FAIL]
    for name, pointers in manifest.items():
        assert pointers, f"{name}: names no pointer"
        assert all(p == "" or p.startswith("/") for p in pointers), name
        assert pointers == sorted(set(pointers)), f"{name}: list pointers sorted, once each"
    assert set(KNOWN_DISAGREEMENTS) <= set(manifest)


@pytest.mark.parametrize("path", SHOULD_FAIL, ids=lambda p: p.name)
def test_manifest_pointers_exist_in_their_document(path: Path) -> None:
    document = load(path)
    for pointer in load(MANIFEST)[path.name]:
        try:
            resolve_pointer(document, pointer)
        except (KeyError, IndexError, TypeError, ValueError):
            pytest.fail(f"{path.name}: {pointer!r} points at nothing in the document")


@pytest.mark.parametrize("path", SHOULD_PASS, ids=lambda p: p.name)
def test_should_pass_documents_are_valid_for_both_validators(path: Path) -> None:
    document = load(path)
    assert wschema.problems(document) == [], "jsonschema-rs rejects it"
    assert wschema.reference_problems(document) == [], "jsonschema rejects it"


def _should_fail_cases() -> list[Any]:
    cases = []
    for path in SHOULD_FAIL:
        reason = KNOWN_DISAGREEMENTS.get(path.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(path, id=path.name, marks=marks))
    return cases


@pytest.mark.parametrize("path", _should_fail_cases())
def test_should_fail_documents_fail_both_validators_at_the_expected_pointers(path: Path) -> None:
    document = load(path)
    expected = set(load(MANIFEST)[path.name])
    fast = {p.pointer for p in wschema.problems(document)}
    reference = {p.pointer for p in wschema.reference_problems(document)}
    assert fast, "jsonschema-rs accepts it"
    assert reference, "jsonschema accepts it"
    assert fast == reference, f"the validators disagree: rs {sorted(fast)}, ref {sorted(reference)}"
    assert fast == expected


def test_problems_come_sorted_by_pointer() -> None:
    document = load(CORPUS / "should_fail" / "empty-arrays.json")
    for found in (wschema.problems(document), wschema.reference_problems(document)):
        pointers = [p.pointer for p in found]
        assert pointers == sorted(pointers)
        assert len(set(pointers)) == 6


def test_validate_raises_with_every_problem_at_once() -> None:
    document = load(CORPUS / "should_fail" / "empty-arrays.json")
    with pytest.raises(ValidationError) as caught:
        wschema.validate(document, source="corpus.json")
    assert caught.value.problems == tuple(wschema.problems(document))
    assert str(caught.value).startswith("corpus.json: ")
    wschema.validate(load(CORPUS / "should_pass" / "minimal.json"))


# --- messages ------------------------------------------------------------------------------

_HUMAN = [
    pytest.param("headline", "Council\rapproves", "U+000D", id="CR in a line"),
    pytest.param("headline", "Council\x07approves", "U+0007", id="BEL in a line"),
    pytest.param("summary", "Escape \x1b[31m", "U+001B", id="ESC in a text"),
    pytest.param("summary", "tab\tallowed but not \x01", "U+0001", id="SOH after an allowed tab"),
    pytest.param("summary", "non-character \uffff", "U+FFFF", id="U+FFFF in a text"),
    pytest.param("headline", "non-character \ufffe", "U+FFFE", id="U+FFFE in a line"),
    pytest.param(
        "headline",
        "Council\tapproves",
        "U+0009",
        id="tab in a line",
    ),
    pytest.param(
        "headline",
        "Council\napproves",
        "U+000A",
        id="LF in a line",
    ),
]


@pytest.mark.parametrize("validator", [wschema.problems, wschema.reference_problems])
@pytest.mark.parametrize(("field", "value", "code"), _HUMAN)
def test_control_character_messages_are_human(
    validator: Any, field: str, value: str, code: str
) -> None:
    document = load(CORPUS / "should_pass" / "minimal.json") | {field: value}
    found = validator(document)
    assert [p.pointer for p in found] == [f"/{field}"]
    message = found[0].message
    assert code in message, message
    assert "does not match" not in message and "\\u" not in message, message
