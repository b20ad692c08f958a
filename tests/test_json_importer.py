"""The canonical JSON importer: one article, an array, JSON Lines; errors with their place."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wirekit.errors import InputError, ValidationError
from wirekit.formats.canonical.reader import JSONImporter
from wirekit.plugin import Record
from wirekit.sources import Reader

ARTICLE: dict[str, Any] = {
    "id": "urn:example:story:1",
    "version": 1,
    "headline": "Talks resume in Geneva",
    "language": "en",
    "body": [{"type": "paragraph", "text": "Negotiators met again on Monday — «enfin»."}],
}


def article(n: int) -> dict[str, Any]:
    return {**ARTICLE, "id": f"urn:example:story:{n}", "headline": f"Story {n}"}


def line(n: int) -> bytes:
    return json.dumps(article(n), ensure_ascii=False).encode() + b"\n"


def records(data: bytes, source: str = "in.json") -> list[Record]:
    return list(JSONImporter().read(io.BytesIO(data), source))


def error_of(data: bytes, source: str = "in.json") -> InputError:
    with pytest.raises(InputError) as raised:
        records(data, source)
    assert raised.value.source == source
    return raised.value


def test_one_object() -> None:
    [record] = records(json.dumps(ARTICLE, ensure_ascii=False).encode())
    assert record == Record(ARTICLE, None)


def test_an_array_places_each_article_by_its_index() -> None:
    data = json.dumps([article(0), article(1)]).encode()
    found = records(data)
    assert [r.place for r in found] == ["/0", "/1"]
    assert [r.data for r in found] == [article(0), article(1)]


def test_an_empty_array_is_no_articles() -> None:
    assert records(b"[]") == []


def test_an_array_item_that_is_not_an_object_is_named_by_its_index() -> None:
    stream = JSONImporter().read(io.BytesIO(json.dumps([article(0), 7]).encode()), "in.json")
    assert next(stream).place == "/0"
    with pytest.raises(InputError) as raised:
        next(stream)
    assert raised.value.place == "/1"
    assert str(raised.value) == "in.json: /1: an article must be a JSON object, not a number"


@pytest.mark.parametrize(
    "suffix",
    [
        ".jsonl",
        ".ndjson",
        ".JSONL",
    ],
)
def test_json_lines_place_each_article_by_its_line(suffix: str) -> None:
    data = line(1) + b"\n   \n" + line(2) + line(3).rstrip(b"\n")
    found = records(data, "archive" + suffix)
    assert [(r.place, r.data) for r in found] == [
        ("line 1", article(1)),
        ("line 4", article(2)),
        ("line 5", article(3)),
    ]


def test_a_bad_line_becomes_an_error_record_and_reading_goes_on() -> None:
    data = line(1) + b'{"id": "urn:x",\n' + b"[1, 2]\n" + line(4) + b"caf\xe9\n" + line(6)
    found = records(data, "archive.jsonl")
    assert [r.place for r in found] == [f"line {n}" for n in range(1, 7)]
    assert [r.data for r in found if r.error is None] == [article(1), article(4), article(6)]
    errors = {r.place: r.error for r in found if r.error is not None}
    assert set(errors) == {"line 2", "line 3", "line 5"}
    assert "malformed JSON" in str(errors["line 2"])
    assert str(errors["line 3"]) == "line 3: an article must be a JSON object, not an array"
    assert "not valid UTF-8" in str(errors["line 5"])


def test_json_lines_with_crlf() -> None:
    data = line(1).replace(b"\n", b"\r\n") + line(2).replace(b"\n", b"\r\n")
    assert [r.data for r in records(data, "a.jsonl")] == [article(1), article(2)]


def test_json_lines_are_read_one_line_at_a_time(tmp_path: Path) -> None:
    """A reader that pulls one record at a time must not hold the whole archive."""
    path = tmp_path / "big.jsonl"
    padding = "x" * 4000
    with path.open("wb") as out:
        for n in range(3000):  # about 12 MB
            out.write(json.dumps({**article(n), "summary": padding}).encode() + b"\n")
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            count = sum(1 for _ in JSONImporter().read(stream, str(path)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 3000
    assert peak < 2_000_000, f"peak {peak} bytes: the archive was read whole"


@pytest.mark.parametrize(
    ("data", "place"),
    [
        (b'{"id": "urn:x:1",\n "version": 1,\n}', "line 2, column 14"),
        (b'{"id": "urn:x:1" "version": 1}', "line 1, column 18"),
        (b"", "line 1, column 1"),
        (b'{"version": NaN}', "line 1, column 13"),
        (b'{"version": 1e999}', None),
        (b"[" * 2000 + b"]" * 2000, None),
    ],
    ids=["trailing-comma", "missing-comma", "empty", "nan", "infinity", "too-deep"],
)
def test_malformed_json_names_line_and_column(data: bytes, place: str | None) -> None:
    error = error_of(data)
    assert error.message.startswith("malformed JSON: ")
    assert error.place is not None
    if place is not None:
        assert error.place == place
    assert str(error).startswith(f"in.json: {error.place}: malformed JSON")


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b'"story"', "a string"), (b"42", "a number"), (b"true", "true or false"), (b"null", "null")],
)
def test_a_document_that_is_not_an_object(data: bytes, kind: str) -> None:
    error = error_of(data)
    assert str(error) == f"in.json: /: an article must be a JSON object, not {kind}"


def test_a_bom_is_accepted() -> None:
    [record] = records(b"\xef\xbb\xbf" + json.dumps(ARTICLE).encode())
    assert record.data == ARTICLE


def test_a_bom_is_accepted_in_json_lines() -> None:
    found = records(b"\xef\xbb\xbf" + line(1) + line(2), "a.jsonl")
    assert [r.error for r in found] == [None, None]


@pytest.mark.parametrize(
    "data",
    [
        b'{"headline": "\\ud800"}',
        b'{"headline": "\\udfff tail"}',
        b'{"headline": "\\ud800\\u0041"}',
        b'{"headline": "\xed\xa0\x80"}',
    ],
    ids=["escaped-high", "escaped-low", "high-then-letter", "encoded"],
)
def test_lone_surrogates_are_refused(data: bytes) -> None:
    assert error_of(data).message.startswith("malformed JSON")


def test_a_surrogate_pair_is_fine() -> None:
    [record] = records(b'{"headline": "\\ud83d\\ude00"}')
    assert record.data == {"headline": "😀"}


def test_big_integers_are_kept_exactly_or_refused() -> None:
    data = b'{"extensions": {"example": {"n": 18446744073709551617}}}'
    try:
        [record] = records(data)
    except InputError:
        return
    assert record.data is not None
    assert record.data["extensions"]["example"]["n"] == 18446744073709551617


@pytest.mark.parametrize(
    "data",
    [
        b'{"a": "x", "a": "y"}',
        b'{"k": "one\\u003a", "k": "two"}',  # the escaped colon hides nothing from the count
        b'{"a": {"b": 1, "c": 2, "b": 3}}',
    ],
)
def test_a_duplicate_key_is_refused_wherever_it_is(data: bytes) -> None:
    assert "duplicate key" in error_of(data).message


def test_what_only_looks_deep_or_long_is_read_as_it_is() -> None:
    brackets = "[{" * 80
    digits = "1234567890" * 3
    data = json.dumps({"headline": brackets, "id": digits, "n": [[1.5]]}).encode()
    [record] = records(data)
    assert record.data == {"headline": brackets, "id": digits, "n": [[1.5]]}


def test_sniff() -> None:
    assert JSONImporter.sniff(b'{"id": 1}')
    assert JSONImporter.sniff(b"\xef\xbb\xbf\r\n  [")
    assert not JSONImporter.sniff(b"TEHRAN \xe2\x80\x93 text")
    assert not JSONImporter.sniff(b"")
    assert not JSONImporter.sniff(b"<newsItem/>")


# --- through the Reader: validation happens once, after the importer --------------------------


def _results(tmp_path: Path, name: str, data: bytes) -> Iterator[Any]:
    path = tmp_path / name
    path.write_bytes(data)
    return Reader().read(path)


def test_the_reader_validates_each_line_and_keeps_going(tmp_path: Path) -> None:
    bad = json.dumps({**article(2), "version": 0}).encode() + b"\n"
    results = list(_results(tmp_path, "a.jsonl", line(1) + bad + b"{\n" + line(4)))
    assert [r.place for r in results] == ["line 1", "line 2", "line 3", "line 4"]
    assert [r.article is not None for r in results] == [True, False, False, True]
    invalid = results[1].error
    assert isinstance(invalid, ValidationError)
    assert [p.pointer for p in invalid.problems] == ["/version"]
    assert str(invalid).startswith(f"{tmp_path / 'a.jsonl'}: line 2: /version: ")
    assert "malformed JSON" in str(results[2].error)


def test_the_reader_reports_a_bad_array_item_and_keeps_the_ones_before(tmp_path: Path) -> None:
    results = list(_results(tmp_path, "a.json", json.dumps([article(0), "x"]).encode()))
    assert results[0].article is not None
    assert results[-1].error is not None
    assert results[-1].place == "/1"


def test_the_reader_reads_what_it_is_given(tmp_path: Path) -> None:
    [result] = _results(tmp_path, "story.json", json.dumps(ARTICLE, ensure_ascii=False).encode())
    assert result.error is None
    assert result.article is not None
    assert result.article.to_dict() == ARTICLE
