"""The plain-text wire-copy importer: header lines, datelines, paragraphs, derived fields."""

from __future__ import annotations

import io
import re
import signal
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_ARTICLE
from wirekit import schema
from wirekit.config import Config, from_mapping
from wirekit.errors import InputError, InputWarning
from wirekit.formats.text.reader import (
    HEADERS,
    HEADLINE_LIMIT,
    TextImporter,
    derive_headline,
    first_sentence,
)
from wirekit.sources import Reader

PUBLISHER = {"name": "Sample Desk", "url": "https://news.example.org/"}
RIGHTS = {
    "copyrightHolder": PUBLISHER,
    "license": "https://creativecommons.org/licenses/by/4.0/",
}


def parse(
    text: str | bytes, source: str = "story.txt", config: Config | None = None
) -> dict[str, Any]:
    """One text file's article dict, failing the test on any warning."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return TextImporter(config).parse(data, source)


def read(data: bytes, source: str = "story.txt") -> dict[str, Any]:
    """Through the importer's public ``read``, which names the source in errors."""
    records = list(TextImporter().read(io.BytesIO(data), source))
    assert len(records) == 1
    assert records[0].data is not None
    return records[0].data


def valid(article: dict[str, Any]) -> dict[str, Any]:
    assert schema.problems(article) == [], article
    return article


def texts(article: dict[str, Any]) -> list[str]:
    return [block["text"] for block in article["body"]]


# --- the seed ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(repo_config: Config) -> dict[str, Any]:
    return valid(TextImporter(repo_config).parse(SEED_ARTICLE.read_bytes(), str(SEED_ARTICLE)))


def test_seed_dateline_and_date(seed: dict[str, Any]) -> None:
    assert seed["datePublished"] == "2025-07-30"
    assert seed["dateline"] == {
        "text": "TEHRAN –",
        "place": {"name": "TEHRAN"},
        "date": "2025-07-30",
    }


def test_seed_has_sixteen_paragraphs_and_the_lede_without_its_dateline(
    seed: dict[str, Any],
) -> None:
    assert [block["type"] for block in seed["body"]] == ["paragraph"] * 16
    assert seed["body"][0]["text"].startswith("Iranian President Masoud Pezeshkian and his")
    assert seed["body"][-1]["text"].endswith("approximately 90 kilometers.")
    assert all(text == text.strip() and "\n" not in text for text in texts(seed))


def test_seed_headline_is_the_lede_cut_at_a_word_boundary(seed: dict[str, Any]) -> None:
    headline, lede = seed["headline"], seed["body"][0]["text"]
    assert 0 < len(headline) <= HEADLINE_LIMIT
    assert headline.endswith("…")
    kept = headline.removesuffix("…")
    assert lede.startswith(kept)
    assert lede[len(kept)] == " ", "cut inside a word"
    assert not kept.endswith((" ", ",", ";", ":"))
    assert not headline.startswith("TEHRAN")


def test_seed_identity_comes_from_the_file_name_and_the_config(
    seed: dict[str, Any], repo_config: Config
) -> None:
    stem = SEED_ARTICLE.stem
    assert seed["slug"] == stem
    assert seed["id"] == repo_config.base_iri + stem
    assert seed["url"] == repo_config.article_url(stem)
    assert seed["version"] == 1
    assert seed["language"] == "en"


def test_seed_reads_through_the_reader_as_a_valid_article(repo_config: Config) -> None:
    [result] = Reader(repo_config).read(SEED_ARTICLE)
    assert result.error is None
    assert result.article is not None
    assert result.article.dateline is not None
    assert result.article.dateline.place is not None
    assert result.article.dateline.place.name == "TEHRAN"
    assert len(result.article.body) == 16


# --- the date line and header lines -----------------------------------------------------------


def test_date_line_with_the_body_on_the_same_line() -> None:
    article = valid(parse("date 2025-07-30 TEHRAN – The talks resumed.\n\nMore followed."))
    assert article["datePublished"] == "2025-07-30"
    assert article["dateline"]["place"] == {"name": "TEHRAN"}
    assert texts(article) == ["The talks resumed.", "More followed."]


def test_date_line_on_its_own() -> None:
    article = valid(parse("date 2025-07-30\n\nTEHRAN – The talks resumed.\n\nMore followed."))
    assert article["datePublished"] == "2025-07-30"
    assert article["dateline"]["date"] == "2025-07-30"
    assert texts(article) == ["The talks resumed.", "More followed."]


def test_date_line_with_a_time_gives_the_dateline_its_day() -> None:
    article = valid(parse("date 2025-07-30T23:15:00+03:30\nTEHRAN – The talks resumed."))
    assert article["datePublished"] == "2025-07-30T23:15:00+03:30"
    assert article["dateline"]["date"] == "2025-07-30"


def test_no_date_line_means_no_date() -> None:
    article = valid(parse("TEHRAN – The talks resumed."))
    assert "datePublished" not in article
    assert "date" not in article["dateline"]


# header key -> (value written, field, value expected)
HEADER_CASES: dict[str, tuple[str, str, Any]] = {
    "id": ("urn:example:story:42", "id", "urn:example:story:42"),
    "version": ("3", "version", 3),
    "slug": ("talks-resume", "slug", "talks-resume"),
    "url": ("https://example.org/talks", "url", "https://example.org/talks"),
    "headline": ("Talks resume in Geneva", "headline", "Talks resume in Geneva"),
    "subheadline": ("Both sides sound hopeful", "subheadline", "Both sides sound hopeful"),
    "summary": ("Negotiators met again.", "summary", "Negotiators met again."),
    "language": ("en-GB", "language", "en-GB"),
    "date": ("2025-07-30", "datePublished", "2025-07-30"),
    "created": ("2025-07-29T18:00:00Z", "dateCreated", "2025-07-29T18:00:00Z"),
    "modified": ("2025-07-31T08:30:00+02:00", "dateModified", "2025-07-31T08:30:00+02:00"),
    "embargoed": ("2025-07-30T06:00:00Z", "embargoedUntil", "2025-07-30T06:00:00Z"),
    "expires": ("2025-07-31", "expires", "2025-07-31"),
    "status": ("withheld", "pubStatus", "withheld"),
    "urgency": ("3", "urgency", 3),
    "section": ("World", "section", "World"),
    "genre": (
        "genre:Current Current news",
        "genres",
        [{"scheme": "genre", "code": "Current", "label": "Current news"}],
    ),
    "signal": ("correction", "signals", ["correction"]),
    "note": (
        "Corrects the minister's name.",
        "notes",
        [{"text": "Corrects the minister's name.", "audience": "partner"}],
    ),
    "author": (
        "Jane Doe <https://example.org/staff/jane>",
        "authors",
        [{"name": "Jane Doe", "url": "https://example.org/staff/jane"}],
    ),
    "credit": ("Reuters / AP", "creditLine", "Reuters / AP"),
    "subject": (
        "medtop:20000565 diplomacy",
        "subjects",
        [{"scheme": "medtop", "code": "20000565", "label": "diplomacy"}],
    ),
    "keywords": ("Iran, Venezuela ,, diplomacy", "keywords", ["Iran", "Venezuela", "diplomacy"]),
}


def test_every_header_key_has_a_test_case() -> None:
    assert set(HEADER_CASES) == set(HEADERS)


@pytest.mark.parametrize("key", sorted(HEADER_CASES))
def test_each_header_line_sets_its_field(key: str) -> None:
    value, field, expected = HEADER_CASES[key]
    article = valid(parse(f"{key} {value}\nGENEVA – Talks resumed on Monday.\n\nMore text."))
    assert article[field] == expected
    assert texts(article) == ["Talks resumed on Monday.", "More text."]


def test_repeatable_headers_keep_their_order() -> None:
    article = valid(
        parse(
            "author Jane Doe\nauthor John Roe <https://example.org/john>\n"
            "subject medtop:20000565 diplomacy\nsubject medtop:11000000\n"
            "signal update\nsignal correction\n\nBody text."
        )
    )
    assert article["authors"] == [
        {"name": "Jane Doe"},
        {"name": "John Roe", "url": "https://example.org/john"},
    ]
    assert article["subjects"] == [
        {"scheme": "medtop", "code": "20000565", "label": "diplomacy"},
        {"scheme": "medtop", "code": "11000000"},
    ]
    assert article["signals"] == ["update", "correction"]


def test_headers_may_be_separated_by_blank_lines_and_indented() -> None:
    article = valid(parse("\n  headline Custom\n\n  section World\n\nBody text."))
    assert (article["headline"], article["section"]) == ("Custom", "World")
    assert texts(article) == ["Body text."]


def test_an_unknown_key_starts_the_body() -> None:
    article = valid(parse("headline Custom\nfoo bar baz\n\nSecond."))
    assert texts(article) == ["foo bar baz", "Second."]


def test_header_values_the_schema_refuses_are_left_for_it_to_name() -> None:
    with pytest.warns(InputWarning, match="version 'two' is not a whole number"):
        article = TextImporter().parse(b"urgency high\nversion two\n\nBody text.", "story.txt")
    # the version falls back to 1 as in every importer (wirekit.plugin.version_from)
    assert (article["urgency"], article["version"]) == ("high", 1)
    pointers = {problem.pointer for problem in schema.problems(article)}
    assert pointers == {"/urgency"}


@pytest.mark.parametrize("digits", ["²", "③", "¹²"])
def test_a_number_header_with_unicode_digits_is_not_a_crash(digits: str) -> None:
    try:
        article = parse(f"urgency {digits}\n\nBody text.")
    except InputError:
        return
    assert schema.problems(article) != [] or article["urgency"] in range(1, 10)


# --- datelines --------------------------------------------------------------------------------

DATELINES = [
    # (first paragraph, dateline text, place, agency or None, lede)
    (
        "GENEVA, Switzerland (Reuters) — Talks resumed.",
        "GENEVA, Switzerland (Reuters) —",
        {"name": "GENEVA", "country": "Switzerland"},
        "Reuters",
        "Talks resumed.",
    ),
    ("TEHRAN — Talks resumed.", "TEHRAN —", {"name": "TEHRAN"}, None, "Talks resumed."),
    ("TEHRAN – Talks resumed.", "TEHRAN –", {"name": "TEHRAN"}, None, "Talks resumed."),
    ("TEHRAN - Talks resumed.", "TEHRAN -", {"name": "TEHRAN"}, None, "Talks resumed."),
    ("NEW YORK – Talks resumed.", "NEW YORK –", {"name": "NEW YORK"}, None, "Talks resumed."),
    ("LONDON (AP) - Talks resumed.", "LONDON (AP) -", {"name": "LONDON"}, "AP", "Talks resumed."),
    ("طهران – استؤنفت المحادثات.", "طهران –", {"name": "طهران"}, None, "استؤنفت المحادثات."),
    ("東京 — 会談が再開された。", "東京 —", {"name": "東京"}, None, "会談が再開された。"),
]


@pytest.mark.parametrize(("paragraph", "text", "place", "agency", "lede"), DATELINES)
def test_datelines(
    paragraph: str, text: str, place: dict[str, str], agency: str | None, lede: str
) -> None:
    article = valid(parse(f"date 2025-07-30\n{paragraph}\n\nSecond paragraph."))
    assert article["dateline"] == {"text": text, "place": place, "date": "2025-07-30"}
    assert article["body"][0] == {"type": "paragraph", "text": lede}
    if agency:
        assert article["sourceAgency"] == {"name": agency}
    else:
        assert "sourceAgency" not in article


def test_a_dateline_may_be_wrapped_onto_the_next_line() -> None:
    article = valid(parse("GENEVA, Switzerland\n(Reuters) – Talks\nresumed."))
    assert article["dateline"]["place"] == {"name": "GENEVA", "country": "Switzerland"}
    assert texts(article) == ["Talks resumed."]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Talks resumed in Geneva on Monday.",
        "the talks – which began Monday – went on.",
        "Geneva – Talks resumed.",
        "WASHINGTON-based groups said so.",
        "GENEVA, switzerland – Talks resumed.",
        "GENEVA –",
        "– Talks resumed.",
    ],
)
def test_not_a_dateline(paragraph: str) -> None:
    article = valid(parse(f"{paragraph}\n\nSecond."))
    assert "dateline" not in article
    assert "sourceAgency" not in article
    assert texts(article) == [paragraph, "Second."]


def test_only_the_first_paragraph_has_a_dateline() -> None:
    article = valid(parse("Talks resumed.\n\nGENEVA – Later, more."))
    assert "dateline" not in article
    assert texts(article) == ["Talks resumed.", "GENEVA – Later, more."]


# --- encodings, line ends, paragraphs ---------------------------------------------------------

STORY = "date 2025-07-30 GENEVA – Talks\nresumed on Monday.\n\nBoth sides\nsounded hopeful.\n"


@pytest.mark.parametrize(
    "data",
    [
        STORY.encode(),
        STORY.replace("\n", "\r\n").encode(),
        STORY.replace("\n", "\r").encode(),
        b"\xef\xbb\xbf" + STORY.encode(),
        b"\xef\xbb\xbf" + STORY.replace("\n", "\r\n").encode(),
    ],
    ids=["lf", "crlf", "cr", "bom", "bom-crlf"],
)
def test_line_ends_and_bom_do_not_matter(data: bytes) -> None:
    article = valid(parse(data))
    assert article == parse(STORY)
    assert texts(article) == ["Talks resumed on Monday.", "Both sides sounded hopeful."]
    assert article["datePublished"] == "2025-07-30"


def test_wrapped_lines_are_joined_and_blank_lines_separate() -> None:
    article = valid(parse("One\n  two  \nthree.\n\n\n \t \nFour\nfive.\n\n"))
    assert texts(article) == ["One two three.", "Four five."]


def test_lists() -> None:
    article = valid(parse("Lede.\n\n- first\n- second\n\n* star\n• bullet\n\n- a\nnot an item"))
    assert article["body"][1:] == [
        {"type": "list", "items": ["first", "second"]},
        {"type": "list", "items": ["star", "bullet"]},
        {"type": "paragraph", "text": "- a not an item"},
    ]


def test_ordered_lists() -> None:
    article = valid(parse("Lede.\n\n1. first\n2) second\n10. tenth"))
    assert article["body"][1] == {
        "type": "list",
        "ordered": True,
        "items": ["first", "second", "tenth"],
    }


def test_headings() -> None:
    article = valid(parse("Lede.\n\n## Section\n\n### Sub\n\n###### Six\n\n# One\n\n####### Seven"))
    assert article["body"][1:] == [
        {"type": "heading", "level": 2, "text": "Section"},
        {"type": "heading", "level": 3, "text": "Sub"},
        {"type": "heading", "level": 6, "text": "Six"},
        {"type": "paragraph", "text": "# One"},
        {"type": "paragraph", "text": "####### Seven"},
    ]


@pytest.mark.parametrize("dash", ["—", "–", "--"])
def test_block_quotes_with_an_attribution(dash: str) -> None:
    article = valid(parse(f"Lede.\n\n> To be\n> or not to be.\n> {dash} Hamlet\n\n> Just a quote."))
    assert article["body"][1:] == [
        {"type": "blockquote", "attribution": "Hamlet", "text": "To be or not to be."},
        {"type": "blockquote", "text": "Just a quote."},
    ]


def test_the_headline_comes_from_the_first_paragraph_not_a_heading_or_list() -> None:
    article = valid(parse("## Background\n\n- a point\n\nThe talks resumed. Then more."))
    assert article["headline"] == "The talks resumed"


# --- control characters and encodings ---------------------------------------------------------


def test_control_characters_are_removed_with_a_warning_naming_the_line() -> None:
    data = "Lede.\n\nSecond\x07 para\x1bgraph.\n\nDEL\x7f and C1\x85 and \ufffe gone.\tTab kept."
    with pytest.warns(InputWarning, match=r"story\.txt: line 3: removed 5 control character") as w:
        article = TextImporter().parse(data.encode(), "story.txt")
    assert len(w) == 1
    valid(article)
    assert texts(article) == [
        "Lede.",
        "Second paragraph.",
        "DEL and C1 and  gone.\tTab kept.",
    ]


def test_control_characters_in_header_values_are_removed_too() -> None:
    with pytest.warns(InputWarning, match="line 1"):
        article = TextImporter().parse(b"headline Bad\x00 headline\n\nBody.", "story.txt")
    assert valid(article)["headline"] == "Bad headline"


@pytest.mark.parametrize(
    ("data", "place"),
    [
        (b"Lede.\n\nCaf\xe9 au lait.", "line 3, byte 10"),
        (b"\xff\xfeL\x00e\x00", "line 1, byte 0"),
        (b"Truncated \xe2\x80", "line 1, byte 10"),
        (b"Surrogate \xed\xa0\x80 encoded", "line 1, byte 10"),
        (b"Overlong \xc0\xaf slash", "line 1, byte 9"),
    ],
    ids=["latin-1", "utf-16", "truncated", "surrogate", "overlong"],
)
def test_bytes_that_are_not_utf8_name_the_file_and_byte_offset(data: bytes, place: str) -> None:
    with pytest.raises(InputError) as raised:
        read(data, "wire/story.txt")
    assert raised.value.source == "wire/story.txt"
    assert raised.value.place == place
    assert str(raised.value).startswith(f"wire/story.txt: {place}: not UTF-8")


def test_the_byte_offset_counts_the_bom() -> None:
    with pytest.raises(InputError) as raised:
        read(b"\xef\xbb\xbfok\n\xc3(", "story.txt")
    assert raised.value.place == "line 2, byte 6"
    assert "0xC3" in str(raised.value)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xef\xbb\xbf",
        b" \n\t\r\n\n",
        b"headline Only a headline\nslug only-a-slug\n",
        b"date 2025-07-30\n",
        b"date 2025-07-30   \n\n",
        b"\x00\x01\x02\n",
    ],
    ids=["empty", "bom", "blank", "headers", "date", "date-blank", "controls"],
)
def test_no_body_is_an_error_not_an_empty_article(data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        with pytest.raises(InputError, match="no body") as raised:
            read(data, "empty.txt")
    assert str(raised.value).startswith("empty.txt: ")


# --- headline derivation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lede", "headline"),
    [
        ("Short lede.", "Short lede"),
        ("Short lede", "Short lede"),
        ("The U.S. Senate voted on Tuesday. Then more.", "The U.S. Senate voted on Tuesday"),
        (
            "Dr. Smith and Mr. Jones met Gen. Lee. Then more.",
            "Dr. Smith and Mr. Jones met Gen. Lee",
        ),
        ("A deal, e.g. this one, was signed. Then more.", "A deal, e.g. this one, was signed"),
        ("Is it over? Yes, said the envoy.", "Is it over?"),
        ("It is over! Yes.", "It is over!"),
        ("He said “Yes.” Then he left.", "He said “Yes.”"),
        ("Wait for it...", "Wait for it..."),
        ("Talks\n  resumed  here. Then more.", "Talks resumed here"),
    ],
)
def test_headline_derivation(lede: str, headline: str) -> None:
    assert derive_headline(lede) == headline


def test_first_sentence_is_not_fooled_by_abbreviations() -> None:
    assert first_sentence("Officials in the U.S. said so. Others did not.") == (
        "Officials in the U.S. said so."
    )


LONG = (
    "Negotiators from both countries, meeting for the third time this month in the Swiss city "
    "of Geneva, agreed on Monday to extend the ceasefire by another ninety days. Then more."
)


def test_a_long_first_sentence_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    headline = derive_headline(LONG)
    assert len(headline) <= HEADLINE_LIMIT
    assert headline.endswith("…")
    kept = headline.removesuffix("…")
    assert LONG.startswith(kept)
    assert LONG[len(kept)] == " "
    assert not kept.endswith((",", " "))
    assert len(kept) > HEADLINE_LIMIT - 20, "cut far too early"


def test_a_sentence_of_exactly_the_limit_is_kept_whole() -> None:
    sentence = ("word " * 40)[: HEADLINE_LIMIT - 1].strip() + "s"
    sentence = sentence.ljust(HEADLINE_LIMIT, "s")
    assert len(sentence) == HEADLINE_LIMIT
    assert derive_headline(sentence) == sentence
    assert derive_headline(sentence + "x") != sentence + "x"


def test_a_single_enormous_word_is_cut_anyway() -> None:
    headline = derive_headline("x" * 500)
    assert len(headline) <= HEADLINE_LIMIT
    assert headline.endswith("…")


@pytest.mark.parametrize("limit", [20, 50, 110])
@given(lede=st.text(st.sampled_from("ab .,;:–!?U.S\n"), min_size=1, max_size=300))
def test_derived_headlines_respect_the_limit(limit: int, lede: str) -> None:
    headline = derive_headline(lede, limit)
    assert len(headline) <= limit
    assert "\n" not in headline


def test_a_header_headline_wins_over_the_lede() -> None:
    article = valid(parse("headline Talks resume\nGENEVA – Negotiators met. More."))
    assert article["headline"] == "Talks resume"


@pytest.mark.parametrize(
    "body",
    ["- first point\n- second point", "1. first\n2. second", ".", "date 2025-07-30 ."],
)
def test_every_body_gives_a_headline(body: str) -> None:
    article = parse(body)
    assert article["headline"].strip()
    valid(article)


@pytest.mark.parametrize("body", ["Lede.\n\n>", "Lede.\n\n>\n> — Someone"])
def test_an_empty_quote_is_not_an_invalid_block(body: str) -> None:
    valid(parse(body))


@pytest.mark.parametrize(
    "body",
    ["Lede.\n\n##\tTab\theading", "NEW\tYORK – Talks.", "Lede.\n\n> A quote.\n> —\tJane\tDoe"],
    ids=["heading", "dateline", "attribution"],
)
def test_tabs_in_single_line_fields_become_spaces(body: str) -> None:
    valid(parse(body))


class _Slow(Exception):
    pass


@pytest.fixture()
def time_limit() -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise _Slow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_headline_derivation_is_not_quadratic_in_the_lede(time_limit: None) -> None:
    # about 30 KB of abbreviation-like sentence ends; a linear scan takes milliseconds
    parse("A. " * 10_000 + "end")


# --- slugs and ids ----------------------------------------------------------------------------


def test_slug_from_the_file_stem() -> None:
    assert parse("Body.", "in/Über Café — Story!.txt")["slug"] == "uber-cafe-story"


def test_slug_from_the_headline_for_stdin() -> None:
    article = valid(parse("GENEVA – Talks resume in Geneva. More.", "-"))
    assert article["slug"] == "talks-resume-in-geneva"
    assert article["id"] == "urn:wirekit:article:talks-resume-in-geneva"


def test_slug_from_the_headline_when_the_stem_has_no_latin_letters() -> None:
    assert parse("Talks resume.", "خبر.txt")["slug"] == "talks-resume"


def test_slug_is_a_stable_hash_when_nothing_is_latin() -> None:
    one = valid(parse("طهران – استؤنفت المحادثات.", "خبر.txt"))
    again = parse("طهران – استؤنفت المحادثات.", "خبر.txt")
    other = parse("طهران – انتهت المحادثات.", "خبر.txt")
    assert re.fullmatch(r"article-[0-9a-f]{12}", one["slug"])
    assert one["slug"] == again["slug"]
    assert one["slug"] != other["slug"]
    assert one["id"].endswith(one["slug"])


def test_a_slug_header_wins_and_slugs_are_cut_at_a_word_boundary() -> None:
    assert parse("slug my-slug\n\nBody.", "other.txt")["slug"] == "my-slug"
    slug = parse("Body.", "word-" * 40 + "end.txt")["slug"]
    assert len(slug) <= 80
    assert slug.endswith("word")


# --- what the config supplies -----------------------------------------------------------------


def test_defaults_without_a_config() -> None:
    article = valid(parse("date 2025-07-30\nBody text.", "story.txt"))
    assert article["id"] == "urn:wirekit:article:story"
    assert article["language"] == "en"
    for absent in ("url", "publisher", "provider", "rights"):
        assert absent not in article


def test_config_facts() -> None:
    config = from_mapping(
        {
            "base_iri": "https://news.example.org/id/",
            "base_url": "https://news.example.org",
            "language": "de",
            "publisher": PUBLISHER,
            "rights": RIGHTS,
        }
    )
    article = valid(parse("date 2025-07-30\nBERLIN – Gespräche.", "talks.txt", config))
    assert article["id"] == "https://news.example.org/id/talks"
    assert article["url"] == "https://news.example.org/articles/talks/"
    assert article["language"] == "de"
    assert article["publisher"] == PUBLISHER
    assert article["provider"] == PUBLISHER
    assert article["rights"] == {**RIGHTS, "copyrightYear": 2025}


def test_config_provider_rights_year_and_header_overrides() -> None:
    provider = {"name": "Wire Service"}
    config = from_mapping(
        {
            "publisher": PUBLISHER,
            "provider": provider,
            "rights": {**RIGHTS, "copyrightYear": 2024},
            "language": "de",
        }
    )
    text = "date 2025-07-30\nlanguage fr\nurl https://example.org/a\nid urn:x:1\n\nBody."
    article = valid(parse(text, "talks.txt", config))
    assert article["provider"] == provider
    assert article["rights"]["copyrightYear"] == 2024
    assert (article["language"], article["url"], article["id"]) == (
        "fr",
        "https://example.org/a",
        "urn:x:1",
    )


def test_no_copyright_year_without_a_date() -> None:
    article = valid(parse("Body.", "talks.txt", from_mapping({"rights": RIGHTS})))
    assert article["rights"] == RIGHTS


# --- the property: any bytes give a valid article or an InputError -----------------------------

# header key -> the top-level fields its value ends up in
_HEADER_FIELDS = {key: {field} for key, (field, _, _) in HEADERS.items()}
_HEADER_FIELDS["date"] |= {"dateline", "rights"}
_HEADER_FIELDS["slug"] |= {"id", "url"}
_HEADER_LINE = re.compile(r"([a-z]+)\s")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def _fields_from_headers(data: bytes) -> set[str]:
    """Fields whose value may have been typed in a header line (a superset: any line that looks
    like one once control characters are gone); only these may fail the schema."""
    text = _CONTROLS.sub("", data.decode("utf-8", "replace").replace("\r", "\n"))
    keys = {m.group(1) for line in text.split("\n") if (m := _HEADER_LINE.match(line.strip()))}
    return {field for key in keys & set(_HEADER_FIELDS) for field in _HEADER_FIELDS[key]}


def _check_any_input(data: bytes, config: Config) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        try:
            article = TextImporter(config).parse(data, "story.txt")
        except InputError:
            return
    allowed = _fields_from_headers(data)
    wrong = [p for p in schema.problems(article) if p.pointer.split("/")[1] not in allowed]
    assert wrong == [], (data, article)


_WIRE = st.lists(
    st.one_of(
        st.sampled_from(
            [
                *"aZ .,!?…–—-#>*•1)\n\n\t\r",
                *("U.S.", "Dr.", "GENEVA", "date 2025-07-30 ", "headline ", "urgency 5\n", "> — "),
            ]
        ),
        st.characters(),
    ),
    max_size=100,
).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))


@settings(max_examples=150)
@given(data=st.one_of(st.binary(max_size=300), _WIRE))
@example(data=b"- a\n- b")
@example(data=b".")
@example(data=b">")
@example(data=b"urgency \xc2\xb2\n\nBody.")
@example(data=b"NEW\tYORK \xe2\x80\x93 Talks.")
@example(data=b">!\n>\xe2\x80\x93\xe2\x80\x93")  # a line of dashes alone is no attribution
def test_any_bytes_give_a_valid_article_or_an_input_error(data: bytes) -> None:
    _check_any_input(data, from_mapping({"publisher": PUBLISHER, "rights": RIGHTS}))


_WORD = st.text(st.sampled_from("abcdeéxyzابج日本"), min_size=1, max_size=8)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join)


@st.composite
def _wire_copy(draw: st.DrawFn) -> bytes:
    """Well-formed wire copy: headers, a dateline, a lede, then any kind of block."""
    lines = draw(st.lists(st.sampled_from(["date 2025-07-30", "section World", "urgency 2"])))
    place = draw(st.sampled_from(["", "GENEVA – ", "NEW YORK (AP) — ", "طهران - "]))
    lede = place + draw(_PARAGRAPH)
    blocks = draw(
        st.lists(
            st.one_of(
                _PARAGRAPH,
                _SENTENCE.map(lambda s: "## " + s),
                st.lists(_SENTENCE, min_size=1, max_size=3).map(
                    lambda items: "\n".join("- " + i for i in items)
                ),
                st.tuples(_PARAGRAPH, _WORD).map(lambda q: f"> {q[0]}\n> — {q[1]}"),
            ),
            max_size=5,
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = "\n".join(lines) + "\n" + "\n\n".join([lede, *blocks])
    return text.replace("\n", newline).encode()


@given(data=_wire_copy())
def test_well_formed_wire_copy_gives_a_valid_article(data: bytes) -> None:
    article = valid(parse(data, "story.txt", from_mapping({"rights": RIGHTS})))
    assert article["headline"].strip()
    assert len(article["headline"]) <= HEADLINE_LIMIT


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("headline Secret\nembargo 2099-01-01T00:00:00Z\n\nLONDON – Body.\n", 2),
        ("headline Secret\nSTATUS withheld\n\nLONDON – Body.\n", 2),
        ("headline Secret\nembargoed: 2099-01-01T00:00:00Z\n\nB.\n", 2),
        ("Embargoed 2099-01-01T00:00:00Z\n\nBERLIN – Body.\n", 1),
        ("headline S\nembargo-until 2099-01-01T00:00:00Z\n\nBody.\n", 2),
        # a header line after the date line that starts the body is body text: refused too
        ("headline S\ndate 2025-01-01 BERLIN – Talks.\nembargoed 2099-01-01T00:00:00Z\n", 3),
        ("headline S\ndate 2025-01-01 BERLIN – Talks.\nstatus withheld\n", 3),
    ],
)
def test_an_embargo_or_status_the_header_did_not_read_refuses_the_file(
    tmp_path: Path, text: str, line: int
) -> None:
    """Read as the body, a mistyped or misplaced embargo or status would publish the story as
    if it had none (found by two hostile-operator trials): a line of the body's first
    paragraph that reads like one refuses the file, naming the line."""
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    (result,) = Reader(Config()).read(path)
    assert result.error is not None and result.article is None
    assert f"line {line}: " in str(result.error) and "is not a header line" in str(result.error)


@pytest.mark.parametrize(
    "text",
    [
        "headline Open\n\nStatus of the talks is unclear.\n",
        "headline Talks\ndate 2025-01-01\nNotes from the meeting were kept.\n",
        "headline Talks\ndate 2025-01-01\nSection 5 of the law applies.\n",
        "headline Talks\nSignals from Moscow were mixed.\n",
        "headline T\nURGENT: talks collapse.\n",
        "headline T\n\nThe embargo on arms, in force since 2003-05-01, was lifted.\n",
    ],
)
def test_body_text_that_only_looks_like_a_header_is_read_as_written(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    (result,) = Reader(Config()).read(path)
    assert result.error is None, str(result.error)
