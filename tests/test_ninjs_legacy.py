"""ninjs 1.x and AP's ninjs profile in (reading only), and the one-line refusal of a version
wirekit does not read; on committed fixtures and on the old-spelling files of the corpus."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS as SHARED_CORPUS
from wirekit import registry
from wirekit.config import Config
from wirekit.errors import InputError, InputWarning
from wirekit.formats.ninjs.reader import NinjsImporter
from wirekit.sources import Reader

FIXTURES = Path(__file__).parent / "fixtures" / "ninjs"
CORPUS = SHARED_CORPUS / "ninjs"


def read(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """(the articles, the errors and warnings, each one line)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = list(Reader(Config()).read(path))
    errors = [str(r.error) for r in results if r.error is not None]
    warned = [str(w.message) for w in caught if w.category is InputWarning]
    return [r.data for r in results if r.data is not None], errors + warned


def errors(path: Path) -> list[str]:
    return [str(r.error) for r in Reader(Config()).read(path) if r.error is not None]


def test_ninjs_1_maps_its_own_spelling() -> None:
    (article,), problems = read(FIXTURES / "ninjs-1.json")
    assert problems == []
    assert article["id"] == "urn:example:ninjs1:cranes"
    assert article["headline"] == "Harbour cranes stop in storm"
    assert article["summary"] == "Winds closed the port."
    assert [b["text"] for b in article["body"]] == [
        "Winds of 110 km/h stopped every crane.",
        "Ships waited.",
    ]
    assert article["dateModified"] == "2025-07-30T09:15:00+02:00"  # +0200 given its colon
    # the byline as printed: the model's byline where it has one, else its one author
    assert article.get("byline", article.get("authors")) in ("Jane Doe", [{"name": "Jane Doe"}])
    assert article["dateline"] == {"text": "Rotterdam", "place": {"name": "Rotterdam"}}
    assert article["rights"] == {"copyrightNotice": "(c) 2025 Example Agency"}
    assert article["about"] == [{"type": "person", "name": "Piet de Vries"}]
    assert article["subjects"][0]["code"] == "20000349"


def test_aps_profile_altids_headline_extended_bylines_and_datelinelocation() -> None:
    (article,), problems = read(FIXTURES / "ap-item.json")
    assert problems == []
    assert article["headline"] == "Cranes stop"
    assert article["subheadline"] == "Harbour cranes stop as a storm hits the Dutch coast"
    assert article["authors"] == [{"name": "JANE DOE", "role": "Associated Press"}]
    assert article["dateline"] == {
        "text": "Rotterdam",
        "place": {"name": "Rotterdam", "country": "Netherlands"},
    }
    assert article["keywords"] == ["ports", "weather"]
    assert article["extensions"] == {
        "ap": {
            "altIds": {"itemid": "abc123", "friendlykey": "5397", "etag": "abc123_0"},
            "editorialpriority": "r",
        }
    }


def test_old_spellings_are_recognised_as_ninjs_not_canonical_json() -> None:
    for name in ("ninjs-1.json", "ap-item.json"):
        head = (FIXTURES / name).read_bytes()[:4096]
        assert registry.importer_for(head, name) is NinjsImporter


def test_an_unknown_version_is_refused_in_one_line_naming_it() -> None:
    document = b'{"uri": "urn:x:1", "standard": {"name": "ninjs", "version": "4.0"}}'
    (record,) = NinjsImporter(Config()).read(io.BytesIO(document), "in.json")
    assert isinstance(record.error, InputError)
    assert str(record.error) == "ninjs version '4.0' is not one wirekit reads (1.x, 2.x and 3.x)"


def test_an_ap_item_without_inline_text_says_so() -> None:
    document = (
        b'{"data": {"item": {"uri": "urn:x:1", "headline": "H", "altids": {"itemid": "1"},'
        b' "renditions": {"nitf": {"href": "https://example.org/x.xml"}}}}}'
    )
    (record,) = NinjsImporter(Config()).read(io.BytesIO(document), "in.json")
    if record.error is not None:  # no body and a model that needs one: said in one line
        assert "only renditions to download" in str(record.error)
    else:  # a model with media items: the renditions are the content, and none is fetched
        assert record.data is not None
        assert record.data["renditions"] == [{"href": "https://example.org/x.xml", "name": "nitf"}]


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in CORPUS.glob("*") if "__1.4__" in p.name or "superdesk-core" in p.name),
)
def test_old_spelling_corpus_files_import_or_say_why(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        found = errors(CORPUS / name)
    if name == "superdesk-core__ap_media_text_item.json":  # its text is only a download link
        # one clear line naming why, never a schema message about a field the file lacks
        assert all("only renditions to download" in e for e in found), found
    else:
        assert found == []
        articles, problems = read(CORPUS / name)
        assert articles
        assert all("\n" not in p for p in problems)


def test_superdesks_authors_are_authors_with_their_roles(tmp_path: Path) -> None:
    """Superdesk's 1.x output lists ``authors`` (with a login, an avatar and a biography the
    model has no place for) next to the printed ``byline``: both are kept."""
    path = tmp_path / "superdesk.json"
    path.write_text(
        '{"guid": "urn:x:sd:1", "type": "text", "headline": "H", "body_html": "<p>Text.</p>",'
        ' "byline": "Peter and Jane",'
        ' "authors": [{"user": "foo", "name": "John", "role": "writer"}, {"role": "editor"}]}'
    )
    (article,), problems = read(path)
    assert article["authors"] == [{"name": "John", "role": "writer"}]
    assert article["byline"] == "Peter and Jane"
    assert not [p for p in problems if "not carried" in p]  # authors is read
