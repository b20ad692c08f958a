"""Hypothesis strategies for schema-valid canonical articles, adversarial where the schema allows.

Text draws on every Unicode plane: right-to-left scripts, combining marks, emoji, C1 controls,
white space only. It leaves out only what the schema forbids (C0 controls but tab and newline in
multi-line text, none at all in single lines, U+FFFE, U+FFFF and lone surrogates, a headline with
nothing to read in it). A test checks that every generated article is valid, so the strategies
cannot silently drift from the schema.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from wirekit.model import Article
from wirekit.schema import readable

_FORBIDDEN_LINE = [chr(c) for c in range(0x20)] + ["\ufffe", "\uffff"]
_FORBIDDEN_TEXT = [c for c in _FORBIDDEN_LINE if c not in "\t\n"]

_SCRIPTS = (
    "abcXYZ019 éßøñ ßİı ابجد שלום ναι кот 日本語 한국 देवनागरी ๑ ̈́ "  # many scripts, a combining mark
    "\u200f\u200e 😀👩‍👩‍👧 <>&'\" ]]> --"  # bidi marks, emoji sequences, markup breakers
)


def _chars(forbidden: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from([c for c in _SCRIPTS if c not in forbidden]),
        st.characters(exclude_categories=["Cs"], exclude_characters=forbidden),
    )


def text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Multi-line plain text: tab and newline allowed."""
    return st.text(_chars(_FORBIDDEN_TEXT), min_size=1, max_size=max_size)


def line(max_size: int = 40) -> st.SearchStrategy[str]:
    """A single line: no control characters at all."""
    return st.text(_chars(_FORBIDDEN_LINE), min_size=1, max_size=max_size)


def headline(max_size: int = 80) -> st.SearchStrategy[str]:
    """A headline: a single line with something to read in it."""
    return line(max_size).filter(readable)


_PATH = st.text(st.sampled_from("abcxyz0123456789-._~/é日ا"), min_size=1, max_size=20).map(
    lambda s: s.lstrip("/") or "a"
)


def web_url() -> st.SearchStrategy[str]:
    return st.builds(
        lambda host, path: f"https://{host}.example/{path}",
        st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
        _PATH,
    )


def iri() -> st.SearchStrategy[str]:
    return st.one_of(
        web_url(),
        st.builds(lambda tail: f"urn:wirekit:{tail}", _PATH),
        st.builds(lambda tail: f"tag:example.org,2025:{tail}", _PATH),
    )


def date() -> st.SearchStrategy[str]:
    return st.dates().map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10)


def date_time() -> st.SearchStrategy[str]:
    offsets = st.sampled_from(["Z", "+00:00", "+03:30", "-05:00", "+05:45", "+14:00", "-12:00"])
    stamps = st.datetimes(min_value=__import__("datetime").datetime(1000, 1, 1)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M:%S")
    )
    fractions = st.one_of(st.just(""), st.from_regex(r"\.[0-9]{1,6}", fullmatch=True))
    return st.builds(lambda s, f, o: s + f + o, stamps, fractions, offsets)


def _some(
    required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(required, optional=optional)


def _array(element: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[list[Any]]:
    return st.lists(element, min_size=1, max_size=max_size)


def _unique(element: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[list[Any]]:
    return st.lists(element, min_size=1, max_size=max_size, unique=True)


wikidata = st.from_regex(r"Q[1-9][0-9]{0,8}", fullmatch=True)
geonames = st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True)
country_code = st.from_regex(r"[A-Z]{2}", fullmatch=True)
pixels = st.integers(1, 100000)
geo = st.fixed_dictionaries(
    {
        "latitude": st.floats(-90, 90, allow_nan=False),
        "longitude": st.floats(-180, 180, allow_nan=False),
    }
)


def _says_something(table: dict[str, Any]) -> bool:
    """The schema's rule for a table: a caption, or a cell with text."""
    return "caption" in table or any(c["text"] for r in table["rows"] for c in r["cells"])


block = st.one_of(
    st.fixed_dictionaries({"type": st.just("paragraph"), "text": text(200)}),
    _some({"type": st.just("heading"), "text": line()}, {"level": st.integers(2, 6)}),
    _some({"type": st.just("blockquote"), "text": text()}, {"attribution": line()}),
    _some({"type": st.just("list"), "items": _array(text())}, {"ordered": st.booleans()}),
    _some(
        {
            "type": st.just("table"),
            "rows": _array(
                st.fixed_dictionaries(
                    {
                        "cells": _array(
                            _some({"text": st.just("") | text(20)}, {"header": st.booleans()})
                        )
                    }
                )
            ),
        },
        {"caption": text()},
    ).filter(_says_something),
)
concept = _some(
    {
        "scheme": st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,10}", fullmatch=True),
        "code": st.from_regex(r"[A-Za-z0-9_./#-]{1,12}", fullmatch=True),
    },
    {"label": line(), "uri": iri()},
)
named_person = _some(
    {"name": line()},
    {
        "id": line(),
        "role": line(),
        "url": web_url(),
        "wikidata": wikidata,
        "sameAs": _unique(iri()),
    },
)
person = st.one_of(named_person, _some({"id": line()}, {"role": line()}))  # known by a login
note = st.fixed_dictionaries(
    {"text": text(), "audience": st.sampled_from(["public", "partner", "internal"])}
)
rendition = _some(
    {"href": iri()},
    {
        "name": line(),
        "mediaType": st.sampled_from(["image/jpeg", "video/mp4", "audio/mpeg"]),
        "width": pixels,
        "height": pixels,
        "sizeInBytes": st.integers(0, 2**40),
        "duration": st.integers(0, 10000) | st.floats(0, 10000, allow_nan=False),
    },
)
organization = _some(
    {"name": line()},
    {
        "url": web_url(),
        "logo": _some({"url": web_url()}, {"width": pixels, "height": pixels}),
        "wikidata": wikidata,
        "sameAs": _unique(iri()),
    },
)
place = _some(
    {"name": line()},
    {
        "country": line(),
        "countryCode": country_code,
        "geo": geo,
        "geonames": geonames,
        "wikidata": wikidata,
    },
)
entity = _some(
    {"type": st.sampled_from(["person", "organization", "place"]), "name": line()},
    {
        "wikidata": wikidata,
        "geonames": geonames,
        "sameAs": _unique(iri()),
        "countryCode": country_code,
        "geo": geo,
    },
)
rights = _some(
    {"copyrightHolder": organization},
    {
        "copyrightNotice": line(),
        "copyrightYear": st.integers(1000, 9999),
        "license": web_url(),
        "usageTerms": text(),
    },
)
image = _some(
    {"url": web_url()},
    {
        "caption": text(),
        "altText": text(),
        "credit": line(),
        "width": pixels,
        "height": pixels,
        "mediaType": st.sampled_from(["image/jpeg", "image/png", "image/webp", "image/svg+xml"]),
    },
)


def article_dicts() -> st.SearchStrategy[dict[str, Any]]:
    """Schema-valid canonical article dicts, every optional field sometimes present."""
    return _some(
        {
            "id": iri(),
            "version": st.integers(1, 2147483647),
            "headline": headline(),
            "language": st.sampled_from(["en", "en-GB", "ar", "fa-IR", "he", "zh-Hans", "de"]),
            "body": _array(block, 5),
        },
        {
            "slug": st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,4}", fullmatch=True),
            "url": web_url(),
            "subheadline": line(),
            "summary": text(),
            "dateCreated": date_time(),
            "datePublished": st.one_of(date(), date_time()),
            "dateModified": date_time(),
            "embargoedUntil": date_time(),
            "expires": st.one_of(date(), date_time()),
            "pubStatus": st.sampled_from(["usable", "withheld", "canceled"]),
            "urgency": st.integers(1, 9),
            "genres": _array(concept),
            "section": line(),
            "signals": _unique(st.sampled_from(["update", "correction", "kill"])),
            "type": st.sampled_from(["text", "picture", "graphic", "video", "audio"]),
            "caption": text(),
            "byline": line(),
            "notes": _array(note),
            "corrections": _array(
                _some({"text": text()}, {"date": st.one_of(date(), date_time())})
            ),
            "dateline": _some({"text": line()}, {"place": place, "date": date()}),
            "authors": _array(named_person),
            "contributors": _array(person),
            "publisher": organization,
            "provider": organization,
            "sourceAgency": organization,
            "creditLine": line(),
            "rights": rights,
            "isAccessibleForFree": st.booleans(),
            "subjects": _array(concept),
            "keywords": _unique(line(20)),
            "about": _array(entity),
            "mentions": _array(entity),
            "images": _array(image),
            "renditions": _array(rendition),
            "related": _array(_some({"url": web_url()}, {"title": line()})),
            "extensions": st.dictionaries(
                st.from_regex(r"[a-z][a-z0-9_.-]{0,10}", fullmatch=True),
                st.dictionaries(
                    st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=2
                ),
                min_size=1,
                max_size=2,
            ),
        },
    )


def articles() -> st.SearchStrategy[Article]:
    """Schema-valid Articles."""
    return article_dicts().map(Article.from_dict)


# --- adversarial: what the schema allows and the strategies above seldom reach ---------------
#
# Characters chosen because each has broken some serializer somewhere: DEL and C1 controls (XML
# 1.0 allows them, XML 1.1 and many HTML pipelines do not), NEL and the Unicode line and paragraph
# separators (line breaks to some parsers, not to others), bidi overrides and isolates, zero-width
# joiners, a BOM in the middle of text, noncharacters other than U+FFFE/U+FFFF (XML 1.0 allows
# U+FDD0 and U+1FFFE), private use, a combining mark with nothing to combine with, astral emoji;
# and the strings that end or open markup in HTML, XML and JSON-in-HTML. In IRIs: every
# character the schema's pattern lets through, percent signs that start no escape, brackets,
# quotes, fragments and queries, and schemes such as javascript: and data:.

HOSTILE_CHARS = (
    "\x7f\x85\x9b\xa0\xad\u2028\u2029\u202a\u202e\u2066\u2069\u200b\u200d\ufeff"
    "\ufdd0\ufdef\U0001fffe\U0010fffd\ue000\u0301\u05d0\u0627\u65e5\U0001f600\U0001f469"
)
MARKUP_BREAKERS = (
    "</script>",
    "<!--",
    "-->",
    "]]>",
    "<![CDATA[",
    "&amp;",
    "&#0;",
    "\\u0000",
    '"',
    "'",
    "<",
    ">",
    "&",
    "${x}",
    "{{x}}",
    "%s",
    "\\",
)
_IRI_PUNCTUATION = "!#$%&'()*+,-./:;=?@[]_~"


def _hostile_string(allowed: str, max_size: int) -> st.SearchStrategy[str]:
    pieces = st.one_of(
        st.sampled_from(list(allowed)),
        st.sampled_from([b for b in MARKUP_BREAKERS if all(c in allowed for c in b)]),
        st.characters(
            exclude_categories=["Cs"],
            exclude_characters=[c for c in map(chr, range(0x20)) if c not in allowed]
            + ["\ufffe", "\uffff"],
        ),
    )
    return st.lists(pieces, min_size=1, max_size=max_size).map("".join)


_LINE_CHARS = HOSTILE_CHARS + "abc XYZ <>&'\"-];"
hostile_line = _hostile_string(_LINE_CHARS, 12)
hostile_text = _hostile_string(_LINE_CHARS + "\t\n", 16)
# What the schema's iri pattern refuses besides white space: DEL and C1 controls and the
# noncharacters RFC 3987 keeps out of every IRI.
_IRI_FORBIDDEN = set('<>"{}|\\^`\u3000') | set(map(chr, range(0x7F, 0xA0)))
_IRI_FORBIDDEN |= set(map(chr, range(0xFDD0, 0xFDF0))) | set(map(chr, range(0xFFF0, 0x10000)))
_IRI_CHARS = "".join(
    c for c in HOSTILE_CHARS + _IRI_PUNCTUATION + "az09" if c not in _IRI_FORBIDDEN
)
_iri_tail = st.lists(
    st.one_of(
        st.sampled_from(list(_IRI_CHARS)),
        st.characters(exclude_categories=["Cs", "Zs", "Cc"], exclude_characters=_IRI_FORBIDDEN),
    ),
    min_size=1,
    max_size=24,
).map("".join)
hostile_iri = st.builds(
    lambda scheme, tail: f"{scheme}:{tail}",
    st.sampled_from(["urn", "https", "http", "tag", "javascript", "data", "x-y.z+w", "A1"]),
    _iri_tail,
)
hostile_web_url = st.builds(
    lambda scheme, tail: f"{scheme}://{tail}", st.sampled_from(["http", "https"]), _iri_tail
)
_CODE_FORBIDDEN = set(map(chr, range(0x21))) | set(map(chr, range(0x7F, 0xA1)))
_CODE_FORBIDDEN |= set("\u1680\u2028\u2029\u202f\u205f\u3000\ufeff\ufffe\uffff:")
_CODE_FORBIDDEN |= set(map(chr, range(0x2000, 0x200B)))
hostile_code = st.lists(
    st.one_of(
        st.sampled_from([c for c in HOSTILE_CHARS + "<>&'\"%#/.]" if c not in _CODE_FORBIDDEN]),
        st.characters(exclude_categories=["Cs"], exclude_characters=sorted(_CODE_FORBIDDEN)),
    ),
    min_size=1,
    max_size=16,
).map("".join)

_HOSTILE_BY_KIND: dict[str, st.SearchStrategy[str]] = {
    "line": hostile_line,
    "headline": hostile_line.filter(readable),
    "text": hostile_text,
    "iri": hostile_iri,
    "webUrl": hostile_web_url,
    "code": hostile_code,
}


def _kind_of(path: tuple[str | int, ...]) -> str | None:
    """The schema definition a string at ``path`` answers to (``line``, ``iri``...), if any."""
    from wirekit.schema import schema

    root = schema()
    node: Any = root
    for step in path:
        while isinstance(node, dict) and "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        if isinstance(step, int):
            node = node.get("items", {}) if isinstance(node, dict) else {}
            continue
        properties: dict[str, Any] = (
            dict(node.get("properties", {})) if isinstance(node, dict) else {}
        )
        for part in node.get("allOf", []) if isinstance(node, dict) else []:
            then = part.get("then", {})
            while "$ref" in then:
                then = root["$defs"][then["$ref"].rsplit("/", 1)[-1]]
            properties.update(then.get("properties", {}))
        node = properties.get(step)
        if node is None:
            return None
        if step == "code" and "pattern" in node:
            return "code"
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return name if name in _HOSTILE_BY_KIND else None
    return None


def _string_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _string_paths(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _string_paths(item, (*path, index))]
    return []


@st.composite
def adversarial_article_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """Schema-valid article dicts from :func:`article_dicts` with, in about half of the string
    fields, a hostile value of the field's kind (see the comment above :data:`HOSTILE_CHARS`).
    Unique lists (``keywords``, ``sameAs``) stay unique; anything the schema would refuse is
    never produced (a test checks)."""
    data = draw(article_dicts())
    for path in _string_paths(data):
        if path[:1] == ("extensions",):
            continue
        kind = _kind_of(path)
        if path[:1] == ("body",) and path[2:] == ("text",):  # a heading's text is one line
            kind = "line" if data["body"][path[1]]["type"] == "heading" else "text"
        if kind is None or not draw(st.booleans()):
            continue
        target: Any = data
        for step in path[:-1]:
            target = target[step]
        value = draw(_HOSTILE_BY_KIND[kind])
        if isinstance(target, list) and value in target:
            continue
        target[path[-1]] = value
    return data


def adversarial_articles() -> st.SearchStrategy[Article]:
    """Schema-valid Articles with hostile text, IRIs and codes (see
    :func:`adversarial_article_dicts`)."""
    return adversarial_article_dicts().map(Article.from_dict)
