"""The publish manifest: JSON Lines read and written a line at a time, read as empty (everything
republished) rather than trusted when it is damaged or of another version."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from wirekit.site import manifest
from wirekit.site.manifest import LEGACY, MANIFEST, Entry, Manifest, Source

FILES = ("article.json", "index.html")


def _sample() -> Manifest:
    entries = {
        f"story-{n}": Entry(
            f"story-{n}", f"urn:x:{n}", "in/a.jsonl", f"{n:064x}", f"Story {n} — é", None, FILES
        )
        for n in (2, 1, 3)
    }
    sources = {"in/a.jsonl": Source("d" * 64, ("story-2", "story-1", "story-3"))}
    return Manifest("f" * 64, {"feed_size": 100, "now": None}, sources, entries)


def test_a_manifest_reads_back_as_written_sorted_a_record_a_line(tmp_path: Path) -> None:
    path = tmp_path / MANIFEST
    assert manifest.write(path, _sample())
    assert manifest.read(path) == _sample()
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert lines[0]["manifest"] == "wirekit publish" and lines[0]["version"] == manifest.VERSION
    assert lines[1]["input"] == "in/a.jsonl"
    assert [line["folder"] for line in lines[2:]] == ["story-1", "story-2", "story-3"]
    assert not manifest.write(path, _sample())  # the same bytes: not written again


def test_values_repeated_on_every_line_are_kept_once(tmp_path: Path) -> None:
    path = tmp_path / MANIFEST
    manifest.write(path, _sample())
    one, two = manifest.read(path).articles["story-1"], manifest.read(path).articles["story-2"]
    again = manifest.read(path).articles
    assert again["story-1"].files is again["story-2"].files
    assert again["story-1"].source is again["story-3"].source
    assert one == _sample().articles["story-1"] and two.files == FILES


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut mid-line
        lambda data: data.replace(b'"version":3', b'"version":2'),
        lambda data: b'{"version":3}\n' + data.split(b"\n", 1)[1],  # not ours
        lambda data: data.replace(b'"hash"', b'"hush"'),
        lambda data: b"[]\n" + data,
        lambda data: b"",
    ],
    ids=["truncated", "other-version", "no-kind", "missing-key", "not-an-object", "empty"],
)
def test_a_damaged_manifest_reads_as_empty(tmp_path: Path, damage: object) -> None:
    path = tmp_path / MANIFEST
    manifest.write(path, _sample())
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert manifest.read(path) == Manifest()


def test_writing_a_manifest_removes_one_an_earlier_version_left(tmp_path: Path) -> None:
    for name in LEGACY:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    manifest.write(tmp_path / MANIFEST, _sample())
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST]
