"""Hypothesis strategies for schema-valid canonical articles, adversarial where the schema allows.

Text draws on every Unicode plane: right-to-left scripts, combining marks, emoji, C1 controls,
white space only. It leaves out only what the schema forbids (C0 controls but tab and newline in
multi-line text, none at all in single lines, U+FFFE, U+FFFF and lone surrogates). A test checks
that every generated article is valid, so the strategies cannot silently drift from the schema.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from wirekit.model import Article

_FORBIDDEN_LINE = [chr(c) for c in range(0x20)] + ["\ufffe", "\uffff"]
_FORBIDDEN_TEXT = [c for c in _FORBIDDEN_LINE if c not in "\t\n"]

_SCRIPTS = (
    "abcXYZ019 éßøñ ßİı ابجد שלום ναι кот 日本語 한국 देवनागरी ๑ ̈́ "  # many scripts, a combining mark
    "\u200f\u200e 😀👩‍👩‍👧 <>&'\" ]]> --"  # bidi marks, emoji sequences, markup breakers
)


def _chars(forbidden: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from([c for c in _SCRIPTS if c not in forbidden]),
        st.characters(exclude_categories=("Cs",), exclude_characters=forbidden),
    )


def text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Multi-line plain text: tab and newline allowed."""
    return st.text(_chars(_FORBIDDEN_TEXT), min_size=1, max_size=max_size)


def line(max_size: int = 40) -> st.SearchStrategy[str]:
    """A single line: no control characters at all."""
    return st.text(_chars(_FORBIDDEN_LINE), min_size=1, max_size=max_size)


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

block = st.one_of(
    st.fixed_dictionaries({"type": st.just("paragraph"), "text": text(200)}),
    _some({"type": st.just("heading"), "text": line()}, {"level": st.integers(2, 6)}),
    _some({"type": st.just("blockquote"), "text": text()}, {"attribution": line()}),
    _some({"type": st.just("list"), "items": _array(text())}, {"ordered": st.booleans()}),
)
concept = _some(
    {
        "scheme": st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,10}", fullmatch=True),
        "code": st.from_regex(r"[A-Za-z0-9_./#-]{1,12}", fullmatch=True),
    },
    {"label": line(), "uri": iri()},
)
person = _some(
    {"name": line()},
    {"role": line(), "url": web_url(), "wikidata": wikidata, "sameAs": _unique(iri())},
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
            "headline": line(80),
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
            "pubStatus": st.sampled_from(["usable", "withheld", "canceled"]),
            "urgency": st.integers(1, 9),
            "genres": _array(concept),
            "section": line(),
            "signals": _unique(st.sampled_from(["update", "correction", "kill"])),
            "editorNote": text(),
            "corrections": _array(
                _some({"text": text()}, {"date": st.one_of(date(), date_time())})
            ),
            "dateline": _some({"text": line()}, {"place": place, "date": date()}),
            "authors": _array(person),
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
