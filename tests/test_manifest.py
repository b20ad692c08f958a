"""The publish manifest: JSON Lines read and written a line at a time; untrusted, so a damaged,
truncated or hostile one is refused naming the line, and one of another version reads as empty."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from wirekit.site import manifest
from wirekit.site.manifest import LEGACY, MANIFEST, Entry, Manifest, Source

FILES = ("article.json", "index.html")
COLLECTIONS = ("atom.xml", "rss.xml")


def _sample() -> Manifest:
    entries = {
        f"story-{n}": Entry(
            f"story-{n}", f"urn:x:{n}", "in/a.jsonl", f"{n:064x}", f"Story {n} — é", None, FILES
        )
        for n in (2, 1, 3)
    }
    sources = {"in/a.jsonl": Source("d" * 64, ("story-2", "story-1", "story-3"))}
    return Manifest(
        "f" * 64,
        {"feed_size": 100, "now": None},
        sources,
        entries,
        pages=("index.html", "sections/culture/index-2.html"),
        collection_files=("atom.xml",),
    )


def test_a_manifest_reads_back_as_written_sorted_a_record_a_line(tmp_path: Path) -> None:
    path = tmp_path / MANIFEST
    assert manifest.write(path, _sample())
    assert manifest.read(path) == _sample()
    assert manifest.read(path).recorded and not _sample().recorded
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert lines[0]["manifest"] == "wirekit publish" and lines[0]["version"] == manifest.VERSION
    assert lines[1]["input"] == "in/a.jsonl"
    assert [line["folder"] for line in lines[2:-1]] == ["story-1", "story-2", "story-3"]
    assert lines[-1]["end"] == len(lines) - 1  # the last line: a truncated file lacks it
    assert not manifest.write(path, _sample())  # the same bytes: not written again


def test_values_repeated_on_every_line_are_kept_once(tmp_path: Path) -> None:
    path = tmp_path / MANIFEST
    manifest.write(path, _sample())
    one, two = manifest.read(path).articles["story-1"], manifest.read(path).articles["story-2"]
    again = manifest.read(path).articles
    assert again["story-1"].files is again["story-2"].files
    assert again["story-1"].source is again["story-3"].source
    assert one == _sample().articles["story-1"] and two.files == FILES


def test_a_manifest_of_another_version_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / MANIFEST
    manifest.write(path, _sample())
    here = f'"version":{manifest.VERSION}'.encode()
    path.write_bytes(path.read_bytes().replace(here, b'"version":4'))
    older = manifest.read(path)
    assert older == Manifest() and not older.recorded  # no record tells whose files are whose


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[: len(data) // 2], "line"),  # cut mid-line
        (lambda data: data.rsplit(b"\n", 2)[0] + b"\n", "truncated"),  # whole lines lost
        (lambda data: b'{"version":4}\n' + data.split(b"\n", 1)[1], "not a manifest record"),
        (lambda data: data.replace(b'"hash"', b'"hush"'), "line 3"),
        (lambda data: b"[]\n" + data, "not a manifest record"),
        (lambda data: b"x", "not JSON"),
        (lambda data: data.replace(b'"story-1"', b'"../../etc"', 1), "line 2"),
        (lambda data: data.replace(b'"story-1"', b'"../../etc"'), "/folder"),
        (lambda data: data.replace(b'"article.json"', b'"/etc/passwd"'), "not one an exporter"),
        (lambda data: data.replace(b'"atom.xml"', b'"../atom.xml"'), "line 1: /collection_files"),
        (lambda data: data.replace(b'"atom.xml"', b'"secret.txt"'), "line 1: file 'secret.txt'"),
        (lambda data: data.replace(b'"index.html"', b'"notes.html"', 1), "line 1: /pages"),
        (lambda data: data.replace(b"Story 1", b"Story 9"), "does not match"),
        (lambda data: data + data.splitlines(keepends=True)[1], "after the last line"),
    ],
    ids=[
        "cut",
        "truncated",
        "no-kind",
        "missing-key",
        "not-an-object",
        "not-json",
        "unsafe-input-folder",
        "unsafe-folder",
        "foreign-file",
        "unsafe-collection",
        "foreign-collection",
        "foreign-page",
        "edited",
        "appended",
    ],
)
def test_a_damaged_or_hostile_manifest_is_refused_naming_the_line(
    tmp_path: Path, damage: object, reason: str
) -> None:
    path = tmp_path / MANIFEST
    manifest.write(path, _sample())
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    with pytest.raises(manifest.ManifestError, match=reason) as caught:
        manifest.read(path, FILES, COLLECTIONS)
    assert str(caught.value).startswith(str(path))


def test_a_missing_manifest_reads_as_empty(tmp_path: Path) -> None:
    assert manifest.read(tmp_path / MANIFEST) == Manifest()


def test_writing_a_manifest_removes_one_an_earlier_version_left(tmp_path: Path) -> None:
    for name in LEGACY:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    manifest.write(tmp_path / MANIFEST, _sample())
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST]
