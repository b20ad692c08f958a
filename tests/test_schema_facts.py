"""One source of schema facts: every importer asks the schema (``wirekit.schema.accepts``, through
the shared rules in :mod:`wirekit.plugin`) whether an id, a slug or a version is acceptable, so the
characters the schema refuses lead to the same outcome whatever format carries them:

- an id the schema refuses as an IRI is kept under the configured base IRI, percent-encoded,
  with a warning (before, the ninjs and JSON-LD importers kept looser regexes of their own: an
  id holding U+007F passed them and then failed the whole article);
- a slug the schema refuses is derived from the text given;
- a version the schema refuses is read as 1, with a warning.

Canonical JSON is the model itself: there the schema's refusal is one clean error, not a repair.
"""

from __future__ import annotations

import html
import io
import json
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import SEED_ARTICLE
from wirekit import registry, schema
from wirekit.config import Config
from wirekit.errors import InputWarning, ValidationError
from wirekit.model import Article
from wirekit.sources import Reader

CONFIG = Config()
REFUSED_IN_IRI = [" ", "<", '"', "{", "^", "`", "\\", "\x7f", "\x85", "\ufdd0", "\uffff"]
"""Characters the schema's iri pattern refuses (white space, what RFC 3987 excludes, DEL, C1,
noncharacters)."""


@pytest.fixture(scope="module")
def seed() -> Article:
    (result,) = Reader(CONFIG).read(SEED_ARTICLE)
    assert result.article is not None
    return result.article


def _exported(name: str, article: Article) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return registry.exporter(name)(CONFIG).export(article).decode("utf-8")


def _ninjs(article: Article, id: str, slug: str, version: str) -> bytes:
    document = json.loads(_exported("ninjs", article))
    document.update(uri=id, slugline=slug, version=version)
    return json.dumps(document).encode()


def _jsonld(article: Article, id: str, slug: str, version: str) -> bytes:
    document = json.loads(_exported("jsonld", article))
    document["@id"] = id
    for name in ("url", "mainEntityOfPage"):
        document.pop(name, None)
    return json.dumps(document).encode()


def _newsml(article: Article, id: str, slug: str, version: str) -> bytes:
    text = _exported("newsml-g2", article)
    text = re.sub(r'guid="[^"]*"', lambda _: f'guid="{html.escape(id)}"', text, count=1)
    text = re.sub(r'(guid="[^"]*" version=)"1"', rf'\1"{version}"', text, count=1)
    text = re.sub(r"<slugline>[^<]*<", lambda _: f"<slugline>{html.escape(slug)}<", text, count=1)
    return text.encode()


def _nitf(article: Article, id: str, slug: str, version: str) -> bytes:
    text = _exported("nitf", article)
    text = re.sub(r'id-string="[^"]*"', lambda _: f'id-string="{html.escape(id)}"', text, count=1)
    du_key = f'<du-key key="{html.escape(slug)}" version="{version}"/>'
    return re.sub(r"<du-key [^>]*/>", lambda _: du_key, text, count=1).encode()


def _text(article: Article, id: str, slug: str, version: str) -> bytes:
    return f"id {id}\nslug {slug}\nversion {version}\n\n".encode() + SEED_ARTICLE.read_bytes()


Build = Callable[[Article, str, str, str], bytes]
IMPORTERS: list[tuple[str, Build, str]] = [
    ("ninjs", _ninjs, ".json"),
    ("jsonld", _jsonld, ".jsonld"),
    ("newsml-g2", _newsml, ".xml"),
    ("nitf", _nitf, ".nitf"),
    ("text", _text, ".txt"),
]


def _read(name: str, data: bytes) -> tuple[dict[str, object], list[str]]:
    importer = registry.importer(name)(CONFIG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (record,) = importer.read(io.BytesIO(data), "story")
    assert record.error is None and record.data is not None, record.error
    assert schema.problems(record.data) == [], "the fallback is always schema-valid"
    found = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    return record.data, found


@pytest.mark.parametrize("character", REFUSED_IN_IRI, ids=ascii)
@pytest.mark.parametrize(("name", "build", "suffix"), IMPORTERS, ids=[i[0] for i in IMPORTERS])
def test_an_id_the_schema_refuses_is_kept_under_the_base_iri_everywhere(
    name: str, build: Build, suffix: str, character: str, seed: Article
) -> None:
    if name == "text" and (character.isspace() or ord(character) < 0xA0 or character == "\uffff"):
        pytest.skip("a text header is one line, its control characters removed before reading")
    if suffix in (".xml", ".nitf") and character == "\uffff":
        pytest.skip("no XML document can hold U+FFFF")
    given = f"urn:example:a{character}b"
    assert not schema.accepts("iri", given)
    data, found = _read(name, build(seed, given, "a-slug", "3"))
    assert data["id"] == CONFIG.base_iri + quote(given, safe="")
    assert any("is not an IRI the schema accepts" in message for message in found), found


@pytest.mark.parametrize(("name", "build", "suffix"), IMPORTERS, ids=[i[0] for i in IMPORTERS])
def test_a_slug_and_a_version_the_schema_refuses_fall_back_the_same_everywhere(
    name: str, build: Build, suffix: str, seed: Article
) -> None:
    if name == "jsonld":
        pytest.skip("schema.org has no slug or version property")
    too_long = "-".join(["word"] * 30)  # 149 characters: over the schema's maxLength
    for slug, expected in (("Not A Slug", "not-a-slug"), (too_long, "-".join(["word"] * 16))):
        data, _ = _read(name, build(seed, "urn:example:ok", slug, "3"))
        assert (data["slug"], data["version"]) == (expected, 3)
    data, found = _read(name, build(seed, "urn:example:ok", "ok", "2147483648"))
    assert data["version"] == 1
    assert any("is not a whole number the schema accepts" in m for m in found), found


def test_canonical_json_refuses_with_one_clean_error(seed: Article, tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text(json.dumps({**seed.to_dict(), "id": "urn:example:a\x7fb"}), "utf-8")
    (result,) = Reader(CONFIG).read(path)
    assert isinstance(result.error, ValidationError)
    assert [problem.pointer for problem in result.error.problems] == ["/id"]


def test_the_schema_answers_from_its_own_patterns_and_limits() -> None:
    assert schema.accepts("slug", "a-b") and not schema.accepts("slug", "a--b")
    assert not schema.accepts("slug", "a" * 121) and schema.accepts("slug", "a" * 120)
    assert schema.accepts("version", 2147483647) and not schema.accepts("version", 2147483648)
    assert schema.accepts("languageTag", "pt-BR") and not schema.accepts("languageTag", "e")
    assert schema.accepts("iri", "urn:x:1") and not schema.accepts("iri", "urn:x:\x7f")


# --- an image's size and media type, an urgency, a copyright year: the schema's limits too ----

IMAGE = {"url": "https://example.org/a.jpg", "width": 640, "height": 480, "mediaType": "image/jpeg"}


def _image_source(name: str, article: Article, width: str, media_type: str) -> bytes:
    """The article with one image as ``name`` writes it, its width and media type replaced."""
    options = {"title": "Desk", "link": "https://example.org/"} if name == "rss" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exporter = registry.exporter(name)(CONFIG, **options)
        data = exporter.export_collection([article]) if name == "rss" else exporter.export(article)
    if name == "ninjs":
        document = json.loads(data)
        ((original,),) = [picture["renditions"] for picture in document["associations"]]
        original.update(width=int(width), contentType=media_type)
        return json.dumps(document).encode()
    text = data.decode("utf-8").replace('width="640"', f'width="{width}"')
    return text.replace('"image/jpeg"', f'"{media_type}"').encode()


IMAGE_IMPORTERS = {"ninjs": "ninjs", "nitf": "nitf", "rss": "feed"}


@pytest.mark.parametrize("writer", list(IMAGE_IMPORTERS))
@pytest.mark.parametrize(
    ("width", "media_type", "kept"),
    [
        ("100000", "image/png", {"width": 100000, "mediaType": "image/png"}),
        ("100001", "image/png", {"mediaType": "image/png"}),
        ("0", "image/x y", {}),
        ("640", "text/plain", {"width": 640}),
    ],
    ids=["at the limit", "too wide", "zero and a space", "not an image type"],
)
def test_an_image_field_the_schema_refuses_is_left_out_and_the_image_kept(
    writer: str, width: str, media_type: str, kept: dict[str, object], seed: Article
) -> None:
    if writer == "rss" and not media_type.startswith("image/"):
        pytest.skip("a feed's media:content of another type is no image: Media RSS says so")
    article = Article.from_dict({**seed.to_dict(), "images": [IMAGE]})
    data, _ = _read(IMAGE_IMPORTERS[writer], _image_source(writer, article, width, media_type))
    (image,) = data["images"]
    assert image["url"] == IMAGE["url"] and image.get("height") == 480
    assert {k: image[k] for k in ("width", "mediaType") if k in image} == kept


@pytest.mark.parametrize(("name", "build", "suffix"), IMPORTERS[2:4], ids=["newsml-g2", "nitf"])
@pytest.mark.parametrize("urgency", ["0", "10", "99999999999999999999999"])
def test_an_urgency_the_schema_refuses_is_left_out_with_a_warning(
    name: str, build: Build, suffix: str, urgency: str, seed: Article
) -> None:
    article = Article.from_dict({**seed.to_dict(), "urgency": 3})
    text = build(article, "urn:example:ok", "ok", "2").decode("utf-8")
    text = re.sub(r'(<urgency>)3(<)|(ed-urg=")3(")', rf"\g<1>\g<3>{urgency}\g<2>\g<4>", text)
    data, found = _read(name, text.encode())
    assert "urgency" not in data
    assert any(f"urgency {urgency!r} is not one the schema accepts" in m for m in found), found


def test_the_schema_answers_for_nested_parts_and_gives_its_limits() -> None:
    assert schema.accepts("image/width", 100000) and not schema.accepts("image/width", 100001)
    assert not schema.accepts("image/width", True), "a boolean is no size"
    assert schema.accepts("image/mediaType", "image/svg+xml")
    assert not schema.accepts("image/mediaType", "image/JPEG")
    assert not schema.accepts("rights/copyrightYear", 999)
    assert schema.accepts("concept/code", "20000565") and not schema.accepts("concept/code", "a:b")
    assert schema.limit("concept/code", "maxLength") == 256
    assert schema.limit("slug", "maxLength") == 120


@pytest.mark.parametrize("character", REFUSED_IN_IRI, ids=ascii)
def test_a_ninjs_uri_the_schema_refuses_is_not_carried_and_the_article_stands(
    character: str, seed: Article
) -> None:
    """ninjs's own IRI regex let U+007F through into sameAs and concept URIs, which then failed
    the whole article; the schema's answer keeps the article and leaves the URI out."""
    document = json.loads(_exported("ninjs", seed))
    bad = f"https://example.org/a{character}b"
    document["people"] = [{"name": "Ann Example", "rel": "mentioned", "uri": bad}]
    document["subjects"] = [{"name": "Diplomacy", "uri": bad, "literal": "medtop:20000565"}]
    data, _ = _read("ninjs", json.dumps(document).encode())
    assert bad not in json.dumps(data, ensure_ascii=False)
    assert {"scheme": "medtop", "code": "20000565", "label": "Diplomacy"} in data["subjects"]
