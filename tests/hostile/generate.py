"""The hostile corpus, written by code: the committed files and those made at test time.

Committed files are small and worth reading on their own (``tests/hostile/<kind>/``); this module
is their source, and a test requires the two to agree, so a change is made here and written out
with ``python -m tests.hostile.generate``. What is too big to commit (100,000 levels of nesting, a
100 MB line), what the file system must make (folders, symbolic links, unreadable files, pipes)
and what is derived from the schema (a wrong type in every field) is made at test time by
:func:`make_at_test_time`.
"""

from __future__ import annotations

import copy
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ESCAPE_MARKER = "wirekit-escape-marker"
"""A name a hostile id tries to write outside the output folder; must never appear anywhere."""

VALID: dict[str, Any] = {
    "id": "urn:example:hostile:1",
    "version": 1,
    "headline": "Talks resume",
    "language": "en",
    "datePublished": "2025-07-30T10:00:00Z",
    "body": [{"type": "paragraph", "text": "Negotiators met again."}],
}

RICH: dict[str, Any] = {
    **VALID,
    "slug": "talks-resume",
    "url": "https://news.example.org/articles/talks-resume/",
    "subheadline": "A second round",
    "summary": "Negotiators met again.",
    "dateCreated": "2025-07-30T09:00:00Z",
    "dateModified": "2025-07-30T11:00:00Z",
    "embargoedUntil": "2025-07-30T08:00:00Z",
    "pubStatus": "usable",
    "urgency": 3,
    "genres": [{"scheme": "genre", "code": "Current", "label": "Current"}],
    "section": "World",
    "signals": ["update"],
    "notes": [{"text": "Updates the lede.", "audience": "partner"}],
    "corrections": [{"text": "An earlier version misspelt a name.", "date": "2025-07-30"}],
    "dateline": {
        "text": "GENEVA –",
        "place": {"name": "GENEVA", "country": "Switzerland", "countryCode": "CH"},
        "date": "2025-07-30",
    },
    "authors": [{"name": "Jane Doe", "url": "https://news.example.org/jane", "role": "writer"}],
    "contributors": [{"name": "John Roe", "wikidata": "Q42", "sameAs": ["urn:x:roe"]}],
    "publisher": {
        "name": "Example Desk",
        "url": "https://news.example.org/",
        "logo": {"url": "https://news.example.org/logo.png", "width": 600, "height": 60},
    },
    "provider": {"name": "Example Wire", "wikidata": "Q1"},
    "sourceAgency": {"name": "Agency"},
    "creditLine": "Example Wire",
    "rights": {
        "copyrightHolder": {"name": "Example Desk"},
        "copyrightNotice": "© Example Desk",
        "copyrightYear": 2025,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "usageTerms": "Free to republish.",
    },
    "isAccessibleForFree": True,
    "subjects": [{"scheme": "medtop", "code": "20000565", "label": "diplomacy"}],
    "keywords": ["talks", "geneva"],
    "about": [{"type": "place", "name": "Geneva", "geo": {"latitude": 46.2, "longitude": 6.1}}],
    "mentions": [{"type": "organization", "name": "UN", "wikidata": "Q1065"}],
    "images": [
        {
            "url": "https://news.example.org/a.jpg",
            "caption": "The hall.",
            "altText": "A hall",
            "credit": "Photo",
            "width": 800,
            "height": 600,
            "mediaType": "image/jpeg",
        }
    ],
    "related": [{"url": "https://news.example.org/b/", "title": "Earlier"}],
    "extensions": {"example": {"desk": "world"}},
}


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode() + b"\n"


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _article(**fields: Any) -> bytes:
    return _json({**VALID, **fields})


def _item(
    headline: str = "Talks resume", *, head: str = "", meta: str = "", extra: str = ""
) -> str:
    return (
        f'<newsItem xmlns="{NAR}" guid="urn:example:hostile:g2" version="1" standard="NewsML-G2" '
        f'standardversion="2.35" conformance="power" xml:lang="en"{head}>'
        '<itemMeta><itemClass qcode="ninat:text"/><provider literal="Example Wire"/>'
        f"<versionCreated>2025-07-30T10:00:00Z</versionCreated>{meta}</itemMeta>"
        f"<contentMeta><headline>{headline}</headline></contentMeta>"
        '<contentSet><inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="{XHTML}"><body><p>Negotiators met again.</p>{extra}</body></html>'
        "</inlineXML></contentSet></newsItem>"
    )


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_SCRIPT_BREAKERS = '</script><script>alert("x")</script> <!-- <script> --> ]]> <\\/script>'


def _jsonld_page(block: str) -> bytes:
    return (
        "<!DOCTYPE html>\n<html lang=en><head><title>t</title>\n"
        f'<script type="application/ld+json">{block}</script>\n'
        "</head><body><p>Page</p></body></html>\n"
    ).encode()


_NEWS_ARTICLE = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "@id": "urn:example:hostile:ld",
    "headline": "Talks resume",
    "inLanguage": "en",
    "datePublished": "2025-07-30T10:00:00Z",
    "articleBody": "Negotiators met again.",
}

_TEXT = "headline Talks resume\ndate 2025-07-30\n\nGENEVA – Negotiators met again.\n"


def _deep_json_with_long_number(depth: int) -> bytes:
    return b"[" * depth + b"123456789012345678901234567890" + b"]" * depth


def committed() -> dict[str, bytes]:
    """Every committed corpus file: path under ``tests/hostile/`` -> bytes."""
    files: dict[str, bytes] = {
        # --- JSON -------------------------------------------------------------------------
        "json/deep-nesting-with-long-number.json": _deep_json_with_long_number(1020),
        "json/huge-number.json": _article().replace(b'"version": 1', b'"version": 1e400'),
        "json/huge-integer.json": _article(version=10**40),
        "json/duplicate-keys.json": b'{"id": "urn:example:hostile:dup", "version": 1, '
        b'"headline": "Talks resume", "language": "en", "headline": "Talks collapse", '
        b'"body": [{"type": "paragraph", "text": "Negotiators met again."}]}\n',
        "json/duplicate-keys-nested.json": _article(authors=[{"name": "Jane"}]).replace(
            b'"name": "Jane"', b'"name": "Jane", "name": "Joan"'
        ),
        "json/duplicate-keys-escaped.json": _article().replace(
            b'"headline": "Talks resume"',
            b'"headline": "Talks resume", "he\\u0061dline": "Talks: c\\u003alls"',
        ),
        "json/lone-surrogate.json": _article().replace(b"Talks resume", b"Talks \\ud800 resume"),
        "json/lone-low-surrogate.json": _article().replace(b"Talks resume", b"\\udc00"),
        "json/nul-byte-raw.json": _article().replace(b"Talks resume", b"Talks\x00resume"),
        "json/nul-escaped.json": _article(headline="Talks\x00resume"),
        "json/nul-in-extensions.json": _article(extensions={"x": {"k\x00": "v\x00\x01\x1f"}}),
        "json/not-an-object.json": b'"Talks resume"\n',
        "json/array-of-junk.json": b'[1, null, "x", [], {"id": 5}]\n',
        "json/nan.json": _article().replace(b'"version": 1', b'"version": NaN'),
        "json/invalid-utf8.json": _article().replace(b"Talks resume", b"Talks \xff resume"),
        "json/overlong-utf8.json": _article().replace(b"Talks resume", b"Talks \xc0\xaf resume"),
        "json/utf16.json": _article().decode().encode("utf-16"),
        "json/deep-extensions.json": _compact({**VALID, "extensions": {"x": _nested(95)}}),
        "json/too-deep-extensions.json": _compact({**VALID, "extensions": {"x": _nested(300)}}),
        "json/junk-lines.jsonl": _json(VALID).replace(b"\n", b"")
        + b"\n{broken\n[1]\n"
        + json.dumps({**VALID, "id": "urn:example:hostile:2", "version": 0}).encode()
        + b"\n",
        "json/empty-array.json": b"[]\n",
        "json/trailing-garbage.json": _json(VALID) + b"\x00\x00garbage",
        # --- ninjs ------------------------------------------------------------------------
        "ninjs/wrong-types.json": _json(
            {
                "uri": "urn:example:hostile:ninjs",
                "standard": {"name": "ninjs", "version": "3.1", "schema": "x"},
                "headlines": "not a list",
                "bodies": 5,
                "subjects": [None, 1, "x", {"name": []}],
                "people": {"name": "x"},
                "versioncreated": 12,
                "language": ["en"],
                "renditions": {"r": [1, 2]},
                "associations": {"a": "b"},
            }
        ),
        "ninjs/uri-traversal.json": _json(
            {
                "uri": "../../../etc/passwd",
                "standard": {"name": "ninjs", "version": "3.1", "schema": "x"},
                "headlines": [{"role": "main", "value": "Talks resume"}],
                "bodies": [{"role": "main", "contentType": "text/plain", "value": "Text."}],
            }
        ),
        "ninjs/deep-associations.json": _compact(
            {
                "uri": "urn:example:hostile:deep",
                "standard": {"name": "ninjs", "version": "3.1", "schema": "x"},
                "headlines": [{"role": "main", "value": "Talks resume"}],
                "bodies": [{"role": "main", "contentType": "text/plain", "value": "Text."}],
                "associations": [_association(30)],
            }
        ),
        # --- JSON-LD and HTML pages ---------------------------------------------------------
        "jsonld/remote-context.jsonld": _json(
            {**_NEWS_ARTICLE, "@context": "http://127.0.0.1:9/context.jsonld"}
        ),
        "jsonld/remote-import.jsonld": _json(
            {**_NEWS_ARTICLE, "@context": {"@import": "http://127.0.0.1:9/context.jsonld"}}
        ),
        "jsonld/cyclic-graph.jsonld": _json(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {**{k: v for k, v in _NEWS_ARTICLE.items() if k != "@context"}},
                    {"@id": "urn:example:a", "@type": "Person", "name": "A", "knows": "urn:a"},
                    {
                        "@id": "urn:example:hostile:ld",
                        "author": {"@id": "urn:example:a"},
                        "isPartOf": {"@id": "urn:example:hostile:ld"},
                        "about": {"@id": "urn:example:hostile:ld"},
                    },
                    {
                        "@id": "urn:example:a",
                        "worksFor": {"@id": "urn:example:a"},
                        "sameAs": {"@id": "urn:example:a"},
                    },
                ],
            }
        ),
        "jsonld/script-breakout.html": _jsonld_page(
            json.dumps({**_NEWS_ARTICLE, "headline": "</script><script>alert(1)</script>"})
        ),
        "jsonld/comment-in-script.html": _jsonld_page(
            json.dumps({**_NEWS_ARTICLE, "headline": "<!-- <script> Talks"})
        ),
        "jsonld/no-article.html": b"<html><body><script>var x = '</script>';</script>",
        "jsonld/marked-section.html": b"<![x html>\n"
        + _jsonld_page(json.dumps(_NEWS_ARTICLE)).split(b"\n", 1)[1],
        # --- HTML-breaking text in a valid article -------------------------------------------
        "html/script-breakout.json": _json(
            {
                **RICH,
                "headline": f"Talks {_SCRIPT_BREAKERS}",
                "summary": _SCRIPT_BREAKERS,
                "body": [
                    {"type": "paragraph", "text": _SCRIPT_BREAKERS},
                    {"type": "heading", "level": 2, "text": "<!--"},
                    {"type": "blockquote", "text": "-->", "attribution": "</SCRIPT >"},
                    {"type": "list", "items": ["<!--<script>", "</style>"]},
                ],
                "images": [{"url": "https://news.example.org/a.jpg", "caption": "</script>"}],
            }
        ),
        # --- plain text ---------------------------------------------------------------------
        "text/invalid-utf8.txt": _TEXT.encode().replace(b"Negotiators", b"Negoti\xffators"),
        "text/overlong-encoding.txt": _TEXT.encode().replace(b"met", b"m\xc0\xafet"),
        "text/encoded-surrogate.txt": _TEXT.encode().replace(b"met", b"m\xed\xa0\x80et"),
        "text/latin1.txt": "headline Café\n\nZÜRICH - Négociations.\n".encode("latin-1"),
        "text/utf16-bom.txt": _TEXT.encode("utf-16"),
        "text/c0-controls.txt": _TEXT.replace("Negotiators", "Nego\x00\x01\x07\x1b[2Jtiators")
        .replace("resume", "re\x0bsume\x0c")
        .encode(),
        "text/c1-controls.txt": _TEXT.replace("met", "m\x85e\x9bt\x80").encode(),
        "text/mixed-line-endings.txt": b"headline Talks resume\r\ndate 2025-07-30\r\r"
        b"GENEVA \xe2\x80\x93 Negotiators met.\n\rSecond\r\nparagraph.\r\n\n\rThird.",
        "text/header-only.txt": b"headline Talks resume\ndate 2025-07-30\nurgency 3\n",
        "text/bom-only.txt": b"\xef\xbb\xbf",
        "text/bidi-override.txt": (
            "headline \u202etxt.exe\u202c Talks\ndate 2025-07-30\n\nGENEVA – \u2067x\u2069 met.\n"
        ).encode(),
        "text/bad-header-values.txt": b"urgency 99999999999999999999999\nversion 0\n"
        b"date 2025-13-45\nlanguage ../../etc\n\nBody.\n",
        # --- NewsML-G2 (more than the colleague's xml/ set) ---------------------------------
        "newsml/doctype-utf32.xml": (
            '<?xml version="1.0" encoding="UTF-32"?>\n<!DOCTYPE newsItem [<!ENTITY x "y">]>\n'
            + _item("&x;")
        ).encode("utf-32"),
        "newsml/doctype-after-long-comment.xml": (
            _DECLARATION
            + "<!--"
            + "x" * 70000
            + "-->\n"
            + '<!DOCTYPE newsItem [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
            + _item("&secret;")
        ).encode(),
        "newsml/xinclude.xml": (
            _DECLARATION
            + _item(
                head=' xmlns:xi="http://www.w3.org/2001/XInclude"',
                extra='<p><xi:include href="file:///etc/passwd" parse="text"/></p>',
            )
        ).encode(),
        "newsml/remote-schema-location.xml": (
            _DECLARATION
            + _item(head=f' xmlns:xsi="{XSI}" xsi:schemaLocation="{NAR} http://127.0.0.1:9/g2.xsd"')
        ).encode(),
        "newsml/stylesheet-pi.xml": (
            _DECLARATION
            + '<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:9/evil.xsl"?>\n'
            + _item()
        ).encode(),
        "newsml/nul-character-reference.xml": (_DECLARATION + _item("Talks&#0;resume")).encode(),
        "newsml/not-xml.xml": b"<\x00\xff\xfe garbage \x01\x02",
        "newsml/wrong-namespace.xml": (
            _DECLARATION + _item().replace(NAR, "http://example.org/not-g2/")
        ).encode(),
        "newsml/message-one-bad-item.xml": (
            _DECLARATION
            + f'<newsMessage xmlns="{NAR}"><header><sent>2025-07-30T10:00:00Z</sent></header>'
            + "<itemSet>"
            + _item()
            + f'<newsItem xmlns="{NAR}" guid="urn:example:hostile:empty"/>'
            + "</itemSet></newsMessage>"
        ).encode(),
        "newsml/unclosed.xml": (_DECLARATION + _item()[:-20]).encode(),
        # --- file names and ids ---------------------------------------------------------------
        "names/traversal-slug.json": _article(slug="../../etc/cron.d/x"),
        "names/traversal-id.json": _article(id=f"urn:x:../../../../{ESCAPE_MARKER}"),
        "names/traversal-id-encoded.json": _article(
            id=f"urn:x:..%2F..%2F{ESCAPE_MARKER}", url=f"https://x.example/../../{ESCAPE_MARKER}"
        ),
        "names/absolute-path-id.json": _article(id=f"/tmp/{ESCAPE_MARKER}"),
        "names/file-uri-id.json": _article(id="file:///etc/passwd"),
        "names/windows-device-id.json": _article(id="con:aux"),
        "names/reserved-slugs.jsonl": b"".join(
            json.dumps({**VALID, "id": f"urn:example:{slug}", "slug": slug}).encode() + b"\n"
            for slug in ("con", "nul", "aux", "prn", "com1", "lpt9")
        ),
        "names/con.txt": _TEXT.replace("headline Talks resume\n", "").encode(),
        "names/id-10000-characters.json": _article(id="urn:example:" + "x" * 10000),
        "names/id-2048-characters.json": _article(id="urn:example:" + "y" * 2036),
        "names/javascript-iris.json": _json(
            {
                **RICH,
                "id": "javascript:alert(1)",
                "subjects": [{"scheme": "x", "code": "y", "uri": "javascript:alert(2)"}],
                "authors": [{"name": "A", "sameAs": ["javascript:alert(3)"]}],
                "about": [{"type": "person", "name": "B", "sameAs": ["data:text/html,x"]}],
                "related": [{"url": "https://news.example.org/x", "title": "javascript:alert(4)"}],
            }
        ),
        # --- files that hold nothing ----------------------------------------------------------
        "files/empty.json": b"",
        "files/empty.txt": b"",
        "files/empty.xml": b"",
        "files/empty.jsonld": b"",
        "files/whitespace.json": b" \n\t\r\n ",
    }
    return files


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"n": value}
    return value


def _association(depth: int) -> Any:
    value: Any = {"uri": "urn:x:leaf", "type": "text"}
    for level in range(depth):
        value = {"uri": f"urn:x:{level}", "type": "text", "associations": [value]}
    return value


# --- made at test time ------------------------------------------------------------------------

WRONG_VALUES: tuple[Any, ...] = (None, True, 7, 1.5, "text", [], {}, [None], {"x": 1})


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every value's path in a document, the root excepted."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _schema_types(schema: dict[str, Any], node: Any) -> set[str]:
    """The JSON types a schema node allows (following ``$ref``); all when it does not say."""
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _schema_types(schema, schema["$defs"][name])
    if isinstance(node, dict) and "type" in node:
        kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
        allowed = set(kinds)
        if "number" in allowed:
            allowed.add("integer")
        return allowed
    if isinstance(node, dict) and ("enum" in node or "const" in node):
        return {_json_type(v) for v in node.get("enum", [node.get("const")])}
    if isinstance(node, dict) and ("anyOf" in node or "oneOf" in node):
        found: set[str] = set()
        parts: list[Any] = node.get("anyOf") or node.get("oneOf") or []
        for part in parts:
            found |= _schema_types(schema, part)
        return found
    return {"null", "boolean", "integer", "number", "string", "array", "object"}


def _schema_node(schema: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    """The schema node that governs the value at ``path``, for the types it allows."""
    node: Any = schema
    for step in path:
        while isinstance(node, dict) and "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        if isinstance(step, int):
            node = node.get("items", {}) if isinstance(node, dict) else {}
            continue
        properties: dict[str, Any] = {}
        if isinstance(node, dict):
            properties = dict(node.get("properties", {}))
            for part in node.get("allOf", []):  # body blocks: if/then by type
                then = part.get("then", {})
                while "$ref" in then:
                    then = schema["$defs"][then["$ref"].rsplit("/", 1)[-1]]
                properties.update(then.get("properties", {}))
        node = properties.get(step, {})
    return node


def wrong_type_cases(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """For every field of the rich article, one copy with a value of a type the schema does not
    allow there: (the JSON pointer the error must name, the broken article). Generated from the
    schema, so a field added to it is covered without touching this list."""
    from wirekit.schema import pointer

    cases: list[tuple[str, dict[str, Any]]] = []
    for path in _paths(RICH):
        allowed = _schema_types(schema, _schema_node(schema, path))
        if path[:1] == ("extensions",) and len(path) > 2:
            continue  # anything goes inside a plugin's extension
        wrong = [v for v in WRONG_VALUES if _json_type(v) not in allowed][:1]
        if not wrong:
            continue
        broken = copy.deepcopy(RICH)
        target: Any = broken
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = wrong[0]
        cases.append((pointer(path), broken))
    return cases


def _write_wrong_types(folder: Path) -> Path:
    from wirekit import schema

    path = folder / "wrong-types.jsonl"
    with path.open("wb") as stream:
        for _pointer, article in wrong_type_cases(schema.schema()):
            stream.write(json.dumps(article, ensure_ascii=False).encode() + b"\n")
    return path


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _sized_line(megabytes: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / f"line-{megabytes}mb.txt"
        sentence = b"Negotiators met again and talked about many things at length. "
        chunk = sentence * (1024 * 1024 // len(sentence))
        with path.open("wb") as stream:
            stream.write(b"date 2025-07-30 GENEVA \xe2\x80\x93 ")
            for _ in range(megabytes):
                stream.write(chunk)
        return path

    return make


LISTENER = "http://127.0.0.1:{port}"
"""Where the listener inputs point: a local port a test listens on and requires to stay silent."""


def _listening(name: str, document: Callable[[str], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        url = LISTENER.format(port=os.environ["WIREKIT_LISTENER_PORT"])
        path.write_bytes(document(url))
        return path

    return make


def _long_jsonl_line(folder: Path) -> Path:
    """An archive whose second line is 17 MiB: refused by its number, the first one kept."""
    path = folder / "long-line.jsonl"
    with path.open("wb") as stream:
        stream.write(json.dumps(VALID).encode() + b"\n")
        stream.write(b'{"id": "urn:x:long", "headline": "' + b"x" * (17 * 1024 * 1024) + b'"}\n')
        stream.write(json.dumps({**VALID, "id": "urn:example:hostile:3"}).encode() + b"\n")
    return path


def _directory(folder: Path) -> Path:
    path = folder / "story.json"
    path.mkdir()
    return path


def _unreadable(folder: Path) -> Path:
    path = folder / "unreadable.json"
    path.write_bytes(_article())
    path.chmod(0)
    return path


def _symlink_loop(folder: Path) -> Path:
    first, second = folder / "loop-a.json", folder / "loop-b.json"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return first


def _broken_symlink(folder: Path) -> Path:
    path = folder / "dangling.json"
    path.symlink_to("nowhere/at/all.json")
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.json"
    os.mkfifo(path)
    return path


def _device(folder: Path) -> Path:
    path = folder / "zero.json"
    path.symlink_to("/dev/zero")
    return path


def _newline_in_name(folder: Path) -> Path:
    path = folder / "bad\nname\x1b[2J.json"
    path.write_bytes(b"{broken")
    return path


AT_TEST_TIME: dict[str, Callable[[Path], Path]] = {
    "deep-arrays-100000.json": _write("deep-arrays-100000.json", b"[" * 100_000 + b"]" * 100_000),
    "deep-objects-100000.json": _write(
        "deep-objects-100000.json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    ),
    "deep-xml-100000.xml": _write(
        "deep-xml-100000.xml",
        (_DECLARATION + _item(extra="<div>" * 100_000 + "x" + "</div>" * 100_000)).encode(),
    ),
    "huge-integer-digits.json": _write(
        "huge-integer-digits.json",
        _article(extensions={"x": {"n": 1}}).replace(b'"n": 1', b'"n": ' + b"9" * 5000),
    ),
    "line-100mb.txt": _sized_line(100),  # a feed that lost its line breaks
    "line-15mb.txt": _sized_line(15),
    "long-line.jsonl": _long_jsonl_line,
    "external-dtd-listener.xml": _listening(
        "external-dtd-listener.xml",
        lambda url: (
            f'{_DECLARATION}<!DOCTYPE newsItem SYSTEM "{url}/evil.dtd">\n{_item("&remote;")}'
        ).encode(),
    ),
    "schema-location-listener.xml": _listening(
        "schema-location-listener.xml",
        lambda url: (
            _DECLARATION + _item(head=f' xmlns:xsi="{XSI}" xsi:schemaLocation="{NAR} {url}/g2.xsd"')
        ).encode(),
    ),
    "remote-context-listener.jsonld": _listening(
        "remote-context-listener.jsonld",
        lambda url: _json({**_NEWS_ARTICLE, "@context": f"{url}/context.jsonld"}),
    ),
    "wrong-types.jsonl": _write_wrong_types,
    "directory.json": _directory,
    "unreadable.json": _unreadable,
    "symlink-loop.json": _symlink_loop,
    "broken-symlink.json": _broken_symlink,
    "device.json": _device,
    "newline-in-name.json": _newline_in_name,
}
"""Inputs made in a test's folder: manifest name -> maker (returns the path to give wirekit).
The listener inputs read the port from ``WIREKIT_LISTENER_PORT``."""


def is_not_a_file(path: Path) -> bool:
    """Whether the input is one of those the file system made (not a regular file)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return True
    return not stat.S_ISREG(mode)


def write_committed() -> None:
    """Rewrite the committed corpus from :func:`committed`."""
    for name, data in committed().items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    write_committed()
