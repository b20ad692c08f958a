"""The canonical JSON Schema, compiled once per process, and the problems it finds.

Two validators implement the same schema. ``jsonschema-rs`` (Rust) is the one wirekit runs: it
checks a 4 KB article in microseconds, which matters when an archive holds millions of them.
``jsonschema`` (the Python reference implementation) is kept for the tests, which feed both the same
should-pass / should-fail corpus and require the same verdicts. Valid input takes the fast path
(``is_valid``); only an invalid article pays for collecting every error with its JSON pointer.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from wirekit.errors import Problem, ValidationError

SCHEMA_FILE = "article.schema.json"


@functools.cache
def schema_text() -> str:
    """The schema as shipped: inside the wheel (``wirekit/article.schema.json``) or, in a source
    checkout, in ``schemas/`` beside the package."""
    packaged = resources.files("wirekit").joinpath(SCHEMA_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).parent.parent / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")


@functools.cache
def schema() -> dict[str, Any]:
    """The parsed schema. Treat it as read-only: it is shared."""
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


def model_version() -> str:
    """The model version the schema's ``$id`` carries (``.../article/1.0/...`` -> ``1.0``)."""
    match = re.search(r"/article/([0-9][0-9.]*)/", schema()["$id"])
    assert match, "the schema $id must carry the model version"
    return match.group(1)


@functools.cache
def _fast_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema(), validate_formats=True)


def readable(text: str) -> bool:
    """Whether ``text`` has something to read in it, as the schema asks of a headline: an
    importer treats a headline of white space alone as no headline, and falls back as it would
    for a missing one, instead of failing the article on it."""
    return _ecma(schema()["$defs"]["headline"]["pattern"]).search(text) is not None


@functools.cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """A JSON Schema (ECMA-262) pattern for Python's ``re``: a final ``$`` means the end of the
    string there, while in Python it also matches before a final newline."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _ecma_pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[Any]:
    import jsonschema

    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def reference_validator() -> Any:
    """The ``jsonschema`` reference validator, formats asserted as in the fast one, and
    patterns anchored as JSON Schema anchors them."""
    import jsonschema

    base = jsonschema.Draft202012Validator
    cls = jsonschema.validators.extend(base, {"pattern": _ecma_pattern})
    return cls(schema(), format_checker=base.FORMAT_CHECKER)


def pointer(path: Iterable[str | int]) -> str:
    """An RFC 6901 JSON pointer for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@functools.cache
def _pattern_phrases() -> dict[str, str]:
    """Each pattern in the schema -> the description of what it accepts, to say in words."""
    phrases: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str) and "description" in node:
                text = node["description"].split(". ")[0].rstrip(".")
                phrases[node["pattern"]] = text[:1].lower() + text[1:]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema())
    return phrases


def _message(instance: Any, pattern: str | None, fallback: str) -> str:
    """Say what is wrong with a string that failed one of the schema's patterns in words an
    editor understands, instead of quoting the regular expression."""
    if isinstance(instance, str):
        single_line = pattern == schema()["$defs"]["line"]["pattern"]
        bad = (_LINE_CONTROL if single_line else _CONTROL).search(instance)
        if bad:
            return (
                f"control character U+{ord(bad.group()):04X} at character {bad.start()}; "
                "no exporter can write it"
            )
        phrase = _pattern_phrases().get(pattern or "")
        if phrase:
            shown = instance if len(instance) <= 60 else instance[:57] + "..."
            return f"{shown!r} is not {phrase}"
    return fallback


def problems(data: Any) -> list[Problem]:
    """Every schema violation in ``data``, in document order; empty when it is valid."""
    try:
        found = _fast_problems(data)
    except ValueError:
        # Only from Python callers (JSON cannot hold these): a lone surrogate, a value of no
        # JSON type, or nesting deeper than jsonschema-rs copies an error's instance back
        # (255). Say what cannot be carried, and check the rest on a copy that can be.
        found = [*_not_json(data), *_fast_problems(_representable(data, MAX_DEPTH))]
    return sorted(set(found), key=lambda p: (p.pointer, p.message))


def _fast_problems(data: Any) -> list[Problem]:
    validator = _fast_validator()
    if validator.is_valid(data):
        return []
    return [
        Problem(
            pointer(error.instance_path),
            _message(error.instance, getattr(error.kind, "pattern", None), error.message),
        )
        for error in validator.iter_errors(data)
    ]


MAX_DEPTH = 64
"""How deep the copy checked after a :class:`ValueError` goes: far below jsonschema-rs's limit
and far deeper than any field of the model, so all it cuts off lies inside ``extensions``,
which the schema leaves free."""
_JSON_TYPES = (str, int, float, bool, type(None), dict, list, tuple)


def _not_json(data: Any) -> Iterator[Problem]:
    """A problem for each string or key holding a lone surrogate (no UTF-8 output can carry
    it) and each value of no JSON type, however deep (a walk with a stack, not recursion)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            bad = _SURROGATE.search(value)
            if bad:
                yield Problem(
                    pointer(path),
                    f"lone surrogate U+{ord(bad.group()):04X} at character {bad.start()}; "
                    "not text any format can carry",
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    yield Problem(pointer(path), f"a key holds a lone surrogate: {key!r}")
                stack.append((item, (*path, key)))
        elif isinstance(value, list | tuple):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
        elif not isinstance(value, _JSON_TYPES):
            yield Problem(pointer(path), f"a {type(value).__name__}, not a JSON value")


def _representable(value: Any, depth: int) -> Any:
    """A copy jsonschema-rs can take: lone surrogates replaced by U+FFFD, values of no JSON
    type and whatever lies ``depth`` containers down by ``None``."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        if not depth:
            return None
        return {_representable(k, depth): _representable(v, depth - 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_representable(item, depth - 1) for item in value] if depth else None
    return value if isinstance(value, _JSON_TYPES) else None


def reference_problems(data: Any) -> list[Problem]:
    """The same as :func:`problems`, computed by the ``jsonschema`` reference implementation."""
    found = [
        Problem(
            pointer(error.absolute_path),
            _message(
                error.instance,
                error.validator_value if error.validator == "pattern" else None,
                error.message,
            ),
        )
        for error in reference_validator().iter_errors(data)
    ]
    return sorted(set(found), key=lambda p: (p.pointer, p.message))


def validate(data: Any, *, source: str | None = None, place: str | None = None) -> None:
    """Raise :class:`ValidationError` with every problem at once unless ``data`` is valid."""
    found = problems(data)
    if found:
        raise ValidationError(found, source=source, place=place)


def _part(definition: str) -> dict[str, Any]:
    """One part of the schema: a ``$defs`` entry (``iri``, ``languageTag``) or, failing that, a
    top-level property (``slug``, ``version``), then through ``/`` one property of it after
    another (``image/width``, ``rights/copyrightYear``, ``concept/code``)."""
    defs = schema()["$defs"]
    head, *rest = definition.split("/")
    part: dict[str, Any] = defs[head] if head in defs else schema()["properties"][head]
    for name in rest:
        reference = part.get("$ref", "")
        if reference.startswith("#/$defs/"):
            part = defs[reference.removeprefix("#/$defs/")]
        part = part["properties"][name]
    return part


@functools.cache
def _part_validator(definition: str) -> Any:
    """A validator for one part of the schema (see :func:`_part`), compiled once from its own
    patterns, formats and limits."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(
        {"$defs": schema()["$defs"], **_part(definition)}, validate_formats=True
    )


def accepts(definition: str, value: Any) -> bool:
    """Whether the schema accepts ``value`` as ``definition`` (see :func:`_part_validator`).

    The one source of schema facts for importers: whether an IRI, a slug, a language tag, a
    version, an image's size or media type is acceptable is asked here, so no importer keeps a
    regex or a limit of its own that could drift from the schema (a looser copy let an id
    through that then failed the whole article)."""
    return bool(_part_validator(definition).is_valid(value))


def limit(definition: str, keyword: str) -> int:
    """One of the schema's limits on a part (``maxLength``, ``maximum``), for an importer that
    cuts a value to fit instead of refusing it (a code made from free text)."""
    value = _part(definition)[keyword]
    assert isinstance(value, int), f"{definition} has no whole {keyword}"
    return value


def part_problems(definition: str, data: Any) -> list[Problem]:
    """Problems of a value against one ``$defs`` entry, e.g. a publisher from the config."""
    return [
        Problem(
            pointer(e.instance_path),
            _message(e.instance, getattr(e.kind, "pattern", None), e.message),
        )
        for e in _part_validator(definition).iter_errors(data)
    ]
